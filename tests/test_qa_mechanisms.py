"""The question-reading mechanisms behind compound, target, relative-period, cumulative, row-filter and
definition answers, on literal excerpts (BM25 only, no model)."""
import pytest

from kg.qa import QASettings

from kg.qa import answer
from kg.qa.read.asks import read_asks, split_asks
from kg.qa.shape.defined import subject
from kg.qa.read.periods import anchored, parse
from kg.qa.read.question import analyse
from kg.qa.shape.rows import asked_value

GOV_2026 = """2026年浙江省政府工作报告

一、过去一年工作回顾

去年，全省生产总值增长5.8%，一般公共预算收入增长4.1%。城镇居民人均可支配收入增长4.6%，农村居民人均可支配收入增长6.1%。

二、今年目标

今年经济社会发展主要预期目标是：全省生产总值增长5%左右；一般公共预算收入增长3%；居民消费价格涨幅2%左右。
"""

LIAONING = """辽宁省金融运行报告（2025）

一、经济运行

2024年，辽宁省地区生产总值增长5.1%。在晋中、晋城和吕梁三个市开展明示企业贷款综合融资成本试点工作，推动银行明示除利息以外的其他融资费用，促进降低企业综合融资成本。

附录表 2 2024 年辽宁省主要经济指标（自年初累计）

\t3月\t6月\t9月\t12月
绝对值（自年初累计）
地区生产总值（亿元）\t6961.2\t14547.0\t22549.9\t32612.7
同比累计增长（%）
地区生产总值\t5.1\t5.0\t4.9\t5.1

三、名词解释

新时代“六地”是指国家重大战略支撑地、重大技术创新策源地、先进制造业新高地。
"""

TARGETS = """从两会看 2024 年全国经济目标和各省重点工作

一、各省目标

表 1：各省 GDP 目标

地区\t2024年GDP增长目标,%
辽宁\t5.5
浙江\t5.5
山西\t5
吉林\t6
"""


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    from kg import service
    from kg.config import Settings
    from kg.kb.store import KnowledgeBase
    root = tmp_path_factory.mktemp("mech")
    paths = []
    for name, text in (("zj.txt", GOV_2026), ("ln.txt", LIAONING), ("targets.txt", TARGETS)):
        (root / name).write_text(text, encoding="utf-8")
        paths.append(root / name)
    settings = Settings(kb=root / "kb", dense=False)
    with KnowledgeBase.open(root / "kb", create=True) as kb:
        assert not service.ingest(kb, paths, settings).errors
        # the rules' own answers: what these tests pin down (the fitted decision over them: tests/test_decide.py)
        yield service.open_qa(kb, settings, QASettings(decide=False))


@pytest.fixture(scope="module")
def g():
    from kg.extract.gazetteer import load_gazetteer
    return load_gazetteer()


def test_asks_split_on_question_marks_and_on_commas_only_between_asks():
    assert split_asks("贵州：2024年2月发了多少特殊再融资债？同年1月出了什么文件？") == [
        "贵州，2024年2月发了多少特殊再融资债", "贵州，同年1月出了什么文件"]
    assert split_asks("山西2018年发了多少债、投什么项目") == ["山西2018年发了多少债", "投什么项目"]
    assert split_asks("辽宁2024年GDP增长多少？") == ["辽宁2024年GDP增长多少？"]
    assert split_asks("辽宁和山西2024年GDP增速") == ["辽宁和山西2024年GDP增速"]


def test_an_elided_ask_after_a_counting_one_is_an_ask_of_its_own(g):
    # …多少？增速 / …多少只，总目标规模: the second names only what else is asked; 多少 comes from the first
    assert split_asks("四川技术合同成交额多少？增速") == ["四川技术合同成交额多少", "增速多少"]
    assert split_asks("20+8产业基金累计多少只，总目标规模") == ["20+8产业基金累计多少只", "总目标规模多少"]
    # a qualifier, a figure, or a clause after a non-counting ask is not an ask
    assert split_asks("辽宁GDP是多少，按可比价格计算") == ["辽宁GDP是多少，按可比价格计算"]
    assert split_asks("GDP多少，增长5%") == ["GDP多少，增长5%"]
    assert split_asks("贵州在创建哪个国家公园？梵净山") == ["贵州在创建哪个国家公园？梵净山"]
    first, second = read_asks("山西社融存量多少，同比增速？", g)
    assert second.regions == ("山西",) and any("社融存量" in t.forms for t in second.terms)


def test_a_later_ask_inherits_place_year_and_topic(g):
    a, b = read_asks("贵州：2024年2月发了多少特殊再融资债？同年1月出了什么文件？", g)
    assert b.regions == ("贵州",) and b.periods == ("2024-01",)
    first, second = read_asks("山西的试点是干什么的？在哪几个市？", g)
    assert "试点" in second.text and second.regions == ("山西",)


def test_target_comparisons_are_differences_between_outcome_and_target(g):
    for text in ("辽宁2024年GDP增速比年初定的目标低了多少", "辽宁2024年GDP增速和年初目标比，高还是低？差多少？",
                 "辽宁2024年GDP增速比年初两会目标差了多少"):
        q = analyse(text, g)
        assert q.op == "diff", text
        outcome, target = q.sides
        assert not outcome.target and target.target and target.periods == ("2024",), text


def test_relative_periods_are_read_from_now():
    assert anchored("{y+0}", 2026) == "2026" and anchored("{y-1}Q4", 2026) == "2025Q4"
    assert anchored("2024", 2026) == "2024" and anchored("{y-1}", None) == "{y-1}"


def test_nested_and_cumulative_periods(g):
    assert analyse("辽宁2024年7月LPR减点占比", g).periods == ("2024-07",)
    (cumulative,) = analyse("2024年前三季度（截至9月）累计GDP", g).periods  # one period: January to September
    assert parse(cumulative).months == frozenset(range(1, 10))
    assert analyse("辽宁2024年各利率区间占比表7月是多少", g).per_item is False


def test_this_year_and_last_year_in_a_2026_report(ctx):
    assert "5%" in answer("浙江今年GDP预期目标是多少", ctx).text
    assert answer("浙江去年GDP增长多少", ctx).text == "5.8%"


def test_actual_against_target_shows_its_working(ctx):
    a = answer("浙江今年一般公共预算收入增长目标比去年实际增速低多少", ctx)
    assert a.text.startswith("低1.1个百分点") and "3%" in a.text and "4.1%" in a.text, a.text
    assert len(a.citations) == 2


def test_cumulative_month_answers_a_half_year(ctx):
    a = answer("辽宁2024年上半年地区生产总值累计是多少亿元", ctx)
    assert a.text == "14547.0亿元", a.text


def test_rows_that_hold_the_named_value(ctx):
    assert asked_value("2024年GDP增长目标定在5.5%的有哪些省") == 5.5
    assert asked_value("2024年GDP增长5.5%") is None  # no which-word: not a row filter
    a = answer("2024年GDP增长目标定在5.5%的有哪些省", ctx)
    assert a.text == "辽宁、浙江", a.text


def test_compound_question_answers_each_part(ctx):
    a = answer("辽宁的明示企业贷款综合融资成本试点是干什么的？在哪几个市？", ctx)
    assert not a.abstained and "利息" in a.text and "晋中" in a.text, a.text


def test_definitions_and_lists_come_from_the_facts_found_at_ingestion(ctx):
    assert subject("辽宁提的新时代“六地”具体指哪六地？") == "六地"
    assert subject("什么是特殊再融资债？") == "特殊再融资债"
    a = answer("辽宁提的新时代“六地”具体指哪六地？", ctx)
    assert a.text.startswith("国家重大战略支撑地") and "¹" not in a.text, a.text
    assert "六地" in a.citations[0].text


def test_a_follow_up_inside_a_question_is_its_own_ask(g):
    texts = [a.text for a in read_asks("柳州市2024年政府性基金收入多少？2022年呢？", g)]
    assert texts == ["柳州市2024年政府性基金收入多少", "柳州市2022年政府性基金收入多少"]


def test_items_after_fenbie_take_its_predicate_and_a_future_verb_asks_a_target(g):
    q = analyse("贵州今年城镇和农村居民收入分别要增长多少？", g)
    assert [a.label for a in q.asks] == ["城镇居民收入", "农村居民收入"]
    assert all(a.target and a.expect == "percent" for a in q.asks)  # 要增长: a growth target
    assert analyse("到2030年浙江居民人均可支配收入要达到多少", g).target
    assert not analyse("浙江去年居民人均可支配收入达到多少", g).target


def test_two_names_joined_by_he_are_two_asks_unless_the_reports_write_them_as_one(ctx):
    q = analyse("浙江去年城镇居民人均可支配收入和农村居民人均可支配收入", ctx.gazetteer)
    assert [a.label for a in q.asks] == ["城镇居民人均可支配收入", "农村居民人均可支配收入"]
    a = answer("浙江去年城镇居民人均可支配收入和农村居民人均可支配收入", ctx)
    assert "4.6%" in a.text and "6.1%" in a.text, a.text
    assert not analyse("辽宁和山西2024年GDP增速", ctx.gazetteer).asks  # places, not two indicators


def test_which_of_two_indicators_grew_faster_with_the_margin(ctx):
    q = analyse("浙江去年城镇居民和农村居民收入哪个涨得快，快多少", ctx.gazetteer)
    assert q.op == "max" and q.axis == "indicator" and [o.split("\t")[0] for o in q.candidates] == [
        "城镇居民收入", "农村居民收入"]
    a = answer("浙江去年城镇居民和农村居民收入哪个涨得快，快多少", ctx)
    assert a.text == "农村居民收入（6.1%，城镇居民收入4.6%），相差1.5个百分点", a.text


def test_a_meaning_is_answered_by_a_sentence_that_says_it_not_one_that_mentions_it(ctx):
    a = answer("新时代“六地”是什么意思", ctx)
    assert not a.abstained and a.text.startswith("国家重大战略支撑地"), a.text
    assert answer("明示企业贷款综合融资成本试点是什么意思", ctx).abstained  # the report only says where it runs


def test_which_year_of_a_range_compares_each_year(g):
    q = analyse("厦门2022到2024年哪年财政自给率最高", g)
    assert (q.op, q.axis, q.candidates) == ("max", "year", ("2022", "2023", "2024"))
    assert [t.forms[0] for t in q.terms] == ["财政自给率"]  # 给 inside 自给率 is no function word


def test_an_outcome_follow_up_asks_the_outcome_of_the_same_thing(g):
    target, outcome = read_asks("浙江今年GDP增长目标是多少？去年实际呢？", g)
    assert target.target and not outcome.target and outcome.regions == ("浙江",)
    assert "目标" not in outcome.text and "去年" in outcome.text
