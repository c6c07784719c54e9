"""The exponent of each ranking factor (kg.qa.find.match.FACTORS): a candidate's score is the product of its factors,
each raised to its weight. 1.0 everywhere is the plain product the factors were written for; bench/fit_ranker.py
fits them on questions generated from a knowledge base and prints the values to put here."""
from __future__ import annotations

WEIGHTS: dict[str, float] = {}
