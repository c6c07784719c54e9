"""Refitting the decision with a knowledge base's feedback: how much an analyst's example weighs, what a model
fitted without each example says about it, and whether the refit may be installed."""
from __future__ import annotations

from typing import Callable, Sequence

from kg.qa.decide.fit import Labelled, Outcome, out_of_fold, outcome_at

# One analyst's example counts as this many train questions (it is about this knowledge base's own reports)...
FEEDBACK_WEIGHT = 3.0
# ...but all the examples together weigh at most this share of the train questions: a handful of clicks cannot
# swamp what the shipped model learnt from thousands of questions.
FEEDBACK_SHARE = 0.1
# A refit answering fewer dev questions right, or more wrong, by more than this share of dev is not installed.
MAX_DROP = 0.01


def weight(n_train: int, n_feedback: int) -> float:
    """Each example's weight: FEEDBACK_WEIGHT, capped so that all of them weigh at most FEEDBACK_SHARE of train."""
    return min(FEEDBACK_WEIGHT, FEEDBACK_SHARE * n_train / max(n_feedback, 1))


def held_out(train: Sequence[Labelled], feedback: Sequence[Labelled],
             fit: Callable[[list[Labelled], dict[str, float]], object], threshold: float, folds: int = 5) -> Outcome:
    """Each feedback example answered by a model fitted on train and the other examples only (leave-one-out up to
    `folds` examples, else that many folds): what the refit will do on questions like them that it has not seen."""
    k = min(folds, len(feedback))
    w = weight(len(train), len(feedback))
    place = {q.id: j for j, q in enumerate(feedback)}
    best = out_of_fold(feedback, lambda q: place[q.id] % k, fit, train, {q.id: w for q in feedback})
    return outcome_at(feedback, best, threshold)


def worse(before: Outcome, after: Outcome, margin: float = MAX_DROP) -> str | None:
    """Why `after` may not replace `before` on the same questions (fewer right or more wrong by more than margin
    of them), or None."""
    slack = margin * before.n
    if after.right < before.right - slack:
        return f"it answers {before.right - after.right} fewer dev questions right ({after.right} against {before.right})"
    if after.wrong > before.wrong + slack:
        return f"it answers {after.wrong - before.wrong} more dev questions wrong ({after.wrong} against {before.wrong})"
    return None
