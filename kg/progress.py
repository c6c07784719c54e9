"""Ingest progress as a pure model: the stages in order, their counts, and the time a stage has left,
estimated from the rate measured in that stage so far. The front ends only render its events."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Protocol

# In the order an ingest runs them: each file is parsed, its facts extracted and stored; then the BM25
# index; then the passages' vectors (the long part, absent with --no-dense); then the RDF graph.
STAGES: tuple[str, ...] = ("parse", "index", "embed", "graph")


class Report(Protocol):
    """What the library calls as it works: a stage, how many of its units are done out of how
    many, and the unit at hand (a file name, a document id; "" when there is none)."""

    def __call__(self, stage: str, done: int, total: int, item: str = "") -> None: ...


@dataclass(frozen=True, slots=True)
class Event:
    """Where an ingest stands. `eta` is the seconds this stage has left at the rate measured so far,
    None until one unit is done; `fraction` is of the whole run, the stages weighing alike."""

    stage: str
    number: int  # 1-based place of the stage among `stages`
    stages: int
    done: int
    total: int
    item: str = ""
    elapsed: float = 0.0  # seconds since the stage began
    eta: float | None = None
    rate: float | None = None  # units per second in this stage

    def __post_init__(self) -> None:
        if self.total < 0 or not 0 <= self.done <= self.total:
            raise ValueError(f"progress {self.done}/{self.total} of {self.stage} is out of range")
        if self.eta is not None and self.eta < 0:
            raise ValueError(f"negative time left: {self.eta}")

    @property
    def stage_fraction(self) -> float:
        return 1.0 if self.total == 0 else min(self.done / self.total, 1.0)

    @property
    def fraction(self) -> float:
        return min((self.number - 1 + self.stage_fraction) / self.stages, 1.0)

    @property
    def finished(self) -> bool:
        return self.done >= self.total


@dataclass(slots=True)
class _Stage:
    name: str
    start: float
    anchor: tuple[float, int] | None = None  # (time, done) of the first report with work done


@dataclass(slots=True)
class Tracker:
    """Turns the library's reports into Events and hands each to `sink`. The rate of a stage is
    measured from its first report with work done, so the one-off start of a stage (loading the
    embedding model before the first batch) does not count as the pace of the rest; before a second
    such report, the rate since the stage began stands in."""

    sink: Callable[[Event], None]
    stages: tuple[str, ...] = STAGES
    clock: Callable[[], float] = time.monotonic
    events: list[Event] = field(default_factory=list)
    keep: bool = False  # keep every event in `events` (tests, the bench)
    _current: _Stage | None = None

    def __call__(self, stage: str, done: int, total: int, item: str = "") -> None:
        if stage not in self.stages:  # a stage the front end did not expect is shown, never an error
            self.stages = (*self.stages, stage)
        total = max(total, 0)
        done = min(max(done, 0), total)  # a miscount is shown clamped: progress never stops an ingest
        now = self.clock()
        st = self._current
        if st is None or st.name != stage:
            st = self._current = _Stage(stage, now)
        if st.anchor is None and done > 0:
            st.anchor = (now, done)
        rate = self._rate(st, now, done)
        left = max(total - done, 0)
        eta = 0.0 if left == 0 else None if rate is None else left / rate
        ev = Event(stage, self.stages.index(stage) + 1, len(self.stages), done, total, item, now - st.start,
                   eta, rate)
        if self.keep:
            self.events.append(ev)
        self.sink(ev)

    @staticmethod
    def _rate(st: _Stage, now: float, done: int) -> float | None:
        if st.anchor is None:
            return None
        t0, d0 = st.anchor
        if done > d0 and now > t0:
            return (done - d0) / (now - t0)
        return done / (now - st.start) if now > st.start else None


def format_seconds(seconds: float) -> str:
    """A short English duration: 45 s, 3 min 5 s, 1 h 2 min."""
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s" if s % 60 else f"{s // 60} min"
    return f"{s // 3600} h {s % 3600 // 60} min"
