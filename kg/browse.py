"""Browse the extracted facts: entities by type, one entity with its facts and neighbours, figures."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kg.errors import UsageError
from kg.kb.store import KnowledgeBase
from kg.types import ENTITY_TYPES, Citation, Entity, Figure, Relation


@dataclass(frozen=True, slots=True)
class EntityRow:
    entity: Entity
    mentions: int
    documents: int


@dataclass(frozen=True, slots=True)
class Neighbour:
    entity: Entity
    predicate: str
    weight: float


@dataclass(frozen=True, slots=True)
class EntityView:
    """One entity as the browser shows it: aliases, figures, neighbours and the passages behind them."""

    entity: Entity
    figures: tuple[Figure, ...]
    neighbours: tuple[Neighbour, ...]
    passages: tuple[Citation, ...]


def _catalogue(kb: KnowledgeBase) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for e in kb.facts("entity"):
        old = out.get(e.id)
        if old is None or len(e.aliases) > len(old.aliases):
            out[e.id] = e
    return out


def list_entities(kb: KnowledgeBase, type_: str | None = None) -> list[EntityRow]:
    """Entities with how often and in how many documents they are mentioned, most mentioned first."""
    if type_ and type_ not in ENTITY_TYPES:
        raise UsageError(f"unknown entity type {type_!r}: use one of {', '.join(ENTITY_TYPES)}")
    cat = _catalogue(kb)
    counts: Counter[str] = Counter()
    docs: dict[str, set[str]] = {}
    for m in kb.facts("mention"):
        counts[m.entity_id] += 1
        docs.setdefault(m.entity_id, set()).add(m.doc_id)
    rows = [EntityRow(e, counts[e.id], len(docs.get(e.id, ()))) for e in cat.values()
            if type_ is None or e.type == type_]
    return sorted(rows, key=lambda r: (-r.mentions, r.entity.label))


def resolve_entity(kb: KnowledgeBase, name: str, cat: dict[str, Entity] | None = None) -> Entity:
    """An entity by id, label or alias (辽宁省 -> 辽宁); the gazetteer resolves region aliases too."""
    cat = _catalogue(kb) if cat is None else cat
    if name in cat:
        return cat[name]
    hits = [e for e in cat.values() if name == e.label or name in e.aliases or name == e.code]
    if not hits:
        from kg.extract.gazetteer import load_gazetteer
        r = load_gazetteer().region(name)
        if r is not None and f"region-{r.code}" in cat:
            return cat[f"region-{r.code}"]
        near = sorted(e.label for e in cat.values() if name in e.label)[:5]
        hint = f" (did you mean {'、'.join(near)}?)" if near else ": see `kg entities` for the names"
        raise UsageError(f"no entity named {name!r}{hint}")
    return sorted(hits, key=lambda e: (e.label != name, e.id))[0]


def citation_for(kb: KnowledgeBase, doc_id: str, chunk_id: str | None, start: int, end: int) -> Citation:
    """The passage behind a fact: the chunk (or the span alone) as a Citation."""
    doc = kb.document(doc_id)
    chunk = next((c for c in kb.chunks(doc_id) if c.id == chunk_id), None)
    s, e = (chunk.start, chunk.end) if chunk else (start, end)
    return Citation(doc.id, doc.title, chunk_id or "", s, e, doc.text[s:e], doc.page_at(s), doc.section_at(s))


def entity_view(kb: KnowledgeBase, name: str, limit: int = 10) -> EntityView:
    cat = _catalogue(kb)
    e = resolve_entity(kb, name, cat)
    if e.type == "region":
        figures = kb.facts("figure", key=e.id)
    elif e.type == "concept":
        labels = {e.label, *e.aliases}
        figures = [f for f in kb.facts("figure") if f.indicator in labels]
    else:
        figures = []
    weights: Counter[tuple[str, str]] = Counter()
    for r in kb.facts("relation"):
        other = r.object if r.subject == e.id else r.subject if r.object == e.id else None
        if other in cat and other != e.id:
            weights[(other, r.predicate)] += r.weight
    neighbours = [Neighbour(cat[o], p, w) for (o, p), w in weights.most_common(40)]
    mentions = [m for m in kb.facts("mention", key=e.id)][:limit]
    passages = tuple(citation_for(kb, m.doc_id, m.chunk_id, m.start, m.end) for m in mentions)
    return EntityView(e, tuple(figures), tuple(neighbours), passages)


def find_figures(kb: KnowledgeBase, region: str | None = None, indicator: str | None = None,
                 period: str | None = None, doc: str | None = None) -> list[Figure]:
    """Figures filtered by region (any alias), indicator (substring) and period (prefix: 2024 matches 2024-08)."""
    key = None
    if region:
        key = resolve_entity(kb, region).id
    figs = kb.facts("figure", doc_id=doc, key=key)
    if indicator:
        figs = [f for f in figs if indicator in f.indicator or any(indicator in h for h in f.row_header)]
    if period:
        figs = [f for f in figs if f.period.startswith(period)]
    return figs


def relations_of(kb: KnowledgeBase, entity_id: str) -> list[Relation]:
    return [r for r in kb.facts("relation") if entity_id in (r.subject, r.object)]
