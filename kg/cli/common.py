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


def _plain_progress():
    """Progress as plain lines on stderr (logs, pipes): each file, and embedding in tenths."""
    shown: dict[str, int] = {}

    def update(label: str, done: int, total: int) -> None:
        if label == "embedding":
            step = 10 * done // max(total, 1)
            if shown.get(label) == step:
                return
            shown[label] = step
            print(f"embedding {done}/{total}", file=sys.stderr, flush=True)
        elif label:
            print(f"[{done + 1}/{total}] {label}", file=sys.stderr, flush=True)
    return update


def progress():
    """A tqdm bar per stage on a terminal, plain lines otherwise (CI logs, pipes), so a long run
    is never silent."""
    if not sys.stderr.isatty():
        return _plain_progress()
    from tqdm import tqdm
    bars: dict[str, object] = {}

    def update(label: str, done: int, total: int) -> None:
        stage = "embedding" if label == "embedding" else "ingest"
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, leave=False, file=sys.stderr)
        bar.total, bar.n = total, done
        if stage == "ingest":
            bar.set_postfix_str(label[-30:], refresh=False)
        bar.refresh()
        if done >= total:
            bar.close()
            bars.pop(stage, None)
    return update


def print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False))
