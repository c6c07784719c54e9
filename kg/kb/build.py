"""Ingest files into a knowledge base: parse each file, store it, then refresh derived indexes."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Protocol

from ingest.chunk import ChunkSettings, chunk_document
from ingest.document import build_document
from ingest.read import SUPPORTED_SUFFIXES, check_regular_file, iter_sources
from ingest.tables import find_tables
from kg.errors import InputError, StoreLocked
from kg.kb.store import KnowledgeBase
from kg.progress import Report
from kg.types import Chunk, Document, Facts, IngestReport, Table

INGEST_VERSION = 9  # bump when cleaning, tables, chunking or the stored facts change, so old bases are rebuilt
# Per document: numbers in the text (counted before extraction, which is what takes the time) and
# figures extracted. The bundled reports have at most 4.4k numbers and 2.2k figures.
MAX_NUMBERS = 50_000
MAX_FIGURES = 20_000
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


class Refresher(Protocol):
    """A derived index (BM25, vectors, graph) that follows the knowledge base."""

    def refresh(self, kb: KnowledgeBase, progress: Report | None = None, force: bool = False) -> None: ...


@dataclass(frozen=True, slots=True)
class Parsed:
    doc: Document
    tables: tuple[Table, ...]
    chunks: tuple[Chunk, ...]
    facts: Facts = Facts()


def parse_file(path: Path, settings: ChunkSettings = ChunkSettings(), facts: bool = True) -> Parsed:
    """A file into its document, tables, chunks and (with facts) extracted entities and figures."""
    doc = build_document(path)
    numbers = sum(1 for _ in _NUMBER.finditer(doc.text))
    if numbers > MAX_NUMBERS:
        raise InputError(str(path), f"too many numbers: {numbers:,}, over the limit of {MAX_NUMBERS:,} numbers per "
                                    "document (figures are extracted from each): split it into parts")
    tables = tuple(replace(t, section=doc.section_at(t.start), page=doc.page_at(t.start))
                   for t in find_tables(doc.text, doc.id))
    chunks = chunk_document(doc, tables, settings)
    if not facts:
        return Parsed(doc, tables, chunks)
    from kg.extract.gazetteer import load_gazetteer
    from kg.extract.pipeline import extract
    ex = extract(doc, tables, chunks, load_gazetteer())
    if len(ex.figures) > MAX_FIGURES:
        raise InputError(str(path), f"too many figures: {len(ex.figures):,}, over the limit of {MAX_FIGURES:,} "
                                    "figures per document: split it into parts")
    return Parsed(doc, tables, chunks, Facts(ex.entities, ex.mentions, ex.figures, ex.relations,
                                              sum(n for _, n in ex.skipped), ex.definitions, ex.enumerations))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    files, errors = [], []
    for p in map(Path, paths):
        if not p.exists():
            errors.append((str(p), "no such file or folder: check the path"))
        elif p.is_dir():
            found = list(iter_sources([p]))
            if not found:
                errors.append((str(p), f"folder holds no {'/'.join(SUPPORTED_SUFFIXES)} files"))
            files.extend(found)
        else:
            files.append(p)
    return files, errors


def ingest_paths(kb: KnowledgeBase, paths: Iterable[str | Path], settings: ChunkSettings = ChunkSettings(),
                 refreshers: Iterable[Refresher] = (),
                 progress: Report | None = None, replace: bool = False) -> IngestReport:
    """Ingest files and folders. A bad file is reported and skipped; each good one is
    committed on its own, so an interruption never loses what was already ingested. A file
    whose name is taken by a document with other content is refused unless `replace`."""
    files, errors = _expand(paths)
    added, replaced, unchanged, warnings, duplicates = [], [], [], [], []
    rebuild = kb.manifest().get("ingest_version") not in (None, INGEST_VERSION)
    for i, path in enumerate(files):
        if progress:
            progress("parse", i, len(files), path.name)
        try:
            check_regular_file(path)  # before hashing: reading a device or a pipe never ends
            old_hash, new_hash = kb.source_hash(path.name), _sha256(path)
            if not rebuild and old_hash == new_hash:
                unchanged.append(path.name)
                continue
            if old_hash is not None and old_hash != new_hash and not replace:
                raise InputError(str(path), f"a different document named {path.name} is already in the knowledge "
                                            "base: pass --replace to replace it, or rename the file")
            if old_hash is None and (twin := kb.same_content(path.name, new_hash)):  # a copy, a symlink
                duplicates.append((path.name, twin))
                continue
            parsed = parse_file(path, settings)
            if old_hash is None and (twin := kb.same_content(path.name, parsed.doc.sha256, parsed.doc.title,
                                                             parsed.doc.text)):  # another encoding of one text
                duplicates.append((path.name, twin))
                continue
        except InputError as e:
            errors.append((e.path, e.reason))
            continue
        except OSError as e:
            errors.append((str(path), f"cannot read ({e.strerror or e}): check permissions"))
            continue
        old = kb.put(parsed.doc, parsed.tables, parsed.chunks, parsed.facts)
        added.append(parsed.doc.id)
        if old:
            replaced.append(old)
    if progress:
        progress("parse", len(files), len(files))
    kb.update_manifest(ingest_version=INGEST_VERSION,
                       chunking={"size": settings.size, "overlap": settings.overlap, "table_size": settings.table_size})
    for r in refreshers:
        try:
            r.refresh(kb, progress)
        except StoreLocked as e:  # another ingest is refreshing: it, or the next reader, brings it up to date
            warnings.append(f"{e}; it will catch up with these documents when that process ends or on next use")
    return IngestReport(tuple(added), tuple(replaced), tuple(unchanged), tuple(errors), tuple(warnings),
                        tuple(duplicates))


def remove_document(kb: KnowledgeBase, ref: str, refreshers: Iterable[Refresher] = ()) -> Document:
    """Remove a document (by id, id prefix or file name) and refresh derived indexes."""
    doc = kb.remove(ref)
    for r in refreshers:
        r.refresh(kb)
    return doc
