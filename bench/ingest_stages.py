"""A first ingest, stage by stage: wall and CPU seconds of parsing (with extraction and the knowledge-base
writes), the BM25 index, embedding (its first batch, which loads the model, apart) and the RDF graph.

usage: .venv/bin/python bench/ingest_stages.py [--no-dense] [--model NAME] [PATH ...]   (default: data/corpus)
Ingests into a fresh temporary knowledge base (the embedding model cache is kept) through the same
kg.service.ingest the CLI calls, timing the stages from kg.progress events. CPU seconds are the process's
(all threads); the machine's load average is printed, as the wall time depends on it. Asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", default=[str(ROOT / "data" / "corpus")])
    ap.add_argument("--no-dense", action="store_true", help="BM25 only: no embedding model")
    ap.add_argument("--model", help="embedding model (default: the packaged one; fake for a quick run)")
    args = ap.parse_args()

    from kg import service
    from kg.config import Settings
    from kg.kb.store import KnowledgeBase
    from kg.progress import Tracker

    marks: list[tuple[str, float, float]] = []  # (what begins, wall, cpu)
    first_batch: list[int] = []  # passages in the batch that also loads the model

    def sink(ev) -> None:
        if ev.stage not in (m[0] for m in marks):
            marks.append((ev.stage, time.perf_counter(), time.process_time()))
        if ev.stage == "embed" and ev.done > 0 and not any(m[0] == "embed (rest)" for m in marks):
            marks.append(("embed (rest)", time.perf_counter(), time.process_time()))
            first_batch.append(ev.done)

    tmp = Path(tempfile.mkdtemp(prefix="ingest-stages-"))
    settings = Settings(kb=tmp / "kb", model=args.model, dense=not args.no_dense)
    load = os.getloadavg()
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        with KnowledgeBase.open(settings.kb, create=True) as kb:
            marks.append(("setup", t0, c0))
            rep = service.ingest(kb, args.paths, settings, Tracker(sink, service.ingest_stages(settings)))
            chunks = len(kb.chunks())
        t1, c1 = time.perf_counter(), time.process_time()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    marks.append(("end", t1, c1))
    names = {"parse": "parse + extract + store", "index": "BM25 index", "embed": "embed: first batch + model load",
             "embed (rest)": "embed: the other passages", "graph": "RDF graph (build + Oxigraph)"}
    print(f"{len(rep.added)} documents, {chunks} passages; load average before {load[0]:.2f}, "
          f"after {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'stage':36} {'wall s':>7} {'CPU s':>7}")
    for (what, w, c), (_, w2, c2) in zip(marks, marks[1:]):
        extra = ""
        if what == "embed" and first_batch:
            extra = f"  ({first_batch[0]} passages)"
        print(f"{names.get(what, what):36} {w2 - w:7.1f} {c2 - c:7.1f}{extra}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'total':36} {t1 - t0:7.1f} {c1 - c0:7.1f}  (peak RSS {rss:.0f} MB)")


if __name__ == "__main__":
    main()
