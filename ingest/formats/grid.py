"""A grid of cells (HTML, Word, spreadsheet) as the lines ingest/tables.py reads: stacked tables split on their
表N / title / 单位 rows, two tables side by side split where the header repeats, caption and 单位 lines above
TAB rows. A merged cell's text stands in its first slot and the slots it covers are empty, as in PDF tables, so
table_headers.column_paths spreads a spanning header over the columns below it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from ingest.table_headers import kind

LABEL = re.compile(r"^(?:附表|附件|表)\s*(?:\d+|[一二三四五六七八九十百零〇]+)(?:\s*[-－—–]\s*\d+)?$")
_LABELLED = re.compile(r"^(?:附表|附件|表)\s*(?:\d+|[一二三四五六七八九十百零〇]+)(?:\s*[-－—–]\s*\d+)?(?:\s|[:：]|$)")
UNIT = re.compile(r"^(?:计量)?单位\s*[:：]\s*\S")
NOTE = re.compile(r"^(?:注|注释|说明|备注|资料来源|数据来源|来源)\s*\d*\s*[:：]")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\r\n\xa0\u3000\u2002-\u200a\u202f\u205f]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_TIGHT = re.compile(rf"[{_CJK}\d，。、；：！？（）《》“”‘’【】%％.,:;()\-]")
MIN_LABEL_SHARE = 0.6  # of a column's filled body cells, for it to count as row labels
MIN_TITLE = 6  # characters of a lone cell above a header to be read as the table's title ("区县" is a header)


def join_broken(parts: Sequence[str]) -> str:
    """Pieces of one cell or paragraph that the source broke over lines (<br>, <p>, Word line breaks) as one
    string: no space where a CJK character or digit meets another, one space between Latin words."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (_TIGHT.match(out[-1]) or _TIGHT.match(part[0])):
            out += " "
        out += part
    return out


def clean_cell(value: str, first: bool = False) -> str:
    """A cell's text on one line: runs of spaces as one, letter-spacing between CJK characters closed up
    ("预 算 科 目"); the first cell keeps its leading indent (an ideographic space counts two), which
    ingest/table_tree.py reads as the row's depth."""
    value = _ZERO_WIDTH.sub("", value)
    lead = ""
    if first:
        stripped = value.lstrip(" \t\xa0\u3000")
        indent = value[:len(value) - len(stripped)]
        lead = " " * (indent.count(" ") + indent.count("\xa0") + 2 * indent.count("\u3000") + 2 * indent.count("\t"))
        value = stripped
    value = join_broken(value.replace("\r", "\n").split("\n"))
    value = _CJK_GAP.sub("", _SPACES.sub(" ", value)).strip()
    return lead + value if value else ""


def close_letter_spacing(line: str) -> str:
    """A paragraph's letter-spaced word ("徐  荩", "目   录") closed up; spaces between words stay (one each)."""
    line = _SPACES.sub(" ", _ZERO_WIDTH.sub("", line)).strip()
    return re.sub(rf"(?<![^\s])[{_CJK}](?:\s[{_CJK}](?![^\s]))+", lambda m: m.group(0).replace(" ", ""), line)


@dataclass(slots=True)
class _Part:
    """One table of a grid while it is split out (internal accumulator)."""

    caption: list[list[str]] = field(default_factory=list)
    body: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _row_kind(row: Sequence[str]) -> str:
    """empty, caption (表N / 单位 / a title above the header), note (注：…), single (one short cell) or row."""
    vals = list(dict.fromkeys(v.strip() for v in row if v.strip()))  # a title repeated over side-by-side halves once
    if not vals:
        return "empty"
    if len(vals) <= 3 and any(LABEL.match(v) or UNIT.match(v) for v in vals) \
            and all(LABEL.match(v) or UNIT.match(v) or kind(v) in ("label", "long") for v in vals):
        return "caption"
    if len(vals) > 1:
        return "row"
    v = vals[0]
    if NOTE.match(v):
        return "note"
    if _LABELLED.match(v) or (len(v) >= MIN_TITLE and kind(v) in ("label", "long")):
        return "title"
    return "single"


def _parts(rows: list[list[str]]) -> list[_Part]:
    """The tables stacked in a grid: a 表N, 单位 or title row after a table's rows starts the next one."""
    kinds = [_row_kind(r) for r in rows]
    parts, cur, gap = [], _Part(), False
    for i, (row, k) in enumerate(zip(rows, kinds)):
        if k == "empty":
            gap = True
            continue
        nxt = next((kinds[j] for j in range(i + 1, len(rows)) if kinds[j] != "empty"), None)
        heads = k == "caption" or (k == "title" and gap and nxt == "caption")
        if heads and cur.body:
            parts.append(cur)
            cur = _Part()
        if heads or (k in ("title", "note") and not cur.body):
            cur.caption.append(row)
        elif k == "note":
            cur.notes.append(next(v for v in row if v.strip()).strip())
        else:
            cur.body.append(row)
        gap = False
    parts.append(cur)
    return parts


def _label_column(body: list[list[str]], c: int) -> bool:
    vals = [r[c] for r in body[1:] if c < len(r) and r[c].strip()]
    labels = sum(1 for v in vals if kind(v.strip()) in ("label", "long"))
    return bool(vals) and labels >= MIN_LABEL_SHARE * len(vals)


def side_by_side(body: list[list[str]]) -> int | None:
    """Column where a second table starts beside the first: the header repeats its first title there
    (预算科目 | … | 预算科目 | …), or repeats all its other titles (收入 | 金额 | 支出 | 金额); both columns hold
    row labels below."""
    if len(body) < 3:
        return None
    head = [v.strip() for v in body[0]]
    w = len(head)
    for j in range(2, w - 1):
        if head[0] and head[j] == head[0] and _label_column(body, 0) and _label_column(body, j):
            return j
    j = w // 2
    if w >= 4 and w % 2 == 0 and head[0] and head[j] and any(head[1:j]) and head[1:j] == head[j + 1:] \
            and _label_column(body, 0) and _label_column(body, j):
        return j
    return None


def _caption_lines(rows: list[list[str]]) -> tuple[list[str], str]:
    """Title lines (a 表N label joined to the title nearest the table) and the 单位 line of a table."""
    label, unit, titles = "", "", []
    for row in rows:
        for v in (v.strip() for v in row if v.strip()):
            if UNIT.match(v):
                unit = unit or v
            elif LABEL.match(v):
                label = label or v
            elif v not in titles:
                titles.append(v)
    if label and titles:
        titles[-1] = f"{label} {titles[-1]}"
    elif label:
        titles.append(label)
    return titles, unit


def _emit(part: _Part, titles: list[str], unit: str, out: list[str]) -> int:
    """Lines of one table, or of the plain rows of a grid that holds none; 1 when it wrote a table."""
    body = [r for r in part.body if any(v.strip() for v in r)]
    keep = [c for c in range(max((len(r) for r in body), default=0)) if any(c < len(r) and r[c].strip() for r in body)]
    body = [[r[c] if c < len(r) else "" for c in keep] for r in body]
    if len(body) < 2 or len(keep) < 2:  # no header and body to read: each row a paragraph
        out.extend(titles + ([unit] if unit else []))
        out.extend(" ".join(v.strip() for v in r if v.strip()) for r in body)
        out.extend(part.notes)
        return 0
    out.append("")
    out.extend(titles)
    if unit:
        out.append(unit)
    out.extend("\t".join([r[0].rstrip()] + [v.strip() for v in r[1:]]) for r in body)
    out.extend(part.notes)
    out.append("")
    return 1


def grid_lines(rows: Sequence[Sequence[str]], caption: Sequence[str] = ()) -> tuple[list[str], int]:
    """(lines, tables written) of a grid whose cells clean_cell has cleaned. `caption`: the lines that stand
    above the grid in the source (a web page's 表N title and 单位 paragraphs), already in the text: written again
    above the right half of a side-by-side table, which has no caption of its own."""
    width = max((len(r) for r in rows), default=0)
    grid = [list(r) + [""] * (width - len(r)) for r in rows]
    above = [c for c in caption if not UNIT.match(c)]
    above_unit = next((c for c in caption if UNIT.match(c)), "")
    out: list[str] = []
    tables = 0
    for part in _parts(grid):
        halves = [part]
        while (j := side_by_side(halves[-1].body)) is not None:
            last = halves.pop()
            halves += [_Part([r[:j] for r in last.caption], [r[:j] for r in last.body], last.notes),
                       _Part([r[j:] for r in last.caption], [r[j:] for r in last.body])]
        titles, unit = _caption_lines(part.caption)
        for n, half in enumerate(halves):
            own, own_unit = _caption_lines(half.caption)
            if n == 0:
                tables += _emit(half, own or titles, own_unit or unit, out)
            else:  # the right half repeats the caption that the left half's table has
                tables += _emit(half, own or titles or above, own_unit or unit or above_unit, out)
    return out, tables
