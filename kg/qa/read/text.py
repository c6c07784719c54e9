"""Matching forms of text and fuzzy term matching, shared by question analysis and answer scoring."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_SUPERSCRIPTS = re.compile("[\u00b2\u00b3\u00b9\u2070-\u209f]")  # footnote markers glued to words
_SPACE = re.compile(r"\s+")
# Words analysts and reports use for the same measure: matched as one. Longest first, applied in order,
# so 增长率 is read before 增长. Only measure and negation words belong here, never subject matter.
_CANON = (("增长率", "增长"), ("增速", "增长"), ("增幅", "增长"), ("涨幅", "增长"), ("上涨", "增长"), ("比重", "占比"), ("没有", "未"), ("没", "未"),
          ("上调", "提高"), ("调高", "提高"), ("下调", "降低"), ("调低", "降低"), ("预期目标", "目标"),
          ("百分之", "%"), ("额度", "金额"), ("收回", "回收"), ("被回收", "回收"))


def norm(s: str) -> str:
    """What the scorer compares: NFKC, no footnote superscripts, no whitespace; ASCII lower-cased too."""
    s = unicodedata.normalize("NFKC", _SUPERSCRIPTS.sub("", s or "")).replace("\u2212", "-").replace("\u2014", "-")
    return _SPACE.sub("", s).lower()


@lru_cache(maxsize=65536)
def canon(s: str) -> str:
    """norm plus measure synonyms folded, for matching question words against report wording."""
    s = norm(s)
    for a, b in _CANON:
        s = s.replace(a, b)
    return s


_TARGET = re.compile(r"目标|预期(?!寿命)|计划(?!发行|单列)|拟|力争|建议")
_ACHIEVED = re.compile(r"(?:完成|实现|达成|达到)[^，,。？?；;]{0,20}?(?:目标|预期|计划)")


def mentions_target(text: str) -> bool:
    """Speaks of a target figure (增速目标, 拟安排, 建议…); 完成…目标 speaks of an outcome."""
    return bool(_TARGET.search(_ACHIEVED.sub("", text)))


@lru_cache(maxsize=16384)
def bigrams(s: str) -> tuple[str, ...]:
    return tuple(s[i:i + 2] for i in range(len(s) - 1)) if len(s) > 1 else (s,)




def contains(text: str, form: str) -> bool:
    """form occurs in text; a short ASCII form (b, gdp, m2) only as a whole word, so b is not in gdp;
    a&b: both parts occur (国内生产总值&增长 for GDP增速)."""
    if not form:
        return False
    if "&" in form:
        return all(contains(text, part) for part in form.split("&"))
    if form.isascii() and len(form) <= 3:
        return re.search(rf"(?<![a-z0-9]){re.escape(form)}(?![a-z0-9])", text) is not None
    return form in text


@dataclass(frozen=True, slots=True)
class Term:
    """A thing the question names: any one of its forms (canonical text) counts as a full match."""

    forms: tuple[str, ...]
    weight: float = 1.0
    concept: bool = False  # a gazetteer concept: partial matches count little (社融存量 is not 社融增量)
    focus: bool = False  # in the clause that asks (…省多少利息): what the answer must be about
    within: str = ""  # a concept with one character before it (利率 of 毛利率): the word it may be part of
    said: str = ""  # a concept as the question wrote it (本外币各项存款), canonical

    def __post_init__(self) -> None:
        if not self.forms or not all(self.forms):
            raise ValueError(f"Term needs non-empty forms, got {self.forms!r}")


@lru_cache(maxsize=262144)
@lru_cache(maxsize=65536)  # pure; candidates of one chunk share their sentence and its surroundings
def term_match(term: Term, text: str) -> float:
    """1 when a form occurs in text (canonical), else the share of a form's bigrams that do, discounted."""
    if any(contains(text, f) for f in term.forms):
        return 1.0
    best = 0.0
    for f in term.forms:
        f = f.split("&")[0]
        grams = bigrams(f)
        if len(grams) < 2 or f.isascii():
            continue
        best = max(best, sum(g in text for g in grams) / len(grams))
        # A long label's last four characters are its head: 国内生产总值 is a kind of 生产总值, and the
        # reports write 地区生产总值 or 全省生产总值.
        if term.concept and len(f) >= 6 and f[-4:] in text:
            best = max(best, 0.7 / 0.3)
    return min(1.0, best * (0.3 if term.concept else 0.8))


def coverage(terms: tuple[Term, ...], local: str, wide: str = "", wide_weight: float = 0.7) -> float:
    """Weighted share of the terms a candidate's context covers: its own clause (local) counts fully, the
    sentence or caption around it (wide) a little less."""
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    got = sum(t.weight * max(term_match(t, local), wide_weight * term_match(t, wide) if wide else 0.0)
              for t in terms)
    return got / total


def precision(terms: tuple[Term, ...], local: str) -> float:
    """Share of a header's characters the question accounts for: a column named 贴现/银行承兑汇票/余额 fits
    a question about 银行承兑汇票承兑余额 less well than one named 银行承兑汇票承兑/余额."""
    if not local:
        return 1.0
    covered = [False] * len(local)
    for t in terms:
        for f in t.forms:
            for g in {g for part in f.split("&") for g in bigrams(part)}:
                start = local.find(g)
                while start >= 0:
                    covered[start] = covered[start + len(g) - 1] = True
                    start = local.find(g, start + 1)
    informative = [c for c, ch in zip(covered, local) if not re.match(r"[\W\d_%a-z]", ch)]
    return sum(informative) / len(informative) if informative else 1.0
