"""A level's companion: the growth rate a report states with it (地区生产总值13902.67亿元，比上年增长4.7%; a table
row's 比上年增长% column). It answers a follow-up ask that names only a change (…多少亿元，比上年增长多少 /
增长还是下降), and goes with a level asked with no measure (西安2025年GDP), as an analyst reads it."""
from __future__ import annotations

import re

from kg.extract.numbers import unit_end
from kg.qa.find.candidates import Candidate
from kg.qa.read.text import canon

# what sits between a level and its growth in one sentence: its unit, a comma, the base, the verb
_LINK = re.compile(r"^[，,、\s]*(?:按[^，,。；;]{2,8}计算[，,]?)?(?:比上年同期|较上年同期|比上年末|较上年末|比上年|较上年|比去年"
                   r"|同比)?名?义?(增长|下降|减少|提高|回落|上涨|增加|下滑)\s*$")
_GROWTH_HEADER = re.compile(r"增长|增速|增幅|增减|比上年|同比|较上年")
# an ask that names only a change of what the ask before it found: 比上年增长多少 / 增长还是下降 / 增速多少
_CHANGE_ONLY = re.compile(r"^(?:比上年|较上年|比去年|同比|较去年)?(?:是)?(?:增长|增速|增幅|涨幅|增减|下降|减少)"
                          r"(?:了|率|幅度)?(?:是|为)?(?:多少|几|还是下降|还是减少|还是增长|怎样|如何)?(?:个百分点|%)?$")
_MEASURE_ASKED = re.compile(r"增长|增速|增幅|涨幅|同比|环比|下降|减少|提高|降低|上升|回落|比重|占比|比例|率|%|百分点"
                            r"|目标|预期|计划|人均|平均|年均")


def change_only(ask_tail: str) -> bool:
    """The words of an ask after the shared lead name only a change (增长多少), no indicator of their own."""
    return bool(_CHANGE_ONLY.match(re.sub(r"[\s？?。，,（）()]|表\d+(?:-\d+)?", "", ask_tail)))


def measure_asked(question: str) -> bool:
    """Whether the question says which measure it wants (增长, 占比, 目标…); a bare level question does not."""
    return bool(_MEASURE_ASKED.search(question))


def companion(c: Candidate, pool: list[Candidate], doc_text: str) -> tuple[Candidate, str] | None:
    """The growth stated with level c and how it reads (增长4.7% / 下降6.5%), or None when there is no single one."""
    if c.unit == "%" or c.measure != "level":
        return None
    if c.source == "cell":
        if _GROWTH_HEADER.search(canon(" ".join(c.headers[1]))):
            return None
        row = [x for x in pool if x.table_id == c.table_id and x.row == c.row and x.value_span != c.value_span
               and x.unit == "%" and _GROWTH_HEADER.search(canon(" ".join(x.headers[1])))
               and set(x.periods) == set(c.periods)]
        if len(row) != 1 or row[0].number is None:
            return None
        x = row[0]
        return x, (f"下降{x.value.lstrip('-')}%" if x.value.startswith("-") else f"增长{x.value}%")
    end = unit_end(doc_text, c.value_span[1], c.unit)
    after = [x for x in pool if x.doc_id == c.doc_id and x.source == "text" and x.unit == "%"
             and end <= x.value_span[0] <= end + 24]
    for x in sorted(after, key=lambda x: x.value_span[0]):
        if m := _LINK.match(doc_text[end:x.value_span[0]]):
            return x, f"{m.group(1)}{x.display()}"
    return None
