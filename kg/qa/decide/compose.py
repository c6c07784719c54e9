"""A question that asks several things, answered part by part: each ask gets its own proposals (the rules' answer
to it, with floors on and off, and the values ranked first), the fitted model picks each part's likeliest, and
the parts are joined into one answer whose P(right) is the product of theirs. A part with no proposal means no
composed answer: a partial answer is never presented as whole."""
from __future__ import annotations

import math
import re
from kg.qa.decide.features import features

# a composed answer of more asks than this is left to the rules' own reading (each part costs a lookup)
MAX_PARTS = 4
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _part_proposals(ask, ctx, relaxed_ctx, alternatives: int) -> list:
    """The answers proposed for one ask, read with the question's context (regions, periods, topic) it inherits."""
    from kg.qa.answer import Draft, _route
    from kg.qa.decide import Proposal, _stated
    from kg.qa.shape.lookup import value_answer
    out, stated = [], set()
    for origin, c in (("rules", ctx), ("relaxed", relaxed_ctx)):
        ans, ranked, chunks = _route(ask, c)
        if ans is None or ans.abstained:
            continue
        d = Draft(ans, ask, tuple(ranked), tuple(chunks))
        top = _stated(d)
        if id(top) in stated or any(p.draft.answer.text == ans.text for p in out):
            continue
        stated.add(id(top))
        out.append(Proposal(d, origin, features(d, origin, ctx, top)))
        if origin == "rules":
            break  # the relaxed reading only matters when the strict one finds nothing
    ranked = out[0].draft.ranked if out else _route(ask, relaxed_ctx)[1]
    if ask.kind in ("number", "entity") and ask.op is None:
        for s in tuple(ranked)[:alternatives]:
            if id(s) in stated or s.score <= 0:
                continue
            d = Draft(value_answer(ctx, ask, [("", s)]), ask, tuple(ranked), ())
            out.append(Proposal(d, "alt", features(d, "alt", ctx, s)))
    return out


def composed(question: str, ctx, model, relaxed_ctx, alternatives: int, blind: bool = False):
    """(P(right), Answer) of the question answered ask by ask, or None when it asks one thing, a part finds
    nothing, or two parts state the same figure. blind: read the proposals without their dense similarity (the
    knowledge base's vectors are not the ones the model was fitted with)."""
    from kg.qa.decide.fit import without_vectors
    from kg.qa.read.asks import read_asks
    from kg.qa.shape.cite import unique
    from kg.qa.read.ground import ground
    from kg.types import Answer
    asks = read_asks(question, ctx.gazetteer)
    if not 2 <= len(asks) <= MAX_PARTS:
        return None
    picks = []
    for ask in (ground(a, ctx) for a in asks):
        props = _part_proposals(ask, ctx, relaxed_ctx, alternatives)
        if not props:
            return None
        p_of = lambda p: model.p_right(without_vectors(p.row) if blind else p.row)
        best = max(props, key=p_of)
        picks.append((p_of(best), best.draft.answer))
    numbers = [frozenset(_NUMBER.findall(a.text)) for _, a in picks]
    if any(n and n == m for i, n in enumerate(numbers) for m in numbers[i + 1:]):
        return None  # one figure given for two asks
    p = math.prod(pr for pr, _ in picks)
    texts = []
    for _, a in picks:
        if a.text not in texts:
            texts.append(a.text)
    ans = Answer(question=question, text="；".join(texts), abstained=False,
                 citations=unique(c for _, a in picks for c in a.citations),
                 figures=tuple(f for _, a in picks for f in a.figures),
                 kind="text" if len(texts) > 1 else picks[0][1].kind, score=p)
    return p, ans
