"""`X指什么` / `什么是X` / `X是哪几项`: answered from the definitions and enumerations found at ingestion,
citing the defining passage, before any sentence that merely mentions X is considered."""
from __future__ import annotations

import re

from kg.qa.shape.cite import citation
from kg.qa.context import QAContext
from kg.qa.read.question import Question, prepare
from kg.qa.read.text import norm
from kg.types import Answer, Definition, Enumeration

_LIST_MAX = 80  # the scorer's limit for list answers
_TEXT_MAX = 190
_SUBJECT = (
    re.compile(r"^(?:请问)?(?:什么是|什么叫|何谓|何为)(?P<t>.+?)$"),
    re.compile(r"^(?P<t>.+?)(?:具体)?(?:是指|指的是|指|就是|即|是|为|有|包括|包含|分为)(?:什么|哪些|哪几|哪[一二三四五六七八九十两\d]+|哪[份个项种类条部家]|何)"),
    re.compile(r"^(?P<t>.+?)(?:的)?(?:含义|定义|意思|概念|内涵)"),
    re.compile(r"^(?P<t>.+?)(?:是)?(?:什么意思|啥意思|怎么理解|怎么算|如何计算|怎么计算)"),
)
_LEAD = re.compile(r"^.*?(?:报告里|报告中|文中|里面|中提到|提到|提出|提的|所说|所谓|认为|看来)(?:的)?")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{1,24})[”\"」』]")


def subject(question: str) -> str:
    """The term a definitional or list question asks about (六地 of 辽宁提的新时代“六地”具体指哪六地)."""
    t = re.sub(r"[？?。！!\s]", "", prepare(question))
    for rx in _SUBJECT:
        if m := rx.match(t):
            s = m.group("t")
            break
    else:
        return ""
    if m := _QUOTED.search(s):
        return m.group(1)
    s = _LEAD.sub("", s)
    return re.sub(r"(?:应该|应当|到底|究竟|具体)+$", "", s).strip("的“”\"：:，,")


def _fit(s: str, key: str, term: str) -> float:
    """How well a fact's term is the asked one (all three normalised): the same key 1, one inside the other
    by length share."""
    if not s or not key:
        return 0.0
    if s in (key, term):
        return 1.0
    if len(key) >= 2 and (key in s or s in key):
        return min(len(key), len(s)) / max(len(key), len(s))
    return 0.0


def _region_ok(q: Question, ctx: QAContext, doc_id: str) -> bool:
    doc = ctx.documents[doc_id]
    return not q.regions or doc.region in q.regions or any(r in doc.title for r in q.regions)


def _keyed(ctx: QAContext, listing: bool) -> list[tuple]:
    """The definitions and enumerations (enumerations first for a list question) with their normalised key and
    term, normalised once per context rather than once per question."""
    k = ("defined_keys", listing)
    if k not in ctx.cache:
        facts = [*ctx.enumerations, *ctx.definitions] if listing else [*ctx.definitions, *ctx.enumerations]
        ctx.cache[k] = [(f, norm(f.key or f.term), norm(f.term)) for f in facts]
    return ctx.cache[k]


def defined_answer(q: Question, ctx: QAContext, listing: bool) -> Answer | None:
    """The enumeration (for a list question) or definition of the asked term, or None."""
    subj = subject(q.text)
    if len(norm(subj)) < 2:
        return None
    s = norm(subj)
    scored = [(_fit(s, key, term), -i, f) for i, (f, key, term) in enumerate(_keyed(ctx, listing))
              if _region_ok(q, ctx, f.doc_id)]
    scored = [x for x in scored if x[0] >= 0.6]
    if not scored:
        return None
    fit, _, fact = max(scored, key=lambda x: x[:2])
    if isinstance(fact, Enumeration):
        items = [re.sub(r"\s+", "", t).strip("，,；;。、") for t in fact.item_texts]
        text = "、".join(items)
        if len(text) > _LIST_MAX:
            text = "、".join(_short(i) for i in items)[:_LIST_MAX]
        start = min(fact.term_span[0], fact.items[0][0])  # A、B、C等“三大工程”: the items come first
        end = max(fact.term_span[1], fact.items[-1][1])
        focus = (fact.items[0][0], fact.items[-1][1])
        kind = "list"
    else:
        assert isinstance(fact, Definition)
        text = re.sub(r"\s+|\*\*", "", fact.body).strip("，,；;。：:")[:_LIST_MAX if listing else _TEXT_MAX]
        start, end = min(fact.term_span[0], fact.body_span[0]), max(fact.term_span[1], fact.body_span[1])
        focus = fact.body_span
        kind = "definition"
    text = re.sub("[\u00b2\u00b3\u00b9\u2070-\u209f]", "", text)
    if end - start > 2 * _TEXT_MAX:  # a footnote defines a term far from where it is written: cite the body
        start, end = focus
    end = min(end, start + 2 * _TEXT_MAX)  # a long glossary entry: its opening is what the answer quotes
    cite = citation(ctx, fact.doc_id, start, end, fact.chunk_id, focus=focus)
    return Answer(question=q.text, text=text, abstained=False, citations=(cite,), kind=kind, score=0.5 + 0.5 * fit)


def _short(item: str) -> str:
    """An item cut at its first clause: what a list answer names, the rest is in the citation."""
    return re.split(r"[，,；;：:（(]", item, maxsplit=1)[0]
