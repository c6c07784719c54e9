"""The gazetteer: lookups and finders for regions, concepts and institutions over the packaged data files."""
from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kg.extract.docnumbers import DocNumber, DocNumberFinder, Title, find_titles
from kg.extract.gazetteer_types import CONCEPT_NS, INSTITUTION_TYPES, REGION_TYPES, Concept, Institution, Region
from kg.extract.matching import Matcher, leftmost_longest, normalise, trie_regex
from kg.extract.matching import match_key as _key
from kg.extract.places import Places, load_places

__all__ = ["CONCEPT_NS", "INSTITUTION_TYPES", "REGION_TYPES", "Concept", "DocNumber", "Gazetteer", "Institution",
           "Region", "Title", "load_gazetteer", "normalise"]


@dataclass(frozen=True, slots=True)
class _Pattern:
    id: str
    name: str
    regex: re.Pattern
    type: str
    parent: str
    id_regex: re.Pattern  # the id template as a pattern: pboc-{code} -> pboc-(?P<code>\d{6})


class Gazetteer:
    """Lookups and finders over the packaged data; get the shared instance from load_gazetteer()."""

    def __init__(self, regions, concepts, institutions, patterns, issuers, blockers, places: Places | None = None
                 ) -> None:
        self.places = places or Places(regions, blockers["region"])
        self.regions: tuple[Region, ...] = self.places.regions
        self.concepts: tuple[Concept, ...] = tuple(concepts)
        self.institutions: tuple[Institution, ...] = tuple(institutions)
        self._by_uri = {c.uri: c for c in self.concepts}
        self._narrower: dict[str, list[str]] = {}
        for c in self.concepts:
            for b in c.broader:
                self._narrower.setdefault(b, []).append(c.uri)
        inst_names = [(a, i) for i in self.institutions for a in (i.name, *i.aliases)]
        self._concept_m = Matcher(_table(self._concept_labels(), blockers["concept"]))
        self._inst_m = Matcher(_table(inst_names, blockers["institution"]))
        self._concept_key = {_key(a): c for a, c in self._concept_labels()}
        self._inst_key = {_key(a): i for i in self.institutions for a in (i.id, i.name, *i.aliases, *i.short)}
        self._abbr: dict[str, list[Region]] = {}
        for r in self.regions:
            for a in r.abbr:
                self._abbr.setdefault(a, []).append(r)
        self._patterns = [_compile(p, self.regions, self.institutions) for p in patterns]
        self._doc_numbers = DocNumberFinder(issuers, self._abbr)

    def _concept_labels(self) -> list[tuple[str, Concept]]:
        return [(a, c) for c in self.concepts for a in (c.label, *c.alt_labels)]

    def region(self, name: str, context=None, strict: bool = False) -> Region | None:
        """Any alias, full name, short name or code: 辽宁, 辽宁省, 内蒙古自治区, 宁波市, 广东（不含深圳）, 440000,
        黔东南州, 普陀区. A name several divisions share gives None unless context (a region, code or
        region-<code> id) picks one: region("普陀区", "舟山") -> 330903. strict: no bare county names (普陀)."""
        return self.places.region(name, context, strict)

    def parents(self, region) -> tuple[Region, ...]:
        """Ancestors nearest first: 成华区 -> (成都, 四川). Takes a Region, code, region-<code> id or name."""
        return self.places.parents(region)

    def is_within(self, child, ancestor) -> bool:
        """child is ancestor or lies inside it (成都 in 四川; everything in 全国). Regions, codes, ids or names."""
        return self.places.is_within(child, ancestor)

    def regions_by_abbr(self, abbr: str) -> tuple[Region, ...]:
        """One-character abbreviation to regions: 晋 -> (山西,); 青 -> (青海, 青岛)."""
        return tuple(self._abbr.get(abbr, ()))

    def find_regions(self, text: str, context=None) -> list[tuple[int, int, Region]]:
        """Leftmost-longest mentions; blockers.tsv words (幸福建设, 全国人大) swallow false hits. A name several
        divisions share (普陀区) is reported only where context (the document's region) picks one."""
        return self.places.find(text, context)

    def concept(self, label: str) -> Concept | None:
        """prefLabel, altLabel or URI: 专项债 -> 专项债券."""
        return self._by_uri.get(label) or self._concept_key.get(_key(label))

    def narrower(self, concept: Concept) -> tuple[Concept, ...]:
        return tuple(self._by_uri[u] for u in self._narrower.get(concept.uri, ()))

    def ancestors(self, concept: Concept) -> tuple[Concept, ...]:
        """Broader concepts, nearest first (breadth-first, each once)."""
        out: list[Concept] = []
        todo = list(concept.broader)
        while todo:
            c = self._by_uri[todo.pop(0)]
            if c not in out:
                out.append(c)
                todo.extend(c.broader)
        return tuple(out)

    def find_concepts(self, text: str) -> list[tuple[int, int, Concept]]:
        """Leftmost-longest mentions of any prefLabel or altLabel: 新增专项债券 is one hit, not 新增债 + 专项债券."""
        return self._concept_m.scan(*normalise(text))  # type: ignore[return-value]

    def institution(self, name: str) -> Institution | None:
        """Name, alias, short form or id; pattern names and ids too (中国人民银行山西省分行, 辽宁省财政厅, pboc-140000)."""
        k = _key(name)
        if k in self._inst_key:
            return self._inst_key[k]
        found = next((self._from_pattern(p, m) for p in self._patterns if (m := p.regex.fullmatch(k))), None)
        return found or self._from_pattern_id(k)

    def find_institutions(self, text: str) -> list[tuple[int, int, Institution]]:
        """Listed names and pattern names (中国人民银行辽宁省分行 beats 中国人民银行), leftmost-longest."""
        norm, where = normalise(text)
        spans = self._inst_m.scan(norm, where)
        for a, b in self._region_windows(norm):
            for p in self._patterns:
                spans += [(where[m.start()], where[m.end() - 1] + 1, self._from_pattern(p, m))
                          for m in p.regex.finditer(norm, a, b)]
        return leftmost_longest(spans)  # type: ignore[return-value]

    def _region_windows(self, norm: str, margin: int = 24) -> list[tuple[int, int]]:
        """Stretches of norm around region names: every pattern name holds one, so the patterns (alternations
        over hundreds of names) run there only, not over the whole text. margin exceeds any prefix or suffix."""
        out: list[list[int]] = []
        for s, e, _ in self.places.raw_scan(norm):
            a, b = max(0, s - margin), min(len(norm), e + margin)
            if out and a <= out[-1][1]:
                out[-1][1] = b
            else:
                out.append([a, b])
        return [(a, b) for a, b in out]

    def _from_pattern(self, p: _Pattern, m: re.Match) -> Institution:
        r = self.region(_group(m, "region") or "")
        bank = self._inst_key.get(_group(m, "bank") or "")
        f = _fields(r, bank)
        return Institution(p.id.format_map(f), p.name.format_map(f), (), p.type, p.parent.format_map(f) or None,
                           r.code)

    def _from_pattern_id(self, k: str) -> Institution | None:
        """pboc-140000: the institution a pattern gives that id, under the name of the first pattern that does."""
        for p in self._patterns:
            if (m := p.id_regex.fullmatch(k)) is None or (r := self.region(m["code"])) is None or r.type == "country":
                continue
            bank = self._inst_key.get(m["bank_id"]) if "bank_id" in p.id_regex.groupindex else None
            if (named := p.regex.fullmatch(_key(p.name.format_map(_fields(r, bank))))) is not None:
                i = self._from_pattern(p, named)
                if i.id == k:
                    return i
        return None

    def find_doc_numbers(self, text: str) -> list[DocNumber]:
        """国办发〔2024〕52号 with 〔〕 [] 【】 () brackets and spaces anywhere; short forms 43号文, 国发20号文."""
        return self._doc_numbers.find(text)

    find_titles = staticmethod(find_titles)

    def patterns_for_spacy(self) -> list[dict]:
        """entity_ruler phrase patterns: REGION / CONCEPT / ORG, id = region code, concept URI or institution id.

        Meant for spacy.blank("zh") with its default character segmenter, where every character is a token and
        a phrase always aligns; the jieba segmenter misses names it cuts differently in context (棚改债 in
        收费公路债和棚改债: 债和棚). Pattern institutions appear under their canonical names only; blockers and
        ASCII boundaries exist only in find_*, so the ruler also reports 福建 inside 幸福建设.
        """
        out = [{"label": "REGION", "pattern": a, "id": r.code} for r in self.regions for a in r.aliases]
        out += [{"label": "CONCEPT", "pattern": a, "id": c.uri} for a, c in self._concept_labels()]
        out += [{"label": "ORG", "pattern": a, "id": i.id} for i in self.institutions for a in (i.name, *i.aliases)]
        banks = [i for i in self.institutions if i.type == "bank"]
        for p, r in itertools.product(self._patterns, (r for r in self.regions if r.level == "province"
                                                       or r.type == "separately_planned_city")):
            for bank in banks if "{bank_id}" in p.id else [None]:
                f = _fields(r, bank)
                if p.regex.fullmatch(_key(name := p.name.format_map(f))):
                    out.append({"label": "ORG", "pattern": name, "id": p.id.format_map(f)})
        return out


def _fields(r: Region, bank: Institution | None) -> dict[str, str]:
    return {"code": r.code, "region_name": r.name, "full_name": r.full_name,
            "bank_id": bank.id if bank else "", "bank_name": bank.name if bank else ""}


def _table(pairs: list[tuple[str, object]], blockers: list[str]) -> dict[str, object]:
    table: dict[str, object] = {_key(b): None for b in blockers}
    for alias, value in pairs:
        k = _key(alias)
        if table.get(k) is not None and table[k] != value:
            raise ValueError(f"gazetteer: {alias!r} names both {table[k]!r} and {value!r}")
        table[k] = value
    return table


def _group(m: re.Match, name: str) -> str | None:
    """The set group among name0, name1, …: a pattern may use {region} more than once, re allows a name once."""
    return next((v for k, v in m.groupdict().items() if k.rstrip("0123456789") == name and v), None)


def _compile(row: dict[str, str], regions, institutions) -> _Pattern:
    alts = {"region": {_key(a) for r in regions if r.level in ("province", "prefecture") for a in r.aliases
                       if "(" not in _key(a)},
            "bank": {_key(a) for i in institutions if i.type == "bank" for a in (i.name, *i.aliases)}}
    counter, regex = itertools.count(), row["regex"]
    for ph, names in alts.items():
        group = trie_regex(names)
        regex = re.sub(re.escape("{" + ph + "}"), lambda _m, ph=ph, g=group: f"(?P<{ph}{next(counter)}>{g})", regex)
    banks = "|".join(re.escape(_key(i.id)) for i in institutions if i.type == "bank")
    ids = {"{code}": r"(?P<code>\d{6})", "{bank_id}": f"(?P<bank_id>{banks})"}
    id_regex = "".join(ids.get(x) or re.escape(x) for x in re.split(r"(\{code\}|\{bank_id\})", row["id"]))
    return _Pattern(row["id"], row["name"], re.compile(regex), row["type"], row["parent"], re.compile(id_regex))


def _read(name: str) -> str:
    return resources.files("kg.extract").joinpath("data", name).read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    rows = csv.DictReader(io.StringIO(_read(name)), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [r for r in rows if (first := next(iter(r.values()))) and not first.startswith("#")]


def _split(s: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (s or "").split("|") if x.strip())


def _concepts() -> list[Concept]:
    from rdflib import RDF, SKOS, Graph, Literal  # lazy: rdflib costs a few hundred ms to import

    g = Graph().parse(data=_read("concepts.ttl"), format="turtle")

    def zh(s, p) -> list[str]:
        return sorted(str(o) for o in g.objects(s, p) if isinstance(o, Literal) and o.language == "zh")

    def uris(s, p) -> tuple[str, ...]:
        return tuple(sorted(str(o) for o in g.objects(s, p)))

    out = []
    for s in sorted(g.subjects(RDF.type, SKOS.Concept)):
        if len(label := zh(s, SKOS.prefLabel)) != 1:
            raise ValueError(f"concepts.ttl: {s} needs exactly one zh prefLabel, has {label}")
        out.append(Concept(str(s), label[0], tuple(zh(s, SKOS.altLabel)), uris(s, SKOS.broader),
                           next(iter(zh(s, SKOS.definition)), None), uris(s, SKOS.related)))
    return out


def region_data() -> tuple[list[Region], list[str]]:
    """Every division (regions.tsv curated rows + the GB/T 2260 table, see divisions.py) and the region blockers."""
    from kg.extract.divisions import LEVEL_OF_TYPE, load_divisions

    curated = [Region(r["code"], r["name"], r["full_name"], r["type"],
                      tuple(dict.fromkeys((r["name"], r["full_name"], *_split(r["aliases"])))),
                      _split(r["abbr"]), r["parent"] or None, LEVEL_OF_TYPE[r["type"]]) for r in _rows("regions.tsv")]
    suffix_only = {r["name"] for r in _rows("region_suffix_only.tsv")}
    return load_divisions(curated, suffix_only), [r["word"] for r in _rows("blockers.tsv") if r["kind"] == "region"]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer (kg/extract/data/), built once per process."""
    places = load_places()
    insts = [Institution(r["id"], r["name"], _split(r["aliases"]), r["type"], r["parent"] or None, None,
                         _split(r["short"])) for r in _rows("institutions.tsv")]
    blockers: dict[str, list[str]] = {"region": [], "concept": [], "institution": []}
    for r in _rows("blockers.tsv"):
        blockers[r["kind"]].append(r["word"])
    issuers = {r["code"]: r["institution"] for r in _rows("doc_issuers.tsv")}
    return Gazetteer(places.regions, _concepts(), insts, _rows("institution_patterns.tsv"), issuers, blockers, places)
