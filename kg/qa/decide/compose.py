"""A question that asks several things, answered part by part: each ask gets its own proposals (the rules' answer
to it, with floors on and off, and the values ranked first), the fitted model picks each part's likeliest, and
the parts are joined into one answer whose P(right) is the product of theirs. A part with no proposal means no
composed answer: a partial answer is never presented as whole."""
from __future__ import annotations

import math
from typing import Callable

from kg.qa.decide.features import features, numbers_in

# a composed answer of more asks than this is left to the rules' own reading (each part costs a lookup)
MAX_PARTS = 4


def _part_proposals(ask, ctx, relaxed_ctx) -> list:
    """The answers proposed for one ask, read with the question's context (regions, periods, topic) it inherits."""
    from kg.qa.answer import Draft, _route
    from kg.qa.decide import Proposal, _stated, alternatives
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
    ranked = out[0].draft.ranked if out else tuple(_route(ask, relaxed_ctx)[1])
    return out + alternatives(Draft(None, ask, ranked, ()), ctx, stated)


def composed(strict, ctx, p_right: Callable[[dict], float], relaxed_ctx):
    """(P(right), Answer) of a draft's question answered ask by ask (the asks the draft read), or None when it asks
    one thing (or more than MAX_PARTS), a part finds nothing, or two parts state the same figure."""
    from kg.qa.shape.cite import unique
    from kg.types import Answer
    if not 2 <= len(strict.asks) <= MAX_PARTS:
        return None
    picks = []
    for ask in strict.asks:
        props = _part_proposals(ask, ctx, relaxed_ctx)
        if not props:
            return None
        best = max(props, key=lambda p: p_right(p.row))
        picks.append((p_right(best.row), best.draft.answer))
    numbers = [numbers_in(a.text) for _, a in picks]
    if any(n and n == m for i, n in enumerate(numbers) for m in numbers[i + 1:]):
        return None  # one figure given for two asks
    p = math.prod(pr for pr, _ in picks)
    texts = []
    for _, a in picks:
        if a.text not in texts:
            texts.append(a.text)
    ans = Answer(question=strict.question.text, text="；".join(texts), abstained=False,
                 citations=unique(c for _, a in picks for c in a.citations),
                 figures=tuple(f for _, a in picks for f in a.figures),
                 kind="text" if len(texts) > 1 else picks[0][1].kind, score=p)
    return p, ans
