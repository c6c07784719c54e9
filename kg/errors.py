"""Domain errors: raised in the library, turned into one-line messages at the edges."""


class KgError(Exception):
    """Base of every error the CLI and the app show as a one-line message."""


class InputError(KgError):
    """A file that cannot be ingested (unknown type, empty, undecodable, corrupt)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(KgError):
    """The knowledge base is missing, locked or inconsistent."""


class NotFound(StoreError):
    """Something asked for by id or name that the knowledge base does not hold (HTTP 404)."""


class StoreLocked(StoreError):
    """Another process holds the writer's lock of an index; readers never need it."""


class StoreDamaged(StoreError):
    """A derived index that cannot be read; `kg ingest --reindex` rebuilds it."""


class UsageError(KgError):
    """A bad argument: names the value and the fix."""


class ModelError(KgError):
    """An embedding model that cannot be loaded or does not match the index."""


class GraphStoreUnreachable(StoreError):
    """The SPARQL server holding the graph does not answer; the knowledge base's own files are intact."""
