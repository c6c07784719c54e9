"""Cut a cleaned document into sentence-aware text chunks and header-repeating table chunks."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.types import Chunk, Document, Table, content_id


@dataclass(frozen=True, slots=True)
class ChunkSettings:
    size: int = 350  # target characters of a text chunk
    overlap: int = 80  # at most this many characters of trailing sentences repeated
    table_size: int = 400  # target characters of body rows in a table chunk

    def __post_init__(self) -> None:
        if self.size < 50 or not 0 <= self.overlap < self.size // 2 or self.table_size < 50:
            raise ValueError(f"bad chunk settings: {self}")


# A sentence ends at 。！？； (with closing quotes/brackets after it) or at a paragraph break.
_SENT_END = re.compile(r"[。！？；!?;][”’」』）)]*|\n\s*\n")
_SOFT_BREAK = re.compile(r"[，、：,:]")


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Half-open spans of the sentences in text[start:end], whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SENT_END.finditer(text, start, end):
        spans.append((pos, m.end()))
        pos = m.end()
    spans.append((pos, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _split_long(text: str, s: int, e: int, size: int) -> list[tuple[int, int]]:
    """Split one over-long sentence at soft breaks (，、：) near the size limit."""
    pieces = []
    while e - s > size:
        cut = s + size
        soft = [m.end() for m in _SOFT_BREAK.finditer(text, s + size // 2, s + size)]
        if soft:
            cut = soft[-1]
        pieces.append((s, cut))
        s = cut
    pieces.append((s, e))
    return pieces


def _pack(text: str, sents: list[tuple[int, int]], size: int, overlap: int) -> list[tuple[int, int]]:
    """Greedy packing of sentences into spans of about `size` chars with a sentence overlap."""
    units: list[tuple[int, int]] = []
    for s, e in sents:
        units.extend(_split_long(text, s, e, size) if e - s > size else [(s, e)])
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and units[j + 1][1] - units[i][0] <= size:
            j += 1
        out.append((units[i][0], units[j][1]))
        if j + 1 >= len(units):
            break
        # step back over trailing sentences that fit in the overlap, but always advance
        k = j + 1
        while k - 1 > i and units[j][1] - units[k - 1][0] <= overlap:
            k -= 1
        i = k
    return out


def _gaps(doc: Document, tables: tuple[Table, ...]) -> list[tuple[int, int]]:
    """The text regions outside tables, further cut at section headings."""
    cuts = sorted({s.start for s in doc.sections} | {0, len(doc.text)})
    regions: list[tuple[int, int]] = []
    pos = 0
    for t in sorted(tables, key=lambda t: t.start):
        if t.start > pos:
            regions.append((pos, t.start))
        pos = max(pos, t.end)
    regions.append((pos, len(doc.text)))
    out = []
    for a, b in regions:
        inner = [c for c in cuts if a < c < b]
        edges = [a, *inner, b]
        out.extend((x, y) for x, y in zip(edges, edges[1:]) if doc.text[x:y].strip())
    return out


def _make(doc: Document, start: int, end: int, kind: str, prefix: str, table_id: str | None = None) -> Chunk:
    while start < end and doc.text[start].isspace():
        start += 1
    while end > start and doc.text[end - 1].isspace():
        end -= 1
    return Chunk(
        id=content_id("chunk", doc.id, start, end),
        doc_id=doc.id,
        start=start,
        end=end,
        text=doc.text[start:end],
        kind=kind,
        section=doc.section_at(start),
        page=doc.page_at(start),
        table_id=table_id,
        prefix=prefix,
    )


def text_prefix(doc: Document, start: int) -> str:
    """Context a text chunk carries: the document title and its section path."""
    return " > ".join([doc.title, *doc.section_at(start)])


def table_prefix(t: Table) -> str:
    """Context every chunk of a table repeats: label, caption, unit and header rows."""
    head = " ".join(x for x in (t.label, t.caption, f"单位：{t.unit}" if t.unit else "") if x)
    rows = ["\t".join(r) for r in t.header_rows]
    return "\n".join([head, *rows]).strip()


def table_chunks(doc: Document, t: Table, size: int) -> list[Chunk]:
    """Groups of body rows; the first group starts at the caption so it holds the headers too."""
    if not t.row_spans:
        return [_make(doc, t.start, t.end, "table", table_prefix(t), t.id)]
    groups: list[list[tuple[int, int]]] = [[]]
    for span in t.row_spans:
        g = groups[-1]
        if g and span[1] - g[0][0] > size:
            groups.append([])
        groups[-1].append(span)
    out = []
    for n, g in enumerate(groups):
        start = t.start if n == 0 else g[0][0]
        end = t.end if n == len(groups) - 1 else g[-1][1]
        out.append(_make(doc, start, end, "table", table_prefix(t), t.id))
    return out


def chunk_document(doc: Document, tables: tuple[Table, ...], settings: ChunkSettings = ChunkSettings()) -> tuple[Chunk, ...]:
    """All chunks of a document, in text order; every chunk is a slice of doc.text."""
    chunks: list[Chunk] = []
    for a, b in _gaps(doc, tables):
        for s, e in _pack(doc.text, sentence_spans(doc.text, a, b), settings.size, settings.overlap):
            chunks.append(_make(doc, s, e, "text", text_prefix(doc, s)))
    for t in tables:
        chunks.extend(table_chunks(doc, t, settings.table_size))
    chunks.sort(key=lambda c: (c.start, c.end))
    return tuple(chunks)
