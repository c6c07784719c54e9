"""Gather what may answer a question: passages from search, the figures they state, and table cells."""
from __future__ import annotations

from kg.qa.find.candidates import Candidate, cell_candidates, text_candidate
from kg.qa.context import QAContext
from kg.qa.find.counts import count_figures
from kg.qa.read.question import Question
from kg.qa.read.text import canon, term_match
from kg.types import Chunk, Figure, Table


def expanded(q: Question) -> str:
    """The question plus the other labels of the concepts it names: a report writes 生产总值 where the
    analyst typed GDP, 固定资产投资 for 固投."""
    extra = [f for t in q.terms if t.concept for f in t.forms[1:4] if "&" not in f]
    return q.text + (" " + " ".join(extra) if extra else "")


def passages(ctx: QAContext, queries: list[str], k: int | None = None, regions: tuple[str, ...] = ()) -> list[Chunk]:
    """Chunks for the queries, best first, each once. A region the question names that has its own report
    gets a filtered search too, so that report is read even when another ranks higher overall."""
    from kg.index.search import Filters
    k = k or ctx.settings.passages
    if "home_regions" not in ctx.cache:
        ctx.cache["home_regions"] = {d.region for d in ctx.documents.values() if d.region}
    home = ctx.cache["home_regions"]
    out: dict[str, Chunk] = {}
    for query in queries:
        for h in ctx.searcher.search(query, k):
            out.setdefault(h.chunk.id, h.chunk)
        for r in regions:
            if r in home:
                for h in ctx.searcher.search(query, max(4, k // 2), Filters(region=r)):
                    out.setdefault(h.chunk.id, h.chunk)
    return list(out.values())


def _live_figures(ctx: QAContext, chunk: Chunk) -> tuple[Figure, ...]:
    """Figures of a chunk read now, when the knowledge base stores none (built without extraction)."""
    key = ("figs", chunk.id)
    if key not in ctx.cache:
        from kg.extract.figures import Context, span_figures
        doc = ctx.documents[chunk.doc_id]
        r = ctx.gazetteer.region(doc.region) if doc.region else None
        fctx = Context(doc.id, ctx.data_years.get(doc.id), f"region-{r.code}" if r else None, doc.year)
        figs = () if chunk.kind == "table" else tuple(
            span_figures(doc.text, chunk.start, chunk.end, ctx.gazetteer, fctx, chunk_id=chunk.id,
                         sections=doc.sections))
        ctx.cache[key] = figs
    return ctx.cache[key]


def _cell_of(ctx: QAContext, f: Figure):
    """The table cell a figure was read from, or None when it was read from running text."""
    if not f.table_id:
        return None
    for t in ctx.tables:
        if t.id == f.table_id:
            return next((c for c in t.cells if c.start <= f.start and f.end <= c.end), None)
    return None


def _text_candidate(ctx: QAContext, f: Figure) -> Candidate:
    key = ("tc", f.doc_id, f.start, f.end)
    if key not in ctx.cache:
        from kg.qa.find.candidates import region_of
        cell = _cell_of(ctx, f)
        bounds = (cell.start, cell.end) if cell else None
        row_region = region_of(cell.row_header, ctx.gazetteer) if cell else None
        ctx.cache[key] = text_candidate(f, ctx.documents[f.doc_id], ctx.gazetteer, bounds, row_region)
    return ctx.cache[key]


def text_candidates(ctx: QAContext, chunks: list[Chunk]) -> list[Candidate]:
    """Figures stated in the chunks' sentences (and in long text cells), not the numeric cells themselves:
    those come from cell_candidates with their headers."""
    out: dict[tuple[str, int, int], Candidate] = {}
    for ch in chunks:
        figs = ctx.figures_by_chunk.get(ch.id, ()) if ctx.stored_figures else _live_figures(ctx, ch)
        for f in figs:
            key = (f.doc_id, f.start, f.end)
            if key in out:
                continue
            if f.table_id and key in _numeric_cells(ctx):
                continue  # a numeric cell: read with its headers instead
            out[key] = _text_candidate(ctx, f)
    return list(out.values())


def _indicator(ctx: QAContext, f: Figure) -> str:
    key = ("ind", f.id)
    if key not in ctx.cache:
        ctx.cache[key] = canon(f.indicator)
    return ctx.cache[key]


def _numeric_cells(ctx: QAContext) -> set[tuple[str, int, int]]:
    if "numeric_cells" not in ctx.cache:
        from kg.extract.numbers import parse_number
        ctx.cache["numeric_cells"] = {(t.doc_id, c.start, c.end) for t in ctx.tables for c in t.cells
                                      if parse_number(c.value) is not None}
    return ctx.cache["numeric_cells"]


def _figure_index(ctx: QAContext) -> tuple[dict, dict]:
    """The stored figures outside numeric cells, in their order, grouped by canonical indicator: over all
    regions, and per region name (cached on the context)."""
    if "figure_index" not in ctx.cache:
        numeric = _numeric_cells(ctx)
        everywhere: dict[str, list] = {}
        by_region: dict[str, dict[str, list]] = {}
        names: dict[str, str | None] = {}
        for pos, f in enumerate(ctx.figures):
            if (f.doc_id, f.start, f.end) in numeric:
                continue
            ind = _indicator(ctx, f)
            everywhere.setdefault(ind, []).append((pos, f))
            if f.region not in names:
                r = ctx.gazetteer.region(f.region.removeprefix("region-")) if f.region else None
                names[f.region] = r.name if r is not None else None
            if names[f.region] is not None:
                by_region.setdefault(names[f.region], {}).setdefault(ind, []).append((pos, f))
        from kg.qa.find.shortlist import BigramIndex
        ctx.cache["figure_index"] = (everywhere, by_region, BigramIndex(list(everywhere)))
    return ctx.cache["figure_index"]


def figure_candidates(ctx: QAContext, q: Question, limit: int = 40) -> list[Candidate]:
    """Stored figures whose indicator, region and period fit the question, wherever they are: search can miss
    a passage that states the number in other words (生产总值 for GDP)."""
    from kg.qa.read.periods import best_fit
    if not ctx.figures:
        return []
    everywhere, by_region, index = _figure_index(ctx)
    asked = set(q.regions) - {"全国"}
    groups = [by_region.get(r, {}) for r in asked] if asked else [everywhere]
    terms = [t for t in q.terms if t.concept or len(t.forms[0]) >= 2]
    near = index.shortlist(terms)  # the indicators outside it match no term
    inds = list(everywhere) if near is None else [index.texts[i] for i in near]
    scores: dict[str, float] = {}
    fits: dict[str, bool] = {}
    picked = []
    for group in groups:
        for ind in inds:
            figs = group.get(ind)
            if not figs:
                continue
            if ind not in scores:
                scores[ind] = max((term_match(t, ind) for t in terms), default=0.0)
            m = scores[ind]
            if m < 0.6:
                continue
            for pos, f in figs:
                if q.periods and f.period:
                    if f.period not in fits:
                        fits[f.period] = best_fit(q.periods, f.period) != 0
                    if not fits[f.period]:
                        continue
                picked.append((pos, m, f))
    picked.sort(key=lambda x: x[0])  # the figures' own order, which breaks ties as before
    picked.sort(key=lambda x: -x[1])
    return [_text_candidate(ctx, f) for _, _, f in picked[:limit]]


def _table_text(ctx: QAContext, t: Table) -> str:
    key = ("ttext", t.id)
    if key not in ctx.cache:
        heads = [x for row in t.header_rows for x in row] + [x for c in t.cells for x in c.row_header]
        ctx.cache[key] = canon(" ".join((t.label, t.caption, " ".join(dict.fromkeys(heads)))))
    return ctx.cache[key]


def _table_index(ctx: QAContext):
    if "table_index" not in ctx.cache:
        from kg.qa.find.shortlist import BigramIndex
        ctx.cache["table_index"] = BigramIndex([_table_text(ctx, t) for t in ctx.tables])
    return ctx.cache["table_index"]


def tables_for(ctx: QAContext, q: Question) -> list[Table]:
    """The tables the question names (表3) plus those whose caption and headers best cover its words."""
    named = [t for t in ctx.tables if q.table_ref and t.label == q.table_ref]
    total = sum(x.weight for x in q.terms) or 1.0
    scored = []
    # a table sharing no bigram with a term scores at most the region's 0.15, under the 0.3 a table needs
    near = _table_index(ctx).shortlist(q.terms)
    seen: dict[str, float] = {}  # copies of a table share their caption and headers
    for t in ctx.tables if near is None else (ctx.tables[i] for i in near):
        if t in named or not t.cells:
            continue
        text = _table_text(ctx, t)
        if text not in seen:
            seen[text] = sum(x.weight * term_match(x, text) for x in q.terms) / total
        s = seen[text]
        doc = ctx.documents.get(t.doc_id)
        if q.regions and doc is not None and doc.region in q.regions:
            s += 0.15
        scored.append((s, t))
    scored.sort(key=lambda x: -x[0])
    return named + [t for s, t in scored[:ctx.settings.tables] if s >= 0.3]


def _chunk_of(ctx: QAContext, t: Table):
    chunks = ctx.chunks_by_table.get(t.id, ())

    def find(span: tuple[int, int]) -> str:
        best = max(chunks, key=lambda c: min(c.end, span[1]) - max(c.start, span[0]), default=None)
        return best.id if best else ""
    return find


def cell_candidates_for(ctx: QAContext, tables: list[Table]) -> list[Candidate]:
    out: list[Candidate] = []
    for t in tables:
        key = ("cells", t.id)
        if key not in ctx.cache:
            doc = ctx.documents[t.doc_id]
            ctx.cache[key] = cell_candidates(t, doc, _chunk_of(ctx, t), ctx.gazetteer, ctx.data_years.get(doc.id))
        out.extend(ctx.cache[key])
    return out


def candidates(ctx: QAContext, q: Question, extra_queries: tuple[str, ...] = ()) -> tuple[list[Candidate], list[Chunk]]:
    """Every value that may answer q, with the passages they came from."""
    chunks = passages(ctx, [expanded(q), *extra_queries], regions=q.regions)
    cands = text_candidates(ctx, chunks) + figure_candidates(ctx, q) + cell_candidates_for(ctx, tables_for(ctx, q))
    if q.count_noun and q.expect == "count":
        cands += [text_candidate(f, ctx.documents[f.doc_id], ctx.gazetteer)
                  for f in count_figures(ctx.documents, chunks, q.count_noun, ctx.data_years)]
    return cands, chunks


def table_labels(ctx: QAContext) -> dict[str, str]:
    if "table_labels" not in ctx.cache:
        ctx.cache["table_labels"] = {t.id: t.label for t in ctx.tables}
    return ctx.cache["table_labels"]
