"""Tables without rules: runs of lines whose runs of text line up in columns, with figures in them."""
from __future__ import annotations

import re
import statistics

from ingest.pdf.geometry import Segment

_NUMBER = re.compile(r"^[-+−–]?[\d,，]*\.?\d+%?$|^[—–\-/…]+$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_ROWS = 3


def _numeric(row: list[Segment]) -> bool:
    return any(_NUMBER.match(s.text.replace(" ", "")) for s in row[1:])


def _columns(run: list[list[Segment]]) -> list[float]:
    """Column edges: the x gaps that every line of the run leaves free."""
    spans = sorted((s.x0, s.x1) for row in run for s in row)
    size = statistics.median(s.size for row in run for s in row)
    edges, reach = [spans[0][0]], spans[0][1]
    for a, b in spans[1:]:
        if a - reach >= 0.5 * size:
            edges.append((a + reach) / 2)
        reach = max(reach, b)
    return edges + [reach]


def _cells(row: list[Segment], edges: list[float], base: float) -> tuple[str, ...]:
    cells: list[str] = ["" for _ in range(len(edges) - 1)]
    for s in sorted(row, key=lambda s: s.x0):
        mid = (s.x0 + s.x1) / 2
        k = next((i for i in range(len(edges) - 1) if mid < edges[i + 1]), len(edges) - 2)
        glue = "" if not cells[k] or (_CJK.match(cells[k][-1]) and _CJK.match(s.text[0])) else " "
        cells[k] += glue + s.text
    if cells[0] and _numeric(row):
        cells[0] = " " * round((min(s.x0 for s in row) - base) / row[0].size) + cells[0]
    return tuple(cells)


def tabulate(rows: list[list[Segment]]) -> dict[int, tuple[int, list[tuple[str, ...]]]]:
    """Whitespace tables among the rows of one block: {first row index: (row count, cell rows)}.

    A table is MIN_ROWS lines at least, each of two runs of text or more, most with a figure after the first run
    and half with a Chinese label first (a chart's axis labels are no table), and the columns are the gaps left
    free by all of its lines (so justified prose, whose gaps wander, is none).
    """
    found: dict[int, tuple[int, list[tuple[str, ...]]]] = {}
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and len(rows[j]) >= 2:
            j += 1
        run = rows[i:j]
        labelled = sum(1 for row in run if _CJK.search(min(row, key=lambda s: s.x0).text))
        if len(run) >= MIN_ROWS and 3 * sum(map(_numeric, run)) >= 2 * len(run) and 2 * labelled >= len(run):
            edges = _columns(run)
            if len(edges) >= 3:
                base = min(s.x0 for row in run for s in row)
                found[i] = (len(run), [_cells(row, edges, base) for row in run])
        i = max(j, i + 1)
    return found
