"""Answering benchmark: warm answer latency (p50/p95) over a question set, and the cold start of `kg ask`.

usage: .venv/bin/python bench/qa_bench.py [--kb DIR] [--questions FILE...] [--no-dense] [--runs 3]

Questions default to ../shared/eval/dev.jsonl and heldout.jsonl.

Without --kb the bundled corpus is ingested into a temporary knowledge base first (BM25 only, or with the
model unless --no-dense). The cold start runs `kg ask QUESTION` as a fresh process, model load and index open
included. Prints
figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.config import Settings  # noqa: E402
from kg.kb.store import KnowledgeBase  # noqa: E402

_ASK = "import sys; from kg.cli.main import main; sys.exit(main())"


def load() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def warm_latency(kb_dir: Path, questions: list[str], dense: bool) -> None:
    from kg.qa import answer
    from kg.service import open_qa
    with KnowledgeBase.open(kb_dir) as kb:
        t = time.perf_counter()
        ctx = open_qa(kb, Settings(kb=kb_dir, dense=dense))
        print(f"open_qa:                 {time.perf_counter() - t:6.2f} s  ({len(ctx.documents)} documents, "
              f"{len(ctx.chunks)} chunks, {len(ctx.tables)} tables, {len(ctx.figures)} figures)")
        t = time.perf_counter()
        for q in questions:
            answer(q, ctx)  # first pass: caches fill, the model warms up
        first = time.perf_counter() - t
        times = []
        for q in questions:
            t = time.perf_counter()
            answer(q, ctx)
            times.append((time.perf_counter() - t) * 1000)
        slow = sorted(zip(times, questions), reverse=True)[:5]
        print("slowest (warm):          " + "; ".join(f"{ms:.0f} ms {q[:30]}" for ms, q in slow))
    print(f"first pass:              {first:6.2f} s for {len(questions)} questions")
    print(f"answer (warm):           p50 {statistics.median(times):6.1f} ms  p95 {pct(times, 95):6.1f} ms  "
          f"max {max(times):6.1f} ms")


def cold_start(kb_dir: Path, question: str, dense: bool, runs: int) -> None:
    cmd = [sys.executable, "-c", _ASK, "ask", "--kb", str(kb_dir), "--json", question]
    if not dense:
        cmd.append("--no-dense")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    times, cpu = [], []
    for _ in range(runs):
        t, r = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
        times.append(time.perf_counter() - t)
        r2 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(r2.ru_utime + r2.ru_stime - r.ru_utime - r.ru_stime)
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            raise SystemExit(f"kg ask failed with exit code {out.returncode}")
    ans = json.loads(out.stdout)
    print(f"kg ask cold start:       median {statistics.median(times):6.2f} s wall, {statistics.median(cpu):.2f} s CPU "
          f"over {runs} runs  "
          f"({'hybrid' if dense else 'BM25 only'}; answer {ans['answer']!r})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kb", type=Path, help="an existing knowledge base (default: ingest data/corpus into a temp dir)")
    ap.add_argument("--questions", type=Path, nargs="+",
                    default=[ROOT.parent / "shared" / "eval" / n for n in ("dev.jsonl", "heldout.jsonl")])
    ap.add_argument("--no-dense", action="store_true", help="BM25 only: load no embedding model")
    ap.add_argument("--runs", type=int, default=3, help="cold starts to time (3)")
    ap.add_argument("--cold-only", action="store_true", help="time only `kg ask` cold starts")
    args = ap.parse_args()
    questions = [json.loads(x)["question"] for f in args.questions for x in f.read_text(encoding="utf-8").splitlines()
                 if x.strip()]
    print(f"{len(questions)} questions; {load()} (before)")
    dense = not args.no_dense
    with tempfile.TemporaryDirectory() as tmp:
        kb_dir = args.kb
        if kb_dir is None:
            from kg import service
            kb_dir = Path(tmp) / "kb"
            with KnowledgeBase.open(kb_dir, create=True) as kb:
                t = time.perf_counter()
                service.ingest(kb, [ROOT / "data" / "corpus"], Settings(kb=kb_dir, dense=dense))
                print(f"ingest data/corpus:      {time.perf_counter() - t:6.1f} s")
        if not args.cold_only:
            warm_latency(kb_dir, questions, dense)
        cold_start(kb_dir, questions[0], dense, args.runs)
        print(f"after: {load()}")


if __name__ == "__main__":
    main()
