"""Comma- or tab-separated tables (.csv) in UTF-8 or GB18030 (what Excel saves on a Chinese Windows) as one table."""
from __future__ import annotations

import csv
import io

from ingest.formats import MAX_SHEET_CELLS, Extracted
from ingest.formats.grid import clean_cell, grid_lines
from ingest.read import decode_text
from kg.errors import InputError


def read_csv(data: bytes, path: str) -> Extracted:
    """The rows of a CSV file as one table (a title row or 单位 row above the header is read as in a sheet)."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "binary data, not CSV text: export the table as CSV (UTF-8) or .xlsx")
    text, codec = decode_text(data, path)  # UTF-8 (BOM or not), UTF-16 with a BOM, GB18030, Big5
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if sum(len(r) for r in rows) > MAX_SHEET_CELLS:
        raise InputError(path, f"more than {MAX_SHEET_CELLS:,} cells: split the table into parts")
    grid = [[clean_cell(v, first=i == 0) for i, v in enumerate(r)] for r in rows]
    lines, tables = grid_lines(grid)
    return Extracted(("\n".join(lines),), f"csv:{codec.replace('-sig', '')}", tables=tables)
