"""What a scanned page's image itself shows: its ink and the ruled lines of its tables."""
from __future__ import annotations

from typing import Any

Rule = tuple[float, float, float, float]  # x0, top, x1, bottom in pixels; top == bottom for a horizontal rule


def ink_of(image: Any, level: int) -> Any:
    """Boolean array (rows x columns): pixels darker than the grey `level`."""
    import numpy as np

    return np.asarray(image.convert("L")) < level


def _runs(ink: Any, min_len: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of ink along the rows at least min_len long; gaps of a pixel or two
    (a rule broken by scanning) are closed first."""
    import numpy as np

    closed = ink.copy()
    closed[:, 1:-1] |= ink[:, :-2] & ink[:, 2:]
    closed[:, 2:-2] |= ink[:, :-4] & ink[:, 4:]
    edges = np.diff(np.pad(closed, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)  # row-major order pairs every end with its start
    keep = ends - starts >= min_len
    return list(zip(rows[keep].tolist(), starts[keep].tolist(), ends[keep].tolist()))


def _merge(runs: list[tuple[int, int, int]]) -> list[tuple[float, float, float]]:
    """Runs on neighbouring rows that overlap are one rule a few pixels thick: (centre, start, end)."""
    rules: list[list[float]] = []  # [first row, last row, start, end]
    for row, a, b in sorted(runs):
        r = next((r for r in reversed(rules) if row - r[1] <= 2 and a < r[3] and r[2] < b), None)
        if r is None:
            rules.append([row, row, a, b])
        else:
            r[1], r[2], r[3] = row, min(r[2], a), max(r[3], b)
    return [((r[0] + r[1]) / 2, r[2], r[3]) for r in rules]


def find_rules(ink: Any, min_width: int, min_height: int, tol: float) -> list[Rule]:
    """The table rules of a page image: horizontal rules at least `min_width` pixels long, and the vertical rules
    (at least `min_height`) that run from one horizontal rule to another, ending within `tol` of them, or from one
    and three times as long (a table continued from the page before has no rule on top); glyph strokes do
    neither. Where a stack of horizontal rules is joined by inner vertical rules but its sides are open
    (the usual Chinese table), the sides are added, so a lattice table finder sees closed cells."""
    import numpy as np

    hs = sorted(_merge(_runs(ink, min_width)))
    vs = _merge(_runs(np.ascontiguousarray(ink.T), min_height))

    def on_rule(y: float, x: float) -> bool:
        return any(abs(y - hy) <= tol and a - tol <= x <= b + tol for hy, a, b in hs)

    vs = [(x, top, bottom) for x, top, bottom in vs
          if on_rule(top, x) + on_rule(bottom, x) >= (1 if bottom - top >= 3 * min_height else 2)]
    out: list[Rule] = [(a, y, b, y) for y, a, b in hs] + [(x, top, x, bottom) for x, top, bottom in vs]
    group: list[tuple[float, float, float]] = []
    for upper, lower in zip(hs, [*hs[1:], None]):  # stacks of horizontal rules joined by vertical ones
        group = group or [upper]
        if lower is not None and any(top <= upper[0] + tol and bottom >= lower[0] - tol
                                     and max(upper[1], lower[1]) < x < min(upper[2], lower[2])
                                     for x, top, bottom in vs):
            group.append(lower)
            continue
        if len(group) >= 2:
            left, right = min(g[1] for g in group), max(g[2] for g in group)
            out += [(left, group[0][0], left, group[-1][0]), (right, group[0][0], right, group[-1][0])]
        group = []
    return out


def ink_left(ink: Any, x0: float, top: float, x1: float, bottom: float) -> float | None:
    """The first column of a box holding ink (a ruled line crossing the whole box aside); None when it is blank.
    An OCR line's box is padded on the left, the ink starts where its first glyph does."""
    import numpy as np

    a, t = max(0, int(x0)), max(0, int(top))
    share = ink[t:int(bottom + 1), a:int(x1 + 1)].mean(axis=0) if x1 > x0 and bottom > top else np.zeros(0)
    cols = np.nonzero((share > 0) & (share < 0.95))[0]
    return a + float(cols[0]) if cols.size else None
