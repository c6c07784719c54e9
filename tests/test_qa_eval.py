"""kg.eval.qa scores answers exactly like the question set's score.py (run here as a subprocess)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.eval.qa import answer_record, contains, format_summary, score, shares_run, summarise
from kg.types import Answer, Citation
from conftest import SHARED

EVAL = SHARED / "eval"


def test_numbers_must_stand_alone_and_alternatives_count():
    assert contains("名义GDP增长4.2%", "4.2")
    assert not contains("增长14.2%", "4.2") and not contains("增长4.25%", "4.2")
    assert contains("低4.7个百分点", ["4.7", "4.70"])
    assert contains("５．５％左右", "5.5%")  # NFKC
    assert shares_run("……预计为购房者每年节省利息支出 1500亿元", "预计为购房者每年节省利息支出 1500")
    assert not shares_run("毫不相干", "预计为购房者每年节省利息支出 1500")


QUESTIONS = [
    {"id": "a", "question": "q", "answer": "4.2%", "accept": ["4.2%", "4.2"], "type": "number", "category": "fact",
     "evidence": ["但名义 GDP仅增长 4.2%"]},
    {"id": "b", "question": "q", "answer": "北京、辽宁", "accept": ["北京", "辽宁"], "match": "all",
     "reject": ["上海"], "type": "list", "category": "compare", "evidence": ["北京、辽宁、天津、浙江 4 省上调"]},
    {"id": "c", "question": "q", "answer": "", "accept": [], "type": "unanswerable", "category": "unanswerable",
     "evidence": []},
    {"id": "d", "question": "q", "answer": "x", "accept": [["39亿", "39 亿"]], "type": "number",
     "category": "table", "evidence": ["2020 年仅发行 39 亿元"]},
    {"id": "e", "question": "q", "answer": "x", "accept": ["差额"], "type": "text", "category": "definition",
     "evidence": ["债务限额空间是地方政府债务限额与债务余额之间的差额"]},
]
ANSWERS = [
    {"id": "a", "answer": "14.2%", "abstained": False, "citations": [{"text": "但名义 GDP仅增长 4.2%，增速较"}]},
    {"id": "b", "answer": "北京、辽宁、上海", "abstained": False, "citations": []},
    {"id": "c", "answer": "2.8万亿元", "abstained": False, "citations": []},
    {"id": "d", "answer": "2020年39 亿元", "abstained": False, "citations": [{"text": "2020 年仅发行 39 亿元"}]},
    {"id": "e", "answer": "差额" * 120, "abstained": False, "citations": [{"text": "债务余额之间的差额"}]},
]


def test_rules_on_hand_made_answers():
    rows = {r.id: r for r in score(QUESTIONS, ANSWERS)}
    assert not rows["a"].ok and rows["a"].cite_hit  # 4.2 inside 14.2 does not count
    assert not rows["b"].ok  # a rejected member
    assert not rows["c"].ok  # an unanswerable question answered
    assert rows["d"].ok and rows["d"].cite_hit
    assert not rows["e"].ok  # over 200 characters
    s = summarise(list(rows.values()))
    assert s.false_answers == 1 and s.false_abstentions == 0 and s.accuracy == pytest.approx(0.2)


def test_answer_record_shape():
    c = Citation("doc-1", "标题", "chunk-1", 3, 7, "旅游收入", page=2)
    rec = answer_record("D005", Answer("辽宁 2024 旅游收入", "6325亿元", False, (c,)))
    assert rec == {"id": "D005", "question": "辽宁 2024 旅游收入", "answer": "6325亿元", "abstained": False,
                   "citations": [{"doc": "doc-1", "title": "标题", "chunk_id": "chunk-1", "start": 3, "end": 7,
                                  "page": 2, "text": "旅游收入"}]}


def _score_py(questions_path: Path, answers: list[dict], tmp_path: Path) -> dict:
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in answers) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(EVAL / "score.py"), str(questions_path), str(path), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.skipif(not (EVAL / "score.py").exists(), reason=f"no shared question set at {EVAL}: it sits beside the repository as ../shared")
@pytest.mark.parametrize("variant", ["gold", "mixed", "empty"])
def test_figures_equal_score_py_on_the_dev_set(tmp_path, variant):
    questions = [json.loads(x) for x in (EVAL / "dev.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    answers = []
    for i, q in enumerate(questions):
        if variant == "empty" and i % 3 == 0:
            continue  # missing answers
        gold = q.get("answer", "")
        text = gold if variant == "gold" or i % 2 else ("0" + gold[::-1])[:90]
        cites = [{"text": e} for e in q["evidence"]] if i % 4 else [{"text": "无关的引文"}]
        answers.append({"id": q["id"], "answer": text, "abstained": q["type"] == "unanswerable" and i % 5 != 0,
                        "citations": cites})
    ours = summarise(score(questions, answers)).as_dict()
    ref = _score_py(EVAL / "dev.jsonl", answers, tmp_path)
    for key in ("accuracy", "n", "missing", "citation_hit", "by_category"):
        assert ours[key] == pytest.approx(ref[key]) if isinstance(ref[key], float) else ours[key] == ref[key], key


@pytest.mark.skipif(not (EVAL / "score.py").exists(), reason=f"no shared question set at {EVAL}: it sits beside the repository as ../shared")
def test_hand_made_answers_agree_with_score_py(tmp_path):
    qpath = tmp_path / "questions.jsonl"
    qpath.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS) + "\n", encoding="utf-8")
    ours = summarise(score(QUESTIONS, ANSWERS)).as_dict()
    ref = _score_py(qpath, ANSWERS, tmp_path)
    assert {k: ours[k] for k in ref} == ref


def test_tally_overall_and_per_category():
    answers = [*ANSWERS[:3], {"id": "d", "answer": "", "abstained": True, "citations": []}, ANSWERS[4]]
    s = summarise(score(QUESTIONS, answers))
    t = s.total
    assert (t.n, t.right, t.wrong, t.not_found, t.unanswerable_answered) == (5, 0, 4, 1, 1)
    assert (s.categories["table"].not_found, s.categories["table"].wrong) == (1, 0)
    assert (s.categories["unanswerable"].wrong, s.categories["unanswerable"].unanswerable_answered) == (1, 1)
    assert s.categories["fact"].cited == 1 and s.categories["fact"].citation_hit == 1.0
    d = s.as_dict()
    assert d["answered_wrong"] == 4 and d["categories"]["table"]["not_found"] == 1
    assert t.headline() == "right 0.000 (0/5), answered but wrong 4/5, wrongly not found 1/5"
    text = format_summary(s)
    assert text.startswith(t.headline()) and "  table" in text and len(text.splitlines()) == 6
