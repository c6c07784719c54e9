"""Reports published as web pages, Word files and spreadsheets (ingest/formats): the real samples in
../shared/formats (skipped where absent) and small files made here for the edge cases."""
import datetime as dt
import io
import shutil
import zipfile

import pytest

from conftest import SHARED
from ingest.document import build_document
from ingest.formats import doc as doc_reader
from ingest.formats import sheet as sheet_module
from ingest.formats import zipped
from ingest.formats.grid import grid_lines, side_by_side
from ingest.formats.numfmt import format_date, format_number
from ingest.read import read_source
from ingest.tables import find_tables
from kg.errors import InputError

FORMATS = SHARED / "formats"
SAMPLES = {"changde": "html_2025_changde_budget.html", "fuzhou": "html_2025_fuzhou_stats.html",
           "hami": "html_2025_hami_stats.html", "yiyang": "html_2025_yiyang_budget_gb2312.html",
           "chengde": "docx_2025_chengde_budget.docx", "lijiang": "xlsx_2025_lijiang_budget_tables.xlsx",
           "changdu": "xls_2024_changdu_debt.xls", "hotan": "doc_2025_hotan_final_accounts.doc"}
# Tables each sample yields at least (Changde's four two-sided tables and two fund tables are split in two).
MIN_TABLES = {"changde": 18, "fuzhou": 8, "hami": 7, "yiyang": 0, "chengde": 13, "lijiang": 45, "changdu": 2,
              "hotan": 30}


@pytest.fixture(scope="module")
def parsed():
    """Each real sample as (Document, tables), parsed once."""
    if not FORMATS.is_dir():
        pytest.skip(f"{FORMATS} is absent: the real format samples live beside the repository")
    out = {}
    for key, name in SAMPLES.items():
        if key == "hotan" and shutil.which("catdoc") is None:
            continue
        doc = build_document(FORMATS / name)
        out[key] = (doc, find_tables(doc.text, doc.id))
    return out


def _cell(tables, row, col, caption=None, unit=None):
    """The value of the one body cell whose row and column header paths end as given."""
    found = [c.value for t in tables if (caption is None or caption in t.caption) and (unit is None or t.unit == unit)
             for c in t.cells if c.row_header[-len(row):] == row and c.col_header[-len(col):] == col]
    assert len(found) == 1, (row, col, found)
    return found[0]


def _titled(doc, tables, title):
    """Tables whose title (表一 …, 附件1 …) is their caption, or stands just above them."""
    return [t for t in tables if title in f"{t.label} {t.caption}" or title in doc.text[max(0, t.start - 80):t.start]]


# --- the real samples ---

def test_every_sample_builds_with_exact_cell_offsets(parsed):
    for key, (doc, tables) in parsed.items():
        assert len(tables) >= MIN_TABLES[key], (key, len(tables))
        assert doc.title and doc.year and doc.region, (key, doc.title, doc.year, doc.region)
        for t in tables:
            assert all(doc.text[c.start:c.end] == c.value for c in t.cells), (key, t.caption)
    if shutil.which("catdoc") is None:
        pytest.skip("catdoc is not installed: the .doc sample was not read")


def test_web_pages_leave_the_site_out(parsed):
    chrome = ("ICP备", "公网安备", "网站标识码", "版权所有", "浏览次数", "当前位置", "分享到", "var ", "function(")
    for key in ("changde", "fuzhou", "hami", "yiyang"):
        text = parsed[key][0].text
        assert not [c for c in chrome if c in text], key
    assert parsed["fuzhou"][0].text.count("2025年福州市国民经济和社会发展") == 1  # the title once, not twice


def test_gb2312_page_decodes_and_its_cms_fields_are_metadata(parsed):
    doc = parsed["yiyang"][0]
    assert doc.encoding == "html:gb18030" and "\ufffd" not in doc.text
    assert doc.title == "关于益阳市2025年预算执行情况与2026年预算草案的报告"  # ArticleTitle, its stray space closed up
    assert "名词解释" in doc.text and "地方一般公共预算收入" in doc.text
    assert doc.date == "2025-12-24"  # the byline above the article, which readability alone leaves out
    assert (doc.region, doc.issuer) == ("益阳", "益阳市财政局")
    changde = parsed["changde"][0]
    assert changde.title == "关于常德市2025年预算执行情况与2026年全市及市级预算（草案）的报告"
    assert changde.date == "2025-12-27" and parsed["hami"][0].issuer == "哈密市统计局"


def test_two_sided_budget_tables_split_with_unit_and_merged_headers(parsed):
    tables = parsed["changde"][1]
    revenue, spending = tables[0], tables[1]  # 附件1: 收入 | 支出 side by side in one <table>
    assert revenue.unit == spending.unit == "亿元"
    assert _cell([revenue], ("一、税收收入",), ("2024年决算数",)) == "96.74"
    assert not any("教育支出" in "".join(c.row_header) for c in revenue.cells)  # the 支出 half is its own table
    assert _cell([spending], ("三、教育支出",), ("2025年预计数",)) == "92.45"
    assert _cell(tables[4:5], ("一、国有土地使用权出让收入",), ("预计数", "全市")) == "39.63"  # rowspan/colspan
    assert _cell(tables[4:5], ("一、国有土地使用权出让收入",), ("预计数", "市级")) == "13.83"
    assert _cell(tables[6:7], ("一、利润收入",), ("预计数",), unit="万元") == "3404"  # 国资: 单位：万元 paragraph
    assert ("预算科目", "2024年决算数", "2025年预计数", "增长%") in revenue.header_rows  # <p>s joined, 预 算 科 目 closed


def test_statistical_bulletin_tables(parsed):
    fuzhou, hami = parsed["fuzhou"][1], parsed["hami"][1]
    assert [t.label for t in fuzhou] == [f"表{i}" for i in range(1, 9)]
    assert fuzhou[0].caption == "表1 2025年市区居民消费价格比上年涨跌幅度"  # "202" + "5" + "年" across runs
    assert _cell(fuzhou, ("各项存款",), ("年末数(万元)",)) == "263797840"
    assert _cell(hami, ("伊州区",), ("地区生产总值（亿元）", "比上年增长（%）")) == "7.6"  # 3-row header
    assert _cell(hami, ("1.1.粮食播种面积", "万亩"), ("2025年",)) == "29.90"
    assert {t.label for t in hami if t.label == "表5"} and sum(t.label == "表5" for t in hami) == 2  # 行业 | 增长 x2


def test_docx_stacked_appendix_tables_become_separate_tables(parsed):
    doc, tables = parsed["chengde"]
    assert [t.label for t in tables] == [f"附表{i}" for i in range(1, 14)]
    assert tables[0].caption == "附表1 2025年全市一般公共预算收入完成情况表" and tables[0].unit == "万元"
    assert _cell(tables[:1], ("一、税收收入", "增值税"), ("完成数",)) == "274175"  # indent read as the row tree
    assert tables[1].header_rows[0] == ("预算科目", "调整预算数", "完成数", "占调整预算(%)", "比上年增长(%)")
    assert _cell(tables[12:], ("合计",), ("市本级收入完成",)) == "701066"
    assert doc.title.startswith("关于承德市2025年市本级预算和市总预算执行情况")  # the big-type title, not the file number


def test_xlsx_hidden_rows_columns_print_area_and_formats(parsed):
    doc, tables = parsed["lijiang"]
    assert "人大立法" not in doc.text  # a hidden row of sheet 02
    assert "科目编码" not in doc.text and "\t是\t" not in doc.text  # hidden column A, the 打印 helper column
    first = _titled(doc, tables, "表一 2025年丽江市一般公共预算收支情况表")  # 收入 (sheet 01-1), 支出 (01-2)
    assert len(first) == 2 and first[0].unit == "万元"
    assert _cell(first[:1], ("一、税收收入",), ("比较", "比2024年决算数增长%")) == "15.3%"  # a fraction in 0.0%
    assert _cell(first[:1], ("一、税收收入",), ("2025年", "执行数")) == "288755"  # hidden E inside 2025年 skipped
    sides = _titled(doc, tables, "表四十四 2025年丽江市政府债务限额和余额情况表")
    assert len(sides) == 2  # 全市 | 市本级 side by side on one sheet
    assert _cell(sides, ("一、上年末地方政府一般债务余额",), ("全市", "2024年决算数")) == "1525133.21"
    assert _cell(sides, ("一、上年末地方政府一般债务余额",), ("市本级", "2024年决算数")) == "620517.54"
    last = _titled(doc, tables, "表四十八 丽江市")  # a phantom used range A1:IV15
    assert last[0].unit == "亿元" and _cell(last, ("丽江市",), ("2025年政府债务限额", "合计")) == "486.66"
    assert doc.title == "丽江市2025年地方财政预算执行情况和2026年地方财政预算（草案）"  # the cover's big type
    from ingest.formats.xlsx import read_xlsx
    got = read_xlsx((FORMATS / SAMPLES["lijiang"]).read_bytes(), "lijiang.xlsx")
    assert got.tables == len(tables) and got.skipped > 1000  # hidden rows and columns are counted, not silent


def test_xls_dates_and_float_noise(parsed):
    tables = parsed["changdu"][1]
    assert _cell(tables, ("昌都市",), ("地方政府债务限额", "合计")) == "182506.59"  # 182506.58999999997
    assert _cell(tables, ("昌都市本级",), ("地方政府债务限额", "新增一般债务限额")) == "95888.00"  # "#0.00"
    dates = [c.value for t in tables for c in t.cells if c.col_header == ("发行日期",)]
    assert dates and set(dates) == {"2024-08-26"}  # serial 45530 under m/d/yy


def test_doc_through_catdoc(parsed):
    if "hotan" not in parsed:
        pytest.skip("catdoc is not installed (apt-get install catdoc)")
    doc, tables = parsed["hotan"]
    assert not any(code in doc.text for code in ("PAGEREF", "HYPERLINK", "TOC \\o", "MERGEFORMAT"))
    assert _cell(tables[:1], ("返还性支出",), ("合计决算数",), unit="万元") == "21951"
    assert _cell(tables, ("和田地区", "和田地区本级"), ("一般债务限额总额",), unit="亿元") == "66.05"


# --- small files made here ---

PAGE = """<html><head><meta charset="{charset}"><meta name="ArticleTitle" content="2024年某市财政收支情况">
<meta name="PubDate" content="2025-01-20 09:30"><meta name="ContentSource" content="某市财政局"></head><body>
<div class="nav"><a href="/">首页</a><a href="/a">机构</a></div><div class="share">分享到：微信</div>
<div class="article"><h1>2024年某市财政收支情况</h1><p>全年一般公共预算收入完成100亿元，比上年增长5%，财政运行总体平稳，
收支结构继续优化，民生支出保障有力。</p><p>附表1</p><p>2024年财政收支表</p><p>单位：亿元</p>
<table border=1><tr><td rowspan=2><p>预 算 科 目</p></td><td colspan=2><p>2024年</p><p>决算数</p></td>
<td rowspan=2>预 算 科 目</td><td colspan=2>2024年决算数</td></tr>
<tr><td>全市</td><td>市级</td><td>全市</td><td>市级</td></tr>
<tr><td>税收收入</td><td>60</td><td>20</td><td>教育支出</td><td>30</td><td>10</td></tr>
<tr><td>非税收入</td><td>40</td><td>15</td><td>卫生健康支出</td><td>25</td><td>8</td></tr>
<tr><td></td><td></td><td></td><td>农林水支出</td><td>12</td><td>4</td></tr></table>
<p>各项工作取得积极成效，为全市经济社会发展提供了坚实的财力保障。</p></div>
<div class="footer">版权所有：某市人民政府 备案号：湘ICP备12345678号</div><script>var x = 1;</script></body></html>"""


def test_html_spans_split_tables_and_chrome(tmp_path):
    p = tmp_path / "page.html"
    p.write_bytes(PAGE.format(charset="gb2312").encode("gbk"))
    doc = build_document(p)
    assert doc.encoding == "html:gb18030" and doc.title == "2024年某市财政收支情况" and doc.date == "2025-01-20"
    assert doc.issuer == "某市财政局"  # ContentSource: the text names no issuer
    assert not any(s in doc.text for s in ("首页", "分享到", "版权所有", "ICP", "var x"))
    tables = find_tables(doc.text, doc.id)
    assert len(tables) == 2 and all(t.unit == "亿元" for t in tables)
    assert _cell(tables[:1], ("税收收入",), ("2024年决算数", "全市")) == "60"
    assert _cell(tables[:1], ("非税收入",), ("2024年决算数", "市级")) == "15"
    assert _cell(tables[1:], ("农林水支出",), ("2024年决算数", "市级")) == "4"
    assert tables[0].header_rows[0][0] == "预算科目"
    assert "附表1 2024年财政收支表" in doc.text  # a label on its own line joined to the title below


def test_html_layout_table_is_not_a_data_table_but_a_long_note_row_is_fine():
    import lxml.html

    from ingest.formats.html import table_grid

    article = "财政收入保持稳定增长，各项重点支出得到有效保障。" * 50
    note = "注：" + "本表数据为快报数，部分合计数由于四舍五入与分项之和略有差异，下同。" * 6
    layout = lxml.html.fromstring(f"<table><tr><td>导航</td><td><p>{article}</p></td></tr><tr><td>a</td><td>b</td>"
                                  "</tr></table>")
    data = lxml.html.fromstring("<table><tr><td>指标</td><td>数值</td></tr><tr><td>收入</td><td>10</td></tr>"
                                f"<tr><td>支出</td><td>8</td></tr><tr><td colspan=2>{note}</td></tr></table>")
    assert table_grid(layout) is None
    assert table_grid(data)[:2] == [["指标", "数值"], ["收入", "10"]]


def test_html_data_table_beside_the_article_is_kept(tmp_path):
    article = "财政收入保持稳定增长，各项重点支出得到有效保障。" * 50
    page = (f'<html><body><div class="nav"><a href="/">首页</a></div><div id="main"><div class="text"><p>{article}</p>'
            '</div><div class="attach"><p>表1 收支表</p><table><tr><td>指标</td><td>数值</td></tr><tr><td>收入</td>'
            '<td>10</td></tr><tr><td>支出</td><td>8</td></tr></table></div></div><div class="footer">版权所有</div>'
            "</body></html>")
    p = tmp_path / "p.html"
    p.write_text(page, encoding="utf-8")
    doc = build_document(p)
    (t,) = find_tables(doc.text, doc.id)  # readability keeps the article div only; the attachment is put back
    assert t.caption == "表1 收支表" and "首页" not in doc.text and "版权所有" not in doc.text


def test_html_charset_sniffed_when_undeclared(tmp_path):
    p = tmp_path / "page.htm"
    p.write_bytes(PAGE.replace('<meta charset="{charset}">', "").encode("gb18030"))
    assert read_source(p).encoding == "html:gb18030"


def _docx(path, stacked=True):
    import docx

    d = docx.Document()
    d.add_paragraph("关于2024年预算执行情况的报告")
    d.add_paragraph("全年收入完成情况良好，各项支出得到有效保障，财政运行平稳有序，风险总体可控。")
    t = d.add_table(rows=9 if stacked else 4, cols=3)
    rows = [("附表1", "", ""), ("2024年收入表", "", ""), ("", "", "单位：万元"), ("项目", "预算数", "比上年\n增长(%)"),
            ("税收收入", "100", "5"), ("附表2", "", ""), ("2024年支出表", "", ""), ("项目", "预算数", "完成数"),
            ("教育支出", "50", "48")]
    for r, values in enumerate(rows[:len(t.rows)]):
        for c, v in enumerate(values):
            t.cell(r, c).text = v
    t.cell(1, 0).merge(t.cell(1, 2))
    t.cell(1, 0).text = "2024年收入表"
    d.add_paragraph("以上为附表。")
    d.save(path)


def test_docx_merged_cells_once_and_stacked_tables_split(tmp_path):
    p = tmp_path / "report.docx"
    _docx(p)
    doc = build_document(p)
    tables = find_tables(doc.text, doc.id)
    assert [t.label for t in tables] == ["附表1", "附表2"]
    assert tables[0].caption == "附表1 2024年收入表" and tables[0].unit == "万元"
    assert _cell(tables[:1], ("税收收入",), ("比上年增长(%)",)) == "5"  # the line break in the header joined
    assert _cell(tables[1:], ("教育支出",), ("完成数",)) == "48"
    assert doc.text.count("2024年收入表") == 1  # the merged title once, not once per column
    assert doc.text.index("全年收入完成情况") < tables[0].start < doc.text.index("以上为附表")


def _xlsx(path):
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "01"
    ws["A1"] = "2024年收支情况表"
    ws.merge_cells("A1:E1")
    ws["A2"], ws["E2"] = "表1", "单位：万元"
    ws["A3"], ws["B3"], ws["E3"] = "项目", "2024年", "比上年增长%"
    ws.merge_cells("B3:D3")
    ws.merge_cells("A3:A4")
    ws.merge_cells("E3:E4")
    ws["B4"], ws["C4"], ws["D4"] = "预算数", "页码", "执行数"
    for r, (label, a, page, b, g) in enumerate([("税收收入", 100, 7, 182506.58999999997, 0.153073611),
                                                ("隐藏收入", 1, 8, 1, 0), ("   增值税", 40, 9, 41.25, -0.05127)], 5):
        ws.cell(r, 1, label), ws.cell(r, 2, a), ws.cell(r, 3, page), ws.cell(r, 4, b), ws.cell(r, 5, g)
        ws.cell(r, 4).number_format, ws.cell(r, 5).number_format = "#,##0.00", "0.0%"
    ws.row_dimensions[6].hidden = True
    ws.column_dimensions["C"].hidden = True
    ws["A8"], ws["B8"] = "日期", dt.datetime(2024, 8, 26)
    ws["B8"].number_format = "yyyy-mm-dd"
    ws["C9"] = "=1/0"  # a formula with no cached value shows nothing
    ws.cell(1, 16000).font = Font(bold=True)  # a styled empty cell far right: a phantom used range
    wb.save(path)


def test_xlsx_headers_hidden_cells_and_number_formats(tmp_path):
    p = tmp_path / "book.xlsx"
    _xlsx(p)
    doc = build_document(p)
    (t,) = find_tables(doc.text, doc.id)
    assert t.caption == "表1 2024年收支情况表" and t.unit == "万元"
    assert _cell([t], ("税收收入",), ("2024年", "执行数")) == "182506.59"
    assert _cell([t], ("税收收入",), ("比上年增长%",)) == "15.3%"
    assert _cell([t], ("税收收入", "增值税"), ("比上年增长%",)) == "-5.1%"
    assert "隐藏收入" not in doc.text and "页码" not in doc.text and "2024-08-26" in doc.text


def test_csv_in_gb18030(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("2024年主要指标\n单位：亿元\n指标,2023年,2024年\n地区生产总值,100.5,106.2\n财政收入,10,11\n"
                  .encode("gb18030"))
    doc = build_document(p)
    (t,) = find_tables(doc.text, doc.id)
    assert doc.encoding == "csv:gb18030" and t.unit == "亿元" and _cell([t], ("财政收入",), ("2024年",)) == "11"


def test_suffix_that_lies_is_read_by_content(tmp_path):
    as_doc = tmp_path / "report.doc"
    _docx(as_doc, stacked=False)
    assert read_source(as_doc).encoding == "docx"
    as_xls = tmp_path / "table.xls"
    as_xls.write_bytes(PAGE.format(charset="utf-8").encode("utf-8"))
    assert read_source(as_xls).encoding == "html:utf-8"


def _reason(path):
    with pytest.raises(InputError) as e:
        read_source(path)
    assert e.value.reason and "\n" not in e.value.reason
    return e.value.reason


def _plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "not an Office document")
    return buf.getvalue()


@pytest.mark.parametrize("name, data, expect", [
    ("broken.docx", b"PK\x03\x04 not really a zip", "save it again"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "save it again"),
    ("archive.docx", _plain_zip(), "word/document.xml"),
    ("locked.docx", zipped.OLE + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le"), "password"),
    ("broken.xls", zipped.OLE + b"\x00" * 600, ".xls"),
    ("plain.doc", b"just some text, not a Word file", "OLE"),
    ("bad.html", b"<html><body>\x81\x30\x81</body></html>", "encoding"),
])
def test_broken_files_give_one_line(tmp_path, name, data, expect):
    p = tmp_path / name
    p.write_bytes(data)
    assert expect in _reason(p)


def test_bounds_zip_bomb_and_sheet_size(tmp_path, monkeypatch):
    p = tmp_path / "book.xlsx"
    _xlsx(p)
    monkeypatch.setattr(zipped, "MAX_UNZIPPED", 1000)
    assert "unpacks to" in _reason(p)
    monkeypatch.undo()
    monkeypatch.setattr(sheet_module, "MAX_SHEET_CELLS", 10)
    assert "sheet '01'" in _reason(p)


def test_doc_without_catdoc_says_what_to_install(tmp_path, monkeypatch):
    p = tmp_path / "old.doc"
    p.write_bytes(zipped.OLE + b"\x00" * 600)
    monkeypatch.setattr(doc_reader.shutil, "which", lambda _: None)
    assert "apt-get install catdoc" in _reason(p)


# --- the pieces on hand-made values ---

def test_number_formats():
    assert format_number(182506.58999999997, "General") == "182506.59"
    assert format_number(97345.00000000001, "#0.00") == "97345.00"
    assert format_number(0.153073611743377, "0.0%") == "15.3%"
    assert format_number(0.125, "0.00") == "0.13"  # half away from zero, as Excel shows it
    assert format_number(-5, "#,##0_ ;[Red]\\-#,##0\\ ") == "-5"
    assert format_date(dt.datetime(2024, 8, 26)) == "2024-08-26"


def test_grid_side_by_side_needs_label_columns():
    two = [["收入", "金额", "支出", "金额"], ["税收", "10", "教育", "5"], ["非税", "3", "卫生", "2"]]
    assert side_by_side(two) == 2
    not_two = [["项目", "金额", "占比", "金额"], ["税收", "10", "50%", "5"], ["非税", "3", "20%", "2"]]
    assert side_by_side(not_two) is None
    lines, n = grid_lines([["附表1", ""], ["单位：万元", ""], ["项目", "金额"], ["税收", "10"], ["非税", "3"],
                           ["附表2", ""], ["项目", "金额"], ["教育", "5"]])
    assert n == 2 and lines.count("项目\t金额") == 2 and "附表1" in lines and "单位：万元" in lines
