"""A read-only SPARQL 1.1 Protocol endpoint (GET/POST /sparql) over the graph store, stdlib only."""
from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from kg.errors import KgError

JSON_TYPE = "application/sparql-results+json"
TURTLE_TYPE = "text/turtle"


def answer_query(graph_dir: Path, query: str) -> tuple[int, str, bytes]:
    """(HTTP status, content type, body) for one query; the store is opened per request (read-only)."""
    from kg.graph.store import GraphStore
    from kg.graph.sparql import run_query
    try:
        with GraphStore.open(graph_dir, read_only=True) as store:
            kind, payload = run_query(store, query)
    except KgError as e:
        return 400, "text/plain; charset=utf-8", f"{e}\n".encode("utf-8")
    if kind == "graph":
        return 200, f"{TURTLE_TYPE}; charset=utf-8", str(payload).encode("utf-8")
    return 200, JSON_TYPE, json.dumps(payload, ensure_ascii=False).encode("utf-8")


def make_handler(graph_dir: Path):
    class Handler(BaseHTTPRequestHandler):
        def _reply(self, status: int, ctype: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(body)

        def _query(self, query: str | None) -> None:
            if urlparse(self.path).path.rstrip("/") != "/sparql":
                return self._reply(404, "text/plain", b"the endpoint is /sparql\n")
            if not query:
                return self._reply(400, "text/plain", b"missing query: GET /sparql?query=... or POST it\n")
            self._reply(*answer_query(graph_dir, query))

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._query(parse_qs(urlparse(self.path).query).get("query", [None])[0])

        def do_POST(self) -> None:  # noqa: N802
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n).decode("utf-8")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if ctype == "application/sparql-query":
                return self._query(body)
            if ctype == "application/sparql-update":
                return self._reply(400, "text/plain", b"read-only: SPARQL updates are not allowed\n")
            self._query(parse_qs(body).get("query", [None])[0])

        def log_message(self, fmt: str, *args: object) -> None:  # quiet: one line per request is noise here
            pass

    return Handler


def serve(graph_dir: Path, host: str = "127.0.0.1", port: int = 3030) -> ThreadingHTTPServer:
    """A server ready for serve_forever(); the caller owns its lifetime."""
    return ThreadingHTTPServer((host, port), make_handler(graph_dir))
