"""Clause and term boundaries, counts and list items in Chinese text: what definitions and enumerations share."""
from __future__ import annotations

import re

from kg.types import Chunk

# A sentence ends at 。！？；, a line end, or a tab (table cells); definitions never cross one.
_SENT_END = re.compile(r"[。！？!?；;\n\t]")
CLAUSE_END = re.compile(r"[，,：:、（）()\t\n]")  # not spaces: PDF text spaces out numbers (2023 年)
_LEAD = re.compile(r"(?:[\s*#>\-—·•]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|[\[【［]\d{1,3}[\]】］]|\d{1,3}[.、．](?!\d)|[（(]\d{1,2}[）)]|[①-⑳]|"
                   r"其中|所谓|主要|具体|而|但|即|这里|此处|本文|本报告|通常|一般而言|上述|此外|同时|另外|因此|所以|[一二三四五六七八九十]是)+")
_TRAIL = re.compile(r"(?:[\s*，,：:]|一词|这一概念|概念)+$")
_BAD_TERM = re.compile(r"[，,。；;！？=<>＝%]|我们|认为|可以|应当|需要|通过|^[\d.]+$|^[这那此该它他她]|^(?:第|今年|去年|目前|当前)")
CJK = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{1,16})[”\"」』]")
SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
NUM = r"(?:\d{1,3}|[一二三四五六七八九十两]{1,3})"
COUNT = re.compile(rf"({NUM})\s*(?:个|项|类|大|种|条|件|方面|部分|点|地|书|化|新|重)")
_MAX_ITEM = 30


def term_key(term: str) -> str:
    """Lookup form of a term: the quoted core when there is one (新时代“六地” -> 六地), without spaces or quotes."""
    q = _QUOTED.search(term)
    core = q.group(1) if q and len(q.group(1)) >= 2 else term
    return re.sub(r"[\s“”\"「」『』《》*]", "", core)


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Whitespace, markdown stars and outer quotes off both ends of text[s:e]."""
    while s < e and (text[s].isspace() or text[s] in "*"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "*，,。；;：:" + SUPERSCRIPT):
        e -= 1
    if e - s >= 2 and text[s] in "“\"「『《" and text[e - 1] in "”\"」』》" and not _has_quote(text[s + 1:e - 1]):
        s, e = s + 1, e - 1
    return s, e


def _has_quote(inner: str) -> bool:
    return any(c in inner for c in "“”\"「」『』《》")


def clean_term(text: str, s: int, e: int) -> tuple[int, int] | None:
    """The term inside text[s:e]: numbering, footnote marks and connectives off the front; None if not a term."""
    m = _LEAD.match(text, s, e)
    if m:
        s = m.end()
    t = _TRAIL.search(text[s:e])
    if t:
        e = s + t.start()
    s, e = trim(text, s, e)
    term = text[s:e]
    if not (2 <= len(term.replace(" ", "")) <= 24) or _BAD_TERM.search(term) or not CJK.search(term):
        return None
    if term.count("“") != term.count("”") or term.count("《") != term.count("》"):
        return None
    return s, e


def sentences(text: str, start: int = 0, end: int | None = None):
    end = len(text) if end is None else end
    s = start
    for m in _SENT_END.finditer(text, start, end):
        if m.start() > s:
            yield s, m.start()
        s = m.end()
    if s < end:
        yield s, end


def clause_start(text: str, sa: int, pos: int) -> int:
    """Start of the clause that ends at pos: after the last comma, colon, bracket or space before it."""
    i = pos
    depth = 0
    while i > sa:
        c = text[i - 1]
        if c in "”》":
            depth += 1
        elif c in "“《":
            depth -= 1
        elif depth <= 0 and CLAUSE_END.match(c):
            return i
        i -= 1
    return sa


def chunk_for(chunks: list[Chunk], s: int, e: int) -> Chunk | None:
    """The first text chunk holding [s, e), else the one overlapping it most."""
    best, overlap = None, 0
    for c in chunks:
        if c.start <= s and e <= c.end:
            return c
        o = min(e, c.end) - max(s, c.start)
        if o > overlap:
            best, overlap = c, o
    return best


def number(word: str) -> int | None:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十 -> 20, 两 -> 2, 9 -> 9; None for what is not a number (十十)."""
    if word.isdigit():
        return int(word)
    m = re.fullmatch(r"([一二三四五六七八九两]?)十([一二三四五六七八九]?)|([零一二三四五六七八九两])", word)
    if m is None:
        return None
    if m.group(3):
        return _CN_DIGIT[m.group(3)]
    return (_CN_DIGIT[m.group(1)] if m.group(1) else 1) * 10 + (_CN_DIGIT[m.group(2)] if m.group(2) else 0)


def term_count(key: str) -> int | None:
    """What a numbered term counts: 三大工程 3, 一案两书 1+2, 五个更加注重 5; None without a numeral."""
    if len(key) > 10:
        return None
    runs = [number(m) for m in re.findall(r"\d{1,3}|[一二三四五六七八九十两]{1,3}", key)]
    return sum(runs) if runs and None not in runs else None


def count_word(text: str) -> tuple[str, int] | None:
    m = COUNT.search(text)
    if m and (n := number(m.group(1))) is not None:
        return m.group(), n
    return None


def split_items(text: str, s: int, e: int) -> list[tuple[int, int]] | None:
    """`A、B和C` -> [A, B, C] as spans; None when an item is empty, too long or holds a comma."""
    parts, p, depth = [], s, 0
    for i in range(s, e):  # 、 inside brackets or quotes separates nothing: 批发业企业（单位、个体户）
        c = text[i]
        depth += (c in "（(“《[【") - (c in "）)”》]】")
        if c == "、" and depth <= 0:
            parts.append((p, i))
            p = i + 1
    parts.append((p, e))
    a, b = parts[-1]
    last = list(re.finditer(r"以及|和|与|及", text[a:b]))  # not 或: 债务和或有债务
    if last:
        m = last[-1]
        if m.start() > 0 and m.end() < b - a:
            parts[-1:] = [(a, a + m.start()), (a + m.end(), b)]
    out = [trim(text, x, y) for x, y in parts]
    if len(out) < 2 or any(y - x < 1 or y - x > _MAX_ITEM or re.search(r"[，,。；;：:]", text[x:y]) for x, y in out):
        return None
    return out
