"""Places a question names that the gazetteer does not know (东京, 成都): the evidence must name them too."""
from __future__ import annotations

import os
import re
import sqlite3
from functools import lru_cache
from pathlib import Path

from kg.qa.read.terms import COUNTED_PLACES
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


CACHE = Path.home() / ".cache" / "policykg"  # as Settings.model_cache


class _Freq:
    """jieba's word frequencies (and which words it tags ns) in an sqlite file: a question looks up a few
    hundred words in milliseconds where loading the dictionary takes half a second."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db, self._memo = db, {}
        self.total = int(db.execute("SELECT n FROM freq WHERE word = ''").fetchone()[0])

    def get(self, word: str, default=None):
        if word not in self._memo:
            row = self._db.execute("SELECT n, ns FROM freq WHERE word = ?", (word,)).fetchone()
            self._memo[word] = row
        row = self._memo[word]
        return default if row is None else row[0]

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        n = self.get(word)
        if n is None:
            raise KeyError(word)
        return n

    def is_ns(self, word: str) -> bool:
        self.get(word)
        return bool(self._memo[word] and self._memo[word][1])


def _build_freq(path: Path) -> None:
    """Write jieba's loaded dictionary to `path` (once per jieba dictionary): temp file, then rename."""
    import jieba
    jieba.setLogLevel(60)
    jieba.initialize()
    with jieba.get_dict_file() as f:
        ns = {m.decode("utf-8") for m in re.findall(rb"^(\S+) \d+ ns\r?$", f.read(), re.M)}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, n INTEGER, ns INTEGER) WITHOUT ROWID")
    rows = ((w, n, w in ns) for w, n in jieba.dt.FREQ.items() if w)
    db.executemany("INSERT INTO freq VALUES (?, ?, ?)", rows)
    db.execute("INSERT INTO freq VALUES ('', ?, 0)", (jieba.dt.total,))
    db.commit()
    db.close()
    os.replace(tmp, path)


@lru_cache(maxsize=1)
def _tokenizer():
    """A jieba Tokenizer whose dictionary is the sqlite copy (built on first use), with its ns lookup."""
    import jieba
    dict_file = Path(jieba.__file__).parent / "dict.txt"
    stat = dict_file.stat()
    path = CACHE / f"jieba-{jieba.__version__}-{stat.st_size}-{int(stat.st_mtime)}.sqlite"
    try:
        if not path.exists():
            _build_freq(path)
        freq = _Freq(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))
    except (OSError, sqlite3.Error):  # no writable cache: the dictionary in memory, as jieba has it
        jieba.setLogLevel(60)
        jieba.initialize()
        return jieba.dt, _NsInMemory()
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = freq, freq.total, True
    return tok, freq.is_ns


class _NsInMemory:
    def __init__(self) -> None:
        import jieba
        with jieba.get_dict_file() as f:
            self.ns = frozenset(m.decode("utf-8") for m in re.findall(rb"^(\S+) \d+ ns\r?$", f.read(), re.M))

    def __call__(self, word: str) -> bool:
        return word in self.ns


_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._]+)")  # posseg's re_han_internal
_HAN_RUN = re.compile(r"[\u4E00-\u9FD5]{2,}")  # posseg's HMM runs on re_han_detail runs; one char is too short


def _may_tag_place(question: str, gazetteer) -> bool:
    """Whether posseg could find a place unknown_places keeps, decided without its tables.

    posseg walks the same dictionary route as jieba: a word of two or more characters gets its
    dictionary tag, and only a run of lone characters that is not itself a word goes to its HMM,
    which may tag any two or more Chinese characters in a row. So: a route word tagged ns that is
    neither the nation nor a known region, or such a run.
    """
    tok, is_ns = _tokenizer()

    def hmm_may_tag(buf: str) -> bool:
        return len(buf) > 1 and not tok.FREQ.get(buf) and _HAN_RUN.search(buf) is not None

    for blk in _BLOCK.findall(question):
        route: dict = {}
        tok.calc(blk, tok.get_DAG(blk), route)
        x, buf = 0, ""
        while x < len(blk):
            y = route[x][1] + 1
            if y - x == 1:
                buf += blk[x]
            else:
                if hmm_may_tag(buf):
                    return True
                buf, word = "", blk[x:y]
                if is_ns(word) and word not in NATIONAL and gazetteer.region(word) is None:
                    return True
            x = y
        if hmm_may_tag(buf):
            return True
    return False


def unknown_places(question: str, gazetteer) -> tuple[str, ...]:
    """Place names (jieba's ns tag) that are neither a known region nor the nation, nor inside a name the
    gazetteer already reads (a region, a concept such as 长三角, an institution)."""
    if not _may_tag_place(question, gazetteer):  # the common case: no part-of-speech tables to load
        return ()
    known = [(s, e) for s, e, _ in gazetteer.find_regions(question)]
    known += [(s, e) for s, e, _ in gazetteer.find_concepts(question)]
    known += [(s, e) for s, e, _ in gazetteer.find_institutions(question)]
    out, pos = [], 0
    for pair in _posseg().cut(question):
        word, flag = pair.word, pair.flag
        start, pos = question.find(word, pos), pos + len(word)
        if flag != "ns" or len(word) < 2 or word in NATIONAL or gazetteer.region(word) is not None \
                or COUNTED_PLACES.fullmatch(word):
            continue  # 三省 / 两市: how many of the places named, no place itself
        if any(s <= start and start + len(word) <= e for s, e in known) or word in out:
            continue
        out.append(word)
    return tuple(out)


def names_places(ans: Answer, places: tuple[str, ...], texts) -> bool:
    """Whether every place is named in a cited passage or the lead of its paragraph."""
    def context(c) -> str:
        return texts[c.doc_id][max(0, c.start - _CONTEXT):c.end]
    return all(any(p in context(c) for c in ans.citations) for p in places)
