"""Saved web pages: the article's paragraphs and tables without the site around them, and the CMS fields
(ArticleTitle, PubDate, ContentSource) as metadata hints.

Libraries: lxml parses (fast, tolerant of the Word-exported markup government CMSs publish) and
readability-lxml finds the article: it scores the page's blocks by text and link density as Mozilla's Readability
does, is maintained, and keeps the article's tables with their rowspan/colspan, which trafilatura does not (it
writes tables back as text rows, with spans lost). What readability leaves of the site (share widgets, ICP and
copyright lines) is dropped by the rules in web_chrome.json.
"""
from __future__ import annotations

import re

from ingest.formats import MAX_SHEET_CELLS, Extracted
from ingest.formats.grid import LABEL, UNIT, clean_cell, close_letter_spacing, grid_lines, join_broken
from ingest.formats.html_meta import decode_html, page_meta, rules
from kg.errors import InputError

_BLOCK = frozenset("p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article header footer blockquote pre center "
                   "address figure figcaption main form fieldset hr caption body html tr td th tbody thead tfoot "
                   "table".split())
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CJK = r"\u3400-\u9fff"
_STOP = "。！？；：!?;:"
MAX_TITLE_BLOCK = 6  # lines between a page's title heading and its article: more is not a byline
MAX_LAYOUT_CELL = 200  # characters: a "table" whose cells hold paragraphs lays out the page, it holds no figures


def _chrome(el) -> bool:
    chrome = rules()
    if el.tag in chrome["drop_tags"]:
        return True
    tokens = (el.get("class") or "").split() + ([el.get("id")] if el.get("id") else [])
    return any(chrome["chrome_class"].match(t) for t in tokens)


def _own_rows(table) -> list:
    """The table's rows, not those of tables nested in its cells."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _span(value: str | None, limit: int) -> int:
    try:
        n = int((value or "1").strip())
    except ValueError:
        return 1
    return limit if n == 0 else max(1, min(n, limit))  # rowspan="0": to the end of the table


def _cell_text(td) -> str:
    """A cell's text, its paragraphs and line breaks joined ("2024年" / "决算数" -> "2024年决算数")."""
    pieces = _Walker(tables=False)
    pieces.walk(td, top=True)
    pieces.flush()
    lead = re.match(r"^[\xa0\u3000]*", (td.text_content() or "").lstrip(" \t\r\n")).group(0)
    return lead + join_broken(pieces.lines)


def table_grid(table) -> list[list[str]] | None:
    """The cells of a data table on a grid, spans expanded (text in the first slot); None for a layout table."""
    rows = _own_rows(table)
    if len(rows) < 2 or any(True for _ in table.iter("table") if _ is not table):
        return None
    cells: dict[tuple[int, int], str] = {}
    taken: set[tuple[int, int]] = set()
    for r, tr in enumerate(rows):
        c = 0
        for td in (x for x in tr if isinstance(x.tag, str) and x.tag in ("td", "th")):
            while (r, c) in taken:
                c += 1
            rs, cs = _span(td.get("rowspan"), len(rows) - r), _span(td.get("colspan"), 1000)
            taken.update((r + i, c + j) for i in range(rs) for j in range(cs))
            cells[(r, c)] = _cell_text(td)
            c += cs
            if len(taken) > MAX_SHEET_CELLS:
                return None
    width = 1 + max((c for _, c in taken), default=-1)
    filled = [v for v in cells.values() if v.strip()]
    long = [v for v in filled if len(v) > MAX_LAYOUT_CELL]
    if width < 2 or len(long) > max(1, 0.2 * len(filled)) or any(len(v) > 5 * MAX_LAYOUT_CELL for v in long):
        return None  # cells holding paragraphs or a whole article lay out the page; a long note row alone does not
    return [[clean_cell(cells.get((r, c), ""), first=c == 0) for c in range(width)] for r in range(len(rows))]


class _Walker:
    """Walks an element tree in document order, writing paragraphs and tables as lines (internal accumulator)."""

    def __init__(self, tables: bool = True) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.tables = 0
        self.skipped = 0
        self.with_tables = tables

    def flush(self) -> None:
        text = "".join(self.buf)
        self.buf.clear()
        line = close_letter_spacing(join_broken(text.split("\n")))
        if not line:
            return
        chrome = rules()
        if len(line) <= chrome["max_chrome_line"] and chrome["chrome_lines"].search(line):
            self.skipped += 1
            return
        self.lines.append(line)

    def _text(self, s: str | None) -> None:
        if s:
            self.buf.append(re.sub(r"[ \t\r\n]*[\r\n][ \t\r\n]*", "\n", s).replace("\t", " "))

    def walk(self, el, top: bool = False) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or (not top and _chrome(el)):
            self.skipped += bool(tag)
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table" and self.with_tables:
            grid = table_grid(el)
            if grid is not None:
                self._table(el, grid)
                return
        block = tag in _BLOCK
        if block:
            self.flush()
        self._text(el.text)
        for child in el:
            self.walk(child)
            self._text(child.tail)
        if block:
            self.flush()

    def _caption(self) -> list[str]:
        """The lines right above a table that belong to it: a 表N/附件N label, a title, a 单位 line. A label on
        its own line is joined to the title below it, as the PDF reader does."""
        lines = self.lines
        i = len(lines)
        if i and UNIT.match(lines[i - 1]):
            i -= 1
        if i and len(lines[i - 1]) <= 60 and lines[i - 1][-1] not in _STOP and not LABEL.match(lines[i - 1]):
            i -= 1
            if i and LABEL.match(lines[i - 1]):
                lines[i - 1:i + 1] = [f"{lines[i - 1]} {lines[i]}"]
                i -= 1
        elif i and LABEL.match(lines[i - 1]):
            i -= 1
        return lines[i:]

    def _table(self, el, grid: list[list[str]]) -> None:
        self.flush()
        caption = el.find("caption")
        if caption is not None and caption.text_content().strip():
            self.lines.append(close_letter_spacing(caption.text_content()))
        lines, n = grid_lines(grid, self._caption())
        self.lines.extend(lines)
        self.tables += n


def _cjk(s: str) -> int:
    return len(re.findall(rf"[{_CJK}]", s))


def _data_tables(root) -> list:
    """The tables under root that hold figures (not layout, not a lone chart frame)."""
    from ingest.table_headers import kind

    return [t for t in root.iter("table") if (grid := table_grid(t)) is not None
            and sum(kind(v) == "num" for row in grid for v in row) >= 2]


def _holder(body, size: int):
    """The deepest element of the page holding (90% of) `size` CJK characters: where readability's article is."""
    return [el for el in body.iter() if isinstance(el.tag, str) and _cjk(el.text_content()) >= 0.9 * size][-1]


def _article(text: str, body):
    """The page's main content: readability's pick; widened to hold the page's data tables that it left out (an
    attachment block beside the article); the whole body when it found little of the page's text."""
    import lxml.html
    from readability import Document as Readable  # lazy: only web pages need it

    try:
        main = lxml.html.fromstring(Readable(text).summary(html_partial=True))
    except Exception:  # readability raises its own Unparseable and lxml errors on odd pages
        return body
    size = _cjk(main.text_content())
    linked = sum(_cjk(a.text_content()) for a in body.iter("a"))
    if not size or size < 0.25 * (_cjk(body.text_content()) - linked):
        return body
    tables = _data_tables(body)
    if len(_data_tables(main)) >= len(tables):
        return main
    holder = _holder(body, size)  # the smallest element of the page holding the article and every data table
    return next((el for el in [holder, *holder.iterancestors()]
                 if all(any(x is el for x in t.iterancestors()) for t in tables)), body)


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _title_block(body, main, title: str) -> list[str]:
    """Lines that stand between the page's title heading and the article readability picked (a byline such as
    "——2025年12月24日在…会议上"); readability keeps only the article body."""
    want, size = _squeeze(title), _cjk(main.text_content())
    heads = [el for el in body.iter() if isinstance(el.tag, str) and _squeeze(el.text_content()) == want]
    if not heads or not size:
        return []
    order = {el: i for i, el in enumerate(body.iter())}
    start = main if main in order else _holder(body, size)
    before = [h for h in heads if order[h] < order[start] and h not in set(start.iterancestors())]
    if not before:
        return []
    lo = max(order[x] for x in before[-1].iter())
    hi, outer = order[start], set(start.iterancestors())
    walker = _Walker(tables=False)
    for el in body.iter():
        i, parent = order[el], el.getparent()
        if lo < i < hi and el not in outer and (parent in outer or not lo < order.get(parent, -1) < hi):
            walker.walk(el)
            walker.flush()
    lines = [x for x in walker.lines if re.search(rf"[{_CJK}]", x) and not rules()["byline_chrome"].search(x)]
    return lines if len(lines) <= MAX_TITLE_BLOCK and all(len(x) <= 80 for x in lines) else []


def read_html(data: bytes, path: str) -> Extracted:
    """A saved web page (see the module docstring); InputError when it cannot be decoded or parsed."""
    import lxml.etree
    import lxml.html  # lazy: only web pages need it

    text, codec = decode_html(data, path)
    text = _XML_DECL.sub("", text.replace("\x00", ""))
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as e:
        raise InputError(path, f"not a readable web page ({str(e)[:60]}): save the page again from the browser "
                               "(Save as, web page, HTML only)") from None
    meta = page_meta(root)
    body = root.find("body")
    body = body if body is not None else root
    main = _article(text, body)
    walker = _Walker()
    walker.walk(main, top=True)
    walker.flush()
    lines = walker.lines
    if meta.title and _squeeze(meta.title) not in _squeeze("".join(lines[:5])):
        # readability keeps the article body, not the heading and byline above it: put them back on top
        lines[:0] = [meta.title, *(_title_block(body, main, meta.title) if main is not body else [])]
    return Extracted(("\n".join(lines),), f"html:{codec}", meta, walker.tables, walker.skipped)
