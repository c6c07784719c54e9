"""Gazetteers shared by extraction and question analysis: regions, concepts, institutions, document numbers."""
from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

CONCEPT_NS = "https://policykg.org/concept/"
REGION_TYPES = frozenset({"country", "province", "autonomous_region", "municipality", "sar",
                          "separately_planned_city", "corps"})
INSTITUTION_TYPES = frozenset({"central_bank", "ministry", "state_council", "legislature", "regulator", "bank",
                               "securities", "exchange", "market_infrastructure", "rating_agency", "research",
                               "local_government", "party", "meeting"})


@dataclass(frozen=True, slots=True)
class Region:
    """A province-level division, a 计划单列市, the 兵团 or the nation (全国), keyed by a GB/T 2260-style code."""

    code: str
    name: str  # canonical short name: 辽宁
    full_name: str  # 辽宁省
    type: str
    aliases: tuple[str, ...]  # every spelling matched in running text, name and full_name included
    abbr: tuple[str, ...] = ()  # one-character abbreviations (辽, 晋): lookups only, too ambiguous for running text
    parent: str | None = None

    def __post_init__(self) -> None:
        if not (len(self.code) == 6 and self.code.isdigit()):
            raise ValueError(f"Region {self.name!r}: code must be 6 digits, got {self.code!r}")
        if self.type not in REGION_TYPES:
            raise ValueError(f"Region {self.name!r}: unknown type {self.type!r}; use one of {sorted(REGION_TYPES)}")


@dataclass(frozen=True, slots=True)
class Concept:
    """A skos:Concept of concepts.ttl; narrower concepts come from Gazetteer.narrower."""

    uri: str
    label: str  # skos:prefLabel (zh)
    alt_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()  # URIs
    definition: str | None = None
    related: tuple[str, ...] = ()  # URIs

    def __post_init__(self) -> None:
        if not self.uri.startswith(CONCEPT_NS):
            raise ValueError(f"Concept {self.label!r}: URI must start with {CONCEPT_NS}, got {self.uri!r}")


@dataclass(frozen=True, slots=True)
class Institution:
    """An issuer or actor; those built from institution_patterns.tsv (X省分行, X省财政厅) carry a region code."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()  # matched in running text
    type: str = "ministry"
    parent: str | None = None
    region: str | None = None
    short: tuple[str, ...] = ()  # 工行, 人行: lookups only, they hide inside ordinary words (加工行业, 个人行为)

    def __post_init__(self) -> None:
        if self.type not in INSTITUTION_TYPES:
            raise ValueError(f"Institution {self.id!r}: unknown type {self.type!r}; "
                             f"use one of {sorted(INSTITUTION_TYPES)}")


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A document number such as 国办发〔2024〕52号, or a short reference such as 43号文 (year None)."""

    start: int
    end: int
    issuer: str | None  # 国办发; None when the text names none (〔2024〕5号, 20号文)
    year: int | None
    number: int
    institution: str | None = None  # id, when the issuer code is in doc_issuers.tsv
    region: str | None = None  # code, when the issuer starts with a province abbreviation (晋银发)

    @property
    def label(self) -> str:
        if self.year is None:
            return f"{self.issuer or ''}{self.number}号文"
        return f"{self.issuer or ''}〔{self.year}〕{self.number}号"


@dataclass(frozen=True, slots=True)
class Title:
    """A 《…》 span; start/end include the brackets, title has neither brackets nor whitespace."""

    start: int
    end: int
    title: str


def normalise(text: str) -> tuple[str, list[int]]:
    """Matching form of text plus, per character, its offset in text.

    Whitespace other than tabs is dropped: PDF text wraps mid-word and spaces numbers (财库〔2018〕61 号), while a
    tab separates table cells that must not join. Full-width ASCII becomes ASCII, so 广东(不含深圳) and
    广东（不含深圳） are one key; ASCII is lower-cased. Nothing else changes: superscripts never become digits.
    """
    chars, where = [], []
    for i, c in enumerate(text):
        if c.isspace() and c != "\t":
            continue
        if "\uff01" <= c <= "\uff5e":
            c = chr(ord(c) - 0xFEE0)
        chars.append(c.lower() if "A" <= c <= "Z" else c)
        where.append(i)
    return "".join(chars), where


def _key(s: str) -> str:
    return normalise(s)[0]


def _alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _edges_ok(norm: str, where: list[int], s: int, e: int) -> bool:
    """ASCII labels (M2, GDP, LPR) must not touch a letter or digit: M2 is not in M20."""
    if _alnum(norm[s]) and s > 0 and where[s - 1] == where[s] - 1 and _alnum(norm[s - 1]):
        return False
    return not (_alnum(norm[e - 1]) and e < len(norm) and where[e] == where[e - 1] + 1 and _alnum(norm[e]))


_MISSING = object()


class _Matcher:
    """Leftmost-longest dictionary matcher; the value None marks a blocker word, consumed and not reported."""

    def __init__(self, table: dict[str, object]) -> None:
        self.table = table
        lengths: dict[str, set[int]] = {}
        for k in table:
            lengths.setdefault(k[0], set()).add(len(k))
        self.lengths = {c: sorted(ns, reverse=True) for c, ns in lengths.items()}

    def scan(self, norm: str, where: list[int]) -> list[tuple[int, int, object]]:
        out, i = [], 0
        while i < len(norm):
            for n in self.lengths.get(norm[i], ()):
                value = self.table.get(norm[i:i + n], _MISSING) if i + n <= len(norm) else _MISSING
                if value is not _MISSING and _edges_ok(norm, where, i, i + n):
                    if value is not None:
                        out.append((where[i], where[i + n - 1] + 1, value))
                    i += n
                    break
            else:
                i += 1
        return out


def _greedy(spans: list[tuple[int, int, object]]) -> list[tuple[int, int, object]]:
    """Leftmost, then longest, non-overlapping spans."""
    out: list[tuple[int, int, object]] = []
    for s in sorted(spans, key=lambda t: (t[0], t[0] - t[1])):
        if not out or s[0] >= out[-1][1]:
            out.append(s)
    return out


_DOCNO = re.compile(r"(?P<pre>[\u4e00-\u9fff]{0,10})[〔\[【(](?P<year>(?:19|20)\d\d)[〕\]】)]第?(?P<num>\d{1,5})号")
_SHORT_REF = re.compile(r"(?<![\d〕\]】)])(?P<num>\d{1,4})号文")
_TITLE = re.compile(r"《(?P<t>[^《》]{1,150})》")
# An issuer code not in doc_issuers.tsv starts after the last of these: 根据某某发〔…〕 -> 某某发.
_STOP = re.compile(r".*[的在和与及据照按于将由对为是以称见、了印]")


@dataclass(frozen=True, slots=True)
class _Pattern:
    id: str
    name: str
    regex: re.Pattern
    type: str
    parent: str


class Gazetteer:
    """Lookups and finders over the packaged data; get the shared instance from load_gazetteer()."""

    def __init__(self, regions, concepts, institutions, patterns, issuers, blockers) -> None:
        self.regions: tuple[Region, ...] = tuple(regions)
        self.concepts: tuple[Concept, ...] = tuple(concepts)
        self.institutions: tuple[Institution, ...] = tuple(institutions)
        self._by_uri = {c.uri: c for c in self.concepts}
        self._narrower: dict[str, list[str]] = {}
        for c in self.concepts:
            for b in c.broader:
                self._narrower.setdefault(b, []).append(c.uri)
        inst_names = [(a, i) for i in self.institutions for a in (i.name, *i.aliases)]
        self._region_m = _Matcher(_table([(a, r) for r in self.regions for a in r.aliases], blockers["region"]))
        self._concept_m = _Matcher(_table(self._concept_labels(), blockers["concept"]))
        self._inst_m = _Matcher(_table(inst_names, blockers["institution"]))
        self._region_key = {_key(a): r for r in self.regions for a in (*r.aliases, r.code)}
        self._concept_key = {_key(a): c for a, c in self._concept_labels()}
        self._inst_key = {_key(a): i for i in self.institutions for a in (i.id, i.name, *i.aliases, *i.short)}
        self._abbr: dict[str, list[Region]] = {}
        for r in self.regions:
            for a in r.abbr:
                self._abbr.setdefault(a, []).append(r)
        self._patterns = [_compile(p, self.regions, self.institutions) for p in patterns]
        self._issuers = {k: v for k, v in issuers.items() if not k.startswith("{abbr}")}
        self._regional_issuers = {k[len("{abbr}"):]: v for k, v in issuers.items() if k.startswith("{abbr}")}

    def _concept_labels(self) -> list[tuple[str, Concept]]:
        return [(a, c) for c in self.concepts for a in (c.label, *c.alt_labels)]

    def region(self, name: str) -> Region | None:
        """Any alias, full name or code: 辽宁, 辽宁省, 内蒙古自治区, 宁波市, 广东（不含深圳）, 440000."""
        return self._region_key.get(_key(name))

    def regions_by_abbr(self, abbr: str) -> tuple[Region, ...]:
        """One-character abbreviation to regions: 晋 -> (山西,); 青 -> (青海, 青岛)."""
        return tuple(self._abbr.get(abbr, ()))

    def find_regions(self, text: str) -> list[tuple[int, int, Region]]:
        """Leftmost-longest mentions; blockers.tsv words (吉林市, 幸福建设, 全国人大) swallow false hits."""
        return self._region_m.scan(*normalise(text))  # type: ignore[return-value]

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
        """Name, alias, short form or id; pattern names too (中国人民银行山西省分行, 辽宁省财政厅)."""
        k = _key(name)
        if k in self._inst_key:
            return self._inst_key[k]
        return next((self._from_pattern(p, m) for p in self._patterns if (m := p.regex.fullmatch(k))), None)

    def find_institutions(self, text: str) -> list[tuple[int, int, Institution]]:
        """Listed names and pattern names (中国人民银行辽宁省分行 beats 中国人民银行), leftmost-longest."""
        norm, where = normalise(text)
        spans = self._inst_m.scan(norm, where)
        for p in self._patterns:
            spans += [(where[m.start()], where[m.end() - 1] + 1, self._from_pattern(p, m))
                      for m in p.regex.finditer(norm)]
        return _greedy(spans)  # type: ignore[return-value]

    def _from_pattern(self, p: _Pattern, m: re.Match) -> Institution:
        r = self.region(_group(m, "region") or "")
        bank = self._inst_key.get(_group(m, "bank") or "")
        f = _fields(r, bank)
        return Institution(p.id.format_map(f), p.name.format_map(f), (), p.type, p.parent.format_map(f) or None,
                           r.code)

    def find_doc_numbers(self, text: str) -> list[DocNumber]:
        """国办发〔2024〕52号 with 〔〕 [] 【】 () brackets and spaces anywhere; short forms 43号文, 国发20号文."""
        norm, where = normalise(text)
        out = []
        for m in _DOCNO.finditer(norm):
            issuer, inst, region = self._issuer(m["pre"])
            s = m.end("pre") - len(issuer or "")
            out.append(DocNumber(where[s], where[m.end() - 1] + 1, issuer, int(m["year"]), int(m["num"]),
                                 inst, region))
        for m in _SHORT_REF.finditer(norm):
            pre = norm[max(0, m.start() - 8):m.start()]
            code = next((pre[-k:] for k in range(len(pre), 0, -1) if pre[-k:] in self._issuers), None)
            s = m.start() - len(code or "")
            out.append(DocNumber(where[s], where[m.end() - 1] + 1, code, None, int(m["num"]),
                                 self._issuers.get(code or "")))
        return sorted(out, key=lambda d: d.start)

    def _issuer(self, pre: str) -> tuple[str | None, str | None, str | None]:
        """The longest known code ending the CJK run before the bracket (财政部在财库 -> 财库), else its tail."""
        for k in range(min(len(pre), 8), 0, -1):
            code = pre[-k:]
            if code in self._issuers:
                return code, self._issuers[code], None
            regions = self._abbr.get(code[0], [])
            if code[1:] in self._regional_issuers and regions:
                if len(regions) > 1:  # 青 is both 青海 and 青岛: keep the code, claim no region
                    return code, None, None
                return code, self._regional_issuers[code[1:]].format(code=regions[0].code), regions[0].code
        return _STOP.sub("", pre)[-6:] or None, None, None

    @staticmethod
    def find_titles(text: str) -> list[Title]:
        return [Title(m.start(), m.end(), "".join(m["t"].split())) for m in _TITLE.finditer(text)]

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
        for p, r in itertools.product(self._patterns, (r for r in self.regions if r.type != "country")):
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
    alts = {"region": {_key(a) for r in regions if r.type != "country" for a in r.aliases if "(" not in _key(a)},
            "bank": {_key(a) for i in institutions if i.type == "bank" for a in (i.name, *i.aliases)}}
    counter, regex = itertools.count(), row["regex"]
    for ph, names in alts.items():
        group = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
        regex = re.sub(re.escape("{" + ph + "}"), lambda _m, ph=ph, g=group: f"(?P<{ph}{next(counter)}>{g})", regex)
    return _Pattern(row["id"], row["name"], re.compile(regex), row["type"], row["parent"])


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


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer (kg/extract/data/), built once per process."""
    regions = [Region(r["code"], r["name"], r["full_name"], r["type"],
                      tuple(dict.fromkeys((r["name"], r["full_name"], *_split(r["aliases"])))),
                      _split(r["abbr"]), r["parent"] or None) for r in _rows("regions.tsv")]
    insts = [Institution(r["id"], r["name"], _split(r["aliases"]), r["type"], r["parent"] or None, None,
                         _split(r["short"])) for r in _rows("institutions.tsv")]
    blockers: dict[str, list[str]] = {"region": [], "concept": [], "institution": []}
    for r in _rows("blockers.tsv"):
        blockers[r["kind"]].append(r["word"])
    issuers = {r["code"]: r["institution"] for r in _rows("doc_issuers.tsv")}
    return Gazetteer(regions, _concepts(), insts, _rows("institution_patterns.tsv"), issuers, blockers)
