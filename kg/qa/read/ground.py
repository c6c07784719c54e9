"""Question words weighed by what the reports say: a word none of the reports use (the analyst's own phrasing,
提到 for 提高至, a stray 号文又) cannot tell one passage from another, so it counts less, or not at all."""
from __future__ import annotations

import re
from dataclasses import replace

from kg.qa.read.periods import anchored
from kg.qa.read.question import Question, prepare
from kg.qa.read.text import Term, bigrams, canon


def corpus_bigrams(ctx) -> frozenset[str]:
    """Every character bigram of the reports' canonical text (cached on the context)."""
    key = "corpus_bigrams"
    if key not in ctx.cache:
        t = corpus_text(ctx)
        ctx.cache[key] = frozenset(t[i:i + 2] for i in range(len(t) - 1))
    return ctx.cache[key]


def corpus_text(ctx) -> str:
    """The reports' canonical text, joined (cached on the context)."""
    key = "corpus_text"
    if key not in ctx.cache:
        ctx.cache[key] = "\n".join(canon(doc.text) for doc in ctx.documents.values())
    return ctx.cache[key]


def _grounded(term: Term, vocab: frozenset[str], ctx=None) -> Term | None:
    if term.concept and term.within and ctx is not None and term.within in corpus_text(ctx):
        return Term((term.within,), term.weight * 0.75, focus=term.focus)  # 毛利率, not 利率
    if term.concept:
        return term  # a concept's labels are the reports' own words by construction
    best = 0.0
    for f in term.forms:
        f = f.split("&")[0]
        if f.isascii() or len(f) < 2:
            return term
        grams = bigrams(f)
        best = max(best, sum(g in vocab for g in grams) / len(grams))
    if best == 0.0:
        return None
    return term if best == 1.0 else replace(term, weight=term.weight * best)


_REPORT_YEAR = re.compile(r"((?:19|20)\d\d)年?的?[^，,。？?：:]{0,10}?报告")


def now_year(question: str, ctx) -> int | None:
    """The year a question's 今年 means: the year of the report it names (24年政府工作报告：去年…), else the
    newest report's year, the analyst's present as far as the reports know it."""
    if m := _REPORT_YEAR.search(prepare(question)):
        return int(m.group(1))
    return _newest(ctx, question)


def _newest(ctx, question: str) -> int | None:
    """The newest year among the reports about the place the question names (the national ones when it names
    none), else among all reports."""
    from kg.extract.gazetteer import load_gazetteer
    asked = {r.name for _, _, r in load_gazetteer().find_regions(prepare(question))} - {"全国"}
    years = [d.year for d in ctx.documents.values() if d.year
             and ((d.region in asked) if asked else d.region in (None, "全国"))]
    return max(years, default=None) or max((d.year for d in ctx.documents.values() if d.year), default=None)


def ground(q: Question, ctx, now: int | None = None) -> Question:
    """q with each indicator word weighed by the share of its bigrams the reports use, and its 今年/去年 read
    as years from now; its sides and asks too."""
    vocab = corpus_bigrams(ctx)
    now = now if now is not None else now_year(q.text, ctx)
    terms = tuple(t for t in (_grounded(x, vocab, ctx) for x in q.terms) if t is not None)
    named = _REPORT_YEAR.search(prepare(q.text))
    periods = tuple(dict.fromkeys(anchored(p, now) for p in q.periods
                                  if not (named and "{y" not in p and p == named.group(1)
                                          and any("{y" in x for x in q.periods))))
    if q.joined and q.joined in corpus_text(ctx):  # 货物和服务贸易 is one name the reports use
        q = replace(q, asks=(), joined="")
    return replace(q, terms=terms, periods=periods, candidates=tuple(anchored(c, now) for c in q.candidates),
                   sides=tuple(ground(s, ctx, now) for s in q.sides),
                   asks=tuple(ground(a, ctx, now) for a in q.asks))
