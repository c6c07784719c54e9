"""Lines around tables: classify each line of cleaned text, group tab rows into blocks, read captions and trailers."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Kinds a table may run across: the cleaner leaves blank lines between PDF lines, and raw
# input still has footnotes and page numbers between the rows of one table.
SKIP = frozenset({"blank", "footnote", "page"})

_WS = " \t\u3000\xa0\r"
_FOOTNOTE = re.compile(r"^\s*[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_PAGE = re.compile(r"^\s*(?:[-–—]?\s*\d{1,3}\s*[-–—]?|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?)\s*$")
# 表3 / 附表1-2 / 图表5, and as budget books and workbooks number them: 表一 (then a space), 附件1
CAPTION = re.compile(r"^\s*(附录\s*)?(图表|附表|附件|表)\s*(\d+(?:[-－—–]\d+)?|[一二三四五六七八九十百]+(?=\s))"
                     r"(?:\s*[:：•·]\s*|\s+|$|(?=[\u4e00-\u9fff]))(.*)$")
_UNIT = re.compile(r"^\s*(?:计量)?单位\s*[:：]\s*(.+?)\s*$")
_NOTE = re.compile(r"^\s*注\s*\d*\s*[:：]")
_NUMBERED_NOTE = re.compile(r"^\s*注\s*[:：]\s*(\d+)\s*[.、．]")
# "源:" is a source line whose first character was lost at a page edge (004 图表 66).
_SOURCE = re.compile(r"^\s*(?:数据来源|资料来源|来源|源)\s*[:：]")
_APPENDIX = re.compile(r"^\s*(?:[一二三四五六七八九十]+、\s*)?附\s*录")
_TERMINAL = "。！？；!?;"

# Table-of-contents cues: page-number cells, dot leaders, heading-shaped entries.
_TOC_PAGE = re.compile(r"^[-–—]?\s*(\d{1,3})\s*[-–—]?$")
_DOTS = re.compile(r"(?:\.{3,}|…{2,}|·{3,})")
_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十]+[章节部分]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]"
    r"|\d+(?:\.\d+)*\s*[、.．]|专栏\s*\d|附\s*录|图表\s*\d|图\s*\d|附表\s*\d|表\s*\d)")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the text: its half-open span (without the newline) and what it is."""

    start: int
    end: int
    text: str
    kind: str  # blank, row, footnote, page, caption, unit, note, source, appendix, text


@dataclass(frozen=True, slots=True)
class RawCell:
    """A tab-separated cell: its stripped value and that value's span in the text."""

    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Caption:
    text: str  # caption as written, a two-line caption joined
    label: str  # "表1", "图表28", "附表1" (appendix prefix added by the caller)
    unit: str  # from a 单位： line between caption and table
    start: int  # where the table's span begins (caption, else unit line)


@dataclass(frozen=True, slots=True)
class Trailer:
    source: str
    notes: tuple[str, ...]
    end: int  # end of the last source / note line, or -1 when there is none


def _kind(text: str) -> str:
    s = text.strip(_WS)
    if not s:
        return "blank"
    if "\t" in text:
        return "row"
    if _FOOTNOTE.match(s):
        return "footnote"
    if _PAGE.match(s):
        return "page"
    if CAPTION.match(s) and len(s) <= 100 and not s.endswith("。"):
        return "caption"
    if _UNIT.match(s):
        return "unit"
    if _NOTE.match(s):
        return "note"
    if _SOURCE.match(s):
        return "source"
    if _APPENDIX.match(s) and len(s) <= 30:
        return "appendix"
    return "text"


def split_lines(text: str) -> list[Line]:
    """Every line of text with its span and kind; spans exclude the newline (and a trailing CR)."""
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        body_end = end - 1 if raw.endswith("\r") else end
        out.append(Line(pos, body_end, text[pos:body_end], _kind(raw)))
        pos = end + 1
    return out


def split_row(line: Line) -> tuple[RawCell, ...]:
    """Cells of a tab row, each value stripped of surrounding spaces, with its exact span."""
    cells: list[RawCell] = []
    pos = line.start
    for part in line.text.split("\t"):
        lead = len(part) - len(part.lstrip(_WS))
        value = part.strip(_WS)
        start = pos + lead if value else pos
        cells.append(RawCell(value, start, start + len(value)))
        pos += len(part) + 1
    return tuple(cells)


def find_blocks(lines: list[Line]) -> list[list[int]]:
    """Runs of row lines (indices) that only skippable lines separate."""
    blocks: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if line.kind == "row":
            current.append(i)
        elif line.kind not in SKIP and current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def is_toc(lines: list[Line], block: list[int]) -> bool:
    """A contents list: entries ending in non-decreasing page numbers, shaped like headings or with dot leaders."""
    entries = [[c.value for c in split_row(lines[i]) if c.value] for i in block]
    pages: list[int] = []
    for vals in entries:
        m = _TOC_PAGE.match(vals[-1]) if len(vals) == 2 else None
        if m:
            pages.append(int(m.group(1)))
    if not pages or 3 * len(pages) < 2 * len(entries):
        return False
    if any(a > b for a, b in zip(pages, pages[1:])):
        return False
    cued = sum(1 for v in entries if _DOTS.search(v[0]) or _HEADING.match(v[0]))
    return 2 * cued >= len(entries) or _contents_heading_before(lines, block[0])


def _contents_heading_before(lines: list[Line], first: int) -> bool:
    seen = 0
    for line in reversed(lines[:first]):
        if line.kind in SKIP:
            continue
        if "目录" in line.text and len(line.text.strip()) <= 10:
            return True
        seen += 1
        if seen >= 4:
            return False
    return False


def mergeable_gap(lines: list[Line], a_last: int, b_first: int) -> bool:
    """Lines between two blocks that a page break could leave (a short running header), nothing a table owns."""
    gap = [l for l in lines[a_last + 1:b_first] if l.kind not in SKIP]
    return len(gap) <= 2 and all(l.kind == "text" and len(l.text.strip(_WS)) <= 30 for l in gap)


def caption_before(lines: list[Line], first: int) -> Caption | None:
    """The caption (and 单位： line) directly above a table; only skippable lines may come between."""
    unit, unit_start, tail = "", -1, ""
    i = first - 1
    while i >= 0:
        line = lines[i]
        s = line.text.strip(_WS)
        if line.kind in SKIP:
            pass
        elif line.kind == "unit" and not unit:
            unit, unit_start = _UNIT.match(s).group(1), line.start
        elif line.kind == "caption":
            m = CAPTION.match(s)
            label = ("附录" if m.group(1) else "") + m.group(2) + m.group(3)
            return Caption(s + tail, label, unit, line.start)
        elif line.kind == "text" and not tail and _caption_tail(s):
            tail = s  # second line of a caption broken over two lines, e.g. "统计表"
        elif line.kind == "text" and _TITLE.match(s):
            return Caption(s + tail, "", unit, line.start)  # a title with no 表N: 2024年…决算情况表
        else:
            break
        i -= 1
    if unit:
        return Caption("", "", unit, unit_start)
    return None


# a table's own title line that carries no 表N label, as budget tables and workbook sheets are often titled
_TITLE = re.compile(r"^[^。，,；;：:！？]{4,60}(?:表|明细|一览|清单|情况)[）)]?$")


def _caption_tail(s: str) -> bool:
    return len(s) <= 12 and not any(ch in s for ch in "。，,：:；")


def trailer_after(lines: list[Line], last: int) -> Trailer:
    """The 注： lines and the first 来源 line that follow a table, in either order."""
    source, notes, end = "", [], -1
    expect = 0  # next number of a numbered note ("注：1." then "2." ...), 0 when none
    i = last + 1
    while i < len(lines):
        line = lines[i]
        s = line.text.strip(_WS)
        if line.kind in SKIP:
            i += 1
            continue
        if line.kind == "source" and not source:
            source, end, expect = s, line.end, 0
        elif line.kind == "note":
            notes.append(s)
            end = line.end
            m = _NUMBERED_NOTE.match(s)
            expect = int(m.group(1)) + 1 if m and not source else 0
        elif expect and re.match(rf"^{expect}\s*[.、．]", s):
            notes.append(s)
            end, expect = line.end, expect + 1
        else:
            break
        i += 1
    return Trailer(source, tuple(notes), end)


def appendix_start(lines: list[Line]) -> int:
    """Index of the first appendix heading (附录), or len(lines) when there is none."""
    for i, line in enumerate(lines):
        if line.kind == "appendix":
            return i
    return len(lines)


def ends_sentence(value: str) -> bool:
    """Whether a text cell ends a sentence, so that a following fragment is not its continuation."""
    core = value.rstrip("”’」』）) ")
    return bool(core) and core[-1] in _TERMINAL
