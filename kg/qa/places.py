"""Places a question names that the gazetteer does not know (东京, 成都): the evidence must name them too."""
from __future__ import annotations

from functools import lru_cache

from kg.types import Answer

# Words jieba tags as places that stand for the whole country, which every national figure is about.
NATIONAL = frozenset({"中国", "我国", "全国", "国内", "中华人民共和国", "中央", "国家"})
_CONTEXT = 200  # characters before a cited span that still count as its context (the paragraph's lead)


@lru_cache(maxsize=1)
def _posseg():
    import jieba
    import jieba.posseg  # lazy: half a second to load its model
    jieba.setLogLevel(60)
    return jieba.posseg


def unknown_places(question: str, gazetteer) -> tuple[str, ...]:
    """Place names (jieba's ns tag) that are neither a known region nor the nation, nor inside a name the
    gazetteer already reads (a region, a concept such as 长三角, an institution)."""
    known = [(s, e) for s, e, _ in gazetteer.find_regions(question)]
    known += [(s, e) for s, e, _ in gazetteer.find_concepts(question)]
    known += [(s, e) for s, e, _ in gazetteer.find_institutions(question)]
    out, pos = [], 0
    for pair in _posseg().cut(question):
        word, flag = pair.word, pair.flag
        start, pos = question.find(word, pos), pos + len(word)
        if flag != "ns" or len(word) < 2 or word in NATIONAL or gazetteer.region(word) is not None:
            continue
        if any(s <= start and start + len(word) <= e for s, e in known) or word in out:
            continue
        out.append(word)
    return tuple(out)


def names_places(ans: Answer, places: tuple[str, ...], texts) -> bool:
    """Whether every place is named in a cited passage or the lead of its paragraph."""
    def context(c) -> str:
        return texts[c.doc_id][max(0, c.start - _CONTEXT):c.end]
    return all(any(p in context(c) for c in ans.citations) for p in places)
