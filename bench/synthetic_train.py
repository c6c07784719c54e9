"""Generated training questions for `kg fit`: python bench/synthetic_train.py --kb KB OUT.jsonl

Generates questions from the knowledge base's own facts twice (`kg eval --synthetic`: 40 a report with seed 0 and
60 a report with seed 1, an unanswerable twin for every third), drops every question about a report the blind
bank holds out for `sealed` (bench/questions/bank/split.py), and one of each repeated question, and writes the rest
with ids made unique. The shipped decision (kg/qa/decide/model.json) was fitted with this file (1,874 questions from
the 17-report knowledge base) beside the bank's train split and the older sets:

    kg fit --kb KB bench/questions/bank/train.jsonl bench/questions/corpus_fresh.jsonl \\
        bench/questions/extra.jsonl bench/questions/realpdf.jsonl OUT.jsonl --dev bench/questions/bank/dev.jsonl
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "questions" / "bank"))
sys.path.insert(0, str(HERE.parent))

RUNS = (("0", "40"), ("1", "60"))  # (seed, questions per report)


def main() -> int:
    from kg.cli.main import main as kg
    from split import sealed_reports  # noqa: E402 - bench/questions/bank/split.py
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", required=True)
    ap.add_argument("out")
    args = ap.parse_args()
    held = set(sealed_reports())
    out, seen = [], set()
    with tempfile.TemporaryDirectory() as tmp:
        for seed, limit in RUNS:
            path = Path(tmp) / f"syn-{seed}.jsonl"
            code = kg(["eval", "--kb", args.kb, "--synthetic", "--limit", limit, "--seed", seed, "--twins", "3",
                       "--write", str(path), "--no-answer"])
            if code:
                return code
            for line in path.read_text(encoding="utf-8").splitlines():
                r = json.loads(line)
                if held & set(r["doc"]) or r["question"] in seen:
                    continue
                seen.add(r["question"])
                out.append({**r, "id": f"syn{seed}-{r['id']}"})
    Path(args.out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8")
    print(f"{len(out)} questions written to {args.out} (reports held out for sealed: {', '.join(sorted(held))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
