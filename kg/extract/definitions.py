"""Definitional statements: `X是指…`, `X指…`, `所谓X，是…`, `X，即…`, `…（即X）`, `…（以下简称X）`, `将…称为X`,
`X是…的差额`, `X=A/B`, glossary entries (名词解释) and defining footnotes (脚注), each with the exact spans of term and body.

Precision first: the QA answers `X指什么` from these, so a pattern only fires where the term is a short noun
phrase standing alone (a quoted term, a gazetteer concept, a whole clause) and the body runs to the sentence end.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.clauses import (CJK, CLAUSE_END, SUPERSCRIPT, chunk_for, clause_start, clean_term, sentences, term_key,
                                trim)
from kg.types import Chunk, Definition, content_id

_MEANS = re.compile(r"是指|指的是|意指|(?<![是所意])指(?![出导标引数挥定南明望令向称代示派责控正纹日])")
_ALSO = re.compile(r"所谓\s*([^，,。；]{2,20}?)\s*[，,]\s*(?:就是|是指|是|即|指)")
_IE_PAREN = re.compile(r"[（(]\s*即\s*([^（）()，,。]{2,20}?)\s*[）)]")
_IE = re.compile(r"[，,]?\s*即(?![可使便将刻时期日为予入有])")
_ABBR = re.compile(r"[（(]\s*(?:以下)?(?:简称|下称)\s*[:：]?\s*([^（）()，,。]{1,24}?)\s*[）)]")
_CALLED = re.compile(r"[，,]\s*(?:我们)?将(?:这部分|这些|这类|此类|该类|上述|以上)[^，,。；]{0,8}?(?:称为|称作|定义为|统称为)"
                     r"\s*([^，,。；]{2,16})")
_COPULA_END = re.compile(r"的(?:[^，,。；的]{0,8})?(?:差额|差值|总和|之和|总称|统称|合称|简称|比例|比率|比值|比重|品种|一种|"
                         r"类型|总额|余额|缺口|乘积|商|总量|统计口径|口径|指标|概念)$")
_FORMULA_END = re.compile(r"\*\*|[，,](?=[^=＝]*$)|[=＝]")
_GLOSSARY_HEAD = re.compile(r"^[ \t]*(?:名词解释|名词注释|术语解释|名词说明|注释)[ \t]*[:：]?[ \t]*$", re.M)
_FOOTNOTE_HEAD = re.compile(r"^[ \t]*脚注[ \t]*$", re.M)
_ENTRY = re.compile(r"^[ \t]*(\d{1,3})[.、．]\s*([^：:\n]{1,40}?)\s*[：:]", re.M)
_VERBS = re.compile(r".*(?:印发|发行|设立|成立|开展|实施|推出|出台|制定|选择|建立|组建|提出|发布|启动|采用|推进)")


@dataclass(frozen=True, slots=True)
class Found:
    """A definition in text offsets, before it is given a chunk."""

    term: tuple[int, int]
    body: tuple[int, int]
    kind: str


def _subject(text: str, sa: int, pos: int) -> tuple[int, int] | None:
    """The term before a defining word at pos: the clause before it, or when that is empty (`X是…的一个品种，是指…`,
    `采用定向承销方式发行地方债，是指…`) the sentence's first clause."""
    cs = clause_start(text, sa, pos)
    if text[cs:pos].strip():
        return clean_term(text, cs, pos)
    first_end = CLAUSE_END.search(text, sa, pos)
    if first_end is None:
        return None
    head = text[sa:first_end.start()]
    if (cop := head.find("是")) > 0:
        return clean_term(text, sa, sa + cop)
    return clean_term(text, sa, first_end.start()) if first_end.start() - sa <= 16 else None


def _body(text: str, s: int, e: int, min_len: int = 4) -> tuple[int, int] | None:
    s, e = trim(text, s, e)
    return (s, e) if e - s >= min_len and CJK.search(text[s:e]) else None


def _inline(text: str, sa: int, sb: int) -> list[Found]:
    out: list[Found] = []
    for m in _MEANS.finditer(text, sa, sb):
        bare = m.group() == "指"
        term = _subject(text, sa, m.start())
        body = _body(text, m.end(), sb)
        if term is None or body is None:
            continue
        if bare and (not re.match(r"[\u4e00-\u9fff“《]", text[m.end():m.end() + 1])
                     or "“" not in text[term[0] - 1:term[1] + 1] and clause_start(text, sa, m.start()) != sa):
            continue  # a bare 指 only before words, after a quoted term or a whole-sentence subject (“六横”指…)
        out.append(Found(term, body, "means"))
    for m in _ALSO.finditer(text, sa, sb):
        term, body = clean_term(text, *m.span(1)), _body(text, m.end(), sb)
        if term and body:
            out.append(Found(term, body, "means"))
    for m in _IE_PAREN.finditer(text, sa, sb):
        term = clean_term(text, *m.span(1))
        cs = clause_start(text, sa, m.start())
        body = _body(text, cs, m.start())
        if term and body and body[1] - body[0] <= 40:
            out.append(Found(term, body, "ie"))
    for m in _IE.finditer(text, sa, sb):
        term = _ie_term(text, sa, m.start())
        body = _body(text, m.end(), sb)
        if term and body and not re.match(r"[^，,。]*[=＝<>]", text[body[0]:body[1]]):
            out.append(Found(term, body, "ie"))
    for m in _ABBR.finditer(text, sa, sb):
        term = clean_term(text, *m.span(1)) if m.end(1) - m.start(1) >= 2 else trim(text, *m.span(1))
        body = _abbr_body(text, sa, m.start(), text[term[0]:term[1]] if term else "")
        if term and body and term[1] > term[0]:
            out.append(Found(term, body, "abbreviation"))
    for m in _CALLED.finditer(text, sa, sb):
        when = re.match(r"\s*(?:\d{4}\s*年(?:以来|起|后)?|此后|近年来|目前)\s*[，,]", text[sa:m.start()])
        term, body = clean_term(text, *m.span(1)), _body(text, sa + (when.end() if when else 0), m.start(), 6)
        if term and body:
            out.append(Found(term, body, "called"))
    out += _copula(text, sa, sb)
    out += _formula(text, sa, sb)
    return out


def _formula(text: str, sa: int, sb: int) -> list[Found]:
    """`当年接续率=当年用于偿还到期债券本金的再融资债券发行量/当年地方债到期量`: a clause that opens with a plain term
    and `=`, and an expression with an operator after it."""
    out = []
    for m in re.finditer(r"[=＝]", text[sa:sb]):
        eq = sa + m.start()
        cs = clause_start(text, sa, eq)
        while cs < eq and text[cs] in "*“":
            cs += 1
        if re.search(r"[-+×*/÷（()）=＝<>]", text[cs:eq]):
            continue  # 当年末限额-上年末限额=…: an equation, not a definition
        term = clean_term(text, cs, eq)
        stop = _FORMULA_END.search(text, eq + 1, sb)
        body = _body(text, eq + 1, stop.start() if stop else sb)
        expr = text[body[0]:body[1]] if body else ""
        if term and body and re.search(r"[-+×*/÷]", expr) and re.search(r"[\u4e00-\u9fff]", expr) and len(expr) <= 200:
            out.append(Found(term, body, "formula"))
    return out


def _ie_term(text: str, sa: int, pos: int) -> tuple[int, int] | None:
    """`“一案两书”，即…`, `第一种是总接续率，即…`: a quoted term or `是X` right before 即; nothing else."""
    before = text[sa:pos].rstrip()
    if before.endswith("”") and (q := before.rfind("“")) >= 0:
        return clean_term(text, sa + q, sa + len(before))
    cs = clause_start(text, sa, pos)
    m = re.fullmatch(r"[^，,]*?是\s*([^，,是]{2,10})", text[cs:pos].rstrip())
    return clean_term(text, cs + m.start(1), cs + m.end(1)) if m else None


def _abbr_body(text: str, sa: int, pos: int, term: str = "") -> tuple[int, int] | None:
    """What `（以下简称X）` abbreviates: the 《title》 right before it, else the clause after its last verb."""
    end = pos
    while end > sa and text[end - 1].isspace():
        end -= 1
    if end > sa and text[end - 1] == "》" and (o := text.rfind("《", sa, end)) >= 0:
        return o + 1, end - 1
    cs = clause_start(text, sa, end)
    v = _VERBS.match(text, cs, end)
    body = _body(text, v.end() if v else cs, end, 2)
    return _from_initial(text, body, term) if body and term else body


def _from_initial(text: str, body: tuple[int, int], term: str) -> tuple[int, int]:
    """An abbreviation takes its characters in order from the name it shortens, which starts with its first:
    根据相关监管法规和联合资信评估股份有限公司（以下简称“联合资信”） -> 联合资信评估股份有限公司."""
    key = term_key(term)
    s, e = body
    for p in range(s, e):
        if text[p] == key[:1] and _subsequence(key, text[p:e]):
            return p, e
    return body


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _copula(text: str, sa: int, sb: int) -> list[Found]:
    """`债务限额空间是地方政府债务限额与债务余额之间的差额`: a sentence that opens with `X是`, whose first clause
    ends on a defining noun (差额, 一种, 简称 …)."""
    ce = CLAUSE_END.search(text, sa, sb)
    while ce is not None and ce.group() == " ":
        ce = CLAUSE_END.search(text, ce.end(), sb)
    clause_end = ce.start() if ce else sb
    head = text[sa:clause_end]
    cop = head.find("是")
    if cop <= 0 or head[cop + 1:cop + 2] in ("指", "否", "不", "在", "由", "从", "以", "因", "为", "对", "将"):
        return []
    term = clean_term(text, sa, sa + cop)
    body = _body(text, sa + cop + 1, clause_end)
    if term is None or body is None or not _COPULA_END.search(text[body[0]:body[1]]) or term[1] - term[0] > 16:
        return []
    return [Found(term, body, "is")]


def _glossary(text: str) -> tuple[list[Found], list[tuple[int, int]]]:
    """Numbered entries `1.“两新”：是指…` after a 名词解释 line, each running to the next entry."""
    out, blocks = [], []
    for head in _GLOSSARY_HEAD.finditer(text):
        stop = _FOOTNOTE_HEAD.search(text, head.end())
        end = stop.start() if stop else len(text)
        entries = [m for m in _ENTRY.finditer(text, head.end(), end)]
        entries = [m for k, m in enumerate(entries) if int(m.group(1)) == k + 1]  # 1., 2., 3. in order
        if not entries:
            continue
        for k, m in enumerate(entries):
            e_end = entries[k + 1].start() if k + 1 < len(entries) else _entry_end(text, m.end(), end)
            term = clean_term(text, *m.span(2))
            b0 = m.end()
            lead = re.match(r"\s*(?:是指|指的是|是|指)\s*", text[b0:e_end])
            body = _body(text, b0 + (lead.end() if lead else 0), e_end)
            if term and body:
                out.append(Found(term, body, "glossary"))
        blocks.append((head.start(), _entry_end(text, entries[-1].end(), end)))
    return out, blocks


def _entry_end(text: str, pos: int, limit: int) -> int:
    """The last entry runs to the next blank line or the block's end."""
    m = re.compile(r"\n[ \t]*\n").search(text, pos, limit)
    return m.start() if m else limit


def _footnote_blocks(text: str) -> list[tuple[int, int]]:
    out = []
    for head in _FOOTNOTE_HEAD.finditer(text):
        end = head.end()
        for line in re.finditer(r"[^\n]*\n?", text[head.end():]):
            if line.group().strip() and line.group().lstrip()[:1] not in SUPERSCRIPT:
                break
            end = head.end() + line.end()
        out.append((head.end(), end))
    return out


def find_definitions(text: str) -> list[Found]:
    """Every definition in the text, in order of the term; one per (term, body start)."""
    found, _ = _glossary(text)  # first, so an entry wins over the same definition read inline
    notes = _footnote_blocks(text)
    for sa, sb in sentences(text):
        in_note = any(a <= sa < b for a, b in notes)
        found += [Found(f.term, f.body, "footnote") if in_note else f for f in _inline(text, sa, sb)]
    seen: dict[tuple[str, int], Found] = {}
    for f in found:
        k = (term_key(text[f.term[0]:f.term[1]]), f.body[0])
        seen.setdefault(k, f)
    return sorted(seen.values(), key=lambda f: (f.term, f.body))


def definitions(doc_id: str, text: str, chunks: tuple[Chunk, ...], concept=None,
                found: list[Found] | None = None) -> tuple[Definition, ...]:
    """Definitions with their chunk; concept(label) -> entity id or None links a term to a gazetteer concept.
    found: find_definitions(text) when the caller has it already."""
    ordered = sorted(chunks, key=lambda c: (c.kind != "text", c.start, c.end))
    out = []
    for f in find_definitions(text) if found is None else found:
        lo, hi = min(f.term[0], f.body[0]), max(f.term[1], f.body[1])
        chunk = chunk_for(ordered, lo, hi)
        if chunk is None:
            continue
        term = text[f.term[0]:f.term[1]]
        key = term_key(term)
        out.append(Definition(content_id("def", doc_id, *f.term, *f.body), doc_id, chunk.id, term, f.term,
                              text[f.body[0]:f.body[1]], f.body, f.kind, key,
                              concept(key) if concept else None))
    return tuple(out)
