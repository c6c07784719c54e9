"""Extractions -> RDF: one named graph per document and the shared catalogue (schema_graph is in kg.graph.vocab).

Modelling, in short:
- chunks and mentions are oa:SpecificResources of the report; offsets are into Document.text;
- every figure is a qb:Observation in the report's qb:DataSet, keyed by refArea, refPeriod,
  pkg:indicator, pkg:measure and pkg:valueSpan (the selector of the value as written), so two
  statements of the same number never collide (IC-12) and unknown area/period get explicit values (IC-11);
- a relation is a plain triple (easy to query) plus an rdf:Statement carrying weight and evidence;
- entities and periods are described once, in the shared catalogue graph (catalogue_graph), not in
  each report's graph: Oxigraph's union default graph is a bag, so a label stored per report would
  come back once per report in every query that joins on it.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from decimal import Decimal
from typing import Iterable

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, QB, SKOS

from kg.errors import UsageError
from kg.graph.rdf_defs import add_definitions, add_enumerations
from kg.types import Chunk, Definition, Document, Entity, Enumeration, Figure, Mention, Relation, content_id
from kg.graph.vocab import (DSD, ENTITY_CLASS, OA, PKG, SCHEME, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE,
                      chunk_uri, dataset_uri, doc_uri, entity_uri, figure_uri, mention_uri, new_graph,
                      period_uri, relation_uri, schema_graph, table_uri)

RELATION_PREDICATES: dict[str, URIRef] = {
    "mentions": PKG.mentions, "issuedBy": PKG.issuedBy, "abbreviates": PKG.abbreviates,
    "refersTo": PKG.refersTo, "broader": SKOS.broader, "coOccurs": PKG.coOccursWith,
    "coOccursWith": PKG.coOccursWith,
}
HEADER_SEP = " > "
__all__ = ["doc_graph", "catalogue_graph", "report_graphs", "schema_graph", "add_entity", "node", "RELATION_PREDICATES"]


def node(ref: str) -> URIRef:
    """A document id or an entity id as its URI."""
    return doc_uri(ref) if ref.startswith("doc-") else entity_uri(ref)


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _span(g: Graph, owner: URIRef, frag: str, start: int, end: int) -> URIRef:
    """An oa:TextPositionSelector as a hash URI of its owner (no blank nodes: stable, diffable)."""
    sel = URIRef(f"{owner}#{frag}")
    g.add((sel, RDF.type, OA.TextPositionSelector))
    g.add((sel, OA.start, Literal(start)))
    g.add((sel, OA.end, Literal(end)))
    return sel


def _check_doc(items: Iterable, doc_id: str, what: str) -> None:
    for x in items:
        if x.doc_id != doc_id:
            raise UsageError(f"{what} of {x.doc_id!r} passed with document {doc_id!r}: pass one document's items")


def _add_document(g: Graph, doc: Document, entities: dict[str, Entity]) -> URIRef:
    d = doc_uri(doc.id)
    g.add((d, RDF.type, PKG.Report))
    g.add((d, DCTERMS.identifier, Literal(doc.id)))
    g.add((d, DCTERMS.title, _zh(doc.title)))
    g.add((d, DCTERMS.source, Literal(doc.source)))
    if doc.year is not None:
        g.add((d, DCTERMS.issued, Literal(f"{doc.year:04d}", datatype=XSD.gYear)))
    if doc.issuer:
        g.add((d, DCTERMS.publisher, _zh(doc.issuer)))
    if doc.region_code:
        g.add((d, DCTERMS.spatial, entity_uri(f"region-{doc.region_code}")))
    elif doc.region:
        region = next((e for e in entities.values() if e.type == "region"
                       and (doc.region == e.label or doc.region in e.aliases)), None)
        g.add((d, DCTERMS.spatial, entity_uri(region.id) if region else _zh(doc.region)))
    if doc.date:
        g.add((d, DCTERMS.date, Literal(doc.date, datatype=XSD.date)))
    if doc.genre:
        g.add((d, PKG.genre, _zh(doc.genre)))
    if doc.data_period:
        g.add((d, DCTERMS.temporal, period_uri(doc.data_period)))
    if doc.ocr_pages:  # text read from scanned images: QA may weigh it less
        g.add((_ocr_activity(d), RDF.type, PROV.Activity))
        g.add((_ocr_activity(d), RDFS.label, Literal("OCR of scanned pages", lang="en")))
        for n in doc.ocr_pages:
            g.add((d, PKG.ocrPage, Literal(n)))
    return d


def _ocr_activity(d: URIRef) -> URIRef:
    """The prov:Activity that read a report's scanned pages by OCR."""
    return URIRef(f"{d}#ocr")


def _from_ocr(doc: Document, c: Chunk) -> bool:
    """Whether a chunk starts or ends on a page whose text was read by OCR."""
    return bool(doc.ocr_pages) and bool({doc.page_at(c.start), doc.page_at(c.end - 1)} & set(doc.ocr_pages))


def _add_chunk(g: Graph, d: URIRef, c: Chunk, ocr: bool = False) -> None:
    u = chunk_uri(c.id)
    if ocr:
        g.add((u, PROV.wasGeneratedBy, _ocr_activity(d)))
    g.add((u, RDF.type, PKG.Chunk))
    g.add((u, DCTERMS.isPartOf, d))
    g.add((u, OA.hasSource, d))
    g.add((u, OA.hasSelector, _span(g, u, "pos", c.start, c.end)))
    quote = URIRef(f"{u}#quote")
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(c.text)))
    g.add((u, OA.hasSelector, quote))
    if c.section:
        g.add((u, PKG.section, _zh(HEADER_SEP.join(c.section))))
    if c.page is not None:
        g.add((u, PKG.page, Literal(c.page)))
    if c.table_id:
        g.add((u, PKG.table, table_uri(c.table_id)))


def add_entity(g: Graph, e: Entity) -> URIRef:
    """An entity as a SKOS concept of its pkg class, in the PolicyKG scheme."""
    u = entity_uri(e.id)
    g.add((u, RDF.type, ENTITY_CLASS[e.type]))
    g.add((u, SKOS.inScheme, SCHEME))
    g.add((u, SKOS.prefLabel, _zh(e.label)))
    for alias in e.aliases:
        if alias != e.label:
            g.add((u, SKOS.altLabel, _zh(alias)))
    if e.code:
        g.add((u, SKOS.notation, Literal(e.code)))
    for parent in e.broader:
        g.add((u, SKOS.broader, entity_uri(parent)))
    return u


def _add_mention(g: Graph, d: URIRef, m: Mention) -> None:
    u = mention_uri(content_id("mention", m.doc_id, m.entity_id, m.start, m.end))
    e = entity_uri(m.entity_id)
    g.add((d, PKG.mentions, e))
    g.add((u, RDF.type, PKG.Mention))
    g.add((u, PKG.mentionOf, e))
    g.add((u, OA.hasSource, d))
    g.add((u, PROV.wasDerivedFrom, chunk_uri(m.chunk_id)))
    g.add((u, OA.hasSelector, _span(g, u, "pos", m.start, m.end)))
    g.add((u, RDFS.label, _zh(m.surface)))


def _decimal(x: float) -> Literal:
    """xsd:decimal in canonical form (6325, 12.3), as Oxigraph writes it back, so round trips compare equal."""
    text = format(Decimal(repr(float(x))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Literal("0" if text in ("-0", "") else text, datatype=XSD.decimal)


def _unit_mult(multiplier: float) -> int | None:
    """SDMX unitMult is a power of ten (8 for 亿); None when the multiplier is not one."""
    if multiplier <= 0:
        return None
    exp = round(math.log10(multiplier))
    return exp if math.isclose(10.0 ** exp, multiplier, rel_tol=1e-9) else None


def _add_period(g: Graph, period: str) -> None:
    u = period_uri(period)
    if period:
        g.add((u, RDF.type, PKG.Period))
        g.add((u, RDFS.label, Literal(period)))
        year = re.search(r"(?<!\d)(\d{4})(?!\d)", period)
        if year:
            g.add((u, PKG.year, Literal(int(year.group(1)))))


def _add_figure(g: Graph, d: URIRef, ds: URIRef, f: Figure) -> bool:
    if not math.isfinite(f.value):
        return False
    u = figure_uri(f.id)
    g.add((u, RDF.type, QB.Observation))
    g.add((u, RDF.type, PKG.Figure))
    g.add((u, QB.dataSet, ds))
    g.add((u, SDMX_DIMENSION.refArea, entity_uri(f.region) if f.region else PKG.unspecifiedArea))
    g.add((u, SDMX_DIMENSION.refPeriod, period_uri(f.period)))
    if f.region_inferred:
        g.add((u, PKG.inferred, SDMX_DIMENSION.refArea))
    if f.period_inferred:
        g.add((u, PKG.inferred, SDMX_DIMENSION.refPeriod))
    g.add((u, PKG.indicator, _zh(f.indicator)))
    g.add((u, PKG.measure, Literal(f.measure)))
    g.add((u, PKG.valueSpan, _span(g, u, "value", f.start, f.end)))
    g.add((u, SDMX_MEASURE.obsValue, _decimal(f.value)))
    if f.unit:
        g.add((u, SDMX_ATTRIBUTE.unitMeasure, Literal(f.unit)))
    mult = _unit_mult(f.multiplier)
    if mult is not None:
        g.add((u, SDMX_ATTRIBUTE.unitMult, Literal(mult)))
    else:
        g.add((u, PKG.multiplier, _decimal(f.multiplier)))
    if f.direction:
        g.add((u, PKG.direction, Literal(f.direction)))
    if f.row_header:
        g.add((u, PKG.rowHeader, _zh(HEADER_SEP.join(f.row_header))))
    if f.col_header:
        g.add((u, PKG.colHeader, _zh(HEADER_SEP.join(f.col_header))))
    if f.table_id:
        g.add((u, PKG.table, table_uri(f.table_id)))
    g.add((u, PROV.wasDerivedFrom, chunk_uri(f.chunk_id)))
    return True


def _add_relations(g: Graph, d: URIRef, relations: Iterable[Relation]) -> None:
    """Plain triples, plus one rdf:Statement per (triple, evidence) with the summed weight."""
    weights: dict[tuple, float] = defaultdict(float)
    for r in relations:
        if r.predicate not in RELATION_PREDICATES:
            raise UsageError(f"unknown relation predicate {r.predicate!r}: use one of "
                             f"{', '.join(sorted(RELATION_PREDICATES))}")
        weights[(r.subject, r.predicate, r.object, r.chunk_id, r.start, r.end)] += r.weight
    for (s, p, o, chunk_id, start, end), w in weights.items():
        su, pu, ou = node(s), RELATION_PREDICATES[p], node(o)
        g.add((su, pu, ou))
        st = relation_uri(content_id("rel", d, s, p, o, chunk_id, start, end))
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, su))
        g.add((st, RDF.predicate, pu))
        g.add((st, RDF.object, ou))
        g.add((st, PKG.weight, Literal(float(w))))
        if chunk_id:
            g.add((st, PROV.wasDerivedFrom, chunk_uri(chunk_id)))
        if end > start:
            g.add((st, OA.hasSource, d))
            g.add((st, OA.hasSelector, _span(g, st, "pos", start, end)))


def doc_graph(doc: Document, chunks: Iterable[Chunk] = (), entities: Iterable[Entity] = (),
              mentions: Iterable[Mention] = (), figures: Iterable[Figure] = (),
              relations: Iterable[Relation] = (), definitions: Iterable[Definition] = (),
              enumerations: Iterable[Enumeration] = ()) -> Graph:
    """The triples of one document's named graph: what this report asserts. Entities are only
    referred to by URI (`entities` serve to link Document.region to its region entity); describe
    them with catalogue_graph. Figures whose value is not finite are left out."""
    chunks, mentions, figures, relations = list(chunks), list(mentions), list(figures), list(relations)
    definitions, enumerations = list(definitions), list(enumerations)
    for items, what in ((chunks, "chunk"), (mentions, "mention"), (figures, "figure"), (relations, "relation"),
                        (definitions, "definition"), (enumerations, "enumeration")):
        _check_doc(items, doc.id, what)
    catalogue = {e.id: e for e in entities}
    g = new_graph()
    d = _add_document(g, doc, catalogue)
    for c in chunks:
        _add_chunk(g, d, c, _from_ocr(doc, c))
    for m in mentions:
        _add_mention(g, d, m)
    if figures:
        ds = dataset_uri(doc.id)
        if any([_add_figure(g, d, ds, f) for f in figures]):
            g.add((ds, RDF.type, QB.DataSet))
            g.add((ds, QB.structure, DSD))
            g.add((ds, PROV.wasDerivedFrom, d))
            g.add((ds, RDFS.label, _zh(f"{doc.title}：数据")))
    _add_relations(g, d, relations)
    add_definitions(g, d, definitions)
    add_enumerations(g, d, enumerations)
    return g


def report_graphs(doc: Document, chunks: Iterable[Chunk] = (), entities: Iterable[Entity] = (),
                  mentions: Iterable[Mention] = (), figures: Iterable[Figure] = (),
                  relations: Iterable[Relation] = (), definitions: Iterable[Definition] = (),
                  enumerations: Iterable[Enumeration] = ()) -> tuple[Graph, Graph]:
    """(doc_graph, catalogue_graph) for one report: the two arguments of GraphStore.replace_doc."""
    entities, figures = list(entities), list(figures)
    return (doc_graph(doc, chunks, entities, mentions, figures, relations, definitions, enumerations),
            catalogue_graph(entities, figures))


def catalogue_graph(entities: Iterable[Entity] = (), figures: Iterable[Figure] = ()) -> Graph:
    """Descriptions several reports share: the entities (SKOS concepts of the PolicyKG scheme)
    and the periods the figures refer to (label and first year). Kept in the catalogue graph."""
    g = new_graph()
    for e in entities:
        add_entity(g, e)
    for period in sorted({f.period for f in figures if f.period}):
        _add_period(g, period)
    return g
