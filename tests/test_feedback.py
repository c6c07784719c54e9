"""An analyst's verdicts kept as labelled examples (kg.qa.learn.feedback): stored with the proposals' features,
exported as a question file, turned into labelled questions for kg fit, dropped with their report."""
import json
import shutil

import pytest

from kg.errors import UsageError

from test_qa_answer import LIAONING, kb_dir  # noqa: F401 - the same three-excerpt knowledge base


@pytest.fixture
def kb_ctx(kb_dir, tmp_path):  # noqa: F811
    """A writable copy of the three-excerpt knowledge base, its QA context with the installed decision model."""
    from kg import service
    from kg.config import Settings
    from kg.kb.store import KnowledgeBase
    root = tmp_path / "kb"
    shutil.copytree(kb_dir, root)
    kb = KnowledgeBase.open(root)
    yield kb, service.open_qa(kb, Settings(kb=root, dense=False))
    kb.close()


def _span(kb, needle: str) -> tuple[str, int, int]:
    doc = next(kb.document(d) for d in kb.doc_ids() if needle in kb.document(d).text)
    start = doc.text.index(needle)
    return doc.id, start, start + len(needle)


def test_a_right_answer_is_kept_with_every_proposal_and_labels_the_shown_one(kb_ctx):
    from kg.qa.decide.fit import judge
    from kg.qa.learn.feedback import labelled, record
    from kg.service import answer_id, ask, feedback
    kb, ctx = kb_ctx
    shown = ask(ctx, "辽宁2024年旅游收入是多少？").answer
    assert "6325" in shown.text
    fb = feedback(kb, ctx, "辽宁2024年旅游收入是多少？", "right",
                  shown_id=answer_id("辽宁2024年旅游收入是多少？", shown.text))
    assert kb.feedback() == [fb] and fb.shown == shown.text and fb.request["kind"] == "number"
    assert fb.evidence and all("6325" in e.text for e in fb.evidence[:1])  # the shown answer's citation
    rec = record(fb)
    assert rec["accept"][0] == "6325" and all(a in shown.text for a in rec["accept"])  # the numbers it states
    assert rec["type"] == "number" and rec["match"] == "all" and judge(rec, shown.text)
    lab = labelled(fb)
    assert len(lab.rows) == len(fb.proposals) >= 1 and any(y for _, y in lab.rows)
    assert all(y == judge(rec, text) for (_, y), (_, text) in zip(lab.rows, fb.proposals))
    assert not any(y for (_, y), (_, text) in zip(lab.rows, fb.proposals) if "6325" not in text)


def test_a_wrong_answer_points_at_the_right_cell_and_exports_as_a_checked_question(kb_ctx, tmp_path):
    from kg.eval.qa import check_questions
    from kg.qa.learn.feedback import record
    from kg.service import feedback
    kb, ctx = kb_ctx
    doc_id, start, end = _span(kb, "1163")
    fb = feedback(kb, ctx, "辽宁省2024年地方政府债券净融资多少", "wrong", evidence=[(doc_id[:8], start, end)])
    assert fb.evidence[0].text == "1163" and fb.evidence[0].doc_id == doc_id
    names = {d.id: d.source for d in kb.documents()}
    rec = record(fb, names)
    assert rec["accept"] == ["1163"] and rec["doc"] == ["liaoning.txt"] and rec["evidence"] == ["1163"]
    check_questions([rec], "feedback")  # the question-file format kg eval and kg fit read
    absent = feedback(kb, ctx, "辽宁2030年旅游收入是多少？", "absent")
    assert record(absent)["type"] == "unanswerable" and record(absent)["accept"] == []


def test_bad_feedback_is_refused_with_one_line_and_nothing_is_stored(kb_ctx):
    from kg.service import feedback
    kb, ctx = kb_ctx
    doc_id, start, _ = _span(kb, "6325")
    for kwargs, says in ((dict(verdict="maybe"), "verdict"), (dict(verdict="wrong"), "right one"),
                         (dict(verdict="wrong", evidence=[(doc_id, start, 10 ** 7)]), "not within"),
                         (dict(verdict="right", shown_id="ans-000000000000"), "another answer")):
        with pytest.raises(UsageError, match=says):
            feedback(kb, ctx, "辽宁2024年旅游收入是多少？", **kwargs)
    assert kb.feedback() == []


def test_feedback_survives_re_ingest_of_the_same_text_and_goes_with_its_report(kb_ctx, tmp_path):
    from kg import service
    from kg.config import Settings
    kb, ctx = kb_ctx
    doc_id, start, end = _span(kb, "6325")
    service.feedback(kb, ctx, "辽宁2024年旅游收入是多少？", "wrong", evidence=[(doc_id, start, end)])
    src = tmp_path / "liaoning.txt"
    src.write_text(LIAONING, encoding="utf-8")
    settings = Settings(kb=kb.root, dense=False)
    assert not service.ingest(kb, [src], settings).errors  # the same text again: same document, example kept
    assert len(kb.feedback()) == 1
    service.remove(kb, doc_id, settings)
    assert kb.feedback() == [] and kb.dropped_feedback == 1


def test_cli_feedback_keeps_lists_and_exports(kb_dir, tmp_path, capsys):  # noqa: F811
    from kg.cli.main import main
    root = tmp_path / "kb"
    shutil.copytree(kb_dir, root)
    assert main(["feedback", "--kb", str(root), "--no-dense", "辽宁2024年旅游收入是多少？", "--right"]) == 0
    assert "kept fb-" in capsys.readouterr().out
    assert main(["feedback", "--kb", str(root), "--no-dense", "辽宁2024年旅游收入是多少？"]) == 1  # no verdict
    assert "one verdict" in capsys.readouterr().err
    out = tmp_path / "fb.jsonl"
    assert main(["feedback", "--kb", str(root), "--export", str(out)]) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1 and rows[0]["accept"][0] == "6325" and rows[0]["doc"] == ["liaoning.txt"]


def test_fit_with_feedback_installs_the_knowledge_base_s_own_model_and_rolls_back(kb_dir, tmp_path, capsys):  # noqa: F811
    """Questions generated from the knowledge base as train/dev, three verdicts, kg fit --feedback: a version of
    its own that answering then reads; --rollback returns to the shipped model."""
    from kg.cli.main import main
    from kg.config import Settings
    from kg.kb.store import KnowledgeBase
    from kg.qa.decide import model_for
    from kg.service import open_qa
    root = tmp_path / "kb"
    shutil.copytree(kb_dir, root)
    kb = ["--kb", str(root), "--no-dense"]
    syn = tmp_path / "syn.jsonl"
    assert main(["eval", *kb, "--synthetic", "--no-answer", "--write", str(syn), "--twins", "3"]) == 0
    rows = [json.loads(x) for x in syn.read_text(encoding="utf-8").splitlines()]
    for split, name in (("fit", "train"), ("holdout", "dev")):
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows
                                                        if r["split"] == split), encoding="utf-8")
    assert main(["feedback", *kb, "2024年四季度政府部门杠杆率上升多少", "--right"]) == 0
    assert main(["feedback", *kb, "辽宁2024年政府债券净融资占旅游收入的比重是多少", "--wrong", "--answer", "约18.4%"]) == 0
    assert main(["feedback", *kb, "2030年旅游收入", "--absent"]) == 0
    capsys.readouterr()
    code = main(["fit", *kb, str(tmp_path / "train.jsonl"), "--dev", str(tmp_path / "dev.jsonl"), "--feedback"])
    out = capsys.readouterr().out
    assert code == 0 and "installed v1" in out, out
    assert "feedback, the installed model: right" in out and "by a model fitted without it: right" in out
    with KnowledgeBase.open(root) as store:
        ctx = open_qa(store, Settings(kb=root, dense=False))
        assert ctx.settings.model_file.endswith("v1.json")
        assert "3 examples" in dict(model_for(ctx).info)["feedback"]
    assert main(["fit", "--kb", str(root), "--rollback"]) == 0
    assert "shipped model" in capsys.readouterr().out
    assert main(["fit", "--kb", str(root), "--rollback"]) == 1  # nothing left to roll back: one line, no traceback
    assert "no refitted model" in capsys.readouterr().err


def test_a_handful_of_examples_cannot_swamp_train_and_a_worse_refit_is_refused():
    from kg.qa.decide.fit import Outcome
    from kg.qa.learn.refit import FEEDBACK_SHARE, FEEDBACK_WEIGHT, weight, worse
    assert weight(2000, 5) == FEEDBACK_WEIGHT  # few examples: each weighs as three train questions
    assert weight(2000, 1000) * 1000 == pytest.approx(FEEDBACK_SHARE * 2000)  # many: a tenth of train together
    before = Outcome(457, 140, 13, 304)
    assert worse(before, Outcome(457, 138, 13, 306)) is None  # within 1% of dev
    assert "fewer dev questions right" in worse(before, Outcome(457, 130, 13, 314))
    assert "more dev questions wrong" in worse(before, Outcome(457, 150, 20, 287))


def test_a_corrected_question_is_answered_with_the_correction_and_its_span(kb_ctx):
    from kg.service import ask, feedback
    kb, ctx = kb_ctx
    q = "辽宁省2024年地方政府债券净融资多少"
    doc_id, start, end = _span(kb, "政府债券净融资1163亿元")
    feedback(kb, ctx, q, "wrong", answer="1163亿元", evidence=[(doc_id, start, end)])
    reply = ask(ctx, q, kb=kb)
    assert reply.answer.text == "1163亿元" and reply.answer.score == 1.0 and "fb-" in reply.hint
    assert [(c.doc_id, c.start, c.end) for c in reply.answer.citations] == [(doc_id, start, end)]
    feedback(kb, ctx, "辽宁2024年旅游收入是多少？", "absent")  # the analyst overrules: the reports do not say
    assert ask(ctx, "辽宁2024年旅游收入是多少？", kb=kb).answer.abstained
    feedback(kb, ctx, "辽宁2024年旅游收入是多少？", "right")  # the latest verdict counts: right, the engine answers
    assert "6325" in ask(ctx, "辽宁2024年旅游收入是多少？", kb=kb).answer.text


def test_a_refit_killed_midway_leaves_the_model_and_the_feedback_as_they_were(kb_dir, tmp_path):  # noqa: F811
    import os
    import signal
    import subprocess
    import sys
    import time
    from kg.cli.main import main
    from kg.qa.decide.model import MODEL_FILE, load_model
    from kg.qa.learn.versions import current, install
    root = tmp_path / "kb"
    shutil.copytree(kb_dir, root)
    install(root, MODEL_FILE.read_text(encoding="utf-8").strip())  # the knowledge base's own v1
    assert main(["feedback", "--kb", str(root), "--no-dense", "辽宁2024年旅游收入是多少？", "--right"]) == 0
    syn = tmp_path / "syn.jsonl"
    assert main(["eval", "--kb", str(root), "--no-dense", "--synthetic", "--no-answer", "--write", str(syn)]) == 0
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "fit", "--kb", str(root), "--no-dense", str(syn),
                             "--dev", str(syn), "--feedback"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    err = b""
    while b"labelling" not in err and proc.poll() is None:  # killed while it labels, well before it installs
        err += proc.stderr.read1(256)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert current(root).name == "v1.json" and load_model(str(current(root))) is not None, "v1 still answers"
    from kg.kb.store import KnowledgeBase
    with KnowledgeBase.open(root) as kb:
        assert len(kb.feedback()) == 1


def test_the_app_takes_feedback_on_loopback_and_exposed_only_with_the_token():
    from kg.ui.actions import feedback_allowed
    assert feedback_allowed("127.0.0.1", None, None) and feedback_allowed("::1", "t0k", None)
    assert not feedback_allowed("0.0.0.0", None, None) and not feedback_allowed(None, None, "anything")
    assert not feedback_allowed("0.0.0.0", "t0k", "guess") and feedback_allowed("0.0.0.0", "t0k", "t0k")


def test_a_feedback_table_of_the_first_form_is_brought_up_to_date(kb_dir, tmp_path):  # noqa: F811
    """The first form kept no question column: opening adds it, filled from each example, and recall works."""
    import sqlite3
    from kg.kb.store import KnowledgeBase
    from kg.qa.learn.feedback import make
    root = tmp_path / "kb"
    shutil.copytree(kb_dir, root)
    fb = make("辽宁2024年旅游收入是多少？", "6325亿元", "absent", {}, [])
    db = sqlite3.connect(root / "kb.sqlite")
    db.executescript("DROP TABLE IF EXISTS feedback_docs; DROP INDEX IF EXISTS feedback_question; DROP TABLE feedback;"
                     "CREATE TABLE feedback (id TEXT PRIMARY KEY, created REAL NOT NULL, data TEXT NOT NULL);")
    db.execute("INSERT INTO feedback VALUES (?,?,?)", (fb.id, fb.created, fb.to_json()))
    db.commit()
    db.close()
    with KnowledgeBase.open(root) as kb:
        assert kb.recall("辽宁2024年旅游收入是多少？") == fb and kb.feedback() == [fb]
        later = make("辽宁2024年旅游收入是多少？", "6325亿元", "absent", {}, [], created=fb.created + 1)
        kb.add_feedback(later)
        assert kb.recall("辽宁2024年旅游收入是多少？") == later


def test_a_picked_passage_is_narrowed_to_the_clause_that_states_the_value(kb_ctx):
    from kg.service import feedback
    kb, ctx = kb_ctx
    passage = "2024年，辽宁省接待游客 6.5 亿人次；旅游收入 6325 亿元，同比增长 25.9%。"
    doc_id, start, end = _span(kb, passage)
    fb = feedback(kb, ctx, "辽宁2024年接待游客多少亿人次", "wrong", answer="6.5亿人次", evidence=[(doc_id, start, end)])
    assert fb.evidence[0].text == "2024年，辽宁省接待游客 6.5 亿人次；"  # the clause, an exact slice
    fb = feedback(kb, ctx, "辽宁2024年旅游数据", "wrong", answer="见原文", evidence=[(doc_id, start, end)])
    assert fb.evidence[0].text == passage  # no value to find: the passage as picked
