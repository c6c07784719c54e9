"""A question that asks several things (…是多少？…是什么文件？ / 发了多少债、投什么项目): split into asks, each
read on its own with what it leaves out (place, year, topic) taken from the asks before it."""
from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.numbers import find_periods
from kg.qa.read.followup import resolve_followup
from kg.qa.read.question import Question, analyse
from kg.qa.read.split import ASKING, split_asks

# an ask that only asks for the size of what the ask before it found (涨了多少, 减了多少, 差多少, 高还是低)
_VALUE_ONLY = re.compile(r"^(?:又|那么|那)?(?:[涨升增减降跌少多高低差]|上升|下降|增加|减少|提高|降低|相差|差距)?了?"
                         r"(?:多少|几)(?:个百分点|亿元|万亿元|个)?|^(?:是)?(?:高|多)还是(?:低|少)了?$")
_SAME_YEAR = re.compile(r"同年|当年|同期")
_FOLLOW_UP = re.compile(r"^[^，,]{0,12}呢[？?]?$")  # the previous ask with the year or place it names
_RELATIVE_YEAR = re.compile(r"今年|去年|上年|明年|本年|前年")
_OUTCOME = re.compile(r"实际|完成|实现")
_TARGET_WORD = re.compile(r"目标|预期")


def is_value_only(ask_text: str, lead: str = "") -> bool:
    """涨了多少 / 差多少 / 高还是低: asks for the size of what the previous ask compares, nothing new."""
    tail = ask_text[len(lead):].lstrip("，,") if lead and ask_text.startswith(lead) else ask_text
    return bool(_VALUE_ONLY.match(re.sub(r"[\s？?。]", "", tail)))


def read_asks(question: str, gazetteer) -> list[Question]:
    """Each ask as a Question; an ask inherits the regions, periods, table and (when it names no indicator of
    its own) the indicator words of the ask before it; 同年 takes that ask's year."""
    texts = split_asks(question)
    out: list[Question] = []
    for text in texts:
        if out and _FOLLOW_UP.search(text) and not _RELATIVE_YEAR.search(text):  # …多少？2022年呢？
            text = resolve_followup(out[-1].text, text, gazetteer)
        elif out and _FOLLOW_UP.search(text) and _OUTCOME.search(text):  # 目标是多少？去年实际产量呢？
            topic = _TARGET_WORD.sub("", _topic(out[-1].text, drop_periods=True))  # the outcome of the same thing
            text = topic + re.sub(r"呢[？?]?$", "", text) + "是多少"
        if out and out[-1].years and _SAME_YEAR.search(text):  # 同年1月 -> 2024年1月
            text = _SAME_YEAR.sub(f"{out[-1].years[0]}年", text)
        q = analyse(text, gazetteer)
        if out and _weak_terms(q):  # 在哪几个市 / 投什么项目: about the topic the ask before it named
            topic = _topic(out[-1].text, drop_periods=bool(q.periods))
            lead = text.split("，", 1)[0] + "，" if "，" in text else ""
            if lead and topic.startswith(lead):  # the shared lead (山西附录表2，) is written once
                topic = topic[len(lead):]
            q = analyse(lead + topic + text[len(lead):], gazetteer)
        if out:
            prev = out[-1]
            q = replace(q, regions=q.regions or prev.regions, periods=q.periods or prev.periods,
                        table_ref=q.table_ref or prev.table_ref)
            if _weak_terms(q):
                own = {f for x in q.terms for f in x.forms}
                q = replace(q, terms=q.terms + tuple(replace(x, weight=x.weight * 0.6, focus=False)
                                                     for x in prev.terms if not own & set(x.forms)))
        out.append(q)
    return out


def _weak_terms(q: Question) -> bool:
    """The ask names no indicator of its own (在哪几个市, 投什么项目): it is about the previous ask's topic."""
    return not any(t.concept for t in q.terms) and sum(len(t.forms[0]) for t in q.terms) <= 4


def _topic(text: str, drop_periods: bool = False) -> str:
    """What an ask is about: its words before the question word (山西的“明示…”试点 of …试点是干什么的), without
    its periods when the ask that borrows it states its own."""
    m = ASKING.search(text)
    head = text[:m.start()] if m else text
    if drop_periods:
        for p in sorted(find_periods(head), key=lambda p: -p.start):
            head = head[:p.start] + head[p.end:]
    return re.sub(r"(?:是|为|在|的|了|都|又|用|发|做|干)+$", "", head)
