"""What answering needs, gathered once: searcher, documents, chunks, tables, figures, gazetteer, settings."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence

from kg.extract.numbers import data_year
from kg.types import Chunk, Definition, Document, Enumeration, Figure, Table


class Generator(Protocol):
    """A language model that rewrites an answer from the cited passages only."""

    def generate(self, question: str, draft: str, passages: Sequence[str]) -> str: ...


@dataclass(frozen=True, slots=True)
class QASettings:
    """Answering knobs; the thresholds were calibrated on the dev question set (see kg/eval/qa.py)."""

    passages: int = 12  # chunks taken from each search
    tables: int = 8  # tables whose cells are read, besides those the question names
    min_value_score: float = 0.5  # a value below this is not taken (for a part, an option, a side)
    min_single_value_score: float = 0.55  # a one-value answer below this abstains (calibrated on dev, held-out
    #                                        and bench/questions together: 5 wrong answers fewer for 1 right)
    min_text_score: float = 0.55  # a sentence answer below this abstains
    generator_url: str | None = None  # OpenAI-compatible base URL, e.g. http://localhost:8000/v1
    generator_model: str | None = None
    generate: bool = False  # rewrite answers with the generator (off by default, never in tests)
    decide: bool = True  # the fitted decision (kg.qa.decide) picks and thresholds; False: the rules' own answer
    #                      (their hand floors decide), what the tests of a rule's mechanism read
    compose: bool = True  # a question of several asks may be answered part by part (kg.qa.decide.compose)
    model_file: str | None = None  # the decision model: the knowledge base's own (kg fit --feedback), else shipped

    def __post_init__(self) -> None:
        if self.passages < 1 or self.tables < 0:
            raise ValueError(f"passages must be >= 1 and tables >= 0, got {self.passages}, {self.tables}")
        if self.generate and not (self.generator_url and self.generator_model):
            raise ValueError("generate=True needs generator_url and generator_model")


class Searcher(Protocol):
    """kg.index.search.Searcher, or a stand-in: hits with a .chunk, best first."""

    def search(self, query: str, k: int = 5, filters: Any = ...) -> list: ...


@dataclass(frozen=True, slots=True)
class QAContext:
    """Everything `answer` reads. Built by make_context (kg.service.open_qa wires it to a knowledge base).

    The caches hold derived, deterministic data (candidate cells per table, figures read from a chunk when none
    were stored) so a batch of questions does not recompute them; they never change an answer.
    """

    searcher: Searcher
    documents: Mapping[str, Document]
    chunks: Mapping[str, Chunk]
    tables: tuple[Table, ...]
    figures: tuple[Figure, ...]
    figures_by_chunk: Mapping[str, tuple[Figure, ...]]
    gazetteer: Any
    settings: QASettings
    data_years: Mapping[str, int | None]
    chunks_by_table: Mapping[str, tuple[Chunk, ...]]
    generator: Generator | None = None
    definitions: tuple[Definition, ...] = ()  # found at ingestion: what `X指什么` is answered from
    enumerations: tuple[Enumeration, ...] = ()  # found at ingestion: what `X是哪几项` is answered from
    stored_figures: bool = False  # figures came with the knowledge base; else they are read per chunk
    cache: dict = field(default_factory=dict, compare=False, repr=False)


def make_context(searcher: Searcher, documents: Sequence[Document], chunks: Sequence[Chunk],
                 tables: Sequence[Table], figures: Sequence[Figure], gazetteer, settings: QASettings = QASettings(),
                 generator: Generator | None = None, definitions: Sequence[Definition] = (),
                 enumerations: Sequence[Enumeration] = ()) -> QAContext:
    by_chunk: dict[str, list[Figure]] = defaultdict(list)
    for f in figures:
        by_chunk[f.chunk_id].append(f)
    by_table: dict[str, list[Chunk]] = defaultdict(list)
    for c in chunks:
        if c.table_id:
            by_table[c.table_id].append(c)
    return QAContext(
        searcher=searcher, documents={d.id: d for d in documents}, chunks={c.id: c for c in chunks},
        tables=tuple(tables), figures=tuple(figures), figures_by_chunk={k: tuple(v) for k, v in by_chunk.items()}, gazetteer=gazetteer,
        settings=settings, data_years={d.id: data_year(d) for d in documents},
        chunks_by_table={k: tuple(v) for k, v in by_table.items()}, generator=generator,
        definitions=tuple(definitions), enumerations=tuple(enumerations),
        stored_figures=bool(figures))
