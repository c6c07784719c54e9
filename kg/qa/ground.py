"""Question words weighed by what the reports say: a word none of the reports use (the analyst's own phrasing,
提到 for 提高至, a stray 号文又) cannot tell one passage from another, so it counts less, or not at all."""
from __future__ import annotations

from dataclasses import replace

from kg.qa.question import Question
from kg.qa.text import Term, bigrams, canon


def corpus_bigrams(ctx) -> frozenset[str]:
    """Every character bigram of the reports' canonical text (cached on the context)."""
    key = "corpus_bigrams"
    if key not in ctx.cache:
        grams: set[str] = set()
        for doc in ctx.documents.values():
            t = canon(doc.text)
            grams.update(t[i:i + 2] for i in range(len(t) - 1))
        ctx.cache[key] = frozenset(grams)
    return ctx.cache[key]


def _grounded(term: Term, vocab: frozenset[str]) -> Term | None:
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


def ground(q: Question, ctx) -> Question:
    """q with each indicator word weighed by the share of its bigrams the reports use; its sides and asks too."""
    vocab = corpus_bigrams(ctx)
    terms = tuple(t for t in (_grounded(x, vocab) for x in q.terms) if t is not None)
    return replace(q, terms=terms, sides=tuple(ground(s, ctx) for s in q.sides),
                   asks=tuple(ground(a, ctx) for a in q.asks))
