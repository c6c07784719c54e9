"""Search benchmark: ingest time with and without embeddings, warm search latency, and a scaling run.

usage: .venv/bin/python bench/search_bench.py [--questions ../shared/eval/dev.jsonl] [--scale 100] [--no-model]

Prints figures; asserts nothing. The scaling run repeats the bundled reports with perturbed numbers
(`--scale` copies) and indexes them with BM25 and faiss; its vectors come from the fake embedder,
since the model's cost per passage does not depend on corpus size (13 passages/s measured apart,
bench/embed_speed.py) while index size and search time do.
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.kb.build import ingest_paths, parse_file  # noqa: E402
from kg.config import Settings  # noqa: E402
from kg.eval.retrieval import load_questions  # noqa: E402
from kg.index.bm25 import Bm25Index  # noqa: E402
from kg.index.dense import DenseIndex  # noqa: E402
from kg.index.embed import FakeEmbedder  # noqa: E402
from kg.index.search import Searcher  # noqa: E402
from kg.service import open_searcher, refreshers  # noqa: E402
from kg.kb.store import KnowledgeBase  # noqa: E402


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def latency(searcher: Searcher, questions: list[str], k: int = 5) -> tuple[float, float]:
    for q in questions[:3]:
        searcher.search(q, k)  # warm up
    times = []
    for q in questions:
        t = time.perf_counter()
        searcher.search(q, k)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), pct(times, 95)


def ingest_timing(corpus: Path, questions: list[str], model: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase.open(Path(tmp) / "kb", create=True)
        st = Settings(kb=kb.root, dense=False)
        t = time.perf_counter()
        ingest_paths(kb, [corpus], refreshers=refreshers(kb, st))
        print(f"ingest, BM25 only:        {time.perf_counter() - t:6.1f} s  ({len(kb.chunks())} chunks)")
        s = open_searcher(kb, st)
        p50, p95 = latency(s, questions)
        print(f"search BM25 only (warm):  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
        if model:
            st = Settings(kb=kb.root, dense=True)
            t = time.perf_counter()
            for r in refreshers(kb, st):
                r.refresh(kb, force=True)
            print(f"embedding + vector index: {time.perf_counter() - t:6.1f} s  (model load included, cold cache)")
            s = open_searcher(kb, st)
            p50, p95 = latency(s, questions)
            print(f"search hybrid (warm):     p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (query embedding included)")
        kb.close()


_NUM = re.compile(r"\d+\.\d+|\d{2,}")


def perturb(text: str, rng: random.Random) -> str:
    """The same report with every number nudged, so copies are not identical passages."""
    return _NUM.sub(lambda m: str(round(float(m.group()) * rng.uniform(0.8, 1.2), 1)), text)


def scaling(corpus: Path, questions: list[str], scale: int) -> None:
    rng = random.Random(7)
    base = [parse_file(p) for p in sorted(corpus.glob("*.txt"))]
    emb = FakeEmbedder(dim=384)
    for factor in sorted({1, max(1, scale // 10), scale}):
        chunks = []
        for copy in range(factor):
            for p in base:
                for c in p.chunks:
                    text = c.text if copy == 0 else perturb(c.text, rng)
                    chunks.append(c.__class__(id=f"{c.id}-{copy}", doc_id=f"{c.doc_id}-{copy}", start=0,
                                              end=len(text), text=text, prefix=c.prefix))
        before = rss_mib()
        t = time.perf_counter()
        bm25 = Bm25Index.build(chunks)
        t_bm25 = time.perf_counter() - t
        vecs = emb.embed([c.search_text for c in chunks], "passage")
        t = time.perf_counter()
        dense = DenseIndex.build([c.id for c in chunks], vecs, emb.name)
        t_dense = time.perf_counter() - t
        s = Searcher(chunks, bm25, dense, emb)
        p50, p95 = latency(s, questions)
        print(f"x{factor:<4} {len(chunks):7d} chunks  BM25 build {t_bm25:6.1f} s  faiss build {t_dense:5.2f} s  "
              f"search p50 {p50:7.1f} ms p95 {p95:7.1f} ms  peak RSS {rss_mib():7.0f} MiB (+{rss_mib() - before:.0f})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", default=str(ROOT.parent / "shared" / "eval" / "dev.jsonl"))
    ap.add_argument("--corpus", default=str(ROOT / "data" / "corpus"))
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--no-model", action="store_true", help="skip the real embedding model")
    args = ap.parse_args()
    questions = [q["question"] for q in load_questions(args.questions)]
    ingest_timing(Path(args.corpus), questions, not args.no_model)
    if args.scale > 1:
        scaling(Path(args.corpus), questions, args.scale)


if __name__ == "__main__":
    main()
