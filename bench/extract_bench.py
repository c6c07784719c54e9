"""Extraction benchmark: entities, mentions, figures and relations per report, and the time taken.

usage: .venv/bin/python bench/extract_bench.py [files or folders ...] [--figures N] [--spacy] [--definitions]

Without arguments it runs the five bundled reports (data/corpus) and the four unseen government work
reports (../shared/extra). Prints counts; asserts only the span invariant (every mention, figure, definition
and enumeration item is Document.text[start:end]). --figures N also prints N random sentence figures per report,
to eyeball. --spacy also runs the spaCy pipeline (kg.extract.nlp) on each report, checks it gives the same
Extraction and prints both times (wall clock per report; totals also in CPU seconds, steadier on a shared
machine). --definitions prints every definition and enumeration found, to check by hand.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.kb.build import parse_file  # noqa: E402
from kg.extract.gazetteer import load_gazetteer  # noqa: E402
from kg.extract.pipeline import extract  # noqa: E402

DEFAULT = [ROOT / "data" / "corpus", ROOT.parent / "shared" / "extra"]


def files(args: list[str]) -> list[Path]:
    out = []
    for p in map(Path, args or DEFAULT):
        out += sorted(p.glob("*.txt")) if p.is_dir() else [p]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--figures", type=int, default=0, help="print this many random sentence figures per report")
    ap.add_argument("--spacy", action="store_true", help="also run the spaCy pipeline and compare")
    ap.add_argument("--definitions", action="store_true", help="print every definition and enumeration")
    a = ap.parse_args()
    t0 = time.perf_counter()
    gz = load_gazetteer()
    print(f"gazetteer loaded in {time.perf_counter() - t0:.2f}s")
    nlp = None
    if a.spacy:
        from kg.extract import nlp as spacy_path
        t0 = time.perf_counter()
        nlp = spacy_path.make_pipeline(gz)
        print(f"spaCy pipeline built in {time.perf_counter() - t0:.2f}s (import, blank zh, SpanRuler patterns)")
    head = (f"{'report':38} {'parse':>6} {'extract':>7} {'spacy':>6} {'ent':>4} {'ment':>5} {'fig':>5} {'cell':>5} "
            f"{'rel':>5} {'def':>4} {'enum':>4}  entities by type")
    print(head)
    total = Counter()
    for path in files(a.paths):
        t1 = time.perf_counter()
        p = parse_file(path)
        t2 = time.perf_counter()
        c2 = time.process_time()
        x = extract(p.doc, p.tables, p.chunks, gz)
        t3, c3 = time.perf_counter(), time.process_time()
        spacy_s = spacy_cpu = 0.0
        if nlp is not None:
            y = spacy_path.extraction_from_doc(spacy_path.run(nlp, p.doc, p.tables, p.chunks), gz)
            spacy_s, spacy_cpu = time.perf_counter() - t3, time.process_time() - c3
            assert y == x, f"{path}: the spaCy pipeline's extraction differs"
        text = p.doc.text
        assert all(text[m.start:m.end] == m.surface for m in x.mentions), path
        assert all(text[f.start:f.end] == f.text for f in x.figures), path
        assert all(text[s:e] == t for n in x.enumerations for (s, e), t in zip(n.items, n.item_texts)), path
        cells = sum(1 for f in x.figures if f.table_id)
        kinds = Counter(e.type for e in x.entities)
        preds = Counter(r.predicate for r in x.relations)
        print(f"{path.name[:38]:38} {t2 - t1:6.2f} {t3 - t2:7.2f} {spacy_s:6.2f} {len(x.entities):4} "
              f"{len(x.mentions):5} {len(x.figures):5} {cells:5} {len(x.relations):5} {len(x.definitions):4} "
              f"{len(x.enumerations):4}  {dict(sorted(kinds.items()))}")
        print(f"{'':38} relations {dict(sorted(preds.items()))}  skipped {dict(x.skipped)}")
        total.update(entities=len(x.entities), mentions=len(x.mentions), figures=len(x.figures), cells=cells,
                     relations=len(x.relations), definitions=len(x.definitions), enumerations=len(x.enumerations),
                     seconds=t3 - t2, spacy_seconds=spacy_s, cpu_seconds=c3 - c2, spacy_cpu_seconds=spacy_cpu)
        if a.definitions:
            for d in x.definitions:
                print(f"    def [{d.kind}] {d.term} := {d.body[:80]}")
            for n in x.enumerations:
                print(f"    list [{n.kind}{' ' + n.count_word if n.count_word else ''}] {n.term} := "
                      f"{' | '.join(t[:30] for t in n.item_texts)}")
        if a.figures:
            sample = [f for f in x.figures if not f.table_id]
            for f in sorted(random.Random(0).sample(sample, min(a.figures, len(sample))), key=lambda f: f.start):
                print(f"    {f.text}{f.unit} | {f.indicator} | {f.period or '-'} {f.region or '-'} {f.measure} "
                      f"{f.direction or ''} || {text[max(0, f.start - 20):f.end + 4].replace(chr(10), ' ')}")
    print("total", {k: round(v, 2) for k, v in total.items()})


if __name__ == "__main__":
    main()
