"""Example SPARQL queries for the app and W3C JSON results turned into table rows."""
from __future__ import annotations

from kg.graph.vocab import PREFIXES

# keyed by name; the app shows them as i18n "ex.<name>"
EXAMPLES: dict[str, str] = {
    "reports": """SELECT ?report ?title ?issuer WHERE {
  ?report a pkg:Report ; dcterms:title ?title .
  OPTIONAL { ?report dcterms:publisher ?issuer }
} ORDER BY ?title""",
    "liaoning": """SELECT ?indicator ?period ?value ?unit ?chunk WHERE {
  ?obs a qb:Observation ; pkg:indicator ?indicator ;
       sdmx-dimension:refArea entity:region-210000 ;
       sdmx-dimension:refPeriod/rdfs:label ?period ;
       sdmx-measure:obsValue ?value ; sdmx-attribute:unitMeasure ?unit ;
       prov:wasDerivedFrom ?chunk
} ORDER BY ?indicator ?period LIMIT 100""",
    "regions": """SELECT ?region ?label (COUNT(?obs) AS ?observations) WHERE {
  ?obs a qb:Observation ; sdmx-dimension:refArea ?region .
  ?region skos:prefLabel ?label
} GROUP BY ?region ?label ORDER BY DESC(?observations) LIMIT 20""",
    "concepts": """SELECT DISTINCT ?concept ?label ?broader WHERE {
  ?concept a pkg:Concept ; skos:prefLabel ?label .
  OPTIONAL { ?concept skos:broader/skos:prefLabel ?broader }
} ORDER BY ?label LIMIT 100""",
    "policies": """SELECT DISTINCT ?policy ?label ?issuer WHERE {
  ?policy a pkg:Policy ; skos:prefLabel ?label .
  OPTIONAL { ?policy pkg:issuedBy/skos:prefLabel ?issuer }
} ORDER BY ?label LIMIT 100""",
    "ask": """ASK { ?obs a qb:Observation ; pkg:indicator "旅游收入"@zh }""",
}


def shorten(uri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """A URI as prefix:local when a predeclared prefix covers it (longest namespace wins)."""
    best = max((ns for ns in prefixes.values() if uri.startswith(ns)), key=len, default=None)
    if best is None:
        return uri
    name = next(p for p, ns in prefixes.items() if ns == best)
    return f"{name}:{uri[len(best):]}"


def cell(term: dict | None) -> str:
    """One binding as text: prefixed URI, literal value (language and datatype dropped), _:blank."""
    if term is None:
        return ""
    if term.get("type") == "uri":
        return shorten(term["value"])
    if term.get("type") == "bnode":
        return f"_:{term['value']}"
    return term.get("value", "")


def result_rows(results: dict) -> tuple[list[str], list[dict[str, str]]]:
    """(columns, rows) from a W3C SPARQL JSON SELECT result."""
    cols = list(results.get("head", {}).get("vars", []))
    rows = [{v: cell(b.get(v)) for v in cols} for b in results.get("results", {}).get("bindings", [])]
    return cols, rows
