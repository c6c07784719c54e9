"""Clean extracted report text: drop page furniture, lift footnotes, join lines broken inside sentences."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.sections import FOOTNOTES_TITLE, heading_marker, toc_flags
from kg.types import Page

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"

# Full-width digits, Latin letters, % and spaces become ASCII; Chinese punctuation stays.
# (NFKC would also flatten superscript footnote markers and 〔〕.)
_CHARS = {**{0xFF10 + i: 0x30 + i for i in range(10)}, **{0xFF21 + i: 0x41 + i for i in range(26)},
          **{0xFF41 + i: 0x61 + i for i in range(26)}, 0xFF05: 0x25, 0x3000: 0x20, 0xA0: 0x20,
          0x200B: None, 0xFEFF: None, **{c: 0x20 for c in range(0x2002, 0x200B)}, 0x0C: 0x0A, 0x0D: 0x0A}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

_FOOTNOTE = re.compile(rf"^\s*[{SUPERSCRIPTS}]+(?:\s+\S|(?=资料来源|数据来源|来源|详见|参见|注|http))")
_PDF_FOOTNOTE = re.compile(r"^\s*\d{1,3}\s*(?:资料来源|数据来源|详见|参见)")  # markers lose superscript in PDFs
_PAGE_NO = re.compile(r"^(?:[-－—–]\s*\d{1,4}\s*[-－—–]|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?"
                      r"|\d{1,4}(?:\s*/\s*\d{1,4})?|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$")
_CHROME = re.compile(r"^(?:(?:下载|打印|全屏|收藏|分享|关闭|打印本页|关闭窗口|返回顶部)[\s|｜/]*)+$|^分享到?\s*[:：].{0,20}$"
                     r"|^扫一扫.{0,12}$|^【\s*(?:字号|字体)[:：]?[\s大中小默认加减还原]*】$")
_CHROME_OPEN = re.compile(r"^【\s*(?:字号|字体)")  # 【字号： / 加大 / 还原 / 减小 / 】 on separate lines
_TRAILER = re.compile(r"^(?:【\s*)?(?:(?:责任)?编辑\s*[:：]|相关(?:链接|附件|报道|新闻|阅读|文章))")

_CAPTION = re.compile(r"^附?(?:图表|表|图)\s*\d+")
_NOTE = re.compile(r"^(?:注|注释|数据来源|资料来源|来源|单位|说明|备注)\s*\d*\s*[:：]")
_UNIT = re.compile(r"^单位\s*[:：]")
_BULLET = re.compile(r"^(?:[⚫•●◆◇■□▪►▶➢√※★☆◎○【]|——|[-–]\s|[①-⑳])")
_FINAL = "。！？!?；;：:…"
_CLOSERS = SUPERSCRIPTS + "”’」』》)）】*"
_MID = "，、,（(“‘《〔【—-/～~+"  # a line ending in these is cut mid-sentence whatever its width
_LONG = 48  # display width of 24 CJK characters
_DANGLING = "和与及或的了在对从向为把被并而但且将于由"  # nor does a sentence or title end on these words
_STOPS = re.compile(r"[。！？!?；;]")
_PUNCT = re.compile(r"[，。、；：！？,.;:!?（）()“”《》]")
_LATIN = re.compile(r"[A-Za-z0-9%.]")


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Canonical text of a report; pages are spans of it (PDF only)."""

    text: str
    pages: tuple[Page, ...] = ()
    footnotes: int = 0


Line = tuple[int, str]  # (1-based page, raw line after character normalisation)


def normalise_chars(s: str) -> str:
    return _CONTROL.sub("", s.translate(_CHARS))


def width(s: str) -> int:
    """Display width: CJK counts two, so wrapped Chinese and mixed lines compare fairly."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _running_furniture(lines: list[Line], n_pages: int) -> set[int]:
    """PDF: page numbers and header/footer lines repeated at the top or bottom of most pages."""
    by_page: dict[int, list[int]] = {}
    for i, (p, raw) in enumerate(lines):
        if raw.strip():
            by_page.setdefault(p, []).append(i)
    edges = {p: idx[:2] + idx[-2:] for p, idx in by_page.items()}
    key = {i: re.sub(r"\d+", "#", lines[i][1].strip()) for idx in edges.values() for i in idx}
    seen: dict[str, set[int]] = {}
    for p, idx in edges.items():
        for i in idx:
            seen.setdefault(key[i], set()).add(p)
    need = max(2, (n_pages + 1) // 2)
    # a table's caption and unit line repeat above each page of a long table: they are not furniture
    repeated = {k for k, ps in seen.items() if len(ps) >= need and len(k) <= 60
                and not (_CAPTION.match(k) or _UNIT.match(k))}
    return {i for idx in edges.values() for i in idx
            if key[i] in repeated or _PAGE_NO.match(lines[i][1].strip())}


def _drop_furniture(lines: list[Line], n_pages: int, is_pdf: bool) -> list[Line]:
    drop = _running_furniture(lines, n_pages) if is_pdf and n_pages > 1 else set()
    content = [i for i, (_, raw) in enumerate(lines) if raw.strip() and i not in drop]
    for pos, i in enumerate(content):
        s = lines[i][1].strip()
        if _CHROME.match(s):
            drop.add(i)
        elif _CHROME_OPEN.match(s) and "】" not in s:
            block = content[pos:pos + 8]
            close = next((k for k, j in enumerate(block) if "】" in lines[j][1]), None)
            if close is not None and all(len(lines[j][1].strip()) <= 6 for j in block[1:close + 1]):
                drop.update(block[:close + 1])
        elif not is_pdf and _PAGE_NO.match(s):
            near = [lines[j][1] for j in content[max(pos - 1, 0):pos + 2]]
            if not any("\t" in r for r in near):  # a lone number between table rows is a cell
                drop.add(i)
    # Web pages end with 责任编辑 / 相关链接 …; everything after that is the site, not the report.
    tail = content[int(len(content) * 0.8):]
    cut = next((i for i in tail if _TRAILER.match(lines[i][1].strip())), len(lines))
    return [line for i, line in enumerate(lines[:cut]) if i not in drop]


def _lift_footnotes(lines: list[Line], is_pdf: bool) -> tuple[list[Line], list[str], set[int]]:
    """Take footnote lines out of the running text, so the sentence they interrupt joins again.
    Also returns the body indices of lines that resume the text after a lifted block."""
    body: list[Line] = []
    notes: list[str] = []
    resumed: set[int] = set()
    page_end = {p: i for i, (p, raw) in enumerate(lines) if raw.strip()}
    note_page, gap = None, False
    for i, (p, raw) in enumerate(lines):
        s = raw.strip()
        if _FOOTNOTE.match(raw) or (is_pdf and _PDF_FOOTNOTE.match(raw)):
            notes.append(s)
            note_page, gap = p, True
        elif is_pdf and s and note_page == p and page_end[p] - i < 3 and "\t" not in raw:
            notes[-1] += s  # a footnote wrapped onto the last lines of its page
        else:
            if s:
                if gap and "\t" in raw:  # a table that went on below its footnotes: rows stay together
                    while body and not body[-1][1].strip() and len(body) > 1 and "\t" in _last_text(body):
                        body.pop()
                if gap:
                    resumed.add(len(body))
                note_page, gap = None, False
            body.append((p, raw))
    return body, notes, resumed


def _last_text(body: list[Line]) -> str:
    return next((raw for _, raw in reversed(body) if raw.strip()), "")


def _ends_final(s: str) -> bool:
    t = s.rstrip().rstrip(_CLOSERS)
    return not t or t[-1] in _FINAL


def _starts_block(s: str) -> bool:
    return bool(heading_marker(s) or _CAPTION.match(s) or _NOTE.match(s) or _BULLET.match(s)
                or _FOOTNOTE.match(s))


def _is_heading_like(s: str) -> bool:
    """Captions, notes and short heading lines (not a paragraph that opens with "1.")."""
    return bool(_CAPTION.match(s) or _NOTE.match(s)
                or (heading_marker(s) and len(s) <= 60 and not _STOPS.search(s)))


def _is_label(s: str) -> bool:
    return width(s) <= 24 and not _PUNCT.search(s)


def _continues(first: str, last_raw: str, nxt: str, after: str, wrap: int, resumed: bool) -> bool:
    """Does the logical line (first … last_raw) go on with the next non-blank line nxt?
    resumed: footnotes stood between them, i.e. a page break cut the text there."""
    last = last_raw.strip()
    if _ends_final(last) or _starts_block(nxt):
        return False
    w = width(last)
    if _is_heading_like(first):
        # A heading, caption or note goes on only when its line was wrapped at the margin,
        # or a caption's tail sits alone above the table ("…利率" / "统计表" / "单位：%").
        return w >= 0.75 * wrap or bool(_CAPTION.match(first) and _is_label(nxt)
                                         and (_UNIT.match(after) or "\t" in after))
    if resumed or last[-1] in _MID + _DANGLING:
        return True
    if _is_label(nxt):
        return False
    if w >= 0.6 * wrap:  # wrapped at the margin
        return True
    # Paragraph-per-line text has no margin: a long line cut without a stop and followed by
    # another long line is a paragraph split by a page break, not a title over a paragraph.
    return w >= _LONG and width(nxt) >= _LONG


def _glue(a_raw: str, b_raw: str) -> str:
    """No space at a CJK join; one space between Latin/digit tokens only where the source had one."""
    a, b = a_raw.rstrip(), b_raw.lstrip()
    spaced = a != a_raw or b != b_raw
    return " " if spaced and _LATIN.match(a[-1]) and _LATIN.match(b[0]) else ""


def _wrap_width(lines: list[Line]) -> int:
    widths = sorted(width(raw.strip()) for _, raw in lines if raw.strip() and "\t" not in raw)
    return widths[int(len(widths) * 0.8)] if widths else 0


def _join(lines: list[Line], resumed: set[int]) -> list[list[Line] | None]:
    """Logical lines as pieces (page, text); None marks a blank line."""
    wrap, toc = _wrap_width(lines), toc_flags([raw for _, raw in lines])
    fixed = [("\t" in raw) or toc[i] for i, (_, raw) in enumerate(lines)]  # never joined
    nonblank = [i for i, (_, raw) in enumerate(lines) if raw.strip()]
    following = {a: b for a, b in zip(nonblank, nonblank[1:])}
    out: list[list[Line] | None] = []
    i = 0
    while i < len(lines):
        page, raw = lines[i]
        if not raw.strip():
            out.append(None)
            i += 1
            continue
        first = raw if "\t" in raw else raw.strip()
        pieces, last = [(page, first)], i
        while not fixed[last] and (k := following.get(last)) is not None and not fixed[k]:
            after = lines[following[k]][1].strip() if k in following else ""
            if not _continues(first, lines[last][1], lines[k][1].strip(), after, wrap, k in resumed):
                break
            pieces.append((lines[k][0], _glue(lines[last][1], lines[k][1]) + lines[k][1].strip()))
            last = k
        out.append(pieces)
        i = last + 1
    return out


def _assemble(logical: list[list[Line] | None], notes: list[str], n_pages: int,
              is_pdf: bool) -> tuple[str, tuple[Page, ...]]:
    parts: list[str] = []
    first_at: dict[int, int] = {}  # page -> offset of its first character
    pos, blank = 0, False
    for item in logical:
        if item is None:
            blank = bool(parts)
            continue
        if parts:
            sep = "\n\n" if blank else "\n"
            parts.append(sep)
            pos += len(sep)
        for page, text in item:
            first_at.setdefault(page, pos)
            parts.append(text)
            pos += len(text)
        blank = False
    body_end = pos
    if notes:  # kept searchable, after the running text; they belong to no page span
        parts.append(("\n\n" if parts else "") + FOOTNOTES_TITLE + "\n" + "\n".join(notes))
    pages: list[Page] = []
    nxt = body_end
    for p in range(n_pages, 0, -1) if is_pdf else ():
        start = first_at.get(p, nxt)
        pages.append(Page(p, start, nxt))
        nxt = start
    return "".join(parts), tuple(reversed(pages))


def clean(pages: tuple[str, ...], is_pdf: bool) -> Cleaned:
    """Canonical text of a report from its raw pages (one page for a text file)."""
    lines = [(p, raw) for p, page in enumerate(pages, 1) for raw in normalise_chars(page).split("\n")]
    lines = _drop_furniture(lines, len(pages), is_pdf)
    body, notes, resumed = _lift_footnotes(lines, is_pdf)
    text, spans = _assemble(_join(body, resumed), notes, len(pages), is_pdf)
    return Cleaned(text, spans, len(notes))
