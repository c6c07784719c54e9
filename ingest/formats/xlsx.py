"""Excel .xlsx/.xlsm workbooks with openpyxl: cached values (data_only=True), as their number formats show them.

The full (not read_only) reader is used: only it gives merged ranges and hidden rows and columns, and it keeps just
the cells the file holds, so a sheet whose stated dimension is A1:XFB50 costs what its real cells cost. Cells are
read from those, never by walking the stated range."""
from __future__ import annotations

import datetime as dt
import io
import re

from ingest.formats import Extracted, SourceMeta
from ingest.formats.grid import clean_cell, join_broken
from ingest.formats.numfmt import format_date, format_number
from ingest.formats.sheet import Sheet, sheet_lines
from ingest.formats.zipped import check_zip
from kg.errors import InputError

_AREA = re.compile(r"\$?([A-Z]{1,3})\$?\d*:\$?([A-Z]{1,3})\$?\d*")


def shown(cell) -> str | None:
    """The text a cell shows, or None when it shows nothing (empty, an error, a formula with no cached value)."""
    value = cell.value
    if value is None or cell.data_type == "e":
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return format_date(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(value, cell.number_format)
    return str(value)


def _hidden_cols(ws) -> frozenset[int]:
    from openpyxl.utils import column_index_from_string

    out = set()
    for key, d in ws.column_dimensions.items():
        if d.hidden:
            lo = d.min or column_index_from_string(key)
            hi = d.max or lo
            out.update(range(lo - 1, min(hi, 16384)))
    return frozenset(out)


def _print_cols(ws) -> frozenset[int] | None:
    from openpyxl.utils import column_index_from_string

    area = ws.print_area
    if not area:
        return None
    cols = set()
    for a, b in _AREA.findall(area if isinstance(area, str) else ",".join(area)):
        cols.update(range(column_index_from_string(a) - 1, column_index_from_string(b)))
    return frozenset(cols) or None


def _sheet(ws) -> Sheet:
    # ws._cells: the cells the file holds; ws.iter_rows() would visit every cell of a phantom used range
    cells = {(r - 1, c - 1): text for (r, c), cell in ws._cells.items() if (text := shown(cell)) is not None}
    merges = tuple((m.min_row - 1, m.max_row, m.min_col - 1, m.max_col) for m in ws.merged_cells.ranges)
    hidden_rows = frozenset(r - 1 for r, d in ws.row_dimensions.items() if d.hidden)
    return Sheet(ws.title, cells, merges, hidden_rows, _hidden_cols(ws), _print_cols(ws))


def title_hint(wb, sheet) -> str | None:
    """The workbook's title: its title property, else the text set in the largest type on its first sheet
    (a cover's title, or the first table's title row) when some text there is set smaller."""
    if wb.properties.title and len(wb.properties.title.strip()) >= 6:
        return wb.properties.title.strip()
    texts = [(cell.font.sz or 0, r, c, clean_cell(cell.value)) for (r, c), cell in sorted(sheet._cells.items())
             if isinstance(cell.value, str) and cell.value.strip()]
    if not texts:
        return None
    big = max(t[0] for t in texts)
    title = join_broken([t[3] for t in texts if t[0] == big])
    return title if big > min(t[0] for t in texts) and 6 <= len(title) <= 100 else None


def read_xlsx(data: bytes, path: str) -> Extracted:
    """Every visible sheet of a workbook (see the module docstring); InputError when it cannot be opened."""
    check_zip(data, path, "xl/workbook.xml", "Excel workbook (.xlsx)")
    import openpyxl  # lazy: only workbooks need it
    from openpyxl.worksheet.worksheet import Worksheet

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception as e:  # openpyxl raises KeyError, InvalidFileException, lxml errors … on damaged files
        raise InputError(path, f"damaged Excel workbook ({type(e).__name__}): open it in Excel or WPS and save "
                               "it again as .xlsx") from None
    lines: list[str] = []
    tables = skipped = 0
    visible = [ws for ws in wb.worksheets if isinstance(ws, Worksheet) and ws.sheet_state == "visible"]
    title = title_hint(wb, visible[0]) if visible else None
    for ws in wb.worksheets:
        if not isinstance(ws, Worksheet) or ws.sheet_state != "visible":
            skipped += 1
            continue
        out, n, left_out = sheet_lines(_sheet(ws), path)
        lines.extend(out + [""])
        tables += n
        skipped += left_out
    wb.close()
    return Extracted(("\n".join(lines),), "xlsx", SourceMeta(title=title), tables=tables, skipped=skipped)
