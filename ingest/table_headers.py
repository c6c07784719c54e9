"""Table grids: tell header rows from body rows by content and give every body cell its header paths."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.table_lines import RawCell

_NUM = re.compile(r"^[-+−–]?[(（]?[-+−]?\d[\d,，]*(?:\.\d+)?[)）]?\s*(?:%|％|‰|倍|bp|BP)?$")
_DATE = re.compile(r"^(?:19|20)\d{2}\s*[/\-年]\s*\d{1,2}(?:\s*[/\-月]\s*\d{1,2}\s*日?)?\s*月?$")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
# Column titles that name periods: 2015, 2018 年, 1月, 2023/03, 2024Q1, 一季度.
_PERIOD = re.compile(r"^(?:(?:19|20)\d{2}\s*年?|\d{1,2}\s*月|(?:19|20)\d{2}\s*[/\-年]\s*\d{1,2}\s*月?"
                     r"|(?:19|20)\d{2}\s*Q[1-4]|[一二三四]季度)$")
_FILL = re.compile(r"^(?:[—–\-－/…]+|N/?A|n\.?a\.?)$")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
MAX_LABEL_COLS = 3


@dataclass(frozen=True, slots=True)
class Layout:
    """Where a table keeps its row headers: label columns repeated at each side-by-side group start."""

    width: int
    n_label: int
    groups: tuple[int, ...]  # (0,) or (0, j) when the table is two tables side by side
    label_cols: frozenset[int]

    def group_of(self, col: int) -> int:
        return max(g for g in self.groups if g <= col)


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A tab row as found in the text: its cells and the span of its line(s)."""

    cells: tuple[RawCell, ...]
    start: int
    end: int

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.cells)


def kind(value: str) -> str:
    """empty, num (numbers, percentages, dates), fill (—, -, /), long (sentences) or label."""
    if not value:
        return "empty"
    if _NUM.match(value) or _DATE.match(value):
        return "num"
    if _FILL.match(value):
        return "fill"
    if len(value) > 40 or "。" in value or "；" in value or ("，" in value and len(value) > 20):
        return "long"
    return "label"


def normalise(label: str) -> str:
    """Header text as a path element: PDF letter-spacing between Chinese characters removed ("合 计" -> "合计")."""
    return re.sub(r"\s+", " ", _CJK_GAP.sub("", label)).strip()


def _filled(values: tuple[str, ...]) -> int:
    return sum(1 for v in values if v)


def lone_cell(values: tuple[str, ...]) -> int | None:
    """Column of the only filled cell of a row whose first cell is empty (a section label or a text tail), else None."""
    filled = [c for c, v in enumerate(values) if v]
    return filled[0] if len(filled) == 1 and filled[0] >= 1 else None


def header_like(values: tuple[str, ...], dates: bool = True) -> bool:
    """Labels only: no sentences, no fillers, and the only numbers are years (or dates) naming periods."""
    kinds = [kind(v) for v in values]
    if not any(v for v in values) or any(k in ("long", "fill") for k in kinds):
        return False
    return all(_YEAR.match(v) or (dates and _DATE.match(v)) for v, k in zip(values, kinds) if k == "num")


def _top_header(rows: list[SourceRow]) -> int:
    """How many leading rows are headers: the first if label-like, then sub-header rows (empty first cell)."""
    if not rows or not header_like(rows[0].values):
        return 0
    n = 1
    while n < len(rows) and header_like(rows[n].values) and not rows[n].values[0] and _filled(rows[n].values) >= 2:
        n += 1
    return 1 if n == len(rows) and n > 1 else n


def _is_numeric_row(values: tuple[str, ...]) -> bool:
    return any(kind(v) == "num" for v in values[1:])


def split_blocks(rows: list[SourceRow]) -> list[tuple[list[int], list[int]]]:
    """(header row indices, body row indices) per header block; a table may repeat or change its header mid-way."""
    top = _top_header(rows)
    rest = range(top, len(rows))
    numeric = 2 * sum(_is_numeric_row(rows[i].values) for i in rest) >= max(1, len(rest))
    first = rows[0].values if top else None
    blocks: list[tuple[list[int], list[int]]] = [(list(range(top)), [])]
    for i in rest:
        v = rows[i].values
        # mid-table header (001 表2 months 7-12): only in a numeric table that has a header at the top;
        # dates do not count here, since date-keyed text rows (004 图表 7) look the same
        starts = v == first or (numeric and top > 0 and header_like(v, dates=False) and _filled(v[1:]) >= 2)
        sub = (len(blocks) > 1 and not blocks[-1][1]
               and header_like(v) and not v[0] and _filled(v) >= 2)  # sub-header of a mid-table header
        if starts and blocks[-1][1]:
            blocks.append(([i], []))
        elif starts or sub:
            blocks[-1][0].append(i)
        else:
            blocks[-1][1].append(i)
    return blocks


def merge_split_rows(rows: list[SourceRow]) -> list[SourceRow]:
    """Join a row cut short at a line end with the next line that holds only its remaining numbers."""
    width = max(len(r.cells) for r in rows)
    out: list[SourceRow] = []
    i = 0
    while i < len(rows):
        r = rows[i]
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if (nxt and len(r.cells) + len(nxt.cells) == width and any(kind(v) == "label" for v in r.values)
                and all(kind(v) in ("num", "fill", "empty") for v in nxt.values) and kind(nxt.values[0]) != "empty"):
            out.append(SourceRow(r.cells + nxt.cells, r.start, nxt.end))
            i += 2
            continue
        out.append(r)
        i += 1
    return out


def _column_values(rows: list[tuple[str, ...]], c: int) -> list[str]:
    return [r[c] for r in rows if c < len(r) and r[c]]


def _short_label_column(rows: list[tuple[str, ...]], c: int) -> bool:
    vals = _column_values(rows, c)
    short = sum(1 for v in vals if kind(v) == "label" and len(v) <= 25)
    return bool(vals) and 5 * short >= 4 * len(vals)


def _numeric_column(rows: list[tuple[str, ...]], c: int) -> bool:
    kinds = [kind(v) for v in _column_values(rows, c)]
    return "num" in kinds and 2 * sum(k in ("num", "fill") for k in kinds) >= len(kinds)


def _period_start(headers: list[tuple[str, ...]]) -> int:
    """Column where a run of period titles (years, months) begins in a header row, or 0 when there is none."""
    for h in headers:
        periods = [c for c, v in enumerate(h) if _PERIOD.match(v)]
        if len(periods) >= 2:
            return periods[0]
    return 0


def label_columns(body: list[tuple[str, ...]], headers: list[tuple[str, ...]], width: int) -> int:
    """Leading row-header columns: up to the period titles of the header if it has them; else short labels
    before the numbers; in text tables a second column under a group column."""
    if width <= 2:
        return 1
    if 1 <= _period_start(headers) <= MAX_LABEL_COLS:
        return _period_start(headers)
    if any(_numeric_column(body, c) for c in range(1, width)):
        n = 1
        while n < min(MAX_LABEL_COLS, width - 1) and _short_label_column(body, n) and not _numeric_column(body, n):
            n += 1
        return n
    grouped = any(not r[0] and _filled(r) for r in body)
    return 2 if grouped and _short_label_column(body, 1) else 1


def label_groups(headers: list[tuple[str, ...]], body: list[tuple[str, ...]], n_label: int) -> tuple[int, ...]:
    """Starts of side-by-side halves: a header row that repeats its row-header titles further right (004 图表 28)."""
    for h in headers:
        lead = h[:n_label]
        if len(lead) < n_label or not all(lead):
            continue
        for j in range(n_label + 1, len(h) - n_label + 1):
            if h[j:j + n_label] == lead and not any(_numeric_column(body, j + k) for k in range(n_label)):
                return (0, j)
    return (0,)


def column_paths(headers: list[tuple[str, ...]], width: int, label_cols: frozenset[int]) -> dict[int, tuple[str, ...]]:
    """Header path of each data column; a spanning label fills the empty cells to its right within its parent."""
    grid = [[h[c] if c < len(h) else "" for c in range(width)] for h in headers]
    filled = [row[:] for row in grid]
    for r in range(len(grid) - 1):  # the lowest header row names single columns, it does not span
        for c in range(1, width):
            if filled[r][c] or c in label_cols or c - 1 in label_cols or not filled[r][c - 1]:
                continue
            if not any(grid[above][c] for above in range(r)):
                filled[r][c] = filled[r][c - 1]
    corner = next((h[0] for h in headers if h and h[0] and _filled(h) == 1), "")
    paths: dict[int, tuple[str, ...]] = {}
    for c in range(width):
        if c not in label_cols:
            path = tuple(normalise(filled[r][c]) for r in range(len(grid)) if filled[r][c])
            paths[c] = path or ((normalise(corner),) if corner else ())
    return paths


def layout(rows: list[SourceRow], blocks: list[tuple[list[int], list[int]]]) -> Layout:
    """Label columns and side-by-side groups, read from the body rows that are neither sections nor tails."""
    width = max(len(r.cells) for r in rows)
    plain = [rows[i].values for _, body in blocks for i in body if lone_cell(rows[i].values) is None]
    headers = [rows[i].values for hdr, _ in blocks for i in hdr]
    n_label = label_columns(plain, headers, width)
    groups = label_groups(headers, plain, n_label)
    return Layout(width, n_label, groups, frozenset(g + k for g in groups for k in range(n_label)))
