"""PDF layout on a typeset PDF: two columns in order, a ruled table over two pages as one Table, furniture gone."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.document import build_document
from ingest.read import read_source
from ingest.tables import find_tables
from tests.test_read import _cjk_font

RUNNING = "某市统计公报 2025年第3期"
LEFT = ["左栏第一段：全年全市地区生产总值", "一千二百亿元，比上年增长百分之", "五点二。左栏结束。"]
RIGHT = ["右栏第一段：全年财政收入三百亿", "元，比上年增长百分之三点一。右", "栏结束。"]
HEAD = ("指标", "绝对数（亿元）", "增长（%）")
ROWS = [("地区生产总值", "1200.5", "5.2"), ("第一产业", "100.1", "3.1"), ("第二产业", "500.2", "4.4"),
        ("第三产业", "600.2", "6.0"), ("财政收入", "300.0", "3.1"), ("税收收入", "250.0", "2.0")]

BARE = [(0, "项目", "预算数", "执行数"), (0, "财政收入", "310.0", "300.0"), (1, "税收收入", "260.5", "250.0"),
        (1, "非税收入", "49.5", "50.0"), (0, "财政支出", "400.0", "420.7"), (1, "教育支出", "80.0", "82.1")]


def _typeset(path: Path, font: str) -> None:
    from fpdf import FPDF  # test dependency (pyproject [test])

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("cjk", fname=font, **({"collection_font_number": 0} if font.endswith(".ttc") else {}))
    for page, rows in ((1, ROWS[:4]), (2, ROWS[4:]), (3, ())):
        pdf.add_page()
        pdf.set_font("cjk", size=9)
        pdf.set_xy(10, 8)
        pdf.cell(190, 6, RUNNING, align="C")
        pdf.set_font("cjk", size=10)
        if page == 1:  # two columns side by side: the left one is read first
            for i, (a, b) in enumerate(zip(LEFT, RIGHT)):
                pdf.set_xy(15, 30 + 7 * i)
                pdf.cell(80, 7, a)
                pdf.set_xy(110, 30 + 7 * i)
                pdf.cell(80, 7, b)
            pdf.set_xy(15, 70)  # caption centred over the table, unit line at its right
            pdf.cell(160, 7, "表1 2025年主要指标", align="C")
            pdf.set_xy(15, 77)
            pdf.cell(160, 7, "单位：亿元", align="R")
        y = 180 if page == 1 else 30
        if rows:  # a ruled table; page 2 repeats the header row
            for r in (HEAD, *rows):
                for x, (w, v) in zip((15, 75, 125), zip((60, 50, 50), r)):
                    pdf.set_xy(x, y)
                    pdf.cell(w, 8, v, border=1)
                y += 8
        if page == 3:
            pdf.set_xy(15, 30)
            pdf.cell(0, 7, "三、其他情况。全年接待游客一千万人次。")
            pdf.set_xy(15, 45)  # a table without rules: columns only by alignment, the hierarchy by indentation
            pdf.cell(160, 7, "表2 2025年财政收支", align="C")
            y = 55
            for indent, label, *values in BARE:
                pdf.set_xy(15 + 4 * indent, y)
                pdf.cell(60, 7, label)
                for x, v in zip((100, 140), values):
                    pdf.set_xy(x, y)
                    pdf.cell(30, 7, v, align="R")
                y += 7
        pdf.set_xy(10, 280)
        pdf.cell(190, 6, f"— {page} —", align="C")
    pdf.output(str(path))


@pytest.fixture(scope="module")
def layout_pdf(tmp_path_factory) -> Path:
    pytest.importorskip("fpdf", reason="fpdf2 is a test dependency: pip install -e .[test]")
    font = _cjk_font()
    if font is None:
        pytest.skip("no CJK TrueType font to typeset a Chinese PDF: apt-get install fonts-wqy-zenhei")
    path = tmp_path_factory.mktemp("pdf") / "layout.pdf"
    _typeset(path, font)
    return path


def test_columns_read_in_order_without_spaces_and_furniture(layout_pdf):
    doc = build_document(layout_pdf)
    text = doc.text
    assert "左栏第一段：全年全市地区生产总值一千二百亿元，比上年增长百分之五点二。左栏结束。" in text
    assert "右栏第一段：全年财政收入三百亿元，比上年增长百分之三点一。右栏结束。" in text
    assert text.index("左栏结束") < text.index("右栏第一段")
    assert "某市统计公报" not in text and not re.search(r"—\s*\d\s*—", text)
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text)


def test_ruled_table_over_two_pages_is_one_table(layout_pdf):
    doc = build_document(layout_pdf)
    tables = find_tables(doc.text, doc.id)
    assert [t.label for t in tables] == ["表1", "表2"]
    t = tables[0]
    assert t.label == "表1" and t.unit == "亿元" and t.header_rows == (HEAD,)
    assert [r[0] for r in t.rows] == [r[0] for r in ROWS]
    cells = {(c.row_header, c.col_header): c for c in t.cells}
    tax = cells[(("税收收入",), ("增长（%）",))]
    assert tax.value == "2.0" and doc.text[tax.start:tax.end] == "2.0" and doc.page_at(tax.start) == 2
    gdp = cells[(("地区生产总值",), ("绝对数（亿元）",))]
    assert gdp.value == "1200.5" and doc.page_at(gdp.start) == 1


def test_raw_pages_keep_table_rows_tab_separated(layout_pdf):
    pages = read_source(layout_pdf).pages
    assert "地区生产总值\t1200.5\t5.2" in pages[0]
    assert pages[1].startswith("指标\t绝对数（亿元）\t增长（%）\n财政收入\t300.0\t3.1")


def test_table_without_rules_is_found_by_alignment(layout_pdf):
    doc = build_document(layout_pdf)
    t = next(t for t in find_tables(doc.text, doc.id) if t.label == "表2")
    assert t.header_rows == (("项目", "预算数", "执行数"),)
    cells = {(c.row_header, c.col_header): c for c in t.cells}
    tax = cells[(("财政收入", "税收收入"), ("执行数",))]
    assert tax.value == "250.0" and doc.text[tax.start:tax.end] == "250.0" and doc.page_at(tax.start) == 3
    assert cells[(("财政支出", "教育支出"), ("预算数",))].value == "80.0"
    assert cells[(("财政支出",), ("执行数",))].value == "420.7"


def test_narrow_letters_and_condensed_digits_survive_while_fake_bold_is_drawn_once(tmp_path):
    """A line set in a condensed font keeps every repeated narrow glyph (illicit all, 1111.11); a line drawn twice
    a fraction of a point apart (fake bold) reads once."""
    pytest.importorskip("fpdf", reason="fpdf2 is a test dependency: pip install -e .[test]")
    from fpdf import FPDF
    font = _cjk_font()
    if font is None:
        pytest.skip("no CJK TrueType font to typeset a Chinese PDF: apt-get install fonts-wqy-zenhei")
    pdf = FPDF(format="A4")
    pdf.add_font("cjk", fname=font, **({"collection_font_number": 0} if font.endswith(".ttc") else {}))
    pdf.add_page()
    pdf.set_font("cjk", size=10)
    pdf.set_stretching(45)  # condensed: a digit 1 is narrower than a third of the font size
    pdf.set_xy(20, 30)
    pdf.cell(150, 8, "illicit all 全年收入1111.11亿元，增长11.1%")
    pdf.set_stretching(100)
    for dx in (0, 0.2):  # fake bold: the same line drawn twice, 0.2 pt apart
        pdf.set_xy(20 + dx * 0.3528, 50)  # fpdf units are mm
        pdf.cell(150, 8, "加粗标题：财政收入2222亿元")
    path = tmp_path / "condensed.pdf"
    pdf.output(str(path))
    text = build_document(path).text
    assert re.search(r"illicit ?all", text) and "1111.11亿元" in text and "11.1%" in text
    assert "加粗标题：财政收入2222亿元" in text and "加加" not in text and "22222" not in text
