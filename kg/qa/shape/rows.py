"""Which rows of a table hold a value: `GDP目标定在5.5%的有哪些省`, `哪个省一般公共预算收入目标为10%`. The
question names the value; the rows are read from the column the question's words and period pick."""
from __future__ import annotations

import re
from collections import defaultdict

from kg.qa.shape.cite import cite_candidate, unique
from kg.qa.context import QAContext
from kg.qa.find.gather import cell_candidates_for, table_labels, tables_for
from kg.qa.find.match import rank
from kg.qa.read.question import Question, prepare
from kg.types import Answer

# the value a row must hold: 定在5.5% / 为10% / 是6个百分点 / 达到5%; not a year, month or table number
_VALUE = re.compile(r"(?:定在|定为|设为|为|是|在|达到|等于)\s*(\d+(?:\.\d+)?)\s*(%|％|个百分点)?(?![\d年月季号日])")
_WHICH = re.compile(r"哪些|哪几|哪个|哪一个|哪家|有几个|哪(?:[一二三四五六七八九十\d]+)个?")
_LIST_MAX = 80


def asked_value(question: str) -> float | None:
    if not _WHICH.search(question):
        return None
    m = _VALUE.search(prepare(question))
    return float(m.group(1)) if m else None


def rows_answer(q: Question, ctx: QAContext) -> Answer | None:
    """The row labels (a region, else the last row header) of the cells equal to the asked value, in the table
    and column that best fit the question; None when the question names no value or no column holds it."""
    value = asked_value(q.text)
    if value is None:
        return None
    pool = cell_candidates_for(ctx, tables_for(ctx, q))
    ranked = rank(q, pool, table_labels(ctx))
    floor = ctx.settings.min_value_score * 0.8
    # the column the question is about: where its best-fitting cells are, whatever their value
    columns: dict[tuple, list] = defaultdict(list)
    for s in ranked:
        c = s.candidate
        if s.score >= floor and c.table_id:
            columns[(c.table_id, c.headers[1])].append(s)
    best = None
    for key, cells in columns.items():
        hits = [s for s in cells if s.candidate.number is not None and abs(s.candidate.number - value) < 1e-9]
        if hits:
            fit = sum(s.score for s in cells) / len(cells)
            if best is None or fit > best[0]:
                best = (fit, hits)
    if best is None:
        return None
    fit, hits = best
    labels, used = [], []
    for s in sorted(hits, key=lambda s: s.candidate.value_span):
        c = s.candidate
        label = c.region if c.region_stated and c.region else (c.headers[0][-1] if c.headers[0] else "")
        if label and label not in labels:
            labels.append(label)
            used.append(c)
    if not labels:
        return None
    text = "、".join(labels)[:_LIST_MAX]
    return Answer(question=q.text, text=text, abstained=False, citations=unique(cite_candidate(ctx, c) for c in used),
                  figures=tuple(c.as_figure() for c in used), kind="list", score=fit)
