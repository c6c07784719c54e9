"""PolicyKG in the browser: ask with citations, browse entities, manage reports, export and query the graph.

Run: `.venv/bin/streamlit run app.py` (the knowledge base comes from the sidebar, default $POLICYKG_KB or data/kb).
A thin script: every action is a library call (kg.service, kg.qa, kg.browse, kg.graph.export, kg.graph.sparql); the display
data comes from kg.ui.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

import streamlit as st

from kg.browse import citation_for, entity_view, list_entities
from kg.config import Settings
from kg.errors import InputError, KgError
from kg.kb.store import KnowledgeBase
from kg.types import ENTITY_TYPES
from kg.ui import actions
from kg.ui import entities as ev
from kg.ui import passage as pv
from kg.ui import sparql as sv

ROOT = Path(__file__).resolve().parent
PAGES = ("Chat", "Entities", "Documents", "Export & SPARQL")


@st.cache_resource(show_spinner=False, max_entries=2)
def qa_loader(kb: str, generation: int) -> actions.Background:
    """Answering context for one generation of a knowledge base, loaded in the background from the first run."""
    return actions.Background(lambda: actions.open_warm_qa(Path(kb), Settings(kb=Path(kb))))


@st.cache_resource(show_spinner=False, max_entries=2)
def graph_store(kb: str, generation: int):
    from kg.graph.index import open_graph
    with KnowledgeBase.open(kb) as k:
        return open_graph(k)


def qa_context(kb: Path, gen: int):
    loader = qa_loader(str(kb), gen)
    if not loader.done:
        with st.spinner("Loading the search indexes and the embedding model (once per knowledge base)…"):
            loader.result(timeout=600)
    try:
        return loader.result()
    except BaseException:
        qa_loader.clear()  # let the next question try again instead of caching the failure
        raise


def show_card(card: pv.Card, expanded: bool = False) -> None:
    with st.expander(pv.md_escape(card.heading), expanded=expanded):
        st.caption(pv.md_escape(card.location))
        st.html(card.html)


def show_answer(a, i: int, chunks, titles) -> None:
    with st.chat_message("user"):
        st.text(a.question)
    with st.chat_message("assistant"):
        st.caption(pv.answer_heading(a))
        if a.abstained:
            st.warning(a.text)
        else:
            st.html(pv.answer_html(a.text))
        for j, c in enumerate(a.citations, 1):
            show_card(pv.citation_card(c, chunks, j), expanded=j == 1)
        if a.figures:
            st.caption("Figures used")
            st.dataframe(pv.figure_rows(a.figures, titles), hide_index=True)
        if a.related:
            st.caption("Related passages (none of them answers the question)" if a.abstained else "Related passages")
            for j, c in enumerate(a.related, 1):
                show_card(pv.citation_card(c, chunks, j))
        with st.expander("Copy as JSON"):
            text = pv.answer_json(a)
            st.code(text, language="json")
            st.download_button("Download JSON", text, file_name=f"answer-{i + 1}.json", mime="application/json",
                               key=f"answer-json-{i}", on_click="ignore")


def chat_page(kb: Path, store: KnowledgeBase, gen: int) -> None:
    from kg.qa import answer
    history = st.session_state.setdefault("chat", [])
    question = st.chat_input("Ask about the reports, e.g. 2024年辽宁省旅游收入是多少？")
    if not history and not question:
        st.info("Ask a question about the ingested reports. Every answer quotes the passages it rests on.")
    if question and question.strip():
        ctx = qa_context(kb, gen)
        with st.spinner("Searching the reports…"):
            history.append(answer(question.strip(), ctx))
    if history:
        ctx = qa_context(kb, gen)
        titles = {d.id: d.title for d in ctx.documents.values()}
        for i, a in enumerate(history):
            show_answer(a, i, ctx.chunks, titles)


def pick_entity(store: KnowledgeBase) -> str | None:
    left, mid, right = st.columns([1, 3, 2])
    kind = left.selectbox("Type", ["all", *ENTITY_TYPES], key="entity_type")
    rows = list_entities(store, None if kind == "all" else kind)
    typed = right.text_input("…or type a name or alias", key="entity_name", placeholder="辽宁省, 专项债 …")
    if typed.strip():
        return typed.strip()
    if not rows:
        st.info("No entities of this type in the knowledge base.")
        return None
    wanted = st.query_params.get("entity")
    labels = [r.entity.label for r in rows]
    index = labels.index(wanted) if wanted in labels else 0
    i = mid.selectbox("Entity (type to search)", range(len(rows)), index=index, key=f"entity_pick_{kind}",
                      format_func=lambda k: ev.entity_choice(rows[k]))
    return rows[i].entity.label


def entities_page(kb: Path, store: KnowledgeBase, gen: int) -> None:
    name = pick_entity(store)
    if name is None:
        return
    view = entity_view(store, name)
    e = view.entity
    st.subheader(e.label)
    st.caption(pv.md_escape(" · ".join(x for x in (e.type, e.code or "", "aliases: " + "、".join(e.aliases)
                                                    if e.aliases else "no aliases") if x)))
    docs = {d: store.document(d) for d in {f.doc_id for f in view.figures}}
    figs, chart, graph, passages = st.tabs([f"Figures ({len(view.figures)})", "Over time", "Neighbourhood",
                                            f"Passages ({len(view.passages)})"])
    with figs:
        if not view.figures:
            st.info("No figures are attached to this entity.")
        else:
            st.caption("Select a row to see the passage behind the figure.")
            rows = pv.figure_rows(view.figures, {d: x.title for d, x in docs.items()})
            event = st.dataframe(rows, hide_index=True, on_select="rerun", selection_mode="single-row",
                                 key=f"figures-{e.id}")
            for r in [r for r in event.selection.rows if r < len(view.figures)][:1]:
                f = view.figures[r]
                show_card(pv.figure_card(citation_for(store, f.doc_id, f.chunk_id, f.start, f.end), f), True)
    with chart:
        series = ev.series(view.figures, {d: x.text for d, x in docs.items()})
        if not series:
            st.info("No indicator of this entity has values for two or more periods.")
        else:
            s = series[st.selectbox("Indicator", range(len(series)), key=f"series-{e.id}",
                                    format_func=lambda k: f"{series[k].label} — {len(series[k].points)} "
                                                          f"{series[k].granularity}s")]
            data = {"period": [p for p, _ in s.points], s.label: [v for _, v in s.points]}
            (st.bar_chart if s.granularity == "year" else st.line_chart)(data, x="period", y=s.label)
            st.dataframe(pv.figure_rows(s.figures, {d: x.title for d, x in docs.items()}), hide_index=True)
    with graph:
        if view.neighbours:
            st.html(ev.legend_html())
            html = ev.graph_html(view)
            if hasattr(st, "iframe"):  # streamlit >= 1.5x; components.v1.html is deprecated there
                st.iframe(html, height=480)
            else:
                import streamlit.components.v1 as components
                components.html(html, height=480)
        st.dataframe([{"neighbour": n.entity.label, "type": n.entity.type, "relation": n.predicate,
                       "weight": n.weight} for n in view.neighbours], hide_index=True)
    with passages:
        for j, c in enumerate(view.passages, 1):
            show_card(pv.citation_card(c, number=j, terms=(e.label, *e.aliases)), expanded=j == 1)


def documents_page(kb: Path, store: KnowledgeBase, gen: int) -> None:
    settings = Settings(kb=kb)
    docs = store.documents()
    st.dataframe([{"id": d.id, "title": d.title, "issuer": d.issuer, "year": d.year, "region": d.region,
                   "characters": d.chars, "chunks": d.chunks, "tables": d.tables, "pages": d.pages,
                   "file": d.source} for d in docs], hide_index=True)
    st.subheader("Add a report")
    upload = st.file_uploader("A .txt, .md or .pdf report", type=list(actions.UPLOAD_SUFFIXES), key="upload")
    if upload is not None and st.button("Ingest", type="primary"):
        bar = st.progress(0.0, text="starting…")

        def progress(label: str, done: int, total: int) -> None:
            bar.progress(min(done / total, 1.0) if total else 1.0, text=f"{label or 'indexing'} {done}/{total}")
        try:
            rep = actions.ingest_upload(kb, upload.name, upload.getvalue(), settings, progress)
        except KgError as err:
            bar.empty()
            if isinstance(err, InputError):  # the file was refused before anything was stored
                st.error(f"Could not ingest {upload.name}: {err.reason}. The knowledge base is unchanged.")
            else:
                st.error(f"Ingesting {upload.name} failed: {err}")
        else:
            verb = "unchanged (already ingested)" if rep.unchanged else "replaced" if rep.replaced else "ingested"
            st.session_state["flash"] = f"{upload.name}: {verb}."
            st.rerun()
    st.subheader("Remove a report")
    if not docs:
        return
    labels = {d.id: f"{d.title} ({d.source})" for d in docs}
    doc_id = st.selectbox("Report", list(labels), format_func=labels.get, key="remove_pick")
    pending = st.session_state.get("confirm_remove")
    if pending != doc_id:
        if st.button("Remove…"):
            st.session_state["confirm_remove"] = doc_id
            st.rerun()
        return
    st.warning(f"Remove {labels[doc_id]} and everything derived from it?")
    yes, no = st.columns(2)
    if yes.button("Yes, remove", type="primary"):
        with st.spinner("Removing and re-indexing…"):
            doc = actions.remove_document(kb, doc_id, settings)
        st.session_state.pop("confirm_remove", None)
        st.session_state["flash"] = f"Removed {doc.title} ({doc.source})."
        st.rerun()
    if no.button("Cancel"):
        st.session_state.pop("confirm_remove", None)
        st.rerun()


def _example_changed() -> None:
    st.session_state["sparql_text"] = sv.EXAMPLES[st.session_state["sparql_example"]]


def export_page(kb: Path, store: KnowledgeBase, gen: int) -> None:
    from kg.graph.sparql import run_query
    st.subheader("Download the graph")
    st.caption("Each file is written when you click (JSON-LD of a large graph takes a few seconds). Turtle and "
               "N-Triples flatten the per-report named graphs; JSON-LD keeps them.")
    for col, (label, (fmt, mime)) in zip(st.columns(len(actions.EXPORTS)), actions.EXPORTS.items()):
        col.download_button(label, functools.partial(actions.export_bytes, kb, fmt), file_name=f"policykg.{fmt}",
                            mime=mime, key=f"export-{fmt}", on_click="ignore")
    st.subheader("SPARQL (read-only)")
    st.selectbox("Example", list(sv.EXAMPLES), key="sparql_example", on_change=_example_changed)
    st.session_state.setdefault("sparql_text", next(iter(sv.EXAMPLES.values())))
    text = st.text_area("Query (prefixes pkg: qb: skos: prov: dcterms: entity: … are predeclared)",
                        key="sparql_text", height=220)
    if st.button("Run query", type="primary"):
        st.session_state["sparql_result"] = run_query(graph_store(str(kb), gen), text)
    kind, payload = st.session_state.get("sparql_result", (None, None))
    if kind == "select":
        cols, rows = sv.result_rows(payload)
        st.caption(f"{len(rows)} rows")
        st.dataframe(rows, column_order=cols, hide_index=True)
    elif kind == "ask":
        st.info(f"ASK: {payload['boolean']}")
    elif kind == "graph":
        st.code(payload, language="turtle")


def main() -> None:
    st.set_page_config(page_title="PolicyKG", page_icon="📑", layout="wide")
    wanted = st.query_params.get("page")
    with st.sidebar:
        st.title("PolicyKG")
        page = st.radio("Page", PAGES, index=PAGES.index(wanted) if wanted in PAGES else 0, key="page")
        kb_text = st.text_input("Knowledge base directory", os.environ.get("POLICYKG_KB", "data/kb"), key="kb",
                                help="A folder built by `kg ingest`; relative paths are relative to the project.")
    st.title(page)
    if "flash" in st.session_state:
        st.success(st.session_state.pop("flash"))
    try:
        kb = actions.resolve_kb(kb_text, ROOT)
        if not actions.kb_exists(kb):
            st.info(actions.how_to_build(kb))
            return
        with KnowledgeBase.open(kb) as store:
            gen = store.generation
            qa_loader(str(kb), gen)  # start loading the model now, so the first answer is quick
            {"Chat": chat_page, "Entities": entities_page, "Documents": documents_page,
             "Export & SPARQL": export_page}[page](kb, store, gen)
            st.sidebar.caption(f"{len(store.doc_ids())} reports · generation {gen}")
    except KgError as err:
        st.error(str(err))


main()
