"""An analyst's verdict on one answer, kept as a labelled example: the question, the request as it was read, every
proposed answer with its features at the time, what was shown, and the analyst's choice (the shown answer is
right; the right one is this passage, cell or text; the reports do not hold it). The same example is a question
in the question-file format (`kg feedback --export`) and a labelled question for `kg fit`.

Pure: no I/O. The knowledge base stores these (kg.kb.store), the front ends make them (kg.service.feedback)."""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass

VERDICTS = ("right", "wrong", "absent")  # the shown answer is right / wrong / the reports do not hold the answer
MAX_TEXT = 500  # characters of the analyst's own answer
MAX_EVIDENCE = 4  # passages or cells chosen as the right evidence


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of an ingested report the analyst points at: Document.text[start:end] == text."""

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Feedback:
    id: str
    question: str  # as read (a follow-up with the question before it)
    shown: str  # the answer text the analyst saw
    verdict: str  # VERDICTS
    answer: str  # the right answer in the analyst's words ("" when the shown one is right, or absent)
    evidence: tuple[Evidence, ...]  # where the right answer is (the shown answer's citations when right)
    request: dict  # the question as read (kg.qa.read.question.Question, empty fields left out)
    proposals: tuple[tuple[dict, str], ...]  # every proposed answer: (features, text) at the time
    created: float
    kind: str = "number"  # what the question asks for: number, entity, list, definition, text

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, got {self.verdict!r}")
        if self.verdict == "wrong" and not (self.answer.strip() or self.evidence):
            raise ValueError("a wrong answer needs the right one: its text, or the passage or cell that holds it")
        if len(self.answer) > MAX_TEXT or len(self.evidence) > MAX_EVIDENCE:
            raise ValueError(f"at most {MAX_TEXT} characters of answer and {MAX_EVIDENCE} evidence spans")

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.doc_id for e in self.evidence))

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Feedback":
        d = json.loads(text)
        d["evidence"] = tuple(Evidence(**e) for e in d["evidence"])
        d["proposals"] = tuple((r, t) for r, t in d["proposals"])
        return cls(**d)


def new_id(question: str, shown: str, created: float) -> str:
    return "fb-" + hashlib.sha1(f"{question}\n{shown}\n{created!r}".encode("utf-8")).hexdigest()[:12]


def make(question: str, shown: str, verdict: str, request: dict, proposals, evidence=(), answer: str = "",
         kind: str = "number", created: float | None = None) -> Feedback:
    created = time.time() if created is None else created
    return Feedback(new_id(question, shown, created), question, shown, verdict, answer.strip(), tuple(evidence),
                    request, tuple(proposals), created, kind)


def _accepts(text: str) -> list:
    """The strings a right answer must contain: its numbers (as written, with the thousands separators dropped
    as an alternative), or for an answer with no number the answer itself."""
    from kg.qa.decide.features import numbers_in
    nums = sorted(numbers_in(text), key=text.find)
    if not nums:
        return [text.strip()] if text.strip() else []
    return [sorted({n, n.replace(",", "")}) if "," in n else n for n in nums]


def record(fb: Feedback, doc_names: dict[str, str] | None = None) -> dict:
    """The example as a question in the question-file format (../shared/eval/README.md): the right answer's
    numbers (or words) to accept, the evidence spans, the reports' file names (doc_names: doc id -> source name)."""
    names = doc_names or {}
    docs = [names.get(d, d) for d in fb.doc_ids]
    base = {"id": fb.id, "question": fb.question, "doc": docs, "evidence": [e.text for e in fb.evidence],
            "note": f"feedback {fb.verdict}: shown {fb.shown[:60]}"}
    if fb.verdict == "absent":
        return {**base, "answer": "报告未提供", "accept": [], "match": "any", "type": "unanswerable",
                "category": "unanswerable"}
    right = fb.shown if fb.verdict == "right" else (fb.answer or " ".join(e.text for e in fb.evidence))
    kind = fb.kind if fb.kind in ("number", "entity", "list", "text") else "text"
    return {**base, "answer": right, "accept": _accepts(right), "match": "all", "type": kind, "category": "fact"}


def labelled(fb: Feedback):
    """The example as kg.qa.decide.fit.Labelled: each stored proposal right or not by the scorer's rules against
    record(fb), so a refit needs no run of the engine."""
    from kg.qa.decide.fit import Labelled, judge
    rec = record(fb)
    return Labelled(fb.id, fb.verdict == "absent", tuple((row, judge(rec, text)) for row, text in fb.proposals))
