"""The knowledge base on disk: SQLite for documents, chunks and tables, plus a manifest."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from kg.kb.codec import (chunk_from_dict, chunk_to_dict, doc_context_from_dict, doc_context_to_dict, pages_from_list,
                         pages_to_list, plain_from_dict, sections_from_list, sections_to_list, table_from_dict,
                         table_to_dict)
from kg.errors import NotFound, StoreError
from kg.types import Chunk, Definition, Document, Entity, Enumeration, Facts, Figure, Mention, Relation, Table

_FACT_KINDS = {"entity": Entity, "mention": Mention, "figure": Figure, "relation": Relation,
               "definition": Definition, "enumeration": Enumeration}

FORMAT = 2  # bump when the SQLite schema changes
DB_NAME = "kb.sqlite"
MANIFEST = "manifest.json"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, source TEXT NOT NULL UNIQUE, title TEXT NOT NULL, issuer TEXT, year INTEGER,
    region TEXT, encoding TEXT, sha256 TEXT NOT NULL, text TEXT NOT NULL, pages TEXT NOT NULL,
    sections TEXT NOT NULL, footnotes INTEGER NOT NULL, ingested_at REAL NOT NULL, context TEXT);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, start);
CREATE TABLE IF NOT EXISTS tables (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, label TEXT, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tables_doc ON tables(doc_id, start);
CREATE TABLE IF NOT EXISTS facts (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, kind TEXT NOT NULL, key TEXT, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS facts_kind ON facts(kind, key);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id, kind);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feedback (id TEXT PRIMARY KEY, created REAL NOT NULL, question TEXT NOT NULL,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feedback_docs (
    feedback_id TEXT NOT NULL REFERENCES feedback(id) ON DELETE CASCADE, doc_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS feedback_docs_doc ON feedback_docs(doc_id);
"""


@dataclass(frozen=True, slots=True)
class DocInfo:
    """A row of `kg docs`."""

    id: str
    source: str
    title: str
    issuer: str | None
    year: int | None
    region: str | None
    chars: int
    chunks: int
    tables: int
    pages: int


def _dumps(x: object) -> str:
    return json.dumps(x, ensure_ascii=False, separators=(",", ":"))


def write_json_atomic(path: Path, data: object) -> None:
    """Write JSON next to its destination, fsync, then rename over it."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _read_only(db: Path) -> sqlite3.Connection:
    """A read-only connection that sees every committed transaction, those still in the -wal file too (mode=ro
    reads them where the -wal and -shm files exist). immutable=1, which needs neither file but ignores them, only
    when there is no -wal content to miss."""
    uri = db.resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("SELECT count(*) FROM documents").fetchone()
        return conn
    except sqlite3.OperationalError:
        wal = db.with_name(db.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(f"{db} has committed changes in {wal.name} that a read-only user cannot read: ask "
                             "its owner to run any kg command on it (that folds them in), or give write access")
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None, check_same_thread=False)


class KnowledgeBase:
    """An embedded knowledge base directory. Every change is one SQLite transaction.

    `generation` grows with every committed change; derived indexes (BM25, vectors,
    graph) record the generation they were built from, so a crash between a commit
    and an index refresh is detected and repaired on the next open.
    """

    def __init__(self, root: Path, conn: sqlite3.Connection, read_only: bool = False) -> None:
        self.root = root
        self._db = conn
        self.read_only = read_only
        self.dropped_feedback = 0  # feedback examples the last remove() dropped with its report

    @classmethod
    def open(cls, root: str | Path, create: bool = False, repair: bool = False) -> "KnowledgeBase":
        """Open a knowledge base directory (creating it when `create`). A directory this process
        cannot write (read-only media, another user's) opens read-only: it can be queried, not
        changed. `repair` rewrites a damaged manifest.json (what `kg ingest --reindex` does)."""
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise StoreError(f"--kb {root} is a file, not a knowledge base directory: give a directory "
                             "(e.g. --kb data/kb)")
        db = root / DB_NAME
        if not db.exists():
            if not create:
                raise StoreError(f"no knowledge base at {root}: run `kg ingest` first (or pass --kb DIR)")
            try:
                root.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"cannot create the knowledge base {root} ({e.strerror or e}): "
                                 "give a writable --kb DIR") from None
        read_only = db.exists() and not (os.access(root, os.W_OK) and os.access(db, os.W_OK))
        try:
            if read_only:
                conn = _read_only(db)
            else:
                conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.executescript(_SCHEMA)
                if "context" not in {r[1] for r in conn.execute("PRAGMA table_info(documents)")}:
                    conn.execute("ALTER TABLE documents ADD COLUMN context TEXT")  # a knowledge base from before it
                if "question" not in {r[1] for r in conn.execute("PRAGMA table_info(feedback)")}:
                    conn.execute("ALTER TABLE feedback ADD COLUMN question TEXT NOT NULL DEFAULT ''")  # first form
                    conn.execute("UPDATE feedback SET question = json_extract(data, '$.question')")
                conn.execute("CREATE INDEX IF NOT EXISTS feedback_question ON feedback(question, created)")
            conn.execute("SELECT count(*) FROM documents").fetchone()
        except sqlite3.DatabaseError as e:
            raise StoreError(damaged_db(db, e)) from None
        kb = cls(root, conn, read_only)
        kb._check_manifest(repair)
        return kb

    def close(self) -> None:
        self._db.close()


    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- manifest -------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def manifest(self) -> dict:
        if not self.manifest_path.exists():
            return {}
        try:
            m = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            raise StoreError(f"{self.manifest_path} is damaged ({type(e).__name__}): run `kg ingest --kb "
                             f"{self.root} --reindex` to rewrite it and rebuild the indexes") from None
        if not isinstance(m, dict):
            raise StoreError(f"{self.manifest_path} is damaged (not a JSON object): run `kg ingest --kb "
                             f"{self.root} --reindex` to rewrite it and rebuild the indexes")
        return m

    def update_manifest(self, **fields: object) -> dict:
        if self.read_only:
            raise StoreError(f"{self.root} is read-only: copy it to a writable place to change it")
        m = self.manifest()
        m.update(fields)
        m["format"] = FORMAT
        m["generation"] = self.generation
        m["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        write_json_atomic(self.manifest_path, m)
        return m

    def _check_manifest(self, repair: bool = False) -> None:
        try:
            m = self.manifest()
        except StoreError:
            if not repair or self.read_only:
                raise
            self.manifest_path.unlink()
            m = {}
        if m and m.get("format") != FORMAT:
            raise StoreError(f"{self.root} was built with format {m.get('format')}, this version needs {FORMAT}: "
                             "delete the directory and run `kg ingest` again")
        if not m and not self.read_only:
            self.update_manifest(created=time.strftime("%Y-%m-%dT%H:%M:%S"))

    @property
    def generation(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def _bump(self) -> None:
        self._db.execute("INSERT INTO meta(key, value) VALUES('generation', ?) ON CONFLICT(key) "
                         "DO UPDATE SET value = excluded.value", (str(self.generation + 1),))

    # -- writes ---------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.root} is read-only: it can be queried; copy it to a writable place to change it")

    def put(self, doc: Document, tables: tuple[Table, ...], chunks: tuple[Chunk, ...],
            facts: Facts = Facts()) -> str | None:
        """Store a document with its tables and chunks, replacing an older version of the
        same source. Returns the id of the replaced document, if any. All or nothing."""
        self._check_writable()
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            old = db.execute("SELECT id FROM documents WHERE source = ?", (doc.source,)).fetchone()
            if old:
                db.execute("DELETE FROM documents WHERE id = ?", (old[0],))
                if old[0] != doc.id:  # other text: the spans analysts pointed at are gone (same text, same id: kept)
                    self._drop_feedback(old[0])
            db.execute("DELETE FROM documents WHERE id = ?", (doc.id,))  # same bytes under a new name
            db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, doc.source, doc.title, doc.issuer, doc.year, doc.region, doc.encoding, doc.sha256,
                 doc.text, _dumps(pages_to_list(doc.pages)), _dumps(sections_to_list(doc.sections)),
                 doc.footnotes, time.time(), _dumps(doc_context_to_dict(doc))))
            db.executemany("INSERT INTO tables VALUES (?,?,?,?,?)",
                           [(t.id, doc.id, t.start, t.label, _dumps(table_to_dict(t))) for t in tables])
            db.executemany("INSERT INTO chunks VALUES (?,?,?,?,?)",
                           [(c.id, doc.id, c.start, c.end, _dumps(chunk_to_dict(c))) for c in chunks])
            rows = [("entity", e.id, e) for e in facts.entities] + [("mention", m.entity_id, m) for m in facts.mentions]
            rows += [("figure", f.region or "", f) for f in facts.figures]
            rows += [("relation", r.predicate, r) for r in facts.relations]
            rows += [("definition", d.key, d) for d in facts.definitions]
            rows += [("enumeration", e.key, e) for e in facts.enumerations]
            db.executemany("INSERT INTO facts VALUES (?,?,?,?)",
                           [(doc.id, kind, key, _dumps(asdict(x))) for kind, key, x in rows])
            self._bump()
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return old[0] if old and old[0] != doc.id else None

    def remove(self, doc_id: str) -> Document:
        """Remove one document and everything derived from it; returns what was removed."""
        self._check_writable()
        doc = self.document(doc_id)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute("DELETE FROM documents WHERE id = ?", (doc.id,))
            self.dropped_feedback = self._drop_feedback(doc.id)
            self._bump()
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return doc

    # -- analysts' feedback (kg.qa.learn.feedback) ------------------------------
    def _drop_feedback(self, doc_id: str) -> int:
        """Delete the feedback pointing into a document (inside the caller's transaction); how many."""
        ids = [r[0] for r in self._db.execute("SELECT feedback_id FROM feedback_docs WHERE doc_id = ?", (doc_id,))]
        self._db.executemany("DELETE FROM feedback WHERE id = ?", [(i,) for i in dict.fromkeys(ids)])
        return len(set(ids))

    def add_feedback(self, fb) -> None:
        """Store one kg.qa.learn.feedback.Feedback, all or nothing; its evidence must lie in stored documents."""
        self._check_writable()
        for e in fb.evidence:
            row = self._db.execute("SELECT substr(text, ?, ?) FROM documents WHERE id = ?",
                                   (e.start + 1, e.end - e.start, e.doc_id)).fetchone()
            if row is None:
                raise NotFound(f"no document {e.doc_id} in this knowledge base: point at a passage of `kg docs`")
            if row[0] != e.text:
                raise StoreError(f"{e.doc_id}[{e.start}:{e.end}] is not the text given: give the span as shown")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute("INSERT OR REPLACE INTO feedback (id, created, question, data) VALUES (?,?,?,?)",
                             (fb.id, fb.created, fb.question, fb.to_json()))
            self._db.executemany("INSERT INTO feedback_docs VALUES (?,?)", [(fb.id, d) for d in fb.doc_ids])
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def recall(self, question: str):
        """The latest Feedback on exactly this question (as read), or None."""
        from kg.qa.learn.feedback import Feedback
        try:
            row = self._db.execute("SELECT data FROM feedback WHERE question = ? ORDER BY created DESC, id DESC "
                                   "LIMIT 1", (question,)).fetchone()
        except sqlite3.OperationalError:  # no such table: a knowledge base from before feedback was kept
            return None
        return Feedback.from_json(row[0]) if row else None

    def feedback(self) -> list:
        """Every stored Feedback, oldest first ([] for a knowledge base from before feedback was kept)."""
        from kg.qa.learn.feedback import Feedback
        try:
            rows = self._db.execute("SELECT data FROM feedback ORDER BY created, id").fetchall()
        except sqlite3.OperationalError:  # no such table: opened read-only, made by an older version
            return []
        return [Feedback.from_json(r[0]) for r in rows]

    # -- reads ----------------------------------------------------------------
    def same_content(self, source: str, sha256: str, title: str | None = None, text: str | None = None) -> str | None:
        """The source name of another stored report with these bytes, or (title and text given) with this text
        (the same report in another encoding), or None."""
        row = self._db.execute("SELECT source FROM documents WHERE sha256 = ? AND source != ?",
                               (sha256, source)).fetchone()
        if row is None and title is not None:
            row = next((r for r in self._db.execute("SELECT source, text FROM documents WHERE title = ? AND "
                                                     "source != ?", (title, source)) if r[1] == text), None)
        return row[0] if row else None

    def source_hash(self, source: str) -> str | None:
        row = self._db.execute("SELECT sha256 FROM documents WHERE source = ?", (source,)).fetchone()
        return row[0] if row else None

    def doc_ids(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT id FROM documents ORDER BY source")]

    def resolve(self, ref: str) -> str:
        """A document id from an id, a unique id prefix or a source file name (% and _ are literal)."""
        if not ref or not ref.strip():
            raise StoreError("empty document reference: give an id, an id prefix or a file name (see `kg docs`)")
        prefix = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = self._db.execute("SELECT id FROM documents WHERE id = ? OR source = ? OR id LIKE ? ESCAPE '\\'",
                                (ref, ref, prefix)).fetchall()
        ids = sorted({r[0] for r in rows})
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise NotFound(f"no document {ref!r} in the knowledge base: see `kg docs` for the ids")
        raise StoreError(f"{ref!r} matches {len(ids)} documents: give more of the id")

    def document(self, ref: str) -> Document:
        doc_id = self.resolve(ref)
        r = self._db.execute("SELECT id, source, title, issuer, year, region, encoding, sha256, text, pages, "
                             "sections, footnotes, context FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return Document(id=r[0], source=r[1], title=r[2], issuer=r[3], year=r[4], region=r[5], encoding=r[6],
                        sha256=r[7], text=r[8], pages=pages_from_list(json.loads(r[9])),
                        sections=sections_from_list(json.loads(r[10])), footnotes=r[11],
                        **doc_context_from_dict(json.loads(r[12]) if r[12] else {}))

    def documents(self) -> list[DocInfo]:
        rows = self._db.execute(
            "SELECT d.id, d.source, d.title, d.issuer, d.year, d.region, length(d.text), "
            "(SELECT count(*) FROM chunks c WHERE c.doc_id = d.id), "
            "(SELECT count(*) FROM tables t WHERE t.doc_id = d.id), json_array_length(d.pages) "
            "FROM documents d ORDER BY d.source").fetchall()
        return [DocInfo(*r) for r in rows]

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        q, args = "SELECT data FROM chunks ORDER BY doc_id, start, \"end\"", ()
        if doc_id:
            q, args = "SELECT data FROM chunks WHERE doc_id = ? ORDER BY start, \"end\"", (self.resolve(doc_id),)
        return [chunk_from_dict(json.loads(r[0])) for r in self._db.execute(q, args)]

    def facts(self, kind: str, doc_id: str | None = None, key: str | None = None) -> list:
        """Stored extraction results of one kind (entity, mention, figure, relation, definition, enumeration);
        key is the entity id, region, predicate or term key (Definition.key) they are indexed by."""
        cls = _FACT_KINDS[kind]
        q, args = "SELECT data FROM facts WHERE kind = ?", [kind]
        if doc_id:
            q, args = q + " AND doc_id = ?", [*args, self.resolve(doc_id)]
        if key is not None:
            q, args = q + " AND key = ?", [*args, key]
        return [plain_from_dict(cls, json.loads(r[0])) for r in self._db.execute(q + " ORDER BY rowid", args)]

    def doc_facts(self, doc_id: str) -> Facts:
        f = {k: tuple(self.facts(k, doc_id)) for k in _FACT_KINDS}
        return Facts(f["entity"], f["mention"], f["figure"], f["relation"], definitions=f["definition"],
                     enumerations=f["enumeration"])

    def tables(self, doc_id: str | None = None) -> list[Table]:
        q, args = "SELECT data FROM tables ORDER BY doc_id, start", ()
        if doc_id:
            q, args = "SELECT data FROM tables WHERE doc_id = ? ORDER BY start", (self.resolve(doc_id),)
        return [table_from_dict(json.loads(r[0])) for r in self._db.execute(q, args)]


def damaged_db(db: Path, e: Exception) -> str:
    """The message for a knowledge-base database SQLite cannot read."""
    reason = " ".join(str(e).split())
    reason = reason if len(reason) <= 80 else reason[:80] + "…"
    return (f"{db} is damaged ({reason}): the documents cannot be read back; re-ingest the reports into a new "
            "knowledge base (kg ingest --kb NEW_DIR PATH ...) and move this one away")


def replace_dir(tmp: Path, dest: Path) -> None:
    """Swap a freshly written directory into place; a crash leaves the old or the new one."""
    old = dest.with_name(dest.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        os.replace(dest, old)
    os.replace(tmp, dest)
    shutil.rmtree(old, ignore_errors=True)
