"""Command line: parse arguments, call one library function, print. Heavy imports stay inside commands."""
from __future__ import annotations

import argparse
import errno
import json
import os
import sqlite3
import sys
from dataclasses import asdict
from pathlib import Path

from kg.cli import ask as cli_ask, feedback as cli_feedback, fit as cli_fit, graph as cli_graph, query as cli_query
from kg.cli import terms as cli_terms
from kg.cli.common import (DEFAULT_CORPUS, add_command, add_graph_store_options, add_model_options, open_kb,
                           print_json, progress, settings)
from kg.errors import KgError


def _library_log(path) -> None:
    """Send what libraries log (pypdf's "EOF marker not found" …) to a file, not the terminal:
    the project's own one-line error says what matters."""
    import logging
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logging.captureWarnings(True)
    for name in ("pypdf", "py.warnings"):
        log = logging.getLogger(name)
        log.handlers = [handler]
        log.propagate = False


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest files and folders, then bring the search indexes up to date."""
    from kg import service
    from kg.graph.config import configure
    with open_kb(args, create=True, repair=args.reindex) as kb:
        _library_log(kb.root / "ingest.log")
        configure(kb, args.graph_store, args.graph_store_query, args.graph_store_update, args.graph_store_data)
        stages = service.ingest_stages(settings(args))
        if args.reindex:
            service.reindex(kb, settings(args), progress(tuple(s for s in stages if s != "parse")))
            print(f"rebuilt the indexes of {len(kb.doc_ids())} documents in {args.kb}")
            return 0
        rep = service.ingest(kb, args.paths or [DEFAULT_CORPUS], settings(args), progress(stages),
                             replace=args.replace)
        for path, reason in rep.errors:
            print(f"error: {path}: {reason}", file=sys.stderr)
        for note in rep.warnings:
            print(f"note: {note}", file=sys.stderr)
        for name, twin in rep.duplicates:
            print(f"note: {name} holds the same report as {twin}, already in the knowledge base: skipped "
                  f"(kg remove {twin} first to keep it under the new name)", file=sys.stderr)
        dup = f"{len(rep.duplicates)} duplicates skipped, " if rep.duplicates else ""
        print(f"ingested {len(rep.added)} new or changed, {len(rep.unchanged)} unchanged, {dup}"
              f"{len(rep.replaced)} replaced, {len(rep.errors)} failed; "
              f"{len(kb.doc_ids())} documents in {args.kb}")
    return 1 if rep.errors else 0


def cmd_docs(args: argparse.Namespace) -> int:
    with open_kb(args) as kb:
        docs = kb.documents()
    if args.json:
        for d in docs:
            print_json(asdict(d))
        return 0
    if not docs:
        print(f"no documents in {args.kb}: run `kg ingest PATH`")
    for d in docs:
        meta = " ".join(str(x) for x in (d.issuer, d.year, d.region) if x)
        print(f"{d.id}  {d.title}  [{meta}]  {d.chars} chars, {d.chunks} chunks, {d.tables} tables"
              f"{f', {d.pages} pages' if d.pages else ''}  ({d.source})")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from kg import service
    with open_kb(args) as kb:
        doc = service.remove(kb, args.doc_id, settings(args))
        dropped = f"; {kb.dropped_feedback} feedback examples about it dropped" if kb.dropped_feedback else ""
        print(f"removed {doc.id} ({doc.source}); {len(kb.doc_ids())} documents left{dropped}")
    return 0


def cmd_chunks(args: argparse.Namespace) -> int:
    from kg.kb.codec import chunk_to_dict
    with open_kb(args) as kb:
        chunks = kb.chunks(args.doc)
    for c in chunks:
        if args.json:
            d = chunk_to_dict(c)
            print_json({k: d[k] for k in ("id", "doc", "start", "end", "section", "page", "kind", "table", "text")})
        else:
            print(f"{c.id} [{c.start},{c.end}) {c.kind} {' > '.join(c.section)}\n  {c.text[:120]!r}")
    return 0


def cmd_tables(args: argparse.Namespace) -> int:
    from kg.kb.codec import table_to_dict
    with open_kb(args) as kb:
        tables = kb.tables(args.doc)
        sources = {d.id: d.source for d in kb.documents()} if args.check else {}
    if args.check:
        return _check_tables(tables, sources, args.json)
    for t in tables:
        if args.json:
            print_json(table_to_dict(t))
        else:
            print(f"{t.id} {t.label or '-'} {t.caption or '(no caption)'} [{t.unit}] "
                  f"{len(t.rows)} rows, {len(t.cells)} cells ({t.doc_id})")
    return 0


def _check_tables(tables, sources: dict[str, str], as_json: bool) -> int:
    """One line per finding of the table self-checks; a count of tables checked and failing on stderr."""
    from ingest.table_checks import check_table
    failing = 0
    for t in tables:
        found = check_table(t)
        failing += bool(found)
        for f in found:
            if as_json:
                print_json({"doc": t.doc_id, "source": sources.get(t.doc_id, ""), "table": t.id, "label": t.label,
                            "caption": t.caption, "page": t.page, "kind": f.kind, "detail": f.detail,
                            "cells": [[c.start, c.end] for c in f.cells]})
            else:
                print(f"{sources.get(t.doc_id, t.doc_id)}  {t.label or t.caption[:30] or t.id}  {f.kind}  {f.detail}")
    print(f"{failing} of {len(tables)} tables fail a check", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="PolicyKG: Chinese policy reports into a knowledge graph "
                                "with cited answers.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sp = add_command(sub, "ingest", "ingest reports (text, PDF, web pages, Word, Excel) or folders into the knowledge base",
                     "kg ingest data/corpus", cmd_ingest)
    sp.add_argument("paths", nargs="*", metavar="PATH", help=f"files or folders (default {DEFAULT_CORPUS})")
    sp.add_argument("--reindex", action="store_true", help="rebuild every index from the stored documents "
                    "(after a damaged or missing index file)")
    sp.add_argument("--replace", action="store_true", help="let a file replace a stored document of the same "
                    "name with other content (without it, that file is refused)")
    add_model_options(sp)
    add_graph_store_options(sp)
    sp = add_command(sub, "docs", "list the ingested documents", "kg docs --json", cmd_docs)
    sp.add_argument("--json", action="store_true", help="one JSON object per line")
    sp = add_command(sub, "remove", "remove a document and everything derived from it",
                     "kg remove doc-3abfec75a228", cmd_remove)
    sp.add_argument("doc_id", metavar="DOC_ID", help="document id, id prefix or source file name")
    add_model_options(sp)
    sp = add_command(sub, "chunks", "print the chunks of one or all documents",
                     "kg chunks --doc 001_7318713557c0121f.txt --json", cmd_chunks)
    sp.add_argument("--doc", metavar="ID", help="only this document")
    sp.add_argument("--json", action="store_true", help="one JSON object per line")
    sp = add_command(sub, "tables", "print the tables found in one or all documents, or (--check) the ones "
                     "that fail their self-checks", "kg tables --check --doc budget_2025_qingdao.pdf", cmd_tables)
    sp.add_argument("--doc", metavar="ID", help="only this document")
    sp.add_argument("--json", action="store_true", help="one JSON object per line (cells with header paths)")
    sp.add_argument("--check", action="store_true", help="run the table self-checks (typed columns, 合计/小计 "
                    "sums, growth columns, one unit per column) and list the tables that fail, one line per finding")
    cli_ask.register(sub)
    cli_fit.register(sub)
    cli_feedback.register(sub)
    cli_query.register(sub)
    cli_graph.register(sub)
    cli_terms.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not in an error at exit
        return code
    except KgError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except (sqlite3.DatabaseError, json.JSONDecodeError) as e:  # a page or a record damaged on disk
        from kg.kb.store import DB_NAME, damaged_db
        print(f"error: {damaged_db(Path(getattr(args, 'kb', '.')) / DB_NAME, e)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the knowledge base keeps every document committed so far", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:
        if e.errno not in _OUTPUT_ERRORS:
            raise
        _drop_stdout()
        print(f"error: cannot write {e.filename or 'the output'} ({e.strerror}): free some space or write "
              "elsewhere", file=sys.stderr)
        return 1


_OUTPUT_ERRORS = {errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT}  # the output, not the input, failed


def _drop_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's flush at exit does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
