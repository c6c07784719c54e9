"""Running headers, footers and page numbers of a PDF: lines near the top or bottom edge repeated on many pages."""
from __future__ import annotations

import re

from ingest.pdf.layout import PageLine

_EDGE = 0.12  # share of the page height at the top and at the bottom where furniture sits
_PAGE_NO = re.compile(r"^(?:[-－—–]*\s*\d{1,4}\s*[-－—–]*|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?"
                      r"|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$")
_CAPTION = re.compile(r"^\s*(?:(?:附?表|图表|图)\s*\d|(?:计量)?单位\s*[:：])")


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _edge(line: PageLine, height: float) -> bool:
    return not line.row and (line.bottom <= _EDGE * height or line.top >= (1 - _EDGE) * height)


def drop_furniture(pages: list[list[PageLine]], heights: list[float]) -> tuple[list[list[PageLine]], int]:
    """Pages without their running headers/footers and page numbers, and how many lines were dropped.

    A line is furniture when it sits in the top or bottom band of its page and, digits aside, the same text
    stands in that band on at least a third of the pages (three at least); a lone page number in the band
    always is. Table captions are never furniture: a caption repeated over the pages of one table marks its
    continuation, which the caller handles.
    """
    seen: dict[str, set[int]] = {}
    for p, (lines, h) in enumerate(zip(pages, heights)):
        for line in lines:
            if _edge(line, h):
                seen.setdefault(_key(line.text), set()).add(p)
    need = max(3, len(pages) // 3)
    repeated = {k for k, ps in seen.items() if len(ps) >= need and len(k) <= 60}
    out, dropped = [], 0
    for lines, h in zip(pages, heights):
        kept = [l for l in lines if not (_edge(l, h) and not _CAPTION.match(l.text)
                                         and (_key(l.text) in repeated or _PAGE_NO.match(l.text.strip())))]
        dropped += len(lines) - len(kept)
        out.append(kept)
    return out, dropped
