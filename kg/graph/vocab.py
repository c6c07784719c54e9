"""The closed RDF vocabulary of PolicyKG: Python names, instance URIs, and the schema graph stating it in RDF."""
from __future__ import annotations

import re
from urllib.parse import quote, unquote

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, QB, RDF, RDFS, SKOS, XSD, DefinedNamespace

BASE = "https://policykg.org/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
SCHEMA_GRAPH = GRAPH["schema"]  # vocabulary labels, SKOS concept scheme, Data Cube DSD
CATALOGUE_GRAPH = GRAPH["catalogue"]  # entity and period descriptions, stored once however many reports use them
DSD = ID["dsd/figures"]  # the qb:DataStructureDefinition every per-document data set uses
SCHEME = ID["scheme/entities"]  # the skos:ConceptScheme all entities belong to


class PKG(DefinedNamespace):
    """PolicyKG terms. Labels and comments for the schema graph are in TERMS below."""

    _fail = True
    _NS = Namespace(BASE + "vocab#")

    # classes
    Report: URIRef
    Chunk: URIRef
    Table: URIRef
    Mention: URIRef
    Figure: URIRef
    Period: URIRef
    Region: URIRef
    Concept: URIRef
    Institution: URIRef
    Policy: URIRef
    Meeting: URIRef
    Definition: URIRef
    Enumeration: URIRef
    EnumerationItem: URIRef
    # properties
    mentions: URIRef
    mentionOf: URIRef
    issuedBy: URIRef
    abbreviates: URIRef
    refersTo: URIRef
    coOccursWith: URIRef
    weight: URIRef
    indicator: URIRef
    measure: URIRef
    valueSpan: URIRef
    direction: URIRef
    multiplier: URIRef
    rowHeader: URIRef
    colHeader: URIRef
    table: URIRef
    section: URIRef
    page: URIRef
    year: URIRef
    term: URIRef
    termKey: URIRef
    termSpan: URIRef
    bodySpan: URIRef
    kind: URIRef
    defines: URIRef
    enumerates: URIRef
    item: URIRef
    position: URIRef
    countWord: URIRef
    inferred: URIRef
    genre: URIRef
    ocrPage: URIRef
    # individuals
    unspecifiedArea: URIRef
    unspecifiedPeriod: URIRef


# (kind, label, comment): kind is "class", "property", "dimension", "attribute" or "individual".
TERMS: dict[str, tuple[str, str, str]] = {
    "Report": ("class", "report", "A policy or economic report: one ingested document (prov:Entity)."),
    "Chunk": ("class", "chunk", "A retrievable passage of a report; an oa:SpecificResource whose selectors "
                                "give its span of the report's cleaned text."),
    "Table": ("class", "table", "A table found in a report."),
    "Mention": ("class", "mention", "An entity named at a span of a report (oa:SpecificResource)."),
    "Figure": ("class", "figure", "A number a report states; a qb:Observation in the report's data set."),
    "Period": ("class", "period", "A reference period as normalised by extraction: 2024, 2024Q4, 2024-08, "
                                  "2024H1, 2024年末, 2023-2024."),
    "Region": ("class", "region", "An administrative region (GB/T 2260 code in skos:notation)."),
    "Concept": ("class", "concept", "An economic or policy concept (专项债券, 普惠金融 ...)."),
    "Institution": ("class", "institution", "A government body, bank or other organisation."),
    "Policy": ("class", "policy", "A policy document, by number (国办发〔2024〕52号) or 《title》."),
    "Meeting": ("class", "meeting", "A meeting or conference (中央经济工作会议 ...)."),
    "mentions": ("property", "mentions", "A report (or entity) names an entity."),
    "mentionOf": ("property", "mention of", "The entity a pkg:Mention names."),
    "issuedBy": ("property", "issued by", "A policy or report is issued by an institution."),
    "abbreviates": ("property", "abbreviates", "A short name abbreviates the full name of the same thing."),
    "refersTo": ("property", "refers to", "An entity or report refers to another (e.g. 本通知 to a policy)."),
    "coOccursWith": ("property", "co-occurs with", "Two entities are named in the same chunk; the count is "
                                                   "pkg:weight on the rdf:Statement that reifies the triple."),
    "weight": ("property", "weight", "Strength of a reified relation (co-occurrence count), xsd:double."),
    "indicator": ("dimension", "indicator", "What a figure measures, as written (旅游收入), @zh."),
    "measure": ("dimension", "measure", "How the figure measures it: level, yoy, change, share, target, other."),
    "valueSpan": ("dimension", "value span", "The oa:TextPositionSelector of the value as written; keeps two "
                                             "statements of the same indicator apart (IC-12)."),
    "direction": ("attribute", "direction", "up or down, when the text says 增长/上升 or 下降/回落."),
    "multiplier": ("property", "multiplier", "value * multiplier = base quantity, when not a power of ten."),
    "rowHeader": ("property", "row header", "Row headers of the table cell a figure came from, joined by ' > '."),
    "colHeader": ("property", "column header", "Column headers of that cell, joined by ' > '."),
    "table": ("property", "table", "The table a chunk or figure belongs to."),
    "section": ("property", "section", "Section path of a chunk, joined by ' > '."),
    "page": ("property", "page", "1-based page of a chunk's start (PDF sources)."),
    "year": ("property", "year", "First calendar year a period covers, xsd:integer, for filtering."),
    "Definition": ("class", "definition", "A statement of a report that defines a term (X是指…, （即X）, a "
                                          "名词解释 entry, a defining footnote); an oa:SpecificResource."),
    "Enumeration": ("class", "enumeration", "A list a report gives for a term (一是…二是…, ①②③, 包括A、B和C, "
                                            "A、B、C等“三大工程”)."),
    "EnumerationItem": ("class", "enumeration item", "One item of an enumeration, at its span of the report."),
    "term": ("property", "term", "The term defined or enumerated, as written, @zh."),
    "termKey": ("property", "term key", "Lookup form of the term: the quoted core (六地), no spaces or quotes."),
    "termSpan": ("property", "term span", "The oa:TextPositionSelector of the term as written."),
    "bodySpan": ("property", "body span", "The oa:TextPositionSelector of a definition's defining clause."),
    "kind": ("property", "kind", "How a definition or enumeration is written: means, is, ie, abbreviation, "
                                 "called, glossary, footnote, formula; ordinal, numbered, circled, dash, include, "
                                 "etc, paren, definition."),
    "defines": ("property", "defines", "A definition defines this concept (its term is the concept's label)."),
    "enumerates": ("property", "enumerates", "An enumeration lists the members of this concept."),
    "item": ("property", "item", "An item of an enumeration (a pkg:EnumerationItem with pkg:position)."),
    "position": ("property", "position", "1-based place of an item in its enumeration."),
    "countWord": ("property", "count word", "The count the text announces for a list (三大, 五个, 9个)."),
    "inferred": ("property", "inferred", "A dimension property (sdmx-dimension:refArea or refPeriod) of a figure "
                                         "whose value the text did not state with the figure but that was taken "
                                         "from its context: the report's region (a city report never repeats its "
                                         "city), a relative period (今年, 去年, 过去五年) resolved against the "
                                         "report's date, a period carried from an earlier sentence or heading, or "
                                         "the report's data period. Absent: the value was written with the figure."),
    "genre": ("property", "genre", "Kind of report: 统计公报, 金融运行报告, 政府工作报告, 预算/决算, 债券披露, "
                                   "评级报告, 政府公报 or research, @zh."),
    "ocrPage": ("property", "OCR page", "1-based page of a report whose text was read by OCR from a scanned image, "
                                        "so its quotes and figures may hold misreadings; the chunks of such a page "
                                        "are prov:wasGeneratedBy the report's OCR activity (<report>#ocr)."),
    "unspecifiedArea": ("individual", "未说明地区", "refArea of a figure whose region the text does not give."),
    "unspecifiedPeriod": ("individual", "未说明时期", "refPeriod of a figure whose period the text does not give."),
}


class OA(DefinedNamespace):
    """The Web Annotation terms we use (http://www.w3.org/ns/oa#)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef


class SDMX_DIMENSION(DefinedNamespace):
    """SDMX-RDF dimensions (http://purl.org/linked-data/sdmx/2009/dimension#)."""

    _fail = True
    _NS = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")

    refArea: URIRef
    refPeriod: URIRef


class SDMX_MEASURE(DefinedNamespace):
    """SDMX-RDF measures (http://purl.org/linked-data/sdmx/2009/measure#)."""

    _fail = True
    _NS = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")

    obsValue: URIRef


class SDMX_ATTRIBUTE(DefinedNamespace):
    """SDMX-RDF attributes (http://purl.org/linked-data/sdmx/2009/attribute#)."""

    _fail = True
    _NS = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")

    unitMeasure: URIRef
    unitMult: URIRef


PREFIXES: dict[str, str] = {
    "pkg": str(PKG._NS), "qb": str(QB._NS), "sdmx-dimension": str(SDMX_DIMENSION._NS),
    "sdmx-measure": str(SDMX_MEASURE._NS), "sdmx-attribute": str(SDMX_ATTRIBUTE._NS), "skos": str(SKOS._NS),
    "prov": str(PROV._NS), "dcterms": str(DCTERMS._NS), "oa": str(OA._NS), "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS), "xsd": str(XSD._NS), "doc": f"{ID}doc/", "chunk": f"{ID}chunk/",
    "entity": f"{ID}entity/", "figure": f"{ID}figure/", "period": f"{ID}period/",
    "definition": f"{ID}definition/", "enumeration": f"{ID}enumeration/", "graph": str(GRAPH),
}

ENTITY_CLASS = {"region": PKG.Region, "concept": PKG.Concept, "institution": PKG.Institution,
                "policy": PKG.Policy, "meeting": PKG.Meeting}


def iri_part(text: str) -> str:
    """Text made safe for one IRI path segment; CJK stays readable (IRIs allow it)."""
    return "".join(c if c.isalnum() or c in "-._~" else quote(c, safe="") for c in text)


def doc_uri(doc_id: str) -> URIRef:
    return ID[f"doc/{iri_part(doc_id)}"]


def chunk_uri(chunk_id: str) -> URIRef:
    return ID[f"chunk/{iri_part(chunk_id)}"]


def entity_uri(entity_id: str) -> URIRef:
    return ID[f"entity/{iri_part(entity_id)}"]


def figure_uri(figure_id: str) -> URIRef:
    return ID[f"figure/{iri_part(figure_id)}"]


def table_uri(table_id: str) -> URIRef:
    return ID[f"table/{iri_part(table_id)}"]


def mention_uri(mention_id: str) -> URIRef:
    return ID[f"mention/{iri_part(mention_id)}"]


def relation_uri(relation_id: str) -> URIRef:
    return ID[f"relation/{iri_part(relation_id)}"]


def definition_uri(definition_id: str) -> URIRef:
    return ID[f"definition/{iri_part(definition_id)}"]


def enumeration_uri(enumeration_id: str) -> URIRef:
    return ID[f"enumeration/{iri_part(enumeration_id)}"]


def period_uri(period: str) -> URIRef:
    return ID[f"period/{iri_part(period)}"] if period else PKG.unspecifiedPeriod


def dataset_uri(doc_id: str) -> URIRef:
    return ID[f"dataset/{iri_part(doc_id)}"]


def graph_uri(doc_id: str) -> URIRef:
    """The named graph holding one document's facts."""
    return GRAPH[iri_part(doc_id)]


def local_id(uri: str, kind: str) -> str | None:
    """The id inside an instance URI of that kind (doc, chunk, entity ...), or None."""
    head = f"{ID}{kind}/"
    if not uri.startswith(head) or "#" in uri:
        return None
    return unquote(uri[len(head):])


def new_graph() -> Graph:
    """An empty graph with the project's prefixes, on rdflib's SimpleMemory store: a report's
    graph is built once, then serialised or queried, so it needs no per-triple context
    bookkeeping and events, which made rdflib's default store ~2x slower to fill (~200k
    triples for the bundled corpus; bench/ingest_stages.py)."""
    g = Graph(store="SimpleMemory")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, replace=True)
    return g


DIMENSIONS = (SDMX_DIMENSION.refArea, SDMX_DIMENSION.refPeriod, PKG.indicator, PKG.measure, PKG.valueSpan)
_SUPER = {"Report": PROV.Entity, "Chunk": OA.SpecificResource, "Mention": OA.SpecificResource,
          "Definition": OA.SpecificResource, "Enumeration": OA.SpecificResource, "EnumerationItem": OA.SpecificResource,
          "Figure": QB.Observation,
          **{k: SKOS.Concept for k in ("Region", "Concept", "Institution", "Policy", "Meeting")}}
_RANGES = {SDMX_DIMENSION.refArea: RDFS.Resource, SDMX_DIMENSION.refPeriod: RDFS.Resource,
           PKG.indicator: RDF.langString, PKG.measure: XSD.string, PKG.valueSpan: OA.TextPositionSelector}


def _lang(text: str) -> str:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def _add_vocabulary(g: Graph) -> None:
    vocab = URIRef(str(PKG._NS))
    g.add((vocab, RDF.type, OWL.Ontology))
    g.add((vocab, RDFS.label, Literal("PolicyKG vocabulary", lang="en")))
    kinds = {"class": [RDFS.Class], "property": [RDF.Property], "dimension": [RDF.Property, QB.DimensionProperty],
             "attribute": [RDF.Property, QB.AttributeProperty]}
    for name, (kind, label, comment) in TERMS.items():
        u = PKG[name]
        for t in kinds.get(kind, []):
            g.add((u, RDF.type, t))
        g.add((u, RDFS.label, Literal(label, lang=_lang(label))))
        g.add((u, RDFS.comment, Literal(comment, lang="en")))
        g.add((u, RDFS.isDefinedBy, vocab))
        if name in _SUPER:
            g.add((u, RDFS.subClassOf, _SUPER[name]))
    g.add((PKG.unspecifiedArea, RDF.type, PKG.Region))
    g.add((PKG.unspecifiedPeriod, RDF.type, PKG.Period))
    g.add((SCHEME, RDF.type, SKOS.ConceptScheme))
    g.add((SCHEME, SKOS.prefLabel, Literal("PolicyKG 实体", lang="zh")))


def _add_dsd(g: Graph) -> None:
    """The Data Cube structure: components carry both qb:dimension (etc.) and qb:componentProperty,
    so the integrity-constraint queries hold without running the normalisation algorithm."""
    g.add((DSD, RDF.type, QB.DataStructureDefinition))
    g.add((DSD, RDFS.label, Literal("Figures stated in a report", lang="en")))
    for prop, rng in _RANGES.items():
        g.add((prop, RDF.type, QB.DimensionProperty))
        g.add((prop, RDF.type, RDF.Property))
        g.add((prop, RDFS.range, rng))
    g.add((SDMX_MEASURE.obsValue, RDF.type, QB.MeasureProperty))
    g.add((SDMX_MEASURE.obsValue, RDFS.range, XSD.decimal))
    for attr in (SDMX_ATTRIBUTE.unitMeasure, SDMX_ATTRIBUTE.unitMult):
        g.add((attr, RDF.type, QB.AttributeProperty))
    parts = ([(QB.dimension, p, i + 1, None) for i, p in enumerate(DIMENSIONS)]
             + [(QB.measure, SDMX_MEASURE.obsValue, None, None)]
             + [(QB.attribute, a, None, False)
                for a in (SDMX_ATTRIBUTE.unitMeasure, SDMX_ATTRIBUTE.unitMult, PKG.direction)])
    for kind, prop, order, required in parts:
        spec = URIRef(f"{DSD}#{prop.split('#')[-1]}")
        g.add((DSD, QB.component, spec))
        g.add((spec, RDF.type, QB.ComponentSpecification))
        g.add((spec, kind, prop))
        g.add((spec, QB.componentProperty, prop))
        if order is not None:
            g.add((spec, QB.order, Literal(order)))
        if required is not None:
            g.add((spec, QB.componentRequired, Literal(required)))


def schema_graph() -> Graph:
    """The shared schema graph: vocabulary labels, the concept scheme and the Data Cube DSD."""
    g = new_graph()
    _add_vocabulary(g)
    _add_dsd(g)
    return g
