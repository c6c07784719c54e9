"""Table self-checks on hand-made tables (found by find_tables, as ingestion finds them) and over the corpus."""
from __future__ import annotations

from collections import Counter

import pytest

from ingest.document import build_document
from ingest.table_checks import CUES, KINDS, Finding, check_table, number
from ingest.tables import find_tables

T = "\t"


def _table(*lines: str):
    text = "\n".join(lines) + "\n"
    tables = find_tables(text, "doc-test")
    assert len(tables) == 1, [t.caption for t in tables]
    return tables[0]


def _kinds(table) -> list[str]:
    return [f.kind for f in check_table(table)]


def _income(total: str):
    return _table("表 1 2024 年收入构成（亿元）", T.join(["项目", "2023年", "2024年"]), T.join(["税收收入", "10.5", "12.0"]),
                  T.join(["非税收入", "20.3", "21.0"]), T.join(["其他收入", "1.1", "1.0"]), T.join(["合 计", total, "34.0"]))


def test_a_right_total_passes():
    assert _kinds(_income("31.9")) == []


def test_a_total_within_rounding_passes():
    assert _kinds(_income("32.0")) == []  # three parts rounded to 0.1 may be 0.15 apart from the total


def test_a_wrong_total_is_found_with_its_cells():
    found = check_table(_income("35.9"))
    assert [f.kind for f in found] == ["total"]
    assert "35.9" in found[0].detail and "31.9" in found[0].detail
    assert [c.value for c in found[0].cells] == ["35.9", "10.5", "20.3", "1.1"]


def test_a_total_that_opens_its_block_and_a_subtotal_inside_it():
    # 001 表2: 合计 first, then items, one of which is a 小计 over its own rows
    t = _table("表 2 贷款利率区间占比（%）", T.join(["项目", "", "1月", "2月"]), T.join(["合计", "", "100.0", "100.0"]),
               T.join(["LPR减点", "", "54.6", "58.4"]), T.join(["LPR", "", "7.5", "6.4"]),
               T.join(["LPR加点", "小计", "37.9", "35.2"]), T.join(["", "(LPR, LPR+0.5%)", "29.6", "25.2"]),
               T.join(["", "LPR+0.5%以上", "8.3", "10.0"]))
    assert _kinds(t) == []


def test_a_total_equal_to_a_leading_run_of_rows():
    # 青岛 表5-1: 合计 = 市级 + 区市, then the districts that make up 区市
    t = _table("表5-1 债务余额（亿元）", T.join(["区市", "余额"]), T.join(["合计", "100.0"]), T.join(["市级", "40.0"]),
               T.join(["区市", "60.0"]), T.join(["市南区", "25.0"]), T.join(["市北区", "35.0"]))
    assert _kinds(t) == []


def test_a_subset_row_makes_the_block_unreadable():
    t = _table("表 3 收入（亿元）", T.join(["项目", "2024年"]), T.join(["主要收入：土地出让收入", "90.0"]),
               T.join(["国有土地收益基金收入", "3.0"]), T.join(["收入合计", "100.0"]))
    assert _kinds(t) == []


def test_percent_columns_are_not_summed():
    t = _table("表 4 收入（亿元）", T.join(["项目", "2024年", "增长（%）"]), T.join(["甲", "10.0", "5.0"]),
               T.join(["乙", "20.0", "5.0"]), T.join(["合计", "30.0", "5.0"]))
    assert "total" not in _kinds(t)


def _growth(shown: str):
    return _table("表 5 存贷款（亿元）", T.join(["指标", "2023年", "2024年", "比上年增长（%）"]),
                  T.join(["各项存款", "100.0", "110.0", "10.0"]), T.join(["各项贷款", "200.0", "210.0", shown]),
                  T.join(["社会融资规模", "50.0", "55.0", "10.0"]))


def test_a_consistent_growth_column_passes():
    assert _kinds(_growth("5.0")) == []


def test_a_growth_column_that_disagrees_with_its_years_is_found():
    found = check_table(_growth("15.0"))
    assert [f.kind for f in found] == ["growth"]
    assert "15.0" in found[0].detail and "5.00%" in found[0].detail


def test_gdp_growth_at_comparable_prices_is_left_alone():
    t = _table("表 6 主要指标（亿元）", T.join(["指标", "2023年", "2024年", "增长率"]),
               T.join(["地区生产总值", "3109.09", "2950.67", "1.5"]), T.join(["进出口总额", "353.03", "375.82", "6.1"]),
               T.join(["财政收入", "100.0", "104.0", "4.0"]))
    assert _kinds(t) == []


def _column(*values: str):
    return _table("表 7 指标（亿元）", T.join(["项目", "数值"]),
                  *(T.join([f"项目{i}", v]) for i, v in enumerate(values, 1)))


def test_glued_numbers_and_footnote_marks_are_found():
    found = check_table(_column("1.2", "1234.56.7", "3.4", "[3]5678", "43..67", "5.6"))
    assert [f.kind for f in found] == ["mixed_types"] * 3
    assert [f.cells[0].value for f in found] == ["1234.56.7", "[3]5678", "43..67"]


def test_a_word_in_a_column_of_numbers_is_found_but_not_a_known_one():
    assert _kinds(_column("1.2", "3.4", "5.6", "7.8", "第一产业")) == ["mixed_types"]
    assert _kinds(_column("1.2", "3.4", "5.6", "7.8", "未披露", "—")) == []


def test_two_units_in_one_column_are_found():
    found = check_table(_column("12亿元", "500万元", "3亿元"))
    assert [f.kind for f in found] == ["units"]
    assert "亿元 ×2" in found[0].detail and "万元 ×1" in found[0].detail
    assert _kinds(_column("12亿元", "5亿元", "3亿元")) == []


def test_numbers_as_tables_write_them():
    assert number("1,234.5") == 1234.5 and number("(12.3)") == -12.3 and number("－0.8") == -0.8
    assert number("6.1%") == 6.1 and number("—") is None and number("1234.56.7") is None


def test_finding_kinds_are_closed():
    with pytest.raises(ValueError, match="unknown finding kind"):
        Finding("table-x", "sum", "", ())
    assert set(KINDS) == {"mixed_types", "total", "growth", "units"} and "合计" in CUES.total


def test_corpus_tables_are_all_checked_and_rarely_doubted(corpus_files):
    kinds: Counter = Counter()
    n = 0
    for path in corpus_files:
        doc = build_document(path)
        for t in find_tables(doc.text, doc.id):
            n += 1
            for f in check_table(t):
                assert f.table_id == t.id and all(doc.text[c.start:c.end] == c.value for c in f.cells)
                kinds[f.kind] += 1
    assert n >= 40  # 53 when measured
    assert sum(kinds.values()) <= 3, kinds  # 0 when measured: the text tables add up
