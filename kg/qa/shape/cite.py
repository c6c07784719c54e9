"""Citations: exact spans of Document.text (the sentence or table row an answer rests on) with their chunk."""
from __future__ import annotations

from kg.qa.find.candidates import Candidate
from kg.qa.context import QAContext
from kg.qa.find.spans import clause_at, trim
from kg.types import Chunk, Citation

MAX_CITATION = 400  # characters: a longer sentence or row is narrowed to the clause around the value


def _doc_chunks(ctx: QAContext, doc_id: str) -> list[Chunk]:
    if "doc_chunks" not in ctx.cache:  # every document's chunks in one pass, not one pass per document
        by_doc: dict[str, list[Chunk]] = {}
        for c in ctx.chunks.values():
            by_doc.setdefault(c.doc_id, []).append(c)
        ctx.cache["doc_chunks"] = {d: sorted(cs, key=lambda c: c.start) for d, cs in by_doc.items()}
    return ctx.cache["doc_chunks"].get(doc_id, [])


def chunk_for(ctx: QAContext, doc_id: str, start: int, end: int) -> str:
    """The chunk that holds the span, or overlaps it most (a sentence may straddle two chunks)."""
    best, overlap = "", -1
    for c in _doc_chunks(ctx, doc_id):
        if c.start > end:
            break
        o = min(c.end, end) - max(c.start, start)
        inside = c.start <= start and end <= c.end
        if inside:
            return c.id
        if o > overlap:
            best, overlap = c.id, o
    return best


def citation(ctx: QAContext, doc_id: str, start: int, end: int, chunk_id: str | None = None,
             focus: tuple[int, int] | None = None) -> Citation:
    """Citation of doc.text[start:end]; over MAX_CITATION characters it narrows to the clause around focus."""
    doc = ctx.documents[doc_id]
    start, end = trim(doc.text, start, end)
    if end - start > MAX_CITATION:
        f = focus or (start, start)
        start, end = clause_at(doc.text, f[0], f[1], start, end, big=True)
        if end - start > MAX_CITATION:
            start, end = max(start, f[0] - MAX_CITATION // 2), min(end, f[1] + MAX_CITATION // 2)
    chunk_id = chunk_id if chunk_id and _holds(ctx, chunk_id, start, end) else chunk_for(ctx, doc_id, start, end)
    return Citation(doc_id=doc_id, title=doc.title, chunk_id=chunk_id, start=start, end=end,
                    text=doc.text[start:end], page=doc.page_at(start), section=doc.section_at(start))


def _holds(ctx: QAContext, chunk_id: str, start: int, end: int) -> bool:
    c = ctx.chunks.get(chunk_id)
    return c is not None and c.start <= start and end <= c.end


def cite_candidate(ctx: QAContext, c: Candidate) -> Citation:
    return citation(ctx, c.doc_id, *c.evidence, chunk_id=c.chunk_id, focus=c.value_span)


def cite_chunk(ctx: QAContext, chunk: Chunk, limit: int = 200) -> Citation:
    """A passage shown next to an abstention: the start of the chunk."""
    doc = ctx.documents[chunk.doc_id]
    s, e = trim(doc.text, chunk.start, min(chunk.end, chunk.start + limit))
    return citation(ctx, chunk.doc_id, s, e, chunk_id=chunk.id)


def unique(citations) -> tuple[Citation, ...]:
    """Each passage once: a citation inside (or equal to) one already kept is left out."""
    out: list[Citation] = []
    for c in citations:
        if not any(k.doc_id == c.doc_id and k.start <= c.start and c.end <= k.end for k in out):
            out = [k for k in out if not (k.doc_id == c.doc_id and c.start <= k.start and k.end <= c.end)]
            out.append(c)
    return tuple(out)
