"""Split the blind questions over ../shared/formats into train / dev / sealed: python bench/questions/formats/split.py

Reads bench/questions/formats/raw/*.jsonl (written by a helper who read only the ten reports in their published
formats, bench/questions/README.md), checks each item's fields and that its reference answer satisfies its own
accept and reject strings under the scorer's rules (evidence strings were checked by the writer against the text it
extracted; the reports are HTML, Word, Excel and scans, so there is no one plain text to check them against here),
and writes train.jsonl, dev.jsonl and sealed.jsonl beside this file:
- three reports drawn with a fixed seed (one web page, one Word or Excel file, one scan) give all their questions
  to sealed;
- the other reports' questions are split by report section (doc + section), sections shuffled with the same seed
  and dealt 50 / 25 / 25 by question count.
Prints counts only: sealed is measured once, never read item by item.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from check_questions import CATS, KEYS, MAX, TYPES, contains, norm  # noqa: E402


def _bank_split():
    """bench/questions/bank/split.py (a module of the same name as this one): the same dealing by section and the
    same writing of the splits."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("bank_split", HERE.parent / "bank" / "split.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SEED = 17
PAGES = ("html_2025_changde_budget.html", "html_2025_fuzhou_stats.html", "html_2025_hami_stats.html",
         "html_2025_yiyang_budget_gb2312.html")
OFFICE = ("docx_2025_chengde_budget.docx", "doc_2025_hotan_final_accounts.doc",
          "xlsx_2025_lijiang_budget_tables.xlsx", "xls_2024_changdu_debt.xls")
SCANS = ("scan_2025_zhangjiajie_stats.pdf", "scan_2026_zhuhai_huafa_rating_mixed.pdf")
SHARES = (("train", 0.5), ("dev", 0.25), ("sealed", 0.25))


def sealed_reports() -> tuple[str, ...]:
    rng = random.Random(SEED)
    return rng.choice(PAGES), rng.choice(OFFICE), rng.choice(SCANS)


def problems(item: dict) -> list[str]:
    out = [f"no {k}" for k in KEYS if k not in item]
    if out:
        return out
    if item["type"] not in TYPES or item["category"] not in CATS:
        out.append("unknown type or category")
    if item["type"] == "unanswerable":
        return out + (["an unanswerable item has accept strings"] if item["accept"] else [])
    hits = [contains(item["answer"], a) for a in item["accept"]]
    if not hits or not (all(hits) if item.get("match") == "all" else any(hits)):
        out.append("the reference answer misses its accept strings")
    if any(contains(item["answer"], r) for r in item.get("reject", [])):
        out.append("the reference answer holds a reject string")
    if len(norm(item["answer"])) > MAX.get(item["type"], 200) and item["type"] != "text":
        out.append("the reference answer is too long for its type")
    return out


def valid_items(raw: Path) -> list[dict]:
    out, ids = [], set()
    for f in sorted(raw.glob("*.jsonl")):
        bad = 0
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if problems(item) or item["id"] in ids:
                bad += 1
                continue
            ids.add(item["id"])
            out.append(item)
        print(f"{f.name}: {bad} items fail the check and are left out", file=sys.stderr)
    return out


def main() -> None:
    bank = _bank_split()
    bank.write_splits(bank.split(valid_items(HERE / "raw"), set(sealed_reports()), SHARES, SEED), sealed_reports(), HERE)


if __name__ == "__main__":
    main()
