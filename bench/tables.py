"""Cell accuracy of table extraction against hand-checked cells of real published files.

usage: .venv/bin/python bench/tables.py [--files SUBSTR ...] [--skip-ocr] [--show N] [--shared DIR]

Expectations are tests/data/cells/<file-stem>.jsonl, one cell a line: file (relative to ../shared),
page (PDFs), table (caption or title as published), row (row label path), col (column header path),
value (as displayed), unit, and how it was checked (verified; sheet for workbooks). Cells were sampled with
a seed (tables first, then cells) from the published file, not from our output; a row label and column that
occur twice in one table were left out as ambiguous. Files with no tables have no expectations:
realpdf gwr_2026_shenzhen_gazette and budget_2025_hohhot_newspaper, the four extra/pdf work reports, and
formats html_2025_yiyang_budget_gb2312. Each file is ingested (build_document + find_tables; the scans run OCR and
take minutes: --skip-ocr leaves them out, --files picks files by a substring of their name) and every
expected cell is sorted into one of:
  right         a cell in a table whose caption matches, row path ending with the row label (or holding it
                as one element; 其中：/# markers ignored), column path
                containing the column's last header, and the same value (NFKC, no spaces or thousands separators)
  wrong value   that row and column found, but with another value
  wrong header  the value found in a matching table on that row under another column, or in that column
                on another row
  not found     none of these (`other table` counts those found right in a table whose caption does not match)
Prints a line per file and a total; --show N prints up to N misses per file. Caches nothing; exits 0.
"""
from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CELLS = ROOT / "tests" / "data" / "cells"
OUTCOMES = ("right", "wrong value", "wrong header", "not found")


def norm_text(s: str) -> str:
    """NFKC with all whitespace removed: labels are letter-spaced and wrapped in the sources."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def norm_value(s: str) -> str:
    """A displayed value compared as text: NFKC, no whitespace, no thousands separators, one minus sign."""
    v = norm_text(s).replace("−", "-").replace("–", "-")
    return re.sub(r"(?<=\d),(?=\d{3}(?:\D|$))", "", v)


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"^(附表|表)[\d一二三四五六七八九十]+", "", norm_text(s))
    s = re.sub(r"[^\w%]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def title_matches(expected: str, table_text: str, threshold: float = 0.6) -> bool:
    """Loose caption match: most of the expected title's character pairs appear in the table's caption text."""
    want = _bigrams(expected)
    if not want:
        return True
    have = _bigrams(table_text)
    return len(want & have) / len(want) >= threshold


def _table_text(t) -> str:
    return " ".join([t.caption, t.label, " ".join(t.section)])


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: str  # one of OUTCOMES
    got: str = ""  # what was found where the expected cell should be, for --show
    other_table: bool = False  # found right, but in a table whose caption does not match


def norm_label(s: str) -> str:
    """A row label without the markers tables put before sub-items (其中：, #, ＃), which extractors may drop."""
    return re.sub(r"^(其中[:：]?|#)+", "", norm_text(s))


def _row_ok(cell, row: list[str]) -> bool:
    """The row path ends with the expected label, or holds it as one element (a 单位 or 类型 column after the
    name is kept in the row path by the extractor, which is not a wrong row)."""
    if not row:
        return False
    want = norm_label(row[-1])
    parts = [norm_label(h) for h in cell.row_header]
    return norm_label("".join(cell.row_header)).endswith(want) or want in parts


def _col_ok(cell, col: list[str]) -> bool:
    return not col or norm_text(col[-1]) in norm_text("".join(cell.col_header))


def judge(expected: dict, tables) -> Verdict:
    """Sort one expected cell into an outcome against the extracted tables (pure: testable on hand-made tables)."""
    value = norm_value(expected["value"])
    matching = [t for t in tables if title_matches(expected.get("table", ""), _table_text(t))]
    cells = [c for t in matching for c in t.cells]
    hits = [c for c in cells if _row_ok(c, expected["row"]) and _col_ok(c, expected["col"])]
    if any(norm_value(c.value) == value for c in hits):
        return Verdict("right")
    if hits:
        return Verdict("wrong value", got=hits[0].value)
    near = [c for c in cells if norm_value(c.value) == value
            and (_row_ok(c, expected["row"]) or _col_ok(c, expected["col"]))]
    if near:
        c = near[0]
        return Verdict("wrong header", got=f"{'/'.join(c.row_header)} × {'/'.join(c.col_header)}")
    elsewhere = any(norm_value(c.value) == value and _row_ok(c, expected["row"]) and _col_ok(c, expected["col"])
                    for t in tables if t not in matching for c in t.cells)
    return Verdict("not found", other_table=elsewhere)


def load_expectations(folder: Path = CELLS) -> dict[str, list[dict]]:
    """Expected cells by file (as named relative to ../shared), in file order."""
    out: dict[str, list[dict]] = {}
    for p in sorted(folder.glob("*.jsonl")):
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                out.setdefault(rec["file"], []).append(rec)
    return out


def _extract(path: Path):
    from ingest.document import build_document
    from ingest.tables import find_tables

    doc = build_document(path)
    return find_tables(doc.text, doc.id)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", nargs="*", default=[], help="only files whose name contains one of these")
    ap.add_argument("--skip-ocr", action="store_true", help="leave out the scanned PDFs (OCR takes minutes)")
    ap.add_argument("--show", type=int, default=0, help="print up to N misses per file")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="folder the files are named from")
    args = ap.parse_args(argv)
    logging.disable(logging.WARNING)  # pdfminer warns about every broken font descriptor

    expected = load_expectations()
    names = [n for n in expected if (not args.files or any(s in n for s in args.files))
             and not (args.skip_ocr and Path(n).name.startswith("scan_"))]
    print(f"{'file':58} {'cells':>5} {'right':>5} {'wrongv':>6} {'wrongh':>6} {'nofind':>6} {'othtab':>6} "
          f"{'acc':>6} {'sec':>6}")
    total = dict.fromkeys(OUTCOMES, 0)
    for name in names:
        path = args.shared / name
        if not path.exists():
            print(f"{name:58} missing: {path}")
            continue
        t0 = time.perf_counter()
        try:
            tables = _extract(path)
        except Exception as e:  # a file that fails to ingest counts as all cells not found
            print(f"{name:58} ingest failed: {type(e).__name__}: {e}")
            tables = ()
        secs = time.perf_counter() - t0
        verdicts = [(rec, judge(rec, tables)) for rec in expected[name]]
        counts = {o: sum(v.outcome == o for _, v in verdicts) for o in OUTCOMES}
        other = sum(v.other_table for _, v in verdicts)
        for o in OUTCOMES:
            total[o] += counts[o]
        n = len(verdicts)
        print(f"{name:58} {n:5} {counts['right']:5} {counts['wrong value']:6} {counts['wrong header']:6} "
              f"{counts['not found']:6} {other:6} {counts['right'] / n:6.2f} {secs:6.1f}")
        misses = [(r, v) for r, v in verdicts if v.outcome != "right"][:args.show]
        for r, v in misses:
            print(f"    {v.outcome}{' (other table)' if v.other_table else ''}: {r['table']} | "
                  f"{'/'.join(r['row'])} × {'/'.join(r['col'])} = {r['value']}" + (f"  got {v.got}" if v.got else ""))
    n = sum(total.values())
    if n:
        print(f"{'TOTAL':58} {n:5} {total['right']:5} {total['wrong value']:6} {total['wrong header']:6} "
              f"{total['not found']:6} {'':6} {total['right'] / n:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
