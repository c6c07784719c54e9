"""Question analysis: kind, comparison, difference, regions, periods, table references, asks."""
import pytest

from kg.extract.gazetteer import load_gazetteer
from kg.qa.read.periods import best_fit, fill_years, fit, label, parse
from kg.qa.read.question import analyse, find_table_ref, prepare


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


@pytest.mark.parametrize("text, ref", [
    ("辽宁表3（票据业务量）：2024年四季度", "表3"), ("山西附录表2：2024年全年", "附录表2"),
    ("图表 43：2019年第一批次", "图表43"), ("附表 1 各省", "附表1"), ("没有表格", None)])
def test_table_references_are_normalised_like_table_labels(text, ref):
    assert find_table_ref(text) == ref


def test_periods_quarters_months_and_two_digit_years(g):
    assert analyse("24年四季度末银行承兑汇票余额", g).periods == ("2024Q4",)
    assert analyse("2023年1月和10月新增地方债发行比例", g).periods == ("2023-01", "2023-10")
    assert analyse("地方债柜台发行2019年、2020年各发了多少？", g).periods == ("2019", "2020")
    assert analyse("辽宁 2024 旅游收入", g).periods == ("2024",)
    assert analyse("2023年10-12月特殊再融资债发了多少", g).periods == ("2023-10..12",)
    assert prepare("24年上半年") == "2024年上半年"


def test_regions_use_canonical_names_and_aliases(g):
    q = analyse("辽宁省2024年政府债券净融资是多少？", g)
    assert q.regions == ("辽宁",) and q.kind == "number" and q.expect == "money"
    assert analyse("四季度全国存量房贷利率下调，预计每年能省多少利息？", g).regions == ("全国",)


@pytest.mark.parametrize("text, kind, op", [
    ("辽宁2024年哪个月本外币各项存款同比增速最高？", "entity", "max"),
    ("2024年民生支出占比，山西和辽宁谁更高？", "entity", "max"),
    ("2020年福建、宁夏、河南被收回的债务限额，哪个最少？", "entity", "min"),
    ("辽宁2024年固投增速比年初目标低多少个百分点？", "number", "diff"),
    ("辽宁2024年不良贷款余额比上年减少多少？", "number", None),  # the report states the change
    ("哪几个省上调了2024年GDP增速目标？", "list", None),
    ("“三大工程”是哪三项？", "list", None),
    ("债务限额空间是什么？", "definition", None),
    ("专项债能不能投土地储备？", "text", None),
    ("深圳、广东的离岸地方债分别在哪发、各发多少？", "text", None),
    ("特殊再融资债券最早什么时候发行？", "text", None),
    ("山西2024年以旧换新补贴发了多少", "number", None),
    ("表7：贵州改革前，资源税在省和市县间怎么分？", "number", None),
])
def test_answer_kinds(g, text, kind, op):
    q = analyse(text, g)
    assert (q.kind, q.op) == (kind, op)


def test_comparison_candidates_and_axis(g):
    q = analyse("2020年福建、宁夏、河南被财政部收回的债务限额，哪个最多？", g)
    assert q.axis == "region" and q.candidates == ("福建", "宁夏", "河南") and q.periods == ("2020",)
    q = analyse("2023年1月和10月新增地方债实际发行/计划发行比例，哪个月更高？", g)
    assert q.axis == "month" and q.candidates == ("2023-01", "2023-10")
    assert analyse("辽宁2024年哪个月存款增速最高？", g).axis == "month"


def test_difference_sides_inherit_what_the_baseline_leaves_out(g):
    q = analyse("辽宁2024年固投增速比年初目标低多少个百分点？", g)
    subject, baseline = q.sides
    assert subject.regions == baseline.regions == ("辽宁",)
    assert subject.periods == baseline.periods == ("2024",)  # 年初目标 is when the target was set
    assert not subject.target and baseline.target
    assert any("固定资产投资" in t.forms for t in baseline.terms)


def test_concepts_bring_their_labels_and_measures(g):
    q = analyse("辽宁2024年固投增速比年初目标低多少个百分点？", g)
    assert any("固定资产投资" in t.forms and t.concept for t in q.terms)
    assert analyse("2024年名义GDP增长多少", g).expect == "percent"
    assert analyse("2023年有几个省没完成GDP增速目标？", g).expect == "count"
    assert analyse("2023年有几个省没完成GDP增速目标？", g).count_noun == "省"
    assert not analyse("2023年有几个省没完成GDP增速目标？", g).target  # 完成目标 is an outcome
    assert analyse("表3：山西2024年社零增速目标", g).target


def test_words_inside_longer_words_stay_whole_and_units_are_no_terms(g):
    words = lambda text: [t.forms[0] for t in analyse(text, g).terms]  # noqa: E731
    assert "新能源汽车产量" in words("西安2025年新能源汽车产量多少万辆")  # 能 of 新能源 is no modal verb
    assert "万辆" not in words("西安2025年新能源汽车产量多少万辆")  # the unit says what kind of answer
    assert analyse("西安2025年新能源汽车产量多少万辆", g).expect == "count"
    assert "个人所得税" in words("青岛一般公共预算收入草案表里个人所得税是多少")  # 表里 points at a table
    assert words("25年贵州、四川、浙江三省GDP增速谁最低")[0] == "gdp增长" and "三省" not in words(
        "25年贵州、四川、浙江三省GDP增速谁最低")  # how many places are compared, no indicator word
    from kg.qa.read.places import unknown_places
    assert unknown_places("25年贵州、四川、浙江三省GDP增速谁最低", g) == ()  # nor an unknown place
    assert "利率" in words("柳州2024年毛利率")  # the concept; ground() reads 毛利率 whole where reports write it


def test_two_asks_and_indicator_lists_become_one_ask_each(g):
    q = analyse("图表43：2019年第一批次（提前批）额度多少，占上一年新增限额的比重是多少？", g)
    assert len(q.asks) == 2 and q.asks[1].table_ref == "图表43" and q.asks[1].periods == ("2019",)
    q = analyse("浙江2025年外贸出口和实际使用外资分别是多少？", g)
    assert [a.label for a in q.asks] == ["外贸出口", "实际使用外资"]
    assert all(a.regions == ("浙江",) and a.periods == ("2025",) for a in q.asks)
    assert analyse("“三大工程”是哪三项？", g).list_size == 3


def test_period_fit():
    assert fit("2024Q4", "2024Q4") == 1.0
    assert fit("2024Q4", "2024Q3") == 0.0
    assert fit("2024", "2023") == 0.0
    assert fit("2024", "2024年末") > fit("2024", "2024-06") > 0
    assert fit("2024-08", "") == 0.6
    assert best_fit((), "2019") == 1.0
    assert parse("2024H1").months == frozenset(range(1, 7))
    assert fill_years(["2023-01", "{y}-10"]) == ["2023-01", "2023-10"]
    assert (label("2024-08"), label("2024Q4"), label("2019")) == ("8月", "四季度", "2019年")
