"""Ingestion: path -> Document -> cleaned text -> tables + chunks (pure functions)."""
