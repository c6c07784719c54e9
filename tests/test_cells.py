"""Figures from table cells: literal tables through find_tables, then every numeric cell of the real corpus."""
from __future__ import annotations

import pytest

from ingest.chunk import chunk_document
from ingest.tables import find_tables
from kg.extract.cells import cell_figures
from kg.extract.figures import Context
from kg.extract.gazetteer import load_gazetteer
from kg.extract.numbers import parse_number
from kg.types import Document

T = "\t"


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


def _figures(gz, text: str, region: str | None = None, year: int = 2024):
    doc = Document(id="doc-test", source="t.txt", title="t", text=text, sha256="0" * 64, year=year)
    tables = find_tables(text, doc.id)
    chunks = chunk_document(doc, tables)
    found = cell_figures(doc, tables, chunks, gz, Context(doc.id, year, region, year))
    for f in found.figures:
        assert text[f.start:f.end] == f.text and f.table_id
    return found


def _one(found, row: tuple[str, ...], col: tuple[str, ...]):
    (f,) = [f for f in found.figures if f.row_header == row and f.col_header == col]
    return f


APPENDIX = "\n".join([
    "表 1 2024 年辽宁省主要存贷款指标", "",
    T.join(["", "", "7月", "8月", "9月"]),
    T.join(["本外币", "金融机构各项存款余额（亿元）", "81166.1", "81260.7", "—"]),
    T.join(["", "金融机构各项存款同比增长（%）", "5.3", "6.1", "-0.4"]), "",
    "数据来源：中国人民银行辽宁省分行。", "",
])


def test_row_header_unit_period_from_month_and_caption(gz):
    found = _figures(gz, APPENDIX, region="region-210000")
    f = _one(found, ("本外币", "金融机构各项存款同比增长（%）"), ("8月",))
    assert (f.value, f.unit, f.multiplier, f.period, f.region, f.measure) == (6.1, "%", 0.01, "2024-08", "region-210000", "yoy")
    assert "金融机构各项存款同比增长" in f.indicator and "%" not in f.indicator
    level = _one(found, ("本外币", "金融机构各项存款余额（亿元）"), ("7月",))
    assert (level.unit, level.multiplier, level.measure, level.period) == ("亿元", 1e8, "level", "2024-07")
    assert _one(found, ("本外币", "金融机构各项存款同比增长（%）"), ("9月",)).value == -0.4
    assert found.skipped["cell_not_numeric"] == 1  # the — cell


GOALS = "\n".join([
    "表 3：固收、社零 2023 年、2024 年目标", "",
    T.join(["", "2023 年目标", "", "2024 年目标", ""]),
    T.join(["", "固投", "社零", "固投", "社零"]),
    T.join(["湖北", "", "10", "", ""]),
    T.join(["山西", "7", "7", "10", "5.5"]),
    T.join(["全国", "7", "7", "10", "5.5"]), "",
    "数据来源：各省政府工作报告，中诚信国际整理", "",
])


def test_region_rows_and_target_columns(gz):
    f = _one(_figures(gz, GOALS), ("山西",), ("2024 年目标", "社零"))
    assert (f.value, f.region, f.period, f.measure, f.indicator) == (5.5, "region-140000", "2024", "target", "社零")
    assert _one(_figures(gz, GOALS), ("全国",), ("2023 年目标", "固投")).region == "region-100000"


LIMITS = "\n".join([
    "图表 28：2015-2022 年新增限额与限额增量的差异情况（亿元）", "",
    T.join(["区域", "指标名称", "2019", "2020"]),
    T.join(["全国", "新增限额", "30800", "47300"]),
    T.join(["", "新增专项债务限额", "21500", "37500"]),
    T.join(["安徽", "新增限额", "1361", "1701"]), "",
    "来源：财政部，中泰证券研究所", "",
])


def test_caption_unit_and_year_columns(gz):
    found = _figures(gz, LIMITS)
    f = _one(found, ("全国", "新增专项债务限额"), ("2020",))
    assert (f.value, f.unit, f.multiplier, f.period, f.region) == (37500, "亿元", 1e8, "2020", "region-100000")
    assert f.indicator == "新增专项债务限额"
    assert _one(found, ("安徽", "新增限额"), ("2019",)).region == "region-340000"


# ---- the real corpus ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cells(parsed_corpus, gz):
    from kg.extract.pipeline import data_year
    out = {}
    for name, p in parsed_corpus.items():
        r = gz.region(p.doc.region) if p.doc.region else None
        ctx = Context(p.doc.id, data_year(p.doc), f"region-{r.code}" if r else None, p.doc.year)
        out[name[:3]] = (p, cell_figures(p.doc, p.tables, p.chunks, gz, ctx))
    return out


def _cell(cells, doc: str, label: str, row, col):
    p, found = cells[doc]
    (t,) = [t for t in p.tables if t.label == label]
    (f,) = [f for f in found.figures if f.table_id == t.id and f.row_header == row and f.col_header == col]
    return f


def test_corpus_cells(cells):
    f = _cell(cells, "001", "附录表1", ("本外币", "金融机构各项存款同比增长（%）"), ("8月",))
    assert (f.value, f.unit, f.period, f.region) == (6.1, "%", "2024-08", "region-210000")
    f = _cell(cells, "002", "表3", ("山西",), ("2024 年目标", "社零"))
    assert (f.value, f.region, f.period, f.measure) == (5.5, "region-140000", "2024", "target")
    f = _cell(cells, "004", "图表28", ("全国", "新增专项债务限额"), ("2020",))
    assert (f.value, f.unit, f.multiplier, f.region) == (37500, "亿元", 1e8, "region-100000")
    f = _cell(cells, "003", "表1", ("十一、新型农村机构",), ("法人机构 (个)",))
    assert (f.value, f.unit, f.indicator) == (313, "个", "新型农村机构 法人机构")
    f = _cell(cells, "001", "表3", ("4",), ("银行承兑汇票承兑", "余额"))  # 季度 rows 1-4
    assert (f.value, f.unit, f.period) == (3759.8, "亿元", "2024Q4")


def test_every_numeric_cell_is_exactly_one_figure(cells):
    for doc, (p, found) in cells.items():
        numeric = {(c.start, c.end) for t in p.tables for c in t.cells if parse_number(c.value) is not None}
        from_cells = [f for f in found.figures if any(c.start <= f.start and f.end <= c.end and
                                                      parse_number(c.value) is not None for c in _cells_at(p, f))]
        assert len(from_cells) == len(numeric), doc
        assert {next((c.start, c.end) for c in _cells_at(p, f)) for f in from_cells} == numeric, doc
    assert sum(len(c[0].tables) for c in cells.values()) >= 50


def _cells_at(p, f):
    return [c for t in p.tables if t.id == f.table_id for c in t.cells if c.start <= f.start and f.end <= c.end]


def test_a_text_cell_in_a_year_row_is_dated_by_its_row(parsed_corpus):
    """图表8 of 004 spans 2019-2023; its 2020 row says 截至11月末…专项债券4831亿元: that is November 2020."""
    figs = [f for f in parsed_corpus["004_3abfec75a228cbda.txt"].facts.figures if f.text.replace(" ", "") == "4831"]
    assert figs and all(f.period == "2020-11" for f in figs), [(f.period, f.row_header) for f in figs]
