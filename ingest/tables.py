"""Find every table in a document's cleaned text: caption, label, unit, source, notes, headers and cells."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.table_headers import (Layout, SourceRow, column_paths, kind, layout, lone_cell, merge_split_rows,
                                  normalise, split_blocks)
from ingest.table_tree import RowTree, indented
from ingest.table_lines import (Line, RawCell, appendix_start, caption_before, ends_sentence, find_blocks, is_toc,
                                mergeable_gap, split_lines, split_row, trailer_after)
from kg.types import Cell, Table, content_id

_UNIT_WORDS = re.compile(r"元|%|％|‰|bp|BP|个|只|家|笔|户|人|倍|年|吨|亩|百分点|万|亿")
_CAPTION_UNIT = re.compile(r"[（(]\s*([^（）()]{1,12}?)\s*[)）]\s*$")
_HEADER_UNIT = re.compile(r"(?:[（(]\s*([^（）()]{1,8}?)\s*[)）]|[,，]\s*([^,，\s]{1,4}))\s*$")
_RULER = re.compile(r"^[-=_—–]{2,}$")


@dataclass(frozen=True, slots=True)
class Grid:
    """What the rows of one table say: raw header and body rows, and the body cells with their header paths."""

    header_rows: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[str, ...], ...]
    row_spans: tuple[tuple[int, int], ...]
    cells: tuple[Cell, ...]
    skipped: int


def find_tables(text: str, doc_id: str) -> tuple[Table, ...]:
    """Every table of a cleaned text, in text order; contents lists are not tables.

    All offsets are half-open into `text`: text[c.start:c.end] == c.value for every cell, and
    text[t.start:t.end] runs from the caption to the last row, source or note line.
    """
    lines = split_lines(text)
    appendix = appendix_start(lines)
    blocks = _join(lines, [b for b in find_blocks(lines) if not is_toc(lines, b)])
    tables = (_table(doc_id, lines, block, appendix) for block in blocks)
    return tuple(t for t in tables if t is not None)


def _join(lines: list[Line], blocks: list[list[int]]) -> list[list[int]]:
    """Glue back a table that a page break cut in two: same width, nothing but a short stray line between."""
    out: list[list[int]] = []
    for block in blocks:
        if out and _width(lines, out[-1]) == _width(lines, block) and mergeable_gap(lines, out[-1][-1], block[0]) \
                and caption_before(lines, block[0]) is None:
            out[-1] = out[-1] + block
        else:
            out.append(block)
    return out


def _width(lines: list[Line], block: list[int]) -> int:
    return max(lines[i].text.count("\t") + 1 for i in block)


def _table(doc_id: str, lines: list[Line], block: list[int], appendix: int) -> Table | None:
    rows = [SourceRow(split_row(lines[i]), lines[i].start, lines[i].end) for i in block]
    if len(rows) < 2:
        return None  # a lone tab line has no header/body structure to read
    grid = parse_grid(rows)
    if not grid.rows:
        return None
    caption = caption_before(lines, block[0])
    trailer = trailer_after(lines, block[-1])
    start = caption.start if caption else rows[0].start
    end = max(rows[-1].end, trailer.end)
    label = caption.label if caption else ""
    if label.startswith("表") and block[0] > appendix:
        label = "附录" + label  # 001/003 number their appendix tables from 表 1 again
    return Table(
        id=content_id("table", doc_id, start, end),
        doc_id=doc_id,
        start=start,
        end=end,
        caption=caption.text if caption else "",
        label=label,
        unit=_unit(caption.text if caption else "", caption.unit if caption else "", grid),
        source=trailer.source,
        header_rows=grid.header_rows,
        rows=grid.rows,
        row_spans=grid.row_spans,
        cells=grid.cells,
        notes=trailer.notes,
        skipped_rows=grid.skipped,
    )


def _unit(caption: str, unit_line: str, grid: Grid) -> str:
    """The table-wide unit: caption "（亿元）", else the 单位： line, else one unit shared by every column header."""
    m = _CAPTION_UNIT.search(caption)
    if m and _UNIT_WORDS.search(m.group(1)):
        return re.sub(r"^单位\s*[:：]\s*", "", m.group(1))  # "（单位：亿元）" names the unit 亿元
    if unit_line:
        return unit_line
    found = set()
    for path in {c.col_header for c in grid.cells}:
        m = _HEADER_UNIT.search(path[-1]) if path else None
        if not m or not _UNIT_WORDS.search(m.group(1) or m.group(2)):
            return ""
        found.add(m.group(1) or m.group(2))
    return found.pop() if len(found) == 1 else ""


def parse_grid(source: list[SourceRow]) -> Grid:
    """Header rows, body rows and body cells of one table; ruler rows ("-----") are skipped and counted."""
    rows = [r for r in source if any(r.values)]
    kept = [r for r in rows if not _ruler(r.values)]
    skipped = len(rows) - len(kept)
    if not kept:
        return Grid((), (), (), (), skipped)
    kept = merge_split_rows(kept)
    blocks = split_blocks(kept)
    reader = _Reader(layout(kept, blocks), RowTree() if indented(kept) else None)
    for hdr, body in blocks:
        reader.read_block([kept[i] for i in hdr], [kept[i] for i in body])
    return Grid(tuple(reader.header_rows), tuple(tuple(r) for r in reader.rows),
                tuple((a, b) for a, b in reader.spans), tuple(reader.cells), skipped)


def _ruler(values: tuple[str, ...]) -> bool:
    filled = [v for v in values if v]
    return all(_RULER.match(v) for v in filled) and sum(map(len, filled)) >= 6


class _Reader:
    """Walks the header blocks of one table, collecting body rows and cells (internal accumulator)."""

    def __init__(self, lay: Layout, tree: RowTree | None = None) -> None:
        self.lay = lay
        self.tree = tree  # row hierarchy by indentation (PDF tables), else None
        self.header_rows: list[tuple[str, ...]] = []
        self.rows: list[list[str]] = []
        self.spans: list[list[int]] = []
        self.cells: list[Cell] = []

    def read_block(self, headers: list[SourceRow], body: list[SourceRow]) -> None:
        """Body rows under one header block; a section row qualifies the rows below it until the next one."""
        self.header_rows.extend(h.values for h in headers if h.values not in self.header_rows)
        paths = column_paths([h.values for h in headers], self.lay.width, self.lay.label_cols)
        section, groups = "", {g: "" for g in self.lay.groups}
        last: int | None = None  # the previous row that held data
        for r in body:
            col = lone_cell(r.values)
            if col is not None and last == len(self.rows) - 1 and _cut_text(self.rows[last], col):
                self._join_tail(last, col, r)
                continue
            self.rows.append(list(r.values))
            self.spans.append([r.start, r.end])
            if col is not None and kind(r.values[col]) == "label":
                section, groups = normalise(r.values[col]), {g: "" for g in self.lay.groups}
                continue
            last = len(self.rows) - 1
            self._read_row(last, r, section, groups, paths)

    def _read_row(self, row: int, r: SourceRow, section: str, groups: dict[int, str],
                  paths: dict[int, tuple[str, ...]]) -> None:
        lay = self.lay
        shift = _misplaced_labels(r.values, lay.n_label)
        placed = {c + shift: cell for c, cell in enumerate(r.cells) if c + shift < max(lay.width, len(r.cells))}
        for g in lay.groups:  # an empty group cell inherits the label above it ("本外币", then blanks)
            if g in placed and placed[g].value:
                groups[g] = normalise(placed[g].value)
        if self.tree is not None and r.values[0] and shift == 0:
            groups[0] = self.tree.path(r)
        for c, cell in sorted(placed.items()):
            if c in lay.label_cols or not cell.value:
                continue
            g = lay.group_of(c)
            inner = [normalise(placed[k].value) for k in range(g + 1, g + lay.n_label) if k in placed]
            label = groups[g] if isinstance(groups[g], tuple) else (groups[g],)
            row_header = tuple(x for x in (section, *label, *inner) if x)
            self.cells.append(_cell(row, c, row_header, paths.get(c, ()), cell))

    def _join_tail(self, row: int, col: int, r: SourceRow) -> None:
        """A text cell that a page break cut: the tail becomes a second Cell of the same row and column."""
        self.rows[row][col] += r.values[col]
        self.spans[row][1] = r.end
        head = next((c for c in reversed(self.cells) if c.row == row and c.col == col), None)
        self.cells.append(_cell(row, col, head.row_header if head else (), head.col_header if head else (),
                                r.cells[col]))


def _cell(row: int, col: int, row_header: tuple[str, ...], col_header: tuple[str, ...], raw: RawCell) -> Cell:
    return Cell(row, col, row_header, col_header, raw.value, raw.start, raw.end)


def _cut_text(prev: list[str], col: int) -> bool:
    return col < len(prev) and kind(prev[col]) == "long" and not ends_sentence(prev[col])


def _misplaced_labels(values: tuple[str, ...], n_label: int) -> int:
    """How far to shift a row whose labels start one column too far left (004 图表 39 "(-)" row).

    Only when the numbers begin inside the label columns and the row ends in as many empty cells.
    """
    first = next((c for c, v in enumerate(values) if kind(v) in ("num", "fill")), None)
    if first is None or not 0 < first < n_label or not all(values[:first]):
        return 0
    shift = n_label - first
    return shift if _trailing_empty(values) >= shift else 0


def _trailing_empty(values: tuple[str, ...]) -> int:
    n = 0
    for v in reversed(values):
        if v:
            break
        n += 1
    return n
