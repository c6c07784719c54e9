"""What the app's buttons do, as plain functions: resolve the knowledge base, ingest an upload, export, warm up."""
from __future__ import annotations

import io
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable

from ingest.read import SUPPORTED_SUFFIXES
from kg.errors import InputError, KgError, StoreError, UsageError
from kg.types import IngestReport

UPLOAD_SUFFIXES = tuple(s.lstrip(".") for s in SUPPORTED_SUFFIXES)  # every format ingest reads
EXPORTS = {"Turtle": ("ttl", "text/turtle"), "N-Triples": ("nt", "application/n-triples"),
           "JSON-LD": ("jsonld", "application/ld+json"), "GraphML": ("graphml", "application/xml"),
           "CSV": ("csv", "text/csv")}
WARM_QUESTION = "2024年地区生产总值是多少？"


def how_to_build(kb: Path, lang: str = "zh") -> str:
    """The message shown instead of a traceback when there is no knowledge base."""
    from kg.ui.i18n import tr
    return tr(lang, "kb.missing", kb=kb)


def resolve_kb(text: str, base: Path) -> Path:
    """The knowledge base directory typed in the sidebar; a relative path is relative to the project."""
    text = (text or "").strip()
    if not text:
        raise UsageError("empty knowledge base directory: enter e.g. data/kb")
    p = Path(text).expanduser()
    return p if p.is_absolute() else base / p


def kb_exists(kb: Path) -> bool:
    from kg.kb.store import DB_NAME
    return (kb / DB_NAME).is_file()


def ingest_upload(kb_dir: Path, name: str, data: bytes, settings,
                  progress: Callable[..., None] | None = None) -> IngestReport:
    """Save an uploaded report in a temporary folder under the knowledge base, ingest it, delete the folder.

    A file that cannot be ingested raises InputError and leaves the knowledge base as it was."""
    from kg import service
    from kg.kb.store import KnowledgeBase
    fname = Path(name.replace("\\", "/")).name.strip()
    if not fname or fname.startswith(".") or Path(fname).suffix.lower().lstrip(".") not in UPLOAD_SUFFIXES:
        raise InputError(name or "(no name)", f"upload a report as {', '.join(SUPPORTED_SUFFIXES)} "
                                              f"(got {fname or 'no name'!r})")
    if not data:
        raise InputError(fname, "the file is empty")
    if not kb_exists(kb_dir):
        raise StoreError(f"no knowledge base at {kb_dir}: run `kg ingest` first")
    fname = fit_name(fname)
    tmp = Path(tempfile.mkdtemp(prefix="upload-", dir=kb_dir))
    try:
        path = tmp / fname
        try:
            path.write_bytes(data)
        except OSError as err:  # a name the filesystem refuses, a full disk: one message, nothing stored
            raise InputError(fname, f"cannot save the upload ({err.strerror or err})") from err
        with KnowledgeBase.open(kb_dir) as kb:
            report = service.ingest(kb, [path], settings, progress)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if report.errors:
        _, reason = report.errors[0]
        raise InputError(fname, reason)
    return report


def fit_name(name: str, limit: int = 200) -> str:
    """The file name shortened (keeping its suffix) to at most `limit` UTF-8 bytes: a 99-character Chinese
    name is 297 bytes, more than most filesystems allow (255)."""
    if len(name.encode()) <= limit:
        return name
    p = Path(name)
    stem = p.stem
    while stem and len((stem + "…" + p.suffix).encode()) > limit:
        stem = stem[:-1]
    return stem + "…" + p.suffix


def remove_document(kb_dir: Path, doc_id: str, settings):
    from kg import service
    from kg.kb.store import KnowledgeBase
    with KnowledgeBase.open(kb_dir) as kb:
        return service.remove(kb, doc_id, settings)


def export_bytes(kb_dir: Path, fmt: str) -> bytes:
    """The whole graph in one format (ttl nt jsonld graphml csv ...), in memory."""
    from kg.graph.export import export
    from kg.graph.index import open_graph
    from kg.kb.store import KnowledgeBase
    buf = io.BytesIO()
    with KnowledgeBase.open(kb_dir) as kb, open_graph(kb) as store:
        export(store, fmt, buf)
    return buf.getvalue()


class Background:
    """Run a function once in a daemon thread; `result()` waits for it and re-raises its error."""

    def __init__(self, fn: Callable[[], object]) -> None:
        self._fn = fn
        self._value: object = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="policykg-warmup", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._fn()
        except BaseException as e:  # noqa: BLE001 - handed to whoever asks for the result
            self._error = e

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self, timeout: float | None = None):
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise KgError(f"still loading the knowledge base after {timeout:.0f} s: try again in a moment")
        if self._error is not None:
            raise self._error
        return self._value


def open_warm_qa(kb_dir: Path, settings, warm: str | None = WARM_QUESTION):
    """A QA context over the knowledge base with the embedding model loaded and one question answered,
    so the user's first question pays for nothing."""
    from kg.qa import answer
    from kg.service import open_qa
    from kg.kb.store import KnowledgeBase
    with KnowledgeBase.open(kb_dir) as kb:
        ctx = open_qa(kb, settings)
    if warm:
        answer(warm, ctx)
    return ctx



def give_feedback(kb_dir: Path, ctx, question: str, verdict: str, answer: str = "",
                  passage=None, shown_id: str | None = None) -> str:
    """Keep an analyst's verdict (kg.service.feedback) in the knowledge base; passage is a kg.types.Citation the
    right answer sits in. Returns the example's id."""
    from kg import service
    from kg.kb.store import KnowledgeBase
    spans = [(passage.doc_id, passage.start, passage.end)] if passage is not None else []
    with KnowledgeBase.open(kb_dir) as kb:
        return service.feedback(kb, ctx, question, verdict, answer, spans, shown_id=shown_id).id


def is_loopback(address: str | None) -> bool:
    """Whether the app listens on this machine only (Streamlit's server.address; unset means all interfaces,
    but .streamlit/config.toml sets 127.0.0.1)."""
    return (address or "") in ("127.0.0.1", "localhost", "::1", "[::1]")


def feedback_allowed(address: str | None, token: str | None, given: str | None) -> bool:
    """On loopback always; exposed, only with the feedback token set and typed (compared in constant time)."""
    import hmac
    if is_loopback(address):
        return True
    return bool(token) and hmac.compare_digest((given or "").encode(), token.encode())
