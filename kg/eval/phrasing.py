"""Surface forms an analyst types for a period, a region, an indicator and a question word (synthetic questions)."""
from __future__ import annotations

import re

_CN_QUARTER = "一二三四"
_CN_HALF = {"H1": "上半年", "H2": "下半年"}
_UNIT_PAREN = re.compile(r"[（(][^（）()]{0,12}[)）]")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、]\s*|其中[:：]?)")
# five-year plans by their years: a report says “十四五”时期 for 2021-2025
_PLANS = {(1996, 2000): "九五", (2001, 2005): "十五", (2006, 2010): "十一五", (2011, 2015): "十二五",
          (2016, 2020): "十三五", (2021, 2025): "十四五", (2026, 2030): "十五五"}
_QUALIFIERS = ("人民币", "本外币", "外币", "中长期", "短期", "新增", "累计", "余额", "同比")
_COUNT_UNITS = ("个", "家", "项", "户", "次", "批", "所", "座")


def period_forms(period: str, cumulative: bool = False, stock: bool = False) -> tuple[str, ...]:
    """Ways to write a normalised Figure.period; () when it is one we do not phrase (ranges, empty).

    cumulative: the figure counts from January (a 累计 column), so 1-8月 is how it is asked;
    stock: a balance at a date (余额), so 8月末 is a natural form."""
    if m := re.fullmatch(r"(\d{4})", period):
        y = m.group(1)
        return (f"{y}年", f"{y[2:]}年", y, f"{y}年全年")
    if m := re.fullmatch(r"(\d{4})Q([1-4])", period):
        y, q = m.group(1), int(m.group(2))
        cn = _CN_QUARTER[q - 1]
        return (f"{y}年{cn}季度", f"{y}年第{cn}季度", f"{y}Q{q}", f"{y[2:]}年Q{q}", f"{y}年{q}季度",
                f"{y[2:]}年{cn}季度")
    if m := re.fullmatch(r"(\d{4})-(\d{2})", period):
        y, mo = m.group(1), int(m.group(2))
        if cumulative and mo == 12:
            return (f"{y}年", f"{y}年全年", f"{y[2:]}年全年", f"{y}年1-12月")
        if cumulative and mo > 1:
            return (f"{y}年1-{mo}月", f"{y[2:]}年1-{mo}月", f"{y}年1至{mo}月", f"{y}年前{_cn_count(mo)}个月")
        forms = [f"{y}年{mo}月", f"{y[2:]}年{mo}月", f"{y}年{mo}月份"]
        if stock:
            forms += [f"{y}年{mo}月末", f"{y[2:]}年{mo}月底"]
        return tuple(forms)
    if m := re.fullmatch(r"(\d{4})年末", period):
        y = m.group(1)
        return (f"{y}年末", f"{y}年底", f"{y[2:]}年末", f"{y[2:]}年底", f"{y}末")
    if m := re.fullmatch(r"(\d{4})-(\d{4})", period):
        a, b = m.groups()
        forms = [f"{a}-{b}年", f"{a}至{b}年", f"{a}～{b}年"]
        if plan := _PLANS.get((int(a), int(b))):
            forms += [f"“{plan}”时期", f"{plan}期间", f"“{plan}”期间", f"{plan}时期"]
        return tuple(forms)
    if m := re.fullmatch(r"(\d{4})年初", period):
        return (f"{m.group(1)}年初", f"{m.group(1)[2:]}年初")
    if m := re.fullmatch(r"(\d{4})Q1-Q([2-4])", period):
        y, q = m.group(1), int(m.group(2))
        return (f"{y}年前{_CN_QUARTER[q - 1]}季度", f"{y[2:]}年前{_CN_QUARTER[q - 1]}季度", f"{y}年1-{3 * q}月")
    if m := re.fullmatch(r"(\d{4})(H[12])", period):
        y, h = m.group(1), _CN_HALF[m.group(2)]
        return (f"{y}年{h}", f"{y[2:]}年{h}")
    return ()


def _cn_count(n: int) -> str:
    digits = "零一二三四五六七八九十"
    return digits[n] if n <= 10 else "十" + digits[n - 10]


def region_forms(name: str, full_name: str) -> tuple[str, ...]:
    """The short and the full name (辽宁, 辽宁省), once each."""
    return tuple(dict.fromkeys(x for x in (name, full_name) if x))


def clean_header(h: str) -> str:
    """A header as a reader would repeat it: no ordinal (一、 其中：), no unit in brackets, no spaces."""
    h = _ORDINAL.sub("", h.strip())
    h = _UNIT_PAREN.sub("", h)
    return re.sub(r"\s+", "", h)


def indicator_forms(indicator: str, synonyms: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The indicator as extracted, and with a concept label swapped for another label of the same concept."""
    base = re.sub(r"\s+", "", indicator)
    out = [base]
    for label in sorted(synonyms, key=len, reverse=True):
        if label in base:
            # an alt label that contains the label, or names a currency, term or flow the label does not, adds a
            # qualifier (各项贷款 -> 本外币各项贷款, 各项贷款余额 -> 人民币贷款): not the same figure in a table
            out += [base.replace(label, alt, 1) for alt in synonyms[label]
                    if label not in alt and not any(w in alt and w not in label for w in _QUALIFIERS)]
            break
    return tuple(dict.fromkeys(x for x in out if x))


def measure_suffix(indicator: str, measure: str, direction: str | None, unit: str,
                   small: bool = False) -> tuple[str, ...]:
    """What follows the indicator to make it a question about this kind of figure (several ways)."""
    has_rate = re.search(r"增速|增长率|增幅|同比|增长|下降|上升|提高|回落", indicator)
    if measure == "yoy" and not has_rate:
        return ("同比增长多少", "增速是多少", "同比增速为多少", "增长了多少")
    if measure == "target" and "目标" not in indicator:
        return ("目标是多少", "的目标为多少", "预期目标是多少")
    if measure == "share" and not re.search(r"占比|比重|占", indicator):
        return ("占比是多少", "占比多少")
    if measure == "change" and unit == "个百分点" and not has_rate:
        verb = {"up": "上升", "down": "下降"}.get(direction or "", "变化")
        return (f"{verb}了多少个百分点", f"{verb}多少个百分点")
    words = ["是多少", "多少", "为多少", "是多少？"]
    if unit in _COUNT_UNITS and small:  # 几 asks for a small count
        words.append(f"有几{unit}" if unit != "个" else "有几个")
    return tuple(words)
