"""The read-only SPARQL 1.1 Protocol logic behind /sparql: check, negotiate, run with limits.

Each query runs in a child process (forked from a forkserver that has the modules loaded),
so a runaway query (`SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }`) is killed when its time is up
and cannot grow the server: the child has an address-space limit and its reply a size limit.
Oxigraph's query engine has no cancellation of its own; a process is the unit that can be
stopped. The HTTP side (routes, bodies, CORS) is kg/api.py.
"""
from __future__ import annotations

import multiprocessing
import threading
from dataclasses import dataclass
from pathlib import Path

from kg.errors import GraphStoreUnreachable, KgError, UsageError

TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Limits:
    """What one query may use: seconds, bytes of reply, bytes of address space for its process."""

    timeout: float = 20.0
    max_reply: int = 64 << 20
    max_memory: int = 4 << 30

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise UsageError(f"the query timeout must be positive, got {self.timeout}")


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    content_type: str
    body: bytes


def _text(status: int, message: str) -> Reply:
    return Reply(status, TEXT, (message.rstrip("\n") + "\n").encode("utf-8"))


class _Capped:
    """A file-like sink that refuses to grow past a size (the serialiser stops with an OSError)."""

    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def write(self, b: bytes) -> int:
        self.size += len(b)
        if self.size > self.limit:
            raise OSError("reply too large")
        self.parts.append(bytes(b))
        return len(b)

    def flush(self) -> None:
        pass


def _child(conn, graph_dir, text: str, form: str, media_type: str, limits: Limits) -> None:
    """Runs in the child process: open the store (a directory or a kg.graph.config.Remote) read-only,
    run, send (ok, payload)."""
    import resource
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory, limits.max_memory))
    except (ValueError, OSError):
        pass
    from kg.graph.sparql import Checked, execute
    from kg.graph.index import open_store
    try:
        sink = _Capped(limits.max_reply)
        with open_store(graph_dir, read_only=True) as store:
            execute(store, Checked(text, form), media_type, sink)
        conn.send_bytes(b"ok" + b"".join(sink.parts))
    except MemoryError:
        conn.send_bytes(b"nm")
    except GraphStoreUnreachable as e:
        conn.send_bytes(b"gw" + str(e).encode("utf-8"))
    except (KgError, OSError) as e:  # execute turns the sink's OSError into a UsageError naming it
        conn.send_bytes(b"nm" if "reply too large" in str(e) else b"er" + str(e).encode("utf-8"))
    except Exception as e:  # noqa: BLE001 - the parent answers 500 with the one-line reason
        conn.send_bytes(b"ie" + f"{type(e).__name__}: {e}".encode("utf-8"))
    finally:
        conn.close()


_CTX = None


def _context():
    global _CTX
    if _CTX is None:
        _CTX = multiprocessing.get_context("forkserver")
        _CTX.set_forkserver_preload(["kg.graph.endpoint", "kg.graph.sparql", "kg.graph.store", "kg.graph.index",
                                     "pyoxigraph"])
    return _CTX


def _where(graph_dir):
    return str(graph_dir) if isinstance(graph_dir, (str, Path)) else graph_dir


# Query processes running at once, each allowed Limits.max_memory: two (a 2-core machine) keep the endpoint's
# worst case at 8 GB however many requests arrive; a request that finds both busy waits up to its timeout.
MAX_QUERIES = 2
_RUNNING = threading.BoundedSemaphore(MAX_QUERIES)


def run_limited(graph_dir, text: str, form: str, media_type: str, limits: Limits = Limits()) -> Reply:
    """Run a checked query in a child process, at most MAX_QUERIES at once; 503 when it runs out of time (or
    finds no free slot within it), 413 out of room."""
    if not _RUNNING.acquire(timeout=limits.timeout):
        return _text(503, f"{MAX_QUERIES} queries are running: try again in a moment")
    try:
        return _run(graph_dir, text, form, media_type, limits)
    finally:
        _RUNNING.release()


def _run(graph_dir, text: str, form: str, media_type: str, limits: Limits) -> Reply:
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(child, _where(graph_dir), text, form, media_type, limits), daemon=True)
    p.start()
    child.close()
    try:
        if not parent.poll(limits.timeout):
            return _text(503, f"query stopped after {limits.timeout:g} s: add a LIMIT or narrow the patterns")
        try:
            data = parent.recv_bytes()
        except EOFError:  # the child died (out of memory, killed)
            return _text(413, "query stopped: it needs more memory than an endpoint query may use; add a LIMIT")
    finally:
        parent.close()
        if p.is_alive():
            p.kill()
        p.join()
    tag, payload = data[:2], data[2:]
    if tag == b"ok":
        ctype = media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")
        return Reply(200, ctype, payload)
    if tag == b"nm":
        return _text(413, f"result larger than {limits.max_reply >> 20} MB or than the memory a query may use: "
                          "add a LIMIT")
    return _text({b"er": 400, b"gw": 502}.get(tag, 500), payload.decode("utf-8"))


def answer(graph_dir, query: str | None, accept: str | None = None, fmt: str | None = None,
           limits: Limits = Limits()) -> Reply:
    """One SPARQL Protocol query: 400 for a missing or bad query, 403 for an update or SERVICE,
    406 when no accepted format fits the query form, else the result in the negotiated format."""
    from kg.graph.sparql import NO_SERVICE, READ_ONLY, check_query, pick_format
    if not query:
        return _text(400, "missing query: GET /sparql?query=... or POST it (form field query, or "
                          "Content-Type: application/sparql-query)")
    try:
        checked = check_query(query)
    except UsageError as e:
        return _text(403 if str(e) in (READ_ONLY, NO_SERVICE) else 400, str(e))
    media = pick_format(checked.form, accept, fmt)
    if media is None:
        from kg.graph.sparql import GRAPH_TYPES, RESULT_TYPES
        offered = GRAPH_TYPES if checked.form in ("construct", "describe") else RESULT_TYPES
        return _text(406, f"cannot give a {checked.form.upper()} result as {fmt or accept}: "
                          f"ask for one of {', '.join(offered)}")
    return run_limited(_where(graph_dir), checked.text, checked.form, media, limits)


def refuse_update() -> Reply:
    from kg.graph.sparql import READ_ONLY
    return _text(403, READ_ONLY)
