"""Answer evaluation with exactly the rules of the question set's score.py: accuracy per category, citation hit
rate, and the two ways of being wrong about abstaining (answering the unanswerable, abstaining on the answerable)."""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from kg.errors import UsageError
from kg.types import Answer

MAX_ANSWER = {"number": 80, "entity": 80, "list": 80, "text": 200}  # characters once whitespace is removed
_SUPERSCRIPTS = re.compile("[\u00b2\u00b3\u00b9\u2070-\u209f]")
_NUMERIC = re.compile(r"[-+]?\d+(\.\d+)?%?")


def norm(s: str) -> str:
    """The scorer's normal form: no footnote superscripts, NFKC, minus and dash as '-', no whitespace."""
    s = unicodedata.normalize("NFKC", _SUPERSCRIPTS.sub("", s or "")).replace("\u2212", "-").replace("\u2014", "-")
    return re.sub(r"\s+", "", s)


def contains(answer: str, accept) -> bool:
    """An accept string is in the answer; a list is a set of alternatives; a number must stand alone."""
    if isinstance(accept, list):
        return any(contains(answer, x) for x in accept)
    a, x = norm(answer), norm(accept)
    if not x:
        return False
    if _NUMERIC.fullmatch(x):
        pat = r"(?<![\d.])" + re.escape(x) + (r"(?![\d])" if x.endswith("%") else r"(?!\.?\d)")
        return re.search(pat, a) is not None
    return x in a


def shares_run(cited: str, evidence: str, k: int = 12) -> bool:
    """The cited text shares k characters in a row with the evidence (or holds all of a shorter one)."""
    c, e = norm(cited), norm(evidence)
    if not c or not e:
        return False
    if len(e) <= k:
        return e in c
    return any(e[i:i + k] in c for i in range(len(e) - k + 1))


@dataclass(frozen=True, slots=True)
class Row:
    """One question scored."""

    id: str
    category: str
    question: str
    answer: str
    gold: str
    ok: bool
    cite_hit: bool | None  # None for unanswerable questions
    abstained: bool
    unanswerable: bool
    missing: bool  # no answer was given for this id


@dataclass(frozen=True, slots=True)
class Tally:
    """The ways a set of scored questions came out: right, answered but wrong, wrongly "not found"."""

    n: int = 0
    right: int = 0
    wrong: int = 0  # answered (not abstained) and not right; an answered unanswerable question included
    not_found: int = 0  # answerable, but the system said the corpus does not give it
    unanswerable_answered: int = 0  # unanswerable, but the system answered (also counted in wrong)
    missing: int = 0  # no answer record for the question
    cited: int = 0  # answerable questions whose citations hit the evidence
    answerable: int = 0

    @property
    def citation_hit(self) -> float:
        return self.cited / max(1, self.answerable)

    def as_dict(self) -> dict:
        return {"n": self.n, "right": self.right, "wrong": self.wrong, "not_found": self.not_found,
                "unanswerable_answered": self.unanswerable_answered, "missing": self.missing,
                "citation_hit": round(self.citation_hit, 4), "answerable": self.answerable}

    def headline(self) -> str:
        """right, answered but wrong, wrongly not found: as rates and counts."""
        n = max(1, self.n)
        return (f"right {self.right / n:.3f} ({self.right}/{self.n}), answered but wrong {self.wrong}/{self.n}, "
                f"wrongly not found {self.not_found}/{self.n}")


def tally(rows: Iterable[Row]) -> Tally:
    """Count the outcomes of scored rows."""
    n = right = wrong = not_found = una = missing = cited = answerable = 0
    for r in rows:
        n += 1
        right += r.ok
        missing += r.missing
        if not r.ok and not r.abstained:
            wrong += 1
            una += r.unanswerable
        if not r.unanswerable:
            answerable += 1
            cited += bool(r.cite_hit)
            not_found += r.abstained and not r.missing
    return Tally(n, right, wrong, not_found, una, missing, cited, answerable)


@dataclass(frozen=True, slots=True)
class Summary:
    n: int
    accuracy: float
    citation_hit: float
    missing: int
    by_category: dict[str, tuple[int, int]]  # category -> (right, total)
    false_abstentions: int  # answerable, but the system said it found nothing
    false_answers: int  # unanswerable, but the system answered
    total: Tally = Tally()
    categories: dict[str, Tally] | None = None  # category -> its tally

    def as_dict(self) -> dict:
        """The figures score.py --json prints, plus the abstention counts and a tally overall and per category."""
        return {"accuracy": self.accuracy, "n": self.n, "missing": self.missing, "citation_hit": self.citation_hit,
                "by_category": {c: f"{k}/{n}" for c, (k, n) in sorted(self.by_category.items())},
                "false_abstentions": self.false_abstentions, "false_answers": self.false_answers,
                "answered_wrong": self.total.wrong, "total": self.total.as_dict(),
                "categories": {c: t.as_dict() for c, t in sorted((self.categories or {}).items())}}


def score(questions: Sequence[dict], answers: Iterable[dict]) -> list[Row]:
    """Score answer records ({"id", "answer", "abstained", "citations": [{"text"}]}) against the questions."""
    by_id = {a["id"]: a for a in answers}
    rows = []
    for q in questions:
        a = by_id.get(q["id"], {})
        text = a.get("answer", "") or ""
        abstained = bool(a.get("abstained")) or not norm(text)
        unanswerable = q["type"] == "unanswerable"
        if unanswerable:
            ok = abstained
        else:
            hits = [contains(text, x) for x in q["accept"]]
            rejected = any(contains(text, x) for x in q.get("reject", []))
            ok = (not abstained and not rejected and len(norm(text)) <= MAX_ANSWER.get(q["type"], 200)
                  and (all(hits) if q.get("match") == "all" else any(hits)))
        cites = [c.get("text", "") for c in a.get("citations", []) or []]
        cite_hit = None if unanswerable else any(shares_run(c, e) for c in cites for e in q["evidence"])
        rows.append(Row(q["id"], q["category"], q["question"], text, q.get("answer", ""), ok, cite_hit,
                        abstained, unanswerable, q["id"] not in by_id))
    return rows


def summarise(rows: Sequence[Row]) -> Summary:
    cats: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        cats[r.category].append(r)
    total = tally(rows)
    return Summary(
        n=len(rows), accuracy=total.right / max(1, len(rows)), citation_hit=total.citation_hit,
        missing=total.missing, by_category={c: (sum(r.ok for r in rs), len(rs)) for c, rs in cats.items()},
        false_abstentions=total.not_found, false_answers=total.unanswerable_answered, total=total,
        categories={c: tally(rs) for c, rs in cats.items()})


def answer_record(qid: str, ans: Answer) -> dict:
    """The JSON line `kg ask --json` prints and score.py reads."""
    return {"id": qid, "question": ans.question, "answer": ans.text, "abstained": ans.abstained,
            "citations": [{"doc": c.doc_id, "title": c.title, "chunk_id": c.chunk_id, "start": c.start, "end": c.end,
                           "page": c.page, "text": c.text} for c in ans.citations]}


def load_jsonl(path: str | Path) -> list[dict]:
    """JSON Lines, one object a line; a bad line is an error that names the line."""
    p = Path(path)
    if not p.exists():
        raise UsageError(f"no file {p}: give a JSON Lines file")
    out = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise UsageError(f"{p}:{n}: not JSON ({e.msg})") from e
    return out


def check_questions(questions: Sequence[dict], path: str | Path = "") -> None:
    """A scored question set needs id, question, type, category, accept and evidence on every line."""
    for i, q in enumerate(questions, 1):
        missing = [k for k in ("id", "question", "type", "category", "accept", "evidence") if k not in q]
        if missing:
            raise UsageError(f"{path}:{i}: question lacks {', '.join(missing)}: the answer set format is "
                             "described in the question set's README")


def format_summary(s: Summary) -> str:
    """The headline figures, then one line per category."""
    t = s.total
    lines = [f"{t.headline()}; citation_hit {s.citation_hit:.3f}, unanswerable answered {t.unanswerable_answered}, "
             f"missing {s.missing}"]
    width = max((len(c) for c in s.categories or {}), default=8)
    for c, ct in sorted((s.categories or {}).items()):
        lines.append(f"  {c:<{width}}  n={ct.n:<4} right {ct.right:<4} wrong {ct.wrong:<4} not found "
                     f"{ct.not_found:<4} unanswerable answered {ct.unanswerable_answered:<3} citation_hit "
                     + (f"{ct.citation_hit:.3f}" if ct.answerable else "-"))
    return "\n".join(lines)


def format_misses(rows: Sequence[Row]) -> list[str]:
    out = []
    for r in rows:
        if not r.ok or r.cite_hit is False:
            why = "wrong" if not r.ok else "uncited"
            out.append(f"{why} {r.id} [{r.category}] {r.question}\n   got: {r.answer[:160]!r}\n  gold: {r.gold}")
    return out
