"""Keep the search indexes of a knowledge base in step with its documents; open a Searcher."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from kg.errors import StoreError

from kg.index.bm25 import Bm25Index
from kg.index.dense import DenseIndex, Embedder, VectorCache, embed_passages
from kg.index.search import Searcher, SearchSettings
from kg.kb.store import KnowledgeBase
from kg.progress import Report
from kg.types import Chunk

Progress = Report


def _load(load: Callable[[Path], object], path: Path, what: str):
    """A saved index, or None when there is none; a damaged one is a StoreError naming the fix."""
    try:
        return load(path)
    except Exception as e:  # noqa: BLE001 - json, bm25s, numpy and faiss each raise their own types
        raise StoreError(f"the {what} under {path} is damaged or incomplete ({type(e).__name__}: "
                         f"{' '.join(str(e).split())[:120]}): run `kg ingest --kb {path.parent} --reindex` "
                         "to rebuild it") from None


def _once(load: Callable[[], list[Chunk]]) -> Callable[[], list[Chunk]]:
    """The chunks read from the store at most once per refresh, however many indexes need them."""
    got: list[list[Chunk]] = []

    def chunks() -> list[Chunk]:
        if not got:
            got.append(load())
        return got[0]
    return chunks


class SearchIndexes:
    """The BM25 and vector indexes under <kb>/bm25 and <kb>/vectors; a build.Refresher."""

    def __init__(self, settings: SearchSettings = SearchSettings(),
                 embedder_factory: Callable[[], Embedder] | None = None) -> None:
        self.settings = settings
        self._factory = embedder_factory
        self._embedder: Embedder | None = None

    @property
    def embedder(self) -> Embedder | None:
        if self._embedder is None and self._factory is not None and self.settings.dense:
            self._embedder = self._factory()
        return self._embedder

    def _bm25(self, kb: KnowledgeBase, chunks: Callable[[], list[Chunk]], force: bool = False,
              reader: bool = False) -> Bm25Index:
        idx = None if force else _load(Bm25Index.load, kb.root / "bm25", "BM25 index")
        s = self.settings
        if idx is None or idx.generation != kb.generation or idx.scheme != s.scheme:
            idx = Bm25Index.build(chunks(), s.scheme, s.k1, s.b, kb.generation)
            if not reader and not kb.read_only:  # a reader keeps the rebuilt index in memory: it never writes
                idx.save(kb.root / "bm25")
        return idx

    def _dense(self, kb: KnowledgeBase, chunks: Callable[[], list[Chunk]], progress: Progress | None = None,
               force: bool = False, rebuild: bool = True) -> DenseIndex | None:
        if not self.settings.dense:
            return None
        idx = None if force else _load(DenseIndex.load, kb.root / "vectors", "vector index")
        if idx is None and not rebuild:
            return None  # built with --no-dense: search with BM25 rather than embed every chunk unasked
        emb = self.embedder
        if emb is None:
            return None
        if idx is not None and idx.model != emb.name and not rebuild:
            idx.check_model(emb)  # a search never silently re-embeds the corpus with another model
        if idx is not None and not rebuild:
            # a reader never embeds nor writes: vectors of an older generation still find the chunks they hold
            # (search drops ids no longer in the base), BM25 finds the rest until an ingest refreshes them
            return idx
        if idx is None or idx.generation != kb.generation or idx.model != emb.name:
            cache = VectorCache(kb.root / "vectors-cache.sqlite")
            try:
                vecs = embed_passages(chunks(), emb, cache, progress=progress)
            finally:
                cache.close()
            idx = DenseIndex.build([c.id for c in chunks()], vecs, emb.name, kb.generation)
            idx.save(kb.root / "vectors")
            kb.update_manifest(embedding_model=self.settings.model, embedding_dim=emb.dim)
        return idx

    def refresh(self, kb: KnowledgeBase, progress: Progress | None = None, force: bool = False) -> None:
        chunks = _once(kb.chunks)
        if progress:
            progress("index", 0, 1)
        self._bm25(kb, chunks, force)
        if progress:
            progress("index", 1, 1)
        self._dense(kb, chunks, progress, force)
        kb.update_manifest(search={"scheme": self.settings.scheme, "k1": self.settings.k1, "b": self.settings.b})

    def searcher(self, kb: KnowledgeBase, progress: Progress | None = None) -> Searcher:
        """A Searcher over the current generation. A reader writes nothing and never waits for a writer: a stale
        BM25 index is rebuilt in memory, stale vectors are used as they are (kg ingest refreshes both)."""
        chunks = _once(kb.chunks)
        bm25 = self._bm25(kb, chunks, reader=True)
        dense = self._dense(kb, chunks, progress, rebuild=False)
        meta = {d.id: (d.region, d.year) for d in kb.documents()}
        return Searcher(chunks(), bm25, dense, self.embedder if dense is not None else None, meta, self.settings)
