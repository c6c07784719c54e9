"""Read-only SPARQL: W3C JSON results, Turtle for CONSTRUCT, updates refused by parsing."""
from __future__ import annotations

import json

import pytest
from rdflib import Graph

from kg.errors import UsageError
from kg.graph.sparql import READ_ONLY, check_query, execute, is_update, pick_format, run_query
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


@pytest.mark.parametrize("query", [
    "PREFIX : <http://127.0.0.1:{port}/> SELECT ?x WHERE {{ SERVICE:anything {{ ?x ?p ?o }} }}",
    "SELECT ?x WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/s> {{ ?x ?p ?o }} }}",
    "SELECT ?x WHERE {{ {{ SELECT ?x WHERE {{ SERVICE <http://127.0.0.1:{port}/s> {{ ?x ?p ?o }} }} }} }}",
    "ASK {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <http://127.0.0.1:{port}/s> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/s> AS ?e) SERVICE ?e {{ ?x ?p ?o }} }}",
    "CONSTRUCT {{ ?x ?p ?o }} WHERE {{ service <http://127.0.0.1:{port}/s> {{ ?x ?p ?o }} }}",
    # a comment ended by a bare CR: one line to rdflib, two to Oxigraph (issue 19)
    "SELECT * WHERE {{ # c\r SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }}\n }}",
    "SELECT * WHERE {{ # c\u2028 SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }}\n }}",
])
def test_service_is_refused_from_the_algebra_and_nothing_leaves(store, listener, query):
    port, hits = listener
    with pytest.raises(UsageError, match="SERVICE is not allowed"):
        run_query(store, query.format(port=port))
    import time
    time.sleep(0.3)
    assert hits == []


def test_code_point_escapes_are_refused_and_line_breaks_made_one(store, listener):
    port, hits = listener
    # \u00000022 is a quote to rdflib and NUL + "0022" to Oxigraph: SERVICE hidden in what rdflib reads as a string
    hidden = ('SELECT * WHERE { { ?s0 ?p0 "a\\u00000022 , " } UNION { SERVICE <http://127.0.0.1:%d/u> { ?s ?p ?o } '
              'BIND(" . BIND(\\u00000022z" AS ?z) } }' % port)
    with pytest.raises(UsageError, match="escapes are not accepted"):
        run_query(store, hidden)
    with pytest.raises(UsageError, match="NUL"):
        run_query(store, "SELECT * WHERE { ?s ?p ?o }\x00")
    # a comment a bare CR ends is read as ended by both parsers: the pattern after it runs
    kind, res = run_query(store, "SELECT ?l WHERE { # the label\r entity:region-210000 skos:prefLabel ?l }")
    assert kind == "select" and res["results"]["bindings"][0]["l"]["value"] == "辽宁"
    import time
    time.sleep(0.3)
    assert hits == []


@pytest.mark.parametrize("media, check", [
    ("application/sparql-results+json", lambda b: json.loads(b)["results"]["bindings"][0]["l"]["value"] == "辽宁"),
    ("application/sparql-results+xml", lambda b: b"<sparql" in b and "辽宁".encode() in b),
    ("text/csv", lambda b: b.decode().splitlines() == ["l", "辽宁"]),
    ("text/tab-separated-values", lambda b: b.decode().splitlines() == ["?l", '"辽宁"@zh']),
])
def test_select_results_in_each_standard_format(store, media, check):
    q = check_query("SELECT ?l WHERE { entity:region-210000 skos:prefLabel ?l }")
    assert check(execute(store, q, media))


@pytest.mark.parametrize("media, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_construct_results_in_each_rdf_format(store, media, rdflib_format):
    q = check_query("CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e a pkg:Region ; skos:prefLabel ?l }")
    g = Graph().parse(data=execute(store, q, media), format=rdflib_format)
    assert [str(o) for o in g.objects()] == ["辽宁"]


def test_content_negotiation_picks_the_best_offered_type():
    assert pick_format("select", None) == "application/sparql-results+json"
    assert pick_format("select", "text/csv;q=0.5, application/sparql-results+xml") == "application/sparql-results+xml"
    assert pick_format("select", "text/turtle, */*;q=0.1") == "application/sparql-results+json"
    assert pick_format("construct", "application/rdf+xml") == "application/rdf+xml"
    assert pick_format("construct", "application/sparql-results+json") is None
    assert pick_format("ask", None, "tsv") == "text/tab-separated-values"
    assert pick_format("describe", "text/csv", "nt") == "application/n-triples"
    assert pick_format("construct", None, "xml") == "application/rdf+xml", "SPARQLWrapper's default format=xml"
    assert pick_format("select", "text/csv", "json-ld") == "text/csv", "an unusable format parameter defers to Accept"


def test_endpoint_queries_run_at_most_two_at_once_and_the_third_is_told_to_wait(tmp_path, monkeypatch):
    """Each endpoint query runs in its own process with up to Limits.max_memory: with MAX_QUERIES busy, the
    next one gets 503 once its timeout passes instead of a third process; freed, it runs."""
    from kg.graph import endpoint
    gs, _ = build_store(tmp_path / "graph")
    gs.close()  # the query processes open it themselves
    graph_dir = tmp_path / "graph"
    slots = endpoint._RUNNING
    for _ in range(endpoint.MAX_QUERIES):
        assert slots.acquire(timeout=1)
    try:
        r = endpoint.answer(graph_dir, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", limits=endpoint.Limits(timeout=0.3))
        assert r.status == 503 and b"queries are running" in r.body
    finally:
        for _ in range(endpoint.MAX_QUERIES):
            slots.release()
    r = endpoint.answer(graph_dir, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", limits=endpoint.Limits(timeout=20))
    assert r.status == 200
