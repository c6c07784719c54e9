"""The HTTP API over two bundled reports (fake embedder): FastAPI's test client, then one real
uvicorn on loopback driven by SPARQLWrapper for every result format and a refused update."""
import json
import socket
import threading
import time

import pytest

from kg.cli.main import main



@pytest.fixture(scope="module")
def kb(tmp_path_factory, two_report_sources):
    src = two_report_sources
    kb = tmp_path_factory.mktemp("kb") / "kb"
    assert main(["ingest", "--kb", str(kb), "--model", "fake", str(src)]) == 0
    return kb


@pytest.fixture(scope="module")
def client(kb):
    from fastapi.testclient import TestClient

    from kg.api import create_app
    from kg.graph.endpoint import Limits
    app = create_app(kb, limits=Limits(timeout=3))
    with TestClient(app) as c:
        yield c
    app.state.session.close()


def test_ask_returns_the_answer_with_citations(client, kb):
    r = client.get("/ask", params={"question": "辽宁2024年旅游收入是多少？"})
    assert r.status_code == 200
    body = r.json()
    assert not body["abstained"] and "6325" in body["answer"]
    assert body["citations"], "an answer carries its evidence"
    from kg.kb.store import KnowledgeBase
    with KnowledgeBase.open(kb) as store:
        for c in body["citations"]:
            assert store.document(c["doc"]).text[c["start"]:c["end"]] == c["text"]
    assert client.post("/ask", json={"question": "辽宁2024年旅游收入是多少？"}).json()["answer"] == body["answer"]
    assert 0 < body["confidence"] <= 1, "the fitted P(right) of what it states"
    follow = client.post("/ask", json={"question": "那山西呢？", "previous": "辽宁2024年旅游收入是多少？"}).json()
    assert follow["asked"] == "那山西呢？" and "山西" in follow["question"]


def test_empty_and_english_questions(client):
    r = client.get("/ask", params={"question": "   "})
    assert r.status_code == 400 and "empty question" in r.json()["error"]
    r = client.post("/ask", json={"question": "辽宁" * 300})
    assert r.status_code == 400 and "600 characters long" in r.json()["error"]
    r = client.post("/ask", content='{"question": "辽宁\\ud800旅游收入"}'.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 400 and "not UTF-8" in r.json()["error"]  # a lone surrogate: no 500
    body = client.get("/ask", params={"question": "What was Liaoning's tourism revenue?"}).json()
    assert body["abstained"] and "请用中文提问" in body["hint"]


def test_search_documents_entities_figures(client):
    hits = client.get("/search", params={"q": "辽宁 旅游收入", "k": 3}).json()
    assert len(hits) == 3 and all(set(h) >= {"chunk_id", "doc", "start", "end", "text"} for h in hits)
    assert client.get("/search", params={"q": "x", "k": -5}).status_code == 422
    docs = client.get("/documents").json()
    assert {d["region"] for d in docs} == {"辽宁", "山西"}
    ents = client.get("/entities", params={"type": "region", "limit": 5}).json()
    assert ents and all(e["type"] == "region" for e in ents)
    view = client.get("/entities/辽宁省").json()
    assert view["entity"]["id"] == "region-210000" and view["passages"]
    assert client.get("/entities/没有这个").status_code == 400
    figs = client.get("/figures", params={"region": "山西", "indicator": "房地产开发投资", "period": "2024-12"}).json()
    assert any(f["text"] == "-5.1" for f in figs)


def test_openapi_describes_every_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/ask", "/search", "/documents", "/entities", "/entities/{name}", "/figures", "/sparql"} <= set(paths)


Q = "SELECT ?l WHERE { entity:region-210000 skos:prefLabel ?l }"


def test_sparql_over_the_protocol(client):
    r = client.get("/sparql", params={"query": Q})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
    assert "access-control-allow-origin" not in r.headers, "no page on another origin may read the results"
    assert r.json()["results"]["bindings"][0]["l"]["value"] == "辽宁"
    r = client.get("/sparql", params={"query": Q}, headers={"Accept": "text/csv"})
    assert r.text.splitlines() == ["l", "辽宁"]
    r = client.post("/sparql", content=Q.encode(), headers={"Content-Type": "application/sparql-query",
                                                            "Accept": "text/tab-separated-values"})
    assert r.text.splitlines() == ["?l", '"辽宁"@zh']
    r = client.post("/sparql", data={"update": "INSERT DATA { <a:b> <a:c> <a:d> }"})
    assert r.status_code == 403 and r.text.startswith("read-only")
    r = client.post("/sparql", content=b"INSERT DATA { <a:b> <a:c> <a:d> }",
                    headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    assert client.put("/sparql", content=b"x").status_code == 405
    r = client.post("/sparql", content=b"\xff\xfe SELECT", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and "not UTF-8" in r.text
    r = client.get("/sparql", params={"query": Q}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406
    r = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert r.status_code == 403 and "SERVICE" in r.text


def test_a_runaway_query_is_stopped(client):
    r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    assert r.status_code == 503 and "stopped after 3 s" in r.text
    assert client.get("/sparql", params={"query": Q}).status_code == 200, "the server still answers"


def test_cors_only_for_configured_origins(kb):
    from fastapi.testclient import TestClient

    from kg.api import create_app
    app = create_app(kb, cors_origins=("http://localhost:8080",))
    with TestClient(app) as c:
        ok = c.get("/documents", headers={"Origin": "http://localhost:8080"})
        other = c.get("/documents", headers={"Origin": "https://evil.example"})
    app.state.session.close()
    assert ok.headers["access-control-allow-origin"] == "http://localhost:8080"
    assert "access-control-allow-origin" not in other.headers


@pytest.fixture(scope="module")
def server(kb):
    """`kg serve` itself (uvicorn) on a free loopback port, in a thread."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t = threading.Thread(target=main, args=(["serve", "--kb", str(kb), "--port", str(port)],), daemon=True)
    t.start()
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return f"http://127.0.0.1:{port}"


def test_ask_over_real_http(server):
    import urllib.parse
    import urllib.request
    url = f"{server}/ask?question={urllib.parse.quote('辽宁2024年旅游收入是多少？')}"
    with urllib.request.urlopen(url, timeout=60) as r:
        body = json.loads(r.read())
    assert "6325" in body["answer"] and body["citations"]


@pytest.mark.parametrize("fmt, check", [
    ("json", lambda res: res.convert()["results"]["bindings"][0]["l"]["value"] == "辽宁"),
    ("xml", lambda res: "辽宁" in res.convert().toxml()),
    ("csv", lambda res: res.convert().decode().splitlines() == ["l", "辽宁"]),
    ("tsv", lambda res: res.convert().decode().splitlines() == ["?l", '"辽宁"@zh']),
])
def test_sparqlwrapper_select_in_each_format(server, fmt, check):
    from SPARQLWrapper import SPARQLWrapper
    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setQuery("PREFIX entity: <https://policykg.org/id/entity/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                + Q)
    sw.setReturnFormat(fmt)
    assert check(sw.query())


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("xml", "xml"), ("rdf+xml", "xml")])
def test_sparqlwrapper_construct(server, fmt, rdflib_format):
    from rdflib import Graph
    from SPARQLWrapper import SPARQLWrapper
    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setQuery("CONSTRUCT { ?e skos:prefLabel ?l } WHERE { ?e a pkg:Region ; skos:prefLabel ?l }")
    sw.setReturnFormat(fmt)
    res = sw.query()
    g = res.convert()
    if not isinstance(g, Graph):
        g = Graph().parse(data=g, format=rdflib_format)
    assert {str(o) for o in g.objects()} >= {"辽宁", "山西"}


def test_sparqlwrapper_update_is_refused(server):
    from urllib.error import HTTPError

    from SPARQLWrapper import POST, SPARQLWrapper
    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <https://x.org/a> <https://x.org/b> <https://x.org/c> }")
    assert sw.isSparqlUpdateRequest()
    with pytest.raises(HTTPError) as err:
        sw.query()
    assert err.value.code == 403 and err.value.read().decode().startswith("read-only")


@pytest.mark.parametrize("head", [
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\nContent-Length: abc\r\n\r\nSELECT",
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\nContent-Length: -1\r\n\r\nSELECT",
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\nContent-Length: 6\r\n\r\n\xff\xfe\xfd\xfc\xfb\xfa",
])
def test_bad_bodies_get_a_4xx_and_hold_no_thread(server, head):
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(head)
        status = s.recv(200).split(b"\r\n", 1)[0]
    assert status.startswith(b"HTTP/1.1 4"), status
    with urllib_get(f"{server}/documents") as r:
        assert r.status == 200, "the server still answers"


def urllib_get(url: str):
    import urllib.request
    return urllib.request.urlopen(url, timeout=30)


def test_an_oversized_body_is_refused_before_it_is_read_or_parsed(server):
    host, port = server.removeprefix("http://").split(":")
    huge = 50 << 20  # declared, never sent: the answer comes at once
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + f"Content-Length: {huge}\r\n\r\n".encode() + b'{"question": "' + b"a" * 1000)
        reply = _reply(s)
    assert reply.startswith(b"HTTP/1.1 413") and b"larger than 1 MB" in reply, reply
    with socket.create_connection((host, int(port)), timeout=30) as s:  # chunked: counted as it arrives
        s.sendall(b"POST /ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"a" * (256 << 10)
        for _ in range(6):
            s.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        reply = _reply(s)
    assert reply.startswith(b"HTTP/1.1 413"), reply
    with urllib_get(f"{server}/documents") as r:
        assert r.status == 200, "the server still answers"


def _reply(s) -> bytes:
    """The response's head and the start of its body, which may come in separate packets."""
    reply = b""
    while not (b"\r\n\r\n" in reply and reply.split(b"\r\n\r\n", 1)[1]):
        part = s.recv(400)
        if not part:
            break
        reply += part
    return reply


def test_an_unknown_document_is_a_404_that_names_no_server_path(client):
    r = client.get("/search", params={"q": "旅游收入", "doc": "nope"})
    assert r.status_code == 404 and "no document 'nope'" in r.json()["error"] and "/" not in r.json()["error"]


def test_a_loopback_server_answers_only_its_own_names(server):
    host, port = server.removeprefix("http://").split(":")
    for name, ok in (("evil.example", False), (f"127.0.0.1:{port}", True), (f"localhost:{port}", True)):
        with socket.create_connection((host, int(port)), timeout=10) as s:  # DNS rebinding sends the page's name
            s.sendall(f"GET /documents HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n".encode())
            status = _reply(s).split(b"\r\n", 1)[0]
        assert status.startswith(b"HTTP/1.1 200" if ok else b"HTTP/1.1 400"), (name, status)


def test_feedback_on_an_answer_is_kept_on_loopback_and_needs_the_token_when_exposed(kb, client, monkeypatch):
    from fastapi.testclient import TestClient
    from kg.api import TOKEN_HEADER, TOKEN_VAR, create_app
    shown = client.get("/ask", params={"question": "辽宁2024年旅游收入是多少？"}).json()
    verdict = {"question": "辽宁2024年旅游收入是多少？", "verdict": "right", "answer_id": shown["answer_id"]}
    monkeypatch.delenv(TOKEN_VAR, raising=False)
    r = client.post("/feedback", json=verdict)  # this app answers any Host: as exposed with --host
    assert r.status_code == 403 and TOKEN_VAR in r.json()["error"]
    monkeypatch.setenv(TOKEN_VAR, "s3cret")
    assert client.post("/feedback", json=verdict, headers={TOKEN_HEADER: "guess"}).status_code == 403
    r = client.post("/feedback", json=verdict, headers={TOKEN_HEADER: "s3cret"})
    assert r.status_code == 200 and r.json()["verdict"] == "right" and r.json()["examples"] == 1
    monkeypatch.delenv(TOKEN_VAR)
    app = create_app(kb, hosts=("testserver",))  # loopback only: no token needed
    with TestClient(app) as local:
        bad = local.post("/feedback", json={**verdict, "verdict": "maybe"})
        assert bad.status_code == 400 and "verdict" in bad.json()["error"]
        stale = local.post("/feedback", json={**verdict, "answer_id": "ans-000000000000"})
        assert stale.status_code == 400 and "ask again" in stale.json()["error"]
        r = local.post("/feedback", json={"question": "辽宁2024年旅游收入是多少？", "verdict": "absent"})
        assert r.status_code == 200 and r.json()["examples"] == 2
    app.state.session.close()


def test_a_slow_question_does_not_keep_the_documents_waiting(kb, monkeypatch):
    """/documents answers while a question is still being answered (the question waits for it to return): with one
    lock around both, it would wait until the question gave up."""
    import threading
    import kg.qa
    from fastapi.testclient import TestClient
    from kg.api import create_app
    app = create_app(kb)
    real = kg.qa.answer
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def slow(question, ctx):
        started.set()
        release.wait(20)  # held until /documents has answered, or 20 s
        finished.set()
        return real(question, ctx)
    monkeypatch.setattr(kg.qa, "answer", slow)
    with TestClient(app) as c:
        asking = threading.Thread(target=lambda: c.post("/ask", json={"question": "山西2024年存款余额是多少？"}))
        asking.start()
        assert started.wait(30)
        r = c.get("/documents")
        answered_meanwhile = not finished.is_set()
        release.set()
        asking.join()
    app.state.session.close()
    assert r.status_code == 200 and len(r.json()) == 2
    assert answered_meanwhile, "/documents waited for the question to finish"
