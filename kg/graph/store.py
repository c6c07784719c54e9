"""The persisted RDF graph under <kb>/graph/: an on-disk Oxigraph store, one named graph per document.

Why Oxigraph rather than rdflib over an N-Quads file (bench/graph_store.py, ~200k quads): it opens
in 20 ms instead of 4.7 s of parsing, answers SPARQL 5-10x faster, a reader needs 20 MB instead of
330 MB, and replacing one document is one transaction instead of rewriting the whole file. It takes
a lock: one writer per directory at a time; readers open it read-only.
"""
from __future__ import annotations

import json

from pathlib import Path
from typing import Callable, Iterable, Iterator

from rdflib import Graph

from kg.errors import StoreDamaged, StoreError, StoreLocked
from kg.kb.store import write_json_atomic
from kg.graph.vocab import CATALOGUE_GRAPH, GRAPH, PREFIXES, SCHEMA_GRAPH, graph_uri

FORMAT = 1  # bump when the graph modelling changes, so stores are rebuilt
META = "meta.json"
DB_DIR = "oxigraph"


# Catalogue descriptions of subjects that no report's graph mentions (as subject or object) and
# that no other catalogue entry points to (skos:broader parents stay while a child is described).
_GC = f"""DELETE {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?e ?p ?o }} }} WHERE {{
  GRAPH <{CATALOGUE_GRAPH}> {{ ?e ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?x ?y ?e }} FILTER(STRSTARTS(STR(?g), "{GRAPH}doc-")) }}
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?e ?y ?x }} FILTER(STRSTARTS(STR(?g), "{GRAPH}doc-")) }}
  FILTER NOT EXISTS {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?x ?y ?e }} FILTER(?x != ?e) }} }}"""


def _nt(graph: Graph) -> str:
    """N-Triples, which is also valid inside a SPARQL INSERT DATA block."""
    try:
        return graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    except Exception as e:  # noqa: BLE001 - rdflib raises a bare Exception for an IRI it cannot write
        raise StoreError(f"cannot store the graph: {' '.join(str(e).split())}") from e


def replace_update(doc_id: str, graph: Graph, catalogue: Graph | None = None) -> str:
    """The one SPARQL update that swaps in a document's named graph and replaces the catalogue
    descriptions of the subjects `catalogue` describes (the embedded and the remote store run it)."""
    name = str(graph_uri(doc_id))
    parts = [f"DROP SILENT GRAPH <{name}>"]
    data = f"GRAPH <{name}> {{\n{_nt(graph)}}}"
    if catalogue is not None and len(catalogue):
        subjects = " ".join(sorted({s.n3() for s in catalogue.subjects()}))
        parts.append(f"DELETE {{ GRAPH <{CATALOGUE_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ VALUES ?s {{ {subjects} }} "
                     f"GRAPH <{CATALOGUE_GRAPH}> {{ ?s ?p ?o }} }}")
        data += f"\nGRAPH <{CATALOGUE_GRAPH}> {{\n{_nt(catalogue)}}}"
    parts.append(f"INSERT DATA {{ {data} }}")
    return " ;\n".join(parts)


def remove_update(doc_id: str) -> str:
    """Drop a document's named graph and the catalogue descriptions nothing refers to any more."""
    return f"DROP SILENT GRAPH <{graph_uri(doc_id)}> ;\n{_GC}"


def schema_update(graph: Graph) -> str:
    return f"DROP SILENT GRAPH <{SCHEMA_GRAPH}> ;\nINSERT DATA {{ GRAPH <{SCHEMA_GRAPH}> {{\n{_nt(graph)}}} }}"


def read_meta(root: Path) -> dict:
    """meta.json of a graph directory ({} when there is none), readable without opening the store."""
    p = Path(root) / META
    try:
        return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}
    except ValueError as e:
        raise StoreError(f"{p} is damaged ({e}): delete {root} and run `kg ingest`") from e


def is_current(root: Path, generation: int) -> bool:
    """Whether the graph under root reflects this knowledge-base generation in this format."""
    meta = read_meta(root)
    return (Path(root) / DB_DIR).exists() and meta.get("format") == FORMAT and meta.get("generation") == generation


def _open_read_only(ox, db: Path, tries: int = 20):
    """A read-only view; a writer compacting its files (it flushes after every document) can delete one the
    view was about to open, so that race is retried."""
    import time
    for i in range(tries):
        try:
            return ox.Store.read_only(str(db))
        except (OSError, RuntimeError) as e:
            if "No such file" not in str(e) or i == tries - 1:
                raise
            time.sleep(0.05)


class Dumps:
    """Reading a whole store out of its pyoxigraph Store (`self.ox`): the embedded store's own, or the remote
    store's local mirror."""

    def quads(self) -> Iterator:
        """Every quad, as pyoxigraph Quads, schema graph included."""
        return iter(self.ox.quads_for_pattern(None, None, None, None))

    def nquads(self) -> bytes:
        import pyoxigraph as ox
        return self.ox.dump(format=ox.RdfFormat.N_QUADS)

    def dataset(self):
        """An in-memory rdflib Dataset copy (default graph = union), for rdflib serialisers and tools."""
        from rdflib import Dataset
        ds = Dataset(default_union=True)
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns, replace=True)
        ds.parse(data=self.nquads(), format="nquads")
        return ds


class GraphStore(Dumps):
    """One directory: the Oxigraph database plus meta.json with the knowledge-base generation it reflects."""

    def __init__(self, root: Path, store, read_only: bool) -> None:
        self.root = root
        self._store = store
        self.read_only = read_only

    @classmethod
    def open(cls, root: str | Path, read_only: bool = False) -> "GraphStore":
        """Open (creating it unless read_only). A directory another process has open for
        writing cannot be opened for writing: that is a StoreError saying so."""
        import pyoxigraph as ox
        root = Path(root)
        db = root / DB_DIR
        if read_only and not db.exists():
            raise StoreError(f"no graph at {root}: run `kg ingest` first")
        try:
            if read_only:
                store = _open_read_only(ox, db)
            else:
                db.mkdir(parents=True, exist_ok=True)
                store = ox.Store(str(db))
        except (OSError, RuntimeError) as e:  # pyoxigraph: OSError for I/O and locks, RuntimeError for corruption
            if isinstance(e, OSError) and "lock" in str(e).lower():
                raise StoreLocked(f"graph store {root} is in use by another process or open already: close it "
                                  "(one writer at a time), or open it read-only to query") from e
            raise StoreDamaged(f"the graph store {root} is damaged ({' '.join(str(e).split())[:160]}): run "
                               f"`kg ingest --kb {root.parent} --reindex` to rebuild it from the knowledge base") from e
        gs = cls(root, store, read_only)
        meta = gs.meta()
        if meta and meta.get("format") != FORMAT:
            gs.close()
            raise StoreError(f"graph store {root} has format {meta.get('format')}, this version needs {FORMAT}: "
                             "delete the directory and run `kg ingest`")
        if not read_only and not meta:
            gs.set_generation(0)
        return gs

    def close(self) -> None:
        """Release the database (and its lock); pyoxigraph closes it when the last reference goes."""
        if self._store is not None and not self.read_only:
            self._store.flush()
        self._store = None

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def ox(self):
        """The underlying pyoxigraph.Store."""
        if self._store is None:
            raise StoreError(f"graph store {self.root} is closed")
        return self._store

    def _writable(self):
        if self.read_only:
            raise StoreError(f"graph store {self.root} is open read-only")
        return self.ox

    # -- bookkeeping ----------------------------------------------------------
    def meta(self) -> dict:
        return read_meta(self.root)

    @property
    def generation(self) -> int:
        """The knowledge-base generation this graph reflects (-1 when unknown)."""
        return int(self.meta().get("generation", -1))

    def set_generation(self, generation: int) -> None:
        self._writable().flush()
        write_json_atomic(self.root / META, {"format": FORMAT, "generation": generation, "backend": "oxigraph"})

    @property
    def loading(self) -> bool:
        """Whether a bulk load (load_fresh) began and never finished: the content is unreliable."""
        return bool(self.meta().get("loading"))

    def is_empty(self) -> bool:
        """No report and no catalogue graph (the schema graph may be there)."""
        import pyoxigraph as ox
        return not self.doc_ids() and not self.ox.contains_named_graph(ox.NamedNode(str(CATALOGUE_GRAPH)))

    def clear(self) -> None:
        """Delete every quad (a half-finished bulk load is thrown away before a new one)."""
        self._writable().clear()
        self.set_generation(-1)

    def load_fresh(self, graphs: Iterable[tuple[str, Graph, Graph | None]]) -> int:
        """Write reports' graphs into a store that holds none (is_empty) with Oxigraph's bulk
        loader: ~5x less CPU than one transaction per report (bench/ingest_stages.py). The
        result equals replace_doc on each in turn: a catalogue subject keeps the description
        of the last report that gives one. Not atomic, so meta.json says "loading" until
        set_generation, and sync clears a store left so. Returns the number of report triples."""
        self._writable()
        write_json_atomic(self.root / META, {"format": FORMAT, "generation": -1, "backend": "oxigraph",
                                             "loading": True})
        described: dict[str, list[str]] = {}  # catalogue subject -> its lines, from the last report describing it
        n = 0
        for doc_id, graph, catalogue in graphs:
            self._bulk(_nt(graph), str(graph_uri(doc_id)))
            n += len(graph)
            if catalogue is not None and len(catalogue):
                lines: dict[str, list[str]] = {}
                for line in _nt(catalogue).splitlines(keepends=True):
                    if line.strip():  # an N-Triples subject is one token: an IRI holds no space
                        lines.setdefault(line.split(" ", 1)[0], []).append(line)
                described.update(lines)
        if described:
            self._bulk("".join(x for v in described.values() for x in v), str(CATALOGUE_GRAPH))
        return n

    def _bulk(self, ntriples: str, name: str) -> None:
        import pyoxigraph as ox
        try:
            self._writable().bulk_load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
        except OSError as e:
            raise StoreError(f"graph store {self.root} failed writing {name}: {e}") from e
        except SyntaxError as e:
            raise StoreError(f"cannot store the graph {name}: {' '.join(str(e).split())}") from e

    def doc_ids(self) -> list[str]:
        head = str(GRAPH)
        names = (g.value for g in self.ox.named_graphs() if hasattr(g, "value"))
        return sorted(n[len(head):] for n in names if n.startswith(head + "doc-"))

    def __len__(self) -> int:
        return len(self.ox)

    # -- writes ---------------------------------------------------------------
    def replace_doc(self, doc_id: str, graph: Graph, catalogue: Graph | None = None) -> int:
        """Swap in a document's named graph and merge its catalogue descriptions (entities,
        periods: each subject's old description is replaced, so the last report written wins).
        One SPARQL update, which Oxigraph applies as one transaction: a crash leaves the old
        version or the new one, never half of either. Returns the document's triple count."""
        self._update(replace_update(doc_id, graph, catalogue), str(graph_uri(doc_id)))
        # Written out now: left in RocksDB's memtables, the writes of a whole ingest stay in memory
        # (+38 MB per report, 1.9 GB for 50) and each write gets slower (bench/scale.py).
        self.ox.flush()
        return len(graph)

    def remove_doc(self, doc_id: str) -> bool:
        """Drop a document's named graph, and the catalogue descriptions no report refers to any
        more (one transaction). False when the document was not there."""
        name = str(graph_uri(doc_id))
        self._writable()
        if not self.has_graph(name):
            return False
        self._update(remove_update(doc_id), name)
        return True

    def set_schema(self, graph: Graph) -> None:
        """Replace the shared schema graph (vocabulary, concept scheme, DSD)."""
        self._update(schema_update(graph), str(SCHEMA_GRAPH))

    def has_graph(self, name: str) -> bool:
        """Whether the named graph `name` (an IRI) holds anything."""
        import pyoxigraph as ox
        return self.ox.contains_named_graph(ox.NamedNode(str(name)))

    def _update(self, update: str, name: str) -> None:
        store = self._writable()
        try:
            store.update(update)
        except OSError as e:
            raise StoreError(f"graph store {self.root} failed writing {name}: {e}") from e
        except SyntaxError as e:  # a term N-Triples allows and SPARQL does not
            raise StoreError(f"cannot store the graph {name}: {' '.join(str(e).split())}") from e

    # -- reads ----------------------------------------------------------------
    def query(self, sparql: str, prefixes: dict[str, str] | None = None):
        """Run a SPARQL query (never an update); the default graph is the union of all graphs.
        Returns pyoxigraph's QuerySolutions, QueryBoolean or QueryTriples; raises SyntaxError."""
        return self.ox.query(sparql, prefixes=PREFIXES if prefixes is None else prefixes,
                             use_default_graph_as_union=True)



def sync(store: GraphStore, doc_ids: Iterable[str], generation: int,
         build: Callable[[str], tuple[Graph, Graph | None]], schema: Callable[[], Graph] | None = None,
         force: bool = False, progress: Callable[..., None] | None = None) -> tuple[list[str], list[str]]:
    """Bring the graph in step with the knowledge base: drop graphs of documents it no longer
    has, build those it lacks (all of them when force) with `build(doc_id) -> (document graph,
    catalogue graph)` (kg.graph.report_graphs), write the schema graph when it is missing (or
    force), then record the generation. Returns (built, removed) doc ids."""
    wanted = list(doc_ids)
    if store.loading:
        store.clear()
    have = set(store.doc_ids())
    removed = sorted(have - set(wanted))
    for d in removed:
        store.remove_doc(d)
    todo = [d for d in wanted if force or d not in have]
    if schema is not None and (force or not store.has_graph(str(SCHEMA_GRAPH))):
        store.set_schema(schema())

    def built() -> Iterator[tuple[str, Graph, Graph | None]]:
        for i, d in enumerate(todo):
            if progress:
                progress("graph", i, len(todo), d)
            yield d, *build(d)
    if todo and store.is_empty():  # a first ingest: bulk-load
        store.load_fresh(built())
    else:
        for d, graph, catalogue in built():
            store.replace_doc(d, graph, catalogue)
    store.set_generation(generation)
    if progress and todo:
        progress("graph", len(todo), len(todo))
    return todo, removed

