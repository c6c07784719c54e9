"""The graph on a SPARQL 1.1 server (the Oxigraph server) against the embedded on-disk store.

The bundled corpus is ingested once without embeddings; every report's graphs are built once (rdflib),
then written to each store with kg.graph.store.sync, so the write figures compare the stores alone.
Then each store answers typical queries (warm, median of --repeat runs, per query) and the whole graph
is read back (the exports' path). The server runs on 127.0.0.1 with a temporary directory.

    python bench/remote_store.py                 # needs the `oxigraph` executable (pip install oxigraph)
    python bench/remote_store.py --kb KB_DIR    # an existing knowledge base (it is copied, not changed)
"""
from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = {
    "figures of one region+indicator": """SELECT ?o ?v WHERE { ?o sdmx-dimension:refArea entity:region-210000 ;
        pkg:indicator ?i ; sdmx-measure:obsValue ?v . FILTER(CONTAINS(STR(?i), "旅游")) }""",
    "observations per region (GROUP BY)": """SELECT ?r (COUNT(?o) AS ?n) WHERE { ?o a qb:Observation ;
        sdmx-dimension:refArea ?r } GROUP BY ?r""",
    "reports and titles": "SELECT ?d ?t WHERE { ?d a pkg:Report ; dcterms:title ?t } ORDER BY ?d",
    "triples per named graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
}


def _oxigraph() -> str:
    exe = Path(sys.executable).parent / "oxigraph"
    found = str(exe) if exe.exists() else shutil.which("oxigraph")
    if not found:
        sys.exit("no `oxigraph` executable: pip install oxigraph==0.5.13")
    return found


def start_server(location: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("the Oxigraph server did not start")


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kb", type=Path, help="an existing knowledge base (default: ingest data/corpus --no-dense)")
    ap.add_argument("--repeat", type=int, default=20, help="runs per query (20)")
    args = ap.parse_args()
    from kg.cli.main import main as kg
    from kg.graph.config import Remote
    from kg.graph.rdf import report_graphs
    from kg.graph.remote import RemoteGraphStore
    from kg.graph.store import GraphStore, sync
    from kg.graph.vocab import schema_graph
    from kg.kb.store import KnowledgeBase
    work = Path(tempfile.mkdtemp(prefix="bench-remote-"))
    proc = None
    try:
        kb_dir = work / "kb"
        if args.kb:
            shutil.copytree(args.kb, kb_dir)
        elif kg(["ingest", "--kb", str(kb_dir), "--no-dense", str(ROOT / "data" / "corpus")]) != 0:
            sys.exit("ingest failed")
        with KnowledgeBase.open(kb_dir) as kb:
            t = time.perf_counter()
            built = {}
            for d in kb.doc_ids():
                f = kb.doc_facts(d)
                built[d] = report_graphs(kb.document(d), kb.chunks(d), f.entities, f.mentions, f.figures,
                                         f.relations, f.definitions, f.enumerations)
            print(f"build the RDF of {len(built)} reports (rdflib, either store): {time.perf_counter() - t:.1f} s")
            docs, gen = kb.doc_ids(), kb.generation
        proc, url = start_server(work / "server")
        stores = {"embedded": GraphStore.open(work / "graph"),
                  "server": RemoteGraphStore.open(Remote(url, kb_id="bench"))}
        for name, store in stores.items():
            secs, _ = timed(lambda: sync(store, docs, gen, built.__getitem__, schema=schema_graph, force=True))
            print(f"{name:9} sync {len(store):,} quads: {secs:.2f} s")
        stores["embedded"].close()
        stores["embedded"] = GraphStore.open(work / "graph", read_only=True)
        results = {}
        for q, text in QUERIES.items():
            row = []
            for name, store in stores.items():
                secs, res = timed(lambda: list(store.query(text)), args.repeat)
                row.append(f"{name} {secs * 1000:.1f} ms")
                results.setdefault(q, []).append(sorted(map(str, res)))
            same = "same rows" if results[q][0] == results[q][1] else "DIFFERENT ROWS"
            print(f"query {q}: {', '.join(row)} ({same})")
        for name, store in stores.items():
            secs, n = timed(lambda: sum(1 for _ in store.quads()))
            print(f"{name:9} read every quad ({n:,}): {secs:.2f} s")
        print(f"load average {' '.join(f'{x:.1f}' for x in __import__('os').getloadavg())}")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
