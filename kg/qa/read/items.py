"""The items a question lists (A和B分别, A和B without 分别, A和B哪个高) and the words that name each one."""
from __future__ import annotations

import re

from kg.extract.numbers import find_periods
from kg.qa.read.asked_periods import BARE_YEAR, prepare

# Normalised like Table.label: 表3, 附录表2, 附表1, 图表43, and the chapter-numbered 表1-1 / 表5-10 of budget books
TABLE_REF = re.compile(r"(附录表|附表|图表|表)\s*(\d{1,3})(?:\s*[-－—–]\s*(\d{1,3}))?")
SUM = re.compile(r"加起来|加在一起|之和|一共|总共|共计|合起来")


_JOINED = re.compile(r"([^，,？?；;：:]+?(?:和|与|及)[^，,？?；;：:和与及、]+?)(?:分别|各|是|为)*(?:多少|几)?[？?。]?$")


def joined_names(t: str, gazetteer) -> list[tuple[str, str]]:
    """年末常住人口和城镇化率 / 酒店经营收入和毛利率: two indicators joined without 分别, each a name of two
    characters or more (not places or years: 辽宁和山西, 2019年和2020年)."""
    m = _JOINED.search(t)
    if not m:
        return []
    a, b = re.split(r"和|与|及", m.group(1), maxsplit=1)
    if len(label(a, gazetteer)) < 2 or len(label(b, gazetteer)) < 2:
        return []
    return [(a, a), (b, b)]


def listed(t: str, gazetteer) -> list[tuple[str, str]]:
    """(ask text, label source) per item: A和B分别是多少; also A和B是多少 where both sides name an indicator of
    their own (当年末限额A和上年末限额B)."""
    m = re.search(r"([^，,？?；;：:]+?)(?:分别|各自|各)[^，,？?；;]{0,6}?(?:多少|几)", t)
    loose = m is None
    m = m or re.search(r"([^，,？?；;：:]+?和[^，,？?；;：:]+?)(?:是|为)(?:多少|几)", t)
    if not m:
        return []
    # 城乡居民…分别: the urban and the rural figure (城乡 is 城镇和农村 in statistics)
    head = m.group(1) if loose else re.sub(r"城乡(?=居民|常住居民)", "城镇和农村", m.group(1), count=1)
    parts = [p for p in re.split(r"和|与|及|以及|、", head) if p.strip()]
    if len(parts) < 2 or (loose and not all(_parallel(parts[0], p) for p in parts[1:])):
        return []  # without 分别, only parallel items (当年末限额A和上年末限额B), not 教学和智库建设 in one name
    labels = [label(p, gazetteer) for p in parts]
    if any(len(x) < 2 for x in labels):
        return []  # 2019年、2020年各发了多少: periods or regions, handled one by one elsewhere
    # 城镇和农村居民收入: the short side shares the longer side's head (城镇居民收入)
    last = parts[-1]
    parts = [p + last[len(x):] if len(x) <= 3 < len(last) - len(x) + 1 and i < len(parts) - 1
             else p for i, (p, x) in enumerate(zip(parts, labels))]
    # …分别要增长多少: each item takes the predicate after 分别 (要增长: a growth target), not into its label
    said = re.sub(r"^(?:分别|各自|各)|(?:是|为)?(?:多少|几)[^，,？?；;]*$", "", t[m.end(1):m.end()]) if not loose else ""
    return [(p + said, p) for p in parts]


def _parallel(a: str, b: str) -> bool:
    """Two items of one kind end alike: a two-character word near both ends (限额A / 限额B, 出口额 / 进口额)."""
    a, b = (re.sub(r"[A-Za-z\d]$|[为是的]+$", "", x.strip()) for x in (a, b))
    return any(a[-4:][i:i + 2] in b[-4:] for i in range(len(a[-4:]) - 1))


def label(text: str, gazetteer) -> str:
    """An ask's indicator words: without region, period, table reference or the possessive."""
    t = prepare(text)
    for s, e, _ in sorted(gazetteer.find_regions(t), reverse=True):
        t = t[:s] + t[e:]
    for p in sorted(find_periods(t), key=lambda p: -p.start):
        t = t[:p.start] + t[p.end:]
    t = SUM.sub("", TABLE_REF.sub("", t))
    return re.sub(r"[\s：:（）()的“”]|时期|期间|(?:是|为)$", "", BARE_YEAR.sub("", t))


def side_label(text: str, gazetteer) -> str:
    """A side's indicator words as an answer names them (出口 of 2024年出口比进口多多少), at most 12 characters."""
    t = re.sub(r"[？?。，,]|(?:是|为|的)?(?:多少|几)$", "", text)
    t = label(re.sub(r"^(?:那么|那|而|又)", "", t), gazetteer)
    return t if len(t) <= 12 else ""


_OPTIONS = re.compile(r"([^，,？?；;：:]+?(?:和|与|、)[^，,？?；;：:]+?)(?:两者|二者|两项|这两个|两个)?(?:中|里|之中)?(?:哪个|哪一个|谁)")


def indicator_options(t: str, gazetteer) -> tuple[str, ...]:
    """A和B哪个高 where A and B are indicators, not places or years: each option as a question of its own
    (the words before and after the pair kept), the shorter sharing the longer one's head (城镇居民 → 城镇居民收入)."""
    m = _OPTIONS.search(t)
    if not m:
        return ()
    parts = re.split(r"和|与|、", m.group(1))
    labels = [label(p, gazetteer) for p in parts]
    if len(parts) < 2 or any(len(x) < 2 for x in labels):
        return ()
    last = labels[-1]
    labels = [x + last[len(x):] if len(x) < len(last) and any(x[-2:][i:] and x[-2:] in last[:len(x) + 1]
                                                                for i in range(1)) else x for x in labels]
    lead = parts[0][:parts[0].find(label(parts[0], gazetteer)[:2])] if label(parts[0], gazetteer)[:2] in parts[0] else ""
    return tuple(f"{x}\t{lead}{x}{t[m.end(1):]}" for x in labels)
