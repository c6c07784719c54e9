"""PDF ingestion speed: per file, seconds to parse (layout, tables, cleaning, table finding), pages, tables, cells.

usage: .venv/bin/python bench/pdf_ingest.py [FILE_OR_DIR ...]   (default: ../shared/realpdf)
Prints figures; asserts nothing. Parsing only: no extraction, no index (what `kg ingest --no-dense` adds on top
is measured by timing that command).
"""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    logging.disable(logging.WARNING)  # pdfminer warns about every broken font descriptor
    from ingest.clean import clean
    from ingest.pdf import read_pdf
    from ingest.tables import find_tables

    args = [Path(a) for a in sys.argv[1:]] or [ROOT.parent / "shared" / "realpdf"]
    files = sorted(f for a in args for f in ([a] if a.is_file() else a.glob("*.pdf")))
    print(f"{'file':50} {'seconds':>8} {'pages':>6} {'rotated':>8} {'regions':>8} {'tables':>7} {'cells':>7}")
    total = 0.0
    for f in files:
        t0 = time.perf_counter()
        layout = read_pdf(f.read_bytes())
        text = clean(layout.pages, is_pdf=True).text
        tables = find_tables(text, "doc-bench")
        dt = time.perf_counter() - t0
        total += dt
        print(f"{f.name[:50]:50} {dt:8.1f} {len(layout.pages):6} {len(layout.rotated):8} {layout.tables:8} "
              f"{len(tables):7} {sum(len(t.cells) for t in tables):7}")
    print(f"{'total':50} {total:8.1f}")


if __name__ == "__main__":
    main()
