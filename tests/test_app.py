"""The Streamlit app driven headless with AppTest on a small fake-embedder knowledge base, plus its view helpers."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.types import Answer, Citation, Figure

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TWO_REPORTS = ("001_7318713557c0121f.txt", "003_89f4975142656497.txt")  # 辽宁 and 山西 financial reports


def build_kb(path: Path) -> Path:
    from kg.cli.main import main
    assert main(["ingest", "--kb", str(path), "--model", "fake",
                 *(str(ROOT / "data" / "corpus" / f) for f in TWO_REPORTS)]) == 0
    return path


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory) -> Path:
    return build_kb(tmp_path_factory.mktemp("appkb") / "kb")


@pytest.fixture
def own_kb(kb_dir, tmp_path) -> Path:
    """A private copy for tests that change the knowledge base."""
    dest = tmp_path / "kb"
    shutil.copytree(kb_dir, dest, ignore=shutil.ignore_patterns("*.lock", "LOCK"))
    return dest


def app(kb: Path, monkeypatch, page: str | None = None):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("POLICYKG_KB", str(kb))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    at = AppTest.from_file(APP, default_timeout=180)
    if page:
        at.query_params["page"] = page
    return at.run()


def no_trouble(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def html_bodies(at) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def kb_state(kb: Path) -> tuple[list[str], int]:
    from kg.kb.store import KnowledgeBase
    with KnowledgeBase.open(kb) as k:
        return k.doc_ids(), k.generation


# -- the pages ------------------------------------------------------------------------------------------------

def test_chat_answers_with_a_cited_passage(kb_dir, monkeypatch):
    at = app(kb_dir, monkeypatch)
    no_trouble(at)
    at.chat_input[0].set_value("2024年辽宁省旅游收入是多少？").run()
    no_trouble(at)
    bodies = html_bodies(at)
    assert any("6325亿元" in b for b in bodies), "the short answer"
    assert any("辽宁省金融运行报告（2025）" in x.label for x in at.expander), "a citation card with the report title"
    assert any("<mark" in b and "旅游收入 6325 亿元" in b for b in bodies), "the quoted passage, span marked"
    assert any("文旅市场加快发展" in c.value for c in at.caption), "the section path"
    assert any(c.value.startswith("理解为：指标 旅游收入 · 地区 辽宁 · 时间 2024年") for c in at.caption), \
        "what the question was read as"
    assert any('"citations"' in c.value for c in at.code), "the answer as JSON"
    assert at.get("download_button"), "and a download of it"


def test_abstention_says_so_and_computed_answers_show_their_figures(kb_dir, monkeypatch):
    text = "2024 年末，山西省金融机构本外币各项存款余额 6.1 万亿元"
    cite = Citation("doc-1", "山西省金融运行报告（2025）", "chunk-x", 10, 10 + len(text), text)
    figure = Figure("fig-1", "doc-1", "chunk-x", 34, 37, "6.1", 6.1, "万亿元", 1e12, "本外币各项存款余额", "2024年末",
                    "region-140000")
    at = app(kb_dir, monkeypatch)
    at.session_state["chat"] = [
        Answer("火星的存款余额是多少？", "语料中未找到火星的存款余额的答案", True, related=(cite,)),
        Answer("辽宁比山西多多少？", "2.4万亿元", False, (cite,), figures=(figure,), kind="difference", score=0.93)]
    at.run()
    no_trouble(at)
    assert at.warning[0].value == "语料中未找到火星的存款余额的答案"
    assert any("均未直接回答" in c.value for c in at.caption), "related passages, labelled as such"
    assert any("计算得出" in c.value for c in at.caption) and any("计算所用数据" in c.value for c in at.caption)
    assert any(c.value == "把握度：高（93%，模型估计的答对概率）" for c in at.caption), "the fitted P(right), in words"
    figures = at.dataframe[0].value
    assert figures.loc[0, "原文"] == "6.1万亿元" and figures.loc[0, "时期"] == "2024年末"
    assert "chunk-x" not in figures.to_string(), "no internal ids"


def test_report_text_is_shown_literally_never_as_html_or_markdown(kb_dir, monkeypatch):
    text = "注：<script>alert('x')</script> 和 **bold** 以及 $x$ [链接](http://x.org)"
    cite = Citation("doc-000000000000", "报告 **标题**", "chunk-none", 0, len(text), text, 3, ("一、<b>节</b>",))
    at = app(kb_dir, monkeypatch)
    at.session_state["chat"] = [Answer("问题", "**6325** 亿元", False, (cite,), kind="number")]
    at.run()
    no_trouble(at)
    body = next(b for b in html_bodies(at) if "alert" in b)
    assert "<script" not in body and "**" not in body and "$x$" not in body and "](" not in body
    assert "&#60;script&#62;" in body and "&#42;&#42;bold&#42;&#42;" in body
    assert not any("<b>" in b for b in html_bodies(at))
    assert any(x.label.startswith(r"\[1\] 报告 \*\*标题\*\* › 一、\<b\>节\</b\> · 注：") for x in at.expander), \
        "labels escape markdown"


def test_entity_page_shows_figures_and_the_passage_behind_one(kb_dir, monkeypatch):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("POLICYKG_KB", str(kb_dir))
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(page="entities", entity="辽宁")
    at.run()
    no_trouble(at)
    assert at.subheader[0].value == "辽宁"
    figures = at.dataframe[0].value
    assert len(figures) > 100 and {"时期", "数值", "单位", "指标", "来源报告"} <= set(figures.columns)
    assert "旅游收入" in set(figures["指标"])
    row = int(figures.index[(figures["指标"] == "旅游收入") & (figures["单位"] == "亿元")][0])
    at.session_state["figures-region-210000"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    no_trouble(at)
    assert any(x.label.startswith("旅游收入 2024 = 6325亿元 — 辽宁省金融运行报告") for x in at.expander)
    assert any('<mark style="' in b and ">6325</mark>" in b for b in html_bodies(at)), "the value marked"


def test_entity_by_alias_and_type_filter(kb_dir, monkeypatch):
    at = app(kb_dir, monkeypatch, page="entities")
    at.selectbox(key="entity_type").set_value("region").run()
    assert "（地区，提及" in at.selectbox(key="entity_pick_region").format_func(0)
    at.text_input(key="entity_name").set_value("山西省").run()
    no_trouble(at)
    assert at.subheader[0].value == "山西"
    at.text_input(key="entity_name").set_value("不存在的地方").run()
    assert "没有名为“不存在的地方”的实体" in at.error[0].value and not at.exception
    at.text_input(key="entity_name").set_value("消费").run()
    assert "是否要找" in at.error[0].value and "个人消费贷款" in at.error[0].value, "near names are suggested"


def test_export_buttons_produce_data(kb_dir, monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager
    made: dict[str, object] = {}

    class Recording(MediaFileManager):  # download data is produced on click; keep the callables to call them
        def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
            made[file_name] = data_callable
            return super().add_deferred(data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", Recording)
    at = app(kb_dir, monkeypatch, page="export")
    no_trouble(at)
    assert [b.label for b in at.get("download_button")] == ["Turtle", "N-Triples", "JSON-LD", "GraphML", "CSV"]
    assert set(made) == {"policykg.ttl", "policykg.nt", "policykg.jsonld", "policykg.graphml", "policykg.csv"}
    data = {name: fn() for name, fn in made.items() if not name.endswith("jsonld")}
    assert all(len(b) > 1000 for b in data.values())
    assert "辽宁".encode() in data["policykg.ttl"] and data["policykg.csv"].startswith(b"graph,subject,predicate")


def test_sparql_gives_rows_and_errors_as_messages(kb_dir, monkeypatch):
    at = app(kb_dir, monkeypatch, page="export")
    at.button[0].click().run()  # the first example: reports and their issuers
    no_trouble(at)
    rows = at.dataframe[0].value
    assert len(rows) == 2 and list(rows.columns) == ["report", "title", "issuer"]
    assert any(c.value == "共 2 行" for c in at.caption)
    assert rows["report"].str.startswith("doc:doc-").all()
    at.selectbox(key="sparql_example").select_index(1).run()
    assert "region-210000" in at.text_area(key="sparql_text").value
    at.text_area(key="sparql_text").set_value("DELETE WHERE { ?s ?p ?o }").run()
    at.button[0].click().run()
    assert "read-only" in at.error[0].value and not at.exception
    at.text_area(key="sparql_text").set_value("SELECT ?s WHERE {").run()
    at.button[0].click().run()
    assert "syntax error" in at.error[0].value


def test_documents_page_lists_reports(kb_dir, monkeypatch):
    at = app(kb_dir, monkeypatch, page="documents")
    no_trouble(at)
    docs = at.table[0].value
    assert sorted(docs["标题"]) == ["山西省金融运行报告（2025）", "辽宁省金融运行报告（2025）"]
    assert list(docs.columns) == ["标题", "发布机构", "年份", "地区", "字数", "段落数", "表格数", "页数", "文件"]
    assert not docs.isna().any().any() and "None" not in docs.to_string(), "empty cells are empty, not None"
    assert set(docs["文件"]) == set(TWO_REPORTS)


def test_right_and_wrong_under_an_answer_are_kept_as_feedback(own_kb, monkeypatch):
    from kg.kb.store import KnowledgeBase
    at = app(own_kb, monkeypatch)
    at.chat_input[0].set_value("2024年辽宁省旅游收入是多少？").run()
    next(b for b in at.button if b.label == "对").click().run()
    no_trouble(at)
    assert any(c.value.startswith("已记录（fb-") for c in at.caption), "the verdict is acknowledged"
    at.chat_input[0].set_value("2024年辽宁省接待游客多少亿人次？").run()
    next(b for b in at.button if b.label == "不对").click().run()
    at.radio(key="fb-pick-1").set_value(0)  # the first cited passage holds the right answer
    at.text_input(key="fb-text-1").set_value("6.5亿人次")
    next(b for b in at.button if b.label == "提交").click().run()
    no_trouble(at)
    with KnowledgeBase.open(own_kb) as kb:
        kept = kb.feedback()
    assert [f.verdict for f in kept] == ["right", "wrong"]
    assert "6325" in kept[0].shown and kept[1].answer == "6.5亿人次" and len(kept[1].evidence) == 1
    assert all(f.proposals for f in kept), "each with the proposals' features at the time"


def test_a_figure_in_the_entity_browser_can_be_the_right_answer_to_the_last_question(own_kb, monkeypatch):
    from kg.kb.store import KnowledgeBase
    at = app(own_kb, monkeypatch)
    at.chat_input[0].set_value("辽宁文旅这块2024年挣了多少钱").run()
    at.radio(key="page").set_value("entities").run()
    at.text_input(key="entity_name").set_value("辽宁").run()
    figures = at.dataframe[0].value
    row = int(figures.index[(figures["指标"] == "旅游收入") & (figures["单位"] == "亿元")][0])
    at.session_state["figures-region-210000"] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    next(b for b in at.button if b.label.startswith("设为上一个问题")).click().run()
    no_trouble(at)
    with KnowledgeBase.open(own_kb) as kb:
        kept = kb.feedback()
    assert len(kept) == 1 and kept[0].question == "辽宁文旅这块2024年挣了多少钱" and kept[0].verdict == "wrong"
    assert kept[0].answer == "6325亿元" and len(kept[0].evidence) == 1
    assert "6325" in kept[0].evidence[0].text and len(kept[0].evidence[0].text) < 40, "the figure's own clause"


def a_question_the_engine_misses(kb: Path, work: Path) -> tuple[list[dict], dict, int, str]:
    """Questions generated from the knowledge base (kg eval --synthetic), the first it abstains on while the
    passage holding the answer is among those it shows, that passage's place in the list, and the value; the
    generated questions' fit and holdout splits are written to work/train.jsonl and work/dev.jsonl for kg fit."""
    import json
    from kg.cli.main import main
    from kg.config import Settings
    from kg.kb.store import KnowledgeBase
    from kg.service import ask, open_qa
    syn = work / "syn.jsonl"
    assert main(["eval", "--kb", str(kb), "--synthetic", "--no-answer", "--write", str(syn), "--limit", "30"]) == 0
    rows = [json.loads(x) for x in syn.read_text(encoding="utf-8").splitlines()]
    for split, name in (("fit", "train"), ("holdout", "dev")):
        (work / f"{name}.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in rows
                                                    if x["split"] == split), encoding="utf-8")
    with KnowledgeBase.open(kb) as store:
        ctx = open_qa(store, Settings(kb=kb))
        for r in rows:
            a = ask(ctx, r["question"], kb=store).answer
            at_hand = [i for i, c in enumerate([*a.citations, *a.related]) if any(e in c.text for e in r["evidence"])]
            if a.abstained and at_hand:
                value = r["accept"][0] if isinstance(r["accept"][0], str) else r["accept"][0][0]
                return rows, r, at_hand[0], value
    raise AssertionError("the generated questions hold one the engine abstains on, its passage among those shown")


def test_the_analyst_corrects_an_answer_the_engine_refits_and_the_question_is_then_right(own_kb, monkeypatch,
                                                                                        tmp_path):
    """Generated questions as the source of one the engine abstains on; 不对 with the right passage and value;
    kg fit --feedback; asked again, the right value with that passage as its citation."""
    from kg.cli.main import main
    _, r, pick, value = a_question_the_engine_misses(own_kb, tmp_path)
    at = app(own_kb, monkeypatch)
    at.chat_input[0].set_value(r["question"]).run()
    next(b for b in at.button if b.label == "不对").click().run()
    at.radio(key="fb-pick-0").set_value(pick)
    at.text_input(key="fb-text-0").set_value(value)
    next(b for b in at.button if b.label == "提交").click().run()
    no_trouble(at)
    assert main(["fit", "--kb", str(own_kb), str(tmp_path / "train.jsonl"), "--dev", str(tmp_path / "dev.jsonl"),
                 "--feedback"]) in (0, 1)  # installed, or refused as worse on dev: the correction is kept either way
    again = app(own_kb, monkeypatch)
    again.chat_input[0].set_value(r["question"]).run()
    no_trouble(again)
    assert any(value in b for b in html_bodies(again)), "the right value"
    assert any(r["evidence"][0][:12] in b for b in html_bodies(again)), "cited to the passage the analyst picked"
    assert any(c.value.startswith("依据分析师此前的更正") for c in again.caption)


def test_bad_upload_is_one_message_and_leaves_the_kb_unchanged(own_kb, monkeypatch):
    before = kb_state(own_kb)
    at = app(own_kb, monkeypatch, page="documents")
    at.file_uploader[0].set_value(("junk.pdf", b"%PDF-1.4 this is not really a pdf", "application/pdf")).run()
    next(b for b in at.button if b.label == "导入").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "junk.pdf" in at.error[0].value and "知识库未作改动" in at.error[0].value
    assert kb_state(own_kb) == before
    assert not list(own_kb.glob("upload-*")), "the temporary upload folder is gone"


def test_upload_then_remove_a_report(own_kb, monkeypatch):
    before, _ = kb_state(own_kb)
    at = app(own_kb, monkeypatch, page="documents")
    report = "吉林省金融运行报告（2025）\n\n一、经济运行情况\n\n2024 年，吉林省旅游收入 5000 亿元，同比增长 10.0%。\n"
    at.file_uploader[0].set_value(("jilin.txt", report.encode("utf-8"), "text/plain")).run()
    next(b for b in at.button if b.label == "导入").click().run()
    no_trouble(at)
    assert "jilin.txt：已导入" in at.success[0].value
    steps = at.session_state["ingest_steps"]  # what the progress bar said, in order
    assert steps[0] == "第 1/4 步 · 解析与抽取：1/1 个文件（jilin.txt）"
    assert any(s.startswith("第 3/4 步 · 计算语义向量：") and s.endswith("段 · 正在加载模型…") for s in steps)
    assert steps[-1].startswith("第 4/4 步 · 构建知识图谱：1/1 份报告 · 完成，用时 ") and steps[-1].endswith(" 秒")
    assert len(at.table[0].value) == 3
    (new,) = set(kb_state(own_kb)[0]) - set(before)
    at.selectbox(key="remove_pick").set_value(new).run()
    next(b for b in at.button if b.label == "删除…").click().run()
    assert "吉林省金融运行报告" in at.warning[0].value
    next(b for b in at.button if b.label == "确认删除").click().run()
    no_trouble(at)
    assert at.success[0].value.startswith("已删除 吉林省金融运行报告")
    assert new not in kb_state(own_kb)[0] and len(at.table[0].value) == 2


def test_a_very_long_chinese_file_name_is_shortened_not_a_traceback(own_kb, monkeypatch):
    from kg.ui.actions import fit_name
    name = "吉林省" * 33 + ".txt"  # 99 characters before the suffix: 297 bytes, over the 255 a name may have
    assert fit_name(name).endswith("….txt") and len(fit_name(name).encode()) <= 200
    assert fit_name("短.txt") == "短.txt"
    at = app(own_kb, monkeypatch, page="documents")
    report = "吉林省金融运行报告（2025）\n\n一、经济运行情况\n\n2024 年，吉林省旅游收入 5000 亿元，同比增长 10.0%。\n"
    at.file_uploader[0].set_value((name, report.encode("utf-8"), "text/plain")).run()
    next(b for b in at.button if b.label == "导入").click().run()
    no_trouble(at)
    assert "已导入" in at.success[0].value and len(at.table[0].value) == 3


def test_missing_kb_says_how_to_build_one(tmp_path, monkeypatch):
    at = app(tmp_path / "nothing-here", monkeypatch)
    assert not at.exception and not at.error
    assert "scripts/start.sh" in at.info[0].value and "kg ingest" in at.info[0].value


# -- the view helpers ---------------------------------------------------------------------------------------

def test_highlight_escapes_everything_and_marks_spans():
    from kg.ui.passage import highlight_html
    html = highlight_html("a<b>**c**\n\nd", [(3, 5), (4, 7), (20, 30)])
    assert "<b>" not in html and "**" not in html and "\n" not in html
    assert html.count("<mark") == 1 and "&#62;&#42;&#42;c</mark>" in html
    assert highlight_html("x", []).endswith(">x</div>")


def test_warm_gives_up_after_its_timeout():
    from kg.ui.actions import how_to_build
    from kg.ui.warm import warm
    assert warm("http://127.0.0.1:9/_stcore/script-health-check", timeout=0.3, pause=0.1) is False
    assert "kg ingest --kb /x/kb" in how_to_build(Path("/x/kb"))


def test_answer_json_round_trips():
    import json
    from kg.ui.passage import answer_json
    c = Citation("doc-1", "t", "chunk-1", 0, 2, "ab", None, ("一、x",))
    d = json.loads(answer_json(Answer("q", "ab", False, (c,))))
    assert d["citations"][0]["section"] == ["一、x"] and d["text"] == "ab"


def fig(period: str, value: float, start: int, indicator: str = "存款", table: str | None = None) -> Figure:
    return Figure(f"fig-{start}", "doc-1", "chunk-1", start, start + 1, str(value), value, "亿元",
                  indicator=indicator, period=period, table_id=table)


def test_series_keeps_one_granularity_and_splits_table_rows():
    from kg.ui.entities import granularity, series
    assert [granularity(p) for p in ("2024", "2024Q1", "2024-03", "2024H1", "2024年末", "")] == [
        "year", "quarter", "month", "half", None, None]
    text = "表\n" + "x" * 20 + "\n" + "y" * 20
    figs = [fig("2024-01", 1, 3, table="t"), fig("2024-02", 2, 5, table="t"), fig("2024", 9, 7, table="t"),
            fig("2024-01", -1, 25, table="t"), fig("2024-02", -2, 27, table="t"), fig("2023", 5, 40, "GDP")]
    got = series(figs, {"doc-1": text})
    assert [(s.label, s.points) for s in got] == [("存款 (亿元)", (("2024-01", 1.0), ("2024-02", 2.0))),
                                                 ("存款 (亿元) #2", (("2024-01", -1.0), ("2024-02", -2.0)))]


def test_graph_html_works_offline_and_keeps_labels_inert():
    from kg.browse import EntityView, Neighbour
    from kg.types import Entity
    from kg.ui.entities import external_urls, graph_html
    e = Entity("region-210000", "region", "辽宁")
    odd = Entity("policy-x", "policy", "《</script><script>alert(1)</script>》")
    html = graph_html(EntityView(e, (), (Neighbour(odd, "coOccurs", 2.0),), ()))
    assert external_urls(html) == [] and "new vis.Network" in html and "\\u8fbd\\u5b81" in html
    assert "alert(1)</script>" not in html


# -- Chinese first, follow-ups, units ----------------------------------------------------------------------

def test_follow_up_reuses_the_previous_question_and_says_how_it_was_read(kb_dir, monkeypatch):
    at = app(kb_dir, monkeypatch)
    at.chat_input[0].set_value("2024年辽宁省旅游收入是多少？").run()
    at.chat_input[0].set_value("那山西呢？").run()
    no_trouble(at)
    assert [a.question for a in at.session_state["chat"]] == ["2024年辽宁省旅游收入是多少？", "2024年山西省旅游收入是多少？"]
    assert any(t.value == "那山西呢？" for t in at.text), "the follow-up as typed"
    assert any(c.value == "结合上一个问题，理解为：2024年山西省旅游收入是多少？" for c in at.caption)
    assert any(c.value.startswith("理解为：指标 旅游收入 · 地区 山西 · 时间 2024年") for c in at.caption)
    at.chat_input[0].set_value("2023年呢？").run()
    assert at.session_state["chat"][-1].question == "2023年山西省旅游收入是多少？"


WORDS_ALLOWED = {"PolicyKG", "JSON", "SPARQL", "Turtle", "Triples", "GraphML", "LD", "ASK", "txt", "md", "pdf", "ingest",
                 "data", "corpus", "scripts", "start", "bash", "venv", "bin", "kb", "report", "title", "issuer",
                 "dcterms", "skos", "prov", "pkg", "qb", "entity", "Triples",
                 "English", "Language"}  # the language switch names both languages


def english_words(at) -> set[str]:
    """English words in the interface itself (labels, captions, messages), not in report content."""
    import re
    texts = [x.value for kind in ("title", "subheader", "caption", "info", "warning", "error", "success")
             for x in at.get(kind) if isinstance(x.value, str)]
    texts += [w.label for kind in ("radio", "selectbox", "text_input", "text_area", "button", "tab", "expander",
                                   "download_button", "chat_input", "file_uploader") for w in at.get(kind)
              if getattr(w, "label", None)]
    texts += [o for w in at.get("radio") + at.get("selectbox") for o in w.options[:5]]  # as displayed
    # acronyms in content (LPR, GDP, CPI) are not interface words
    return {w for t in texts for w in re.findall(r"[A-Za-z]{2,}", t) if w != w.upper()} - WORDS_ALLOWED


@pytest.mark.parametrize("page", ["chat", "entities", "documents", "export"])
def test_every_page_speaks_chinese_and_switches_to_english(kb_dir, monkeypatch, page):
    at = app(kb_dir, monkeypatch, page=page)
    no_trouble(at)
    assert english_words(at) == set(), f"English on the {page} page"
    assert at.radio(key="lang").value == "zh"
    at.radio(key="lang").set_value("en").run()
    no_trouble(at)
    assert at.main.title[0].value == {"chat": "Chat", "entities": "Entities", "documents": "Documents",
                                 "export": "Export & SPARQL"}[page]


def test_entity_charts_and_tables_carry_the_unit_of_a_parent_row(kb_dir, monkeypatch):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("POLICYKG_KB", str(kb_dir))
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(page="entities", entity="辽宁")
    at.run()
    figures = at.dataframe[0].value
    loans = figures[figures["指标"].str.startswith("人民币 个人消费贷款")]
    assert len(loans) == 36 and set(loans["单位"]) == {"亿元", "%"}, "其中：个人消费贷款 takes 各项贷款余额（亿元）'s unit"
    picker = at.selectbox(key="series-region-210000")
    labels = list(picker.options)  # as displayed
    assert "人民币 个人消费贷款 [金融机构各项贷款余额] (亿元)（12 个月）" in labels
    assert not [x for x in labels if "#" in x and "消费贷款" in x], "the parent row tells the series apart"


def test_i18n_catalogues_agree_and_the_app_uses_only_known_keys():
    import re
    from kg.ui.i18n import CATALOGUE, tr
    assert set(CATALOGUE["zh"]) == set(CATALOGUE["en"])
    used = set(re.findall(r"""\bT\(\s*["']([a-z_]+\.[A-Za-z_]+)["']""", Path(APP).read_text(encoding="utf-8")))
    assert len(used) > 60 and used <= set(CATALOGUE["zh"])
    assert tr("zh", "side.summary", n=5) == "已收录 5 份报告" and tr("xx", "page.chat") == "智能问答"


def test_understood_line_reads_indicator_region_period_and_measure():
    from kg.extract.gazetteer import load_gazetteer
    from kg.ui.understood import period_text, understand, understood_line
    g = load_gazetteer()
    u = understand("2024年末辽宁省本外币各项贷款增速是多少？", g)
    assert understood_line(u) == "理解为：指标 各项贷款 · 地区 辽宁 · 时间 2024年末 · 所求 增速"
    assert understood_line(understand("辽宁和山西2024年存款余额差多少？", g)) == \
        "理解为：指标 存款 · 地区 辽宁、山西 · 时间 2024年 · 所求 余额、差值"
    assert understood_line(u, "en") == \
        "Understood as: indicator 各项贷款 · region 辽宁 · period 2024年末 · asking for growth rate"
    assert [period_text(p) for p in ("2024Q3", "2024-08", "2024H1", "2024", "{y}Q4")] == [
        "2024年三季度", "2024年8月", "2024年上半年", "2024年", "四季度（未指明年份）"]


def test_understood_line_drops_what_the_analysis_no_longer_provides(monkeypatch):
    from types import SimpleNamespace
    import kg.qa.read.question
    from kg.ui.understood import understand, understood_line
    monkeypatch.setattr(kg.qa.read.question, "analyse", lambda q, g: SimpleNamespace(regions=("辽宁",), periods=None))
    assert understood_line(understand("辽宁呢", None)) == "理解为：地区 辽宁"
    monkeypatch.setattr(kg.qa.read.question, "analyse", lambda q, g: object())
    assert understood_line(understand("x", None)) == ""
