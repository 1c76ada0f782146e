"""Open a store by URL, add records, keep the merges up to date, and answer queries.

    store = open_store()                          # parley.db here, or $PARLEY_DB
    store = open_store("postgresql://user@host/parley")
    store.add(record)                             # one transaction; False if already stored
    store.events(actor="UKR", since="2025-12-01").to_pandas()

The same code serves SQLite and PostgreSQL (SQLAlchemy Core; psycopg 3 for PostgreSQL). Every
failure of the database itself becomes a :class:`StoreError` that names the store, what was being
done and why, with the transaction rolled back.
"""
from __future__ import annotations

import hashlib
import json
import os
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable, Iterator, Optional, Sequence

from sqlalchemy import (Connection, Engine, and_, bindparam, create_engine, delete, event, func, inspect, insert,
                        literal, String, or_, select, type_coerce, update)
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from .. import merge as M
from ..record import Record
from . import schema as S

__all__ = ["Store", "StoreError", "Rows", "open_store", "resolve_url", "DEFAULT_DB"]

DEFAULT_DB = "parley.db"
_CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


class StoreError(Exception):
    """The store cannot be opened, read or written; the message says which store, what and why."""


class Rows(list):
    """Query results: a list of dicts, with ``to_pandas()``."""

    def to_pandas(self):
        import pandas as pd

        frame = pd.DataFrame(list(self))
        for column in ("date", "date_min", "date_max"):
            if column in frame.columns:
                frame[column] = pd.to_datetime(frame[column], errors="coerce")
        for column in ("published", "first_report", "last_report", "first_seen", "last_seen", "time"):
            if column in frame.columns:  # times with and without offsets: all as UTC
                frame[column] = pd.to_datetime(frame[column], errors="coerce", utc=True, format="ISO8601")
        return frame


# --------------------------------------------------------------------------- opening


def resolve_url(url: Optional[str] = None) -> str:
    """A store URL for SQLAlchemy: a bare path is a SQLite file; ``postgresql://`` uses psycopg 3."""
    url = url or os.environ.get("PARLEY_DB") or DEFAULT_DB
    url = str(url)
    if "://" not in url:
        return "sqlite:///" + os.path.abspath(os.path.expanduser(url))
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def open_store(url: Optional[str] = None, create: bool = True) -> "Store":
    """Open (and, with ``create``, make) the store at ``url``; see :func:`resolve_url`.

    An older schema is migrated; a newer one, or a database that is not a parley store, raises
    StoreError saying what to do.
    """
    return Store(url, create=create)


def _shown(url: str) -> str:
    try:
        u = make_url(url)
    except sa_exc.ArgumentError:
        return url
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True)


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split("\n")[0].split()) or type(orig).__name__
    low = text.lower()
    if "readonly database" in low or "read-only" in low:
        text += " (the file or its folder is read-only: check the permissions, or use --db for another store)"
    elif "disk is full" in low or "no space left" in low or "could not extend file" in low:
        text += " (the disk is full: free some space and run the same command again; nothing half-written was kept)"
    elif "file is not a database" in low:
        text += " (the file is not a SQLite database: give another file with --db)"
    elif "unable to open database file" in low:
        text += " (does the folder exist, and may it be written?)"
    elif "does not exist" in low and "database" in low:
        text += " (create it first, e.g. createdb NAME)"
    elif "connection refused" in low or "could not connect" in low or "connection failed" in low \
            or "name or service not known" in low or "timeout" in low:
        text += " (is the database server running, and the host and port right?)"
    elif "authentication" in low or "password" in low:
        text += " (check the user name and password in the URL)"
    return text


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _iso(value: Any) -> Optional[str]:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _as_date(value: Any, what: str) -> Optional[date]:
    if value is None or value == "" or isinstance(value, date):
        return value or None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


class Store:
    """A parley store: the records of many articles and what merging them gives."""

    def __init__(self, url: Optional[str] = None, create: bool = True):
        self.url = resolve_url(url)
        given = str(url or os.environ.get("PARLEY_DB") or "")
        self.shown = _shown(given if "://" in given else self.url)  # the URL as the user wrote it
        try:
            target = make_url(self.url)
            self.dialect = target.get_backend_name()
        except sa_exc.ArgumentError as exc:
            raise StoreError(f"{self.url}: not a database URL ({exc}); use a file name, sqlite:///PATH "
                             f"or postgresql://USER@HOST/DB") from None
        if self.dialect == "sqlite":
            path = target.database
            if path and path != ":memory:" and not path.startswith("file:") and not os.path.exists(path):
                if not create:
                    raise StoreError(f"{path}: no parley store here (run `parley ingest` first, or give --db)")
                folder = os.path.dirname(os.path.abspath(path))
                if not os.path.isdir(folder):
                    raise StoreError(f"{path}: cannot create the store: the folder {folder} does not exist")
        try:
            self.engine: Engine = create_engine(self.url, **self._engine_options())
        except (sa_exc.ArgumentError, sa_exc.NoSuchModuleError, ImportError) as exc:
            raise StoreError(f"{self.shown}: cannot use this URL ({exc}); use a file name, sqlite:///PATH "
                             f"or postgresql://USER@HOST/DB") from None
        if self.dialect == "sqlite":
            self._sqlite_transactions()
        try:
            if self._prepare(create):
                self.merge()  # what a migration left to merge again
        except BaseException:
            self.engine.dispose()
            raise

    # ------------------------------------------------------------------ plumbing

    def _engine_options(self) -> dict:
        if self.dialect == "sqlite":
            return {"connect_args": {"timeout": 30}}
        if self.dialect == "postgresql":
            return {"pool_pre_ping": True, "connect_args": {"connect_timeout": 10}}
        return {}

    def _sqlite_transactions(self) -> None:
        # pysqlite opens transactions itself and not before DDL; let SQLAlchemy say BEGIN, so a
        # record (or the schema) is written all or nothing
        @event.listens_for(self.engine, "connect")
        def _connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            # WAL: a commit needs no fsync of its own, and readers do not wait for the writer; with
            # synchronous=NORMAL a killed process still loses nothing it committed
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
            except Exception:  # a read-only file keeps the mode it has
                pass
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(self.engine, "begin")
        def _begin(conn):
            # a writer takes the write lock at once: two writers then queue (busy timeout)
            # instead of failing when a reader's lock cannot be upgraded
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("parley_write") else "BEGIN")

    @contextmanager
    def _tx(self, action: str, write: bool = False) -> Iterator[Connection]:
        """A transaction; a database failure becomes a StoreError and nothing of it is kept."""
        engine = self.engine.execution_options(parley_write=True) if write else self.engine
        try:
            with engine.begin() as conn:
                yield conn
        except StoreError:
            raise
        except (sa_exc.DBAPIError, sa_exc.DisconnectionError) as exc:
            raise StoreError(f"{self.shown}: cannot {action}: {_reason(exc)}") from None
        except OSError as exc:
            raise StoreError(f"{self.shown}: cannot {action}: {exc.strerror or exc}") from None

    def _prepare(self, create: bool) -> bool:
        """Create or check the schema, migrating an older one; whether it was migrated."""
        with self._tx("open the store") as conn:
            names = set(inspect(conn).get_table_names())
            if S.schema_table.name not in names:
                ours = sorted(names & {t.name for t in S.TABLES})
                if ours:
                    raise StoreError(f"{self.shown}: holds tables named like parley's ({', '.join(ours)}) but no "
                                     f"schema version: it was not made by parley; use another database")
                if not create:
                    raise StoreError(f"{self.shown}: no parley store here (run `parley ingest` first, or give --db)")
                S.metadata.create_all(conn, tables=S.TABLES)
                conn.execute(insert(S.schema_table).values(
                    version=S.SCHEMA_VERSION, parley_version=_version(), created_at=_now()))
                return False
            version = conn.execute(select(func.max(S.schema_table.c.version))).scalar()
            if version is None:
                raise StoreError(f"{self.shown}: the parley_schema table is empty; the store is damaged")
            if version > S.SCHEMA_VERSION:
                raise StoreError(f"{self.shown}: written by a newer parley (schema version {version}; this parley "
                                 f"{_version()} knows {S.SCHEMA_VERSION}): upgrade parley (pip install -U parley)")
            if version < S.SCHEMA_VERSION:
                self._migrate(conn, version)
                return True
            return False

    def _migrate(self, conn: Connection, version: int) -> None:
        from alembic.migration import MigrationContext
        from alembic.operations import Operations

        op = Operations(MigrationContext.configure(conn))
        while version < S.SCHEMA_VERSION:
            step = S.MIGRATIONS.get(version)
            if step is None:
                raise StoreError(f"{self.shown}: schema version {version} cannot be migrated to {S.SCHEMA_VERSION} "
                                 f"by this parley: ingest the articles again into a new store (--db NEW)")
            step(op)
            version += 1
        conn.execute(update(S.schema_table).values(version=version, parley_version=_version(), migrated_at=_now()))

    def check_writable(self) -> None:
        """Raise StoreError now if the store cannot be written (a read-only file, a read-only
        user), rather than after the first article is coded. Writes nothing."""
        try:
            with self.engine.connect() as conn:
                tx = conn.begin()
                try:
                    conn.execute(update(S.schema_table).values(version=S.schema_table.c.version))
                finally:
                    tx.rollback()
        except (sa_exc.DBAPIError, sa_exc.DisconnectionError) as exc:
            raise StoreError(f"{self.shown}: cannot write: {_reason(exc)}") from None

    @property
    def schema_version(self) -> int:
        with self._tx("read the schema version") as conn:
            return conn.execute(select(func.max(S.schema_table.c.version))).scalar()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.shown!r})"

    # ------------------------------------------------------------------ writing

    @staticmethod
    def content_hash(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def _stored_as(self, conn: Connection, article) -> Optional[str]:
        a = S.articles.c
        cond = [a.id == article.id, a.content_hash == self.content_hash(article.text)]
        if article.url:
            cond.append(a.url == article.url)
        return conn.execute(select(a.id).where(or_(*cond)).limit(1)).scalar()

    def stored_as(self, article) -> Optional[str]:
        """The id under which this article (an Article or Record) is already stored — same id,
        same text or same URL — or None."""
        article = getattr(article, "article", article)
        with self._tx("look up an article") as conn:
            return self._stored_as(conn, article)

    def add(self, record: Record, merge: bool = True) -> bool:
        """Store one record in one transaction; False (and nothing written) if already stored.

        With ``merge``, the merged events, entities and documents are brought up to date at once;
        ``ingest`` passes False and calls :meth:`merge` once per batch.
        """
        rows = _rows(record)
        try:
            with self._tx(f"store article {record.article.id}", write=True) as conn:
                if self._stored_as(conn, record.article):
                    return False
                for table in _WRITE_ORDER:
                    if rows[table.name]:
                        conn.execute(insert(table), rows[table.name])
                if record.article.path:  # the file reads now: its old read errors are history
                    conn.execute(delete(S.errors).where(S.errors.c.path == record.article.path,
                                                        S.errors.c.item.is_(None)))
        except StoreError as failure:
            try:
                if self.stored_as(record.article):  # another writer stored it meanwhile
                    return False
            except StoreError:
                pass
            raise failure
        if merge:
            self.merge()
        return True

    def add_many(self, records: Iterable[Record], merge: bool = True) -> int:
        """Store many records in one transaction (a bulk load: all or none); records already
        stored, or repeated in ``records``, are skipped. Returns how many were stored."""
        a = S.articles.c
        records = list(records)
        with self._tx(f"store {len(records)} articles", write=True) as conn:
            ids, hashes, urls = set(), set(), set()
            for chunk in _chunks(records):
                for r in conn.execute(select(a.id, a.content_hash, a.url).where(or_(
                        a.id.in_([x.article.id for x in chunk]),
                        a.content_hash.in_([self.content_hash(x.article.text) for x in chunk]),
                        a.url.in_([x.article.url for x in chunk if x.article.url])))):
                    ids.add(r.id), hashes.add(r.content_hash), urls.add(r.url)
            rows: dict[str, list[dict]] = {t.name: [] for t in _WRITE_ORDER}
            stored = 0
            for record in records:
                art, digest = record.article, self.content_hash(record.article.text)
                if art.id in ids or digest in hashes or (art.url and art.url in urls):
                    continue
                ids.add(art.id), hashes.add(digest), urls.add(art.url)
                for name, part in _rows(record).items():
                    rows[name].extend(part)
                stored += 1
            for table in _WRITE_ORDER:
                for chunk in _chunks(rows[table.name], 5000):
                    conn.execute(insert(table), chunk)
        if merge and stored:
            self.merge()
        return stored

    def add_error(self, path: Optional[str], reason: str, item: Optional[str] = None,
                  kind: Optional[str] = None) -> None:
        """Record an article that could not be stored; the same error again replaces the old row."""
        e = S.errors.c
        with self._tx("record an error", write=True) as conn:
            conn.execute(delete(S.errors).where(
                e.path.is_(None) if path is None else e.path == path,
                e.item.is_(None) if item is None else e.item == item, e.reason == reason))
            conn.execute(insert(S.errors).values(path=path, item=item, kind=kind, reason=reason, time=_now()))

    # ------------------------------------------------------------------ merging

    def merge(self) -> dict[str, int]:
        """Bring merged events, entities and documents up to date with the articles added since
        the last merge. Within a group of participants, only the days near the new reports are
        read and merged again (:meth:`_merge_near`), each merged event recomputed from all its
        members, and the plans near them linked again; a new report of a merged document extends
        it (:func:`_add_documents`); the new articles' actors are added to their entities' counts
        (:meth:`_count_entities`). The result does not depend on the order articles came in, nor
        on how often merge ran. Safe to interrupt: what is not done is redone, and an article's
        counts are added in the transaction that marks it merged."""
        a, e = S.articles.c, S.events.c
        with self._tx("read the articles to merge") as conn:
            dirty = list(conn.execute(select(a.id).where(a.merged.is_(False)).order_by(a.id)).scalars())
            if not dirty:
                return {"articles": 0, "groups": 0, "entities": 0, "documents": 0}
            spans: dict[str, list] = {}  # group -> [its new reports' date ranges, any undated one]
            new_docs: set[str] = set()
            for ids in _chunks(dirty):
                for group, day in conn.execute(select(e.group_key, e.date).where(e.article_id.in_(ids)).distinct()
                                               .order_by(e.group_key, e.date)):
                    span = spans.setdefault(group, [[], False])
                    if day is None:
                        span[1] = True
                    else:
                        span[0] = _cover(span[0], day, day)
                new_docs.update(conn.execute(select(S.documents.c.id).where(
                    S.documents.c.article_id.in_(ids), S.documents.c.doc_key.is_(None))).scalars())
        for chunk in _chunks(sorted(spans), _GROUPS_PER_TX):
            with self._tx("merge events", write=True) as conn:
                self._merge_groups(_uncached(conn), {g: spans[g] for g in chunk})
        if new_docs:
            with self._tx("merge documents", write=True) as conn:
                _add_documents(_uncached(conn), new_docs)
        keys: set[str] = set()
        for ids in _chunks(dirty):  # an article's actors are counted in the transaction that marks it merged
            with self._tx("merge actors", write=True) as conn:
                keys |= self._count_entities(_uncached(conn), ids)
                conn.execute(update(S.articles).where(a.id.in_(ids)).values(merged=True))
        return {"articles": len(dirty), "groups": len(spans), "entities": len(keys), "documents": len(new_docs)}

    def _merge_groups(self, conn: Connection, spans: dict[str, list]) -> None:
        """Merge again the events of these groups near their new reports. ``spans``: group ->
        [date ranges of its new dated reports, whether it has new undated ones]."""
        e, m, art = S.events.c, S.merged_events.c, S.articles.c
        known: set[str] = set()  # groups merged before; the others are new, read whole (a bulk load)
        for chunk in _chunks(sorted(spans)):
            known.update(conn.execute(select(m.group_key).where(m.group_key.in_(chunk)).distinct()).scalars())
        columns = (e.id, e.article_id, e.event, e.mode, e.date, e.planned, e.negated, e.place, e.place_country,
                   e.merged_id, art.published_at)
        where = [and_(e.group_key.in_(chunk), e.date.is_(None), art.merged.is_(False))  # each is an event of its own
                 for chunk in _chunks(sorted(g for g, (_, has) in spans.items() if has and g in known))]
        where.extend(e.group_key.in_(chunk) for chunk in _chunks(sorted(set(spans) - known)))
        base = {r.id: r for cond in where
                for r in conn.execute(select(*columns).join(S.articles, art.id == e.article_id).where(cond))}
        merged = M.merge_events(self._event_rows(conn, base))
        near, remerged, gone = self._merge_near(conn, {g: list(d) for g, (d, _) in spans.items() if d and g in known},
                                                columns)
        base.update(near)
        merged.extend(remerged)
        for ids in _chunks(sorted(gone)):
            conn.execute(delete(S.merged_events).where(m.id.in_(ids)))
        for chunk in _chunks([_merged_row(x) for x in merged], 5000):
            conn.execute(insert(S.merged_events), chunk)
        changes = [{"eid": eid, "mid": x.id} for x in merged for eid in x.events if base[eid].merged_id != x.id]
        if changes:
            conn.execute(update(S.events).where(e.id == bindparam("eid")).values(merged_id=bindparam("mid")),
                         changes)
        # a new group was merged whole, its plans with it; the others only near their new reports
        _relink_plans(conn, [x for x in merged if x.group_key in known], list(gone.values()))

    def _merge_near(self, conn: Connection, dates: dict[str, list], columns) -> tuple[dict, list, dict]:
        """The dated events of groups merged before, near their new reports (``dates``: group ->
        the new reports' date ranges), merged again: their rows by id, the merged events, and the
        merged events these replace (id -> row).

        A day's main day depends on the reports within 2 windows of it (merge.main_days), so the
        days 2 windows around the new ones may change event; a merged event reaches a window
        around its main day. Those days, and every old or new merged event holding one of their
        events (closed under both), are replaced; they lie within 4 windows of the new dates, and
        6 windows are read so that each of them is merged with all the reports it depends on.
        Should they reach further (a merged event written by an older rule), the dates widen."""
        e, m = S.events.c, S.merged_events.c
        w = timedelta(days=M.rules()["date_window_days"])
        while dates:
            read = {}
            for g, rs in dates.items():
                for lo, hi in rs:
                    read[g] = _cover(read.get(g, []), lo - 6 * w, hi + 6 * w)
            rows: dict[str, Any] = {}
            for chunk in _chunks([(g, lo, hi) for g, rs in sorted(read.items()) for lo, hi in rs], 100):
                rows.update((r.id, r) for r in conn.execute(
                    select(*columns, e.group_key).join(S.articles, S.articles.c.id == e.article_id)
                    .where(or_(*(and_(e.group_key == g, e.date.between(lo, hi)) for g, lo, hi in chunk)))))
            fresh = M.merge_events(self._event_rows(conn, rows))
            new_of = {eid: x for x in fresh for eid in x.events}
            old_members: dict[str, list[str]] = defaultdict(list)
            for r in rows.values():
                if r.merged_id:
                    old_members[r.merged_id].append(r.id)
            # the events whose merged event may change, closed under the old and the new merging
            touched = {r.id for r in rows.values()
                       if any(lo - 2 * w <= r.date <= hi + 2 * w for lo, hi in dates[r.group_key])}
            todo = list(touched)
            while todo:
                eid = todo.pop()
                for other in (*old_members.get(rows[eid].merged_id, ()), *new_of[eid].events):
                    if other not in touched:
                        touched.add(other)
                        todo.append(other)
            gone = {}
            for ids in _chunks(sorted({rows[i].merged_id for i in touched if rows[i].merged_id})):
                gone.update((r.id, r) for r in conn.execute(
                    select(m.id, m.group_key, m.event, m.planned, m.negated, m.date, m.date_min, m.date_max,
                           m.first_report, m.n_events).where(m.id.in_(ids))))
            # trusted: the days read with 2 windows to spare, and the old merged events read whole
            wider = {g: list(rs) for g, rs in dates.items()}
            for x in gone.values():
                if x.n_events != len(old_members[x.id]) or not _within(dates[x.group_key], x.date_min, x.date_max, 4 * w):
                    wider[x.group_key] = _cover(wider[x.group_key], x.date_min, x.date_max)
            for i in touched:
                r = rows[i]
                if not _within(dates[r.group_key], r.date, r.date, 4 * w):
                    wider[r.group_key] = _cover(wider[r.group_key], r.date, r.date)
            if wider != dates:
                dates = wider
                continue
            return {i: rows[i] for i in touched}, [x for x in fresh if x.events[0] in touched], gone
        return {}, [], {}

    @staticmethod
    def _event_rows(conn: Connection, base: dict[str, Any]) -> list[M.EventRow]:
        ea = S.event_actors.c
        sides: dict[str, dict[str, list]] = {i: {"actor": [], "recipient": []} for i in base}
        for ids in _chunks(sorted(base)):
            for r in conn.execute(select(ea.event_id, ea.role, ea.entity_key).where(ea.event_id.in_(ids))
                                  .order_by(ea.event_id, ea.role, ea.position)):
                sides[r.event_id][r.role].append(r.entity_key)
        return [M.EventRow(id=r.id, article_id=r.article_id, event=r.event, mode=r.mode, date=r.date,
                           planned=bool(r.planned), negated=bool(r.negated), place=r.place,
                           place_country=r.place_country, published=r.published_at,
                           actors=tuple(dict.fromkeys(sides[r.id]["actor"])),
                           recipients=tuple(dict.fromkeys(sides[r.id]["recipient"])))
                for r in base.values()]

    def _count_entities(self, conn: Connection, article_ids: Sequence[str]) -> set[str]:
        """Add these articles' actors to their entities: how often each value was given
        (entity_values), articles, mentions, events, first and last seen; the entities' rows are
        then the values most given. Counting only the new articles keeps a merge's cost in
        proportion to them, however often a busy entity was seen before. Returns the keys."""
        ac, art, ev, ea, en, vals = S.actors.c, S.articles.c, S.events.c, S.event_actors.c, S.entities.c, \
            S.entity_values.c
        added: Counter = Counter()
        for f in M.ENTITY_FIELDS:
            for key, value, n in conn.execute(select(ac.entity_key, ac[f], func.count())
                                              .where(ac.article_id.in_(article_ids), ac[f].isnot(None), ac[f] != "")
                                              .group_by(ac.entity_key, ac[f])):
                added[(key, f, value)] += n
        totals = {r[0]: r[1:] for r in conn.execute(
            select(ac.entity_key, func.count(func.distinct(ac.article_id)), func.sum(ac.n_mentions),
                   func.min(art.published_at), func.max(art.published_at))
            .join(S.articles, art.id == ac.article_id).where(ac.article_id.in_(article_ids)).group_by(ac.entity_key))}
        if not totals:
            return set()
        n_events = dict(conn.execute(select(ea.entity_key, func.count(func.distinct(ea.event_id)))
                                     .join(S.events, ev.id == ea.event_id).where(ev.article_id.in_(article_ids))
                                     .group_by(ea.entity_key)).all())
        keys = sorted(totals)
        counts: dict[str, dict[str, Counter]] = {k: {f: Counter() for f in M.ENTITY_FIELDS} for k in keys}
        for chunk in _chunks(keys):
            for key, f, value, n in conn.execute(select(vals.key, vals.field, vals.value, vals.n)
                                                 .where(vals.key.in_(chunk))):
                counts[key][f][value] = n
        old = {}
        for chunk in _chunks(keys):
            old.update((r.key, r) for r in conn.execute(select(en.key, en.n_articles, en.n_mentions, en.n_events,
                                                                en.first_seen, en.last_seen).where(en.key.in_(chunk))))
        fresh, seen = [], []
        for (key, f, value), n in added.items():
            (seen if value in counts[key][f] else fresh).append({"k": key, "f": f, "v": value,
                                                                  "n": counts[key][f][value] + n})
            counts[key][f][value] += n
        if fresh:
            conn.execute(insert(S.entity_values), [{"key": r["k"], "field": r["f"], "value": r["v"], "n": r["n"]}
                                                   for r in fresh])
        if seen:
            conn.execute(update(S.entity_values).where(vals.key == bindparam("k"), vals.field == bindparam("f"),
                                                       vals.value == bindparam("v")).values(n=bindparam("n")), seen)
        entities = []
        for key in keys:
            n_articles, n_mentions, first, last = totals[key]
            n_mentions = int(n_mentions or 0)
            before = old.get(key)
            if before is not None:
                n_articles += before.n_articles
                n_mentions += before.n_mentions
                first = min((x for x in (first, before.first_seen) if x), default=None)
                last = max((x for x in (last, before.last_seen) if x), default=None)
            x = M.entity_of(key, counts[key], n_articles=n_articles, n_mentions=n_mentions,
                            first_seen=first, last_seen=last)
            entities.append({"key": x.key, "name": x.name, "kind": x.kind, "country": x.country, "sector": x.sector,
                             "office": x.office, "wikidata": x.wikidata, "names": x.names, "n_articles": x.n_articles,
                             "n_mentions": x.n_mentions, "first_seen": x.first_seen, "last_seen": x.last_seen,
                             "n_events": n_events.get(key, 0) + (before.n_events if before is not None else 0)})
        for chunk in _chunks(keys):
            conn.execute(delete(S.entities).where(en.key.in_(chunk)))
        conn.execute(insert(S.entities), entities)
        return set(keys)

    # ------------------------------------------------------------------ reading records

    def iter_records(self, batch: int = 200) -> Iterator[Record]:
        """Every stored Record, exactly as it was added, in article-id order."""
        a = S.articles.c
        last = None
        while True:  # keyset pages: no cursor held open between pages
            with self._tx("read records") as conn:
                q = select(a.id, a.record).order_by(a.id).limit(batch)
                if last is not None:
                    q = q.where(a.id > last)
                page = conn.execute(q).all()
            if not page:
                return
            for r in page:
                yield Record.model_validate_json(r.record)
            last = page[-1].id

    def find_article(self, ref: str) -> str:
        """The id of the one article that ``ref`` names: its id, a unique prefix of it (with or
        without ``sha1:``), or its URL. Raises StoreError if none or several match."""
        a = S.articles.c
        ref = ref.strip()
        with self._tx("find an article") as conn:
            exact = conn.execute(select(a.id).where(or_(a.id == ref, a.url == ref)).limit(2)).scalars().all()
            if len(exact) == 1:
                return exact[0]
            like = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            found = conn.execute(select(a.id).where(or_(a.id.like(like, escape="\\"),
                                                        a.id.like("sha1:" + like, escape="\\")))
                                 .order_by(a.id).limit(6)).scalars().all()
        if not found:
            raise StoreError(f"{self.shown}: no article {ref!r} (see `parley events` for ids)")
        if len(found) > 1:
            raise StoreError(f"{self.shown}: {ref!r} names {'more than 5' if len(found) > 5 else len(found)} "
                             f"articles ({', '.join(found[:5])}); give more of the id")
        return found[0]

    def record(self, ref: str) -> Record:
        """The stored Record of one article (see :meth:`find_article` for ``ref``)."""
        article_id = self.find_article(ref)
        with self._tx("read a record") as conn:
            text = conn.execute(select(S.articles.c.record).where(S.articles.c.id == article_id)).scalar()
        return Record.model_validate_json(text)

    def article(self, ref: str) -> dict:
        """One article: its record, and for each event the merged event it belongs to."""
        record = self.record(ref)
        e, m = S.events.c, S.merged_events.c
        with self._tx("read an article") as conn:
            rows = conn.execute(select(e.id, e.merged_id, m.n_sources, m.realised_by)
                                .outerjoin(S.merged_events, m.id == e.merged_id)
                                .where(e.article_id == record.article.id)).all()
        return {"record": record,
                "merged": {r.id: {"merged_id": r.merged_id, "n_sources": r.n_sources, "realised_by": r.realised_by}
                           for r in rows}}

    # ------------------------------------------------------------------ queries

    def _entity_match(self, value: str):
        """Entity keys for a name (any part of it, any case) or a country code (UKR, NATO)."""
        x = S.entities.c
        v = value.strip()
        cond = [func.lower(x.name).like(f"%{_like(v.lower())}%", escape="\\")]
        if v.isalpha() and v.upper() == v:
            cond.append(x.country == v)
        return select(x.key).where(or_(*cond))

    def _tokens(self, value: str):
        """What event_dyads holds for the actors a value names: their entity keys, and for a
        country or IGO code, "c:" + the code (an actor of that country in some article)."""
        v = value.strip()
        keys = self._entity_match(v)
        if v.isalpha() and v.upper() == v:
            return keys.union(select(literal("c:" + v, String)))
        return keys

    def _side(self, role: str, value: str, since, until):
        ea = S.event_actors.c
        v = value.strip()
        keys = self._entity_match(v)
        who = [ea.entity_key.in_(keys)]
        if v.isalpha() and v.upper() == v:
            who.append(ea.country == v)
        q = select(ea.event_id).where(ea.role == role, or_(*who))
        if since:
            q = q.where(ea.date >= since)
        if until:
            q = q.where(ea.date <= until)
        return q

    def _event_filter(self, actor=None, recipient=None, type=None, mode=None, since=None, until=None,
                      place=None, planned=None, document=None, article=None) -> list:
        e = S.events.c
        since, until = _as_date(since, "since"), _as_date(until, "until")
        cond = []
        if actor and recipient:  # a dyad: one range of its own index, however busy either side
            d = S.event_dyads.c
            dyad = select(d.event_id).where(d.actor.in_(self._tokens(actor)), d.recipient.in_(self._tokens(recipient)))
            if since:
                dyad = dyad.where(d.date >= since)
            if until:
                dyad = dyad.where(d.date <= until)
            cond.append(e.id.in_(dyad))
        elif actor or recipient:
            cond.append(e.id.in_(self._side("actor" if actor else "recipient", actor or recipient, since, until)))
        if type:
            cond.append(e.event == type.strip().upper())
        if mode:
            cond.append(e.mode == mode.strip().lower())
        if since:
            cond.append(e.date >= since)
        if until:
            cond.append(e.date <= until)
        if place:
            p = place.strip()
            cond.append(or_(func.lower(e.place).like(f"%{_like(p.lower())}%", escape="\\"), e.place_country == p))
        if planned is not None:
            cond.append(e.planned.is_(bool(planned)))
        if document:
            d, ed = S.documents.c, S.event_documents.c
            docs = select(d.id).where(or_(func.lower(d.name).like(f"%{_like(document.lower())}%", escape="\\"),
                                          d.doc_key == document))
            cond.append(e.id.in_(select(ed.event_id).where(ed.document_id.in_(docs))))
        if article:
            cond.append(e.article_id == article)
        return cond

    def events(self, actor: Optional[str] = None, recipient: Optional[str] = None, type: Optional[str] = None,
               mode: Optional[str] = None, since=None, until=None, place: Optional[str] = None,
               planned: Optional[bool] = None, document: Optional[str] = None, article: Optional[str] = None,
               limit: Optional[int] = None) -> Rows:
        """Events as each article reported them, by date then id.

        ``actor`` / ``recipient``: a name or part of one ('Zelensky') or a country or IGO code
        ('UKR', 'NATO'); ``type``: a PLOVER type; ``since`` / ``until``: dates (inclusive);
        ``place``: a place name or country code; ``planned``: True for planned events only,
        False for the others; ``document``: events that concern a document of that name.
        """
        e, art = S.events.c, S.articles.c
        # the date as stored (SQLite's text is already ISO 8601): no parsing it into a date to print it again
        q = (select(e.id, e.article_id, type_coerce(e.date, String).label("date"), e.date_text, e.event, e.mode,
                    e.context, e.cameo, e.planned, e.negated, e.place, e.place_country, e.event_text, e.sentence,
                    e.merged_id, e.quote_id, art.source, art.title, art.url, art.published)
             .join(S.articles, art.id == e.article_id)
             .where(*self._event_filter(actor, recipient, type, mode, since, until, place, planned, document, article))
             .order_by(e.date.is_(None), e.date, e.id))
        if limit:
            q = q.limit(limit)
        with self._tx("query events") as conn:
            result = conn.execute(q)
            keys = list(result.keys())
            rows = result.all()
            sides = self._sides(conn, [r[0] for r in rows])
        out = Rows()
        none: dict[str, list] = {}
        for r in rows:
            d = dict(zip(keys, r))
            d["date"] = _iso(d["date"])
            d["planned"], d["negated"] = bool(d["planned"]), bool(d["negated"])
            side = sides.get(d["id"], none)
            d["actors"] = side.get("actor", [])
            d["recipients"] = side.get("recipient", [])
            out.append(d)
        return out

    def _sides(self, conn: Connection, event_ids: Sequence[str]) -> dict[str, dict[str, list]]:
        ea = S.event_actors.c
        out: dict[str, dict[str, list]] = {}
        for ids in _chunks(list(event_ids)):
            for event_id, role, key, name, country in conn.execute(
                    select(ea.event_id, ea.role, ea.entity_key, ea.name, ea.country)
                    .where(ea.event_id.in_(ids)).order_by(ea.event_id, ea.role, ea.position)).all():
                sides = out.get(event_id)
                if sides is None:
                    sides = out[event_id] = {}
                sides.setdefault(role, []).append({"name": name, "country": country, "entity": key})
        return out

    def merged_events(self, actor: Optional[str] = None, recipient: Optional[str] = None,
                      type: Optional[str] = None, mode: Optional[str] = None, since=None, until=None,
                      place: Optional[str] = None, planned: Optional[bool] = None, document: Optional[str] = None,
                      min_sources: int = 1, limit: Optional[int] = None, sources: bool = True) -> Rows:
        """Merged events (one per real-world event) that have a report matching the filters
        (see :meth:`events`), by date then id, each with its sources."""
        e, m = S.events.c, S.merged_events.c
        cond = self._event_filter(actor, recipient, type, mode, since, until, place, planned, document)
        q = select(m).order_by(m.date.is_(None), m.date, m.id)
        if cond:
            q = q.where(m.id.in_(select(e.merged_id).where(*cond)))
        if min_sources > 1:
            q = q.where(m.n_sources >= min_sources)
        if limit:
            q = q.limit(limit)
        with self._tx("query merged events") as conn:
            rows = conn.execute(q).all()
            ids = [r.id for r in rows]
            names = self._entity_names(conn, {k for r in rows for k in (r.actors or []) + (r.recipients or [])})
            plans: dict[str, list[str]] = {}
            for chunk in _chunks(ids):
                for p in conn.execute(select(m.id, m.realised_by).where(m.realised_by.in_(chunk)).order_by(m.id)):
                    plans.setdefault(p.realised_by, []).append(p.id)
            reports = self._reports(conn, ids) if sources else {}
        out = Rows()
        for r in rows:
            d = r._asdict()
            for k in ("date", "date_min", "date_max", "first_report", "last_report"):
                d[k] = _iso(d[k])
            d["planned"], d["negated"] = bool(d["planned"]), bool(d["negated"])
            d["actors"] = [names.get(k, {"entity": k, "name": k, "country": None}) for k in r.actors or []]
            d["recipients"] = [names.get(k, {"entity": k, "name": k, "country": None}) for k in r.recipients or []]
            d["planned_as"] = plans.get(r.id, [])
            if sources:
                d["sources"] = reports.get(r.id, [])
            out.append(d)
        return out

    def _entity_names(self, conn: Connection, keys: set[str]) -> dict[str, dict]:
        x = S.entities.c
        out = {}
        for chunk in _chunks(sorted(keys)):
            for r in conn.execute(select(x.key, x.name, x.country).where(x.key.in_(chunk))):
                out[r.key] = {"entity": r.key, "name": r.name, "country": r.country}
        return out

    def _reports(self, conn: Connection, merged_ids: Sequence[str]) -> dict[str, list[dict]]:
        e, art = S.events.c, S.articles.c
        out: dict[str, list[dict]] = {}
        for chunk in _chunks(list(merged_ids)):
            for r in conn.execute(select(e.merged_id, e.id, e.article_id, e.event_text, e.sentence, e.date,
                                         art.source, art.title, art.url, art.published, art.published_at)
                                  .join(S.articles, art.id == e.article_id).where(e.merged_id.in_(chunk))
                                  .order_by(e.merged_id, art.published_at, e.id)):
                out.setdefault(r.merged_id, []).append(
                    {"event_id": r.id, "article_id": r.article_id, "source": r.source, "title": r.title,
                     "url": r.url, "published": r.published, "date": _iso(r.date), "event_text": r.event_text,
                     "sentence": r.sentence})
        return out

    def actors(self, name: Optional[str] = None, country: Optional[str] = None, kind: Optional[str] = None,
               limit: Optional[int] = None) -> Rows:
        """Entities (actors merged across articles), the most reported first."""
        x = S.entities.c
        q = select(x).order_by(x.n_articles.desc(), x.name, x.key)
        if name:
            q = q.where(x.key.in_(self._entity_match(name)))
        if country:
            q = q.where(x.country == country.strip().upper())
        if kind:
            q = q.where(x.kind == kind.strip().lower())
        if limit:
            q = q.limit(limit)
        with self._tx("query actors") as conn:
            rows = conn.execute(q).all()
        out = Rows()
        for r in rows:
            d = r._asdict()
            d["first_seen"], d["last_seen"] = _iso(d["first_seen"]), _iso(d["last_seen"])
            out.append(d)
        return out

    def documents(self, name: Optional[str] = None, limit: Optional[int] = None,
                  sources: Optional[int] = None, steps: Optional[int] = None) -> Rows:
        """Documents merged across articles, each with its status timeline: the changes of status
        in time order (``n_steps``), each step with ``since``, ``until``, ``n_sources`` and its
        ``sources`` (the reports at that status: article, document, outlet, publication time).

        ``name``: a name or part of one (or a document key). For long histories, ``steps``: list
        at most that many steps, the first ``steps // 4`` and the latest ones; ``sources``: list at
        most that many reports a step, its first and last ``sources // 2`` (the counts still count
        them all). None (the default) lists everything.
        """
        for what, value in (("sources", sources), ("steps", steps)):
            if value is not None and value < 0:
                raise ValueError(f"{what}: {value} is not a number (0 or more, or None for all)")
        md, mn = S.merged_documents.c, S.merged_document_names.c
        q = select(md).order_by(md.last_report.desc(), md.name, md.key)
        if name:
            like = f"%{_like(name.strip().lower())}%"
            q = q.where(or_(md.key == name.strip(),
                            md.key.in_(select(mn.key).where(mn.name.like(like, escape="\\")))))
        if limit:
            q = q.limit(limit)
        with self._tx("query documents") as conn:
            rows = conn.execute(q).all()
            timelines = self._timelines(conn, {r.key: r.n_steps or 0 for r in rows}, sources, steps)
        out = Rows()
        for r in rows:
            x = r._asdict()
            x["first_report"], x["last_report"] = _iso(x["first_report"]), _iso(x["last_report"])
            x["timeline"] = timelines.get(r.key, [])
            out.append(x)
        return out

    def _timelines(self, conn: Connection, n_steps: dict[str, int], sources: Optional[int],
                   steps: Optional[int]) -> dict[str, list[dict]]:
        """The stored timelines of these merged documents (key -> its number of steps); the steps
        and a step's sources are read by index ranges, never more than are shown."""
        ds, d, art = S.document_steps.c, S.documents.c, S.articles.c
        found: dict[str, list] = {}
        shown = []  # (key, first, last) steps to read
        for key, n in n_steps.items():
            if n and (steps is None or n <= steps):
                shown.append((key, 0, n - 1))
            elif n and steps:
                shown.extend([(key, 0, steps // 4 - 1), (key, n - (steps - steps // 4), n - 1)])
        for chunk in _chunks(_spans(shown), 100):
            where = or_(*(and_(ds.doc_key == key, ds.step.between(first, last)) for key, first, last in chunk))
            for r in conn.execute(select(ds.doc_key, ds.step, ds.status, ds.since, ds.until, ds.n_sources,
                                         ds.first_position, ds.last_position).where(where)
                                  .order_by(ds.doc_key, ds.step)):
                found.setdefault(r.doc_key, []).append(r)
        wanted: dict[tuple[str, int], list[tuple[int, int]]] = {}  # (key, step) -> position ranges listed
        for key, listed in found.items():
            for st in listed:
                half = (sources or 0) // 2
                if sources is None or st.n_sources <= sources:
                    wanted[(key, st.step)] = [(st.first_position, st.last_position)]
                else:
                    wanted[(key, st.step)] = [(st.first_position, st.first_position + half - 1),
                                              (st.last_position - half + 1, st.last_position)] if half else []
        at: dict[tuple[str, int], dict] = {}
        columns = (d.doc_key, d.position, d.id, d.article_id, art.source, art.published_at)
        ranges = _spans([(key, a, b) for (key, _), spans in wanted.items() for a, b in spans])
        for chunk in _chunks(ranges, 100):
            where = or_(*(and_(d.doc_key == key, d.position.between(first, last)) for key, first, last in chunk))
            for doc_key, position, doc_id, article_id, source, published in conn.execute(
                    select(*columns).join(S.articles, art.id == d.article_id).where(where)).all():
                at[(doc_key, position)] = {"article_id": article_id, "document_id": doc_id, "source": source,
                                           "published": _iso(published)}
        out: dict[str, list[dict]] = {}
        for key, listed in found.items():
            out[key] = [{"status": st.status, "since": _iso(st.since), "until": _iso(st.until),
                         "n_sources": st.n_sources,
                         "sources": [at[(key, p)] for a, b in wanted[(key, st.step)] for p in range(a, b + 1)
                                     if (key, p) in at]}
                        for st in listed]
        return out

    def quotes(self, speaker: Optional[str] = None, article: Optional[str] = None,
               limit: Optional[int] = None) -> Rows:
        """Quotes with their speaker, newest article first."""
        qt, ac, art = S.quotes.c, S.actors.c, S.articles.c
        q = (select(qt.id, qt.article_id, qt.text, qt.kind, qt.cue, qt.speaker_entity, ac.name.label("speaker"),
                    ac.country.label("speaker_country"), art.source, art.title, art.published)
             .join(S.articles, art.id == qt.article_id)
             .outerjoin(S.actors, ac.id == qt.speaker_id)
             .order_by(art.published_at.desc(), qt.article_id, qt.span_start))
        if speaker:
            q = q.where(qt.speaker_entity.in_(self._entity_match(speaker)))
        if article:
            q = q.where(qt.article_id == article)
        if limit:
            q = q.limit(limit)
        with self._tx("query quotes") as conn:
            return Rows(r._asdict() for r in conn.execute(q))

    def errors(self, limit: Optional[int] = None) -> Rows:
        """Articles that could not be stored: path, item, kind, reason, time."""
        e = S.errors.c
        q = select(e.path, e.item, e.kind, e.reason, e.time).order_by(e.time, e.id)
        if limit:
            q = q.limit(limit)
        with self._tx("read the errors") as conn:
            return Rows({**r._asdict(), "time": _iso(r.time)} for r in conn.execute(q))

    def counts(self) -> dict[str, int]:
        """Rows per table (parley_schema left out)."""
        with self._tx("count rows") as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                    for t in S.TABLES if t is not S.schema_table}


def _uncached(conn: Connection) -> Connection:
    """The merge builds statements whose shape changes with every batch (OR-lists of groups and
    dates): SQLAlchemy's compiled cache kept each one, and the writer's memory grew with every merge."""
    return conn.execution_options(compiled_cache=None)


def _spans(ranges: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """(key, first, last) ranges with the touching ones of a key joined: fewer conditions to send."""
    out: list[tuple[str, int, int]] = []
    for key, first, last in sorted(ranges):
        if out and out[-1][0] == key and first <= out[-1][2] + 1:
            out[-1] = (key, out[-1][1], max(last, out[-1][2]))
        else:
            out.append((key, first, last))
    return out


_GROUPS_PER_TX = 500  # groups merged in one transaction (a known group is read only near its new reports)
_MAX_RANGES = 64  # date ranges a group is read by; more are joined (reading more of it, never less)


def _cover(ranges: list[tuple[date, date]], lo: date, hi: date) -> list[tuple[date, date]]:
    """Sorted, disjoint date ranges with [lo, hi] added: overlapping or touching ones joined, and
    the nearest joined while there are more than _MAX_RANGES."""
    for a, b in ranges:
        if a <= lo and hi <= b:
            return ranges
    out: list[list[date]] = []
    for a, b in sorted([*ranges, (lo, hi)]):
        if out and (a - out[-1][1]).days <= 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    while len(out) > _MAX_RANGES:
        i = min(range(len(out) - 1), key=lambda k: (out[k + 1][0] - out[k][1], k))
        out[i:i + 2] = [[out[i][0], max(out[i][1], out[i + 1][1])]]
    return [(a, b) for a, b in out]


def _within(ranges: list[tuple[date, date]], lo: date, hi: date, margin: timedelta) -> bool:
    """Whether [lo, hi] lies in one of ``ranges`` widened by ``margin``."""
    return any(a - margin <= lo and hi <= b + margin for a, b in ranges)


def _relink_plans(conn: Connection, merged: list[M.MergedEvent], replaced: list) -> None:
    """Link again the plans that the merged events just written, or the ones they replaced, may
    come true as (merge.realised_as over the events of the group near each plan), whether the plan
    was written now or before."""
    m = S.merged_events.c
    day = timedelta(days=1)
    columns = (m.id, m.group_key, m.event, m.planned, m.negated, m.date, m.first_report, m.realised_by)
    dated: dict[str, list] = {}
    undated: dict[str, list] = {}
    for x in [*merged, *replaced]:
        if not x.planned and not x.negated and x.date:
            (lo, hi), (first, last) = M.plans_realised_by(x)
            dated[x.group_key] = _cover(dated.get(x.group_key, []), lo, hi)
            undated[x.group_key] = _cover(undated.get(x.group_key, []), first, last)
    plans = {x.id: x for x in merged if x.planned and not x.negated}
    conds = [and_(m.group_key == g, m.date.between(lo, hi)) for g, rs in dated.items() for lo, hi in rs]
    conds += [and_(m.group_key == g, m.date.is_(None), m.first_report >= datetime.combine(lo, datetime.min.time()),
                   m.first_report < datetime.combine(hi + day, datetime.min.time()))
              for g, rs in undated.items() for lo, hi in rs]
    for chunk in _chunks(conds, 100):
        for r in conn.execute(select(*columns).where(or_(*chunk), m.planned.is_(True), m.negated.is_(False))):
            plans.setdefault(r.id, r)
    if not plans:
        return
    # the events that took place near those plans
    near: dict[str, list] = {}
    for p in plans.values():
        span = M.plan_dates(p)
        if span:
            near[p.group_key] = _cover(near.get(p.group_key, []), *span)
    done: dict[str, list] = {}
    for chunk in _chunks([(g, lo, hi) for g, rs in near.items() for lo, hi in rs], 100):
        for r in conn.execute(select(*columns).where(or_(*(and_(m.group_key == g, m.date.between(lo, hi))
                                                           for g, lo, hi in chunk)),
                                                     m.planned.is_(False), m.negated.is_(False))):
            done.setdefault(r.group_key, []).append(r)
    for rs in done.values():
        rs.sort(key=lambda r: r.date)
    changes = []
    for p in plans.values():
        span = M.plan_dates(p)
        found = None
        if span:
            rs = done.get(p.group_key, [])
            i = bisect_left(rs, span[0], key=lambda r: r.date)
            j = bisect_right(rs, span[1], key=lambda r: r.date)
            found = M.realised_as(p, rs[i:j])
        if found != p.realised_by:
            changes.append({"pid": p.id, "to": found})
    if changes:
        conn.execute(update(S.merged_events).where(m.id == bindparam("pid")).values(realised_by=bindparam("to")),
                     changes)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _version() -> str:
    from .. import __version__

    return __version__


# --------------------------------------------------------------------------- documents


def _document_rows(conn: Connection, doc_ids: Iterable[str]) -> list[M.DocumentRow]:
    d, art = S.documents.c, S.articles.c
    out = []
    for ids in _chunks(sorted(doc_ids)):
        for r in conn.execute(select(d.id, d.article_id, d.name, d.aliases, d.kind, d.status,
                                     art.published_at, art.source)
                              .join(S.articles, art.id == d.article_id).where(d.id.in_(ids))):
            out.append(M.DocumentRow(id=r.id, article_id=r.article_id, name=r.name,
                                     aliases=tuple(r.aliases or ()), kind=r.kind, status=r.status,
                                     published=r.published_at, source=r.source))
    return out


def _add_documents(conn: Connection, doc_ids: set[str]) -> None:
    """Merge new documents: one that shares a name with exactly one merged document extends it
    (its counts in SQL, its timeline recomputed only from the first new report on, so a document
    reported for years is not read again at each merge); the others (new names, or names that
    join merged documents together) are merged again whole."""
    mn = S.merged_document_names.c
    new = _document_rows(conn, doc_ids)
    names = {r.id: M.document_names(r.name, r.aliases) for r in new}
    owner: dict[str, str] = {}  # normalised name -> the merged document holding it
    for chunk in _chunks(sorted({n for ns in names.values() for n in ns})):
        owner.update(conn.execute(select(mn.name, mn.key).where(mn.name.in_(chunk))).all())
    # a new document is joined to another by a shared name, and to a merged document by a name it holds
    groups = M.linked([[*names[r.id], *("\0" + owner[n] for n in names[r.id] if n in owner)] for r in new])
    again: set[str] = set()
    for members in ([new[i] for i in group] for group in groups):
        keys = {owner[n] for r in members for n in names[r.id] if n in owner}
        if len(keys) == 1:
            _extend_document(conn, keys.pop(), members, names)
        else:
            again.update(n for r in members for n in names[r.id])
    if again:
        _merge_documents(conn, again)


def _extend_document(conn: Connection, key: str, new: list[M.DocumentRow], names: dict[str, list[str]]) -> None:
    """Add new documents to the merged document ``key``: what merge.merge_documents gives for
    all its documents, read from SQL counts and the timeline's tail only."""
    d, md, mn = S.documents.c, S.merged_documents.c, S.merged_document_names.c
    old = conn.execute(select(md).where(md.key == key)).one()
    known = set(conn.execute(select(mn.name).where(mn.key == key)).scalars())
    normalised = {n for n in known if M.document_names(n) == [n]} | {n for r in new for n in names[r.id]}
    new_key = "d:" + hashlib.sha1(min(normalised).encode("utf-8")).hexdigest()[:16]
    counts = Counter(dict(conn.execute(select(d.name, func.count()).where(d.doc_key == key).group_by(d.name)).all()))
    counts.update(r.name for r in new)
    shown = M.mode_value(counts)
    kinds = Counter(dict(conn.execute(select(d.kind, func.count()).where(d.doc_key == key, d.kind.isnot(None))
                                      .group_by(d.kind)).all()))
    kinds.update(r.kind for r in new if r.kind)
    every_name = set(old.aliases or ()) | {old.name} | {x for r in new for x in (r.name, *r.aliases)}
    articles = {r.article_id for r in new}
    seen = set(conn.execute(select(d.article_id).where(d.doc_key == key, d.article_id.in_(sorted(articles)))).scalars())
    reports = [x for x in (old.first_report, old.last_report, *(r.published for r in new)) if x]
    values = {"key": new_key, "name": shown, "aliases": sorted(every_name - {shown}), "kind": M.mode_value(kinds),
              "n_sources": old.n_sources + len(articles - seen), "first_report": min(reports, default=None),
              "last_report": max(reports, default=None)}
    placed: dict[str, Optional[int]] = {r.id: None for r in new}
    dated = sorted((r for r in new if r.status), key=lambda r: M.report_order(r.published, r.article_id, r.id))
    if dated:
        values.update(_extend_timeline(conn, key, dated, placed))
    if new_key != key:  # a new name sorts first: the key moves (no other merged document holds that name)
        for table in (S.document_steps, S.merged_document_names, S.documents):
            column = table.c.doc_key if "doc_key" in table.c else table.c.key
            conn.execute(update(table).where(column == key).values({column.name: new_key}))
    conn.execute(update(S.merged_documents).where(md.key == key).values(**values))
    added = {x for r in new for x in (r.name.lower(), *names[r.id])} - known
    if added:
        conn.execute(insert(S.merged_document_names), [{"key": new_key, "name": n} for n in sorted(added)])
    conn.execute(update(S.documents).where(d.id == bindparam("did")).values(doc_key=new_key, position=bindparam("pos")),
                 [{"did": i, "pos": p} for i, p in placed.items()])


def _extend_timeline(conn: Connection, key: str, dated: list[M.DocumentRow],
                     placed: dict[str, Optional[int]]) -> dict:
    """Put new reports with a status (sorted) into the timeline of ``key``: the reports from the
    first new one on are placed again, the steps from the one before it recomputed. ``placed``
    gets every moved report's new position; returns the merged document's new status and n_steps."""
    d, ds, art = S.documents.c, S.document_steps.c, S.articles.c
    first = M.report_order(dated[0].published, dated[0].article_id, dated[0].id)
    tail: list[tuple] = []  # the stored reports at or after the first new one: (order, id, status, published)
    before = None  # the last stored report before it
    below = None  # read backwards from the end, 200 at a time, until a report before the first new one
    while before is None:
        q = (select(d.id, d.article_id, d.status, d.position, art.published_at)
             .join(S.articles, art.id == d.article_id)
             .where(d.doc_key == key, d.position.isnot(None)).order_by(d.position.desc()).limit(200))
        rows = conn.execute(q.where(d.position < below) if below is not None else q).all()
        for r in rows:
            at = M.report_order(r.published_at, r.article_id, r.id)
            if at < first:
                before = (at, r)
                break
            tail.append((at, r.id, r.status, r.published_at))
        if before is None and len(rows) < 200:
            break
        below = rows[-1].position if rows else below
    start = before[1].position + 1 if before else 0
    reports = sorted([*tail, *((M.report_order(r.published, r.article_id, r.id), r.id, r.status, r.published)
                               for r in dated)])
    steps: list[dict] = []
    if before:  # the step holding the report before: kept up to it, then continued
        held = conn.execute(select(ds.step, ds.status, ds.since, ds.first_position).where(
            ds.doc_key == key, ds.first_position <= before[1].position, ds.last_position >= before[1].position)).one()
        steps.append({"step": held.step, "status": held.status, "since": held.since, "until": before[1].published_at,
                      "first_position": held.first_position, "last_position": before[1].position})
    for position, (_, doc_id, status, published) in enumerate(reports, start):
        placed[doc_id] = position
        if steps and steps[-1]["status"] == status:
            steps[-1].update(until=published, last_position=position)
        else:
            steps.append({"step": steps[-1]["step"] + 1 if steps else 0, "status": status, "since": published,
                          "until": published, "first_position": position, "last_position": position})
    conn.execute(delete(S.document_steps).where(ds.doc_key == key, ds.step >= steps[0]["step"]))
    conn.execute(insert(S.document_steps), [
        {"doc_key": key, **x, "since": M.report_time(x["since"]), "until": M.report_time(x["until"]),
         "n_sources": x["last_position"] - x["first_position"] + 1} for x in steps])
    return {"status": steps[-1]["status"], "n_steps": steps[-1]["step"] + 1}


def _merge_documents(conn: Connection, names: set[str]) -> None:
    """Recompute the merged documents that share a name with ``names`` (transitively): their rows,
    their status timelines (one row a step, each member's position in it) and their names."""
    dn, d = S.document_names.c, S.documents.c
    docs: set[str] = set()
    seen_names: set[str] = set()
    frontier = set(names)
    while frontier:  # documents joined by a shared name, transitively
        seen_names |= frontier
        new_docs: set[str] = set()
        for chunk in _chunks(sorted(frontier)):
            new_docs.update(conn.execute(select(dn.document_id).where(dn.name.in_(chunk))).scalars())
        new_docs -= docs
        docs |= new_docs
        frontier = set()
        for chunk in _chunks(sorted(new_docs)):
            frontier.update(conn.execute(select(dn.name).where(dn.document_id.in_(chunk))).scalars())
        frontier -= seen_names
    before: dict[str, tuple] = {}
    for chunk in _chunks(sorted(docs)):
        before.update((r.id, (r.doc_key, r.position))
                      for r in conn.execute(select(d.id, d.doc_key, d.position).where(d.id.in_(chunk))))
    rows = _document_rows(conn, docs)
    merged = M.merge_documents(rows)
    gone = {k for k, _ in before.values() if k} | {m.key for m in merged}
    for chunk in _chunks(sorted(gone)):
        conn.execute(delete(S.merged_documents).where(S.merged_documents.c.key.in_(chunk)))
        conn.execute(delete(S.document_steps).where(S.document_steps.c.doc_key.in_(chunk)))
        conn.execute(delete(S.merged_document_names).where(S.merged_document_names.c.key.in_(chunk)))
    if not merged:
        return
    conn.execute(insert(S.merged_documents), [
        {"key": m.key, "name": m.name, "aliases": m.aliases, "kind": m.kind, "status": m.status,
         "n_sources": m.n_sources, "first_report": m.first_report, "last_report": m.last_report,
         "n_steps": len(m.timeline)} for m in merged])
    by_id = {r.id: r for r in rows}
    steps, found, placed = [], [], {}
    for m in merged:
        position = 0  # the timeline lists the reports with a status in order: a step is a range
        for i, step in enumerate(m.timeline):
            first = position
            for source in step["sources"]:
                placed[source["document_id"]] = position
                position += 1
            steps.append({"doc_key": m.key, "step": i, "status": step["status"], "since": M.report_time(step["since"]),
                          "until": M.report_time(step["until"]), "n_sources": len(step["sources"]),
                          "first_position": first, "last_position": position - 1})
        names_of = {by_id[i].name.lower() for i in m.documents}
        for i in m.documents:
            names_of.update(M.document_names(by_id[i].name, by_id[i].aliases))
        found.extend({"key": m.key, "name": n} for n in sorted(names_of))
    for chunk in _chunks(steps, 5000):
        conn.execute(insert(S.document_steps), chunk)
    for chunk in _chunks(found, 5000):
        conn.execute(insert(S.merged_document_names), chunk)
    changes = [{"did": i, "key": m.key, "pos": placed.get(i)} for m in merged for i in m.documents
               if before.get(i) != (m.key, placed.get(i))]
    if changes:
        conn.execute(update(S.documents).where(d.id == bindparam("did"))
                     .values(doc_key=bindparam("key"), position=bindparam("pos")), changes)


def remerge_documents(conn: Connection) -> None:
    """Recompute every merged document (what the migration to schema 2 runs: it fills the
    timelines and names tables)."""
    dn, d = S.document_names.c, S.documents.c
    names = set(conn.execute(select(dn.name).join(S.documents, d.id == dn.document_id)
                             .where(d.doc_key.isnot(None)).distinct()).scalars())
    if names:
        _merge_documents(conn, names)


# --------------------------------------------------------------------------- record -> rows

_WRITE_ORDER = [S.articles, S.actors, S.places, S.mentions, S.events, S.event_actors, S.event_dyads,
                S.event_documents, S.quotes,
                S.commitments, S.documents, S.document_names]


def _rows(record: Record) -> dict[str, list[dict]]:
    """The table rows of one record (``articles.record`` keeps the record itself)."""
    art = record.article
    text = art.text
    keys = {a.id: M.entity_key(a) for a in record.actors}
    countries = {a.id: a.country for a in record.actors}
    names = {a.id: a.name for a in record.actors}
    published_at = M.report_time(art.published)
    rows: dict[str, list[dict]] = {t.name: [] for t in _WRITE_ORDER}
    rows["articles"].append({
        "id": art.id, "content_hash": Store.content_hash(text), "url": art.url, "title": art.title,
        "source": art.source, "published": art.published, "published_at": published_at,
        "language": art.language, "section": art.section, "path": art.path,
        "parley_version": record.parley_version, "model": record.model, "n_actors": len(record.actors),
        "n_events": len(record.events), "ingested_at": _now(), "merged": False, "record": record.to_json()})

    def mentions(owner: str, owner_id: str, items) -> None:
        rows["mentions"].extend({"article_id": art.id, "owner_id": owner_id, "owner": owner, "span_start": m.start,
                                 "span_end": m.end, "text": m.text} for m in items)

    for a in record.actors:
        rows["actors"].append({"id": a.id, "article_id": art.id, "name": a.name, "kind": a.kind,
                               "country": a.country, "sector": a.sector, "office": a.office,
                               "wikidata": a.wikidata, "entity_key": keys[a.id], "n_mentions": len(a.mentions)})
        mentions("actor", a.id, a.mentions)
    for p in record.places:
        rows["places"].append({"id": p.id, "article_id": art.id, "name": p.name, "country": p.country,
                               "lat": p.lat, "lon": p.lon})
        mentions("place", p.id, p.mentions)
    for e in record.events:
        when = _as_date(e.date, f"event {e.id}") if e.date else None
        loc = e.location
        rows["events"].append({
            "id": e.id, "article_id": art.id, "event": e.event, "mode": e.mode, "context": list(e.context),
            "cameo": e.cameo, "date": when, "date_text": e.date_text, "planned": bool(e.planned),
            "negated": bool(e.negated), "place": loc.name if loc else None, "place_country": loc.country if loc else None,
            "lat": loc.lat if loc else None, "lon": loc.lon if loc else None, "event_text": e.event_text,
            "trigger_start": e.trigger.start, "trigger_end": e.trigger.end, "sentence_start": e.sentence.start,
            "sentence_end": e.sentence.end, "sentence": text[e.sentence.start:e.sentence.end],
            "evidence": [[s.start, s.end] for s in e.evidence], "quote_id": getattr(e, "quote", None),
            "group_key": M.group_key((keys[i] for i in e.actor if i in keys),
                                     (keys[i] for i in e.recipient if i in keys), e.id),
            "merged_id": None})
        for role, ids in (("actor", e.actor), ("recipient", e.recipient)):
            rows["event_actors"].extend({"event_id": e.id, "role": role, "position": n, "actor_id": i,
                                         "entity_key": keys.get(i, i), "name": names.get(i, i),
                                         "country": countries.get(i),
                                         "event": e.event, "date": when} for n, i in enumerate(ids))
        tokens = {role: dict.fromkeys(t for i in ids for t in (keys.get(i, i), countries.get(i) and "c:" + countries[i])
                                      if t)
                  for role, ids in (("actor", e.actor), ("recipient", e.recipient))}
        rows["event_dyads"].extend({"event_id": e.id, "actor": x, "recipient": y, "date": when}
                                   for x in tokens["actor"] for y in tokens["recipient"])
        rows["event_documents"].extend({"event_id": e.id, "document_id": d} for d in dict.fromkeys(e.documents))
    for q in record.quotes:
        rows["quotes"].append({"id": q.id, "article_id": art.id, "speaker_id": q.speaker,
                               "speaker_entity": keys.get(q.speaker) if q.speaker else None, "text": q.text,
                               "kind": q.kind, "cue": q.cue, "span_start": q.span.start, "span_end": q.span.end})
    for c in record.commitments:
        rows["commitments"].append({
            "id": c.id, "article_id": art.id, "kind": c.kind, "amount": c.amount, "currency": c.currency,
            "quantity": c.quantity, "item": c.item, "giver": list(c.giver), "recipient": list(c.recipient),
            "purpose": c.purpose, "status": c.status, "planned": bool(c.planned), "event_id": c.event,
            "span_start": c.span.start, "span_end": c.span.end})
    for d in record.documents:
        rows["documents"].append({"id": d.id, "article_id": art.id, "name": d.name, "aliases": list(d.aliases),
                                  "kind": d.kind, "parties": list(d.parties), "status": d.status, "doc_key": None})
        mentions("document", d.id, d.mentions)
        rows["document_names"].extend({"document_id": d.id, "name": n} for n in M.document_names(d.name, d.aliases))
    return rows


def _merged_row(m: M.MergedEvent) -> dict:
    return {"id": m.id, "group_key": m.group_key, "event": m.event, "mode": m.mode, "planned": m.planned,
            "negated": m.negated, "date": m.date, "date_min": m.date_min, "date_max": m.date_max, "place": m.place,
            "place_country": m.place_country, "actors": m.actors, "recipients": m.recipients,
            "n_sources": m.n_sources, "n_events": len(m.events), "first_report": m.first_report,
            "last_report": m.last_report, "realised_by": m.realised_by}
