"""question -> Answer with citations, or an explicit "not found" with the closest passages."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.qa.read.asks import read_asks
from kg.qa.read.ground import ground
from kg.qa.shape.cite import cite_candidate, cite_chunk, unique
from kg.qa.shape.compare import difference, extreme, total
from kg.qa.context import QAContext
from kg.qa.read.cues import ASKING
from kg.qa.shape.defined import defined_answer
from kg.qa.shape.lists import list_answer
from kg.qa.shape.lookup import lookup
from kg.qa.read.places import names_places, unknown_places
from kg.qa.read.question import Question, analyse
from kg.qa.shape.rows import rows_answer
from kg.qa.shape.textual import text_answer
from kg.types import Answer

_ASKS_MEANING = re.compile(r"什么意思|啥意思|怎么理解|怎么算|如何计算|怎么计算|指的是|是指|含义|定义")


@dataclass(frozen=True, slots=True)
class Draft:
    """What the rules propose for a question before the fitted decision: the answer (or abstention), the
    question as read, the ranked values and the passages read (for the features and the abstention message), and
    the asks of a question that asks several things, each read and grounded (kg.qa.decide.compose answers them)."""

    answer: Answer
    question: Question
    ranked: tuple = ()
    chunks: tuple = ()
    asks: tuple = ()


def answer(question: str, ctx: QAContext) -> Answer:
    """The rules propose answers, the fitted decision (kg.qa.decide) keeps the likeliest if it is likely enough;
    else an abstention that shows the closest."""
    if not question or not question.strip():
        raise ValueError("empty question: give the question text")
    from kg.qa.decide import decide
    ans = decide(question, ctx)
    if not ans.abstained and ctx.generator is not None and ctx.settings.generate:
        from kg.qa.shape.generate import rewrite
        ans = rewrite(ans, ctx.generator)
    return ans


def draft(question: str, ctx: QAContext) -> Draft:
    """Answer from the tables and figures first, from the best sentence otherwise, or abstain."""
    q = ground(analyse(question, ctx.gazetteer), ctx)
    asks = [ground(a, ctx) for a in read_asks(question, ctx.gazetteer)] if q.op is None else []
    if len(asks) > 1 and (any(a.kind != "number" or a.op for a in asks) or len(q.asks) < len(asks)):
        return Draft(_compound(q, asks, ctx), q, asks=tuple(asks))  # the one-question reading would answer a part
    ans, ranked, chunks = _route(q, ctx)
    if ans is None and len(asks) > 1:
        return Draft(_compound(q, asks, ctx), q, tuple(ranked), tuple(chunks), tuple(asks))
    if ans is not None and elsewhere(question, ans, ctx):
        ans = None  # a figure about somewhere else is not an answer about 东京
    if ans is None:
        ans = abstain(q, ctx, ranked, chunks)
    return Draft(ans, q, tuple(ranked), tuple(chunks), tuple(asks))


def elsewhere(question: str, ans: Answer, ctx: QAContext) -> bool:
    """The question names a place the reports do not cover, and the answer's passages do not name it either."""
    places = unknown_places(question, ctx.gazetteer)
    if not places:
        return False
    if "doc_texts" not in ctx.cache:  # asked for up to three proposals of one question
        ctx.cache["doc_texts"] = {d: doc.text for d, doc in ctx.documents.items()}
    return not names_places(ans, places, ctx.cache["doc_texts"])


def _compound(q: Question, asks: list[Question], ctx: QAContext) -> Answer:
    """Each ask answered on its own and the answers joined (…；…), each with its citations; when one ask finds
    nothing, the whole abstains and says which part is missing."""
    parts: list[Answer] = []
    for ask in asks:
        ans, ranked, chunks = _route(ask, ctx)
        if ans is None:
            missing = abstain(ask, ctx, ranked, chunks)
            return replace(missing, question=q.text, related=unique([*missing.related,
                                                                       *(c for a in parts for c in a.citations)])[:4])
        if not any(ans.text in a.text for a in parts):  # two asks one clause answers (…干什么的？在哪几个市？)
            parts.append(ans)
    return Answer(question=q.text, text="；".join(a.text for a in parts), abstained=False,
                  citations=unique(c for a in parts for c in a.citations),
                  figures=tuple(f for a in parts for f in a.figures), kind="text" if len(parts) > 1 else parts[0].kind,
                  score=min(a.score for a in parts))


def _route(q: Question, ctx: QAContext) -> tuple[Answer | None, list, list]:
    """The answer shape the question asks for; a comparison or list that finds nothing falls back to a sentence."""
    if q.op is None and (ans := rows_answer(q, ctx)) is not None:  # 目标定在5.5%的有哪些省: rows holding a value
        return ans, [], []
    if q.op in ("max", "min"):
        ans, ranked, chunks = extreme(q, ctx)
        if ans is None and not q.candidates and q.axis in ("region", None):
            return _as_text(q, ctx)  # 谁最先提出…: a sentence may say; 哪年最高 needs the values compared
        return ans, ranked, chunks
    if q.op == "diff":
        return difference(q, ctx)
    if q.op == "sum":
        return total(q, ctx)
    if q.kind in ("list", "definition") or (q.kind == "text" and _ASKS_MEANING.search(q.text)):
        if (ans := defined_answer(q, ctx, listing=q.kind == "list")) is not None:
            return ans, [], []
    if q.kind == "list":
        ans, _, chunks = list_answer(q, ctx)
        return (ans, [], chunks) if ans is not None else _as_text(q, ctx)
    if q.kind in ("definition", "text"):
        return _as_text(q, ctx)
    ans, ranked, chunks = lookup(q, ctx)
    if ans is None and q.expect is None and not q.table_ref and not q.periods and not re.search(r"多少|几", q.text):
        return _as_text(q, ctx)  # no number was asked for, nor a table or period: a sentence may say it
    return ans, ranked, chunks


def _as_text(q: Question, ctx: QAContext) -> tuple[Answer | None, list, list]:
    ans, _, chunks = text_answer(q, ctx)
    return ans, [], chunks


def _topic(q: Question) -> str:
    return ASKING.sub("", re.sub(r"\s+", "", q.text)).strip("，,：:（）()？?。！! ")[:40]


def _describe(c, ctx: QAContext) -> str:
    """A rejected candidate in a few words: a cell by its headers, a figure by its clause."""
    if c.source == "cell":
        head = "/".join(x for x in (*c.headers[0], *c.headers[1]) if x.strip())
        return re.sub(r"\s+", "", f"{head}：{c.display()}")[:40]
    doc = ctx.documents[c.doc_id]
    s, e = c.evidence
    text = re.sub(r"\s+", "", doc.text[s:e])
    return text if len(text) <= 40 else text[:38] + "…"


def abstain(q: Question, ctx: QAContext, ranked, chunks) -> Answer:
    """语料中未找到…: says what was looked for and what came closest; the nearest passages are `related`."""
    # the closest in words, whatever region or period ruled it out, tells the analyst what the corpus does say
    near = max(ranked[:20], key=lambda s: s.terms).candidate if ranked else None
    detail = f"（最接近的是“{_describe(near, ctx)}”，与所问的指标、地区或时间不符）" if near is not None else ""
    related = [cite_candidate(ctx, r.candidate) for r in ranked[:2]] + [cite_chunk(ctx, c) for c in chunks[:3]]
    return Answer(question=q.text, text=f"语料中未找到{_topic(q)}的答案{detail}", abstained=True,
                  related=unique(related)[:4], kind=q.kind, score=ranked[0].score if ranked else 0.0)


def answer_all(questions: list[str], ctx: QAContext) -> list[Answer]:
    """Several questions over one context (the caches warm up once)."""
    return [answer(x, ctx) for x in questions]
