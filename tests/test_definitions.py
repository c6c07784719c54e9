"""Definitions and enumerations: each pattern on literal excerpts, the bundled corpus, the store, the graph, the CLI."""
from __future__ import annotations

import json

import pytest
from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from kg.extract.definitions import definitions, find_definitions, term_key
from kg.extract.enumerations import find_enumerations, number, term_count
from kg.types import Chunk, Definition, content_id


def defs(text: str) -> list[tuple[str, str, str]]:
    return [(text[f.term[0]:f.term[1]], text[f.body[0]:f.body[1]], f.kind) for f in find_definitions(text)]


def enums(text: str) -> list[tuple[str, list[str], str]]:
    found = find_enumerations(text, find_definitions(text))
    return [(text[f.term[0]:f.term[1]], [text[s:e] for s, e in f.items], f.kind) for f in found]


# -- definitions -------------------------------------------------------------------------------------------------
def test_means_with_a_quoted_term_in_a_footnote():
    text = "正文。\n脚注\n¹ 新时代“六地”是指国家重大战略支撑地、重大技术创新策源地。\n"
    assert defs(text) == [("新时代“六地”", "国家重大战略支撑地、重大技术创新策源地", "footnote")]
    assert term_key("新时代“六地”") == "六地"


def test_ie_in_brackets_defines_the_bracketed_term():
    text = "名义 GDP与实际 GDP之间的缺口（即 GDP缩减指数）为-0.8%。"
    assert defs(text) == [("GDP缩减指数", "名义 GDP与实际 GDP之间的缺口", "ie")]


def test_copula_only_when_the_body_ends_on_a_defining_noun():
    assert defs("债务限额空间是地方政府债务限额与债务余额之间的差额，是剩余发债额度的理论上限。") == [
        ("债务限额空间", "地方政府债务限额与债务余额之间的差额", "is")]
    assert defs("稳增长是今年经济工作的首要任务。") == []


def test_abbreviation_takes_the_title_before_it():
    text = "国务院办公厅印发《关于进一步推进省以下财政体制改革工作的意见》（以下简称“20号文”），聚焦基层。"
    assert defs(text) == [("20号文", "关于进一步推进省以下财政体制改革工作的意见", "abbreviation")]


def test_called_takes_the_sentence_before_it():
    text = "2020 年，部分地区开始发行以偿还存量债务为目的的再融资债，将这部分债券称为特殊再融资债。"
    assert defs(text) == [("特殊再融资债", "部分地区开始发行以偿还存量债务为目的的再融资债", "called")]


def test_formula_defines_the_term_on_its_left():
    text = "即接续率的计算公式应为：当年接续率=当年用于偿还到期债券本金的再融资债券发行量/当年地方债到期量。"
    assert defs(text) == [("当年接续率", "当年用于偿还到期债券本金的再融资债券发行量/当年地方债到期量", "formula")]


@pytest.mark.parametrize("text", [
    "报告指出，经济稳中向好。", "加快培育新型消费，发展即时零售。", "严格实行“非禁即入”。",
    "我们认为扣减后的接续率口径更为合理，即接续率的计算公式应为：A/B。", "即接续率<100%。",
    "重大项目支出\t主要指国家重大战略的融资需求测算。", "新三板市场以三板成指 (针对协议转让标的) 为基准。",
    "当年末限额-上年末限额=限额增量+限额回收。", "限额回收 E=A-B-C-D",
])
def test_no_definition_where_none_is_stated(text):
    assert defs(text) == []


def test_glossary_entries_and_the_lists_they_define():
    text = "正文。\n名词解释\n1.“两重”：是指国家重大战略实施和重点领域安全能力建设。\n2.“两新”：是指大规模设备更新和消费品以旧换新。\n"
    assert [d[:2] for d in defs(text) if d[2] == "glossary"] == [
        ("两重", "国家重大战略实施和重点领域安全能力建设"), ("两新", "大规模设备更新和消费品以旧换新")]
    assert ("两新", ["大规模设备更新", "消费品以旧换新"], "definition") in enums(text)


# -- enumerations ------------------------------------------------------------------------------------------------
def test_numbers_and_term_counts():
    assert [number(w) for w in ("一", "十", "十二", "二十", "两", "9")] == [1, 10, 12, 20, 2, 9]
    assert (term_count("三大工程"), term_count("一案两书"), term_count("五个更加注重"), term_count("专项债")) == (3, 3, 5, None)


def test_etc_list_named_by_a_counted_term_loses_its_leading_verb():
    text = "稳步推进保障性住房建设、“平急两用”公共基础设施建设、城中村改造等“三大工程”。"
    assert enums(text) == [("三大工程", ["保障性住房建设", "“平急两用”公共基础设施建设", "城中村改造"], "etc")]
    assert enums("推进A建设、B建设等“四大工程”。") == [], "three items announced as four"
    assert enums("突破芯片、机床、医疗装备等“卡脖子”技术。") == [], "a quoted term that counts nothing"


def test_a_list_right_before_a_quoted_counted_term_without_deng():
    assert enums("统筹发展和安全，算好财力、空间、环境“三本账”，切实防止分解谬误。") == [
        ("三本账", ["算好财力", "空间", "环境"], "etc")]
    assert enums("推动外贸优结构，电动汽车、锂电池、光伏产品“新三样”出口增长近30%。") == [
        ("新三样", ["电动汽车", "锂电池", "光伏产品"], "etc")]
    assert enums("坚持还债，通过“四个一批”和化债奖补拿出206亿元。") == [], "a mention, no list"
    assert enums("推进芯片、机床“三大工程”。") == [], "two items announced as three"


def test_ordinals_need_a_head_and_the_announced_count():
    text = "稳楼市重在解决两个失衡：一是商品房和保障房供需结构性失衡；二是资产缩水与债务刚性之间的失衡。"
    assert enums(text) == [("稳楼市重在解决两个失衡", ["商品房和保障房供需结构性失衡", "资产缩水与债务刚性之间的失衡"], "ordinal")]
    assert enums("包含三个方面：一是A项；二是B项。") == []
    assert enums("一是加大宏观调控力度。二是推动经济运行。") == [], "no head clause: no term to attach"


def test_circled_items_and_dash_lines():
    text = "地方债限额调配有三种方式：①一般债限额与专项债限额之间的调配；②债务限额跨地区的调配；③债务限额跨年度的调配。"
    assert enums(text)[0][0] == "地方债限额调配有三种方式" and len(enums(text)[0][1]) == 3
    text = "在工作推进中做到“五个更加注重”：\n" + "".join(f"——更加注重第{k}件事。后文。\n" for k in "一二三四五")
    (term, items, kind), = enums(text)
    assert (term, kind, items[0]) == ("五个更加注重", "dash", "更加注重第一件事")


def test_include_lists_and_bracketed_lists():
    assert enums("小型农村金融机构包括农村商业银行、农村合作银行和农村信用社。") == [
        ("小型农村金融机构", ["农村商业银行", "农村合作银行", "农村信用社"], "include")]
    assert enums("营业网点不包括国家开发银行和政策性银行。") == []
    assert enums("压减三公经费（因公出国（境）费、公务用车购置及运行费、公务接待费）。") == [
        ("三公经费", ["因公出国（境）费", "公务用车购置及运行费", "公务接待费"], "paren")]


# -- the bundled corpus ------------------------------------------------------------------------------------------
def test_corpus_definitions_and_lists_keep_exact_spans(parsed_corpus):
    for name, p in parsed_corpus.items():
        text, chunks = p.doc.text, {c.id: c for c in p.chunks}
        for d in p.facts.definitions:
            assert text[d.term_span[0]:d.term_span[1]] == d.term and text[d.body_span[0]:d.body_span[1]] == d.body
            c = chunks[d.chunk_id]
            assert c.start < d.body_span[1] and d.body_span[0] < c.end, (name, d)
        for e in p.facts.enumerations:
            assert all(text[s:t] == x for (s, t), x in zip(e.items, e.item_texts))
            assert text[e.term_span[0]:e.term_span[1]] == e.term


def _find(parsed_corpus, doc: str, kind: str, key: str):
    facts = parsed_corpus[doc].facts
    return [x for x in (facts.definitions if kind == "definition" else facts.enumerations) if x.key == key]


def test_corpus_finds_the_lists_and_definitions_analysts_ask_about(parsed_corpus):
    (liudi,) = [e for e in _find(parsed_corpus, "001_7318713557c0121f.txt", "enumeration", "六地")]
    assert len(liudi.items) == 6 and liudi.item_texts[-1] == "东北亚开放合作枢纽地"
    sanda = _find(parsed_corpus, "002_7ea20709f1132c53.txt", "enumeration", "三大工程")
    assert any(e.item_texts == ("保障性住房建设", "“平急两用”公共基础设施建设", "城中村改造") for e in sanda)
    (yian,) = _find(parsed_corpus, "004_3abfec75a228cbda.txt", "enumeration", "一案两书")
    assert yian.item_texts == ("专项债券项目实施方案", "项目财务评价报告书", "项目法律意见书")
    (space,) = _find(parsed_corpus, "004_3abfec75a228cbda.txt", "definition", "债务限额空间")
    assert space.body == "地方政府债务限额与债务余额之间的差额" and space.kind == "is"
    (gdp,) = _find(parsed_corpus, "000_79d761e802c0c155.txt", "definition", "GDP缩减指数")
    assert "名义" in gdp.body


def test_a_term_that_is_a_concept_links_to_it():
    text = "专项债券是指为有一定收益的公益性项目发行的政府债券。"
    chunk = Chunk(content_id("chunk", "doc-x", 0, len(text)), "doc-x", 0, len(text), text)
    (d,) = definitions("doc-x", text, (chunk,), lambda key: "concept-专项债券" if key == "专项债券" else None)
    assert (d.concept, d.chunk_id, d.kind) == ("concept-专项债券", chunk.id, "means")
    with pytest.raises(ValueError):
        Definition("def-1", "doc-x", chunk.id, "专项", (0, 4), d.body, d.body_span, "means")


# -- store, graph, CLI -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kb_with_facts(parsed_corpus, tmp_path_factory):
    from kg.kb.store import KnowledgeBase
    root = tmp_path_factory.mktemp("defs-kb")
    with KnowledgeBase.open(root, create=True) as kb:
        for p in parsed_corpus.values():
            kb.put(p.doc, p.tables, p.chunks, p.facts)
    return root, parsed_corpus


def test_store_round_trip_and_lookup(kb_with_facts):
    from kg.kb.store import KnowledgeBase
    from kg.kb.terms import lookup
    root, parsed = kb_with_facts
    p = parsed["004_3abfec75a228cbda.txt"]
    with KnowledgeBase.open(root) as kb:
        assert tuple(kb.facts("definition", p.doc.id)) == p.facts.definitions
        assert kb.doc_facts(p.doc.id).enumerations == p.facts.enumerations
        found = lookup(kb, "“六地”")
    assert [e.key for e in found.enumerations] == ["六地"] and [d.key for d in found.definitions] == ["六地"]


def test_graph_carries_definitions_items_and_skos_definition(parsed_corpus):
    from kg.graph.rdf import doc_graph
    from kg.graph.vocab import PKG, definition_uri, entity_uri, enumeration_uri
    p = parsed_corpus["004_3abfec75a228cbda.txt"]
    g = doc_graph(p.doc, p.chunks, p.facts.entities, definitions=p.facts.definitions,
                  enumerations=p.facts.enumerations)
    d = p.facts.definitions[0]
    assert (definition_uri(d.id), RDF.type, PKG.Definition) in g
    linked = [x for x in p.facts.definitions if x.concept]
    assert linked, "some term of the debt report is a gazetteer concept"
    assert any(o.value == linked[0].body for o in g.objects(entity_uri(linked[0].concept), SKOS.definition))
    e = next(x for x in p.facts.enumerations if x.key == "一案两书")
    items = sorted(g.objects(enumeration_uri(e.id), PKG.item))
    assert items == [URIRef(f"{enumeration_uri(e.id)}#item-{k}") for k in (1, 2, 3)]


def test_cli_definitions_json(kb_with_facts, capsys):
    from kg.cli.main import main
    root, _ = kb_with_facts
    assert main(["definitions", "--kb", str(root), "--term", "一案两书", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["type"] for r in rows} == {"definition", "enumeration"}
    assert all(r["key"] == "一案两书" for r in rows)


def test_items_framed_by_the_term_lose_the_frame():
    text = "名词解释\n1.重大慢性病防治“四早”工程：重大慢性病综合防治早预防、早干预、早发现、早诊治工程。\n"
    assert ("重大慢性病防治“四早”工程", ["早预防", "早干预", "早发现", "早诊治"], "definition") in enums(text)
    text = "在册亨、罗甸、望谟、三都、贞丰、榕江、镇宁、关岭等8个重点县建设露地冬春果蔬基地。"
    assert enums(text) == [("8个重点县", ["册亨", "罗甸", "望谟", "三都", "贞丰", "榕江", "镇宁", "关岭"], "etc")]


def test_semicolon_lists_after_a_head():
    text = "今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上；居民消费价格涨幅3%左右。"
    assert enums(text) == [("今年发展主要预期目标", ["国内生产总值增长5%左右", "城镇新增就业1200万人以上", "居民消费价格涨幅3%左右"],
                            "semicolon")]
    assert enums("划分为：①市级固定收入：银行、保险等；②区级固定收入：资源税等；③其他税种。")[0][2] == "circled"
    assert number("十十") is None and term_count("十十条") is None
