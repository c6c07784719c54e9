"""The library facade the CLI and the app share: ingest, remove and search with all indexes wired."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from kg.kb.build import Refresher, ingest_paths, remove_document
from kg.config import Settings, make_embedder, model_name
from kg.index.manage import SearchIndexes
from kg.index.search import Filters, Hit, Searcher, SearchSettings
from kg.kb.store import KnowledgeBase
from kg.qa.learn.versions import current as current_model
from kg.progress import STAGES, Report
from kg.types import Document, IngestReport, Reply

Progress = Report


def search_indexes(kb: KnowledgeBase, settings: Settings) -> SearchIndexes:
    name = model_name(settings, kb.manifest().get("embedding_model"))
    return SearchIndexes(SearchSettings(model=name, dense=settings.dense), lambda: make_embedder(name, settings))


def refreshers(kb: KnowledgeBase, settings: Settings) -> list[Refresher]:
    """Every derived index that follows the documents, in the order they are rebuilt."""
    from kg.graph.index import GraphIndex
    return [search_indexes(kb, settings), GraphIndex()]


def ingest(kb: KnowledgeBase, paths: Iterable[str | Path], settings: Settings,
           progress: Progress | None = None, replace: bool = False) -> IngestReport:
    """Ingest files and folders; a file named like a stored document with other content needs `replace`."""
    return ingest_paths(kb, paths, refreshers=refreshers(kb, settings), progress=progress, replace=replace)


def ingest_stages(settings: Settings) -> tuple[str, ...]:
    """The stages an ingest with these settings goes through, in order (kg.progress)."""
    return STAGES if settings.dense else tuple(s for s in STAGES if s != "embed")


def remove(kb: KnowledgeBase, ref: str, settings: Settings) -> Document:
    return remove_document(kb, ref, refreshers=refreshers(kb, settings))


def reindex(kb: KnowledgeBase, settings: Settings, progress: Progress | None = None) -> None:
    """Rebuild every derived index from the stored documents (e.g. after changing the model)."""
    for r in refreshers(kb, settings):
        r.refresh(kb, progress, force=True)


def open_searcher(kb: KnowledgeBase, settings: Settings, progress: Progress | None = None) -> Searcher:
    return search_indexes(kb, settings).searcher(kb, progress)


def search(searcher: Searcher, query: str, k: int = 5, doc: str | None = None, region: str | None = None,
           year: int | None = None) -> list[Hit]:
    if region:  # any alias (辽宁省, 内蒙古自治区) filters like the short name documents carry
        from kg.errors import UsageError
        from kg.extract.gazetteer import load_gazetteer
        r = load_gazetteer().region(region)
        if r is None:
            raise UsageError(f"unknown region {region!r}: give a province-level name such as 辽宁 or 辽宁省")
        region = r.name
    return searcher.search(query, k, Filters(frozenset([doc]) if doc else frozenset(), region, year))


def open_qa(kb: KnowledgeBase, settings: Settings, qa=None, generator=None):
    """A kg.qa.QAContext over a knowledge base: its searcher, documents, chunks, tables, figures."""
    from kg.extract.gazetteer import load_gazetteer
    from kg.qa.context import QASettings, make_context
    qa = qa or QASettings()
    if qa.model_file is None and (own := current_model(kb.root)) is not None:  # refitted from its feedback
        from dataclasses import replace
        qa = replace(qa, model_file=str(own))
    searcher = open_searcher(kb, settings)
    documents = [kb.document(i) for i in kb.doc_ids()]
    if generator is None and qa.generate:
        from kg.qa.shape.generate import OpenAIChat
        generator = OpenAIChat(qa.generator_url or "", qa.generator_model or "")
    return make_context(searcher, documents, list(searcher.chunks.values()), kb.tables(), kb.facts("figure"),
                        load_gazetteer(), qa, generator, kb.facts("definition"), kb.facts("enumeration"))


def check_question(question: str) -> str:
    """The question stripped; UsageError for an empty or overlong one, before any work is spent on it (the front
    ends share this check)."""
    from kg.errors import UsageError
    from kg.index.search import check_query
    q = (question or "").strip()
    if not q:
        raise UsageError("empty question: ask e.g. kg ask \"辽宁2024年旅游收入是多少？\"")
    return check_query(q)


def ask(ctx, question: str, previous: str | None = None, kb: KnowledgeBase | None = None) -> Reply:
    """The one front door of the CLI, the API and the app: check the question, read a follow-up with the question
    before it (那山西呢？), answer, and add a hint for the asker when the answer is an abstention. With the
    knowledge base, a question an analyst corrected is answered with the correction (kg.qa.learn.recall)."""
    from kg.qa import answer
    from kg.qa.read.followup import resolve_followup
    typed = check_question(question)
    full = resolve_followup(previous, typed, ctx.gazetteer) if previous else typed
    if kb is not None:
        from kg.qa.learn.recall import NOTE, recalled
        fb = kb.recall(full)
        if (ans := recalled(fb, ctx)) is not None:
            return Reply(typed, full, ans, NOTE.format(id=fb.id))
    ans = answer(full, ctx)
    return Reply(typed, full, ans, language_hint(full) if ans.abstained else None)


def language_hint(question: str) -> str | None:
    """A hint for a question without any Chinese character: the reports are Chinese, and so is the matching."""
    if any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in question):
        return None
    return "提示：报告是中文的，请用中文提问，例如“辽宁2024年旅游收入是多少？” (the reports are in Chinese: ask in Chinese)"


class Session:
    """A knowledge base held open by a long-running front end (the HTTP API): one lock around the SQLite
    connection (held only for reads and writes of it: short), another around answering and searching (the QA
    context's caches and query engine are one at a time), so a slow question never keeps /documents, /entities or
    /figures waiting; the QA context is rebuilt when another process changes the knowledge base."""

    def __init__(self, root: str | Path, settings: Settings, qa=None) -> None:
        import threading
        self.kb = KnowledgeBase.open(root)
        self.settings = settings
        self._qa_settings = qa
        self.lock = threading.RLock()  # the SQLite connection
        self.answering = threading.Lock()  # the QA context's use
        self._ctx = None
        self._generation = -1

    def close(self) -> None:
        self.kb.close()

    def qa(self):
        """The QA context of the current generation (the caller holds self.lock)."""
        gen = self.kb.generation
        if self._ctx is None or gen != self._generation:
            self._ctx, self._generation = open_qa(self.kb, self.settings, self._qa_settings), gen
        return self._ctx

    def ask(self, question: str, previous: str | None = None) -> Reply:
        check_question(question)  # bounded before any lock is taken
        with self.answering:
            with self.lock:
                ctx = self.qa()
            return ask(ctx, question, previous, _Locked(self.kb, self.lock))

    def search(self, query: str, k: int = 5, doc: str | None = None, region: str | None = None,
               year: int | None = None) -> list[Hit]:
        from kg.errors import UsageError
        if not (query or "").strip():
            raise UsageError("empty query: give the words to search for")
        if k < 1:
            raise UsageError(f"k must be at least 1, got {k}")
        with self.answering:
            with self.lock:
                searcher = self.qa().searcher
                doc_id = self.kb.resolve(doc) if doc else None
            return search(searcher, query, k, doc_id, region, year)

    def graph_dir(self) -> Path:
        """The graph store directory, brought up to date when no writer holds it."""
        from kg.graph.index import open_graph
        with self.lock:
            open_graph(self.kb).close()
        return self.kb.root / "graph"

    def graph_location(self):
        """Where SPARQL queries go: the graph store directory, or the kg.graph.config.Remote server,
        brought up to date when no writer holds it."""
        from kg.graph.config import location
        self.graph_dir()
        with self.lock:
            return location(self.kb)


class _Locked:
    """The knowledge base's recall (a question an analyst corrected) under the Session's SQLite lock."""

    def __init__(self, kb: KnowledgeBase, lock) -> None:
        self._kb, self._lock = kb, lock

    def recall(self, question: str):
        with self._lock:
            return self._kb.recall(question)


def answer_id(question: str, text: str) -> str:
    """Names one answer as shown (question as read + answer text), so feedback can say which answer it judges."""
    import hashlib
    return "ans-" + hashlib.sha1(f"{question}\n{text}".encode("utf-8")).hexdigest()[:12]


def feedback(kb: KnowledgeBase, ctx, question: str, verdict: str, answer: str = "",
             evidence: Iterable[tuple[str, int, int]] = (), previous: str | None = None,
             shown_id: str | None = None):
    """Keep an analyst's verdict on the answer to a question (kg.qa.learn.feedback): the answer is given again to
    know what was shown and every proposal's features; evidence is (document id / prefix / file name, start, end)
    spans of the right answer. UsageError for a bad verdict or span, or when shown_id names another answer than
    the one the knowledge base now gives (it changed since: ask again). Returns the stored Feedback."""
    from dataclasses import asdict
    from kg.errors import UsageError
    from kg.qa.decide import decide, proposals
    from kg.qa.learn.feedback import MAX_EVIDENCE, VERDICTS, Evidence, make
    from kg.qa.read.followup import resolve_followup
    if verdict not in VERDICTS:
        raise UsageError(f"verdict must be one of {', '.join(VERDICTS)}, got {verdict!r}")
    typed = check_question(question)
    full = resolve_followup(previous, typed, ctx.gazetteer) if previous else typed
    strict, props = proposals(full, ctx)  # once: what was shown is decided from the proposals kept
    shown = decide(full, ctx, proposed=(strict, props))
    if shown_id is not None and shown_id != answer_id(full, shown.text):
        raise UsageError("the knowledge base now gives another answer to this question than the one judged: "
                         "ask again and judge that answer")
    spans = []
    for ref, start, end in list(evidence)[:MAX_EVIDENCE + 1]:
        doc = kb.document(kb.resolve(ref))
        if not (0 <= start < end <= len(doc.text)) or end - start > 2000:
            raise UsageError(f"span {start}-{end} is not within {doc.source} ({len(doc.text)} characters) or "
                             "longer than 2,000: point at the passage or cell itself")
        start, end = _narrowed(doc.text, start, end, answer)
        spans.append(Evidence(doc.id, start, end, doc.text[start:end]))
    if verdict == "right" and not spans:
        if shown.abstained:
            raise UsageError("the answer shown was 'not found': say wrong (with the right passage or text) or absent")
        spans = [Evidence(c.doc_id, c.start, c.end, c.text) for c in shown.citations[:MAX_EVIDENCE]]
    lean = {k: v for k, v in asdict(strict.question).items() if v not in ((), [], "", None, False, {})}
    try:
        fb = make(full, shown.text, verdict, _jsonable(lean), [(p.row, p.draft.answer.text) for p in props],
                  spans, answer, strict.question.kind)
    except ValueError as e:
        raise UsageError(str(e)) from None
    kb.add_feedback(fb)
    return fb


def _narrowed(text: str, start: int, end: int, answer: str) -> tuple[int, int]:
    """A passage pointed at, narrowed to the clause (between 。；\n) that states the analyst's value when it states
    it exactly once; else the passage as given."""
    from kg.qa.decide.features import numbers_in, places_of
    nums = numbers_in(answer)
    if not nums:
        return start, end
    part = text[start:end]
    hits = [at for n in nums for at in places_of(n, part)]
    if len(hits) != 1:
        return start, end
    at = hits[0]
    lo = max((part.rfind(ch, 0, at) for ch in "。；;\n"), default=-1) + 1
    his = [i for i in (part.find(ch, at) for ch in "。；;\n") if i >= 0]
    hi = min(his) + 1 if his else len(part)
    return start + lo, start + hi


def _jsonable(x):
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    return x if isinstance(x, (str, int, float, bool)) or x is None else str(x)
