"""Every bad input a new user tried (issue 13), through the CLI: each ends in a one-line message
that names the problem and the fix, never a traceback, and leaves the knowledge base as it was.

`refused` runs one command in-process (a traceback would be an exception and fail the test) and
checks the knowledge base after it; commands that could hang (devices, pipes) run in a child
process with a timeout."""
import io
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from kg.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
from conftest import LIAONING  # noqa: E402
QUESTION = "辽宁2024年旅游收入是多少？"


def snapshot(kb: Path) -> tuple:
    """What must not change: generation, documents with their content hashes, the graph's generation."""
    from kg.kb.store import KnowledgeBase
    with KnowledgeBase.open(kb) as store:
        docs = tuple((d, store.document(d).sha256) for d in store.doc_ids())
        gen = store.generation
    graph = json.loads((kb / "graph" / "meta.json").read_text(encoding="utf-8"))["generation"]
    return gen, docs, graph


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            rc = main([str(a) for a in argv])
        except SystemExit as e:  # argparse: usage and one error line
            rc = e.code
    return rc, out.getvalue(), err.getvalue()


def messages(err: str) -> list[str]:
    """stderr without progress lines ([1/3] file)."""
    return [line for line in err.splitlines() if line.strip() and not line.startswith("[")]


@pytest.fixture(scope="module")
def kb(tmp_path_factory, two_report_sources):
    src = two_report_sources
    kb = tmp_path_factory.mktemp("kb") / "kb"
    assert run(["ingest", "--kb", kb, "--no-dense", src])[0] == 0
    return kb


@pytest.fixture
def refused(kb):
    """Run a command that must fail with one error line containing every `expect`; the knowledge base
    is unchanged afterwards."""
    def check(argv: list, *expect: str, rc: int = 1) -> str:
        before = snapshot(kb)
        code, _, err = run(argv)
        assert code == rc, err
        lines = messages(err)
        errors = [line for line in lines if "error: " in line]
        assert len(errors) == 1, err
        for e in expect:
            assert e in errors[0], errors[0]
        assert snapshot(kb) == before
        return errors[0]
    return check


def scratch(kb: Path, tmp_path: Path) -> Path:
    """A copy of the knowledge base to damage or change."""
    dest = tmp_path / "copy"
    shutil.copytree(kb, dest)
    return dest


# -- SPARQL ----------------------------------------------------------------------------------------

def test_sparql_service_sends_nothing(kb, refused, listener):
    port, hits = listener  # a would-be federated endpoint that records any connection
    refused(["sparql", "--kb", kb, f"PREFIX : <http://127.0.0.1:{port}/> SELECT ?x WHERE {{ SERVICE:anything "
             "{ ?x ?p ?o } }"], "SERVICE is not allowed")
    assert hits == [], "the query reached the network"


def test_sparql_names_a_missing_query_file(kb, refused, tmp_path):
    missing = tmp_path / "nosuch.rq"
    refused(["sparql", "--kb", kb, missing], str(missing), "no such file")


# -- files that are not reports ----------------------------------------------------------------------

@pytest.mark.parametrize("make, expect", [
    (lambda p: p.symlink_to("/dev/zero"), "a device (through a symlink), not a regular file"),
    (lambda p: os.mkfifo(p), "a named pipe (FIFO), not a regular file"),
])
def test_devices_and_pipes_are_refused_without_reading(kb, tmp_path, make, expect):
    bad = tmp_path / "zero.txt"
    make(bad)
    before = snapshot(kb)
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "ingest", "--kb", str(kb), "--no-dense", str(bad)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"error: {bad}: {expect}" in proc.stderr
    assert "0 new or changed" in proc.stdout
    assert snapshot(kb) == before


def test_size_limits_name_the_limit(kb, tmp_path, refused):
    line = tmp_path / "oneline.txt"
    line.write_text("辽宁经济" * 2_000_000, encoding="utf-8")  # 24 MB on one line
    refused(["ingest", "--kb", kb, "--no-dense", line], "file too large", "MB per document")
    lines = tmp_path / "lines.txt"
    lines.write_text("\n".join(f"第{i}行" for i in range(200_000)), encoding="utf-8")
    refused(["ingest", "--kb", kb, "--no-dense", lines], "characters per document")
    table = tmp_path / "table.txt"
    table.write_text("表1 数据\n" + "\n".join(f"项目{i} {i} {i * 2} {i * 3}" for i in range(20_000)), encoding="utf-8")
    refused(["ingest", "--kb", kb, "--no-dense", table], "numbers per document")


def test_progress_is_shown_off_a_terminal(kb, tmp_path):
    before = snapshot(kb)
    _, out, err = run(["ingest", "--kb", kb, "--no-dense", ROOT / "data" / "corpus" / LIAONING])
    assert f"[parse 1/1] {LIAONING}" in err and "1 unchanged" in out
    assert snapshot(kb) == before


@pytest.mark.parametrize("text, expect", [
    ("\u200b\u200c\u200d\u2060\ufeff" * 200, "no visible text"),
    ("   \n\t  ", "empty file"),
])
def test_invisible_text_is_refused(kb, tmp_path, refused, text, expect):
    p = tmp_path / "blank.txt"
    p.write_text(text, encoding="utf-8")
    refused(["ingest", "--kb", kb, "--no-dense", p], expect)


TRADITIONAL = ("遼寧省2024年國民經濟和社會發展統計公報。全年旅遊總收入6325億元，比上年增長15.2%。"
               "地區生產總值達到30000億元，經濟運行總體平穩，穩中有進。金融機構本外幣各項存款餘額增長較快。\n") * 5
JAPANESE = "2024年度の日本経済は、緩やかな回復基調が続いた。国内総生産は前年比で増加し、観光収入も大幅に伸びた。\n" * 5


def test_japanese_is_refused_with_the_reason(kb, tmp_path, refused):
    for codec in ("shift_jis", "euc_jp"):
        p = tmp_path / f"{codec}.txt"
        p.write_bytes(JAPANESE.encode(codec))
        refused(["ingest", "--kb", kb, "--no-dense", p], "Japanese", "re-save it as UTF-8")


def test_big5_is_decoded_not_stored_as_garbage(kb, tmp_path):
    from kg.kb.store import KnowledgeBase
    copy = scratch(kb, tmp_path)
    p = tmp_path / "big5.txt"
    p.write_bytes(TRADITIONAL.encode("big5"))
    assert run(["ingest", "--kb", copy, "--no-dense", p])[0] == 0
    with KnowledgeBase.open(copy) as store:
        doc = store.document("big5.txt")
    assert doc.encoding == "big5" and "遼寧省" in doc.text and "旅遊總收入6325億元" in doc.text


def test_an_unrelated_file_with_a_taken_name_needs_replace(kb, tmp_path, refused):
    other = tmp_path / LIAONING
    other.write_text("这是另一份报告，与辽宁无关。全年收入增长5%。\n" * 20, encoding="utf-8")
    refused(["ingest", "--kb", kb, "--no-dense", other], f"a different document named {LIAONING}", "--replace")
    copy = scratch(kb, tmp_path)
    code, out, _ = run(["ingest", "--kb", copy, "--no-dense", "--replace", other])
    assert code == 0 and "1 replaced" in out


def test_an_aes_encrypted_pdf_without_password_is_read(tmp_path):
    import pypdf
    from test_read import _cjk_font, _typeset
    assert any(d.startswith("cryptography") for d in _dependencies()), "pypdf needs cryptography for AES"
    font = _cjk_font()
    if font is None:
        pytest.skip("no CJK TrueType font to typeset a Chinese PDF: apt-get install fonts-wqy-zenhei")
    plain = tmp_path / "plain.pdf"
    _typeset(plain, font)
    w = pypdf.PdfWriter(clone_from=str(plain))
    w.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    enc = tmp_path / "aes.pdf"
    w.write(str(enc))
    assert pypdf.PdfReader(str(enc)).is_encrypted
    from ingest.read import read_source
    assert "浙江省" in "".join(read_source(enc).pages)


def _dependencies() -> list[str]:
    import tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]


def test_library_warnings_go_to_the_log(kb, tmp_path):
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Report 2024")
    good = tmp_path / "g.pdf"
    pdf.output(str(good))
    data = good.read_bytes()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(data[:data.rindex(b"startxref")] + b"startxref\n999999\n%%EOF\n")  # pypdf warns, then reads
    copy = scratch(kb, tmp_path)
    _, _, err = run(["ingest", "--kb", copy, "--no-dense", bad])
    assert "startxref" not in err, err
    assert "startxref" in (copy / "ingest.log").read_text(encoding="utf-8")


# -- command-line arguments ----------------------------------------------------------------------------

def test_empty_question_and_bad_numbers(kb, refused):
    refused(["ask", "--kb", kb, "   "], "empty question")
    refused(["search", "--kb", kb, "x", "-k", "-5"], "must be at least 1", rc=2)
    refused(["entities", "--kb", kb, "--limit", "0"], "must be at least 1", rc=2)
    refused(["serve", "--kb", kb, "--port", "99999"], "out of range", rc=2)


@pytest.mark.parametrize("command", [["ask", "--questions"], ["search", "--questions"], ["eval"],
                                     ["eval", "--retrieval"]])
def test_question_files_that_are_not_utf8(kb, tmp_path, refused, command):
    p = tmp_path / "q.jsonl"
    p.write_bytes(json.dumps({"id": "q1", "question": QUESTION}, ensure_ascii=False).encode("gb18030"))
    refused([*command, p, "--kb", kb], str(p), "not UTF-8")


def test_kb_naming_a_file(tmp_path, refused):
    f = tmp_path / "notakb.txt"
    f.write_text("x", encoding="utf-8")
    refused(["docs", "--kb", f], "is a file, not a knowledge base directory")
    refused(["ingest", "--kb", f, "--no-dense"], "is a file")


def test_serve_on_a_port_in_use(kb, refused):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        refused(["serve", "--kb", kb, "--port", s.getsockname()[1]], "cannot listen on", "give another --port")


def test_remove_takes_wildcards_literally_and_refuses_nothing(kb, refused):
    refused(["remove", "--kb", kb, "%"], "no document '%'")
    refused(["remove", "--kb", kb, "doc-_"], "no document 'doc-_'")
    refused(["remove", "--kb", kb, ""], "empty document reference")


def test_unquoted_search_words_are_one_query(kb):
    code, out, err = run(["search", "--kb", kb, "辽宁", "旅游收入", "-k", "2"])
    assert code == 0 and out.count("chunk-") == 2, err


def test_an_english_question_gets_a_hint(kb):
    code, out, _ = run(["ask", "--kb", kb, "What was Liaoning's tourism revenue in 2024?"])
    assert code == 0 and "请用中文提问" in out


def test_ask_on_a_bm25_only_base_embeds_nothing(kb, monkeypatch):
    def no_model(*_a, **_k):
        raise AssertionError("a --no-dense knowledge base loaded an embedding model")
    monkeypatch.setattr("kg.service.make_embedder", no_model)
    code, out, err = run(["ask", "--kb", kb, QUESTION])
    assert code == 0 and "6325" in out, err
    assert not (kb / "vectors").exists()


# -- export --------------------------------------------------------------------------------------------

def test_export_to_devices_and_unwritable_places(kb, tmp_path, refused):
    full = tmp_path / "full"  # a private /dev/full (char 1,7): a regression must not replace the system's
    try:
        os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except OSError:
        full = None  # not root: the other cases still run
    if full is not None:
        refused(["export", "--kb", kb, "-o", full, "--format", "nt"], f"cannot write {full}")
        assert full.is_char_device(), "the device node is still a device"
    refused(["export", "--kb", kb, "-o", "/proc/x.ttl"], "cannot write /proc/x.ttl")
    target = tmp_path / "real.ttl"
    target.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    refused(["export", "--kb", kb, "-o", link], "is a symlink")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep"
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    refused(["export", "--kb", kb, "-o", fifo], "not a regular file")
    assert fifo.is_fifo()


def test_export_never_opens_a_file_planted_at_a_temporary_name(kb, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("keep", encoding="utf-8")
    (out / "x.nt.tmp").symlink_to(precious)  # where export used to write before renaming
    os.mkfifo(out / ".x.nt.tmp")
    code, _, err = run(["export", "--kb", kb, "-o", out / "x.nt", "--format", "nt"])
    assert code == 0, err
    assert precious.read_text(encoding="utf-8") == "keep" and (out / "x.nt").stat().st_size > 1000
    assert (out / "x.nt").stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert sorted(p.name for p in out.iterdir()) == [".x.nt.tmp", "x.nt", "x.nt.tmp"]  # nothing left behind


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_question_of_bytes_that_are_not_text_is_one_line(kb):
    code, _, err = run(["ask", "--kb", kb, "辽宁\udcff"])  # what a terminal in another encoding passes for a 0xff
    assert code == 1 and len(messages(err)) == 1 and "not UTF-8" in err, err
    code, _, err = run(["search", "--kb", kb, "旅游\ud800"])
    assert code == 1 and len(messages(err)) == 1 and "not UTF-8" in err, err


# -- damaged knowledge bases: each names what is damaged and the rebuild -------------------------------------

def _flip(path: Path, at: int, n: int = 64) -> None:
    data = bytearray(path.read_bytes())
    for i in range(at, min(at + n, len(data))):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage, command, expect", [
    (lambda kb: (kb / "manifest.json").write_text('{"format": 2', encoding="utf-8"), ["docs"], "manifest.json is damaged"),
    (lambda kb: (kb / "bm25" / "meta.json").write_text("garbage", encoding="utf-8"), ["search", "辽宁"],
     "BM25 index"),
    (lambda kb: next((kb / "bm25" / "bm25s").glob("vocab*")).unlink(), ["search", "辽宁"], "BM25 index"),
    (lambda kb: max((kb / "graph" / "oxigraph").glob("*.sst"), key=lambda p: p.stat().st_size).unlink(),
     ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"], "graph store"),
])
def test_damaged_indexes_name_the_rebuild_and_it_works(kb, tmp_path, damage, command, expect):
    copy = scratch(kb, tmp_path)
    damage(copy)
    code, _, err = run([*command, "--kb", copy])
    assert code == 1 and expect in err and f"kg ingest --kb {copy} --reindex" in err, err
    assert len(messages(err)) == 1
    assert run(["ingest", "--kb", copy, "--no-dense", "--reindex"])[0] == 0
    assert run([*command, "--kb", copy])[0] == 0


def test_a_bit_flipped_database_is_named(kb, tmp_path):
    copy = scratch(kb, tmp_path)
    _flip(copy / "kb.sqlite", 4096)
    for command in (["docs"], ["search", "辽宁"], ["ask", QUESTION]):
        code, _, err = run([*command, "--kb", copy])
        assert code == 1 and len(messages(err)) == 1 and "kb.sqlite is damaged" in err, err
        assert "re-ingest the reports" in err


# -- read-only bases and concurrent writers -----------------------------------------------------------------

def test_a_read_only_base_answers_and_refuses_changes(kb, tmp_path, monkeypatch):
    copy = scratch(kb, tmp_path)
    monkeypatch.setattr("kg.kb.store.os.access", lambda *_a, **_k: False)  # root ignores chmod: ask as a user would
    code, out, err = run(["ask", "--kb", copy, QUESTION])
    assert code == 0 and "6325" in out, err
    assert run(["sparql", "--kb", copy, "ASK { ?s a pkg:Report }"])[0] == 0
    p = tmp_path / "new.txt"
    p.write_text("山西省2024年旅游收入增长8%。\n" * 10, encoding="utf-8")
    code, _, err = run(["ingest", "--kb", copy, "--no-dense", p])
    assert code == 1 and "read-only" in err and len(messages(err)) == 1, err
    assert "move it away" not in err


def test_a_read_only_user_sees_what_is_committed_in_the_wal(kb, tmp_path, monkeypatch):
    import sqlite3
    from kg.kb.store import KnowledgeBase
    copy = scratch(kb, tmp_path)
    writer = sqlite3.connect(copy / "kb.sqlite", isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # the commit stays in kb.sqlite-wal while the writer is open
    doc = writer.execute("SELECT id FROM documents ORDER BY id LIMIT 1").fetchone()[0]
    writer.execute("UPDATE documents SET title = '新标题' WHERE id = ?", (doc,))
    assert (copy / "kb.sqlite-wal").stat().st_size > 0
    monkeypatch.setattr("kg.kb.store.os.access", lambda *_a, **_k: False)  # root ignores chmod: ask as a user would
    with KnowledgeBase.open(copy) as reader:
        assert reader.read_only and {d.id: d.title for d in reader.documents()}[doc] == "新标题"
    writer.close()


def test_a_reader_of_a_stale_index_writes_nothing(kb, tmp_path):
    copy = scratch(kb, tmp_path)
    old = tmp_path / "bm25-before"
    shutil.copytree(copy / "bm25", old)
    p = tmp_path / "new.txt"
    p.write_text("山西省2024年旅游收入增长8%，接待游客1.2亿人次。\n" * 10, encoding="utf-8")
    assert run(["ingest", "--kb", copy, "--no-dense", p])[0] == 0
    shutil.rmtree(copy / "bm25")
    shutil.copytree(old, copy / "bm25")  # the index of the generation before: what a reader meets mid-ingest
    before = {f: f.read_bytes() for f in (copy / "bm25").rglob("*") if f.is_file()}
    manifest = (copy / "manifest.json").read_bytes()
    code, out, err = run(["ask", "--kb", copy, "山西省2024年接待游客多少人次？"])
    assert code == 0 and "1.2亿" in out, err  # the new report is found: the stale index was rebuilt in memory
    assert {f: f.read_bytes() for f in (copy / "bm25").rglob("*") if f.is_file()} == before
    assert (copy / "manifest.json").read_bytes() == manifest


def test_readers_and_a_second_ingest_do_not_need_the_writers_lock(kb, tmp_path):
    from kg.graph.store import GraphStore
    copy = scratch(kb, tmp_path)
    p = tmp_path / "new.txt"
    p.write_text("山西省2024年旅游收入增长8%，接待游客1.2亿人次。\n" * 10, encoding="utf-8")
    with GraphStore.open(copy / "graph"):  # what a running ingest holds while it writes the graph
        code, out, err = run(["ingest", "--kb", copy, "--no-dense", p])
        assert code == 0, err
        assert "ingested 1 new or changed" in out and "3 documents" in out
        assert "note: graph store" in err
        code, out, err = run(["sparql", "--kb", copy, "SELECT (COUNT(?d) AS ?n) WHERE { ?d a pkg:Report }"])
        assert code == 0, err
        assert json.loads(out)["results"]["bindings"][0]["n"]["value"] == "2", "the graph as last committed"
    code, out, _ = run(["sparql", "--kb", copy, "SELECT (COUNT(?d) AS ?n) WHERE { ?d a pkg:Report }"])
    assert json.loads(out)["results"]["bindings"][0]["n"]["value"] == "3", "caught up once the writer is gone"


# -- output that cannot be written, a test model name that is no model -------------------------------

@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_for_the_output_is_one_line_not_a_traceback(kb, refused):
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "docs", "--kb", str(kb)], stdout=open("/dev/full", "w"),
                          stderr=subprocess.PIPE, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert proc.returncode == 1 and len(lines) == 1 and "No space left" in lines[0], proc.stderr
    refused(["eval", "--kb", kb, "--no-dense", "--synthetic", "--no-answer", "--write", "/dev/full"],
            "cannot write", "No space left")


def test_an_unparsable_test_model_name_says_what_it_takes(kb, refused):
    refused(["search", "--kb", kb, "--model", "fake:abc", "辽宁 旅游收入"], "fake:DIM")


def test_the_same_report_under_another_name_or_encoding_is_skipped_and_said(tmp_path):
    """A copy (or a symlink) of a stored report and the same text in GB18030: one note line each, counted as
    duplicates, the stored report keeps its name and the knowledge base holds it once."""
    from kg.kb.store import KnowledgeBase
    text = (ROOT / "data" / "corpus" / LIAONING).read_text(encoding="utf-8")
    src = tmp_path / "liaoning.txt"
    src.write_text(text, encoding="utf-8")
    kb = tmp_path / "kb"
    assert run(["ingest", "--kb", kb, "--no-dense", src])[0] == 0
    (tmp_path / "copy.txt").write_bytes(src.read_bytes())
    (tmp_path / "link.txt").symlink_to(src)
    (tmp_path / "gb.txt").write_bytes(text.encode("gb18030"))
    code, out, err = run(["ingest", "--kb", kb, "--no-dense", tmp_path / "copy.txt", tmp_path / "link.txt",
                          tmp_path / "gb.txt"])
    assert code == 0 and "0 new or changed" in out and "3 duplicates skipped" in out, out
    notes = [x for x in messages(err) if x.startswith("note:")]
    assert len(notes) == 3 and all("same report as liaoning.txt" in x for x in notes), err
    with KnowledgeBase.open(kb) as k:
        assert [d.source for d in k.documents()] == ["liaoning.txt"]


def test_a_damaged_vector_cache_is_moved_aside_and_rebuilt_not_called_a_damaged_knowledge_base(tmp_path):
    src = tmp_path / "liaoning.txt"
    src.write_text((ROOT / "data" / "corpus" / LIAONING).read_text(encoding="utf-8"), encoding="utf-8")
    kb = tmp_path / "kb"
    assert run(["ingest", "--kb", kb, "--model", "fake", src])[0] == 0
    (kb / "vectors-cache.sqlite").write_bytes(b"not a database at all " * 20)
    code, out, err = run(["ingest", "--kb", kb, "--model", "fake", "--reindex"])
    assert code == 0 and "damaged" not in err, err
    assert (kb / "vectors-cache.sqlite.damaged").exists(), "kept aside for a look, never read again"
    code, out, _ = run(["ask", "--kb", kb, "--model", "fake", "辽宁2024年旅游收入是多少？"])
    assert code == 0 and "6325" in out
