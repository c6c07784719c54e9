"""Entities and their mentions: regions, concepts, institutions, meetings and policies (titles, numbers, short names).

Matching uses the gazetteer's character-level finders, not a spaCy entity_ruler: with spacy.blank("zh")'s
character segmenter the ruler finds the same phrases, but doc.ents cannot overlap (辽宁省 inside 中国人民银行辽宁省
分行 is lost), it has no blocker words (全国人大 is not 全国) and no institution patterns (江苏省政府); with the
jieba segmenter it misses names that jieba cuts differently in context.
"""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from kg.extract.entity_records import (CONCEPT_NS, concept_entity, concept_id, find_meetings, institution_entity,
                                       institution_id, region_entity)
from kg.extract.policies import Policy, find_policies, is_doc_number
from kg.types import Chunk, Document, Entity, Mention

__all__ = ["CONCEPT_NS", "Entities", "Gazetteer", "Policy", "concept_id", "find_entities", "institution_id"]


class Gazetteer(Protocol):
    """What entity finding needs from kg.extract.gazetteer.Gazetteer."""

    def find_regions(self, text: str, context=None) -> list: ...
    def find_concepts(self, text: str) -> list: ...
    def find_institutions(self, text: str) -> list: ...
    def find_doc_numbers(self, text: str) -> list: ...
    def find_titles(self, text: str) -> list: ...
    def region(self, name: str): ...
    def concept(self, label: str): ...
    def institution(self, name: str): ...


@dataclass(frozen=True, slots=True)
class Entities:
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    policies: tuple[Policy, ...]
    short_refs: tuple[tuple[str, int, int], ...]  # (policy id, span) of later short-name references
    skipped: Counter


def find_entities(doc: Document, chunks: tuple[Chunk, ...], gazetteer: Gazetteer) -> Entities:
    """Every entity named in the document, one Mention per occurrence in the first chunk that contains it."""
    text = doc.text
    found: dict[str, Entity] = {}
    spans: list[tuple[int, int, str]] = []
    for s, e, r in gazetteer.find_regions(text, doc.region_code):  # the report's region picks 普陀区's city
        spans.append((s, e, region_entity(r, found)))
    for s, e, c in gazetteer.find_concepts(text):
        spans.append((s, e, concept_entity(c, found)))
    for s, e, i in gazetteer.find_institutions(text):
        spans.append((s, e, institution_entity(i, found)))
    spans += find_meetings(text, found)
    policies, refs, skipped = find_policies(text, gazetteer, found)
    for p in policies:
        spans += [(s, e, p.entity_id) for s, e in p.spans] + [(s, e, p.entity_id) for _, s, e in p.short_names]
    spans += [(s, e, pid) for pid, s, e in refs]
    # 国办 inside 国办发〔2024〕52号 is an issuer code, not a mention of the office: the number speaks for it
    numbers = [(s, e) for p in policies for s, e in p.spans if p.number and is_doc_number(text[s:e])]
    spans = [x for x in spans if x[2].startswith("policy-") or not any(s <= x[0] and x[1] <= e for s, e in numbers)]
    mentions = _mentions(doc, chunks, spans, skipped)
    used = {m.entity_id for m in mentions} | {p.issuer for p in policies if p.issuer}
    entities = tuple(sorted(_closed(used, found, gazetteer).values(), key=lambda x: x.id))
    return Entities(entities, mentions, tuple(policies), tuple(refs), skipped)


def _closed(used: set[str], found: dict[str, Entity], gazetteer: Gazetteer) -> dict[str, Entity]:
    """The entities mentioned, plus what they point at (a policy's issuer, broader concepts, parent institutions and
    regions), so every id a relation or a figure uses is described."""
    out: dict[str, Entity] = {}
    todo = sorted(used)
    while todo:
        eid = todo.pop()
        if eid in out:
            continue
        e = found.get(eid) or _lookup(eid, found, gazetteer)
        if e is None:
            continue
        out[eid] = e
        todo.extend(b for b in e.broader if b not in out)
    return out


def _lookup(eid: str, found: dict[str, Entity], gazetteer: Gazetteer) -> Entity | None:
    """An entity that is pointed at but not named in the text, built from the gazetteer."""
    kind, _, key = eid.partition("-")
    if kind == "region" and (r := gazetteer.region(key)) is not None:
        region_entity(r, found)
    elif kind == "concept" and (c := gazetteer.concept(CONCEPT_NS + key)) is not None:
        concept_entity(c, found)
    elif kind in ("org", "meeting"):
        if (i := gazetteer.institution(key)) is not None:  # pattern ids too: pboc-140000 from 晋银发
            institution_entity(i, found)
    return found.get(eid)


def _mentions(doc: Document, chunks: tuple[Chunk, ...], spans: list[tuple[int, int, str]],
              skipped: Counter) -> tuple[Mention, ...]:
    ordered = sorted(chunks, key=lambda c: (c.start, c.end))
    starts = [c.start for c in ordered]
    out, seen = [], set()
    for s, e, eid in sorted(set(spans)):
        # chunks overlap: the first one that holds the whole span (table chunks hold table text)
        chunk = next((c for c in ordered[:bisect.bisect_right(starts, s)] if e <= c.end), None)
        if chunk is None:
            skipped["mention_no_chunk"] += 1
            continue
        if (s, e, eid) not in seen:
            seen.add((s, e, eid))
            out.append(Mention(eid, doc.id, chunk.id, s, e, doc.text[s:e]))
    return tuple(out)
