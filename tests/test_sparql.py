"""Read-only SPARQL: W3C JSON results, Turtle for CONSTRUCT, updates refused by parsing."""
from __future__ import annotations

import pytest
from rdflib import Graph

from kg.errors import UsageError
from kg.graph.sparql import READ_ONLY, is_update, run_query
from test_graph import build_store, sample


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    gs, _ = build_store(tmp_path_factory.mktemp("kb") / "graph")
    yield gs
    gs.close()


def test_select_returns_w3c_json_with_short_prefixes(store):
    kind, res = run_query(store, """
        SELECT ?value ?unit ?chunk WHERE {
          ?obs a qb:Observation ; pkg:indicator "旅游收入"@zh ; sdmx-dimension:refArea entity:region-210000 ;
               sdmx-dimension:refPeriod/rdfs:label "2024" ; sdmx-measure:obsValue ?value ;
               sdmx-attribute:unitMeasure ?unit ; prov:wasDerivedFrom ?chunk }
        ORDER BY ?chunk""")
    assert kind == "select"
    assert res["head"]["vars"] == ["value", "unit", "chunk"]
    rows = res["results"]["bindings"]
    assert len(rows) == 3, "once in the 公报, twice in the 金融运行报告"
    assert rows[0]["value"] == {"type": "literal", "value": "6325",
                                "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}
    assert rows[0]["unit"]["value"] == "亿元"
    chunks = {c.id for d in sample() for c in d["chunks"]}
    assert all(r["chunk"]["type"] == "uri" and r["chunk"]["value"].rsplit("/", 1)[1] in chunks for r in rows)


def test_ask_returns_w3c_json_boolean(store):
    assert run_query(store, "ASK { ?d a pkg:Report ; dcterms:title ?t FILTER(CONTAINS(?t, '金融运行')) }") == (
        "ask", {"head": {}, "boolean": True})
    assert run_query(store, "ASK { ?s pkg:mentions entity:region-999999 }")[1]["boolean"] is False


def test_construct_and_describe_return_turtle(store):
    kind, ttl = run_query(store, "CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e a pkg:Region ; skos:prefLabel ?l }")
    assert kind == "graph" and "@prefix skos:" in ttl and '"辽宁"@zh' in ttl
    assert len(Graph().parse(data=ttl, format="turtle")) == 1
    kind, ttl = run_query(store, "DESCRIBE entity:region-210000")
    assert kind == "graph" and len(Graph().parse(data=ttl, format="turtle")) > 0


@pytest.mark.parametrize("update", [
    'INSERT DATA { <https://x.org/a> pkg:mentions <https://x.org/b> }',
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <https://x.org/> DELETE { ?s ?p ?o } INSERT { ?s ex:q ?o } WHERE { ?s ?p ?o }",
    "WITH <https://policykg.org/graph/schema> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <https://x.org/data.ttl>", "CLEAR ALL", "DROP GRAPH graph:schema", "CREATE GRAPH <https://x.org/g>",
    "ADD DEFAULT TO <https://x.org/g>", "MOVE DEFAULT TO <https://x.org/g>", "COPY DEFAULT TO <https://x.org/g>",
])
def test_updates_are_refused(store, update):
    before = len(store)
    with pytest.raises(UsageError) as err:
        run_query(store, update)
    assert str(err.value) == READ_ONLY
    assert len(store) == before


def test_a_select_mentioning_delete_in_a_literal_is_allowed(store):
    kind, res = run_query(store, 'SELECT ?x WHERE { BIND("DELETE WHERE { ?s ?p ?o }" AS ?x) }  # INSERT DATA')
    assert kind == "select" and res["results"]["bindings"][0]["x"]["value"].startswith("DELETE")
    assert not is_update('SELECT ?x WHERE { ?x rdfs:label "INSERT DATA" }')


def test_syntax_errors_and_service_are_usage_errors(store):
    with pytest.raises(UsageError, match=r"^SPARQL syntax error: .*\d") as err:
        run_query(store, "SELECT ?s WHERE { ?s a pkg:Report ")
    assert "\n" not in str(err.value)
    with pytest.raises(UsageError, match="empty"):
        run_query(store, "  ")
    with pytest.raises(UsageError, match="SERVICE is not allowed"):
        run_query(store, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    kind, _ = run_query(store, 'SELECT ?service WHERE { ?service rdfs:label "SERVICE" }')
    assert kind == "select"
