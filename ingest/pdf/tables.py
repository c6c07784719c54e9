"""Table regions of a PDF page: ruled (lattice) grids, and column-ruled bodies without row rules (three-line tables).

Each region becomes rows of cell texts, later written into the page text as tab-separated lines, so the text
table finder (ingest/tables.py) reads PDF and text tables alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ingest.pdf.cells import cell_text, collapse, indent_levels, rejoin_overflow
from ingest.pdf.geometry import lines_of, segments, text_of

_TOL = 2.5  # points: edges closer than this are one edge


@dataclass(frozen=True, slots=True)
class Region:
    """A table on a page: its box and its rows of cell texts (first cell indented by leading spaces)."""

    x0: float
    x1: float
    top: float
    bottom: float
    rows: tuple[tuple[str, ...], ...]
    base: float | None = None  # x where row labels of indent level 0 start (None: no indentation read)


def _merge(xs: list[float]) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > _TOL:
            out.append(x)
    return out


def _inside(c: dict, x0: float, x1: float, top: float, bottom: float) -> bool:
    cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


@dataclass
class _Draft:
    x0: float
    x1: float
    top: float
    bottom: float
    cols: list[float]
    bands: list[tuple[float, float, list[Any] | None]]  # (top, bottom, lattice cell boxes or None = split by lines)


def _lattice(page: Any) -> list[_Draft]:
    drafts = []
    for t in page.find_tables():
        if len(t.rows) < 1 or len(t.columns) < 2:
            continue
        cols = _merge([x for c in t.cells for x in (c[0], c[2])])
        bands = [(r.bbox[1], r.bbox[3], list(r.cells)) for r in t.rows]
        drafts.append(_Draft(t.bbox[0], t.bbox[2], t.bbox[1], t.bbox[3], cols, bands))
    return drafts


def _stack(drafts: list[_Draft], chars: list[dict]) -> list[_Draft]:
    """Join lattice pieces of one table: shaded rows found as separate grids with unshaded rows between them.

    Two pieces join when they share their left and right edges and every text line between them fills at least
    two of their columns (a caption, note or source line between them keeps them apart)."""
    out: list[_Draft] = []
    for d in sorted(drafts, key=lambda d: d.top):
        prev = out[-1] if out else None
        if prev and abs(prev.x0 - d.x0) <= 3 * _TOL and abs(prev.x1 - d.x1) <= 3 * _TOL and d.top - prev.bottom <= 60:
            cols = _merge(prev.cols + d.cols)
            gap = [c for c in chars if c["text"].strip() and prev.bottom < (c["top"] + c["bottom"]) / 2 < d.top
                   and prev.x0 <= (c["x0"] + c["x1"]) / 2 <= prev.x1]
            if all(_row_like(line, cols) for line in lines_of(gap)):
                prev.bands += ([(prev.bottom, d.top, None)] if gap else []) + d.bands
                prev.bottom, prev.cols = d.bottom, cols
                continue
        out.append(d)
    for d in out:
        _extend_down(d, chars)
    return out


def _row_like(line: list[dict], cols: list[float]) -> bool:
    """A text line that reads as a table row of this grid: two runs at least, none crossing a column edge."""
    runs = segments(line)
    return len(runs) >= 2 and all(any(cols[k] - 1 <= r.x0 and r.x1 <= cols[k + 1] + 1 for k in range(len(cols) - 1))
                                  for r in runs)


def _extend_down(d: _Draft, chars: list[dict]) -> None:
    """Take in the unshaded rows right below a grid of shaded rows (each fills two columns at least)."""
    below = [c for c in chars if c["text"].strip() and (c["top"] + c["bottom"]) / 2 > d.bottom
             and d.x0 <= (c["x0"] + c["x1"]) / 2 <= d.x1]
    for line in lines_of(below):
        top, bottom = min(c["top"] for c in line), max(c["bottom"] for c in line)
        if top - d.bottom > 0.8 * (bottom - top) or not _row_like(line, d.cols):
            return
        d.bands.append((d.bottom, bottom + 0.5, None))
        d.bottom = bottom + 0.5


def _column_rule_bands(page: Any, drafts: list[_Draft]) -> None:
    """Vertical rules outside every lattice table: a three-line table's body (extends the header above it) or a
    continuation on the next page."""
    vs = [e for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 12
          and not any(d.x0 - _TOL <= e["x0"] <= d.x1 + _TOL and d.top - _TOL <= e["top"] and e["bottom"] <= d.bottom + _TOL
                      for d in drafts)]
    groups: list[list[dict]] = []
    for e in sorted(vs, key=lambda e: e["top"]):
        g = next((g for g in groups if e["top"] <= max(x["bottom"] for x in g) + _TOL), None)
        (g.append(e) if g is not None else groups.append([e]))
    for g in groups:
        top, bottom = min(e["top"] for e in g), max(e["bottom"] for e in g)
        xs = _merge([e["x0"] for e in g])
        above = next((d for d in drafts if d.top - _TOL <= top <= d.bottom + 3 * _TOL and d.x0 - _TOL <= xs[0] <= d.x1),
                     None)
        if above is not None:  # the body below a header grid (or the rest of a grid already extended)
            if bottom > above.bottom:
                above.bands.append((above.bottom, bottom, None))
                above.bottom = bottom
            above.cols = _merge(above.cols + xs)
            continue
        inner = [c for c in page.chars if top <= (c["top"] + c["bottom"]) / 2 <= bottom]
        if not inner:
            continue
        x0, x1 = min(c["x0"] for c in inner) - 1, max(c["x1"] for c in inner) + 1
        if len(xs) >= 1 and x0 < xs[0] and xs[-1] < x1:
            drafts.append(_Draft(x0, x1, top, bottom, _merge([x0, *xs, x1]), [(top, bottom, None)]))


_FIGURE = re.compile(r"^[-+−–]?[\d,.，]*%?$|^[—–\-/…]+$|^[^\d]{0,2}$")


def _split_worthy(band: list[dict], cols: list[float]) -> bool:
    """A lattice row holding several text lines in several columns, one of them all figures (or units), is a body
    without row rules (three-line table); a row with one wrapped text cell is not."""
    lines = _by_lines(band, cols)
    if len(lines) < 2:
        return False
    full = [k for k in range(len(cols) - 1) if all(row[k] for row in lines)]
    return len(full) >= 2 and any(all(_FIGURE.match(text_of(row[k])) for row in lines)
                                  and any(any(ch.isdigit() for ch in text_of(row[k])) for row in lines)
                                  for k in full)


def _by_lines(chars: list[dict], cols: list[float]) -> list[list[list[dict]]]:
    rows = []
    for line in lines_of(chars):
        cells: list[list[dict]] = [[] for _ in range(len(cols) - 1)]
        for c in line:
            mid = (c["x0"] + c["x1"]) / 2
            k = next((i for i in range(len(cols) - 1) if mid < cols[i + 1]), len(cols) - 2)
            cells[k].append(c)
        rows.append(cells)
    return rows


def _straddled(chars: list[dict], bands: list[tuple[float, float, list[Any] | None]]) -> bool:
    """Whether a row band lies inside another or a text line of the region falls into two: the grid comes from shading
    rectangles that do not follow the rows, so the rows are read from the text lines instead."""
    if any(a[0] + _TOL < b[0] and b[1] < a[1] - _TOL for a, b in zip(bands, bands[1:])):
        return True  # nested rectangles: rows inside rows
    edges = [b for _, b, _ in bands[:-1]]
    for line in lines_of(chars):
        mids = [(c["top"] + c["bottom"]) / 2 for c in line]
        if any(min(mids) < e < max(mids) for e in edges):
            return True
    return False


def _rows(draft: _Draft, chars: list[dict]) -> list[list[list[dict]]]:
    """Rows of a region as lists of per-column characters."""
    mine = [c for c in chars if c["text"].strip() and _inside(c, draft.x0 - 1, draft.x1 + 1, draft.top - 1, draft.bottom + 1)]
    if _straddled(mine, draft.bands):
        return _by_lines(mine, draft.cols)
    out: list[list[list[dict]]] = []
    reach = None  # bottom of the tallest cell of the last grid row: the rows it spans may belong to it
    for top, bottom, boxes in draft.bands:
        band = [c for c in mine if top <= (c["top"] + c["bottom"]) / 2 <= bottom]
        if boxes is None or _split_worthy(band, draft.cols):
            out.extend(_by_lines(band, draft.cols))
            reach = None
            continue
        # grid columns may be finer than a cell: place each cell at the column it starts in
        placed: list[list[dict]] = [[] for _ in range(len(draft.cols) - 1)]
        for b in boxes:
            if b is not None:
                k = min(range(len(draft.cols) - 1), key=lambda i: abs(draft.cols[i] - b[0]))
                placed[k].extend(c for c in mine if _inside(c, b[0], b[2], b[1], b[3]))
        tallest = max((b[3] for b in boxes if b is not None), default=bottom)
        if reach is not None and top < reach - _TOL and all(not (x and y) for x, y in zip(out[-1], placed)):
            out[-1] = [x + y for x, y in zip(out[-1], placed)]  # sub-rows of one row (wrapped cells drawn merged)
            reach = max(reach, tallest)
        elif any(placed):
            out.append(placed)
            reach = tallest
    return out


def find_regions(page: Any, carry: Region | None = None) -> list[Region]:
    """Every table region of a page with its rows; a grid of one row or one column is not a table.

    carry: the last table of the page before; a table opening this page with the same left and right edges goes
    on with it, so its indent levels are measured from the same position.
    """
    drafts = _stack(_lattice(page), page.chars)
    _column_rule_bands(page, drafts)
    chars = [c for c in page.chars if c.get("upright", True)]
    regions = []
    for d in sorted(drafts, key=lambda d: d.top):
        rows = collapse(rejoin_overflow([r for r in _rows(d, chars) if any(r)]))
        texts = [[cell_text(cell) for cell in r] for r in rows]
        keep = [i for i, r in enumerate(texts) if any(r)]
        width = max((sum(1 for v in texts[i] if v) for i in keep), default=0)
        if len(keep) < 2 or width < 2:
            continue
        used = [k for k in range(len(texts[0])) if any(texts[i][k] for i in keep)]
        goes_on = not regions and carry is not None \
            and min(carry.x1, d.x1) - max(carry.x0, d.x0) >= 0.6 * min(carry.x1 - carry.x0, d.x1 - d.x0)
        levels, base = indent_levels([[rows[i][k] for k in used] for i in keep], d.cols[used[0]], d.cols[used[0] + 1],
                               carry.base if goes_on and carry else None)
        out = tuple(tuple([" " * lv + texts[i][used[0]], *(texts[i][k] for k in used[1:])])
                    for i, lv in zip(keep, levels))
        regions.append(Region(d.x0, d.x1, d.top, d.bottom, out, base))
    return regions
