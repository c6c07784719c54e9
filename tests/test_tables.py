"""find_tables on literal excerpts of the bundled reports, and the span invariant over the whole corpus."""
from __future__ import annotations

from ingest.tables import find_tables

T = "\t"


def _text(*lines: str) -> str:
    # the cleaner keeps a blank line between PDF lines; tables must not mind
    return "\n\n".join(lines) + "\n"


def _only(text: str):
    tables = find_tables(text, "doc-test")
    assert len(tables) == 1, [t.caption for t in tables]
    return tables[0]


def _value(table, row_header: tuple[str, ...], col_header: tuple[str, ...]) -> str:
    found = [c.value for c in table.cells if c.row_header == row_header and c.col_header == col_header]
    assert len(found) == 1, (row_header, col_header, found)
    return found[0]


def _check_spans(text: str, tables) -> None:
    for t in tables:
        assert t.id.startswith("table-") and 0 <= t.start < t.end <= len(text)
        for c in t.cells:
            assert text[c.start:c.end] == c.value, c
            assert t.start <= c.start and c.end <= t.end
            assert c.value and 0 <= c.row < len(t.rows)
        for a, b in t.row_spans:
            assert t.start <= a < b <= t.end
        assert len(t.row_spans) == len(t.rows)
        if t.caption:
            assert text[t.start:t.end].startswith(t.caption[:6])


# 002 表3: a year row spans two sub-columns each, and 北京/湖北 rows are partly empty.
GOALS = "\n".join([
    "表 3：固收、社零 2023 年、2024 年目标",
    "",
    T.join(["", "2023 年目标", "", "2024 年目标", ""]),
    T.join(["", "固投", "社零", "固投", "社零"]),
    T.join(["北京", "", "", "", ""]),
    T.join(["湖北", "", "10", "", ""]),
    T.join(["山西", "7", "7", "10", "5.5"]),
    "",
    "数据来源：各省政府工作报告，中诚信国际整理",
    "",
])


def test_multi_row_header_spans_right():
    t = _only(GOALS)
    assert t.label == "表3" and t.source.startswith("数据来源：各省政府工作报告")
    assert _value(t, ("山西",), ("2024 年目标", "社零")) == "5.5"
    assert _value(t, ("山西",), ("2023 年目标", "固投")) == "7"
    assert _value(t, ("湖北",), ("2023 年目标", "社零")) == "10"
    assert len(t.header_rows) == 2 and len(t.rows) == 3
    assert not [c for c in t.cells if c.row_header == ("北京",)]  # empty cells make no Cell
    _check_spans(GOALS, [t])


# 001 表3: three header rows; 贴 现 spans four columns, 银行承兑汇票 two of them.
BILLS = _text(
    "表 3 2024 年金融机构票据业务量统计表",
    "单位：亿元",
    T.join(["季度", "银行承兑汇票承兑", "", "贴 现", "", "", ""]),
) + "\n".join([
    T.join(["", "", "", "银行承兑汇票", "", "商业承兑汇票", ""]),
    T.join(["", "余额", "累计发生额", "余额", "累计发生额", "余额", "累计发生额"]),
    T.join(["3", "3650.6", "4437.3", "4228.7", "25577.1", "292.3", "2265.4"]),
    T.join(["4", "3759.8", "6200.5", "4405.7", "36413.3", "280.0", "2853.9"]),
    "",
    "数据来源：中国人民银行辽宁省分行。",
])


def test_three_header_rows():
    t = _only(BILLS)
    assert t.unit == "亿元" and len(t.header_rows) == 3
    assert _value(t, ("4",), ("银行承兑汇票承兑", "余额")) == "3759.8"
    assert _value(t, ("4",), ("贴现", "银行承兑汇票", "累计发生额")) == "36413.3"
    assert _value(t, ("3",), ("贴现", "商业承兑汇票", "余额")) == "292.3"
    _check_spans(BILLS, [t])


# 001 附录: 表 1 again, after the 附录 heading; 本外币 heads a block of rows with a blank first cell.
MONTHS = [f"{m}月" for m in range(1, 13)]
APPENDIX = _text(
    "附录：",
    "（二）2024 年辽宁省主要经济金融指标",
    "表 1 2024 年辽宁省主要存贷款指标",
) + "\n".join([
    T.join(["", "", *MONTHS]),
    T.join(["本外币", "金融机构各项存款余额（亿元）", "81166.1", "81260.7", "82295.6", "82259.3", "83005.6",
            "83006.7", "83254.7", "84128.1", "83608.6", "84617.9", "84487.1", "84967.0"]),
    T.join(["", "其中：住户存款", "58527.9", "59220.1", "60041.7", "59832.0", "60057.4", "60516.8", "60770.4",
            "61020.8", "61535.0", "61570.1", "61813.0", "62501.3"]),
    T.join(["", "金融机构各项存款同比增长（%）", "5.4", "5.3", "5.4", "5.8", "5.8", "5.0", "5.3", "6.1", "5.6",
            "5.7", "5.5", "5.8"]),
    T.join(["人民币", "金融机构各项存款余额（亿元）", "80339.6", "80433.9", "81452.2", "81416.9", "82149.6",
            "82159.9", "82334.2", "83195.0", "82717.0", "83727.2", "83605.2", "84046.6"]),
    "",
    "数据来源：中国人民银行辽宁省分行。",
])


def test_appendix_table_and_group_labels():
    t = _only(APPENDIX)
    assert t.label == "附录表1" and t.caption == "表 1 2024 年辽宁省主要存贷款指标"
    assert _value(t, ("本外币", "金融机构各项存款同比增长（%）"), ("8月",)) == "6.1"
    assert _value(t, ("本外币", "其中：住户存款"), ("1月",)) == "58527.9"
    assert _value(t, ("人民币", "金融机构各项存款余额（亿元）"), ("12月",)) == "84046.6"
    _check_spans(APPENDIX, [t])


# 001 表2: a two-column row header (LPR加 点 / its sub-ranges) and a second header block for July-December.
RATES = "\n".join([
    "表 2 2024 年金融机构一般贷款各利率区间占比情况表",
    "单位：%",
    T.join(["项目", "", "1月", "2月"]),
    T.join(["合计", "", "100.0", "100.0"]),
    T.join(["LPR加 点", "小计", "37.9", "35.2"]),
    T.join(["", "(LPR, LPR+0.5%)", "29.6", "25.2"]),
    T.join(["项目", "", "7月", "8月"]),
    T.join(["合计", "", "100.0", "100.0"]),
    T.join(["LPR加 点", "小计", "16.8", "23.0"]),
    T.join(["", "(LPR, LPR+0.5%)", "9.9", "10.6"]),
    "数据来源：中国人民银行辽宁省分行。",
])


def test_row_header_columns_and_repeated_header_blocks():
    t = _only(RATES)
    assert t.unit == "%" and len(t.header_rows) == 2 and len(t.rows) == 6
    assert _value(t, ("LPR加点", "(LPR, LPR+0.5%)"), ("1月",)) == "29.6"
    assert _value(t, ("LPR加点", "(LPR, LPR+0.5%)"), ("8月",)) == "10.6"
    assert _value(t, ("合计",), ("7月",)) == "100.0"


# 003 附录表2: rows under a section row ("同比累计增长率（%）") that has a label but no values.
SECTIONS = "\n".join([
    "表 2 2024 年山西省主要经济指标",
    T.join(["", "1月", "2月", "3月"]),
    T.join(["", "绝对值（自年初累计）", "", ""]),
    T.join(["房地产开发投资", "—", "92.8", "277.6"]),
    T.join(["", "同比累计增长率（%）", "", ""]),
    T.join(["房地产开发投资", "—", "-0.9", "-1.1"]),
    "数据来源：山西省统计局。",
])


def test_section_rows_qualify_rows_below():
    t = _only(SECTIONS)
    assert _value(t, ("同比累计增长率（%）", "房地产开发投资"), ("2月",)) == "-0.9"
    assert _value(t, ("绝对值（自年初累计）", "房地产开发投资"), ("1月",)) == "—"


# 001 表4: a caption broken over two lines, then a 单位 line.
TWO_LINE_CAPTION = _text(
    "表 4 2024 年金融机构票据贴现、转贴现利率",
    "统计表",
    "单位：%",
    T.join(["季度", "贴 现", "", "转贴现", ""]),
) + "\n".join([
    T.join(["", "银行承兑汇票", "商业承兑汇票", "票据买断", "票据回购"]),
    T.join(["1", "2.15", "2.90", "1.78", "1.89"]),
])


def test_caption_over_two_lines():
    t = _only(TWO_LINE_CAPTION)
    assert t.caption == "表 4 2024 年金融机构票据贴现、转贴现利率统计表" and t.label == "表4" and t.unit == "%"
    assert _value(t, ("1",), ("转贴现", "票据回购")) == "1.89"


# 002 表2 as the raw file has it: a footnote line and a stray page number cut the table in two.
CUT = "\n".join([
    "表 2：2023 年、2024 年各省一般公共预算收入增速目标",
    "",
    T.join(["地区", "2023 年一般公共预算收入增速目标", "2023 年实际一般公共预算收入增速", "一般公共预算是否完成"]),
    T.join(["广西", "5", "5.7", "完成"]),
    T.join(["贵州", "6", "10.2", "完成"]),
    "",
    "² 山西省尚未公布 2024 年一般公共预算收入目标。",
    "",
    "12",
    "",
    T.join(["海南", "15", "8.2", "未完成"]),
    T.join(["湖北", "", "", ""]),
    "",
    "数据来源：各省政府工作报告，中诚信国际整理",
])


def test_table_cut_by_footnotes_is_joined():
    t = _only(CUT)
    assert len(t.rows) == 4 and t.source.startswith("数据来源")
    assert _value(t, ("海南",), ("2023 年实际一般公共预算收入增速",)) == "8.2"
    assert _value(t, ("贵州",), ("一般公共预算是否完成",)) == "完成"
    _check_spans(CUT, [t])
    # the cleaned text (footnote moved away, page number gone) gives the same cells
    cleaned = CUT.replace("² 山西省尚未公布 2024 年一般公共预算收入目标。\n", "").replace("\n12\n", "\n")
    assert [c.value for c in _only(cleaned).cells] == [c.value for c in t.cells]


def test_repeated_header_after_page_break_is_one_table():
    head = T.join(["地区", "金额"])
    text = "\n".join(["图表 30: 2020 年部分省份限额回收情况 (亿元)", head, T.join(["宁夏", "44"]), "",
                      "请务必阅读正文之后的重要声明部分", "", head, T.join(["福建", "106"]), "来源：政府网站"])
    t = _only(text)
    assert t.unit == "亿元" and t.header_rows == (("地区", "金额"),) and len(t.rows) == 2
    assert _value(t, ("福建",), ("金额",)) == "106"


# 001 目录 and 004 图表目录: page numbers, heading-shaped entries, dot leaders.
TOC = "\n".join([
    "目录",
    "",
    "一、经济运行情况" + T + "4",
    "（一）内需稳定增长，外需稳步恢复" + T + "4",
    "二、金融运行情况" + T + "6",
    "",
    "表",
    "",
    "表 1 2024 年银行业金融机构情况表" + T + "6",
    "表 2 2024 年金融机构一般贷款各利率区间占比情况表" + T + "8",
    "",
    "图表目录",
    "图表 1: 地方政府举债模式演变历程....." + T + "- 7 -",
    "图表 2: 代发代还、自发代还、自发自还三种模式比较....." + T + "- 8 -",
    "",
])


def test_table_of_contents_is_not_a_table():
    assert find_tables(TOC, "doc-test") == ()


def test_two_column_numeric_table_is_not_a_contents_list():
    text = "\n".join(["图表 41：债务限额空间使用案例（亿元）", T.join(["省份", "金额"]),
                      T.join(["天津", "10"]), T.join(["山西", "5"]), "来源：政府网站，中泰证券研究所"])
    assert _value(_only(text), ("山西",), ("金额",)) == "5"


# 004 图表 28: two tables side by side, each with 区域 / 指标名称 row headers.
YEARS = [str(y) for y in range(2015, 2023)]
SIDE_BY_SIDE = "\n".join([
    "图表 28：2015-2022 年新增限额与限额增量的差异情况（亿元）",
    "",
    T.join(["区域", "指标名称", *YEARS, "区域", "指标名称", *YEARS]),
    T.join(["全国", "新增限额", "6000", "11800", "16300", "21800", "30800", "47300", "44700", "43700",
            "全国", "限额增量", "6000", "11800", "16300", "21800", "30800", "47300", "44700", "43700"]),
    T.join(["", "新增专项债务限额", "1000", "4000", "8000", "13500", "21500", "37500", "36500", "36500",
            "", "专项债务限额增量", "1000", "3914", "7980", "13489", "21500", "37500", "36500", "36500"]),
    "",
])


def test_side_by_side_halves_keep_their_row_headers():
    t = _only(SIDE_BY_SIDE)
    assert t.label == "图表28" and t.unit == "亿元"
    assert _value(t, ("全国", "新增专项债务限额"), ("2020",)) == "37500"
    assert _value(t, ("全国", "专项债务限额增量"), ("2016",)) == "3914"
    assert not [c for c in t.cells if c.value in ("全国", "限额增量")]


# 004 图表 43: a date column and a batch-name column together head each row.
BATCHES = "\n".join([
    "图表 43：2019-2023 年地方政府新增债券额度发放情况（亿元）",
    "",
    T.join(["时间", "批次", "金额", "提前批占上一年新增限额的累计比重", "一般债", "专项债"]),
    T.join(["2018/12", "2019 年第一批次（提前批）", "13900", "64%", "5800", "8100"]),
    T.join(["2019/03", "2019 年第二批次", "16900", "-", "3500", "13400"]),
    "",
    "来源：国务院、财政部，中泰证券研究所",
])


def test_date_and_batch_columns_head_the_row():
    t = _only(BATCHES)
    row = ("2018/12", "2019 年第一批次（提前批）")
    assert _value(t, row, ("金额",)) == "13900"
    assert _value(t, row, ("提前批占上一年新增限额的累计比重",)) == "64%"
    assert _value(t, ("2019/03", "2019 年第二批次"), ("提前批占上一年新增限额的累计比重",)) == "-"


# 004 图表 1 has no header row; 002 附表 1 has a text cell cut by a page break.
def test_text_tables_and_a_cell_cut_by_a_page_break():
    history = _only("\n".join(["图表 1: 地方政府举债模式演变历程", "",
                               T.join(["折实公债", "1950", "中央发行“人民胜利折实公债”；东北人民政府发行“东北生产建设折实公债”。"]),
                               T.join(["代发代还", "2009-2010", "地方债全部由财政部代理发行、代办还本付息。"]),
                               "来源：中泰证券研究所整理"]))
    assert history.header_rows == ()
    assert [c.value for c in history.cells if c.row_header == ("代发代还",) and c.col == 1] == ["2009-2010"]
    text = "\n".join(["附表 1:", "", T.join(["部分省份促消费目标相关表述", ""]),
                      T.join(["山西", "激发有潜能的消费。落实国家和我省恢复扩大消费系列政策，积极发展数字消费、绿色消费、健康"]),
                      "", T.join(["", "消费等新型消费，大力培育智能家居、文娱旅游等新消费增长点。"]),
                      T.join(["四川", "壮大消费基础支撑。开展“消费促进年”活动，增强消费能力。"])])
    t = _only(text)
    assert t.label == "附表1" and len(t.rows) == 2
    shanxi = [c for c in t.cells if c.row_header == ("山西",)]
    assert [c.col_header for c in shanxi] == [("部分省份促消费目标相关表述",)] * 2
    assert shanxi[1].value.startswith("消费等新型消费")
    _check_spans(text, [t])


def test_split_row_ruler_row_and_misplaced_labels():
    text = "\n".join([
        "图表 39: 2015-2023 年限额空间净增量情况 (亿元)",
        T.join(["算法", "运算符号", "指标", "2015", "2016", "2017"]),
        T.join(["直接计算", "(+)", "新增地方债限额", "6000", "11800", "16300"]),
        T.join(["(-)", "特殊再融资债券发行额", "0", "0", "799", ""]),
        T.join(["", "", "限额空间净增量", "12506"]),
        T.join(["5811", "4758"]),
        T.join(["-----", "---", "-------", "--", "--", "--"]),
    ])
    t = _only(text)
    assert t.skipped_rows == 1 and len(t.rows) == 3
    assert _value(t, ("直接计算", "(-)", "特殊再融资债券发行额"), ("2017",)) == "799"
    assert _value(t, ("直接计算", "限额空间净增量"), ("2017",)) == "4758"
    _check_spans(text, [t])


def test_source_and_numbered_notes_belong_to_the_table():
    text = "\n".join([
        "表 1 2024 年银行业金融机构情况表",
        T.join(["机构类别", "营业网点", "", "", "法人机构 (个)"]),
        T.join(["", "机构个数 (个)", "从业人数 (人)", "资产总额 (亿元)", ""]),
        T.join(["一、大型商业银行", "2909", "66007", "39930", "—"]),
        "",
        "注：1.银行业金融机构包括存款类金融机构和非存款类金融机构。",
        "2.营业网点不包括金融机构总部数据。",
        "数据来源：国家金融监督管理总局辽宁监管局、大连监管局。",
        "2.住户存款保持稳定增长。2024年末，辽宁省本外币各项存款余额8.5万亿元。",
    ])
    t = _only(text)
    assert len(t.notes) == 2 and t.source.startswith("数据来源：国家金融监督管理总局")
    assert text[t.start:t.end].endswith("大连监管局。")
    assert _value(t, ("一、大型商业银行",), ("营业网点", "资产总额 (亿元)")) == "39930"
    assert _value(t, ("一、大型商业银行",), ("法人机构 (个)",)) == "—"


EXPECTED_TABLES = {"000": range(0, 1), "001": range(6, 9), "002": range(9, 13), "003": range(4, 6),
                   "004": range(30, 36)}


def test_corpus_spans_and_table_counts(corpus_files):
    counts = {}
    for path in corpus_files:
        text = path.read_text(encoding="utf-8")
        tables = find_tables(text, "doc-corpus")
        _check_spans(text, tables)
        assert len({t.id for t in tables}) == len(tables)
        assert all(a.end <= b.start for a, b in zip(tables, tables[1:])), "tables overlap"
        counts[path.name[:3]] = len(tables)
        if path.name.startswith(("001", "003")):
            assert {"表1", "表2", "附录表1", "附录表2"} <= {t.label for t in tables}
    print("tables per file:", counts)
    assert all(counts[k] in r for k, r in EXPECTED_TABLES.items()), counts
