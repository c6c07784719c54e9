"""Enumerations: `一是…二是…`, `（1）…（2）…`, `①…②…`, `——` lines after a `：` head, `X包括A、B和C`, `A、B、C等“三大工程”`,
`A、B、C“三本账”`, `三公经费（A、B、C）` and definitions whose body lists as many items as the term counts (“两新”：是指A和B), each
attached to the term it enumerates, with the exact span of every item.

Precision first: a list needs a term (a head clause ending in `：`, a quoted term, a number+noun such as 三大工程);
when the text announces a count (三种方式, 9个大的方向, “五个更加注重”) the items found must match it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.clauses import (COUNT, NUM, chunk_for, clean_term, count_word, number, split_items, term_count,
                                term_key, trim)
from kg.extract.definitions import Found as Def
from kg.types import Chunk, Enumeration, content_id

_ORDINAL = re.compile(r"(?<![第统唯])([一二三四五六七八九十]{1,2})是")
_PAREN_NO = re.compile(r"[（(](\d{1,2})[）)]")
_CIRCLED = re.compile(r"[①-⑳]")
_DASH_LINE = re.compile(r"^[ \t]*——", re.M)
_INCLUDE = re.compile(r"(?<![不未])包括(?:了)?\s*")
_ETC = re.compile(rf"等\s*(“[^”]{{2,12}}”|{NUM}\s*(?:个|项|类|大|种|条|件|方面)[^，,。；;、\s（(]{{0,8}})")
_LIST_END = re.compile(r"[，,。；;：:\n\t]|等|在内")
_VERB = (r"推进|推动|加快|加强|实施|支持|发展|完善|深化|开展|聚焦|围绕|落实|做好|抓好|实现|培育|打造|涵盖|涉及|突破|"
         r"提出|下达|印发|发行|建设|推出|扩大|拓展|壮大|提升|优化|对于|关于|例如|比如|包括")
_VERB_RE = re.compile(_VERB)
_NOUN_STOP = re.compile(rf"(?:{_VERB}|而言|来说|的|和|为|在|中|是)")
_PARA_END = re.compile(r"[。！？!?\n]")


@dataclass(frozen=True, slots=True)
class Found:
    term: tuple[int, int]
    items: tuple[tuple[int, int], ...]
    kind: str
    count_word: str = ""


def _head(text: str, pos: int) -> tuple[int, int] | None:
    """The clause a list hangs from: the text before `：` that ends right before pos (past `**` and spaces)."""
    i = pos
    while i > 0 and (text[i - 1].isspace() or text[i - 1] == "*"):
        i -= 1
    if i == 0 or text[i - 1] not in "：:":
        return None
    start = i - 1
    while start > 0 and text[start - 1] not in "，,。；;：:\n\t！？":
        start -= 1
    return _term(text, start, i - 1)


def _term(text: str, s: int, e: int) -> tuple[int, int] | None:
    """A quoted term that ends the head wins (做到“五个更加注重”); else the head itself, up to 30 characters."""
    s, e = trim(text, s, e)
    q = re.search(r"“([^”]{2,12})”$", text[s:e])
    if q:  # 做到“五个更加注重”：; not 我市“十五五”时期的主要目标：
        return s + q.start(1), s + q.end(1)
    if (cop := re.search(r"(?:主要)?(?:是|为|有|包括|如下)$", text[s:e])) and cop.start() >= 3:
        e = s + cop.start()  # 今年发展主要预期目标是： -> 今年发展主要预期目标
    if e - s > 30:
        s = e - 30
    t = clean_term(text, s, e) if e - s <= 24 else (s, e)
    if t is None and (when := re.match(r"今年|去年|明年|目前|当前", text[s:e])):
        t = clean_term(text, s + when.end(), e)  # a time word opens a head, never a definition's term
        t = (s, t[1]) if t else None
    return t if t and _named(text[t[0]:t[1]]) else None


def _named(term: str) -> bool:
    """A head names something: three characters at least, or a count (两类); not 内容, 考虑, 分为."""
    return len(re.sub(r"\s", "", term)) >= 3 or COUNT.search(term) is not None


def _sequence(text: str, first: re.Match, pattern: re.Pattern, value, limit: int = 3000) -> list[re.Match]:
    """Markers numbered 1, 2, 3 … after the first, each within `limit` characters of the one before."""
    seq, want = [first], 2
    pos = first.end()
    while True:
        m = pattern.search(text, pos, min(len(text), pos + limit))
        while m and value(m) != want:
            if value(m) == 1:
                return seq
            m = pattern.search(text, m.end(), min(len(text), pos + limit))
        if m is None:
            return seq
        seq.append(m)
        pos, want = m.end(), want + 1


def _marked(text: str, pattern: re.Pattern, value, kind: str, item_end: re.Pattern) -> list[Found]:
    out = []
    for first in pattern.finditer(text):
        if value(first) != 1:
            continue
        seq = _sequence(text, first, pattern, value)
        if len(seq) < 2:
            continue
        items = []
        for k, m in enumerate(seq):
            stop = item_end.search(text, m.end())
            e = stop.start() if stop else len(text)
            if k + 1 < len(seq):
                e = min(e, seq[k + 1].start())
            bold = text.rfind("**", max(0, m.start() - 2), m.end() + 2) >= 0
            if bold and (b := text.find("**", m.end() + 2, e)) > 0:
                e = b  # **一是建立地方融资平台**，通过…: the bold words are the item
            items.append(trim(text, m.end(), e))
        term = _head(text, first.start())
        if term is None or any(e <= s for s, e in items):
            continue
        out.append(_checked(text, term, items, kind))
    return [f for f in out if f]


def _checked(text: str, term: tuple[int, int], items: list[tuple[int, int]], kind: str,
             count_text: str | None = None) -> Found | None:
    """The list, when the count it announces (in count_text, or in the term) matches the items."""
    head = text[term[0]:term[1]] if count_text is None else count_text
    cw = count_word(head)
    n = term_count(term_key(head)) if cw is None else cw[1]
    if n is not None and n != len(items):
        return None
    return Found(term, tuple(items), kind, cw[0] if cw else "")


def _dashes(text: str) -> list[Found]:
    """Lines opening with —— under a head line ending in `：`; each item runs to its first `。`."""
    out, seen = [], set()
    for m in _DASH_LINE.finditer(text):
        if m.start() in seen:
            continue
        lines = [m]
        while (nxt := _DASH_LINE.match(text, text.find("\n", lines[-1].end()) + 1)) and nxt.start() > lines[-1].end():
            lines.append(nxt)
        seen.update(x.start() for x in lines)
        term = _head(text, m.start())
        if term is None or len(lines) < 2:
            continue
        items = [trim(text, x.end(), _PARA_END.search(text, x.end()).start()) for x in lines]
        if (f := _checked(text, term, items, "dash")) is not None:
            out.append(f)
    return out


def _semicolons(text: str) -> list[Found]:
    """`今年发展主要预期目标是：A；B；C。`: three or more items between `；`, after a head ending in `：`, to the stop."""
    out = []
    for m in re.finditer(r"[：:]", text):
        stop = _PARA_END.search(text, m.end())
        e = stop.start() if stop else len(text)
        if text.count("；", m.end(), e) < 2 or re.match(r"\s*\**\s*(?:[①（(]|一是)", text[m.end():e]):
            continue  # fewer than three items, or a marked list (read above)
        term = _head(text, m.end())
        spans, p = [], m.end()
        for k in re.finditer("；", text[m.end():e]):
            spans.append(trim(text, p, m.end() + k.start()))
            p = m.end() + k.end()
        spans.append(trim(text, p, e))
        if any(re.match(r"[①-⑳]|[（(]\d{1,2}[）)]|[一二三四五六七八九十]是", text[a:b]) for a, b in spans):
            continue
        if term and all(0 < b - a <= 80 for a, b in spans) and (f := _checked(text, term, spans, "semicolon")):
            out.append(f)
    return out


def _includes(text: str) -> list[Found]:
    """`X包括A、B和C`, `X（包括A和B）`: the list runs to the next comma, 等 or sentence end."""
    out = []
    for m in _INCLUDE.finditer(text):
        e, end = _list_end(text, m.end())
        if end == "在内":
            continue  # 包括A、B在内的多个省份: the term is a phrase after the list, left alone
        last = re.search(rf"(?:等)?\s*{NUM}\s*(?:个|项|类|种|条|家)[^、]{{0,6}}$", text[m.end():e])
        count = text[m.end() + last.start():e] if last else None
        items = split_items(text, m.end(), m.end() + last.start() if last else e)
        term = _include_term(text, m.start())
        if items and term and (f := _checked(text, term, items, "include", count)) is not None:
            out.append(f)
    return out


def _list_end(text: str, pos: int) -> tuple[int, str]:
    """Where a 包括 list stops: the first comma, stop, 等 or 在内 outside brackets, or a bracket it did not open."""
    depth = 0
    for i in range(pos, len(text)):
        c = text[i]
        if c in "（(":
            depth += 1
        elif c in "）)":
            if depth == 0:
                return i, c
            depth -= 1
        elif depth == 0 and (m := _LIST_END.match(text, i)):
            return i, m.group()
    return len(text), ""


def _include_term(text: str, pos: int) -> tuple[int, int] | None:
    i = pos
    if i > 0 and text[i - 1] in "（(":  # 消费性贷款（包括房贷和普通消费贷）
        i -= 1
    s = i
    while s > 0 and text[s - 1] not in "，,。；;：:\n\t（(":
        s -= 1
    if text[s:i].strip(" *"):
        t = clean_term(text, *_after_verb(text, s, i))
        return t if t and _named(text[t[0]:t[1]]) and not re.search(r"主要|分别|还|也", text[t[0]:t[1]][-2:]) else None
    if s > 0 and text[s - 1] in "，,":  # “六横”指六个横向输水大动脉，包括…: the quoted term of the clause before
        p = s - 1
        while p > 0 and text[p - 1] not in "，,。；;：:\n\t":
            p -= 1
        q = re.search(r"“([^”]{2,12})”", text[p:s])
        return (p + q.start(1), p + q.end(1)) if q else None
    return None


def _etcs(text: str) -> list[Found]:
    """`推进A、B、C等“三大工程”`, `A、B等6个重大科技专项`: the term follows 等; a leading verb leaves the first item."""
    out = []
    for m in _ETC.finditer(text):
        s = m.start()
        while s > 0 and text[s - 1] not in "，,。；;：:\n\t（(":
            s -= 1
        items = split_items(text, s, m.start())
        if items:
            items[0] = _after_verb(text, *items[0])
        term_s, term_e = m.span(1)
        if text[term_s] == "“":
            term_s, term_e = term_s + 1, term_e - 1
        elif (stop := _NOUN_STOP.search(text, COUNT.match(text, term_s).end(), term_e)) is not None:
            term_e = stop.start()  # 8个重点县建设露地冬季蔬菜 -> 8个重点县
        if items and term_count(term_key(text[term_s:term_e])) is not None and term_e - term_s >= 2 \
                and (f := _checked(text, (term_s, term_e), items, "etc")) is not None:
            out.append(f)
    return out


_QUOTED = re.compile(r"(?<=[\u4e00-\u9fff])“([^”]{2,12})”")


def _quoted_counts(text: str) -> list[Found]:
    """`算好财力、空间、环境“三本账”`, `电动汽车、锂电池、光伏产品“新三样”`: a list right before a quoted term
    that counts it (without 等); the count must match the items."""
    out = []
    for m in _QUOTED.finditer(text):
        if term_count(term_key(m.group(1))) is None:
            continue
        s = m.start()
        while s > 0 and text[s - 1] not in "，,。；;：:\n\t（(":
            s -= 1
        items = split_items(text, s, m.start())
        if not items or len(items) < 2:
            continue
        items[0] = _after_verb(text, *items[0])
        if (f := _checked(text, m.span(1), items, "etc")) is not None:
            out.append(f)
    return out


def _after_verb(text: str, s: int, e: int) -> tuple[int, int]:
    """成都有序推进保障性住房建设 -> 保障性住房建设, 在册亨 -> 册亨: what follows the last verb or a leading
    preposition, when something does."""
    for v in reversed(list(_VERB_RE.finditer(text, s, e))):
        if e - v.end() >= 2:
            return v.end(), e
    if (p := re.match(r"[在对从向将把]", text[s:e])) and e - s - p.end() >= 2:
        return s + p.end(), e
    return s, e


def _framed(text: str, term: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """重大慢性病综合防治早预防、早干预、早发现、早诊治工程 for “四早”工程: when the inner items are alike (same
    length L, same first character), the first item keeps its last L characters from that character on and the
    last loses the word the term closes with (工程), each only if that leaves L characters."""
    inner = items[1:-1]
    lengths = {e - s for s, e in inner}
    heads = {text[s] for s, _ in inner}
    if len(inner) < 2 or len(lengths) != 1 or len(heads) != 1:
        return items
    n, head = lengths.pop(), heads.pop()
    (fs, fe), (ls, le) = items[0], items[-1]
    if fe - fs > n and text[fe - n] == head:
        fs = fe - n
    tail = re.search(r"[\u4e00-\u9fff]{2}$", term)
    if tail and le - ls == n + 2 and text[ls:le].endswith(tail.group()):
        le -= 2
    return [(fs, fe), *inner, (ls, le)]


def _parens(text: str) -> list[Found]:
    """`三公经费（因公出国（境）费、公务用车购置及运行费、公务接待费）`: a counted term and its items in brackets."""
    out = []
    for m in re.finditer(rf"(“[^”]{{2,12}}”|(?<![\d一二三四五六七八九十两]){NUM}[个项类大种条件公新重][\u4e00-\u9fff]{{1,6}})[（(]",
                         text):
        depth, i = 1, m.end()
        while i < len(text) and depth and text[i] not in "。\n":
            depth += {"（": 1, "(": 1, "）": -1, ")": -1}.get(text[i], 0)
            i += 1
        if depth:
            continue
        s, e = m.span(1)
        if text[s] == "“":
            s, e = s + 1, e - 1
        items = split_items(text, m.end(), i - 1)
        if items and term_count(text[s:e]) == len(items):
            out.append(Found((s, e), tuple(items), "paren"))
    return out


def from_definitions(text: str, defs: list[Def]) -> list[Found]:
    """A definition whose term counts its items: “两新”：是指A和B; 新时代“六地”是指A、B、…; “一案两书”，即《A》、《B》与《C》."""
    out = []
    for d in defs:
        n = term_count(term_key(text[d.term[0]:d.term[1]]))
        if n is None or n < 2:
            continue
        stop = re.search(r"[，,；;。]", text[d.body[0]:d.body[1]])
        items = split_items(text, d.body[0], d.body[0] + stop.start() if stop else d.body[1])
        if items and len(items) == n:
            items = _framed(text, text[d.term[0]:d.term[1]], items)
            out.append(Found(d.term, tuple(items), "definition"))
    return out


def find_enumerations(text: str, defs: list[Def] = ()) -> list[Found]:
    """Every enumeration in the text; one per (term, first item)."""
    found = from_definitions(text, list(defs))
    found += _marked(text, _ORDINAL, lambda m: number(m.group(1)), "ordinal", _PARA_END)
    found += _marked(text, _PAREN_NO, lambda m: int(m.group(1)), "numbered", _PARA_END)
    found += _marked(text, _CIRCLED, lambda m: ord(m.group()) - ord("①") + 1, "circled", _PARA_END)
    found += _dashes(text) + _semicolons(text) + _includes(text) + _etcs(text) + _quoted_counts(text) + _parens(text)
    seen: dict[int, Found] = {}
    for f in found:
        seen.setdefault(f.items[0][0], f)
    return sorted(seen.values(), key=lambda f: (f.items[0], f.term))


def enumerations(doc_id: str, text: str, chunks: tuple[Chunk, ...], defs: list[Def] = (),
                 concept=None) -> tuple[Enumeration, ...]:
    ordered = sorted(chunks, key=lambda c: (c.kind != "text", c.start, c.end))
    out = []
    for f in find_enumerations(text, defs):
        lo, hi = min(f.term[0], f.items[0][0]), max(f.term[1], f.items[-1][1])
        chunk = chunk_for(ordered, lo, hi)
        if chunk is None:
            continue
        term = text[f.term[0]:f.term[1]]
        key = term_key(term)
        out.append(Enumeration(content_id("enum", doc_id, *f.term, *(x for s in f.items for x in s)), doc_id,
                               chunk.id, term, f.term, f.items, tuple(text[s:e] for s, e in f.items), f.kind,
                               f.count_word, key, concept(key) if concept else None))
    return tuple(out)
