"""What every CLI module shares: the knowledge-base option, settings, progress bars, JSON lines."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_KB = "data/kb"
DEFAULT_CORPUS = "data/corpus"


def add_command(sub, name: str, help_: str, example: str, func) -> argparse.ArgumentParser:
    """A subcommand whose --help shows an example; every one takes --kb."""
    sp = sub.add_parser(name, help=help_, description=f"{help_}\n\nexample: {example}",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("--kb", default=DEFAULT_KB, metavar="DIR", help=f"knowledge base directory ({DEFAULT_KB})")
    sp.set_defaults(func=func)
    return sp


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (-k, --limit)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def check_text_file(path: str, what: str = "file") -> str:
    """The path of a readable UTF-8 text file; UsageError naming the problem otherwise."""
    from ingest.read import check_regular_file
    from kg.errors import InputError, UsageError
    try:
        check_regular_file(path)
        Path(path).read_bytes().decode("utf-8")
    except InputError as e:
        raise UsageError(f"{what} {e}") from None
    except UnicodeDecodeError as e:
        raise UsageError(f"{what} {path} is not UTF-8 text (byte 0x{e.object[e.start]:02x} at offset {e.start}): "
                         "re-save it as UTF-8") from None
    except OSError as e:
        raise UsageError(f"cannot read {what} {path} ({e.strerror or e})") from None
    return path


def add_model_options(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--model", metavar="NAME", help="embedding model: the packaged default, a local "
                    "sentence-transformers directory, a hub name, or fake[:DIM] (tests); default: the one the "
                    "knowledge base was built with")
    sp.add_argument("--no-dense", action="store_true", help="BM25 only: load no embedding model")


def add_graph_store_options(sp: argparse.ArgumentParser) -> None:
    g = sp.add_argument_group("graph store", "where the RDF graph is kept; the knowledge base remembers it for "
                              "every later command (default: embedded, an on-disk Oxigraph store in the kb)")
    g.add_argument("--graph-store", metavar="URL", help="a SPARQL 1.1 server's base URL (e.g. http://localhost:7878 "
                   "for `oxigraph serve`, http://localhost:3030/ds for Fuseki), or `embedded`; default "
                   "$POLICYKG_GRAPH_STORE, else what the knowledge base uses")
    g.add_argument("--graph-store-query", metavar="URL", help="its SPARQL query service (default URL/query)")
    g.add_argument("--graph-store-update", metavar="URL", help="its SPARQL update service (default URL/update)")
    g.add_argument("--graph-store-data", metavar="URL", help="its Graph Store Protocol service (default URL/store; "
                   "Fuseki: URL/data)")


def settings(args: argparse.Namespace):
    from kg.config import Settings
    return Settings(kb=Path(args.kb), model=getattr(args, "model", None), dense=not getattr(args, "no_dense", False))


def open_kb(args: argparse.Namespace, create: bool = False, repair: bool = False):
    from kg.kb.store import KnowledgeBase
    return KnowledgeBase.open(args.kb, create=create, repair=repair)


_UNITS = {"parse": "files", "index": "", "embed": "passages", "graph": "reports"}


def describe(ev) -> str:
    """One progress line for a kg.progress.Event, always starting with "[": `[embed 128/601] · step 3/4 ·
    21.3 passages/s · ~22 s left`. A stage that names its unit (a file, a report) counts the one at hand."""
    from kg.progress import format_seconds
    if ev.finished:
        return f"[{ev.stage} {ev.done}/{ev.total}] done in {format_seconds(ev.elapsed)}"
    at = ev.done + 1 if ev.item else ev.done
    parts = [f"[{ev.stage} {at}/{ev.total}]" + (f" {ev.item}" if ev.item else ""), f"step {ev.number}/{ev.stages}"]
    if ev.stage == "embed" and ev.done == 0:
        parts.append("loading the model")
    if ev.rate is not None and _UNITS.get(ev.stage):
        parts.append(f"{ev.rate:.1f} {_UNITS[ev.stage]}/s")
    if ev.eta is not None:
        parts.append(f"~{format_seconds(ev.eta)} left")
    return " · ".join(parts)


def _plain_lines(stream):
    """Plain lines (logs, pipes): each file and report, embedding in tenths, and each stage's end."""
    shown: dict[str, int] = {}

    def show(ev) -> None:
        if ev.stage == "embed" and not ev.finished:
            step = 10 * ev.done // max(ev.total, 1)
            if shown.get(ev.stage) == step:
                return
            shown[ev.stage] = step
        elif ev.stage == "index" and not ev.finished:
            return
        print(describe(ev), file=stream, flush=True)
    return show


def _one_line(stream):
    """One line rewritten in place on a terminal; a finished stage keeps its line."""
    import shutil

    def show(ev) -> None:
        width = shutil.get_terminal_size().columns - 1  # a line that wraps could not be rewritten
        line = describe(ev)
        line = line if len(line) <= width else line[:max(width - 1, 10)] + "…"
        stream.write("\r\x1b[K" + line + ("\n" if ev.finished else ""))
        stream.flush()
    return show


def progress(stages: tuple[str, ...] | None = None, stream=None):
    """A kg.progress.Tracker showing each stage of an ingest, its counts and the time it has left:
    one updating line on a terminal, plain lines otherwise (CI logs, pipes), so a long run is never
    silent. `stages`: the stages the run goes through (service.ingest_stages), all by default."""
    from kg.progress import STAGES, Tracker
    stream = stream or sys.stderr
    sink = _one_line(stream) if stream.isatty() else _plain_lines(stream)
    return Tracker(sink, stages or STAGES)


def print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False))
