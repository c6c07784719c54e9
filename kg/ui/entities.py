"""The entity page's data: choices, figure series over time, and the neighbourhood graph as offline HTML."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

from kg.browse import EntityRow, EntityView
from kg.types import Figure, Table
from kg.ui.i18n import label, tr

TYPE_COLOURS = {"region": "#2563eb", "concept": "#059669", "institution": "#d97706", "policy": "#7c3aed",
                "meeting": "#db2777", "document": "#6b7280"}
_GRANULARITY = [("month", re.compile(r"^\d{4}-\d{2}$")), ("quarter", re.compile(r"^\d{4}Q[1-4]$")),
                ("half", re.compile(r"^\d{4}H[12]$")), ("year", re.compile(r"^\d{4}$"))]
MEASURES = {"level": "", "yoy": "同比", "change": "变动", "share": "占比", "target": "目标", "other": ""}


def entity_choice(row: EntityRow, lang: str = "zh") -> str:
    """How an entity is listed in the picker: 辽宁（地区，提及 128 次）."""
    return tr(lang, "ent.choice", label=row.entity.label, type=label(lang, "type", row.entity.type), n=row.mentions)


def granularity(period: str) -> str | None:
    """month, quarter, half or year for a normalised period; None for 2024年末, ranges or ''."""
    return next((name for name, rx in _GRANULARITY if rx.match(period)), None)


_UNIT_IN_LABEL = re.compile(r"[（(]\s*([^（）()]{1,8}?)\s*[)）]\s*$")


def _label_unit(cell: str) -> tuple[str, str] | None:
    """金融机构各项贷款余额（亿元） -> (金融机构各项贷款余额, 亿元) when the bracket holds a unit."""
    from kg.extract.numbers import unit_info
    m = _UNIT_IN_LABEL.search(cell)
    if m and unit_info(m.group(1)) is not None:
        return cell[:m.start()].strip(), m.group(1)
    return None


def inherited_units(figures: Iterable[Figure], tables: Mapping[str, Table]) -> dict[str, tuple[str, str]]:
    """figure id -> (unit, parent row) for table figures that state no unit: the unit in their own row label,
    else in the nearest row above that has one (其中：个人消费贷款 under 各项贷款余额（亿元）, parent named),
    else the table's (单位：亿元)."""
    out: dict[str, tuple[str, str]] = {}
    for f in figures:
        t = tables.get(f.table_id or "")
        if f.unit or t is None:
            continue
        row = next((i for i, (s, e) in enumerate(t.row_spans) if s <= f.start < e), None)
        found = None
        for j in range(row, -1, -1) if row is not None and row < len(t.rows) else ():
            found = next((x for c in t.rows[j] if (x := _label_unit(c))), None)
            if found:
                out[f.id] = (found[1], "" if j == row else found[0])
                break
        if not found and t.unit:
            out[f.id] = (t.unit, "")
    return out


@dataclass(frozen=True, slots=True)
class Series:
    """One indicator of one entity over time: (period, value) points of one granularity, unit and measure."""

    label: str
    unit: str
    measure: str
    granularity: str
    points: tuple[tuple[str, float], ...]
    figures: tuple[Figure, ...]


def _row_key(f: Figure, texts: Mapping[str, str]) -> int:
    """Table figures of one row share the row's line; rows with the same header (其中：短期) stay apart."""
    text = texts.get(f.doc_id)
    return text.rfind("\n", 0, f.start) if f.table_id and text else -1


def series(figures: Iterable[Figure], texts: Mapping[str, str] | None = None, min_points: int = 2,
           units: Mapping[str, tuple[str, str]] | None = None) -> list[Series]:
    """Figures grouped into time series (same document, indicator, unit, measure and table row), each kept to
    its most common period granularity with one value per period; longest series first. A figure without a
    unit takes the one `units` (from inherited_units) gives it, and the parent row names the series."""
    texts = texts or {}
    units = units or {}
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for f in figures:
        if f.indicator and granularity(f.period):
            unit, parent = (f.unit, "") if f.unit else units.get(f.id, ("", ""))
            groups[(f.doc_id, f.indicator, unit, parent, f.measure, f.table_id, _row_key(f, texts))].append(f)
    out: list[Series] = []
    for (_, indicator, unit, parent, measure, _, _), figs in groups.items():
        gran = Counter(granularity(f.period) for f in figs).most_common(1)[0][0]
        by_period: dict[str, Figure] = {}
        for f in sorted(figs, key=lambda f: f.start):
            if granularity(f.period) == gran:
                by_period.setdefault(f.period, f)
        if len(by_period) < min_points:
            continue
        kept = tuple(by_period[p] for p in sorted(by_period))
        label = " ".join(x for x in (indicator, f"[{parent}]" if parent else "", MEASURES.get(measure, measure),
                                     f"({unit})" if unit else "") if x)
        out.append(Series(label, unit, measure, gran, tuple((f.period, f.value) for f in kept), kept))
    out.sort(key=lambda s: (-len(s.points), s.label))
    seen: Counter[str] = Counter()
    unique = []
    for s in out:
        seen[s.label] += 1
        n = seen[s.label]
        unique.append(s if n == 1 else Series(f"{s.label} #{n}", s.unit, s.measure, s.granularity, s.points, s.figures))
    return unique


def legend_html(lang: str = "zh") -> str:
    """Coloured dots naming the node types of the neighbourhood graph."""
    items = "".join(f'<span style="margin-right:1em"><span style="color:{c}">●</span> {label(lang, "type", t)}</span>'
                    for t, c in TYPE_COLOURS.items() if t != "document")
    return f'<div style="font-size:0.85rem;color:#555">{items}</div>'


def _safe(text: str) -> str:
    """A label for the graph: no angle brackets (pyvis writes labels into a <script> block)."""
    return text.replace("<", "＜").replace(">", "＞").replace("&", "＆")


_EXTERNAL = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//[^>]*>(?:\s*</script>)?""",
                       re.IGNORECASE)


def strip_external(html: str) -> str:
    """Drop <script src=…>/<link href=…> tags that load from the network (pyvis adds bootstrap from a CDN
    even with cdn_resources="in_line"; the graph needs only the inlined vis-network)."""
    return _EXTERNAL.sub("", html)


def external_urls(html: str) -> list[str]:
    """URLs that scripts or stylesheets of `html` would fetch (should be none)."""
    return re.findall(r"""<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", html,
                      re.IGNORECASE)


def graph_html(view: EntityView, height: int = 460, limit: int = 30, lang: str = "zh") -> str:
    """The entity and its strongest neighbours as a self-contained vis-network page (works offline).
    The entity itself is a labelled box pinned in the middle, so its name is never hidden under edges."""
    from pyvis.network import Network
    net = Network(height=f"{height}px", width="100%", cdn_resources="in_line", directed=False, notebook=False)
    net.set_options('{"physics": {"barnesHut": {"springLength": 200, "avoidOverlap": 0.3},'
                    ' "stabilization": {"iterations": 150, "fit": true}},'
                    ' "interaction": {"hover": true},'
                    ' "nodes": {"font": {"size": 16, "strokeWidth": 4, "strokeColor": "#ffffff"}},'
                    ' "edges": {"color": {"color": "#cbd5e1", "highlight": "#64748b"}}}')
    e = view.entity
    colour = TYPE_COLOURS.get(e.type, "#6b7280")
    net.add_node(e.id, label=_safe(e.label), title=_safe(f"{e.label}（{label(lang, 'type', e.type)}）"),
                 shape="box", color=colour, x=0, y=0, fixed=True, borderWidth=2, margin=12,
                 font={"size": 30, "color": "#ffffff", "strokeWidth": 0, "face": "sans-serif"})
    top = max((n.weight for n in view.neighbours[:limit]), default=1.0) or 1.0
    for n in view.neighbours[:limit]:
        o = n.entity
        if o.id not in net.get_nodes():
            net.add_node(o.id, label=_safe(o.label), title=_safe(f"{o.label}（{label(lang, 'type', o.type)}）"),
                         size=14, color=TYPE_COLOURS.get(o.type, "#6b7280"), shape="dot")
        net.add_edge(e.id, o.id, title=_safe(f"{label(lang, 'rel', n.predicate)} ({n.weight:g})"),
                     value=1 + 4 * n.weight / top)
    return strip_external(net.generate_html()).replace("</body>", _REFIT + "</body>", 1)


# The page may be laid out while hidden (a closed tab: zero width); fit the graph whenever it gets a size.
_REFIT = """<script>
new ResizeObserver(function () { if (typeof network !== "undefined" && network) { network.redraw(); network.fit(); } })
  .observe(document.getElementById("mynetwork"));
</script>
"""
