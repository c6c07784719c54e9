"""Heading hierarchy of a cleaned report: 一、/（一）/ 1. / 1.1, 专栏 boxes, 附录 and the 脚注 block."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.types import Section

FOOTNOTES_TITLE = "脚注"  # the line clean() puts before the lifted footnotes

_CN = "一二三四五六七八九十"
_CN_VALUE = {c: i for i, c in enumerate(_CN, 1)}
# Tried in order, so that "2.1 " is read as level 4 before "2." as level 3.
_NUMBERED = (
    # "二、三季度", "一、二线城市" open a sentence, not a section
    (1, re.compile(rf"^([{_CN}]{{1,3}})、(?![{_CN}][、季线])")),
    (2, re.compile(rf"^[（(]([{_CN}]{{1,3}})[）)]")),
    # "2.1 按项目…" needs the space, and no unit after it: "10.1 个百分点" goes on a sentence
    (4, re.compile(r"^\d{1,2}\.(\d{1,2})\s+(?![\d个万亿%倍年月日元家只笔人次项条件台座所户]|bp)(?=\S)")),
    (4, re.compile(r"^[（(](\d{1,2})[）)]")),
    (3, re.compile(r"^(\d{1,2})[.．、](?![\d%])\s*(?=\S)")),
)
_BOX = re.compile(rf"^专栏\s*([\d{_CN}]+)")
_APPENDIX = re.compile(rf"^附\s*录(?:\s*[\d{_CN}]+)?(?:[：:\s]|$)")
_TOC_ENTRY = re.compile(r"(?:\t|\.{3,}|…{2,}|·{3,})\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")  # leader + page number
_TOC_TITLE = re.compile(r"^(?:内容|图表|表格|插图)?目\s*录$|^contents$", re.I)
_PAGE_TAIL = re.compile(r"(?:\s|\.{2,}|…+|·{2,})(?:-\s*)?\d{1,3}(?:\s*-)?$")
_STOP = re.compile(r"[。！？!?；;]")
_MAX_TITLE = 60  # longer lines are paragraphs that happen to start with a number
_MAX_RUN_IN = 32  # longest first sentence taken as a heading title


@dataclass(frozen=True, slots=True)
class Marker:
    """The numbering that opens a heading: level, its number in the series, and its kind."""

    level: int
    number: int
    kind: str = "numbered"  # numbered, box (专栏), appendix (附录), notes (脚注)


def _number(token: str) -> int:
    if token.isdigit():
        return int(token)
    if len(token) == 1:
        return _CN_VALUE.get(token, 0)
    tens, _, ones = token.partition("十")  # 十一 = 11, 二十 = 20, 二十三 = 23
    return (_CN_VALUE.get(tens, 1) if tens else 1) * 10 + (_CN_VALUE.get(ones, 0) if ones else 0)


def heading_marker(line: str) -> Marker | None:
    """The heading numbering a line starts with, if any (the line may still be a paragraph)."""
    s = line.strip()
    if m := _BOX.match(s):
        return Marker(1, _number(m.group(1)), "box")
    if _APPENDIX.match(s):
        return Marker(1, 0, "appendix")
    for level, pattern in _NUMBERED:
        if m := pattern.match(s):
            return Marker(level, _number(m.group(1)))
    return None


def toc_flags(lines: list[str]) -> list[bool]:
    """Which lines belong to a table of contents: dot-leader or tab entries ending in a page
    number, and the page-numbered lines (with their short group labels) under a 目录 line."""
    flags, in_toc = [], False
    for raw in lines:
        s = raw.strip()
        if _TOC_TITLE.match(s):
            in_toc = True
        elif in_toc and s and not (_PAGE_TAIL.search(s) or len(s) <= 4 or "\t" in raw):
            in_toc = False
        flags.append(bool(s) and (in_toc or bool(_TOC_ENTRY.search(s))))
    return flags


def heading_title(line: str) -> tuple[Marker, str] | None:
    """(marker, title) when a line is a heading; a run-in heading's title is its first sentence."""
    if "\t" in line or _TOC_ENTRY.search(line):  # table rows and contents entries
        return None
    s = line.strip()
    marker = heading_marker(s)
    if marker is None:
        return None
    stop = _STOP.search(s)
    if stop is None:  # a heading line without a sentence stop
        title = s if len(s) <= _MAX_TITLE else None
    else:  # "2. 市场销售加快恢复。" or run-in "1.固定资产投资稳中有进。2024 年…": the first sentence
        title = s[:stop.start()] if s[stop.start()] == "。" and stop.start() <= _MAX_RUN_IN else None
    if title is None:
        return None
    return (marker, title) if marker.kind != "numbered" or len(title) >= 4 else None  # not a bare "1."


def _follows(last: dict[int, int], m: Marker) -> bool:
    return m.number == last.get(m.level, 0) + 1


def _advance(last: dict[int, int], m: Marker) -> None:
    for level in [k for k in last if k > m.level]:
        del last[level]
    last[m.level] = m.number


def _headings(text: str) -> list[tuple[int, Marker, str]]:
    found, pos = [], 0
    lines = text.split("\n")
    toc = toc_flags(lines)
    for i, line in enumerate(lines):
        nxt = lines[i + 1][:1] if i + 1 < len(lines) else ""
        if line == FOOTNOTES_TITLE and nxt and nxt in "¹²³⁴⁵⁶⁷⁸⁹⁰":
            found.append((pos, Marker(1, 0, "notes"), line))
        elif not toc[i] and (h := heading_title(line)) is not None:
            found.append((pos, *h))
        pos += len(line) + 1
    return found


def find_sections(text: str) -> tuple[Section, ...]:
    """Sections of the cleaned text, in order.

    A 专栏 is a box inside the running section: the headings in it restart their
    numbering (一、 again), so they nest under the box instead of closing the
    outer sections. The box ends at the first heading that continues the outer
    numbering but not the box's own, or at 专栏/附录/脚注.
    """
    heads = _headings(text)
    box: int | None = None
    box_last: dict[int, int] = {}
    outer_last: dict[int, int] = {}
    owner: list[int | None] = []  # index of the box holding each heading
    box_end: dict[int, int] = {}
    for i, (start, m, _) in enumerate(heads):
        leaves_box = m.kind != "numbered" or (_follows(outer_last, m) and not _follows(box_last, m))
        if box is not None and leaves_box:
            box_end[box], box = start, None
        if m.kind == "box":
            box, box_last = i, {}
            owner.append(None)
        elif box is not None:
            owner.append(box)
            _advance(box_last, m)
        else:
            owner.append(None)
            if m.kind == "numbered":
                _advance(outer_last, m)
            else:  # 附录 and 脚注 restart the numbering below them
                outer_last = {1: 0}
    if box is not None:
        box_end[box] = len(text)

    sections = []
    stacks: dict[int | None, list[tuple[int, str]]] = {None: []}  # open (level, title) per container
    box_path: dict[int, tuple[str, ...]] = {}
    for i, (start, m, title) in enumerate(heads):
        if m.kind == "box":
            path = tuple(t for _, t in stacks[None]) + (title,)
            box_path[i], stacks[i] = path, []
            sections.append(Section(title, 1, start, box_end[i], path))
            continue
        where = owner[i]
        stack = stacks[where]
        while stack and stack[-1][0] >= m.level:
            stack.pop()
        stack.append((m.level, title))
        prefix = box_path[where] if where is not None else ()
        limit = box_end[where] if where is not None else len(text)
        end = next((heads[j][0] for j in range(i + 1, len(heads))
                    if owner[j] == where and heads[j][1].kind != "box" and heads[j][1].level <= m.level), limit)
        sections.append(Section(title, m.level, start, min(end, limit), prefix + tuple(t for _, t in stack)))
    return tuple(sections)
