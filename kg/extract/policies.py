"""Policies a report names: 《titles》, document numbers and short names (43号文), tied together and resolved."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from kg.extract.entity_records import institution_id
from kg.types import Entity, content_id

# A 《…》 that names a policy document rather than a book, a framework or a newspaper.
_POLICY_WORDS = re.compile(r"意见|通知|办法|规定|决定|方案|条例|法$|法（|规划|纲要|指引|细则|规程|措施|公告|批复|函$|"
                           r"实施|管理|报告|目录|计划|规则|指南|章程|准则|要求|标准")
_SHORT_NAME = re.compile(r"(?:以下简称|以下称|下称|简称|以下统称)\s*[:：]?\s*[“\"「『]([^”\"」』，,。；;）)]{1,20})[”\"」』]")
_NUMBER_GAP = re.compile(r"\s*[（(]?\s*")


class PolicyFinder(Protocol):
    """The slice of the gazetteer policies need: document numbers and 《titles》 in a text."""

    def find_doc_numbers(self, text: str) -> list: ...
    def find_titles(self, text: str) -> list: ...


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


def find_policies(text: str, gazetteer: PolicyFinder, found: dict[str, Entity]):
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


def is_doc_number(written: str) -> bool:
    """Whether a policy's written span is its full document number (国办发〔2024〕52号), not its title."""
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
