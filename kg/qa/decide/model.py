"""The fitted decision: P(right) of a proposed answer from its features (a logistic regression, or gradient-boosted
trees), and the threshold below which the engine abstains. Stored as JSON beside the code; `kg fit` rebuilds it.
Both are applied in plain Python, so answering never imports scikit-learn."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.qa.decide.features import FEATURES

MODEL_FILE = Path(__file__).with_name("model.json")


@dataclass(frozen=True, slots=True)
class DecisionModel:
    """Standardised logistic regression over named features, or (trees given) gradient-boosted trees over the raw
    features whose raw scores add to baseline; threshold: answer when P(right) >= it."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    info: tuple[tuple[str, str], ...] = ()  # what it was fitted on, when, and its figures on dev
    # each tree a tuple of nodes (feature index or -1 for a leaf, threshold, missing goes left, left, right, value)
    trees: tuple[tuple[tuple[int, float, bool, int, int, float], ...], ...] = ()

    def __post_init__(self) -> None:
        n = len(self.names)
        if not (len(self.mean) == len(self.scale) == len(self.coef) == n):
            raise ValueError("decision model: names, mean, scale and coef differ in length")
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"decision model: threshold {self.threshold} is not a probability")

    @property
    def kind(self) -> str:
        return "trees" if self.trees else "logistic"

    def p_right(self, row: dict[str, float]) -> float:
        """P(right). Logistic: a feature the row lacks (no vectors: dense_sim) counts as its training mean.
        Trees: it goes the way the fit sent missing values."""
        z = self.intercept
        if self.trees:
            x = [row.get(name) for name in self.names]
            for nodes in self.trees:
                i = 0
                while nodes[i][0] >= 0:
                    feature, threshold, missing_left, left, right, _ = nodes[i]
                    v = x[feature]
                    i = (left if missing_left else right) if v is None else (left if v <= threshold else right)
                z += nodes[i][5]
        else:
            for name, m, s, w in zip(self.names, self.mean, self.scale, self.coef):
                z += w * (row.get(name, m) - m) / s
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def to_json(self) -> str:
        d = {"kind": self.kind, "names": self.names, "mean": self.mean, "scale": self.scale, "coef": self.coef,
             "intercept": self.intercept, "threshold": self.threshold, "info": dict(self.info)}
        if self.trees:
            d["trees"] = [[[f, round(t, 6), int(m), l, r, round(v, 6)] for f, t, m, l, r, v in nodes]
                          for nodes in self.trees]
            return json.dumps(d, ensure_ascii=False, separators=(",", ":"))
        return json.dumps(d, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "DecisionModel":
        d = json.loads(text)
        trees = tuple(tuple((int(f), float(t), bool(m), int(l), int(r), float(v)) for f, t, m, l, r, v in nodes)
                      for nodes in d.get("trees", ()))
        return cls(tuple(d["names"]), tuple(d["mean"]), tuple(d["scale"]), tuple(d["coef"]), float(d["intercept"]),
                   float(d["threshold"]), tuple(sorted((str(k), str(v)) for k, v in d.get("info", {}).items())),
                   trees)


@lru_cache(maxsize=4)
def load_model(path: str = str(MODEL_FILE)) -> DecisionModel | None:
    """The installed model, or None when there is none (the rules' own answer stands). A model that names
    features this code does not compute is an error that says to refit it."""
    p = Path(path)
    if not p.exists():
        return None
    model = DecisionModel.from_json(p.read_text(encoding="utf-8"))
    if unknown := sorted(set(model.names) - set(FEATURES)):
        from kg.errors import ModelError
        raise ModelError(f"{p}: the decision model names features this version does not compute "
                         f"({', '.join(unknown[:3])}): rebuild it with `kg fit`")
    return model
