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

from kg.qa.decide.fit import Labelled, load_labels, outcome_at, save_labels, threshold_for  # noqa: E402


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


def held_out(questions: list[Labelled], fold_of, fitted_on: list[Labelled], weights=None):
    """Each question's likeliest proposal (P, right) under the shipped learner (kg fit's fit_trees) fitted on the
    other folds' questions plus fitted_on."""
    from kg.qa.decide.fit import fit_trees, out_of_fold
    return out_of_fold(questions, fold_of, lambda qs, w: fit_trees(qs, weights=w), fitted_on, weights)


def grouped(real, others, group, weights=None, folds: int = 5):
    groups = sorted({group(q) for q in real})
    random.Random(0).shuffle(groups)
    fold = {g: i % folds for i, g in enumerate(groups)}
    return held_out(real, lambda q: fold[group(q)], others, weights)


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
        line = []
        for cap in (0.03, 0.05):
            t = threshold_for(real, best, cap)
            o = outcome_at(real, best, t)
            line.append(f"at most {cap:.0%} wrong: right {o.right} ({o.right / o.n:.3f}), wrong {o.wrong}, t={t:.2f}")
        print(f"  {name:32s} " + ";  ".join(line))
    if args.by_report:
        allq = real + older
        best = held_out(allq, lambda q: meta[q.id]["doc"][0], [])
        print(f"leave-one-report-out over {len(allq)} questions:")
        for t in (0.65, 0.70, 0.72, 0.75, 0.80, 0.85):
            o = outcome_at(allq, best, t)
            print(f"  t={t:.2f}: right {o.right} ({o.right / o.n:.3f}), answered wrong {o.wrong} "
                  f"({o.wrong / o.n:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
