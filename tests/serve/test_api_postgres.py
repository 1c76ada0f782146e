"""The API and pages over the same test store in PostgreSQL (the queries that differ by dialect:
months, dates, paging). Needs PARLEY_TEST_PG, as the store tests do (.ci/run starts a server)."""
from __future__ import annotations

import os
import uuid

import pytest

PG = os.environ.get("PARLEY_TEST_PG")


@pytest.fixture(scope="module")
def pg_client(serve_records):
    if not PG:
        pytest.skip("PostgreSQL tests need PARLEY_TEST_PG=postgresql://USER@HOST:PORT/DB (.ci/run starts a server)")
    import psycopg
    from fastapi.testclient import TestClient
    from sqlalchemy.engine import make_url

    from parley.serve import create_app
    from parley.store import open_store

    name = "parley_serve_" + uuid.uuid4().hex[:12]
    admin = PG.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(PG).set(database=name).render_as_string(hide_password=False)
    try:
        store = open_store(url)
        for record in serve_records:
            store.add(record, merge=False)
        store.merge()
        store.close()
        app = create_app(url)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client
        app.state.store.close()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def sqlite_client(client):
    return client


@pytest.mark.parametrize("path, params", [
    ("/api/summary", {}),
    ("/api/events", {"per_page": 500}),
    ("/api/events", {"sort": "date", "per_page": 7, "page": 2}),
    ("/api/events", {"sort": "type", "per_page": 500}),
    ("/api/events", {"country": "PAK", "since": "2025-12-01", "until": "2025-12-31"}),
    ("/api/events", {"actor": "' OR 1=1 --"}),
    ("/api/events", {"planned": "true"}),
    ("/api/merged-events", {"type": "CONSULT", "per_page": 500}),
    ("/api/actors/state:USA", {}),
    ("/api/documents", {}),
    ("/api/network", {"since": "2025-11-01", "until": "2026-03-31"}),
    ("/api/articles", {"since": "2026-01-01", "until": "2026-02-14"}),
])
def test_postgresql_answers_as_sqlite_does(pg_client, sqlite_client, path, params):
    got = pg_client.get(path, params=params)
    assert got.status_code == 200, got.text
    assert got.json() == sqlite_client.get(path, params=params).json()


@pytest.mark.parametrize("path", ["/", "/?country=PAK&since=2025-12-01", "/network", "/actors/state%3AUSA",
                                  "/documents", "/articles"])
def test_postgresql_pages(pg_client, path):
    r = pg_client.get(path)
    assert r.status_code == 200, r.text[:500]
    assert "internal error" not in r.text
