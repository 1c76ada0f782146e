"""Merge what many articles report: one event, actor or document, however many sources.

Pure functions over Records and plain rows: no SQL here (``store`` persists the output).

- Actors become entities (:func:`entity_key`): by Wikidata QID, states by country code, else by
  normalised name and country. The key depends on the actor alone, so it never changes later.
- Events (:func:`merge_events`) fall into *groups* of the same participants (entity keys, sides
  ignored). Within a group, events of the same type, sides (unless the type is symmetric),
  planned and negated flags, dated on one main day or within a day of it (:func:`main_days`),
  with compatible modes and places, make one merged event. A planned event is linked to the
  event that later took place.
- Documents (:func:`merge_documents`) are joined when a name or alias matches, and their status
  reports put in order as a timeline.

Every result is a function of the *set* of inputs (sorted, counted, never first-come), so the
order of ingestion cannot change it; the events near new reports recomputed from all their
members, and the plans near them linked again, give what merging everything at once gives
(incremental).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Mapping, Optional, Sequence

import yaml

from .record import Record

__all__ = [
    "EventRow", "MergedEvent", "ActorRow", "Entity", "DocumentRow", "MergedDocument", "MergeResult",
    "normalise", "entity_key", "group_key", "report_time", "event_rows", "actor_rows", "document_rows",
    "merge_events", "merge_entities", "merge_documents", "document_names", "merge_records", "rules",
    "plan_dates", "plans_realised_by", "main_days", "mode_value", "linked", "report_order", "realised_as", "entity_of", "ENTITY_FIELDS",
]


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    """The merge rules (merge.yaml beside this module)."""
    text = resources.files("parley").joinpath("merge.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["symmetric_types"] = frozenset(data.get("symmetric_types") or ())
    data["future_types"] = {k: frozenset(v) for k, v in (data.get("future_types") or {}).items()}
    data["document_stopwords"] = frozenset(data.get("document_stopwords") or ())
    return data


# --------------------------------------------------------------------------- keys


_NON_WORD = re.compile(r"[^\w]+")


def normalise(name: Optional[str]) -> str:
    """Case, accents and punctuation folded: 'Zelenskyy’s  Office' -> 'zelenskyy s office'."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text.casefold()).replace("_", " ").split())


def _get(obj: Any, name: str, default=None):
    return obj.get(name, default) if isinstance(obj, Mapping) else getattr(obj, name, default)


def entity_key(actor: Any) -> str:
    """The entity an actor (an :class:`~parley.record.Actor` or a mapping) stands for.

    ``wd:Q3874799`` for a Wikidata QID; ``state:UKR`` for a state; else
    ``name:<normalised name>|<country>``.
    """
    qid = _get(actor, "wikidata")
    if qid:
        return f"wd:{qid}"
    country = _get(actor, "country")
    if _get(actor, "kind") == "state" and country:
        return f"state:{country}"
    return f"name:{normalise(_get(actor, 'name'))}|{country or ''}"


def group_key(actor_keys: Iterable[str], recipient_keys: Iterable[str], event_id: str) -> str:
    """The participants of an event, sides ignored: events that may merge share it.

    An event with no known participant is a group of its own (it never merges).
    """
    parts = sorted(set(actor_keys) | set(recipient_keys))
    if not parts:
        return "solo:" + hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:20]
    return "g:" + hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:20]


def report_time(published: Any) -> Optional[datetime]:
    """A publication time as naive UTC, for ordering reports (naive times are taken as UTC)."""
    if published is None or published == "":
        return None
    if isinstance(published, datetime):
        dt = published
    elif isinstance(published, date):
        dt = datetime(published.year, published.month, published.day)
    else:
        try:
            dt = datetime.fromisoformat(str(published).replace("Z", "+00:00"))
        except ValueError:
            return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


def _as_date(value: Any) -> Optional[date]:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def mode_value(counter: Counter) -> Any:
    """The most frequent value; ties go to the smallest, so the choice never depends on order."""
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counter else None


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class EventRow:
    """What merging needs of one stored event."""

    id: str
    article_id: str
    event: str
    actors: tuple[str, ...]  # entity keys
    recipients: tuple[str, ...]
    mode: Optional[str] = None
    date: Optional[date] = None
    planned: bool = False
    negated: bool = False
    place: Optional[str] = None
    place_country: Optional[str] = None
    published: Optional[datetime] = None  # the article's publication time (naive UTC)

    @property
    def group(self) -> str:
        return group_key(self.actors, self.recipients, self.id)


@dataclass
class MergedEvent:
    """One real-world event and every report of it."""

    id: str
    group_key: str
    event: str
    mode: Optional[str]
    planned: bool
    negated: bool
    date: Optional[date]
    date_min: Optional[date]
    date_max: Optional[date]
    place: Optional[str]
    place_country: Optional[str]
    actors: list[str]  # entity keys
    recipients: list[str]
    events: list[str]  # member event ids, sorted
    articles: list[str]  # source article ids, sorted
    first_report: Optional[datetime]
    last_report: Optional[datetime]
    realised_by: Optional[str] = None  # for a planned event: the merged event that took place
    planned_as: list[str] = field(default_factory=list)  # for an event that took place: its plans

    @property
    def n_sources(self) -> int:
        return len(self.articles)


def event_rows(record: Record) -> list[EventRow]:
    """The EventRows of one record (entity keys resolved through its actors)."""
    keys = {a.id: entity_key(a) for a in record.actors}
    published = report_time(record.article.published)
    rows = []
    for e in record.events:
        loc = e.location
        rows.append(EventRow(
            id=e.id, article_id=record.article.id, event=e.event, mode=e.mode,
            actors=tuple(dict.fromkeys(keys[i] for i in e.actor if i in keys)),
            recipients=tuple(dict.fromkeys(keys[i] for i in e.recipient if i in keys)),
            date=_as_date(e.date), planned=bool(e.planned), negated=bool(e.negated),
            place=loc.name if loc else None, place_country=loc.country if loc else None,
            published=published))
    return rows


def _sides(row: EventRow) -> tuple:
    if row.event in rules()["symmetric_types"]:
        return (tuple(sorted(set(row.actors) | set(row.recipients))),)
    return (tuple(sorted(set(row.actors))), tuple(sorted(set(row.recipients))))


def _split(members: list[EventRow], attr) -> list[list[EventRow]]:
    """Split by the non-null values of ``attr``; rows without one join the largest part."""
    values = Counter(attr(r) for r in members if attr(r) is not None)
    if len(values) <= 1:
        return [members]
    home = mode_value(values)
    parts: dict[Any, list[EventRow]] = defaultdict(list)
    for r in members:
        v = attr(r)
        parts[home if v is None else v].append(r)
    return [parts[v] for v in sorted(parts)]


def _place_of(row: EventRow) -> Optional[str]:
    # places are compatible when they lie in one country ("Miami" and "Florida")
    return row.place_country or (normalise(row.place) or None)


def _clusters(rows: list[EventRow], window: int) -> list[list[EventRow]]:
    by_kind: dict[tuple, list[EventRow]] = defaultdict(list)
    for r in rows:
        by_kind[(r.event, _sides(r), r.planned, r.negated)].append(r)
    out: list[list[EventRow]] = []
    for members in by_kind.values():
        days: dict[date, list[EventRow]] = defaultdict(list)
        for r in members:
            if r.date:
                days[r.date].append(r)
        by_peak: dict[date, list[EventRow]] = defaultdict(list)
        for day, peak in main_days({d: len({r.article_id for r in rs}) for d, rs in days.items()}, window).items():
            by_peak[peak].extend(days[day])
        for peak in sorted(by_peak):
            out.extend(_facets(sorted(by_peak[peak], key=lambda r: (r.date, r.id))))
        out.extend([r] for r in members if not r.date)  # no date: nothing to match it on
    return out


def main_days(reports: Mapping[date, int], window: int) -> dict[date, date]:
    """Each day's main day: the day of the event its reports are of. A day with at least as many
    reports as every day within ``window`` of it is a main day; another day joins the best
    reported main day within ``window`` (the nearest, then the earlier, on a tie), or stands alone.
    So a merged event spans at most ``2 * window + 1`` days, a busy pair's daily events stay
    apart (a chain of days a day apart would make a war one event), and a day's main day depends
    only on the reports within ``2 * window`` of it (what lets the store merge again locally)."""
    def near(day: date) -> list[date]:
        return [d for k in range(-window, window + 1) if k and (d := day + timedelta(days=k)) in reports]

    main = {d for d, n in reports.items() if all(reports[o] <= n for o in near(d))}
    out = {}
    for d in reports:
        if d in main:
            out[d] = d
            continue
        peaks = [o for o in near(d) if o in main]
        out[d] = min(peaks, key=lambda o: (-reports[o], abs((o - d).days), o)) if peaks else d
    return out


def _facets(chain: list[EventRow]) -> list[list[EventRow]]:
    return [part for by_mode in _split(chain, lambda r: r.mode) for part in _split(by_mode, _place_of)]


def _merged(cluster: list[EventRow]) -> MergedEvent:
    cluster = sorted(cluster, key=lambda r: r.id)
    first = cluster[0]
    dates = [r.date for r in cluster if r.date]
    reports = [r.published for r in cluster if r.published]
    places = Counter(r.place for r in cluster if r.place)
    place = mode_value(places)
    countries = Counter(r.place_country for r in cluster if r.place_country and (place is None or r.place == place))
    orientation = mode_value(Counter((tuple(sorted(set(r.actors))), tuple(sorted(set(r.recipients))))
                                     for r in cluster))
    return MergedEvent(
        id="m:" + hashlib.sha1(first.id.encode("utf-8")).hexdigest()[:16],
        group_key=first.group, event=first.event,
        mode=mode_value(Counter(r.mode for r in cluster if r.mode)),
        planned=first.planned, negated=first.negated,
        date=mode_value(Counter(dates)), date_min=min(dates) if dates else None,
        date_max=max(dates) if dates else None,
        place=place, place_country=mode_value(countries) or mode_value(
            Counter(r.place_country for r in cluster if r.place_country)),
        actors=list(orientation[0]), recipients=list(orientation[1]),
        events=[r.id for r in cluster], articles=sorted({r.article_id for r in cluster}),
        first_report=min(reports) if reports else None, last_report=max(reports) if reports else None)


def plan_dates(plan: Any) -> Optional[tuple[date, date]]:
    """The dates (inclusive) an event may have to be the one a planned event came true as: a day
    either side of a dated plan, the weeks after an undated plan was first reported."""
    cfg = rules()
    if plan.date:
        window = timedelta(days=cfg["date_window_days"])
        return plan.date - window, plan.date + window
    if plan.first_report:
        day = plan.first_report.date()
        return day, day + timedelta(days=cfg["planned_window_days"])
    return None


def plans_realised_by(done: Any) -> tuple[tuple[date, date], tuple[date, date]]:
    """Which plans an event that took place may realise (the converse of :func:`plan_dates`): the
    dates of dated plans, and the first-report days of undated ones, each inclusive."""
    cfg = rules()
    window = timedelta(days=cfg["date_window_days"])
    return (done.date - window, done.date + window), (done.date - timedelta(days=cfg["planned_window_days"]),
                                                      done.date)


def realised_as(plan: Any, done: Iterable[Any]) -> Optional[str]:
    """The id of the event among ``done`` (merged events, or rows with their fields) that a
    planned event came true as: the nearest in time of a matching type, ties to the smallest id."""
    cfg = rules()
    if not plan.planned or plan.negated:
        return None
    window, later = cfg["date_window_days"], cfg["planned_window_days"]
    kinds = {plan.event} | cfg["future_types"].get(plan.event, frozenset())
    best = None
    for m in done:
        if m.planned or m.negated or not m.date or m.event not in kinds or m.group_key != plan.group_key:
            continue
        if plan.date:
            gap = abs((m.date - plan.date).days)
            if gap > window:
                continue
        elif plan.first_report:
            gap = (m.date - plan.first_report.date()).days
            if not 0 <= gap <= later:
                continue
        else:
            continue
        if best is None or (gap, m.id) < best:
            best = (gap, m.id)
    return best[1] if best else None


def _link_planned(merged: list[MergedEvent]) -> None:
    """Link each planned event to the event of its group that took place ("will meet" -> "met")."""
    by_id = {m.id: m for m in merged}
    done = [m for m in merged if not m.planned and not m.negated and m.date]
    for plan in (m for m in merged if m.planned and not m.negated):
        plan.realised_by = realised_as(plan, done)
        if plan.realised_by:
            by_id[plan.realised_by].planned_as.append(plan.id)
    for m in merged:
        m.planned_as.sort()


def merge_events(rows: Iterable[EventRow]) -> list[MergedEvent]:
    """Merge events reported by many articles; the merged events, sorted by id.

    Give whole groups, or of a group every event within ``6 * date_window_days`` of the dates
    whose merged events are wanted (see :func:`main_days`): a merged event is computed from all
    its members, never added to piecemeal (the store reads only the dates near new reports). Plans
    are linked among the given events; :func:`realised_as` links one across a whole group.
    """
    window = rules()["date_window_days"]
    groups: dict[str, list[EventRow]] = defaultdict(list)
    for r in rows:
        groups[r.group].append(r)
    merged: list[MergedEvent] = []
    for key in sorted(groups):
        in_group = [_merged(c) for c in _clusters(groups[key], window)]
        _link_planned(in_group)
        merged.extend(in_group)
    merged.sort(key=lambda m: m.id)
    return merged


# --------------------------------------------------------------------------- actors -> entities


@dataclass(frozen=True)
class ActorRow:
    """One actor of one article, as entity merging needs it."""

    key: str
    article_id: str
    name: str
    kind: Optional[str] = None
    country: Optional[str] = None
    sector: Optional[str] = None
    office: Optional[str] = None
    wikidata: Optional[str] = None
    mentions: int = 0
    published: Optional[datetime] = None


@dataclass
class Entity:
    """A real-world actor across articles."""

    key: str
    name: str
    kind: Optional[str]
    country: Optional[str]
    sector: Optional[str]
    office: Optional[str]
    wikidata: Optional[str]
    n_articles: int
    n_mentions: int
    first_seen: Optional[datetime]
    last_seen: Optional[datetime]
    names: list[str] = field(default_factory=list)  # every name it was given, sorted


def actor_rows(record: Record) -> list[ActorRow]:
    published = report_time(record.article.published)
    return [ActorRow(key=entity_key(a), article_id=record.article.id, name=a.name, kind=a.kind,
                     country=a.country, sector=a.sector, office=a.office, wikidata=a.wikidata,
                     mentions=len(a.mentions), published=published) for a in record.actors]


ENTITY_FIELDS = ("name", "kind", "country", "sector", "office", "wikidata")


def entity_of(key: str, counts: Mapping[str, Mapping[Any, int]], n_articles: int, n_mentions: int,
              first_seen: Optional[datetime], last_seen: Optional[datetime]) -> Entity:
    """An entity from how often its actors gave each value (``counts``: field of ENTITY_FIELDS ->
    value -> actors), so a store can count in SQL rather than read every actor of a busy entity."""
    def most(attr: str):
        return mode_value(Counter({v: n for v, n in (counts.get(attr) or {}).items() if v}))

    return Entity(key=key, name=most("name"), kind=most("kind"), country=most("country"), sector=most("sector"),
                  office=most("office"), wikidata=most("wikidata"), n_articles=n_articles, n_mentions=n_mentions,
                  first_seen=first_seen, last_seen=last_seen, names=sorted(counts.get("name") or ()))


def merge_entities(rows: Iterable[ActorRow]) -> list[Entity]:
    """Entities of the given actor rows (give all rows of each key), sorted by key."""
    by_key: dict[str, list[ActorRow]] = defaultdict(list)
    for r in rows:
        by_key[r.key].append(r)
    out = []
    for key in sorted(by_key):
        rs = by_key[key]
        seen = [r.published for r in rs if r.published]
        counts = {attr: Counter(getattr(r, attr) for r in rs) for attr in ENTITY_FIELDS}
        out.append(entity_of(key, counts, n_articles=len({r.article_id for r in rs}),
                             n_mentions=sum(r.mentions for r in rs), first_seen=min(seen) if seen else None,
                             last_seen=max(seen) if seen else None))
    return out


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class DocumentRow:
    """One document as one article reports it."""

    id: str
    article_id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: Optional[str] = None
    status: Optional[str] = None
    published: Optional[datetime] = None
    source: Optional[str] = None  # the outlet


@dataclass
class MergedDocument:
    key: str
    name: str
    aliases: list[str]
    kind: Optional[str]
    status: Optional[str]  # as of the latest report that gives one
    documents: list[str]  # member document ids
    articles: list[str]
    first_report: Optional[datetime]
    last_report: Optional[datetime]
    timeline: list[dict] = field(default_factory=list)

    @property
    def n_sources(self) -> int:
        return len(self.articles)


def document_rows(record: Record) -> list[DocumentRow]:
    published = report_time(record.article.published)
    return [DocumentRow(id=d.id, article_id=record.article.id, name=d.name, aliases=tuple(d.aliases),
                        kind=d.kind, status=d.status, published=published, source=record.article.source)
            for d in record.documents]


def document_names(name: str, aliases: Iterable[str] = ()) -> list[str]:
    """The normalised names under which a document is matched ('The 20-Point Plan' -> '20 point plan')."""
    stop = rules()["document_stopwords"]
    out = set()
    for n in (name, *aliases):
        words = [w for w in normalise(n).split() if w not in stop]
        if words:
            out.add(" ".join(words))
    return sorted(out)


def linked(names_of: Sequence[Iterable[str]]) -> list[list[int]]:
    """The positions of items joined by a shared name, transitively (``names_of[i]``: item i's
    names): groups in order of their first item, each in input order."""
    parent = list(range(len(names_of)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, names in enumerate(names_of):
        for n in names:
            if n in owner:
                a, b = find(i), find(owner[n])
                parent[max(a, b)] = min(a, b)
            else:
                owner[n] = i
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(names_of)):
        groups[find(i)].append(i)
    return list(groups.values())


def _components(docs: Sequence[DocumentRow]) -> list[list[DocumentRow]]:
    return [[docs[i] for i in group] for group in linked([document_names(d.name, d.aliases) for d in docs])]


def report_order(published: Optional[datetime], article_id: str, document_id: str) -> tuple:
    """Where a document's report stands in its timeline: by publication (unknown first), article, id."""
    return (published or datetime.min, article_id, document_id)


def _timeline(docs: list[DocumentRow]) -> list[dict]:
    """Status steps in report order; a step lasts while reports repeat its status."""
    steps: list[dict] = []
    for d in sorted(docs, key=lambda d: report_order(d.published, d.article_id, d.id)):
        if not d.status:
            continue
        source = {"article_id": d.article_id, "document_id": d.id, "source": d.source,
                  "published": d.published.isoformat() if d.published else None}
        if steps and steps[-1]["status"] == d.status:
            steps[-1]["sources"].append(source)
            steps[-1]["until"] = source["published"]
            continue
        steps.append({"status": d.status, "since": source["published"], "until": source["published"],
                      "sources": [source]})
    return steps


def merge_documents(rows: Iterable[DocumentRow]) -> list[MergedDocument]:
    """Documents joined by name and alias, with their status timeline; sorted by key.

    Give every stored document that shares a name with the ones of interest (the closure):
    joining is transitive.
    """
    docs = sorted(rows, key=lambda d: d.id)
    out = []
    for comp in _components(docs):
        names = sorted({n for d in comp for n in document_names(d.name, d.aliases)})
        key = "d:" + hashlib.sha1(names[0].encode("utf-8")).hexdigest()[:16]
        shown = mode_value(Counter(d.name for d in comp))
        aliases = sorted({x for d in comp for x in (d.name, *d.aliases)} - {shown})
        reports = [d.published for d in comp if d.published]
        timeline = _timeline(comp)
        out.append(MergedDocument(
            key=key, name=shown, aliases=aliases, kind=mode_value(Counter(d.kind for d in comp if d.kind)),
            status=timeline[-1]["status"] if timeline else None, documents=[d.id for d in comp],
            articles=sorted({d.article_id for d in comp}), first_report=min(reports) if reports else None,
            last_report=max(reports) if reports else None, timeline=timeline))
    out.sort(key=lambda m: m.key)
    return out


# --------------------------------------------------------------------------- all at once


@dataclass
class MergeResult:
    events: list[MergedEvent]
    entities: list[Entity]
    documents: list[MergedDocument]

    def event_of(self) -> dict[str, str]:
        """Event id -> merged event id."""
        return {e: m.id for m in self.events for e in m.events}


def merge_records(records: Iterable[Record]) -> MergeResult:
    """Merge a set of records at once (what the store computes incrementally)."""
    events, actors, documents = [], [], []
    for r in records:
        events.extend(event_rows(r))
        actors.extend(actor_rows(r))
        documents.extend(document_rows(r))
    return MergeResult(merge_events(events), merge_entities(actors), merge_documents(documents))
