"""Shared fixtures: the bundled corpus parsed once per test session."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
# The shared question sets and reports sit beside the repository (never copied into it); tests that need
# them skip, saying so, where they are absent.
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    files = sorted(CORPUS.glob("*.txt"))
    assert len(files) == 5, "the five bundled reports belong in data/corpus/"
    return files


@pytest.fixture(scope="session")
def parsed_corpus(corpus_files):
    """Each bundled report as (Document, tables, chunks)."""
    from kg.kb.build import parse_file
    return {p.name: parse_file(p) for p in corpus_files}


# Two of the bundled reports (辽宁 and 山西): what the CLI, API and bad-input tests build their knowledge base from.
LIAONING = "001_7318713557c0121f.txt"
SHANXI = "003_89f4975142656497.txt"


@pytest.fixture(scope="module")
def two_report_sources(tmp_path_factory, corpus_files) -> Path:
    """A folder holding copies of the 辽宁 and 山西 reports."""
    import shutil
    src = tmp_path_factory.mktemp("src")
    for p in corpus_files:
        if p.name in (LIAONING, SHANXI):
            shutil.copy(p, src / p.name)
    return src


@pytest.fixture
def listener():
    """A TCP port that records whether anything connected to it (a would-be federated endpoint)."""
    import socket
    import threading
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            hits.append(conn.recv(1024))
            conn.close()
    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1], hits
    stop.set()
    t.join()
    srv.close()
