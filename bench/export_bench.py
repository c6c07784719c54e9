"""Export time and size of a knowledge base's graph in every format.

usage: .venv/bin/python bench/export_bench.py [--kb DIR] [--formats jsonld nq ttl csv graphml]

Without --kb the bundled corpus is ingested (no embeddings) into a temp dir first. Prints figures and
the machine's load; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kb", type=Path)
    ap.add_argument("--formats", nargs="+", default=["jsonld", "nq", "ttl", "csv"])
    a = ap.parse_args()
    from kg.graph.export import export
    from kg.graph.store import GraphStore
    with tempfile.TemporaryDirectory() as tmp:
        kb = a.kb
        if kb is None:
            kb = Path(tmp) / "kb"
            subprocess.run([sys.executable, "-m", "kg.cli", "ingest", "--kb", str(kb), "--no-dense",
                            str(ROOT / "data" / "corpus")], cwd=ROOT, check=True, capture_output=True)
        store = GraphStore.open(kb / "graph")
        print(f"{len(store)} quads; load %.2f %.2f %.2f" % os.getloadavg())
        for fmt in a.formats:
            out = Path(tmp) / f"kg.{fmt}"
            t = time.perf_counter()
            res = export(store, out)
            print(f"{fmt:8s} {time.perf_counter() - t:6.2f} s  {out.stat().st_size / 2**20:6.1f} MiB  "
                  f"({res.count} written)")


if __name__ == "__main__":
    main()
