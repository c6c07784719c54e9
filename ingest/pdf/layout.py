"""Reading order of a PDF page: recursive XY-cut over line segments and table regions, columns read top to bottom."""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from ingest.pdf.geometry import Segment
from ingest.pdf.tables import Region
from ingest.pdf.whitespace import tabulate

_NUMERIC = re.compile(r"^[-+−–]?[\d,.%，]+$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNIT = re.compile(r"^(?:计量)?单位\s*[:：]")


@dataclass(frozen=True, slots=True)
class PageLine:
    """One line of a page in reading order; a table row is already tab-separated."""

    text: str
    top: float
    bottom: float
    row: bool = False


Box = Segment | Region


def _gaps(spans: list[tuple[float, float]], lo: float, hi: float) -> list[tuple[float, float]]:
    """Free intervals between the covered spans (inside lo..hi)."""
    out, reach = [], lo
    for a, b in sorted(spans):
        if a > reach:
            out.append((reach, a))
        reach = max(reach, b)
    return [(a, b) for a, b in out if a > lo]


def _size(boxes: list[Box]) -> float:
    sizes = [b.size for b in boxes if isinstance(b, Segment)]
    return statistics.median(sizes) if sizes else 10.0


def _column(side: list[Box], height: float, size: float) -> bool:
    """A side of a vertical cut that is a column of running text, not a column of a table."""
    segs = [b for b in side if isinstance(b, Segment)]
    if len(segs) < 3 or max(b.bottom for b in side) - min(b.top for b in side) < 0.4 * height:
        return False
    numeric = sum(1 for s in segs if _NUMERIC.match(s.text.replace(" ", "")))
    wide = sum(1 for s in segs if s.x1 - s.x0 >= 5 * size)
    return 3 * numeric < len(segs) and 2 * wide >= len(segs)


def _vertical_cut(boxes: list[Box], size: float) -> tuple[list[Box], list[Box]] | None:
    x_lo, x_hi = min(b.x0 for b in boxes), max(b.x1 for b in boxes)
    top, bottom = min(b.top for b in boxes), max(b.bottom for b in boxes)
    gaps = sorted(_gaps([(b.x0, b.x1) for b in boxes], x_lo, x_hi), key=lambda g: g[0] - g[1])
    for a, b in gaps:
        if b - a < 0.6 * size:
            break
        left = [x for x in boxes if x.x1 <= a + 0.01]
        right = [x for x in boxes if x.x0 >= b - 0.01]
        if _column(left, bottom - top, size) and _column(right, bottom - top, size):
            return left, right
    return None


def order(boxes: list[Box]) -> list[list[Box]]:
    """Boxes in reading order, as leaf blocks that no cut separates."""
    if len(boxes) <= 1:
        return [boxes] if boxes else []
    size = _size(boxes)
    cut = _vertical_cut(boxes, size)
    if cut:
        return order(cut[0]) + order(cut[1])
    top, bottom = min(b.top for b in boxes), max(b.bottom for b in boxes)
    gaps = _gaps([(b.top, b.bottom) for b in boxes], top, bottom)
    if not gaps:
        return [boxes]
    widest = max(b - a for a, b in gaps)
    cuts = [(a + b) / 2 for a, b in gaps if b - a >= 0.95 * widest]
    out, lo = [], float("-inf")
    for y in cuts + [float("inf")]:
        part = [b for b in boxes if lo <= (b.top + b.bottom) / 2 < y]
        out.extend(order(part) if len(part) < len(boxes) else [part])
        lo = y
    return out


def _rows_of_leaf(leaf: list[Box]) -> list[list[Box]]:
    rows: list[list[Box]] = []
    for b in sorted(leaf, key=lambda b: (b.top, b.x0)):
        mid = (b.top + b.bottom) / 2
        if rows and isinstance(b, Segment) and all(isinstance(x, Segment) for x in rows[-1]) \
                and rows[-1][0].top <= mid <= rows[-1][0].bottom:
            rows[-1].append(b)
        else:
            rows.append([b])
    return rows


def _text_line(row: list[Box]) -> list[PageLine]:
    """One visual line of text segments (a 单位： line set at the right of a caption goes on its own line)."""
    out: list[PageLine] = []
    row = sorted(row, key=lambda s: s.x0)
    first, text, prev = row[0], "", None
    for s in row:
        if text and _UNIT.match(s.text):
            out.append(PageLine(text, first.top, first.bottom))
            text = ""
        letter_spaced = prev and _CJK.match(text[-1:]) and _CJK.match(s.text[:1]) and s.x0 - prev.x1 < 4 * s.size
        text = f"{text}{'' if letter_spaced else ' '}{s.text}" if text else s.text
        prev = s
    out.append(PageLine(text, first.top, max(s.bottom for s in row)))
    return out


def page_lines(segments: list[Segment], regions: list[Region]) -> list[PageLine]:
    """The lines of one page in reading order; each table's rows (ruled or aligned) as tab-separated lines."""
    free = [s for s in segments if not any(r.x0 - 1 <= (s.x0 + s.x1) / 2 <= r.x1 + 1
                                           and r.top - 1 <= (s.top + s.bottom) / 2 <= r.bottom + 1 for r in regions)]
    rows = [row for leaf in order([*free, *regions]) for row in _rows_of_leaf(leaf)]
    aligned = tabulate([r if all(isinstance(b, Segment) for b in r) else [] for r in rows])
    out: list[PageLine] = []
    i = 0
    while i < len(rows):
        first = rows[i][0]
        if i in aligned:
            n, cells = aligned[i]
            out.extend(PageLine("\t".join(c), r[0].top, max(s.bottom for s in r), True)
                       for c, r in zip(cells, rows[i:i + n]))
            i += n
            continue
        if isinstance(first, Region):
            out.extend(PageLine("\t".join(cells), first.top, first.bottom, True) for cells in first.rows)
        else:
            out.extend(_text_line(rows[i]))
        i += 1
    return out
