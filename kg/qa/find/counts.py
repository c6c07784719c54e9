"""Counts of things written with the noun counted (17 省, 六省, 5 个地区): numbers figure extraction skips."""
from __future__ import annotations

import re
from typing import Mapping

from kg.extract.numbers import find_periods, is_baseline
from kg.qa.find.spans import clause_at, sentence_at
from kg.types import Chunk, Document, Figure, content_id

_COUNT = "(?<![\\d.一二三四五六七八九十两])(\\d{1,4}|[一二三四五六七八九十两]{1,3})\\s*(个)?(%s)"
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(s: str) -> int | None:
    """17, 六, 十三, 二十 -> int; None for anything else."""
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if "十" in s:
        a, _, b = s.partition("十")
        tens, ones = (_CN.get(a) if a else 1), (_CN.get(b) if b else 0)
        return None if tens is None or ones is None else tens * 10 + ones
    return _CN.get(s) if len(s) == 1 else None


def count_figures(documents: Mapping[str, Document], chunks: list[Chunk], noun: str,
                  data_years: Mapping[str, int | None]) -> list[Figure]:
    """17 省未完成… / 六省未完成: counts written with the counted noun in place of a unit, which figure
    extraction leaves out (省 is no unit), read for 几个省 questions."""
    out = []
    for ch in chunks:
        doc = documents[ch.doc_id]
        for m in re.finditer(_COUNT % re.escape(noun), doc.text[ch.start:ch.end]):
            n = cn_number(m.group(1))
            if n is None:
                continue
            s, e = ch.start + m.start(1), ch.start + m.end(1)
            ss, se = sentence_at(doc.text, s)
            cs, ce = clause_at(doc.text, s, e, ss, se, big=True)
            # 13 省 2024 年…目标较 2023 年下调: the clause's own period, else the one the sentence opened with
            own = [p for p in find_periods(doc.text, cs, ce) if not is_baseline(doc.text, p)]
            lead = own or [p for p in find_periods(doc.text, ss, s) if not is_baseline(doc.text, p)]
            period = lead[-1 if not own else 0].resolve(data_years.get(doc.id), doc.year) if lead else ""
            f = Figure(id=content_id("fig", doc.id, s, e), doc_id=doc.id, chunk_id=ch.id, start=s, end=e,
                       text=m.group(1), value=float(n), unit=(m.group(2) or "") + m.group(3),
                       period=period)
            out.append(f)
    return out
