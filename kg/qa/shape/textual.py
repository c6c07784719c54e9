"""Sentence answers: definitions, how and why, and comparisons of two positions, cut to the clauses that answer."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.qa.shape.cite import citation, unique
from kg.qa.context import QAContext
from kg.qa.find.gather import passages
from kg.qa.read.question import Question, analyse
from kg.qa.find.spans import sentences
from kg.qa.read.text import Term, canon, term_match
from kg.types import Answer, Chunk

MAX_TEXT = 190  # the scorer allows 200 characters for a text answer
_CLAUSE = re.compile(r"[，,；;：:\t]")
_DEFINING = ("是", "指", "即", "为", "是指", "就是")
_HOW = re.compile(r"如何|怎么|怎样|哪些(?:措施|举措|方式|做法)|干什么|做什么|干嘛|作用|目的|用途|用来|用于什么")
_DATE = re.compile(r"(?:19|20)\d\d年|\d{1,2}月|\d{4}[/-]\d{1,2}")
_FACETS = re.compile(r"(?:对比|比较|区别|相比)(?:一下)?(.+)$")
_FACET_NOISE = re.compile(r"的(?:做法|口径|规定|政策|要求|情况|变化)$|之后$|以来$")


@dataclass(frozen=True, slots=True)
class Sentence:
    doc_id: str
    chunk_id: str
    start: int
    end: int
    text: str  # canonical
    around: str  # canonical: the two sentences before, the section, the document title


def _table_row(text: str) -> bool:
    """A header or number row of a table (地区\t固投\t社零, 实际使用外资\t1.3\t1.5…): no sentence to answer with;
    a row whose cells hold sentences (图表33's 说明 column) is one."""
    cells = [c.strip() for c in re.split(r"[\t\n]", text) if c.strip()]
    return "\t" in text and len(cells) >= 3 and max(len(c) for c in cells) <= 16


def sentence_pool(ctx: QAContext, chunks: list[Chunk]) -> list[Sentence]:
    out: dict[tuple[str, int], Sentence] = {}
    for ch in chunks:
        doc = ctx.documents[ch.doc_id]
        spans = sentences(doc.text, ch.start, ch.end)
        for i, (s, e) in enumerate(spans):
            if (doc.id, s) in out or _table_row(doc.text[s:e]):
                continue
            before = sentences(doc.text, max(0, s - 300), s)[-2:] if i < 2 else spans[i - 2:i]
            around = " ".join([doc.text[a:b] for a, b in before] + list(doc.section_at(s)[-2:]) + [doc.title])
            # a province's own report speaks of the province without naming it in every sentence
            own = f" {doc.region}" if doc.region else ""
            out[(doc.id, s)] = Sentence(doc.id, ch.id, s, e, canon(doc.text[s:e]) + own, canon(around))
    return list(out.values())


def context_terms(q: Question, gazetteer) -> tuple[Term, ...]:
    """The question's terms plus its regions and years as words a sentence should contain."""
    extra = []
    for name in q.regions:
        r = gazetteer.region(name)
        if r is not None:
            extra.append(Term(tuple(dict.fromkeys(canon(a) for a in r.aliases)), 1.5))
    for y in sorted(set(q.years)):
        extra.append(Term((str(y),), 1.0))
    return q.terms + tuple(extra)


def sentence_score(terms: tuple[Term, ...], s: Sentence, q: Question, national: bool = True) -> float:
    """Term coverage of the sentence (its context counts half); a question that names no place reads a
    national report first (national: whether s comes from one)."""
    total = sum(t.weight for t in terms) or 1.0
    got = sum(t.weight * max(term_match(t, s.text), 0.5 * term_match(t, s.around)) for t in terms)
    score = got / total * (1.0 if q.regions or national else 0.9)
    if q.kind == "definition" and _defines(q, s.text):
        score *= 1.25
    if q.when and not _DATE.search(s.text):
        score *= 0.5  # 什么时候: a sentence that names no date does not answer it
    return score


def _defines(q: Question, text: str) -> bool:
    """The sentence defines a term the question names: X是…, X指…, （即X）."""
    for t in q.terms:
        if not t.concept and not any(f in q.quoted for f in t.forms):
            continue
        for f in t.forms:
            if "&" in f:
                continue
            if re.search(re.escape(f) + r"[”\"]?(?:" + "|".join(_DEFINING) + ")", text) or f"即{f}" in text:
                return True
    return False


_GLOSS = re.compile(r"[”\"]?(?:主要|通常|一般|则|也|就|都|实际上|本质上)?(?:是指|指的是|就是|是|指|即|意味着|反映|体现|表示|"
                    r"在于|为|[：:（(]|，即|，是指)")
_MEANING_ASKED = re.compile(r"什么意思|啥意思|怎么理解|指什么|指的是什么|是指什么|含义|定义|什么是|什么叫|何谓"
                            r"|(?:反映|体现|表示|意味着|代表)的?是什么|区别是什么|口径是什么|是什么[？?]?$")


def _defines_subject(q: Question, text: str) -> bool:
    """For a question about what a term means: the sentence says what it is, the longest tail of the term it
    writes followed by 是/指/即/为/反映/在于/：/（, or written after 即/称为/简称; not a sentence that only
    mentions it (研究建立地方债续发行机制)."""
    from kg.qa.shape.defined import subject
    if not _MEANING_ASKED.search(q.text):
        return True  # 是什么项目 / 是什么文件 asks for a thing, not a meaning
    term = re.sub(r"(?:主要|通常|一般)?(?:反映|体现|表示|意味着|代表)$", "", canon(subject(q.text)))
    if len(term) < 2:
        return True
    for k in range(len(term), min(3, len(term)) - 1, -1):
        hits = list(re.finditer(re.escape(term[-k:]), text))
        if hits:
            return any(_GLOSS.match(text, m.end()) or re.search(r"(?:即|称为|简称|叫做|统称)[“\"]?$", text[:m.start()])
                       for m in hits)
    return False


def _clauses(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Clause spans of a sentence, cut at ，；： outside brackets and quotes."""
    out, start, depth = [], s, 0
    for i in range(s, e):
        ch = text[i]
        if ch in "（(《":
            depth += 1
        elif ch in "）)》" and depth:
            depth -= 1
        elif depth == 0 and _CLAUSE.match(ch):
            out.append((start, i))
            start = i + 1
    out.append((start, e))
    return [(a, b) for a, b in out if text[a:b].strip()]


def best_window(terms: tuple[Term, ...], text: str, s: int, e: int, asks: tuple[str, ...] = (),
                when: bool = False, min_len: int = 0) -> tuple[int, int]:
    """The shortest run of clauses that covers the words next to the question word (遵循什么框架: 遵循, 框架)
    and then the most of the question's terms, within MAX_TEXT characters."""
    cl = _clauses(text, s, e)
    best, best_key = (s, e), None
    for i in range(len(cl)):
        for j in range(i, min(len(cl), i + 5)):
            a, b = cl[i][0], cl[j][1]
            if b - a > MAX_TEXT:
                break
            piece = canon(text[a:b])
            cov = sum(t.weight * term_match(t, piece) for t in terms)
            hits = sum(w in piece for w in asks) + (2 if when and _DATE.search(piece) else 0)
            # with words next to the question word, the shortest run that has them all is the answer; the
            # topic words found the sentence and need not be repeated
            key = (hits, -(b - a), round(cov, 3)) if hits else (0, round(cov, 3), -(b - a))
            if best_key is None or key > best_key:
                best, best_key = (a, b), key
    a, b = best
    # a window that is only the defined term (2.“两新”：是指…) must take the clause that defines it
    k = next((i for i, c in enumerate(cl) if c[1] == b), None)
    while k is not None and k + 1 < len(cl) and (len(_content(text[a:b], terms)) < 6 or b - a < min_len) \
            and cl[k + 1][1] - a <= MAX_TEXT:
        k += 1
        b = cl[k][1]
    return a, min(b, a + MAX_TEXT)


def _content(piece: str, terms: tuple[Term, ...]) -> str:
    """What a piece says beyond the question's own words and list numbering."""
    t = canon(piece)
    for term in terms:
        for f in term.forms:
            if "&" not in f:
                t = t.replace(f, "")
    return re.sub(r"^\d+[.、]|[\W\d_]", "", t)


def _answer_text(ctx: QAContext, s: Sentence, terms: tuple[Term, ...], asks: tuple[str, ...] = (),
                 when: bool = False, how: bool = False) -> tuple[str, tuple[int, int]]:
    doc = ctx.documents[s.doc_id]
    # 如何 / 怎么 asks for the measures, which follow the clause that names the topic: take a few clauses
    a, b = best_window(terms, doc.text, s.start, s.end, asks, when, min_len=40 if how else 0)
    return tidy(doc.text[a:b]), (a, b)


def tidy(text: str) -> str:
    """No spaces, no dangling punctuation, no quote mark left open or closed alone."""
    # ** is markdown bold left in some reports; ¹²³ and [1] are footnote and endnote markers
    t = re.sub(r"\s+|\*\*|[\u00b2\u00b3\u00b9\u2070-\u209f]+|\[\d{1,3}\]", "", text).strip("，,；;：:。 ")
    t = re.sub(r"^(?:\d{1,2}[.、](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+、)", "", t)
    for o, c in ("“”", "‘’", "《》", "（）"):
        if t.count(o) != t.count(c):
            t = t.replace(o, "").replace(c, "")
    return t.strip("，,；;：:。 ")


def text_answer(q: Question, ctx: QAContext) -> tuple[Answer | None, float, list[Chunk]]:
    """The sentence (cut to its answering clauses) that best covers the question; two for a comparison."""
    m = _FACETS.search(q.text)
    facets = [f for f in re.split(r"和|与|跟|及|、", m.group(1)) if f.strip()] if m else []
    if len(facets) >= 2:
        return _facet_answer(q, ctx, facets)
    chunks = passages(ctx, [q.text], regions=q.regions)
    terms = context_terms(q, ctx.gazetteer)
    pool = sentence_pool(ctx, chunks)
    national = {d.id for d in ctx.documents.values() if d.region in (None, "全国")}
    ranked = sorted(((sentence_score(terms, s, q, s.doc_id in national), s) for s in pool), key=lambda x: -x[0])
    if not ranked or ranked[0][0] < ctx.settings.min_text_score:
        return None, ranked[0][0] if ranked else 0.0, chunks
    score, s = ranked[0]
    entry = _glossary(ctx, q, s) if q.kind == "definition" else None
    if q.kind == "definition" and entry is None:
        # X是什么意思: a sentence that defines X (X是…, X指…, X（…）, 即X), not one that only mentions it
        # (研究建立地方债续发行机制); within reach of the best, else nothing the reports say defines it
        defining = [(sc, x) for sc, x in ranked[:12] if sc >= 0.6 * score and _defines_subject(q, x.text)]
        if not defining:
            return None, score, chunks
        score, s = defining[0]
    if entry is not None:  # 3.“自审自发”：…: a glossary entry's whole body is the definition
        (a, b), (s_start, s_end) = entry, entry
        text = tidy(ctx.documents[s.doc_id].text[a:b])
    else:
        how = bool(_HOW.search(q.text))
        text, (a, b) = _answer_text(ctx, s, terms, q.ask_words, q.when, how)
        s_start, s_end = s.start, s.end
        if len(_content(text, terms)) < 6 or (how and len(text) < 20):
            # a run-in heading (扩大有效投资。1596个…): what it heads is the sentence after it
            doc = ctx.documents[s.doc_id]
            para_end = doc.text.find("\n", s.end)
            nxt = sentences(doc.text, s.end, len(doc.text) if para_end < 0 else para_end)[:1]
            if nxt:
                s_end = min(nxt[0][1], s.start + MAX_TEXT)
                a, b = s.start, s_end
                text = tidy(doc.text[a:b])
    cite = citation(ctx, s.doc_id, s_start, s_end, s.chunk_id, focus=(a, b))
    return Answer(question=q.text, text=text, abstained=False, citations=(cite,),
                  kind="definition" if q.kind == "definition" else "text", score=score), score, chunks


_ENTRY = re.compile(r"[ \t]*(?:\d{1,2}[.、．]|[（(]\d{1,2}[)）])?\s*[“\"]?([^：:\n“”\"]{1,24})[”\"]?\s*[：:]")


def _glossary(ctx: QAContext, q: Question, s: Sentence) -> tuple[int, int] | None:
    """The body of a 名词解释 entry (N.“X”：…) that defines a term of the question, if s is in one."""
    text = ctx.documents[s.doc_id].text
    p = text.rfind("\n", 0, s.start) + 1
    m = _ENTRY.match(text, p)
    if not m:
        return None
    head = canon(m.group(1))
    if not any(f == head or f in head for t in q.terms for f in t.forms if "&" not in f) \
            and not any(x == head for x in q.quoted):
        return None
    end = text.find("\n", m.end())
    end = len(text) if end < 0 else end
    a = m.end()
    return a, min(end, a + MAX_TEXT)


def _facet_answer(q: Question, ctx: QAContext, facets: list[str]) -> tuple[Answer | None, float, list[Chunk]]:
    """对比 2020年起的做法和 2024年52号文之后的口径: the best sentence on the topic for each position."""
    topic_text = q.text[:q.text.find(facets[0])]
    topic = analyse(re.sub(r"(?:对比|比较|区别|相比)(?:一下)?$", "", topic_text.strip("，,。？? ")), ctx.gazetteer)
    chunks: list[Chunk] = []
    parts, cites, scores = [], [], []
    for f in facets:
        fq = analyse(f, ctx.gazetteer)
        marks = tuple(Term((str(y),), 1.0) for y in fq.years) + tuple(Term((d,), 2.0) for d in fq.doc_numbers)
        found = passages(ctx, [f"{topic.text} {f}"], regions=q.regions)
        chunks += found
        best = None
        for s in sentence_pool(ctx, found):
            t = sentence_score(topic.terms, s, topic)
            mark = sentence_score(marks, s, fq) if marks else 1.0
            score = t * (0.4 + 0.6 * mark)
            if best is None or score > best[0]:
                best = (score, s)
        if best is None or best[0] < ctx.settings.min_text_score * 0.8:
            return None, best[0] if best else 0.0, chunks
        text, span = _answer_text(ctx, best[1], topic.terms)
        name = _FACET_NOISE.sub("", re.sub(r"\s+", "", f)).strip("的，, ")
        parts.append(f"{name}：{text}")
        cites.append(citation(ctx, best[1].doc_id, best[1].start, best[1].end, best[1].chunk_id, focus=span))
        scores.append(best[0])
    text = "；".join(parts)
    if len(text) > 200:
        text = "；".join(p[:200 // len(parts) - 1] for p in parts)
    return Answer(question=q.text, text=text, abstained=False, citations=unique(cites), kind="text",
                  score=min(scores)), min(scores), chunks
