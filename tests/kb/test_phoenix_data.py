"""groups.csv and persons.csv (from PETRARCH2's Phoenix dictionaries) and their loader."""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from parley.kb import KB_DIR, Role, _pick_role, build_kb, load_groups, load_kb, load_persons

ISO3 = {r["iso3"] for r in csv.DictReader(open(KB_DIR / "countries.csv", encoding="utf-8"))}


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_sources_md_documents_both_files():
    text = (KB_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for name in ("groups.csv", "persons.csv"):
        assert re.search(rf"^## {re.escape(name)}$", text, re.M), name
    assert "petrarch2" in text.lower() and "tools/build_phoenix.py" in text


def test_group_rows_name_a_known_country_or_none(kb):
    assert len(kb.groups) > 500
    for g in kb.groups:
        assert g.country is None or g.country in ISO3, g
        assert re.fullmatch(r"[A-Z]{3}", g.sector), g
        assert g.source.startswith("petrarch2@"), g


def test_group_aliases_pass_the_filter(kb):
    """No 1-2 letter acronym, no country or capital name, no common English word as an alias."""
    for g in kb.groups:
        for a in (g.name, *g.aliases):
            assert sum(c.isalpha() for c in a) > 2, (g.name, a)
            assert kb.country(a) is None and kb.country_by_capital(a) is None, (g.name, a)
            assert a.lower() not in ("youth", "resistance", "order", "action"), (g.name, a)


@pytest.mark.parametrize("text, country", [
    ("Hamas", "PSE"), ("Hizbollah", "LBN"), ("the Taliban", "AFG"), ("UNITA", "AGO"),
    ("Kurdistan Workers' Party", "TUR"), ("PKK", "TUR"), ("LTTE", "LKA"),
    ("Palestinian Islamic Jihad", "PSE"), ("Fatah", "PSE"), ("al-Qaeda", None),
])
def test_groups_by_name_and_alias(kb, text, country):
    g = kb.group(text)
    assert g is not None, text
    assert g.country == country
    assert g.sector == "REB"


def test_acronyms_match_as_written(kb):
    assert kb.group("PKK") is not None
    assert kb.group("pkk") is None


def test_person_by_full_name_not_by_surname(kb):
    hit = kb.person("Yoweri Museveni")
    assert hit is not None and hit[1].country == "UGA" and hit[1].sector == "GOV"
    assert kb.person("Yoweri Kaguta Museveni")[0].name == "Yoweri Museveni"  # a listed alias
    assert kb.person("Museveni") is None


def test_person_role_at_the_date(kb):
    # Mahendra Chaudhry: Fiji's prime minister from May 1999 to May 2000, an elite before
    assert kb.person("Mahendra Chaudhry", on=date(2000, 1, 15))[1].sector == "GOV"
    assert kb.person("Mahendra Chaudhry", on=date(1990, 1, 15))[1].sector == "ELI"
    # an IGO official's organisation code is his "country"
    assert kb.person("Kofi Annan", on=date(1998, 6, 1))[1].country == "UNO"


def test_pick_role_rules():
    uga_gov = Role("UGA", "GOV", date(1986, 1, 26), None)
    uga_eli = Role("UGA", "ELI", date(1962, 1, 1), date(2000, 1, 1))
    undated = Role("UGA", "ELI", None, None)
    roles = [uga_eli, uga_gov, undated]
    assert _pick_role(roles, date(1995, 1, 1)) == uga_gov      # the latest start covering the date
    assert _pick_role(roles, date(1970, 1, 1)) == uga_eli
    assert _pick_role(roles, None) == uga_gov                  # no date: the most recent role
    assert _pick_role([undated], None) == undated
    two = [Role("SRB", "GOV", date(1990, 1, 1), date(1995, 1, 1)), Role("MNE", "GOV", date(2000, 1, 1), None)]
    assert _pick_role(two, date(1992, 1, 1)).country == "SRB"  # two countries: the one at the date
    assert _pick_role(two, None) is None                       # ... else none
    assert _pick_role(two, date(1997, 1, 1)) is None


def test_office_holders_come_first(kb):
    """The current KB is never overridden: persons.csv is only read by kb.person()."""
    assert kb.holders("Donald Trump")
    assert all(h.source != "" for h in kb.holders("Donald Trump"))


def test_persons_are_read_lazily(tmp_path: Path):
    (tmp_path / "persons.csv").write_text(
        "name,aliases,roles,source\nAma Mensah,Ama K. Mensah,GHA GOV 1990-01-01 1995-12-31|GHA ELI - -,test\n",
        encoding="utf-8")
    for name in ("countries.csv", "organisations.yaml", "metonyms.yaml", "offices.yaml"):
        (tmp_path / name).write_bytes((KB_DIR / name).read_bytes())
    kb = build_kb(officeholders_csv=tmp_path / "none.csv", kb_dir=tmp_path)
    assert kb._person_index is None
    person, role = kb.person("Ama K. Mensah", on=date(1992, 5, 1))
    assert person.name == "Ama Mensah" and role.country == "GHA" and role.sector == "GOV"
    assert kb.groups == []  # no groups.csv: no groups, no error


def test_bad_role_names_the_line(tmp_path: Path):
    path = tmp_path / "persons.csv"
    path.write_text("name,aliases,roles,source\nAma Mensah,,GHA GOV 1990,test\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"persons.csv line 2: role 'GHA GOV 1990'"):
        load_persons(path)


def test_load_groups_reads_a_small_file(tmp_path: Path):
    path = tmp_path / "groups.csv"
    path.write_text("name,aliases,country,sector,cameo,source\nRiver Front,RF Movement,,REB,MEAREB,test\n",
                    encoding="utf-8")
    (g,) = load_groups(path)
    assert g.country is None and g.aliases == ("RF Movement",) and g.cameo == "MEAREB"


def test_three_word_name_without_its_middle_name(kb):
    person, role = kb.person("Carlos Menem")  # listed as Carlos Saul Menem
    assert person.name == "Carlos Saul Menem" and role.country == "ARG"
    assert kb.person("Hamad Khalifa") is None  # never by dropping a particle-led middle ("bin")


def test_european_community_is_the_eu(kb):
    assert kb.organisation("European Community").code == "EUR"


def test_acronyms_with_another_common_meaning_are_not_group_aliases(kb):
    assert kb.group("EPA") is None   # the US agency in news copy
    assert kb.group("PLA") is None   # China's army in the Countries dictionary
    assert kb.group("Irish Republican Army") is not None and kb.group("IRA") is None


def test_person_aliases_are_names(kb):
    assert kb.person("Obama Speech") is None
