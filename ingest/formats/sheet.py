"""A worksheet as the spreadsheet readers hand it over (shown values, merges, hidden rows and columns, print
area) and as text: hidden and unprinted cells left out, merged cells once, bounded by the last cell with a value."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.formats import MAX_SHEET_CELLS
from ingest.formats.grid import clean_cell, grid_lines
from kg.errors import InputError

_DEFAULT_NAME = re.compile(r"^(?:sheet|工作表|表)\s*\d*$", re.I)


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet; rows and columns 0-based."""

    name: str
    cells: dict[tuple[int, int], str]  # (row, col) -> the text the cell shows; only cells that hold a value
    merges: tuple[tuple[int, int, int, int], ...] = ()  # (first row, last row + 1, first col, last col + 1)
    hidden_rows: frozenset[int] = frozenset()
    hidden_cols: frozenset[int] = frozenset()
    print_cols: frozenset[int] | None = None  # columns of the print area, when the sheet has one


def _visible(sheet: Sheet) -> tuple[list[int], list[int], int]:
    """Rows and columns to read, and how many hidden or unprinted ones that hold values are left out."""
    rows = sorted({r for r, _ in sheet.cells})
    cols = sorted({c for _, c in sheet.cells})
    keep_cols = [c for c in cols if c not in sheet.hidden_cols and (sheet.print_cols is None or c in sheet.print_cols)]
    keep_rows = [r for r in rows if r not in sheet.hidden_rows]
    return keep_rows, keep_cols, (len(rows) - len(keep_rows)) + (len(cols) - len(keep_cols))


def _move_merged(sheet: Sheet, rows: set[int], cols: set[int]) -> dict[tuple[int, int], str]:
    """Cells with each merged range's text in its first visible slot (a range may begin in a hidden column)."""
    cells = dict(sheet.cells)
    for r0, r1, c0, c1 in sheet.merges:
        text = cells.get((r0, c0))
        for r in range(r0, r1):
            for c in range(c0, c1):
                if (r, c) != (r0, c0):
                    cells.pop((r, c), None)  # a covered cell shows nothing, whatever it stores
        if text is None or (r0 in rows and c0 in cols):
            continue
        slot = next(((r, c) for r in range(r0, r1) for c in range(c0, c1) if r in rows and c in cols), None)
        del cells[(r0, c0)]
        if slot is not None:
            cells[slot] = text
    return cells


def sheet_lines(sheet: Sheet, path: str) -> tuple[list[str], int, int]:
    """(lines, tables, cells left out) of one sheet; InputError when its cells span more than the limit."""
    if sheet.cells:
        extent = (1 + max(r for r, _ in sheet.cells)) * (1 + max(c for _, c in sheet.cells))
        if extent > MAX_SHEET_CELLS:
            raise InputError(path, f"sheet {sheet.name.strip()!r} spans {extent:,} cells, over the limit of "
                                   f"{MAX_SHEET_CELLS:,} per sheet: delete its unused rows and columns or split it")
    rows, cols, left_out = _visible(sheet)
    cells = _move_merged(sheet, set(rows), set(cols))
    rows = [r for r in rows if any((r, c) in cells for c in cols)]
    cols = [c for c in cols if any((r, c) in cells for r in rows)]
    grid = [[clean_cell(cells.get((r, c), ""), first=i == 0) for i, c in enumerate(cols)] for r in rows]
    name = sheet.name.strip()
    caption = [] if _DEFAULT_NAME.match(name) else [name]
    lines, tables = grid_lines(grid)
    if caption and tables and _untitled(lines):  # a sheet without a title row: its name says what it holds
        lines = caption + lines
    return lines, tables, left_out


def _untitled(lines: list[str]) -> bool:
    """Whether the first table of a sheet's lines starts without a title line above its rows."""
    first_row = next((i for i, line in enumerate(lines) if "\t" in line), None)
    return first_row is not None and all(not line.strip() for line in lines[:first_row])
