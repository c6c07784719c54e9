"""The golden parses: every question of the question files below read by kg.qa.read.question.analyse, kept as JSON
lines (tests/golden/parses.jsonl) so that every change to the parser shows up as a reviewable diff.

    .venv/bin/python tests/golden/parses.py        # rewrite the golden file after a deliberate change
"""
from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("parses.jsonl")
# read sets only: the bank's train and dev splits and the sets read while tuning (never the sealed split)
SOURCES = ("bench/questions/bank/train.jsonl", "bench/questions/bank/dev.jsonl", "bench/questions/corpus_fresh.jsonl",
           "bench/questions/extra.jsonl", "bench/questions/realpdf.jsonl")


def _lean(v):
    """Empty and default fields out, so a record shows what the parser found."""
    if isinstance(v, dict):
        return {k: _lean(x) for k, x in v.items() if x not in ((), [], "", None, False, {}) and k != "text"}
    if isinstance(v, (list, tuple)):
        return [_lean(x) for x in v]
    return v


def parse_record(question: str, gazetteer) -> dict:
    from kg.qa.read.question import analyse
    return {"question": question, "parse": _lean(asdict(analyse(question, gazetteer)))}


def questions() -> list[str]:
    out: list[str] = []
    for rel in SOURCES:
        p = ROOT / rel
        if p.exists():
            out += [json.loads(x)["question"] for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
    return list(dict.fromkeys(out))


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from kg.extract.gazetteer import load_gazetteer
    gaz = load_gazetteer()
    lines = [json.dumps(parse_record(q, gaz), ensure_ascii=False, sort_keys=True) for q in questions()]
    GOLDEN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} parses to {GOLDEN}")


if __name__ == "__main__":
    main()
