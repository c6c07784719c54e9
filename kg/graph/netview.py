"""A networkx view of the graph: entities and documents as nodes; mentions, co-occurrence and relations as edges."""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from kg.errors import UsageError
from kg.graph.vocab import PREFIXES, local_id

if TYPE_CHECKING:
    import networkx as nx

_ENTITIES = """SELECT DISTINCT ?e ?type ?label WHERE {
  ?e a ?type ; skos:prefLabel ?label .
  VALUES ?type { pkg:Region pkg:Concept pkg:Institution pkg:Policy pkg:Meeting } }"""
_DOCS = """SELECT DISTINCT ?d ?title ?source WHERE {
  ?d a pkg:Report ; dcterms:title ?title . OPTIONAL { ?d dcterms:source ?source } }"""
_MENTIONS = """SELECT ?d ?e (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?d pkg:mentions ?e . OPTIONAL { ?m pkg:mentionOf ?e ; oa:hasSource ?d } } GROUP BY ?d ?e"""
_COOCCUR = """SELECT DISTINCT ?st ?s ?o ?w WHERE {
  ?st rdf:predicate pkg:coOccursWith ; rdf:subject ?s ; rdf:object ?o ; pkg:weight ?w }"""
_RELATIONS = """SELECT DISTINCT ?s ?p ?o WHERE {
  ?s ?p ?o . VALUES ?p { pkg:issuedBy pkg:abbreviates pkg:refersTo skos:broader } }"""
_TYPES = {"Region": "region", "Concept": "concept", "Institution": "institution", "Policy": "policy",
          "Meeting": "meeting"}


def _rows(source, query: str) -> list[tuple[str | None, ...]]:
    """Rows of plain strings from an rdflib Graph/Dataset or a GraphStore (union default graph)."""
    from rdflib import Graph
    if isinstance(source, Graph):
        return [tuple(None if v is None else str(v) for v in row) for row in source.query(query, initNs=PREFIXES)]
    return [tuple(None if t is None else t.value for t in sol) for sol in source.query(query)]


def node_id(uri: str) -> str:
    """`doc-…` / entity id for instance URIs, the URI itself otherwise."""
    return local_id(uri, "entity") or local_id(uri, "doc") or uri


def _edge(G: "nx.MultiDiGraph", u: str, v: str, kind: str, weight: float) -> None:
    """Add an edge; an endpoint not described in the graph gets a node labelled with its id."""
    for n in (u, v):
        if n not in G:
            doc = n.startswith("doc-")
            G.add_node(n, kind="document" if doc else "entity", type="document" if doc else "", label=n)
    G.add_edge(u, v, key=kind, kind=kind, weight=weight)


def to_networkx(source) -> "nx.MultiDiGraph":
    """The view of a GraphStore or an rdflib Graph/Dataset. Node attributes: kind (entity or
    document), type, label; edges keyed by kind (mentions, coOccursWith, issuedBy, abbreviates,
    refersTo, broader) with a weight: mention count, summed co-occurrence weight, or 1."""
    import networkx as nx
    G = nx.MultiDiGraph()
    for e, typ, label in _rows(source, _ENTITIES):
        G.add_node(node_id(e), kind="entity", type=_TYPES.get(typ.rsplit("#", 1)[-1], ""), label=label)
    for d, title, src in _rows(source, _DOCS):
        G.add_node(node_id(d), kind="document", type="document", label=title, source=src or "")
    for d, e, n in _rows(source, _MENTIONS):
        _edge(G, node_id(d), node_id(e), "mentions", float(max(int(n or 0), 1)))
    pairs: dict[tuple[str, str], float] = defaultdict(float)
    for _, s, o, w in _rows(source, _COOCCUR):
        pairs[(node_id(s), node_id(o))] += float(w)
    for (u, v), w in pairs.items():
        _edge(G, u, v, "coOccursWith", w)
    for s, p, o in _rows(source, _RELATIONS):
        _edge(G, node_id(s), node_id(o), p.rsplit("#", 1)[-1], 1.0)
    return G


def _check(G: "nx.MultiDiGraph", n: str) -> None:
    if n not in G:
        raise UsageError(f"no node {n!r} in the graph: use an entity id such as region-210000 or a doc id")


def neighbours(G: "nx.MultiDiGraph", node: str, depth: int = 1) -> dict[str, int]:
    """Nodes within `depth` hops, either direction, mapped to their distance (the node itself left out)."""
    import networkx as nx
    _check(G, node)
    if depth < 1:
        raise UsageError(f"depth must be at least 1, got {depth}")
    dist = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), node, cutoff=depth)
    return {n: d for n, d in sorted(dist.items(), key=lambda x: (x[1], x[0])) if n != node}


def shortest_path(G: "nx.MultiDiGraph", source: str, target: str) -> list[str]:
    """Node ids from source to target, either direction along edges; [] when they are not connected."""
    import networkx as nx
    _check(G, source)
    _check(G, target)
    try:
        return nx.shortest_path(G.to_undirected(as_view=True), source, target)
    except nx.NetworkXNoPath:
        return []


def centrality(G: "nx.MultiDiGraph", top: int = 20, method: str = "pagerank",
               kind: str | None = "entity") -> list[tuple[str, float]]:
    """The `top` nodes (of `kind`, or all when None) by weighted PageRank or degree centrality,
    over the undirected graph; ties broken by id."""
    import networkx as nx
    if method not in ("pagerank", "degree"):
        raise UsageError(f"unknown centrality method {method!r}: use pagerank or degree")
    if not len(G):
        return []
    U = nx.Graph()
    U.add_nodes_from(G.nodes)
    for u, v, w in G.edges(data="weight", default=1.0):
        if u != v:
            U.add_edge(u, v, weight=U.get_edge_data(u, v, {"weight": 0.0})["weight"] + w)
    if method == "degree":
        scores = nx.degree_centrality(U)
    else:
        try:
            scores = nx.pagerank(U, weight="weight")
        except ModuleNotFoundError as e:
            raise UsageError(f"pagerank needs scipy ({e}): pip install scipy, or use method='degree'") from e
    ranked = [(n, s) for n, s in scores.items() if kind is None or G.nodes[n].get("kind") == kind]
    return sorted(ranked, key=lambda x: (-x[1], x[0]))[:top]
