"""Retrieval evaluation: Recall@1/5/20 and MRR@10 per category over a JSON Lines question set."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from kg.errors import UsageError
from kg.eval.qa import load_jsonl, norm
from kg.types import Chunk


def load_questions(path: str | Path) -> list[dict]:
    """A question set: JSON Lines with a "question" per line; ids default to q<line>."""
    out = []
    for n, q in enumerate(load_jsonl(path), 1):
        if not isinstance(q, dict) or "question" not in q:
            raise UsageError(f"{path}: item {n} needs a \"question\" field")
        q.setdefault("id", f"q{n}")
        out.append(q)
    return out


def gold_chunks(q: dict, chunks: Sequence[Chunk]) -> set[str]:
    """Chunks whose text contains one of the question's evidence strings (whitespace ignored)."""
    ev = [norm(e) for e in q.get("evidence", []) if norm(e)]
    return {c.id for c in chunks if any(e in norm(c.text) for e in ev)}


@dataclass(frozen=True, slots=True)
class RetrievalRow:
    id: str
    category: str
    gold: int  # how many gold chunks exist
    rank: int | None  # 1-based rank of the first gold chunk in the top 20


def evaluate(questions: Sequence[dict], chunks: Sequence[Chunk],
             ranker: Callable[[str], list[str]]) -> list[RetrievalRow]:
    """Rank each answerable question (ranker returns chunk ids, best first) and find its first gold hit."""
    rows = []
    for q in questions:
        if q.get("type") == "unanswerable" or not q.get("evidence"):
            continue
        gold = gold_chunks(q, chunks)
        ranked = ranker(q["question"])[:20]
        rank = next((i for i, cid in enumerate(ranked, 1) if cid in gold), None)
        rows.append(RetrievalRow(q["id"], q.get("category", "-"), len(gold), rank))
    return rows


def summarise(rows: Sequence[RetrievalRow]) -> dict[str, dict[str, float]]:
    """Recall@1/5/20 and MRR@10 overall and per category."""
    groups: dict[str, list[RetrievalRow]] = defaultdict(list)
    for r in rows:
        groups[r.category].append(r)
        groups["all"].append(r)
    out = {}
    for cat, rs in sorted(groups.items(), key=lambda kv: (kv[0] == "all", kv[0])):
        n = len(rs)
        out[cat] = {
            "n": n,
            "R@1": sum(r.rank is not None and r.rank <= 1 for r in rs) / n,
            "R@5": sum(r.rank is not None and r.rank <= 5 for r in rs) / n,
            "R@20": sum(r.rank is not None for r in rs) / n,
            "MRR@10": sum(1 / r.rank for r in rs if r.rank is not None and r.rank <= 10) / n,
        }
    return out
