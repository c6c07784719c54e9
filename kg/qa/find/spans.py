"""Sentences and clauses of the cleaned text as half-open spans, and the words around a value."""
from __future__ import annotations

import re

_SENT_END = re.compile(r"[。！？!?]+[”’」』）)]*|\n\s*\n|\n(?=\S)")
_CLAUSE_END = re.compile(r"[，,；;。！？!?、]|\t|\n")
_BIG_CLAUSE_END = re.compile(r"[；;。！？!?]|\n")
_QUALIFIER = re.compile(r"\s*[”\"’]?\s*(左右|以内|以上|以下|上下|之间|多|余)")
_APPROX = re.compile(r"(近|约|大约|超过|超|逾|接近|将近|不低于|不超过|不少于)\s*[“\"]?\s*$")


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    """The span without surrounding whitespace and list bullets."""
    while s < e and (text[s].isspace() or text[s] in "■●•*"):  # ** is markdown bold some reports keep
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == "*"):
        e -= 1
    return s, e


def sentence_at(text: str, pos: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The sentence holding text[pos], kept within [lo, hi) (a table cell, a chunk)."""
    hi = len(text) if hi is None else hi
    s = lo
    for m in _SENT_END.finditer(text, lo, pos):
        s = m.end()
    m = _SENT_END.search(text, pos, hi)
    e = m.end() if m else hi
    return trim(text, s, e)


def sentences(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Every sentence of text[lo:hi] as a trimmed span."""
    out, s = [], lo
    for m in _SENT_END.finditer(text, lo, hi):
        span = trim(text, s, m.end())
        if span[1] > span[0]:
            out.append(span)
        s = m.end()
    span = trim(text, s, hi)
    if span[1] > span[0]:
        out.append(span)
    return out


def clause_at(text: str, start: int, end: int, lo: int, hi: int, big: bool = False) -> tuple[int, int]:
    """The clause around text[start:end], between punctuation (，；、 or, with big, only ；。), within [lo, hi).
    Brackets are kept whole: a boundary inside （…） does not end the clause."""
    boundary = _BIG_CLAUSE_END if big else _CLAUSE_END
    s = lo
    depth = 0
    for i in range(start - 1, lo - 1, -1):
        ch = text[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                s = i + 1
                break
            depth -= 1
        elif depth == 0 and boundary.match(ch):
            s = i + 1
            break
    e = hi
    depth = 0
    for i in range(end, hi):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0:
                e = i
                break
            depth -= 1
        elif depth == 0 and boundary.match(ch):
            e = i
            break
    return trim(text, s, e)


def qualifier_after(text: str, pos: int) -> str:
    """左右 / 以内 / 以上 written right after a value's unit: part of what the report says."""
    m = _QUALIFIER.match(text, pos)
    return m.group(1) if m else ""


def approx_before(text: str, pos: int) -> str:
    """近 / 约 / 超过 right before a value."""
    m = _APPROX.search(text, max(0, pos - 6), pos)
    return m.group(1) if m else ""
