"""Follow-up questions in a chat (那山西呢？ 2023年呢？ 三季度呢 增速呢 那存款呢) rewritten as standalone questions:
the region, period, measure or indicator the follow-up names replaces the one in the previous question."""
from __future__ import annotations

import re

from kg.extract.numbers import Period, find_periods, fold, is_baseline

# 那 / 那么 / 换成 … at the start, 的情况呢？ at the end: what marks a follow-up and carries no content
_LEAD = re.compile(r"^(?:那么|那|还有|换成|换作|改成|改为|如果是|要是|再看看?|再问一下|再问)\s*")
_TAIL = re.compile(r"(?:的|情况|数据|怎么样|如何|又是多少|是多少|多少|呢|吗|啊|[？?。！!，,\s])*$")
_FILLER = re.compile(r"[的在和、，,\s]")
_ASKING = re.compile(r"多少|什么|哪|几|怎么|如何|谁|是否|能否|为何|为什么")
# measure words, longest first; a follow-up naming one swaps it for the previous question's
_MEASURES = ("同比增长率", "同比增速", "同比增幅", "同比增长", "增长率", "增速", "增幅", "余额", "占比", "比重",
             "总额", "总量", "规模", "金额", "同比")
_MEASURE = re.compile("|".join(_MEASURES))
# the part of a question that asks: 是多少？ 为多少 有哪些 …, up to the end
_QUESTION_TAIL = re.compile(r"(?:是|为|有|达到|共|一共|大约)?(?:多少|几|什么|哪些|哪个|如何|怎么样|怎样)[^，,。；;]*$"
                            r"|[？?。]+$")
# a city or prefecture the gazetteer does not hold (沈阳市, 延边州): only as the whole of a follow-up
_LOCAL_REGION = re.compile(r"^[\u4e00-\u9fff]{2,6}(?:省|市|自治区|自治州|州|盟|地区|县|区)$")
_LOCAL_IN_TEXT = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:市|自治州|州|盟|地区)")
_TWO_DIGIT_YEAR = re.compile(r"(?<![\d])(\d\d)(?=\s*年)")
_YEAR = re.compile(r"(?:19|20)\d\d")


def resolve_followup(previous_question: str, new: str, gazetteer) -> str:
    """`new` as a standalone question: the previous question with the region, period, measure or indicator
    that `new` names substituted in; `new` unchanged when it is self-contained (or there is no previous)."""
    prev = (previous_question or "").strip()
    if not prev or not new or not new.strip():
        return new
    text = _TWO_DIGIT_YEAR.sub(lambda m: "20" + m.group(1), fold(new.strip()))
    marked = bool(_LEAD.match(text)) or bool(re.search(r"呢[？?！!。\s]*$", text))
    core = _TAIL.sub("", _LEAD.sub("", text))
    if not core or (_ASKING.search(core) and not marked):
        return new
    regions = [(s, e, r) for s, e, r in gazetteer.find_regions(core)]
    periods = [p for p in find_periods(core) if not is_baseline(core, p)]
    if not periods and _YEAR.fullmatch(core):  # 2023？ a year written without 年
        periods = [Period(0, len(core), core)]
    covered = [(s, e) for s, e, _ in regions] + [(p.start, p.end) for p in periods]
    covered += [m.span() for m in _MEASURE.finditer(core) if not _inside(m.span(), covered)]
    rest = _FILLER.sub("", "".join(ch for i, ch in enumerate(core) if not _inside((i, i + 1), covered)))
    local = None
    if rest and not regions and _LOCAL_REGION.match(rest):
        local, rest = rest, ""
    if rest and (not marked or _ASKING.search(rest) or len(rest) > 10):
        return new  # says more than a region, period or measure: a question of its own
    if not (regions or periods or local or rest or _MEASURE.search(core)):
        return new
    if (regions or local) and len({r.name for _, _, r in gazetteer.find_regions(prev)}) > 1:
        return new  # 辽宁比山西多多少 -> 那吉林呢: which of the two it replaces is anyone's guess
    if periods and len({p.template for p in find_periods(prev) if not is_baseline(prev, p)}) > 1:
        return new
    out = prev
    measure = next((m.group() for m in _MEASURE.finditer(core)), None)
    if rest:
        out = _swap_indicator(out, rest, gazetteer)
    if measure:
        out = _swap_measure(out, "同比增速" if measure == "同比" else measure)
    if periods:
        p = periods[0]
        out = _swap_period(out, core[p.start:p.end], p)
    if regions:
        s, e, r = regions[0]
        out = _swap_region(out, core[s:e], r, gazetteer)
    elif local:
        out = _swap_region(out, local, None, gazetteer)
    return out


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def _region_spans(text: str, gazetteer) -> list[tuple[int, int, object]]:
    found = list(gazetteer.find_regions(text))
    if not found:  # 2024年沈阳市…: a city right after the period or at the start
        periods = find_periods(text)
        at = periods[0].end if periods and periods[0].start == 0 else 0
        if m := _LOCAL_IN_TEXT.match(text, at):
            found = [(m.start(), m.end(), None)]
    return found


def _swap_region(prev: str, written: str, region, gazetteer) -> str:
    found = _region_spans(prev, gazetteer)
    if not found:  # the previous question named no region: put it after a leading period, else first
        periods = find_periods(prev)
        at = periods[0].end if periods and periods[0].start == 0 else 0
        return prev[:at] + written + prev[at:]
    s, e, old = found[0]
    said = prev[s:e]
    if region is not None and old is not None:  # mirror the previous wording: 辽宁省 -> 山西省, 辽宁 -> 山西
        written = region.full_name if said == old.full_name else region.name if said == old.name else written
    return prev[:s] + written + prev[e:]


def _swap_period(prev: str, written: str, new: Period) -> str:
    periods = [p for p in find_periods(prev) if not is_baseline(prev, p)]
    old = periods[0] if periods else None
    if old is None:
        return written + prev
    said = prev[old.start:old.end]
    year = _YEAR.search(said)
    if new.relative is not None:  # 去年呢: counted from the previous question's year
        if not year:
            return prev
        y = int(year.group()) + new.relative
        written = f"{y}年末" if new.closing else f"{y}年"
        new = Period(0, len(written), new.template.format(y=y), new.closing)
    if _YEAR.fullmatch(new.template):  # a year alone: keep the previous question's month, quarter or 年末
        y = new.template
        said_new = _YEAR.sub(y, said, count=1) if year else f"{y}年{said}"
    elif not new.complete:  # 三季度, 8月末, 上半年: keep the previous question's year
        if year:
            prefix = said[:year.end()]
            said_new = prefix + ("" if written.startswith("年") else "年") + written
        else:
            said_new = written
    else:
        said_new = written
    return prev[:old.start] + said_new + prev[old.end:]


def _swap_measure(prev: str, measure: str) -> str:
    if m := _MEASURE.search(prev):
        return prev[:m.start()] + measure + prev[m.end():]
    at = _tail_start(prev)
    return prev[:at] + measure + prev[at:]


def _tail_start(prev: str) -> int:
    m = _QUESTION_TAIL.search(prev)
    at = m.start() if m else len(prev)
    while at > 0 and prev[at - 1] == "的":
        at -= 1
    return at


def _swap_indicator(prev: str, indicator: str, gazetteer) -> str:
    """The previous question's longest stretch that is no region, period, measure or question word, replaced."""
    covered = [(s, e) for s, e, _ in _region_spans(prev, gazetteer)]
    covered += [(p.start, p.end) for p in find_periods(prev)]
    covered += [m.span() for m in _MEASURE.finditer(prev)]
    covered.append((_tail_start(prev), len(prev)))
    best, start = (0, 0), None
    for i in range(len(prev) + 1):
        free = i < len(prev) and not _inside((i, i + 1), covered) and prev[i] not in "的，,、 "
        if free and start is None:
            start = i
        elif not free and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    if best == (0, 0):
        at = _tail_start(prev)
        return prev[:at] + indicator + prev[at:]
    return prev[:best[0]] + indicator + prev[best[1]:]
