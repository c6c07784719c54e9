"""Dense vectors in a faiss index, with an embedding cache keyed by model and text hash."""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from kg.errors import ModelError
from kg.index.embed import Embedder
from kg.kb.store import replace_dir
from kg.types import Chunk


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Passage vectors by (model, sha1 of text): re-ingesting unchanged text embeds nothing."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.damaged = False  # it was damaged, moved aside and started afresh (a cache: nothing is lost)
        try:
            self._open(path)
        except sqlite3.DatabaseError:
            path.replace(path.with_name(path.name + ".damaged"))
            self.damaged = True
            self._open(path)

    def _open(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False)
        try:
            self._db.execute("CREATE TABLE IF NOT EXISTS vec (model TEXT, key TEXT, v BLOB, "
                             "PRIMARY KEY(model, key))")
            self._db.execute("SELECT count(*) FROM vec").fetchone()
        except sqlite3.DatabaseError:
            self._db.close()
            raise

    def get(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            part = list(keys[i:i + 500])
            q = f"SELECT key, v FROM vec WHERE model = ? AND key IN ({','.join('?' * len(part))})"
            for k, blob in self._db.execute(q, [model, *part]):
                out[k] = np.frombuffer(blob, dtype=np.float32)
        return out

    def put(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vec VALUES (?,?,?)",
                                 [(model, k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()])

    def close(self) -> None:
        self._db.close()


def embed_passages(chunks: Sequence[Chunk], embedder: Embedder, cache: VectorCache, batch: int = 64,
                   progress: Callable[..., None] | None = None) -> np.ndarray:
    """Vectors for the chunks' search texts, embedding only what the cache lacks.

    Texts go to the model shortest first, so each batch pads to a similar length.
    """
    keys = [text_key(c.search_text) for c in chunks]
    have = cache.get(embedder.name, sorted(set(keys)))
    todo = sorted({k: c.search_text for k, c in zip(keys, chunks) if k not in have}.items(),
                  key=lambda kv: (len(kv[1]), kv[0]))
    if progress and todo:  # before the first batch, which also loads the model
        progress("embed", 0, len(todo))
    for i in range(0, len(todo), batch):
        part = todo[i:i + batch]
        vecs = embedder.embed([t for _, t in part], "passage")
        new = {k: v for (k, _), v in zip(part, vecs)}
        cache.put(embedder.name, new)
        have.update(new)
        if progress:
            progress("embed", min(i + batch, len(todo)), len(todo))
    if not chunks:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.stack([have[k] for k in keys]).astype(np.float32)


class DenseIndex:
    """Inner-product search over normalised vectors (cosine); `ids[i]` is row i."""

    def __init__(self, ids: list[str], index, model: str, dim: int, generation: int = 0) -> None:
        self.ids = ids
        self.index = index
        self.model = model
        self.dim = dim
        self.generation = generation
        self._rows = {cid: i for i, cid in enumerate(ids)}

    @classmethod
    def build(cls, ids: list[str], vectors: np.ndarray, model: str, generation: int = 0) -> "DenseIndex":
        import faiss
        dim = int(vectors.shape[1])
        index = faiss.IndexFlatIP(dim)
        if len(ids):
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(ids, index, model, dim, generation)

    def check_model(self, embedder: Embedder) -> None:
        if embedder.name != self.model or embedder.dim != self.dim:
            raise ModelError(f"the vector index was built with {self.model} ({self.dim} dims) but the model in use is "
                             f"{embedder.name} ({embedder.dim} dims): run `kg ingest --reindex` to rebuild it")

    def search(self, qvec: np.ndarray, n: int) -> list[tuple[str, float]]:
        if not self.ids:
            return []
        scores, rows = self.index.search(np.ascontiguousarray(qvec.reshape(1, -1), dtype=np.float32),
                                         min(n, len(self.ids)))
        return [(self.ids[r], float(s)) for r, s in zip(rows[0], scores[0]) if r >= 0]

    def vector(self, chunk_id: str) -> np.ndarray | None:
        """The stored vector of one chunk (a flat index keeps them as they were added)."""
        row = self._rows.get(chunk_id)
        return None if row is None else self.index.reconstruct(row)

    def save(self, dest: Path) -> None:
        import faiss
        tmp = dest.with_name(dest.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        faiss.write_index(self.index, str(tmp / "index.faiss"))
        meta = {"model": self.model, "dim": self.dim, "generation": self.generation, "ids": self.ids}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        replace_dir(tmp, dest)

    @classmethod
    def load(cls, src: Path) -> "DenseIndex | None":
        if not (src / "meta.json").exists():
            return None
        import faiss
        meta = json.loads((src / "meta.json").read_text(encoding="utf-8"))
        return cls(meta["ids"], faiss.read_index(str(src / "index.faiss")), meta["model"], meta["dim"],
                   meta["generation"])
