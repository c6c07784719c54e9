"""Self-checks of one extracted table: typed columns, totals, growth columns and units (findings, never fixes).

Measured (find_tables on build_document's text): the bundled corpus, 53 tables, 0 findings (every 合计/小计
adds up; tests/test_table_checks.py keeps it at 3 or fewer). ../shared/realpdf, 112 tables, 28 findings in 20
tables: budget_2025_qingdao 23 (12 tables whose indented row tree fails some parents: the tree read from
indentation puts a 项 under its sibling and a 类 under the 类 above; 11 合计/总计 rows over such trees),
liuzhou rating 3 (表9/表10: a 金额/占比 sub-header glued into the first body row, and a 合计 read under it),
xiamen rating 1 (图表8: a header cell in a body row), qiandongnan 1 (表12: "43..67"); the other four 0.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from kg.extract.numbers import fold, parse_number, unit_info
from kg.types import Cell, Table


class Cues(NamedTuple):
    """The words each check reads, in one place."""

    total: tuple[str, ...]  # a row that sums the rows of its block
    among: tuple[str, ...]  # a row label that opens a subset (其中：), not a full breakdown
    not_additive: tuple[str, ...]  # column headers whose values do not add up down the column
    growth: tuple[str, ...]  # a column of growth rates in percent
    change: tuple[str, ...]  # ... unless its header says it holds an amount or points (neither growth nor level)
    not_growth: tuple[str, ...]  # units that make a growth header an amount
    previous: tuple[str, ...]  # a level column of the earlier period, when no year is written
    current: tuple[str, ...]  # a level column of the later period
    words_ok: tuple[str, ...]  # words a numeric column may hold without being a misread
    real_growth: tuple[str, ...]  # rows whose growth is at comparable prices, not the ratio of the levels shown


CUES = Cues(
    total=("合计", "小计", "总计"),
    among=("其中", "#", "＃", "含", "内：", "主要"),
    not_additive=("%", "％", "增长", "增速", "增幅", "同比", "比重", "占比", "比例", "率", "人均", "平均", "单价",
                  "指数", "排名", "位次", "年份", "年末", "期末", "余额"),
    growth=("增长%", "增长（%）", "增长(%)", "比上年增长", "比上年增减", "增幅", "同比", "增速", "增长率", "增减%",
            "增减（%）"),
    change=("增长额", "增减额", "增加额", "增量", "百分点"),
    not_growth=("亿元", "万元", "元）", "元)"),
    previous=("上年", "去年", "上年同期"),
    current=("本年", "今年", "本期"),
    words_ok=("持平", "不变", "未完成", "完成", "不适用", "无", "暂无", "待定", "新增", "未统计", "下降", "增长",
              "未披露", "不详", "正增长", "负增长", "零增长"),
    real_growth=("生产总值", "GDP", "增加值", "不变价", "可比价"),
)
# Growth is often computed on the previous year's revised or comparable-scope figure (上年数按可比口径调整), so
# a growth cell is doubted only when it is this many points away from the ratio of the levels shown.
_GROWTH_SLACK = 1.0

# A cell that a reader glued or marked: 1234.56.7 (two cells run together), [3]5678 / 5678[3] (a footnote mark),
# 12.3.4 (two decimal points), 1.234,5 (separators that cannot both be right).
_GLUED = re.compile(r"\d\.\d*\.\d|^[\[［【(（]\d{1,2}[\]］】)）]\d|\d[\]］】]$|\d\[\d{1,2}\]$|^\d+\.\d+,\d")
_NUMERIC_CHARS = re.compile(r"[-+\d.,\[\]［］【】()（）%]+")
_NUMBER_UNIT = re.compile(r"^\s*[-+]?\d[\d,]*(?:\.\d+)?\s*(\S{1,4})\s*$")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年?")
_MIN_COLUMN = 4  # a column needs this many filled cells before its type says anything
_MOSTLY = 0.8  # share of numbers that makes a column numeric


@dataclass(frozen=True, slots=True)
class Finding:
    """One reason to doubt a table: kind is mixed_types, total, growth or units; cells are the ones involved."""

    table_id: str
    kind: str
    detail: str
    cells: tuple[Cell, ...]

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown finding kind {self.kind!r}: use one of {', '.join(KINDS)}")


KINDS = ("mixed_types", "total", "growth", "units")


def check_table(table: Table) -> tuple[Finding, ...]:
    """Every finding of every check on one table, in check order."""
    columns = _columns(table)
    found: list[Finding] = []
    for check in (_mixed_types, _totals, _growth, _units):
        found.extend(check(table, columns))
    return tuple(found)


def number(value: str) -> float | None:
    """The value of a numeric cell ('1,234.5', '-0.8', '(12.3)' as -12.3, '6.1%'), else None."""
    v = fold(value).strip().replace(" ", "").replace("−", "-")
    m = re.fullmatch(r"[(（]([-+]?\d[\d,]*(?:\.\d+)?)[)）]", v)
    if m:
        got = parse_number(m.group(1))
        return -got if got is not None else None
    return parse_number(v)


def decimals(value: str) -> int:
    m = re.search(r"\.(\d+)", fold(value))
    return len(m.group(1)) if m else 0


def _columns(table: Table) -> dict[int, list[Cell]]:
    """Body cells by column, in row order (a cut text cell's tail is left out: it is the same cell)."""
    cols: dict[int, list[Cell]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for c in table.cells:
        if (c.row, c.col) not in seen:
            seen.add((c.row, c.col))
            cols[c.col].append(c)
    return cols


def _header(c: Cell) -> str:
    return "".join(c.col_header)


def _where(c: Cell) -> str:
    row = " > ".join(c.row_header) or f"row {c.row + 1}"
    col = " > ".join(c.col_header) or f"column {c.col + 1}"
    return f"{row} | {col}"


def _kind(value: str) -> str:
    v = fold(value).strip()
    if _NUMERIC_CHARS.fullmatch(v.replace(" ", "")) and _GLUED.search(v.replace(" ", "")):
        return "glued"
    if number(v) is not None or number(re.sub(r"\s*[%‰]$", "", v)) is not None:
        return "num"
    m = _NUMBER_UNIT.match(v)
    if m and unit_info(m.group(1)):
        return "num"
    if re.fullmatch(r"[—–\-－/…\s]+|N/?A|n\.?a\.?|\*+|×|x", v):
        return "fill"
    if v in CUES.words_ok:
        return "ok_word"
    return "word"


def _mixed_types(table: Table, columns: dict[int, list[Cell]]) -> list[Finding]:
    """(a) Glued or marked numbers anywhere; words in columns of numbers, one finding per row that holds them
    (a header row read as a body row puts a word in every column)."""
    out = []
    stray: dict[int, list[Cell]] = defaultdict(list)
    for col, cells in sorted(columns.items()):
        kinds = [(c, _kind(c.value)) for c in cells]
        for c, k in kinds:
            if k == "glued":
                out.append(Finding(table.id, "mixed_types", f"{c.value!r} looks like glued cells or a footnote mark "
                                                            f"({_where(c)})", (c,)))
        typed = [(c, k) for c, k in kinds if k in ("num", "word", "glued")]
        nums = sum(1 for _, k in typed if k in ("num", "glued"))
        words = [c for c, k in typed if k == "word"]
        if len(typed) >= _MIN_COLUMN and words and nums / len(typed) >= _MOSTLY:
            for c in words:
                stray[c.row].append(c)
    for row, cells in sorted(stray.items()):
        shown = ", ".join(sorted({repr(c.value) for c in cells})[:4])
        where = " > ".join(cells[0].row_header) or f"row {row + 1}"
        out.append(Finding(table.id, "mixed_types", f"{where}: words in {len(cells)} numeric column(s): {shown}",
                           tuple(cells)))
    return out


def _is_total(label: str) -> bool:
    lab = re.sub(r"^[一二三四五六七八九十\d]+[、.]\s*", "", label.replace(" ", ""))
    return any(lab.startswith(w) or lab.endswith(w) for w in CUES.total)


def _is_among(label: str) -> bool:
    return label.lstrip().startswith(CUES.among)


def _additive(cells: list[Cell]) -> bool:
    head = " ".join(_header(c) for c in cells[:1])
    return not any(w in head for w in CUES.not_additive) and not any("%" in fold(c.value) for c in cells)


def _prefix_sums_to(want: float, shown: str, cells: list[Cell], vals: list[float]) -> bool:
    """Whether the first k >= 2 parts, walking away from the total, add up to it: 合计 = 市级 + 区市 and then
    the districts that make up 区市 follow."""
    got = 0.0
    for k, v in enumerate(vals, 1):
        got += v
        if k >= 2 and abs(got - want) <= _tolerance([shown] + [c.value for c in cells[:k]]):
            return True
    return False


def _tolerance(values: list[str]) -> float:
    """Half a unit in the last decimal shown, once per rounded figure (the total and each part)."""
    return 0.5 * 10 ** -max(map(decimals, values)) * len(values) + 1e-9


class _Rows(NamedTuple):
    order: list[int]  # body rows that hold cells, in order
    path: dict[int, tuple[str, ...]]  # each row's header path (section, tree parents, label)
    raw: dict[int, str]  # each row's first cell as written (其中： survives here)
    cells: dict[int, dict[int, Cell]]  # row -> column -> cell


def _rows(table: Table, columns: dict[int, list[Cell]]) -> _Rows:
    cells: dict[int, dict[int, Cell]] = defaultdict(dict)
    for col, cs in columns.items():
        for c in cs:
            cells[c.row][col] = c
    order = sorted(cells)
    path = {r: next(iter(cells[r].values())).row_header for r in order}
    raw = {r: (table.rows[r][0] if table.rows[r] else "") for r in order}
    return _Rows(order, path, raw, cells)


def _totals(table: Table, columns: dict[int, list[Cell]]) -> list[Finding]:
    """(b) A 合计/小计 row against the sibling rows it closes or opens, one finding per row; the parents of
    an indented row tree against their children, one finding per table (a wrong tree fails many parents)."""
    rows = _rows(table, columns)
    out: list[Finding] = []
    tree_checked, tree_failed = 0, []
    for i, r in enumerate(rows.order):
        path = rows.path[r]
        if path and _is_total(path[-1]):
            scope = path[:-1]
            up, down = rows.order[:i][::-1], rows.order[i + 1:]
            opens = not up or rows.path[up[0]][:len(scope)] != scope or len(rows.path[up[0]]) <= len(scope)
            blocks = _blocks(rows, down, scope) if opens else _blocks(rows, up, scope)  # a total closes its block
            failed = _sum_check(rows, r, blocks, columns)
            if failed:
                out.append(_finding(table, rows, r, failed))
        elif path and any(len(rows.path[k]) > len(path) for k in rows.order[i + 1:i + 2]):
            kids = _parts(rows, rows.order[i + 1:], path, tree=True)  # indented children follow
            failed = _sum_check(rows, r, [kids] if kids else [], columns)
            tree_checked += bool(kids)
            if failed:
                tree_failed.append((r, failed))
    if tree_failed:
        r, failed = tree_failed[0]
        first = _finding(table, rows, r, failed)
        out.append(Finding(table.id, "total", f"row tree: {len(tree_failed)} of {tree_checked} indented parents are "
                                              f"not the sum of their children; first: {first.detail}", first.cells))
    return out


def _finding(table: Table, rows: _Rows, r: int, failed: list[_Failed]) -> Finding:
    total, got, parts = failed[0]
    label = rows.path[r][-1] if rows.path[r] else f"row {r + 1}"
    more = f"; {len(failed) - 1} more columns" if len(failed) > 1 else ""
    return Finding(table.id, "total", f"{label} {total.value} but its {len(parts)} parts sum to {got:.10g} "
                                      f"({_where(total)}{more})", (total, *parts))


def _blocks(rows: _Rows, after: list[int], scope: tuple[str, ...]) -> list[list[int]]:
    """The sibling block next to a total, and (when another total ends it) that block with that total as a part:
    政府性基金收入总计 = 收入合计 + the rows between them."""
    parts = _parts(rows, after, scope)
    stop = next((r for r in after if rows.path[r] and rows.path[r][:-1] == scope and _is_total(rows.path[r][-1])),
                None)
    out = [parts] if parts else []
    if parts is not None and stop is not None:
        with_total = [*(parts or []), stop]
        inside = after[:after.index(stop)]
        if all(p in inside for p in parts or []) and len(with_total) >= 2:
            out.append(with_total)
    return out


def _parts(rows: _Rows, after: list[int], scope: tuple[str, ...], tree: bool = False) -> list[int] | None:
    """The rows that add up to the total of `scope`: its children, walking away from the total row.

    A deeper group counts by its own head row or its 小计 row; a 其中 row (a subset) or a group with
    neither makes the block unreadable (None). Stops at the first row outside the scope or at another total.
    """
    n = len(scope)
    parts: list[int] = []
    groups: dict[str, int | None] = {}
    for r in after:
        path = rows.path[r]
        if path[:n] != scope or len(path) <= n or (len(path) == n + 1 and _is_total(path[-1]) and not tree):
            break
        if _is_among(rows.raw[r]) or _is_among(path[-1]):
            return None
        if len(path) == n + 1:
            parts.append(r)
        elif len(path) == n + 2 and _is_total(path[-1]):
            groups[path[n]] = r
        else:
            groups.setdefault(path[n], None)
    heads = {rows.path[r][n] for r in parts}
    for g, total in groups.items():
        if g in heads:
            continue
        if total is None:
            return None
        parts.append(total)
    return parts if len(parts) >= 2 else None


_Failed = tuple[Cell, float, tuple[Cell, ...]]  # the total's cell, what its parts sum to, the parts' cells


def _sum_check(rows: _Rows, r: int, blocks: list[list[int]], columns) -> list[_Failed]:
    """Columns where the total agrees with none of its blocks, among those where a block is complete and numeric."""
    out: list[_Failed] = []
    if not blocks or any(w in "".join(rows.path[r]) for w in CUES.not_additive):
        return out
    for col, total in sorted(rows.cells[r].items()):
        want = number(total.value)
        if want is None or not _additive(columns[col]):
            continue
        agreed, best = False, None
        for parts in blocks:
            cells = [rows.cells[p].get(col) for p in parts]
            vals = [number(c.value) if c else None for c in cells]
            if any(v is None for v in vals):
                continue  # a part missing or not a number: nothing to compare
            if _prefix_sums_to(want, total.value, cells, vals):
                agreed = True
                break
            best = best or (total, sum(vals), tuple(sorted(cells, key=lambda c: c.row)))
        if not agreed and best:
            out.append(best)
    return out


def _growth(table: Table, columns: dict[int, list[Cell]]) -> list[Finding]:
    """(c) A growth column against two level columns of the same row: (current / previous - 1) x 100."""
    out = []
    for g, prev_col, cur_col in _growth_columns({col: _header(cells[0]) for col, cells in columns.items()}):
        by = {col: {c.row: c for c in columns[col]} for col in (prev_col, cur_col, g)}
        for row, shown in sorted(by[g].items()):
            prev, cur = by[prev_col].get(row), by[cur_col].get(row)
            if prev is None or cur is None or any(w in "".join(shown.row_header) for w in CUES.real_growth):
                continue
            p, q, s = number(prev.value), number(cur.value), number(shown.value)
            if p is None or q is None or s is None or p <= 0 or q < 0:
                continue
            e = 0.5 * 10 ** -max(decimals(prev.value), decimals(cur.value))
            lo, hi = ((q - e) / (p + e) - 1) * 100, ((q + e) / max(p - e, 1e-12) - 1) * 100
            eg = 0.5 * 10 ** -decimals(shown.value) + _GROWTH_SLACK
            if not lo - eg <= s <= hi + eg:
                out.append(Finding(table.id, "growth", f"growth {shown.value} but {prev.value} -> {cur.value} is "
                                                       f"{(q / p - 1) * 100:.2f}% ({_where(shown)})",
                                   (shown, prev, cur)))
    return out


def _growth_columns(heads: dict[int, str]) -> list[tuple[int, int, int]]:
    """(growth, previous level, current level) columns: a growth column of year Y with the level columns of Y
    and Y-1 (2024年金额 | 2024年增长率 | 2023年金额), or the only growth column with the only two level columns."""
    growth = [c for c, h in heads.items()
              if any(w in h for w in CUES.growth) and not any(w in h for w in CUES.change + CUES.not_growth)]
    levels = {c: h for c, h in heads.items() if not any(w in h for w in CUES.growth + CUES.change)}
    years: dict[int, list[int]] = defaultdict(list)
    for c, h in levels.items():
        if (m := _YEAR.search(h)):
            years[int(m.group(1))].append(c)
    out = []
    for g in growth:
        m = _YEAR.search(heads[g])
        y = int(m.group(1)) if m else None
        if y is not None and len(years.get(y, [])) == 1 and len(years.get(y - 1, [])) == 1:
            out.append((g, years[y - 1][0], years[y][0]))
    if out or len(growth) != 1:
        return out
    pair = _levels(levels)
    return [(growth[0], *pair)] if pair else []


def _levels(heads: dict[int, str]) -> tuple[int, int] | None:
    """(previous, current) level columns: the only two with years, or one 上年 and one 本年 column."""
    years = {c: int(m.group(1)) for c, h in heads.items() if (m := _YEAR.search(h))}
    if len(years) == 2 and len(set(years.values())) == 2:
        a, b = sorted(years, key=years.get)
        return a, b
    prev = [c for c, h in heads.items() if any(w in h for w in CUES.previous)]
    cur = [c for c, h in heads.items() if any(w in h for w in CUES.current)]
    if len(prev) == 1 and len(cur) == 1 and prev != cur:
        return prev[0], cur[0]
    return None


def _units(table: Table, columns: dict[int, list[Cell]]) -> list[Finding]:
    """(d) More than one unit written inside the cells of one column (亿元 and 万元)."""
    out = []
    for col, cells in sorted(columns.items()):
        units: dict[str, list[Cell]] = defaultdict(list)
        for c in cells:
            m = _NUMBER_UNIT.match(fold(c.value))
            if m and unit_info(m.group(1)):
                units[m.group(1)].append(c)
        if len(units) > 1:
            shown = ", ".join(f"{u} ×{len(cs)}" for u, cs in units.items())
            out.append(Finding(table.id, "units", f"column {' > '.join(cells[0].col_header) or col + 1} mixes "
                                                  f"units: {shown}", tuple(c for cs in units.values() for c in cs)))
    return out
