"""Region extraction (属地): which of Shaoyang's 12 counties and districts, and which town, a ticket is about.

The place names are data shipped with the package (`data/regions.json`), so a division change is an edit, not a code
change. The address is trusted first; the content is read only when the address names no county (第三条 属地管理).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hotline.directory.choices import UnitKind
from hotline.directory.models import Unit

REGIONS_FILE = Path(__file__).with_name("data") / "regions.json"
TOWN_SUFFIXES = ("街道", "瑶族乡", "苗族乡", "侗族乡", "镇", "乡")
MIN_TOWN_STEM = 3  # a bare stem like "高桥" is too common in free text; "龙须塘" is not


@dataclass(frozen=True)
class County:
    """One county-level division: official name, directory code and the names it goes by."""

    name: str
    code: str
    names: tuple[str, ...]  # trusted anywhere
    address_names: tuple[str, ...]  # trusted only in an address (e.g. 洞口, also "mouth of a cave")
    towns: tuple[str, ...]


@dataclass(frozen=True)
class RegionMatch:
    """Where a ticket is: the county (and its directory unit when one exists), the town, and where it was read."""

    county: str
    code: str
    town: str = ""
    source: str = "address"

    @property
    def place(self) -> str:
        return f"{self.county}{self.town}"

    def unit(self) -> Unit | None:
        """The county unit in the directory (matched by code, then by name), or None if it is not set up."""
        qs = Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True)
        return qs.filter(code=self.code).first() or qs.filter(name=self.county).first()


@lru_cache(maxsize=1)
def counties() -> tuple[County, ...]:
    """The county table from the shipped data file (read once per process)."""
    raw = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    return tuple(
        County(name=c["name"], code=c["code"], names=(c["name"], *c["aliases"]),
               address_names=tuple(c["ambiguous_aliases"]), towns=tuple(c["towns"]))
        for c in raw["counties"]
    )


def _town_stem(town: str) -> str:
    for suffix in TOWN_SUFFIXES:
        if town.endswith(suffix):
            return town[: -len(suffix)]
    return town


@lru_cache(maxsize=1)
def _patterns() -> tuple[list[tuple[str, County]], list[tuple[str, County]], list[tuple[str, str, County]]]:
    """Names sorted longest first, so 邵阳县 wins over any shorter name inside it."""
    anywhere = sorted(((n, c) for c in counties() for n in c.names), key=lambda p: -len(p[0]))
    address_only = sorted(((n, c) for c in counties() for n in c.address_names), key=lambda p: -len(p[0]))
    towns = sorted(((t, t, c) for c in counties() for t in c.towns), key=lambda p: -len(p[0]))
    stems = [(_town_stem(t), t, c) for t, _, c in towns if len(_town_stem(t)) >= MIN_TOWN_STEM]
    return anywhere, address_only, towns + sorted(stems, key=lambda p: -len(p[0]))


def _find(text: str, *, is_address: bool) -> RegionMatch | None:
    anywhere, address_only, towns = _patterns()
    county: County | None = None
    for name, c in anywhere + (address_only if is_address else []):
        if name in text:
            county = c
            break
    source = "address" if is_address else "content"
    for name, town, c in towns:
        # A bare town stem is only trusted in an address; in free text the full name with 镇/乡/街道 is required.
        if name in text and (name == town or is_address) and (county is None or c is county):
            return RegionMatch(county=c.name, code=c.code, town=town, source=source)
    if county is not None:
        return RegionMatch(county=county.name, code=county.code, source=source)
    return None


def extract_region(address: str = "", content: str = "") -> RegionMatch | None:
    """The county and town named in the address, else in the content; None when neither names one."""
    if address:
        found = _find(address, is_address=True)
        if found is not None:
            return found
    if content:
        return _find(content, is_address=False)
    return None
