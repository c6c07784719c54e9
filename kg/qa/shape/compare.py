"""Computed answers: the highest or lowest of several figures, and the difference between two."""
from __future__ import annotations

import re
from dataclasses import replace

from kg.qa.find.candidates import Candidate
from kg.qa.shape.cite import cite_candidate, unique
from kg.qa.context import QAContext
from kg.qa.find.gather import candidates, table_labels
from kg.qa.read.ground import ground
from kg.qa.read.items import side_label
from kg.qa.shape.lookup import shown
from kg.qa.find.match import Scored, rank
from kg.qa.read.periods import label as period_label, parse
from kg.qa.read.question import Question, analyse
from kg.types import Answer

_PERCENTISH = ("%", "‰", "")


def _base(q: Question) -> Question:
    """The question as a plain value lookup: what each option is compared on (its periods stay containers
    when the comparison ranges over months or quarters)."""
    return replace(q, op=None, kind="number", axis=None, candidates=(), sides=())


def _quantity(c: Candidate) -> float:
    """Comparable magnitude: 1.4万亿 and 13886亿 meet in yuan; percentages and bare cells stay as written."""
    if c.number is None:
        return float("nan")
    return c.number * (c.multiplier if c.unit not in _PERCENTISH else 1.0)


_FALLS = re.compile(r"(?:减少|下降|降低|回落|下滑|下跌|收缩|减|降|跌)(?:得|的|幅)?(?:最|更)(?:多|大|快|明显)")


def _signed(c: Candidate) -> float:
    """A change with its sign: a value the text says fell (下降0.3) is negative."""
    q = _quantity(c)
    down = c.figure is not None and c.figure.direction == "down"
    return -abs(q) if down else q


def _answer(ctx: QAContext, q: Question, text: str, used: list[Candidate], score: float, kind: str) -> Answer:
    return Answer(question=q.text, text=text, abstained=False,
                  citations=unique(cite_candidate(ctx, c) for c in used),
                  figures=tuple(c.as_figure() for c in used), kind=kind, score=score)


def extreme(q: Question, ctx: QAContext) -> tuple[Answer | None, list[Scored], list]:
    """哪个最高 / 谁更高: among the named options, or along a table row (months) or column (provinces)."""
    base = _base(q)
    extra = tuple(f"{q.text} {o.split(chr(9))[0]}" for o in q.candidates if not o[:1].isdigit())
    pool, chunks = candidates(ctx, base, extra)
    labels = table_labels(ctx)
    ranked = rank(base, pool, labels)
    floor = ctx.settings.min_value_score
    if q.candidates:
        options = []
        for o in q.candidates:
            if q.axis == "indicator":  # 城镇居民收入 / 农村居民收入: each option read as its own question
                o, text = o.split("\t", 1)
                oq = _base(ground(analyse(text, ctx.gazetteer), ctx))
                more, _ = candidates(ctx, oq)
                pool = pool + more
            elif q.axis == "region":
                oq = replace(base, regions=(o,))
            else:
                oq = replace(base, periods=(o,), within=False)
            r = [s for s in rank(oq, pool, labels) if s.score >= floor and s.candidate.number is not None]
            if not r:
                return None, ranked, chunks
            options.append((o if q.axis in ("region", "indicator") else period_label(o), r))
        # compare like with like: every option in the unit of the best-supported one (亿元 with 亿元, not 35%)
        unit = max((r[0] for _, r in options), key=lambda s: s.score).candidate.unit
        picks = []
        for lab, r in options:
            same = [s for s in r if s.candidate.unit == unit]
            if not same:
                return None, ranked, chunks
            picks.append((lab, same[0]))
    else:
        picks = _series(q, ranked, floor, ctx.gazetteer)
        if len(picks) < 2:
            return None, ranked, chunks
    if _FALLS.search(q.text):  # 减少最多 / 降幅最大: the most negative change (a 下降 figure counts as negative)
        win = (min if q.op == "max" else max)(picks, key=lambda p: _signed(p[1].candidate))
    else:
        win = (max if q.op == "max" else min)(picks, key=lambda p: _quantity(p[1].candidate))
    shown_rate = " ".join(s.candidate.sentence + s.candidate.local for _, s in picks)
    others = [f"{lab}{shown(s.candidate, shown_rate)}" for lab, s in picks if s is not win[1]]
    inner = shown(win[1].candidate, shown_rate) + ("，" + "，".join(others) if q.candidates else "")
    used = [s.candidate for _, s in picks] if q.candidates else [win[1].candidate]
    text = f"{win[0]}（{inner}）"
    if len(picks) == 2 and _BY_HOW_MUCH.search(q.text):  # 哪个高？高多少: the margin too, with its working above
        a, b = win[1].candidate, next(s.candidate for _, s in picks if s is not win[1])
        if _compatible(a, b):
            text += f"，{_margin(a, b)}"
    return _answer(ctx, q, text, used, min(s.score for _, s in picks), "comparison"), ranked, chunks


_BY_HOW_MUCH = re.compile(r"(?:高|低|多|少|快|慢|大|小|差)了?(?:多少|几)|相差|差距")


def _margin(a: Candidate, b: Candidate) -> str:
    """|a - b| in a's unit: percentage points between two rates."""
    d, unit = _delta(a, b)
    return f"相差{abs(d):g}{unit}"


def _delta(a: Candidate, b: Candidate) -> tuple[float, str]:
    """a - b, rounded to the decimals written: percentage points between two rates, else in a's unit."""
    rates = a.unit in _PERCENTISH and b.unit in _PERCENTISH
    return delta(a.number, a.multiplier, a.value, b.number, b.multiplier, b.value, rates, a.unit)


def delta(a: float, a_mult: float, a_text: str, b: float, b_mult: float, b_text: str, rates: bool,
          unit: str) -> tuple[float, str]:
    """a - b as written (values before their multipliers), rounded to the decimals written: percentage points
    between two rates, else in a's unit (1.4万亿 - 13886亿 in 万亿)."""
    d, unit = (a - b, "个百分点") if rates else ((a * a_mult - b * b_mult) / (a_mult or 1.0), unit)
    return round(d, _decimals(a_text, b_text)), unit


_ITEM_NOUN = re.compile(r"哪(?:一|几)?([类项种])")
_TOTAL = re.compile(r"合计|总计|小计|总体|总指数|全部|^其中|^全[省市州区县国盟]|本级")


def _row_series(q: Question, same_table: list[Scored], t: Candidate, gazetteer) -> list[tuple[str, Scored]]:
    """哪一类 / 广西哪个地级市: the rows of the best cell's column, each by its row label (not totals; for places,
    the rows that name a place within the one asked about)."""
    within = gazetteer.region(q.within_region) if q.within_region else None
    out: dict[str, Scored] = {}
    for s in same_table:
        c = s.candidate
        leaf = c.headers[0][-1].strip() if c.headers[0] else ""
        if c.headers[1] != t.headers[1] or c.periods != t.periods or not leaf or _TOTAL.search(leaf):
            continue
        if q.axis == "region":
            found = gazetteer.find_regions(leaf)
            r = found[0][2] if len(found) == 1 else None
            if r is None or (within is not None and (r.name == within.name or not gazetteer.is_within(r, within))):
                continue
        out.setdefault(leaf, s)
    return list(out.items()) if len(out) >= 2 else []


def _series(q: Question, ranked: list[Scored], floor: float, gazetteer) -> list[tuple[str, Scored]]:
    """The best cell's row (when months or quarters are asked) or column (provinces, items): one value per label."""
    top = next((s for s in ranked if s.candidate.source == "cell" and s.score >= floor), None)
    in_text = _sentence_series(q, ranked, floor)
    if top is None or (in_text and max(s.score for _, s in in_text) > top.score):
        return in_text
    return _cell_series(q, ranked, top, gazetteer) or in_text


def _cell_series(q: Question, ranked: list[Scored], top: Scored, gazetteer) -> list[tuple[str, Scored]]:
    t = top.candidate
    same_table = [s for s in ranked if s.candidate.table_id == t.table_id and s.candidate.number is not None]
    if q.axis in ("item", "region") and (rows := _row_series(q, same_table, t, gazetteer)):
        return rows
    # the labels run along the top cell's row (months as columns) or down its column (quarters, provinces as rows)
    for line in ([s for s in same_table if s.candidate.row == t.row],
                 [s for s in same_table if s.candidate.headers[1] == t.headers[1]]):
        out: dict[str, Scored] = {}
        for s in line:
            lab = _axis_label(q.axis, s.candidate)
            if lab:
                out.setdefault(lab, s)
        if len(out) >= 2:
            return list(out.items())
    return []


def _sentence_series(q: Question, ranked: list[Scored], floor: float) -> list[tuple[str, Scored]]:
    """四个季度分别上升6.6、0.7、2.4和0.4个百分点: the values one sentence gives along the asked axis, each with
    its own period (the extractor paired them); the best-scoring sentence that gives two or more."""
    groups: dict[tuple, dict[str, Scored]] = {}
    noun = _ITEM_NOUN.search(q.text) if q.axis == "item" else None
    bar = floor * 0.7 if noun else floor  # a sentence of 类 items, after the sentence that named the index
    for s in ranked:
        c = s.candidate
        if c.source != "text" or c.number is None or s.score < bar:
            continue
        lab = _axis_label(q.axis, c)
        if lab:
            groups.setdefault((c.doc_id, c.evidence, c.unit), {}).setdefault(lab, s)
    series = [g for g in groups.values() if len(g) >= 2]
    if noun and (named := [g for g in series if all(noun.group(1) in lab for lab in g)]):
        series = named  # 哪一类: the sentence whose items are 类 (食品烟酒类…), not two indices side by side
    else:
        series = [g for g in series if max(s.score for s in g.values()) >= floor]
    if not series:
        return []
    best = max(series, key=lambda g: max(s.score for s in g.values()))
    c0 = next(iter(best.values())).candidate
    for s in ranked:  # the sentence's other items, however few of the question's words they repeat
        c = s.candidate
        if (c.doc_id, c.evidence, c.unit) == (c0.doc_id, c0.evidence, c0.unit) and c.number is not None \
                and (lab := _axis_label(q.axis, c)):
            best.setdefault(lab, s)
    return list(best.items())


def _axis_label(axis: str | None, c: Candidate) -> str:
    """What a cell is along the asked axis: 8月, 四季度, 2019年, 河南; "" when it is not on that axis."""
    if axis == "region":
        return c.region if c.region_stated and c.region not in (None, "全国") else ""
    if axis == "item":  # 食品烟酒类下降0.9%、教育文化娱乐类上涨1.0%: each value's own item
        return c.figure.indicator if c.figure is not None and c.figure.indicator else ""
    span = parse(c.periods[0]) if c.periods else None
    if span is None:
        return ""
    n = None if span.months is None else len(span.months)
    want = {"month": 1, "quarter": 3, "year": None}.get(axis or "", -1)
    return period_label(c.periods[0]) if n == want else ""


def _decimals(*values: str) -> int:
    return max((len(v.split(".")[1]) if "." in v else 0) for v in values)


def _compatible(a: Candidate, b: Candidate) -> bool:
    """Two values a difference may be taken of: both rates, or both amounts of one kind (亿元 with 万亿元)."""
    if a.number is None or b.number is None:
        return False
    if (a.unit in _PERCENTISH) and (b.unit in _PERCENTISH):
        return True
    if a.unit in _PERCENTISH or b.unit in _PERCENTISH:
        return False
    return a.unit[-1:] == b.unit[-1:]  # 亿元 / 万亿元, 个 / 万个


def _shared_period(a: Candidate, b: Candidate) -> bool:
    return bool(set(a.periods) & set(b.periods))


def difference(q: Question, ctx: QAContext) -> tuple[Answer | None, list[Scored], list]:
    """比…低多少: subject minus baseline, each the best value for its side (possibly from two reports), the pair
    chosen among each side's best few so both are of one kind (two rates, two amounts) and, when the question
    names no period, of one period."""
    if len(q.sides) != 2:
        return None, [], []
    a_q, b_q = (_base(s) for s in q.sides)
    pool, chunks = candidates(ctx, _base(q), (a_q.text, b_q.text))
    labels = table_labels(ctx)
    ra, rb = rank(a_q, pool, labels), rank(b_q, pool, labels)
    floor = ctx.settings.min_value_score
    if not ra or not rb or ra[0].score < floor or rb[0].score < floor:
        return None, ra or rb, chunks
    pairs = []
    for sa in (s for s in ra[:6] if s.score >= floor):
        for sb in (s for s in rb[:6] if s.score >= floor):
            a, b = sa.candidate, sb.candidate
            if a.value_span == b.value_span or not _compatible(a, b):
                continue
            if a_q.target != b_q.target and (a.target != a_q.target or b.target != b_q.target):
                continue  # actual against target: each side must be the kind of figure it names
            same = 1.0 if q.periods or a_q.periods != b_q.periods or _shared_period(a, b) else 0.8
            pairs.append((sa.score * sb.score * same, sa, sb))
    if not pairs:
        return None, ra, chunks
    _, sa, sb = max(pairs, key=lambda x: x[0])
    a, b = sa.candidate, sb.candidate
    rate = a.unit in _PERCENTISH and b.unit in _PERCENTISH
    d, unit = _delta(a, b)
    more, less = _words(q.text)
    word = less if d < 0 else more
    la, lb = _side_labels(q.sides[0], q.sides[1], ctx.gazetteer)
    va, vb = (shown(a, "增速") if rate else shown(a)), (shown(b, "增速") if rate else shown(b))
    text = f"{word}{abs(d):g}{unit}（{lb}{vb}，{la}{va}）"
    return _answer(ctx, q, text, [a, b], min(sa.score, sb.score), "difference"), ra, chunks


_WORD_PAIRS = (("多", "少"), ("快", "慢"), ("大", "小"), ("高", "低"))


def _words(question: str) -> tuple[str, str]:
    """The comparative the question uses (多多少 -> 多/少; 低了多少 -> 高/低)."""
    for more, less in _WORD_PAIRS:
        if re.search(f"[{more}{less}]了?(?:多少|几)", question):
            return more, less
    return "高", "低"


def _side_labels(a: Question, b: Question, gazetteer) -> tuple[str, str]:
    if b.target and not a.target:
        return "实际", "目标"
    if a.target and not b.target:
        return "目标", "实际"
    if a.regions != b.regions and a.regions and b.regions:
        return a.regions[0], b.regions[0]
    if a.periods != b.periods and a.periods and b.periods:
        return period_label(a.periods[0]), period_label(b.periods[0])
    la, lb = side_label(a.text, gazetteer), side_label(b.text, gazetteer)
    if la and lb and la != lb:
        return la, lb
    return "", "对比"


def total(q: Question, ctx: QAContext) -> tuple[Answer | None, list[Scored], list]:
    """A和B加起来 / 2019年和2020年一共: each value looked up as for 分别, then added in the first one's unit,
    with the values as the working (合计150亿元（2019年111亿元，2020年39亿元）). Rates are not added."""
    from kg.qa.shape.lookup import lookup
    ans, ranked, chunks = lookup(replace(q, op=None), ctx)
    if ans is None or len(ans.figures) < 2:
        return None, ranked, chunks
    first = ans.figures[0]
    if any(f.unit in _PERCENTISH or f.unit in ("个百分点", "百分点") for f in ans.figures):
        return None, ranked, chunks
    from kg.extract.numbers import unit_info
    kinds = {(unit_info(f.unit) or (1.0, f.unit))[1] for f in ans.figures}
    if len(kinds) != 1:
        return None, ranked, chunks  # 亿元 and 个 do not add up
    decimals = max(len(f.text.split(".")[1]) if "." in f.text else 0 for f in ans.figures)
    s = round(sum(f.value * f.multiplier for f in ans.figures) / (first.multiplier or 1.0), decimals)
    text = f"合计{s:.{decimals}f}{first.unit}（{ans.text}）"
    return replace(ans, text=text, kind="comparison"), ranked, chunks
