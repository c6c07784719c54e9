"""Rows of a PDF table region tidied up: cell text, grid columns collapsed, overflowing wrapped cells rejoined,
indent levels of the row labels."""
from __future__ import annotations

import re

from ingest.pdf.geometry import lines_of, text_of

_AMOUNT = re.compile(r"^[-+−–]?[\d,，]*\.?\d+%?$")

Row = list[list[dict]]  # the characters of each column


def cell_text(chars: list[dict]) -> str:
    """A cell's lines joined: nothing between CJK, a space between Latin or digit runs."""
    out = ""
    for line in lines_of(chars):
        t = text_of(line)
        if out and t and out[-1].isascii() and out[-1].isalnum() and t[0].isascii() and t[0].isalnum():
            out += " "
        out += t
    return out


def indent_levels(rows: list[Row], left: float, right: float,
                  carried: float | None = None) -> tuple[list[int], float | None]:
    """Indent level (in font sizes) of each body row's first cell relative to the least indented one (or to the
    level-0 position `carried` over from the page before), and that position; header rows (no figure in them) get
    none, nor does a column whose labels are centred or scattered over many levels."""
    def start(r: Row) -> tuple[float, float, float] | None:
        if not r or not r[0] or not any(_AMOUNT.match(text_of(cell)) for cell in r[1:] if cell):
            return None  # a header row (years name columns, they are no amounts)
        label = [c for c in r[0] if c["text"] not in "#＃"] or r[0]  # "#" marks a part; the words set the level
        return min(c["x0"] for c in label), max(c["x1"] for c in label), _size(label[0])
    starts = [start(r) for r in rows]
    body = [s for s in starts if s]
    if not body:
        return [0] * len(rows), carried
    base = min([s[0] for s in body] + ([carried] if carried is not None else []))
    levels = [round((s[0] - base) / s[2]) if s else 0 for s in starts]
    shifted = [s for s, lv in zip(starts, levels) if s and lv]
    centred = sum(1 for s in shifted if abs((s[0] - left) - (right - s[1])) < s[2])
    if len(set(levels)) > 5 or 2 * centred > len(shifted):
        return [0] * len(rows), None
    return levels, base


def _size(c: dict) -> float:
    return max(1.0, min(c["bottom"] - c["top"], c.get("size") or 99))


def collapse(rows: list[Row]) -> list[Row]:
    """Merge neighbouring grid columns that no row fills both of: shading rectangles and merged header cells cut
    the grid finer than the columns, so a header and its values land in adjacent grid columns."""
    if not rows:
        return rows
    groups: list[list[int]] = []
    for k in range(len(rows[0])):
        if groups and not any(r[k] and any(r[j] for j in groups[-1]) for r in rows):
            groups[-1].append(k)
        else:
            groups.append([k])
    return [[[c for j in g for c in r[j]] for g in groups] for r in rows]


def rejoin_overflow(rows: list[Row]) -> list[Row]:
    """Put back together a row whose wrapped text cells overflow the grid lines (Excel exports: the first and last
    lines of a wrapped cell land in the grid rows above and below the row that holds its figures).

    A row of text fragments only (no amount, two cells at least) joins the next row when they share no column and
    that row has amounts, and joins the previous row when every fragment continues a cell of it and it has amounts.
    """
    def amounts(r: list[list[dict]]) -> bool:
        return any(_AMOUNT.match(cell_text(c)) for c in r if c)

    def fragments(r: list[list[dict]]) -> bool:
        return not amounts(r) and sum(1 for c in r if c) >= 2

    def head(r: list[list[dict]], nxt: list[list[dict]] | None) -> bool:
        return nxt is not None and fragments(r) and amounts(nxt) and not any(a and b for a, b in zip(r, nxt))

    out: list[Row] = []
    for i, r in enumerate(rows):
        prev, nxt = (out[-1] if out else None), (rows[i + 1] if i + 1 < len(rows) else None)
        if prev is not None and head(prev, r):
            out[-1] = [a + b for a, b in zip(prev, r)]
        elif prev is not None and fragments(r) and not head(r, nxt) and amounts(prev) \
                and all(a for a, b in zip(prev, r) if b):
            out[-1] = [a + b for a, b in zip(prev, r)]
        else:
            out.append(r)
    return out
