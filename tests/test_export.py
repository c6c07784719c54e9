"""Exports: every format parses with an independent parser and round-trips with rdflib."""
from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.errors import UsageError
from kg.graph.export import CSV_COLUMNS, export, format_of, graphml_safe
from kg.graph.rdf import catalogue_graph, doc_graph, report_graphs, schema_graph
from kg.graph.vocab import CATALOGUE_GRAPH, PREFIXES, SCHEMA_GRAPH, chunk_uri, figure_uri, graph_uri
from test_graph import ENTITIES, build_store, sample

RDFLIB_DEPRECATIONS = r"ignore:(Dataset|ConjunctiveGraph)\S* is deprecated:DeprecationWarning"
pytestmark = pytest.mark.filterwarnings(RDFLIB_DEPRECATIONS)  # raised inside rdflib 7.6 itself


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    gs, _ = build_store(tmp_path_factory.mktemp("kb") / "graph")
    yield gs
    gs.close()


def _flattened() -> Graph:
    """What Turtle and N-Triples hold: every document graph, the catalogue and the schema, merged."""
    g = schema_graph()
    for d in sample():
        for part in report_graphs(**d):
            g += part
    return g


@pytest.mark.parametrize("suffix, ox_format, rdflib_format", [
    (".ttl", ox.RdfFormat.TURTLE, "turtle"), (".nt", ox.RdfFormat.N_TRIPLES, "nt")])
def test_flat_formats_round_trip(store, tmp_path, suffix, ox_format, rdflib_format):
    path = tmp_path / f"kg{suffix}"
    res = export(store, path)
    expected = _flattened()
    assert res.count == len(expected) and res.path == str(path)
    assert len(list(ox.parse(path=str(path), format=ox_format))) == len(expected)
    assert isomorphic(Graph().parse(path, format=rdflib_format), expected)
    if suffix == ".ttl":
        assert "@prefix pkg: <https://policykg.org/vocab#>" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix, rdflib_format", [(".nq", "nquads"), (".trig", "trig"), (".jsonld", "json-ld")])
def test_dataset_formats_keep_one_graph_per_document(store, tmp_path, suffix, rdflib_format):
    path = tmp_path / f"kg{suffix}"
    export(store, path)
    ds = Dataset()
    ds.parse(path, format=rdflib_format)
    for d in sample():
        assert isomorphic(ds.graph(graph_uri(d["doc"].id)), doc_graph(**d)), d["doc"].source
    assert isomorphic(ds.graph(SCHEMA_GRAPH), schema_graph())
    figures = [f for d in sample() for f in d["figures"]]
    assert isomorphic(ds.graph(CATALOGUE_GRAPH), catalogue_graph(ENTITIES, figures))
    fmt = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD}[suffix]
    quads = list(ox.parse(path=str(path), format=fmt))
    assert len(quads) == len(store)
    shared = {str(SCHEMA_GRAPH), str(CATALOGUE_GRAPH)}
    assert {q.graph_name.value for q in quads} == {str(graph_uri(d["doc"].id)) for d in sample()} | shared


def test_jsonld_has_a_context_for_the_prefixes(store, tmp_path):
    export(store, tmp_path / "kg.json")
    data = json.loads((tmp_path / "kg.json").read_text(encoding="utf-8"))
    assert data["@context"]["pkg"] == PREFIXES["pkg"] and data["@context"]["qb"] == PREFIXES["qb"]
    assert "辽宁" in (tmp_path / "kg.json").read_text(encoding="utf-8"), "Chinese stays readable"


def test_graphml_opens_with_networkx(store, tmp_path):
    res = export(store, tmp_path / "kg.graphml")
    G = nx.read_graphml(tmp_path / "kg.graphml")
    assert G.nodes["region-210000"]["label"] == "辽宁"
    assert G.number_of_edges() == res.count > 0
    assert any(data["kind"] == "coOccursWith" and data["weight"] == 3.0 for *_, data in G.edges(data=True))


def test_graphml_safe_replaces_values_graphml_cannot_hold():
    G = nx.MultiDiGraph()
    G.add_node("a", label=None, path=("一", "二"), n=3)
    G.add_edge("a", "b", weight=None, docs=["d1", "d2"])
    H = graphml_safe(G)
    assert H.nodes["a"] == {"label": "", "path": "一 | 二", "n": 3}
    nx.write_graphml(H, io.BytesIO())
    assert G.nodes["a"]["label"] is None, "the original is left alone"


def test_csv_has_one_row_per_triple_with_its_source_chunk(store, tmp_path):
    res = export(store, tmp_path / "kg.csv")
    with open(tmp_path / "kg.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == res.count == len(store)
    d = sample()[0]
    fig, chunk = figure_uri(d["figures"][0].id), chunk_uri(d["figures"][0].chunk_id)
    value = next(r for r in rows if r["subject"] == str(fig) and r["predicate"].endswith("#obsValue"))
    assert value["object"] == "6325" and value["object_type"].endswith("#decimal")
    assert value["source_chunk"] == str(chunk) and value["graph"] == str(graph_uri(d["doc"].id))
    span = next(r for r in rows if r["subject"] == f"{fig}#value" and r["predicate"].endswith("#start"))
    assert span["source_chunk"] == str(chunk), "a selector inherits its owner's chunk"
    label = next(r for r in rows if r["predicate"].endswith("#prefLabel") and r["object"] == "辽宁")
    assert label["object_type"] == "@zh"


def test_format_names_streams_and_errors(store, tmp_path):
    buf = io.BytesIO()
    assert export(store, "turtle", buf).format == "ttl"
    assert Graph().parse(data=buf.getvalue(), format="turtle")
    assert format_of("out.JSON") == ("jsonld", True) and format_of("nq") == ("nq", False)
    with pytest.raises(UsageError, match=r"\.graphml.*ttl, nt, nq, trig, jsonld, graphml, csv"):
        export(store, tmp_path / "kg.xlsx")
    with pytest.raises(UsageError, match="needs an output"):
        export(store, "nt")
    with pytest.raises(UsageError, match="not both"):
        export(store, tmp_path / "kg.ttl", io.BytesIO())
    with pytest.raises(UsageError, match="no folder"):
        export(store, tmp_path / "missing" / "kg.ttl")
    assert not list(tmp_path.glob("*.tmp")), "no temporary file left behind"
