"""Document context and figure coverage: per report, its region/date/period/genre and how many figures carry a
region and a period (and how many of those were inferred from the document rather than written).

usage: .venv/bin/python bench/figure_context.py [files or folders ...]

Without arguments it runs the five bundled reports (data/corpus) and the government work reports in
../shared/extra. Prints counts only; asserts nothing.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract.gazetteer import load_gazetteer  # noqa: E402
from kg.extract.pipeline import extract  # noqa: E402
from kg.kb.build import parse_file  # noqa: E402

DEFAULT = [ROOT / "data" / "corpus", ROOT.parent / "shared" / "extra"]


def files(args: list[str]) -> list[Path]:
    out = []
    for p in map(Path, args or DEFAULT):
        out += sorted(x for x in p.iterdir() if x.suffix in (".txt", ".pdf")) if p.is_dir() else [p]
    return out


def main() -> None:
    gz = load_gazetteer()
    print(f"{'report':34} {'region':10} {'genre':8} {'date':10} {'data':9} {'fig':>5} {'region%':>7} "
          f"{'(inf)':>5} {'period%':>7} {'(inf)':>5}")
    for path in files(sys.argv[1:]):
        p = parse_file(path)
        d = p.doc
        x = extract(d, p.tables, p.chunks, gz)
        n = len(x.figures) or 1
        reg = sum(1 for f in x.figures if f.region)
        per = sum(1 for f in x.figures if f.period)
        reg_inf = sum(1 for f in x.figures if getattr(f, "region_inferred", False))
        per_inf = sum(1 for f in x.figures if getattr(f, "period_inferred", False))
        data = getattr(d, "data_period", None) or str(d.year or "-")
        print(f"{path.name[:34]:34} {str(d.region)[:10]:10} {str(getattr(d, 'genre', '-'))[:8]:8} "
              f"{str(getattr(d, 'date', '-'))[:10]:10} {data[:9]:9} {len(x.figures):5} {100 * reg / n:6.1f}% "
              f"{reg_inf:5} {100 * per / n:6.1f}% {per_inf:5}")


if __name__ == "__main__":
    main()
