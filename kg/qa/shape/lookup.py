"""Value answers: one figure, one per named period or region (各 / 分别), one per ask, or a table row's split."""
from __future__ import annotations

import re
from dataclasses import replace

from kg.qa.find.candidates import Candidate
from kg.qa.find.companion import change_only, companion, measure_asked
from kg.qa.shape.cite import cite_candidate, unique
from kg.qa.context import QAContext
from kg.qa.find.gather import candidates, table_labels
from kg.qa.find.match import Scored, rank
from kg.qa.read.periods import label as period_label
from kg.qa.read.question import Question
from kg.qa.read.text import canon, term_match
from kg.types import Answer

_SPLIT_WORDS = re.compile(r"怎么分|如何分|怎么划分|如何划分|各占|分成|分配比例|划分比例")
_RATE_WORDS = re.compile(r"比例|占比|比重|增速|增长率|增幅")


def wants_row(q: Question) -> bool:
    """省和市县间怎么分 / 系数B和显著性各是多少: several cells of one table row answer together."""
    return bool(_SPLIT_WORDS.search(q.text)) or (q.per_item and len(q.periods) <= 1 and len(q.regions) <= 1)


def best(q: Question, pool: list[Candidate], labels: dict[str, str]) -> Scored | None:
    ranked = rank(q, pool, labels)
    return ranked[0] if ranked else None


def shown(c: Candidate, rate_context: str = "") -> str:
    """The value as stated; a bare cell of a table of rates or shares reads as a percentage."""
    if not c.unit and c.source == "cell" and _RATE_WORDS.search(rate_context or c.sentence + c.local):
        return f"{c.value}%"
    return c.display()


def value_answer(ctx: QAContext, q: Question, picks: list[tuple[str, Scored]], kind: str = "number") -> Answer:
    """One or more picked values: "3759.8亿元", or "2019年111亿元，2020年39亿元" with labels."""
    text = "，".join(f"{lab}{shown(s.candidate)}" for lab, s in picks)
    cites = unique(cite_candidate(ctx, s.candidate) for _, s in picks)
    figures = tuple(s.candidate.as_figure() for _, s in picks)
    return Answer(question=q.text, text=text, abstained=False, citations=cites,
                  figures=figures if len(figures) > 1 else (), kind=kind, score=min(s.score for _, s in picks))


def lookup(q: Question, ctx: QAContext) -> tuple[Answer | None, list[Scored], list]:
    """The best value answer, the ranked candidates (for abstention messages) and the passages read."""
    labels = table_labels(ctx)
    extra = tuple(a.text for a in q.asks)
    pool, chunks = candidates(ctx, q, extra)
    ranked = rank(q, pool, labels)
    floor = ctx.settings.min_value_score
    if not ranked:
        return None, ranked, chunks
    if q.per_item and len(q.periods) > 1:
        picks = [(period_label(p), best(replace(q, periods=(p,)), pool, labels)) for p in q.periods]
        return _all_or_none(ctx, q, picks, floor), ranked, chunks
    if q.per_item and len(q.regions) > 1:
        picks = [(r, best(replace(q, regions=(r,)), pool, labels)) for r in q.regions]
        return _all_or_none(ctx, q, picks, floor), ranked, chunks
    top = ranked[0]
    if wants_row(q) and top.candidate.source == "cell" and top.score >= floor:
        row = _row_answer(ctx, q, top, pool)
        if row is not None:
            return row, ranked, chunks
    if q.asks:
        picks: list[tuple[str, Scored | None]] = []
        for ask in q.asks:
            picks.append(_ask_pick(ctx, ask, pool, labels, picks))
        if all(s is not None and s.score >= floor for _, s in picks):
            return value_answer(ctx, q, [(lab or a.label, s) for a, (lab, s) in zip(q.asks, picks)]), ranked, chunks
        if not q.joined:
            return None, ranked, chunks  # one value for a question that asks two would answer only half of it
    if top.score < max(floor, ctx.settings.min_single_value_score):
        return None, ranked, chunks
    if not measure_asked(q.text) and (comp := companion(top.candidate, pool, ctx.documents[top.candidate.doc_id].text)):
        # 西安2025年GDP: the level with the growth stated beside it
        return value_answer(ctx, q, [("", top), (comp[1][:2], _as_shown(comp[0], top))]), ranked, chunks
    return value_answer(ctx, q, [("", top)]), ranked, chunks


def _as_shown(c: Candidate, by: Scored) -> Scored:
    """A companion growth as its reading states it (下降 6.5%: the sign is in the word)."""
    return Scored(replace(c, value=c.value.lstrip("-")), by.score, by.terms)


def _all_or_none(ctx: QAContext, q: Question, picks: list[tuple[str, Scored | None]], floor: float) -> Answer | None:
    if any(s is None or s.score < floor for _, s in picks):
        return None
    return value_answer(ctx, q, picks)  # type: ignore[arg-type]


def _ask_pick(ctx: QAContext, ask: Question, pool: list[Candidate], labels: dict[str, str],
              earlier: list[tuple[str, Scored | None]]) -> tuple[str, Scored | None]:
    """An ask's label and best value; an ask that names only a change (比上年增长多少) takes the growth stated
    with the value before it; after a cell, the same table row is preferred (…额度多少，占…比重是多少). A value
    an earlier ask took is not taken again: two asks are two things (支出多少，收入总计多少 is not one figure twice)."""
    prev_s = next((s for _, s in reversed(earlier) if s is not None), None)
    prev = prev_s.candidate if prev_s is not None else None
    if prev is not None and change_only(ask.text.rsplit("，", 1)[-1]):
        if comp := companion(prev, pool, ctx.documents[prev.doc_id].text):
            return comp[1][:2], _as_shown(comp[0], prev_s)
    taken = {(s.candidate.doc_id, s.candidate.value_span) for _, s in earlier if s is not None}
    ranked = [s for s in rank(ask, pool, labels) if (s.candidate.doc_id, s.candidate.value_span) not in taken]
    if not ranked:
        return "", None
    if prev is not None and prev.row is not None:
        same = [s for s in ranked if s.candidate.table_id == prev.table_id and s.candidate.row == prev.row
                and s.candidate.value_span != prev.value_span]
        if same and same[0].score >= 0.7 * ranked[0].score:
            return "", same[0]
    return "", ranked[0]


def _row_answer(ctx: QAContext, q: Question, top: Scored, pool: list[Candidate]) -> Answer | None:
    """Every cell of the top cell's row whose column the question names: 省30%、市70% / B 0.016、显著性 0.015."""
    c0 = top.candidate
    row = sorted((c for c in pool if c.table_id == c0.table_id and c.row == c0.row), key=lambda c: c.value_span)

    def named(c: Candidate, whole: bool) -> bool:
        col = canon(" ".join(c.headers[1] if whole else c.headers[1][-1:]))
        return bool(col) and max((term_match(t, col) for t in q.terms), default=0) >= 0.99
    # the columns the question names by their own header (B, 显著性), else by a group header (改革前 → 省, 市)
    picked = [c for c in row if named(c, False)]
    if len(picked) < 2:
        picked = [c for c in row if named(c, True)]
    if len(picked) < 2:
        return None
    parts = []
    for c in picked:
        name = c.headers[1][-1] if c.headers[1] else ""
        parts.append(f"{name}{' ' if name.isascii() else ''}{shown(c, c.sentence + c.local)}")
    cites = unique(cite_candidate(ctx, c) for c in picked)
    return Answer(question=q.text, text="、".join(parts), abstained=False, citations=cites,
                  figures=tuple(c.as_figure() for c in picked), kind="number", score=top.score)
