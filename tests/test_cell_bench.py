"""The cell-accuracy expectations are well-formed, and bench/tables.py judges cells as documented."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from kg.types import Cell, Table

ROOT = Path(__file__).resolve().parents[1]
CELLS = ROOT / "tests" / "data" / "cells"
SHARED = ROOT.parent / "shared"
FIELDS = {"file": str, "table": str, "row": list, "col": list, "value": str, "unit": str}


def _bench():
    spec = importlib.util.spec_from_file_location("bench_tables", ROOT / "bench" / "tables.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while the class is built
    spec.loader.exec_module(mod)
    return mod


def _records() -> list[tuple[str, int, dict]]:
    out = []
    for p in sorted(CELLS.glob("*.jsonl")):
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                out.append((p.name, i, json.loads(line)))
    return out


def test_expectation_files_are_well_formed():
    recs = _records()
    assert recs, f"no expectations in {CELLS}"
    for name, i, r in recs:
        where = f"{name}:{i}"
        for field, kind in FIELDS.items():
            assert isinstance(r.get(field), kind), f"{where}: {field} missing or not {kind.__name__}"
        assert r["value"].strip() and r["row"] and all(isinstance(x, str) and x for x in r["row"]), where
        assert all(isinstance(x, str) and x for x in r["col"]), where
        assert Path(name).stem == Path(r["file"]).stem, f"{where}: names {r['file']}"
        if r["file"].lower().endswith(".pdf"):
            assert isinstance(r.get("page"), int) and r["page"] >= 1, f"{where}: a PDF cell needs its page"
    # one expectation per cell: a duplicate would count twice
    keys = [(r["file"], r.get("page"), r["table"], tuple(r["row"]), tuple(r["col"])) for _, _, r in recs]
    assert len(keys) == len(set(keys))


def test_expected_files_exist_in_shared():
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the shared sample files are not in this checkout")
    missing = sorted({r["file"] for _, _, r in _records() if not (SHARED / r["file"]).is_file()})
    assert not missing, f"expectations name files not in {SHARED}: {missing}"


def _table(caption: str, cells: list[tuple[tuple[str, ...], tuple[str, ...], str]]) -> Table:
    text_cells = tuple(Cell(row=i, col=1, row_header=rh, col_header=ch, value=v, start=0, end=len(v))
                       for i, (rh, ch, v) in enumerate(cells))
    return Table(id="table-test", doc_id="doc-test", start=0, end=1, caption=caption, cells=text_cells)


TABLES = (
    _table("表1 2025年全市一般公共预算收入完成情况表", [
        (("一、税收收入",), ("完成数",), "848,910"),
        (("一、税收收入", "增值税"), ("完成数",), "274175"),
        (("一、税收收入", "增值税"), ("比上年 增长(%)",), "-0.9"),
        (("企业所得税",), ("完成数",), "92291"),
        (("铁精粉", "万吨"), ("产量",), "55.2"),
        (("投资完成额", "住宅"), ("比上年增长(%)",), "-14.1"),
    ]),
    _table("表2 2025年市本级一般公共预算支出完成情况表", [
        (("教育",), ("完成数",), "12345"),
    ]),
)


def _expect(row, col, value, table="2025年全市一般公共预算收入完成情况表"):
    return {"file": "x.docx", "table": table, "row": row, "col": col, "value": value, "unit": "万元"}


@pytest.mark.parametrize(("expected", "outcome"), [
    (_expect(["一、税收收入"], ["完成数"], "848910"), "right"),  # thousands separator
    (_expect(["增值税"], ["完成数"], "２７４１７５"), "right"),  # NFKC
    (_expect(["增值税"], ["比上年增长(%)"], "−0.9"), "right"),  # letter-spacing in header, minus sign
    (_expect(["铁精粉"], ["产量"], "55.2"), "right"),  # a 单位 column kept in the row path
    (_expect(["其中：住宅"], ["比上年增长(%)"], "-14.1"), "right"),  # 其中： dropped by the extractor
    (_expect(["企业所得税"], ["完成数"], "92290"), "wrong value"),
    (_expect(["增值税"], ["预算数"], "274175"), "wrong header"),
    (_expect(["契税"], ["完成数"], "61327"), "not found"),
    (_expect(["教育"], ["完成数"], "12345"), "not found"),  # right cell, but in the 支出 table
    (_expect(["教育"], ["完成数"], "12345", table="表2 市本级一般公共预算支出完成情况表"), "right"),
])
def test_judge_on_hand_made_tables(expected, outcome):
    assert _bench().judge(expected, TABLES).outcome == outcome


def test_cell_in_another_table_is_flagged():
    v = _bench().judge(_expect(["教育"], ["完成数"], "12345"), TABLES)
    assert v.other_table


def test_title_match_is_loose_but_not_blind():
    b = _bench()
    assert b.title_matches("表3 2025年规模以上工业主要产品产量", "表 3  2025 年规模以上工业主要产品产量及其增长速度")
    assert not b.title_matches("2025年政府性基金预算收入", "2025年一般公共预算支出完成情况表")
    assert b.title_matches("", "anything")
