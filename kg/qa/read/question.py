"""Question analysis: what is asked (answer kind, comparison, difference), about which indicator, region,
period and table, in the words the reports use."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.qa.read.asked_periods import prepare, question_periods
from kg.qa.find.counts import cn_number
from kg.qa.read.items import SUM, TABLE_REF, indicator_options, joined_names, label, listed
from kg.qa.read.split import split_asks
from kg.qa.read.terms import ask_words, question_terms
from kg.qa.read.text import Term, canon, mentions_target, norm

_DOC_NO = re.compile(r"\d{1,4}号文?")
# the whole reference (国办发〔2024〕52号文): masked from the indicator words, which it is not
_DOC_REF = re.compile(r"(?:[\u4e00-\u9fff]{1,5}[发函字])?\s*[〔\[(（]?\s*(?:19|20)?\d{0,2}\s*[〕\])）]?\s*\d{1,4}号文?")

_COMPARE = re.compile(r"(?:哪个|哪一个|哪家|哪年|哪一年|哪个月|哪月|哪个季度|哪季度|哪个省|哪个地区|哪里|谁|哪项|哪类|哪种|哪)"
                      r"[^，,？?]{0,24}?(最|更|较|比较)(高|低|多|少|大|小|快|慢|强|弱)"
                      r"|(最|更)(高|低|多|少|大|小|快|慢)的?是(?:哪|谁)"
                      # 辽宁和山西哪个高 / 谁上升得多: a choice between named options without 更
                      r"|(?:哪个|哪一个|谁)[^，,？?]{0,8}?(?:得|的)?(高|低|多|少|大|小|快|慢)(?:一些|些|一点)?(?=[？?，,。！!\s]|$)")
_DIFF = re.compile(r"差多少|相差|差距|差了多少|差几|(低|高|多|少|快|慢)了?(多少|几)|(?:多|高|超|少|低)出了?(多少|几)")
_LIST = re.compile(r"哪几|哪些|有哪|包括什么|哪(?!一个)([一两二三四五六七八九十\d]+)(?:[个项家省类种条方面市]|(?=[\u4e00-\u9fff]))")
_DEFINE = re.compile(r"是什么|指什么|什么是|是指|含义|定义|什么意思|何谓|指的是")
_TEXT = re.compile(r"怎么|如何|为什么|为何|能不能|能否|是否|可否|可不可以|哪里|在哪|什么(?!时候)|对比|比较")
_NUMBER = re.compile(r"多少|几个|几家|几成|几倍|几项|几省|几")
# 各 as a distributive adverb (各是多少, 各占, 各发了多少), not the determiner of a noun (各利率区间, 各省)
_PER_ITEM = re.compile(r"分别|各自|各(?:是|为|占|有|达|多少|几|发|增长|下降|上升|提高|完成|实现|自|约|在)")

_EXPECT = (
    ("pp", re.compile(r"百分点")),
    # 杠杆率上升多少 / 占比提高了多少: the change of a rate is in percentage points
    ("pp", re.compile(r"(?:率|占比|比重|比例)[^，,？?]{0,8}?(?:上升|下降|提高|降低|回落|下滑|抬升|上行|下行|涨|升|降)"
                      r"(?:了|得)?(?:多少|几|最多|最少|最大|最小|最快)")),
    ("money", re.compile(r"万亿元|亿元|万元|亿美元|多少亿|多少万亿")),
    ("count", re.compile(r"几个|多少个|几家|多少家|多少人|几项|多少项|几省|多少省|多少户|(?:多少|几)[十百千万亿]+(?:人|户|家|辆|吨|件|套|个)")),
    ("ratio", re.compile(r"比例|比率|倍数|系数|多少倍|几倍")),
    ("percent", re.compile(r"的多少[？?]?$|占|比重|占比|增速|增长率|增幅|同比|(?<![贷利])率|%|百分之|增长(?!了?多少[亿万元个家])|"
                           r"[上下]涨|回落|下降多少|[涨增降跌]得(?:快|慢|多|少)")),
    ("money", re.compile(r"金额|规模|余额|收入|支出|[成行交易总限资]额|融资|补贴|利息|额度|资金|发了多少|发行多少"
                         r"|(?:发放|投放|新增|发行|发)了?多少(?:亿元?|万亿元?)?(?:贷款|债券?|资金)")),
)
@dataclass(frozen=True, slots=True)
class Question:
    """A question read for answering. periods are normalised like Figure.period ("2024", "2024Q4",
    "2024-08", "2024年末", "{y}Q4" when no year is given)."""

    text: str
    kind: str  # number, entity, list, definition, text
    terms: tuple[Term, ...] = ()
    regions: tuple[str, ...] = ()  # canonical short names, in the order asked
    periods: tuple[str, ...] = ()
    table_ref: str | None = None
    op: str | None = None  # max, min, diff
    axis: str | None = None  # month, quarter, year, region: what a comparison ranges over
    candidates: tuple[str, ...] = ()  # the options a comparison names: region names or periods
    per_item: bool = False  # 各 / 分别: one value per named period, region or ask
    target: bool = False  # asks for a target (目标, 预期), not an outcome
    expect: str | None = None  # percent, pp, money, count
    count_noun: str | None = None  # 几个省 -> 省
    list_size: int | None = None  # 哪十个 -> 10
    quoted: tuple[str, ...] = ()  # “三大工程”
    doc_numbers: tuple[str, ...] = ()  # 52号
    ask_words: tuple[str, ...] = ()  # the words next to the question word (遵循什么框架 -> 遵循, 框架)
    sides: tuple["Question", ...] = ()  # difference: subject, baseline; ratio: numerator, denominator
    ratio: str | None = None  # share (A占B的比重, B中A占比) or multiple (A是B的几倍): computed from two figures
    asks: tuple["Question", ...] = ()  # a question that asks two things: one Question each
    when: bool = False  # 什么时候 / 何时 / 哪一年: the answer is a date or a period
    within: bool = False  # the periods are containers: 哪个月 in 2024 takes any month of 2024
    label: str = ""  # an ask's name in a combined answer (外贸出口 of 外贸出口和实际使用外资分别是多少)
    within_region: str = ""  # 广西哪个地级市最高: the options are the places within this one
    joined: str = ""  # A和B read as two asks without 分别: one name after all if the reports write it so

    def __post_init__(self) -> None:
        if self.kind not in ("number", "entity", "list", "definition", "text"):
            raise ValueError(f"unknown question kind {self.kind!r}")

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(int(p[:4]) for p in self.periods if p[:4].isdigit())


def find_table_ref(text: str) -> str | None:
    m = TABLE_REF.search(text)
    if not m:
        return None
    return f"{m.group(1)}{int(m.group(2))}" + (f"-{int(m.group(3))}" if m.group(3) else "")


_ANSWER_TYPE = re.compile(r"(?:什么|哪些|哪个|哪几个|哪几|哪类|哪种|哪一?项)([\u4e00-\u9fff]{2,4}?)(?=$|[？?，,。！!]|的|是|呢|吗)")
_SPLIT_ASK = re.compile(r"怎么分|如何分|怎么划分|如何划分|各占|分配比例|划分比例")
_WHEN = re.compile(r"什么时候|什么时间|何时|哪一?年(?!.{0,8}(?:最|更|较))|哪一?天|几月")
_WHERE = re.compile(r"在哪|哪里|哪儿|何处|什么时候|什么时间|何时|哪一?年|哪一?天")  # a sentence says where or when
# 比上年减少多少: the report states the change itself; it is looked up, not computed from two figures. 比去年实际
# 增速低多少 names a figure of last year to subtract: that is a difference.
_RELATIVE_BASE = re.compile(r"(?:比|较)(?:上年同期|上年|去年|上月|上季度?|年初|同期)末?(?:的?同期)?"
                            r"(?:[增减多少高低升降涨跌快慢]|提高|降低|增长|下降|上升|减少|增加|回落|扩大|收窄)")
_TWO_NUMBERS = re.compile(r"从多少[^，,？?；;]{0,12}(?:到|至)多少|(?:多少|几)[^，,？?；;]{1,10}(?:多少|几)")


def _kind(t: str) -> tuple[str, str | None]:
    if _TWO_NUMBERS.search(t):  # 从多少提高到多少: the sentence that says both
        return "text", None
    if SUM.search(t) and re.search(r"和|与|、|及|两", t):  # A和B加起来多少: the values added, with the working
        return "number", "sum"
    if _SPLIT_ASK.search(t):
        return "number", None
    if m := _COMPARE.search(t):
        word = next(g for g in m.groups() if g and g in "高低多少大小快慢强弱")
        return "entity", ("max" if word in "高多大快强" else "min")
    if _DIFF.search(t) and ("比" in t or "差" in t or "相" in t) and not _RELATIVE_BASE.search(t):
        return "number", "diff"
    if _LIST.search(t):
        return "list", None
    if _DEFINE.search(t):
        return "definition", None
    if _WHERE.search(t):  # 分别在哪发、各发多少: a sentence answers where and how much together
        return "text", None
    if _NUMBER.search(t):
        return "number", None
    if _TEXT.search(t):
        return "text", None
    return "number", None


def _expect(t: str) -> str | None:
    return next((kind for kind, rx in _EXPECT if rx.search(t)), None)


def _list_size(t: str) -> int | None:
    m = _LIST.search(t)
    if not m or not m.group(1):
        return None
    return cn_number(m.group(1))


_COMPARATIVE = re.compile(r"(?:比|较)?(?:[低高多少快慢大小])了?(?:多少|几)(?:个百分点)?|相差(?:多少)?|差多少")


def analyse(question: str, gazetteer, _inherit: Question | None = None, _inherit_terms: bool = True) -> Question:
    """Read a question. gazetteer is kg.extract.gazetteer.load_gazetteer() (regions, concepts)."""
    t = prepare(question)
    masked: list[tuple[int, int]] = [m.span() for m in _COMPARATIVE.finditer(t)]
    masked += [m.span() for m in _LIST.finditer(t)]
    masked += [m.span() for m in _DOC_REF.finditer(t)]
    regions = []
    for s, e, r in gazetteer.find_regions(t):
        masked.append((s, e))
        if r.name not in regions:
            regions.append(r.name)
    periods, pspans = question_periods(t)
    masked += pspans
    table_ref = find_table_ref(t)
    masked += [m.span() for m in TABLE_REF.finditer(t)]
    quoted = tuple(norm(q) for q in re.findall(r"[“\"]([^”\"]{2,20})[”\"]", t))
    doc_numbers = tuple(norm(m.group().rstrip("文")) for m in _DOC_NO.finditer(t))
    kind, op = _kind(t)
    asking = [m.start() for m in re.finditer(r"多少|什么|哪|几|怎么|如何|谁|是否|能不能", t)]
    clause_starts = [0] + [m.end() for m in re.finditer(r"[，,。；;？?！!]", t)]
    focus_from = max((c for c in clause_starts if asking and c <= asking[-1]), default=0)
    # 投什么项目 / 出了什么文件: the noun after the question word is the kind of answer, which the passage need
    # not name (山西大学新校区建设 is the project); it neither guides the answer window nor weighs much
    kinds = {canon(m.group(1)) for m in _ANSWER_TYPE.finditer(t)}
    hugging = tuple(w for w in ask_words(t) if w not in kinds)
    # a word right next to the question word (达到多少, 增长多少) says which of a sentence's numbers is asked
    terms = [replace(x, weight=x.weight * 1.5) if any(a in f for a in hugging for f in x.forms) else x
             for x in question_terms(t, masked, gazetteer, focus_from)]
    terms = [replace(x, weight=x.weight * 0.4) if not x.concept and x.forms[0] in kinds else x for x in terms]
    terms += [Term((q,), 2.0) for q in quoted if not any(q in f for x in terms for f in x.forms)]
    terms += [Term((d,), 2.0) for d in doc_numbers]
    if _inherit is not None:  # a side or an ask of a longer question: what it leaves out comes from the whole
        regions = regions or list(_inherit.regions)
        periods = periods or list(_inherit.periods)
        table_ref = table_ref or _inherit.table_ref
        own = {f for x in terms for f in x.forms}
        if _inherit_terms:
            terms += [replace(x, weight=x.weight * 0.6, focus=False) for x in _inherit.terms
                      if not own & set(x.forms)]
    q = Question(
        text=question, kind=kind, terms=tuple(terms), regions=tuple(regions), periods=tuple(periods),
        table_ref=table_ref, op=op, per_item=bool(_PER_ITEM.search(t)), target=is_target(t),
        expect=_expect(t), count_noun=_count_noun(t), list_size=_list_size(t), quoted=quoted,
        doc_numbers=doc_numbers, ask_words=hugging, when=bool(_WHEN.search(t)))
    if _inherit is not None:
        return q
    if op in ("max", "min"):
        q = replace(q, **_comparison(q, t, gazetteer))
    elif op == "diff":
        q = replace(q, sides=_sides(t, q, gazetteer))
    elif op is None and kind == "number" and (r := _ratio(t)) and (sides := _ratio_sides(*r, q, gazetteer)):
        q = replace(q, ratio=r[0], sides=sides)
    asks = _asks(t)
    if op == "sum":
        q = replace(q, per_item=True)
    if len(asks) > 1 and op is None and kind == "number":
        first = analyse(asks[0], gazetteer, q, _inherit_terms=False)
        out = [first]
        for a in asks[1:]:  # …余额多少？一般债务和专项债务各多少？: an ask that lists items is one ask per item
            items = listed(a, gazetteer)
            out += [replace(analyse(x, gazetteer, first, _inherit_terms=False), label=label(n, gazetteer))
                    for x, n in items] or [analyse(a, gazetteer, first)]
        q = replace(q, asks=tuple(out))
    elif op in (None, "sum") and kind == "number" and (items := listed(t, gazetteer) or joined_names(t, gazetteer)):
        # 外贸出口和实际使用外资分别是多少: one ask per indicator, each with the question's region and period
        q = replace(q, asks=tuple(replace(analyse(x, gazetteer, q, _inherit_terms=False), label=label(n, gazetteer))
                                  for x, n in items))
        if not listed(t, gazetteer):  # 常住人口和城镇化率: two names, unless the reports write it as one
            q = replace(q, joined=canon(label(items[0][1] + "和" + items[-1][1], gazetteer)))
    return q


_WILL = re.compile(r"(?:要|将|争取)(?:达到|突破|增长|实现|提高|提升|降到|降至|控制在|控制|超过|完成|新增|建成)")


def is_target(t: str) -> bool:
    """Asks for a target figure (增速目标, 拟安排, 今年…要增长多少); 没完成…目标 asks about outcomes."""
    return mentions_target(t) or bool(_WILL.search(t))


def _count_noun(t: str) -> str | None:
    m = re.search(r"(?:几|多少)个?([省市家项户人条])", t)
    return m.group(1) if m else None


def _comparison(q: Question, t: str, gazetteer) -> dict:
    months = [p for p in q.periods if re.fullmatch(r"(?:\d{4}|\{y\})-\d\d", p)]
    years = [p for p in q.periods if re.fullmatch(r"\d{4}", p)]
    if len(q.regions) >= 2:
        return {"axis": "region", "candidates": q.regions, "regions": ()}
    if len(months) >= 2:
        return {"axis": "month", "candidates": tuple(months), "periods": tuple(p for p in q.periods if p not in months)}
    ranges = [m for p in q.periods if (m := re.fullmatch(r"(\d{4})-(\d{4})", p)) and 0 < int(m[2]) - int(m[1]) < 10]
    if len(years) < 2 and len(ranges) == 1 and re.search(r"哪一?年", t):  # 2022到2024年哪年最高: each year of it
        years = [str(y) for y in range(int(ranges[0][1]), int(ranges[0][2]) + 1)]
        return {"axis": "year", "candidates": tuple(years), "periods": ()}
    if len(years) >= 2:
        return {"axis": "year", "candidates": tuple(years), "periods": tuple(p for p in q.periods if p not in years)}
    if options := indicator_options(t, gazetteer):  # 城镇居民和农村居民收入哪个涨得快: two indicators
        return {"axis": "indicator", "candidates": options}
    if re.search(r"哪个?月", t):
        return {"axis": "month", "within": True}
    if re.search(r"哪个?季度", t):
        return {"axis": "quarter", "within": True}
    if re.search(r"哪一?年", t):
        return {"axis": "year", "periods": ()}
    if _ITEM_AXIS.search(t):  # 哪一类涨得最多 / 哪个部门: the rows of a table, the items of a sentence
        return {"axis": "item"}
    if _CHILD_AXIS.search(t) and len(q.regions) == 1:  # 广西哪个地级市: the places within the one named
        return {"axis": "region", "within_region": q.regions[0], "regions": ()}
    return {"axis": "region"}


_ITEM_AXIS = re.compile(r"哪(?:一|几)?[类项种]|哪(?:一|个)(?:部门|行业|产业|领域|品种|大类|方面|板块|渠道|科目)")
_CHILD_AXIS = re.compile(r"哪(?:一|个|些)?(?:地级市|区市|市州|市|区县|县区|县|区|州|盟|省|自治区)")


_NOT_COMPARING = re.compile(r"比重|比例|占比|同比|环比|比率|对比|比较")
_BASELINE_END = re.compile(r"(?:相比|比较|比)?[，,]?(?:相差|差距|差|低|高|多|少|快|慢|大|小)")


def _sides(t: str, q: Question, gazetteer) -> tuple[Question, ...]:
    """比-questions: (subject, baseline); the baseline inherits what it does not restate. A比B低多少, A和B相比差多少,
    A和B比，高还是低？"""
    plain = _NOT_COMPARING.sub(lambda m: "\0" * len(m.group()), t)  # keep offsets, hide 比 inside words
    cut = plain.rfind("比")
    joined = re.search(r"(?:和|与|跟|同)(?=[^和与跟同]*$)", plain[:cut]) if cut > 0 else None
    if cut > 0 and joined and _BASELINE_END.match(plain, cut + 1):  # A和B比，高还是低
        left, rest = t[:joined.start()], t[joined.end():cut]
    elif cut > 0 and _BASELINE_END.search(plain, cut + 1):
        left, rest = t[:cut], t[cut + 1:]
    else:
        m = re.search(r"(?:和|与|跟|同)(?=[^和与跟同]*(?:相比|比|相差|差距|差))", plain)
        if not m:
            return ()
        left, rest = t[:m.start()], t[m.end():]
    end = _BASELINE_END.search(rest)
    right = rest[:end.start()] if end and end.start() > 0 else rest
    if not left.strip() or not right.strip():
        return ()
    a = analyse(left, gazetteer, q, _inherit_terms=False)
    b = analyse(right, gazetteer, a)
    a = replace(a, target=is_target(left))
    # 辽宁固投目标比山西高多少: a baseline that names no intent (目标, 实际…) and no period of its own is the
    # subject's kind (今年目标比2025年多多少 compares with last year's outcome)
    own_intent = any(w in right for w in _INTENT_WORDS) or b.target or bool(question_periods(right)[0])
    b = replace(b, expect=b.expect or a.expect, target=b.target if own_intent else a.target)
    return (_intent_words_out(a), _intent_words_out(b))


# A占B的比重 / A是B的几倍 (the numerator first); B中A占比 / B里A占多大比例 (the denominator first); A÷B written out.
# The reports may state the share itself: the lookup's answer stays a proposal beside the computed one.
_SHARE_OF = re.compile(r"^(?P<a>.+?)(?:占|相当于|是)(?P<b>[^，,？?；;]+?)的?(?P<w>比重|比例|份额|百分之几|百分比|多少倍|几倍|倍数|"
                       r"多大比例|多少比例|多少|几成)")
_SHARE_IN = re.compile(r"^(?P<b>.+?)(?:中|里|里面|当中|之中)[，,]?(?P<a>[^，,？?；;占]+?)(?:的|所)?(?:占比|占多大比[例重]|"
                       r"占多少|占的?比[例重]|占几成|比重|的占比)")
_SHARE_SLASH = re.compile(r"[（(](?P<a>[^（）()/÷]+?)[/÷](?P<b>[^（）()/÷]+?)[）)]")


def _ratio(t: str) -> tuple[str, str, str, bool] | None:
    """(share or multiple, numerator text, denominator text, numerator written first) of a ratio question."""
    if m := _SHARE_SLASH.search(t):
        return "multiple" if "倍" in t else "share", m["a"], m["b"], True
    if (m := _SHARE_IN.search(t)) and _names_something(m["a"]) and _names_something(m["b"]):
        return "share", m["a"], m["b"], False
    if (m := _SHARE_OF.search(t)) and _names_something(m["b"]):
        return ("multiple" if "倍" in m["w"] else "share"), m["a"], m["b"], True
    return None


def _names_something(side: str) -> bool:
    """A side of a ratio names a figure: two characters or more, not a question word (占多大比例) or 比 (占比多少)."""
    return len(side) >= 2 and not re.match(r"多大|多少|几|比", side)


def _ratio_sides(kind: str, a_text: str, b_text: str, first_a: bool, q: Question, gazetteer) -> tuple[Question, ...]:
    """(numerator, denominator), the one written second inheriting what it leaves out from the one written first
    (地方级 in 辖区一般公共预算收入里地方级占多大比例 is 地方级一般公共预算收入)."""
    if first_a:
        a = analyse(a_text, gazetteer, q, _inherit_terms=False)
        b = analyse(b_text, gazetteer, a)
    else:
        b = analyse(b_text, gazetteer, q, _inherit_terms=False)
        a = analyse(a_text, gazetteer, b)
    if not a.terms or not b.terms:
        return ()
    return (replace(a, kind="number", expect=None), replace(b, kind="number", expect=None))


_INTENT_WORDS = ("目标", "预期", "计划", "实际", "完成", "实现")


def _intent_words_out(side: Question) -> Question:
    """目标 / 实际 say which of two figures a side is (target or outcome), not what it measures: as indicator words
    they would pull the outcome side towards the target sentence and away from its own."""
    terms = tuple(t for t in side.terms if t.concept or t.forms[0] not in _INTENT_WORDS)
    return replace(side, terms=terms or side.terms)


def _asks(t: str) -> list[str]:
    """Clauses that each ask something (…额度多少，占…的比重是多少？), the shared lead with each."""
    asks = split_asks(t)
    return asks if len(asks) >= 2 else []
