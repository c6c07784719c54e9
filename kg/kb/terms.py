"""Definitions and enumerations of the knowledge base looked up by term (what `X指什么` / `X是哪几项` need)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.types import Definition, Enumeration


@dataclass(frozen=True, slots=True)
class TermFacts:
    """What the reports define and list for a term; exact key matches first, then terms that contain it."""

    definitions: tuple[Definition, ...] = ()
    enumerations: tuple[Enumeration, ...] = ()


def _norm(s: str) -> str:
    return re.sub(r"[\s“”\"「」『』《》*]", "", s)


def match_terms(definitions, enumerations, term: str | None = None) -> TermFacts:
    """All of them without a term; else those whose key is the term (六地 matches 新时代“六地”), or failing that,
    those whose term contains it or is contained in it (三大工程 / 推进“三大工程”)."""
    defs, enums = list(definitions), list(enumerations)
    if not term:
        return TermFacts(tuple(defs), tuple(enums))
    q = _norm(term)
    if not q:
        return TermFacts()

    def pick(items):
        exact = [x for x in items if x.key == q or _norm(x.term) == q]
        return exact or [x for x in items if q in _norm(x.term) or (len(x.key) >= 2 and x.key in q)]
    return TermFacts(tuple(pick(defs)), tuple(pick(enums)))


def lookup(kb, term: str | None = None, doc: str | None = None) -> TermFacts:
    """match_terms over the stored facts of one document (id, prefix or file name) or all of them."""
    return match_terms(kb.facts("definition", doc), kb.facts("enumeration", doc), term)
