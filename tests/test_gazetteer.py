"""Gazetteers: regions, SKOS concepts, institutions, document numbers, titles, the spaCy entity_ruler patterns."""
import pytest

from kg.extract.gazetteer import CONCEPT_NS, _key, load_gazetteer

PROVINCE_LEVEL = {  # the 34 province-level divisions: code, short name, full name
    "110000": ("北京", "北京市"), "120000": ("天津", "天津市"), "130000": ("河北", "河北省"),
    "140000": ("山西", "山西省"), "150000": ("内蒙古", "内蒙古自治区"), "210000": ("辽宁", "辽宁省"),
    "220000": ("吉林", "吉林省"), "230000": ("黑龙江", "黑龙江省"), "310000": ("上海", "上海市"),
    "320000": ("江苏", "江苏省"), "330000": ("浙江", "浙江省"), "340000": ("安徽", "安徽省"),
    "350000": ("福建", "福建省"), "360000": ("江西", "江西省"), "370000": ("山东", "山东省"),
    "410000": ("河南", "河南省"), "420000": ("湖北", "湖北省"), "430000": ("湖南", "湖南省"),
    "440000": ("广东", "广东省"), "450000": ("广西", "广西壮族自治区"), "460000": ("海南", "海南省"),
    "500000": ("重庆", "重庆市"), "510000": ("四川", "四川省"), "520000": ("贵州", "贵州省"),
    "530000": ("云南", "云南省"), "540000": ("西藏", "西藏自治区"), "610000": ("陕西", "陕西省"),
    "620000": ("甘肃", "甘肃省"), "630000": ("青海", "青海省"), "640000": ("宁夏", "宁夏回族自治区"),
    "650000": ("新疆", "新疆维吾尔自治区"), "710000": ("台湾", "台湾省"), "810000": ("香港", "香港特别行政区"),
    "820000": ("澳门", "澳门特别行政区"),
}
SEPARATELY_PLANNED = {"210200": "大连", "370200": "青岛", "330200": "宁波", "350200": "厦门", "440300": "深圳"}


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def _hits(finder, text):
    return [(text[a:b], getattr(v, "code", None) or getattr(v, "id", None) or v.label) for a, b, v in finder(text)]


# -- regions ---------------------------------------------------------------------------------------------------

def test_every_province_level_division_resolves_by_short_and_full_name(gaz):
    for code, (name, full) in PROVINCE_LEVEL.items():
        for spelling in (name, full):
            r = gaz.region(spelling)
            assert r is not None and r.code == code, spelling
        assert gaz.region(code).name == name
    types = [r.type for r in gaz.regions if r.code in PROVINCE_LEVEL]
    assert (types.count("province"), types.count("autonomous_region"), types.count("municipality"),
            types.count("sar")) == (23, 5, 4, 2)


def test_separately_planned_cities_corps_and_nation(gaz):
    for code, name in SEPARATELY_PLANNED.items():
        r = gaz.region(name + "市")
        assert (r.code, r.name, r.type) == (code, name, "separately_planned_city")
        assert r.parent == code[:2] + "0000"
    assert gaz.region("宁波市").parent == "330000"
    assert {gaz.region(s).code for s in ("兵团", "新疆兵团", "新疆生产建设兵团")} == {"660000"}
    assert gaz.region("新疆").code == "650000"
    nation = gaz.region("全国")
    assert (nation.code, nation.type) == ("100000", "country")
    levels = [r.level for r in gaz.regions]
    assert (levels.count("country"), levels.count("province")) == (1, 34 + 1)  # 兵团 counts as a province
    assert 333 <= levels.count("prefecture") <= 350 and levels.count("county") >= 2840  # GB/T 2260, 2025


@pytest.mark.parametrize("spelling", ["广东（不含深圳）", "广东(不含深圳)", "广东 (不含深圳)", "广东省（不含深圳）"])
def test_excluding_variants_resolve_to_the_province(spelling, gaz):
    r = gaz.region(spelling)
    assert (r.code, r.name) == ("440000", "广东")


def test_autonomous_region_spellings(gaz):
    for spelling, code in [("内蒙古自治区", "150000"), ("广西自治区", "450000"), ("广西壮族自治区", "450000"),
                           ("新疆维吾尔自治区", "650000"), ("宁夏回族自治区", "640000"), ("香港特区", "810000")]:
        assert gaz.region(spelling).code == code


def test_one_character_abbreviations_are_not_aliases(gaz):
    assert gaz.region("辽") is None and gaz.region("晋") is None
    assert [r.code for r in gaz.regions_by_abbr("晋")] == ["140000"]
    assert {r.code for r in gaz.regions_by_abbr("青")} == {"630000", "370200"}
    assert _hits(gaz.find_regions, "辽、晋、冀三省") == []


def test_find_regions_longest_match_and_blockers(gaz):
    text = "广东（不含深圳）、新疆兵团和吉林省，吉林市是地级市；浙江西部、幸福建设、全国人大、黄河南岸；全国平均"
    assert _hits(gaz.find_regions, text) == [
        ("广东（不含深圳）", "440000"), ("新疆兵团", "660000"), ("吉林省", "220000"), ("吉林市", "220200"),
        ("浙江", "330000"), ("全国", "100000")]


def test_find_regions_across_a_pdf_line_break_but_not_a_table_cell(gaz):
    assert _hits(gaz.find_regions, "内蒙\n古自治区") == [("内蒙\n古自治区", "150000")]
    assert _hits(gaz.find_regions, "辽\t宁") == []


# -- concepts --------------------------------------------------------------------------------------------------

def test_alt_labels_resolve_to_the_preferred_concept(gaz):
    for alt, pref in [("专项债", "专项债券"), ("社融", "社会融资规模"), ("固投", "固定资产投资"),
                      ("社零", "社会消费品零售总额"), ("一般债", "一般债券"), ("置换债", "置换债券"),
                      ("特殊再融资债", "特殊再融资债券"), ("地方债", "地方政府债券"), ("GDP 缩减指数", "GDP缩减指数"),
                      ("lpr", "LPR"), ("贷款市场报价利率", "LPR"), ("城投平台", "融资平台")]:
        assert gaz.concept(alt).label == pref, alt
    c = gaz.concept("专项债")
    assert c.uri == CONCEPT_NS + "special-bond" and gaz.concept(c.uri) is c
    assert gaz.concept("不存在的概念") is None


def test_broader_chain_and_narrower(gaz):
    special = gaz.concept("特殊再融资债")
    assert [c.label for c in gaz.ancestors(special)][:2] == ["再融资债券", "地方政府债券"]
    assert {c.label for c in gaz.narrower(gaz.concept("专项债券"))} >= {
        "土储债", "棚改债", "收费公路债", "中小银行专项债", "项目收益专项债"}
    assert {c.label for c in gaz.narrower(gaz.concept("宏观杠杆率"))} == {
        "居民部门杠杆率", "非金融企业杠杆率", "政府部门杠杆率"}
    assert {c.label for c in gaz.ancestors(gaz.concept("新增专项债"))} >= {"新增债券", "专项债券"}


def test_concept_scheme_is_closed_and_small(gaz):
    uris = {c.uri for c in gaz.concepts}
    assert 100 <= len(uris) <= 300
    for c in gaz.concepts:
        assert set(c.broader) <= uris and set(c.related) <= uris, c.label
        assert c not in gaz.ancestors(c), f"cycle through {c.label}"


def test_find_concepts_longest_match_and_boundaries(gaz):
    text = "新增专项债券和特殊再融资债，继续发行专项债；M2增速、M20；GDP 缩减指数连续为负；新增债务"
    assert _hits(gaz.find_concepts, text) == [
        ("新增专项债券", "新增专项债"), ("特殊再融资债", "特殊再融资债券"), ("专项债", "专项债券"), ("M2", "M2"),
        ("GDP 缩减指数", "GDP缩减指数")]


# -- institutions ----------------------------------------------------------------------------------------------

def test_institution_aliases_and_short_forms(gaz):
    for name, iid in [("央行", "pboc"), ("人民银行", "pboc"), ("人行", "pboc"), ("国办", "state-council-office"),
                      ("发改委", "ndrc"), ("金融监管总局", "nfra"), ("国常会", "state-council-executive-meeting"),
                      ("中债登", "ccdc"), ("中诚信国际", "ccxi"), ("上交所", "sse"), ("工行", "icbc")]:
        assert gaz.institution(name).id == iid, name
    assert gaz.institution("中央经济工作会议").type == "meeting"


def test_institution_patterns(gaz):
    branch = gaz.institution("中国人民银行山西省分行")
    assert (branch.id, branch.parent, branch.region, branch.type) == ("pboc-140000", "pboc", "140000", "central_bank")
    assert gaz.institution("人民银行宁波市中心支行").id == "pboc-330200"
    assert gaz.institution("北京市财政局").id == "finance-110000"
    assert gaz.institution("交通银行辽宁省分行").parent == "bocom"


def test_find_institutions_in_running_text(gaz):
    text = ("2024年12月，国务院\n\n办公厅发布意见；中国人民银行辽宁省分行、国家金融监督管理总局辽宁监管局和辽宁省统计局；"
            "加工行业、市县财政部门")  # 工行 and 财政部 must not be found in the last two
    assert [h[1] for h in _hits(gaz.find_institutions, text)] == [
        "state-council-office", "pboc-210000", "nfra-210000", "stats-210000"]


# -- document numbers and titles -------------------------------------------------------------------------------

def test_doc_numbers_in_corpus_sentences(gaz):
    text = ("国务院\n\n办公厅发布《关于优化完善地方政府专项债券管理机制的意见》（国办发〔2024〕\n\n52号），强化专项债全流程管理。"
            "山西省地方金融管理局等七部门印发《山西省焦化、有色行业转型金融支持目录（试行）》（晋银发〔2024〕40号）。"
            "财政部在财库〔2018〕61 号³⁶中，提出了发行地方债偿还 2018 年到期地方债规模上限的确定原则。"
            "（财预[2019]9号）与 43号文、国发20号文")
    got = [(d.label, d.institution, d.region) for d in gaz.find_doc_numbers(text)]
    assert got == [("国办发〔2024〕52号", "state-council-office", None),
                   ("晋银发〔2024〕40号", "pboc-140000", "140000"),
                   ("财库〔2018〕61号", "mof", None),
                   ("财预〔2019〕9号", "mof", None),
                   ("43号文", None, None),
                   ("国发20号文", "state-council", None)]
    d = gaz.find_doc_numbers(text)[2]
    assert text[d.start:d.end] == "财库〔2018〕61 号" and (d.issuer, d.year, d.number) == ("财库", 2018, 61)


def test_doc_number_brackets_and_unknown_issuers(gaz):
    for text, label in [("【2020】", None), ("依据渝府发【2020】12号", "渝府发〔2020〕12号"),
                        ("见（2021）3号", "〔2021〕3号"), ("青银发〔2024〕1号", "青银发〔2024〕1号")]:
        assert [d.label for d in gaz.find_doc_numbers(text)] == ([label] if label else [])
    assert gaz.find_doc_numbers("青银发〔2024〕1号")[0].region is None  # 青 is 青海 and 青岛


def test_titles(gaz):
    text = "印发《关于优化完善地方政府专项债券\n管理机制的意见》和《2024 年政府工作报告》"
    assert [(text[t.start:t.end][:2], t.title) for t in gaz.find_titles(text)] == [
        ("《关", "关于优化完善地方政府专项债券管理机制的意见"), ("《2", "2024年政府工作报告")]


# -- whole corpus ----------------------------------------------------------------------------------------------

def test_every_corpus_span_is_an_alias_and_spans_do_not_overlap(gaz, corpus_files):
    surfaces = {_key(a) for r in gaz.regions for a in r.aliases} | {
        _key(a) for c in gaz.concepts for a in (c.label, *c.alt_labels)}
    for path in corpus_files:
        text = path.read_text(encoding="utf-8")
        for finder in (gaz.find_regions, gaz.find_concepts):
            spans = finder(text)
            assert spans, f"{path.name}: nothing found by {finder.__name__}"
            assert all(_key(text[a:b]) in surfaces for a, b, _ in spans)
            assert all(b1 <= a2 for (_, b1, _), (a2, _, _) in zip(spans, spans[1:]))


# -- spaCy -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("segmenter", ["char", "jieba"])
def test_spacy_entity_ruler_from_patterns(segmenter, gaz):
    spacy = pytest.importorskip("spacy")
    if segmenter == "jieba":
        pytest.importorskip("jieba")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": segmenter}}})
    nlp.add_pipe("entity_ruler").add_patterns(gaz.patterns_for_spacy())
    doc = nlp("2024年，辽宁省发行专项债支持三大工程，中国人民银行辽宁省分行和财政部参与。")
    ents = [(e.text, e.label_, e.ent_id_) for e in doc.ents]
    assert ("辽宁省", "REGION", "210000") in ents
    assert ("专项债", "CONCEPT", CONCEPT_NS + "special-bond") in ents
    assert ("中国人民银行辽宁省分行", "ORG", "pboc-210000") in ents
