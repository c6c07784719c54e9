"""Relations between a report's entities, each with its evidence: mentions, issuedBy, abbreviates, refersTo,
broader and chunk-level co-occurrence."""
from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

from kg.extract.entities import Entities
from kg.types import Chunk, Document, Entity, Mention, Relation

# X印发《…》, X联合发布《…》: the issuer named just before the title in the same sentence.
_ISSUE_VERB = re.compile(r"(?:联合)?(?:印发|发布|出台|下发|颁布|制定|发文)(?:了|的)?\s*$")
_NUMBER_END = re.compile(r"(?:19|20)\d\d\s*[〕\]】)）]\s*第?\s*\d+\s*号$")
_TITLE_ISSUER = re.compile(r"^[^关]{2,30}?关于")  # 《国务院关于加强…的意见》: the issuer opens the title


def build_relations(doc: Document, chunks: tuple[Chunk, ...], ents: Entities) -> tuple[Relation, ...]:
    """All relations of one report, in a stable order."""
    chunk_of = _chunk_finder(chunks)
    by_id = {e.id: e for e in ents.entities}
    out = _mentions(doc, ents.mentions)
    out += _issued_by(doc, ents, by_id, chunk_of)
    for p in ents.policies:
        out += [Relation(doc.id, "abbreviates", p.entity_id, doc.id, chunk_of(s, e), s, e)
                for _, s, e in p.short_names]
    out += [Relation(doc.id, "refersTo", pid, doc.id, chunk_of(s, e), s, e) for pid, s, e in ents.short_refs]
    out += _broader(doc, ents.entities)
    out += co_occurrences(doc, ents.mentions, by_id)
    return tuple(sorted(set(out), key=lambda r: (r.predicate, r.subject, r.object, r.start, r.end)))


def _mentions(doc: Document, mentions: tuple[Mention, ...]) -> list[Relation]:
    """document mentions entity, weighted by how often; the first mention is the evidence."""
    first: dict[str, Mention] = {}
    count: dict[str, int] = defaultdict(int)
    for m in sorted(mentions, key=lambda m: m.start):
        first.setdefault(m.entity_id, m)
        count[m.entity_id] += 1
    return [Relation(doc.id, "mentions", eid, doc.id, m.chunk_id, m.start, m.end, float(count[eid]))
            for eid, m in first.items()]


def _issued_by(doc: Document, ents: Entities, by_id: dict[str, Entity], chunk_of) -> list[Relation]:
    """From the number's issuer code (国办发 -> 国务院办公厅), an issuer opening the title (《国务院关于…》) or
    "X印发《…》" in the sentence."""
    out: list[Relation] = []
    orgs = sorted((m for m in ents.mentions if by_id.get(m.entity_id) and by_id[m.entity_id].type == "institution"),
                  key=lambda m: m.start)
    for p in ents.policies:
        for s, e in p.spans:
            written = doc.text[s:e]
            if p.issuer and _NUMBER_END.search(written):
                out.append(Relation(p.entity_id, "issuedBy", p.issuer, doc.id, chunk_of(s, e), s, e))
            head = _TITLE_ISSUER.match(written)
            if head:
                out += [Relation(p.entity_id, "issuedBy", m.entity_id, doc.id, m.chunk_id, m.start, m.end)
                        for m in orgs if s <= m.start and m.end <= s + head.end()]
            out += _issuer_before(doc, p.entity_id, s, e, orgs)
    first: dict[tuple[str, str], Relation] = {}
    for r in sorted(out, key=lambda r: (r.start, r.end)):
        first.setdefault((r.subject, r.object), r)  # one link per issuer, evidenced where it is first stated
    return list(first.values())


def _issuer_before(doc: Document, pid: str, s: int, e: int, orgs: list[Mention]) -> list[Relation]:
    """国务院办公厅印发《…》, 人民银行、财政部联合印发《…》: institutions right before the verb."""
    window = doc.text[max(0, s - 40):s - 1] if s > 0 and doc.text[s - 1] == "《" else ""
    verb = _ISSUE_VERB.search(window)
    if not verb:
        return []
    stop = s - 1 - (len(window) - verb.start())
    found, pos = [], stop
    for m in reversed([m for m in orgs if m.end <= stop and m.start >= s - 41]):
        if re.fullmatch(r"[\s、和与及]*", doc.text[m.end:pos]):
            found.append(m)
            pos = m.start
    return [Relation(pid, "issuedBy", m.entity_id, doc.id, m.chunk_id, m.start, e) for m in found]


def _broader(doc: Document, entities: tuple[Entity, ...]) -> list[Relation]:
    """The scheme's broader links among this report's entities; their evidence is the scheme, not a span."""
    ids = {e.id for e in entities}
    return [Relation(e.id, "broader", b, doc.id) for e in entities for b in e.broader if b in ids]


def co_occurrences(doc: Document, mentions: tuple[Mention, ...], by_id: dict[str, Entity]) -> list[Relation]:
    """Entities of different types named in the same chunk, weighted by the number of such chunks.

    Same-type pairs are left out: two concepts or two regions side by side are mostly lists (各省 tables,
    concept enumerations) and would swamp the graph, while region-concept, policy-institution or
    region-institution pairs say who or where a topic is discussed. A mention nested in another (辽宁省 inside
    中国人民银行辽宁省分行) is not a co-occurrence. Evidence: the first chunk, from the first to the last mention.
    """
    per_chunk: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        per_chunk[m.chunk_id].append(m)
    weight: dict[tuple[str, str], int] = defaultdict(int)
    evidence: dict[tuple[str, str], tuple[str, int, int]] = {}
    for cid, ms in sorted(per_chunk.items(), key=lambda kv: min(m.start for m in kv[1])):
        tightest: dict[tuple[str, str], tuple[int, int, int]] = {}
        for a, b in combinations(ms, 2):
            ta, tb = by_id.get(a.entity_id), by_id.get(b.entity_id)
            if ta is None or tb is None or ta.type == tb.type or _nested(a, b):
                continue
            key = tuple(sorted((a.entity_id, b.entity_id)))
            s, e = min(a.start, b.start), max(a.end, b.end)
            tightest[key] = min(tightest.get(key, (e - s, s, e)), (e - s, s, e))
        for key, (_, s, e) in tightest.items():
            weight[key] += 1
            evidence.setdefault(key, (cid, s, e))  # the first chunk, where the two stand closest
    return [Relation(a, "coOccurs", b, doc.id, *evidence[(a, b)], float(w)) for (a, b), w in weight.items()]


def _nested(a: Mention, b: Mention) -> bool:
    return (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)


def _chunk_finder(chunks: tuple[Chunk, ...]):
    ordered = sorted(chunks, key=lambda c: (c.start, c.end))

    def chunk_of(s: int, e: int) -> str | None:
        return next((c.id for c in ordered if c.start <= s and e <= c.end), None)
    return chunk_of
