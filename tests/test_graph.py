"""The RDF graph: vocabulary, per-document graphs, Data Cube integrity, the store and the networkx view."""
from __future__ import annotations

import hashlib

import pytest
import rdflib.namespace as ns
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, QB, SKOS

from kg.errors import StoreError, UsageError
from kg.graph.rdf import catalogue_graph, doc_graph, report_graphs, schema_graph
from kg.graph.netview import centrality, neighbours, shortest_path, to_networkx
from kg.graph.store import GraphStore, sync
from kg.types import Chunk, Document, Entity, Figure, Mention, Relation, content_id
from kg.graph.vocab import (CATALOGUE_GRAPH, OA, PKG, PREFIXES, SCHEMA_GRAPH, SDMX_ATTRIBUTE, SDMX_DIMENSION,
                      SDMX_MEASURE, TERMS, chunk_uri, doc_uri, entity_uri, figure_uri, graph_uri)

RDFLIB_DEPRECATIONS = r"ignore:(Dataset|ConjunctiveGraph)\S* is deprecated:DeprecationWarning"
pytestmark = pytest.mark.filterwarnings(RDFLIB_DEPRECATIONS)  # raised inside rdflib 7.6 itself

POLICY = "policy-" + hashlib.sha1("国办发〔2024〕52号".encode()).hexdigest()[:12]
ENTITIES = (
    Entity("region-210000", "region", "辽宁", aliases=("辽宁省",), code="210000"),
    Entity("concept-专项债券", "concept", "专项债券", aliases=("专项债",), broader=("concept-地方政府债券",)),
    Entity("org-国务院办公厅", "institution", "国务院办公厅", aliases=("国办",)),
    Entity(POLICY, "policy", "国办发〔2024〕52号", code="国办发〔2024〕52号"),
)
TEXT_A = ("辽宁省2024年国民经济和社会发展统计公报\n一、旅游\n2024年，辽宁省实现旅游收入6325亿元，同比增长12.3%。\n"
          "二、财政\n根据国务院办公厅《关于优化完善地方政府专项债券管理机制的意见》（国办发〔2024〕52号），"
          "全省发行专项债券1480亿元。\n")
TEXT_B = ("辽宁省金融运行报告（2025）\n2024年，全省实现旅游收入6325亿元。\n表1 主要指标\n旅游收入（亿元） 6325\n"
          "2024年末，辽宁省本外币各项存款余额8.2万亿元。专项债券资金带动有效投资增长5%。\n")


def _doc(text: str, source: str, title: str, issuer: str) -> Document:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Document(id="doc-" + sha[:12], source=source, title=title, text=text, sha256=sha, issuer=issuer,
                    year=2025, region="辽宁")


def _chunk(doc: Document, first: str, last: str, **kw) -> Chunk:
    start = doc.text.index(first)
    end = doc.text.index(last, start) + len(last)
    return Chunk(content_id("chunk", doc.id, start, end), doc.id, start, end, doc.text[start:end], **kw)


def _span(doc: Document, chunk: Chunk, surface: str, nth: int = 0) -> tuple[int, int]:
    pos = chunk.start - 1
    for _ in range(nth + 1):
        pos = doc.text.index(surface, pos + 1)
    assert pos < chunk.end
    return pos, pos + len(surface)


def _figure(doc: Document, chunk: Chunk, surface: str, value: float, unit: str, nth: int = 0, **kw) -> Figure:
    s, e = _span(doc, chunk, surface, nth)
    return Figure(content_id("fig", doc.id, s, e), doc.id, chunk.id, s, e, surface, value, unit, **kw)


def _mention(doc: Document, chunk: Chunk, surface: str, entity_id: str, nth: int = 0) -> Mention:
    s, e = _span(doc, chunk, surface, nth)
    return Mention(entity_id, doc.id, chunk.id, s, e, surface)


def sample() -> list[dict]:
    """Two reports as keyword arguments of doc_graph (doc, chunks, entities, mentions, figures, relations)."""
    a = _doc(TEXT_A, "liaoning_gongbao_2024.txt", "辽宁省2024年国民经济和社会发展统计公报", "辽宁省统计局")
    a1 = _chunk(a, "2024年，辽宁省", "12.3%。", section=("一、旅游",), page=1)
    a2 = _chunk(a, "根据国务院办公厅", "1480亿元。", section=("二、财政",), page=2)
    b = _doc(TEXT_B, "liaoning_finance_2025.txt", "辽宁省金融运行报告（2025）", "中国人民银行辽宁省分行")
    b1 = _chunk(b, "2024年，全省", "6325亿元。")
    b2 = _chunk(b, "旅游收入（亿元）", " 6325", kind="table", table_id="table-0001")
    b3 = _chunk(b, "2024年末", "增长5%。")
    return [
        dict(doc=a, chunks=[a1, a2], entities=ENTITIES,
             mentions=[_mention(a, a1, "辽宁省", "region-210000"), _mention(a, a2, "国务院办公厅", "org-国务院办公厅"),
                       _mention(a, a2, "专项债券", "concept-专项债券"), _mention(a, a2, "专项债券", "concept-专项债券", 1),
                       _mention(a, a2, "国办发〔2024〕52号", POLICY)],
             figures=[_figure(a, a1, "6325", 6325, "亿元", multiplier=1e8, indicator="旅游收入", period="2024",
                              region="region-210000"),
                      _figure(a, a1, "12.3", 12.3, "%", multiplier=0.01, indicator="旅游收入同比增长", period="2024",
                              region="region-210000", measure="yoy", direction="up"),
                      _figure(a, a2, "1480", 1480, "亿元", multiplier=1e8, indicator="发行专项债券", period="2024",
                              region="region-210000")],
             relations=[Relation(POLICY, "issuedBy", "org-国务院办公厅", a.id, a2.id, *_span(a, a2, "国办发〔2024〕52号")),
                        Relation("region-210000", "coOccurs", "concept-专项债券", a.id, a2.id, weight=2.0),
                        Relation(a.id, "refersTo", POLICY, a.id, a2.id)]),
        dict(doc=b, chunks=[b1, b2, b3], entities=ENTITIES[:2],
             mentions=[_mention(b, b3, "辽宁省", "region-210000"), _mention(b, b3, "专项债券", "concept-专项债券")],
             figures=[  # the same figure stated twice, in prose and in a table: two observations (IC-12)
                 _figure(b, b1, "6325", 6325, "亿元", multiplier=1e8, indicator="旅游收入", period="2024",
                         region="region-210000"),
                 _figure(b, b2, "6325", 6325, "亿元", multiplier=1e8, indicator="旅游收入", period="2024",
                         region="region-210000", table_id="table-0001", row_header=("旅游收入（亿元）",),
                         col_header=("2024",)),
                 _figure(b, b3, "8.2", 8.2, "万亿元", multiplier=1e12, indicator="本外币各项存款余额",
                         period="2024年末", region="region-210000"),
                 _figure(b, b3, "5", 5, "%", nth=0, multiplier=0.01, indicator="有效投资增长", measure="yoy")],
             relations=[Relation("region-210000", "coOccurs", "concept-专项债券", b.id, b3.id, weight=1.0)]),
    ]


def build_store(root) -> tuple[GraphStore, list[dict]]:
    docs = sample()
    gs = GraphStore.open(root)
    gs.set_schema(schema_graph())
    for d in docs:
        gs.replace_doc(d["doc"].id, *report_graphs(**d))
    gs.set_generation(2)
    return gs, docs


@pytest.fixture
def store(tmp_path):
    gs, _ = build_store(tmp_path / "graph")
    yield gs
    gs.close()


# -- vocabulary ------------------------------------------------------------------
def test_vocabulary_is_closed():
    assert PKG.mentions == URIRef("https://policykg.org/vocab#mentions")
    with pytest.raises(AttributeError):
        PKG.mentionz  # noqa: B018
    with pytest.raises(AttributeError):
        OA.hasSelectr  # noqa: B018
    assert set(TERMS) == set(PKG.__annotations__), "every term is documented in TERMS"


# -- one document ----------------------------------------------------------------
def test_doc_graph_models_document_chunks_entities_mentions():
    d = sample()[0]
    doc, a1 = d["doc"], d["chunks"][0]
    g = doc_graph(**d)
    du, cu, liaoning = doc_uri(doc.id), chunk_uri(a1.id), entity_uri("region-210000")
    assert (du, DCTERMS.title, Literal(doc.title, lang="zh")) in g
    assert (du, DCTERMS.issued, Literal("2025", datatype=ns.XSD.gYear)) in g
    assert (du, DCTERMS.spatial, liaoning) in g
    assert (cu, DCTERMS.isPartOf, du) in g
    pos = URIRef(f"{cu}#pos")
    assert (cu, OA.hasSelector, pos) in g and (pos, OA.start, Literal(a1.start)) in g
    assert (URIRef(f"{cu}#quote"), OA.exact, Literal(a1.text)) in g
    assert not list(g.triples((None, SKOS.prefLabel, None))), "entities are described in the catalogue"
    c = catalogue_graph(d["entities"], d["figures"])
    assert (liaoning, RDF.type, PKG.Region) in c and (liaoning, SKOS.notation, Literal("210000")) in c
    assert (liaoning, SKOS.altLabel, Literal("辽宁省", lang="zh")) in c
    assert (entity_uri("concept-专项债券"), SKOS.broader, entity_uri("concept-地方政府债券")) in c
    assert (du, PKG.mentions, entity_uri("concept-专项债券")) in g
    mentions = list(g.subjects(PKG.mentionOf, entity_uri("concept-专项债券")))
    assert len(mentions) == 2 and all((m, PROV.wasDerivedFrom, chunk_uri(d["chunks"][1].id)) in g for m in mentions)
    assert not any(isinstance(t, type(None)) for t in g), "no dangling terms"
    assert isomorphic(g, doc_graph(**sample()[0])), "rebuilding gives the same graph"


def test_figures_are_observations_with_units_and_evidence():
    d = sample()[0]
    g = doc_graph(**d)
    f = figure_uri(d["figures"][0].id)
    assert (f, RDF.type, QB.Observation) in g and (f, RDF.type, PKG.Figure) in g
    assert (f, SDMX_MEASURE.obsValue, Literal("6325", datatype=ns.XSD.decimal)) in g
    assert (f, SDMX_ATTRIBUTE.unitMeasure, Literal("亿元")) in g
    assert (f, SDMX_ATTRIBUTE.unitMult, Literal(8)) in g
    assert (f, SDMX_DIMENSION.refArea, entity_uri("region-210000")) in g
    assert (f, PKG.indicator, Literal("旅游收入", lang="zh")) in g
    assert (f, PROV.wasDerivedFrom, chunk_uri(d["figures"][0].chunk_id)) in g
    span = g.value(f, PKG.valueSpan)
    assert g.value(span, OA.start).toPython() == d["doc"].text.index("6325")
    pct = figure_uri(d["figures"][1].id)
    assert (pct, SDMX_ATTRIBUTE.unitMult, Literal(-2)) in g and (pct, PKG.direction, Literal("up")) in g


def test_unknown_area_and_period_get_explicit_values():
    d = sample()[1]
    g = doc_graph(**d)
    f = figure_uri(d["figures"][3].id)
    assert g.value(f, SDMX_DIMENSION.refArea) == PKG.unspecifiedArea
    assert g.value(f, SDMX_DIMENSION.refPeriod) == PKG.unspecifiedPeriod
    period = g.value(figure_uri(d["figures"][2].id), SDMX_DIMENSION.refPeriod)
    c = catalogue_graph(figures=d["figures"])
    assert c.value(period, PKG.year) == Literal(2024) and c.value(period, RDFS.label) == Literal("2024年末")


def test_relations_are_triples_with_weighted_statements():
    d = sample()[0]
    g = doc_graph(**d)
    assert (entity_uri(POLICY), PKG.issuedBy, entity_uri("org-国务院办公厅")) in g
    st = next(g.subjects(RDF.predicate, PKG.coOccursWith))
    assert g.value(st, PKG.weight) == Literal(2.0)
    with pytest.raises(UsageError, match="unknown relation predicate"):
        doc_graph(d["doc"], relations=[Relation("region-210000", "likes", POLICY, d["doc"].id)])
    with pytest.raises(UsageError, match="pass one document"):
        doc_graph(d["doc"], chunks=sample()[1]["chunks"])


# -- W3C Data Cube integrity constraints (https://www.w3.org/TR/vocab-data-cube/#wf-rules) ----------
IC = {
    "IC-1 unique data set": """ASK {
      { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 . } }
      UNION
      { ?obs a qb:Observation ; qb:dataSet ?dataset1, ?dataset2 . FILTER (?dataset1 != ?dataset2) } }""",
    "IC-2 unique DSD": """ASK {
      { ?dataset a qb:DataSet . FILTER NOT EXISTS { ?dataset qb:structure ?dsd . } }
      UNION
      { ?dataset a qb:DataSet ; qb:structure ?dsd1, ?dsd2 . FILTER (?dsd1 != ?dsd2) } }""",
    "IC-3 DSD includes measure": """ASK {
      ?dsd a qb:DataStructureDefinition .
      FILTER NOT EXISTS { ?dsd qb:component [qb:componentProperty [a qb:MeasureProperty]] } }""",
    "IC-4 dimensions have range": """ASK {
      ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?dim rdfs:range [] } }""",
    "IC-11 all dimensions required": """ASK {
      ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim .
      ?dim a qb:DimensionProperty ;
      FILTER NOT EXISTS { ?obs ?dim [] } }""",
    "IC-12 no duplicate observations": """ASK {
      FILTER( ?allEqual )
      { SELECT (MIN(?equal) AS ?allEqual) WHERE {
          ?obs1 qb:dataSet ?dataset .
          ?obs2 qb:dataSet ?dataset .
          FILTER (?obs1 != ?obs2)
          ?dataset qb:structure/qb:component/qb:componentProperty ?dim .
          ?dim a qb:DimensionProperty .
          ?obs1 ?dim ?value1 .
          ?obs2 ?dim ?value2 .
          BIND( ?value1 = ?value2 AS ?equal)
        } GROUP BY ?obs1 ?obs2 } }""",
    "IC-13 required attributes": """ASK {
      ?obs qb:dataSet/qb:structure/qb:component ?component .
      ?component qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attr .
      FILTER NOT EXISTS { ?obs ?attr [] } }""",
    "IC-14 all measures present": """ASK {
      ?obs qb:dataSet/qb:structure ?dsd .
      FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
      ?dsd qb:component/qb:componentProperty ?measure .
      ?measure a qb:MeasureProperty ;
      FILTER NOT EXISTS { ?obs ?measure [] } }""",
}


def _union(docs: list[dict]) -> Graph:
    g = schema_graph()
    for d in docs:
        for part in report_graphs(**d):
            g += part
    return g


@pytest.mark.parametrize("name", list(IC))
def test_data_cube_integrity_constraints_hold(name, store):
    assert not bool(store.query(IC[name])), f"{name} violated in the store"
    assert not _union(sample()).query(IC[name], initNs=PREFIXES).askAnswer, f"{name} violated (rdflib)"


def _observations(g: Graph) -> list[URIRef]:
    return sorted(g.subjects(RDF.type, QB.Observation))


def _violate(name: str, g: Graph) -> None:
    """Break the graph so exactly the named constraint should fire."""
    o1 = _observations(g)[0]
    ds = g.value(o1, QB.dataSet)
    o2 = next(o for o in _observations(g) if o != o1 and (o, QB.dataSet, ds) in g)
    dsd = g.value(ds, QB.structure)
    if name.startswith("IC-1 "):
        g.add((o1, QB.dataSet, URIRef("https://policykg.org/id/dataset/other")))
    elif name.startswith("IC-2 "):
        g.add((ds, QB.structure, URIRef("https://policykg.org/id/dsd/other")))
    elif name.startswith("IC-3 "):
        g.add((URIRef("https://policykg.org/id/dsd/empty"), RDF.type, QB.DataStructureDefinition))
    elif name.startswith("IC-4 "):
        g.add((URIRef("https://example.org/dim"), RDF.type, QB.DimensionProperty))
    elif name.startswith("IC-11 "):
        g.remove((o1, SDMX_DIMENSION.refPeriod, None))
    elif name.startswith("IC-12 "):
        for dim in (SDMX_DIMENSION.refArea, SDMX_DIMENSION.refPeriod, PKG.indicator, PKG.measure, PKG.valueSpan):
            g.remove((o2, dim, None))
            g.add((o2, dim, g.value(o1, dim)))
    elif name.startswith("IC-13 "):
        spec = next(s for s in g.objects(dsd, QB.component) if (s, QB.attribute, SDMX_ATTRIBUTE.unitMeasure) in g)
        g.set((spec, QB.componentRequired, Literal(True)))
        g.remove((o1, SDMX_ATTRIBUTE.unitMeasure, None))
    elif name.startswith("IC-14 "):
        g.remove((o1, SDMX_MEASURE.obsValue, None))


@pytest.mark.parametrize("name", list(IC))
def test_data_cube_constraint_detects_injected_violation(name, tmp_path):
    g = _union(sample())
    _violate(name, g)
    assert g.query(IC[name], initNs=PREFIXES).askAnswer, f"{name} did not catch the violation"
    gs = GraphStore.open(tmp_path / "graph")
    gs.replace_doc("doc-broken", g)
    assert bool(gs.query(IC[name])), f"{name} did not catch the violation in the store"
    gs.close()


def test_same_figure_twice_in_one_report_is_two_observations(store):
    rows = list(store.query("""SELECT ?obs WHERE { ?obs a qb:Observation ; pkg:indicator "旅游收入"@zh ;
        sdmx-dimension:refArea <https://policykg.org/id/entity/region-210000> ; qb:dataSet ?ds .
        ?ds prov:wasDerivedFrom ?doc . ?doc dcterms:source "liaoning_finance_2025.txt" }"""))
    assert len(rows) == 2


# -- the store -------------------------------------------------------------------
def _named(gs: GraphStore, name: URIRef) -> set:
    return {q for q in gs.quads() if q.graph_name.value == str(name)}


def test_remove_doc_removes_exactly_its_facts(store):
    da, db = sample()
    a, b = da["doc"].id, db["doc"].id
    assert store.doc_ids() == sorted([a, b])
    before_b, before_schema = _named(store, graph_uri(b)), _named(store, SCHEMA_GRAPH)
    assert store.remove_doc(a) is True
    assert store.doc_ids() == [b]
    assert _named(store, graph_uri(a)) == set()
    assert _named(store, graph_uri(b)) == before_b
    assert _named(store, SCHEMA_GRAPH) == before_schema
    assert not bool(store.query(f"ASK {{ <{doc_uri(a)}> ?p ?o }}"))
    # the catalogue forgets what only A referred to (the policy, 国务院办公厅) and keeps what B uses
    assert isomorphic(store.dataset().graph(CATALOGUE_GRAPH), catalogue_graph(db["entities"], db["figures"]))
    assert store.remove_doc(a) is False


def test_union_default_graph_has_no_duplicate_descriptions(store):
    rows = list(store.query("SELECT ?l WHERE { entity:region-210000 skos:prefLabel ?l }"))
    assert len(rows) == 1, "described once, in the catalogue, though both reports mention it"


def test_replace_doc_swaps_the_whole_graph(store):
    d = sample()[0]
    small = doc_graph(d["doc"], d["chunks"][:1])
    store.replace_doc(d["doc"].id, small)
    assert isomorphic(store.dataset().graph(graph_uri(d["doc"].id)), small)
    broken = Graph()
    broken += small
    broken.add((URIRef("https://policykg.org/id/entity/a b"), PKG.mentions, URIRef("https://x.org/y")))
    with pytest.raises(StoreError, match="cannot store"):
        store.replace_doc(d["doc"].id, broken)
    assert isomorphic(store.dataset().graph(graph_uri(d["doc"].id)), small), "a failed replace changes nothing"


def test_generation_and_lock(tmp_path):
    gs, _ = build_store(tmp_path / "graph")
    assert gs.generation == 2
    with pytest.raises(StoreError, match="in use"):
        GraphStore.open(tmp_path / "graph")
    reader = GraphStore.open(tmp_path / "graph", read_only=True)
    assert reader.doc_ids() == gs.doc_ids()
    with pytest.raises(StoreError, match="read-only"):
        reader.remove_doc(gs.doc_ids()[0])
    reader.close()
    gs.close()
    again = GraphStore.open(tmp_path / "graph")
    assert again.generation == 2 and len(again.doc_ids()) == 2
    again.close()
    with pytest.raises(StoreError, match="no graph"):
        GraphStore.open(tmp_path / "missing", read_only=True)


def test_sync_follows_the_knowledge_base(tmp_path):
    docs = {d["doc"].id: d for d in sample()}
    a, b = sorted(docs)
    gs = GraphStore.open(tmp_path / "graph")
    built, removed = sync(gs, [a, b], 7, lambda i: report_graphs(**docs[i]), schema=schema_graph)
    assert sorted(built) == [a, b] and removed == [] and gs.generation == 7
    built, removed = sync(gs, [b], 8, lambda i: report_graphs(**docs[i]), schema=schema_graph)
    assert built == [] and removed == [a] and gs.doc_ids() == [b] and gs.generation == 8
    gs.close()


def _relabelled() -> dict[str, dict]:
    """The sample with report B describing 辽宁 differently from A: the catalogue keeps the last description."""
    a, b = sample()
    b = dict(b, entities=[Entity("region-210000", "region", "辽宁", aliases=("辽",), code="210000"),
                          *b["entities"][1:]])
    return {a["doc"].id: a, b["doc"].id: b}


def test_first_sync_bulk_loads_exactly_what_replacing_each_report_writes(tmp_path):
    docs = _relabelled()
    order = list(docs)
    one_by_one = GraphStore.open(tmp_path / "a")
    one_by_one.set_schema(schema_graph())
    for d in order:
        one_by_one.replace_doc(d, *report_graphs(**docs[d]))
    bulk = GraphStore.open(tmp_path / "b")
    assert bulk.is_empty()
    sync(bulk, order, 3, lambda i: report_graphs(**docs[i]), schema=schema_graph)
    assert not bulk.loading and bulk.generation == 3
    assert sorted(bulk.nquads().splitlines()) == sorted(one_by_one.nquads().splitlines())
    aliases = {r[0].value for r in bulk.query("SELECT ?a WHERE { entity:region-210000 skos:altLabel ?a }")}
    assert aliases == {"辽"}, "the last report's description of a shared entity wins, as with replace_doc"
    one_by_one.close()
    bulk.close()


def test_an_interrupted_bulk_load_is_thrown_away_and_redone(tmp_path):
    docs = _relabelled()
    order = list(docs)
    gs = GraphStore.open(tmp_path / "graph")

    def dies_after_the_first():
        yield order[0], *report_graphs(**docs[order[0]])
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        gs.load_fresh(dies_after_the_first())
    assert gs.loading and gs.doc_ids() == [order[0]]
    built, _ = sync(gs, order, 4, lambda i: report_graphs(**docs[i]), schema=schema_graph)
    assert built == order and not gs.loading and gs.generation == 4
    fresh = GraphStore.open(tmp_path / "fresh")
    sync(fresh, order, 4, lambda i: report_graphs(**docs[i]), schema=schema_graph)
    assert sorted(gs.nquads().splitlines()) == sorted(fresh.nquads().splitlines())
    gs.close()
    fresh.close()


def test_dataset_copy_keeps_named_graphs(store):
    ds = store.dataset()
    assert isinstance(ds, Dataset)
    names = {str(g.identifier) for g in ds.graphs()}
    assert {str(graph_uri(d["doc"].id)) for d in sample()} <= names and str(SCHEMA_GRAPH) in names


# -- networkx view ---------------------------------------------------------------
def test_networkx_view(store):
    G = to_networkx(store)
    a, b = (d["doc"].id for d in sample())
    assert G.nodes["region-210000"] == {"kind": "entity", "type": "region", "label": "辽宁"}
    assert G.nodes[a]["kind"] == "document"
    assert G.edges[a, "concept-专项债券", "mentions"]["weight"] == 2.0
    assert G.edges["region-210000", "concept-专项债券", "coOccursWith"]["weight"] == 3.0
    assert G.has_edge(POLICY, "org-国务院办公厅", "issuedBy")
    assert G.has_edge("concept-专项债券", "concept-地方政府债券", "broader")
    assert neighbours(G, "org-国务院办公厅") == {POLICY: 1, a: 1}
    assert b in neighbours(G, "org-国务院办公厅", depth=3)
    assert shortest_path(G, "org-国务院办公厅", b)[0] == "org-国务院办公厅"
    top = centrality(G, top=2)
    assert top[0][0] in ("region-210000", "concept-专项债券") and len(top) == 2
    assert centrality(G, method="degree", kind="document")[0][0] in (a, b)
    with pytest.raises(UsageError):
        neighbours(G, "region-999999")
    same = to_networkx(store.dataset())
    assert set(same.edges(keys=True)) == set(G.edges(keys=True))
