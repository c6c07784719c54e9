"""Property-based tests (Hypothesis): whatever a user types as a question, a search, a SPARQL query or an upload's
file name, the answer is a result or one clear error (KgError), never another exception."""
from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="pip install -e .[test] (hypothesis)")
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from kg.errors import KgError  # noqa: E402

from test_qa_answer import kb_dir  # noqa: E402,F401 - the three-excerpt knowledge base (BM25 only)

# text as users and copy-paste produce it: Chinese, digits, punctuation, full-width forms, control characters,
# lone surrogates (invalid UTF-8 arriving through a terminal or a form), and words of the reports
WORDS = st.sampled_from(["辽宁", "2024年", "旅游收入", "多少", "？", "比", "高多少", "占", "的比重", "各多少", "和",
                         "表1", "那山西呢", "增速", "%", "亿元", "哪几项", "是什么", "\u3000", "\n", "\x00"])
TEXT = st.one_of(st.text(max_size=700), st.lists(WORDS, max_size=40).map("".join),
                 st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=5))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def ctx(kb_dir):  # noqa: F811
    from kg import service
    from kg.config import Settings
    from kg.kb.store import KnowledgeBase
    kb = KnowledgeBase.open(kb_dir)
    yield service.open_qa(kb, Settings(kb=kb_dir, dense=False))
    kb.close()


@SETTINGS
@given(question=TEXT, previous=st.one_of(st.none(), TEXT))
def test_any_question_gets_an_answer_or_one_clear_error(ctx, question, previous):
    from kg.service import ask
    try:
        reply = ask(ctx, question, previous)
    except KgError as e:
        assert str(e) and "\n" not in str(e)
        return
    assert reply.answer.abstained or reply.answer.citations


@SETTINGS
@given(query=TEXT)
def test_any_search_gets_hits_or_one_clear_error(ctx, query):
    from kg.service import search
    try:
        hits = search(ctx.searcher, query, 5)
    except KgError as e:
        assert str(e) and "\n" not in str(e)
        return
    assert len(hits) <= 5


@settings(max_examples=200, deadline=None)
@given(query=st.one_of(st.text(max_size=300), st.lists(st.sampled_from(
    ["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", "SERVICE", "<http://127.0.0.1:9/x>", "#", "\r", "\n",
     "\\u0022", '"', "INSERT", "DATA", "LIMIT", "1", "UNION", "BIND(", ")", "AS", "?z", "."]), max_size=30).map(" ".join)))
def test_any_sparql_text_is_checked_or_refused_in_one_line(query):
    from kg.graph.sparql import check_query
    try:
        checked = check_query(query)
    except KgError as e:
        assert str(e)
        return
    assert "SERVICE" not in checked.text.upper() or checked.form  # a checked query names its form


@settings(max_examples=200, deadline=None)
@given(name=st.text(min_size=1, max_size=300), suffix=st.sampled_from([".pdf", ".txt", ".docx", ".html", ""]))
def test_any_upload_name_is_shortened_to_what_a_filesystem_takes(name, suffix):
    from kg.ui.actions import fit_name
    given_name = name + suffix
    fitted = fit_name(given_name)
    if len(given_name.encode()) <= 200:
        assert fitted == given_name
    else:
        assert len(fitted.encode()) <= 200 and fitted.endswith(suffix)
