"""`parley bench store`: synthetic events drawn from coded records, and the figures' shape (no timings asserted)."""
from __future__ import annotations

import json
import os
from datetime import date

import pytest
from rich.console import Console
from typer.testing import CliRunner

from parley import bench_store as B
from parley.record import Record

QUERY_KEYS = {"what", "median_ms", "min_ms", "max_ms", "rows", "runs"}
DOCUMENT_KEYS = {"articles", "steps", "n_steps"}  # a timeline: steps listed of n_steps, rows = reports listed
LOAD_KEYS = {"records", "events", "add_records", "add_seconds", "add_records_per_s", "bulk_records", "bulk_seconds",
             "bulk_records_per_s", "merge_seconds", "merged", "peak_rss_mb"}


@pytest.fixture(scope="module")
def templates(nlp):
    return B.template_records(4, in_child=False)


def test_templates_are_coded_generated_articles(templates):
    assert len(templates) == 4 and all(isinstance(r, Record) for r in templates)
    assert sum(len(r.events) for r in templates) >= 8
    assert len({r.article.id for r in templates}) == 4


def test_synthetic_records_vary_and_keep_their_shape(templates):
    synth = B.Synthesizer(templates, seed=3)
    records = list(synth.records(400))
    assert sum(len(r.events) for r in records) >= 400
    assert len({r.article.id for r in records}) == len(records)
    assert len({r.article.text for r in records}) == len(records)  # the store keys on the text's hash
    shapes = {tuple((e.event, e.mode, e.event_text) for e in t.events): t for t in templates}
    years = set()
    for r in records:
        template = shapes[tuple((e.event, e.mode, e.event_text) for e in r.events)]
        published = date.fromisoformat(r.article.published[:10])
        assert B.FIRST_DAY <= published <= date(2025, 12, 31)
        years.add(published.year)
        shift = published - date.fromisoformat(template.article.published[:10])
        for e, t in zip(r.events, template.events):
            assert e.id.startswith(r.article.id + "#") and e.id.split("#")[1] == t.id.split("#")[1]
            assert (e.date is None) == (t.date is None)
            if e.date:
                assert date.fromisoformat(e.date) - date.fromisoformat(t.date) == shift
            assert len(e.actor) == len(t.actor) and all(x in {a.id for a in r.actors} for x in e.actor + e.recipient)
        assert [a.kind for a in r.actors] == [a.kind for a in template.actors]
        assert len({(a.name, a.kind) for a in r.actors if a.kind in synth.pools}) == \
            len([a for a in r.actors if a.kind in synth.pools])  # no actor twice in one article
        for d in r.documents:  # a document mention points at its name in the text
            for m in d.mentions:
                assert r.article.text[m.start:m.end] == m.text
    assert len(years) >= 5  # dates over years
    names = {a.name for r in records for a in r.actors}
    assert len(names) > len({a.name for t in templates for a in t.actors})  # more actors than the templates had
    # the Zipf law: the busiest actor is in many more events than the typical one
    picks = synth.picks()
    counts = synth.actor_events
    assert counts[picks["actor"]["busiest"]] > counts[picks["actor"]["typical"]]
    assert picks["dyad"]["busiest"] in synth.dyads and picks["document"]


def test_synthesis_is_deterministic(templates):
    one = [r.to_dict() for r in B.Synthesizer(templates, seed=5).records(60)]
    two = [r.to_dict() for r in B.Synthesizer(templates, seed=5).records(60)]
    other = [r.to_dict() for r in B.Synthesizer(templates, seed=6).records(60)]
    assert one == two and one != other


def test_bulk_rows_are_the_rows_of_store_add(templates, tmp_path):
    """The bulk path (Store.add_many) writes what Store.add writes (ingest time aside)."""
    from sqlalchemy import select

    from parley.store import open_store
    from parley.store import schema as S

    records = list(B.Synthesizer(templates, seed=9).records(40))
    dumps = {}
    for name, put in (("add", lambda s: [s.add(r, merge=False) for r in records]),
                      ("bulk", lambda s: s.add_many(records, merge=False))):
        with open_store(str(tmp_path / f"{name}.db")) as store:
            put(store)
            store.merge()
            with store.engine.connect() as conn:
                dumps[name] = {t.name: sorted(tuple(str(v) for k, v in row._mapping.items()
                                                    if k not in ("ingested_at", "id" if t.name in ("mentions", "errors") else ""))
                                              for row in conn.execute(select(t)))
                               for t in S.TABLES if t is not S.schema_table}
    assert dumps["add"]["events"] and dumps["add"] == dumps["bulk"]


@pytest.fixture(scope="module")
def figures(templates):
    return B.run_store_bench(n=300, runs=2, add_sample=5, templates=templates, seed=4)


def test_store_bench_figures(figures):
    assert figures["events"] == 300 and figures["runs"] == 2
    (sqlite,) = figures["backends"]
    assert sqlite["backend"] == "sqlite"
    load = sqlite["load"]
    assert set(load) == LOAD_KEYS
    assert load["events"] >= 300 and load["add_records"] == 5 and load["bulk_records"] == load["records"] - 5
    assert load["add_records_per_s"] > 0 and load["bulk_records_per_s"] > 0 and load["merged"]["articles"] == load["records"]
    assert sqlite["db_size_mb"] > 0 and sqlite["peak_rss_mb"] > 0
    queries = sqlite["queries"]
    assert {"actor_year_typical", "actor_year_busiest", "dyad_typical", "dyad_busiest", "week"} <= set(queries)
    for name, q in queries.items():
        assert set(q) == QUERY_KEYS | (DOCUMENT_KEYS if name.startswith("document") else set()) and q["runs"] == 2
        assert 0 < q["min_ms"] <= q["median_ms"] <= q["max_ms"]
    shown, whole = queries["document_busiest"], queries["document_busiest_all"]
    assert shown["n_steps"] == whole["n_steps"] == whole["steps"] >= shown["steps"] and shown["steps"] <= B.SHOWN_STEPS
    assert 0 < shown["rows"] <= whole["rows"] and shown["rows"] <= B.SHOWN_SOURCES * shown["steps"]
    assert queries["dyad_busiest"]["rows"] > 0  # the picks are in the data
    assert queries["actor_year_busiest"]["what"].endswith(str(B.QUERY_YEAR))
    assert any(line.startswith("SEARCH") for plan in sqlite["plans"].values() for line in plan)
    machine = figures["machine"]
    assert set(machine) == {"cores", "processor", "platform", "python"} and machine["cores"] == os.cpu_count()
    assert figures["peak_rss_mb"] > 0


def test_render_prints_the_figures(figures):
    console = Console(record=True, width=160, file=open(os.devnull, "w"))
    B.render(console, figures)
    out = console.export_text()
    assert "parley bench store: 300 synthetic events" in out and f"{figures['machine']['cores']} cores" in out
    week = figures["backends"][0]["queries"]["week"]
    assert f"{week['median_ms']:.1f} ({week['rows']})" in out
    assert "Store.add rec/s" in out and "merge s" in out


def test_ingest_bench_shape(nlp):
    result = B.bench_ingest(3, workers=1)
    assert result["articles"] == 3 and result["stored"] == 3 and result["failed"] == 0
    assert result["events"] > 0 and result["articles_per_s"] > 0 and result["peak_rss_mb"] > 100
    assert 1 <= len(result["rss_mb_by_tenth"]) <= 10
    assert result["rss_mb_by_tenth"][-1]["articles"] == 3


def test_ingest_bench_over_days(nlp, monkeypatch):
    """With ``days``, the generated articles are published over that many days (a feed), so the
    events of the store are dated over them too."""
    from parley import ingest as I

    published = []
    real = I.ingest

    def spy(paths, store, **kw):
        stats = real(paths, store, **kw)
        published.extend(r.article.published for r in store.iter_records())
        return stats

    monkeypatch.setattr(I, "ingest", spy)
    result = B.bench_ingest(3, workers=1, days=30)
    assert result["stored"] == 3 and result["days"] == 30
    assert sorted(p[:10] for p in published) == ["2025-11-28", "2025-12-08", "2025-12-18"]


def test_postgresql_beside_sqlite(templates):
    pg = os.environ.get("PARLEY_TEST_PG")
    if not pg:
        pytest.skip("needs PARLEY_TEST_PG=postgresql://USER@HOST:PORT/DB (.ci/run starts a server and sets it)")
    import psycopg

    figures = B.run_store_bench(n=120, runs=1, add_sample=3, templates=templates, db=pg)
    assert [b["backend"] for b in figures["backends"]] == ["sqlite", "postgresql"]
    sqlite, postgres = figures["backends"]
    assert postgres["load"]["events"] == sqlite["load"]["events"]  # the same synthetic corpus
    assert set(postgres["queries"]) == set(sqlite["queries"])
    assert all(postgres["queries"][k]["rows"] == sqlite["queries"][k]["rows"] for k in sqlite["queries"])
    with psycopg.connect(pg.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        left = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'parley_bench_%'").fetchall()
    assert left == []  # the scratch database was dropped


def test_command_line(monkeypatch):
    calls = {}

    def fake(**kwargs):
        calls.update(kwargs)
        return {"events": kwargs["n"]}

    monkeypatch.setattr(B, "run_store_bench", fake)
    runner = CliRunner()
    from parley.cli import app

    result = runner.invoke(app, ["bench", "store", "--n", "50", "--runs", "3", "--articles", "7", "--days", "30", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"events": 50}
    assert calls["n"] == 50 and calls["runs"] == 3 and calls["articles"] == 7 and calls["db"] is None
    assert calls["ingest_days"] == 30
    monkeypatch.undo()
    result = runner.invoke(app, ["bench", "store", "--n", "10", "--db", "other.db"])
    assert result.exit_code == 2
    assert "bench store always measures a fresh SQLite file; --db adds a PostgreSQL server" in result.stderr
    # said before anything is coded or stored
    result = runner.invoke(app, ["bench", "store", "--n", "10", "--db", "postgresql://nobody@127.0.0.1:9/x"])
    assert result.exit_code == 2 and "postgresql://nobody@127.0.0.1:9/x: cannot connect" in result.stderr


def test_bench_code_is_still_the_default(monkeypatch):
    from parley import bench
    from parley.cli import app

    monkeypatch.delenv("PARLEY_MODEL", raising=False)
    seen = []
    monkeypatch.setattr(bench, "run_bench", lambda n, processes, model: seen.append((n, processes)) or {"articles": n})
    runner = CliRunner()
    for args in (["bench", "--n", "2", "--json"], ["bench", "code", "--n", "3", "-p", "1", "--json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    assert seen == [(2, 1), (3, 1)]
