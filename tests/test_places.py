"""Every division of China: codes, levels, parents, aliases, ambiguity and false matches in running text."""
import pytest

from kg.extract.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def _hits(gaz, text, context=None):
    return [(text[a:b], r.code) for a, b, r in gaz.find_regions(text, context)]


@pytest.mark.parametrize("spelling,code,level,name", [
    ("成都", "510100", "prefecture", "成都"), ("成都市", "510100", "prefecture", "成都"),
    ("黔东南", "522600", "prefecture", "黔东南"), ("黔东南州", "522600", "prefecture", "黔东南"),
    ("黔东南苗族侗族自治州", "522600", "prefecture", "黔东南"), ("柳州市", "450200", "prefecture", "柳州"),
    ("西安", "610100", "prefecture", "西安"), ("青岛", "370200", "prefecture", "青岛"),
    ("呼和浩特", "150100", "prefecture", "呼和浩特"), ("厦门", "350200", "prefecture", "厦门"),
    ("深圳", "440300", "prefecture", "深圳"), ("浦东新区", "310115", "county", "浦东新区"),
    ("酉阳土家族苗族自治县", "500242", "county", "酉阳县"), ("酉阳县", "500242", "county", "酉阳县"),
    ("吉林", "220000", "province", "吉林"), ("吉林市", "220200", "prefecture", "吉林"),
    ("海南", "460000", "province", "海南"), ("海南州", "632500", "prefecture", "海南"),
    ("510104", "510104", "county", "锦江区"), ("辽宁", "210000", "province", "辽宁"),
])
def test_divisions_by_alias_full_name_and_code(gaz, spelling, code, level, name):
    r = gaz.region(spelling)
    assert (r.code, r.level, r.name) == (code, level, name)
    assert f"region-{r.code}" == f"region-{code}"


def test_parents_and_is_within(gaz):
    assert [p.code for p in gaz.parents("锦江区")] == ["510100", "510000"]
    assert [p.code for p in gaz.parents("浦东新区")] == ["310000"]  # a municipality's district: no 市辖区 level
    assert [p.code for p in gaz.parents("region-429004")] == ["420000"]  # 仙桃: directly under the province
    assert gaz.is_within("成都", "四川") and gaz.is_within("region-510104", "region-510000")
    assert gaz.is_within("成都", "全国") and gaz.is_within("四川", "四川")
    assert not gaz.is_within("四川", "成都") and not gaz.is_within("成都", "贵州")
    assert gaz.region("普陀区", "舟山").parent == "330900"


def test_an_ambiguous_name_needs_the_documents_region(gaz):
    assert gaz.region("普陀区") is None and gaz.region("朝阳区") is None
    assert gaz.region("普陀区", "上海").code == "310107" and gaz.region("普陀区", "330000").code == "330903"
    assert gaz.region("朝阳区", "region-110000").code == "110105" and gaz.region("朝阳区", "长春").code == "220104"
    assert gaz.region("朝阳").code == "211300"  # the city 朝阳市 outranks the districts' short name
    text = "普陀区和朝阳区的财政收入"
    assert _hits(gaz, text) == []
    assert _hits(gaz, text, "舟山") == [("普陀区", "330903")]
    assert _hits(gaz, text, "region-310000") == [("普陀区", "310107")]
    assert _hits(gaz, text, "北京") == [("朝阳区", "110105")]


def test_prefecture_short_names_match_in_running_text(gaz):
    text = "支持成都、绵阳、南充开展试点，西安、青岛、柳州和黔东南州，呼和浩特市，厦门"
    assert [c for _, c in _hits(gaz, text)] == ["510100", "510700", "511300", "610100", "370200", "450200",
                                                "522600", "150100", "350200"]


def test_ordinary_words_that_are_also_place_names_are_not_places(gaz):
    text = ("城区和新区、开发区、郊区、矿区、市中区；江南区域、东方市场、通道建设、和平发展、河口治理；"
            "大同小异，朝阳产业，长治久安，白银价格，平安顺利；形成县域经济")
    assert _hits(gaz, text) == []
    assert _hits(gaz, "南宁市江南区、海南省东方市、大同市") == [("南宁市", "450100"), ("江南区", "450105"),
                                                          ("海南省", "460000"), ("东方市", "469007"),
                                                          ("大同市", "140200")]


def test_region_entities_carry_the_hierarchy(gaz):
    from kg.extract.entity_records import region_entity
    found = {}
    eid = region_entity(gaz.region("锦江区"), found)
    assert eid == "region-510104" and found[eid].broader == ("region-510100",) and found[eid].code == "510104"


def test_institution_patterns_reach_prefectures(gaz):
    text = "西安市统计局和黔东南州统计局、中国人民银行辽宁省分行、成都市财政局"
    assert [i.id for _, _, i in gaz.find_institutions(text)] == ["stats-610100", "stats-522600", "pboc-210000",
                                                                  "finance-510100"]
    assert gaz.institution("stats-610100").name == "西安市统计局"


def test_trie_regex_matches_exactly_the_words():
    import re

    from kg.extract.matching import trie_regex
    words = ["成都", "成都市", "成华区", "西安", "西安市"]
    rx = re.compile(trie_regex(words))
    assert all(rx.fullmatch(w) for w in words) and not rx.fullmatch("成") and not rx.fullmatch("西安市区")
    assert rx.findall("西安市和成都以及成华区") == ["西安市", "成都", "成华区"]
