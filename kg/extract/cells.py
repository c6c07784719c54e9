"""Figures from table cells: every numeric cell, read through its row and column header paths."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Protocol

from kg.extract.figures import Context, Found, RegionFinder, span_figures
from kg.extract.numbers import find_periods, fold, parse_number, unit_info, year_in
from kg.types import Chunk, Document, Figure, Table, content_id


class RegionLookup(RegionFinder, Protocol):
    """The slice of the gazetteer cells need: a header that is a region name, and regions in a caption."""

    def region(self, name: str, context=None, strict: bool = False): ...


_NUMBER = re.compile(r"^\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*(%?)\s*$")
_UNIT_PAREN = re.compile(r"[（(]\s*([^（）()]{1,10}?)\s*[)）]")
_UNIT_COMMA = re.compile(r"[,，]\s*([^,，\s]{1,4})\s*$")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、]\s*|其中[:：]?)")
_SIGN_LABEL = re.compile(r"^[（(]\s*[+\-−]\s*[)）]$")  # 图表 39's (+)/(-) operator column
_MEASURE_ONLY = re.compile(r"^(?:绝对值|同比累计增长率|同比增长率|同比增长|同比|增速|增长率|累计|自年初累计|目标|实际|"
                           r"当年|全年)(?:[（(][^（）()]*[)）])?$")
# Header words that say what kind of figure a column holds.
_TARGET = re.compile(r"目标|预期(?!寿命)|计划(?!发行|单列)")
_YOY = re.compile(r"同比|增长率|增速|增幅|比上年")
_SHARE = re.compile(r"占比|比重|占.{0,12}比|份额")
_CHANGE = re.compile(r"比上月|比年初|增加|减少|增量|净增")
_GENERIC = re.compile(r"^(?:金额|数值|数量|规模|合计|小计)$")
_RATE = re.compile(r"增速|增长率|增幅|划分比例|比重|占比")
_TIME_CORNER = {"季度": "Q", "年份": "Y", "年度": "Y", "月份": "M"}


@dataclass(frozen=True, slots=True)
class Axis:
    """What one header path says once its parts are sorted out."""

    words: tuple[str, ...]  # the informative parts, cleaned: the indicator comes from these
    unit: str
    periods: tuple[str, ...]
    partial: tuple[str, ...]  # periods that still need a year (8月 -> {y}-08)
    region: str | None


def cell_figures(doc: Document, tables: tuple[Table, ...], chunks: tuple[Chunk, ...], gazetteer: RegionLookup,
                 ctx: Context) -> Found:
    """One Figure per numeric cell; long text cells (002's 附表 of quoted plans) are read like sentences."""
    figures: list[Figure] = []
    skipped: Counter = Counter()
    for t in tables:
        t_chunks = sorted((c for c in chunks if c.table_id == t.id), key=lambda c: (c.start, c.end))
        written = year_in(t.caption) or next((y for y in map(year_in, reversed(t.section)) if y), None)
        year = written or ctx.year
        corner = _corner(t)
        for cell in t.cells:
            chunk = next((c for c in t_chunks if c.start <= cell.start and cell.end <= c.end), None)
            if chunk is None:
                skipped["cell_no_chunk"] += 1
                continue
            fig = _cell_figure(doc, t, cell, chunk.id, gazetteer, ctx, year, corner, written is None)
            if fig is not None:
                figures.append(fig)
            elif re.search(r"[\u4e00-\u9fff].*\d|\d.*[\u4e00-\u9fff]", cell.value) and len(cell.value) >= 8:
                region = _axis(cell.row_header, gazetteer, "", "", ctx.region).region
                # a row of one year (2020 | 全国 | …截至11月末…) dates what its text says, not the caption's span
                row_year = next((y for y in map(_year_label, cell.row_header) if y), None)
                sub = replace(ctx, year=row_year or year, region=region or ctx.region)
                figures.extend(replace(f, table_id=t.id, row_header=cell.row_header, col_header=cell.col_header,
                                       region_inferred=f.region_inferred and region is None)
                               for f in span_figures(doc.text, cell.start, cell.end, gazetteer, sub, skipped, chunk.id))
            else:
                skipped["cell_not_numeric"] += 1
    return Found(tuple(figures), skipped)


def _cell_figure(doc: Document, t: Table, cell, chunk_id: str, gazetteer: RegionLookup, ctx: Context,
                 year: int | None, corner: str, year_inferred: bool = False) -> Figure | None:
    m = _NUMBER.match(fold(cell.value))
    value = parse_number(m.group(1)) if m else None
    if value is None:
        return None  # —, -, 未完成, dates and names are not figures
    row = _axis(cell.row_header, gazetteer, corner, t.label, ctx.region)
    col = _axis(cell.col_header, gazetteer, "", t.label, ctx.region)
    unit = "%" if m.group(2) else (col.unit or row.unit or _table_unit(t.unit, row.words + col.words)
                                   or _implied_percent(row.words + col.words))
    mult = (unit_info(unit) or (1.0, ""))[0]
    periods = col.periods or row.periods
    partial = col.partial or row.partial
    period = periods[-1] if periods else (partial[-1].format(y=year) if partial and year else _caption_period(t))
    period_inferred = not periods and bool(partial and year) and year_inferred
    if not period and ctx.period:
        period, period_inferred = ctx.period, True
    region = row.region or col.region or _caption_region(t, gazetteer, ctx.region)
    words = row.words + col.words
    if all(_GENERIC.match(w) for w in words):  # 图表 66 (regions × months), 图表 30 (金额): the caption says what
        words = (_caption_words(t, gazetteer), *words)
    header = " ".join((*cell.row_header, *cell.col_header))
    measure = ("target" if _TARGET.search(header) else "share" if _SHARE.search(header)
               else "yoy" if _YOY.search(header) else "change" if _CHANGE.search(header) else "level")
    start = cell.start + m.start(1)
    end = cell.start + m.end(1)
    return Figure(
        id=content_id("fig", doc.id, start, end), doc_id=doc.id, chunk_id=chunk_id, start=start, end=end,
        text=doc.text[start:end], value=value, unit=unit, multiplier=mult,
        indicator=" ".join(w for w in words if not _MEASURE_ONLY.match(w)) or " ".join(words),
        period=period, region=region or ctx.region, measure=measure, table_id=t.id, row_header=cell.row_header,
        col_header=cell.col_header, period_inferred=period_inferred,
        region_inferred=region is None and bool(ctx.region))


def _axis(path: tuple[str, ...], gazetteer: RegionLookup, corner: str, label: str, context=None) -> Axis:
    """Sort one header path into indicator words, unit, periods and region (leaf last wins)."""
    words, periods, partial = [], [], []
    unit, region = "", None
    for raw in path:
        part = " ".join(raw.split())
        if not part or _SIGN_LABEL.match(part):
            continue
        r = gazetteer.region(part, context, strict=True)
        if r is not None:
            region = f"region-{r.code}"
            continue
        bare = _time_label(part, corner)
        if bare is not None:
            (partial if "{y}" in bare else periods).append(bare)
            continue
        u, part = _strip_unit(part)
        unit = u or unit
        for p in find_periods(part):
            (partial if not p.complete else periods).append(p.template)
        part = _strip_periods(part)
        part = _ORDINAL.sub("", part).strip(" ：:，,")
        if part and not re.fullmatch(r"[\d.\s]+", part):
            words.append(part)
    return Axis(tuple(words), unit, tuple(periods), tuple(partial), region)


def _year_label(part: str) -> int | None:
    """A row label that is a year: 2020, 2020年."""
    m = re.fullmatch(r"\s*((?:19|20)\d\d)\s*年?\s*", fold(part))
    return int(m.group(1)) if m else None


def _time_label(part: str, corner: str) -> str | None:
    """Header cells that are nothing but a time: 2015, 2023/03, 8月, and 1-4 under a 季度 corner."""
    if re.fullmatch(r"(?:19|20)\d\d", part):
        return part
    if corner == "Q" and re.fullmatch(r"[1-4]", part):
        return "{y}Q" + part
    if corner == "M" and re.fullmatch(r"1[0-2]|[1-9]", part):
        return "{y}-" + part.zfill(2)
    return None


def _strip_unit(part: str) -> tuple[str, str]:
    """'金融机构各项存款余额（亿元）' -> ('亿元', '金融机构各项存款余额'); '2021年GDP目标, %' -> ('%', …)."""
    for rx in (_UNIT_PAREN, _UNIT_COMMA):
        for m in rx.finditer(part):
            u = m.group(1).replace(" ", "")
            if unit_info(u) is not None:
                return u, (part[:m.start()] + part[m.end():]).strip()
    return "", part


def _strip_periods(part: str) -> str:
    """Dated periods that open or close a header (2024 年目标); 年末债务限额 and 自年初累计 keep their words."""
    for p in reversed(find_periods(part)):
        whole = not (part[:p.start] + part[p.end:]).strip()
        if whole or (p.complete and (not part[:p.start].strip() or not part[p.end:].strip())):
            part = part[:p.start] + part[p.end:]
    return part.strip()


def _table_unit(unit: str, words: tuple[str, ...]) -> str:
    """A table-wide unit; '亿元、%' means amounts in 亿元 and rates in %, told apart by the row's words."""
    options = [u for u in re.split(r"[、,，/和及]", unit) if u]
    if len(options) <= 1:
        return unit
    rate = any(re.search(r"率|比重|占比|增速|增长", w) for w in words)
    return next((u for u in options if (u in ("%", "％")) == rate), options[0])


def _corner(t: Table) -> str:
    """The top-left header names what row labels are: 季度 (1-4), 年份, 月份."""
    first = t.header_rows[0][0].strip() if t.header_rows and t.header_rows[0] else ""
    return _TIME_CORNER.get(first, "")


def _implied_percent(words: tuple[str, ...]) -> str:
    """Growth-rate targets (002 表2) and sharing ratios often omit the %; the header word says it is one."""
    return "%" if any(_RATE.search(w) for w in words) else ""


def _caption_words(t: Table, gazetteer: RegionLookup) -> str:
    """图表 66: 各省市 2023 年 3 月-2024 年 2 月地方债利差 (bp) -> 地方债利差."""
    cap = re.sub(r"^\s*附?(?:图表|表|图)\s*\d+\s*[:：]?", "", t.caption)
    cap = _strip_unit(_strip_all_periods(cap))[1]
    for s, e, _ in reversed(gazetteer.find_regions(cap)):
        cap = cap[:s] + cap[e:]
    cap = re.sub(r"[（(][^（）()]*[)）]|各省市|各省份|部分省份|各省|各地区|各地|全国|及|和|、|[-—~至]", "", cap)
    return re.sub(r"\s+", "", cap).strip(":：")


def _strip_all_periods(text: str) -> str:
    for p in reversed(find_periods(text)):
        text = text[:p.start] + text[p.end:]
    return text


def _caption_period(t: Table) -> str:
    """表 1 2024 年银行业金融机构情况表: a table whose headers name no time is about its caption's period."""
    return next((p.template for p in find_periods(t.caption) if p.complete), "")


def _caption_region(t: Table, gazetteer: RegionLookup, context=None) -> str | None:
    found = {r.code for _, _, r in gazetteer.find_regions(t.caption, context)}
    return f"region-{found.pop()}" if len(found) == 1 else None
