"""Reading source files: encodings, PDF text layers with page numbers, one-line errors."""
import glob
import hashlib
import io
from pathlib import Path

import pytest

from ingest.document import build_document
from ingest.read import iter_sources, read_source
from kg.errors import InputError
from conftest import SHARED

TEXT = "辽宁省金融运行报告（2025）\n\n2024 年，辽宁省经济运行持续向好，全年实现地区生产总值 3.3 万亿元。\n"

# Where Debian/Ubuntu CJK font packages put their files (fonts-wqy-zenhei, fonts-noto-cjk, …).
CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


def _reason(path: Path) -> str:
    with pytest.raises(InputError) as e:
        read_source(path)
    assert e.value.path == str(path)
    assert e.value.reason and "\n" not in e.value.reason
    return e.value.reason


def test_utf8_with_and_without_bom(tmp_path):
    plain, bom = tmp_path / "a.txt", tmp_path / "b.md"
    plain.write_bytes(TEXT.encode("utf-8"))
    bom.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    a, b = read_source(plain), read_source(bom)
    assert a.pages == b.pages == (TEXT,)
    assert (a.encoding, b.encoding) == ("utf-8", "utf-8-sig")
    assert a.sha256 == hashlib.sha256(TEXT.encode("utf-8")).hexdigest() and not a.is_pdf


def test_gbk_encoded_text_decodes(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes(TEXT.encode("gbk"))
    src = read_source(p)
    assert src.encoding == "gb18030" and src.pages == (TEXT,)
    doc = build_document(p)
    assert doc.encoding == "gb18030" and "地区生产总值 3.3 万亿元" in doc.text


def test_text_that_is_neither_utf8_nor_gb18030_is_refused(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("café au lait, 3 £\n".encode("latin-1"))
    reason = _reason(p)
    assert "UTF-8" in reason and "GB18030" in reason and "re-save" in reason


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t \n"])
def test_empty_file(tmp_path, data):
    p = tmp_path / "empty.txt"
    p.write_bytes(data)
    assert "empty" in _reason(p)


def test_binary_junk(tmp_path):
    nul = tmp_path / "junk.txt"
    nul.write_bytes(bytes(range(256)) * 20)
    assert "binary" in _reason(nul)
    control = tmp_path / "control.txt"
    control.write_bytes(bytes(range(1, 32)) * 50 + "正文".encode("utf-8"))
    assert "binary" in _reason(control)


def test_unknown_suffix_and_missing_file(tmp_path):
    x = tmp_path / "slides.pptx"  # (.xlsx, .docx, .html … are read by ingest/formats: tests/test_formats.py)
    x.write_bytes(b"PK\x03\x04 slides")
    assert "'.pptx'" in _reason(x) and ".pdf" in _reason(x)
    assert "no such file" in _reason(tmp_path / "missing.txt")


def test_corrupt_pdf(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.4\n this is not really a pdf")
    assert "corrupt PDF" in _reason(p)
    q = tmp_path / "fake.pdf"
    q.write_bytes("这不是 PDF".encode("utf-8"))
    assert "not a PDF" in _reason(q)


def _blank_pdf(encrypt: str | None = None) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    if encrypt:
        w.encrypt(user_password=encrypt, owner_password=encrypt + "-owner", algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def test_pdf_without_text_layer_and_encrypted_pdf(tmp_path):
    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(_blank_pdf())
    assert "no text layer" in _reason(scanned) and "OCR" in _reason(scanned)
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(_blank_pdf(encrypt="secret"))
    assert "encrypted" in _reason(locked)


def test_iter_sources_expands_folders_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/2.txt", "a.pdf", "b/1.md", ".hidden.txt", ".git/x.txt", "notes.xlsx"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    lone = tmp_path / "missing.txt"
    found = list(iter_sources([tmp_path, lone]))
    # unsupported files are yielded too, so the caller can report each one
    assert found == [tmp_path / "a.pdf", tmp_path / "b/1.md", tmp_path / "b/2.txt", tmp_path / "notes.xlsx", lone]


# --- a two-page PDF typeset in the test: running header, page numbers, a sentence across the page break ---

def _cjk_font() -> str | None:
    found = [f for f in CJK_FONTS if Path(f).exists()]
    found += sorted(glob.glob("/usr/share/fonts/**/*[Cc][Jj][Kk]*.tt[cf]", recursive=True))
    return found[0] if found else None


HEADER = "浙江省政府工作报告 2026"
PAGE1 = ["2026年浙江省政府工作报告",
         "各位代表：",
         "现在，我代表省人民政府向大会作政府工作报告，请予审议，并请省政协委员",
         "和其他列席同志提出意见。",
         "2025年是极不平凡的一年，面对错综复杂的外部环境和艰巨繁重的改革发展稳",
         "定任务，全省上下推动经济稳中有进、向新向好。全省生产总值增长5.5%，一般"]
PAGE2 = ["公共预算收入增长1.8%，城镇和农村居民人均可支配收入分别增长4.3%、5.5%，",
         "十方面民生实事圆满完成。",
         "一、2025年主要工作和“十四五”发展成就",
         "强化创新驱动发展，全省科技创新投入7232亿元、增长5.6%。"]


def _typeset(path: Path, font: str) -> None:
    from fpdf import FPDF  # test dependency (pyproject [test])

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("cjk", fname=font, **({"collection_font_number": 0} if font.endswith(".ttc") else {}))
    for n, lines in enumerate((PAGE1, PAGE2), 1):
        pdf.add_page()
        pdf.set_font("cjk", size=9)
        pdf.cell(0, 8, HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=11)
        for line in lines:
            pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-20)
        pdf.cell(0, 8, f"- {n} -", align="C")
    pdf.output(str(path))


@pytest.fixture(scope="module")
def typeset_pdf(tmp_path_factory) -> Path:
    pytest.importorskip("fpdf", reason="fpdf2 is a test dependency: pip install -e .[test]")
    font = _cjk_font()
    if font is None:
        pytest.skip("no CJK TrueType font to typeset a Chinese PDF: apt-get install fonts-wqy-zenhei")
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    _typeset(path, font)
    return path


def test_pdf_pages_are_read_with_their_text(typeset_pdf):
    src = read_source(typeset_pdf)
    assert src.is_pdf and src.encoding == "pdf" and len(src.pages) == 2
    assert "各位代表" in src.pages[0] and "- 1 -" not in src.pages[0]  # page numbers go at layout time
    assert "十方面民生实事圆满完成" in src.pages[1] and HEADER.replace(" ", "") in src.pages[1]  # no space at a CJK join


def test_pdf_document_has_page_spans_and_no_furniture(typeset_pdf):
    doc = build_document(typeset_pdf)
    text = doc.text
    assert HEADER not in text and "- 1 -" not in text and "- 2 -" not in text
    # lines wrapped mid-sentence, and the sentence cut by the page break, are joined
    assert "并请省政协委员和其他列席同志提出意见。" in text
    assert "一般公共预算收入增长1.8%" in text
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.pages[0].start == 0 and doc.pages[0].end == doc.pages[1].start and doc.pages[1].end == len(text)
    assert doc.page_at(text.index("各位代表")) == 1
    assert doc.page_at(text.index("一般公共预算收入")) == 1  # "一般" ends page 1 …
    assert doc.page_at(text.index("公共预算收入增长1.8%")) == 2  # … "公共预算" opens page 2
    assert doc.page_at(text.index("一、2025年主要工作")) == 2
    assert [s.title for s in doc.sections] == ["一、2025年主要工作和“十四五”发展成就"]
    assert doc.title == "2026年浙江省政府工作报告" and doc.region == "浙江" and doc.year == 2026
    assert doc.issuer == "浙江省人民政府"


EXTRA_PDF = SHARED / "extra" / "pdf" / "gov_report_2026_sichuan.pdf"


@pytest.mark.skipif(not EXTRA_PDF.exists(), reason=f"no shared extra reports at {EXTRA_PDF}: they sit beside the repository as ../shared")
def test_furniture_removed_from_a_real_typeset_report():
    doc = build_document(EXTRA_PDF)
    assert len(doc.pages) == 15
    assert "四川省人民政府工作报告（2026年）" not in doc.text  # running header of every page
    assert "- 3 -" not in doc.text and "\n3\n" not in doc.text
    assert "【字体" not in doc.text and "责任编辑" not in doc.text and "相关链接" not in doc.text
    assert "增长4.4%、5.6%。" in doc.text  # "5." / "6%" wrapped inside a number
    third = doc.text[doc.pages[2].start:doc.pages[2].end]
    assert "春秋假，让孩子们走出校园亲近自然" in third


def _flate_pdf(content: bytes) -> bytes:
    """A one-page PDF whose page draws `content` (Flate-compressed), with exact xref offsets."""
    import zlib
    stream = zlib.compress(content, 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_a_small_pdf_that_draws_too_much_is_refused_before_layout(tmp_path, monkeypatch):
    import ingest.pdf
    line = b"BT /F1 12 Tf 72 700 Td (the same line drawn again and again) Tj ET\n"
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_flate_pdf(line * 60_000))
    assert bomb.stat().st_size < 40_000  # a few KB on disk, gigabytes once laid out
    monkeypatch.setattr(ingest.pdf, "read_pdf", lambda *_: pytest.fail("layout must not run"))
    with pytest.raises(InputError, match=r"page 1 draws .* 60,000 text runs .*re-export") as err:
        read_source(bomb)
    assert "\n" not in str(err.value)
    fine = tmp_path / "fine.pdf"
    fine.write_bytes(_flate_pdf(line * 20))
    monkeypatch.undo()
    assert "the same line" in read_source(fine).pages[0]
