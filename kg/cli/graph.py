"""CLI commands over the knowledge graph: entities, entity, figures, export, sparql, serve."""
from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path

from kg.cli.common import add_command, add_model_options, open_kb, positive_int, print_json, settings


def _fig_line(f) -> str:
    where = f.region or "-"
    head = " / ".join(f.row_header + f.col_header) if f.table_id else ""
    return (f"{f.text}{f.unit}  {f.indicator or '?'}  [{f.period or '-'}, {where}, {f.measure}]  "
            f"{head + '  ' if head else ''}({f.doc_id} {f.chunk_id} [{f.start},{f.end}))")


def cmd_entities(args: argparse.Namespace) -> int:
    from kg.browse import list_entities
    with open_kb(args) as kb:
        rows = list_entities(kb, args.type)
    for r in rows[: args.limit]:
        e = r.entity
        if args.json:
            print_json({**asdict(e), "mentions": r.mentions, "documents": r.documents})
        else:
            alias = f" ({'、'.join(e.aliases[:4])})" if e.aliases else ""
            print(f"{e.id:32} {e.type:11} {e.label}{alias}  {r.mentions} mentions in {r.documents} documents")
    return 0


def cmd_entity(args: argparse.Namespace) -> int:
    from kg.browse import entity_view
    with open_kb(args) as kb:
        v = entity_view(kb, args.name)
    e = v.entity
    if args.json:
        print_json({"entity": asdict(e), "figures": [asdict(f) for f in v.figures],
                    "neighbours": [{"id": n.entity.id, "label": n.entity.label, "predicate": n.predicate,
                                    "weight": n.weight} for n in v.neighbours],
                    "passages": [asdict(c) for c in v.passages]})
        return 0
    print(f"{e.label}  [{e.type}] {e.id}{f'  code {e.code}' if e.code else ''}")
    if e.aliases:
        print(f"aliases: {'、'.join(e.aliases)}")
    if e.broader:
        print(f"broader: {', '.join(e.broader)}")
    print(f"\nfigures ({len(v.figures)}):")
    for f in v.figures[:20]:
        print("  " + _fig_line(f))
    print(f"\nneighbours ({len(v.neighbours)}):")
    for n in v.neighbours[:15]:
        print(f"  {n.entity.label} [{n.entity.type}] {n.predicate} x{n.weight:g}")
    print(f"\npassages ({len(v.passages)}):")
    for c in v.passages[:5]:
        page = f" 第{c.page}页" if c.page else ""
        print(f"  {c.title}{page} {c.chunk_id} [{c.start},{c.end})\n    {c.text[:160]!r}")
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    from kg.browse import find_figures
    with open_kb(args) as kb:
        figs = find_figures(kb, args.region, args.indicator, args.period, args.doc)
    for f in figs[: args.limit]:
        print_json(asdict(f)) if args.json else print(_fig_line(f))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kg.graph.export import export
    from kg.graph.index import open_graph
    if args.output is None and args.format is None:
        from kg.errors import UsageError
        raise UsageError("give -o FILE (the format comes from its suffix) or --format F for standard output")
    with open_kb(args) as kb:
        with open_graph(kb) as store:
            if args.output is None:
                res = export(store, args.format, sys.stdout.buffer)
            elif args.format is None:
                res = export(store, args.output)
            else:
                res = export(store, args.format, args.output)
    print(f"wrote {res.count} {'triples' if res.format not in ('graphml',) else 'items'} as {res.format}"
          f"{f' to {res.path}' if res.path else ''}", file=sys.stderr)
    return 0


def cmd_sparql(args: argparse.Namespace) -> int:
    import json
    from kg.graph.index import open_graph
    from kg.graph.sparql import run_query
    from kg.cli.common import check_text_file
    text = args.query
    if Path(text).suffix.lower() in (".rq", ".sparql") or (not any(c in text for c in "{ \n") and "/" in text):
        text = Path(check_text_file(text, "query file")).read_text(encoding="utf-8")
    if args.format:
        from kg.errors import UsageError
        from kg.graph.sparql import check_query, execute, pick_format
        checked = check_query(text)
        graph_form = checked.form in ("construct", "describe")
        if (args.format in ("turtle", "nt", "rdfxml")) != graph_form:
            raise UsageError(f"a {checked.form.upper()} result cannot be given as {args.format}: use json, xml, csv "
                             "or tsv for SELECT/ASK, turtle, nt or rdfxml for CONSTRUCT/DESCRIBE")
        with open_kb(args) as kb, open_graph(kb) as store:
            sys.stdout.buffer.write(execute(store, checked, pick_format(checked.form, None, args.format)))
        return 0
    with open_kb(args) as kb:
        with open_graph(kb) as store:
            kind, payload = run_query(store, text)
    print(payload if kind == "graph" else json.dumps(payload, ensure_ascii=False, indent=1))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """The HTTP API (JSON) and the read-only SPARQL endpoint, on 127.0.0.1 unless --host says otherwise."""
    from kg.api import create_app, serve, served_hosts
    from kg.graph.endpoint import Limits
    app = create_app(args.kb, settings(args), Limits(timeout=args.timeout), tuple(args.cors_origin or ()),
                     served_hosts(args.host))
    base = f"http://{args.host}:{args.port}"
    print(f"PolicyKG API on {base} (OpenAPI description at {base}/docs, read-only SPARQL at {base}/sparql); "
          "Ctrl-C stops it", file=sys.stderr)
    serve(app, args.host, args.port)
    return 0


def _port(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"port {n} is out of range: give 1-65535 (e.g. 3030)")
    return n


def _seconds(text: str) -> float:
    try:
        n = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < n <= 3600:
        raise argparse.ArgumentTypeError(f"{text} s is out of range: give more than 0 and at most 3600")
    return n


def register(sub) -> None:
    sp = add_command(sub, "entities", "list extracted entities (regions, concepts, institutions, policies)",
                     "kg entities --type region", cmd_entities)
    sp.add_argument("--type", choices=["region", "concept", "institution", "policy", "meeting"])
    sp.add_argument("--limit", type=positive_int, default=200)
    sp.add_argument("--json", action="store_true", help="one JSON object per line")
    sp = add_command(sub, "entity", "one entity: aliases, figures, neighbours and the passages behind them",
                     "kg entity 辽宁省", cmd_entity)
    sp.add_argument("name", metavar="NAME", help="id, label or alias")
    sp.add_argument("--json", action="store_true")
    sp = add_command(sub, "figures", "figures with indicator, value, unit, period, region and source span",
                     "kg figures --region 辽宁 --indicator 存款 --period 2024", cmd_figures)
    sp.add_argument("--region", metavar="R")
    sp.add_argument("--indicator", metavar="I", help="substring of the indicator or row header")
    sp.add_argument("--period", metavar="P", help="prefix: 2024 matches 2024, 2024Q4, 2024-08")
    sp.add_argument("--doc", metavar="ID")
    sp.add_argument("--limit", type=positive_int, default=1000)
    sp.add_argument("--json", action="store_true", help="one JSON object per line")
    sp = add_command(sub, "export", "export the graph as Turtle, N-Triples, N-Quads, TriG, JSON-LD, GraphML or CSV",
                     "kg export -o graph.ttl", cmd_export)
    sp.add_argument("-o", "--output", metavar="FILE", help="format from the suffix unless --format is given")
    sp.add_argument("--format", choices=["ttl", "nt", "nq", "trig", "jsonld", "graphml", "csv"],
                    help="without -o, writes to standard output")
    sp = add_command(sub, "sparql", "run a read-only SPARQL query (JSON, XML, CSV or TSV results; Turtle, "
                     "N-Triples or RDF/XML for CONSTRUCT)",
                     "kg sparql 'SELECT ?r ?v WHERE { ?o sdmx-dimension:refArea ?r ; sdmx-measure:obsValue ?v } LIMIT 5'",
                     cmd_sparql)
    sp.add_argument("query", metavar="QUERY_OR_FILE", help="the query text or a .rq/.sparql file")
    sp.add_argument("--format", choices=["json", "xml", "csv", "tsv", "turtle", "nt", "rdfxml"],
                    help="result format (default: JSON results, Turtle for CONSTRUCT/DESCRIBE)")
    sp = add_command(sub, "serve", "serve the HTTP API (ask, search, documents, entities, figures; OpenAPI at "
                     "/docs) and a read-only SPARQL 1.1 endpoint at /sparql",
                     "kg serve --port 3030", cmd_serve)
    sp.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1: this machine only; "
                    "0.0.0.0 exposes the API, unauthenticated, to the network)")
    sp.add_argument("--port", type=_port, default=3030)
    sp.add_argument("--timeout", type=_seconds, default=20.0, metavar="SECONDS",
                    help="stop a SPARQL query after this long (20)")
    sp.add_argument("--cors-origin", action="append", metavar="ORIGIN",
                    help="let web pages from this origin (e.g. http://localhost:8080) call the API; repeatable; "
                    "default none")
    add_model_options(sp)
