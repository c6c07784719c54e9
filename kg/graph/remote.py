"""The graph on a SPARQL 1.1 server (Oxigraph server, Apache Jena Fuseki, GraphDB ...), with the
interface of kg.graph.store.GraphStore, so the CLI, the app and `kg serve` use it unchanged.

Writes are the embedded store's own SPARQL updates, each sent as one SPARQL 1.1 Update request
(a server applies a request as one transaction: a report's named graph is swapped whole). Reads
are SPARQL 1.1 Protocol queries whose dataset is given in the request (default-graph-uri and
named-graph-uri: every PolicyKG graph), so the default graph is their union as in the embedded
store; results come back as SPARQL JSON and are parsed by pyoxigraph into the very QuerySolutions,
QueryBoolean and Triples the embedded store returns. Whole graphs are read with the Graph Store
HTTP Protocol (GET ?graph=, N-Triples), and the generation marker is one small graph PUT the same way.
HTTP is the standard library's urllib: no new dependency.
"""
from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.parse
import urllib.request

from rdflib import Graph

from kg.errors import GraphStoreUnreachable, StoreError
from kg.graph.config import Remote
from kg.graph.store import FORMAT, Dumps, remove_update, replace_update, schema_update
from kg.graph.vocab import CATALOGUE_GRAPH, GRAPH, PREFIXES, SCHEMA_GRAPH, graph_uri

META_GRAPH = str(GRAPH["meta"])  # the marker: format, knowledge-base generation, knowledge-base id
_M = META_GRAPH + "#"
_RESULTS = {"application/sparql-results+json": "JSON", "application/json": "JSON",
            "application/sparql-results+xml": "XML", "application/xml": "XML", "text/xml": "XML"}
_TRIPLES = {"application/n-triples": "N_TRIPLES", "text/plain": "N_TRIPLES", "text/turtle": "TURTLE",
            "application/rdf+xml": "RDF_XML"}
_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9, application/n-triples;q=0.8, " \
          "text/turtle;q=0.7"
QUERY_TIMEOUT = 300.0
UPDATE_TIMEOUT = 900.0  # one report's graph is a few MB of N-Triples
LEASE = 600.0  # seconds a sync's claim on the server holds without news from its writer (it renews it per report)


class HttpStatus(StoreError):
    def __init__(self, url: str, status: int, detail: str) -> None:
        super().__init__(f"{url} answered HTTP {status}: {detail}")
        self.status = status
        self.detail = detail


def _one_line(text: str, limit: int = 300) -> str:
    return " ".join(text.split())[:limit]


def _opener(url: str):
    """urllib's opener; a server on this machine is reached directly, whatever http_proxy says."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host in ("localhost", "127.0.0.1", "::1"):
        return urllib.request.build_opener(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener()


class RemoteGraphStore(Dumps):
    """PolicyKG's named graphs on a SPARQL 1.1 server; `root` is the server's URL (for messages)."""

    def __init__(self, remote: Remote, read_only: bool) -> None:
        self.remote = remote
        self.root = remote.url
        self.read_only = read_only
        self._graphs: list[str] | None = None
        self._mirror = None

    @classmethod
    def open(cls, remote: Remote, read_only: bool = False) -> "RemoteGraphStore":
        """Connect (one small query): GraphStoreUnreachable when nothing answers, StoreError when the
        server holds a graph of another format."""
        gs = cls(remote, read_only)
        meta = gs.meta()
        if meta and meta.get("format") != FORMAT and read_only:
            raise StoreError(f"graph store {remote.url} has format {meta.get('format')}, this version needs "
                             f"{FORMAT}: run `kg ingest` to rebuild it")
        return gs

    def close(self) -> None:
        self._mirror = None

    def __enter__(self) -> "RemoteGraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- HTTP -----------------------------------------------------------------
    def _http(self, url: str, body: bytes | None = None, ctype: str | None = None, accept: str | None = None,
              method: str | None = None, timeout: float = QUERY_TIMEOUT) -> tuple[str, bytes]:
        headers = {k: v for k, v in (("Content-Type", ctype), ("Accept", accept),
                                     ("Authorization", self.remote.auth_header)) if v}
        req = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with _opener(url).open(req, timeout=timeout) as r:
                return r.headers.get_content_type(), r.read()
        except urllib.error.HTTPError as e:
            detail = _one_line(e.read().decode("utf-8", "replace")) or e.reason
            if e.code == 401:
                detail += " (set POLICYKG_GRAPH_STORE_AUTH=user:password)"
            raise HttpStatus(url, e.code, detail) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as e:
            reason = getattr(e, "reason", None) or e
            raise GraphStoreUnreachable(
                f"graph store {url} is unreachable ({_one_line(str(reason), 120)}): start the SPARQL server, or "
                "give another with `kg ingest --graph-store URL` (`--graph-store embedded` for the on-disk store); "
                "the knowledge base keeps every document ingested") from None

    def _query(self, text: str, dataset: bool = True) -> tuple[str, bytes]:
        form = [("query", text)]
        if dataset:
            graphs = self._dataset()
            form += [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
        return self._http(self.remote.query_url, urllib.parse.urlencode(form).encode("utf-8"),
                          "application/x-www-form-urlencoded", _ACCEPT)

    def _select(self, text: str, dataset: bool = True) -> list[tuple]:
        import pyoxigraph as ox
        try:
            ctype, body = self._query(text, dataset)
        except HttpStatus as e:
            raise StoreError(f"{e}: is {self.remote.url} a SPARQL 1.1 server? (give its query service with "
                             "--graph-store-query)") from None
        fmt = _RESULTS.get(ctype)
        if fmt is None:
            raise StoreError(f"{self.remote.query_url} answered a query with {ctype}, not SPARQL results: "
                             "is it a SPARQL query endpoint? (give it with --graph-store-query)")
        return [tuple(sol) for sol in ox.parse_query_results(body, getattr(ox.QueryResultsFormat, fmt))]

    def _update(self, update: str, name: str) -> None:
        if self.read_only:
            raise StoreError(f"graph store {self.root} is open read-only")
        try:
            self._http(self.remote.update_url, update.encode("utf-8"), "application/sparql-update; charset=utf-8",
                       timeout=UPDATE_TIMEOUT)
        except HttpStatus as e:
            if e.status == 400:
                raise StoreError(f"cannot store the graph {name}: {e.detail}") from None
            raise StoreError(f"graph store {self.remote.update_url} refused writing {name} (HTTP {e.status}: "
                             f"{e.detail}): is it the SPARQL Update endpoint? (--graph-store-update)") from None
        finally:
            self._graphs = self._mirror = None

    # -- bookkeeping ----------------------------------------------------------
    def meta(self) -> dict:
        """The marker: {"format", "generation", "kb", "backend"}; {} when the server has none."""
        rows = self._select(f"SELECT ?p ?o WHERE {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> ?p ?o }} }}", False)
        meta = {p.value[len(_M):]: o.value for p, o in rows if p.value.startswith(_M)}
        for k in ("format", "generation"):
            if k in meta:
                meta[k] = int(meta[k])
        return meta | {"backend": "sparql"} if meta else {}

    @property
    def generation(self) -> int:
        return int(self.meta().get("generation", -1))

    def claimed(self, meta: dict) -> float | None:
        """Seconds since another writer's sync claimed the server, while its claim holds; else None."""
        try:
            age = time.time() - float(meta.get("since", "nan"))
        except ValueError:
            return None
        return age if meta.get("generation") == -1 and meta.get("claim") and 0 <= age < LEASE else None

    def is_current(self, generation: int, meta: dict | None = None) -> bool:
        """Whether the server holds this knowledge base (its id), in this format, at this generation
        (by `meta` when the marker was just read)."""
        m = self.meta() if meta is None else meta
        return m.get("format") == FORMAT and m.get("kb") == self.remote.kb_id and m.get("generation") == generation

    def set_generation(self, generation: int, claim: str = "") -> None:
        """PUT the marker graph (Graph Store Protocol): replaced whole, never half-written. A writer
        syncing sets generation -1 with its `claim` (a token) and the time: other writers then leave
        the server to it until the claim is LEASE seconds old (kg.graph.index)."""
        if self.read_only:
            raise StoreError(f"graph store {self.root} is open read-only")
        nt = (f'<{META_GRAPH}> <{_M}format> "{FORMAT}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
              f'<{META_GRAPH}> <{_M}generation> "{generation}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
              f'<{META_GRAPH}> <{_M}kb> "{self.remote.kb_id}" .\n')
        if claim:
            nt += f'<{META_GRAPH}> <{_M}claim> "{claim}" .\n<{META_GRAPH}> <{_M}since> "{time.time():.3f}" .\n'
        url = self._graph_url(META_GRAPH)
        try:
            self._http(url, nt.encode("utf-8"), "application/n-triples", method="PUT")
        except HttpStatus as e:
            raise StoreError(f"graph store {self.remote.data_url} refused a Graph Store Protocol PUT (HTTP "
                             f"{e.status}: {e.detail}): give the protocol's URL with --graph-store-data "
                             "(Oxigraph: BASE/store, Fuseki: BASE/data)") from None

    def _graph_url(self, name: str) -> str:
        sep = "&" if "?" in self.remote.data_url else "?"
        return f"{self.remote.data_url}{sep}{urllib.parse.urlencode({'graph': name})}"

    def graph_names(self) -> list[str]:
        """PolicyKG's named graphs on the server (documents, catalogue, schema; not the marker)."""
        if self._graphs is None:
            rows = self._select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }}',
                                dataset=False)
            self._graphs = sorted(g.value for (g,) in rows if g.value != META_GRAPH)
        return self._graphs

    def _dataset(self) -> list[str]:
        """The graphs a query sees: never an empty list, which would mean the server's whole dataset."""
        return sorted({*self.graph_names(), str(CATALOGUE_GRAPH), str(SCHEMA_GRAPH)})

    def doc_ids(self) -> list[str]:
        head = str(GRAPH)
        return sorted(n[len(head):] for n in self.graph_names() if n.startswith(head + "doc-"))

    def has_graph(self, name: str) -> bool:
        return str(name) in self.graph_names()

    def __len__(self) -> int:
        (n,), = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(n.value)

    # -- writes ---------------------------------------------------------------
    def replace_doc(self, doc_id: str, graph: Graph, catalogue: Graph | None = None) -> int:
        """Swap in a document's named graph and merge its catalogue descriptions: one update request."""
        self._update(replace_update(doc_id, graph, catalogue), str(graph_uri(doc_id)))
        return len(graph)

    def remove_doc(self, doc_id: str) -> bool:
        name = str(graph_uri(doc_id))
        if not self.has_graph(name):
            return False
        self._update(remove_update(doc_id), name)
        return True

    def set_schema(self, graph: Graph) -> None:
        self._update(schema_update(graph), str(SCHEMA_GRAPH))

    @property
    def loading(self) -> bool:
        return False  # each report is its own update on a server: nothing is ever half bulk-loaded

    def is_empty(self) -> bool:
        return False  # no bulk loader over HTTP: sync() writes report by report

    def clear(self) -> None:
        """Drop every PolicyKG graph on the server (before rebuilding it for another knowledge base)."""
        names = sorted({*self.graph_names(), str(CATALOGUE_GRAPH), str(SCHEMA_GRAPH)})
        self._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in names), "all graphs")

    # -- reads ----------------------------------------------------------------
    def query(self, sparql: str, prefixes: dict[str, str] | None = None):
        """Run a SPARQL query; the default graph is the union of PolicyKG's graphs. Returns
        pyoxigraph QuerySolutions or QueryBoolean, or a list of Triples (CONSTRUCT, DESCRIBE);
        raises SyntaxError for a query the server rejects, like the embedded store."""
        import pyoxigraph as ox
        from kg.graph.sparql import prefix_header
        try:
            ctype, body = self._query(prefix_header(PREFIXES if prefixes is None else prefixes) + sparql)
        except HttpStatus as e:
            if e.status == 400:
                raise SyntaxError(e.detail) from None
            raise
        if ctype in _RESULTS:
            return ox.parse_query_results(body, getattr(ox.QueryResultsFormat, _RESULTS[ctype]))
        if ctype in _TRIPLES:
            return [ox.Triple(t.subject, t.predicate, t.object)
                    for t in ox.parse(body, getattr(ox.RdfFormat, _TRIPLES[ctype]))]
        raise StoreError(f"{self.remote.query_url} answered with {ctype}: not SPARQL results nor RDF")

    def graph_triples(self, name: str) -> list:
        """One named graph's triples, fetched with the Graph Store Protocol ([] when it is absent)."""
        import pyoxigraph as ox
        try:
            ctype, body = self._http(self._graph_url(name), accept="application/n-triples")
        except HttpStatus as e:
            if e.status == 404:
                return []
            raise
        return list(ox.parse(body, getattr(ox.RdfFormat, _TRIPLES.get(ctype, "N_TRIPLES"))))

    @property
    def ox(self):
        """An in-memory pyoxigraph.Store copy of PolicyKG's graphs (for the exports, which read them all)."""
        import pyoxigraph as ox
        if self._mirror is None:
            mirror = ox.Store()
            for name in self.graph_names():
                g = ox.NamedNode(name)
                mirror.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in self.graph_triples(name))
            self._mirror = mirror
        return self._mirror

