"""Properties of the built office-holder table src/parley/kb/officeholders.csv."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from datetime import date
from pathlib import Path

import pycountry
import pytest

REPO = Path(__file__).resolve().parents[2]
KB = REPO / "src" / "parley" / "kb"
TABLE = KB / "officeholders.csv"
CURATED = KB / "officeholders_curated.csv"
SOURCES = REPO.parent / "shared" / "data" / "kb"
BUILDER = REPO / "tools" / "build_officeholders.py"

COLUMNS = ["name", "aliases", "country", "office", "office_class", "sector",
           "start", "end", "wikidata", "source"]
OFFICE_CLASSES = {"head_of_state", "head_of_government", "foreign_minister", "defence_minister",
                  "minister", "spokesperson", "envoy", "igo_head", "aide", "other"}
IGO_CODES = {"NATO", "EUR", "UNO"}
# Kosovo: the user-assigned code XKX (used by the EU and the IMF); ISO 3166 has none
USER_ASSIGNED = {"XKX"}
ROMAN = re.compile(r"^[IVXL]+$")


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    header, data = read(TABLE)
    assert header == COLUMNS
    return data


def in_office(row: dict[str, str], day: str) -> bool:
    return (not row["start"] or row["start"] <= day) and (not row["end"] or day < row["end"])


def test_columns_exactly(rows):
    header, _ = read(TABLE)
    assert header == COLUMNS
    header, _ = read(CURATED)
    assert header == COLUMNS
    assert len(rows) > 500


def test_country_codes_are_iso3_or_known_igo(rows):
    for r in rows:
        code = r["country"]
        assert (code in IGO_CODES or code in USER_ASSIGNED
                or pycountry.countries.get(alpha_3=code) is not None), r


def test_classes_sectors_and_required_fields(rows):
    for r in rows:
        assert r["office_class"] in OFFICE_CLASSES, r
        assert r["name"].strip() and r["office"].strip() and r["sector"].strip(), r
        assert r["source"].strip(), r
        if r["country"] in IGO_CODES:
            assert r["sector"] == "IGO", r


def test_dates_are_iso_and_ordered(rows):
    for r in rows:
        for k in ("start", "end"):
            if r[k]:
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[k]), r
                date.fromisoformat(r[k])
        if r["start"] and r["end"]:
            assert r["start"] <= r["end"], r
        # nothing ends after the data's cut-off: a later scheduled end means "in office"
        assert not r["end"] or r["end"] <= "2025-12-31", r


def test_names_are_not_upper_cased(rows):
    for r in rows:
        for word in re.split(r"[\s-]+", r["name"]):
            letters = [c for c in word if c.isalpha()]
            if len(letters) >= 3 and all(c.isupper() for c in letters):
                assert ROMAN.match(word), r


def test_aliases_are_clean(rows):
    for r in rows:
        if not r["aliases"]:
            continue
        aliases = r["aliases"].split("|")
        assert all(a.strip() == a and a for a in aliases), r
        assert r["name"] not in aliases, r
        assert len({a.casefold() for a in aliases}) == len(aliases), r
        surname = r["name"].split()[-1].casefold()
        assert surname not in {a.casefold() for a in aliases}, r


def test_merz_is_german_head_of_government_from_6_may_2025(rows):
    merz = [r for r in rows if r["name"] == "Friedrich Merz"]
    assert len(merz) == 1
    (m,) = merz
    assert (m["country"], m["office_class"], m["office"]) == ("DEU", "head_of_government",
                                                            "Chancellor")
    assert m["start"] == "2025-05-06" and m["end"] == ""
    scholz = [r for r in rows if r["name"] == "Olaf Scholz" and r["country"] == "DEU"]
    assert scholz and scholz[0]["end"] == "2025-05-06"


def test_zelenskyy_is_ukrainian_head_of_state_in_office(rows):
    z = [r for r in rows if r["country"] == "UKR" and r["office_class"] == "head_of_state"
         and "Zelensky" in r["aliases"]]
    assert len(z) == 1
    assert z[0]["name"] == "Volodymyr Zelenskyy"
    assert z[0]["start"] == "2019-05-20" and z[0]["end"] == ""
    assert z[0]["wikidata"] in ("", "Q3874799")


def test_us_president_on_27_december_2025_is_trump(rows):
    day = "2025-12-27"
    presidents = [r for r in rows if r["country"] == "USA" and r["office"] == "President"
                  and in_office(r, day)]
    assert [r["name"] for r in presidents] == ["Donald Trump"]
    assert presidents[0]["office_class"] == "head_of_state"
    vps = [r["name"] for r in rows if r["country"] == "USA" and r["office"] == "Vice President"
           and in_office(r, day)]
    assert vps == ["JD Vance"]


def test_one_head_of_state_per_country_on_27_december_2025(rows):
    seen: dict[tuple[str, str, str], str] = {}
    for r in rows:
        if r["office_class"] not in ("head_of_state", "head_of_government") or not r["start"]:
            continue
        if in_office(r, "2025-12-27"):
            k = (r["country"], r["office_class"], r["office"])
            assert k not in seen, (k, seen.get(k), r["name"])
            seen[k] = r["name"]
    assert seen[("RUS", "head_of_state", "President")] == "Vladimir Putin"
    assert seen[("GBR", "head_of_government", "Prime Minister")] == "Keir Starmer"


def test_known_officials_of_2025(rows):
    def find(name, country):
        return [r for r in rows if r["name"] == name and r["country"] == country]
    (rutte,) = find("Mark Rutte", "NATO")
    assert rutte["office_class"] == "igo_head" and rutte["start"] == "2024-10-01"
    assert find("Sergey Lavrov", "RUS")[0]["office_class"] == "foreign_minister"
    assert find("Marco Rubio", "USA")
    (yermak,) = find("Andriy Yermak", "UKR")
    assert yermak["end"] == "2025-11-28"
    assert find("Dmitry Peskov", "RUS")[0]["office_class"] == "spokesperson"
    assert "Yuri Ushakov" in find("Yury Ushakov", "RUS")[0]["aliases"].split("|")
    assert "Steven Witkoff" in find("Steve Witkoff", "USA")[0]["aliases"].split("|")


def test_curated_rows_name_their_reference():
    _, cur = read(CURATED)
    assert cur
    for r in cur:
        assert r["source"].startswith("curated: ") and len(r["source"]) > len("curated: x"), r
        assert r["office_class"] in OFFICE_CLASSES, r


def source_qids() -> set[str]:
    found: set[str] = set()
    for name in ("us_executive.yaml", "README.md"):
        found |= set(re.findall(r"\bQ\d+\b", (SOURCES / name).read_text(encoding="utf-8")))
    return found


@pytest.mark.skipif(not SOURCES.is_dir(), reason="shared/data/kb not beside the repository")
def test_every_qid_comes_from_a_source_file(rows):
    allowed = source_qids()
    _, cur = read(CURATED)
    for r in rows + cur:
        if r["wikidata"]:
            assert re.fullmatch(r"Q\d+", r["wikidata"]), r
            assert r["wikidata"] in allowed, r
    # and each US QID sits on the person the yaml gives it to
    import yaml
    people = yaml.safe_load((SOURCES / "us_executive.yaml").read_text(encoding="utf-8"))
    by_qid = {str(p["id"]["wikidata"]): p["name"]["last"] for p in people
              if p.get("id", {}).get("wikidata")}
    for r in rows:
        if r["country"] == "USA" and r["wikidata"]:
            assert r["name"].endswith(by_qid[r["wikidata"]]), r


@pytest.mark.skipif(not SOURCES.is_dir(), reason="shared/data/kb not beside the repository")
def test_table_is_the_builders_output(tmp_path):
    spec = importlib.util.spec_from_file_location("build_officeholders", BUILDER)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = mod          # dataclasses look their module up there
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.modules.pop(spec.name, None)
    out = tmp_path / "officeholders.csv"
    mod.main(["--kb-dir", str(SOURCES), "--curated", str(CURATED), "--out", str(out)])
    assert out.read_bytes() == TABLE.read_bytes()
