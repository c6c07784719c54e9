"""Frozen records of the gazetteer (Region, Concept, Institution) and the type names they accept."""
from __future__ import annotations

from dataclasses import dataclass

CONCEPT_NS = "https://policykg.org/concept/"
REGION_TYPES = frozenset({"country", "province", "autonomous_region", "municipality", "sar",
                          "separately_planned_city", "corps",
                          # prefecture level (地级): 地级市, 自治州, 地区, 盟, 新区 (雄安)
                          "prefecture_city", "autonomous_prefecture", "prefecture_region", "league", "new_area",
                          # county level (县级): 市辖区, 县级市, 县, 自治县, 旗, 自治旗, 林区, 特区
                          "district", "county_city", "county", "autonomous_county", "banner", "autonomous_banner",
                          "forestry_district", "special_district"})
REGION_LEVELS = ("country", "province", "prefecture", "county")
INSTITUTION_TYPES = frozenset({"central_bank", "ministry", "state_council", "legislature", "regulator", "bank",
                               "securities", "exchange", "market_infrastructure", "rating_agency", "research",
                               "local_government", "party", "meeting"})


@dataclass(frozen=True, slots=True)
class Region:
    """An administrative division (province, prefecture or county), the 兵团 or the nation (全国), keyed by its
    GB/T 2260 code; parent is the code of the division it belongs to (a county of a municipality: the province)."""

    code: str
    name: str  # canonical short name: 辽宁
    full_name: str  # 辽宁省
    type: str
    aliases: tuple[str, ...]  # every spelling matched in running text, name and full_name included
    abbr: tuple[str, ...] = ()  # one-character abbreviations (辽, 晋): lookups only, too ambiguous for running text
    parent: str | None = None
    level: str = ""  # country, province, prefecture, county (REGION_LEVELS)
    names: tuple[str, ...] = ()  # spellings lookups accept but running text does not: 普陀, 大同, 城区

    def __post_init__(self) -> None:
        if self.level and self.level not in REGION_LEVELS:
            raise ValueError(f"Region {self.name!r}: unknown level {self.level!r}")
        if not (len(self.code) == 6 and self.code.isdigit()):
            raise ValueError(f"Region {self.name!r}: code must be 6 digits, got {self.code!r}")
        if self.type not in REGION_TYPES:
            raise ValueError(f"Region {self.name!r}: unknown type {self.type!r}; use one of {sorted(REGION_TYPES)}")


@dataclass(frozen=True, slots=True)
class Concept:
    """A skos:Concept of concepts.ttl; narrower concepts come from Gazetteer.narrower."""

    uri: str
    label: str  # skos:prefLabel (zh)
    alt_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()  # URIs
    definition: str | None = None
    related: tuple[str, ...] = ()  # URIs

    def __post_init__(self) -> None:
        if not self.uri.startswith(CONCEPT_NS):
            raise ValueError(f"Concept {self.label!r}: URI must start with {CONCEPT_NS}, got {self.uri!r}")


@dataclass(frozen=True, slots=True)
class Institution:
    """An issuer or actor; those built from institution_patterns.tsv (X省分行, X省财政厅) carry a region code."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()  # matched in running text
    type: str = "ministry"
    parent: str | None = None
    region: str | None = None
    short: tuple[str, ...] = ()  # 工行, 人行: lookups only, they hide inside ordinary words (加工行业, 个人行为)

    def __post_init__(self) -> None:
        if self.type not in INSTITUTION_TYPES:
            raise ValueError(f"Institution {self.id!r}: unknown type {self.type!r}; "
                             f"use one of {sorted(INSTITUTION_TYPES)}")

