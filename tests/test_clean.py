"""Cleaning: line joins, footnotes, tables and contents untouched, page furniture and web chrome dropped."""
from collections import Counter
from pathlib import Path

import pytest

from ingest.clean import clean
from ingest.read import read_source

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def text_of(raw: str) -> str:
    return clean((raw,), is_pdf=False).text


# 000: every PDF line is followed by a blank line, and lines break inside words.
SUMMARY_000 = """⚫ 2024年宏观杠杆率被动攀升，但涨幅收窄。一方面，实体经

济债务全年同比增长 8.0%，其中居民和企业部门债务分别

同比增长 3.4%和 7.0%，处于历史较低水平。另一方面，名

义经济增速进一步放缓至 4.2%，GDP 缩减指数连续七个季

度为负。债务扩张与名义经济增速双降导致宏观杠杆率上升

10.1个百分点，涨幅低于 2023年。

⚫ 随着一揽子增量政策落地显效，四季度宏观杠杆率结构趋于
"""

HOUSING_000 = """此外，存量房贷利率下调对提振居民消费也有一定积极影响。2024 年四季

度，存量房贷利率平均下降 0.5个百分点，预计为购房者每年节省利息支出 1500

亿元，惠及 5000万户家庭，1.5亿居民。这在很大程度上减轻了购房者房贷负担，

有助于修复居民部门资产负债表，从而提升消费能力和提振消费信心，促进消费

贷款增长。 
（二）非金融企业杠杆率增长放缓 

非金融企业杠杆率共上升 4.5个百分点，从 2023年末的 163.9%上升至 2024
"""


def test_lines_broken_inside_a_sentence_are_joined_across_blank_lines():
    text = text_of(SUMMARY_000)
    assert "一方面，实体经济债务全年同比增长 8.0%，其中居民和企业部门债务分别同比增长 3.4%和 7.0%" in text
    assert "另一方面，名义经济增速进一步放缓至 4.2%，GDP 缩减指数连续七个季度为负。" in text
    assert "宏观杠杆率上升10.1个百分点，涨幅低于 2023年。\n\n⚫ 随着" in text  # a real paragraph break stays


def test_spaces_inside_lines_are_kept_and_none_added_at_cjk_joins():
    text = text_of(HOUSING_000)
    assert "2024 年四季度，存量房贷利率平均下降 0.5个百分点" in text
    assert "每年节省利息支出 1500亿元，惠及 5000万户家庭，1.5亿居民。" in text
    assert "促进消费贷款增长。\n（二）非金融企业杠杆率增长放缓\n\n非金融企业杠杆率共上升" in text
    assert all(line == line.rstrip() for line in text.split("\n"))


def test_a_space_between_latin_tokens_only_where_the_source_had_one():
    long = "本报告的测算数据均来自万得数据库和国家统计局公开发布的统计资料，并通过"
    assert "通过 Wind API 接口" in text_of(long + " Wind \nAPI 接口汇总。\n")
    assert "通过PM2.5平均浓度" in text_of(long + "PM\n2.5平均浓度降至28.5微克每立方米。\n")


def test_headings_captions_and_notes_stay_on_their_own_lines():
    raw = """ 一、总判断：债务扩张与名义经济增速双降，宏观杠杆率涨幅收

窄 

2024 年第四季度宏观杠杆率上升 0.4 个百分点，从三季度末的 290.2%上升

至 290.6%。其中，居民部门杠杆率下降 0.2个百分点，从三季度末的 61.6%下降

图 1  实体经济部门杠杆率及其分布

资料来源：中国人民银行、国家统计局、财政部；国家资产负债表研究中心。

注：根据国家统计局修订后的 2023 年 GDP 核算结果，本报告调整了

2023~2024 年宏观杠杆率的估算结果，与之前的报告有微小偏差。

（一）居民部门杠杆率连续三个季度下降

居民部门杠杆率共下降 0.5个百分点，从 2023年末的 61.9%下降至 2024年
"""
    lines = text_of(raw).split("\n")
    assert "一、总判断：债务扩张与名义经济增速双降，宏观杠杆率涨幅收窄" in lines  # a wrapped heading
    assert "图 1  实体经济部门杠杆率及其分布" in lines
    assert "资料来源：中国人民银行、国家统计局、财政部；国家资产负债表研究中心。" in lines
    assert ("注：根据国家统计局修订后的 2023 年 GDP 核算结果，本报告调整了2023~2024 年宏观杠杆率的估算结果，"
            "与之前的报告有微小偏差。") in lines
    assert "（一）居民部门杠杆率连续三个季度下降" in lines


# 004: a sentence continues after a block of footnote lines (the page break of the source PDF).
FOOTNOTES_004 = """注：名称中包含“再融资”的债券，整只债券发行规模均用于再融资。

再融资债限额披露情况较为有限。2019 年，北京³⁸、上海³⁹、重庆⁴⁰和

³⁶ 资料来源：http://gks.mof.gov.cn/ztztz/guozhaiguanli/difangzhengfuzhaiquan/201805/t20180508_2887731.htm

³⁷ 资料来源：http://yss.mof.gov.cn/zhuantilanmu/dfzgl/sjti/201805/t20180516_2898680.htm

³⁸ 资料来源：http://czj.beijing.gov.cn/zwx/czsj/czyjs/201912/t20191209_975692.html

³⁹ 资料来源：<http://czj.sh.gov.cn/cmsres/62/62a1e706d2cb4052bffb9c345f2810ed/2e2b47e459a79db35f62fb977b7ac6b9.pdf>

四川⁴¹披露了再融资债发行规模上限,分别为294.45亿元、350.5亿元、307亿元和773亿元。

图表 8: 2019-2023 年各省市及全国再融资债发行限额披露情况 (亿元)
"""


def test_footnotes_are_lifted_to_the_end_and_the_sentence_joins_again():
    c = clean((FOOTNOTES_004,), is_pdf=False)
    assert c.footnotes == 4
    assert "2019 年，北京³⁸、上海³⁹、重庆⁴⁰和四川⁴¹披露了再融资债发行规模上限" in c.text  # markers kept
    body, notes = c.text.split("\n\n脚注\n")
    assert "资料来源" not in body and "图表 8: 2019-2023 年" in body
    assert [n[:2] for n in notes.split("\n")] == ["³⁶", "³⁷", "³⁸", "³⁹"]
    assert notes.endswith("2e2b47e459a79db35f62fb977b7ac6b9.pdf>")


def test_table_rows_are_untouched_and_a_footnote_inside_a_table_is_lifted():
    rows = ["\t2023 年目标\t\t2024 年目标\t", "\t固投\t社零\t固投\t社零", "贵州\t6\t10.2\t完成\t3\t降低",
            "海南\t15\t8.2\t未完成\t7\t降低", "湖北\t\t\t\t\t", "4\t3759.8\t6200.5\t4405.7\t36413.3\t280.0\t2853.9"]
    raw = "表 3：固收、社零 2023 年、2024 年目标\n\n" + "\n".join(rows[:3]) + \
          "\n\n² 山西省尚未公布 2024 年一般公共预算收入目标。\n\n" + "\n".join(rows[3:]) + "\n\n数据来源：各省政府工作报告\n"
    c = clean((raw,), is_pdf=False)
    assert "\n".join(rows) in c.text  # each row exactly as written, the table whole again
    assert c.footnotes == 1


def test_contents_lines_are_kept_one_per_line():
    toc = ["一、地方债的小常识\t- 6 -", "1、从“代发代还”到“自发自还”\t- 6 -",
           "图表 1: 地方政府举债模式演变历程.....\t- 7 -", "二、地方债的借用管还..........20",
           "三、地方债的投资交易要点 47"]
    text = text_of("内容目录\n\n" + "\n\n".join(toc) + "\n\n43号文和新预算法颁布实施后，地方政府举债只能通过发行政府债券方式。\n")
    assert all(line in text.split("\n") for line in toc)


def test_page_numbers_are_dropped_but_a_number_between_table_rows_is_kept():
    raw = ("居民部门杠杆率延续二、三季度的收缩态势。\n\n\n4\n\n- 7 -\n第 3 页\n3/20\n"
           "图 4  居民部门杠杆率\n年份\t数值\n2023\n2024\t61.4\n")
    text = text_of(raw)
    assert text == "居民部门杠杆率延续二、三季度的收缩态势。\n\n图 4  居民部门杠杆率\n年份\t数值\n2023\n2024\t61.4"


def test_web_page_chrome_is_dropped():
    head = "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n2026年浙江省政府工作报告\n来源：浙江日报\n"
    body = "各位代表：\n现在，我代表省人民政府向大会作政府工作报告，请予审议。\n" * 40
    tail = ("责任编辑：\n李莎莎\n扫一扫在手机打开当前页\n相关附件>>\n相关链接>>\n"
            "abcd39f1fb7f426d9dfb6bd0fa1f2146:\n解读省政府工作报告\n打印本页\n关闭窗口\n2026年浙江省政府工作报告\n")
    text = text_of(head + body + tail)
    assert text.startswith("2026年浙江省政府工作报告\n来源：浙江日报\n各位代表：")
    assert text.endswith("请予审议。") and "【" not in text and "打印" not in text and "相关链接" not in text
    assert text_of("【字体：大 中 小】\n分享到：\n正文第一句。\n") == "正文第一句。"


def test_full_width_digits_and_letters_become_ascii_but_chinese_punctuation_stays():
    text = text_of("２０２４年ＧＤＰ增长５．０％，国办发〔2024〕52号¹（见《通知》）：“稳”。\u3000\n")
    assert text == "2024年GDP增长5．0%，国办发〔2024〕52号¹（见《通知》）：“稳”。"


def test_blank_runs_collapse_to_one_paragraph_break():
    assert text_of("\n\n第一段。  \n\n\n\n\n第二段。\n第三段。\n\n") == "第一段。\n\n第二段。\n第三段。"


def test_pdf_pages_become_spans_of_the_cleaned_text():
    wide = "现在，我代表省人民政府向大会作政府工作报告，请予审议，并请省政协委员和其他列席"
    page1 = f"某省政府工作报告 2026\n各位代表：\n{wide}\n{wide}\n全省生产总值增长5.5%，一般公共预算收入增长1.8%，城乡居民收\n- 1 -"
    page2 = f"某省政府工作报告 2026\n入分别增长4.3%、5.5%。\n一、2025年主要工作\n{wide}同志提出意见。\n- 2 -"
    page3 = "某省政府工作报告 2026\n- 3 -"
    c = clean((page1, page2, page3), is_pdf=True)
    assert "某省政府工作报告" not in c.text and "- 2 -" not in c.text
    assert "城乡居民收入分别增长4.3%" in c.text
    p1, p2, p3 = c.pages
    assert (p1.number, p1.start, p1.end) == (1, 0, p2.start) and p2.end == p3.start == p3.end == len(c.text)
    assert c.text[p2.start:].startswith("入分别增长4.3%")  # the character's own page, even mid-line


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_corpus_files_lose_only_furniture_and_keep_every_table_row(name):
    raw = read_source(CORPUS / name).pages[0]
    c = clean((raw,), is_pdf=False)
    lines = set(c.text.split("\n"))
    assert all(row in lines for row in raw.split("\n") if "\t" in row)
    before = Counter(ch for ch in raw if not ch.isspace())
    after = Counter(ch for ch in c.text if not ch.isspace())
    lost = before - after
    assert sum(lost.values()) <= 2, lost  # 000 has one page-number line: "4"
    assert c.footnotes == sum(1 for line in raw.split("\n") if line[:1] and line[:1] in "¹²³⁴⁵⁶⁷⁸⁹⁰")
    assert "\n\n\n" not in c.text and c.text == c.text.strip()


def test_the_000_and_004_examples_on_the_real_files():
    t0 = clean(read_source(CORPUS / "000_79d761e802c0c155.txt").pages, False).text
    assert "另一方面，名义经济增速进一步放缓至 4.2%" in t0 and "支出 1500亿元" in t0
    t4 = clean(read_source(CORPUS / "004_3abfec75a228cbda.txt").pages, False)
    assert "重庆⁴⁰和四川⁴¹披露了" in t4.text and t4.footnotes == 143
    assert t4.text.split("\n\n脚注\n")[1].startswith("¹ 资料来源")
