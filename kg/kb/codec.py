"""Frozen value types to and from plain JSON-ready dicts (for SQLite rows and --json output)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from kg.types import Cell, Chunk, Document, Page, Section, Table

# Document fields stored together in the documents.context column (added after the first release: a knowledge
# base from before has NULL there, and the fields keep their defaults).
DOC_CONTEXT = ("date", "genre", "region_code", "data_period", "data_year", "ocr_pages")


def _tuples(x: Any) -> Any:
    """JSON turns tuples into lists; frozen types want tuples back, nested."""
    if isinstance(x, list):
        return tuple(_tuples(v) for v in x)
    return x


def table_to_dict(t: Table) -> dict:
    return asdict(t)


def table_from_dict(d: dict) -> Table:
    d = dict(d)
    d["cells"] = tuple(Cell(**{k: _tuples(v) for k, v in c.items()}) for c in d.get("cells", ()))
    for key in ("header_rows", "rows", "row_spans", "section", "notes"):
        d[key] = _tuples(d.get(key, []))
    return Table(**d)


def chunk_to_dict(c: Chunk) -> dict:
    """The public JSON form of a chunk (`kg chunks --json`)."""
    return {
        "id": c.id,
        "doc": c.doc_id,
        "start": c.start,
        "end": c.end,
        "kind": c.kind,
        "section": list(c.section),
        "page": c.page,
        "table": c.table_id,
        "prefix": c.prefix,
        "text": c.text,
    }


def chunk_from_dict(d: dict) -> Chunk:
    return Chunk(
        id=d["id"],
        doc_id=d["doc"],
        start=d["start"],
        end=d["end"],
        text=d["text"],
        kind=d.get("kind", "text"),
        section=tuple(d.get("section") or ()),
        page=d.get("page"),
        table_id=d.get("table"),
        prefix=d.get("prefix", ""),
    )


def pages_to_list(pages: tuple[Page, ...]) -> list:
    return [[p.number, p.start, p.end] for p in pages]


def pages_from_list(rows: list) -> tuple[Page, ...]:
    return tuple(Page(number=n, start=s, end=e) for n, s, e in rows)


def sections_to_list(sections: tuple[Section, ...]) -> list:
    return [[s.title, s.level, s.start, s.end, list(s.path)] for s in sections]


def sections_from_list(rows: list) -> tuple[Section, ...]:
    return tuple(Section(title=t, level=lv, start=s, end=e, path=tuple(p)) for t, lv, s, e, p in rows)


def plain_from_dict(cls, d: dict):
    """A flat frozen type (Entity, Mention, Figure, Relation) from its asdict() form."""
    return cls(**{k: _tuples(v) for k, v in d.items()})


def doc_context_to_dict(doc: Document) -> dict:
    return {k: getattr(doc, k) for k in DOC_CONTEXT}


def doc_context_from_dict(d: dict) -> dict:
    """Keyword arguments for Document; unknown keys (a newer writer's) are left out."""
    return {k: _tuples(d[k]) for k in DOC_CONTEXT if k in d}
