"""Extraction: chunk -> entities, figures, relations (each carries its chunk id)."""
