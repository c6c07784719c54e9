"""Follow-up questions rewritten as standalone ones: region, period, measure and indicator swaps, literal cases."""
from __future__ import annotations

import pytest

from kg.extract.gazetteer import load_gazetteer
from kg.qa.read.followup import resolve_followup

TOURISM = "2024年辽宁省旅游收入是多少？"
LOANS = "2024年末辽宁省本外币各项贷款余额是多少？"


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.mark.parametrize("previous, new, expected", [
    # regions: province level (the previous wording, 辽宁省 or 辽宁, is mirrored), autonomous region, city, nation
    (TOURISM, "那山西呢？", "2024年山西省旅游收入是多少？"),
    ("辽宁旅游收入是多少？", "山西呢", "山西旅游收入是多少？"),
    (TOURISM, "内蒙古呢？", "2024年内蒙古自治区旅游收入是多少？"),
    (TOURISM, "那宁波呢", "2024年宁波市旅游收入是多少？"),
    (TOURISM, "全国呢", "2024年全国旅游收入是多少？"),
    (TOURISM, "那沈阳市呢", "2024年沈阳市旅游收入是多少？"),  # not in the gazetteer: read from its suffix
    ("2024年沈阳市地区生产总值是多少", "大连呢", "2024年大连市地区生产总值是多少"),
    ("2024年旅游收入是多少？", "辽宁呢", "2024年辽宁旅游收入是多少？"),  # no region before: put after the period
    # years: the previous month, quarter or 年末 is kept
    (TOURISM, "2023年呢？", "2023年辽宁省旅游收入是多少？"),
    (TOURISM, "23年呢", "2023年辽宁省旅游收入是多少？"),
    (TOURISM, "去年呢", "2023年辽宁省旅游收入是多少？"),
    (LOANS, "2023年呢", "2023年末辽宁省本外币各项贷款余额是多少？"),
    ("2024年三季度末辽宁省贷款余额是多少", "2023年呢", "2023年三季度末辽宁省贷款余额是多少"),
    ("辽宁旅游收入是多少？", "2023年呢", "2023年辽宁旅游收入是多少？"),
    # quarters, halves and months: the previous year is kept
    (TOURISM, "三季度呢", "2024年三季度辽宁省旅游收入是多少？"),
    (LOANS, "三季度末呢", "2024年三季度末辽宁省本外币各项贷款余额是多少？"),
    (LOANS, "上半年呢", "2024年上半年辽宁省本外币各项贷款余额是多少？"),
    (LOANS, "8月末呢", "2024年8月末辽宁省本外币各项贷款余额是多少？"),
    (TOURISM, "2023年三季度呢", "2023年三季度辽宁省旅游收入是多少？"),
    # measures: 增速 for 余额 and back, or added before the question word
    (LOANS, "增速呢", "2024年末辽宁省本外币各项贷款增速是多少？"),
    ("2024年末辽宁省本外币各项贷款增速是多少？", "余额呢？", "2024年末辽宁省本外币各项贷款余额是多少？"),
    (TOURISM, "增速呢", "2024年辽宁省旅游收入增速是多少？"),
    # several at once, and another indicator
    (TOURISM, "那山西2023年呢", "2023年山西省旅游收入是多少？"),
    (LOANS, "那存款呢", "2024年末辽宁省存款余额是多少？"),
])
def test_follow_ups_become_standalone_questions(gaz, previous, new, expected):
    assert resolve_followup(previous, new, gaz) == expected


@pytest.mark.parametrize("new", [
    "山西省的旅游收入是多少？", "2023年山西地区生产总值增长了多少？", "专项债券是什么？", "为什么呢？",
    "存款余额是多少？", "哪个省的存款增速最高？",
])
def test_self_contained_questions_are_unchanged(gaz, new):
    assert resolve_followup(TOURISM, new, gaz) == new


def test_an_ambiguous_follow_up_is_left_alone(gaz):
    """Two regions or two periods in the previous question: which one the follow-up replaces is a guess."""
    assert resolve_followup("2024年辽宁和山西存款余额差多少？", "那吉林呢？", gaz) == "那吉林呢？"
    assert resolve_followup("辽宁2023年和2024年旅游收入分别是多少？", "2022年呢？", gaz) == "2022年呢？"
    assert resolve_followup("2024年辽宁和山西存款余额差多少？", "2023年呢？", gaz) == "2023年辽宁和山西存款余额差多少？"


def test_no_previous_question_leaves_the_follow_up_alone(gaz):
    assert resolve_followup("", "那山西呢？", gaz) == "那山西呢？"
    assert resolve_followup(TOURISM, "   ", gaz) == "   "


def test_chained_follow_ups_build_on_the_resolved_question(gaz):
    first = resolve_followup(TOURISM, "那山西呢？", gaz)
    assert resolve_followup(first, "2023年呢？", gaz) == "2023年山西省旅游收入是多少？"
