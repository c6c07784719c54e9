"""Real published PDFs (../shared/realpdf): table cells against the page, tables across pages, reading order,
furniture and CJK spacing. Cells were picked by reading the rendered pages."""
from __future__ import annotations

import re
from functools import lru_cache

import pytest

from tests.conftest import SHARED

REALPDF = SHARED / "realpdf"
pytestmark = [pytest.mark.realpdf,
              pytest.mark.skipif(not REALPDF.is_dir(), reason=f"no real PDFs at {REALPDF}: they sit beside the "
                                                              "repository as ../shared/realpdf")]

QIANDONGNAN = "stats_2023_qiandongnan.pdf"
XIAN = "stats_2025_xian.pdf"
XIAMEN = "bond_2026_xiamen_special_refinancing_rating.pdf"
HUNAN = "bond_2020_hunan_debt_use_table.pdf"
QINGDAO = "budget_2025_qingdao.pdf"
LIUZHOU = "lgfv_2025_liuzhou_longjian_rating.pdf"
HOHHOT = "budget_2025_hohhot_newspaper.pdf"
SHENZHEN = "gwr_2026_shenzhen_gazette.pdf"
PAGES = {QIANDONGNAN: 21, XIAN: 15, XIAMEN: 18, HUNAN: 48, QINGDAO: 220, LIUZHOU: 22, HOHHOT: 1, SHENZHEN: 73}


@lru_cache(maxsize=None)
def parsed(name: str):
    from kg.kb.build import parse_file
    return parse_file(REALPDF / name, facts=False)


# (file, table label, row path, column path, value, unit, page); the unit is the table's, or the row's unit
# column (last row path element), as the page shows it.
CELLS = [
    (QIANDONGNAN, "表9", ("新登记市场主体总量", "个体工商户"), ("总量（户）",), "45930", "户", 10),  # three-line table
    (QIANDONGNAN, "表11", ("居民消费价格", "食品烟酒", "粮食", "%"), ("比上年涨跌幅度",), "2.5", "%", 11),
    # on the continuation page, without a header: the row keeps its parent from the page before
    (QIANDONGNAN, "表10", ("限额以上企业（单位）主要商品零售额", "汽车类", "%"), ("比上年增长",), "-16.3", "%", 11),
    (XIAN, "表2", ("汽车", "新能源汽车", "万辆"), ("产量",), "105.14", "万辆", 5),  # 其中： sub-row
    (XIAMEN, "图表3", ("税收收入", "企业所得税"), ("2024年",), "120.33", "亿元", 12),  # shaded rows, 其中：
    (XIAMEN, "图表4", ("教育",), ("2024年",), "215.29", "亿元", 12),
    (HUNAN, "表2", ("高校基础设施建设", "P184300-0056", "普通高校"), ("债券规模",), "100.00", "亿元", 1),
    (QINGDAO, "表1-1", ("税收收入", "增值税"), ("收入合计",), "3709124", "万元", 10),  # full-width-space indent
    (QINGDAO, "表1-1", ("非税收入", "罚没收入"), ("收入合计",), "294520", "万元", 10),
    (QINGDAO, "表1-5", ("合计",), ("市南区",), "265346", "万元", 65),  # landscape table drawn rotated
    (QINGDAO, "表1-5", ("(二)教育转移支付",), ("市北区",), "22249", "万元", 65),
    (LIUZHOU, "表1", ("柳州市",), ("GDP",), "2,951", "亿元", 8),  # shaded and unshaded rows
    (LIUZHOU, "表8", ("资本公积",), ("金额",), "204.13", "亿元", 12),
]


@pytest.mark.parametrize("name,label,row,col,value,unit,page", CELLS,
                         ids=[f"{c[0].split('_')[1]}-{c[1]}-{c[4]}" for c in CELLS])
def test_table_cell_matches_the_page(name, label, row, col, value, unit, page):
    p = parsed(name)
    table = next(t for t in p.tables if t.label == label)
    cell = next((c for c in table.cells if c.row_header == row and c.col_header == col), None)
    assert cell is not None, [(c.row_header, c.col_header) for c in table.cells[:20]]
    assert cell.value == value and p.doc.text[cell.start:cell.end] == value
    assert p.doc.page_at(cell.start) == page
    assert unit in (table.unit, row[-1]) or f"（{unit}）" in col[-1]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_real_pdf_ingests_with_pages_and_exact_cells(name):
    p = parsed(name)
    assert [pg.number for pg in p.doc.pages] == list(range(1, PAGES[name] + 1))
    for t in p.tables:
        assert t.page is not None
        for c in t.cells:
            assert p.doc.text[c.start:c.end] == c.value and p.doc.page_at(c.start) is not None
    for chunk in p.chunks:
        assert p.doc.text[chunk.start:chunk.end] == chunk.text


def _pages_of(p, table) -> list[int]:
    return sorted({p.doc.page_at(start) for start, _ in table.row_spans})


def test_tables_that_run_over_pages_come_out_as_one():
    p = parsed(QIANDONGNAN)  # 表10 goes on from p.10 to p.11 without its header
    assert [t.label for t in p.tables] == [f"表{i}" for i in range(1, 17)]
    t10 = next(t for t in p.tables if t.label == "表10")
    assert _pages_of(p, t10) == [10, 11] and len(t10.rows) == 15
    p = parsed(HUNAN)  # one table over 48 pages, header repeated on 47 of them
    assert len(p.tables) == 1
    t = p.tables[0]
    assert _pages_of(p, t) == list(range(1, 49)) and len(t.header_rows) == 1 and len(t.rows) > 2000
    assert not any(r[0] == "项目名称" for r in t.rows)
    p = parsed(QINGDAO)  # title and unit repeated on each page of a long table
    t12 = next(t for t in p.tables if t.label == "表1-2")
    assert _pages_of(p, t12)[:2] == [12, 13] and len(_pages_of(p, t12)) >= 20
    assert sum(1 for t in p.tables if t.label == "表1-2") == 1


def test_multi_column_pages_read_column_by_column():
    text = parsed(HOHHOT).doc.text  # 7-column newspaper page
    assert "受市人民政府委托，现将2025年预算执行情况和2026年预算草案提请本次人民代表大会审查，并请各位政协委员" in text
    assert "2025年，财政部门严格执行市十六届人大四次会议审查批准的预算" in text  # across a column break
    text = parsed(LIUZHOU).doc.text  # sidebar beside the summary column
    assert ("本次等级的评定是考虑到：柳州市龙建投资发展有限责任公司（以下简称“柳州龙建”或“公司”）职能定位重要，"
            "在基础设施建设方面对柳州市政府贡献很大") in text
    assert text.index("联系电话：0755-82872897") < text.index("本次等级的评定")


def test_running_headers_and_page_numbers_are_gone():
    flat = parsed(SHENZHEN).doc.text.replace(" ", "")
    assert "深圳市人民政府公报2026年第10期" not in flat  # on 72 of 73 pages
    assert not re.search(r"(?m)^[—–-]\s*\d{1,3}\s*[—–-]$", parsed(QIANDONGNAN).doc.text)
    assert not re.search(r"信用评级报告\s*[|｜]?\s*\d", parsed(XIAMEN).doc.text)
    assert not re.search(r"(?m)^[—–-]\s*\d{1,3}\s*[—–-]$", parsed(QINGDAO).doc.text)


@pytest.mark.parametrize("name", [HOHHOT, QIANDONGNAN, XIAMEN])
def test_no_spaces_inserted_between_chinese_characters(name):
    # pypdf spaced out every justified line of the newspaper page
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", parsed(name).doc.text)
