"""Entities and their mentions: regions, concepts, institutions, meetings and policies (titles, numbers, short names).

Matching uses the gazetteer's character-level finders, not a spaCy entity_ruler: with spacy.blank("zh")'s
character segmenter the ruler finds the same phrases, but doc.ents cannot overlap (辽宁省 inside 中国人民银行辽宁省
分行 is lost), it has no blocker words (全国人大 is not 全国) and no institution patterns (江苏省政府); with the
jieba segmenter it misses names that jieba cuts differently in context.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from kg.types import Chunk, Document, Entity, Mention, content_id

CONCEPT_NS = "https://policykg.org/concept/"
# A 《…》 that names a policy document rather than a book, a framework or a newspaper.
_POLICY_WORDS = re.compile(r"意见|通知|办法|规定|决定|方案|条例|法$|法（|规划|纲要|指引|细则|规程|措施|公告|批复|函$|"
                           r"实施|管理|报告|目录|计划|规则|指南|章程|准则|要求|标准")
_SHORT_NAME = re.compile(r"(?:以下简称|以下称|下称|简称|以下统称)\s*[:：]?\s*[“\"「『]([^”\"」』，,。；;）)]{1,20})[”\"」』]")
_NUMBER_GAP = re.compile(r"\s*[（(]?\s*")
_PARTY_CONGRESS = re.compile(r"(?:党的)?(二十|十[一二三四五六七八九])大")
_PLENUM = re.compile(r"(二十|十[一二三四五六七八九])届((?:[一二三四五六七八九]中(?:全会)?[、和及]?)+)")
_TWO_SESSIONS = re.compile(r"(?:全国|地方)?两会")
_CN = "一二三四五六七八九"


class Gazetteer(Protocol):
    """What entity finding needs from kg.extract.gazetteer.Gazetteer."""

    def find_regions(self, text: str) -> list: ...
    def find_concepts(self, text: str) -> list: ...
    def find_institutions(self, text: str) -> list: ...
    def find_doc_numbers(self, text: str) -> list: ...
    def find_titles(self, text: str) -> list: ...
    def region(self, name: str): ...
    def concept(self, label: str): ...
    def institution(self, name: str): ...
    def patterns_for_spacy(self) -> list[dict]: ...


@dataclass(frozen=True, slots=True)
class Policy:
    """One policy document as the report names it: where its title / number / short names are written."""

    entity_id: str
    title: str
    number: str | None
    issuer: str | None  # institution entity id from the number's issuer code (国办发 -> 国务院办公厅)
    issuer_region: str | None  # region entity id from a provincial code (晋银发 -> 山西)
    spans: tuple[tuple[int, int], ...]  # title (inside 《》) and number occurrences that define it
    short_names: tuple[tuple[str, int, int], ...] = ()  # (以下简称“43号文”, its span)


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
    for s, e, r in gazetteer.find_regions(text):
        spans.append((s, e, _region(r, found)))
    for s, e, c in gazetteer.find_concepts(text):
        spans.append((s, e, _concept(c, found)))
    for s, e, i in gazetteer.find_institutions(text):
        spans.append((s, e, _institution(i, found)))
    spans += _meetings(text, found)
    policies, refs, skipped = _policies(text, gazetteer, found)
    for p in policies:
        spans += [(s, e, p.entity_id) for s, e in p.spans] + [(s, e, p.entity_id) for _, s, e in p.short_names]
    spans += [(s, e, pid) for pid, s, e in refs]
    # 国办 inside 国办发〔2024〕52号 is an issuer code, not a mention of the office: the number speaks for it
    numbers = [(s, e) for p in policies for s, e in p.spans if p.number and _is_number(text[s:e])]
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
        _region(r, found)
    elif kind == "concept" and (c := gazetteer.concept(CONCEPT_NS + key)) is not None:
        _concept(c, found)
    elif kind in ("org", "meeting"):
        i = gazetteer.institution(key)
        if i is None:  # pattern institutions (pboc-140000 from 晋银发) are known by name, not id
            name = next((p["pattern"] for p in gazetteer.patterns_for_spacy() if p.get("id") == key), None)
            i = gazetteer.institution(name) if name else None
        if i is not None:
            _institution(i, found)
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


def _region(r, found: dict[str, Entity]) -> str:
    eid = f"region-{r.code}"
    if eid not in found:
        parent = (f"region-{r.parent}",) if r.parent else ()
        found[eid] = Entity(eid, "region", r.name, tuple(a for a in r.aliases if a != r.name), r.code, parent)
    return eid


def concept_id(uri: str) -> str:
    return "concept-" + uri.removeprefix(CONCEPT_NS)


def _concept(c, found: dict[str, Entity]) -> str:
    eid = concept_id(c.uri)
    if eid not in found:
        found[eid] = Entity(eid, "concept", c.label, tuple(c.alt_labels), None, tuple(map(concept_id, c.broader)))
    return eid


def institution_id(inst_id: str, kind: str = "") -> str:
    return f"meeting-{inst_id}" if kind == "meeting" else f"org-{inst_id}"


def _institution(i, found: dict[str, Entity]) -> str:
    eid = institution_id(i.id, i.type)
    if eid not in found:
        kind = "meeting" if i.type == "meeting" else "institution"
        parent = (institution_id(i.parent),) if i.parent else ()
        found[eid] = Entity(eid, kind, i.name, tuple(i.aliases) + tuple(i.short), None, parent)
    return eid


def _meetings(text: str, found: dict[str, Entity]) -> list[tuple[int, int, str]]:
    """Party congresses, plenums (二十届二中、三中全会 names two) and 两会: too regular for a word list."""
    out = []
    for m in _PARTY_CONGRESS.finditer(text):
        out.append((m.start(), m.end(), _meeting(found, f"party-congress-{_num(m[1])}", f"党的{m[1]}大")))
    for m in _PLENUM.finditer(text):
        for k in re.finditer(r"([一二三四五六七八九])中(?:全会)?", m[2]):
            s = m.start(2) + k.start()
            label = f"{m[1]}届{k[1]}中全会"
            out.append((m.start() if k.start() == 0 else s, m.start(2) + k.end(),
                        _meeting(found, f"plenum-{_num(m[1])}-{_CN.index(k[1]) + 1}", label)))
    for m in _TWO_SESSIONS.finditer(text):
        out.append((m.start(), m.end(), _meeting(found, "two-sessions", "全国两会")))
    return out


def _num(cn: str) -> int:
    return 20 if cn == "二十" else 10 + _CN.index(cn[1]) + 1


def _meeting(found: dict[str, Entity], slug: str, label: str) -> str:
    eid = f"meeting-{slug}"
    found.setdefault(eid, Entity(eid, "meeting", label))
    return eid


def _policies(text: str, gazetteer: Gazetteer, found: dict[str, Entity]):
    """Titles, document numbers and short names, tied together where the text ties them:
    《国务院关于加强地方政府性债务管理的意见》（国发〔2014〕43号，以下简称“43号文”）."""
    skipped: Counter = Counter()
    numbers = gazetteer.find_doc_numbers(text)
    full = [n for n in numbers if n.year is not None]
    short = [n for n in numbers if n.year is None]
    groups: dict[str, dict] = {}

    def group(key: str, title: str, number) -> dict:
        g = groups.setdefault(key, {"title": title, "number": number, "spans": [], "short": []})
        g["title"] = g["title"] or title
        g["number"] = g["number"] or number
        return g

    title_number: dict[str, object] = {}  # keyed by the normalised title
    linked: set[int] = set()
    titles = [t for t in gazetteer.find_titles(text) if _POLICY_WORDS.search(t.title)]
    skipped["title_not_policy"] += len(gazetteer.find_titles(text)) - len(titles)
    for t in titles:
        n = next((n for n in full if n.start >= t.end and _NUMBER_GAP.fullmatch(text[t.end:n.start])), None)
        if n is not None:
            title_number.setdefault(_title_key(t.title), n)
            linked.add(n.start)
    for t in titles:
        n = title_number.get(_title_key(t.title))
        g = group(n.label if n else _title_key(t.title), t.title.strip("*"), n)
        inner = re.search(r"[^*\s]([\s\S]*[^*\s])?", text[t.start + 1:t.end - 1])  # **bold** markup is not the name
        g["spans"].append((t.start + 1 + inner.start(), t.start + 1 + inner.end()) if inner else (t.start, t.end))
        g["short"] += _short_names(text, t.end)
    for n in full:
        g = group(n.label, "", n)
        g["spans"].append((n.start, n.end))
        if n.start not in linked:
            g["short"] += _short_names(text, n.end)
    policies = [_policy(key, g, found) for key, g in sorted(groups.items())]
    refs = _resolve_short(text, short, policies, skipped)
    return policies, refs, skipped


def _is_number(written: str) -> bool:
    return bool(re.search(r"(?:19|20)\d\d\s*[〕\]】)）]\s*第?\s*\d+\s*号$", written))


def _title_key(title: str) -> str:
    """(试行) and （试行）, **bold** or not: one title."""
    return title.strip("*").replace("（", "(").replace("）", ")")


def _short_names(text: str, end: int) -> list[tuple[str, int, int]]:
    """以下简称“43号文” in the bracket right after a title or number."""
    tail = text[end:end + 80]
    close = re.search(r"[)）]", tail)
    m = _SHORT_NAME.search(tail, 0, close.start() if close else len(tail))
    return [(m[1], end + m.start(1), end + m.end(1))] if m else []


def _policy(key: str, g: dict, found: dict[str, Entity]) -> Policy:
    n = g["number"]
    eid = content_id("policy", key)  # the number when known, so reports that cite it by number meet here
    label = f"《{g['title']}》" if g["title"] else key
    aliases = tuple(dict.fromkeys(x for x in (g["title"], n.label if n else None, *(s for s, _, _ in g["short"]))
                                  if x and x != label))
    found.setdefault(eid, Entity(eid, "policy", label, aliases, n.label if n else None))
    issuer = institution_id(n.institution) if n is not None and n.institution else None
    region = f"region-{n.region}" if n is not None and n.region else None
    return Policy(eid, g["title"], n.label if n else None, issuer, region, tuple(g["spans"]), tuple(g["short"]))


def _resolve_short(text: str, short: list, policies: list[Policy], skipped: Counter) -> list[tuple[str, int, int]]:
    """A bare 43号文 is the policy whose short name it is, else the one policy with that number that its sentence
    allows (issuer code or name just before it, a year in the sentence: 2014年，43号文); a surface resolved once
    means the same policy everywhere in the report."""
    by_alias = {s: p.entity_id for p in policies for s, _, _ in p.short_names}
    defined = [(s, e) for p in policies for _, s, e in p.short_names]
    out, pending, known = [], [], dict(by_alias)
    for n in short:
        if any(s <= n.start and n.end <= e for s, e in defined):
            continue
        surface = "".join(text[n.start:n.end].split())
        pid = by_alias.get(surface) or by_alias.get(f"{n.number}号文") or _by_number(text, n, policies)
        if pid is None:
            pending.append((n, surface))
            continue
        known.setdefault(surface, pid)
        out.append((pid, n.start, n.end))
    for n, surface in pending:
        if surface in known:
            out.append((known[surface], n.start, n.end))
        else:
            skipped["short_ref_unresolved"] += 1
    for alias, pid in by_alias.items():  # short names that are not numbers (新预算法, 《意见》) recur verbatim
        if re.search(r"\d+号文$", alias):
            continue
        for m in re.finditer(re.escape(alias), text):
            if not any(s <= m.start() < e for s, e in defined):
                out.append((pid, m.start(), m.end()))
    return out


def _by_number(text: str, n, policies: list[Policy]) -> str | None:
    cands = [p for p in policies if p.number and re.search(rf"〔\d{{4}}〕{n.number}号$", p.number)
             and (n.issuer is None or p.number.startswith(n.issuer))]
    if len(cands) > 1:
        sentence = re.split(r"[。！？\n]", text[max(0, n.start - 60):n.start])[-1]
        years = set(re.findall(r"((?:19|20)\d\d)\s*年", sentence))
        near = sentence[-8:]
        narrowed = [p for p in cands if re.search(r"〔(\d{4})〕", p.number)[1] in years] or cands
        named = [p for p in narrowed if p.issuer and _ISSUER_NAMES.get(p.issuer, "\0") in near]
        cands = named or narrowed
    return cands[0].entity_id if len(cands) == 1 else None


# Issuer names written before a short reference (财政部35号文, 国务院 45 号文).
_ISSUER_NAMES = {"org-mof": "财政部", "org-state-council": "国务院", "org-state-council-office": "国务院办公厅",
                 "org-pboc": "人民银行", "org-ndrc": "发改委"}
