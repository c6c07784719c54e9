"""Scoring: answers against question sets, retrieval rankings."""
