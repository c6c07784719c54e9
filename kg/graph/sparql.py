"""Read-only SPARQL over the graph store: W3C JSON results for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE."""
from __future__ import annotations

import json
import re

from kg.errors import UsageError
from kg.graph.vocab import PREFIXES

READ_ONLY = "read-only: SPARQL updates are not allowed; use kg ingest/remove"
# strings, IRIs and comments, so a keyword check never looks inside them
_OPAQUE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
                     r'|<[^<>"\s]*>|#[^\n]*')
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.IGNORECASE)


def prefix_header(prefixes: dict[str, str] = PREFIXES) -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())


def _one_line(msg: object) -> str:
    return " ".join(str(msg).split())


def is_update(text: str) -> bool:
    """Whether the text parses as a SPARQL 1.1 Update (rdflib's parser; nothing is executed)."""
    from rdflib.plugins.sparql.parser import parseUpdate
    try:
        parseUpdate(prefix_header() + text)
    except Exception:  # noqa: BLE001 - any parse failure means "not an update"
        return False
    return True


def run_query(store, text: str) -> tuple[str, dict | str]:
    """Run one SPARQL query against a GraphStore, default graph = union of all graphs, the
    standard prefixes (pkg qb sdmx-* skos prov dcterms oa rdf rdfs xsd id graph) predeclared.

    Returns ("select", W3C JSON results dict), ("ask", W3C JSON results dict) or ("graph",
    Turtle text) for CONSTRUCT and DESCRIBE. An update is refused, and so is SERVICE (the
    graph is local; no query reaches the network). Errors are UsageErrors in one line.
    """
    import pyoxigraph as ox
    if not text or not text.strip():
        raise UsageError("empty SPARQL query: give e.g. 'SELECT ?s WHERE { ?s a pkg:Report }'")
    if _SERVICE.search(_OPAQUE.sub(" ", text)):
        raise UsageError("SERVICE is not allowed: queries run on the local graph only")
    try:
        result = store.query(text, prefixes=PREFIXES)
    except SyntaxError as e:
        if is_update(text):
            raise UsageError(READ_ONLY) from e
        raise UsageError(f"SPARQL syntax error: {_one_line(e)}") from e
    try:
        if isinstance(result, ox.QueryBoolean):
            return "ask", json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
        if isinstance(result, ox.QuerySolutions):
            return "select", json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
        return "graph", ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode("utf-8")
    except (OSError, RuntimeError, ValueError) as e:
        raise UsageError(f"SPARQL query failed: {_one_line(e)}") from e
