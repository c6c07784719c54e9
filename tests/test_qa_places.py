"""A place the question names but the gazetteer does not know must be named by the evidence."""
from kg.extract.gazetteer import load_gazetteer
from kg.qa.read.places import names_places, unknown_places
from kg.types import Answer, Citation

G = load_gazetteer()


def test_unknown_places_skip_regions_the_nation_and_known_names():
    assert unknown_places("东京2024年GDP增速", G) == ("东京",)
    assert unknown_places("成都2025年GDP增长多少", G) == ()  # every division of China is known
    assert unknown_places("辽宁省2024年旅游收入", G) == ()
    assert unknown_places("中国2024年GDP增速", G) == ()
    assert unknown_places("深圳、广东的离岸地方债分别在哪发", G) == ()


def _answer(text: str, start: int, end: int) -> Answer:
    c = Citation("doc-x", "报告", "chunk-x", start, end, text[start:end])
    return Answer(question="q", text="5.0%", abstained=False, citations=(c,))


def test_evidence_must_name_the_place_in_the_span_or_its_paragraph_lead():
    text = "成都市：全年地区生产总值增长5.5%。全国：实际GDP增长5.0%。"
    s = text.index("全年")
    assert names_places(_answer(text, s, text.index("。") + 1), ("成都",), {"doc-x": text})
    s = text.index("实际")
    assert not names_places(_answer(text, s, len(text)), ("东京",), {"doc-x": text})
