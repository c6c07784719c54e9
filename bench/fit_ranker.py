"""Fit the ranking factors' weights on questions generated from a knowledge base's own figures.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/fit_ranker.py --kb DIR [--limit 60] [--l2 1.0]

Generates questions with `kg eval --synthetic --write` (fit and holdout split by a hash of the fact), reads
every candidate's factors (kg.qa.find.match.factors) and which candidate is the fact asked about, and fits one
exponent per factor by maximising the softmax likelihood of that candidate over the others of its question
(log-linear: score = prod(factor ** weight); all weights 1.0 is the plain product), with an L2 pull towards 1.
Prints top-1 accuracy on both splits before and after, and the weights to put in kg/qa/find/weights.py.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate(kb: Path, limit: int, out: Path) -> list[dict]:
    subprocess.run([sys.executable, "-m", "kg.cli", "eval", "--kb", str(kb), "--no-dense", "--synthetic",
                    "--limit", str(limit), "--write", str(out), "--no-answer"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if x.strip()]


def features(kb: Path, questions: list[dict]) -> list[tuple[str, np.ndarray, int]]:
    """(split, log-factor matrix of the question's candidates, index of the asked fact's candidate)."""
    from kg.config import Settings
    from kg.kb.store import KnowledgeBase
    from kg.qa.find.gather import candidates, table_labels
    from kg.qa.read.ground import ground
    from kg.qa.find.match import FACTORS, factors, table_facets
    from kg.qa.read.question import analyse
    from kg.service import open_qa
    out = []
    with KnowledgeBase.open(kb) as base:
        ctx = open_qa(base, Settings(kb=kb, dense=False))
        labels = table_labels(ctx)
        for rec in questions:
            if rec["type"] != "number":
                continue
            q = ground(analyse(rec["question"], ctx.gazetteer), ctx)
            if q.op or q.asks:
                continue
            pool, _ = candidates(ctx, q)
            facets = table_facets(pool)
            rows, gold, seen = [], -1, set()
            for c in pool:
                key = (c.doc_id, *c.value_span)
                if key in seen:
                    continue
                seen.add(key)
                f = factors(q, c, facets.get(c.table_id or ""), labels)
                if f is None or min(f.values()) <= 0:
                    continue
                if c.as_figure().id == rec["fact"]:
                    gold = len(rows)
                rows.append([np.log(f[n]) for n in FACTORS])
            if gold >= 0 and len(rows) > 1:
                out.append((rec["split"], np.array(rows), gold))
    return out


def top1(data, w: np.ndarray, split: str) -> tuple[int, int]:
    got = [int(np.argmax(x @ w) == g) for s, x, g in data if s == split]
    return sum(got), len(got)


def fit(data, n: int, l2: float, steps: int = 400, lr: float = 0.05) -> np.ndarray:
    w = np.ones(n)
    train = [(x, g) for s, x, g in data if s == "fit"]
    for _ in range(steps):
        grad = -l2 * (w - 1.0)
        for x, g in train:
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            grad += x[g] - p @ x
        w += lr * grad / len(train)
    return w


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kb", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=60, help="generated questions per document")
    ap.add_argument("--l2", type=float, default=1.0, help="pull of each weight towards 1.0")
    a = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from kg.qa.find.match import FACTORS
    with tempfile.TemporaryDirectory() as tmp:
        questions = generate(a.kb, a.limit, Path(tmp) / "q.jsonl")
    data = features(a.kb, questions)
    ones = np.ones(len(FACTORS))
    w = fit(data, len(FACTORS), a.l2)
    for split in ("fit", "holdout"):
        (b, n), (f, _) = top1(data, ones, split), top1(data, w, split)
        print(f"{split:8} top-1 {b}/{n} = {b / max(n, 1):.3f} with all weights 1.0, {f}/{n} = {f / max(n, 1):.3f} fitted")
    print("WEIGHTS = {" + ", ".join(f'"{k}": {v:.2f}' for k, v in zip(FACTORS, w)) + "}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
