"""Fitting the decision: label every proposal of every question (right by the scorer's rules or not), fit a
logistic regression on the train questions, and choose the threshold on dev for a ceiling on answered-wrong.

scikit-learn's LogisticRegression does the fit: maintained, already installed with sentence-transformers, and a
linear model on ~60 named features needs no more (its weights can be read; the file is a few KB and is applied
with plain Python at answer time, so answering never imports scikit-learn)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from kg.qa.decide.features import FEATURES
from kg.qa.decide.model import DecisionModel


@dataclass(frozen=True, slots=True)
class Labelled:
    """One question's proposals with their features and whether each is right."""

    id: str
    unanswerable: bool
    rows: tuple[tuple[dict, bool], ...]


def judge(record: dict, text: str) -> bool:
    """Right by the rules of shared/eval/score.py, for an answer that was given (not abstained)."""
    from kg.eval.qa import MAX_ANSWER, contains, norm
    if record["type"] == "unanswerable":
        return False
    hits = [contains(text, x) for x in record["accept"]]
    if any(contains(text, x) for x in record.get("reject", [])) or len(norm(text)) > MAX_ANSWER.get(record["type"], 200):
        return False
    return bool(hits) and (all(hits) if record.get("match") == "all" else any(hits))


def label(records: Sequence[dict], ctx, progress: Callable[[int], None] | None = None) -> list[Labelled]:
    """Every proposal the engine makes for each question, labelled."""
    from kg.qa.decide import proposals
    out = []
    for i, r in enumerate(records):
        _, props = proposals(r["question"], ctx)
        rows = tuple((p.row, judge(r, p.draft.answer.text)) for p in props)
        out.append(Labelled(str(r["id"]), r["type"] == "unanswerable", rows))
        if progress:
            progress(i + 1)
    return out


def fit(train: Iterable[Labelled], c: float = 1.0, info: dict | None = None) -> DecisionModel:
    """Standardised logistic regression (L2, strength 1/c) on every labelled proposal; threshold 0.5 until
    choose_threshold sets it on dev."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    rows = [(r, y) for q in train for r, y in q.rows]
    if len({y for _, y in rows}) < 2:
        from kg.errors import UsageError
        raise UsageError("the training questions give no right (or no wrong) proposal: give more questions")
    x = np.array([[r.get(n, np.nan) for n in FEATURES] for r, _ in rows], dtype=float)
    y = np.array([y for _, y in rows], dtype=int)
    seen = ~np.isnan(x)  # a feature a row lacks takes the mean of the rows that have it, as p_right reads it
    mean = np.where(seen.any(axis=0), np.where(seen, x, 0.0).sum(axis=0) / np.maximum(seen.sum(axis=0), 1), 0.0)
    x = np.where(np.isnan(x), mean, x)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    meta = {"fitted": _dt.date.today().isoformat(), "proposals": str(len(rows)), **(info or {})}
    return DecisionModel(FEATURES, tuple(float(v) for v in mean), tuple(float(v) for v in scale),
                         tuple(float(v) for v in lr.coef_[0]), float(lr.intercept_[0]), 0.5,
                         tuple(sorted((k, str(v)) for k, v in meta.items())))


@dataclass(frozen=True, slots=True)
class Outcome:
    n: int
    right: int
    wrong: int
    not_found: int

    def line(self) -> str:
        n = max(self.n, 1)
        return (f"right {self.right / n:.3f} ({self.right}/{self.n}), answered but wrong {self.wrong} "
                f"({self.wrong / n:.1%}), wrongly not found {self.not_found}")


def outcome(model: DecisionModel | None, questions: Sequence[Labelled], threshold: float | None = None) -> Outcome:
    """What answering these questions gives: the likeliest proposal when it clears the threshold. model None:
    the rules alone (their own answer when they give one, else abstain)."""
    right = wrong = not_found = 0
    for q in questions:
        if model is None:
            pick = next(((r, y) for r, y in q.rows if r["origin_rules"]), None)
        else:
            t = model.threshold if threshold is None else threshold
            best = max(q.rows, key=lambda ry: model.p_right(ry[0]), default=None)
            pick = best if best is not None and model.p_right(best[0]) >= t else None
        if pick is None:
            right += q.unanswerable
            not_found += not q.unanswerable
        elif pick[1]:
            right += 1
        else:
            wrong += 1
    return Outcome(len(questions), right, wrong, not_found)


def choose_threshold(model: DecisionModel, dev: Sequence[Labelled], max_wrong: float = 0.03) -> float:
    """The threshold that answers most right on dev with at most max_wrong of its questions answered wrong
    (ties: the lower threshold, which answers more)."""
    import numpy as np
    best_t, best_right = 1.0, -1
    for t in np.round(np.arange(0.05, 1.0, 0.01), 2):
        o = outcome(model, dev, float(t))
        if o.wrong <= max_wrong * o.n and o.right > best_right:
            best_t, best_right = float(t), o.right
    return best_t


def calibration(model: DecisionModel, questions: Sequence[Labelled],
                bins: int = 10) -> list[tuple[str, int, float, float]]:
    """Predicted against observed, by P(right) decile of each question's likeliest proposal: (range, n, mean
    predicted, share right). An unanswerable question's proposal is never right."""
    best = [max(q.rows, key=lambda ry: model.p_right(ry[0])) for q in questions if q.rows]
    pairs = [(model.p_right(r), y) for r, y in best]
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        got = [(p, y) for p, y in pairs if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if got:
            n = len(got)
            out.append((f"{lo:.1f}-{hi:.1f}", n, sum(p for p, _ in got) / n, sum(y for _, y in got) / n))
    return out
