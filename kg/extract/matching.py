"""The matching form of text (normalise) and the leftmost-longest dictionary matcher over it."""
from __future__ import annotations


def normalise(text: str) -> tuple[str, list[int]]:
    """Matching form of text plus, per character, its offset in text.

    Whitespace other than tabs is dropped: PDF text wraps mid-word and spaces numbers (财库〔2018〕61 号), while a
    tab separates table cells that must not join. Full-width ASCII becomes ASCII, so 广东(不含深圳) and
    广东（不含深圳） are one key; ASCII is lower-cased. Nothing else changes: superscripts never become digits.
    """
    chars, where = [], []
    for i, c in enumerate(text):
        if c.isspace() and c != "\t":
            continue
        if "\uff01" <= c <= "\uff5e":
            c = chr(ord(c) - 0xFEE0)
        chars.append(c.lower() if "A" <= c <= "Z" else c)
        where.append(i)
    return "".join(chars), where


def match_key(s: str) -> str:
    """The matching form of a name, as a dictionary key."""
    return normalise(s)[0]


def _alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _edges_ok(norm: str, where: list[int], s: int, e: int) -> bool:
    """ASCII labels (M2, GDP, LPR) must not touch a letter or digit: M2 is not in M20."""
    if _alnum(norm[s]) and s > 0 and where[s - 1] == where[s] - 1 and _alnum(norm[s - 1]):
        return False
    return not (_alnum(norm[e - 1]) and e < len(norm) and where[e] == where[e - 1] + 1 and _alnum(norm[e]))


_MISSING = object()


class Matcher:
    """Leftmost-longest dictionary matcher; the value None marks a blocker word, consumed and not reported."""

    def __init__(self, table: dict[str, object]) -> None:
        self.table = table
        lengths: dict[str, set[int]] = {}
        for k in table:
            lengths.setdefault(k[0], set()).add(len(k))
        self.lengths = {c: sorted(ns, reverse=True) for c, ns in lengths.items()}

    def scan(self, norm: str, where: list[int]) -> list[tuple[int, int, object]]:
        out, i = [], 0
        while i < len(norm):
            for n in self.lengths.get(norm[i], ()):
                value = self.table.get(norm[i:i + n], _MISSING) if i + n <= len(norm) else _MISSING
                if value is not _MISSING and _edges_ok(norm, where, i, i + n):
                    if value is not None:
                        out.append((where[i], where[i + n - 1] + 1, value))
                    i += n
                    break
            else:
                i += 1
        return out


def leftmost_longest(spans: list[tuple[int, int, object]]) -> list[tuple[int, int, object]]:
    """Leftmost, then longest, non-overlapping spans."""
    out: list[tuple[int, int, object]] = []
    for s in sorted(spans, key=lambda t: (t[0], t[0] - t[1])):
        if not out or s[0] >= out[-1][1]:
            out.append(s)
    return out



def trie_regex(words) -> str:
    """An alternation of words as a prefix tree (成都|成都市|成华区 -> 成(?:都(?:市)?|华区)): the regex engine
    tries one branch per character instead of every word, which keeps a pattern over thousands of names fast."""
    import re

    trie: dict = {}
    for w in words:
        node = trie
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        alts = [re.escape(c) + build(sub) for c, sub in sorted(node.items()) if c]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and not end else "(?:" + "|".join(alts) + ")"
        return body + "?" if end else body

    return build(trie)
