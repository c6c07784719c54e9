"""Export the graph store to a file: RDF formats, GraphML (the networkx view) or CSV (one row per triple)."""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

from kg.errors import UsageError
from kg.graph.vocab import ID, PREFIXES

FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "graphml", "csv")
_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "nquads": "nq", "n-quads": "nq",
            "json-ld": "jsonld", "json": "jsonld", **{f: f for f in FORMATS}}
_SUFFIXES = {".ttl": "ttl", ".nt": "nt", ".nq": "nq", ".trig": "trig", ".jsonld": "jsonld", ".json": "jsonld",
             ".graphml": "graphml", ".csv": "csv"}
CSV_COLUMNS = ("graph", "subject", "predicate", "object", "object_type", "source_chunk")
_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
_CHUNK = f"{ID}chunk/"


@dataclass(frozen=True, slots=True)
class Exported:
    format: str
    count: int  # what was written: triples (ttl, nt), quads (nq, trig, jsonld), edges (graphml), rows (csv)
    path: str | None = None


def format_of(path_or_format: str | Path) -> tuple[str, bool]:
    """(format, is_path): a format name (ttl, turtle, json-ld ...) or a file path whose suffix names one."""
    text = str(path_or_format)
    if isinstance(path_or_format, str) and text.lower() in _ALIASES:
        return _ALIASES[text.lower()], False
    fmt = _SUFFIXES.get(Path(text).suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the export format of {text!r}: use a file ending in "
                         f"{' '.join(sorted(_SUFFIXES))}, or a format name ({', '.join(FORMATS)})")
    return fmt, True


def export(store, path_or_format: str | Path, out: BinaryIO | str | Path | None = None) -> Exported:
    """Write `store` (a GraphStore) in one format.

    `path_or_format` is either a file path, the format taken from its suffix (.ttl .nt .nq .trig
    .jsonld/.json .graphml .csv; written to a temporary file then renamed), or a format name with
    `out` a binary stream or a path. Turtle and N-Triples flatten every named graph (the schema
    graph included) into one graph; N-Quads, TriG and JSON-LD keep one named graph per document.
    """
    fmt, is_path = format_of(path_or_format)
    if is_path:
        if out is not None:
            raise UsageError("give either a file path or a format name with an output, not both")
        out = Path(path_or_format)
    if out is None:
        raise UsageError(f"export to {fmt} needs an output: a file path or a binary stream")
    write = _WRITERS[fmt]
    if not isinstance(out, (str, Path)):
        return Exported(fmt, write(store, out))
    dest = Path(out)
    if not dest.parent.is_dir():
        raise UsageError(f"no folder {dest.parent} to write {dest.name} into: create it first")
    try:
        n = _write_file(dest, lambda fh: write(store, fh))
    except OSError as e:
        raise UsageError(f"cannot write {dest} ({e.strerror or e}): give a writable path with -o") from None
    return Exported(fmt, n, str(dest))


def _write_file(dest: Path, write: Callable[[BinaryIO], int]) -> int:
    """Write a new or regular file atomically (a temporary file renamed over it); a character
    device (/dev/null, /dev/stdout) is written in place; a symlink, FIFO or folder is refused,
    since renaming over it would replace the link or node itself."""
    import stat
    if dest.is_symlink():
        raise UsageError(f"{dest} is a symlink: give the path it points to ({os.path.realpath(dest)})")
    if dest.exists():
        mode = dest.stat().st_mode
        if stat.S_ISCHR(mode):
            with open(dest, "wb") as fh:
                n = write(fh)
                fh.flush()
            return n
        if not stat.S_ISREG(mode):
            raise UsageError(f"{dest} is not a regular file (a folder, pipe or socket): give a file path")
    import tempfile
    # created exclusively under a name no one can guess beforehand: a symlink or a FIFO planted at dest.tmp is
    # never opened (it was: a link there had its target overwritten)
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    tmp = Path(name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # the permissions a plain open() would give, not mkstemp's 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            n = write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return n


def _flat(store, fh: BinaryIO, rdf_format) -> int:
    import pyoxigraph as ox
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in store.quads()}, key=str)
    prefixes = PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None
    ox.serialize(triples, fh, rdf_format, prefixes=prefixes)
    return len(triples)


def _ttl(store, fh: BinaryIO) -> int:
    import pyoxigraph as ox
    return _flat(store, fh, ox.RdfFormat.TURTLE)


def _nt(store, fh: BinaryIO) -> int:
    import pyoxigraph as ox
    return _flat(store, fh, ox.RdfFormat.N_TRIPLES)


def _nq(store, fh: BinaryIO) -> int:
    import pyoxigraph as ox
    store.ox.dump(fh, ox.RdfFormat.N_QUADS)
    return len(store)


def _trig(store, fh: BinaryIO) -> int:
    import pyoxigraph as ox
    store.ox.dump(fh, ox.RdfFormat.TRIG, prefixes=PREFIXES)
    return len(store)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _jsonld_ref(t) -> str:
    import pyoxigraph as ox
    return f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value


def _jsonld_value(t) -> dict:
    import pyoxigraph as ox
    if isinstance(t, ox.Literal):
        if t.language:
            return {"@value": t.value, "@language": t.language}
        dt = t.datatype.value
        return {"@value": t.value} if dt == _XSD_STRING else {"@value": t.value, "@type": dt}
    return {"@id": _jsonld_ref(t)}


def _jsonld_nodes(quads, fh: BinaryIO, dumps) -> int:
    """Node objects, one per subject, written as the (subject-ordered) quads stream by."""
    import pyoxigraph as ox
    n, node, first = 0, None, True
    def flush() -> None:
        nonlocal first
        if node is not None:
            fh.write((b"" if first else b",\n") + dumps(node).encode("utf-8"))
            first = False
    subject = None
    for q in quads:
        n += 1
        if q.subject != subject:
            flush()
            subject, node = q.subject, {"@id": _jsonld_ref(q.subject)}
        p = q.predicate.value
        if p == _RDF_TYPE and not isinstance(q.object, ox.Literal):
            node.setdefault("@type", []).append(_jsonld_ref(q.object))
        else:
            node.setdefault(p, []).append(_jsonld_value(q.object))
    flush()
    return n


def _jsonld(store, fh: BinaryIO) -> int:
    """Streamed JSON-LD 1.1 (expanded node objects under the prefixes' @context), one named graph per
    document, written graph by graph from the store's subject-ordered index: seconds where rdflib's
    serialiser (pyoxigraph's writes no @context) took a minute on the bundled corpus."""
    import json

    import pyoxigraph as ox
    dumps = lambda o: json.dumps(o, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    fh.write(b'{"@context":' + dumps(dict(PREFIXES)).encode("utf-8") + b',\n"@graph":[\n')
    n = _jsonld_nodes(store.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()), fh, dumps)
    first = n == 0
    for g in sorted(store.ox.named_graphs(), key=str):
        fh.write((b"" if first else b",\n") + b'{"@id":' + dumps(_jsonld_ref(g)).encode("utf-8") + b',"@graph":[\n')
        n += _jsonld_nodes(store.ox.quads_for_pattern(None, None, None, g), fh, dumps)
        fh.write(b"]}")
        first = False
    fh.write(b"\n]}\n")
    return n


def graphml_safe(G):
    """A copy whose attribute values GraphML can hold (str, int, float, bool): None becomes
    "", tuples and lists are joined with " | ", anything else becomes its str()."""
    def fix(v: object) -> object:
        if v is None:
            return ""
        if isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, (tuple, list, set, frozenset)):
            return " | ".join(str(x) for x in v)
        return str(v)
    H = G.copy()
    for _, data in H.nodes(data=True):
        data.update({k: fix(v) for k, v in data.items()})
    for *_, data in H.edges(keys=True, data=True) if H.is_multigraph() else H.edges(data=True):
        data.update({k: fix(v) for k, v in data.items()})
    H.graph.update({k: fix(v) for k, v in H.graph.items()})
    return H


def _graphml(store, fh: BinaryIO) -> int:
    import networkx as nx
    from kg.graph.netview import to_networkx
    G = graphml_safe(to_networkx(store))
    nx.write_graphml(G, fh, encoding="utf-8")
    return G.number_of_edges()


def _term(t) -> tuple[str, str]:
    """(value, type): a literal's language (@zh) or datatype IRI; "" for IRIs and blank nodes."""
    import pyoxigraph as ox
    if isinstance(t, ox.Literal):
        return t.value, f"@{t.language}" if t.language else t.datatype.value
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}", ""
    return t.value, ""


def source_chunks(quads: list) -> dict[tuple[str, str], str]:
    """(graph, subject) -> the chunk IRI it derives from: chunks are their own source, anything with
    prov:wasDerivedFrom a chunk has that one, and `X#part` inherits X's."""
    src: dict[tuple[str, str], str] = {}
    for q in quads:
        g, s, o = str(q.graph_name), q.subject.value, q.object.value
        if s.startswith(_CHUNK) and "#" not in s:
            src[(g, s)] = s
        elif q.predicate.value == _DERIVED and o.startswith(_CHUNK):
            src[(g, s)] = o
    return src


def _csv(store, fh: BinaryIO) -> int:
    quads = list(store.quads())
    src = source_chunks(quads)
    text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
    w = csv.writer(text)
    w.writerow(CSV_COLUMNS)
    for q in quads:
        g = q.graph_name.value if hasattr(q.graph_name, "value") else ""
        s = q.subject.value
        chunk = src.get((str(q.graph_name), s)) or src.get((str(q.graph_name), s.split("#", 1)[0]), "")
        obj, typ = _term(q.object)
        w.writerow((g, _term(q.subject)[0], q.predicate.value, obj, typ, chunk))
    text.flush()
    text.detach()
    return len(quads)


_WRITERS: dict[str, Callable[[object, BinaryIO], int]] = {
    "ttl": _ttl, "nt": _nt, "nq": _nq, "trig": _trig, "jsonld": _jsonld, "graphml": _graphml, "csv": _csv}
