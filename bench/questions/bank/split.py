"""Split the blind question bank into train / dev / sealed: python bench/questions/bank/split.py

Reads bench/questions/bank/raw/*.jsonl (what the writers wrote), keeps the items that pass
bench/questions/check_questions.py, and writes train.jsonl, dev.jsonl and sealed.jsonl beside this file:
- three reports drawn with a fixed seed (one text report, two PDFs) give all their questions to sealed;
- the other reports' questions are split by report section (doc + section, so paraphrases of one fact never
  straddle splits), sections shuffled with the same seed and dealt 60 / 20 / 20 by question count.
Round 2 replaces sealed with the questions of raw2/ (see main). Prints counts only: sealed is measured once, never
read item by item (bench/questions/README.md).
"""
from __future__ import annotations

import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from check_questions import check  # noqa: E402

SEED = 17
TEXTS = ("000_79d761e802c0c155.txt", "001_7318713557c0121f.txt", "002_7ea20709f1132c53.txt",
         "003_89f4975142656497.txt", "004_3abfec75a228cbda.txt", "gov_report_2024_state_council.txt",
         "gov_report_2026_guizhou.txt", "gov_report_2026_sichuan.txt", "gov_report_2026_zhejiang.txt")
PDFS = ("bond_2020_hunan_debt_use_table.pdf", "bond_2026_xiamen_special_refinancing_rating.pdf",
        "budget_2025_hohhot_newspaper.pdf", "budget_2025_qingdao.pdf", "gwr_2026_shenzhen_gazette.pdf",
        "lgfv_2025_liuzhou_longjian_rating.pdf", "stats_2023_qiandongnan.pdf", "stats_2025_xian.pdf")
SHARES = (("train", 0.6), ("dev", 0.2), ("sealed", 0.2))


def sealed_reports() -> tuple[str, ...]:
    rng = random.Random(SEED)
    return (rng.choice(TEXTS), *rng.sample(PDFS, 2))


def valid_items(raw: Path) -> list[dict]:
    out = []
    for f in sorted(raw.glob("*.jsonl")):
        errors, _ = check(str(f))
        bad = {e.split(" ", 1)[0] for e in errors}  # "path:line id: why"
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and f"{f}:{n}" not in bad:
                out.append(json.loads(line))
        print(f"{f.name}: {len(bad)} items fail the check and are left out", file=sys.stderr)
    return out


def split(items: list[dict], held: set[str] | None = None, shares=SHARES, seed: int = SEED) -> dict[str, list[dict]]:
    """The items of the held-out reports to sealed, the others' sections (doc + section) shuffled with the seed
    and dealt by question count in the given shares (train, dev, sealed)."""
    held = set(sealed_reports()) if held is None else held
    out: dict[str, list[dict]] = {name: [] for name, _ in shares}
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for it in items:
        if held & set(it["doc"]):
            out["sealed"].append(it)
        else:
            groups[(it["doc"][0], str(it.get("section", "")))].append(it)
    keys = sorted(groups)
    random.Random(seed).shuffle(keys)
    total = sum(len(groups[k]) for k in keys)
    dealt = 0
    for k in keys:
        share = dealt / max(total, 1)
        name = "train" if share < shares[0][1] else "dev" if share < shares[0][1] + shares[1][1] else "sealed"
        out[name] += groups[k]
        dealt += len(groups[k])
    return out


def write_splits(parts: dict[str, list[dict]], held: tuple[str, ...], folder: Path) -> None:
    """Each split as folder/<name>.jsonl; prints the held-out reports and the counts only."""
    print("sealed reports:", ", ".join(held))
    for name, items in parts.items():
        (folder / f"{name}.jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items),
                                              encoding="utf-8")
        cats = Counter(i["category"] for i in items)
        print(f"{name}: {len(items)} questions, {len({i['doc'][0] for i in items})} reports, "
              + ", ".join(f"{c} {n}" for c, n in sorted(cats.items())))


def main() -> None:
    """Round 2 (session 6): the first sealed split was measured in two rounds, so it is replaced. Its sections of
    the other reports join train (never read item by item; more real questions to fit on), its held-out reports'
    questions are retired (never read and never fitted on, as they are about the reports the new sealed asks
    about), and the new sealed is what raw2/ holds: questions written blind on the held-out reports only."""
    held = sealed_reports()
    parts = split(valid_items(HERE / "raw"), set(held))
    first = parts.pop("sealed")
    parts["train"] += [i for i in first if not set(held) & set(i["doc"])]
    parts["retired"] = [i for i in first if set(held) & set(i["doc"])]
    parts["sealed"] = valid_items(HERE / "raw2")
    write_splits(parts, held, HERE)


if __name__ == "__main__":
    main()
