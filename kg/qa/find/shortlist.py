"""Which texts (figure indicators, table captions and headers) a question's terms can match at all: an inverted
index of character bigrams, so scoring reads those instead of every text of the knowledge base.

text.term_match(term, text) is above zero only when text holds a bigram of one of the term's forms (a form
found whole, a share of its bigrams, its last four characters), so the texts outside the shortlist score 0.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from kg.qa.read.text import Term


class BigramIndex:
    """Texts by position, with the positions of the texts that hold each bigram."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        self._post: dict[str, list[int]] = {}
        for i, t in enumerate(texts):
            for g in {t[j:j + 2] for j in range(len(t) - 1)}:
                self._post.setdefault(g, []).append(i)

    def shortlist(self, terms: Iterable[Term]) -> list[int] | None:
        """Positions, ascending, of the texts sharing a bigram with a form of a term; None when a form is too
        short to be found by its bigrams (a one-letter form): then any text may match."""
        grams: set[str] = set()
        for t in terms:
            for form in t.forms:
                for part in form.split("&"):
                    if len(part) < 2:
                        return None
                    grams.update(part[j:j + 2] for j in range(len(part) - 1))
        hits: set[int] = set()
        for g in grams:
            hits.update(self._post.get(g, ()))
        return sorted(hits)
