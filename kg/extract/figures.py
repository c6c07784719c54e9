"""Figures stated in running text: value, unit, indicator, measure, direction, period and region, with evidence."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Protocol

from kg.extract.numbers import Period, Quantity, find_periods, find_quantities, fold, is_baseline, unit_end
from kg.extract.phrases import (Item, after_unit_noun, clause_start, clean_phrase, direction_of, enumerated_items,
                                indicator_from, measure_of)
from kg.types import Chunk, Document, Figure, Section, content_id

__all__ = ["NATION", "Context", "Found", "RegionFinder", "span_figures", "text_figures",  # and, from phrases:
           "Item", "after_unit_noun", "clause_start", "clean_phrase", "direction_of", "enumerated_items",
           "indicator_from", "measure_of"]

NATION = "region-100000"  # the gazetteer's code for 全国


class RegionFinder(Protocol):
    """The slice of the gazetteer figures need: region mentions in a piece of text."""

    def find_regions(self, text: str, context=None) -> list: ...


@dataclass(frozen=True, slots=True)
class Context:
    """What a stretch of text inherits from its document: year to fill 三季度末 with, region when none is named."""

    doc_id: str
    year: int | None = None  # weak default year for 三季度末 / 全年 when the paragraph states none
    region: str | None = None  # region entity id of a provincial report
    doc_year: int | None = None  # Document.year: what 今年 / 去年 count from (a 2025 report on 2024 says 2024)
    period: str | None = None  # the document's data period, for a figure whose text states none (2023)


@dataclass(frozen=True, slots=True)
class Found:
    figures: tuple[Figure, ...]
    skipped: Counter


# A sentence ends at 。！？ or where a line ends in sentence punctuation (headings, bullet lines).
# The cleaner has joined lines broken inside sentences, so a newline ends a paragraph — unless the line stops
# on a comma or an opening bracket, where a join was evidently missed.
_SENT = re.compile(r"[。！？!?]+[”’」』）)]*")
_PARA = re.compile(r"(?<![，、,（(“‘《〔【—/～~+\d])[ \t]*\n\s*")
_VALUE_VERB = re.compile(r"(?:为|是|达|达到|至|到|降至|升至|分别为|约为)\s*$")
_FROM_TO = re.compile(r"\s*(?:提升|提高|上升|下降|降低|增加|减少|回升|回落)?\s*(?:至|到)")  # 从84.7提升至89.6


def text_figures(doc: Document, chunks: tuple[Chunk, ...], regions: RegionFinder, ctx: Context) -> Found:
    """Figures of every text chunk. Chunks overlap, so text is read once and each figure takes the first chunk
    that fully contains it."""
    spans = _merge([(c.start, c.end) for c in chunks if c.kind == "text"])
    text_chunks = sorted((c for c in chunks if c.kind == "text"), key=lambda c: (c.start, c.end))
    figures: list[Figure] = []
    skipped: Counter = Counter()
    for a, b in spans:
        for f in span_figures(doc.text, a, b, regions, ctx, skipped, sections=doc.sections):
            chunk = next((c for c in text_chunks if c.start <= f.start and f.end <= c.end), None)
            if chunk is None:
                skipped["no_chunk"] += 1
                continue
            figures.append(replace(f, chunk_id=chunk.id))
    return Found(tuple(figures), skipped)


def span_figures(text: str, start: int, end: int, regions: RegionFinder, ctx: Context,
                 skipped: Counter | None = None, chunk_id: str = "", sections: tuple[Section, ...] = ()) -> list[Figure]:
    """Figures of text[start:end], read paragraph by paragraph so a leading 2024 年， carries over; a paragraph
    that states no period of its own inherits a dated heading's (一、2023年工作回顾)."""
    skipped = skipped if skipped is not None else Counter()
    out: list[Figure] = []
    for pa, pb in _split(_PARA, text, start, end):
        carried = _heading_period(sections, pa)  # then the period the paragraph's last sentence opened with
        for sa, sb in _split(_SENT, text, pa, pb):
            figs, lead = _sentence(text, sa, sb, regions, ctx, carried, skipped, chunk_id)
            out.extend(figs)
            carried = lead or carried
    return out


def _sentence(text: str, sa: int, sb: int, regions: RegionFinder, ctx: Context, carried: Period | None,
              skipped: Counter, chunk_id: str) -> tuple[list[Figure], Period | None]:
    qs = [q for q in find_quantities(text, sa, sb) if not _inside_title(text, sa, q)]
    periods = find_periods(text, sa, sb)
    first = qs[0].start if qs else sb
    lead = next((p for p in periods if p.end <= first and not is_baseline(text, p)), None)
    year = _year(lead, carried, ctx)
    context_period = lead or carried
    regs = [(sa + s, sa + e, f"region-{r.code}") for s, e, r in regions.find_regions(text[sa:sb], ctx.region)]
    written_year = lead is not None and lead.year is not None
    out: list[Figure] = []
    enum = enumerated_items(text, sa, qs, periods, regs, carried)
    prev_end, subject = sa, ""
    for i, q in enumerate(qs):
        bare = not q.unit
        if bare and i not in enum and not _VALUE_VERB.search(fold(text[max(sa, q.start - 4):q.start])) \
                and not _FROM_TO.match(text, q.end):
            skipped["bare_number"] += 1
            continue
        cs = clause_start(text, max(sa, prev_end), q.start)
        item = enum.get(i)
        indicator = (item.indicator or subject) if item else indicator_from(text, cs, q.start, periods, regs)
        if len(indicator) <= 2 and q.kind in ("count", "magnitude", "money"):  # 惠及 5000万户家庭, 新增 10万亿元…
            indicator = (indicator + after_unit_noun(text, q.unit_end, sb)) or indicator
        if not indicator and not subject and cs > sa:  # （2023年和 2024年分别同比增长 2.0%…）: the clause before
            back = max(sa, (item.clause if item else cs) - 1)
            subject = indicator_from(text, clause_start(text, sa, back), back, periods, regs)
            subject = "" if re.search(r"\d", subject) else subject  # that clause held a value, not a subject
        indicator = indicator or subject
        subject = indicator
        window = min(prev_end, item.clause) if item else prev_end  # a 分别 list shares the periods before it
        period, period_inferred = _period_of(text, q, max(sa, window), periods, item, context_period, year,
                                             ctx.doc_year, lead, written_year)
        if not period and ctx.period:
            period, period_inferred = ctx.period, True
        region = (item.region if item and item.region else None) or _region_of(text, q, sa, cs, regs, ctx.region)
        region_inferred = region is None and ctx.region is not None
        region = region or ctx.region
        mcs = item.clause if item else cs
        measure = measure_of(text, sa, mcs, q)
        out.append(Figure(
            id=content_id("fig", ctx.doc_id, q.start, q.end), doc_id=ctx.doc_id, chunk_id=chunk_id,
            start=q.start, end=q.end, text=q.text, value=q.value, unit=q.unit, multiplier=q.multiplier,
            indicator=indicator, period=period, region=region, measure=measure,
            direction=direction_of(text, mcs, q), period_inferred=period_inferred, region_inferred=region_inferred))
        prev_end = q.unit_end
    return _from_to_years(text, out, periods), lead


_TO_LINK = re.compile(r"\s*(?:[\u4e00-\u9fff]{0,4}?(?:提升|提高|增加|增长|上升|扩大|下降|降低|减少|缩小|回落))?(?:到|至)\s*")
_YEAR_RANGE = re.compile(r"^((?:19|20)\d\d)-((?:19|20)\d\d)$")


def _from_to_years(text: str, figs: list[Figure], periods: list[Period]) -> list[Figure]:
    """2020年到2025年，比重从17.9%提升到35.5%: the value after 从 is the first year's, the one after 到 the last
    year's, when the range is written with both years (a plan's name, 十四五, does not say the base year)."""
    for k in range(len(figs) - 1):
        a, b = figs[k], figs[k + 1]
        m = _YEAR_RANGE.match(a.period)
        if not m or b.period != a.period or "从" not in text[max(0, a.start - 4):a.start]:
            continue
        if not _TO_LINK.fullmatch(text, unit_end(text, a.end, a.unit), b.start):
            continue
        written = next((p for p in periods if p.template == a.period and p.end <= a.start), None)
        if written is None or len(re.findall(r"(?:19|20)\d\d", text[written.start:written.end])) < 2:
            continue
        figs[k] = replace(a, period=m.group(1), period_inferred=False)
        figs[k + 1] = replace(b, period=m.group(2), period_inferred=False)
    return figs


def _heading_period(sections: tuple[Section, ...], pos: int) -> Period | None:
    inner = sorted((s for s in sections if s.start <= pos < s.end), key=lambda s: s.level)
    for s in reversed(inner):
        found = [p for p in find_periods(s.title) if p.complete and p.year]
        if found:
            return found[0]
    return None


def _year(lead: Period | None, carried: Period | None, ctx: Context) -> int | None:
    for p in (lead, carried):
        if p is not None and p.year:
            return p.year
    return ctx.year


def _period_of(text: str, q: Quantity, window: int, periods: list[Period], item, context: Period | None,
               year: int | None, doc_year: int | None, lead: Period | None = None,
               written_year: bool = False) -> tuple[str, bool]:
    """The figure's own period (the last one between the previous figure and it, unless it is a baseline such
    as 比2023年末 — but 从三季度末的 290.2% is its own), else the sentence's or paragraph's leading one; and
    whether it was inferred: relative (今年, 去年: from the report's date), carried from an earlier sentence or
    heading, or missing its year where the sentence writes none."""
    def inferred(p: Period, in_sentence: bool) -> bool:
        return (not in_sentence or p.relative is not None or p.shift != 0
                or (not p.complete and not written_year))

    if item is not None and item.period is not None:
        return item.period.resolve(year, doc_year), inferred(item.period, True)
    own = None
    for p in periods:
        if window <= p.start and p.end <= q.start:
            if not is_baseline(text, p) or re.fullmatch(r"\s*的\s*", text[p.end:q.start]):
                own = p
    chosen = own or context
    if chosen is None:
        return "", False  # no period written: the caller may take the document's data period
    resolved = chosen.resolve(year if chosen is not context or context.year is None else context.year, doc_year)
    return resolved, bool(resolved) and inferred(chosen, chosen is own or chosen is lead)


def _region_of(text: str, q: Quantity, sa: int, cs: int, regs: list[tuple[int, int, str]],
               home: str | None) -> str | None:
    """The nearest region named before the value in its sentence, skipping 比全国 / 高于全国 comparisons; in a
    provincial report a 全国 outside the value's own clause (入选全国…) does not move the figure to the nation."""
    for s, e, rid in reversed(regs):
        if e > q.start or re.search(r"(?:比|较|于|与|同|占)\s*$", text[max(sa, s - 2):s]):
            continue
        if home and rid == NATION and s < cs:
            continue
        return rid
    return None


def _inside_title(text: str, sa: int, q: Quantity) -> bool:
    """A number inside 《…》 is part of a name (《关于做好 2018 年…》), not a figure."""
    left = text[sa:q.start]
    return left.rfind("《") > left.rfind("》")


def _split(pattern: re.Pattern, text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for m in pattern.finditer(text, start, end):
        out.append((pos, m.end()))
        pos = m.end()
    out.append((pos, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]

