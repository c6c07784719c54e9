"""Passage embedding speed and parity: today's fp32 path against the bf16 path, on the corpus's own chunks.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/embed_speed.py [--n 601] [--threads 2] [--kb DIR]

Each engine runs in a fresh subprocess (OpenMP reads its thread count once). "fp32, hash order" is
the ingest path before the change (batches of 32 in cache-key order); "auto" is today's default
(bf16 where the CPU has AMX/AVX512-BF16, batches by length). Both wall-clock passages/s and passages
per CPU-second are printed: the machine is shared, so the second is the steadier figure; `uptime`'s
load is printed with them. Without --kb the bundled corpus is ingested (no embeddings) into a temp dir.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


def chunk_texts(kb_dir: Path) -> list[str]:
    from kg.kb.store import KnowledgeBase
    with KnowledgeBase.open(kb_dir) as kb:
        return [c.search_text for c in kb.chunks()]


def worker(mode: str, threads: int, texts_file: str, out: str, cache: Path) -> None:
    from kg.index.dense import VectorCache, embed_passages
    from kg.index.embed import DEFAULT_MODEL, SentenceTransformerEmbedder, resolve_model

    texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    emb = SentenceTransformerEmbedder(resolve_model(DEFAULT_MODEL, cache), threads=threads,
                                      batch_size=32 if mode == "fp32" else 16,
                                      bf16=False if mode == "fp32" else None, name=f"bench-{mode}")
    load_s = time.perf_counter() - t0
    emb.embed(texts[:4], "passage")  # warm-up
    w0, c0 = time.perf_counter(), time.process_time()
    if mode == "fp32":  # the old ingest: batches of 32 in sha1 order, the model sorts within each
        from kg.index.dense import text_key
        order = sorted(range(len(texts)), key=lambda i: text_key(texts[i]))
        vecs = np.zeros((len(texts), emb.dim), np.float32)
        for i in range(0, len(order), 32):
            part = order[i:i + 32]
            vecs[part] = emb.embed([texts[j] for j in part], "passage")
    else:  # the ingest path itself, with an empty vector cache
        class C:  # embed_passages reads only .search_text
            def __init__(self, t: str) -> None:
                self.search_text = t
        with tempfile.TemporaryDirectory() as d:
            cache_db = VectorCache(Path(d) / "v.sqlite")
            vecs = embed_passages([C(t) for t in texts], emb, cache_db)
            cache_db.close()
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    np.save(out, vecs)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"load_s": load_s, "wall": wall, "cpu": cpu, "bf16": emb.bf16, "rss_mb": rss_mb}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=601, help="passages (default: all 601 of the bundled corpus)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--kb", type=Path, help="take chunks from this knowledge base")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "policykg")
    ap.add_argument("--worker", nargs=3, metavar=("MODE", "TEXTS", "OUT"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        return worker(a.worker[0], a.threads, a.worker[1], a.worker[2], a.cache)

    with tempfile.TemporaryDirectory() as tmp:
        kb_dir = a.kb
        if kb_dir is None:
            kb_dir = Path(tmp) / "kb"
            subprocess.run([sys.executable, "-m", "kg.cli", "ingest", "--kb", str(kb_dir), "--no-dense",
                            str(ROOT / "data" / "corpus")], cwd=ROOT, check=True, capture_output=True)
        texts = chunk_texts(kb_dir)[: a.n]
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        print(f"{len(texts)} corpus passages, {np.mean([len(t) for t in texts]):.0f} characters on average; "
              f"{a.threads} threads")
        vecs, rate = {}, {}
        for mode, label in (("fp32", "fp32, hash order (before)"), ("auto", "auto, by length (now)")):
            out = str(Path(tmp) / f"{mode}.npy")
            env = {**os.environ, "OMP_NUM_THREADS": str(a.threads), "HF_HUB_OFFLINE": "1"}
            cmd = [sys.executable, __file__, "--worker", mode, str(texts_file), out, "--threads", str(a.threads),
                   "--cache", str(a.cache)]
            before = load()
            r = json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)
            vecs[mode] = np.load(out)
            rate[mode] = (len(texts) / r["wall"], len(texts) / r["cpu"])
            print(f"{label:28s} bf16={r['bf16']!s:5s}: {rate[mode][0]:6.1f} passages/s wall, "
                  f"{rate[mode][1]:5.1f} per CPU-second ({r['wall']:.1f} s; load {r['load_s']:.1f} s; "
                  f"peak RSS {r['rss_mb']:.0f} MiB) [{before}]")
        cos = (vecs["fp32"] * vecs["auto"]).sum(axis=1)
        print(f"speed-up: {rate['auto'][0] / rate['fp32'][0]:.2f}x wall, {rate['auto'][1] / rate['fp32'][1]:.2f}x "
              f"per CPU-second; cosine now vs before: min {cos.min():.5f}, mean {cos.mean():.5f}")


if __name__ == "__main__":
    main()
