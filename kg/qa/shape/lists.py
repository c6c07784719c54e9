"""List answers: the provinces a clause enumerates, or the items of an enumeration that names the asked term."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.qa.shape.cite import citation
from kg.qa.context import QAContext
from kg.qa.find.counts import cn_number
from kg.qa.find.gather import passages
from kg.qa.read.question import Question
from kg.qa.find.spans import clause_at
from kg.qa.read.text import canon, term_match
from kg.qa.shape.textual import Sentence, context_terms, sentence_pool
from kg.types import Answer, Chunk

_GAP = re.compile(r"^[\s、，,]*(?:和|与|及|以及|、)?[\s、，,]*$")
_ITEM_SPLIT = re.compile(r"、|以及|及|和")
# A verb that heads an enumeration's first item belongs to the whole list: 推进A、B、C -> A、B、C.
_LEAD_VERB = re.compile(r"^(?:加快推动|加快推进|稳步推进|积极推进|深入推进|大力推进|全力推进|扎实推进|深入实施|加快|推动|推进|"
                        r"实施|开展|加强|支持|坚持|深化|大力|全力|着力|持续|加大|促进|包括|如)+")
_CLAUSE_CUT = re.compile(r"[，,；;。：:\t\n]")
_REGION_NOUN = re.compile(r"省|市|地区|省份|区域|地方")


@dataclass(frozen=True, slots=True)
class Listing:
    items: tuple[str, ...]
    doc_id: str
    span: tuple[int, int]  # the enumeration in Document.text
    sentence: Sentence
    score: float


def _region_runs(ctx: QAContext, s: Sentence) -> list[tuple[list[str], int, int]]:
    """Runs of two or more region names joined only by 、 和 及 (北京、辽宁、天津、浙江)."""
    text = ctx.documents[s.doc_id].text
    found = ctx.gazetteer.find_regions(text[s.start:s.end])
    runs: list[tuple[list[str], int, int]] = []
    for a, b, r in found:
        a, b = a + s.start, b + s.start
        if runs and _GAP.match(text[runs[-1][2]:a]) and a - runs[-1][2] <= 3:
            if r.name not in runs[-1][0]:
                runs[-1][0].append(r.name)
            runs[-1] = (runs[-1][0], runs[-1][1], b)
        else:
            runs.append(([r.name], a, b))
    return [r for r in runs if len(r[0]) >= 2]


_COUNTED = re.compile(r"\s*(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个)?(?:省|市|地区|项|个|家|类|种|大)")


def _size_factor(q: Question, n: int, text: str, end: int) -> float:
    """An enumeration of the asked size (哪十个), or one that counts itself (北京、…、浙江 5 省上调), is complete."""
    f = 1.0
    if q.list_size is not None:
        f *= 1.2 if n == q.list_size else 0.7
    m = _COUNTED.match(text, end)
    if m and cn_number(m.group(1)) == n:
        f *= 1.15
    return f


def _term_forms(q: Question) -> list[str]:
    """The words an enumeration should name: quoted terms first, then concepts in the asking clause."""
    forms = [f for f in q.quoted]
    forms += [f for t in q.terms if t.concept and t.focus for f in t.forms if "&" not in f]
    return [f for f in dict.fromkeys(forms) if f]


def _enumerations(ctx: QAContext, q: Question, s: Sentence) -> list[tuple[tuple[str, ...], int, int]]:
    """A、B、C等“X” and X包括A、B、C: the items around a form of the asked term."""
    text = ctx.documents[s.doc_id].text
    raw = text[s.start:s.end]
    out = []
    for f in _term_forms(q):
        for m in re.finditer(r"[“\"]?" + r"\s*".join(map(re.escape, f)) + r"[”\"]?", raw):
            before = raw[:m.start()]
            if before.endswith("等"):
                cut = max(before.rfind(x) for x in "，,；;：:。（(\t\n") + 1
                body = before[cut:-1]
                items = [i.strip() for i in _ITEM_SPLIT.split(body) if i.strip()]
                if items:
                    items[0] = _LEAD_VERB.sub("", items[0]) or items[0]
                if len(items) >= 2:
                    out.append((tuple(items), s.start + cut, s.start + m.start() - 1))
            after = re.match(r"\s*(?:包括|主要包括|是|为|即|指|：|:)\s*([^。；;]+)", raw[m.end():])
            if after:
                body = after.group(1)
                items = [i.strip() for i in _ITEM_SPLIT.split(body) if i.strip()]
                if len(items) >= 2:
                    st = s.start + m.end() + after.start(1)
                    out.append((tuple(items), st, st + len(body)))
    return out


def _generic(ctx: QAContext, s: Sentence) -> list[tuple[tuple[str, ...], int, int]]:
    """Any run of three or more short items joined by 、 (or two before 等): 展期、降息、置换."""
    text = ctx.documents[s.doc_id].text
    out = []
    start = s.start
    for m in list(_CLAUSE_CUT.finditer(text, s.start, s.end)) + [None]:
        end = m.start() if m else s.end
        clause = text[start:end]
        body = clause.split("等")[0] if "等" in clause else clause
        parts = [p.strip() for p in re.split(r"、", body)]
        if parts and ("和" in parts[-1] or "及" in parts[-1]) and len(parts[-1]) > 3:
            parts = parts[:-1] + [p for p in re.split(r"以及|及|和", parts[-1]) if p]
        if parts:
            parts[0] = _LEAD_VERB.sub("", parts[0]) or parts[0]
        if (len(parts) >= 3 or (len(parts) == 2 and "等" in clause)) and all(1 <= len(p) <= 14 for p in parts):
            st = start + clause.find(body[:1]) if body else start
            out.append((tuple(parts), st, start + len(body)))
        start = m.end() if m else end
    return out


def list_answer(q: Question, ctx: QAContext) -> tuple[Answer | None, float, list[Chunk]]:
    chunks = passages(ctx, [q.text], regions=q.regions)
    terms = context_terms(q, ctx.gazetteer)
    total = sum(t.weight for t in terms) or 1.0
    wants_regions = bool(_REGION_NOUN.search(q.text)) or (q.count_noun in ("省", "市"))
    best: Listing | None = None
    for s in sentence_pool(ctx, chunks):
        text = ctx.documents[s.doc_id].text
        options = []
        if wants_regions:
            for names, a, b in _region_runs(ctx, s):
                cs, ce = clause_at(text, a, b, s.start, s.end, big=True)
                clause = canon(text[cs:a] + " " + text[b:ce])
                options.append((tuple(names), a, b, clause))
        for items, a, b in _enumerations(ctx, q, s):
            options.append((items, a, b, s.text))
        for items, a, b in _generic(ctx, s):
            cs, ce = clause_at(text, a, b, s.start, s.end)
            options.append((items, a, b, canon(text[cs:a] + " " + text[b:ce])))
        for items, a, b, clause in options:
            got = sum(t.weight * max(term_match(t, clause), 0.6 * term_match(t, s.text), 0.4 * term_match(t, s.around))
                      for t in terms)
            score = got / total * _size_factor(q, len(items), text, b)
            if q.ask_words:  # 哪几个省上调了: the clause must say 上调 of its list
                score *= 1.2 if any(w in clause for w in q.ask_words) else 0.85
            if best is None or score > best.score:
                best = Listing(items, s.doc_id, (a, b), s, score)
    if best is None or best.score < ctx.settings.min_text_score:
        return None, best.score if best else 0.0, chunks
    s = best.sentence
    cite = citation(ctx, s.doc_id, s.start, s.end, s.chunk_id, focus=best.span)
    text = "、".join(re.sub(r"\s+", "", i) for i in best.items)
    return Answer(question=q.text, text=text, abstained=False, citations=(cite,), kind="list",
                  score=best.score), best.score, chunks
