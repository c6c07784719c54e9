"""BM25 over Chinese tokens (bm25s), persisted in the knowledge base directory."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Sequence

import numpy as np

from kg.index.tokenize import query_tokens, tokens
from kg.kb.store import replace_dir
from kg.types import Chunk


class Bm25Index:
    """Scores every chunk for a query; `ids[i]` is the chunk behind score i."""

    def __init__(self, ids: list[str], model, scheme: str, generation: int = 0, csc=None) -> None:
        self.ids = ids
        self.model = model
        self.scheme = scheme
        self.generation = generation
        # csc: (vocab, data, indices, indptr) read from bm25s's saved files, so that a loaded index
        # scores without importing bm25s and scipy (a second of a cold `kg ask`)
        self._csc = csc
        self._vocab = csc[0] if csc is not None else dict(model.vocab_dict) if model is not None else {}

    @classmethod
    def build(cls, chunks: Sequence[Chunk], scheme: str = "bigram", k1: float = 1.2, b: float = 0.75,
              generation: int = 0) -> "Bm25Index":
        import bm25s
        model = bm25s.BM25(k1=k1, b=b)
        # one string object per distinct token: 60k chunks hold 36M tokens, 2 GB as separate strings
        seen: dict[str, str] = {}
        corpus = [[seen.setdefault(t, t) for t in tokens(c.search_text, scheme)] or ["\x00"] for c in chunks]
        if corpus:
            model.index(corpus, show_progress=False)
        return cls([c.id for c in chunks], model if corpus else None, scheme, generation)

    def scores(self, query: str) -> np.ndarray:
        toks = [t for t in query_tokens(query, self.scheme) if t in self._vocab]
        if not toks or (self.model is None and self._csc is None):
            return np.zeros(len(self.ids), dtype=np.float32)
        if self._csc is not None:  # bm25s's get_scores for the lucene/robertson/atire methods, same order
            _, data, indices, indptr = self._csc
            out = np.zeros(len(self.ids), dtype=data.dtype)
            for t in (self._vocab[t] for t in toks):
                out[indices[indptr[t]:indptr[t + 1]]] += data[indptr[t]:indptr[t + 1]]
            return np.asarray(out, dtype=np.float32)
        return np.asarray(self.model.get_scores(toks), dtype=np.float32)

    def save(self, dest: Path) -> None:
        tmp = dest.with_name(dest.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.model is not None:
            self.model.save(str(tmp / "bm25s"), show_progress=False)
        meta = {"scheme": self.scheme, "generation": self.generation, "ids": self.ids}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        replace_dir(tmp, dest)

    @classmethod
    def load(cls, src: Path) -> "Bm25Index | None":
        """The saved index, or None when there is none (the caller rebuilds)."""
        meta_path = src / "meta.json"
        if not meta_path.exists():
            return None
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not meta["ids"]:
            return cls([], None, meta["scheme"], meta["generation"])
        d = src / "bm25s"
        params = json.loads((d / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method", "lucene") in ("lucene", "robertson", "atire"):  # no non-occurrence scores
            vocab = json.loads((d / "vocab.index.json").read_text(encoding="utf-8"))
            arrays = [np.load(d / f"{name}.csc.index.npy") for name in ("data", "indices", "indptr")]
            return cls(meta["ids"], None, meta["scheme"], meta["generation"], (vocab, *arrays))
        import bm25s
        model = bm25s.BM25.load(str(d), show_progress=False)
        return cls(meta["ids"], model, meta["scheme"], meta["generation"])
