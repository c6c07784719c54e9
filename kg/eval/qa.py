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
class Summary:
    n: int
    accuracy: float
    citation_hit: float
    missing: int
    by_category: dict[str, tuple[int, int]]  # category -> (right, total)
    false_abstentions: int  # answerable, but the system said it found nothing
    false_answers: int  # unanswerable, but the system answered

    def as_dict(self) -> dict:
        """The figures score.py --json prints, plus the abstention counts."""
        return {"accuracy": self.accuracy, "n": self.n, "missing": self.missing, "citation_hit": self.citation_hit,
                "by_category": {c: f"{k}/{n}" for c, (k, n) in sorted(self.by_category.items())},
                "false_abstentions": self.false_abstentions, "false_answers": self.false_answers}


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
    cats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        cats[r.category][0] += r.ok
        cats[r.category][1] += 1
    answerable = [r for r in rows if not r.unanswerable]
    return Summary(
        n=len(rows), accuracy=sum(r.ok for r in rows) / max(1, len(rows)),
        citation_hit=sum(bool(r.cite_hit) for r in answerable) / max(1, len(answerable)),
        missing=sum(r.missing for r in rows), by_category={c: (k, n) for c, (k, n) in cats.items()},
        false_abstentions=sum(r.abstained and not r.missing for r in answerable),
        false_answers=sum(not r.abstained for r in rows if r.unanswerable))


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
    cats = ", ".join(f"{c} {k}/{n}" for c, (k, n) in sorted(s.by_category.items()))
    return (f"accuracy {s.accuracy:.3f} ({sum(k for k, _ in s.by_category.values())}/{s.n}), citation_hit "
            f"{s.citation_hit:.3f}, false abstentions {s.false_abstentions}, false answers {s.false_answers}, "
            f"missing {s.missing}; {cats}")


def format_misses(rows: Sequence[Row]) -> list[str]:
    out = []
    for r in rows:
        if not r.ok or r.cite_hit is False:
            why = "wrong" if not r.ok else "uncited"
            out.append(f"{why} {r.id} [{r.category}] {r.question}\n   got: {r.answer[:160]!r}\n  gold: {r.gold}")
    return out
