"""Legacy Excel .xls (BIFF) workbooks with xlrd; formatting_info=True, since only a cell's number format (XF)
tells a date serial (45530.0) from a number and says how many decimals the figure shows."""
from __future__ import annotations

import io

from ingest.formats import MAX_SHEET_CELLS, Extracted
from ingest.formats.numfmt import format_date, format_number
from ingest.formats.sheet import Sheet, sheet_lines
from kg.errors import InputError


def _shown(book, sheet, r: int, c: int) -> str | None:
    import xlrd

    cell = sheet.cell(r, c)
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return cell.value if cell.value.strip() else None
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        xf = book.xf_list[cell.xf_index]
        fmt = book.format_map.get(xf.format_key)
        return format_number(cell.value, fmt.format_str if fmt else None)
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return format_date(xlrd.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return format_number(cell.value, None)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    return None  # empty, blank, error


def _sheet(book, sh, path: str) -> Sheet:
    if sh.nrows * sh.ncols > MAX_SHEET_CELLS:
        raise InputError(path, f"sheet {sh.name.strip()!r} spans {sh.nrows * sh.ncols:,} cells, over the limit of "
                               f"{MAX_SHEET_CELLS:,} per sheet: delete its unused rows and columns or split it")
    cells = {(r, c): text for r in range(sh.nrows) for c in range(sh.ncols)
             if (text := _shown(book, sh, r, c)) is not None}
    hidden_rows = frozenset(r for r, info in sh.rowinfo_map.items() if info.hidden)
    hidden_cols = frozenset(c for c, info in sh.colinfo_map.items() if info.hidden)
    return Sheet(sh.name, cells, tuple(sh.merged_cells), hidden_rows, hidden_cols)


def read_xls(data: bytes, path: str) -> Extracted:
    """Every visible sheet of a BIFF workbook; InputError when it is encrypted or damaged."""
    import xlrd  # lazy: only .xls files need it

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True,
                                  logfile=io.StringIO())  # its warnings ("OLE2 inconsistency") are not ours to print
    except xlrd.XLRDError as e:
        if "encrypt" in str(e).lower():
            raise InputError(path, "password-protected Excel file: open it, remove the password and save it "
                                   "again") from None
        raise InputError(path, f"not a readable .xls workbook ({str(e)[:80]}): open it in Excel or WPS and save "
                               "it again as .xlsx") from None
    except Exception as e:  # xlrd raises struct.error, IndexError, AssertionError … on damaged files
        raise InputError(path, f"damaged .xls workbook ({type(e).__name__}): open it in Excel or WPS and save "
                               "it again as .xlsx") from None
    lines: list[str] = []
    tables = skipped = 0
    try:
        for i in range(book.nsheets):
            sh = book.sheet_by_index(i)
            if sh.visibility:
                skipped += 1
                continue
            out, n, left_out = sheet_lines(_sheet(book, sh, path), path)
            lines.extend(out + [""])
            tables += n
            skipped += left_out
    except InputError:
        raise
    except Exception as e:
        raise InputError(path, f"damaged .xls workbook ({type(e).__name__}): open it in Excel or WPS and save "
                               "it again as .xlsx") from None
    finally:
        book.release_resources()
    return Extracted(("\n".join(lines),), "xls", tables=tables, skipped=skipped)
