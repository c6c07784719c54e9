"""Benchmark the graph store options on a synthetic ~200k-triple graph.

(a) Oxigraph on disk (kg.graph.store.GraphStore), (b) an rdflib Dataset loaded from an N-Quads file.
For each: write time, open/load time, SPARQL latency of three typical queries, peak memory of a
fresh process that opens the store and runs them, and size on disk.

    python bench/graph_store.py            # 54 documents, about 200k quads
    python bench/graph_store.py --docs 10  # quicker
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = {
    "figures of one region+indicator": """SELECT ?o ?v WHERE { ?o sdmx-dimension:refArea entity:region-210000 ;
        pkg:indicator "旅游收入"@zh ; sdmx-measure:obsValue ?v }""",
    "observations per region (GROUP BY)": """SELECT ?r (COUNT(?o) AS ?n) WHERE { ?o a qb:Observation ;
        sdmx-dimension:refArea ?r } GROUP BY ?r""",
    "chunks mentioning a concept": """SELECT ?c ?text WHERE { ?m pkg:mentionOf entity:concept-c7 ;
        prov:wasDerivedFrom ?c . ?c oa:hasSelector ?q . ?q oa:exact ?text } LIMIT 20""",
}
REGIONS = ["region-210000", "region-110000", "region-310000", "region-440000", "region-510000"]
INDICATORS = ["旅游收入", "地区生产总值", "金融机构各项存款余额", "社会消费品零售总额", "专项债券发行额"]


def synthetic(n_docs: int, seed: int = 7):
    """Documents with chunks, entities, mentions, figures and relations, as doc_graph arguments."""
    from kg.types import Chunk, Document, Entity, Figure, Mention, Relation, content_id
    rnd = random.Random(seed)
    entities = [Entity(r, "region", f"地区{r[-6:]}", code=r[-6:]) for r in REGIONS]
    entities += [Entity(f"concept-c{i}", "concept", f"概念{i}", aliases=(f"简称{i}",)) for i in range(40)]
    sentence = "2024年，全省实现旅游收入6325亿元，同比增长12.3%，专项债券发行1480亿元。"
    for d in range(n_docs):
        text = "".join(f"第{i}段。{sentence}" for i in range(60))
        doc = Document(id=content_id("doc", d), source=f"report-{d}.txt", title=f"报告{d}", text=text,
                       sha256=f"{d:064d}", issuer="统计局", year=2024, region="辽宁")
        step = len(text) // 60
        chunks = [Chunk(content_id("chunk", doc.id, i), doc.id, i * step, (i + 1) * step,
                        text[i * step:(i + 1) * step]) for i in range(60)]
        figures, mentions, relations = [], [], []
        for k in range(100):
            c = chunks[k % 60]
            s = c.start + (k // 60) * 7 + 3
            figures.append(Figure(content_id("fig", doc.id, k), doc.id, c.id, s, s + 4, text[s:s + 4],
                                  rnd.uniform(1, 9000), "亿元", 1e8, rnd.choice(INDICATORS),
                                  rnd.choice(["2023", "2024", "2024Q4", ""]), rnd.choice(REGIONS + [None])))
        for k in range(150):
            c = chunks[k % 60]
            s = c.start + k // 60
            e = entities[rnd.randrange(len(entities))]
            mentions.append(Mention(e.id, doc.id, c.id, s, s + 2, text[s:s + 2]))
        for k in range(30):
            a, b = rnd.sample(entities, 2)
            relations.append(Relation(a.id, "coOccurs", b.id, doc.id, chunks[k].id, weight=rnd.randint(1, 5)))
        yield dict(doc=doc, chunks=chunks, entities=entities, mentions=mentions, figures=figures,
                   relations=relations)


def _timed(fn, repeat: int = 5) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _rss_mb(field: str = "VmRSS") -> float:
    """Resident memory from /proc (ru_maxrss would include the parent's peak across fork+exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(kind: str, path: str) -> None:
    """In a fresh process: open the store, run the queries, print JSON with timings and peak RSS."""
    from kg.graph.vocab import PREFIXES
    import rdflib  # noqa: F401 - imported before the baseline, as a real process would have
    import pyoxigraph  # noqa: F401
    base = _rss_mb()
    t = time.perf_counter()
    if kind == "oxigraph":
        from kg.graph.store import GraphStore
        store = GraphStore.open(path, read_only=True)

        def run(q: str) -> int:
            return len(list(store.query(q)))
    else:
        from rdflib import Dataset
        store = Dataset(default_union=True)
        store.parse(path, format="nquads")

        def run(q: str) -> int:
            return len(list(store.query(q, initNs=PREFIXES)))
    load = time.perf_counter() - t
    lat = {name: _timed(lambda q=q: run(q), repeat=3) for name, q in QUERIES.items()}
    peak = _rss_mb("VmHWM")
    print(json.dumps({"load_s": load, "queries": {k: [v[0], v[1]] for k, v in lat.items()},
                      "rss_mb": peak - base}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=54)
    ap.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(*args.child)
    from kg.graph.rdf import report_graphs, schema_graph
    from kg.graph.store import GraphStore

    t = time.perf_counter()
    graphs = [(d["doc"].id, *report_graphs(**d)) for d in synthetic(args.docs)]
    built = time.perf_counter() - t
    work = Path(tempfile.mkdtemp(prefix="graph-bench-"))
    try:
        gs = GraphStore.open(work / "oxigraph")
        gs.set_schema(schema_graph())
        t = time.perf_counter()
        for doc_id, g, cat in graphs:
            gs.replace_doc(doc_id, g, cat)
        write_a = time.perf_counter() - t
        print(f"synthetic graph: {args.docs} documents, {len(gs):,} quads, built in {built:.1f} s")
        one_a, _ = _timed(lambda: gs.replace_doc(*graphs[0]), repeat=3)
        nq = work / "graph.nq"
        nq.write_bytes(gs.nquads())
        gs.close()
        fresh_a = _size(work / "oxigraph")  # includes the write-ahead log
        GraphStore.open(work / "oxigraph").close()  # a writable open replays and drops the log
        size_a = _size(work / "oxigraph")
        from rdflib import Dataset
        ds = Dataset()
        ds.parse(nq, format="nquads")
        t = time.perf_counter()
        ds.serialize(destination=str(work / "graph2.nq"), format="nquads")
        write_b = time.perf_counter() - t  # (b) rewrites the whole file for any change
        del ds

        res = {}
        for kind, path in (("oxigraph", work / "oxigraph"), ("rdflib", nq)):
            out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], capture_output=True,
                                 text=True, check=True)
            res[kind] = json.loads(out.stdout.strip().splitlines()[-1])
        load_b = res["rdflib"]["load_s"]
        rows = [("write all documents (s)", f"{write_a:.2f}", f"{write_b:.2f}"),
                ("replace one document (s)", f"{one_a:.3f}", f"{write_b:.2f} (+{load_b:.1f} load)"),
                ("open / load (s)", f"{res['oxigraph']['load_s']:.3f}", f"{load_b:.2f}")]
        for name in QUERIES:
            a, b = res["oxigraph"]["queries"][name], res["rdflib"]["queries"][name]
            rows.append((f"query: {name} (ms)", f"{a[0] * 1000:.1f} [{a[1]} rows]", f"{b[0] * 1000:.1f} [{b[1]} rows]"))
        rows += [("peak memory of a reader (MB)", f"{res['oxigraph']['rss_mb']:.0f}", f"{res['rdflib']['rss_mb']:.0f}"),
                 ("size on disk (MB)", f"{size_a / 2**20:.0f} ({fresh_a / 2**20:.0f} with log)",
                  f"{_size(nq) / 2**20:.0f}")]
        w = max(len(r[0]) for r in rows)
        print(f"{'':{w}}  {'(a) oxigraph on disk':>24}  {'(b) rdflib from N-Quads':>26}")
        for r in rows:
            print(f"{r[0]:{w}}  {r[1]:>24}  {r[2]:>26}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
