"""PDF text layers read by layout with pdfplumber: columns in reading order, tables as tab-separated rows;
scanned pages through OCR (ingest/pdf/ocr.py) into the same layout."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from ingest.pdf.furniture import drop_furniture
from ingest.pdf.geometry import segments, upright_page
from ingest.pdf.layout import PageLine, page_lines
from ingest.pdf.ocr import OcrError, OcrReader, needs_ocr
from ingest.pdf.tables import Region, find_regions


@dataclass(frozen=True, slots=True)
class PdfText:
    """A PDF's pages as text, and what the reader did to them."""

    pages: tuple[str, ...]
    tables: int  # table regions written as tab-separated rows
    rotated: tuple[int, ...]  # 1-based pages whose text was drawn rotated and was turned upright
    furniture: int  # running header/footer and page-number lines dropped
    failed: tuple[int, ...] = ()  # 1-based pages pdfplumber could not lay out (left empty here)
    ocr: tuple[int, ...] = ()  # 1-based pages read by OCR (scans: no text layer, or only an overlay)


def _page(page, carry: Region | None = None) -> tuple[list[PageLine], list[Region], bool]:
    page, turns = upright_page(page)
    regions = find_regions(page, carry)
    chars = [c for c in page.chars if c.get("upright", True)]
    return page_lines(segments(chars), regions), regions, bool(turns)


_LONE_LABEL = re.compile(r"^\s*(?:附?表|图表)\s*\d+(?:[-－—–]\d+)?\s*$")
_LABEL = re.compile(r"^(?:附?表|图表)\s*\d+(?:[-－—–]\d+)?")


def _join_labels(lines: list[PageLine]) -> list[PageLine]:
    """A table label set on its own line ("表2") above its title becomes one caption line "表2 title"."""
    out: list[PageLine] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev and _LONE_LABEL.match(prev.text) and not line.row and 0 < len(line.text) <= 60:
            out[-1] = PageLine(f"{prev.text.strip()} {line.text.strip()}", prev.top, line.bottom)
        else:
            out.append(line)
    return out


def _plain(text: str) -> str:
    """A title as compared across pages: its label (表1-2) and spaces dropped."""
    s = text.strip()
    m = _LABEL.match(s)
    return re.sub(r"\s+", "", s[m.end():] if m else s)


def _last_table(regions: list[Region], lines: list[PageLine], height: float) -> Region | None:
    """The table a page ends in (only its footer below it), which may go on over the next page."""
    if not regions:
        return None
    last = max(regions, key=lambda r: r.bottom)
    return last if all(l.row or l.top >= 0.88 * height for l in lines if l.top > last.bottom) else None


def _continued(prev: list[PageLine], lines: list[PageLine]) -> list[PageLine]:
    """Drop the title and unit lines repeated above a table's continuation: the previous page ends in a table row,
    and this page opens with lines that stood above that table, then a row."""
    if not prev or not prev[-1].row:
        return lines
    i = len(prev)
    while i > 0 and prev[i - 1].row:
        i -= 1
    above = {_plain(l.text) for l in prev[max(0, i - 4):i]}
    j = 0
    while j < min(4, len(lines)) and not lines[j].row and _plain(lines[j].text) in above:
        j += 1
    return lines[j:] if 0 < j < len(lines) and lines[j].row else lines


def _is_scan(page) -> bool:
    try:
        return needs_ocr(page)
    except Exception:  # a damaged page: laid out (or failed) as a text page
        return False


def _scans(pages) -> int:
    """How many of these pages are scans (each page parsed, then let go)."""
    n = 0
    for page in pages:
        n += _is_scan(page)
        page.close()
    return n


def read_pdf(data: bytes, ocr: OcrReader | None = None) -> PdfText:
    """Text of every page of a PDF in reading order (the caller has validated the file); scanned pages are read
    by `ocr` (RapidOCR, loaded on the first scanned page, by default). OcrError when they cannot be."""
    import pdfplumber  # lazy: only PDFs need it

    ocr = ocr or OcrReader()
    pages, heights, tables, rotated, failed, scanned = [], [], 0, [], [], []
    carry: Region | None = None
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            scan = _is_scan(page)
            if scan and not scanned and len(pdf.pages) - n + 1 > ocr.max_pages:
                ocr.check_count(_scans(pdf.pages[n - 1:]))
            try:
                lines, found, turned = _page(ocr.page(page) if scan else page, carry)
                if scan:
                    scanned.append(n)
            except OcrError:
                raise
            except Exception:  # pdfminer raises many types on one damaged page; the caller reads it otherwise
                lines, found, turned = [], [], False
                failed.append(n)
            carry = _last_table(found, lines, page.width if turned else page.height)
            page.close()
            pages.append(_join_labels(lines))
            heights.append(page.width if turned else page.height)
            tables += len(found)
            if turned:
                rotated.append(n)
    pages, dropped = drop_furniture(pages, heights)
    pages = [pages[0], *(_continued(prev, lines) for prev, lines in zip(pages, pages[1:]))] if pages else pages
    return PdfText(tuple("\n".join(l.text for l in lines) for lines in pages), tables, tuple(rotated), dropped,
                   tuple(failed), tuple(scanned))
