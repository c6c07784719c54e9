"""Word .docx files (python-docx opens the package; the body XML is walked in order so each table stands where
it stands among the paragraphs): tables on their grid, a merged cell's text once, stacked 附表 split apart."""
from __future__ import annotations

import io

from ingest.formats import Extracted, SourceMeta
from ingest.formats.grid import clean_cell, close_letter_spacing, grid_lines, join_broken
from ingest.formats.zipped import check_zip
from kg.errors import InputError

MAX_TITLE_SCAN = 30  # paragraphs from the top searched for the title


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _paragraph_text(p) -> list[str]:
    """A paragraph's lines: runs' text (tracked deletions and field codes are other elements, so they stay out),
    a line break starting a new line, a tab as a space (a TAB in the text would make the line a table row)."""
    t, br, cr, tab = _qn("w:t"), _qn("w:br"), _qn("w:cr"), _qn("w:tab")
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    lines, cur = [], []
    skip = {id(x) for fb in p.iter(fallback) for x in fb.iter()}  # the same text box again, for old readers
    for el in p.iter(t, br, cr, tab):
        if id(el) in skip:
            continue
        if el.tag == t:
            cur.append(el.text or "")
        elif el.tag == tab:
            cur.append(" ")
        elif el.get(_qn("w:type")) in (None, "textWrapping"):
            lines.append("".join(cur))
            cur = []
    lines.append("".join(cur))
    return lines


def _cell_text(tc) -> str:
    """A cell's paragraphs and line breaks joined ("比上年" / "增长(%)" -> "比上年增长(%)"); indent kept."""
    pieces = [line for p in tc.iter(_qn("w:p")) for line in _paragraph_text(p)]
    first = next((x for x in pieces if x.strip()), "")
    lead = first[:len(first) - len(first.lstrip(" \u3000\xa0\t"))]
    return lead + join_broken(pieces)


def table_grid(tbl) -> list[list[str]]:
    """A Word table on its layout grid: each cell's text at the grid column where it starts, the columns it spans
    (gridSpan) and the rows a vertical merge continues into (vMerge) left empty."""
    rows = []
    for tr in tbl.iterchildren(_qn("w:tr")):
        row: dict[int, str] = {}
        col = 0
        before = tr.find(f"{_qn('w:trPr')}/{_qn('w:gridBefore')}")
        if before is not None:
            col = int(before.get(_qn("w:val"), "0") or 0)
        for tc in tr.iterchildren(_qn("w:tc")):
            pr = tc.find(_qn("w:tcPr"))
            span, merged = 1, False
            if pr is not None:
                if (gs := pr.find(_qn("w:gridSpan"))) is not None:
                    span = max(1, int(gs.get(_qn("w:val"), "1") or 1))
                if (vm := pr.find(_qn("w:vMerge"))) is not None:
                    merged = vm.get(_qn("w:val")) != "restart"
            row[col] = "" if merged else _cell_text(tc)
            col += span
        rows.append(row)
    width = max((max(r, default=-1) + 1 for r in rows), default=0)
    return [[clean_cell(r.get(c, "").replace("\t", " "), first=c == 0) for c in range(width)] for r in rows]


def _size(p) -> float:
    """The largest font size (pt) set on a paragraph's runs, 0 when none is set."""
    sizes = [int(v) / 2 for sz in p.iter(_qn("w:sz")) if (v := sz.get(_qn("w:val")) or "").isdigit()]
    return max(sizes, default=0)


def title_hint(body, core_title: str | None) -> str | None:
    """The document's title: its core property when set, else the paragraphs set in the largest type near the
    top (Chinese reports set the title in big type, in Normal style, often over two or three paragraphs)."""
    if core_title and len(core_title.strip()) >= 6:
        return core_title.strip()
    top = []
    for el in body.iterchildren():
        if el.tag == _qn("w:tbl") or len(top) >= MAX_TITLE_SCAN:
            break
        if el.tag == _qn("w:p") and (text := "".join(_paragraph_text(el)).strip()):
            top.append((_size(el), text))
    if not top:
        return None
    big = max(size for size, _ in top)
    common = sorted(size for size, _ in top)[len(top) // 2]
    if big <= common:
        return None
    first = next(i for i, (size, _) in enumerate(top) if size == big)
    run = []
    for size, text in top[first:]:
        if size != big:
            break
        run.append(text)
    title = join_broken(run)
    return title if 6 <= len(title) <= 100 else None


def _body_lines(container) -> tuple[list[str], int]:
    """(lines, tables written) of a body, or of a content control in it, in document order."""
    lines: list[str] = []
    tables = 0
    for el in container.iterchildren():
        if el.tag == _qn("w:p"):
            lines.extend(close_letter_spacing(s) for s in _paragraph_text(el))
        elif el.tag == _qn("w:tbl"):
            out, n = grid_lines(table_grid(el))
            lines.extend(out)
            tables += n
        elif el.tag == _qn("w:sdt") and (content := el.find(_qn("w:sdtContent"))) is not None:
            out, n = _body_lines(content)  # a content control: a cover block, a contents list
            lines.extend(out)
            tables += n
    return lines, tables


def read_docx(data: bytes, path: str) -> Extracted:
    """A .docx report (see the module docstring); InputError when it is damaged or not a Word document."""
    check_zip(data, path, "word/document.xml", "Word document (.docx)")
    import docx  # lazy: only Word files need it

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        title = title_hint(body, document.core_properties.title)
    except Exception as e:  # python-docx raises PackageNotFoundError, KeyError, lxml errors … on damaged files
        raise InputError(path, f"damaged Word document ({type(e).__name__}): open it in Word or WPS and save it "
                               "again as .docx") from None
    lines, tables = _body_lines(body)
    return Extracted(("\n".join(lines),), "docx", SourceMeta(title=title), tables=tables)
