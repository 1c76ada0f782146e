"""Schema version and migration; a store that cannot be reached, read or written: a clear
StoreError, a rolled-back transaction, nothing lost."""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys

import pytest
import sqlalchemy as sa

from conftest import make_record
from parley.store import SCHEMA_VERSION, StoreError, open_store
from parley.store import schema as S

PEOPLE = {"u": ("Ukraine", "state", "UKR", None), "s": ("United States", "state", "USA", None)}


def small(i: int):
    return make_record(f"r-{i}", f"2025-12-{10 + i:02d}T08:00:00", "Atlas Wire", PEOPLE,
                       [{"type": "CONSULT", "actor": ["u"], "recipient": ["s"], "date": f"2025-12-{10 + i:02d}"}])


def _set_version(url: str, version: int) -> None:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(sa.update(S.schema_table).values(version=version))
    engine.dispose()


def test_a_new_store_records_its_schema_version(store):
    assert store.schema_version == SCHEMA_VERSION
    names = set(sa.inspect(store.engine).get_table_names())
    assert {t.name for t in S.TABLES} <= names


def test_a_newer_store_is_refused_with_what_to_do(store_url):
    open_store(store_url).close()
    _set_version(store_url, SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match=rf"newer parley \(schema version {SCHEMA_VERSION + 1}.*upgrade parley"):
        open_store(store_url)


def test_an_older_store_is_migrated(store_url, monkeypatch):
    with open_store(store_url) as s:
        s.add(small(1))
        before = list(s.iter_records())

    def add_note(op):  # what a real migration step looks like
        op.add_column("articles", sa.Column("note", sa.String))

    monkeypatch.setattr(S, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(S, "MIGRATIONS", {SCHEMA_VERSION: add_note})
    with open_store(store_url) as s:
        assert s.schema_version == SCHEMA_VERSION + 1
        columns = {c["name"] for c in sa.inspect(s.engine).get_columns("articles")}
        assert "note" in columns
        assert list(s.iter_records()) == before
        s.add(small(2))
        assert s.counts()["articles"] == 2


def _back_to_version_1(url: str) -> None:
    """Undo schemas 3 and 2 by hand (what parley 0.1 wrote), keeping the rows."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        for statement in ("DROP TABLE event_dyads", "DROP INDEX ix_events_group_date",
                          "DROP INDEX ix_merged_events_group_date",
                          "CREATE INDEX ix_events_group_key ON events (group_key)",
                          "CREATE INDEX ix_merged_events_group_key ON merged_events (group_key)",
                          "DROP TABLE document_steps", "DROP TABLE merged_document_names",
                          "DROP INDEX ix_documents_key_position", "ALTER TABLE documents DROP COLUMN position",
                          "ALTER TABLE merged_documents DROP COLUMN n_steps",
                          "DROP INDEX ix_event_actors_entity", "DROP INDEX ix_event_actors_country",
                          "CREATE INDEX ix_event_actors_entity ON event_actors (entity_key, role, date)",
                          "CREATE INDEX ix_event_actors_country ON event_actors (country, role, date)"):
            conn.execute(sa.text(statement))
        conn.execute(sa.update(S.schema_table).values(version=1))
    engine.dispose()


def test_a_version_1_store_is_migrated_with_its_document_timelines(store_url):
    statuses = ["proposed", "under negotiation", "under negotiation", "signed"]
    with open_store(store_url) as s:
        for i, status in enumerate(statuses):
            r = make_record(f"r-{i}", f"2025-12-{10 + i:02d}T08:00:00", "Atlas Wire", PEOPLE,
                            [{"type": "CONSULT", "actor": ["u"], "recipient": ["s"], "date": f"2025-12-{10 + i:02d}"}],
                            documents=[{"key": "p", "name": "the Peace Plan", "status": status}])
            s.add(r)
        before = (s.documents(), s.events(actor="Ukraine", recipient="USA"))
        dyads = _dyads(s)
    _back_to_version_1(store_url)
    with open_store(store_url) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert (s.documents(), s.events(actor="Ukraine", recipient="USA")) == before
        assert [x["status"] for x in before[0][0]["timeline"]] == ["proposed", "under negotiation", "signed"]
        indexes = {i["name"]: i["column_names"] for i in sa.inspect(s.engine).get_indexes("event_actors")}
        assert indexes["ix_event_actors_entity"] == ["entity_key", "role", "date", "event_id"]
        # schema 3: the dyads filled from the sides of the events, as storing them writes them
        assert _dyads(s) == dyads and len(dyads) == 4 * len(statuses)
        indexes = {i["name"]: i["column_names"] for i in sa.inspect(s.engine).get_indexes("events")}
        assert indexes["ix_events_group_date"] == ["group_key", "date"] and "ix_events_group_key" not in indexes


def test_a_version_3_store_merges_its_events_again_around_main_days(store_url):
    """Schema 3 merged chains of days a day apart; opening it merges the events again."""
    with open_store(store_url) as s:
        for day in (10, 11, 12, 13):
            s.add(make_record(f"c-{day}", f"2025-12-{day}T08:00:00", "Atlas Wire", PEOPLE,
                              [{"type": "CONSULT", "actor": ["u"], "recipient": ["s"], "date": f"2025-12-{day}"}]))
        before = [(m["id"], m["date"], m["n_sources"]) for m in s.merged_events()]
        entities = s.actors()
    assert len(before) == 4  # one report a day: four meetings
    engine = sa.create_engine(store_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:  # what schema 3 wrote: the chain of four days as one event
        ids = sorted(conn.execute(sa.select(S.merged_events.c.id)).scalars())
        conn.execute(sa.delete(S.merged_events).where(S.merged_events.c.id != ids[0]))
        conn.execute(sa.update(S.merged_events).values(n_sources=4, n_events=4, date_max=dt.date(2025, 12, 13)))
        conn.execute(sa.update(S.events).values(merged_id=ids[0]))
        conn.execute(sa.update(S.schema_table).values(version=3))
    engine.dispose()
    with open_store(store_url) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert [(m["id"], m["date"], m["n_sources"]) for m in s.merged_events()] == before
        assert s.actors() == entities and s.counts()["articles"] == 4


def _dyads(s):
    with s.engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(sa.select(S.event_dyads)))


def test_an_older_store_without_a_migration_says_how(store_url, monkeypatch):
    open_store(store_url).close()
    monkeypatch.setattr(S, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(S, "MIGRATIONS", {})
    with pytest.raises(StoreError, match="cannot be migrated.*ingest the articles again into a new store"):
        open_store(store_url)


def test_a_database_with_foreign_tables_named_like_ours_is_left_alone(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE articles (x INTEGER)")
        conn.execute("INSERT INTO articles VALUES (1)")
    with pytest.raises(StoreError, match="not made by parley"):
        open_store(str(path))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'events'").fetchone() == (0,)


def test_a_missing_store_is_not_created_for_reading(tmp_path):
    path = tmp_path / "nothing.db"
    with pytest.raises(StoreError, match="no parley store here"):
        open_store(str(path), create=False)
    assert not path.exists()


@pytest.mark.parametrize("url,message", [
    ("nosuchdb://host/x", "cannot use this URL"),
    ("postgresql://postgres@127.0.0.1:1/parley", "Connection refused.*is the database server running"),
    ("/no/such/folder/parley.db", "the folder /no/such/folder does not exist"),
])
def test_a_wrong_url_is_a_clear_error(url, message):
    with pytest.raises(StoreError, match=message):
        open_store(url)


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n" * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_store(str(path))
    assert path.read_text().startswith("shopping list")


@pytest.fixture
def read_only(tmp_path):
    """Make a file read-only for real: chattr +i for root (who ignores permissions), else chmod."""
    made = []

    def make(path):
        if os.geteuid() == 0:
            subprocess.run(["chattr", "+i", str(path)], check=True)
        else:
            path.chmod(0o444)
        made.append(path)

    yield make
    for path in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        else:
            path.chmod(0o644)


def test_a_read_only_file_can_be_read_not_written(tmp_path, read_only):
    path = tmp_path / "parley.db"
    with open_store(str(path)) as s:
        s.add(small(1))
        before = s.counts()
    read_only(path)
    with open_store(str(path)) as s:
        assert len(s.events()) == 1
        with pytest.raises(StoreError, match="cannot write: attempt to write a readonly database.*read-only"):
            s.check_writable()
        with pytest.raises(StoreError, match="cannot store article r-2: .*read-only"):
            s.add(small(2))
        assert s.counts() == before
    done = subprocess.run([sys.executable, "-m", "parley.cli", "ingest", str(tmp_path / "x.txt"), "--db", str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "cannot write" in done.stderr and "read-only" in done.stderr and "Traceback" not in done.stderr


def test_a_full_disk_keeps_nothing_half_written(tmp_path):
    path = tmp_path / "parley.db"
    s = open_store(str(path))
    s.add(small(1))
    before = s.counts()
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]

    @sa.event.listens_for(s.engine, "connect")
    def _full(dbapi_connection, _record):  # the file may not grow: SQLite's own "disk is full"
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    s.engine.dispose()
    big = small(2)
    big.article.text = "A long report. " * 20000
    with pytest.raises(StoreError, match="cannot store article r-2: database or disk is full.*free some space"):
        s.add(big)
    assert s.counts() == before
    assert list(s.iter_records()) == [small(1)]
    sa.event.remove(s.engine, "connect", _full)
    s.engine.dispose()
    assert s.add(big) is True
    s.close()


def test_an_unreachable_server_in_the_cli(tmp_path):
    done = subprocess.run([sys.executable, "-m", "parley.cli", "events", "--db", "postgresql://postgres@127.0.0.1:1/x"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("error: postgresql://postgres@127.0.0.1:1/x: cannot open the store")
    assert "Traceback" not in done.stderr
