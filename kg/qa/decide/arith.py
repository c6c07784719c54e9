"""Answers computed from two figures: a difference (A比B高多少), a share (A占B的比重, B中A占比) or a multiple (A是B
的几倍). Each figure is decided as a question of its own (the sides the question was read into, each with its
proposals and the fitted model's likeliest), the arithmetic is done on the two, and the answer shows its working;
its P(right) is the product of the two figures' P(right), as for any answer composed of parts (compose.py). The
reports may state the share or the change themselves: that lookup stays a proposal, and the likelier one wins."""
from __future__ import annotations

from typing import Callable

from kg.extract.numbers import Quantity, find_quantities
from kg.types import Answer

_RATES = ("percent", "pp")


def _one_value(answer: Answer) -> Quantity | None:
    """The one quantity an answer states (None when it states none or several)."""
    qs = find_quantities(answer.text)
    return qs[0] if len(qs) == 1 else None


def _amount(v: Quantity) -> float:
    return v.value * v.multiplier


def _share(a: Quantity, b: Quantity, multiple: bool) -> str | None:
    """A÷B as a percentage (约36.8%, with the working to two decimals) or a multiple (约2.11倍); None when the two
    are not amounts of one kind (a rate, or 亿元 against 个)."""
    if a.kind in _RATES or b.kind in _RATES or a.kind != b.kind or _amount(b) == 0:
        return None
    r = _amount(a) / _amount(b)
    if multiple:
        return f"约{r:.2f}倍（{a.text}{a.unit}÷{b.text}{b.unit}）"
    return f"约{100 * r:.1f}%（{a.text}{a.unit}÷{b.text}{b.unit}={100 * r:.2f}%）"


def _difference(q, a: Quantity, b: Quantity, gazetteer) -> str | None:
    """A − B in the words the question uses (高/低, 多/少…): percentage points between two rates, else A's unit."""
    from kg.qa.shape.compare import _side_labels, _words, delta
    if a.kind != b.kind:
        return None
    d, unit = delta(a.value, a.multiplier, a.text, b.value, b.multiplier, b.text, a.kind == "percent", a.unit)
    more, less = _words(q.text)
    la, lb = _side_labels(q.sides[0], q.sides[1], gazetteer)
    return f"{less if d < 0 else more}{abs(d):g}{unit}（{lb}{b.text}{b.unit}，{la}{a.text}{a.unit}）"


def computed(q, ctx, p_right: Callable[[dict], float], relaxed_ctx) -> tuple[float, Answer] | None:
    """(P(right), Answer) of a difference or ratio question computed from its two sides' likeliest figures, or
    None when it is neither, a side finds no single figure, both sides find the same one, or the two figures do
    not combine (a rate against an amount)."""
    from kg.qa.decide.compose import _part_proposals
    from kg.qa.shape.cite import unique
    if len(q.sides) != 2 or not (q.op == "diff" or q.ratio):
        return None
    options = []
    for side in q.sides:
        props = [(p_right(p.row), p) for p in _part_proposals(side, ctx, relaxed_ctx)]
        props = sorted(((pr, p.draft.answer, v) for pr, p in props if (v := _one_value(p.draft.answer)) is not None),
                       key=lambda x: -x[0])
        if not props:
            return None
        options.append(props)
    # the two sides are two figures: the side whose likeliest figure is likelier keeps it, the other takes its
    # likeliest different figure (旅游收入 read with the words of 政府债券净融资 it inherited ranks that first)
    first = 0 if options[0][0][0] >= options[1][0][0] else 1
    taken = options[first][0]
    rest = [o for o in options[1 - first] if (o[2].value, o[2].unit) != (taken[2].value, taken[2].unit)]
    if not rest:
        return None
    picks = [taken, rest[0]] if first == 0 else [rest[0], taken]
    (pa, ans_a, a), (pb, ans_b, b) = picks
    text = _difference(q, a, b, ctx.gazetteer) if q.op == "diff" else _share(a, b, q.ratio == "multiple")
    if text is None:
        return None
    p = pa * pb
    return p, Answer(question=q.text, text=text, abstained=False,
                     citations=unique([*ans_a.citations, *ans_b.citations]),
                     figures=(*ans_a.figures, *ans_b.figures), kind="difference" if q.op == "diff" else "number",
                     score=p)
