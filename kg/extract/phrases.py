"""The words around a value: the phrase it measures, its measure and direction, and 分别 lists that share them."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.numbers import Period, Quantity, find_periods, fold

_BOUNDARY = re.compile(r"[，,；;：:、。！？!?]|其中")
_LIST_BOUNDARY = re.compile(r"[，,；;：:。！？!?]|其中")
# Words a measured phrase never starts with: connectives, scope words, reporting verbs.
_LEAD = re.compile(r"^(?:其中|而且|并且|同时|此外|另外|但是|但|而|且|并|其|以及|及|和|与|从|由|全年|全省|全市|全区|全国|"
                   r"当年|今年|每年|截至|截止|到|在|预计|初步核算|据初步核算|按不变价格计算|按可比价格计算|实现|完成|达到|"
                   r"共计|合计|共|分别|的|为|是|有|仅|约|近|超过|均|年|末|底|拟安排|拟|安排|我们|建议|参照|相对|"
                   r"[、，：\s*“”\"'‘’（()）\-—–~])+")
_TRAIL = re.compile(r"(?:共|累计|均|仍|也|已|将|则|继续|逐步|持续|有所|再|又|的|不|从|超|超过|突破|近|约|达)+$")
# A phrase that only says how a thing moved: the thing itself is the sentence's subject.
_MOVE_ONLY = re.compile(r"^(?:涨幅|增幅|降幅|变化|变动|增速|增长率|规模|金额|余额)$")
# Where the measured phrase stops: the predicate. Lookaheads keep 增加值, 比重, 比例, 作为, 近年 intact.
_PRED = re.compile(r"同比|环比|比上年|较上年|比年初|较年初|(?<![占对环])比(?![重例率值较])|较(?!大|小|高|低|快|好)|增长|增速|"
                   r"下降|上升|提高|增加(?!值)|减少|回落|回升|降低|收窄|扩大|上涨|下跌|达到|(?<!发)达(?!标)|"
                   r"(?<![作行认成])为(?!主|例)|(?<!所)占|超过|突破|约|(?<![最临])近(?![期年日来])|进一步|放缓|加快|"
                   r"降至|升至|(?<!截)至(?!今)|分别|高出|低于|高于|仅|合计|共计|保持|稳定在|维持|同期|调降|调升|下调|"
                   r"上调|提升|平均(?=为|达)|拟|按(?=\d)|年均")
_UP = r"增长|上升|提高|提升|增加(?!值)|回升|上涨|扩大|多增|加快|升至|上调|调升|高出|增至|攀升|反弹"
_DOWN = r"下降|回落|减少|降低|收窄|下滑|少增|下调|调降|放缓|降至|下跌|缩小|减至|回收"
_DIRECTION = re.compile(rf"(?P<up>{_UP})|(?P<down>{_DOWN})")
_YOY = re.compile(r"同比|比上年|较上年|比去年|较去年|上年同期")
_OTHER_BASE = re.compile(r"环比|比年初|较年初|比上月|较上月|比上季|较上季|比全国|较全国|高于|低于|高出|比|较")
_GROWTH = re.compile(r"增长|增速|增幅|下降|上涨|下跌|回落|降幅|涨幅|增长率")
_TARGET = re.compile(r"目标|预期(?!寿命)|力争|(?<!实际)计划(?!发行|单列|内)|拟")
_SHARE = re.compile(r"占比|比重|占(?!用|据)|份额")
_HEADS = ("人均可支配收入", "部门杠杆率", "部门债务", "增加值", "营业收入", "零售额", "余额", "总额", "产量", "收入",
          "增速", "利率", "投资", "贷款", "存款", "规模", "发行额", "支出", "消费", "价格", "债务")


def clause_start(text: str, lo: int, pos: int, boundary: re.Pattern = _BOUNDARY) -> int:
    """Just after the last clause boundary (，；：、 or 其中) in text[lo:pos], or after a bracket still open at pos
    (…已充分使用（共发行特殊再融资专项债 2.08万亿元）)."""
    opened: list[int] = []
    cuts: list[int] = []
    for m in re.finditer(rf"[（(]|[)）]|{boundary.pattern}", text[lo:pos]):
        at = lo + m.start()
        if m.group() in "（(":
            opened.append(at)
        elif m.group() in ")）":
            if opened:  # 县（市、区）: boundaries inside a closed bracket do not end the clause
                o = opened.pop()
                cuts = [c for c in cuts if c <= o]
        else:
            cuts.append(lo + m.end())
    last = max(cuts + [o + 1 for o in opened], default=lo)
    return last


def clean_phrase(s: str) -> str:
    """A measured phrase as a label: no brackets, markup, quotes or PDF spaces, no leading connectives."""
    s = re.sub(r"[（(][^（）()]*[)）]|\*+|[“”\"'‘’]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+", "", s)  # superscripts: footnote marks
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"(?<=[^\x00-\x7f]) (?=\S)|(?<=\S) (?=[^\x00-\x7f])", "", s)
    s = _LEAD.sub("", s)
    return s.strip(" 的、，,").strip()


def indicator_from(text: str, cs: int, pos: int, periods: list[Period], regs: list[tuple[int, int, str]],
                   limit: int = 24) -> str:
    """The phrase a value measures: its clause up to the predicate, minus period and region words; the last
    `limit` characters, since a Chinese noun phrase ends in its head."""
    cut = [(p.start, p.end) for p in periods] + [(s, e) for s, e, _ in regs]
    chars = [c for i, c in enumerate(text[cs:pos], cs) if not any(a <= i < b for a, b in cut)]
    phrase = clean_phrase("".join(chars))
    m = _PRED.search(phrase)
    phrase = _TRAIL.sub("", clean_phrase(phrase[:m.start()]) if m else phrase)
    return "" if _MOVE_ONLY.match(phrase) else phrase[-limit:]


def after_unit_noun(text: str, pos: int, end: int) -> str:
    """22 个重点产业集群: a count whose clause names nothing before it measures the noun after it."""
    m = re.match(r"\s*([^，,；;：:、。！？\s的中获被在为是和与及]{1,10})", text[pos:end])
    noun = re.sub(r"^(?:左右|以上|以下|以内|多|余|上下)", "", m.group(1)) if m else ""
    cut = _PRED.search(noun) or re.search(r"\d", noun)
    noun = noun[:cut.start()] if cut else noun
    return clean_phrase(noun)[:12] if re.match(r"[\u4e00-\u9fffA-Za-z“]", noun) else ""


def measure_of(text: str, sa: int, cs: int, q: Quantity) -> str:
    window, after = fold(text[cs:q.start]), text[q.unit_end:q.unit_end + 4]
    if re.search(r"(?:至|到)\s*$", window):
        return "level"  # 上升至 290.6%: where it ended up, not by how much
    before = text[sa:q.start]
    if _TARGET.search(window) or re.search(r"目标(?:为|是|：|:)", before) or \
            (re.search(r"目标", before) and re.match(r"\s*(?:左右|以上|以内|以下|[-—～~])", after)):
        return "target"
    if _SHARE.search(window):
        return "change" if q.kind in ("pp", "bp") and _DIRECTION.search(window) else "share"
    if q.kind in ("pp", "bp"):
        moved = _DIRECTION.search(window) or _OTHER_BASE.search(window) or _YOY.search(window) or _GROWTH.search(window)
        return "change" if moved or re.search(r"变化|变动", window) else "level"
    if q.kind == "percent" and _GROWTH.search(window):
        return "change" if _OTHER_BASE.search(window) and not _YOY.search(window) else "yoy"
    if _YOY.search(window):
        return "yoy" if q.kind == "percent" else "change"
    if q.kind in ("money", "count", "magnitude") and \
            re.search(r"(?:增加|减少|多增|少增|净增|下降|增长|提高|降低|上调|下调|提升|多|少)\s*$", window):
        return "change"
    return "level"


def direction_of(text: str, cs: int, q: Quantity) -> str | None:
    found = list(_DIRECTION.finditer(text, cs, q.start))
    if not found:
        return None
    up = found[-1]["up"] is not None
    return "down" if not up or q.value < 0 else "up"  # 增长 -5.1% went down


@dataclass(frozen=True, slots=True)
class Item:
    """What a 分别 list gives one of its values: its own phrase, period or region where the text lists them."""

    indicator: str = ""
    period: Period | None = None
    region: str | None = None
    clause: int = 0  # where the clause holding 分别 starts: its 同比增长 applies to every value


_SEP = re.compile(r"、|以及|和|与|及")
_QUARTERS = re.compile(r"(?:四|4)\s*个季度|各季度")


def enumerated_items(text: str, sa: int, qs: list[Quantity], periods: list[Period],
                     regs: list[tuple[int, int, str]], carried: Period | None = None) -> dict[int, Item]:
    """分别 lists: 居民和企业部门债务分别同比增长 3.4%和 7.0%, 1 月与 10 月…分别为 1.84、2.88, 重庆、广西…分别下调
    6、5 个百分点. Values map to the listed items, periods or regions in order when the counts agree."""
    out: dict[int, Item] = {}
    for m in re.finditer("分别", text[sa:qs[-1].start] if qs else ""):
        p = sa + m.start()
        idx = _value_run(text, p, qs)
        if len(idx) < 2:
            continue
        n = len(idx)
        cs = clause_start(text, sa, p, _LIST_BOUNDARY)
        clause = cs
        if not clean_phrase(re.sub(_YOY.pattern, "", text[cs:p])):  # 分别 opens its clause: items are in the one before
            cs = clause_start(text, sa, max(sa, cs - 1), _LIST_BOUNDARY)
        head = text[cs:p]
        in_head = [r for r in regs if cs <= r[0] and r[1] <= p]
        regions = [r[2] for r in in_head] if len(in_head) == n else [None] * n
        listed = _period_list(text, sa, p, periods)
        if len(listed) != n:  # 贵州和天津分别于2月和3月发行325亿元和201亿元: the periods follow 分别
            listed = _run([x for x in periods if p <= x.start and x.end <= qs[idx[0]].start], text) or listed
        if not listed and re.search(r"同期|同时期|上述期间", text[sa:p]):
            listed = _same_period(text, sa, n, carried)  # 2022－2024年…。同期，…分别为81.18%、85.94%和88.12%
        if len(listed) == 1 and (m2 := re.fullmatch(r"(\d{4})-(\d{4})", listed[0].template)) \
                and int(m2[2]) - int(m2[1]) + 1 == n:  # 2021~2024年…分别上升 0.8、3.6、5.3 和 6.1
            listed = [Period(listed[0].start, listed[0].end, str(y)) for y in range(int(m2[1]), int(m2[2]) + 1)]
        if len(listed) != n and n == 4 and _QUARTERS.search(head):
            listed = [Period(p, p, f"{{y}}Q{k}") for k in range(1, 5)]
        plist = listed if len(listed) == n else [None] * n
        names = [x[-24:] for x in _items(_QUARTERS.sub("", indicator_from(text, cs, p, periods, regs, 200)))
                 if not _MOVE_ONLY.match(x)]
        if len(names) == 1 and n == 2 and re.search(r"城乡(?=居民|常住居民)", names[0]):
            names = [names[0].replace("城乡", "城镇", 1), names[0].replace("城乡", "农村", 1)]  # 城乡 = 城镇和农村
        if regions[0] or len(names) != n:
            common = (names[0] if len(names) == 1 else "") or indicator_from(text, p + 2, qs[idx[0]].start, periods, regs)
            names = [common] * n
        for k, i in enumerate(idx):
            out[i] = Item(names[k], plist[k], regions[k], clause)
    return out


_RUN_SEP = re.compile(r"\s*(?:左右|以上|以下|以内)?\s*(?:[、，,和与及]|以及)\s*")  # 4%左右和6%左右


def _value_run(text: str, p: int, qs: list[Quantity]) -> list[int]:
    """Indices of the values a 分别 at p governs: the first after it in the same clause, then each joined by 、和与及."""
    first = next((i for i, q in enumerate(qs) if q.start > p), None)
    if first is None or re.search(r"[，,；;。]", text[p:qs[first].start]):
        return []
    run = [first]
    while run[-1] + 1 < len(qs) and _RUN_SEP.fullmatch(text[qs[run[-1]].unit_end:qs[run[-1] + 1].start]):
        run.append(run[-1] + 1)
    return run


def _same_period(text: str, sa: int, n: int, carried: Period | None) -> list[Period]:
    """What 同期 refers to: the latest year range of n years written in the paragraph before (or the carried
    period)."""
    para = max(text.rfind("\n", 0, sa) + 1, sa - 600)
    for x in reversed(find_periods(text, para, sa)):
        if (m := re.fullmatch(r"(\d{4})-(\d{4})", x.template)) and int(m[2]) - int(m[1]) + 1 == n:
            return [x]
    return [carried] if carried is not None else []


def _period_list(text: str, sa: int, p: int, periods: list[Period]) -> list[Period]:
    """The last run of periods before p joined by 、和与及 (2022 年和 2023 年, 1 月与 10 月)."""
    return _run([x for x in periods if sa <= x.start and x.end <= p], text)


def _run(before: list[Period], text: str) -> list[Period]:
    """The last run of these periods joined by 、和与及."""
    run: list[Period] = []
    for x in before:
        if run and re.fullmatch(r"\s*(?:[、和与及]|以及)\s*", text[run[-1].end:x.start]):
            run.append(x)
        else:
            run = [x]
    return run


def _items(head: str) -> list[str]:
    """居民和企业部门债务 -> 居民部门债务, 企业部门债务: earlier items borrow the head noun of the last one."""
    names = [x for x in (clean_phrase(n) for n in _SEP.split(head)) if x]
    if len(names) < 2:
        return names
    last = names[-1]
    out = []
    for x in names[:-1]:
        tail = next((last[j:] for k in range(min(len(x), len(last)), 0, -1)
                     for j in [last.find(x[-k:]) + k] if last.find(x[-k:]) >= 0), None)
        if tail is None and len(x) == 2 and len(names) == 2:  # 城镇和农村居民人均可支配收入, 资产、负债总额
            tail = last[2:]
        if tail is None and len(x) <= 3 and not x.endswith(_HEADS):  # 蔬菜、水果、中草药材产量 -> 蔬菜产量
            tail = next((h for h in _HEADS if last.endswith(h)), "")
        out.append(x + (tail or ""))
    return out + [last]
