"""Stores for the tests: a real SQLite file, and a real PostgreSQL database when PARLEY_TEST_PG is set.

PARLEY_TEST_PG is the URL of a PostgreSQL server whose user may create databases (.ci/run starts
one); each test gets a database of its own, dropped afterwards.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from parley.record import Actor, Article, Document, Event, Location, Mention, Record, Span

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
PG = os.environ.get("PARLEY_TEST_PG")
NO_PG = "PostgreSQL tests need PARLEY_TEST_PG=postgresql://USER@HOST:PORT/DB (.ci/run starts a server and sets it)"

# Short reports written for these tests: one meeting announced, then reported by two outlets,
# and an unrelated call.
REPORTS = [
    ("Kyiv Desk", "2025-12-26T10:00:00",
     "Ukrainian President Volodymyr Zelensky will meet US President Donald Trump in Florida on Sunday, "
     "his office said."),
    ("Atlas Wire", "2025-12-29T09:00:00",
     "Ukrainian President Volodymyr Zelensky met US President Donald Trump in Florida on Sunday."),
    ("Gulf Courier", "2025-12-29T15:00:00+03:00",
     "US President Donald Trump met Ukrainian President Volodymyr Zelensky at his Florida residence on Sunday."),
    ("Atlas Wire", "2025-12-04T11:50:00",
     "Pakistan's Foreign Minister Ishaq Dar spoke by phone with Indian External Affairs Minister "
     "Subrahmanyam Jaishankar on Wednesday. Dar said: \"We remain committed to the ceasefire.\""),
]


@pytest.fixture(scope="session")
def fixture_records(nlp):
    """The fixture articles, coded once per session."""
    from parley.extract.pipeline import code_article
    from parley.read import read_path

    return [code_article(read_path(p)[0], nlp) for p in sorted(FIXTURES.glob("*.txt"))]


@pytest.fixture(scope="session")
def report_records(nlp):
    """REPORTS, coded once per session."""
    from parley.extract.pipeline import code_article
    from parley.read import read_text

    return [code_article(read_text(text, fmt="plain", published=published, source=source), nlp)
            for source, published, text in REPORTS]


def pg_admin():
    import psycopg

    return psycopg.connect(PG.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def pg_database_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database (dropped afterwards)."""
    if not PG:
        pytest.skip(NO_PG)
    name = "parley_test_" + uuid.uuid4().hex[:12]
    with pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_database_url(name)
    with pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """The URL of a new, empty store: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'parley.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url):
    from parley.store import open_store

    s = open_store(store_url)
    yield s
    s.close()


def make_record(article_id: str, published: str | None, source: str, actors: dict, events: list,
                documents: list = (), url: str | None = None) -> Record:
    """A small hand-made record. ``actors``: key -> (name, kind, country, wikidata);
    ``events``: dicts with type, actor, recipient (actor keys), date, and optionally planned,
    negated, mode, place (name, country), documents (document keys); ``documents``: dicts with
    key, name, aliases, status."""
    text = f"A report by {source} ({article_id})."
    aid = {k: f"{article_id}#a{i}" for i, k in enumerate(actors)}
    did = {d["key"]: f"{article_id}#d{i}" for i, d in enumerate(documents)}
    return Record(
        parley_version="0.1.0", model="hand-made",
        article=Article(id=article_id, text=text, published=published, source=source, url=url, language="en"),
        actors=[Actor(id=aid[k], name=n, kind=kind, country=c, wikidata=w,
                      mentions=[Mention(start=0, end=1, text="A")]) for k, (n, kind, c, w) in actors.items()],
        events=[Event(id=f"{article_id}#e{i}", event=e["type"], mode=e.get("mode"),
                      actor=[aid[k] for k in e["actor"]], recipient=[aid[k] for k in e.get("recipient", [])],
                      date=e.get("date"), planned=e.get("planned", False), negated=e.get("negated", False),
                      location=Location(name=e["place"][0], country=e["place"][1]) if e.get("place") else None,
                      event_text="met", trigger=Span(start=0, end=1), sentence=Span(start=0, end=len(text)),
                      documents=[did[k] for k in e.get("documents", [])])
                for i, e in enumerate(events)],
        documents=[Document(id=did[d["key"]], name=d["name"], aliases=d.get("aliases", []), kind=d.get("kind"),
                            status=d.get("status"), mentions=[Mention(start=0, end=1, text="A")])
                   for d in documents])
