"""Chinese tokens for BM25: overlapping character bigrams, jieba words, or both."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

SCHEMES = ("bigram", "jieba", "bigram+jieba", "bigram+unigram")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z]+[0-9]*|[0-9]+(?:\.[0-9]+)?%?")
_SUPERSCRIPT = re.compile("[\u00b2\u00b3\u00b9\u2070-\u209f]")

# Question words carry no evidence: dropped from queries only, never from passages.
QUERY_STOPWORDS = frozenset("""
多少 是多少 几个 什么 是什么 哪个 哪些 哪几 哪家 哪年 哪月 哪里 怎么 怎样 如何 为何 为什么 是否 能不能 有没有
吗 呢 吧 请问 一下 分别 各是 各自 对比 比较 一共 总共 报告 里 的 了 和 与 及 是 在 有 对 为
""".split())
_QUERY_STOP_BIGRAMS = frozenset(w for w in QUERY_STOPWORDS if len(w) == 2)


def normalise(text: str) -> str:
    """NFKC (full-width digits/letters to ASCII), lower case, no footnote superscripts."""
    return unicodedata.normalize("NFKC", _SUPERSCRIPT.sub("", text)).lower()


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


@lru_cache(maxsize=1)
def _jieba():
    import jieba  # lazy: 1 s to load its dictionary
    jieba.setLogLevel(60)
    return jieba


def tokens(text: str, scheme: str = "bigram") -> list[str]:
    """Tokens of a passage: CJK runs as bigrams (and/or jieba words), ASCII words and numbers whole."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown token scheme {scheme!r}: use one of {', '.join(SCHEMES)}")
    out: list[str] = []
    for m in _RUN.finditer(normalise(text)):
        run = m.group()
        if not ("\u3400" <= run[0] <= "\ufaff"):
            out.append(run)
            continue
        if "bigram" in scheme:
            out.extend(_bigrams(run))
        if scheme == "bigram+unigram" and len(run) > 1:
            out.extend(run)
        if "jieba" in scheme:
            words = [w for w in _jieba().lcut(run) if w.strip()]
            out.extend(("w:" + w) if scheme == "bigram+jieba" else w for w in words)
    return out


def query_tokens(text: str, scheme: str = "bigram") -> list[str]:
    """Tokens of a question, without question words."""
    toks = tokens(text, scheme)
    return [t for t in toks if t not in _QUERY_STOP_BIGRAMS and t.removeprefix("w:") not in QUERY_STOPWORDS]
