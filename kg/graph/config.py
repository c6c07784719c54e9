"""Where a knowledge base keeps its graph: the embedded on-disk Oxigraph store (the default) or a
SPARQL 1.1 server, chosen at `kg ingest --graph-store URL` (or $POLICYKG_GRAPH_STORE) and
remembered in the knowledge base's manifest.json, so every later command reads from the same place.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.errors import UsageError

ENV = "POLICYKG_GRAPH_STORE"  # and ENV_QUERY, ENV_UPDATE, ENV_DATA for the per-service URLs, ENV_AUTH
EMBEDDED = "embedded"
KEY = "graph_store"  # the manifest field


@dataclass(frozen=True, slots=True)
class Remote:
    """A SPARQL 1.1 server: a base URL and, where the server names its services otherwise, their
    URLs (Oxigraph: BASE/query, BASE/update, BASE/store, the defaults; Fuseki: BASE=http://host:3030/ds
    with --graph-store-data BASE/data). kb_id names the knowledge base the server's graphs belong to."""

    url: str
    query: str = ""
    update: str = ""
    data: str = ""
    kb_id: str = ""
    auth: str = field(default="", repr=False)  # user:password, from the environment, never stored

    @property
    def auth_header(self) -> str | None:
        import base64
        return "Basic " + base64.b64encode(self.auth.encode("utf-8")).decode("ascii") if self.auth else None

    @property
    def query_url(self) -> str:
        return self.query or self.url.rstrip("/") + "/query"

    @property
    def update_url(self) -> str:
        return self.update or self.url.rstrip("/") + "/update"

    @property
    def data_url(self) -> str:
        return self.data or self.url.rstrip("/") + "/store"

    def same_server(self, other: "Remote") -> bool:
        return (self.query_url, self.update_url, self.data_url) == (other.query_url, other.update_url, other.data_url)


def _check_url(url: str, option: str) -> str:
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{option} {url!r} is not an http(s) URL: give e.g. http://localhost:7878 (an Oxigraph "
                         f"server) or http://localhost:3030/ds (Fuseki), or {EMBEDDED} for the on-disk store")
    if parts.username or parts.password:
        raise UsageError(f"{option}: leave the user name and password out of the URL (the knowledge base would "
                         f"store them); set {ENV}_AUTH=user:password in the environment instead")
    return url



def remote_of(manifest: dict) -> Remote | None:
    """The server a knowledge base's manifest names (None for the embedded store), with the
    credentials of $POLICYKG_GRAPH_STORE_AUTH (user:password), which no file keeps."""
    cfg = manifest.get(KEY)
    if not isinstance(cfg, dict) or not cfg.get("url"):
        return None
    fields = {k: str(v) for k, v in cfg.items() if k in Remote.__dataclass_fields__ and k != "auth"}
    return Remote(**fields, auth=os.environ.get(ENV + "_AUTH", ""))


def location(kb) -> Remote | Path:
    """Where the knowledge base's graph is: a Remote, or the embedded store's directory."""
    return remote_of(kb.manifest()) or kb.root / "graph"


def requested(url: str | None = None, query: str | None = None, update: str | None = None,
              data: str | None = None) -> tuple[str | None, dict[str, str]]:
    """What the options ask for, falling back on the environment: (base URL, EMBEDDED or None
    when nothing is asked; the non-empty service URLs)."""
    url = url or os.environ.get(ENV) or None
    services = {"query": query or os.environ.get(ENV + "_QUERY"), "update": update or os.environ.get(ENV + "_UPDATE"),
                "data": data or os.environ.get(ENV + "_DATA")}
    services = {k: _check_url(v, f"--graph-store-{k}") for k, v in services.items() if v}
    if url is None and services:
        raise UsageError("--graph-store-query/-update/-data need --graph-store URL (the server's base URL)")
    if url is not None and url.strip().lower() in (EMBEDDED, "local", "oxigraph"):
        return EMBEDDED, {}
    return (_check_url(url.rstrip("/"), "--graph-store") if url else None), services


def configure(kb, url: str | None = None, query: str | None = None, update: str | None = None,
              data: str | None = None) -> Remote | None:
    """Record in the manifest where the graph goes (nothing changes when nothing is asked). A new
    server is asked one query first, so an unreachable one is refused before anything is written.
    Returns the server now in use (None: the embedded store)."""
    base, services = requested(url, query, update, data)
    current = remote_of(kb.manifest())
    if base is None:
        return current
    if base == EMBEDDED:
        if current is not None:
            kb.update_manifest(**{KEY: None})
        return None
    wanted = Remote(base, **services)
    if current is not None and current.same_server(wanted):
        return current
    import uuid
    from kg.graph.remote import RemoteGraphStore
    remote = Remote(base, **services, kb_id=uuid.uuid4().hex, auth=os.environ.get(ENV + "_AUTH", ""))
    RemoteGraphStore(remote, read_only=True).meta()  # reachable, and answering SPARQL
    kb.update_manifest(**{KEY: {k: v for k, v in asdict(remote).items() if v and k != "auth"}})
    return remote
