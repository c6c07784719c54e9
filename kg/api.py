"""The HTTP API `kg serve` runs: JSON for ask, search, documents, entities and figures, and the
read-only SPARQL 1.1 Protocol endpoint at /sparql. FastAPI (maintained, typed, and it writes the
OpenAPI description at /openapi.json and the interactive page at /docs); thin over kg.service,
kg.browse and kg.graph.endpoint. No CORS header unless origins are given: a web page the user
visits must not be able to read the knowledge base."""
import sqlite3
from dataclasses import asdict
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from kg.config import Settings
from kg.errors import KgError, NotFound, StoreError
from kg.graph.endpoint import Limits, Reply, answer as sparql_answer, refuse_update

MAX_BODY = 1 << 20  # bytes of any request body (a POSTed question or query), checked before it is parsed


class Question(BaseModel):
    question: str
    previous: str | None = None  # the question before, for a follow-up (那山西呢？)


class Span(BaseModel):
    doc: str  # document id, id prefix or file name
    start: int
    end: int


class Verdict(BaseModel):
    """An analyst's verdict on an answer (kg.qa.learn.feedback): right, wrong (with the right answer's text and/or
    evidence spans) or absent (the reports do not hold it); answer_id is the one /ask returned."""
    question: str
    verdict: str
    answer_id: str | None = None
    answer: str | None = None
    evidence: list[Span] = []
    previous: str | None = None


TOKEN_VAR = "POLICYKG_FEEDBACK_TOKEN"
TOKEN_HEADER = "X-Feedback-Token"


def _citation(c) -> dict:
    return {"doc": c.doc_id, "title": c.title, "chunk_id": c.chunk_id, "start": c.start, "end": c.end,
            "page": c.page, "section": list(c.section), "text": c.text}


def answer_json(reply) -> dict:
    """A kg.types.Reply as the API returns it; confidence is the fitted P(right) of what the answer states (of
    the best rejected proposal when it abstains)."""
    from kg.service import answer_id
    ans = reply.answer
    return {"question": ans.question, "asked": reply.typed, "answer": ans.text, "abstained": ans.abstained,
            "answer_id": answer_id(reply.question, ans.text),
            "kind": ans.kind, "confidence": round(ans.score, 3),
            "citations": [_citation(c) for c in ans.citations], "related": [_citation(c) for c in ans.related],
            "hint": reply.hint}


def _hit(h, rank: int) -> dict:
    c = h.chunk
    return {"rank": rank, "chunk_id": c.id, "doc": c.doc_id, "start": c.start, "end": c.end, "page": c.page,
            "section": list(c.section), "kind": c.kind, "score": round(h.score, 6), "text": c.text}


class BoundedBody:
    """ASGI middleware: a request body over `limit` bytes is answered 413 before any route reads or parses it
    (a declared Content-Length at once, a chunked body as soon as it passes the limit)."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _too_large(send, self.limit)
        # the body is read here, up to the limit, and handed on whole: no route ever sees more than the limit
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, _replay([message]), send)
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                return await _too_large(send, self.limit)
        await self.app(scope, _replay([{"type": "http.request", "body": bytes(body), "more_body": False}], receive),
                       send)


def _replay(messages: list, then=None):
    async def receive():
        if messages:
            return messages.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}
    return receive


async def _too_large(send, limit: int) -> None:
    body = f"request body larger than {limit >> 20} MB: send a shorter question or query\n".encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def served_hosts(host: str) -> tuple[str, ...] | None:
    """The Host header values a server on `host` answers: its loopback names when it listens on loopback (a web
    page that rebinds its own name to 127.0.0.1 gets nothing), None (any) when exposed with --host."""
    return LOOPBACK_HOSTS if host in LOOPBACK_HOSTS else None


def create_app(kb: str | Path, settings: Settings | None = None, limits: Limits = Limits(),
               cors_origins: tuple[str, ...] = (), hosts: tuple[str, ...] | None = None) -> FastAPI:
    """The FastAPI application over one knowledge base (opened now, so a bad --kb fails at once). hosts: the
    Host header values answered (None: any)."""
    from kg import browse
    from kg.service import Session

    session = Session(kb, settings or Settings(kb=Path(kb)))
    app = FastAPI(title="PolicyKG", version="0.1.0",
                  description="Cited answers, search and the knowledge graph of Chinese policy reports. "
                              "Read-only, but for analysts' feedback on answers (POST /feedback).")
    app.add_middleware(BoundedBody, limit=MAX_BODY)
    if hosts is not None:  # DNS rebinding: a page whose name now points at 127.0.0.1 still sends its own name
        from starlette.middleware.trustedhost import TrustedHostMiddleware
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "Accept"])
    app.state.session = session

    @app.exception_handler(KgError)
    def _kg_error(_: Request, e: KgError) -> JSONResponse:
        status = 404 if isinstance(e, NotFound) else 503 if isinstance(e, StoreError) else 400
        return JSONResponse({"error": str(e)}, status_code=status)

    @app.exception_handler(sqlite3.DatabaseError)
    def _damaged(_: Request, e: sqlite3.DatabaseError) -> JSONResponse:
        from kg.kb.store import DB_NAME, damaged_db
        return JSONResponse({"error": damaged_db(Path(kb) / DB_NAME, e)}, status_code=503)

    @app.get("/ask", summary="Answer a question with exact citations, or say the reports do not give it")
    def ask_get(question: str = Query(..., description="in Chinese, e.g. 辽宁2024年旅游收入是多少？")) -> dict:
        return answer_json(session.ask(question))

    @app.post("/ask", summary="Answer a question (JSON body {\"question\": ...})")
    def ask_post(body: Question) -> dict:
        return answer_json(session.ask(body.question, body.previous))

    @app.post("/feedback", summary="Say whether an answer is right, and where the right one is (kept as a labelled "
                                    "example for kg fit); needs X-Feedback-Token when the server is exposed")
    def feedback_post(body: Verdict, request: Request) -> JSONResponse:
        import hmac
        import os
        from kg import service
        token = os.environ.get(TOKEN_VAR) or ""
        if hosts is None and not token:
            return JSONResponse({"error": f"feedback is off on a server exposed with --host: set {TOKEN_VAR} "
                                          f"and send it as the {TOKEN_HEADER} header"}, status_code=403)
        if token and not hmac.compare_digest(request.headers.get(TOKEN_HEADER, ""), token):
            return JSONResponse({"error": f"feedback needs the {TOKEN_HEADER} header set to {TOKEN_VAR}"},
                                status_code=403)
        service.check_question(body.question)  # bounded before the lock is taken
        with session.answering, session.lock:  # a write: both (feedback is rare and answers twice)
            fb = service.feedback(session.kb, session.qa(), body.question, body.verdict, body.answer or "",
                                  [(e.doc, e.start, e.end) for e in body.evidence], body.previous, body.answer_id)
            kept = len(session.kb.feedback())
        return JSONResponse({"id": fb.id, "verdict": fb.verdict, "shown": fb.shown, "examples": kept})

    @app.get("/search", summary="Hybrid BM25 + vector search over the passages")
    def search(q: str, k: int = Query(5, ge=1, le=100), doc: str | None = None, region: str | None = None,
               year: int | None = None) -> list[dict]:
        return [_hit(h, i) for i, h in enumerate(session.search(q, k, doc, region, year), 1)]

    @app.get("/documents", summary="The ingested documents")
    def documents() -> list[dict]:
        with session.lock:
            return [asdict(d) for d in session.kb.documents()]

    @app.get("/entities", summary="Entities with their mention counts, most mentioned first")
    def entities(type: str | None = None, limit: int = Query(200, ge=1)) -> list[dict]:  # noqa: A002
        with session.lock:
            rows = browse.list_entities(session.kb, type)
        return [{**asdict(r.entity), "mentions": r.mentions, "documents": r.documents} for r in rows[:limit]]

    @app.get("/entities/{name}", summary="One entity: figures, neighbours and the passages behind them")
    def entity(name: str) -> dict:
        with session.lock:
            v = browse.entity_view(session.kb, name)
        return {"entity": asdict(v.entity), "figures": [asdict(f) for f in v.figures],
                "neighbours": [{"id": n.entity.id, "label": n.entity.label, "predicate": n.predicate,
                                "weight": n.weight} for n in v.neighbours],
                "passages": [_citation(c) for c in v.passages]}

    @app.get("/figures", summary="Figures with indicator, value, unit, period, region and source span")
    def figures(region: str | None = None, indicator: str | None = None, period: str | None = None,
                doc: str | None = None, limit: int = Query(1000, ge=1)) -> list[dict]:
        with session.lock:
            figs = browse.find_figures(session.kb, region, indicator, period, doc)
        return [asdict(f) for f in figs[:limit]]

    def _reply(r: Reply) -> Response:
        return Response(r.body, status_code=r.status, media_type=r.content_type)

    def _run(query: str | None, request: Request, fmt: str | None) -> Response:
        return _reply(sparql_answer(session.graph_location(), query, request.headers.get("accept"), fmt, limits))

    @app.get("/sparql", summary="SPARQL 1.1 Protocol query (read-only): JSON, XML, CSV or TSV results; Turtle, "
             "N-Triples or RDF/XML for CONSTRUCT and DESCRIBE, chosen by Accept")
    def sparql_get(request: Request, query: str | None = None, update: str | None = None,
                   format: str | None = None) -> Response:  # noqa: A002
        if update is not None:
            return _reply(refuse_update())
        return _run(query, request, format)

    @app.post("/sparql", summary="SPARQL 1.1 Protocol query by POST (form or application/sparql-query); "
              "updates are refused")
    async def sparql_post(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool
        body = await request.body()  # at most MAX_BODY: BoundedBody answered 413 before a larger one got here
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as e:
            return _reply(Reply(400, "text/plain; charset=utf-8",
                                f"the body is not UTF-8 (byte {e.start}): send the query as UTF-8\n".encode()))
        ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        fmt = request.query_params.get("format")
        if ctype == "application/sparql-update":
            return _reply(refuse_update())
        if ctype == "application/sparql-query":
            return await run_in_threadpool(_run, text, request, fmt)
        if ctype in ("application/x-www-form-urlencoded", ""):
            form = parse_qs(text)
            if "update" in form:
                return _reply(refuse_update())
            fmt = (form.get("format") or [fmt])[0]
            return await run_in_threadpool(_run, (form.get("query") or [None])[0], request, fmt)
        return _reply(Reply(415, "text/plain; charset=utf-8", f"unsupported Content-Type {ctype}: use "
                            "application/sparql-query or application/x-www-form-urlencoded\n".encode()))

    return app


def serve(app, host: str = "127.0.0.1", port: int = 3030) -> None:
    """Run the app with uvicorn until Ctrl-C; a port that cannot be bound is a UsageError."""
    import socket

    import uvicorn
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        from kg.errors import UsageError
        raise UsageError(f"cannot listen on {host}:{port} ({e.strerror or e}): give another --port "
                         "or stop what uses it") from None
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
