"""Fitting the decision: label every proposal of every question (right by the scorer's rules or not), fit P(right)
on the train questions, and choose the threshold on dev for a ceiling on answered-wrong.

scikit-learn does the fit (maintained, already installed with sentence-transformers): LogisticRegression (its
weights can be read, the file is a few KB) or HistGradientBoostingClassifier, whose trees catch what a linear model
cannot: a feature that matters only for one kind of question or proposal (a value ranked second is likely right only
when its factors beat the first's), and missing features handled natively. Either is applied with plain Python at
answer time (kg.qa.decide.model), so answering never imports scikit-learn."""
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


def _matrix(train: Iterable[Labelled], weights: dict[str, float] | None = None):
    """Every labelled proposal as a row of FEATURES (a feature a row lacks as NaN), its label and its weight (its
    question's in weights, else 1); UsageError when the labels are all one."""
    import numpy as np
    weights = weights or {}
    rows = [(r, y, weights.get(q.id, 1.0)) for q in train for r, y in q.rows]
    if len({y for _, y, _ in rows}) < 2:
        from kg.errors import UsageError
        raise UsageError("the training questions give no right (or no wrong) proposal: give more questions")
    x = np.array([[r.get(n, np.nan) for n in FEATURES] for r, _, _ in rows], dtype=float)
    return x, np.array([y for _, y, _ in rows], dtype=int), np.array([w for *_, w in rows], dtype=float)


def _info(n: int, info: dict | None, **more: str) -> tuple[tuple[str, str], ...]:
    meta = {"fitted": _dt.date.today().isoformat(), "proposals": str(n), **more, **(info or {})}
    return tuple(sorted((k, str(v)) for k, v in meta.items()))


def fit(train: Iterable[Labelled], c: float = 1.0, info: dict | None = None,
        weights: dict[str, float] | None = None) -> DecisionModel:
    """Standardised logistic regression (L2, strength 1/c) on every labelled proposal; threshold 0.5 until
    choose_threshold sets it on dev."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    x, y, w = _matrix(train, weights)
    seen = ~np.isnan(x)  # a feature a row lacks takes the mean of the rows that have it, as p_right reads it
    mean = np.where(seen.any(axis=0), np.where(seen, x, 0.0).sum(axis=0) / np.maximum(seen.sum(axis=0), 1), 0.0)
    x = np.where(np.isnan(x), mean, x)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y, sample_weight=w)
    return DecisionModel(FEATURES, tuple(float(v) for v in mean), tuple(float(v) for v in scale),
                         tuple(float(v) for v in lr.coef_[0]), float(lr.intercept_[0]), 0.5, _info(len(y), info))


def fit_trees(train: Iterable[Labelled], info: dict | None = None, trees: int = 150, leaves: int = 8,
              rate: float = 0.05, min_leaf: int = 20, weights: dict[str, float] | None = None) -> DecisionModel:
    """Gradient-boosted trees (log loss) on every labelled proposal, missing features left missing; threshold 0.5
    until choose_threshold sets it on dev. Defaults: small trees, slow learning, leaves of at least 20 proposals,
    so that a handful of questions cannot carve a leaf of their own. (Showing every fourth training question
    without its dense similarity, to teach the trees what a missing one means, gave 7 right fewer on dev, 128
    against 135 of 457 with the same wrong, and the fitted trees give the same dev outcome with it or without it.)"""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    x, y, w = _matrix(train, weights)
    x[:, np.isnan(x).all(axis=0)] = 0.0  # a feature no row has (dense_sim of a BM25-only base): constant, unused
    gb = HistGradientBoostingClassifier(max_iter=trees, learning_rate=rate, max_leaf_nodes=leaves,
                                        min_samples_leaf=min_leaf, l2_regularization=1.0, early_stopping=False,
                                        random_state=0).fit(x, y, sample_weight=w)
    out = []
    for (predictor,) in gb._predictors:  # one tree per round for a binary target
        out.append(tuple((-1 if n["is_leaf"] else int(n["feature_idx"]), float(n["num_threshold"]),
                          bool(n["missing_go_to_left"]), int(n["left"]), int(n["right"]), float(n["value"]))
                         for n in predictor.nodes))
    zeros = tuple(0.0 for _ in FEATURES)
    model = DecisionModel(FEATURES, zeros, tuple(1.0 for _ in FEATURES), zeros,
                          float(np.ravel(gb._baseline_prediction)[0]), 0.5,
                          _info(len(y), info, model=f"gradient-boosted trees ({trees} trees, {leaves} leaves, "
                                                      f"rate {rate}, min leaf {min_leaf})"), tuple(out))
    check = gb.predict_proba(x[:50])[:, 1]  # the plain-Python reading must be sklearn's
    mine = [model.p_right({n: v for n, v in zip(FEATURES, row) if not np.isnan(v)}) for row in x[:50]]
    assert np.allclose(check, mine, atol=1e-6), "tree export disagrees with scikit-learn"
    return model


def save_labels(questions: Sequence[Labelled], path) -> None:
    """Labelled proposals as JSON Lines, to refit without running the engine again (kg fit --labels)."""
    import json
    from pathlib import Path
    with Path(path).open("w", encoding="utf-8") as fh:
        for q in questions:
            fh.write(json.dumps({"id": q.id, "unanswerable": q.unanswerable,
                                 "rows": [[r, y] for r, y in q.rows]}, ensure_ascii=False) + "\n")


def load_labels(path) -> list[Labelled]:
    import json
    from pathlib import Path
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        out.append(Labelled(d["id"], d["unanswerable"], tuple((r, bool(y)) for r, y in d["rows"])))
    return out


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


def likeliest(model: DecisionModel, questions: Sequence[Labelled]) -> list[tuple[float, bool] | None]:
    """Per question, the P(right) of its likeliest proposal and whether that proposal is right (None: none)."""
    out = []
    for q in questions:
        scored = [(model.p_right(r), y) for r, y in q.rows]
        out.append(max(scored, key=lambda py: py[0], default=None))
    return out


def _tally(questions: Sequence[Labelled], picks) -> Outcome:
    right = wrong = not_found = 0
    for q, pick in zip(questions, picks):
        if pick is None:
            right += q.unanswerable
            not_found += not q.unanswerable
        elif pick:
            right += 1
        else:
            wrong += 1
    return Outcome(len(questions), right, wrong, not_found)


def outcome(model: DecisionModel | None, questions: Sequence[Labelled], threshold: float | None = None) -> Outcome:
    """What answering these questions gives: the likeliest proposal when it clears the threshold. model None:
    the rules alone (their own answer when they give one, else abstain)."""
    if model is None:
        return _tally(questions, [next((y for r, y in q.rows if r["origin_rules"]), None) for q in questions])
    t = model.threshold if threshold is None else threshold
    return outcome_at(questions, likeliest(model, questions), t)


def out_of_fold(questions: Sequence[Labelled], fold_of: Callable[[Labelled], object],
                fit: Callable[[list[Labelled], dict[str, float]], DecisionModel], also: Sequence[Labelled] = (),
                weights: dict[str, float] | None = None) -> list[tuple[float, bool] | None]:
    """likeliest() of each question under a model fitted (fit(questions, weights)) on the other folds' questions
    plus `also`: how the fit does on questions it has not seen."""
    best: list[tuple[float, bool] | None] = [None] * len(questions)
    for k in dict.fromkeys(fold_of(q) for q in questions):
        held = [i for i, q in enumerate(questions) if fold_of(q) == k]
        model = fit([q for q in questions if fold_of(q) != k] + list(also), weights or {})
        for i, b in zip(held, likeliest(model, [questions[i] for i in held])):
            best[i] = b
    return best


def outcome_at(questions: Sequence[Labelled], best, threshold: float) -> Outcome:
    """What answering gives when each question's likeliest proposal (best: likeliest()'s list, from one model or
    several) is answered if it clears the threshold."""
    return _tally(questions, [b[1] if b is not None and b[0] >= threshold else None for b in best])


def choose_threshold(model: DecisionModel, dev: Sequence[Labelled], max_wrong: float = 0.03) -> float:
    """The threshold that answers most right on dev with at most max_wrong of its questions answered wrong
    (ties: the lower threshold, which answers more)."""
    return threshold_for(dev, likeliest(model, dev), max_wrong)


def threshold_for(questions: Sequence[Labelled], best, max_wrong: float) -> float:
    """choose_threshold over likeliest()'s list: P(right) computed once per question, then every threshold."""
    import numpy as np
    best_t, best_right = 1.0, -1
    for t in np.round(np.arange(0.05, 1.0, 0.01), 2):
        o = outcome_at(questions, best, float(t))
        if o.wrong <= max_wrong * o.n and o.right > best_right:
            best_t, best_right = float(t), o.right
    return best_t


def calibration(model: DecisionModel, questions: Sequence[Labelled],
                bins: int = 10) -> list[tuple[str, int, float, float]]:
    """Predicted against observed, by P(right) decile of each question's likeliest proposal: (range, n, mean
    predicted, share right). An unanswerable question's proposal is never right."""
    pairs = [b for b in likeliest(model, questions) if b is not None]
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        got = [(p, y) for p, y in pairs if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if got:
            n = len(got)
            out.append((f"{lo:.1f}-{hi:.1f}", n, sum(p for p, _ in got) / n, sum(y for _, y in got) / n))
    return out
