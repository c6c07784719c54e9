"""Normalised periods ("2024", "2024Q4", "2024-08", "2024H1", "2024年末", "{y}Q4") compared for answering."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_RANGE = re.compile(r"^(\d{4})-(\d{4})$")
_ONE = re.compile(r"^(?P<y>\d{4}|\{y\})(?:Q(?P<q>[1-4])(?:-Q(?P<q2>[1-4]))?|H(?P<h>[12])|-(?P<m>\d\d)(?:\.\.(?P<m2>\d\d))?"
                  r"|(?P<end>年末)|(?P<start>年初))?$")


@dataclass(frozen=True, slots=True)
class Span:
    """The years and months a period covers; months None means the whole year(s)."""

    years: tuple[int, ...]  # empty when the year is not known ({y}Q4)
    months: frozenset[int] | None = None


@lru_cache(maxsize=4096)  # pure; ranking asks about the same few labels thousands of times
def parse(period: str) -> Span | None:
    """None for anything unreadable (a plan period label, an empty string)."""
    if m := _RANGE.match(period):
        a, b = int(m.group(1)), int(m.group(2))
        return Span(tuple(range(a, b + 1))) if a <= b <= a + 30 else None
    m = _ONE.match(period)
    if not m:
        return None
    years = () if m["y"] == "{y}" else (int(m["y"]),)
    months: frozenset[int] | None = None
    if m["q"]:
        q2 = int(m["q2"] or m["q"])
        months = frozenset(range(3 * int(m["q"]) - 2, 3 * q2 + 1))
    elif m["h"]:
        months = frozenset(range(1, 7) if m["h"] == "1" else range(7, 13))
    elif m["m"]:
        months = frozenset(range(int(m["m"]), int(m["m2"] or m["m"]) + 1))
    elif m["end"]:
        months = frozenset({12})
    elif m["start"]:
        months = frozenset({1})
    return Span(years, months)


_RELATIVE = re.compile(r"\{y([+-]\d+)\}")


def anchored(period: str, year: int | None) -> str:
    """A question's 今年/去年 ({y+0}, {y-1}) read from the year of the report a candidate comes from."""
    if year is None or "{y" not in period:
        return period
    return _RELATIVE.sub(lambda m: str(year + int(m.group(1))), period)


def fill_years(periods: list[str]) -> list[str]:
    """2023年1月和10月: 10月 takes the year written before it (or else after it)."""
    out = []
    for i, p in enumerate(periods):
        if "{y}" in p:
            before = [q for q in periods[:i] if q[:4].isdigit()]
            after = [q for q in periods[i + 1:] if q[:4].isdigit()]
            src = (before[-1:] or after[:1])
            p = p.replace("{y}", src[0][:4]) if src else p
        if p not in out:
            out.append(p)
    return out


@lru_cache(maxsize=16384)  # pure, on two short labels
def fit(asked: str, stated: str) -> float:
    """How well a figure's period answers the asked one: 1 same, 0 different, between for coarser or unknown.

    A whole-year question is answered well by a year-end or December figure (a cumulative 1-12月 value or a
    年末 stock), poorly by a part of the year; a figure with no period of its own is possible but unproven.
    """
    a, s = parse(asked), parse(stated) if stated else None
    if a is None:
        return 1.0
    if s is None:
        return 0.6
    if a.years and s.years and not set(a.years) & set(s.years):
        return 0.0
    year_factor = 1.0 if (a.years and s.years) or not a.years else 0.9
    if a.months is None and s.months is None:
        return year_factor * (1.0 if len(s.years) <= len(a.years) or not a.years else 0.7)
    if a.months is None:  # a whole year: 1-12月 cumulative is the year itself, a year-end or December nearly
        return year_factor * (1.0 if len(s.months) == 12 else 0.85 if 12 in s.months else 0.4)
    if s.months is None:
        # a year column answers for the year's end (年末余额 in a table of year columns), less well for a part
        return year_factor * (0.9 if a.months == frozenset({12}) else 0.6)
    if a.months == s.months:
        return year_factor
    if a.months & s.months:
        return year_factor * 0.8
    return 0.0


def best_fit(asked: tuple[str, ...], stated: str) -> float:
    """The best fit over the asked periods; 1 when the question names none."""
    return max((fit(a, stated) for a in asked), default=1.0)


def label(period: str) -> str:
    """A period as an answer names it: 2024-08 -> 8月, 2024Q4 -> 四季度, 2019 -> 2019年."""
    s = parse(period)
    if s is None:
        return period
    if s.months is not None and len(s.months) == 1:
        return f"{next(iter(s.months))}月"
    if s.months is not None and len(s.months) == 3 and min(s.months) % 3 == 1:
        return f"{'一二三四'[min(s.months) // 3]}季度"
    if s.months is None and len(s.years) == 1:
        return f"{s.years[0]}年"
    return period.replace("{y}", "")
