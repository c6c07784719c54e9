"""Readers for reports published as web pages, Word files and spreadsheets: each gives page texts in the PDF
reader's contract (prose one paragraph a line; a table as caption, 单位 line, then one TAB-separated line per row)."""
from __future__ import annotations

from dataclasses import dataclass

# Bounds per file, besides read.py's per-document MAX_CHARS. A 54-sheet budget workbook unzips to 5.5 MB and its
# largest sheet spans 1.4k rows x 10 columns; these leave room for books tens of times larger.
MAX_UNZIPPED = 200 << 20  # total uncompressed size of a .docx/.xlsx: more is a zip bomb, not a report
MAX_ZIP_MEMBERS = 20_000
MAX_SHEET_CELLS = 2_000_000  # rows x columns of one sheet, counted up to its last cell that holds a value
TOOL_TIMEOUT = 300  # seconds for an outside converter (catdoc) on one file


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """What a file says about itself besides its text (a web page's CMS fields): hints for ingest/meta.py."""

    title: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    issuer: str | None = None

    def __post_init__(self) -> None:
        for name in ("title", "date", "issuer"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                object.__setattr__(self, name, None)


@dataclass(frozen=True, slots=True)
class Extracted:
    """A file as one of these readers read it."""

    pages: tuple[str, ...]
    encoding: str  # how the bytes were read: "html:gb18030", "docx", "xlsx", "xls", "doc", "csv:utf-8"
    meta: SourceMeta = SourceMeta()
    tables: int = 0  # tables written as TAB rows
    skipped: int = 0  # hidden rows/columns/sheets, page chrome, garbled runs left out (counted, not silent)
