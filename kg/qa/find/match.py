"""How well a candidate value answers a question: indicator words, region, period, unit, target or outcome."""
from __future__ import annotations

from functools import lru_cache

import re
from collections import defaultdict
from dataclasses import dataclass

from kg.qa.find.candidates import Candidate
from kg.qa.read.periods import fit
from kg.qa.read.question import Question
from kg.qa.read.text import Term, canon, term_match
from kg.qa.find.weights import WEIGHTS

NATION = "全国"
_PERCENT = ("%", "‰")
_PP = ("个百分点", "百分点", "个基点", "基点", "bp", "BP")
_MONEY = re.compile(r"元|^万亿$|^亿$|^千亿$|^百亿$")
_COUNT = re.compile(r"^[万亿]?(个|家|户|人|项|省|座|所|只|件|笔|条|名|位|批|次|处|宗|本|套|辆|台|张)")
_SHARE_ASKED = re.compile(r"占|比重|占比|份额|贡献率")
_CHANGE_ASKED = re.compile(r"比上年|较上年|比去年|(?:提高|增加|减少|上升|下降|降低|回落|抬升|涨|升|降)(?:了|得)?"
                           r"(?:多少|几|最多|最少|最大|最小|最快|最慢)|变化|变动|多增|少增")


@dataclass(frozen=True, slots=True)
class Scored:
    candidate: Candidate
    score: float
    terms: float  # the indicator-word part of the score, before region/period/unit factors


def term_score(terms: tuple[Term, ...], c: Candidate) -> float:
    """Weighted share of the question's terms found in the candidate's clause, sentence, or wider context."""
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    got = 0.0
    # what the extractor found the value measures (出口 for …出口3492.62亿元，增长25.8%: the clause says only 增长)
    said = _indicator(c)
    for t in terms:
        got += t.weight * max(term_match(t, c.local), 0.9 * term_match(t, c.clause), 0.95 * term_match(t, said),
                              0.75 * term_match(t, c.sentence), 0.45 * term_match(t, c.around))
    return got / total


def _indicator(c: Candidate) -> str:
    f = c.figure
    return canon(f.indicator) if c.source == "text" and f is not None and f.indicator else ""


def concept_factor(terms: tuple[Term, ...], c: Candidate) -> float:
    """The indicator the question is about (its concept, in the asking clause if it names one there) must be
    stated near the value: a sentence about 普惠小微贷款余额 does not answer a question about 不良贷款余额."""
    key = [t for t in terms if t.concept and t.focus] or [t for t in terms if t.concept]
    for t in key:
        if max(term_match(t, c.local), term_match(t, c.sentence), term_match(t, c.around)) < 0.5:
            return 0.3
    return 1.0


def region_factor(q: Question, c: Candidate) -> float:
    asked = set(q.regions)
    if not asked:  # a national figure first; then a report's own place; a place the passage names narrows
        return 1.0 if c.region in (None, NATION) else 0.75 if c.region_stated else 0.9
    if c.region in asked:
        return 1.0
    if asked == {NATION}:
        return 1.0 if c.region == NATION else 0.9 if c.region is None else 0.25
    if c.region is None:
        return 0.45  # a national report may still speak of the province, but nothing says so
    if any(_within(c.region, a) for a in asked):
        return 0.4  # 打造贵阳“青云市集”等聚集区55个 in a 贵州 report: a place inside the one asked about
    return 0.0


@lru_cache(maxsize=4096)
def _within(child: str, ancestor: str) -> bool:
    from kg.extract.gazetteer import load_gazetteer
    return child != ancestor and load_gazetteer().is_within(child, ancestor)


_GROWTH_ASKED = re.compile(r"增长|增速|增幅|涨|降|跌|同比|环比|变化|变动|上升|提高|减少|增加|回落|扩大|收窄|百分点|%|率")
_TO_ASKED = re.compile(r"[到至]了?(?:多少|几)")
_TO_LEAD = re.compile(r"[到至]$")
_FROM_LEAD = re.compile(r"(?:由|从)(?:最初的)?$")
_SEVERAL_YEARS_ASKED = re.compile(r"五年|十[三四五]五|累计|年均|期间|以来|到(?:19|20)\d\d年")


def period_factor(q: Question, c: Candidate) -> float:
    if not q.periods:
        return 1.0
    if not c.periods:
        return 0.65
    if q.within:  # 2024年哪个月: every month of 2024 fits
        from kg.qa.read.periods import parse
        years = {y for a in q.periods if (p := parse(a)) for y in p.years}
        stated = {y for s in c.periods if (p := parse(s)) for y in p.years}
        return 1.0 if not years or stated & years else 0.65 if not stated else 0.0
    f = max(fit(a, s) for a in q.periods for s in c.periods)
    if c.several_years and not _SEVERAL_YEARS_ASKED.search(q.text):
        f *= 0.5  # a 五年来 paragraph's figure is not one year's, whatever year it is filed under
    return f


def unit_factor(q: Question, c: Candidate) -> float:
    u = c.unit
    if q.expect is None:
        return 1.0
    if not u:
        return 1.0 if q.expect == "ratio" else 0.8 if c.source == "cell" else 0.6
    if q.expect == "percent":
        return 1.0 if u in _PERCENT else 0.6 if u in _PP else 0.25
    if q.expect == "ratio":
        return 1.0 if u in _PERCENT or u == "倍" else 0.4
    if q.expect == "pp":  # a difference may be computed from two percentages; a lookup wants the change itself
        return 1.0 if u in _PP else (0.9 if q.op == "diff" else 0.5) if u in _PERCENT else 0.25
    if q.expect == "money":
        return 1.0 if _MONEY.search(u) else 0.2 if u in _PERCENT or u in _PP else 0.5
    if q.expect == "count":
        noun_ok = q.count_noun and u.endswith(q.count_noun)
        return 1.0 if noun_ok or _COUNT.match(u) else 0.3
    return 1.0


def _growth_asked(q: Question) -> bool:
    """The question (or the indicator a side inherits: GDP增速) speaks of growth or a rate."""
    return bool(_GROWTH_ASKED.search(q.text)) or any(_GROWTH_ASKED.search(f) for t in q.terms for f in t.forms)


def intent_factor(q: Question, c: Candidate) -> float:
    """Targets answer target questions, outcomes the others; a change (比上年提高…) only a question about one."""
    f = 1.0
    if q.target != c.target:
        f *= 0.55
    if c.measure == "change" and not _CHANGE_ASKED.search(q.text):
        f *= 0.6
    if c.measure == "yoy" and c.source == "cell" and not _growth_asked(q):
        f *= 0.6  # 实际使用外资多少: the amount, not its growth in the next block of the table
    if c.tail.startswith("的") and (c.approx or c.qualifier in ("以上", "以下", "以内")):
        f *= 0.5  # 常住人口超5万人的镇 / 10亿元以上的项目: a threshold that describes something, no statistic
    share = bool(_SHARE_ASKED.search(q.text))
    if (c.measure == "share") != share and c.source == "text":
        f *= 0.65
    return f


def facet_factor(q: Question, c: Candidate, facets: dict[tuple, set[str]]) -> float:
    """A table whose headers at one level name alternatives (本外币 / 人民币, 改革前 / 改革后, 余额 / 累计发生额):
    when the question names one of them, the cells under the others do not answer it."""
    qn = canon(q.text)
    f = 1.0
    for level, part in _levels(c):
        options = facets.get(level, set())
        named = {o for o in options if len(o) >= 2 and o in qn}
        if named and not any(canon(part) in n or n in canon(part) for n in named):
            f *= 0.4
    return f


def _levels(c: Candidate):
    """(level, label) of a cell's headers, row and column levels apart (a row path may be one or two deep)."""
    row, col = c.headers
    return [(("row", i), p) for i, p in enumerate(row)] + [(("col", i), p) for i, p in enumerate(col)]


def table_facets(cands: list[Candidate]) -> dict[str, dict[tuple, set[str]]]:
    """Per table, header level -> the distinct labels seen there (canonical)."""
    out: dict[str, dict[tuple, set[str]]] = defaultdict(lambda: defaultdict(set))
    for c in cands:
        if c.table_id is None:
            continue
        for level, part in _levels(c):
            out[c.table_id][level].add(canon(part))
    return out


@lru_cache(maxsize=256)
def _question_words(text: str, forms: tuple[str, ...]) -> str:
    return canon(text) + "".join(forms)


def header_precision(q: Question, c: Candidate, own: bool = False) -> float:
    """Share of a cell's header words the question accounts for; own: of a clause's words before its value."""
    if (c.source != "cell" and not own) or not c.local:
        return 1.0
    qn = _question_words(q.text, tuple(f for t in q.terms for f in t.forms))
    local = c.local[:max(c.local.find(c.value), 0)] if own else c.local
    informative = [i for i, ch in enumerate(local) if "\u4e00" <= ch <= "\u9fff"]
    if not informative:
        return 1.0
    covered = set()
    for i in range(len(local) - 1):
        if local[i:i + 2] in qn:
            covered.update((i, i + 1))
    return sum(i in covered for i in informative) / len(informative)


FACTORS = ("terms", "region", "period", "unit", "intent", "concept", "to", "ask", "own_words", "headers", "facet",
           "table")


def factors(q: Question, c: Candidate, facets: dict[tuple, set[str]] | None = None,
            table_labels: dict[str, str] | None = None) -> dict[str, float] | None:
    """The evidence for a candidate, one factor each in (0, ~1.2]; None when its region or period rules it out."""
    region, period = region_factor(q, c), period_factor(q, c)
    if region * period == 0:
        return None  # another region or period: not worth reading the words
    f = {"terms": term_score(q.terms, c), "region": region, "period": period, "unit": unit_factor(q, c),
         "intent": intent_factor(q, c), "concept": concept_factor(q.terms, c), "to": 1.0, "ask": 1.0,
         "own_words": 1.0, "headers": 1.0, "facet": 1.0, "table": 1.0}
    if _TO_ASKED.search(q.text) and c.source == "text":  # 提高到多少 / 降至多少: the value after 到/至, not 由…
        f["to"] = 1.15 if _TO_LEAD.search(c.lead) else 0.85 if _FROM_LEAD.search(c.lead) else 1.0
    if any(w in c.lead or w in c.tail for w in q.ask_words):
        f["ask"] = 1.1  # 达到多少 -> …、达到23562亿元: the question's own verb stands right before this value
    if c.source == "text":  # ties go to the value whose own words the question accounts for (出口, not 进出口总值)
        f["own_words"] = 0.92 + 0.08 * header_precision(q, c, own=True)
    else:
        f["headers"] = 0.7 + 0.3 * header_precision(q, c)
        f["facet"] = facet_factor(q, c, facets or {})
        label = (table_labels or {}).get(c.table_id or "", "")
        if q.table_ref:
            f["table"] = 1.2 if label == q.table_ref else 0.5
    if c.source == "text" and q.table_ref:
        f["table"] = 0.6
    return f


def score(q: Question, c: Candidate, facets: dict[tuple, set[str]] | None = None,
          table_labels: dict[str, str] | None = None) -> Scored:
    """The candidate's fitness in [0, ~1.2]: the product of its factors, each raised to its fitted weight
    (kg/qa/find/weights.py; all 1.0 is the plain product)."""
    f = factors(q, c, facets, table_labels)
    if f is None:
        return Scored(c, 0.0, 0.0)
    s = 1.0
    for name, v in f.items():
        s *= v ** WEIGHTS.get(name, 1.0) if v > 0 else 0.0
    return Scored(c, s, f["terms"])


def rank(q: Question, cands: list[Candidate], table_labels: dict[str, str]) -> list[Scored]:
    """Candidates best first; a value stated twice (a chunk overlap, a table and its text) is kept once."""
    facets = table_facets(cands)
    scored = [score(q, c, facets.get(c.table_id or ""), table_labels) for c in cands]
    # a concept as the question wrote it (本外币各项存款): where some values are labelled with those very words,
    # the values labelled only with another of its names (人民币存款, 住户本外币存款) come after them
    said = [t.said for t in q.terms if t.concept and t.said and len(t.said) >= 2]
    for w in said:
        if any(w in s.candidate.local for s in scored if s.score > 0):
            scored = [s if w in s.candidate.local else Scored(s.candidate, s.score * 0.93, s.terms) for s in scored]
    seen: set[tuple[str, int, int]] = set()
    out = []
    for s in sorted(scored, key=lambda x: -x.score):
        key = (s.candidate.doc_id, *s.candidate.value_span)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out
