"""Section headings and metadata (title, issuer, year, region); the assembled Document."""
import hashlib
from pathlib import Path

import pytest

from ingest.document import build_document
from ingest.meta import guess_metadata
from ingest.sections import find_sections

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
NAMES = sorted(p.name for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def docs():
    return {name: build_document(CORPUS / name) for name in NAMES}


def paths(text: str) -> list[tuple[str, ...]]:
    return [s.path for s in find_sections(text)]


def test_heading_levels_and_paths():
    text = "\n".join([
        "一、经济运行情况", "2024 年，经济运行持续向好。",
        "（一）内需稳定增长", "1.固定资产投资稳中有进。2024 年，固定资产投资同比增长 5.3%。",
        "2. 市场销售加快恢复，旅游市场持续升温。", "社会消费品零售总额增长。",
        "2.1 按项目是否有收益划分", "（1）第一阶段：平均期限维持低位",
        "二、金融运行情况", "正文。",
    ])
    secs = find_sections(text)
    assert [(s.level, s.title) for s in secs] == [
        (1, "一、经济运行情况"), (2, "（一）内需稳定增长"), (3, "1.固定资产投资稳中有进"),
        (3, "2. 市场销售加快恢复，旅游市场持续升温"), (4, "2.1 按项目是否有收益划分"),
        (4, "（1）第一阶段：平均期限维持低位"), (1, "二、金融运行情况")]
    assert secs[4].path == ("一、经济运行情况", "（一）内需稳定增长", "2. 市场销售加快恢复，旅游市场持续升温",
                            "2.1 按项目是否有收益划分")
    assert secs[0].end == secs[1].end == secs[-1].start and secs[-1].end == len(text)
    assert secs[2].end == secs[3].start
    for s in secs:
        assert text[s.start:s.end].startswith(s.title)


def test_lines_that_only_look_numbered_are_not_headings():
    text = "\n".join([
        "一、地方债的小常识\t- 6 -",  # contents entry
        "二、地方债的借用管还..........20",
        "一、大型商业银行\t2909\t66007\t39930\t—",  # table row
        "二、三季度经济下行压力加大，名义 GDP 增速降至 4.0%左右。",
        "10.1 个百分点，涨幅低于 2023年。",
        "1.5亿居民。这在很大程度上减轻了购房者房贷负担。",
        "3.法人机构数量相比上年大幅减少，主要原因为，6月20日，经国家金融监督管理总局批复同意，辽宁农村商业银行吸收合并。",
        "1、" + "很长的一段话" * 12,
    ])
    assert find_sections(text) == ()


def test_a_box_nests_in_its_section_and_its_restarted_numbering_does_not_end_it():
    text = "\n".join([
        "二、金融运行情况", "（一）银行业运行总体平稳", "正文。",
        "专栏 1 统筹做好金融“五篇大文章” 服务经济高质量发展", "导语。",
        "一、健全科技金融服务体系", "正文。", "二、提高绿色金融服务水平", "正文。",
        "（二）证券业发展稳中向好", "正文。", "三、预测与展望", "正文。",
    ])
    by_title = {s.title: s for s in find_sections(text)}
    box = by_title["专栏 1 统筹做好金融“五篇大文章” 服务经济高质量发展"]
    assert box.level == 1 and box.path == ("二、金融运行情况", "（一）银行业运行总体平稳", box.title)
    assert by_title["二、提高绿色金融服务水平"].path == box.path + ("二、提高绿色金融服务水平",)
    assert box.end == by_title["（二）证券业发展稳中向好"].start == by_title["二、提高绿色金融服务水平"].end
    assert by_title["（二）证券业发展稳中向好"].path == ("二、金融运行情况", "（二）证券业发展稳中向好")
    assert by_title["二、金融运行情况"].end == by_title["三、预测与展望"].start


def test_sections_of_the_liaoning_report(docs):
    doc = docs["001_7318713557c0121f.txt"]
    found = {s.path for s in doc.sections}
    assert ("二、金融运行情况", "（一）银行业运行总体平稳") in found
    assert ("二、金融运行情况", "（一）银行业运行总体平稳", "4.存贷款利率稳步下行") in found
    assert ("附录：", "（二）2024 年辽宁省主要经济金融指标") in found
    assert doc.section_at(doc.text.index("旅游收入 6325 亿元")) == (
        "一、经济运行情况", "（二）三次产业稳步增长，经济运行活力增强", "3.服务业保持增长势头，文旅市场加快发展")
    assert not any("\t" in s.title for s in doc.sections)  # the contents list is not a heading list


def test_every_section_is_a_slice_that_starts_with_its_title(docs):
    for name, doc in docs.items():
        assert doc.sections, name
        for s in doc.sections:
            assert doc.text[s.start:s.end].startswith(s.title), (name, s)
            assert s.path[-1] == s.title and s.start < s.end <= len(doc.text)


def test_metadata_of_the_corpus(docs):
    meta = {name: (d.title, d.issuer, d.year, d.region) for name, d in docs.items()}
    assert meta["000_79d761e802c0c155.txt"] == (
        "一揽子增量政策落地显效 宏观杠杆率踏上再平衡之路——2024年度宏观杠杆率报告", "国家资产负债表研究中心", 2024, None)
    assert meta["001_7318713557c0121f.txt"] == ("辽宁省金融运行报告（2025）", "中国人民银行辽宁省分行", 2025, "辽宁")
    assert meta["002_7ea20709f1132c53.txt"] == ("从两会看 2024 年全国经济目标和各省重点工作", "中诚信国际", 2024, None)
    assert meta["003_89f4975142656497.txt"] == ("山西省金融运行报告（2025）", "中国人民银行山西省分行", 2025, "山西")
    title, issuer, year, region = meta["004_3abfec75a228cbda.txt"]  # a report without a title line
    assert "地方债" in title and "_" not in title and issuer == "中泰证券研究所" and region is None


def test_government_work_report_metadata():
    text = "\n".join([
        "政府工作报告。 贵州日报天眼新闻记者 李森 摄", "政府工作报告",
        "（2026年1月27日在贵州省第十四届人民代表大会第四次会议上）", "省长 李炳军", "各位代表：",
        "现在，我代表省人民政府向大会报告工作，请予审议，并请省政协委员和其他列席人员提出意见。",
        "一、2025年和“十四五”时期工作回顾", "2025年在贵州发展进程中极不平凡。"])
    assert guess_metadata(text, "gov_report_2026_guizhou.txt") == guess_metadata(text, "x.txt")  # from the text
    m = guess_metadata(text, "x.txt")
    assert (m.title, m.issuer, m.year, m.region) == ("2026年贵州省政府工作报告", "贵州省人民政府", 2026, "贵州")
    national = "政府工作报告——2024年3月5日在第十四届全国人民代表大会第二次会议上国务院总理 李强\n各位代表：\n" \
               "现在，我代表国务院，向大会报告政府工作，请予审议。\n一、2023年工作回顾\n正文。"
    m = guess_metadata(national, "x.txt")
    assert (m.title, m.issuer, m.year, m.region) == ("2024年国务院政府工作报告", "国务院", 2024, None)


def test_issuer_credited_on_source_lines_and_a_region_only_when_the_report_is_about_one():
    text = "宏观杠杆率季度报告\n摘 要\n一、总判断\n" + \
        "广东、江苏和浙江的债务增速较快。\n资料来源：中国人民银行、国家统计局；国家资产负债表研究中心。\n" * 3
    m = guess_metadata(text, "79d761e802c0c155.txt")
    assert (m.title, m.issuer, m.region) == ("宏观杠杆率季度报告", "国家资产负债表研究中心", None)
    assert guess_metadata("山东省财政运行分析\n一、总体情况\n正文。", "a.txt").region == "山东"


def test_document_ids_and_hashes_come_from_the_raw_bytes(docs, tmp_path):
    name = "001_7318713557c0121f.txt"
    data = (CORPUS / name).read_bytes()
    doc = docs[name]
    assert doc.id == "doc-" + hashlib.sha1(data).hexdigest()[:12]
    assert doc.sha256 == hashlib.sha256(data).hexdigest() and doc.source == name and doc.encoding == "utf-8"
    copy = tmp_path / name
    copy.write_bytes(data)
    assert build_document(copy) == doc  # rebuilding gives the same document
    assert docs["004_3abfec75a228cbda.txt"].footnotes == 143 and doc.pages == ()
