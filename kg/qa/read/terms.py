"""A question's indicator words: gazetteer concepts with their other labels, the remaining content words, and
the words next to the question word."""
from __future__ import annotations

import re

from kg.qa.read.text import Term, canon

# Question words and function words: they separate the words that name the indicator and are not terms.
_STOP_WORDS = (
    "是多少", "为多少", "有多少", "有几个", "多少个", "多少", "哪几个", "哪一个", "哪个", "哪些", "哪几", "是什么", "指什么", "什么",
    "怎么", "如何", "为什么", "是否", "能不能", "能否", "请问", "一下", "对比", "比较", "分别", "各是", "各自", "一共", "总共", "加起来", "加在一起", "之和", "共计", "合起来",
    "报告里", "报告中", "表里", "表中", "这轮", "什么时候", "什么时间", "何时", "哪一年", "哪年",
    # how a list question names what it wants listed (哪些方式 / 采取了哪些措施): the answer's type, not its topic
    "通过", "采取", "采用", "方式", "措施", "举措", "途径", "手段", "办法",
    "最高", "最低", "最多", "最少", "最大", "最小", "更高", "更低", "更多", "更少", "得快", "得慢", "得多", "得少",
    "个百分点", "百分点", "万亿元", "亿元", "万元", "的做法", "的口径", "之后", "以来", "谁", "哪", "几个",
    "几", "吗", "呢", "吧", "又", "把", "同年", "当年", "的", "了", "与", "及", "或", "把", "各", "和", "是", "在", "有几", "能够")
_STOP = re.compile("|".join(map(re.escape, sorted(_STOP_WORDS, key=len, reverse=True))))
# Measure words end an indicator phrase: 保险业总资产同比增长 is 保险业总资产 + 同比增长, so a clause that says
# only 同比增长 6.1% after naming the indicator earlier still matches part of it (canonical spellings).
_MEASURES = re.compile(r"同比增长|同比|增长|余额|占比|总额|目标|累计")
_ASK_AROUND = re.compile(r"([\u4e00-\u9fff]{0,4})(?:什么时候|什么时间|何时|什么|多少|哪些|哪个|哪里|哪儿|哪|怎么|如何)([\u4e00-\u9fff]{0,4})")
COUNTED_PLACES = re.compile(r"[两二三四五六七八九十几\d]+个?(?:省|市|区|县|省份|城市|地区|省市)")
_FUNCTION_CHARS = "是指为的了在以各能会要给把和与及或就即"


def ask_words(t: str) -> tuple[str, ...]:
    """Words hugging a question word: what a sentence answer must contain near its answer (框架, 原则)."""
    out = []
    for m in _ASK_AROUND.finditer(t):
        before = m.group(1).rstrip(_FUNCTION_CHARS)[-2:]
        after = m.group(2).lstrip(_FUNCTION_CHARS)[:2]
        out += [canon(w) for w in (before, after) if len(w) == 2 and not _STOP.fullmatch(w)]
    for m in re.finditer(r"(?:几|多少|哪几|哪些|哪[一两二三四五六七八九十\d]+)个?[省市家项户人条]([\u4e00-\u9fff]{2})", t):
        out.append(canon(m.group(1))[:2])  # 几个省没完成 / 哪几个省上调了: what the counted things did
    return tuple(dict.fromkeys(out))


def question_terms(t: str, masked: list[tuple[int, int]], gazetteer, focus_from: int) -> list[Term]:
    """Indicator terms: gazetteer concepts (with their labels as alternative forms) and the remaining words."""
    keep = list(t)
    for s, e in masked:
        for i in range(s, e):
            keep[i] = " "
    rest = "".join(keep)
    out: list[Term] = []
    for seg in re.finditer(r"[^，,。；;：:？?！!、\s“”\"'‘’（）()《》【】]+", rest):
        focus = seg.start() >= focus_from
        s0 = seg.start()
        spans = [(s0 + s, s0 + e, c) for s, e, c in gazetteer.find_concepts(seg.group())]
        spans = _whole_words(seg.group(), s0, spans)
        for s, e, c, within in spans:
            forms = concept_forms(c, gazetteer)
            out.append(Term(forms, 2.0 * (1.5 if focus else 1.0), concept=True, focus=focus, within=canon(within),
                            said=canon(rest[s:e])))
        pieces = list(seg.group())
        for s, e, _, _ in spans:
            for i in range(s - s0, e - s0):
                pieces[i] = " "
        words = _STOP.sub(lambda m: " " * len(m.group()), "".join(pieces))
        words = re.sub(r"(?<=[A-Za-z0-9])(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=[A-Za-z])", " ", words)
        for w in (x for word in words.split() for x in _MEASURES.sub(lambda m: f" {m.group()} ", canon(word)).split()):
            if _is_unit(w) or COUNTED_PLACES.fullmatch(w):
                continue  # 多少万人: the unit the answer comes in; 三省: how many places are compared
            if len(w) >= 2 or (w.isascii() and w.isalpha()):
                # a measure word says how, not what: it weighs less than the indicator it measures
                weight = 1.0 if _MEASURES.fullmatch(w) else (1.5 if len(w) > 4 else 1.0) * (1.5 if focus else 1.0)
                out.append(Term((w,), weight, focus=focus))
    return out


def _whole_words(seg: str, s0: int, spans: list) -> list:
    """Each concept span with the longer word it may be part of: 利率 inside 毛利率 leaves 毛 on its own, a piece
    too short to be a word (ground() keeps the concept only when the reports never write 毛利率)."""
    rest = list(seg)
    for s, e, _ in spans:
        for i in range(s - s0, e - s0):
            rest[i] = " "
    words = _STOP.sub(lambda m: " " * len(m.group()), "".join(rest))
    out = []
    for s, e, c in spans:
        i = s - s0 - 1  # a lone CJK character right before the concept, a gap before it
        lone = i >= 0 and "\u4e00" <= words[i] <= "\u9fff" and (i == 0 or words[i - 1] == " ")
        out.append((s, e, c, seg[i:e - s0] if lone else ""))
    return out


def _is_unit(w: str) -> bool:
    from kg.extract.numbers import unit_info
    info = unit_info(w)
    return info is not None and info[1] in ("money", "count") and w[0] in "十百千万亿"


def concept_forms(c, gazetteer) -> tuple[str, ...]:
    """A concept's labels; one that ends in a measure (GDP增速) also counts as its broader concept's label plus
    that measure (国内生产总值…增长)."""
    forms = [canon(x) for x in (c.label, *c.alt_labels)]
    for suffix in ("增长", "占比", "余额", "增量", "规模"):
        for f in list(forms):
            if f.endswith(suffix) and len(f) > len(suffix):
                for b in gazetteer.ancestors(c)[:1]:
                    forms += [f"{canon(x)}&{suffix}" for x in (b.label, *b.alt_labels)]
    return tuple(dict.fromkeys(f for f in forms if f))
