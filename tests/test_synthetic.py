"""Questions generated from a knowledge base's own facts: well-formed, deterministic, stably split, scored right."""
import json
import subprocess
import sys
from dataclasses import replace

import pytest

from kg.eval.phrasing import indicator_forms, period_forms, region_forms
from kg.eval.qa import contains, norm
from kg.eval.roundtrip import report, roundtrip
from kg.eval.synthetic import Fact, ambiguous, generate, split_of, vocabulary
from conftest import SHARED

# Excerpts of data/corpus/001_7318713557c0121f.txt (辽宁省金融运行报告（2025）) and 002 (从两会看 …), as written.
LIAONING = """辽宁省金融运行报告（2025）

一、经济运行

3.服务业保持增长势头，文旅市场加快发展。2024 年，辽宁省第三产业增加值 1.9 万亿元，同比增长 5.0%。电信业务总量同比增长 10.8%，邮政业务总量同比增长 21.2%，快递业务量超过 29 亿件。现代服务业加快发展，国家级服务型制造示范企业达到 53 家。文旅市场保持快速增长。全年接待游客 6.5 亿人次，同比增长 28.1%；旅游收入 6325 亿元，同比增长 25.9%。

表 3 2024 年金融机构票据业务量统计表

单位：亿元

季度\t银行承兑汇票承兑\t\t贴 现\t\t\t
\t\t\t银行承兑汇票\t\t商业承兑汇票\t
\t余额\t累计发生额\t余额\t累计发生额\t余额\t累计发生额
1\t3487.6\t1253.4\t4055.9\t7485.3\t286.2\t922.9
2\t3415.5\t2920.5\t4034.7\t17448.3\t336.0\t1737.2
3\t3650.6\t4437.3\t4228.7\t25577.1\t292.3\t2265.4
4\t3759.8\t6200.5\t4405.7\t36413.3\t280.0\t2853.9

数据来源：中国人民银行辽宁省分行。

¹ 新时代“六地”是指国家重大战略支撑地、重大技术创新策源地、具有国际竞争力的先进制造业新高地、现代化大农业发展先行地、高品质文体旅融合发展示范地、东北亚开放合作枢纽地。
"""

LIANGHUI = """从两会看 2024 年全国经济目标和各省重点工作

一、多省下调 2024 年经济增速目标

表 3：固投、社零 2024 年目标

地区\t固投\t社零
辽宁\t10\t8
山西\t7\t5.5
浙江\t6\t5.5
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    from kg import service
    from kg.config import Settings
    from kg.kb.store import KnowledgeBase
    root = tmp_path_factory.mktemp("syn")
    paths = []
    for name, text in (("liaoning.txt", LIAONING), ("lianghui.txt", LIANGHUI)):
        (root / name).write_text(text, encoding="utf-8")
        paths.append(root / name)
    kb = KnowledgeBase.open(root / "kb", create=True)
    assert not service.ingest(kb, paths, Settings(kb=root / "kb", dense=False)).errors
    yield kb
    kb.close()


@pytest.fixture(scope="module")
def parts(kb):
    from kg.extract.gazetteer import load_gazetteer
    docs = [kb.document(i) for i in kb.doc_ids()]
    return docs, kb.tables(), kb.facts("figure"), vocabulary(load_gazetteer())


@pytest.fixture(scope="module")
def questions(parts):
    return generate(*parts).questions


FIELDS = {"id", "question", "answer", "accept", "match", "type", "category", "doc", "evidence", "split"}


def test_questions_are_well_formed(parts, questions):
    docs = {d.source: d for d in parts[0]}
    assert len({q["id"] for q in questions}) == len(questions) > 20
    for q in questions:
        assert FIELDS <= q.keys() and q["split"] in ("fit", "holdout") and q["id"].startswith("syn-")
        assert q["question"].strip() and q["accept"] and q["match"] == "any"
        assert contains(q["answer"], q["accept"][0]), q  # the reference answer passes its own accept test
        assert norm(q["evidence"][0]) in norm(docs[q["doc"][0]].text)
        if q["type"] == "number":
            assert q["accept"][0] in q["evidence"][0], q  # the cited row or sentence holds the value
    assert {q["category"] for q in questions} == {"table", "fact", "definition"}


def test_table_cells_are_asked_by_row_column_and_label(questions):
    cell = [q for q in questions if q["accept"] == ["3759.8"]]
    assert cell and all(q["evidence"] == ["4\t3759.8\t6200.5\t4405.7\t36413.3\t280.0\t2853.9"] for q in cell)
    # the row header and column header, by their own words or an alt label of the concept scheme (银票)
    assert all(("银行承兑" in q["question"] or "银票" in q["question"]) and "余额" in q["question"] for q in cell)
    quarter = ("四季度", "Q4", "4季度")
    assert all(any(x in q["question"] for x in quarter) for q in cell), [q["question"] for q in cell]
    targets = [q for q in questions if q["doc"] == ["lianghui.txt"] and q["category"] == "table"]
    assert any(q["question"].startswith(("辽宁", "山西", "浙江")) or "表3" in q["question"] for q in targets)
    assert all("目标" in q["question"] for q in targets if q["template"] != "{r} {p} {i}")


def test_sentence_figures_and_definitions(questions):
    tour = [q for q in questions if q["accept"] == ["6325"]]
    assert tour and all("旅游收入" in q["question"] and "辽宁" in q["question"] for q in tour)
    assert all(("24年" in q["question"] or "2024" in q["question"]) for q in tour)
    defs = [q for q in questions if q["category"] == "definition"]
    assert defs and all("新时代六地" in q["question"] and q["accept"] == ["国家重大战略支撑地"] for q in defs)
    assert all(q["type"] == "text" for q in defs)


def test_generation_is_deterministic_and_the_split_follows_the_fact(parts, questions):
    assert generate(*parts).questions == questions
    other = generate(*parts, seed=7).questions
    assert {q["question"] for q in other} != {q["question"] for q in questions}
    split = {q["fact"]: q["split"] for q in questions}
    assert all(split[q["fact"]] == q["split"] for q in other)  # the seed changes wording, never the split
    assert all(q["split"] == split_of(f"{q['doc_id']}|{q['fact']}") for q in questions)
    assert {"fit", "holdout"} == set(split.values())


def test_limit_is_per_document_and_a_larger_one_only_adds(parts):
    small = generate(*parts, limit=4).questions
    large = generate(*parts, limit=9).questions
    for doc in ("liaoning.txt", "lianghui.txt"):
        mine = [q["id"] for q in small if q["doc"] == [doc]]
        assert len(mine) == 4 and set(mine) <= {q["id"] for q in large if q["doc"] == [doc]}


def test_a_key_with_two_values_is_ambiguous(parts):
    doc = parts[0][0]
    a = Fact("fig-a", doc, "fact", "5.0", "%", "同比增长 5.0%", "第三产业增加值", "2024", "region-210000", "yoy")
    b = replace(a, id="fig-b", value="5.1")
    c = replace(a, id="fig-c", period="2023")
    assert ambiguous([a, b, c]) == {"fig-a", "fig-b"}
    assert ambiguous([a, replace(a, id="fig-d")]) == set()  # the same value twice is one answer


def test_surface_forms():
    assert {"2024年四季度", "2024年第四季度", "2024Q4", "24年Q4"} <= set(period_forms("2024Q4"))
    assert {"2024年末", "2024年底", "24年末"} <= set(period_forms("2024年末"))
    assert "2024年1-8月" in period_forms("2024-08", cumulative=True)
    assert "2024年8月末" in period_forms("2024-08", stock=True) and "2024年8月末" not in period_forms("2024-08")
    assert "“十四五”时期" in period_forms("2021-2025") and "2019至2022年" in period_forms("2019-2022")
    assert period_forms("2024-11..12") == () and period_forms("") == ()
    assert region_forms("辽宁", "辽宁省") == ("辽宁", "辽宁省") and region_forms("全国", "全国") == ("全国",)
    syn = {"专项债务": ("专项债务", "专项债"), "各项贷款": ("各项贷款", "本外币各项贷款")}
    assert indicator_forms("专项债务 限额增量", syn) == ("专项债务限额增量", "专项债限额增量")
    assert indicator_forms("各项贷款余额", syn) == ("各项贷款余额",)  # a longer alt label adds a qualifier


def test_a_figure_without_region_is_placed_by_the_report(parts):
    from kg.eval.synthetic import place
    doc = parts[0][0]
    regions = parts[3].regions
    assert place(replace(doc, region="辽宁"), regions) == ("辽宁", "辽宁省")
    assert place(replace(doc, region=None, title="2026年深圳市人民政府公报"), regions) == ("深圳市", "深圳")
    assert place(replace(doc, region=None, title="西安市 2025 年国民经济和社会发展统计公报"), regions)[0] == "西安市"
    assert place(replace(doc, region=None, title="budget 2025 hohhot", issuer="呼和浩特市财政局"), regions)[0] == "呼和浩特市"
    assert place(replace(doc, region=None, title="从两会看 2024 年全国经济目标", issuer="中诚信国际"), regions) == ()


def _record(q: dict, answer: str, cite: str = "", abstained: bool = False, doc: str = "") -> dict:
    return {"id": q["id"], "answer": answer, "abstained": abstained,
            "citations": [] if abstained else [{"doc": doc or q["doc_id"], "start": 0, "end": 0, "text": cite}]}


def test_round_trip_counts_right_wrong_and_not_found(questions):
    qs = [q for q in questions if q["type"] == "number"][:5]
    ev = [q["evidence"][0] for q in qs]
    records = [
        _record(qs[0], qs[0]["answer"], ev[0]),  # right value, right passage
        _record(qs[1], "9999.9亿元", ev[1]),  # right passage, wrong value
        _record(qs[2], "", abstained=True),  # not found
        _record(qs[3], qs[3]["answer"], "毫不相干的另一段话，没有任何共同的内容"),  # right value, wrong passage
        _record(qs[4], qs[4]["answer"] + "，" + "说明" * 60, ev[4]),  # too long
    ]
    out = roundtrip(qs, records)
    assert [o.row.ok for o in out] == [True, False, False, False, False]
    assert [o.value_ok for o in out] == [True, False, False, True, False]
    assert out[2].failure == "not found" and out[3].failure == "right value, other passage cited"
    assert out[4].failure == "answer too long"
    r = report(out)
    assert (r.total.right, r.total.wrong, r.total.not_found, r.value_right) == (1, 3, 1, 2)
    assert sum(t.n for t in r.by_doc.values()) == 5 and set(r.by_split) <= {"fit", "holdout"}


def test_cli_writes_questions_score_py_reads(kb, tmp_path, capsys):
    from kg.cli.main import main
    out = tmp_path / "syn.jsonl"
    assert main(["eval", "--kb", str(kb.root), "--no-dense", "--synthetic", "--limit", "6", "--write", str(out),
                 "--no-answer"]) == 0
    qs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(qs) == 12 and FIELDS <= qs[0].keys()
    assert main(["eval", "--kb", str(kb.root), "--no-dense", "--synthetic", "--limit", "6", "--json"]) == 0
    rep = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert rep["total"]["n"] == 12 and set(rep["by_doc"]) == {"liaoning.txt", "lianghui.txt"}
    assert rep["total"]["right"] + rep["total"]["wrong"] + rep["total"]["not_found"] == 12
    score_py = SHARED / "eval" / "score.py"
    if not score_py.exists():
        pytest.skip(f"no {score_py}: it sits beside the repository as ../shared")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({"id": q["id"], "answer": q["answer"], "abstained": False,
                                        "citations": [{"text": q["evidence"][0]}]}, ensure_ascii=False) + "\n"
                            for q in qs), encoding="utf-8")
    ref = json.loads(subprocess.run([sys.executable, str(score_py), str(out), str(gold), "--json"],
                                    capture_output=True, text=True, check=True).stdout)
    assert ref["accuracy"] == 1.0 and ref["citation_hit"] == 1.0 and ref["n"] == 12


def test_eval_prints_a_calibration_table_of_the_fitted_decision(kb, tmp_path, capsys):
    from kg.cli.main import main
    out = tmp_path / "syn.jsonl"
    assert main(["eval", "--kb", str(kb.root), "--no-dense", "--synthetic", "--limit", "6", "--write", str(out),
                 "--no-answer"]) == 0
    capsys.readouterr()
    assert main(["eval", "--kb", str(kb.root), "--no-dense", str(out), "--calibration"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines() if line.strip().startswith("calibration")]
    assert rows and sum(int(r[2].removeprefix("n=")) for r in rows) == 12  # every question, in one decile each
    for r in rows:
        lo, hi = map(float, r[1].split("-"))
        assert lo <= float(r[4]) <= hi and 0.0 <= float(r[6]) <= 1.0  # mean predicted inside its decile
