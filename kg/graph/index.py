"""Keep the RDF store under <kb>/graph in step with the knowledge base (a build.Refresher)."""
from __future__ import annotations

from pathlib import Path

from kg.kb.store import KnowledgeBase
from kg.progress import Report as Progress


class GraphIndex:
    """Rebuilds the named graph of each new or changed report from its stored facts."""

    def refresh(self, kb: KnowledgeBase, progress: Progress | None = None, force: bool = False) -> None:
        from kg.graph.rdf import report_graphs
        from kg.errors import StoreDamaged
        from kg.graph.store import GraphStore, is_current, sync
        from kg.graph.vocab import schema_graph
        if not force and is_current(kb.root / "graph", kb.generation):
            return  # up to date: readers need not take the writer's lock

        def build(doc_id: str):
            f = kb.doc_facts(doc_id)
            return report_graphs(kb.document(doc_id), kb.chunks(doc_id), f.entities, f.mentions, f.figures,
                                 f.relations, f.definitions, f.enumerations)

        named = None
        if progress:  # reports by file name, which says more than a document id
            names = {d.id: Path(d.source).name for d in kb.documents()}

            def named(stage: str, done: int, total: int, item: str = "") -> None:
                progress(stage, done, total, names.get(item, item))
        try:
            store = GraphStore.open(kb.root / "graph")
        except StoreDamaged:
            if not force:
                raise
            import shutil
            shutil.rmtree(kb.root / "graph")  # --reindex: everything in it is rebuilt from the knowledge base
            store = GraphStore.open(kb.root / "graph")
        with store:
            if force or store.generation != kb.generation:
                sync(store, kb.doc_ids(), kb.generation, build, schema=schema_graph, force=force, progress=named)


def open_graph(kb: KnowledgeBase):
    """The graph store for reading (SPARQL, export, the entity browser), brought up to date first."""
    from kg.errors import StoreLocked
    from kg.graph.store import GraphStore
    try:
        if not kb.read_only:
            GraphIndex().refresh(kb)
    except StoreLocked:
        pass  # an ingest is writing it: read what it has committed; readers never wait for the writer
    return GraphStore.open(kb.root / "graph", read_only=True)
