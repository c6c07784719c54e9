"""A spreadsheet number as its cell's number format shows it: percentages as percent, decimals as many as the
format asks (so 182506.58999999997 under "0.00" is 182506.59), dates as ISO dates. Thousands separators, colours
and padding are dropped: the text keeps the plain figure."""
from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]')  # literals, escapes, padding, fill, [Red]/[$-804]
_GENERAL_DIGITS = 15  # what Excel's General format keeps: 15 significant digits, float noise gone


def _section(fmt: str, value: float) -> str:
    """The part of a format ("pos;neg;zero;text") that applies to the value, quotes and escapes removed."""
    sections, cur, quoted = [], "", False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            sections.append(cur)
            cur = ""
        else:
            cur += ch
    sections.append(cur)
    pick = sections[1] if value < 0 and len(sections) > 1 else sections[2] if value == 0 and len(sections) > 2 \
        else sections[0]
    return _QUOTED.sub("", pick)


def _decimals(section: str) -> int | None:
    """Digits after the point the section shows; None for General (or a format with no digit placeholder)."""
    if not re.search(r"[0#?]", section):
        return None
    m = re.search(r"\.([0#?]*)", section)
    return len(m.group(1)) if m else 0


def _fixed(value: Decimal, places: int) -> str:
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{abs(q) if q == 0 else q:f}"  # no "-0.0"


def general(value: float) -> str:
    """A number as General shows it: 15 significant digits, no exponent for report-sized figures."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.{_GENERAL_DIGITS}g}"
    if "e" in text:
        text = f"{Decimal(text):f}"
    return text


def format_number(value: float | int, fmt: str | None) -> str:
    """The figure a cell shows (see the module docstring)."""
    fmt = fmt or "General"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    section = _section(fmt, value)
    places = _decimals(section)
    try:
        number = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError, OverflowError):
        return str(value)
    if "%" in section:
        return _fixed(number * 100, places or 0) + "%"
    if places is None or fmt.strip().lower() == "general" or re.search(r"[eE][+-]", section):
        return general(float(value))
    return _fixed(number, places)


def format_date(value: dt.datetime | dt.date | dt.time) -> str:
    """A date as 2024-08-26, a date and time as 2024-08-26 10:30, a time as 10:30."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M" if not value.second else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.strftime("%H:%M" if not value.second else "%H:%M:%S")
