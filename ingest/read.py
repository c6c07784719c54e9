"""Read a source file into raw page texts: text encodings (UTF-8 / GB18030) and PDF text layers."""
from __future__ import annotations

import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from kg.errors import InputError

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf")
_TEXT_SUFFIXES = (".txt", ".md")
_MAX_CONTROL = 0.05  # share of control characters above which "text" is binary junk
_MAX_UNREADABLE = 0.3  # share of U+FFFD / private-use characters in a PDF text layer


@dataclass(frozen=True, slots=True)
class RawSource:
    """A file as read: identity hashes, how it was decoded, and its text page by page."""

    path: Path
    name: str
    sha256: str  # of the raw bytes
    sha1: str  # of the raw bytes (document ids are doc-<sha1[:12]>)
    encoding: str  # utf-8, utf-8-sig, gb18030, utf-16 or pdf
    pages: tuple[str, ...]  # one entry per PDF page; a single entry for a text file

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
        try:
            text, encoding = data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            bad = data[utf8_error.start:utf8_error.start + 1].hex()
            raise InputError(path, f"neither UTF-8 nor GB18030/GBK (byte 0x{bad} at offset {utf8_error.start}): "
                                   "re-save the file as UTF-8") from None
    control = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    if control > _MAX_CONTROL * len(text):
        raise InputError(path, f"binary data ({control} control characters), not text: "
                               "export the document as UTF-8 .txt or .pdf")
    return text, encoding


def _pdf_pages(data: bytes, path: str) -> tuple[str, ...]:
    import pypdf  # lazy: only PDFs need it

    from ingest.pdf import read_pdf  # lazy: pulls in pdfplumber

    if b"%PDF" not in data[:1024]:
        raise InputError(path, "not a PDF (no %PDF header): check the file or give it its real suffix")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(path, "encrypted PDF: remove the password (e.g. qpdf --decrypt in.pdf out.pdf) and retry")
        if not reader.pages:
            raise InputError(path, "PDF has no pages: re-export it")
        layout = read_pdf(data)
        pages = tuple(reader.pages[i].extract_text() or "" if i + 1 in layout.failed else text
                      for i, text in enumerate(layout.pages))
    except InputError:
        raise
    except Exception as e:  # pypdf raises many types (PdfReadError, ValueError, KeyError …) on damaged files
        raise InputError(path, f"corrupt PDF ({type(e).__name__}: {str(e)[:80]}): "
                               "re-export it or repair it (e.g. qpdf in.pdf out.pdf)") from None
    if not pages:
        raise InputError(path, "PDF has no pages: re-export it")
    chars = "".join(pages)
    visible = [c for c in chars if not c.isspace()]
    if not visible:
        raise InputError(path, "PDF has no text layer (scanned images?): run OCR first, e.g. ocrmypdf, "
                               "and ingest the result")
    unreadable = sum(1 for c in visible if c == "\ufffd" or unicodedata.category(c) == "Co")
    if unreadable > _MAX_UNREADABLE * len(visible):
        raise InputError(path, "PDF text layer cannot be decoded (fonts without a Unicode map): "
                               "run OCR first, e.g. ocrmypdf --force-ocr")
    return pages


def read_source(path: str | Path) -> RawSource:
    """Read one file; InputError with a one-line reason and fix when it cannot be ingested."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(str(p), f"unsupported file type {suffix or '(no suffix)'!r}: "
                                 f"convert it to {', '.join(SUPPORTED_SUFFIXES)}")
    if not p.is_file():
        raise InputError(str(p), "no such file: check the path")
    data = p.read_bytes()
    if not data.strip():
        raise InputError(str(p), "empty file: nothing to ingest")
    if suffix == ".pdf":
        pages, encoding = _pdf_pages(data, str(p)), "pdf"
    else:
        text, encoding = decode_text(data, str(p))
        if not text.strip():
            raise InputError(str(p), "empty file (only whitespace): nothing to ingest")
        pages = (text,)
    return RawSource(p, p.name, hashlib.sha256(data).hexdigest(), hashlib.sha1(data).hexdigest(), encoding, pages)
