"""A realistic N-times corpus for bench/scale.py: the bundled reports (and optionally ../shared/extra) replicated,
each copy with its places, years and figures changed consistently.

Copy 0 is the reports as they are. Copy k > 0 applies one Variant to every report:
- places: a permutation of the 31 mainland provinces; each prefecture (county) goes to the prefecture (county)
  at the same position under the new parent, so 沈阳 in 辽宁 moves with it. Mentions are found with the
  project's own gazetteer (kg.extract.gazetteer, blockers included), so only real place names change;
- years: every year (a 4-digit 1990-2040 number not followed by a unit) shifted by the same offset;
- figures: every other number of 2+ digits, or with decimals, multiplied by one factor, decimals kept.
The same Variant rewrites the evaluation questions, so they ask about the replicated places and years.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_OUTSIDE = {"710000", "810000", "820000", "660000"}  # 台湾, 香港, 澳门, 兵团: kept as they are
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
_UNIT = re.compile(r"\s*[亿万千百元户家个人项套辆吨%‰只笔倍平公米张所款条]")


@dataclass(frozen=True, slots=True)
class Variant:
    copy: int
    regions: dict  # region code -> region code
    years: int  # offset
    factor: float


@lru_cache(maxsize=1)
def _places():
    from kg.extract.gazetteer import load_gazetteer
    g = load_gazetteer()
    children: dict[tuple[str, str], list] = {}
    for r in g.regions:
        if r.parent:
            children.setdefault((r.parent, r.level), []).append(r)
    for v in children.values():
        v.sort(key=lambda r: r.code)
    provinces = sorted(r.code for r in g.regions if r.level == "province" and r.code not in _OUTSIDE)
    return g, {r.code: r for r in g.regions}, children, provinces


def variant(copy: int, seed: int = 7) -> Variant:
    g, by_code, children, provinces = _places()
    if copy == 0:
        return Variant(0, {}, 0, 1.0)
    rng = random.Random(f"{seed}|{copy}")
    target = provinces[:]
    rng.shuffle(target)
    mapping: dict[str, str] = {}

    def follow(src: str, dst: str) -> None:
        mapping[src] = dst
        for level in ("prefecture", "county"):
            mine, theirs = children.get((src, level), []), children.get((dst, level), [])
            if theirs:
                for i, r in enumerate(mine):
                    follow(r.code, theirs[i % len(theirs)].code)

    for src, dst in zip(provinces, target):
        follow(src, dst)
    years = rng.choice([y for y in range(-8, 4) if y])
    return Variant(copy, mapping, years, round(rng.uniform(0.7, 1.4), 3))


def _rename(text: str, v: Variant) -> str:
    if not v.regions:
        return text
    g, by_code, _, _ = _places()
    out, last = [], 0
    for s, e, r in g.find_regions(text):
        dst = by_code.get(v.regions.get(r.code, r.code), r)
        surface = text[s:e]
        if surface.startswith(r.full_name):
            new = dst.full_name + surface[len(r.full_name):]
        elif surface.startswith(r.name):
            new = dst.name + surface[len(r.name):]
        else:
            new = dst.name
        out += [text[last:s], new]
        last = e
    out.append(text[last:])
    return "".join(out)


def _is_year(text: str, m: re.Match) -> bool:
    x = m.group()
    return len(x) == 4 and x.isdigit() and 1990 <= int(x) <= 2040 and not _UNIT.match(text, m.end())


def _renumber(text: str, v: Variant) -> str:
    if v.copy == 0:
        return text

    def sub(m: re.Match) -> str:
        x = m.group()
        if _is_year(text, m):
            return str(int(x) + v.years)
        if "." not in x and int(x) <= 31:  # section numbers, months, days: kept
            return x
        decimals = len(x.split(".")[1]) if "." in x else 0
        return f"{float(x) * v.factor:.{decimals}f}"

    return _NUMBER.sub(sub, text)


def rewrite(text: str, v: Variant) -> str:
    """A report or a question as copy v tells it."""
    return _renumber(_rename(text, v), v)


def rewrite_question(text: str, v: Variant) -> str:
    """A question as asked of copy v: places and years follow, the other numbers stay (they are conditions)."""
    if v.copy == 0:
        return text
    renamed = _rename(text, v)
    return _NUMBER.sub(lambda m: str(int(m.group()) + v.years) if _is_year(renamed, m) else m.group(), renamed)


def copy_name(copy: int, name: str) -> str:
    return name if copy == 0 else f"c{copy:03d}_{name}"


def generate(sources: list[Path], scale: int, out: Path) -> list[Path]:
    """Write `scale` copies of every source into out (skipping files already there); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    texts = {p: p.read_text(encoding="utf-8") for p in sources}
    paths = []
    for copy in range(scale):
        v = variant(copy)
        for p, text in texts.items():
            dest = out / copy_name(copy, p.name)
            if not dest.exists():
                dest.write_text(rewrite(text, v), encoding="utf-8")
            paths.append(dest)
    return paths
