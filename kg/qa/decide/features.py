"""Named features of one proposed answer: what the rules found, how well its citations cover the question."""
from __future__ import annotations

import math
import re

from kg.qa.read.cues import EACH, NOT_CONTENT, PARTS
from kg.qa.find.gather import table_labels
from kg.qa.find.match import factors
from kg.qa.read.split import split_asks
from kg.qa.read.text import canon

# the rules' own answer; the same with their floors off; the best passage's clause; the value closest in words;
# a plan of one lookup per listed item; another of the values ranked first (the rules may have ranked wrong)
ORIGINS = ("rules", "relaxed", "sentence", "closest", "parts", "alt")
KINDS = ("number", "entity", "list", "definition", "text", "comparison", "difference")
Q_KINDS = ("number", "entity", "list", "definition", "text")
FACTOR_NAMES = ("terms", "region", "period", "unit", "intent", "concept", "headers", "facet", "table")
FEATURES = (
    *(f"origin_{o}" for o in ORIGINS), *(f"kind_{k}" for k in KINDS), *(f"q_{k}" for k in Q_KINDS),
    "q_op", "q_regions", "q_periods", "q_table", "q_expect", "q_asks", "parts", "log_score", "has_factors",
    *(f"f_{n}" for n in FACTOR_NAMES), "margin", "cite_bigrams", "cite_chars", "answer_bigrams", "year_ok",
    "year_other", "region_ok", "answer_len", "answer_digits", "cite_rank", "cell", "citations",
    "dense_sim", "has_dense", "answer_numbers", "asks_short", "q_target", "q_per_item",
    "q_parts", "parts_short", "min_part_cover", "q_each", "number_without_digits", "answer_novelty",
    "value_rank", "agree", "proposals", "local_bigrams", "clause_bigrams", "clause_numbers", "q_len",
    "q_split", "split_short", "q_ratio", "table_doubt", "cell_doubt", "label_number",
)

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")


def numbers_in(text: str) -> frozenset[str]:
    """The numbers a text states, as written."""
    return frozenset(_NUMBER.findall(text))


def places_of(number: str, text: str) -> list[int]:
    """Where a number as written stands in text, not as the tail of a longer one (4.2 is not in 14.2 or 4.25)."""
    return [m.start() for m in re.finditer(rf"(?<![\d.]){re.escape(number)}(?![\d])", text)]


def without_vectors(row: dict) -> dict:
    """A proposal's features as a BM25-only knowledge base (or one embedded by another model) gives them."""
    out = {k: v for k, v in row.items() if k != "dense_sim"}
    out["has_dense"] = 0.0
    return out


def content(question: str) -> str:
    """The question's own words in canonical form, the asking words out."""
    return NOT_CONTENT.sub("", canon(question))


def parts(question: str) -> list[str]:
    """The parts a question asks about, in canonical form, each with at least two characters of its own."""
    return [p for p in PARTS.split(content(question)) if len(p) >= 2]


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1) if not s[i:i + 2].isdigit()}


def _recall(part: set, whole: str) -> float:
    return sum(b in whole for b in part) / len(part) if part else 0.0


def features(draft, origin: str, ctx, top=None) -> dict[str, float]:
    """One row of FEATURES for a proposed (not abstained) answer; dense_sim is left out where there are no vectors.
    top: the kg.qa.find.match.Scored the answer states, when it states one ranked value (its factors and its margin
    over the next are features)."""
    cited = canon(" ".join(c.text for c in draft.answer.citations))
    numbers = len(_NUMBER.findall(draft.answer.text))
    f = dict.fromkeys(FEATURES, 0.0)
    f.update(_shape(draft, origin, numbers))
    if top is not None:
        f.update(_value(draft, ctx, top))
    f.update(_coverage(draft, cited, numbers))
    f.update(_evidence(draft, ctx, cited))
    sim = getattr(ctx.searcher, "similarity", lambda *_: None)(draft.question.text,
                                                                [c.chunk_id for c in draft.answer.citations])
    if sim is not None:  # the e5 cosine between the question and the passage cited (hybrid knowledge bases)
        f["dense_sim"], f["has_dense"] = sim, 1.0
    else:  # BM25 only: unknown, not zero (the model reads a missing feature as its training mean)
        del f["dense_sim"]
    return f


def _shape(draft, origin: str, numbers: int) -> dict[str, float]:
    """Where the proposal came from, what kind of answer it is, what the question asks."""
    ans, q = draft.answer, draft.question
    f = {f"origin_{origin}": 1.0, f"q_{q.kind}": 1.0}
    if ans.kind in KINDS:
        f[f"kind_{ans.kind}"] = 1.0
    f["q_op"] = float(q.op is not None)
    f["q_ratio"] = float(q.ratio is not None)  # A占B的比重: stated by the report, or computed (kg.qa.decide.arith)
    f["q_regions"], f["q_periods"] = float(bool(q.regions)), float(bool(q.periods))
    f["q_table"], f["q_expect"] = float(bool(q.table_ref)), float(q.expect is not None)
    f["q_asks"] = float(min(len(q.asks), 4))
    f["q_target"], f["q_per_item"] = float(q.target), float(q.per_item)
    f["q_each"] = float(bool(EACH.search(q.text)))
    f["q_len"] = math.log1p(len(content(q.text)))
    asks = len(split_asks(q.text))  # 多少？增速呢 / 多少只，总规模: asks the text itself separates
    f["q_split"] = float(min(asks, 4))
    f["split_short"] = float(min(max(asks - max(numbers, 1), 0), 3)) if q.kind == "number" else 0.0
    f["parts"] = float(min(ans.text.count("；") + 1, 4))
    f["log_score"] = math.log(min(max(ans.score, 1e-3), 2.0))
    f["answer_len"] = math.log1p(len(ans.text))
    f["answer_digits"] = float(bool(re.search(r"\d", ans.text)))
    f["answer_numbers"] = float(min(numbers, 4))
    f["asks_short"] = float(len(q.asks) > numbers)  # 总资产和资产负债率 answered with one value: half an answer
    f["number_without_digits"] = float(q.kind == "number" and not numbers)  # 多少 answered with words only
    return f


def _value(draft, ctx, top) -> dict[str, float]:
    """The ranking factors of the value the answer states, and its margin over the next value."""
    fs = factors(draft.question, top.candidate, None, table_labels(ctx)) or {}
    f = {"has_factors": 1.0}
    c = top.candidate
    grams = _bigrams(content(draft.question.text))
    # how much of the question the value's own label (its clause, or a cell's row and column headers) and its
    # clause say, and how many numbers that clause holds (A、B、C分别增长x、y、z: pairing is at risk)
    f["local_bigrams"] = _recall(grams, canon(c.local))
    f["clause_bigrams"] = _recall(grams, canon(c.clause))
    f["clause_numbers"] = float(min(len(_NUMBER.findall(c.clause)), 8))
    place = next((i for i, s in enumerate(draft.ranked[:20]) if s is top), 20)
    f["value_rank"] = 1.0 / (1 + place)  # 1 for the value ranked first, less for those below it
    for n in FACTOR_NAMES:
        f[f"f_{n}"] = math.log(min(max(fs.get(n, 1.0), 1e-3), 2.0))
    others = [s.score for s in draft.ranked if s is not top and s.score > 0]
    f["margin"] = min(max(math.log(top.score / others[0]), 0.0), 3.0) if others and top.score > 0 else 3.0
    if c.source == "cell" and c.table_id:
        f.update(_doubt(ctx, c))
    return f


def _doubt(ctx, c) -> dict[str, float]:
    """How far a cell's table can be trusted: its self-checks' findings (ingest.table_checks: glued numbers,
    totals that are not the sum of their parts, growth columns at odds with the years, two units in a column),
    whether this cell is one they name, and whether its row label holds a number (a value shifted into it)."""
    from ingest.table_checks import check_table
    checks = ctx.cache.setdefault("table_checks", {})
    if c.table_id not in checks:
        table = next((t for t in ctx.tables if t.id == c.table_id), None)
        found = check_table(table) if table is not None else ()
        checks[c.table_id] = (len(found), {(x.start, x.end) for f in found for x in f.cells})
    n, spans = checks[c.table_id]
    return {"table_doubt": float(min(n, 3)), "cell_doubt": float(tuple(c.value_span) in spans),
            "label_number": float(any(_NUMBER.fullmatch(h.strip().rstrip("%")) for h in c.headers[0]))}


def _coverage(draft, cited: str, numbers: int) -> dict[str, float]:
    """How much of the question, and of each of its parts, the citations (canonical) and the answer say."""
    ans, q = draft.answer, draft.question
    words = content(q.text)
    grams = _bigrams(words)
    f = {"cite_bigrams": _recall(grams, cited),
         "cite_chars": _recall({ch for ch in words if "\u4e00" <= ch <= "\u9fff"}, cited),
         "answer_bigrams": _recall(grams, canon(ans.text))}
    pieces = parts(q.text)
    f["q_parts"] = float(min(len(pieces), 6))
    f["parts_short"] = float(min(max(len(pieces) - max(numbers, 1), 0), 4))
    said = cited + canon(ans.text)
    covers = [_recall(_bigrams(p), said) for p in pieces if _bigrams(p)]
    f["min_part_cover"] = min(covers) if covers else 1.0  # the part of the question the answer says least about
    said_new = _bigrams(canon(ans.text))  # what the answer adds to the question (an echo of it adds nothing)
    f["answer_novelty"] = 1.0 - _recall(said_new, canon(q.text)) if said_new else 0.0
    return f


def _evidence(draft, ctx, cited: str) -> dict[str, float]:
    """The years and places the cited passages (canonical) state, how high search ranked them, whether a table
    holds them."""
    ans, q = draft.answer, draft.question
    docs = [ctx.documents[c.doc_id] for c in ans.citations if c.doc_id in ctx.documents]
    years = set(q.years)
    written = {int(y) for y in _YEAR.findall(cited)}
    stated = written | {ctx.data_years.get(d.id) for d in docs} - {None}
    f = {"year_ok": float(not years or bool(years & stated)),
         "year_other": float(bool(years) and bool(written - years)),
         "region_ok": float(not q.regions or any(r in cited or any(r == d.region for d in docs) for r in q.regions))}
    ids = [c.id for c in draft.chunks]
    ranks = [ids.index(c.chunk_id) for c in ans.citations if c.chunk_id in ids]
    f["cite_rank"] = 1.0 / (1 + min(ranks)) if ranks else 0.0
    f["cell"] = float(any(ctx.chunks.get(c.chunk_id) is not None and ctx.chunks[c.chunk_id].table_id
                          for c in ans.citations))
    f["citations"] = float(min(len(ans.citations), 4))
    return f
