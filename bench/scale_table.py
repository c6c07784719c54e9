"""bench/scale.py's figures as a Markdown table (one row per measured figure)."""
from __future__ import annotations


def _s(x: float) -> str:
    return f"{x:.0f} s" if x >= 100 else f"{x:.1f} s" if x >= 1 else f"{x * 1000:.0f} ms"


def _ms(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x >= 0.01 else f"{x * 1000:.1f} ms"


def _load(p: dict) -> str:
    return f"{p['load'][0]:.1f}→{p['load'][1]:.1f} ({p['started']})" if "load" in p else ""


def report(r: dict, command: str) -> str:
    ing, proc = r["ingest"], r["ingest"]["process"]
    docs = max(1, ing["docs"])
    rows = [("corpus", f"{r['generate']['files']} files, {r['generate']['mib']:.0f} MiB of text "
                       f"({r['scale']} copies)", _s(r["generate"]["wall"]), "", "")]
    wall, cpu = ing["parse"]
    rows.append(("ingest: parse, extract, store", f"{ing['docs']} documents, {ing['chunks']:,} chunks, "
                 f"{ing['figures']:,} figures; {_s(wall / docs)} wall, {_s(cpu / docs)} CPU per document",
                 _s(wall), _s(cpu), ""))
    for key, label in (("SearchIndexes", "ingest: BM25 index"), ("GraphIndex", "ingest: graph sync")):
        if key in ing:
            rows.append((label, "", _s(ing[key][0]), _s(ing[key][1]), ""))
    rows.append(("ingest total (no embeddings)", "one process", _s(proc["wall"]), _s(proc["cpu"]),
                 f"{proc['rss_mib']:,.0f} MiB"))
    e = r["embed"]
    if "full" in e:
        rows.append(("embeddings", f"{e['passages']:,} passages, all embedded", _s(e["full"][0]), _s(e["full"][1]),
                     f"{e['process']['rss_mib']:,.0f} MiB"))
    else:
        w, c = e["per_passage"]
        rows.append(("embeddings (extrapolated)", f"{_ms(w)} wall, {_ms(c)} CPU per passage over a sample of "
                     f"{e['sample']}; × {e['passages']:,} passages", _s(w * e["passages"]), _s(c * e["passages"]),
                     f"{e['process']['rss_mib']:,.0f} MiB"))
    kb = r["kb_mib"]
    parts = ", ".join(f"{k} {v:.0f}" for k, v in sorted(kb.items(), key=lambda x: -x[1]) if v >= 1)
    rows.append(("KB on disk (no vectors)", f"{sum(kb.values()):,.0f} MiB ({parts})", "", "", ""))
    s = r["search"]
    rows.append(("BM25 search", f"p50 {_ms(s['p50'])}, p95 {_ms(s['p95'])} over {s['n']} queries; "
                 f"index open {_s(s['open'][0])}", "", "", f"{s['process']['rss_mib']:,.0f} MiB"))
    a = r["answer"]
    q = r["questions"]
    cpu = (f"; CPU per answer p50 {_ms(a['cpu_p50'])}, p95 {_ms(a['cpu_p95'])}, max {_s(a['cpu_max'])}"
           if "cpu_p50" in a else "")
    rows.append(("answer", f"p50 {_ms(a['p50'])}, p95 {_ms(a['p95'])}, max {_s(a['max'])}{cpu} over {a['n']} questions "
                 f"({q['eval']} dev+heldout asked of {q['copies']} copies, {q['synthetic']} synthetic); {a['answered']} answered, "
                 f"{a['right_doc']} citing the asked copy", _s(a["process"]["wall"]), _s(a["process"]["cpu"]),
                 f"{a['process']['rss_mib']:,.0f} MiB"))
    rows.append(("answer: open_qa, then a first answer", f"open {_s(a['open'][0])} wall, {_s(a['open'][1])} CPU, "
                 f"peak RSS after opening {a['rss_open']:,.0f} MiB; first answer {_s(a['first'])} (builds the "
                 "caches)", "", "", ""))
    g = r["graph"]
    rows.append(("graph store", f"{g['quads']:,} quads", "", "", f"{g['process']['rss_mib']:,.0f} MiB"))
    for k, v in g.items():
        if k.startswith("sparql"):
            rows.append((k, f"{v[1]:,} rows", _ms(v[0]), "", ""))
    for fmt in ("jsonld", "nq") if "export" in r else ():
        w, c, n, size = r["export"][f"export {fmt}"]
        rows.append((f"export {fmt}", f"{n:,} quads, {size / 2**20:,.0f} MiB", _s(w), _s(c), ""))
    loads = {"ingest total (no embeddings)": proc, "BM25 search": s["process"], "answer": a["process"],
             "graph store": g["process"], "embeddings": e["process"], "embeddings (extrapolated)": e["process"]}
    rows = [(*x, _load(loads[x[0]]) if x[0] in loads else "") for x in rows]
    il = r.get("ingest_load")  # recorded by an older version of this script
    if il and "load" not in proc:
        rows = [(*x[:5], f"{il['before']:.1f}→{il['after']:.1f} ({il['started'][11:16]})")
                if x[0] == "ingest total (no embeddings)" else x for x in rows]
    head = (f"`{command}` (started {r['started']}; 2 cores shared with other work: load average at the start "
            "and end of each stage, UTC)\n\n"
            "| stage | figure | wall | CPU | peak RSS | load |\n|---|---|---|---|---|---|\n")
    return head + "\n".join("| " + " | ".join(x) + " |" for x in rows)


def _figures(r: dict) -> dict[str, tuple[float, str]]:
    """The CPU seconds (or size) that should grow with the corpus, per stage, with how to show it."""
    ing, a, g = r["ingest"], r["answer"], r["graph"]
    out = {"ingest: parse, extract, store (CPU)": (ing["parse"][1], "s"),
           "ingest: BM25 index (CPU)": (ing["SearchIndexes"][1], "s"),
           "ingest: graph sync (CPU)": (ing["GraphIndex"][1], "s"),
           "ingest peak RSS": (ing["process"]["rss_mib"], "MiB"),
           "KB on disk": (sum(r["kb_mib"].values()), "MiB"),
           "answer: open_qa (CPU)": (a["open"][1], "s"),
           "answer: first answer (wall)": (a["first"], "s"),
           "answer: CPU per answer, p50": (a.get("cpu_p50", float("nan")), "s"),
           "answer: CPU per answer, p95": (a.get("cpu_p95", float("nan")), "s"),
           "answer: wall p95": (a["p95"], "s"),
           "answer process peak RSS": (a["process"]["rss_mib"], "MiB"),
           "BM25 search p95 (wall)": (r["search"]["p95"], "s"),
           "graph quads": (g["quads"], ""),
           }
    if "export" in r:
        out["export JSON-LD (CPU)"] = (r["export"]["export jsonld"][1], "s")
        out["export N-Quads (CPU)"] = (r["export"]["export nq"][1], "s")
    for k, v in g.items():
        if k.startswith("sparql"):
            out[k + " (wall)"] = (v[0], "s")
    return out


def compare(small: dict, big: dict) -> str:
    """Each stage at both scales and how much it grew, against how much the corpus grew."""
    a, b = _figures(small), _figures(big)
    n = big["scale"] / small["scale"]

    def show(x: float, unit: str) -> str:
        return _s(x) if unit == "s" else f"{x:,.0f} {unit}".strip()
    rows = [f"| {k} | {show(*a[k])} | {show(*b[k])} | {b[k][0] / a[k][0]:.1f}x |" for k in a if k in b and a[k][0]]
    return (f"| figure | {small['scale']}x | {big['scale']}x | grew (corpus grew {n:.0f}x) |\n|---|---|---|---|\n"
            + "\n".join(rows))
