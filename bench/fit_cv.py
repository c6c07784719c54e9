"""Cross-validated choices of the fitted decision, from labelled proposals (`kg fit --labels DIR` writes them):
grouped k-fold over the bank's real questions (train + dev; folds by report section, so paraphrases of one fact
never straddle folds), each fold answered by a model fitted on the others, then right / answered wrong at the
threshold that keeps answered-wrong at most 3% and 5%. Compares fitting on the real questions alone with adding
generated ones (labelled here with the engine, cached beside the labels) at weight 1 and 0.3, and, with
--by-report, leave-one-report-out at fixed thresholds (how the threshold chosen on dev holds on unseen reports).

    kg fit --kb KB bench/questions/bank/train.jsonl ... --dev bench/questions/bank/dev.jsonl --labels L
    python bench/synthetic_train.py --kb KB SYN.jsonl
    python bench/fit_cv.py L --kb KB --generated SYN.jsonl [--by-report]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.qa.decide.fit import Labelled, load_labels, save_labels  # noqa: E402


def _meta() -> dict[str, dict]:
    out = {}
    for f in ("bank/train.jsonl", "bank/dev.jsonl", "corpus_fresh.jsonl", "extra.jsonl", "realpdf.jsonl"):
        for line in (ROOT / "bench/questions" / f).read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            out[str(d["id"])] = d
    return out


def _bank_ids() -> set[str]:
    return {str(json.loads(x)["id"]) for f in ("train", "dev")
            for x in (ROOT / f"bench/questions/bank/{f}.jsonl").read_text(encoding="utf-8").splitlines()}


def _best(model_rows, questions: list[Labelled]):
    """(P, right) of each question's likeliest proposal under a fitted scikit-learn model, None without one."""
    import numpy as np
    from kg.qa.decide.features import FEATURES
    out = []
    for q in questions:
        if not q.rows:
            out.append(None)
            continue
        p = model_rows.predict_proba(np.array([[r.get(n, np.nan) for n in FEATURES] for r, _ in q.rows], float))[:, 1]
        j = int(np.argmax(p))
        out.append((float(p[j]), q.rows[j][1]))
    return out


def _fit(train: list[Labelled], weights: dict[str, float]):
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from kg.qa.decide.fit import _matrix
    x, y, w = _matrix(train, weights)
    x[:, np.isnan(x).all(axis=0)] = 0.0
    return HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, max_leaf_nodes=8, min_samples_leaf=20,
                                          l2_regularization=1.0, early_stopping=False, random_state=0).fit(x, y,
                                                                                                          sample_weight=w)


def _tally(questions, best, t: float) -> tuple[int, int]:
    right = sum(1 for q, b in zip(questions, best) if (b and b[0] >= t and b[1]) or (q.unanswerable and not (b and b[0] >= t)))
    wrong = sum(1 for b in best if b and b[0] >= t and not b[1])
    return right, wrong


def _at_cap(questions, best, cap: float) -> tuple[int, int, float]:
    top = (-1, 0, 1.0)
    for k in range(5, 100):
        t = k / 100
        r, w = _tally(questions, best, t)
        if w <= cap * len(questions) and r > top[0]:
            top = (r, w, t)
    return top


def grouped(real, others, group, weights=None, folds: int = 5):
    groups = sorted({group(q) for q in real})
    random.Random(0).shuffle(groups)
    fold = {g: i % folds for i, g in enumerate(groups)}
    best = [None] * len(real)
    for k in range(folds):
        model = _fit([q for q in real if fold[group(q)] != k] + others, weights or {})
        held = [i for i, q in enumerate(real) if fold[group(q)] == k]
        for i, b in zip(held, _best(model, [real[i] for i in held])):
            best[i] = b
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labels", help="the --labels folder of kg fit (train.jsonl, dev.jsonl)")
    ap.add_argument("--kb", help="knowledge base to label --generated with")
    ap.add_argument("--generated", help="generated questions (bench/synthetic_train.py) to compare with")
    ap.add_argument("--by-report", action="store_true", help="also leave-one-report-out at fixed thresholds")
    args = ap.parse_args()
    folder = Path(args.labels)
    meta, bank = _meta(), _bank_ids()
    labelled = load_labels(folder / "train.jsonl") + load_labels(folder / "dev.jsonl")
    real = [q for q in labelled if q.id in bank]
    older = [q for q in labelled if q.id not in bank]
    group = lambda q: (meta[q.id]["doc"][0], str(meta[q.id].get("section", "")))  # noqa: E731
    rows = [("real questions alone", grouped(real, older, group))]
    if args.generated:
        cached = folder / "generated.jsonl"
        if not cached.exists():
            from kg.config import Settings
            from kg.eval.qa import load_jsonl
            from kg.kb.store import KnowledgeBase
            from kg.qa.decide.fit import label
            from kg.service import open_qa
            with KnowledgeBase.open(args.kb) as kb:
                save_labels(label(load_jsonl(args.generated), open_qa(kb, Settings(kb=Path(args.kb)))), cached)
        gen = load_labels(cached)
        rows.append(("with the generated questions", grouped(real, older + gen, group)))
        rows.append(("with them weighted 0.3", grouped(real, older + gen, group, {q.id: 0.3 for q in gen})))
    print(f"{len(real)} real questions, {len(older)} of the older sets always fitted on; "
          f"grouped 5-fold by report section")
    for name, best in rows:
        (r3, w3, t3), (r5, w5, t5) = _at_cap(real, best, 0.03), _at_cap(real, best, 0.05)
        print(f"  {name:32s} at most 3% wrong: right {r3} ({r3 / len(real):.3f}), wrong {w3}, t={t3:.2f};"
              f"  at most 5%: right {r5} ({r5 / len(real):.3f}), wrong {w5}, t={t5:.2f}")
    if args.by_report:
        allq = real + older
        doc = lambda q: meta[q.id]["doc"][0]  # noqa: E731
        best = [None] * len(allq)
        for d in sorted({doc(q) for q in allq}):
            model = _fit([q for q in allq if doc(q) != d], {})
            held = [i for i, q in enumerate(allq) if doc(q) == d]
            for i, b in zip(held, _best(model, [allq[i] for i in held])):
                best[i] = b
        print(f"leave-one-report-out over {len(allq)} questions:")
        for t in (0.65, 0.70, 0.72, 0.75, 0.80, 0.85):
            r, w = _tally(allq, best, t)
            print(f"  t={t:.2f}: right {r} ({r / len(allq):.3f}), answered wrong {w} ({w / len(allq):.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
