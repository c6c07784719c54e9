"""The fitted decision (kg.qa.decide): proposals and their features on a tiny knowledge base, the model file, the
threshold chosen on dev, and the one front door (kg.service.ask)."""
import json
from dataclasses import replace

import pytest

from kg.qa.decide import FEATURES, DecisionModel, decide, proposals
from kg.qa.decide.fit import Labelled, choose_threshold, fit, judge, label, outcome

from test_qa_answer import kb_dir  # noqa: E402,F401 - the same three-excerpt knowledge base


def _model(intercept: float, threshold: float = 0.5, coef: dict | None = None) -> DecisionModel:
    coef = coef or {}
    n = len(FEATURES)
    return DecisionModel(FEATURES, (0.0,) * n, (1.0,) * n, tuple(coef.get(f, 0.0) for f in FEATURES), intercept,
                         threshold)


@pytest.fixture(scope="module")
def ctx(kb_dir):
    """The three report excerpts of test_qa_answer, BM25 only, with the installed decision model."""
    from kg import service
    from kg.config import Settings
    from kg.kb.store import KnowledgeBase
    kb = KnowledgeBase.open(kb_dir)
    yield service.open_qa(kb, Settings(kb=kb_dir, dense=False))
    kb.close()


def test_model_probability_json_round_trip_and_validation(tmp_path):
    m = _model(0.0, coef={"cite_bigrams": 2.0})
    assert m.p_right({}) == pytest.approx(0.5)
    assert m.p_right({"cite_bigrams": 1.0}) > m.p_right({"cite_bigrams": 0.2}) > 0.5
    assert DecisionModel.from_json(m.to_json()) == m
    with pytest.raises(ValueError, match="threshold"):
        replace(m, threshold=1.5)
    from kg.errors import ModelError
    from kg.qa.decide.model import load_model
    d = json.loads(m.to_json())
    d["names"] = ["no_such_feature", *d["names"][1:]]
    (tmp_path / "m.json").write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(ModelError, match="kg fit"):
        load_model(str(tmp_path / "m.json"))


def test_the_installed_model_loads_and_names_only_computed_features():
    from kg.qa.decide.model import load_model
    m = load_model()
    assert m is not None and set(m.names) <= set(FEATURES) and 0 < m.threshold < 1


def test_outcome_and_threshold_on_hand_made_questions():
    good, bad = {**dict.fromkeys(FEATURES, 0.0), "cite_bigrams": 1.0}, dict.fromkeys(FEATURES, 0.0)
    m = _model(-1.0, coef={"cite_bigrams": 3.0})  # P(good) = 0.88, P(bad) = 0.27
    dev = [Labelled("a", False, ((good, True),)), Labelled("b", False, ((bad, False),)),
           Labelled("c", True, ((bad, False),)), Labelled("d", False, ())]
    o = outcome(m, dev, 0.5)
    assert (o.right, o.wrong, o.not_found) == (2, 0, 2)  # a answered, c abstained (unanswerable), b and d not found
    assert outcome(m, dev, 0.2).wrong == 2
    t = choose_threshold(m, dev, 0.0)
    assert m.p_right(bad) < t <= m.p_right(good) and outcome(m, dev, t).wrong == 0
    rules = [Labelled("r", False, (({**bad, "origin_rules": 1.0}, True),))]
    assert outcome(None, rules).right == 1  # without a model, the rules' own answer stands


def test_judge_follows_the_scorer():
    rec = {"type": "number", "accept": ["6325"], "reject": ["25.9"], "match": "any"}
    assert judge(rec, "6325亿元") and not judge(rec, "6325亿元，增长25.9%") and not judge(rec, "16325亿元")
    assert not judge({"type": "unanswerable", "accept": []}, "anything")


def test_rules_answer_is_one_proposal_with_every_feature(ctx):
    strict, props = proposals("辽宁2024年旅游收入是多少？", ctx)
    assert not strict.answer.abstained and props[0].origin == "rules"
    # the other values ranked first are proposed too, each as an answer of its own the model may prefer
    assert {p.origin for p in props[1:]} <= {"alt"} and len(props) <= 1 + 3
    assert all(p.draft.answer.text != props[0].draft.answer.text for p in props[1:])
    row = props[0].row
    # BM25 only: no vectors, so the cosine is left out (read as its training mean), not set to zero
    assert set(row) == set(FEATURES) - {"dense_sim"} and row["has_dense"] == 0.0
    assert row["origin_rules"] == 1.0 and row["has_factors"] == 1.0
    assert row["year_ok"] == 1.0 and row["region_ok"] == 1.0 and row["cite_bigrams"] > 0.5
    assert row["value_rank"] == 1.0 and row["proposals"] == len(props)
    assert all(p.row["value_rank"] < 1.0 for p in props[1:])


def test_trees_fit_export_and_read_back_as_scikit_learn_gives_them():
    import random
    from kg.qa.decide.fit import fit_trees
    rng = random.Random(3)
    qs = []
    for i in range(300):
        x = rng.random()
        row = {**dict.fromkeys(FEATURES, 0.0), "cite_bigrams": x, "value_rank": rng.choice([1.0, 0.5])}
        if i % 3:
            row["dense_sim"] = rng.random()
        else:
            del row["dense_sim"]  # BM25-only rows: missing, sent the way the fit learned
        qs.append(Labelled(str(i), False, ((row, x + 0.2 * row["value_rank"] > 0.7),)))
    m = fit_trees(qs, trees=30, leaves=4, min_leaf=10)  # fit_trees itself checks its reading against sklearn's
    assert m.kind == "trees" and len(m.trees) == 30
    hi, lo = {"cite_bigrams": 0.95, "value_rank": 1.0}, {"cite_bigrams": 0.1, "value_rank": 0.5}
    assert m.p_right(hi) > 0.8 > 0.2 > m.p_right(lo)
    back = DecisionModel.from_json(m.to_json())
    assert back.kind == "trees" and back.p_right(hi) == pytest.approx(m.p_right(hi), abs=1e-5)
    assert back.p_right(lo) == pytest.approx(m.p_right(lo), abs=1e-5)


def test_an_abstention_gets_alternatives_that_the_model_may_take(ctx):
    q = "辽宁2024年旅游人数"  # the rules find no value labelled so; the closest values and sentences are proposed
    strict, props = proposals(q, ctx)
    assert props and all(p.origin != "rules" for p in props)
    keen = decide(q, ctx, _model(40.0))
    assert not keen.abstained and keen.score == pytest.approx(1.0)
    for c in keen.citations:
        assert ctx.documents[c.doc_id].text[c.start:c.end] == c.text
    wary = decide(q, ctx, _model(-40.0))
    assert wary.abstained and wary.text.startswith("语料中未找到")


def test_a_model_that_doubts_the_rules_abstains_and_shows_what_it_refused(ctx):
    ans = decide("辽宁2024年旅游收入是多少？", ctx, _model(-40.0))
    assert ans.abstained and ans.text.startswith("语料中未找到有把握的答案：可能是“6325") and any("6325" in c.text for c in ans.related)


def test_fit_on_labelled_questions_gives_a_usable_model(ctx):
    recs = [{"id": "1", "question": "辽宁2024年旅游收入是多少？", "type": "number", "accept": ["6325"], "match": "any"},
            {"id": "2", "question": "2024年名义GDP增长多少？", "type": "number", "accept": ["4.2"], "match": "any"},
            {"id": "3", "question": "辽宁2024年旅游人数", "type": "number", "accept": ["6.5"], "match": "any"},
            {"id": "4", "question": "辽宁2019年不良贷款率", "type": "unanswerable", "accept": [], "match": "any"}]
    labelled = label(recs, ctx)
    assert [x.id for x in labelled] == ["1", "2", "3", "4"] and labelled[0].rows[0][1] is True
    m = fit(labelled)
    assert m.names == FEATURES and len(m.coef) == len(FEATURES)
    assert 0 <= outcome(m, labelled).right <= 4


def test_labels_saved_and_read_back(ctx, tmp_path):
    from kg.qa.decide.fit import load_labels, save_labels
    recs = [{"id": "1", "question": "辽宁2024年旅游收入是多少？", "type": "number", "accept": ["6325"], "match": "any"}]
    labelled = label(recs, ctx)
    save_labels(labelled, tmp_path / "l.jsonl")
    assert load_labels(tmp_path / "l.jsonl") == labelled


def test_the_front_door_bounds_reads_follow_ups_and_hints(ctx, monkeypatch):
    from kg import service
    from kg.errors import UsageError
    import kg.qa.read.question as question
    with pytest.raises(UsageError, match="characters"):
        monkeypatch.setattr(question, "analyse", lambda *a, **k: pytest.fail("analysed an overlong question"))
        service.ask(ctx, "辽宁" * 400)
    monkeypatch.undo()
    reply = service.ask(ctx, "那山西呢？", previous="辽宁2024年社零目标是多少？")
    assert reply.followup and "山西" in reply.question and reply.typed == "那山西呢？"
    assert service.ask(ctx, "what is the GDP").hint


def test_confidence_reads_as_words_with_the_figure():
    from kg.ui.passage import confidence_line
    assert confidence_line(0.93) == "把握度：高（93%，模型估计的答对概率）"
    assert confidence_line(0.8, "en").startswith("Confidence: medium (80%")
    assert "低" in confidence_line(0.4)


def test_calibration_compares_predicted_and_observed_by_decile():
    from kg.qa.decide.fit import calibration
    good, bad = {**dict.fromkeys(FEATURES, 0.0), "cite_bigrams": 1.0}, dict.fromkeys(FEATURES, 0.0)
    m = _model(-1.0, coef={"cite_bigrams": 3.0})  # P(good) = 0.88, P(bad) = 0.27
    qs = [Labelled(str(i), False, ((good, i % 4 != 0),)) for i in range(8)] + \
         [Labelled(f"b{i}", i == 0, ((bad, False),)) for i in range(3)] + [Labelled("none", False, ())]
    table = calibration(m, qs)
    assert [(r, n) for r, n, _, _ in table] == [("0.2-0.3", 3), ("0.8-0.9", 8)]
    assert table[1][2] == pytest.approx(m.p_right(good)) and table[1][3] == pytest.approx(0.75)
    assert table[0][3] == 0.0


def test_one_figure_for_two_asks_is_no_answer_unless_the_passages_say_it_twice():
    from types import SimpleNamespace as S
    from kg.qa.decide import repeats_a_figure
    once = (S(text="全市一般公共预算支出4502.5亿元，加上转移性支出后，支出总计5452.3亿元。"),)
    assert repeats_a_figure(S(text="4502.5亿元，4502.5亿元", citations=once))
    assert not repeats_a_figure(S(text="4502.5亿元；5452.3亿元", citations=once))
    twice = (S(text="全市一般公共预算收入总计2308.13亿元。"), S(text="全市一般公共预算支出总计2308.13亿元。"))
    assert not repeats_a_figure(S(text="收入总计2308.13亿元，支出总计2308.13亿元", citations=twice))
    assert not repeats_a_figure(S(text="6.1万亿元，增长5.6%", citations=once))


def _computed(ctx, question):
    from kg.qa.answer import draft
    from kg.qa.decide import _relaxed, load_model
    from kg.qa.decide.arith import computed
    q = draft(question, ctx).question
    return q, computed(q, ctx, load_model().p_right, _relaxed(ctx))


def test_a_share_is_computed_from_two_figures_each_decided_with_its_working(ctx):
    q, got = _computed(ctx, "辽宁2024年政府债券净融资占旅游收入的比重是多少")
    assert q.ratio == "share" and [s.text for s in q.sides] == ["辽宁2024年政府债券净融资", "旅游收入"]
    p, ans = got
    assert ans.text.startswith("约18.4%") and "1163亿元÷6325亿元=18.39%" in ans.text  # 1163 / 6325
    assert {c.text.count("1163") + c.text.count("6325") for c in ans.citations} == {1}  # both figures cited
    assert 0 < p < 1 and ans.score == p


def test_a_difference_of_two_rates_is_in_percentage_points_and_rates_are_not_divided(ctx):
    q, got = _computed(ctx, "表3里辽宁固投目标比山西高多少")
    assert q.op == "diff" and got is not None and got[1].text.startswith("高3（山西7，辽宁10")
    q, got = _computed(ctx, "2024年四季度末政府部门杠杆率是居民部门杠杆率的几倍")
    assert q.ratio == "multiple" and got is None  # two rates (60.8%, 61.4%): a multiple of a rate is not computed


def test_a_ratio_question_names_its_numerator_and_denominator_either_way_round():
    from kg.extract.gazetteer import load_gazetteer
    from kg.qa.read.question import analyse
    g = load_gazetteer()
    for text, num, den in (("深圳辖区一般公共预算收入里地方级占多大比例", "地方级", "深圳辖区一般公共预算收入"),
                           ("增值税占青岛25年全市税收收入的比重", "增值税", "青岛2025年全市税收收入"),
                           ("呼和浩特财政自给率（一般公共预算收入/支出）", "一般公共预算收入", "支出")):
        q = analyse(text, g)
        assert q.ratio == "share" and [s.text for s in q.sides] == [num, den], text
        assert q.sides[0].regions == q.sides[1].regions  # the side written without the place inherits it
    for text in ("第三产业增加值占比多少", "其中税收收入占比多少", "国有企业占多少"):
        assert analyse(text, g).ratio is None, text  # one figure asked, no denominator named


def test_a_cell_of_a_table_that_fails_its_checks_carries_the_doubt(tmp_path):
    """A 合计 row that is not the sum of its parts: its cells say their table is in doubt and this cell is the one
    named; cells of a sound table say nothing of the kind."""
    from kg import service
    from kg.config import Settings
    from kg.kb.store import KnowledgeBase
    from kg.qa.context import QASettings
    src = tmp_path / "budget.txt"
    src.write_text("某市2024年预算执行报告\n\n一、收入\n\n表1 2024年一般公共预算收入（单位：亿元）\n\n"
                   "项目\t2023年\t2024年\n税收收入\t90\t100\n非税收入\t45\t50\n合计\t135\t200\n\n"
                   "表2 2024年一般公共预算支出（单位：亿元）\n\n项目\t2023年\t2024年\n教育支出\t30\t32\n"
                   "科技支出\t10\t12\n合计\t40\t44\n", encoding="utf-8")
    with KnowledgeBase.open(tmp_path / "kb", create=True) as kb:
        assert not service.ingest(kb, [src], Settings(kb=tmp_path / "kb", dense=False)).errors
        ctx = service.open_qa(kb, Settings(kb=tmp_path / "kb", dense=False), QASettings())
        rows = {p.draft.answer.text: p.row for p in proposals("2024年一般公共预算收入合计多少亿元", ctx)[1]}
        doubted = rows.get("200亿元") or rows.get("200")
        assert doubted is not None and doubted["table_doubt"] >= 1 and doubted["cell_doubt"] == 1.0, rows
        sound = next(p.row for p in proposals("2024年教育支出多少亿元", ctx)[1] if p.draft.answer.text.startswith("32"))
        assert sound["table_doubt"] == 0.0 and sound["cell_doubt"] == 0.0 and sound["label_number"] == 0.0
