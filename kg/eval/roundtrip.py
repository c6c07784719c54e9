"""The round trip over generated questions: answer each, then count right (value and cited passage), answered but
wrong and "not found", per document, per category and per split; and sort the failures into classes."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Sequence

from kg.eval.qa import MAX_ANSWER, Row, Tally, contains, norm, score, tally
from kg.types import Figure


@dataclass(frozen=True, slots=True)
class Outcome:
    """A generated question scored: right means the value is in the answer and a citation holds the passage."""

    question: dict
    row: Row  # row.ok is the round-trip verdict (value and citation)
    value_ok: bool  # the value alone was right (the citation may have missed)
    failure: str = ""  # class of failure, "" when right


def roundtrip(questions: Sequence[dict], records: Iterable[dict], figures: Sequence[Figure] = ()) -> list[Outcome]:
    """Score answer records ({"id", "answer", "abstained", "citations"}) against generated questions; with the
    knowledge base's figures, a failure is classed by what the answered figure differs in."""
    records = list(records)
    by_id = {r["id"]: r for r in records}
    figs = Figures(figures)
    out = []
    for q, r in zip(questions, score(questions, records)):
        ok = r.ok and bool(r.cite_hit)
        row = replace(r, ok=ok)
        out.append(Outcome(q, row, r.ok, "" if ok else failure_class(q, by_id.get(q["id"], {}), r, figs)))
    return out


class Figures:
    """Figures by id and by document, to find which figure an answer gave."""

    def __init__(self, figures: Sequence[Figure]) -> None:
        self.by_id = {f.id: f for f in figures}
        self.by_doc: dict[str, list[Figure]] = defaultdict(list)
        for f in figures:
            self.by_doc[f.doc_id].append(f)

    def answered(self, rec: dict) -> Figure | None:
        """The figure inside a cited span whose value the answer states (the first citation's first)."""
        answer = rec.get("answer", "")
        for c in rec.get("citations", []) or []:
            for f in self.by_doc.get(c.get("doc", ""), ()):
                if c.get("start", 0) <= f.start and f.end <= c.get("end", 0) and contains(answer, f.text.strip()):
                    return f
        return None


def _differs(asked: Figure, got: Figure) -> str:
    parts = [name for name, a, b in (("period", asked.period, got.period), ("region", asked.region, got.region),
                                     ("measure", asked.measure, got.measure),
                                     ("indicator", re.sub(r"\s+", "", asked.indicator),
                                      re.sub(r"\s+", "", got.indicator))) if a != b]
    return "+".join(parts) or "nothing (same key, other value)"


def failure_class(q: dict, rec: dict, row: Row, figs: Figures | None = None) -> str:
    """Why a generated question failed, from the answer and what it cites (heuristic, for reading the misses)."""
    if row.abstained:
        return "not found"
    if row.ok:
        return "right value, other passage cited"
    if q["category"] == "definition":
        return "definition: right passage, answer lacks the defining clause" if row.cite_hit \
            else "definition: another passage"
    docs = {c.get("doc") for c in rec.get("citations", []) or []}
    if q.get("doc_id") and docs and q["doc_id"] not in docs:
        return "another document"
    if len(norm(row.answer)) > MAX_ANSWER.get(q["type"], 200):
        return "answer too long"
    asked = figs.by_id.get(q.get("fact", "")) if figs else None
    got = figs.answered(rec) if figs else None
    if asked is None or got is None:
        return "answer is no figure of the cited passage"
    if asked.table_id and got.table_id == asked.table_id:
        where = "same row" if got.row_header == asked.row_header else \
            "same column" if got.col_header == asked.col_header else "other cell"
        return f"right table, {where}; differs in {_differs(asked, got)}"
    return f"{'a sentence' if not got.table_id else 'another table'}; differs in {_differs(asked, got)}"


@dataclass(frozen=True, slots=True)
class Report:
    total: Tally
    by_doc: dict[str, Tally]
    by_category: dict[str, Tally]
    by_split: dict[str, Tally]
    failures: Counter  # failure class -> count
    value_right: int  # value right whatever was cited

    def as_dict(self) -> dict:
        return {"total": self.total.as_dict(), "value_right": self.value_right,
                "by_doc": {k: t.as_dict() for k, t in sorted(self.by_doc.items())},
                "by_category": {k: t.as_dict() for k, t in sorted(self.by_category.items())},
                "by_split": {k: t.as_dict() for k, t in sorted(self.by_split.items())},
                "failures": dict(self.failures.most_common())}


def report(outcomes: Sequence[Outcome]) -> Report:
    groups: dict[str, dict[str, list[Row]]] = {"doc": defaultdict(list), "cat": defaultdict(list),
                                               "split": defaultdict(list), "period": defaultdict(list)}
    for o in outcomes:
        groups["doc"][o.question["doc"][0]].append(o.row)
        groups["cat"][o.question["category"]].append(o.row)
        groups["split"][o.question.get("split", "")].append(o.row)
        if o.question["category"] == "fact":
            stated = "year written" if o.question.get("period_stated", True) else "year from context"
            groups["period"][f"fact, {stated}"].append(o.row)
    t = {g: {k: tally(rs) for k, rs in d.items()} for g, d in groups.items()}
    return Report(tally(o.row for o in outcomes), t["doc"], {**t["cat"], **t["period"]}, t["split"],
                  Counter(o.failure for o in outcomes if o.failure), sum(o.value_ok for o in outcomes))


def format_report(r: Report) -> str:
    lines = [f"overall   {r.total.headline()}; value right (any citation) {r.value_right}/{r.total.n}"]
    for title, part in (("report", r.by_doc), ("category", r.by_category), ("split", r.by_split)):
        for k, t in sorted(part.items()):
            lines.append(f"{title:<9} {k}: {t.headline()}")
    if r.failures:
        lines.append("failures: " + "; ".join(f"{k} {n}" for k, n in r.failures.most_common()))
    return "\n".join(lines)


def format_failures(outcomes: Sequence[Outcome]) -> list[str]:
    out = []
    for o in outcomes:
        if o.failure:
            q = o.question
            out.append(f"{o.failure} | {q['id']} [{q['category']}] {q['question']}\n   got: {o.row.answer[:120]!r}\n"
                       f"  gold: {q['answer']} | {q['evidence'][0][:80]!r}")
    return out


def run(questions: Sequence[dict], answer: Callable[[str], dict], figures: Sequence[Figure] = ()) -> list[Outcome]:
    """Answer every question with answer(question) -> answer record, then score the round trip."""
    return roundtrip(questions, [{**answer(q["question"]), "id": q["id"]} for q in questions], figures)


__all__ = ["Outcome", "Report", "contains", "format_failures", "format_report", "report", "roundtrip", "run"]
