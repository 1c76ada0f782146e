"""parley's knowledge base: countries, organisations, metonyms, offices and
office-holders, read from the data files beside this module.

The data are files (see ``SOURCES.md``); this module only reads and indexes
them.  Everything is built once per process (:func:`load_kb` is cached) and
nothing here imports spaCy or touches the network.

Matching rules, shared by every look-up:

* case, diacritics, curly apostrophes, full stops and hyphens are ignored, and
  a leading "the" is dropped, so "the Élysée", "Elysee" and "ELYSEE" agree;
* acronyms and codes (an alias written in capitals without spaces: "US",
  "U.K.", "WHO", "NATO", an ISO code) match only as written, so the words
  "us", "who" and "can" never resolve to a country or an organisation.  An
  acronym of four letters or more also matches in title case ("Nato", "Opec").
"""
from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Optional, Union

import yaml

KB_DIR = Path(__file__).resolve().parent
OFFICEHOLDERS_CSV = KB_DIR / "officeholders.csv"

__all__ = [
    "Country", "Organisation", "Metonym", "Office", "OfficeHolder", "Group", "Person", "Role", "KB",
    "load_kb", "build_kb", "load_officeholders", "load_groups", "load_persons", "normalize", "KB_DIR",
]


# --------------------------------------------------------------------------
# records
# --------------------------------------------------------------------------

def _covers(start: Optional[date], end: Optional[date], on: date) -> bool:
    """``on`` lies within [start, end], both ends inclusive, an open end being open."""
    return (start is None or start <= on) and (end is None or on <= end)


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    name: str
    aliases: tuple[str, ...]
    capital: str
    capital_aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    lat: Optional[float]
    lon: Optional[float]
    un_status: str                      # member | observer | other


@dataclass(frozen=True)
class Organisation:
    code: str                           # CAMEO organisation code (PLOVER codes NATO, EUR, UNO; else CAMEO or acronym) or acronym
    name: str
    aliases: tuple[str, ...]
    sector: str                         # IGO | NGO
    members: tuple[str, ...] = ()       # ISO3, where listed
    cameo: Optional[str] = None         # full CAMEO actor code, e.g. IGOWSTNAT
    parent: Optional[str] = None        # code of the parent body (EU institutions -> EUR)


@dataclass(frozen=True)
class Metonym:
    name: str
    country: str
    sector: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Office:
    title: str
    office_class: str
    sector: str


@dataclass(frozen=True)
class OfficeHolder:
    name: str
    aliases: tuple[str, ...]
    country: str
    office: str
    office_class: str
    sector: str
    start: Optional[date]
    end: Optional[date]
    wikidata: Optional[str]
    source: str

    def in_office(self, on: date) -> bool:
        """True if this term covers ``on`` (both ends inclusive; open ends are open)."""
        return _covers(self.start, self.end, on)


@dataclass(frozen=True)
class Group:
    """A non-state group or party (groups.csv, from PETRARCH2's Phoenix dictionaries)."""
    name: str
    aliases: tuple[str, ...]
    country: Optional[str]              # ISO3, or None for international and region-coded groups
    sector: str                         # CAMEO sector: REB, OPP, PTY ...
    cameo: str
    source: str


@dataclass(frozen=True)
class Role:
    country: str                        # ISO3 or organisation code (UNO)
    sector: Optional[str]
    start: Optional[date]
    end: Optional[date]

    def covers(self, on: date) -> bool:
        return _covers(self.start, self.end, on)


@dataclass(frozen=True)
class Person:
    """A person of the past with dated roles (persons.csv), used when no office-holder matches."""
    name: str
    aliases: tuple[str, ...]
    roles: tuple[Role, ...]
    source: str


# --------------------------------------------------------------------------
# normalisation
# --------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_DASHES = re.compile(r"[\-\u2010\u2011\u2012\u2013\u2014\u2212]+")
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in text if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)  # the extractors ask for the same few names many times per article
def normalize(text: str, *, drop_the: bool = True) -> str:
    """Key used by every case-insensitive index: folded, lower-case, no full
    stops, hyphens and commas as spaces, single spaces, no leading "the"."""
    if not text:
        return ""
    s = _fold(text).casefold()
    s = s.replace(".", " ") if re.search(r"\w\.\w", s) is None else s.replace(".", "")
    s = _DASHES.sub(" ", s).replace(",", " ")
    s = _SPACES.sub(" ", s).strip(" ;:")
    if drop_the and s.startswith("the "):
        s = s[4:]
    return s


def _is_acronym(alias: str) -> bool:
    """Written in capitals, no spaces: matched case-sensitively."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and " " not in alias.strip() and all(c.isupper() for c in letters)


def _acronym_keys(alias: str) -> list[str]:
    a = alias.strip()
    keys = [a]
    bare = a.replace(".", "")
    if bare != a:
        keys.append(bare)
    letters = [c for c in bare if c.isalpha()]
    if len(letters) >= 4 and bare.isalpha():
        keys.append(bare.capitalize())          # Guardian style: Nato, Opec, Asean
    return keys


class _NameIndex:
    """Maps names to objects; first registration of a key wins."""

    def __init__(self) -> None:
        self.exact: dict[str, object] = {}
        self.folded: dict[str, object] = {}

    def add(self, alias: Optional[str], obj: object, *, acronym: Optional[bool] = None) -> None:
        if not alias or not alias.strip():
            return
        alias = alias.strip()
        if alias.lower().startswith("the ") and _is_acronym(alias[4:]):
            alias = alias[4:].strip()           # "the UN" is the acronym "UN"
        if acronym is None:
            acronym = _is_acronym(alias)
        if acronym:
            for k in _acronym_keys(alias):
                self.exact.setdefault(k, obj)
        else:
            self.folded.setdefault(normalize(alias), obj)

    def get(self, text: Optional[str]):
        if not text:
            return None
        t = text.strip()
        if t in self.exact:
            return self.exact[t]
        if t.lower().startswith("the ") and t[4:].strip() in self.exact:
            return self.exact[t[4:].strip()]
        return self.folded.get(normalize(t))


# --------------------------------------------------------------------------
# readers
# --------------------------------------------------------------------------

def _split(cell: Optional[str]) -> tuple[str, ...]:
    if not cell:
        return ()
    return tuple(p.strip() for p in cell.split("|") if p.strip())


def _float(cell: Optional[str]) -> Optional[float]:
    try:
        return float(cell) if cell not in (None, "") else None
    except ValueError:
        return None


def _parse_date(cell: Optional[str], *, end: bool = False) -> Optional[date]:
    """ISO date; a bare year or year-month is widened to the whole period."""
    if not cell or not cell.strip():
        return None
    s = cell.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:T.*)?", s)
    if not m:
        return None
    y = int(m.group(1))
    if m.group(3):
        return date(y, int(m.group(2)), int(m.group(3)))
    if m.group(2):
        mo = int(m.group(2))
        if not end:
            return date(y, mo, 1)
        nxt = date(y + (mo == 12), mo % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(y, 12, 31) if end else date(y, 1, 1)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _read_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def load_countries(path: Path = KB_DIR / "countries.csv") -> list[Country]:
    out = []
    for r in _read_csv(path):
        out.append(Country(
            iso3=r["iso3"], iso2=r["iso2"], name=r["name"], aliases=_split(r.get("aliases")),
            capital=r.get("capital") or "", capital_aliases=_split(r.get("capital_aliases")),
            demonyms=_split(r.get("demonyms")), lat=_float(r.get("lat")), lon=_float(r.get("lon")),
            un_status=r.get("un_status") or "other",
        ))
    return out


def load_organisations(path: Path = KB_DIR / "organisations.yaml") -> list[Organisation]:
    out = []
    for o in _read_yaml(path).get("organisations", []):
        out.append(Organisation(
            code=str(o["code"]), name=o["name"], aliases=tuple(o.get("aliases") or ()),
            sector=o.get("sector", "IGO"), members=tuple(o.get("members") or ()),
            cameo=o.get("cameo"), parent=o.get("parent"),
        ))
    return out


def load_metonyms(path: Path = KB_DIR / "metonyms.yaml") -> list[Metonym]:
    return [Metonym(name=m["name"], country=m["country"], sector=m["sector"],
                    aliases=tuple(m.get("aliases") or ()))
            for m in _read_yaml(path).get("metonyms", [])]


def load_offices(path: Path = KB_DIR / "offices.yaml") -> tuple[list[Office], tuple[str, ...], frozenset[str]]:
    data = _read_yaml(path)
    offices = [Office(title=normalize(o["title"], drop_the=False), office_class=o["office_class"],
                      sector=o["sector"]) for o in data.get("offices", [])]
    generic = tuple(normalize(w, drop_the=False) for w in data.get("generic_leader_words", []))
    hog_leads = frozenset(data.get("leader_is_head_of_government", []) or [])
    return offices, generic, hog_leads


def load_officeholders(path: Union[str, Path, None] = None) -> list[OfficeHolder]:
    """Read an officeholders CSV (name,aliases,country,office,office_class,sector,
    start,end,wikidata,source).  A missing file gives an empty list."""
    p = Path(path) if path is not None else OFFICEHOLDERS_CSV
    if not p.is_file():
        return []
    out = []
    for r in _read_csv(p):
        name = (r.get("name") or "").strip()
        if not name:
            continue
        out.append(OfficeHolder(
            name=name, aliases=_split(r.get("aliases")), country=(r.get("country") or "").strip(),
            office=(r.get("office") or "").strip(), office_class=(r.get("office_class") or "").strip(),
            sector=(r.get("sector") or "").strip(), start=_parse_date(r.get("start")),
            end=_parse_date(r.get("end"), end=True), wikidata=(r.get("wikidata") or "").strip() or None,
            source=(r.get("source") or "").strip(),
        ))
    return out


def load_groups(path: Union[str, Path]) -> list[Group]:
    """Read groups.csv (name,aliases,country,sector,cameo,source).  A missing file gives []."""
    p = Path(path)
    if not p.is_file():
        return []
    return [Group(name=r["name"], aliases=_split(r.get("aliases")), country=(r.get("country") or "").strip() or None,
                  sector=(r.get("sector") or "").strip() or "REB", cameo=r.get("cameo") or "", source=r.get("source") or "")
            for r in _read_csv(p) if (r.get("name") or "").strip()]


def _role(text: str, where: str) -> Role:
    parts = text.split()
    if len(parts) != 4:
        raise ValueError(f"{where}: role {text!r} is not 'COUNTRY SECTOR START END'")
    country, sector, start, end = (None if x == "-" else x for x in parts)
    if country is None:
        raise ValueError(f"{where}: role {text!r} has no country")
    return Role(country=country, sector=sector, start=_parse_date(start) if start else None,
                end=_parse_date(end, end=True) if end else None)


def load_persons(path: Union[str, Path]) -> list[Person]:
    """Read persons.csv (name,aliases,roles,source); roles are ``|``-separated
    ``COUNTRY SECTOR START END`` with ``-`` for none.  A missing file gives []."""
    p = Path(path)
    if not p.is_file():
        return []
    out = []
    for n, r in enumerate(_read_csv(p), start=2):
        name = (r.get("name") or "").strip()
        if not name:
            continue
        roles = tuple(_role(x, f"{p.name} line {n}") for x in _split(r.get("roles")))
        out.append(Person(name=name, aliases=_split(r.get("aliases")), roles=roles, source=r.get("source") or ""))
    return out


def _pick_role(roles: list[Role], on: Optional[date]) -> Optional[Role]:
    """The role at ``on`` (the latest-starting one covering it); with no date or none covering
    it, the most recent role.  Roles in two countries at once (or, undated, at all) give None."""
    def recency(r: Role):
        return ((r.end or _MAX_DATE).toordinal(), (r.start or date.min).toordinal(), r.start is not None)
    if on is not None:
        covering = [r for r in roles if r.covers(on) and (r.start or r.end)]
        if covering:
            best = max(covering, key=lambda r: (r.start or date.min))
            return best if len({r.country for r in covering}) == 1 else None
    if len({r.country for r in roles}) != 1:
        return None
    dated = [r for r in roles if r.start or r.end]
    return max(dated or roles, key=recency)


# --------------------------------------------------------------------------
# the knowledge base
# --------------------------------------------------------------------------

_NAME_PARTICLES = {"al", "el", "bin", "ibn", "ben", "bint", "abu", "de", "da", "do", "dos", "du", "del", "van",
                   "von", "der", "la", "le", "di", "y", "mac", "ould"}
_FAMILY_NAME_FIRST = {"CHN", "TWN", "HKG", "MAC", "PRK", "KOR"}
_STATUS_RANK = {"member": 0, "observer": 1, "other": 2}
_MAX_DATE = date.max


def _name_tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s,]+", normalize(name, drop_the=False)) if t]


# words wire copy adds after a group's own name; the name alone is what the lists hold
_GENERIC_GROUP_WORDS = {"party", "movement", "faction", "group", "organisation", "organization", "militia"}


class KB:
    """Indexes over the KB files.  Build with :func:`load_kb` (cached) or
    :func:`build_kb` (for instance with a test officeholders file)."""

    def __init__(self, countries: list[Country], organisations: list[Organisation],
                 metonyms: list[Metonym], offices: list[Office], officeholders: list[OfficeHolder],
                 generic_leader_words: Iterable[str] = (),
                 leader_is_head_of_government: Iterable[str] = (),
                 groups: Iterable[Group] = (), persons_csv: Union[str, Path, None] = None) -> None:
        self.countries = countries
        self._names_by_initial: Optional[dict[str, list[str]]] = None
        self.organisations = organisations
        self.metonyms = metonyms
        self.offices = offices
        self.officeholders = officeholders
        self.generic_leader_words = tuple(generic_leader_words)
        self.leader_is_head_of_government = frozenset(leader_is_head_of_government)

        ordered = sorted(countries, key=lambda c: _STATUS_RANK.get(c.un_status, 3))
        self._by_iso3 = {c.iso3: c for c in countries}
        self._country = _NameIndex()
        self._demonym = _NameIndex()
        self._capital = _NameIndex()
        for c in ordered:
            self._country.add(c.iso3, c, acronym=True)
            self._country.add(c.iso2, c, acronym=True)
        for c in ordered:
            self._country.add(c.name, c, acronym=False)
        for c in ordered:
            for a in c.aliases:
                self._country.add(a, c)
            for d in c.demonyms:
                self._demonym.add(d, c)
            if c.capital:
                self._capital.add(c.capital, c, acronym=False)
            for a in c.capital_aliases:
                self._capital.add(a, c, acronym=False)

        self._org = _NameIndex()
        for o in organisations:
            self._org.add(o.name, o, acronym=_is_acronym(o.name))
        for o in organisations:
            for a in o.aliases:
                self._org.add(a, o)

        self._metonym = _NameIndex()
        for m in metonyms:
            self._metonym.add(m.name, m, acronym=False)
            for a in m.aliases:
                self._metonym.add(a, m)

        self.groups = list(groups)
        self._group = _NameIndex()
        for g in self.groups:
            for a in (g.name, *g.aliases):
                self._group.add(a, g)
        self._persons_csv = Path(persons_csv) if persons_csv is not None else None
        self._person_index: Optional[dict[str, list[Person]]] = None

        self._office = {o.title: o for o in offices}
        for w in self.generic_leader_words:
            self._office.setdefault(w, Office(title=w, office_class="leader", sector="GOV"))
        self._office_max_tokens = max((len(t.split()) for t in self._office), default=1)

        self._holder_full: dict[str, list[OfficeHolder]] = {}
        self._holder_part: dict[str, list[OfficeHolder]] = {}
        for h in officeholders:
            for variant in (h.name, *h.aliases):
                toks = _name_tokens(variant)
                if not toks:
                    continue
                self._holder_full.setdefault(" ".join(toks), []).append(h)
                # surname: every proper suffix of the name ("von der leyen", "leyen")
                for i in range(1, len(toks)):
                    self._holder_part.setdefault(" ".join(toks[i:]), []).append(h)
                if h.country in _FAMILY_NAME_FIRST and len(toks) > 1:
                    self._holder_part.setdefault(toks[0], []).append(h)

    # -- countries ---------------------------------------------------------
    def country(self, text: Optional[str]) -> Optional[Country]:
        """By name, alias, ISO2 or ISO3 ("Russia", "the United States", "Türkiye", "US", "DEU")."""
        return self._country.get(text)

    def country_misspelt(self, text: Optional[str]) -> Optional[Country]:
        """A country name with one slip of the keyboard ("Ethopia", "Quatar"): the one close name,
        by difflib's ratio (>= 0.9, same first letter), or None when two are close."""
        word = (text or "").strip()
        if len(word) < 5 or not word[:1].isupper():
            return None
        if self._names_by_initial is None:
            self._names_by_initial = {}
            for c in self.countries:
                for name in {c.name, *c.aliases}:
                    if name and len(name) >= 5:
                        self._names_by_initial.setdefault(name[0], []).append(name)
        close = difflib.get_close_matches(word, self._names_by_initial.get(word[0], []), n=3, cutoff=0.9)
        hits = {self.country(name).iso3: self.country(name) for name in close if self.country(name)}
        return next(iter(hits.values())) if len(hits) == 1 else None

    def country_by_code(self, iso3: str) -> Optional[Country]:
        return self._by_iso3.get((iso3 or "").upper())

    def country_by_demonym(self, text: Optional[str]) -> Optional[Country]:
        """"Ukrainian" -> UKR, "US" -> USA; plural nouns too ("Ukrainians")."""
        hit = self._demonym.get(text)
        if hit is None and text and len(text) > 3 and text.rstrip().endswith("s"):
            hit = self._demonym.get(text.rstrip()[:-1])
        return hit

    def country_by_capital(self, text: Optional[str]) -> Optional[Country]:
        """"Moscow" -> RUS, "Kiev"/"Kyiv" -> UKR, "Washington" -> USA."""
        return self._capital.get(text)

    # -- organisations, metonyms --------------------------------------------
    def organisation(self, text: Optional[str]) -> Optional[Organisation]:
        return self._org.get(text)

    def organisation_by_code(self, code: str) -> Optional[Organisation]:
        """The main body filed under a code ("NATO", "EUR" -> European Union)."""
        return next((o for o in self.organisations if o.code == code), None)

    def metonym(self, text: Optional[str]) -> Optional[Metonym]:
        """"the Kremlin"/"Kremlin" -> RUS GOV; "the Pentagon" -> USA MIL."""
        return self._metonym.get(text)

    def group(self, text: Optional[str]) -> Optional[Group]:
        """A non-state group or party by name or alias ("Hamas", "the PKK", "Tamil Tigers"), also
        with a generic word after it ("the Fatah Party", "the Hamas movement")."""
        found = self._group.get(text)
        words = (text or "").split()
        if found is None and len(words) > 1 and words[-1].lower() in _GENERIC_GROUP_WORDS:
            found = self._group.get(" ".join(words[:-1]))
        return found

    # -- persons of the past --------------------------------------------------
    def _persons(self) -> dict[str, list[Person]]:
        if self._person_index is None:  # 18,000 rows: read on first use, not at start-up
            index: dict[str, list[Person]] = {}
            short: dict[str, list[Person]] = {}  # "carlos menem" for "Carlos Saul Menem"
            for p in load_persons(self._persons_csv) if self._persons_csv else []:
                for variant in (p.name, *p.aliases):
                    toks = _name_tokens(variant)
                    if len(toks) > 1 and p not in index.setdefault(" ".join(toks), []):
                        index[" ".join(toks)].append(p)
                    if len(toks) == 3 and toks[1] not in _NAME_PARTICLES and p not in short.setdefault(toks[0] + " " + toks[2], []):
                        short[toks[0] + " " + toks[2]].append(p)
            for key, people in short.items():
                index.setdefault(key, people)  # a full name written in full wins over a shortened one
            self._person_index = index
        return self._person_index

    def person(self, name: Optional[str], on: Optional[date] = None) -> Optional[tuple[Person, Role]]:
        """A person of persons.csv by full name, listed alias or a three-word name without its
        middle name ("Carlos Menem" for Carlos Saul Menem), never a bare surname, and the
        role that gives their country and sector at ``on`` (see :func:`_pick_role`); None when
        the name is unknown or the roles do not settle one country."""
        key = " ".join(_name_tokens(name or ""))
        if len(key.split()) < 2:
            return None
        people = self._persons().get(key, [])
        if not people:
            return None
        role = _pick_role([r for p in people for r in p.roles], on)
        if role is None:
            return None
        owner = next(p for p in people if role in p.roles)
        return owner, role

    # -- offices ------------------------------------------------------------
    def office(self, title: Optional[str]) -> Optional[Office]:
        """The longest known title found, as whole words, in ``title``
        ("Russian Deputy Foreign Minister" -> "deputy foreign minister")."""
        if not title:
            return None
        toks = [t.strip("'\"()[]") for t in normalize(title, drop_the=False).split()]
        toks = [t[:-2] if t.endswith("'s") else t for t in toks if t]
        best: Optional[Office] = None
        n = len(toks)
        for i in range(n):
            for j in range(min(n, i + self._office_max_tokens), i, -1):
                hit = self._office.get(" ".join(toks[i:j]))
                if hit is not None:
                    if best is None or len(hit.title) > len(best.title):
                        best = hit
                    break
        return best

    def is_generic_leader(self, text: Optional[str]) -> bool:
        return normalize(text or "", drop_the=False) in self.generic_leader_words

    # -- office-holders -----------------------------------------------------
    def holders(self, name: Optional[str], on: Optional[date] = None) -> list[OfficeHolder]:
        """Office-holders matching a full name, an alias or a surname.

        Full-name and alias matches come before surname-only matches; within
        each, terms covering ``on`` come first, then the most recent.
        """
        key = " ".join(_name_tokens(name or ""))
        if not key:
            return []
        full = self._holder_full.get(key, [])
        part = [h for h in self._holder_part.get(key, []) if h not in full]

        def order(hs: list[OfficeHolder]) -> list[OfficeHolder]:
            seen: list[OfficeHolder] = []
            for h in hs:
                if h not in seen:
                    seen.append(h)

            def k(h: OfficeHolder):
                current = on is not None and h.in_office(on)
                return (0 if current else 1, -(h.end or _MAX_DATE).toordinal(),
                        -(h.start or date.min).toordinal())
            return sorted(seen, key=k)

        return order(full) + order(part)

    def holder_of(self, country: str, office_class: str, on: date) -> Optional[OfficeHolder]:
        """Who held ``office_class`` for ``country`` (ISO3 or organisation code) on ``on``.

        ``office_class="leader"`` means the head of government where the
        government leads (the countries listed under
        ``leader_is_head_of_government`` in offices.yaml), else the head of state.
        """
        c = (country or "").upper()
        if office_class == "leader":
            explicit = self._holder_on(c, "leader", on)
            if explicit is not None:
                return explicit
            first, second = (("head_of_government", "head_of_state")
                             if c in self.leader_is_head_of_government
                             else ("head_of_state", "head_of_government"))
            return self._holder_on(c, first, on) or self._holder_on(c, second, on)
        return self._holder_on(c, office_class, on)

    def _holder_on(self, country: str, office_class: str, on: date) -> Optional[OfficeHolder]:
        hits = [h for h in self.officeholders
                if h.country.upper() == country and h.office_class == office_class and h.in_office(on)]
        if not hits:
            return None
        return max(hits, key=lambda h: ((h.start or date.min).toordinal(), h.end is None))


def build_kb(officeholders_csv: Union[str, Path, None] = None, kb_dir: Union[str, Path, None] = None) -> KB:
    """Read the KB files afresh (uncached)."""
    d = Path(kb_dir) if kb_dir is not None else KB_DIR
    offices, generic, hog_leads = load_offices(d / "offices.yaml")
    holders_path = officeholders_csv if officeholders_csv is not None else d / "officeholders.csv"
    return KB(
        countries=load_countries(d / "countries.csv"),
        organisations=load_organisations(d / "organisations.yaml"),
        metonyms=load_metonyms(d / "metonyms.yaml"),
        offices=offices,
        officeholders=load_officeholders(holders_path),
        generic_leader_words=generic,
        leader_is_head_of_government=hog_leads,
        groups=load_groups(d / "groups.csv"),
        persons_csv=d / "persons.csv",
    )


@functools.lru_cache(maxsize=1)
def load_kb() -> KB:
    """The process-wide KB, built once."""
    return build_kb()
