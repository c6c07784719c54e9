"""Extraction as a spaCy pipeline: spacy.blank("zh") (character segmentation: no model download, no jieba), a
SpanRuler fed from the gazetteer into doc.spans["gazetteer"] (overlaps allowed), and the project's stages as
registered factories:

    kg_entities     -> doc.spans["entities"]      REGION / CONCEPT / INSTITUTION / POLICY / MEETING, kb_id = entity id
    kg_figures      -> doc.spans["figures"]       FIGURE, Span._.kg_fact = the Figure
    kg_periods      -> doc.spans["periods"]       PERIOD, kb_id = the period template (2024Q3, {y}年末)
    kg_docnumbers   -> doc.spans["docnumbers"]    DOCNO, kb_id = 国办发〔2024〕52号
    kg_definitions  -> doc.spans["definitions"]   TERM / DEFINITION, and doc.spans["enumerations"] LIST / ITEM

Components read the Document, tables and chunks from doc.user_data (see `run`), so a user can add a component or a
trained NER model (`nlp.add_pipe(...)`) next to them; `extraction_from_doc` turns the spans back into the project's
fact types (an entity span with a known kb_id becomes a Mention) with the offsets unchanged. spaCy is imported here
only, so the rest of the package loads without it.
"""
from __future__ import annotations

import re

from kg.extract.figures import Found
from kg.extract.pipeline import Extraction, assemble, definitions_and_lists, figure_stage
from kg.types import Chunk, Definition, Document, Enumeration, Figure, Table

INPUT = "kg.input"  # doc.user_data key: (Document, tables, chunks)
_STATE = "kg.state"  # what the stages return beyond spans (entity records, skipped counts)
COMPONENTS = ("kg_entities", "kg_figures", "kg_periods", "kg_docnumbers", "kg_definitions")
_TYPE_LABEL = {"region": "REGION", "concept": "CONCEPT", "institution": "INSTITUTION", "policy": "POLICY",
               "meeting": "MEETING"}


_WS = re.compile(r"\s+")
TOKENIZER = "kg.zh_char_tokenizer.v1"


def char_words(text: str) -> tuple[list[str], list[bool]]:
    """spaCy's zh "char" segmentation, in one pass: every non-space character a token, one space after a character
    its trailing whitespace, any other run of whitespace one token. ChineseTokenizer gets the same by aligning the
    characters to the text with util.get_words_and_spaces, which slices the rest of the text for every character
    (quadratic: 1.3 s of the 9 shared reports' 1.6 s of tokenising)."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for m in _WS.finditer(text):
        s, e = m.span()
        words.extend(text[pos:s])
        spaces.extend([False] * (s - pos))
        if pos < s and text[s] == " ":
            spaces[-1] = True
            s += 1
        if s < e:
            words.append(text[s:e])
            spaces.append(False)
        pos = e
    words.extend(text[pos:])
    spaces.extend([False] * (len(text) - pos))
    return words, spaces


class CharTokenizer:
    """The blank zh pipeline's tokenizer, character segmentation (tests check it equals spaCy's own)."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str):
        from spacy.tokens import Doc
        return Doc(self.vocab, *char_words(text))

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "CharTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "CharTokenizer":
        return self


def _char_tokenizer():
    return lambda nlp: CharTokenizer(nlp.vocab)


def _spacy():
    try:
        import spacy
        from spacy.language import Language
        from spacy.tokens import Span
    except ImportError as e:  # pragma: no cover - spaCy is a declared dependency
        from kg.errors import UsageError
        raise UsageError("the spaCy pipeline needs spaCy: pip install 'spacy>=3.7'") from e
    if not Span.has_extension("kg_fact"):
        Span.set_extension("kg_fact", default=None)
    _register(Language)
    if TOKENIZER not in spacy.registry.tokenizers:
        spacy.registry.tokenizers(TOKENIZER)(_char_tokenizer)
    return spacy


class _Stage:
    """A pipeline component around one extraction stage; the gazetteer is set by make_pipeline (or loaded)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.gazetteer = None

    def _gz(self):
        if self.gazetteer is None:
            from kg.extract.gazetteer import load_gazetteer
            self.gazetteer = load_gazetteer()
        return self.gazetteer

    def __call__(self, doc):
        if INPUT not in doc.user_data:
            from kg.errors import UsageError
            raise UsageError(f"{self.name}: run the pipeline through kg.extract.nlp.run(nlp, document, tables, "
                             "chunks), which gives the components the document's tables and chunks")
        document, tables, chunks = doc.user_data[INPUT]
        self.apply(doc, document, tables, chunks, doc.user_data.setdefault(_STATE, {}))
        return doc

    def apply(self, doc, document, tables, chunks, state) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def _span(doc, start: int, end: int, label: str, kb_id: str = "", fact=None):
    s = doc.char_span(start, end, label=label, kb_id=kb_id, alignment_mode="strict")
    if s is None:  # a character tokenizer aligns everywhere but on whitespace; keep the exact offsets anyway
        s = doc.char_span(start, end, label=label, kb_id=kb_id, alignment_mode="expand")
    if fact is not None:
        s._.kg_fact = fact
    return s


class EntityStage(_Stage):
    def apply(self, doc, document, tables, chunks, state) -> None:
        from kg.extract.entities import find_entities
        ents = find_entities(document, chunks, self._gz())
        state["entities"] = ents
        types = {e.id: e.type for e in ents.entities}
        doc.spans["entities"] = [_span(doc, m.start, m.end, _TYPE_LABEL.get(types.get(m.entity_id, ""), "ENTITY"),
                                       m.entity_id, m) for m in ents.mentions]


class FigureStage(_Stage):
    def apply(self, doc, document, tables, chunks, state) -> None:
        text, cells = figure_stage(document, tables, chunks, self._gz())
        state["figures"] = (Found((), text.skipped), Found((), cells.skipped))
        doc.spans["figures"] = [_span(doc, f.start, f.end, "FIGURE", f.id, f) for f in (*text.figures, *cells.figures)]


class PeriodStage(_Stage):
    def apply(self, doc, document, tables, chunks, state) -> None:
        from kg.extract.numbers import find_periods
        doc.spans["periods"] = [_span(doc, p.start, p.end, "PERIOD", p.template.format(y=document.year or "{y}")
                                      if p.relative is not None else p.template, p)
                                for p in find_periods(document.text) if p.end > p.start]


class DocNumberStage(_Stage):
    def apply(self, doc, document, tables, chunks, state) -> None:
        doc.spans["docnumbers"] = [_span(doc, n.start, n.end, "DOCNO", n.label, n)
                                   for n in self._gz().find_doc_numbers(document.text)]


class DefinitionStage(_Stage):
    def apply(self, doc, document, tables, chunks, state) -> None:
        defs, enums = definitions_and_lists(document, chunks, self._gz())
        doc.spans["definitions"] = [s for d in defs for s in (_span(doc, *d.term_span, "TERM", d.key),
                                                              _span(doc, *d.body_span, "DEFINITION", d.key, d))]
        doc.spans["enumerations"] = [s for e in enums for s in (
            _span(doc, *e.term_span, "LIST", e.key, e), *(_span(doc, a, b, "ITEM", e.key) for a, b in e.items))]


_FACTORIES = {"kg_entities": EntityStage, "kg_figures": FigureStage, "kg_periods": PeriodStage,
              "kg_docnumbers": DocNumberStage, "kg_definitions": DefinitionStage}


def _maker(cls):
    def create(nlp, name: str):  # no settings: the config stays serialisable, nlp.to_disk works
        return cls(name)
    return create


def _register(Language) -> None:
    for name, cls in _FACTORIES.items():
        if not Language.has_factory(name):
            Language.factory(name)(_maker(cls))


def make_pipeline(gazetteer=None, components: tuple[str, ...] = COMPONENTS, ruler: bool = True):
    """spacy.blank("zh") with the gazetteer SpanRuler and the project's components, in extraction order."""
    spacy = _spacy()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})
    if gazetteer is None:
        from kg.extract.gazetteer import load_gazetteer
        gazetteer = load_gazetteer()
    if ruler:
        r = nlp.add_pipe("span_ruler", name="gazetteer_ruler",
                         config={"spans_key": "gazetteer", "validate": False, "overwrite": False})
        r.add_patterns(gazetteer.patterns_for_spacy())
    for name in components:
        nlp.add_pipe(name).gazetteer = gazetteer
    return nlp


def run(nlp, document: Document, tables: tuple[Table, ...], chunks: tuple[Chunk, ...]):
    """The spaCy Doc of a document, every component given the document's tables and chunks."""
    doc = nlp.make_doc(document.text)
    doc.user_data[INPUT] = (document, tables, chunks)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def extraction_from_doc(doc, gazetteer=None) -> Extraction:
    """The project's Extraction from a processed Doc: mentions from entity spans (kb_id = entity id, offsets as the
    span's), figures, definitions and enumerations from the facts their spans carry."""
    from kg.extract.entities import _mentions  # the chunk a mention belongs to, as find_entities decides it
    if gazetteer is None:
        from kg.extract.gazetteer import load_gazetteer
        gazetteer = load_gazetteer()
    document, tables, chunks = doc.user_data[INPUT]
    state = doc.user_data.get(_STATE, {})
    ents = state["entities"]
    known = {e.id for e in ents.entities}
    spans = [(s.start_char, s.end_char, s.kb_id_) for s in doc.spans.get("entities", ()) if s.kb_id_ in known]
    skipped = type(ents.skipped)()
    mentions = _mentions(document, chunks, spans, skipped)
    text_found, cell_found = state.get("figures", (Found((), type(skipped)()), Found((), type(skipped)())))
    figures = _facts(doc, "figures", Figure)
    defs, enums = _facts(doc, "definitions", Definition), _facts(doc, "enumerations", Enumeration)
    return assemble(document, tables, chunks, gazetteer, ents, mentions,
                    (Found(figures, text_found.skipped), cell_found), defs, enums)


def _facts(doc, key: str, cls) -> tuple:
    """The facts spans of one key carry, once each (spaCy keys Span._ values by offsets and label, so two spans
    alike share one value; the type check keeps each key's own)."""
    seen: dict[str, object] = {}
    for s in doc.spans.get(key, ()):
        if isinstance(x := s._.kg_fact, cls):
            seen.setdefault(x.id, x)
    return tuple(seen.values())


def displacy_data(doc, start: int = 0, end: int | None = None, style: str = "ent",
                  keys: tuple[str, ...] = ("entities", "figures", "periods", "docnumbers", "definitions")) -> dict:
    """What displacy.render(data, style=style, manual=True) draws for doc.text[start:end], offsets relative to the
    passage. style "ent" keeps the text as written and the leftmost-longest spans (ent cannot overlap); style "span"
    stacks overlapping spans, over the passage's character tokens (spaCy's span renderer puts a space after each)."""
    if style not in ("ent", "span"):
        from kg.errors import UsageError
        raise UsageError(f"displacy style {style!r}: use 'ent' or 'span'")
    text = doc.user_data[INPUT][0].text if INPUT in doc.user_data else doc.text  # Doc.text joins every token
    end = len(text) if end is None else end
    inside = sorted(((s.start_char, s.end_char, s) for key in keys for s in doc.spans.get(key, ())
                     if start <= s.start_char and s.end_char <= end), key=lambda x: (x[0], -x[1], x[2].label_))
    if style == "ent":
        ents, last = [], start
        for a, b, s in inside:
            if a >= last:
                ents.append({"start": a - start, "end": b - start, "label": s.label_})
                last = b
        return {"text": text[start:end], "ents": ents, "title": None}
    window = doc.char_span(start, end, alignment_mode="contract")
    toks = list(window) if window is not None else []
    t0 = toks[0].i if toks else 0
    spans = [{"start_token": s.start - t0, "end_token": s.end - t0, "label": s.label_, "kb_id": s.kb_id_,
              "kb_url": "#"} for _, _, s in inside]
    return {"text": text[start:end], "tokens": [t.text for t in toks], "spans": spans, "title": None}


def displacy_facts(text: str, start: int, end: int, facts) -> dict:
    """displaCy "ent" data for text[start:end] from stored facts (a kg.types.Facts, e.g. KnowledgeBase.doc_facts):
    entity mentions by type, figures, defined terms and list items, leftmost-longest; no spaCy run needed, so the
    app can show any passage of an ingested report at once."""
    types = {e.id: e.type for e in facts.entities}
    spans = [(m.start, m.end, _TYPE_LABEL.get(types.get(m.entity_id, ""), "ENTITY")) for m in facts.mentions]
    spans += [(f.start, f.end, "FIGURE") for f in facts.figures if not f.table_id]
    spans += [(*d.term_span, "TERM") for d in facts.definitions]
    spans += [(a, b, "ITEM") for e in facts.enumerations for a, b in e.items]
    rank = {"ITEM": 0, "TERM": 0, "FIGURE": 1}  # on the same span a list item or term says more than a mention
    ents, last = [], start
    for a, b, label in sorted((x for x in spans if start <= x[0] and x[1] <= end and x[1] > x[0]),
                              key=lambda x: (x[0], -x[1], rank.get(x[2], 2))):
        if a >= last:
            ents.append({"start": a - start, "end": b - start, "label": label})
            last = b
    return {"text": text[start:end], "ents": ents, "title": None}
