"""Numbers, units and periods as Chinese reports write them: shared by sentence and table-cell extraction."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from kg.types import Document

# Full-width digits, signs and percent become ASCII one character for one, so every regex below can run on
# fold(text) and its offsets still index the original text.
_FOLD = str.maketrans("０１２３４５６７８９．，－＋％−–", "0123456789.,-+%--")


def fold(text: str) -> str:
    """Same length as text: full-width digits/signs to ASCII, so offsets carry over unchanged."""
    return text.translate(_FOLD)


@lru_cache(maxsize=64)
def _folded(text: str) -> str:
    """fold() of a whole document once, not once per sentence (str caches its hash, so a hit is cheap)."""
    return fold(text)


_MAG = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4}
# Base units after an optional magnitude. Counted things keep multiplier 1 (a 户 is a 户), money in 元.
_MONEY = ("美元", "欧元", "港元", "日元", "元")
_COUNTS = ("人次", "千瓦时", "千瓦", "平方公里", "平方米", "立方米", "公里", "标准箱", "标箱", "个月", "微克/立方米", "户", "人", "笔", "个",
           "家", "只", "件", "项", "座", "所", "套", "辆", "台", "张", "吨", "亩", "斤", "头", "艘", "架", "条", "名",
           "位", "批", "次", "处", "宗", "本", "期", "年", "天", "岁", "公顷", "EFLOPS", "Eflops", "PFLOPS", "PFlops")
# Units that take no magnitude; the multiplier turns the value into a plain fraction.
_PLAIN = {"个百分点": 0.01, "个基点": 1e-4, "个bp": 1e-4, "个BP": 1e-4, "百分点": 0.01, "%": 0.01, "‰": 0.001, "bp": 1e-4, "BP": 1e-4, "基点": 1e-4, "倍": 1.0}
_KIND = {"%": "percent", "‰": "percent", "个百分点": "pp", "百分点": "pp", "个基点": "bp", "个bp": "bp", "个BP": "bp", "bp": "bp", "BP": "bp", "基点": "bp",
         "倍": "ratio"}

_alt = lambda words: "|".join(sorted(map(re.escape, words), key=len, reverse=True))  # noqa: E731
_UNIT = re.compile(rf"(?P<plain>{_alt(_PLAIN)})|(?P<mag>{_alt(_MAG)})?(?:余|多)?(?P<base>{_alt(_MONEY + _COUNTS)})?"
                   r"(?P<per>/(?:年|月|日|天|人|户|吨|亩|平方米|立方米|千瓦时|度|斤|公斤))?")
# A value: not glued to a letter, digit, '/' or '.' on its left (Q1, G20, 2014/9/21, 1.2.3), thousands commas
# only in groups of three. A minus sign counts only where no digit precedes it: 5-6% is a range, not 5 and -6.
_NUMBER = re.compile(r"(?<![A-Za-z0-9./])(?P<sign>[-+](?=\d))?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d.]*(?:/|(?!bp|BP)[A-Za-z]))")
_RANGE_LEFT = re.compile(r"[\d%‰元点]\s*$")  # 5%-6%, 1-2个百分点: what a range dash follows
_GAP = re.compile(r"[ \t\u3000]*(?:\n[ \t\u3000]*){0,2}")  # a PDF line join may sit between a value and its unit
_NOT_DURATION = re.compile(r"\s*(?:期|代|级|度|底|末|初|前|后|中|以来|内|来|新高|新低|最高|最低|之最)")
_APPROX = re.compile(r"(?:近|约|大约|接近|将近|超过|超|逾|达|达到)\s*$")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit: [start, end) is the value as written, [unit_start, unit_end) the unit."""

    start: int
    end: int
    text: str
    value: float
    unit: str  # as written, spaces dropped, ％ -> %; "" when the number stands alone
    multiplier: float
    kind: str  # money, percent, pp, bp, ratio, count, duration, magnitude, none
    unit_start: int
    unit_end: int
    approx: bool = False  # 近/约/超过 before it: the report rounds


def parse_number(s: str) -> float | None:
    """'1,234.5' -> 1234.5, '－0.8' -> -0.8, '１５００' -> 1500.0; anything else (—, '-', '未完成') -> None."""
    t = fold(s.strip()).replace(",", "").rstrip("%")
    if not re.fullmatch(r"[-+]?\d+(?:\.\d+)?", t):
        return None
    return float(t)


def find_quantities(text: str, start: int = 0, end: int | None = None, *, bare: bool = True) -> list[Quantity]:
    """Every number in text[start:end] with the unit that follows it; years (2024年) and dates are not numbers.

    bare=False drops numbers with no unit. A range (5-6%, 5%—6%) gives two quantities with the same unit.
    """
    end = len(text) if end is None else end
    f = _folded(text)
    out: list[Quantity] = []
    for m in _NUMBER.finditer(f, start, end):
        s = m.start()
        if m["sign"] and _RANGE_LEFT.search(f[max(0, s - 3):s]):
            s += 1  # '1-2': the hyphen joins, it is not a minus
        num = m["num"]
        if _is_year(f, m.end(), num) or _is_date_part(f, s, m.end()):
            continue
        gap = _GAP.match(f, m.end(), end)
        u = _UNIT.match(f, gap.end(), end)
        unit, mult, kind = _unit(u)
        if kind == "duration" and (_NOT_DURATION.match(f, u.end()) or float(num.replace(",", "")) >= 1000):
            unit, mult, kind = "", 1.0, "none"  # 10年期, 2000年代: a label, not a length of time
        if unit and re.match(r"\s*级", f[u.end():u.end() + 2]):
            unit, mult, kind = "", 1.0, "none"  # 30万吨级航道, 百亿级: a size class, not an amount
        if re.search(r"第\s*$", f[max(0, s - 2):s]):
            continue  # 第2位, 第一批: a rank
        if not unit:
            gap = None
        value = float(f[s:m.end()].replace(",", ""))
        ustart, uend = (u.start(), u.end()) if unit else (m.end(), m.end())
        out.append(Quantity(s, m.end(), text[s:m.end()], value, unit, mult, kind, ustart, uend,
                            bool(_APPROX.search(f[max(0, s - 4):s]))))
    _share_range_units(f, out)
    return [q for q in out if bare or q.unit]


def unit_end(text: str, pos: int, unit: str) -> int:
    """Where the unit written after a value ends (spaces may sit inside it: 亿 元)."""
    i = pos
    for ch in unit:
        while i < len(text) and text[i] in " \t":
            i += 1
        if i < len(text) and fold(text[i]) == ch:
            i += 1
    return i


def unit_info(unit: str) -> tuple[float, str] | None:
    """(multiplier, kind) of a unit written on its own, as table headers do: '亿元' -> (1e8, 'money'); None if unknown."""
    u = fold(unit.strip()).replace(" ", "")
    m = _UNIT.fullmatch(u)
    if not u or m is None:
        return None
    _, mult, kind = _unit(m)
    return mult, kind


def _unit(u: re.Match) -> tuple[str, float, str]:
    if u["plain"]:
        w = u["plain"]
        return w, _PLAIN[w], _KIND[w]
    mag, base = u["mag"], u["base"]
    if not mag and not base:
        return "", 1.0, "none"
    mult = _MAG.get(mag or "", 1.0)
    if base in _MONEY:
        kind = "money"
    elif base in ("年", "天", "个月"):
        kind = "duration"
    elif base:
        kind = "count"
    else:
        kind = "magnitude"  # 1.4万亿 with the noun left implicit
    return (mag or "") + (base or "") + (u["per"] or "" if base else ""), mult, kind


def _is_year(f: str, end: int, num: str) -> bool:
    """2024年 / 2024 年 / 2015-2022年 are periods; 2024 followed by Q1 or /03 too."""
    if not re.fullmatch(r"(?:19|20)\d\d", num):
        return False
    rest = f[end:end + 12]
    return bool(re.match(r"\s*(?:年|[Qq][1-4]|/\d|[-—–~至到]\s*(?:19|20)\d\d\s*年)", rest))


def _is_date_part(f: str, s: int, e: int) -> bool:
    """A piece of 2023-10-12, 2014/9/21 or 1-11月: only whole numbers with units are figures."""
    if re.match(r"\s*[-—–~至到]?\s*\d{1,2}\s*月|\s*月|\s*日|\s*号|\s*时|/", f[e:e + 8]):
        return True
    return bool(re.search(r"(?:19|20)\d\d\s*年\s*$|[/〔\[【]\s*$", f[max(0, s - 7):s]))


def _share_range_units(f: str, qs: list[Quantity]) -> None:
    """5-6%, 5至6个百分点, 0.6、1.0和 2.1个百分点, 0.33 个和 0.50 个百分点: earlier values take the last one's unit."""
    i = 0
    while i < len(qs):
        j = i
        while j + 1 < len(qs) and _LIST_SEP.fullmatch(f[qs[j].unit_end:qs[j + 1].start]) \
                and (not qs[j].unit or qs[j].unit == "个" == qs[j + 1].unit[:1]):
            j += 1
        last = qs[j]
        for k in range(i, j):
            a = qs[k]
            if not a.unit or (a.unit == "个" and last.unit == "个百分点"):
                qs[k] = Quantity(a.start, a.end, a.text, a.value, last.unit, last.multiplier, last.kind,
                                 a.unit_start, a.unit_end, a.approx)  # the unit is written once, after the last
        i = j + 1


_LIST_SEP = re.compile(r"\s*(?:左右|以上|以下|以内)?\s*(?:[-—–~至到、和与及或]|以及)\s*")


# ---- periods -----------------------------------------------------------------------------------------------

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11,
       "十二": 12}
_Q = r"(?:第\s*)?(?P<q>[一二三四1-4])\s*季度(?P<qend>末|底)?"
_M = r"(?P<m1>1[0-2]|0?[1-9])(?:\s*[-—–~至到]\s*(?P<m2>1[0-2]|0?[1-9]))?\s*月(?P<mend>末|底|份)?"
_SUFFIX = (rf"(?:{_Q}|(?P<h>上|下)半年(?P<hend>末)?|前\s*(?P<qq>[一二三])\s*季度|{_M}|(?P<yend>末|底)|(?P<ystart>初)"
           r"|(?P<full>全年))")
_YEAR = r"(?<!\d)(?P<y>(?:19|20)\d\d)"
_PERIOD = re.compile(
    rf"{_YEAR}\s*年?\s*[-—–~至到]\s*(?P<y2>(?:19|20)\d\d)\s*年"  # 2015-2022年, 2015年至2022年
    rf"|{_YEAR.replace('<y>', '<yq>')}\s*(?P<qn>[Qq][1-4])"  # 2024Q1
    rf"|{_YEAR.replace('<y>', '<ys>')}/(?P<slash>1[0-2]|0?[1-9])(?![\d/])"  # 2023/03
    rf"|{_YEAR.replace('<y>', '<yy>')}\s*年\s*{_SUFFIX.replace('(?P<', '(?P<a_')}?"  # 2024年, 2024 年四季度末
    rf"|(?<![\d第年上去前当明今本])(?:{_SUFFIX.replace('(?P<yend>末|底)', '年(?P<yend>末|底)').replace('(?P<ystart>初)', '年(?P<ystart>初)')})"
    r"|[“\"]?(?P<plan>十[三四五六])五[”\"]?"
    r"|(?<![比较])(?P<rel>今年|本年|去年|上年|前年|明年|过去一年)(?P<relend>末|底)?(?!同期)"
    r"|(?P<rel5>过去五年|近五年|五年来)")
_RELATIVE = {"去年": -1, "过去一年": -1, "前年": -2, "明年": 1}  # from the report's date; 上年 from its context
_PLANS = {"三": "2016-2020", "四": "2021-2025", "五": "2026-2030", "六": "2031-2035"}
_BASELINE = re.compile(r"(?:比|较|从|自|由|同|与|相比|低于|高于|超过|快于|慢于|以来)\s*$")


@dataclass(frozen=True, slots=True)
class Period:
    """A period expression at [start, end). template has {y} where a year is still missing (三季度末 -> {y}Q3)."""

    start: int
    end: int
    template: str
    closing: bool = False  # 末/底: a stock at the end of the period, not a flow over it
    relative: int | None = None  # 今年 0, 去年 -1, 明年 1: counted from the document's own year, not the context's
    length: int = 1  # years from the relative one on: 过去五年 is relative -5, length 5 (2021-2025 in 2026)
    shift: int = 0  # 上年: the year before the one the text is about (a 2023 communiqué's 上年末 is 2022年末)

    @property
    def complete(self) -> bool:
        return "{y}" not in self.template

    def resolve(self, year: int | None, doc_year: int | None = None) -> str:
        """The normalised period, filling a missing year; '' when it needs one and none is known."""
        if self.complete:
            return self.template
        if self.relative is not None:
            year = doc_year + self.relative if doc_year else None
            if year and self.length > 1:
                return f"{year}-{year + self.length - 1}"
        elif self.shift and year:
            year += self.shift
        return self.template.format(y=year) if year else ""

    @property
    def year(self) -> int | None:
        m = re.match(r"(?:19|20)\d\d", self.template)
        return int(m.group()) if m else None


def find_periods(text: str, start: int = 0, end: int | None = None) -> list[Period]:
    """Every period expression in text[start:end], in order."""
    end = len(text) if end is None else end
    f = _folded(text)
    return [p for m in _PERIOD.finditer(f, start, end) if (p := _period(m)) is not None]


def _period(m: re.Match) -> Period | None:
    g = {k: v for k, v in m.groupdict().items() if v}
    s, e = m.start(), m.end()
    if "rel5" in g:
        return Period(s, e, "{y}", False, -5, 5)
    if "rel" in g:
        template = "{y}年末" if "relend" in g else "{y}"
        if g["rel"] == "上年":
            return Period(s, e, template, "relend" in g, None, 1, -1)
        return Period(s, e, template, "relend" in g, _RELATIVE.get(g["rel"], 0))
    if "plan" in g:  # 十四五 names a five-year plan period
        return Period(s, e, _PLANS[g["plan"][1]])
    if "y2" in g:
        return Period(s, e, f"{g['y']}-{g['y2']}")
    if "qn" in g:
        return Period(s, e, f"{g['yq']}Q{g['qn'][1]}")
    if "slash" in g:
        return Period(s, e, f"{g['ys']}-{int(g['slash']):02d}")
    y = g.get("yy", "{y}")
    a = {k.removeprefix("a_"): v for k, v in g.items() if k != "yy"}
    if "q" in a:
        return Period(s, e, f"{y}Q{_CN.get(a['q']) or int(a['q'])}", "qend" in a)
    if "h" in a:
        return Period(s, e, f"{y}H{1 if a['h'] == '上' else 2}", "hend" in a)
    if "qq" in a:
        return Period(s, e, f"{y}Q1-Q{_CN[a['qq']]}")
    if "m1" in a:
        m1 = int(a["m1"])
        if "m2" in a:
            return Period(s, e, f"{y}-{m1:02d}..{int(a['m2']):02d}")
        return Period(s, e, f"{y}-{m1:02d}", a.get("mend") in ("末", "底"))
    if "yend" in a:
        return Period(s, e, f"{y}年末", True)
    if "ystart" in a:
        return Period(s, e, f"{y}年初")
    if "yy" in g or "full" in a:
        return Period(s, e, y)
    return None


def is_baseline(text: str, p: Period) -> bool:
    """比2023年末 / 从三季度末 / 2020年以来: the period a comparison starts from, not the one a figure belongs to."""
    if re.match(r"\s*(?:以来|起|开始|至今)", text[p.end:p.end + 4]):
        return True
    return bool(_BASELINE.search(text[max(0, p.start - 3):p.start]))


def year_in(text: str) -> int | None:
    """The first year written in a caption or heading (表 1 2024 年…), for periods that state none."""
    m = re.search(r"(?<!\d)((?:19|20)\d\d)\s*年", fold(text))
    return int(m.group(1)) if m else None


def data_year(doc: Document) -> int | None:
    """The year a report's data is about, for periods written without one (三季度末, 全年, 8月).

    Document.year is when it was published: 辽宁省金融运行报告（2025） reports on 2024. The year the text names
    most often, not after the publication year, is a better guess; Document.year when the text names none.
    """
    years = Counter(p.year for p in find_periods(doc.text) if p.year and (doc.year is None or p.year <= doc.year))
    if not years:
        return doc.year
    return max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]
