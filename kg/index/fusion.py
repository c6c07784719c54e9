"""Rank fusion: small pure functions over ranked lists of ids."""
from __future__ import annotations

from typing import Sequence


def rrf(rankings: Sequence[Sequence[str]], k: int = 60, weights: Sequence[float] | None = None) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: score(id) = sum_i w_i / (k + rank_i(id)), ranks from 1.

    Ties keep the order of first appearance, so the result is deterministic."""
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    scores: dict[str, float] = {}
    for ranking, w in zip(rankings, weights):
        for rank, doc in enumerate(ranking, start=1):
            scores[doc] = scores.get(doc, 0.0) + w / (k + rank)
    order: dict[str, int] = {}
    for r in rankings:
        for d in r:
            order.setdefault(d, len(order))
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
