"""One report's extraction: entities, mentions, figures (sentences and table cells) and relations."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable

from kg.extract.cells import cell_figures
from kg.extract.definitions import definitions as find_definitions, find_definitions as definition_spans
from kg.extract.entity_records import concept_id
from kg.extract.enumerations import enumerations as find_enumerations
from kg.extract.entities import find_entities
from kg.extract.figures import Context, text_figures
from kg.extract.numbers import data_year
from kg.extract.relations import build_relations
from kg.types import Chunk, Definition, Document, Entity, Enumeration, Figure, Mention, Relation, Table


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one document; every item carries its chunk id and span."""

    doc_id: str
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    figures: tuple[Figure, ...]
    relations: tuple[Relation, ...]
    skipped: tuple[tuple[str, int], ...] = ()  # (what, how many): bare numbers, text cells, unresolved 43号文 …
    definitions: tuple[Definition, ...] = ()
    enumerations: tuple[Enumeration, ...] = ()

    def __post_init__(self) -> None:
        for what, items in (("mention", self.mentions), ("figure", self.figures), ("relation", self.relations),
                            ("definition", self.definitions), ("enumeration", self.enumerations)):
            other = next((x for x in items if x.doc_id != self.doc_id), None)
            if other is not None:
                raise ValueError(f"Extraction of {self.doc_id}: a {what} belongs to {other.doc_id}")


def extract(doc: Document, tables: tuple[Table, ...], chunks: tuple[Chunk, ...], gazetteer) -> Extraction:
    """Deterministic: the same document, tables, chunks and gazetteer always give the same Extraction.

    gazetteer is kg.extract.gazetteer.load_gazetteer() or anything with the same finders. The stages are also the
    components of the spaCy pipeline (kg.extract.nlp), which assembles its Extraction the same way.
    """
    ents = find_entities(doc, chunks, gazetteer)
    text, cells = figure_stage(doc, tables, chunks, gazetteer)
    defs, enums = definitions_and_lists(doc, chunks, gazetteer)
    return assemble(doc, tables, chunks, gazetteer, ents, ents.mentions, (text, cells), defs, enums)


def figure_stage(doc: Document, tables: tuple[Table, ...], chunks: tuple[Chunk, ...], gazetteer):
    """(text figures, cell figures), each a kg.extract.figures.Found."""
    ctx = document_context(doc, gazetteer)
    return text_figures(doc, chunks, gazetteer, ctx), cell_figures(doc, tables, chunks, gazetteer, ctx)


def assemble(doc: Document, tables: tuple[Table, ...], chunks: tuple[Chunk, ...], gazetteer, ents,
             mentions: Iterable[Mention], found_figures, defs: tuple[Definition, ...] = (),
             enums: tuple[Enumeration, ...] = ()) -> Extraction:
    """The Extraction from the stages' results: figures canonical and deduplicated, every region described."""
    text, cells = found_figures
    figures = tuple(sorted({f.id: _canonical(f, gazetteer) for f in (*text.figures, *cells.figures)}.values(),
                           key=lambda f: (f.start, f.end)))
    entities = _with_figure_regions(ents.entities, figures, gazetteer, _home_region(doc, gazetteer))
    relations = build_relations(doc, chunks, ents)
    skipped = Counter(text.skipped) + Counter(cells.skipped) + Counter(ents.skipped)
    skipped["cell_skipped_rows"] = sum(t.skipped_rows for t in tables)
    return Extraction(doc.id, entities, tuple(sorted(mentions, key=lambda m: (m.start, m.end, m.entity_id))),
                      figures, relations, tuple(sorted((k, v) for k, v in skipped.items() if v)), defs, enums)


def definitions_and_lists(doc: Document, chunks: tuple[Chunk, ...], gazetteer
                          ) -> tuple[tuple[Definition, ...], tuple[Enumeration, ...]]:
    """Definitions and enumerations of a document, terms linked to gazetteer concepts."""
    def concept(key: str) -> str | None:
        c = gazetteer.concept(key)
        return concept_id(c.uri) if c is not None else None

    spans = definition_spans(doc.text)
    return (find_definitions(doc.id, doc.text, chunks, concept, spans),
            find_enumerations(doc.id, doc.text, chunks, spans, concept))


def _canonical(f: Figure, gazetteer) -> Figure:
    """An indicator that is exactly a concept's alias takes its preferred label: 社零 -> 社会消费品零售总额."""
    c = gazetteer.concept(f.indicator) if f.indicator else None
    return replace(f, indicator=c.label) if c is not None and c.label != f.indicator else f


# Genres whose figures, when no period is written, are about the report's data period (a communiqué's year).
_DEFAULT_PERIOD_GENRES = ("统计公报", "金融运行报告", "预算/决算", "债券披露")


def document_context(doc: Document, gazetteer) -> Context:
    """What the report's figures inherit: its data year, region, the year 今年 counts from (the date it was
    delivered), and its data period for figures that state none (single-year periods of the genres above)."""
    period = doc.data_period if doc.genre in _DEFAULT_PERIOD_GENRES and doc.data_period \
        and "-" not in doc.data_period else None
    doc_year = int(doc.date[:4]) if doc.date else doc.year
    return Context(doc.id, doc.data_year or data_year(doc), _home_region(doc, gazetteer), doc_year, period)


def _home_region(doc: Document, gazetteer) -> str | None:
    r = gazetteer.region(doc.region_code or doc.region) if (doc.region_code or doc.region) else None
    return f"region-{r.code}" if r is not None else None


def _with_figure_regions(entities: tuple[Entity, ...], figures: tuple[Figure, ...], gazetteer,
                         home: str | None = None) -> tuple[Entity, ...]:
    """A figure's region, the report's own and every region they lie in must be described entities even where
    the text never names them (a province's report that only says 全省; 成华区's 成都)."""
    have = {e.id for e in entities}
    used = {f.region for f in figures if f.region} | {home} - {None} | {b for e in entities if e.type == "region"
                                                                        for b in e.broader}
    used |= {f"region-{p.code}" for rid in list(used) for p in gazetteer.parents(rid)}
    extra = []
    for rid in sorted(used - have):
        r = gazetteer.region(rid.removeprefix("region-"))
        if r is not None:
            extra.append(Entity(rid, "region", r.name, tuple(a for a in r.aliases if a != r.name), r.code,
                                (f"region-{r.parent}",) if r.parent else ()))
    return tuple(sorted((*entities, *extra), key=lambda e: e.id))
