#!/usr/bin/env python3
"""Build parley's non-state group and historical person tables from the PETRARCH2 dictionaries.

A build-time tool, not part of the runtime: it writes ``src/parley/kb/groups.csv`` and
``src/parley/kb/persons.csv``, which are committed.  Input is a local git snapshot of
github.com/openeventdata/petrarch2 (MIT, Copyright (c) 2014 Open Event Data Alliance):

* ``Phoenix.MilNonState.actors.txt``  armed non-state groups (from START TOPS, Kenwick, Kim & Leonard)
* ``Phoenix.Countries.actors.txt``    people with dated roles (CountryInfo), a few parties and bodies
* ``Phoenix.International.actors.txt`` international militarised groups (IMG) and IGO officials

Dictionary syntax (TABARI): an entry is a line ``NAME_ [CODE] # comment``; ``+NAME`` lines are
aliases; indented ``[CODE DATES]`` lines are its codes.  ``_`` joins words; dates are
``YYMMDD`` or ``YYYYMMDD``, ``>D`` from D, ``<D`` until D, ``D1-D2`` a range.

CAMEO codes -> parley: the first three letters are a country.  ISO alpha-3 codes are kept;
retired or variant codes are mapped to today's state (``CODE_MAP``: Angola's old ANG, USSR ->
RUS, East Germany -> DEU, Yugoslavia/Serbia and Montenegro -> SRB, Czechoslovakia -> CZE,
Kosovo KSV -> XKX, East Timor TMP -> TLS).  Region and unknown codes (MEA, AFR, SAS, WEU, INT,
KKL, IMG ...) give no country, except that a group whose own name names exactly one country
("Palestinian Islamic Jihad", "People's Revolutionary Army (Colombia)"), or whose name the
Countries dictionary lists as an alias of one country (FATAH under Palestine), takes that
country.  The sector is the first three-letter chunk after the country that is a CAMEO sector
(GOV, MIL, REB, OPP, PTY, ELI ...); an armed group with none is REB.  IGO codes of officials
(``IGOUNO``) become the organisation's parley code (``UNO``) with sector IGO.

Alias filter (aliases must not fire on ordinary text): dropped are 1-2 letter acronyms, single
words that are common English (wordfreq Zipf frequency >= 4.0: "Youth", "Resistance"), names
equal to a country, capital, demonym or IGO name of parley's KB, names equal to an office
holder's surname, an alias shared by two groups, and, in group entries, aliases that are person
names (their leaders, listed by TOPS as aliases: they become persons with the group's country).

Usage::

    python tools/build_phoenix.py --repo /work/.mirror/openeventdata+petrarch2/repo
"""
from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from wordfreq import zipf_frequency

ROOT = Path(__file__).resolve().parents[1]
KB_DIR = ROOT / "src" / "parley" / "kb"
DICT = "petrarch2/data/dictionaries/"

CODE_MAP = {"ANG": "AGO", "USR": "RUS", "SUN": "RUS", "DDR": "DEU", "YUG": "SRB", "SCG": "SRB",
            "FRY": "SRB", "CSK": "CZE", "KSV": "XKX", "TMP": "TLS", "ROM": "ROU", "SRP": "BIH",
            "ZAR": "COD"}
SECTORS = {"GOV", "MIL", "REB", "OPP", "PTY", "ELI", "BUS", "CVL", "MED", "COP", "JUD", "LEG", "SPY",
           "REF", "EDU", "LAB", "AGR", "HLH", "REL", "UAF", "CRM", "IGO", "NGO", "IMG", "HRI", "ENV",
           "UNR", "SEP", "INS", "RAD", "MOD"}
# words that make a name an organisation, not a person
ORG_WORDS = {"party", "front", "army", "movement", "forces", "force", "union", "council", "congress",
             "organization", "organisation", "group", "groups", "brigade", "brigades", "committee",
             "league", "alliance", "national", "people's", "peoples", "popular", "liberation",
             "revolutionary", "islamic", "resistance", "authority", "government", "ministry",
             "assembly", "cells", "commandos", "militia", "network", "faction", "association",
             "coalition", "tigers", "jihad", "forum", "society", "command", "battalion",
             "unit", "units", "nuclei", "squad", "squads", "federation", "company", "corporation",
             "institute", "agency", "bank", "church", "republic", "kingdom", "state", "states",
             "democratic", "socialist", "communist", "patriotic", "defense", "defence", "guard",
             "police", "court", "parliament", "media", "news", "radio", "tv", "press"}
COMMON_ZIPF = 4.0
ACRONYM_ZIPF = 3.5
SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "to", "at", "by", "with", "a", "an", "or"}
NON_STATE = {"REB", "OPP", "PTY", "INS", "UNR", "IMG"}


def git_show(repo: Path, name: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{DICT}{name}"], check=True,
                          capture_output=True).stdout.decode("utf-8", errors="replace")


def git_head(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()


# --- parsing ----------------------------------------------------------------------------

@dataclass
class Entry:
    name: str
    comment: str = ""
    aliases: list[str] = field(default_factory=list)
    codes: list[tuple[str, str]] = field(default_factory=list)  # (code, date spec)


CODE_RE = re.compile(r"\[([A-Z]{3,15})\s*([^\]]*)\]")


def parse(text: str) -> list[Entry]:
    entries: list[Entry] = []
    cur: Entry | None = None
    for raw in text.splitlines():
        line, _, comment = raw.partition("#")
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("+") and cur is not None:
            alias = stripped[1:]
            alias, codes = _codes_off(alias)
            cur.aliases.append(alias)
            cur.codes.extend(codes)
        elif raw[:1] in (" ", "\t") or stripped.startswith("["):
            if cur is not None:
                cur.codes.extend((c, d.strip()) for c, d in CODE_RE.findall(stripped))
        else:
            name, codes = _codes_off(stripped)
            cur = Entry(name=name, comment=comment.strip(), codes=list(codes))
            entries.append(cur)
    return entries


def _codes_off(s: str) -> tuple[str, list[tuple[str, str]]]:
    codes = [(c, d.strip()) for c, d in CODE_RE.findall(s)]
    return CODE_RE.sub("", s).strip(), codes


def words(token: str) -> str:
    """TABARI name -> plain words: 'KURDISTAN_WORKERS'_PARTY_' -> "KURDISTAN WORKERS' PARTY"."""
    return re.sub(r"\s+", " ", token.replace("_", " ")).strip(" -")


def display(name: str) -> str:
    out = []
    for w in name.split():
        if "." in w and len(w) <= 4:  # initials "K."
            out.append(w.upper())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() if p else p for p in w.split("-")))
    # function words stay lower case as news copy writes them ("Liberation Tigers of Tamil Eelam")
    out = [w.lower() if i and w.lower() in SMALL_WORDS else w for i, w in enumerate(out)]
    s = " ".join(out)
    return re.sub(r"'S\b", "'s", s)


def parse_date(s: str) -> date | None:
    s = s.strip()
    try:
        if len(s) == 8:
            return date(int(s[:4]), int(s[4:6]), int(s[6:]))
        if len(s) == 6:
            yy = int(s[:2])
            return date((2000 if yy <= 14 else 1900) + yy, int(s[2:4]), int(s[4:]))
    except ValueError:
        return None
    return None


def parse_span(spec: str) -> tuple[date | None, date | None] | None:
    """'>860126' -> (1986-01-26, None); '620101-000101' -> range; '' -> (None, None); bad -> None."""
    spec = spec.strip()
    if not spec:
        return None, None
    if spec.startswith(">"):
        d = parse_date(spec[1:])
        return (d, None) if d else None
    if spec.startswith("<"):
        d = parse_date(spec[1:])
        return (None, d) if d else None
    if "-" in spec:
        a, _, b = spec.partition("-")
        da, db = parse_date(a), parse_date(b)
        return (da, db) if da and db else None
    return None


# --- codes ------------------------------------------------------------------------------

class Codes:
    def __init__(self, iso3: set[str], org_codes: set[str]) -> None:
        self.iso3 = iso3
        self.org_codes = org_codes

    def split(self, code: str) -> tuple[str | None, str | None]:
        """CAMEO code -> (country ISO3 or IGO code, sector)."""
        head, rest = code[:3], code[3:]
        chunks = [rest[i:i + 3] for i in range(0, len(rest), 3)]
        if head == "IGO":
            orgs = [c for c in chunks if c in self.org_codes]
            return (orgs[-1] if orgs else None), "IGO"
        sector = next((c for c in chunks if c in SECTORS), None)
        if head == "IMG":
            return None, sector or "REB"
        country = head if head in self.iso3 else CODE_MAP.get(head)
        return country, sector


# --- filters ----------------------------------------------------------------------------

def fold(s: str) -> str:
    return re.sub(r"[\s\-.]+", " ", s.lower().replace("’", "'")).strip()


class Filter:
    def __init__(self, kb_names: set[str], surnames: set[str], first_names: set[str], kb=None,
                 other_names: set[str] = frozenset(), name_tokens: set[str] = frozenset()) -> None:
        self.kb = kb
        self.other_names = other_names
        self.name_tokens = name_tokens
        self.kb_names = kb_names
        self.surnames = surnames
        self.first_names = first_names

    def reason(self, alias: str) -> str | None:
        letters = [c for c in alias if c.isalpha()]
        toks = alias.split()
        if len(letters) <= 2:
            return "short"
        if fold(alias) in self.kb_names:
            return "kb name"
        if len(toks) == 1:
            if fold(alias) in self.surnames:
                return "surname"
            if zipf_frequency(alias.lower(), "en") >= COMMON_ZIPF:
                return "common word"
            # (up to four letters: HAMAS and UNITA are names written in capitals, not acronyms)
            if alias.isupper() and len(letters) <= 4 and zipf_frequency(alias.lower(), "en") >= ACRONYM_ZIPF:
                return "common acronym"  # EPA, ISA, ANA, ELF: other things in ordinary news copy
            if alias.isupper() and len(letters) <= 4 and fold(alias) in self.other_names:
                return "acronym of another actor"  # PLA is China's army in the Countries dictionary
        if "ALIAS" in alias or alias.endswith(" OPERATIVES") or toks[0].rstrip(".") in ("MR", "MRS", "MS", "DR"):
            return "descriptive"
        if self.kb is not None and self.kb.office(alias.lower()) is not None:
            return "office title"  # "Secretary of State", "President Obama": titles are offices.yaml's
        return None

    def person_reason(self, name: str) -> str | None:
        """'Obama Speech', 'Washington-Based Think Tank': a common word no other name uses."""
        for t in re.split(r"[\s\-]+", name.lower()):
            if t and t not in self.name_tokens and zipf_frequency(t, "en") >= 4.5:
                return "not a name"
        return None

    def is_person(self, alias: str) -> bool:
        toks = [t.lower() for t in alias.split()]
        if not 2 <= len(toks) <= 4 or any(t.strip("()") in ORG_WORDS for t in toks):
            return False
        if "(" in alias or any(ch.isdigit() for ch in alias):
            return False
        return toks[0] in self.first_names or toks[0] in ("sheikh", "sheik", "abu", "mullah")


def acronym_in_parens(name: str) -> tuple[str, list[str]]:
    """'ADEN ABYAN ISLAMIC ARMY (AAIA)' -> ('ADEN ABYAN ISLAMIC ARMY', ['AAIA'])."""
    found = re.findall(r"\(([^)]*)\)", name)
    base = re.sub(r"\s*\([^)]*\)\s*", " ", name).strip()
    extra = [f for f in found if re.fullmatch(r"[A-Z0-9\-]{3,10}", f)]
    return base, extra


def name_country(name: str, places: dict[str, str]) -> str | None:
    """The one country a group's name names, by name or demonym, else None."""
    low = " " + re.sub(r"[()\-]", " ", name.lower()) + " "
    hits = {iso for word, iso in places.items() if f" {word} " in low}
    return hits.pop() if len(hits) == 1 else None


# --- building ---------------------------------------------------------------------------

def load_kb_tables():
    sys.path.insert(0, str(ROOT / "src"))
    from parley.kb import build_kb
    return build_kb()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", type=Path, default=Path("/work/.mirror/openeventdata+petrarch2/repo"))
    ap.add_argument("--out", type=Path, default=KB_DIR)
    args = ap.parse_args()
    if not (args.repo / "HEAD").exists() and not (args.repo / ".git").exists():
        print(f"error: {args.repo}: not a git repository", file=sys.stderr)
        return 2
    commit = git_head(args.repo)
    kb = load_kb_tables()
    iso3 = {c.iso3 for c in kb.countries}
    codes = Codes(iso3, {o.code for o in kb.organisations})
    kb_names = set()
    places: dict[str, str] = {}
    for c in kb.countries:
        for n in (c.name, *c.aliases, *c.demonyms):
            kb_names.add(fold(n))
            if len(n) > 3 and " " not in n.strip() or c.name == n:
                places[n.lower()] = c.iso3
        for n in (c.capital, *c.capital_aliases):
            if n:
                kb_names.add(fold(n))
    for m in kb.metonyms:
        kb_names.update(fold(n) for n in (m.name, *m.aliases))
    for o in kb.organisations:
        kb_names.update(fold(n) for n in (o.name, *o.aliases))
    holder_surnames = {fold(h.name.split()[-1]) for h in kb.officeholders}

    countries = parse(git_show(args.repo, "Phoenix.Countries.actors.txt"))
    mnsa = parse(git_show(args.repo, "Phoenix.MilNonState.actors.txt"))
    intl = parse(git_show(args.repo, "Phoenix.International.actors.txt"))

    # aliases the Countries dictionary gives a country block (FATAH under Palestine)
    country_block_alias: dict[str, str] = {}
    for e in countries:
        if len(e.codes) >= 1 and all(len(c) == 3 for c, _ in e.codes) and e.codes[0][0] in iso3:
            for a in e.aliases:
                country_block_alias.setdefault(fold(words(a)), e.codes[0][0])

    def is_country_block(e: Entry) -> bool:
        return bool(e.codes) and e.codes[0][1] == "" and (len(e.codes[0][0]) == 3 or fold(words(e.name)) in kb_names)

    def person_like(e: Entry) -> bool:
        toks = words(e.name).lower().split()
        return "CountryInfo" in e.comment or (2 <= len(toks) <= 5 and not any(t in ORG_WORDS for t in toks))

    first_names = {words(e.name).lower().split()[0] for e in countries if "CountryInfo" in e.comment and words(e.name)}
    first_names -= {"al", "al-", "el", "the", "de", "la", "le", "van", "von", "bin", "ibn", "ben"}  # particles, not names
    # acronyms other dictionaries use for other actors
    other_names = {fold(words(n)) for e in countries + intl for n in (e.name, *e.aliases)}
    # words used in two or more people's names are name words ("Brown", "Mark"), whatever their frequency
    counts: dict[str, int] = {}
    for e in countries:
        if "CountryInfo" in e.comment:
            for t in set(re.split(r"[\s\-]+", words(e.name).lower())):
                counts[t] = counts.get(t, 0) + 1
    name_tokens = {t for t, n in counts.items() if n >= 2}
    filt = Filter(kb_names, holder_surnames, first_names, kb, other_names, name_tokens)

    groups: dict[str, dict] = {}
    persons: list[dict] = []
    dropped: dict[str, int] = {}

    def add_group(e: Entry, source: str, armed: bool) -> None:
        if not e.codes:
            return
        code = e.codes[0][0]
        for c, d in e.codes:
            if d == "" or d.startswith(">"):
                code = c
        country, sector = codes.split(code)
        if code[:3] == "IGO":
            return  # IGOs are organisations.yaml's
        sector = sector or ("REB" if armed else None)
        name, extra = acronym_in_parens(words(e.name))
        alias_words = [words(a) for a in e.aliases]
        for n in [name, *alias_words]:
            bare = re.sub(r"^AL[- ]", "", n)
            if bare != n and fold(bare) in country_block_alias and bare not in alias_words:
                alias_words.append(bare)
        if country is None and code[:3] != "IMG":
            for n in [name, *alias_words]:
                country = name_country(acronym_in_parens(n)[0], places) or country_block_alias.get(fold(n))
                if country:
                    break
        all_names: list[str] = []
        for n in [name, *extra, *alias_words]:
            base, more = acronym_in_parens(n)
            for v in (base, *more):
                if v and v not in all_names:
                    all_names.append(v)
        kept = []
        for n in all_names:
            if filt.is_person(n):
                if country is None:
                    continue  # a leader of an international group: no country to give
                persons.append({"name": display(n), "aliases": "", "roles": f"{country or '-'} {sector or '-'} - -",
                                "source": source})
                continue
            why = filt.reason(n)
            if why:
                dropped[why] = dropped.get(why, 0) + 1
                continue
            kept.append(n)
        if not kept:
            return
        primary = kept[0]  # the entry's own name when it survived the filter
        key = fold(primary)
        if key in groups:
            return
        groups[key] = {"name": primary, "aliases": [k for k in kept if k != primary], "country": country or "",
                       "sector": sector or "", "cameo": code, "source": source}

    def add_person(e: Entry, source: str) -> None:
        roles = []
        for c, d in e.codes:
            span = parse_span(d)
            if span is None:
                continue
            country, sector = codes.split(c)
            if country is None:
                continue
            a, b = span
            roles.append(f"{country} {sector or '-'} {a.isoformat() if a else '-'} {b.isoformat() if b else '-'}")
        if not roles:
            return
        name = words(e.name)
        if len(name.split()) < 2 or ("CountryInfo" not in e.comment and filt.person_reason(name)):
            return  # CountryInfo's own names are people (Robin Cook, Clare Short); other entries may not be
        aliases = [words(a) for a in e.aliases]
        aliases = [a for a in aliases if len(a.split()) >= 2 and a != name and not filt.reason(a)
                   and not filt.person_reason(a)]
        persons.append({"name": display(name), "aliases": "|".join(dict.fromkeys(display(a) for a in aliases)),
                        "roles": "|".join(dict.fromkeys(roles)), "source": source})

    src_m = f"petrarch2@{commit}:Phoenix.MilNonState.actors.txt"
    src_c = f"petrarch2@{commit}:Phoenix.Countries.actors.txt"
    src_i = f"petrarch2@{commit}:Phoenix.International.actors.txt"
    for e in mnsa:
        if person_like(e) and not any(t in ORG_WORDS for t in words(e.name).lower().split()) \
                and words(e.name).lower().split()[0] in first_names:
            add_person(e, src_m)  # leaders listed as entries of their own (OSAMA BIN LADEN)
        else:
            add_group(e, src_m, armed=True)
    for e in countries:
        if is_country_block(e):
            continue
        toks = words(e.name).lower().split()
        sector = codes.split(e.codes[0][0])[1] if e.codes else None
        org = any(t in ORG_WORDS for t in toks)
        if "CountryInfo" in e.comment or (person_like(e) and not org and not (sector in ("REB", "OPP", "PTY") and len(toks) < 2)):
            if sector not in ("REB", "OPP", "PTY") or toks[0] in first_names:
                add_person(e, src_c)
                continue
        if sector in NON_STATE:  # parties, opposition and armed groups; state bodies are the KB's
            add_group(e, src_c, armed=False)
    for e in intl:
        if not e.codes:
            continue
        head = e.codes[0][0][:3]
        if head == "IMG":
            add_group(e, src_i, armed=True)
        elif head == "IGO" and "CountryInfo" not in e.comment and person_like(e) \
                and words(e.name).lower().split()[0] in first_names:
            add_person(e, src_i)

    # an alias shared by two groups names neither
    owners: dict[str, set[str]] = {}
    for key, g in groups.items():
        for n in [g["name"], *g["aliases"]]:
            owners.setdefault(fold(n), set()).add(key)
    for key, g in groups.items():
        g["aliases"] = [a for a in g["aliases"] if len(owners[fold(a)]) == 1]

    out_g = args.out / "groups.csv"
    with open(out_g, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name", "aliases", "country", "sector", "cameo", "source"])
        for g in sorted(groups.values(), key=lambda g: g["name"]):
            w.writerow([_case(g["name"]), "|".join(_case(a) for a in g["aliases"]), g["country"], g["sector"],
                        g["cameo"], g["source"]])
    out_p = args.out / "persons.csv"
    seen = set()
    with open(out_p, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name", "aliases", "roles", "source"])
        for p in sorted(persons, key=lambda p: p["name"]):
            k = (p["name"], p["roles"])
            if k in seen:
                continue
            seen.add(k)
            w.writerow([p["name"], p["aliases"], p["roles"], p["source"]])
    print(f"{out_g}: {len(groups)} groups; {out_p}: {len(seen)} persons; aliases dropped: {dropped}")
    return 0


def _case(alias: str) -> str:
    """One-word names: acronyms stay in capitals ("PKK", "LTTE", "UNITA"), names used as words in
    English text are title-cased ("Hamas", "Taliban"); longer names are title-cased."""
    if " " not in alias and "-" not in alias:
        letters = sum(c.isalpha() for c in alias)
        if letters <= 4 or zipf_frequency(alias.lower(), "en") < 2.5 or not re.search(r"[AEIOU]", alias):
            return alias
    return display(alias)


if __name__ == "__main__":
    sys.exit(main())
