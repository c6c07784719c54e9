r"""Read-only SPARQL over the graph store: checked by parsing, results in the standard formats.

A query is parsed and translated to SPARQL algebra with rdflib before Oxigraph runs it: an
update is refused, and so is any `SERVICE` pattern found in the algebra (anywhere: a
subquery, an EXISTS filter, a variable endpoint), so no query reaches the network. Reading
the algebra rather than the text means a `SERVICE` inside a string, an IRI or a comment is
no pattern, and `SERVICE:x` (a prefixed endpoint name) is one.

Two parsers read every query (rdflib checks it, Oxigraph runs it), so the check holds only where they read the same
text the same way. Where SPARQL leaves room for them to differ, the text is made unambiguous first, and the text
Oxigraph runs is that one: every line break (a bare CR, which ends a `#` comment for Oxigraph and not for rdflib;
VT, FF, NEL, U+2028/9) becomes LF, and a `\u`/`\U` code-point escape (decoded before parsing by one, inside strings
only by the other: `\u00000022` is a quote to rdflib, NUL + `0022` to Oxigraph) or a NUL is refused. As a second
line, the keyword SERVICE followed by an endpoint (an IRI, a variable, a prefixed name or SILENT) anywhere in the
text is refused too, even inside what rdflib reads as a string or a comment.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from kg.errors import UsageError
from kg.graph.vocab import PREFIXES

READ_ONLY = "read-only: SPARQL updates are not allowed; use kg ingest/remove"
NO_SERVICE = "SERVICE is not allowed: queries run on the local graph only"

# media type -> (pyoxigraph format name, short name); the first of each table is the default
RESULT_TYPES = {
    "application/sparql-results+json": ("JSON", "json"),
    "application/sparql-results+xml": ("XML", "xml"),
    "text/csv": ("CSV", "csv"),
    "text/tab-separated-values": ("TSV", "tsv"),
}
GRAPH_TYPES = {
    "text/turtle": ("TURTLE", "turtle"),
    "application/n-triples": ("N_TRIPLES", "nt"),
    "application/rdf+xml": ("RDF_XML", "rdfxml"),
}
_ALIASES = {"application/json": "application/sparql-results+json", "application/xml":
            "application/sparql-results+xml", "text/xml": "application/sparql-results+xml",
            "application/x-turtle": "text/turtle", "application/turtle": "text/turtle",
            "text/plain": "application/n-triples", "text/n-triples": "application/n-triples"}
_RESULT_SHORT = {short: t for t, (_, short) in RESULT_TYPES.items()}
_GRAPH_SHORT = {**{short: t for t, (_, short) in GRAPH_TYPES.items()}, "ttl": "text/turtle", "n3": "text/turtle",
                "ntriples": "application/n-triples", "xml": "application/rdf+xml", "rdf": "application/rdf+xml",
                "rdf+xml": "application/rdf+xml"}
FORMAT_NAMES = sorted({*_RESULT_SHORT, *_GRAPH_SHORT})


@dataclass(frozen=True, slots=True)
class Checked:
    """A query that may run: its form (select, ask, construct, describe)."""

    text: str
    form: str


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


_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_ESCAPE = re.compile(r"\\[uU]")
_SERVICE_WORD = re.compile(r"(?<![\w?$:\"'])SERVICE(?=\s*(?:SILENT\b|<|[?$]|[\w-]*:))", re.IGNORECASE)


def unambiguous(text: str) -> str:
    """The query with every line break as LF; UsageError for a code-point escape or a NUL (see the module doc)."""
    if "\x00" in text:
        raise UsageError("the SPARQL query holds a NUL character: remove it")
    if _ESCAPE.search(text):
        raise UsageError("SPARQL \\u and \\U escapes are not accepted: write the character itself")
    return _BREAKS.sub("\n", text)


def _has_service(algebra) -> bool:
    from rdflib.plugins.sparql.algebra import traverse
    found: list[object] = []

    def visit(node) -> None:
        if getattr(node, "name", None) == "ServiceGraphPattern":
            found.append(node)
    traverse(algebra, visitPre=visit)
    return bool(found)


def check_query(text: str) -> Checked:
    """Parse a query (standard prefixes predeclared); UsageError for an empty text, an update,
    a syntax error or a SERVICE pattern. Nothing runs."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    if not text or not text.strip():
        raise UsageError("empty SPARQL query: give e.g. 'SELECT ?s WHERE { ?s a pkg:Report }'")
    text = unambiguous(text)
    if _SERVICE_WORD.search(text):
        raise UsageError(NO_SERVICE)
    try:
        query = translateQuery(parseQuery(prefix_header() + text))
    except Exception as e:  # noqa: BLE001 - pyparsing and rdflib raise several types for a bad query
        if is_update(text):
            raise UsageError(READ_ONLY) from None
        raise UsageError(f"SPARQL syntax error: {_one_line(e)}") from None
    if _has_service(query.algebra):
        raise UsageError(NO_SERVICE)
    form = query.algebra.name.replace("Query", "").lower()  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    return Checked(text, form)


def pick_format(form: str, accept: str | None, fmt: str | None = None) -> str | None:
    """The media type to answer with: `fmt` (a short name such as csv, xml or turtle, or a media
    type, as SPARQLWrapper's format parameter sends) when it fits the query form, else the best
    match of an Accept header, else the default (JSON results, Turtle). None when nothing the
    client accepts is offered (HTTP 406)."""
    graph = form in ("construct", "describe")
    table = GRAPH_TYPES if graph else RESULT_TYPES
    if fmt:
        f = fmt.strip().lower()
        t = (_GRAPH_SHORT if graph else _RESULT_SHORT).get(f) or _ALIASES.get(f, f)
        if t in table:
            return t
    if not accept:
        return next(iter(table))
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [x.strip() for x in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        media = _ALIASES.get(media.lower(), media.lower())
        if q > 0:
            ranked.append((-q, i, media))
    for _, _, media in sorted(ranked):
        if media in table:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return next(t for t in table if media == "*/*" or t.startswith(media[:-1]))
    return None


def execute(store, checked: Checked, media_type: str, output=None) -> bytes | None:
    """Run a checked query on a GraphStore and serialise its result as media_type (one of
    RESULT_TYPES or GRAPH_TYPES): returned as bytes, or streamed into `output` (a binary
    file-like object; None is returned). Errors while running are UsageErrors in one line."""
    import pyoxigraph as ox
    try:
        result = store.query(checked.text, prefixes=PREFIXES)
        if isinstance(result, (ox.QueryBoolean, ox.QuerySolutions)):
            return result.serialize(output, format=getattr(ox.QueryResultsFormat, RESULT_TYPES[media_type][0]))
        fmt = getattr(ox.RdfFormat, GRAPH_TYPES[media_type][0])
        return ox.serialize(result, output, format=fmt, prefixes=PREFIXES if fmt == ox.RdfFormat.TURTLE else None)
    except SyntaxError as e:  # Oxigraph's parser is stricter than rdflib's in a few corners
        raise UsageError(f"SPARQL syntax error: {_one_line(e)}") from None
    except KeyError:
        raise UsageError(f"cannot give a {checked.form.upper()} result as {media_type}") from None
    except (OSError, RuntimeError, ValueError) as e:
        raise UsageError(f"SPARQL query failed: {_one_line(e)}") from None


def run_query(store, text: str) -> tuple[str, dict | str]:
    """Run one SPARQL query against a GraphStore, default graph = union of all graphs, the
    standard prefixes (pkg qb sdmx-* skos prov dcterms oa rdf rdfs xsd id graph) predeclared.

    Returns ("select", W3C JSON results dict), ("ask", W3C JSON results dict) or ("graph",
    Turtle text) for CONSTRUCT and DESCRIBE. An update is refused, and so is SERVICE (the
    graph is local; no query reaches the network). Errors are UsageErrors in one line.
    """
    checked = check_query(text)
    if checked.form in ("construct", "describe"):
        return "graph", execute(store, checked, "text/turtle").decode("utf-8")
    return checked.form, json.loads(execute(store, checked, "application/sparql-results+json"))
