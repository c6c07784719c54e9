"""Row hierarchies of PDF tables: a row label indented under another (or marked 其中： / #) is its child."""
from __future__ import annotations

import re

from ingest.table_headers import SourceRow, normalise

_AMONG = re.compile(r"^(?:其中\s*[:：]\s*|[#＃]\s*)")


def indent(row: SourceRow) -> int:
    """Leading spaces before the row's first cell (the PDF reader writes one per font size of indentation)."""
    first = row.cells[0]
    return first.start - row.start if first.value else 0


def indented(rows: list[SourceRow]) -> bool:
    """Whether a table shows its row hierarchy by indentation (text tables never carry leading spaces)."""
    return any(indent(r) > 0 for r in rows)


class RowTree:
    """Parents of each row label, from indentation: a label's parents are the nearest less indented labels above.

    "其中：X" is read as X indented by the width of "其中："; "#X" as X (the PDF reader measured the indent of X).
    """

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []

    def path(self, row: SourceRow) -> tuple[str, ...]:
        """(parents…, label) of a body row whose first cell is its label."""
        raw = row.cells[0].value
        m = _AMONG.match(raw)
        label = normalise(raw[m.end():] if m else raw)
        level = indent(row) + (len(m.group(0).strip()) if m and not m.group(0).lstrip().startswith(("#", "＃")) else 0)
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        parents = tuple(lbl for _, lbl in self.stack)
        self.stack.append((level, label))
        return (*parents, label)
