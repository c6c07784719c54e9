"""The context a report leaves implicit: its region at any level, date, genre and data period; relative periods
and the document's region resolved on figures and marked inferred, in the store and in the graph."""
import sqlite3

import pytest

from ingest.context import data_period, genre_of, report_date
from ingest.meta import guess_metadata
from kg.extract.figures import Context, span_figures
from kg.extract.gazetteer import load_gazetteer

from conftest import SHARED

EXTRA = SHARED / "extra"
REALPDF = SHARED / "realpdf"


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


def test_a_city_bureaus_communique_is_about_the_city():
    text = "西安市2025年国民经济和社会发展统计公报\n西安市统计局\n国家统计局西安调查队\n2026年3月20日\n" \
           "一、综合\n初步核算，全年全市地区生产总值13500亿元，比上年增长5.5%。\n"
    m = guess_metadata(text, "x.txt")
    assert (m.region, m.region_code, m.genre, m.date) == ("西安", "610100", "统计公报", "2026-03-20")
    assert data_period(m.genre, m.title, m.date, m.year, 2025) == "2025"


def test_region_from_the_issuer_and_date_from_the_closing_line():
    text = "综合\n全州经济运行稳中有进。\n一、农业\n全年粮食产量增长1.2%。\n黔东南州统计局\n2024-05-07\n"
    m = guess_metadata(text, "x.txt")
    assert (m.region, m.region_code, m.issuer, m.date, m.genre) == \
        ("黔东南", "522600", "黔东南州统计局", "2024-05-07", "统计公报")


def test_delivery_date_genre_and_the_periods_a_report_covers():
    head = ["政府工作报告", "（2026年1月27日在贵州省第十四届人民代表大会第四次会议上）"]
    text = "\n".join(head) + "\n正文。"
    assert report_date(text, head) == "2026-01-27"
    assert data_period("政府工作报告", "政府工作报告", "2026-01-27", 2026, 2026) == "2025-2026"
    title = "关于呼和浩特市2025年预算执行情况和2026年预算（草案）的报告"
    assert genre_of(title, [], "") == "预算/决算"
    assert data_period("预算/决算", title, "2026-02-10", 2025, 2025) == "2025-2026"
    assert genre_of("2022年辽宁省国民经济和社会发展统计公报", [], "") == "统计公报"
    assert data_period("统计公报", "2022年辽宁省国民经济和社会发展统计公报", "2023-03-01", 2022, 2022) == "2022"
    assert genre_of("辽宁省金融运行报告（2025）", [], "") == "金融运行报告"
    assert genre_of("柳州市龙建投资发展有限责任公司相关债券2025年跟踪评级报告", [], "") == "评级报告"


def test_relative_periods_resolve_against_the_delivery_year_and_are_marked(gz):
    text = ("过去五年，全省经济总量年均增长5.7%。过去一年，地区生产总值增长5.1%。"
            "今年主要预期目标是：地区生产总值增长5.5%左右。2025年末贷款余额增长8.0%。")
    found = {f.text: f for f in span_figures(text, 0, len(text), gz, Context("doc-t", 2026, "region-510000", 2026))}
    assert (found["5.7"].period, found["5.7"].period_inferred) == ("2021-2025", True)
    assert (found["5.1"].period, found["5.1"].period_inferred) == ("2025", True)
    assert (found["5.5"].period, found["5.5"].period_inferred) == ("2026", True)
    assert (found["8.0"].period, found["8.0"].period_inferred) == ("2025年末", False)  # written with the figure
    assert all(f.region == "region-510000" and f.region_inferred for f in found.values())
    half = "上半年，全省地区生产总值增长5.3%。"
    f = span_figures(half, 0, len(half), gz, Context("doc-t", 2025, "region-510000", 2026))[0]
    assert (f.period, f.period_inferred) == ("2025H1", True)  # the year is the report's data year
    stated = "2025年上半年，全省地区生产总值增长5.3%。"
    f = span_figures(stated, 0, len(stated), gz, Context("doc-t", 2025, "region-510000", 2026))[0]
    assert (f.period, f.period_inferred) == ("2025H1", False)


def test_a_named_region_is_not_inferred_and_the_document_period_fills_a_gap(gz):
    text = "成都市地区生产总值增长5.6%。全市规模以上工业增加值增长6.0%。"
    ctx = Context("doc-t", 2025, "region-510100", 2026, "2025")
    found = {f.text: f for f in span_figures(text, 0, len(text), gz, ctx)}
    assert (found["5.6"].region, found["5.6"].region_inferred) == ("region-510100", False)
    assert (found["6.0"].region, found["6.0"].region_inferred) == ("region-510100", True)
    assert (found["6.0"].period, found["6.0"].period_inferred) == ("2025", True)


@pytest.mark.skipif(not (EXTRA / "gov_report_2026_sichuan.txt").exists(), reason="needs ../shared/extra")
def test_sichuan_2026_report_today_is_2026_and_last_year_2025():
    from kg.kb.build import parse_file
    p = parse_file(EXTRA / "gov_report_2026_sichuan.txt")
    d, text = p.doc, p.doc.text
    assert (d.region, d.region_code, d.date, d.genre, d.data_period) == \
        ("四川", "510000", "2026-02-03", "政府工作报告", "2025-2026")
    target = text.index("今年全省经济社会发展主要预期目标是：地区生产总值增长5.5%")
    f = next(f for f in p.facts.figures if f.start > target and f.text == "5.5")
    assert (f.period, f.period_inferred, f.region, f.region_inferred) == ("2026", True, "region-510000", True)
    five = text.index("五年来，我们坚定不移推动高质量发展")
    g = next(f for f in p.facts.figures if f.start > five and f.text == "5.7")
    assert (g.period, g.period_inferred) == ("2021-2025", True)
    last = text.index("过去一年，面对复杂严峻形势")
    h = next(f for f in p.facts.figures if f.start > last)
    assert (h.period, h.period_inferred) == ("2025", True)


@pytest.mark.skipif(not (REALPDF / "stats_2025_xian.pdf").exists(), reason="needs ../shared/realpdf")
def test_a_real_city_communique_gives_its_figures_the_city_and_year():
    from kg.kb.build import parse_file
    p = parse_file(REALPDF / "stats_2025_xian.pdf")
    d = p.doc
    assert (d.region, d.region_code, d.genre, d.data_period) == ("西安", "610100", "统计公报", "2025")
    figs = p.facts.figures
    city = [f for f in figs if f.region == "region-610100"]
    assert len(city) >= 0.9 * len(figs) and any(f.region_inferred for f in city)
    assert sum(1 for f in figs if f.period.startswith("2025")) >= 0.8 * len(figs)
    assert "region-610000" in {e.id for e in p.facts.entities}  # the city's province is described too


def test_document_context_is_stored_and_an_old_knowledge_base_still_loads(tmp_path):
    from kg.kb.store import KnowledgeBase
    from kg.types import Document
    doc = Document("doc-000000000001", "a.txt", "西安市统计公报", "正文。", "0" * 64, region="西安",
                   date="2026-03-20", genre="统计公报", region_code="610100", data_period="2025", data_year=2025)
    with KnowledgeBase.open(tmp_path / "kb", create=True) as kb:
        kb.put(doc, (), ())
        assert kb.document(doc.id) == doc
    old = tmp_path / "old"
    with KnowledgeBase.open(old, create=True) as kb:
        kb.put(doc, (), ())
    db = sqlite3.connect(old / "kb.sqlite")  # as a knowledge base written before the context column
    db.execute("ALTER TABLE documents DROP COLUMN context")
    db.commit()
    db.close()
    with KnowledgeBase.open(old) as kb:
        back = kb.document(doc.id)
    assert (back.title, back.region, back.date, back.region_code) == ("西安市统计公报", "西安", None, None)


def test_inferred_values_are_marked_in_the_graph():
    from kg.graph.rdf import doc_graph
    from kg.graph.vocab import PKG
    from kg.types import Document, Figure
    from rdflib.namespace import DCTERMS
    doc = Document("doc-000000000002", "b.txt", "t", "增长5.5%。", "0" * 64, region="四川", date="2026-02-03",
                   genre="政府工作报告", region_code="510000", data_period="2025-2026")
    f = Figure("fig-1", doc.id, "chunk-1", 2, 5, "5.5", 5.5, "%", 0.01, "增长", "2026", "region-510000",
               period_inferred=True, region_inferred=True)
    g = doc_graph(doc, figures=[f])
    inferred = {str(o).rsplit("#", 1)[-1] for o in g.objects(None, PKG.inferred)}
    assert inferred == {"refArea", "refPeriod"}
    assert [str(o) for o in g.objects(None, DCTERMS.date)] == ["2026-02-03"]
    assert [str(o) for o in g.objects(None, PKG.genre)] == ["政府工作报告"]
