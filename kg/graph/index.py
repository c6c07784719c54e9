"""Keep the RDF store (under <kb>/graph, or on a SPARQL 1.1 server) in step with the knowledge base
(a build.Refresher)."""
from __future__ import annotations

from pathlib import Path

from kg.kb.store import KnowledgeBase
from kg.progress import Report as Progress


def open_store(where, read_only: bool = False):
    """A GraphStore on a directory, or a RemoteGraphStore on a kg.graph.config.Remote: the same interface."""
    if isinstance(where, (str, Path)):
        from kg.graph.store import GraphStore
        return GraphStore.open(where, read_only=read_only)
    from kg.graph.remote import RemoteGraphStore
    return RemoteGraphStore.open(where, read_only=read_only)


class GraphIndex:
    """Rebuilds the named graph of each new or changed report from its stored facts."""

    def refresh(self, kb: KnowledgeBase, progress: Progress | None = None, force: bool = False) -> None:
        from kg.graph.config import remote_of
        from kg.graph.rdf import report_graphs
        from kg.graph.vocab import schema_graph

        def build(doc_id: str):
            f = kb.doc_facts(doc_id)
            return report_graphs(kb.document(doc_id), kb.chunks(doc_id), f.entities, f.mentions, f.figures,
                                 f.relations, f.definitions, f.enumerations)

        named = None
        if progress:  # reports by file name, which says more than a document id
            names = {d.id: Path(d.source).name for d in kb.documents()}

            def named(stage: str, done: int, total: int, item: str = "") -> None:
                progress(stage, done, total, names.get(item, item))
        remote = remote_of(kb.manifest())
        if remote is not None:
            return self._refresh_remote(kb, remote, build, schema_graph, named, force)
        from kg.errors import StoreDamaged
        from kg.graph.store import GraphStore, is_current, sync
        if not force and is_current(kb.root / "graph", kb.generation):
            return  # up to date: readers need not take the writer's lock
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

    @staticmethod
    def _refresh_remote(kb: KnowledgeBase, remote, build, schema, progress: Progress | None, force: bool) -> None:
        """The server's marker says which knowledge base, format and generation its graphs reflect:
        another knowledge base's or format's graphs (or --reindex) are dropped and rebuilt whole, an
        older generation is brought up to date like the embedded store."""
        import uuid
        from kg.errors import StoreLocked
        from kg.graph.remote import RemoteGraphStore
        from kg.graph.store import FORMAT, sync
        with RemoteGraphStore.open(remote) as store:
            meta = store.meta()
            if not force and store.is_current(kb.generation, meta):
                return
            busy = store.claimed(meta)
            if busy is not None:  # what the embedded store's writer lock says, as far as a server allows
                raise StoreLocked(f"graph store {remote.url} is being brought up to date by another process "
                                  f"(for {busy:.0f} s)")
            claim = uuid.uuid4().hex
            store.set_generation(-1, claim)  # stale while syncing; a wrong --graph-store-data fails here, early
            if force or meta.get("kb") != remote.kb_id or meta.get("format") != FORMAT:
                store.clear()
                force = True

            def renew(stage: str, done: int, total: int, item: str = "") -> None:
                if done < total:  # still writing: keep the claim fresh (the last call follows the generation)
                    store.set_generation(-1, claim)
                if progress:
                    progress(stage, done, total, item)
            sync(store, kb.doc_ids(), kb.generation, build, schema=schema, force=force, progress=renew)


def open_graph(kb: KnowledgeBase):
    """The graph store for reading (SPARQL, export, the entity browser), brought up to date first."""
    from kg.errors import StoreLocked
    from kg.graph.config import location
    try:
        if not kb.read_only:
            GraphIndex().refresh(kb)
    except StoreLocked:
        pass  # an ingest is writing it: read what it has committed; readers never wait for the writer
    return open_store(location(kb), read_only=True)
