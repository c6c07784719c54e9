"""Questions generated from a knowledge base's own facts (table cells, sentence figures, definitions), each with the
value it must answer and the passage it must cite, in the JSON Lines format of ../shared/eval/dev.jsonl."""
from __future__ import annotations

import hashlib
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from kg.eval.phrasing import clean_header, indicator_forms, measure_suffix, period_forms, region_forms
from kg.types import Document, Figure, Table, content_id

HOLDOUT_SHARE = 0.3  # of facts (all phrasings of one fact fall on the same side)
# an extracted indicator that is no noun phrase: ends in a verb or particle, starts with one, or spans clauses
_BAD_INDICATOR = re.compile(r"[是将把被为于了达到超过约近共计其该此这等和及与或]$|^(?:若|如|根据|考虑)|^[的和及与其前后在对由从]|"
                            r"用于|符合|扩充|达到|超过|反而|仍然|依然|累计|分别|合计|以上|以下|左右|[，。；：、“”《》]")
_DEFINITION = re.compile(r"(?:^|(?<=[。；！？\n\t：:，,]))[\u00b9\u00b2\u00b3\u2070-\u2079]?\s*(?:所谓)?([\u4e00-\u9fffA-Za-z0-9“”]{2,16}?)"
                         r"(?:（[^（）]{1,20}）)?，?是指([^。；\n]{6,150})[。；\n]")
_VAGUE_SUBJECT = re.compile(r"^(?:这|那|其|该|此|它|上述|以上|前者|后者|本|我们|也就)")
_GAP_STOP = re.compile(r"\d|[，。；：]|导致|带动|拉动|使|推动|其中|相当于")
_CHANGE_VERB = re.compile(r"(?:累计)?(?:提高|增加|增长|上升|下降|减少|降低|回落|扩大|缩小|新增|提升|下调|上调|调降|调升|"
                          r"压降|收窄|放缓|加快)")
_NUMERIC = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What phrasing needs from the gazetteer: region names by entity id, concept labels by label."""

    regions: dict[str, tuple[str, str]] = field(default_factory=dict)  # region-210000 -> (辽宁, 辽宁省)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # any label -> all labels of its concept


def vocabulary(gazetteer) -> Vocabulary:
    """The generator's view of a kg.extract.gazetteer.Gazetteer."""
    regions = {f"region-{r.code}": (r.name, r.full_name) for r in gazetteer.regions}
    synonyms: dict[str, tuple[str, ...]] = {}
    for c in gazetteer.concepts:
        labels = tuple(x for x in (c.label, *c.alt_labels) if len(x) >= 2)
        for x in labels:
            synonyms.setdefault(x, labels)
    return Vocabulary(regions, synonyms)


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing to ask about: its key parts, the value a right answer contains and the passage it cites."""

    id: str  # the figure id, or def-<hash> for a definition
    doc: Document
    kind: str  # table, fact (a sentence figure), definition
    value: str  # as written
    unit: str
    evidence: str  # Document.text of the row (a cell) or the sentence around the figure
    indicator: str = ""
    period: str = ""
    region: str | None = None
    measure: str = "level"
    direction: str | None = None
    label: str = ""  # a table label a question may name (表3), when it tells the table apart in the KB
    cumulative: bool = False
    stock: bool = False
    accept: tuple[str, ...] = ()
    verb: str = ""  # the change verb written between indicator and value (提高30元 asks 提高了多少, not 是多少)


def split_of(key: str) -> str:
    """fit or holdout, from a hash of the fact, stable across runs and machines."""
    h = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16)
    return "holdout" if h % 1000 < HOLDOUT_SHARE * 1000 else "fit"


def _sentence(text: str, start: int, end: int, reach: int = 40) -> str:
    lo = max((text.rfind(p, 0, start) for p in "。；！？\n"), default=-1) + 1
    his = [i for i in (text.find(p, end) for p in "。；！？\n") if i >= 0]
    hi = min(his) if his else len(text)
    return text[max(lo, start - reach):min(hi, end + reach)].strip()


_TITLE_PLACE = re.compile(r"^(?:\d{4}\s*年?\s*)?([\u4e00-\u9fff]{2,5}?(?:市|自治州|州|盟))")


def place(doc: Document, regions: dict[str, tuple[str, str]]) -> tuple[str, ...]:
    """Where a figure with no region of its own is, as an analyst names it: the report's region, or the city its
    title or else its issuer starts with (2026年深圳市人民政府公报 -> 深圳市, 深圳); () when none is known."""
    if doc.region and (rid := _region_id(doc.region, regions)):
        return region_forms(*regions[rid])
    for name in (doc.title, doc.issuer or ""):  # 呼和浩特市财政局 places a report whose title is a file name
        if m := _TITLE_PLACE.match(re.sub(r"\s+", "", name)):
            city = m.group(1)
            return (city, city[:-1]) if city[-1] in "市州盟" and len(city) >= 3 and not city.endswith("自治州") \
                else (city,)
    return ()


def _region_id(name: str, regions: dict[str, tuple[str, str]]) -> str | None:
    return next((k for k, names in regions.items() if name in names), None)


def _gap(text: str, f: Figure, indicator: str) -> str | None:
    """What stands between the indicator and the value, when the indicator is written shortly before it in the
    same clause with no number or causal verb between (债务扩张与名义经济增速双降导致宏观杠杆率上升10.1: the value
    is not the first phrase's); None otherwise."""
    before = re.sub(r"\s+", "", text[max(0, f.start - 60):f.start])
    i = before.rfind(indicator)
    gap = before[i + len(indicator):] if i >= 0 else ""
    return gap if i >= 0 and len(gap) <= 16 and not _GAP_STOP.search(gap) else None


def _accept(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((value, value.replace(",", ""))))


def figure_facts(doc: Document, figures: Sequence[Figure], tables: Sequence[Table],
                 unique_labels: set[str], regions: dict[str, tuple[str, str]] | None = None) -> list[Fact]:
    """A fact per numeric table cell and per sentence figure with a readable indicator and a period; a sentence
    figure of another region than the report's only when that region is named just before it."""
    by_table = {t.id: t for t in tables}
    out = []
    for f in figures:
        value = re.sub(r"\s+", "", f.text)
        if not _NUMERIC.fullmatch(value) or not f.period or not f.value:  # a 0 is in too many cells to cite
            continue
        if f.table_id:
            t = by_table.get(f.table_id)
            cell = next((c for c in t.cells if c.start == f.start and c.end == f.end), None) if t else None
            if cell is None or not f.indicator.strip() or not any(h.strip() for h in cell.row_header):
                continue
            rs, re_ = t.row_spans[cell.row] if cell.row < len(t.row_spans) else (f.start, f.end)
            headers = " ".join((*cell.row_header, *cell.col_header))
            indicator = " ".join(clean_header(p) for p in f.indicator.split())
            # a level in a table of targets (表 3：固投、社零 2024 年目标) is a target to the reader
            measure = "target" if f.measure == "level" and re.search(r"目标|预期", t.caption + headers) else f.measure
            out.append(Fact(f.id, doc, "table", value, f.unit or t.unit, doc.text[rs:re_], indicator, f.period,
                            f.region, measure, f.direction, t.label if t.label in unique_labels else "",
                            "累计" in headers, "余额" in headers, _accept(value)))
        else:
            ind = re.sub(r"\s+", "", f.indicator)
            gap = _gap(doc.text, f, ind) if f.unit and 2 <= len(ind) <= 14 and not _BAD_INDICATOR.search(ind) else None
            if gap is None:
                continue
            if f.region and doc.region and f.region != _region_id(doc.region, regions or {}) and not any(
                    n in doc.text[max(0, f.start - 40):f.start] for n in (regions or {}).get(f.region, ("\0",))):
                continue
            verb = m.group(0) if (m := _CHANGE_VERB.search(gap)) and not re.search(r"至|到|达", gap[m.end():]) else ""
            out.append(Fact(f.id, doc, "fact", value, f.unit, _sentence(doc.text, f.start, f.end), clean_header(ind),
                            f.period, f.region, f.measure, f.direction, "", "累计" in ind, "余额" in ind, _accept(value),
                            verb))
    return out


def definition_facts(doc: Document) -> list[Fact]:
    """`X是指Y` sentences (conservative): ask what X means, accept the start of Y's first clause."""
    out = []
    for m in _DEFINITION.finditer(doc.text):
        term, body = m.group(1).replace("“", "").replace("”", ""), m.group(2)
        if len(term) < 2 or _VAGUE_SUBJECT.match(term) or re.fullmatch(r"[\d.]+", term):
            continue
        clauses = [c for c in re.split(r"[，、,（）()]", re.sub("[“”]", "", body)) if len(c) >= 4]
        if not clauses:
            continue
        accept = clauses[0][:12]  # the head of the definition, not a later aside
        out.append(Fact(content_id("def", doc.id, m.start(1), m.end(2)), doc, "definition", accept, "",
                        doc.text[m.start(1):m.end(2)], term, accept=(accept,)))
    return out


def ambiguous(facts: Iterable[Fact]) -> set[str]:
    """Ids of figure facts whose indicator+period+region+measure has another value in the same document or in the
    knowledge base: the question would have two right answers."""
    values: dict[tuple, set[str]] = defaultdict(set)
    facts = [f for f in facts if f.kind != "definition"]
    for f in facts:
        key = (re.sub(r"\s+", "", f.indicator), f.period, f.region, f.measure)
        values[key].add(f.value.replace(",", ""))
    return {f.id for f in facts if len(values[(re.sub(r"\s+", "", f.indicator), f.period, f.region, f.measure)]) > 1}


_TEMPLATES = ("{r}{p}{i}{s}", "{p}{r}{i}{s}", "{r} {p} {i}", "{r}{p}的{i}{s}")
_LABEL_TEMPLATES = ("{l}中{r}{p}{i}{s}", "{r}{l}：{p}{i}{s}", "{l}里{r}{p}的{i}{s}")
_DEFINITION_TEMPLATES = ("{i}指什么", "{i}是指什么？", "什么是{i}", "{i}的含义是什么", "{i}是什么意思")


def phrasings(fact: Fact, vocab: Vocabulary, rng: random.Random, k: int) -> list[tuple[str, str]]:
    """Up to k different (template, question) pairs for a fact."""
    if fact.kind == "definition":
        return [(t, t.format(i=fact.indicator)) for t in rng.sample(_DEFINITION_TEMPLATES, min(k, 5))]
    periods = period_forms(fact.period, fact.cumulative, fact.stock)
    if not periods:
        return []
    names = vocab.regions.get(fact.region or "")
    regions = region_forms(*names) if names else place(fact.doc, vocab.regions) or ("",)
    indicators = indicator_forms(fact.indicator, vocab.synonyms)
    small = fact.value.replace(",", "").isdigit() and int(fact.value.replace(",", "")) < 100
    suffixes = (f"{fact.verb}了多少", f"{fact.verb}多少") if fact.verb else \
        measure_suffix(fact.indicator, fact.measure, fact.direction, fact.unit, small)
    # the keyword form names no measure, so it only asks for a level unambiguously
    templates = _TEMPLATES[:2] + _TEMPLATES[3:] if fact.measure != "level" else _TEMPLATES
    templates += _LABEL_TEMPLATES if fact.label else ()
    out: dict[str, str] = {}
    for _ in range(4 * k):
        if len(out) >= k:
            break
        t = rng.choice(templates)
        q = t.format(r=rng.choice(regions), p=rng.choice(periods), i=rng.choice(indicators), s=rng.choice(suffixes),
                     l=fact.label).strip()
        out.setdefault(re.sub(r"\s+", " ", q), t)
    return [(t, q) for q, t in out.items()]


def record(fact: Fact, template: str, question: str) -> dict:
    """One question line, in dev.jsonl's format plus split, doc_id, fact and template."""
    number = fact.kind != "definition"
    answer = f"{fact.value}{fact.unit}" if number else fact.evidence
    return {"id": content_id("syn", fact.doc.id, fact.id, question), "question": question, "answer": answer,
            "accept": list(fact.accept), "match": "any", "type": "number" if number else "text",
            "category": fact.kind, "doc": [fact.doc.source], "evidence": [fact.evidence],
            "split": split_of(f"{fact.doc.id}|{fact.id}"), "doc_id": fact.doc.id, "fact": fact.id,
            "template": template, "indicator": fact.indicator, "period": fact.period, "region": fact.region or "",
            "period_stated": _stated(fact)}


def _stated(fact: Fact) -> bool:
    """The year of the period is written in the cited row or sentence (not left to the document's context)."""
    year = fact.period[:4]
    return fact.kind != "fact" or not year.isdigit() or year in fact.evidence or f"{year[2:]}年" in fact.evidence


@dataclass(frozen=True, slots=True)
class Generated:
    """The questions and how many facts were left out and why."""

    questions: tuple[dict, ...]
    facts: int
    ambiguous: int
    unphrased: int
    per_doc: dict[str, tuple[int, int]] = field(default_factory=dict)  # source -> (usable facts, questions)


def generate(documents: Sequence[Document], tables: Sequence[Table], figures: Sequence[Figure], vocab: Vocabulary,
             seed: int = 0, per_fact: int = 3, limit: int | None = None, definitions: bool = True) -> Generated:
    """Questions for every document: per_fact phrasings of each unambiguous fact, at most limit per document,
    facts taken in the order of their hash (so a larger limit only adds questions)."""
    labels = defaultdict(int)
    for t in tables:
        if t.label:
            labels[t.label] += 1
    unique = {x for x, n in labels.items() if n == 1}
    figs_by_doc, tabs_by_doc = defaultdict(list), defaultdict(list)
    for f in figures:
        figs_by_doc[f.doc_id].append(f)
    for t in tables:
        tabs_by_doc[t.doc_id].append(t)
    facts = []
    for d in documents:
        facts += figure_facts(d, figs_by_doc[d.id], tabs_by_doc[d.id], unique, vocab.regions)
        if definitions:
            facts += definition_facts(d)
    skip = ambiguous(facts)
    out, unphrased, per_doc = [], 0, {}
    for d in documents:
        mine = sorted((f for f in facts if f.doc.id == d.id and f.id not in skip),
                      key=lambda f: hashlib.sha1(f"{seed}|{f.id}".encode()).hexdigest())
        n = 0
        per_doc[d.source] = (len(mine), 0)
        for f in mine:
            if limit is not None and n >= limit:
                break
            qs = phrasings(f, vocab, random.Random(f"{seed}|{f.id}"), per_fact)
            unphrased += not qs
            for template, q in qs[:None if limit is None else limit - n]:
                out.append(record(f, template, q))
                n += 1
        per_doc[d.source] = (len(mine), n)
    return Generated(tuple(out), len(facts), len(skip), unphrased, per_doc)
