"""End-to-end benchmark at N times the corpus: ingest, embeddings, KB size, search, answers, graph, export, memory.

usage: python bench/scale.py --scale 100 --work DIR [--extra] [--embed] [--reuse]

The corpus is bench/scale_corpus.py's: the bundled reports (with --extra also ../shared/extra/*.txt) copied
`--scale` times with places, years and figures changed per copy, written to WORK/corpus (never into the repo).
Each stage runs in its own process, so its CPU seconds and peak RSS are its own; the table says the load.
--reuse keeps WORK/kb and the figures recorded with it (WORK/results-N.json); --stages picks the stages to
(re)run after ingest, e.g. `--reuse --stages answer` after a change to answering.
Embeddings are timed on a sample of passages and extrapolated, unless --embed builds the vector index.
Prints a table; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SAMPLE_PASSAGES = 64
WARM_UP = "全国2024年GDP增长多少？"
QUERIES = {  # typical SPARQL queries on the real vocabulary (kg/graph/vocab.py)
    "quads per graph (GROUP BY)": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "figures of one region+indicator": """SELECT ?o ?v WHERE { ?o sdmx-dimension:refArea entity:region-210000 ;
        pkg:indicator "地区生产总值"@zh ; sdmx-measure:obsValue ?v }""",
    "observations per region (GROUP BY)": """SELECT ?r (COUNT(?o) AS ?n) WHERE { ?o a qb:Observation ;
        sdmx-dimension:refArea ?r } GROUP BY ?r""",
    "chunks mentioning a concept": """SELECT ?c ?text WHERE { ?m pkg:mentionOf entity:concept-special-bond ;
        prov:wasDerivedFrom ?c . ?c oa:hasSelector ?q . ?q oa:exact ?text } LIMIT 20""",
}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def settings(work: Path, dense: bool = False):
    from kg.config import Settings
    return Settings(kb=work / "kb", dense=dense)


# ---- stages: each runs in a fresh process and returns a dict of figures --------------------------------------

def stage_ingest(work: Path, args) -> dict:
    from kg import service
    from kg.kb.build import ingest_paths
    from kg.kb.store import KnowledgeBase
    out = {}
    with KnowledgeBase.open(work / "kb", create=True) as kb:
        t, c = time.perf_counter(), time.process_time()
        rep = ingest_paths(kb, [work / "corpus"])
        out["parse"] = (time.perf_counter() - t, time.process_time() - c)
        out["docs"] = len(rep.added)
        for r in service.refreshers(kb, settings(work)):
            t, c = time.perf_counter(), time.process_time()
            r.refresh(kb)
            out[type(r).__name__] = (time.perf_counter() - t, time.process_time() - c)
        out["chunks"] = kb._db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        out["figures"] = kb._db.execute("SELECT count(*) FROM facts WHERE kind='figure'").fetchone()[0]
    return out


def stage_embed(work: Path, args) -> dict:
    from kg.config import make_embedder, model_name
    from kg.kb.store import KnowledgeBase
    st = settings(work, dense=True)
    with KnowledgeBase.open(work / "kb") as kb:
        n = kb._db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        if args.embed:
            from kg.service import search_indexes
            t, c = time.perf_counter(), time.process_time()
            search_indexes(kb, st).refresh(kb)
            return {"passages": n, "full": (time.perf_counter() - t, time.process_time() - c)}
        texts = [c.search_text for c in random.Random(1).sample(kb.chunks(), min(SAMPLE_PASSAGES, n))]
    emb = make_embedder(model_name(st, None), st)
    emb.embed(texts[:2], "passage")  # the model loads
    t, c = time.perf_counter(), time.process_time()
    emb.embed(texts, "passage")
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    return {"passages": n, "sample": len(texts), "per_passage": (wall / len(texts), cpu / len(texts))}


def stage_questions(work: Path, args) -> dict:
    """The question set: dev+heldout asked of copy 0, copy 1 and the last copy, plus synthetic ones."""
    from scale_corpus import copy_name, rewrite_question, variant
    from kg.eval.synthetic import generate, vocabulary
    from kg.extract.gazetteer import load_gazetteer
    from kg.kb.store import KnowledgeBase
    qs = []
    base = [json.loads(x) for f in ("dev.jsonl", "heldout.jsonl") if (SHARED / "eval" / f).exists()
            for x in (SHARED / "eval" / f).read_text(encoding="utf-8").splitlines() if x.strip()]
    for copy in sorted({0, min(1, args.scale - 1), args.scale - 1}):
        v = variant(copy)
        qs += [{"question": rewrite_question(q["question"], v), "kind": "eval", "copy": copy,
                "doc": [copy_name(copy, d) for d in q.get("doc") or []]} for q in base]
    with KnowledgeBase.open(work / "kb") as kb:
        ids = random.Random(3).sample(kb.doc_ids(), min(10, len(kb.doc_ids())))
        docs = [kb.document(i) for i in ids]
        tables = [t for i in ids for t in kb.tables(i)]
        figures = [f for i in ids for f in kb.facts("figure", doc_id=i)]
    gen = generate(docs, tables, figures, vocabulary(load_gazetteer()), per_fact=1, limit=10)
    qs += [{"question": q["question"], "kind": "synthetic", "doc": q["doc"]} for q in gen.questions]
    (work / "questions.jsonl").write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in qs),
                                          encoding="utf-8")
    return {"copies": len({0, min(1, args.scale - 1), args.scale - 1}), "eval": sum(q["kind"] == "eval" for q in qs), "synthetic": sum(q["kind"] == "synthetic" for q in qs)}


def _questions(work: Path) -> list[dict]:
    return [json.loads(x) for x in (work / "questions.jsonl").read_text(encoding="utf-8").splitlines()]


def stage_search(work: Path, args) -> dict:
    from kg.kb.store import KnowledgeBase
    from kg.service import open_searcher
    qs = [q["question"] for q in _questions(work)]
    with KnowledgeBase.open(work / "kb") as kb:
        t, c = time.perf_counter(), time.process_time()
        s = open_searcher(kb, settings(work))
        opened = (time.perf_counter() - t, time.process_time() - c)
        times = []
        for q in qs:
            t = time.perf_counter()
            s.search(q, 5)
            times.append(time.perf_counter() - t)
    return {"open": opened, "n": len(qs), "p50": pct(times, 50), "p95": pct(times, 95)}


def stage_answer(work: Path, args) -> dict:
    from kg.kb.store import KnowledgeBase
    from kg.qa import answer
    from kg.service import open_qa
    qs = _questions(work)
    with KnowledgeBase.open(work / "kb") as kb:
        t, c = time.perf_counter(), time.process_time()
        ctx = open_qa(kb, settings(work))
        opened = (time.perf_counter() - t, time.process_time() - c)
        rss_open = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ids = {d.source: d.id for d in ctx.documents.values()}
        t = time.perf_counter()
        answer(WARM_UP, ctx)  # the first answer builds the context's caches (corpus bigrams, figure index)
        first = time.perf_counter() - t
        times, cpus, answered, right = [], [], 0, 0
        c = time.process_time()
        for q in qs:
            t, c1 = time.perf_counter(), time.process_time()
            a = answer(q["question"], ctx)
            times.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c1)
            answered += not a.abstained
            right += any(x.doc_id in {ids.get(s) for s in q["doc"]} for x in a.citations)
        cpu = time.process_time() - c
    slow = sorted(zip(times, (q["question"] for q in qs)), reverse=True)[:3]
    return {"open": opened, "rss_open": rss_open, "first": first, "n": len(qs), "answered": answered, "right_doc": right, "cpu": cpu,
            "p50": pct(times, 50), "p95": pct(times, 95), "max": max(times), "mean": statistics.fmean(times),
            "cpu_p50": pct(cpus, 50), "cpu_p95": pct(cpus, 95), "cpu_max": max(cpus),
            "slowest": [(round(s, 2), q) for s, q in slow]}


def stage_graph(work: Path, args) -> dict:
    from kg.graph.store import GraphStore
    out = {}
    with GraphStore.open(work / "kb" / "graph", read_only=True) as store:
        t = time.perf_counter()
        out["quads"] = len(store)
        out["count"] = time.perf_counter() - t
        for name, q in QUERIES.items():  # the first warms the store's caches
            times = []
            while len(times) < 3 and sum(times) < 2:  # the median of 3 runs, or one run when it is slow
                t = time.perf_counter()
                rows = len(list(store.query(q)))
                times.append(time.perf_counter() - t)
            out[f"sparql: {name}"] = (statistics.median(times), rows)
    return out


def stage_export(work: Path, args) -> dict:
    from kg.graph.export import export
    from kg.graph.store import GraphStore
    out = {}
    with GraphStore.open(work / "kb" / "graph", read_only=True) as store:
        dest = work / "export"
        dest.mkdir(exist_ok=True)
        for suffix in ("jsonld", "nq"):
            t, c = time.perf_counter(), time.process_time()
            n = export(store, dest / f"graph.{suffix}").count
            out[f"export {suffix}"] = (time.perf_counter() - t, time.process_time() - c, n,
                                       (dest / f"graph.{suffix}").stat().st_size)
    return out


STAGES = {"ingest": stage_ingest, "embed": stage_embed, "questions": stage_questions, "search": stage_search,
          "answer": stage_answer, "graph": stage_graph, "export": stage_export}


ALL = ("embed", "questions", "search", "answer", "graph", "export")


def run_stage(name: str, args) -> dict:
    """Run one stage in a fresh process; its figures plus wall, CPU and peak RSS of the whole process."""
    cmd = [sys.executable, __file__, "--stage", name, "--work", str(args.work), "--scale", str(args.scale)]
    cmd += ["--embed"] if args.embed else []
    t, load, started = time.perf_counter(), os.getloadavg()[0], time.strftime("%H:%M", time.gmtime())
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"stage {name} failed")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["process"] = {"wall": time.perf_counter() - t,
                      "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
                      "rss_mib": res.pop("_rss"), "load": (load, os.getloadavg()[0]), "started": started}
    print(f"[{time.strftime('%H:%M:%S')}] {name}: {json.dumps(res, ensure_ascii=False)}", file=sys.stderr, flush=True)
    return res


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=100, help="copies of the corpus (100; 10 for a quick run)")
    ap.add_argument("--work", type=Path, help="a scratch folder (the corpus and KB go there)")
    ap.add_argument("--extra", action="store_true", help="replicate ../shared/extra/*.txt too")
    ap.add_argument("--embed", action="store_true", help="embed every passage instead of a timed sample")
    ap.add_argument("--reuse", action="store_true", help="keep WORK/kb and its recorded ingest figures")
    ap.add_argument("--ingest-only", action="store_true", help="stop after ingesting (measure later with --reuse)")
    ap.add_argument("--stages", default=",".join(ALL), help=f"the stages after ingest to run ({','.join(ALL)})")
    ap.add_argument("--compare", nargs=2, type=Path, metavar="RESULTS.json", help="print how each figure grew "
                    "from one run's WORK/results-N.json to another's, and stop")
    ap.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        res = STAGES[args.stage](args.work, args)
        res["_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(res, ensure_ascii=False))
        return
    from scale_corpus import generate
    from scale_table import compare, report
    if args.compare:
        small, big = (json.loads(p.read_text(encoding="utf-8")) for p in args.compare)
        print(compare(small, big))
        return
    if args.work is None:
        ap.error("--work DIR is required")
    args.work.mkdir(parents=True, exist_ok=True)
    saved = args.work / f"results-{args.scale}.json"
    if args.reuse:  # the figures recorded so far (ingest.json: what an --ingest-only run of an older version kept)
        results = {}
        for old in (args.work / "ingest.json", saved):
            if old.exists():
                results.update(json.loads(old.read_text(encoding="utf-8")))
    else:
        for d in ("kb", "corpus", "export"):
            shutil.rmtree(args.work / d, ignore_errors=True)
        saved.unlink(missing_ok=True)
        results = {"scale": args.scale, "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
        sources = sorted((ROOT / "data" / "corpus").glob("*.txt"))
        sources += sorted((SHARED / "extra").glob("*.txt")) if args.extra else []
        t = time.perf_counter()
        files = generate(sources, args.scale, args.work / "corpus")
        results["generate"] = {"wall": time.perf_counter() - t, "files": len(files),
                               "mib": sum(p.stat().st_size for p in files) / 2**20}
        results["ingest"] = run_stage("ingest", args)
    results.setdefault("scale", args.scale)
    results.setdefault("started", results.get("ingest_load", {}).get("started", ""))

    def save() -> None:
        saved.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    save()
    if args.ingest_only:
        return
    for name in [s for s in args.stages.split(",") if s]:
        results[name] = run_stage(name, args)
        save()
    results["kb_mib"] = {p.name: du(p) / 2**20 if p.is_dir() else p.stat().st_size / 2**20
                         for p in (args.work / "kb").iterdir()}
    save()
    if all(k in results for k in ("ingest", *ALL[:-1])):
        print(report(results, " ".join(["python bench/scale.py", *sys.argv[1:]])))
    else:
        print(f"figures so far in {saved}; the table needs every stage: {', '.join(ALL[:-1])} (export optional)")

if __name__ == "__main__":
    main()
