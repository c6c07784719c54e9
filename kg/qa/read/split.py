"""Where a question asks several things: clauses that each carry their own question word (…？…？, 发了多少债、投什么项目).
One splitter for question analysis and for compound answers."""
from __future__ import annotations

import re

from kg.qa.read.asked_periods import prepare
from kg.qa.read.cues import COUNTING, QUALIFIER

# what makes a clause a question of its own
ASKING = re.compile(r"多少|什么|哪|几|怎么|如何|怎样|是否|还是|吗|谁|何时|为何|为什么|呢$")
_HARD = re.compile(r"[？?；;]")
_SOFT = re.compile(r"[，,、]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")  # 增长多少 比全国高多少: a space too
_TOPIC = re.compile(r"^([^：:]{2,40})[：:](?=.)")
# a short clause after an ask that names only what else is asked (…多少？增速 / …多少只，总目标规模): an ask whose
# question word the ask before it gives; not a qualifier (按可比价计算, 其中…, 截至…) and no figure of its own
_ELLIPSIS = re.compile(r"^[\u4e00-\u9fffA-Za-z（）()“”]{2,8}$")


def _elliptic(clause: str, before: str) -> str | None:
    """The clause as an ask of its own (增速 -> 增速多少) when it is an elided one after a 多少/几 ask."""
    c = clause.strip()
    if _ELLIPSIS.match(c) and not QUALIFIER.match(c) and not ASKING.search(c) and COUNTING.search(before):
        return c + "多少"
    return None


def split_asks(question: str) -> list[str]:
    """The asks of a question, each a clause with its own question word, with a shared lead (辽宁：, the
    clause before the first question word) prefixed to each. One ask: [question]."""
    t = prepare(question)
    lead = ""
    if (m := _TOPIC.match(t)) and not ASKING.search(m.group(1)):
        lead, t = m.group(1), t[m.end():]
    clauses: list[str] = []
    for hard in _HARD.split(t):
        soft = [p for p in _SOFT.split(hard) if p.strip()]
        if len(soft) == 2 and ASKING.search(soft[0]) and (ask := _elliptic(soft[1], soft[0])):
            clauses += [soft[0], ask]  # 累计多少只，总目标规模
            continue
        if clauses and ASKING.search(clauses[-1]) and (ask := _elliptic(hard, clauses[-1])):
            clauses.append(ask)  # 多少？增速
            continue
        # a comma splits asks only where each side asks something: 发了多少债、投什么项目
        if len(soft) > 1 and sum(bool(ASKING.search(p)) for p in soft) >= 2:
            buf = ""
            for p in soft:
                buf = f"{buf}，{p}" if buf else p
                if ASKING.search(p):
                    clauses.append(buf)
                    buf = ""
            if buf and clauses:
                clauses[-1] += "，" + buf
        elif hard.strip():
            clauses.append(hard)
    asking = [c for c in clauses if ASKING.search(c)]
    if len(asking) < 2:
        return [question]
    # clauses before the first ask carry the topic (山西的“明示…”试点：…); keep them with the lead
    first = clauses.index(asking[0])
    lead = "，".join(x for x in [lead, *clauses[:first]] if x)
    return [f"{lead}，{a}" if lead else a for a in asking]
