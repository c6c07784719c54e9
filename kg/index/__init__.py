"""Search: BM25 + dense vectors + fusion."""
