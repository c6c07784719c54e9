"""Entity records for what the gazetteer names (regions, concepts, institutions) and for meetings: ids and labels."""
from __future__ import annotations

import re

from kg.extract.gazetteer_types import CONCEPT_NS
from kg.types import Entity

_PARTY_CONGRESS = re.compile(r"(?:党的)?(二十|十[一二三四五六七八九])大")
_PLENUM = re.compile(r"(二十|十[一二三四五六七八九])届((?:[一二三四五六七八九]中(?:全会)?[、和及]?)+)")
_TWO_SESSIONS = re.compile(r"(?:全国|地方)?两会")
_CN = "一二三四五六七八九"


def region_entity(r, found: dict[str, Entity]) -> str:
    eid = f"region-{r.code}"
    if eid not in found:
        parent = (f"region-{r.parent}",) if r.parent else ()
        found[eid] = Entity(eid, "region", r.name, tuple(a for a in r.aliases if a != r.name), r.code, parent)
    return eid


def concept_id(uri: str) -> str:
    return "concept-" + uri.removeprefix(CONCEPT_NS)


def concept_entity(c, found: dict[str, Entity]) -> str:
    eid = concept_id(c.uri)
    if eid not in found:
        found[eid] = Entity(eid, "concept", c.label, tuple(c.alt_labels), None, tuple(map(concept_id, c.broader)))
    return eid


def institution_id(inst_id: str, kind: str = "") -> str:
    return f"meeting-{inst_id}" if kind == "meeting" else f"org-{inst_id}"


def institution_entity(i, found: dict[str, Entity]) -> str:
    eid = institution_id(i.id, i.type)
    if eid not in found:
        kind = "meeting" if i.type == "meeting" else "institution"
        parent = (institution_id(i.parent),) if i.parent else ()
        found[eid] = Entity(eid, kind, i.name, tuple(i.aliases) + tuple(i.short), None, parent)
    return eid


def find_meetings(text: str, found: dict[str, Entity]) -> list[tuple[int, int, str]]:
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
