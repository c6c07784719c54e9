"""Candidate values for an answer: figures stated in sentences and numeric table cells, each with the words
that say what it measures and the span to cite."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.numbers import find_periods, fold, parse_number, unit_end, unit_info, year_in
from kg.qa.find.spans import approx_before, clause_at, qualifier_after, sentence_at
from kg.qa.read.text import canon, mentions_target
from kg.types import Document, Figure, Table, content_id

# 主要预期目标是：A增长5%左右；B增长3%左右…: a frame that makes the values after it targets
_TARGET_FRAME = re.compile(r"(?:目标|预期|计划|安排)(?:是|为|如下)?[：:]")
_HEADER_UNIT = re.compile(r"[（(]\s*([^（）()]{1,8}?)\s*[)）]|[,，]\s*([^,，\s]{1,4})\s*$")
_QUARTER_CORNER = re.compile(r"季度")
_MONTH = re.compile(r"^(1[0-2]|0?[1-9])\s*月(?:末|底|份)?$")
_BARE_YEAR = re.compile(r"^((?:19|20)\d\d)\s*年?$")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One value that may answer a question, with its evidence.

    local is what the value itself is labelled with (its clause, or a cell's row and column headers), sentence
    the words around it (its sentence, or the table caption), around the wider context (the sentence before,
    the section, the document title); all three in canonical matching form.
    """

    doc_id: str
    chunk_id: str
    value: str  # as written, no spaces: "3759.8", "-0.8", "13900"
    unit: str  # as written: 亿元, %, 个百分点, "" (a bare cell)
    number: float | None
    multiplier: float
    local: str
    clause: str  # the clause between ；or 。 around the value (cells: the same as local)
    sentence: str
    around: str
    periods: tuple[str, ...]  # normalised; empty when nothing says
    region: str | None  # canonical short name; None for national or unknown
    region_stated: bool  # named in the clause or a header, not just the document's province
    evidence: tuple[int, int]  # the sentence or table row to cite
    value_span: tuple[int, int]
    source: str  # "text" or "cell"
    measure: str = "level"
    target: bool = False
    qualifier: str = ""  # 左右, 以内 after the unit
    approx: str = ""  # 近, 约 before the value
    range_text: str = ""  # 5%—5.5%: the whole range a value is one end of
    lead: str = ""  # canonical words right before the value in its clause (达到, 增长): the predicate
    tail: str = ""  # canonical words right after the unit (17 省未完成…)
    several_years: bool = False  # stated in a 五年来 / “十四五”期间 paragraph: a multi-year total or average
    table_id: str | None = None
    row: int | None = None
    headers: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # row path, column path
    figure: Figure | None = None

    def display(self) -> str:
        """The value as an answer states it: 近1.4万亿, 5.5%左右, 3759.8亿元."""
        if self.range_text:
            return f"{self.approx}{self.range_text}{self.qualifier}"
        return f"{self.approx}{self.value}{self.unit}{self.qualifier}"

    def as_figure(self) -> Figure:
        """The Figure this candidate is (cells become Figures here, with their header paths)."""
        if self.figure is not None:
            return self.figure
        s, e = self.value_span
        return Figure(id=content_id("fig", self.doc_id, s, e), doc_id=self.doc_id, chunk_id=self.chunk_id, start=s,
                      end=e, text=self.value, value=self.number if self.number is not None else 0.0, unit=self.unit,
                      multiplier=self.multiplier, indicator="/".join((*self.headers[0], *self.headers[1])),
                      period=self.periods[0] if self.periods else "", region=None, measure=self.measure,
                      table_id=self.table_id, row_header=self.headers[0], col_header=self.headers[1])


_SEVERAL_YEARS = re.compile(r"\s*(?:[■●•—\-]+\s*)?(?:五年来|过去五年|近五年|“?十[三四五]五”?(?:时期|期间|以来))")
_ONE_PERIOD_LEAD = re.compile(r"\s*(?:(?:19|20)\d\d\s*年|过去一年|一年来|今年|去年|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_RESPECTIVELY = re.compile(r"分别")
_SHARE = re.compile(r"占比|比重|份额|贡献率|占.{0,12}的?比")
_LIST_CLAUSE_END = re.compile(r"[，,；;。！？!?]")
_OUTCOME = re.compile(r"实际|完成|实现")
_RANGE_AFTER = re.compile(r"\s*[-—–~至到]\s*[-+]?\d+(?:\.\d+)?\s*(?:%|‰|个百分点)?")
_RANGE_BEFORE = re.compile(r"[-+]?\d+(?:\.\d+)?\s*(?:%|‰|个百分点)?\s*[-—–~至到]\s*$")


def several_years(text: str, pos: int, look_back: int = 3) -> bool:
    """Is pos in a 五年来 / “十四五”时期 passage? Its paragraph, or one of the few before it (a PDF breaks a
    paragraph where a sentence ends at a line end), opens with such a lead, and none in between opens with a
    single year or a heading."""
    end = pos
    for _ in range(look_back):
        start = text.rfind("\n", 0, end) + 1
        if _SEVERAL_YEARS.match(text, start):
            return True
        if _ONE_PERIOD_LEAD.match(text, start) or start == 0:
            return False
        end = start - 1
    return False


def range_text(text: str, start: int, unit_end: int) -> str:
    """5%—5.5% / 4.5%-8.0%: a value that is one end of a range is answered with the whole range."""
    lo = max(0, start - 16)
    window = fold(text[lo:unit_end + 24])  # fold keeps offsets; only the neighbourhood is read
    if m := _RANGE_AFTER.match(window, unit_end - lo):
        return re.sub(r"\s+", "", text[start:lo + m.end()])
    if m := _RANGE_BEFORE.search(window, 0, start - lo):
        return re.sub(r"\s+", "", text[lo + m.start():unit_end])
    return ""


def _region_name(region_id: str | None, gazetteer) -> str | None:
    if not region_id:
        return None
    r = gazetteer.region(region_id.removeprefix("region-"))
    return r.name if r else None


def text_candidate(f: Figure, doc: Document, gazetteer, bounds: tuple[int, int] | None = None,
                   row_region: str | None = None) -> Candidate:
    """A figure read in its sentence. bounds keeps the sentence inside a table cell for text cells, whose row
    header may name the region (图表33: 河南 | …下达257亿元…)."""
    text = doc.text
    lo, hi = bounds or (0, len(text))
    ss, se = sentence_at(text, f.start, lo, hi)
    cs, ce = clause_at(text, f.start, f.end, ss, se)
    prev = sentence_at(text, ss - 1, lo, hi) if ss - 1 > lo else (ss, ss)
    section = doc.section_at(f.start)
    around = " ".join((text[prev[0]:prev[1]], *section[-2:], doc.title, doc.issuer or ""))
    ue = unit_end(text, f.end, f.unit)
    stated = any(s <= f.start for s, _, _ in gazetteer.find_regions(text[ss:f.start])) if f.region else False
    local = canon(text[cs:ce])
    big_s, big_e = clause_at(text, f.start, f.end, ss, se, big=True)
    lead = canon(text[max(cs, f.start - 6):f.start])
    list_s = max((m.end() for m in _LIST_CLAUSE_END.finditer(text, ss, f.start)), default=ss)
    if (m := _RESPECTIVELY.search(text, list_s, f.start)) and f.indicator:
        # A、B分别增长9.2%、10.2%: each value is its own item's (the extractor paired them) and shares the
        # predicate written once after 分别
        local = canon(f.indicator + text[m.start():cs if cs > m.start() else f.start] + text[f.start:ce])
        lead = canon(text[m.start():f.start])
    region = _region_name(f.region, gazetteer)
    if row_region and not stated:
        region, stated = row_region, True
    # 主要预期目标是：…；固定资产投资增长3%左右: the sentence's lead says it is a target
    target = (f.measure == "target" and mentions_target(text[ss:ue])) or mentions_target(local) \
        or bool(_TARGET_FRAME.search(text[prev[0]:f.start]))
    return Candidate(
        doc_id=f.doc_id, chunk_id=f.chunk_id, value=re.sub(r"\s+", "", f.text), unit=f.unit, number=f.value,
        multiplier=f.multiplier, local=local, clause=canon(text[big_s:big_e]), sentence=canon(text[ss:se]),
        around=canon(around),
        periods=(f.period,) if f.period else (), region=region, region_stated=stated,
        evidence=(ss, se), value_span=(f.start, f.end), source="text",
        measure="share" if f.unit == "%" and _SHARE.search(text[cs:f.start]) else f.measure,
        target=target, qualifier=qualifier_after(text, ue),
        approx=approx_before(text, f.start), range_text=range_text(text, f.start, ue) if f.unit else "",
        several_years=several_years(text, f.start),
        lead=lead, tail=canon(text[ue:min(ce, ue + 6)]) if ue < ce else "",
        table_id=f.table_id, figure=f)


@lru_cache(maxsize=65536)  # pure; the copies of a report's tables repeat their headers
def header_unit(parts: tuple[str, ...]) -> str:
    """(亿元) / （%） / ", %" written in a header, if it names a unit."""
    for p in reversed(parts):
        for m in _HEADER_UNIT.finditer(fold(p)):
            u = (m.group(1) or m.group(2) or "").replace(" ", "")
            if u and unit_info(u) is not None:
                return u
    return ""


def bare_unit(parts: tuple[str, ...]) -> str:
    """A header that is nothing but a unit (万辆 of a 计量单位 column folded into the row path)."""
    for p in reversed(parts):
        u = fold(p).replace(" ", "")
        if u and not u.isdigit() and (info := unit_info(u)) is not None and info[1] not in ("none", "duration"):
            return u
    return ""


def _table_unit(t: Table) -> str:
    u = t.unit.replace(" ", "")
    return u if u and unit_info(u) is not None else ""


@lru_cache(maxsize=65536)  # pure
def cell_periods(parts: tuple[str, ...], corner: str, year: int | None, caption: str = "") -> tuple[str, ...]:
    """Periods a cell's headers name: 8月 -> 2024-08 (the caption's year), 4 under 季度 -> 2024Q4, 2020 -> 2020;
    else the caption's, else the year the table is about."""
    out: list[str] = []
    for p in parts:
        f = fold(p).strip()
        if m := _BARE_YEAR.match(f):
            out.append(m.group(1))
        elif (m := _MONTH.match(f)) and year:
            out.append(f"{year}-{int(m.group(1)):02d}")
        elif f in "1234" and f and _QUARTER_CORNER.search(corner) and year:
            out.append(f"{year}Q{f}")
        else:
            for per in find_periods(f):
                r = per.resolve(year)
                if r:
                    out.append(r)
    if not out:
        out = [r for per in find_periods(fold(caption)) if (r := per.resolve(year))]
    if not out and year:
        out.append(str(year))
    return tuple(dict.fromkeys(out))


_CUMULATIVE = re.compile(r"累计|自年初|年初至今|1-\d{1,2}月|1至\d{1,2}月")
_MONTH_PERIOD = re.compile(r"^(\d{4}|\{y\})-(\d\d)$")


def cumulative(periods: tuple[str, ...], words: str) -> tuple[str, ...]:
    """A month of a cumulative series (累计, 自年初累计) stands for January to that month: 2024-06 -> 2024-01..06,
    so 上半年 is answered by June's cumulative value, not March's."""
    if not _CUMULATIVE.search(words):
        return periods
    return tuple(f"{m.group(1)}-01..{m.group(2)}" if (m := _MONTH_PERIOD.match(p)) and m.group(2) != "01" else p
                 for p in periods)


@lru_cache(maxsize=65536)  # pure: the gazetteer does not change
def region_of(parts: tuple[str, ...], gazetteer) -> str | None:
    for p in parts:
        r = gazetteer.region(p.strip())
        if r is None:
            found = gazetteer.find_regions(p)
            r = found[0][2] if len(found) == 1 and len(p) <= 12 else None
        if r is not None:
            return r.name
    return None


def cell_candidates(t: Table, doc: Document, chunk_of, gazetteer, data_year: int | None) -> list[Candidate]:
    """Every numeric cell of a table as a candidate; chunk_of(span) names the chunk holding a row."""
    year = year_in(t.caption) or next((y for y in map(year_in, reversed(t.section)) if y), None) or data_year
    corner = " ".join(r[0] for r in t.header_rows if r)
    caption = canon(" ".join((t.label, t.caption, t.unit, corner)))
    around = canon(" ".join((*t.section[-2:], doc.title, doc.issuer or "", *t.notes)))
    caption_regions = [r.name for _, _, r in gazetteer.find_regions(t.caption)]
    out = []
    for cell in t.cells:
        raw = fold(cell.value).strip()
        number = parse_number(raw)
        if number is None:
            continue
        parts = (*cell.row_header, *cell.col_header)
        unit = "%" if raw.endswith("%") else header_unit(cell.col_header) or header_unit(cell.row_header) \
            or bare_unit(cell.col_header) or bare_unit(cell.row_header) or _table_unit(t)
        info = unit_info(unit) if unit and unit != "%" else None
        mult = 0.01 if unit == "%" else (info[0] if info else 1.0)
        region = region_of(parts, gazetteer) or (caption_regions[0] if len(caption_regions) == 1 else None)
        stated = region is not None
        region = region or doc.region
        span = t.row_spans[cell.row] if cell.row < len(t.row_spans) else (cell.start, cell.end)
        local = canon(" ".join(parts))
        # a column says 目标 or 实际; else a caption of targets (固投、社零 2024 年目标) makes every cell one
        target = mentions_target(local) or (not _OUTCOME.search(local) and mentions_target(t.caption))
        out.append(Candidate(
            doc_id=doc.id, chunk_id=chunk_of(span), value=raw.rstrip("%").replace(",", ""), unit=unit, number=number,
            multiplier=mult, local=local, clause=local, sentence=caption, around=around,
            periods=cumulative(cell_periods(parts, corner, year, t.caption), local + t.caption),
            region=region, region_stated=stated, evidence=span, value_span=(cell.start, cell.end), source="cell",
            measure="yoy" if re.search(r"同比|增长|增速", local) else "level", target=target,
            table_id=t.id, row=cell.row, headers=(cell.row_header, cell.col_header)))
    return out
