"""A question's listed items run as a plan (kg.qa.shape.plan), and unanswerable twins of generated questions
(kg.eval.twins): on hand-made text and the real gazetteer."""
import pytest

from kg.eval.twins import absent_places, absent_years, twin, twins
from kg.qa.shape.plan import items, run_plan
from kg.types import Answer, Citation, Document

TEXT = "培育商圈140个，打造夜间消费聚集区55个。新增五星级饭店10家以上、四星级饭店30家、等级民宿100家。辽宁和山西"


@pytest.fixture(scope="module")
def gazetteer():
    from kg.extract.gazetteer import load_gazetteer
    return load_gazetteer()


def _known(s: str) -> bool:
    return s in TEXT


def test_listed_items_become_one_question_each_sharing_the_other_words(gazetteer):
    assert items("贵州培育了多少个商圈和夜间消费聚集区？", _known, gazetteer) == [
        "贵州培育了多少个商圈？", "贵州培育了多少个夜间消费聚集区？"]
    # three items; the first bounded by the words the reports use, 各 dropped from each item's question
    assert items("贵州今年新增五星级饭店、四星级饭店和等级民宿各多少？", _known, gazetteer) == [
        "贵州今年新增五星级饭店多少？", "贵州今年四星级饭店多少？", "贵州今年等级民宿多少？"]


def test_places_periods_and_unknown_words_are_no_items(gazetteer):
    assert items("辽宁和山西2024年GDP是多少", _known, gazetteer) == []
    assert items("2019年和2020年发了多少", _known, gazetteer) == []
    assert items("火星基地和月球基地多少个", _known, gazetteer) == []  # the reports write neither name
    assert items("辽宁2024年旅游收入是多少？", _known, gazetteer) == []


def _answer(text: str, abstained: bool = False) -> Answer:
    cite = Citation("doc-a", "t", "chunk-a", 0, len(TEXT), TEXT)
    return Answer("q", text, abstained, () if abstained else (cite,), score=0.7)


def test_a_plan_is_whole_or_nothing(gazetteer):
    q = "贵州培育了多少个商圈和夜间消费聚集区？"
    got = run_plan(q, _known, gazetteer, lambda a: _answer("140个" if "商圈" in a else "55个"))
    assert got is not None and got.text == "140个；55个" and len(got.citations) == 1 and not got.abstained
    assert run_plan(q, _known, gazetteer, lambda a: _answer("140个", abstained="夜间" in a)) is None


def _doc(text: str) -> Document:
    return Document(id="doc-x", source="x.txt", title="x", text=text, sha256="0")


def test_twins_ask_about_a_place_or_year_no_report_names():
    docs = [_doc("辽宁省2024年地区生产总值3.3万亿元。2023年增长5.3%。")]
    regions = {"region-210000": ("辽宁", "辽宁省"), "region-230100": ("哈尔滨", "哈尔滨市"),
               "region-150100": ("呼和浩特", "呼和浩特市")}
    assert absent_places(docs, regions) == ["呼和浩特", "哈尔滨"]  # 辽宁 is named; short names of 3+ characters
    years = absent_years(docs)
    assert 2024 not in years and 2023 not in years and 2010 in years
    rec = {"id": "syn-1", "question": "辽宁2024年地区生产总值是多少", "doc": ["x.txt"], "evidence": ["3.3万亿元"],
           "region": "region-210000"}
    t = twin(rec, ["哈尔滨"], years, ("辽宁", "辽宁省"))
    assert t["question"] == "哈尔滨2024年地区生产总值是多少" and t["type"] == "unanswerable" and t["accept"] == []
    t = twin({**rec, "region": ""}, ["哈尔滨"], [2010], ())
    assert t["question"] == "辽宁2010年地区生产总值是多少"
    assert twin({**rec, "question": "地区生产总值是多少"}, ["哈尔滨"], [2010], ()) is None
    made = twins([{**rec, "id": f"syn-{i}"} for i in range(40)], docs, regions, every=4)
    assert 0 < len(made) < 40 and all(m["category"] == "unanswerable" for m in made)
