"""The "what I understood" line under an answer: indicator, region, period and what is asked, as read from the
question by kg.qa.read.question.analyse (each field read with getattr, so a renamed field drops out, never crashes)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.ui.i18n import tr

# canonical measure words among the question's terms (kg.qa.read.text.canon folds 增速/增长率 into 增长)
_MEASURE_TERMS = {"增长": "measure.growth", "余额": "measure.balance", "占比": "measure.share",
                  "目标": "measure.target"}
_OPS = {"max": "measure.max", "min": "measure.min", "diff": "measure.diff"}
_QUARTER = re.compile(r"^(\{y\}|\d{4})Q([1-4])$")
_HALF = re.compile(r"^(\{y\}|\d{4})H([12])$")
_MONTH = re.compile(r"^(\{y\}|\d{4})-(\d\d)$")
_YEAR = re.compile(r"^(\{y\}|\d{4})$")


@dataclass(frozen=True, slots=True)
class Understood:
    """What the question was read as: indicator words, regions, periods (normalised) and measure keys."""

    indicators: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()  # catalogue keys: measure.growth, expect.percent …

    @property
    def empty(self) -> bool:
        return not (self.indicators or self.regions or self.periods or self.measures)


def understand(question: str, gazetteer) -> Understood:
    """Read `question` with the QA's own analysis; anything it cannot tell (or a field it lacks) is left out."""
    from kg.qa.read.question import analyse
    q = analyse(question, gazetteer)
    indicators: list[str] = []
    measures: list[str] = []
    for term in getattr(q, "terms", ()) or ():
        forms = getattr(term, "forms", ()) or ()
        if not forms:
            continue
        word = forms[0].upper() if forms[0].isascii() else forms[0]  # forms are lower-cased: cpi -> CPI
        if word in _MEASURE_TERMS:
            measures.append(_MEASURE_TERMS[word])
        elif word not in indicators:
            indicators.append(word)
    if getattr(q, "target", False) and "measure.target" not in measures:
        measures.append("measure.target")
    if (op := getattr(q, "op", None)) in _OPS:
        measures.append(_OPS[op])
    expect = getattr(q, "expect", None)
    if expect and not measures:
        measures.append(f"expect.{expect}")
    regions = tuple(str(r) for r in getattr(q, "regions", ()) or ())
    periods = tuple(str(p) for p in getattr(q, "periods", ()) or ())
    return Understood(tuple(indicators), regions, periods, tuple(dict.fromkeys(measures)))


def period_text(period: str, lang: str = "zh") -> str:
    """A normalised period as an analyst writes it: 2024Q3 -> 2024年三季度, 2024-08 -> 2024年8月, {y}Q4 -> 四季度."""
    for rx, key, part in ((_QUARTER, "period.quarter", "q"), (_HALF, "period.half", "h"),
                          (_MONTH, "period.month", "m"), (_YEAR, "period.year", None)):
        if m := rx.match(period):
            year = m.group(1)
            values: dict[str, object] = {"y": year}
            if part == "m":
                values["m"] = int(m.group(2))
            elif part:
                values[part] = tr(lang, f"{part}.{m.group(2)}")
            if year == "{y}":  # a quarter or month with no year: say so instead of showing a template
                values["y"] = ""
                text = tr(lang, key, **values).lstrip("年- ").strip()
                return text + tr(lang, "period.noyear") if part else tr(lang, "period.noyear").strip("（）() ")
            return tr(lang, key, **values)
    return period.replace("{y}", "")


def understood_line(u: Understood, lang: str = "zh") -> str:
    """理解为：指标 旅游收入 · 地区 辽宁 · 时间 2024年 · 所求 金额 (empty parts left out; '' when nothing)."""
    sep = "、" if lang == "zh" else ", "
    parts = []
    if u.indicators:
        parts.append((tr(lang, "understood.indicator"), sep.join(u.indicators)))
    if u.regions:
        parts.append((tr(lang, "understood.region"), sep.join(u.regions)))
    if u.periods:
        parts.append((tr(lang, "understood.period"), sep.join(period_text(p, lang) for p in u.periods)))
    if u.measures:
        parts.append((tr(lang, "understood.measure"), sep.join(tr(lang, k) for k in u.measures)))
    if not parts:
        return ""
    colon = "：" if lang == "zh" else ": "
    return tr(lang, "understood.lead") + colon + " · ".join(f"{k} {v}" for k, v in parts)
