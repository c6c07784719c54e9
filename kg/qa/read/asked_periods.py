"""The periods a question names, read the way figures' periods are: 24年 as 2024年, 前五个月 as 1-5月, 今年 as a
year counted from now, 截至9月累计 as January to September, and a period that contains another only qualifying it."""
from __future__ import annotations

import re

from kg.extract.numbers import find_periods, fold
from kg.qa.find.candidates import cumulative
from kg.qa.find.counts import cn_number
from kg.qa.read.periods import fill_years, parse

_TWO_DIGIT_YEAR = re.compile(r"(?<![\d.])(\d\d)(?=\s*年(?!代|期|内|来|以))")
BARE_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d.年/%])")
_FIRST_MONTHS = re.compile(r"前([一二三四五六七八九十]{1,3}|\d{1,2})个?月")


def prepare(text: str) -> str:
    """One-line, folded digits, 24年 read as 2024年 and 前五个月 as 1-5月, so period finders see them."""
    t = fold(re.sub(r"\s+", " ", text.strip()))
    t = _FIRST_MONTHS.sub(lambda m: f"1-{cn_number(m.group(1))}月" if 1 < (cn_number(m.group(1)) or 0) <= 12
                          else m.group(), t)
    return _TWO_DIGIT_YEAR.sub(lambda m: "20" + m.group(1), t)


def _most_specific(periods: list[str]) -> list[str]:
    """2024年…7月 names one period, July 2024: a period that contains another asked period only qualifies it.
    Two periods that do not nest (2023年和2024年, 3月和6月) both stay."""
    spans = [parse(p) for p in periods]

    def within(a, b) -> bool:  # a strictly inside b
        if a is None or b is None or a == b or not a.years or set(a.years) - set(b.years or a.years):
            return False
        if b.months is None:
            return a.months is not None or len(a.years) < len(b.years)
        return a.months is not None and a.months < b.months
    kept = [(p, a) for p, a in zip(periods, spans) if not any(within(b, a) for b in spans)]
    return [p for i, (p, a) in enumerate(kept) if a is None or all(a != b for _, b in kept[:i])]  # Q1-Q3 = 1-9月


# 年初目标 / 年初定的目标 / 年初两会目标: when a target was set, not the period it is for
_CUMULATIVE_ASK = re.compile(r"累计|截至|截止|前\d{1,2}个?月|1-\d{1,2}月|1至\d{1,2}月")
_NOT_PERIOD = re.compile(r"[^，,。？?；;]{0,4}?(?:目标|预算|计划|预期|安排|部署)")


def question_periods(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The periods text names (normalised like Figure.period; {y+0}/{y-1} for 今年/去年) and the spans of every
    period expression, which are masked from the indicator words."""
    found, spans = [], []
    for p in find_periods(text):
        spans.append((p.start, p.end))  # masked from the terms either way
        if not (p.template.endswith("年初") and _NOT_PERIOD.match(text, p.end)):
            # 今年 / 去年: counted from the year of the report that answers, resolved per candidate
            tpl = p.template.replace("{y}", f"{{y{p.relative:+d}}}") if p.relative is not None else p.template
            found.append((p.start, p.end, tpl))
    for m in BARE_YEAR.finditer(text):  # 辽宁 2024 旅游收入: a year written without 年
        if not any(s <= m.start() < e for s, e in spans):
            found.append((m.start(), m.end(), m.group(1)))
            spans.append((m.start(), m.end()))
    found.sort()
    periods = fill_years([t for _, _, t in found])
    if _CUMULATIVE_ASK.search(text):  # 截至9月累计 / 1-9月: from January to that month
        periods = list(dict.fromkeys(cumulative(tuple(periods), "累计")))
    return _most_specific(periods), spans
