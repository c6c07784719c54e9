"""Ingest progress: the model's arithmetic on a made-up clock, its events on a real ingest of the bundled
corpus, and how the CLI shows them on a pipe and on a terminal."""
from __future__ import annotations

import io

import pytest

from kg.progress import STAGES, Event, Tracker, format_seconds

from conftest import CORPUS, LIAONING, SHANXI


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_eta_comes_from_the_pace_after_the_first_batch_and_shrinks():
    clock, events = Clock(), []
    t = Tracker(events.append, ("embed",), clock)
    t("embed", 0, 600)
    clock.now += 10.0  # loading the model (8 s), then the first batch of 100 (2 s)
    t("embed", 100, 600)
    first = events[-1]
    assert events[0].eta is None and events[0].rate is None, "no estimate before any work is done"
    assert first.rate == pytest.approx(10.0) and first.eta == pytest.approx(50.0), "since the stage began: 100 in 10 s"
    for done in range(200, 700, 100):
        clock.now += 2.0  # 50 passages a second from then on: the model load no longer counts
        t("embed", done, 600)
    etas = [e.eta for e in events[2:]]
    assert etas == pytest.approx([8.0, 6.0, 4.0, 2.0, 0.0])
    assert events[-1].finished and events[-1].elapsed == pytest.approx(20.0)
    assert [e.fraction for e in events] == sorted(e.fraction for e in events)


def test_stages_number_in_order_and_an_unexpected_one_is_shown_not_raised():
    clock, events = Clock(), []
    t = Tracker(events.append, ("parse", "index", "graph"), clock)
    t("parse", 0, 2, "a.txt")
    t("parse", 2, 2)
    t("graph", 1, 2, "doc-1")
    t("embed", 1, 4)
    assert [(e.stage, e.number, e.stages) for e in events] == [
        ("parse", 1, 3), ("parse", 1, 3), ("graph", 3, 3), ("embed", 4, 4)]
    assert events[1].fraction == pytest.approx(1 / 3) and events[2].fraction == pytest.approx(2.5 / 3)
    with pytest.raises(ValueError, match="out of range"):
        Event("parse", 1, 1, 3, 2)
    t("graph", 3, 2)  # a miscount from a caller is clamped, never an error in the middle of an ingest
    assert (events[-1].done, events[-1].total, events[-1].eta) == (2, 2, 0.0)
    assert format_seconds(42.4) == "42 s" and format_seconds(185) == "3 min 5 s" and format_seconds(3720) == "1 h 2 min"


@pytest.fixture(scope="module")
def corpus_events(tmp_path_factory):
    """Every progress event of a first ingest of the bundled corpus (fake embedder: all four stages run)."""
    from kg import service
    from kg.config import Settings
    from kg.kb.store import KnowledgeBase
    root = tmp_path_factory.mktemp("progress") / "kb"
    settings = Settings(kb=root, model="fake")
    tracker = Tracker(lambda e: None, service.ingest_stages(settings), keep=True)
    with KnowledgeBase.open(root, create=True) as kb:
        rep = service.ingest(kb, [CORPUS], settings, tracker)
        chunks = len(kb.chunks())
    assert len(rep.added) == 5
    return tracker.events, chunks


def test_a_real_ingest_reports_every_stage_in_order_up_to_its_total(corpus_events):
    events, chunks = corpus_events
    order = [e.stage for i, e in enumerate(events) if i == 0 or events[i - 1].stage != e.stage]
    assert order == list(STAGES), "each stage once, in the order they run"
    last = {e.stage: e for e in events}
    assert (last["parse"].done, last["parse"].total) == (5, 5)
    assert (last["embed"].done, last["embed"].total) == (chunks, chunks), "every passage embedded once"
    assert (last["graph"].done, last["graph"].total) == (5, 5)
    assert all(e.finished and e.eta == 0.0 for e in last.values())
    assert [e.item for e in events if e.stage == "parse" and not e.finished] == sorted(p.name for p in CORPUS.glob("*.txt"))
    assert all(e.eta is None or e.eta >= 0 for e in events)
    fractions = [e.fraction for e in events]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_a_real_ingest_estimates_the_embedding_from_the_passages_done(corpus_events):
    events, chunks = corpus_events
    embed = [e for e in events if e.stage == "embed"]
    assert embed[0].done == 0 and embed[0].eta is None, "nothing to go on before the first batch"
    for e in embed[1:]:
        assert e.rate > 0 and e.eta == pytest.approx((e.total - e.done) / e.rate)
    estimates = [e.eta for e in embed[1:]]
    assert len(estimates) >= 3 and estimates[0] > 0 and estimates[-1] == 0
    assert estimates[-2] < estimates[0], "one batch left is estimated shorter than all but one"


def test_the_cli_prints_plain_progress_lines_off_a_terminal(tmp_path, capsys):
    from kg.cli.main import main
    assert main(["ingest", "--kb", str(tmp_path / "kb"), "--no-dense", str(CORPUS / LIAONING),
                 str(CORPUS / SHANXI)]) == 0
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert "\r" not in err and all(line.startswith("[") for line in lines)
    assert lines[0].startswith(f"[parse 1/2] {LIAONING} · step 1/3")
    graphs = {line.split("] ")[1].split(" · ")[0] for line in lines if line.startswith("[graph") and " done " not in line}
    assert graphs == {LIAONING, SHANXI}, "the graph stage names reports by file"
    assert lines[1].startswith(f"[parse 2/2] {SHANXI} · step 1/3 · ") and "files/s" in lines[1] and "left" in lines[1]
    ends = [line.split("]")[0] for line in lines if " done in " in line]
    assert ends == ["[parse 2/2", "[index 1/1", "[graph 2/2"], "each stage says when it is done, no embedding"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_one_line_is_rewritten_and_a_finished_stage_keeps_its_own():
    from kg.cli.common import progress
    out, clock = Tty(), Clock()
    t = progress(("embed", "graph"), out)
    t.clock = clock
    t("embed", 0, 128)
    clock.now += 4
    t("embed", 64, 128)
    clock.now += 1
    t("embed", 128, 128)
    t("graph", 0, 1, "doc-1")
    shown = out.getvalue().split("\r\x1b[K")[1:]
    assert shown == ["[embed 0/128] · step 1/2 · loading the model",
                     "[embed 64/128] · step 1/2 · 16.0 passages/s · ~4 s left",
                     "[embed 128/128] done in 5 s\n",
                     "[graph 1/1] doc-1 · step 2/2"]
