"""CLI command `kg definitions`: the definitions and enumerations found at ingestion, by term."""
from __future__ import annotations

import argparse
from dataclasses import asdict

from kg.cli.common import add_command, open_kb, print_json


def cmd_definitions(args: argparse.Namespace) -> int:
    from kg.kb.terms import lookup
    with open_kb(args) as kb:
        found = lookup(kb, args.term, args.doc)
    for d in found.definitions:
        if args.json:
            print_json({"type": "definition", **asdict(d)})
        else:
            print(f"{d.term} [{d.kind}]: {d.body}\n    ({d.doc_id} {d.chunk_id} term {list(d.term_span)} "
                  f"body {list(d.body_span)})")
    for e in found.enumerations:
        if args.json:
            print_json({"type": "enumeration", **asdict(e)})
        else:
            count = f" {e.count_word}" if e.count_word else ""
            print(f"{e.term} [{e.kind}{count}]: {'；'.join(e.item_texts)}\n    ({e.doc_id} {e.chunk_id} term "
                  f"{list(e.term_span)} items {[list(s) for s in e.items]})")
    if not found.definitions and not found.enumerations:
        print(f"no definition or list{f' of {args.term!r}' if args.term else ''} in {args.kb}")
    return 0


def register(sub) -> None:
    sp = add_command(sub, "definitions", "definitions (X是指…, 名词解释, footnotes) and enumerations (一是…二是…, "
                     "包括A、B和C, “三大工程”) found at ingestion, with their spans", "kg definitions --term 两新",
                     cmd_definitions)
    sp.add_argument("--term", metavar="X", help="only this term (六地 finds 新时代“六地”)")
    sp.add_argument("--doc", metavar="ID", help="only this document")
    sp.add_argument("--json", action="store_true", help="one JSON object per line")
