"""Numbers, units, periods and sentence figures on literal excerpts of the reports, then over the real corpus."""
from __future__ import annotations

import pytest

from kg.extract.figures import Context, span_figures
from kg.extract.gazetteer import load_gazetteer
from kg.extract.numbers import find_periods, find_quantities, parse_number, unit_info

LIAONING = "region-210000"


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


def figs(gz, text: str, region: str | None = LIAONING, year: int | None = 2024):
    found = span_figures(text, 0, len(text), gz, Context("doc-test", year, region, year))
    for f in found:
        assert text[f.start:f.end] == f.text
    return {f.text: f for f in found}


# ---- numbers.py ---------------------------------------------------------------------------------------------

def test_parse_number_as_written():
    assert parse_number("6325") == 6325 and parse_number("-0.8") == -0.8 and parse_number("1,234.5") == 1234.5
    assert parse_number("１５００") == 1500 and parse_number("6.1%") == 6.1
    assert parse_number("—") is None and parse_number("-") is None and parse_number("未完成") is None


def test_units_multipliers_and_line_joins():
    text = "预计节省利息支出 1500\n亿元，惠及 5000万户家庭，1.5亿居民，近 1.4 万亿特殊再融资债券，下调 25个基点，20BP，6.5 亿人次"
    qs = {q.text: q for q in find_quantities(text)}
    assert (qs["1500"].unit, qs["1500"].multiplier) == ("亿元", 1e8)
    assert (qs["5000"].unit, qs["5000"].multiplier, qs["5000"].kind) == ("万户", 1e4, "count")
    assert (qs["1.4"].unit, qs["1.4"].multiplier, qs["1.4"].approx) == ("万亿", 1e12, True)
    assert (qs["25"].unit, qs["25"].kind) == ("个基点", "bp") and qs["20"].multiplier == 1e-4
    assert qs["6.5"].unit == "亿人次"
    assert unit_info("万亿元") == (1e12, "money") and unit_info("%") == (0.01, "percent")


def test_years_dates_ranks_and_ranges_are_not_figures():
    text = "2024 年，国办发〔2024〕52号，2014/9/21，居全国第2位，5A 级，30万吨级航道，10年期国债，增长5%-6%"
    qs = [(q.text, q.unit) for q in find_quantities(text) if q.unit]
    assert qs == [("5", "%"), ("6", "%")]


def test_periods_normalised():
    cases = {"2024年": "2024", "2024年末": "2024年末", "2024 年第一季度": "2024Q1", "2024Q1": "2024Q1",
             "2024年8月": "2024-08", "2015-2022年": "2015-2022", "2023年10-12月": "2023-10..12", "2023/03": "2023-03"}
    for written, norm in cases.items():
        assert [p.template for p in find_periods(written)] == [norm], written
    partial = {"一季度末": "{y}Q1", "上半年": "{y}H1", "前三季度": "{y}Q1-Q3", "1-11月": "{y}-01..11", "年底": "{y}年末"}
    for written, norm in partial.items():
        (p,) = find_periods(written)
        assert p.template == norm and p.resolve(2024) == norm.format(y=2024) and p.resolve(None) == ""
    assert [p.template for p in find_periods("比上年末")] == []


# ---- sentence figures ---------------------------------------------------------------------------------------

def test_level_then_yoy_share_one_indicator(gz):
    f = figs(gz, "全年实现地区生产总值 3.3 万亿元，同比增长 5.1%，比全国高 0.1 个百分点。")
    gdp = f["3.3"]
    assert (gdp.value, gdp.unit, gdp.multiplier, gdp.indicator, gdp.measure) == (3.3, "万亿元", 1e12, "地区生产总值", "level")
    assert (f["5.1"].indicator, f["5.1"].measure, f["5.1"].direction, f["5.1"].unit) == ("地区生产总值", "yoy", "up", "%")
    assert f["0.1"].measure == "change" and f["0.1"].region == LIAONING  # 比全国: a comparison, not the region
    assert gdp.period == "2024"  # 全年 with the data year


def test_tourism_revenue(gz):
    f = figs(gz, "全年接待游客 6.5 亿人次，同比增长 28.1%；旅游收入 6325 亿元，同比增长 25.9%。")
    assert (f["6325"].indicator, f["6325"].unit, f["6325"].measure) == ("旅游收入", "亿元", "level")
    assert (f["25.9"].indicator, f["25.9"].measure, f["25.9"].direction) == ("旅游收入", "yoy", "up")
    assert f["6.5"].unit == "亿人次" and f["28.1"].indicator == f["6.5"].indicator


def test_from_to_gets_both_periods(gz):
    f = figs(gz, "2024 年第四季度宏观杠杆率上升 0.4 个百分点，从三季度末的 290.2%上升至 290.6%。", region=None)
    assert (f["0.4"].period, f["0.4"].measure, f["0.4"].direction) == ("2024Q4", "change", "up")
    assert (f["290.2"].period, f["290.2"].indicator) == ("2024Q3", "宏观杠杆率")
    assert (f["290.6"].period, f["290.6"].measure, f["290.6"].indicator) == ("2024Q4", "level", "宏观杠杆率")
    assert f["290.6"].region is None  # a national report names no region


def test_from_a_to_b_over_a_written_year_range_dates_each_end(gz):
    f = figs(gz, "2020年到2025年，工业投资占固定资产投资比重从17.9%提升到35.5%。", region=None)
    assert (f["17.9"].period, f["35.5"].period) == ("2020", "2025")
    g = figs(gz, "“十四五”时期，全省经济总量从1.8万亿元增长到2.5万亿元。", region=None)
    assert g["1.8"].period == g["2.5"].period == "2021-2025"  # a plan's name does not say the base year
    h = figs(gz, "人均预期寿命从2020年的75.2岁提升至2025年的76.8岁左右。", region=None)
    assert (h["75.2"].unit, h["75.2"].period, h["76.8"].period) == ("岁", "2020", "2025")


def test_fenbie_maps_values_to_items(gz):
    f = figs(gz, "实体经济债务全年同比增长 8.0%，其中居民和企业部门债务分别同比增长 3.4%和 7.0%，处于历史较低水平。")
    assert (f["3.4"].indicator, f["3.4"].measure) == ("居民部门债务", "yoy")
    assert (f["7.0"].indicator, f["7.0"].measure, f["7.0"].direction) == ("企业部门债务", "yoy", "up")
    c = figs(gz, "五年来，城乡居民人均可支配收入分别增长5.3%、7.1%。")
    assert (c["5.3"].indicator, c["7.1"].indicator) == ("城镇居民人均可支配收入", "农村居民人均可支配收入")
    g = figs(gz, "货运量、客运量同比分别增长 3.3%、8.7%。")
    assert (g["3.3"].indicator, g["8.7"].indicator) == ("货运量", "客运量")


def test_fenbie_maps_values_to_listed_periods_and_regions(gz):
    f = figs(gz, "以 2023 年为例，2-9 月基本一致。但 1 月与 10 月，实际发行/计划发行比例分别为 1.84、2.88。", region=None)
    assert (f["1.84"].period, f["2.88"].period) == ("2023-01", "2023-10")
    assert f["1.84"].indicator == "实际发行/计划发行比例" and f["1.84"].unit == ""
    g = figs(gz, "深圳市政府和广东省政府分别在香港和澳门发行离岸债券50亿元和22亿元。", region=None)
    assert (g["50"].region, g["22"].region) == ("region-440300", "region-440000")
    m = figs(gz, "2022－2024年，厦门市债务余额/GDP分别为22.6%、25.1%和27.3%。2024年，刚性支出占比为53.58%。同期，厦门市财政"
                 "自给率分别为81.18%、85.94%和88.12%。", region=None)
    assert [m[v].period for v in ("81.18", "85.94", "88.12")] == ["2022", "2023", "2024"]  # 同期: the range before
    k = figs(gz, "2024年，贵州省和天津市已分别披露于2月和3月发行325亿元和201亿元特殊再融资债。", region=None)
    assert (k["325"].period, k["201"].period) == ("2024-02", "2024-03")  # the periods follow 分别
    h = figs(gz, "全年来看，宏观杠杆率共上升 10.1 个百分点，四个季度分别上升 6.6、0.7、2.4和 0.4个百分点。", region=None)
    assert [h[v].period for v in ("6.6", "0.7", "2.4", "0.4")] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert h["0.7"].indicator == "宏观杠杆率" and h["0.7"].unit == "个百分点"


def test_period_carries_over_the_paragraph_not_beyond(gz):
    f = figs(gz, "2024 年，辽宁省第三产业增加值 1.9 万亿元，同比增长 5.0%。电信业务总量同比增长 10.8%。\n"
                 "快递业务量超过 29 亿件。")
    assert f["1.9"].period == f["5.0"].period == f["10.8"].period == "2024"
    assert f["29"].period == ""  # a new paragraph that states no period: left empty, not guessed
    assert f["1.9"].indicator == "第三产业增加值" and f["1.9"].region == LIAONING


def test_baseline_period_is_not_the_figures(gz):
    f = figs(gz, "2024年末居民部门债务增速为 3.4%，比2023年末下降 1.2 个百分点。", region=None)
    assert (f["3.4"].period, f["3.4"].measure) == ("2024年末", "yoy")
    assert (f["1.2"].period, f["1.2"].measure, f["1.2"].direction) == ("2024年末", "change", "down")


def test_negative_value_and_share(gz):
    f = figs(gz, "名义 GDP与实际 GDP之间的缺口（即 GDP缩减指数）为-0.8%，自 2023 年二季度起连续七个季度为负。", region=None)
    assert (f["-0.8"].value, f["-0.8"].unit, f["-0.8"].multiplier) == (-0.8, "%", 0.01)
    g = figs(gz, "2024 年，全省一般公共预算支出 6853 亿元，同比增长 4.2%，其中民生支出占比 76.7%。")
    assert (g["76.7"].indicator, g["76.7"].measure) == ("民生支出", "share")


def test_targets(gz):
    f = figs(gz, "今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上。拟安排地方政府专项债券3.9万亿元、"
                 "比上年增加1000亿元。", region=None)
    assert (f["5"].measure, f["5"].indicator, f["5"].period) == ("target", "国内生产总值", "2024")
    assert (f["1200"].measure, f["1200"].unit) == ("target", "万人")
    assert (f["3.9"].indicator, f["3.9"].measure) == ("地方政府专项债券", "target")
    assert (f["1000"].measure, f["1000"].direction) == ("change", "up")


# ---- the real corpus ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def extracted(parsed_corpus, gz):
    from kg.extract.pipeline import extract
    return {name: (p, extract(p.doc, p.tables, p.chunks, gz)) for name, p in parsed_corpus.items()}


def _find(extracted, prefix: str, text: str, table: bool = False):
    (p, x), = [v for k, v in extracted.items() if k.startswith(prefix)]
    return [f for f in x.figures if f.text == text and bool(f.table_id) == table]


def test_corpus_sentence_figures(extracted):
    (tour,) = [f for f in _find(extracted, "001", "6325")]
    assert (tour.indicator, tour.unit, tour.period, tour.region) == ("旅游收入", "亿元", "2024", LIAONING)
    assert any(f.unit == "亿元" and f.indicator.endswith("利息支出") for f in _find(extracted, "000", "1500"))
    assert any(f.unit == "%" and f.value == -0.8 for f in _find(extracted, "000", "-0.8"))
    assert {f.period for f in _find(extracted, "004", "1.84") + _find(extracted, "004", "2.88")} == {"2023-01", "2023-10"}


def test_corpus_figures_keep_their_evidence(extracted):
    for name, (p, x) in extracted.items():
        chunks = {c.id: c for c in p.chunks}
        for f in x.figures:
            assert p.doc.text[f.start:f.end] == f.text, (name, f)
            c = chunks[f.chunk_id]
            assert c.start <= f.start and f.end <= c.end, (name, f)
            assert f.id.startswith("fig-") and f.doc_id == p.doc.id
        assert len({f.id for f in x.figures}) == len(x.figures)
