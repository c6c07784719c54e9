"""Questions about a city and in a 2026 report's own terms (今年 / 去年) find their figures, on the shared reports
(a 2026 government work report and a city's statistical communiqué published as a PDF). BM25 only."""
import pytest

from kg.qa import QASettings

from conftest import SHARED

SICHUAN = SHARED / "extra" / "gov_report_2026_sichuan.txt"
XIAN = SHARED / "realpdf" / "stats_2025_xian.pdf"

pytestmark = pytest.mark.skipif(not (SICHUAN.exists() and XIAN.exists()),
                                reason=f"no shared reports at {SHARED}: they sit beside the repository as ../shared")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    from kg import service
    from kg.config import Settings
    from kg.kb.store import KnowledgeBase
    root = tmp_path_factory.mktemp("shared-qa")
    settings = Settings(kb=root / "kb", dense=False)
    with KnowledgeBase.open(root / "kb", create=True) as kb:
        assert not service.ingest(kb, [SICHUAN, XIAN], settings).errors
        # the rules' own answers: what these tests pin down (the fitted decision over them: tests/test_decide.py)
        yield service.open_qa(kb, settings, QASettings(decide=False))


def test_a_city_question_finds_the_city_reports_figure(ctx):
    from kg.qa import answer
    a = answer("西安2025年地区生产总值是多少", ctx)
    assert not a.abstained and "13902.67" in a.text, a.text
    assert a.citations[0].page is not None and "13902.67" in a.citations[0].text.replace(" ", "")


def test_this_years_target_in_a_2026_report(ctx):
    from kg.qa import answer
    a = answer("四川今年地区生产总值增长目标是多少", ctx)
    assert not a.abstained and "5.5%" in a.text, a.text
    assert "今年" in ctx.documents[a.citations[0].doc_id].text[a.citations[0].start - 200:a.citations[0].end]


def test_a_place_the_reports_do_not_cover_is_not_answered(ctx):
    from kg.qa import answer
    assert answer("成都2025年地区生产总值是多少", ctx).abstained


def test_a_level_asked_bare_comes_with_the_growth_stated_beside_it(ctx):
    from kg.qa import answer
    a = answer("西安2025年社会消费品零售总额", ctx)
    assert a.text == "5721.21亿元，增长5.3%", a.text
    a = answer("西安2025年社会消费品零售总额增长多少", ctx)  # the measure asked: only that
    assert a.text == "5.3%", a.text


def test_a_change_only_ask_takes_the_growth_of_the_row_before_it(ctx):
    from kg.qa import answer
    a = answer("西安表2里2025年饮料产量多少，增长还是下降", ctx)
    assert a.text == "176.20万吨，下降7.9%", a.text  # the unit sits in the 单位 column of the PDF table


def test_two_indicators_joined_by_he_are_two_asks(ctx):
    from kg.qa import answer
    a = answer("西安2025年出口和进口", ctx)
    assert "3492.62亿元" in a.text and "1495.27亿元" in a.text, a.text


def test_which_class_compares_the_rows_of_a_table_by_their_labels(ctx):
    from kg.qa import answer
    a = answer("西安2025年居民消费价格哪一类降得最多", ctx)  # 表1: 食品烟酒 -0.7, 交通通信 -1.6, ...
    assert a.text == "交通通信（-1.6%）", a.text
    assert "居民消费价格" not in answer("西安2025年居民消费价格哪一类涨得最多", ctx).text  # the total row is no class


def test_a_sum_adds_the_values_and_shows_them(ctx):
    from kg.qa import answer
    a = answer("西安2025年出口和进口加起来是多少", ctx)
    assert a.text == "合计4987.89亿元（出口3492.62亿元，进口1495.27亿元）", a.text  # the report's 进出口总值 too
    assert len(a.citations) >= 1 and len(a.figures) == 2
    assert answer("西安2025年出口和进口的增速加起来是多少", ctx).abstained  # rates are not added
