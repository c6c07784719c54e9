"""Read a source file into raw page texts: text encodings (UTF-8, GB18030, Big5), PDF text layers, and web pages,
Word files and spreadsheets through ingest/formats."""
from __future__ import annotations

import hashlib
import importlib
import io
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ingest.formats import Extracted, SourceMeta
from ingest.formats.zipped import OLE, encrypted_office
from kg.errors import InputError

# Formats read by ingest/formats, by suffix; the file's own bytes decide when its suffix is wrong (a .xls that is
# a web page, a .doc that is a .docx).
_FORMATS = {".html": "html", ".htm": "html", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls",
            ".csv": "csv", ".doc": "doc", ".wps": "doc"}
_READERS = {"html": "ingest.formats.html:read_html", "docx": "ingest.formats.docx:read_docx",
            "xlsx": "ingest.formats.xlsx:read_xlsx", "xls": "ingest.formats.xls:read_xls",
            "csv": "ingest.formats.csv:read_csv", "doc": "ingest.formats.doc:read_doc"}
SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", *_FORMATS)
_TEXT_SUFFIXES = (".txt", ".md")
_MAX_CONTROL = 0.05  # share of control characters above which "text" is binary junk
_MAX_UNREADABLE = 0.3  # share of U+FFFD / private-use characters in a PDF text layer
_MAX_PRIVATE = 0.01  # share of private-use characters in decoded text: the wrong codec, not a report
# Limits per document. The largest bundled report has 77k characters and 4.4k numbers; these leave
# room for a 500-page report while keeping one file's ingest to minutes, not hours.
MAX_CHARS = 1_000_000
MAX_TEXT_BYTES = 4 * MAX_CHARS  # a text file's bytes, checked before reading it
MAX_PDF_BYTES = 200 << 20
# What one PDF page may draw before layout reads it: pdfplumber keeps an object per character, so a small file
# whose one content stream repeats a text line 60,000 times costs gigabytes. The real PDFs in ../shared draw at
# most 0.8 MB and 3,100 text runs on a page (a whole newspaper page); these leave ten times that.
MAX_PDF_PAGES = 2000
MAX_PAGE_CONTENT = 8 << 20  # bytes of a page's decompressed content stream
MAX_TEXT_RUNS = 30_000  # text-showing operators (Tj, TJ) on a page
MAX_OFFICE_BYTES = 100 << 20  # Word files and workbooks (embedded fonts and images make them large)
MAX_HTML_BYTES = 20 << 20  # a saved page with its images inlined
_MAX_BYTES = {".pdf": MAX_PDF_BYTES, ".html": MAX_HTML_BYTES, ".htm": MAX_HTML_BYTES,
              **{s: MAX_OFFICE_BYTES for s in (".docx", ".xlsx", ".xlsm", ".xls", ".doc", ".wps")}}
_JAPANESE_KOREAN = {"shift_jis": "Japanese (Shift-JIS)", "cp932": "Japanese (Shift-JIS)",
                    "euc_jp": "Japanese (EUC-JP)", "iso2022_jp": "Japanese (ISO-2022-JP)",
                    "euc_kr": "Korean (EUC-KR)", "cp949": "Korean (EUC-KR)"}


@dataclass(frozen=True, slots=True)
class RawSource:
    """A file as read: identity hashes, how it was decoded, and its text page by page."""

    path: Path
    name: str
    sha256: str  # of the raw bytes
    sha1: str  # of the raw bytes (document ids are doc-<sha1[:12]>)
    encoding: str  # utf-8, utf-8-sig, gb18030, big5, utf-16 or pdf; html:<codec>, docx, xlsx, xls, doc, csv:<codec>
    pages: tuple[str, ...]  # one entry per PDF page; a single entry for a text file
    meta: SourceMeta = SourceMeta()  # what the file says about itself (a web page's title, date, issuer)
    ocr_pages: tuple[int, ...] = ()  # 1-based PDF pages whose text was read by OCR (scans)

    @property
    def is_pdf(self) -> bool:
        return self.encoding == "pdf"


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith((".", "~$")) for part in path.relative_to(root).parts)


def iter_sources(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files to ingest: files as given, folders expanded recursively (sorted, hidden files
    skipped). Nothing is checked here: read_source reports each bad file (missing, unknown
    type …) on its own, so one bad file never stops the others."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and not _hidden(f, p))
        else:
            yield p


def check_regular_file(path: str | Path) -> int:
    """The size of a regular file (a symlink to one counts); InputError, before anything is opened,
    for a device, a FIFO, a socket or a folder (reading /dev/zero or a pipe never ends) and for a
    file over the size limit."""
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError(str(p), "no such file (or a broken symlink): check the path") from None
    except OSError as e:
        raise InputError(str(p), f"cannot read ({e.strerror or e}): check permissions") from None
    if not stat.S_ISREG(st.st_mode):
        kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        link = " (through a symlink)" if p.is_symlink() else ""
        raise InputError(str(p), f"{kind}{link}, not a regular file: give the report file itself")
    limit = _MAX_BYTES.get(p.suffix.lower(), MAX_TEXT_BYTES)
    if st.st_size > limit:
        raise InputError(str(p), f"file too large ({st.st_size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB "
                                 "per document): split it into parts")
    return st.st_size


def _detect(data: bytes) -> str | None:
    """The most likely East Asian legacy codec of bytes that are not UTF-8 (charset-normalizer)."""
    from charset_normalizer import from_bytes
    best = from_bytes(data[:200_000], cp_isolation=["gb18030", "big5", "shift_jis", "euc_jp", "euc_kr"]).best()
    return best.encoding if best else None


def _decode_legacy(data: bytes, path: str, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    """Text that is not UTF-8: GB18030 (GBK, GB2312) or Big5 by detection; Japanese and Korean
    codecs are refused, since PolicyKG reads Chinese reports."""
    guess = _detect(data)
    if guess in _JAPANESE_KOREAN:
        raise InputError(path, f"the text looks {_JAPANESE_KOREAN[guess]}, not Chinese (detected by "
                               "charset-normalizer): if it is a Chinese report, re-save it as UTF-8")
    codec, name = ("cp950", "big5") if guess == "big5" else ("gb18030", "gb18030")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        bad = data[utf8_error.start:utf8_error.start + 1].hex()
        raise InputError(path, f"neither UTF-8 nor GB18030/GBK nor Big5 (byte 0x{bad} at offset "
                               f"{utf8_error.start}): re-save the file as UTF-8") from None
    private = sum(1 for c in text if unicodedata.category(c) == "Co")
    if private > _MAX_PRIVATE * len(text):
        raise InputError(path, f"decoded as {name}, {private / len(text):.0%} of the characters are private-use "
                               "code points, so that is not its encoding: re-save the file as UTF-8")
    return text, name


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """(text, encoding) of a text file's bytes; InputError when it is not text we can read."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(path, "broken UTF-16 text: re-save the file as UTF-8") from None
    if b"\x00" in data:
        raise InputError(path, "binary data (NUL bytes), not text: export the document as UTF-8 .txt or .pdf")
    try:
        text, encoding = data.decode("utf-8-sig"), ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as utf8_error:
        text, encoding = _decode_legacy(data, path, utf8_error)
    control = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    if control > _MAX_CONTROL * len(text):
        raise InputError(path, f"binary data ({control} control characters), not text: "
                               "export the document as UTF-8 .txt or .pdf")
    return text, encoding


def _check_drawing(reader, path: str) -> None:
    """InputError, before any layout, for a PDF whose pages draw more than a report ever does (MAX_PDF_PAGES,
    MAX_PAGE_CONTENT, MAX_TEXT_RUNS); pypdf bounds each stream's decompression itself."""
    if len(reader.pages) > MAX_PDF_PAGES:
        raise InputError(path, f"{len(reader.pages):,} pages, over the limit of {MAX_PDF_PAGES:,}: split the PDF")
    for n, page in enumerate(reader.pages, 1):
        contents = page.get_contents()
        if contents is None:
            continue
        drawn = contents.get_data()
        runs = drawn.count(b"Tj") + drawn.count(b"TJ")
        if len(drawn) > MAX_PAGE_CONTENT or runs > MAX_TEXT_RUNS:
            raise InputError(path, f"page {n} draws {len(drawn) / 1e6:.1f} MB of content in {runs:,} text runs (the "
                                   f"limit is {MAX_PAGE_CONTENT >> 20} MB and {MAX_TEXT_RUNS:,}): not a report "
                                   "page as published; re-export the PDF")


def _pdf_pages(data: bytes, path: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The text of every page, and the 1-based pages read by OCR."""
    import pypdf  # lazy: only PDFs need it

    from ingest.pdf import read_pdf  # lazy: pulls in pdfplumber
    from ingest.pdf.ocr import OcrError

    if b"%PDF" not in data[:1024]:
        raise InputError(path, "not a PDF (no %PDF header): check the file or give it its real suffix")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(path, "encrypted PDF: remove the password (e.g. qpdf --decrypt in.pdf out.pdf) and retry")
        if not reader.pages:
            raise InputError(path, "PDF has no pages: re-export it")
        _check_drawing(reader, path)
        layout = read_pdf(data)
        pages = tuple(reader.pages[i].extract_text() or "" if i + 1 in layout.failed else text
                      for i, text in enumerate(layout.pages))
    except InputError:
        raise
    except OcrError as e:
        raise InputError(path, str(e)) from None
    except Exception as e:  # pypdf raises many types (PdfReadError, ValueError, KeyError …) on damaged files
        raise InputError(path, f"corrupt PDF ({type(e).__name__}: {str(e)[:80]}): "
                               "re-export it or repair it (e.g. qpdf in.pdf out.pdf)") from None
    if not pages:
        raise InputError(path, "PDF has no pages: re-export it")
    chars = "".join(pages)
    visible = [c for c in chars if not c.isspace()]
    if not visible and layout.ocr:
        raise InputError(path, f"no text found, not even by OCR of its {len(layout.ocr)} scanned pages: "
                               "check that the pages hold text")
    if not visible:
        raise InputError(path, "PDF has no text layer and no page is a scanned image (text drawn as shapes?): "
                               "run OCR first, e.g. ocrmypdf --force-ocr, and ingest the result")
    unreadable = sum(1 for c in visible if c == "\ufffd" or unicodedata.category(c) == "Co")
    if unreadable > _MAX_UNREADABLE * len(visible):
        raise InputError(path, "PDF text layer cannot be decoded (fonts without a Unicode map): "
                               "run OCR first, e.g. ocrmypdf --force-ocr")
    return pages, layout.ocr


def _kind(data: bytes, suffix: str) -> str:
    """Which reader a file needs: its suffix's, unless its bytes say it is another format."""
    kind = _FORMATS[suffix]
    head = data[:2048].lstrip().lower()
    if data.startswith(b"PK\x03\x04") and kind in ("docx", "xlsx", "doc", "xls"):
        return "docx" if b"word/document.xml" in data else "xlsx" if b"xl/workbook.xml" in data else kind
    if data.startswith(OLE) and kind in ("docx", "xlsx") and not encrypted_office(data):  # a .doc/.xls renamed
        return "doc" if "WordDocument".encode("utf-16-le") in data else "xls"
    if kind in ("xls", "doc", "csv") and head.startswith(b"<") and (b"<html" in head or b"<table" in head):
        return "html"  # sites often serve a web page as .xls or .doc
    return kind


def _format(data: bytes, path: Path, suffix: str) -> Extracted:
    module, func = _READERS[_kind(data, suffix)].split(":")
    got = getattr(importlib.import_module(module), func)(data, str(path))
    if not any(not c.isspace() for page in got.pages for c in page):
        raise InputError(str(path), "no text in the file (images only?): nothing to ingest")
    return got


def read_source(path: str | Path) -> RawSource:
    """Read one file; InputError with a one-line reason and fix when it cannot be ingested."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(str(p), f"unsupported file type {suffix or '(no suffix)'!r}: "
                                 f"convert it to {', '.join(SUPPORTED_SUFFIXES)}")
    check_regular_file(p)
    data = p.read_bytes()
    if not data.strip():
        raise InputError(str(p), "empty file: nothing to ingest")
    meta = SourceMeta()
    ocr: tuple[int, ...] = ()
    if suffix == ".pdf":
        (pages, ocr), encoding = _pdf_pages(data, str(p)), "pdf"
    elif suffix in _FORMATS:
        got = _format(data, p, suffix)
        pages, encoding, meta = got.pages, got.encoding, got.meta
    else:
        text, encoding = decode_text(data, str(p))
        if not any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc") for c in text):
            raise InputError(str(p), "no visible text (only whitespace or zero-width characters): nothing to ingest")
        pages = (text,)
    chars = sum(len(t) for t in pages)
    if chars > MAX_CHARS:
        raise InputError(str(p), f"too long: {chars:,} characters, over the limit of {MAX_CHARS:,} characters "
                                 "per document: split it into parts")
    return RawSource(p, p.name, hashlib.sha256(data).hexdigest(), hashlib.sha1(data).hexdigest(), encoding, pages,
                     meta, ocr)
