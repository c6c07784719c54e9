"""A question that lists items in one clause (商圈和夜间消费聚集区多少个; 五星级饭店、四星级饭店和等级民宿目标) run as a
plan: one lookup per item, the question's other words shared, and the answers joined, each with its citations;
the plan is whole only when every item is answered."""
from __future__ import annotations

import re
from typing import Callable

from kg.extract.numbers import find_periods
from kg.qa.read.cues import EACH
from kg.types import Answer

_SEP = re.compile(r"、|和|与|及")
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
MAX_ITEM = 12  # characters: an item is a name, not a clause


def _run(text: str, start: int, step: int) -> int:
    """Where the run of word characters from start ends (step -1: to the left), within the clause."""
    i = start
    if step < 0:
        while i > 0 and _WORD.match(text[i - 1]):
            i -= 1
    else:
        while i < len(text) and _WORD.match(text[i]):
            i += 1
    return i


def items(question: str, known: Callable[[str], bool], gazetteer) -> list[str]:
    """One question per item of the first list in a clause, the words before and after the list shared; [] when
    the question lists no items, or they are places or periods (those are read one by one elsewhere). known(s):
    the reports write s; it bounds the first item on the left and the last on the right."""
    seps = list(_SEP.finditer(question))
    if not seps:
        return []
    first = seps[0]
    # the separators of one list: consecutive, each with a short run of word characters between
    chain = [first]
    for m in seps[1:]:
        gap = question[chain[-1].end():m.start()]
        if 2 <= len(gap) <= MAX_ITEM and all(_WORD.match(c) for c in gap):
            chain.append(m)
        else:
            break
    left_end, right_start = first.start(), chain[-1].end()
    lo, hi = _run(question, left_end, -1), _run(question, right_start, 1)
    head = next((question[k:left_end] for k in range(max(lo, left_end - MAX_ITEM), left_end - 1)
                 if known(question[k:left_end])), None)
    tail = next((question[right_start:k] for k in range(min(hi, right_start + MAX_ITEM), right_start + 1, -1)
                 if known(question[right_start:k])), None)
    if head is None or tail is None:
        return []
    middle = [question[a.end():b.start()] for a, b in zip(chain, chain[1:])]
    names = [head, *middle, tail]
    if any(gazetteer.find_regions(n) or find_periods(n) for n in names):
        return []
    before, after = question[:left_end - len(head)], question[right_start + len(tail):]
    after = EACH.sub("", after)  # …各力争完成多少: each item's question asks for its one value
    return [f"{before}{n}{after}" for n in names]


def run_plan(question: str, known: Callable[[str], bool], gazetteer, answer: Callable[[str], Answer]) -> Answer | None:
    """Each item's question answered; the answers joined (…；…) with every citation, or None when an item finds
    nothing (a partial answer is never presented as whole)."""
    asks = items(question, known, gazetteer)
    if len(asks) < 2:
        return None
    parts = [answer(a) for a in asks]
    if any(p.abstained for p in parts):
        return None
    from kg.qa.shape.cite import unique
    return Answer(question=question, text="；".join(p.text for p in parts), abstained=False,
                  citations=unique(c for p in parts for c in p.citations),
                  figures=tuple(f for p in parts for f in p.figures), kind="text", score=min(p.score for p in parts))
