"""Read-only queries the web page and the API need beyond the store's own (parley.store).

Pages of events with a total and a sort order, the list of articles, the actor network, an
actor's page, document parties, counts per type and period. Filters mean what they mean for
``Store.events`` (the store's own filter is reused); every value reaches the database as a bound
parameter. Aggregates over the whole store (summary, network, histograms) are cached per
*data version* (number of articles and last ingestion time), so they are recomputed when
articles are added and not on every request.
"""
from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from datetime import date, datetime, timedelta
from typing import Any, Callable, Optional, Sequence

from sqlalchemy import and_, func, select

from ..store import Store
from ..store import schema as S

SORTS = ("date", "-date", "published", "-published", "type")


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class Cache:
    """A small LRU of aggregate results, emptied when the store's data version changes."""

    def __init__(self, size: int = 256):
        self.size = size
        self.version: Any = None
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, version: Any, key: tuple, compute: Callable[[], Any]) -> Any:
        with self.lock:
            if version != self.version:
                self.items.clear()
                self.version = version
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = compute()
        with self.lock:
            if version == self.version:
                self.items[key] = value
                while len(self.items) > self.size:
                    self.items.popitem(last=False)
        return value


def data_version(store: Store) -> tuple:
    """Changes when articles are added or merged: (articles, articles not merged yet); both counts
    are read from indexes."""
    a = S.articles.c
    with store._tx("read the data version") as conn:
        n = conn.execute(select(func.count()).select_from(S.articles)).scalar()
        unmerged = conn.execute(select(func.count()).select_from(S.articles).where(a.merged.is_(False))).scalar()
    return (n, unmerged)


def event_conditions(store: Store, filters: dict, country: Optional[str] = None) -> list:
    """The store's event filter, plus ``country``: an actor or recipient of that country."""
    cond = store._event_filter(**filters)
    if country:
        ea = S.event_actors.c
        cond.append(S.events.c.id.in_(select(ea.event_id).where(ea.country == country.strip().upper())))
    return cond


def _event_order(sort: str) -> list:
    """ORDER BY for a sort; for the date sorts, of the dated events only (see events_page)."""
    e, art = S.events.c, S.articles.c
    return {
        "date": [e.date, e.id],
        "-date": [e.date.desc(), e.id.desc()],
        "published": [art.published_at, e.id],
        "-published": [art.published_at.desc(), e.id.desc()],
        "type": [e.event, e.id],
    }[sort]


def _event_columns() -> list:
    e, art = S.events.c, S.articles.c
    return [e.id, e.article_id, e.date, e.date_text, e.event, e.mode, e.context, e.cameo, e.planned, e.negated, e.place,
            e.place_country, e.event_text, e.sentence, e.merged_id, e.quote_id, e.trigger_start, e.trigger_end,
            art.source, art.title, art.url, art.published]


def _event_items(store: Store, conn, rows) -> list[dict]:
    sides = store._sides(conn, [r.id for r in rows])
    items = []
    for r in rows:
        d = r._asdict()
        d["date"] = _iso(d["date"])
        d["planned"], d["negated"] = bool(d["planned"]), bool(d["negated"])
        d["actors"] = sides.get(r.id, {}).get("actor", [])
        d["recipients"] = sides.get(r.id, {}).get("recipient", [])
        items.append(d)
    return items


def events_page(store: Store, filters: dict, country: Optional[str] = None, sort: str = "-date",
                page: int = 1, per_page: int = 50) -> dict:
    """One page of events (as :meth:`Store.events` gives them, with trigger offsets) and how many match."""
    return _events_page(store, event_conditions(store, filters, country), sort, page, per_page)


def _events_page(store: Store, cond: list, sort: str, page: int, per_page: int) -> dict:
    """Sorted by date, the undated events come after the dated ones; the two parts are read apart, so
    that each is read in the order of an index instead of sorting every match."""
    e, art = S.events.c, S.articles.c
    offset = (page - 1) * per_page
    base = select(*_event_columns()).join(S.articles, art.id == e.article_id)
    with store._tx("query events") as conn:
        total, dated = conn.execute(select(func.count(), func.count(e.date)).select_from(S.events).where(*cond)).one()
        rows = []
        if sort in ("date", "-date"):
            if offset < dated:
                rows = conn.execute(base.where(*cond, e.date.isnot(None)).order_by(*_event_order(sort))
                                    .limit(per_page).offset(offset)).all()
            if len(rows) < per_page and offset + len(rows) >= dated:
                rows += conn.execute(base.where(*cond, e.date.is_(None)).order_by(e.id)
                                     .limit(per_page - len(rows)).offset(max(0, offset - dated))).all()
        else:
            rows = conn.execute(base.where(*cond).order_by(*_event_order(sort)).limit(per_page).offset(offset)).all()
        items = _event_items(store, conn, rows)
    return {"total": total, "page": page, "per_page": per_page, "items": items}


def _month(store: Store, column):
    # SQLite keeps a DATE as 'YYYY-MM-DD' text; PostgreSQL formats it
    return func.substr(column, 1, 7) if store.dialect == "sqlite" else func.to_char(column, "YYYY-MM")


def histogram(store: Store, filters: dict, country: Optional[str] = None) -> list[dict]:
    """Events per month and type for the filters (dated events only), oldest month first."""
    e = S.events.c
    cond = event_conditions(store, filters, country) + [e.date.isnot(None)]
    month = _month(store, e.date)
    q = select(month.label("month"), e.event, func.count()).where(*cond).group_by(month, e.event).order_by(month)
    with store._tx("count events per month") as conn:
        return [{"month": m, "event": t, "n": n} for m, t, n in conn.execute(q)]


def summary(store: Store) -> dict:
    """Counts of what the store holds, events per type, and the span of event dates."""
    e = S.events.c
    with store._tx("count the store") as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                  for t in (S.articles, S.events, S.merged_events, S.entities, S.quotes, S.commitments,
                            S.merged_documents)}
        by_type = dict(conn.execute(select(e.event, func.count()).group_by(e.event)).all())
        first, last = conn.execute(select(func.min(e.date), func.max(e.date))).one()
        planned = conn.execute(select(func.count()).select_from(S.events).where(e.planned.is_(True))).scalar()
    return {"articles": counts["articles"], "events": counts["events"], "merged_events": counts["merged_events"],
            "actors": counts["entities"], "quotes": counts["quotes"], "commitments": counts["commitments"],
            "documents": counts["merged_documents"], "planned_events": planned, "events_by_type": by_type,
            "first_date": _iso(first), "last_date": _iso(last)}


def articles_page(store: Store, source: Optional[str] = None, since=None, until=None, page: int = 1,
                  per_page: int = 50) -> dict:
    """Stored articles, newest first."""
    a = S.articles.c
    cond = []
    if source:
        cond.append(a.source == source)
    if since:
        cond.append(a.published_at >= since)
    if until:  # up to the end of that day
        cond.append(a.published_at < until + timedelta(days=1))
    q = (select(a.id, a.title, a.source, a.published, a.url, a.n_actors, a.n_events)
         .where(*cond).order_by(a.published_at.desc(), a.id).limit(per_page).offset((page - 1) * per_page))
    with store._tx("list articles") as conn:
        rows = [r._asdict() for r in conn.execute(q)]
        total = conn.execute(select(func.count()).select_from(S.articles).where(*cond)).scalar()
    return {"total": total, "page": page, "per_page": per_page, "items": rows}


def network(store: Store, filters: dict, country: Optional[str] = None, max_edges: int = 150) -> dict:
    """Actors as nodes, actor -> recipient interactions as edges, weighted by count.

    Each edge carries its count per event type; the ``max_edges`` heaviest edges are kept, and the
    actors they join are the nodes.
    """
    ea_a, ea_r = S.event_actors.alias("a"), S.event_actors.alias("r")
    e = S.events.c
    cond = event_conditions(store, filters, country)
    q = (select(ea_a.c.entity_key.label("source"), ea_r.c.entity_key.label("target"), ea_a.c.event,
                func.count(func.distinct(ea_a.c.event_id)).label("n"))
         .join(ea_r, and_(ea_r.c.event_id == ea_a.c.event_id, ea_r.c.role == "recipient"))
         .where(ea_a.c.role == "actor", ea_a.c.entity_key != ea_r.c.entity_key)
         .group_by(ea_a.c.entity_key, ea_r.c.entity_key, ea_a.c.event))
    if cond:
        q = q.where(ea_a.c.event_id.in_(select(e.id).where(*cond)))
    with store._tx("build the network") as conn:
        edges: dict[tuple, dict] = {}
        for r in conn.execute(q):
            edge = edges.setdefault((r.source, r.target), {"source": r.source, "target": r.target, "n": 0,
                                                           "types": {}})
            edge["n"] += r.n
            edge["types"][r.event] = edge["types"].get(r.event, 0) + r.n
        kept = sorted(edges.values(), key=lambda x: (-x["n"], x["source"], x["target"]))[:max_edges]
        keys = sorted({k for x in kept for k in (x["source"], x["target"])})
        x = S.entities.c
        nodes = {}
        for i in range(0, len(keys), 500):
            for r in conn.execute(select(x.key, x.name, x.kind, x.country, x.n_articles)
                                  .where(x.key.in_(keys[i:i + 500]))):
                nodes[r.key] = {"id": r.key, "name": r.name, "kind": r.kind, "country": r.country,
                                "n_articles": r.n_articles}
    for k in keys:
        nodes.setdefault(k, {"id": k, "name": k, "kind": None, "country": None, "n_articles": 0})
    degree: dict[str, int] = defaultdict(int)
    for edge in kept:
        edge["event"] = max(edge["types"], key=lambda t: (edge["types"][t], t))  # the commonest type
        degree[edge["source"]] += edge["n"]
        degree[edge["target"]] += edge["n"]
    for k, node in nodes.items():
        node["weight"] = degree[k]
    return {"nodes": [nodes[k] for k in keys], "edges": kept}


def entity(store: Store, key: str) -> Optional[dict]:
    x = S.entities.c
    with store._tx("read an actor") as conn:
        row = conn.execute(select(x).where(x.key == key)).first()
    if row is None:
        return None
    d = row._asdict()
    d["first_seen"], d["last_seen"] = _iso(d["first_seen"]), _iso(d["last_seen"])
    return d


def _newest_events_of(conn, key: str, n: int) -> list[tuple]:
    """(event_id, date, role) of an entity's ``n`` newest events, undated last: read from the index
    on (entity_key, role, date), one role after the other, and merged."""
    ea = S.event_actors.c
    rows = []
    for role in ("actor", "recipient"):
        rows += conn.execute(select(ea.event_id, ea.date, ea.role).where(ea.entity_key == key, ea.role == role)
                             .order_by(ea.date.desc().nulls_last(), ea.event_id.desc()).limit(n)).all()
    rows.sort(key=lambda r: (r.date is not None, r.date or date.min, r.event_id), reverse=True)
    seen, out = set(), []
    for r in rows:
        if r.event_id not in seen:
            seen.add(r.event_id)
            out.append((r.event_id, r.date, r.role))
    return out[:n]


def actor_events(store: Store, key: str, page: int = 1, per_page: int = 50, total: Optional[int] = None) -> dict:
    """Events an entity took part in (either side), newest first, undated last, with its role in each.

    ``total``: the entity's number of events if known (entities.n_events), else counted here.
    """
    e, ea, art = S.events.c, S.event_actors.c, S.articles.c
    offset = (page - 1) * per_page
    with store._tx("read an actor's events") as conn:
        wanted = _newest_events_of(conn, key, offset + per_page)[offset:]
        if total is None:
            total = conn.execute(select(func.count(func.distinct(ea.event_id))).where(ea.entity_key == key)).scalar()
        ids = [w[0] for w in wanted]
        found = {r.id: r for r in conn.execute(select(*_event_columns()).join(S.articles, art.id == e.article_id)
                                                .where(e.id.in_(ids)))} if ids else {}
        items = _event_items(store, conn, [found[i] for i in ids if i in found])
    roles = {w[0]: w[2] for w in wanted}
    for d in items:
        d["role"] = roles.get(d["id"])
    return {"total": total, "page": page, "per_page": per_page, "items": items}


def actor_months(store: Store, key: str) -> list[dict]:
    """An entity's events per month and type (either side), oldest first."""
    ea = S.event_actors.c
    month = _month(store, ea.date)
    q = (select(month.label("month"), ea.event, func.count(func.distinct(ea.event_id)))
         .where(ea.entity_key == key, ea.date.isnot(None)).group_by(month, ea.event).order_by(month))
    with store._tx("count an actor's events") as conn:
        return [{"month": m, "event": t, "n": n} for m, t, n in conn.execute(q)]


def actor_quotes(store: Store, key: str, limit: int = 50) -> list[dict]:
    qt, art = S.quotes.c, S.articles.c
    q = (select(qt.id, qt.article_id, qt.text, qt.kind, qt.cue, qt.span_start, qt.span_end, art.source,
                art.title, art.published)
         .join(S.articles, art.id == qt.article_id).where(qt.speaker_entity == key)
         .order_by(art.published_at.desc(), qt.article_id, qt.span_start).limit(limit))
    with store._tx("read an actor's quotes") as conn:
        return [r._asdict() for r in conn.execute(q)]


def actor_commitments(store: Store, key: str, limit: int = 50, events: int = 400) -> list[dict]:
    """Commitments in which one of the entity's actors gives or receives, newest first.

    Looked for in the articles of the entity's ``events`` newest events (a commitment is an event
    too); givers and recipients are JSON lists of actor ids, matched here in Python.
    """
    ac, c, art, e = S.actors.c, S.commitments.c, S.articles.c, S.events.c
    with store._tx("read an actor's commitments") as conn:
        ids = [w[0] for w in _newest_events_of(conn, key, events)]
        articles = set()
        for i in range(0, len(ids), 500):
            articles.update(conn.execute(select(e.article_id).where(e.id.in_(ids[i:i + 500]))).scalars())
        articles = sorted(articles)
        mine, rows = set(), []
        for i in range(0, len(articles), 500):
            chunk = articles[i:i + 500]
            # by article, then the entity in Python: SQLite would rather walk a busy entity's whole index
            mine.update(r.id for r in conn.execute(select(ac.id, ac.entity_key).where(ac.article_id.in_(chunk)))
                        if r.entity_key == key)
            rows += conn.execute(
                select(c.id, c.article_id, c.kind, c.amount, c.currency, c.quantity, c.item, c.giver, c.recipient,
                       c.purpose, c.status, c.planned, c.span_start, c.span_end, art.source, art.title,
                       art.published, art.published_at)
                .join(S.articles, art.id == c.article_id).where(c.article_id.in_(chunk))).all()
    out = []
    for r in sorted(rows, key=lambda r: (r.published_at is not None, r.published_at or datetime.min, r.id),
                    reverse=True):
        role = "giver" if set(r.giver or ()) & mine else "recipient" if set(r.recipient or ()) & mine else None
        if role:
            d = r._asdict()
            d.pop("published_at")
            d["role"] = role
            d["planned"] = bool(d["planned"])
            out.append(d)
        if len(out) >= limit:
            break
    return out


def document_parties(store: Store, keys: Sequence[str], reports: int = 100) -> dict[str, list[dict]]:
    """The parties (entities) of each merged document, as its newest ``reports`` reports name them,
    the most often named first."""
    d, ac, art = S.documents.c, S.actors.c, S.articles.c
    actor_ids: dict[str, list[str]] = defaultdict(list)
    seen: dict[str, int] = defaultdict(int)
    with store._tx("read document parties") as conn:
        for i in range(0, len(keys), 500):
            for r in conn.execute(select(d.doc_key, d.parties).join(S.articles, art.id == d.article_id)
                                  .where(d.doc_key.in_(list(keys[i:i + 500])))
                                  .order_by(d.doc_key, art.published_at.desc(), d.id)):
                if seen[r.doc_key] < reports:
                    seen[r.doc_key] += 1
                    actor_ids[r.doc_key].extend(r.parties or [])
        wanted = sorted({a for ids in actor_ids.values() for a in ids})
        names: dict[str, tuple] = {}
        for i in range(0, len(wanted), 500):
            for r in conn.execute(select(ac.id, ac.entity_key, ac.name, ac.country).where(ac.id.in_(wanted[i:i + 500]))):
                names[r.id] = (r.entity_key, r.name, r.country)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    shown: dict[str, dict] = {}
    for key, ids in actor_ids.items():
        for a in ids:
            if a in names:
                ent, name, country = names[a]
                counts[key][ent] += 1
                shown.setdefault(ent, {"entity": ent, "name": name, "country": country})
    return {key: [shown[ent] for ent in sorted(c, key=lambda k: (-c[k], shown[k]["name"]))]
            for key, c in counts.items()}


def article_titles(store: Store, ids: Sequence[str]) -> dict[str, dict]:
    a = S.articles.c
    out = {}
    with store._tx("read article titles") as conn:
        for i in range(0, len(ids), 500):
            for r in conn.execute(select(a.id, a.title, a.source, a.published).where(a.id.in_(list(ids[i:i + 500])))):
                out[r.id] = r._asdict()
    return out


def facets(store: Store) -> dict:
    """Values the filters offer: the country codes of the actors in the store (from the merged
    entities: a small table)."""
    x = S.entities.c
    with store._tx("read filter values") as conn:
        countries = [r[0] for r in conn.execute(select(x.country).where(x.country.isnot(None))
                                                .group_by(x.country).order_by(x.country))]
    return {"countries": countries}
