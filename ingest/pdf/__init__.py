"""PDF text layers read by layout with pdfplumber: columns in reading order, tables as tab-separated rows."""
from __future__ import annotations

import io
from dataclasses import dataclass

from ingest.pdf.furniture import drop_furniture
from ingest.pdf.geometry import segments, upright_page
from ingest.pdf.layout import PageLine, page_lines
from ingest.pdf.tables import find_regions


@dataclass(frozen=True, slots=True)
class PdfText:
    """A PDF's pages as text, and what the reader did to them."""

    pages: tuple[str, ...]
    tables: int  # table regions written as tab-separated rows
    rotated: tuple[int, ...]  # 1-based pages whose text was drawn rotated and was turned upright
    furniture: int  # running header/footer and page-number lines dropped


def _page(page) -> tuple[list[PageLine], int, bool]:
    page, turns = upright_page(page)
    regions = find_regions(page)
    chars = [c for c in page.chars if c.get("upright", True)]
    return page_lines(segments(chars), regions), len(regions), bool(turns)


def _continued(prev: list[PageLine], lines: list[PageLine]) -> list[PageLine]:
    """Drop a table's caption (and unit line) repeated above its continuation on the next page."""
    body = [l for l in prev if not l.row]
    last_caption = next((l.text for l in reversed(prev) if not l.row and l.text.lstrip().startswith(("表", "附表"))
                         and len(l.text) <= 80), None)
    if not last_caption or not prev or not prev[-1].row:
        return lines
    i = 0
    while i < len(lines) and not lines[i].row and i < 3:
        if lines[i].text.replace(" ", "") != last_caption.replace(" ", "") and not lines[i].text.startswith("单位"):
            return lines
        i += 1
    del body
    return lines[i:] if i < len(lines) and lines[i].row else lines


def read_pdf(data: bytes) -> PdfText:
    """Text of every page of a PDF in reading order; InputError-free: the caller validates the file first."""
    import pdfplumber  # lazy: only PDFs need it

    pages, heights, tables, rotated = [], [], 0, []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            lines, found, turned = _page(page)
            page.close()
            pages.append(lines)
            heights.append(page.width if turned else page.height)
            tables += found
            if turned:
                rotated.append(n)
    pages, dropped = drop_furniture(pages, heights)
    for i in range(1, len(pages)):
        pages[i] = _continued(pages[i - 1], pages[i])
    return PdfText(tuple("\n".join(l.text for l in lines) for lines in pages), tables, tuple(rotated), dropped)
