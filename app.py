"""PolicyKG in the browser: ask with citations, browse entities, manage reports, export and query the graph.

Run: `.venv/bin/streamlit run app.py` (the knowledge base comes from the sidebar, default $POLICYKG_KB or data/kb).
A thin script: every action is a library call (kg.service, kg.qa, kg.browse, kg.graph.export, kg.graph.sparql); the display
data comes from kg.ui, every word from kg.ui.i18n (Chinese, or English with ?lang=en or the sidebar switch).
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

import streamlit as st

from kg.browse import citation_for, entity_view, list_entities
from kg.config import Settings
from kg.errors import InputError, KgError, UsageError
from kg.kb.store import KnowledgeBase
from kg.progress import Tracker
from kg.types import ENTITY_TYPES
from kg.ui import actions
from kg.ui import entities as ev
from kg.ui import passage as pv
from kg.ui import sparql as sv
from kg.ui.i18n import LANGUAGES, label, language, translator, widget_css
from kg.ui.progress import progress_text
from kg.ui.understood import understand, understood_line

ROOT = Path(__file__).resolve().parent
PAGES = ("chat", "entities", "documents", "export")
# Less empty space above the page title (a laptop screen shows the graph without scrolling); short table
# columns (year, region, counts) on one line, long titles wrap.
LAYOUT_CSS = """<style>
[data-testid="stMainBlockContainer"] {padding-top: 2.5rem}
[data-testid="stTable"] td:nth-child(n+3), [data-testid="stTable"] th:nth-child(n+3) {white-space: nowrap}
</style>"""


@st.cache_resource(show_spinner=False, max_entries=2)
def qa_loader(kb: str, generation: int, model: str = "") -> actions.Background:
    """Answering context for one generation of a knowledge base, loaded in the background from the first run."""
    return actions.Background(lambda: actions.open_warm_qa(Path(kb), Settings(kb=Path(kb))))


def model_version(kb: Path) -> str:
    """The knowledge base's own decision model (kg fit --feedback), so a refit is answered with at once."""
    from kg.qa.learn.versions import current
    own = current(kb)
    return own.name if own else ""


@st.cache_resource(show_spinner=False, max_entries=2)
def graph_store(kb: str, generation: int):
    from kg.graph.index import open_graph
    with KnowledgeBase.open(kb) as k:
        return open_graph(k)


def qa_context(kb: Path, gen: int, lang: str):
    loader = qa_loader(str(kb), gen, model_version(kb))
    if not loader.done:
        with st.spinner(translator(lang)("kb.loading")):
            try:
                loader.result(timeout=600)
            except KgError:
                if not loader.done:  # still loading, not failed: say so in the reader's language
                    raise KgError(translator(lang)("kb.still_loading", s=600)) from None
                raise
    try:
        return loader.result()
    except BaseException:
        qa_loader.clear()  # let the next question try again instead of caching the failure
        raise


def show_card(card: pv.Card, expanded: bool = False) -> None:
    with st.expander(pv.md_escape(card.heading), expanded=expanded):
        st.caption(pv.md_escape(card.location))
        st.html(card.html)


def understood_caption(question: str, gazetteer, lang: str) -> str:
    """The "what I understood" line; question analysis is the QA's own, so a failure there only drops the line."""
    try:
        return understood_line(understand(question, gazetteer), lang)
    except Exception:  # noqa: BLE001 - an explanation line must never take the answer down with it
        return ""


def show_answer(a, i: int, kb: Path, ctx, titles, lang: str) -> None:
    T = translator(lang)
    asked = st.session_state.get("asked", {}).get(i)
    with st.chat_message("user"):
        st.text(asked or a.question)
        if asked:
            st.caption(pv.md_escape(T("chat.followup", q=a.question)))
    with st.chat_message("assistant"):
        st.caption(pv.answer_heading(a, lang))
        if a.abstained:
            st.warning(a.text)
        else:
            st.html(pv.answer_html(a.text))
            st.caption(pv.confidence_line(a.score, lang))
        if hint := st.session_state.get("hints", {}).get(i):
            st.caption(pv.md_escape(hint))
        if line := understood_caption(a.question, ctx.gazetteer, lang):
            st.caption(pv.md_escape(line))
        for j, c in enumerate(a.citations, 1):
            show_card(pv.citation_card(c, ctx.chunks, j, lang=lang), expanded=j == 1)
        if a.figures:
            st.caption(T("chat.figures"))
            st.dataframe(pv.figure_rows(a.figures, titles, lang=lang), hide_index=True)
        if a.related:
            st.caption(T("chat.related_none") if a.abstained else T("chat.related"))
            for j, c in enumerate(a.related, 1):
                show_card(pv.citation_card(c, ctx.chunks, j, lang=lang))
        feedback_block(a, i, kb, ctx, lang)
        with st.expander(T("chat.json")):
            text = pv.answer_json(a)
            st.code(text, language="json")
            st.download_button(T("chat.download"), text, file_name=f"answer-{i + 1}.json", mime="application/json",
                               key=f"answer-json-{i}", on_click="ignore")


def feedback_allowed() -> bool:
    """Feedback needs no login on loopback; an app exposed to the network (server.address not loopback) takes
    it only from someone who typed POLICYKG_FEEDBACK_TOKEN in the sidebar, and not at all when none is set."""
    return actions.feedback_allowed(st.get_option("server.address"), os.environ.get("POLICYKG_FEEDBACK_TOKEN"),
                                    st.session_state.get("fb_token"))


def feedback_block(a, i: int, kb: Path, ctx, lang: str) -> None:
    """对 / 不对 under an answer; after 不对, the passage and the right answer, or "the reports do not answer"."""
    from kg.service import answer_id
    T = translator(lang)
    judged = st.session_state.setdefault("judged", {})
    if i in judged:
        st.caption(T("fb.thanks", id=judged[i]))
        return
    if not feedback_allowed():
        st.caption(T("fb.off"))
        return
    shown = answer_id(a.question, a.text)
    right, wrong, _ = st.columns([1, 1, 8])
    if right.button(T("fb.right"), key=f"fb-right-{i}", disabled=a.abstained):
        judged[i] = actions.give_feedback(kb, ctx, a.question, "right", shown_id=shown)
        st.rerun()
    if wrong.button(T("fb.wrong"), key=f"fb-wrong-{i}"):
        st.session_state[f"fb-open-{i}"] = True
    if not st.session_state.get(f"fb-open-{i}"):
        return
    passages = [*a.citations, *a.related]
    with st.form(key=f"fb-form-{i}"):
        pick = st.radio(T("fb.pick"), [None, *range(len(passages))], key=f"fb-pick-{i}",
                        format_func=lambda j: T("fb.none_picked") if j is None else
                        f"[{j + 1}] {passages[j].text[:70]}")
        text = st.text_input(T("fb.answer"), key=f"fb-text-{i}")
        absent = st.checkbox(T("fb.absent"), key=f"fb-absent-{i}")
        if st.form_submit_button(T("fb.send")):
            if not (absent or text.strip() or pick is not None):
                st.warning(T("fb.need"))
                return
            judged[i] = actions.give_feedback(kb, ctx, a.question, "absent" if absent else "wrong", text,
                                              None if absent or pick is None else passages[pick], shown)
            st.rerun()


def chat_page(kb: Path, store: KnowledgeBase, gen: int, lang: str) -> None:
    from kg.service import ask
    T = translator(lang)
    history = st.session_state.setdefault("chat", [])
    asked = st.session_state.setdefault("asked", {})  # answer index -> the follow-up as typed
    question = st.chat_input(T("chat.placeholder"))
    if not history and not question:
        st.info(T("chat.intro"))
    if question and question.strip():
        ctx = qa_context(kb, gen, lang)
        with st.spinner(T("chat.searching")):
            reply = ask(ctx, question, history[-1].question if history else None, store)
        history.append(reply.answer)
        if reply.hint:
            st.session_state.setdefault("hints", {})[len(history) - 1] = reply.hint
        if reply.followup:
            asked[len(history) - 1] = reply.typed
    if history:
        ctx = qa_context(kb, gen, lang)
        titles = {d.id: d.title for d in ctx.documents.values()}
        for i, a in enumerate(history):
            show_answer(a, i, kb, ctx, titles, lang)


def pick_entity(store: KnowledgeBase, lang: str) -> str | None:
    T = translator(lang)
    left, mid, right = st.columns([1, 3, 2])
    kind = left.selectbox(T("ent.type"), ["all", *ENTITY_TYPES], key="entity_type",
                          format_func=lambda k: T("ent.all") if k == "all" else label(lang, "type", k))
    rows = list_entities(store, None if kind == "all" else kind)
    typed = right.text_input(T("ent.typed"), key="entity_name", placeholder=T("ent.typed_ph"))
    if typed.strip():
        return typed.strip()
    if not rows:
        st.info(T("ent.none"))
        return None
    wanted = st.query_params.get("entity")
    labels = [r.entity.label for r in rows]
    index = labels.index(wanted) if wanted in labels else 0
    i = mid.selectbox(T("ent.pick"), range(len(rows)), index=index, key=f"entity_pick_{kind}",
                      format_func=lambda k: ev.entity_choice(rows[k], lang))
    return rows[i].entity.label


def entities_page(kb: Path, store: KnowledgeBase, gen: int, lang: str) -> None:
    T = translator(lang)
    name = pick_entity(store, lang)
    if name is None:
        return
    try:
        view = entity_view(store, name)
    except UsageError:
        near = [r.entity.label for r in list_entities(store) if name in r.entity.label][:5]
        st.error(T("ent.not_found", name=name, hint=T("ent.near", near="、".join(near)) if near else ""))
        return
    e = view.entity
    st.subheader(e.label)
    aliases = T("ent.aliases", a="、".join(e.aliases)) if e.aliases else T("ent.no_aliases")
    st.caption(pv.md_escape(" · ".join(x for x in (label(lang, "type", e.type), e.code or "", aliases) if x)))
    docs = {d: store.document(d) for d in {f.doc_id for f in view.figures}}
    titles = {d: x.title for d, x in docs.items()}
    units = ev.inherited_units(view.figures, {t.id: t for d in docs for t in store.tables(d)})
    cards = pv.passage_cards(view.passages, (e.label, *e.aliases), lang)
    figs, chart, graph, passages = st.tabs([T("ent.tab_figures", n=len(view.figures)), T("ent.tab_chart"),
                                            T("ent.tab_graph"), T("ent.tab_passages", n=len(cards))])
    with figs:
        if not view.figures:
            st.info(T("ent.no_figures"))
        else:
            st.caption(T("ent.select_row"))
            event = st.dataframe(pv.figure_rows(view.figures, titles, units, lang), hide_index=True,
                                 on_select="rerun", selection_mode="single-row", key=f"figures-{e.id}")
            for r in [r for r in event.selection.rows if r < len(view.figures)][:1]:
                f = view.figures[r]
                cite = citation_for(store, f.doc_id, f.chunk_id, f.start, f.end)
                show_card(pv.figure_card(cite, f, pv.figure_unit(f, units), lang), True)
                answer_with_figure(kb, gen, f, cite, pv.figure_unit(f, units), lang)
    with chart:
        series = ev.series(view.figures, {d: x.text for d, x in docs.items()}, units=units)
        if not series:
            st.info(T("ent.no_series"))
        else:
            s = series[st.selectbox(T("ent.indicator"), range(len(series)), key=f"series-{e.id}",
                                    format_func=lambda k: T("ent.series", label=series[k].label, n=len(
                                        series[k].points), gran=label(lang, "gran", series[k].granularity)))]
            x, y = T("ent.axis_period"), T("ent.axis_value", unit=s.unit) if s.unit else T("ent.axis_plain")
            data = {x: [p for p, _ in s.points], y: [v for _, v in s.points]}
            (st.bar_chart if s.granularity == "year" else st.line_chart)(data, x=x, y=y, x_label=x, y_label=y)
            st.dataframe(pv.figure_rows(s.figures, titles, units, lang), hide_index=True)
    with graph:
        neighbourhood(view, lang)
    with passages:
        for card in cards:  # collapsed: each heading quotes its passage where it names the entity
            show_card(card)


def answer_with_figure(kb: Path, gen: int, f, cite, unit: str, lang: str) -> None:
    """The figure picked in the entity browser as the right answer to the chat's last question (不对 there):
    kept as feedback pointing at this very value."""
    T = translator(lang)
    history = st.session_state.get("chat") or []
    if not history or not feedback_allowed():
        return
    last = history[-1]
    if st.button(T("fb.this_figure", q=last.question[:40]), key=f"fb-figure-{f.id}"):
        ctx = qa_context(kb, gen, lang)
        fid = actions.give_feedback(kb, ctx, last.question, "wrong", f"{f.text}{unit}", cite)
        st.session_state.setdefault("judged", {})[len(history) - 1] = fid
        st.success(T("fb.thanks", id=fid))


def neighbourhood(view, lang: str) -> None:
    T = translator(lang)
    if not view.neighbours:
        st.info(T("ent.no_neighbours"))
        return
    st.html(ev.legend_html(lang))
    html = ev.graph_html(view, lang=lang)
    if hasattr(st, "iframe"):  # streamlit >= 1.5x; components.v1.html is deprecated there
        st.iframe(html, height=480)
    else:
        import streamlit.components.v1 as components
        components.html(html, height=480)
    st.dataframe([{T("ent.col_neighbour"): n.entity.label, T("ent.col_type"): label(lang, "type", n.entity.type),
                   T("ent.col_relation"): label(lang, "rel", n.predicate), T("ent.col_weight"): round(n.weight, 2)}
                  for n in view.neighbours], hide_index=True)


def documents_page(kb: Path, store: KnowledgeBase, gen: int, lang: str) -> None:
    T = translator(lang)
    settings = Settings(kb=kb)
    docs = store.documents()
    rows = [{T("doc.title"): d.title, T("doc.issuer"): d.issuer or "", T("doc.year"): "" if d.year is None else str(d.year),
             T("doc.region"): d.region or "", T("doc.chars"): d.chars, T("doc.chunks"): d.chunks,
             T("doc.tables"): d.tables, T("doc.pages"): d.pages or "", T("doc.file"): Path(d.source).name}
            for d in docs]
    st.table(rows, hide_index=True)  # a static table wraps long titles instead of cutting columns off
    st.subheader(T("doc.add"))
    upload = st.file_uploader(T("doc.upload"), type=list(actions.UPLOAD_SUFFIXES), key="upload")
    if upload is not None and st.button(T("doc.ingest"), type="primary"):
        ingest_upload(kb, upload, settings, lang)
    st.subheader(T("doc.remove"))
    if docs:
        remove_report(kb, docs, settings, lang)


def ingest_upload(kb: Path, upload, settings, lang: str) -> None:
    from kg.service import ingest_stages
    T = translator(lang)
    bar = st.progress(0.0, text=T("doc.starting"))
    st.session_state["ingest_steps"] = []  # the last lines shown, kept for the app tests

    def draw(ev) -> None:
        text = progress_text(ev, T)
        bar.progress(ev.fraction, text=text)
        st.session_state["ingest_steps"] = [*st.session_state.get("ingest_steps", ()), text][-20:]
    try:
        rep = actions.ingest_upload(kb, upload.name, upload.getvalue(), settings,
                                    Tracker(draw, ingest_stages(settings)))
    except KgError as err:
        bar.empty()
        if isinstance(err, InputError):  # the file was refused before anything was stored
            st.error(T("doc.refused", name=upload.name, reason=err.reason))
        else:
            st.error(T("doc.failed", name=upload.name, err=err))
        return
    verb = (T("doc.duplicate", twin=rep.duplicates[0][1]) if rep.duplicates else T("doc.unchanged") if rep.unchanged
            else T("doc.replaced") if rep.replaced else T("doc.ingested"))
    st.session_state["flash"] = T("doc.flash", name=upload.name, verb=verb)
    st.rerun()


def remove_report(kb: Path, docs, settings, lang: str) -> None:
    T = translator(lang)
    labels = {d.id: f"{d.title}（{Path(d.source).name}）" for d in docs}
    doc_id = st.selectbox(T("doc.report"), list(labels), format_func=labels.get, key="remove_pick")
    if st.session_state.get("confirm_remove") != doc_id:
        if st.button(T("doc.remove_btn")):
            st.session_state["confirm_remove"] = doc_id
            st.rerun()
        return
    st.warning(T("doc.confirm", label=labels[doc_id]))
    yes, no = st.columns(2)
    if yes.button(T("doc.yes"), type="primary"):
        with st.spinner(T("doc.removing")):
            doc = actions.remove_document(kb, doc_id, settings)
        st.session_state.pop("confirm_remove", None)
        st.session_state["flash"] = T("doc.removed", title=doc.title, source=Path(doc.source).name)
        st.rerun()
    if no.button(T("doc.cancel")):
        st.session_state.pop("confirm_remove", None)
        st.rerun()


def _example_changed() -> None:
    st.session_state["sparql_text"] = sv.EXAMPLES[st.session_state["sparql_example"]]


def export_page(kb: Path, store: KnowledgeBase, gen: int, lang: str) -> None:
    from kg.graph.sparql import run_query
    T = translator(lang)
    st.subheader(T("exp.download"))
    st.caption(T("exp.caption"))
    for col, (name, (fmt, mime)) in zip(st.columns(len(actions.EXPORTS)), actions.EXPORTS.items()):
        col.download_button(name, functools.partial(actions.export_bytes, kb, fmt), file_name=f"policykg.{fmt}",
                            mime=mime, key=f"export-{fmt}", on_click="ignore")
    st.subheader(T("exp.sparql"))
    st.selectbox(T("exp.example"), list(sv.EXAMPLES), key="sparql_example", on_change=_example_changed,
                 format_func=lambda k: T(f"ex.{k}"))
    st.session_state.setdefault("sparql_text", next(iter(sv.EXAMPLES.values())))
    text = st.text_area(T("exp.query"), key="sparql_text", height=220)
    if st.button(T("exp.run"), type="primary"):
        st.session_state["sparql_result"] = run_query(graph_store(str(kb), gen), text)
    kind, payload = st.session_state.get("sparql_result", (None, None))
    if kind == "select":
        cols, rows = sv.result_rows(payload)
        st.caption(T("exp.rows", n=len(rows)))
        st.dataframe(rows, column_order=cols, hide_index=True)
    elif kind == "ask":
        st.info(T("exp.ask", v=T("exp.true") if payload["boolean"] else T("exp.false")))
    elif kind == "graph":
        st.code(payload, language="turtle")


def main() -> None:
    st.set_page_config(page_title="PolicyKG", page_icon="📑", layout="wide")
    lang = language(st.session_state.get("lang") or st.query_params.get("lang"))
    T = translator(lang)
    st.html(LAYOUT_CSS + widget_css(lang))
    wanted = st.query_params.get("page")
    with st.sidebar:
        st.title(T("app.title"))
        page = st.radio(T("side.page"), PAGES, index=PAGES.index(wanted) if wanted in PAGES else 0, key="page",
                        format_func=lambda p: T(f"page.{p}"))
        kb_text = st.text_input(T("side.kb"), os.environ.get("POLICYKG_KB", "data/kb"), key="kb",
                                help=T("side.kb_help"))
        if not actions.is_loopback(st.get_option("server.address")) and os.environ.get("POLICYKG_FEEDBACK_TOKEN"):
            st.text_input(T("fb.token"), type="password", key="fb_token")
    st.title(T(f"page.{page}"))
    if "flash" in st.session_state:
        st.success(st.session_state.pop("flash"))
    try:
        if not (kb_text or "").strip():
            st.info(T("kb.empty_dir"))
            return
        kb = actions.resolve_kb(kb_text, ROOT)
        if not actions.kb_exists(kb):
            st.info(actions.how_to_build(kb, lang))
            return
        with KnowledgeBase.open(kb) as store:
            gen = store.generation
            qa_loader(str(kb), gen, model_version(kb))  # start loading the model now: the first answer is quick
            {"chat": chat_page, "entities": entities_page, "documents": documents_page,
             "export": export_page}[page](kb, store, gen, lang)
            st.sidebar.caption(T("side.summary", n=len(store.doc_ids())))
    except KgError as err:
        st.error(str(err))
    finally:
        st.sidebar.radio(T("side.lang"), list(LANGUAGES), index=list(LANGUAGES).index(lang), key="lang",
                         format_func=LANGUAGES.get, horizontal=True)


main()
