"""The knowledge base on disk: SQLite store, JSON codec, ingest and index refresh."""
