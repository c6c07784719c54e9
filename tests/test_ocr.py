"""Scanned PDF pages through OCR: which pages are scans, the rules of their tables, misreadings put right, the bounds,
the marking in the knowledge base and the graph; and the real scans in ../shared/formats, whose figures were read
off the rendered pages by eye."""
from __future__ import annotations

import difflib
import importlib.util
import io
import re
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from conftest import SHARED
from ingest.pdf import read_pdf
from ingest.pdf.ocr import Glyph, OcrError, OcrReader, fix_misreadings, needs_ocr, resolution, spaced
from ingest.pdf.ocr_image import find_rules, ink_of
from ingest.read import read_source
from ingest.tables import find_tables
from kg.errors import InputError

FORMATS = SHARED / "formats"
ZHANGJIAJIE = FORMATS / "scan_2025_zhangjiajie_stats.pdf"
ZHUHAI = FORMATS / "scan_2026_zhuhai_huafa_rating_mixed.pdf"
QIANDONGNAN = SHARED / "realpdf" / "stats_2023_qiandongnan.pdf"
ENGINE = all(importlib.util.find_spec(m) for m in ("rapidocr", "onnxruntime"))
needs_engine = pytest.mark.skipif(not ENGINE, reason="no OCR engine: pip install rapidocr onnxruntime")


def _line(text: str, x: float, top: float, step: float = 20, height: float = 24) -> list[Glyph]:
    return [Glyph(c, x + i * step, top, x + (i + 1) * step, top + height) for i, c in enumerate(text)]


def _text(line: list[Glyph]) -> str:
    return "".join(g.text for g in line)


# -- misreadings and spacing ---------------------------------------------------------------------------------------
def test_known_misreadings_are_put_right():
    assert _text(fix_misreadings(_line("-16一", 0, 0))) == "—16—"  # a page number between dashes
    assert _text(fix_misreadings(_line("出生率为4.5%o;全", 0, 0))) == "出生率为4.5‰；全"
    assert _text(fix_misreadings(_line("增长一点", 0, 0))) == "增长一点"  # 一 as a word stays
    assert _text(fix_misreadings(_line("Add:17/F,PICC", 0, 0))) == "Add:17/F,PICC"  # no CJK after: half width
    point = [Glyph("2", 0, 0, 10, 24), Glyph("1", 10, 0, 20, 24), Glyph(".", 20, 0, 25, 24, space=True),
             Glyph("9", 40, 0, 50, 24), Glyph("5", 50, 0, 60, 24)]  # the OCR read "21. 95"
    fixed = fix_misreadings(point)
    assert not fixed[2].space and fixed[2].x1 == fixed[3].x0


def test_spacing_follows_the_ocr_and_keeps_wide_gaps():
    word = [Glyph("1", 0, 0, 10, 24), Glyph("7", 14, 0, 24, 24)]  # a sliver inside a word: closed
    assert spaced(word)[0].x1 == 14
    label = [Glyph("2", 0, 0, 10, 24), Glyph("2", 18, 0, 28, 24)]  # wider than a quarter of the height: a space
    assert spaced(label)[0].x1 == 10
    words = [Glyph("d", 0, 0, 10, 24, space=True), Glyph("S", 12, 0, 22, 24)]  # a space the OCR read
    assert 12 - spaced(words)[0].x1 >= 8
    mark = [Glyph("；", 0, 0, 10, 24), Glyph("集", 20, 0, 30, 24)]  # full-width punctuation fills its em
    assert spaced(mark)[0].x1 == 20


# -- rules of a table drawn in an image ----------------------------------------------------------------------------
def _table_image(size=(1000, 800)) -> Image.Image:
    """Four horizontal rules with two inner vertical rules between them and open sides, a glyph-like stroke, and a
    lone underline further down."""
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    for y in (100, 200, 300, 400):
        d.line([(100, y), (900, y)], fill="black", width=2)
    for x in (400, 650):
        d.line([(x, 100), (x, 400)], fill="black", width=2)
    d.line([(200, 230), (200, 275)], fill="black", width=3)  # a stroke of a glyph in a cell
    d.line([(100, 600), (900, 600)], fill="black", width=2)  # a rule under a heading, no table
    return img


def test_rules_of_an_open_sided_table_get_their_sides():
    rules = find_rules(ink_of(_table_image(), 160), min_width=120, min_height=40, tol=4)
    horizontal = sorted(round(r[1]) for r in rules if r[1] == r[3])
    vertical = sorted((round(r[0]), round(r[1]), round(r[3])) for r in rules if r[0] == r[2])
    assert horizontal == [100, 200, 300, 400, 600]
    assert [v[0] for v in vertical] == pytest.approx([100, 400, 650, 900], abs=2)  # the sides added, not the stroke
    assert all(abs(top - 100) <= 2 and abs(bottom - 400) <= 2 for _, top, bottom in vertical)


# -- the page decision, rendering and the whole path through a fake engine -----------------------------------------
class FakeEngine:
    """Reads the glyphs it was given (positions in the pixels of the image they were drawn on) off any rendering."""

    def __init__(self, lines: list[list[Glyph]], width: int) -> None:
        self.lines, self.width, self.images = lines, width, 0

    def read(self, image) -> list[list[Glyph]]:
        self.images += 1
        k = image.width / self.width
        return [[Glyph(g.text, g.x0 * k, g.top * k, g.x1 * k, g.bottom * k, g.space) for g in line]
                for line in self.lines]


SCAN_LINES = [_line("表1", 300, 60), _line("产品产量", 420, 60),
              _line("指标", 150, 140), _line("数值", 450, 140), _line("增速", 700, 140),
              _line("水泥", 150, 240), _line("211.4", 450, 240, step=12), _line("-9.3", 700, 240, step=12),
              _line("石灰石", 150, 340), _line("196.4", 450, 340, step=12), _line("-4.5", 700, 340, step=12),
              _line("全年粮食产量65.3万吨，比上年增长0.4%。", 100, 640)]


def _image_pdf(images: list[Image.Image], dpi: float = 100) -> bytes:
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return buf.getvalue()


def test_image_only_page_is_read_by_ocr_with_its_table():
    engine = FakeEngine(SCAN_LINES, 1000)
    got = read_pdf(_image_pdf([_table_image()]), OcrReader(engine))
    assert got.ocr == (1,) and engine.images == 1
    page = got.pages[0]
    assert "表1 产品产量" in page and "全年粮食产量65.3万吨，比上年增长0.4%。" in page
    assert "指标\t数值\t增速" in page and "水泥\t211.4\t-9.3" in page and "石灰石\t196.4\t-4.5" in page
    table, = find_tables(page, "doc-0123456789ab")
    assert table.label == "表1" and "产品产量" in table.caption
    cell = next(c for c in table.cells if c.value == "196.4")
    assert cell.row_header == ("石灰石",) and cell.col_header == ("数值",)


def test_the_scan_decision_and_the_render_resolution(tmp_path):
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 is a test dependency: pip install -e .[test]")
    import pdfplumber

    scan = tmp_path / "scan.png"
    _table_image((992, 1403)).save(scan)  # A4 at 120 dpi
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=10)
    for body in ("", "a text layer over the image, in the body of the page"):
        pdf.add_page()
        pdf.image(str(scan), x=0, y=0, w=pdf.w, h=pdf.h)
        pdf.text(pdf.w / 2, pdf.h - 20, "- 3 -")  # a page-number overlay in the footer band
        if body:
            pdf.text(72, pdf.h / 2, body)
    pdf.add_page()  # a page of text, no image
    pdf.text(72, 100, "text only")
    with pdfplumber.open(io.BytesIO(bytes(pdf.output()))) as doc:
        assert [needs_ocr(p) for p in doc.pages] == [True, False, False]
        assert resolution(doc.pages[0]) == pytest.approx(240, abs=1)  # twice the scan's 120 dpi


def test_bounds_refuse_long_or_slow_scans():
    data = _image_pdf([_table_image(), _table_image()])
    with pytest.raises(OcrError, match="2 scanned pages, over the limit of 1 .*split"):
        read_pdf(data, OcrReader(FakeEngine([], 1000), max_pages=1))
    with pytest.raises(OcrError, match="over the budget"):
        read_pdf(data, OcrReader(FakeEngine([], 1000), max_seconds_per_page=0))


def test_missing_engine_is_a_one_line_input_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # import rapidocr now fails
    path = tmp_path / "scan.pdf"
    path.write_bytes(_image_pdf([_table_image()]))
    with pytest.raises(InputError) as e:
        read_source(path)
    assert e.value.path == str(path) and "\n" not in e.value.reason
    assert "pip install rapidocr" in e.value.reason


# -- marking: knowledge base and graph ----------------------------------------------------------------------------
def test_ocr_pages_are_kept_in_the_knowledge_base_and_the_graph(tmp_path):
    from rdflib import Literal, URIRef
    from rdflib.namespace import PROV, RDF

    from kg.graph.rdf import doc_graph
    from kg.graph.vocab import PKG, chunk_uri, doc_uri
    from kg.kb.store import KnowledgeBase
    from kg.types import Chunk, Document, Page

    text = "第一页的文字。\n第二页是扫描件。"
    doc = Document(id="doc-0123456789ab", source="mixed.pdf", title="测试", text=text, sha256="0" * 64,
                   encoding="pdf", pages=(Page(1, 0, 8), Page(2, 8, len(text))), ocr_pages=(2,))
    chunks = (Chunk("chunk-000000000001", doc.id, 0, 7, text[0:7], page=1),
              Chunk("chunk-000000000002", doc.id, 8, len(text), text[8:], page=2))
    with KnowledgeBase.open(tmp_path / "kb", create=True) as kb:
        kb.put(doc, (), chunks)
        assert kb.document(doc.id).ocr_pages == (2,)
    g = doc_graph(doc, chunks)
    d = doc_uri(doc.id)
    assert set(g.objects(d, PKG.ocrPage)) == {Literal(2)}
    activity = URIRef(f"{d}#ocr")
    assert (activity, RDF.type, PROV.Activity) in g
    assert (chunk_uri(chunks[1].id), PROV.wasGeneratedBy, activity) in g
    assert (chunk_uri(chunks[0].id), PROV.wasGeneratedBy, activity) not in g
    plain = Document(id="doc-0123456789ac", source="text.pdf", title="测试", text=text, sha256="0" * 64)
    assert not set(doc_graph(plain, ()).subject_objects(PKG.ocrPage))


# -- the real scans ------------------------------------------------------------------------------------------------
def _pages(src: Path, numbers: list[int], dest: Path) -> Path:
    """A PDF of some pages of src (OCR of all 20 pages of the scan takes minutes)."""
    import pypdf

    reader, writer = pypdf.PdfReader(src), pypdf.PdfWriter()
    for n in numbers:
        writer.add_page(reader.pages[n - 1])
    with open(dest, "wb") as f:
        writer.write(f)
    return dest


@pytest.mark.skipif(not ZHANGJIAJIE.exists(), reason=f"no scans at {FORMATS}: they sit beside the repository")
@pytest.mark.realpdf
@needs_engine
def test_image_only_communique_reads_with_its_tables(tmp_path):
    from ingest.document import build_document

    # pp.3, 5 and 6: 表1 on p.3, 表2 on p.5 going on over p.6 under a repeated header
    doc = build_document(_pages(ZHANGJIAJIE, [3, 5, 6], tmp_path / "zhangjiajie_p3_5_6.pdf"))
    tables = find_tables(doc.text, doc.id)
    assert doc.ocr_pages == (1, 2, 3)
    text = doc.text
    for seen in ("全年粮食产量65.3万吨，比上年增长0.4%", "禽蛋产量3.0万吨，增长12.1%",
                 "规模以上工业企业营业收入96.35亿元", "实现企业利润总额5.27亿元，下降28.8%",
                 "全市完成建筑业增加值24.95亿元，下降2.9%", "房屋建筑施工面积97.9万平方米，下降20.5%"):
        assert seen in text, seen
    assert "—3—" not in text and "—5—" not in text  # page numbers are furniture
    by_label = {t.label: t for t in tables}
    assert "2025年农林牧渔业总产值构成" in by_label["表1"].caption
    cells = {(c.row_header[-1], c.col_header[-1]): c.value for c in by_label["表1"].cells}
    assert cells[("农林牧渔业总产值", "绝对数（亿元）")] == "157.90"
    assert cells[("牧业", "增速（%）")] == "-3.1"
    t2 = by_label["表2"]
    assert "规模以上工业主要产品产量" in t2.caption
    cells = {(c.row_header, c.col_header[-1]): c.value for c in t2.cells}  # rows: product, unit
    assert cells[(("水泥", "万吨"), "产量")] == "211.4" and cells[(("饮料", "万吨"), "比上年增长（%）")] == "272.6"
    assert cells[(("砖", "万块"), "产量")] == "4965.3"  # p.6, under the header repeated there
    assert cells[(("精制茶", "吨"), "比上年增长（%）")] == "-19.1" and len(t2.rows) == 12
    for c in t2.cells:
        assert text[c.start:c.end] == c.value


@pytest.mark.skipif(not ZHUHAI.exists(), reason=f"no scans at {FORMATS}: they sit beside the repository")
@pytest.mark.realpdf
@needs_engine
def test_mixed_pdf_reads_only_its_scanned_page_by_ocr():
    data = ZHUHAI.read_bytes()
    got = read_pdf(data)
    assert got.ocr == (2,)  # p.1 is a raster cover under a text overlay with its title: not a scan
    blind = read_pdf(data, OcrReader(FakeEngine([], 1)))  # the same PDF with OCR reading nothing
    assert [i + 1 for i, (a, b) in enumerate(zip(got.pages, blind.pages)) if a != b] == [2]
    assert got.pages[0].startswith("珠海华发综合发展有限公司\n2026年跟踪评级报告")
    page = got.pages[1]
    assert "信用评级公告" in page and "4201号" in page
    assert "联合资信评估股份有限公司通过对珠海华发综合发展有限公司" in page
    assert "主体长期信用等级为AAA" in page and "“23珠海华发MTN001”" in page and "评级展" in page
    assert "二〇二六年六月十八日" in page


def _body(text: str) -> str:
    return "".join(re.findall(r"[\u4e00-\u9fff0-9.%]", text))


@pytest.mark.skipif(not QIANDONGNAN.exists(), reason="no real PDFs at ../shared/realpdf")
@pytest.mark.realpdf
@needs_engine
def test_rendered_text_page_reads_back_like_its_text_layer():
    import pypdf
    import pypdfium2

    writer, buf = pypdf.PdfWriter(), io.BytesIO()
    writer.add_page(pypdf.PdfReader(QIANDONGNAN).pages[2])  # p.3: prose and 表2 (ruled)
    writer.write(buf)
    layer = read_pdf(buf.getvalue()).pages[0]
    image = pypdfium2.PdfDocument(buf.getvalue())[0].render(scale=150 / 72).to_pil()  # pdftoppm's default 150 dpi
    scanned = read_pdf(_image_pdf([image.convert("RGB")], dpi=150))
    assert scanned.ocr == (1,)
    a, b = _body(layer), _body(scanned.pages[0])
    same = sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    assert same / len(a) >= 0.95
    want = {(c.row_header, c.col_header, c.value) for t in find_tables(layer, "doc-0123456789ab") for c in t.cells}
    got = {(c.row_header, c.col_header, c.value) for t in find_tables(scanned.pages[0], "doc-0123456789ab")
           for c in t.cells}
    assert len(want) >= 12 and len(want & got) >= 0.9 * len(want)
