"""The graph on a real SPARQL 1.1 server: the Oxigraph server (PyPI `oxigraph`, the test extra) started
on a free port for this module. The bundled corpus is ingested into a knowledge base whose graph lives on
the server, and a copy of that knowledge base switched to the embedded store is the reference: the two
must hold the same quads in every named graph and answer the same queries, before and after a report is
replaced and another removed (the same commands run on both)."""
import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import pytest

from kg.cli.main import main

from conftest import CORPUS, LIAONING  # noqa: E402

QUESTION = "辽宁2024年旅游收入是多少？"  # the CLI's own example question
QUERIES = [
    "SELECT ?d ?title ?year WHERE { ?d a pkg:Report ; dcterms:title ?title . OPTIONAL { ?d dcterms:date ?year } } "
    "ORDER BY ?d",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",  # the union default graph, duplicates across graphs included
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?label (COUNT(DISTINCT ?d) AS ?docs) WHERE { ?d pkg:mentions ?e . ?e skos:prefLabel ?label } "
    "GROUP BY ?label ORDER BY DESC(?docs) ?label LIMIT 30",
    "ASK { ?o a qb:Observation }",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph() -> str:
    exe = Path(sys.executable).parent / "oxigraph"  # the venv's, installed with the test extra
    found = str(exe) if exe.exists() else shutil.which("oxigraph")
    if not found:
        pytest.skip("no `oxigraph` executable: pip install oxigraph==0.5.13 (in the test extra)")
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`oxigraph serve` on 127.0.0.1, a free port and a temporary directory; stopped after the module."""
    port = _free_port()
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.1)
        else:
            pytest.fail("the Oxigraph server did not answer within 30 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def kbs(tmp_path_factory, server):
    """(remote, embedded): the corpus ingested with the graph on the server; a copy of it on the embedded store."""
    root = tmp_path_factory.mktemp("kbs")
    remote, embedded = root / "remote", root / "embedded"
    assert main(["ingest", "--kb", str(remote), "--no-dense", "--graph-store", server, str(CORPUS)]) == 0
    shutil.copytree(remote, embedded)
    assert main(["ingest", "--kb", str(embedded), "--no-dense", "--graph-store", "embedded", str(CORPUS)]) == 0
    return remote, embedded


def _open(kb: Path):
    from kg.graph.index import open_graph
    from kg.kb.store import KnowledgeBase
    with KnowledgeBase.open(kb) as k:
        return open_graph(k)


def _doc_ids(kb: Path) -> list[str]:
    from kg.kb.store import KnowledgeBase
    with KnowledgeBase.open(kb) as k:
        return sorted(k.doc_ids())


def per_graph(kb: Path) -> dict[str, set]:
    """Named graph -> its triples, read through the store the knowledge base uses."""
    out: dict[str, set] = defaultdict(set)
    with _open(kb) as store:
        for q in store.quads():
            out[q.graph_name.value].add((q.subject, q.predicate, q.object))
    return dict(out)


def _sparql(kb: Path, capsys, query: str, *opts: str) -> str:
    assert main(["sparql", "--kb", str(kb), *opts, query]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def test_the_remote_store_is_used_and_remembered(kbs, server):
    from kg.graph.remote import RemoteGraphStore
    remote, embedded = kbs
    manifest = json.loads((remote / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["graph_store"]["url"] == server
    assert not (remote / "graph").exists()  # nothing of the graph on disk
    assert (embedded / "graph" / "oxigraph").is_dir()
    with _open(remote) as store:
        assert isinstance(store, RemoteGraphStore)
        assert store.meta()["generation"] == manifest["generation"]
        assert store.meta()["kb"] == manifest["graph_store"]["kb_id"]
        assert store.doc_ids() == _doc_ids(remote)


def test_same_quads_in_every_named_graph(kbs):
    remote, embedded = kbs
    r, e = per_graph(remote), per_graph(embedded)
    assert sorted(r) == sorted(e) and len(r) == len(_doc_ids(remote)) + 2  # the reports, the catalogue, the schema
    for name in e:
        assert r[name] == e[name], name


def test_sparql_answers_are_identical(kbs, capsys):
    remote, embedded = kbs
    for q in QUERIES:
        assert _sparql(remote, capsys, q) == _sparql(embedded, capsys, q), q
    q = QUERIES[0]
    for fmt in ("csv", "xml", "tsv"):
        assert _sparql(remote, capsys, q, "--format", fmt) == _sparql(embedded, capsys, q, "--format", fmt)
    construct = "CONSTRUCT { ?d dcterms:title ?t } WHERE { ?d a pkg:Report ; dcterms:title ?t }"
    lines = [sorted(_sparql(kb, capsys, construct, "--format", "nt").splitlines()) for kb in kbs]
    assert lines[0] == lines[1] and len(lines[0]) == len(_doc_ids(remote))  # a CONSTRUCT's order is the engine's
    assert main(["sparql", "--kb", str(remote), "SELECT ?s WHERE { ?s ?p }"]) == 1
    assert "SPARQL syntax error" in capsys.readouterr().err


def test_the_http_endpoint_and_the_export_read_the_server(kbs):
    from fastapi.testclient import TestClient

    from kg.api import create_app
    from kg.config import Settings
    q = QUERIES[2]
    bodies = []
    for kb in kbs:
        with TestClient(create_app(kb, Settings(kb=kb, dense=False))) as client:
            r = client.get("/sparql", params={"query": q}, headers={"accept": "text/csv"})
            assert r.status_code == 200, r.text
            bodies.append(r.text)
    assert bodies[0] == bodies[1] and bodies[0].count("\n") == len(_doc_ids(kbs[0])) + 3  # header, 2 shared graphs
    from kg.graph.export import export
    dumps = []
    for kb in kbs:
        with _open(kb) as store:
            buf = io.BytesIO()
            export(store, "nq", buf)
            dumps.append(sorted(buf.getvalue().decode("utf-8").splitlines()))
    assert dumps[0] == dumps[1]


def test_ask_answers_identically(kbs, capsys):
    outs = []
    for kb in kbs:
        assert main(["ask", "--kb", str(kb), "--no-dense", "--json", QUESTION]) == 0
        outs.append(json.loads(capsys.readouterr().out))
    assert outs[0] == outs[1]
    assert not outs[0]["abstained"] and outs[0]["citations"]


def test_replacing_and_removing_a_report_touch_exactly_its_graph(kbs, tmp_path, capsys):
    """Changes both knowledge bases in the same way, so the other tests hold before and after it."""
    remote, embedded = kbs
    before = per_graph(remote)
    changed = tmp_path / LIAONING
    text = (CORPUS / LIAONING).read_text(encoding="utf-8")
    changed.write_text(text + "\n\n附记：本报告由测试追加一段。\n", encoding="utf-8")
    for kb in kbs:
        assert main(["ingest", "--kb", str(kb), "--no-dense", "--replace", str(changed)]) == 0
    after = per_graph(remote)
    gone, new = set(before) - set(after), set(after) - set(before)
    assert len(gone) == 1 and len(new) == 1  # the old version's graph, the new version's graph
    for name in set(before) & set(after) - {str(_catalogue())}:
        assert after[name] == before[name], name  # every other report's graph untouched
    assert after == per_graph(embedded)

    victim = sorted(n for n in after if "/doc-" in n and n not in new)[0]
    doc_id = victim.rsplit("/", 1)[1]
    for kb in kbs:
        assert main(["remove", "--kb", str(kb), "--no-dense", doc_id]) == 0
    final = per_graph(remote)
    assert victim not in final and set(after) - set(final) == {victim}
    for name in set(final) - {str(_catalogue())}:
        assert final[name] == after[name], name
    assert final == per_graph(embedded)
    capsys.readouterr()


def _catalogue():
    from kg.graph.vocab import CATALOGUE_GRAPH
    return CATALOGUE_GRAPH


def _dead_url() -> str:
    return f"http://127.0.0.1:{_free_port()}"  # nothing listens there


def test_an_unreachable_server_is_one_line_and_loses_nothing(kbs, tmp_path, capsys):
    dead = _dead_url()
    assert main(["ingest", "--kb", str(tmp_path / "new"), "--no-dense", "--graph-store", dead, str(CORPUS)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: graph store") and "unreachable" in err[0]
    assert "--graph-store" in err[0]  # what to do

    kb = tmp_path / "kb"  # a knowledge base whose server has gone away
    shutil.copytree(kbs[0], kb)
    manifest = json.loads((kb / "manifest.json").read_text(encoding="utf-8"))
    manifest["graph_store"]["url"] = dead
    (kb / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["sparql", "--kb", str(kb), QUERIES[1]]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unreachable" in err[0]
    docs_before = main(["docs", "--kb", str(kb), "--json"]) == 0 and capsys.readouterr().out.count("\n")
    extra = tmp_path / "extra.txt"
    extra.write_text((CORPUS / LIAONING).read_text(encoding="utf-8")[:3000] + "\n（节选）\n", encoding="utf-8")
    assert main(["ingest", "--kb", str(kb), "--no-dense", str(extra)]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error")]
    assert len(err) == 1 and "unreachable" in err[0]
    assert main(["docs", "--kb", str(kb), "--json"]) == 0
    assert capsys.readouterr().out.count("\n") == docs_before + 1  # the new report is kept
    assert main(["ask", "--kb", str(kb), "--no-dense", "--json", QUESTION]) == 0  # answering needs no graph


def test_a_sync_under_way_is_left_to_its_writer(kbs, tmp_path, monkeypatch, capsys):
    """Another process's claim on the server (generation -1, a token, a time) works like the embedded
    store's writer lock: readers read what is there, writers leave it with a note, and a claim left
    by a writer that died lapses."""
    import kg.graph.remote as remote_mod
    from kg.graph.config import remote_of
    from kg.kb.store import KnowledgeBase
    remote, embedded = kbs
    with KnowledgeBase.open(remote) as k:
        cfg, generation = remote_of(k.manifest()), k.generation
    store = remote_mod.RemoteGraphStore.open(cfg)
    store.set_generation(-1, "another-writer")
    assert _sparql(remote, capsys, QUERIES[2]) == _sparql(embedded, capsys, QUERIES[2])
    assert store.meta()["claim"] == "another-writer"  # the reader left it alone

    copy = tmp_path / "copy"  # the same knowledge base, one report more
    shutil.copytree(remote, copy)
    extra = tmp_path / "extra.txt"
    extra.write_text((CORPUS / LIAONING).read_text(encoding="utf-8")[:3000] + "\n（节选）\n", encoding="utf-8")
    assert main(["ingest", "--kb", str(copy), "--no-dense", str(extra)]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "another process" in notes[0]
    assert store.doc_ids() == _doc_ids(remote) and store.meta()["claim"] == "another-writer"

    monkeypatch.setattr(remote_mod, "LEASE", 0.0)  # as if its writer had been silent for the whole lease
    assert _sparql(remote, capsys, QUERIES[2]) == _sparql(embedded, capsys, QUERIES[2])
    meta = store.meta()
    assert meta["generation"] == generation and "claim" not in meta


def test_credentials_come_from_the_environment_only(listener, monkeypatch, tmp_path, capsys):
    import base64
    port, hits = listener  # answers nothing: records what was sent, then hangs up
    kb = tmp_path / "kb"
    assert main(["ingest", "--kb", str(kb), "--graph-store", f"http://reader:s3cret@127.0.0.1:{port}"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "POLICYKG_GRAPH_STORE_AUTH" in err[0] and not hits
    monkeypatch.setenv("POLICYKG_GRAPH_STORE_AUTH", "reader:s3cret")
    assert main(["ingest", "--kb", str(kb), "--graph-store", f"http://127.0.0.1:{port}"]) == 1
    assert "unreachable" in capsys.readouterr().err
    token = base64.b64encode(b"reader:s3cret")
    assert hits and b"Authorization: Basic " + token in hits[0] and b"POST /query" in hits[0]
    assert b"s3cret" not in (kb / "manifest.json").read_bytes()
