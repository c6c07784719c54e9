"""Passages as safe HTML with the supporting span marked, citation headings, answers as JSON."""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Iterable, Mapping

from kg.types import Answer, Chunk, Citation, Figure
from kg.ui.i18n import label, tr

# characters markdown (or Streamlit's LaTeX and emoji extensions) would interpret, written as
# entities so report text shows literally even where a renderer runs markdown over HTML
_MARKDOWN = {c: f"&#{ord(c)};" for c in "*_`$[]()~#|\\:!<>&\"'{}"}
PASSAGE_STYLE = ("white-space:pre-wrap;line-height:1.7;font-size:0.95rem;"
                 "font-family:'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif")
MARK_STYLE = "background:#fde68a;color:inherit;padding:0 1px;border-radius:2px"


def escape_text(text: str) -> str:
    """Report text as inert HTML: every markup or markdown character an entity, newlines as <br>."""
    out = "".join(_MARKDOWN.get(c, c) for c in text)
    return out.replace("\r\n", "\n").replace("\n", "<br>")


def highlight_html(text: str, spans: Iterable[tuple[int, int]] = ()) -> str:
    """`text` escaped, with each half-open span (offsets into text) wrapped in <mark>.
    Overlapping spans merge; spans outside the text are clipped."""
    merged: list[list[int]] = []
    for s, e in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    parts, pos = [], 0
    for s, e in merged:
        parts.append(escape_text(text[pos:s]))
        parts.append(f'<mark style="{MARK_STYLE}">{escape_text(text[s:e])}</mark>')
        pos = e
    parts.append(escape_text(text[pos:]))
    return f'<div style="{PASSAGE_STYLE}">{"".join(parts)}</div>'


def term_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Every occurrence of any term (longest first), e.g. an entity's label and aliases."""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return []
    return [m.span() for m in re.finditer("|".join(map(re.escape, terms)), text)]


@dataclass(frozen=True, slots=True)
class Card:
    """One citation as the app shows it: a heading, where it is, and the passage as safe HTML."""

    heading: str
    location: str
    html: str


def location(c: Citation, lang: str = "zh") -> str:
    """Section path, page and character span: 一、… › （二）… · 第 3 页 · 第 5405–5455 字."""
    bits = [" › ".join(c.section) if c.section else tr(lang, "cite.no_section")]
    if c.page is not None:
        bits.append(tr(lang, "cite.page", p=c.page))
    bits.append(tr(lang, "cite.chars", s=c.start, e=c.end))
    return " · ".join(bits)


def passage_cards(citations: Iterable[Citation], terms: Iterable[str], lang: str = "zh") -> list[Card]:
    """An entity's passages as cards, each chunk once, each heading quoting the passage at a mention no
    earlier card already quotes (overlapping chunks would otherwise read the same)."""
    terms = tuple(terms)
    seen_chunks: set[tuple[str, str]] = set()
    quotes: set[str] = set()
    cards: list[Card] = []
    for c in citations:
        if (c.doc_id, c.chunk_id) in seen_chunks:
            continue
        seen_chunks.add((c.doc_id, c.chunk_id))
        starts = [s for s, _ in term_spans(c.text, terms)] or [0]
        at = next((s for s in starts if snippet(c.text, at=s) not in quotes), starts[0])
        quotes.add(snippet(c.text, at=at))
        cards.append(citation_card(c, number=len(cards) + 1, terms=terms, lang=lang, quote_at=at))
    return cards


def citation_card(c: Citation, chunks: Mapping[str, Chunk] | None = None, number: int | None = None,
                  terms: Iterable[str] = (), lang: str = "zh", quote_at: int | None = None) -> Card:
    """The cited span inside the chunk it comes from (the span marked), or the span alone.
    With `terms`, those words are marked instead (an entity's mentions in a passage)."""
    chunk = (chunks or {}).get(c.chunk_id)
    inside = chunk is not None and chunk.start <= c.start and c.end <= chunk.end
    if inside and (c.start, c.end) != (chunk.start, chunk.end):
        text, spans = chunk.text, [(c.start - chunk.start, c.end - chunk.start)]
    else:
        text, spans = c.text, [(0, len(c.text))]
    quote = snippet(c.text)
    if terms and (found := term_spans(text, terms)):
        spans = found
        # the passage where it names the entity, not its first line
        quote = snippet(text, at=found[0][0] if quote_at is None else quote_at)
    head = f"[{number}] {c.title}" if number is not None else c.title
    if c.section:  # cards from one report differ by where they are, not by their title
        head = f"{head} › {c.section[-1]}"
    head = f"{head} · {quote}"
    return Card(heading=head, location=location(c, lang), html=highlight_html(text, spans))


def snippet(text: str, n: int = 28, at: int = 0) -> str:
    """A passage on one line from a little before offset `at` (its start by default), for a card's heading."""
    start = max(0, at - 6)
    flat = "".join(text[start:].split())
    lead = "…" if start else ""
    return lead + (flat if len(flat) <= n else flat[:n] + "…")


def figure_label(f: Figure) -> str:
    return f"{f.text}{f.unit}"


def figure_unit(f: Figure, units: Mapping[str, tuple[str, str]] | None = None) -> str:
    """The figure's own unit, else the one its table gives it (kg.ui.entities.inherited_units: figure id ->
    (unit, parent row): 其中：个人消费贷款 under 各项贷款余额（亿元）, or 单位：亿元 above the table)."""
    return f.unit or (units or {}).get(f.id, ("", ""))[0]


def figure_rows(figures: Iterable[Figure], titles: Mapping[str, str] | None = None,
                units: Mapping[str, tuple[str, str]] | None = None, lang: str = "zh") -> list[dict]:
    """Figures as table rows: period, value, unit, indicator, measure, as written and source report."""
    titles = titles or {}
    return [{tr(lang, "col.period"): f.period, tr(lang, "col.value"): f.value,
             tr(lang, "col.unit"): figure_unit(f, units), tr(lang, "col.indicator"): _indicator(f, units),
             tr(lang, "col.measure"): measure_label(f.measure, lang), tr(lang, "col.written"): figure_label(f),
             tr(lang, "col.document"): titles.get(f.doc_id, f.doc_id)} for f in figures]


def _indicator(f: Figure, units: Mapping[str, tuple[str, str]] | None) -> str:
    parent = (units or {}).get(f.id, ("", ""))[1] if not f.unit else ""
    return f"{f.indicator} [{parent}]" if parent else f.indicator


def measure_label(measure: str, lang: str = "zh") -> str:
    """level -> '' (a plain value), yoy -> 同比, share -> 占比 …"""
    key = {"share": "share_", "target": "target_"}.get(measure, measure)
    return label(lang, "measure", key)


def answer_dict(a: Answer) -> dict:
    """The answer with its citations, figures and related passages, as plain JSON-able data."""
    d = asdict(a)
    for key in ("citations", "related"):
        for c in d[key]:
            c["section"] = list(c["section"])
    return d


def answer_json(a: Answer) -> str:
    return json.dumps(answer_dict(a), ensure_ascii=False, indent=2)


def answer_heading(a: Answer, lang: str = "zh") -> str:
    """The line above the answer: what kind of answer, or that the corpus does not say."""
    if a.abstained:
        return tr(lang, "answer.not_found")
    return label(lang, "answer", a.kind) if a.kind in _ANSWER_KINDS else tr(lang, "answer.number")


_ANSWER_KINDS = ("number", "entity", "text", "difference", "comparison", "list", "definition")


def md_escape(text: str) -> str:
    """Text for a Streamlit label or markdown line, shown literally (labels are markdown)."""
    text = " ".join(text.split())
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~$<>:&])", r"\\\1", text)


def answer_html(text: str) -> str:
    """The short answer, large, escaped like any report text."""
    return f'<div style="font-size:1.3rem;font-weight:600;line-height:1.6">{escape_text(text)}</div>'


def figure_card(c: Citation, f: Figure, unit: str = "", lang: str = "zh") -> Card:
    """The passage behind a figure (a chunk, from browse.citation_for) with the value as written marked;
    `unit` is the table's when the figure states none."""
    written = figure_label(f) if f.unit else f"{f.text}{unit}"
    return Card(heading=f"{f.indicator or tr(lang, 'figure.generic')} {f.period} = {written} — {c.title}",
                location=location(c, lang), html=highlight_html(c.text, [(f.start - c.start, f.end - c.start)]))


def confidence_line(p: float, lang: str = "zh") -> str:
    """The fitted P(right) in words an analyst reads at a glance (高 / 中 / 低), with the figure."""
    from kg.ui.i18n import translator
    T = translator(lang)
    level = "high" if p >= 0.9 else "mid" if p >= 0.75 else "low"  # display words only; the decision is fitted
    return T("chat.confidence", level=T(f"confidence.{level}"), p=f"{p:.0%}")
