"""Definitions and enumerations -> RDF: oa:SpecificResources of the report with term and body selectors; a term that
is a gazetteer concept gets skos:definition (the defining clause) or pkg:enumerates from the report's graph."""
from __future__ import annotations

from typing import Iterable

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg.graph.vocab import OA, PKG, chunk_uri, definition_uri, entity_uri, enumeration_uri
from kg.types import Definition, Enumeration


def _span(g: Graph, owner: URIRef, frag: str, start: int, end: int) -> URIRef:
    sel = URIRef(f"{owner}#{frag}")
    g.add((sel, RDF.type, OA.TextPositionSelector))
    g.add((sel, OA.start, Literal(start)))
    g.add((sel, OA.end, Literal(end)))
    return sel


def _common(g: Graph, d: URIRef, u: URIRef, cls: URIRef, x: Definition | Enumeration) -> None:
    g.add((u, RDF.type, cls))
    g.add((u, OA.hasSource, d))
    g.add((u, PROV.wasDerivedFrom, chunk_uri(x.chunk_id)))
    g.add((u, PKG.term, Literal(x.term, lang="zh")))
    if x.key:
        g.add((u, PKG.termKey, Literal(x.key, lang="zh")))
    g.add((u, PKG.termSpan, _span(g, u, "term", *x.term_span)))
    g.add((u, PKG.kind, Literal(x.kind)))


def add_definitions(g: Graph, d: URIRef, definitions: Iterable[Definition]) -> None:
    for x in definitions:
        u = definition_uri(x.id)
        _common(g, d, u, PKG.Definition, x)
        body = _span(g, u, "body", *x.body_span)
        g.add((u, PKG.bodySpan, body))
        g.add((u, OA.hasSelector, body))
        g.add((u, RDFS.label, Literal(x.body, lang="zh")))
        if x.concept:
            g.add((u, PKG.defines, entity_uri(x.concept)))
            g.add((entity_uri(x.concept), SKOS.definition, Literal(x.body, lang="zh")))


def add_enumerations(g: Graph, d: URIRef, enumerations: Iterable[Enumeration]) -> None:
    for x in enumerations:
        u = enumeration_uri(x.id)
        _common(g, d, u, PKG.Enumeration, x)
        g.add((u, OA.hasSelector, _span(g, u, "pos", x.term_span[0], x.items[-1][1])))
        if x.count_word:
            g.add((u, PKG.countWord, Literal(x.count_word, lang="zh")))
        if x.concept:
            g.add((u, PKG.enumerates, entity_uri(x.concept)))
        for k, ((s, e), text) in enumerate(zip(x.items, x.item_texts), 1):
            item = URIRef(f"{u}#item-{k}")
            g.add((u, PKG.item, item))
            g.add((item, RDF.type, PKG.EnumerationItem))
            g.add((item, PKG.position, Literal(k)))
            g.add((item, RDFS.label, Literal(text, lang="zh")))
            g.add((item, OA.hasSource, d))
            g.add((item, OA.hasSelector, _span(g, u, f"item-{k}-pos", s, e)))
