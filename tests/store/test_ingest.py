"""`parley ingest` and the query commands, end to end, on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from conftest import FIXTURES, make_record
from parley.cli import app
from parley.merge import merge_records
from parley.store import open_store

runner = CliRunner()
WIDE = {"COLUMNS": "250"}
PUBLISHED = "2026-03-02T09:00:00"

# Short articles written for these tests: who met whom, where; every text differs.
HOSTS = ["Kenyan President William Ruto", "Japanese Prime Minister Shigeru Ishiba", "French President Emmanuel Macron",
         "Brazilian President Luiz Inacio Lula da Silva", "Indian Prime Minister Narendra Modi",
         "German Chancellor Friedrich Merz"]
GUESTS = [("Ethiopian Prime Minister Abiy Ahmed", "Nairobi"), ("South Korean President Lee Jae-myung", "Tokyo"),
          ("Canadian Prime Minister Mark Carney", "Paris"), ("Argentine President Javier Milei", "Brasilia"),
          ("Sri Lankan President Anura Kumara Dissanayake", "New Delhi"), ("Polish President Karol Nawrocki", "Berlin"),
          ("Turkish President Recep Tayyip Erdogan", "Ankara"), ("Egyptian President Abdel Fattah al-Sisi", "Cairo"),
          ("Indonesian President Prabowo Subianto", "Jakarta"), ("Mexican President Claudia Sheinbaum", "Mexico City")]
DAYS = ["on Monday", "last Friday", "on Sunday"]


def corpus_texts(n: int) -> list[str]:
    texts = []
    for i in range(n):
        host, (guest, city) = HOSTS[i % len(HOSTS)], GUESTS[(i // len(HOSTS)) % len(GUESTS)]
        texts.append(f"{host} met {guest} in {city} {DAYS[i % len(DAYS)]} to discuss trade and security.\n"
                     f"The two leaders agreed to meet again next year, officials said. (Report {i}.)")
    return texts


def write_corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(corpus_texts(n)):
        (folder / f"story-{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def count_articles(url: str) -> int:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM articles")).scalar()
    except sa.exc.DBAPIError:  # not created yet, or locked for a moment
        return 0
    finally:
        engine.dispose()


def half_written(url: str) -> list:
    """Articles whose rows do not match their record, and rows without an article."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        bad = conn.execute(sa.text(
            "SELECT a.id FROM articles a WHERE a.n_events <> (SELECT count(*) FROM events e WHERE e.article_id = a.id)"
            " OR a.n_actors <> (SELECT count(*) FROM actors x WHERE x.article_id = a.id)")).all()
        bad += conn.execute(sa.text(
            "SELECT e.id FROM events e LEFT JOIN articles a ON a.id = e.article_id WHERE a.id IS NULL")).all()
    engine.dispose()
    return bad


def test_ingest_files_folders_globs_and_json_lines(tmp_path, store_url):
    news = tmp_path / "news"
    (news / "deep").mkdir(parents=True)
    shutil.copy(FIXTURES / "atlas-2025-12-04-india-pakistan-call.txt", news)
    shutil.copy(FIXTURES / "atlas-2026-01-16-asean-manila.txt", news / "deep")
    more = tmp_path / "more"
    more.mkdir()
    shutil.copy(FIXTURES / "atlas-2026-02-20-iran-e3-geneva.txt", more)
    lines = tmp_path / "wire.jsonl"
    lines.write_text("\n".join([
        json.dumps({"id": "w-1", "text": corpus_texts(1)[0], "published": PUBLISHED, "source": "Line Wire"}),
        json.dumps({"id": "w-2", "title": "no text here"}),
        json.dumps({"id": "w-3", "text": corpus_texts(2)[1], "published": PUBLISHED, "source": "Line Wire"}),
    ]) + "\n", encoding="utf-8")
    args = ["ingest", str(news), str(more / "*.txt"), str(lines), str(tmp_path / "none" / "*.txt"), "--db", store_url]

    first = runner.invoke(app, args, env=WIDE)
    assert first.exit_code == 1, first.output
    assert "5 article(s) stored, 0 already there, 2 failed" in first.stdout
    with open_store(store_url) as s:
        counts = s.counts()
        errors = s.errors()
    assert counts["articles"] == 5 and counts["merged_events"] > 0 and counts["entities"] > 0
    assert [(e["path"], e["item"], e["kind"]) for e in errors] == [
        (str(tmp_path / "none" / "*.txt"), None, "missing"), (str(lines), "line 2", "no-text")]
    listed = runner.invoke(app, ["errors", "--db", store_url, "--format", "json"])
    assert [json.loads(x)["reason"] for x in listed.stdout.splitlines()] == [e["reason"] for e in errors]

    again = runner.invoke(app, args, env=WIDE)
    assert "0 article(s) stored, 5 already there, 2 failed" in again.stdout
    with open_store(store_url) as s:
        assert s.counts() == counts
        assert len(s.errors()) == 2


def test_a_killed_ingest_resumes_with_nothing_half_written(tmp_path, store_url, nlp):
    from parley.extract.pipeline import code_article
    from parley.read import read_path

    n = 60
    folder = write_corpus(tmp_path / "corpus", n)
    cmd = [sys.executable, "-m", "parley.cli", "ingest", str(folder), "--db", store_url, "--published", PUBLISHED]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 600
    try:
        while count_articles(store_url) < 5:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the ingest stored nothing in 10 minutes"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate()
    stored = count_articles(store_url)
    assert 5 <= stored < n, "the ingest must be killed in the middle"
    assert half_written(store_url) == []

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert f"{n - stored} article(s) stored, {stored} already there, 0 failed" in done.stdout
    assert half_written(store_url) == []

    records = [code_article(read_path(p, published=PUBLISHED)[0], nlp) for p in sorted(folder.iterdir())]
    with open_store(store_url) as s:
        counts = s.counts()
        assert list(s.iter_records()) == sorted(records, key=lambda r: r.article.id)
        assert {m["id"] for m in s.merged_events()} == {m.id for m in merge_records(records).events}
    assert counts["articles"] == n
    assert counts["events"] == sum(len(r.events) for r in records)
    assert counts["actors"] == sum(len(r.actors) for r in records)


def test_query_commands(tmp_path, store_url, report_records):
    with open_store(store_url) as s:
        for r in report_records:
            s.add(r)
        events = s.events()
    db = ["--db", store_url]

    as_json = runner.invoke(app, ["events", *db, "--format", "json"])
    assert as_json.exit_code == 0
    assert [json.loads(x)["id"] for x in as_json.stdout.splitlines()] == [e["id"] for e in events]

    as_csv = runner.invoke(app, ["events", *db, "--format", "csv", "--actor", "Zelensky"])
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == 2 and {r["actor"] for r in rows} == {"Volodymyr Zelenskyy (UKR)"}
    assert {r["recipient"] for r in rows} == {"Donald Trump (USA)"}

    merged = runner.invoke(app, ["events", *db, "--merged", "--type", "CONSULT", "--actor", "Trump"], env=WIDE)
    assert merged.exit_code == 0 and "Donald Trump (USA)" in merged.stdout
    row = next(line for line in merged.stdout.splitlines() if "Donald Trump" in line)
    assert [c.strip() for c in row.split("│")][6] == "2"  # the sources column

    merged_csv = runner.invoke(app, ["events", *db, "--merged", "--format", "csv", "--planned"])
    (plan,) = list(csv.DictReader(io.StringIO(merged_csv.stdout)))
    assert plan["realised_by"].startswith("m:") and plan["date"] == "2025-12-28"

    actors = runner.invoke(app, ["actors", *db, "--format", "json"])
    assert "Volodymyr Zelenskyy" in {json.loads(x)["name"] for x in actors.stdout.splitlines()}
    quotes = runner.invoke(app, ["quotes", *db, "--speaker", "Dar", "--format", "json"])
    assert all("Dar" in json.loads(x)["speaker"] for x in quotes.stdout.splitlines())
    assert runner.invoke(app, ["documents", "no such plan", *db]).stderr.strip() == "nothing found"
    with open_store(store_url) as s:
        for i, status in enumerate(("proposed", "signed")):
            s.add(make_record(f"doc-{i}", f"2025-12-{10 + i}T08:00:00", "Atlas Wire", {}, [],
                              documents=[{"key": "d", "name": "the Riverside Accord", "status": status}]))
    timeline = runner.invoke(app, ["documents", "riverside", *db], env=WIDE)
    assert timeline.exit_code == 0
    assert [line.split("│")[1].strip() for line in timeline.stdout.splitlines() if line.startswith("│")] == [
        "proposed", "signed"]

    target = report_records[1].article.id
    shown = runner.invoke(app, ["article", target.split(":")[1][:8], *db], env=WIDE)
    assert shown.exit_code == 0 and "Atlas Wire" in shown.stdout and "merged across articles" in shown.stdout
    raw = runner.invoke(app, ["article", target, *db, "--json"])
    assert json.loads(raw.stdout) == report_records[1].to_dict()

    for args, message in ((["events", "--since", "last week"], "since: 'last week' is not a date"),
                          (["events", "--format", "xml"], "--format xml: use table, json or csv"),
                          (["article", "nothing-like-this"], "no article 'nothing-like-this'")):
        bad = runner.invoke(app, [*args, *db])
        assert bad.exit_code == 2 and message in bad.stderr, bad.output


def test_queries_on_a_missing_store_say_so(tmp_path):
    missing = tmp_path / "none.db"
    result = runner.invoke(app, ["events", "--db", str(missing)])
    assert result.exit_code == 2
    assert "no parley store here (run `parley ingest` first" in result.stderr
    assert not missing.exists()


def test_ingest_with_workers_stores_what_one_process_stores(tmp_path):
    files = [FIXTURES / n for n in ("atlas-2025-12-04-india-pakistan-call.txt", "atlas-2026-01-22-drc-doha-ceasefire.txt",
                                    "atlas-2025-11-19-venezuela-sanctions.txt")]
    folder = tmp_path / "news"
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    single = subprocess.run([sys.executable, "-m", "parley.cli", "ingest", str(folder), "--db", str(one)],
                            capture_output=True, text=True, timeout=900)
    assert single.returncode == 0, single.stderr
    parallel = subprocess.run([sys.executable, "-m", "parley.cli", "ingest", str(folder), "--db", str(two),
                               "--workers", "2"], capture_output=True, text=True, timeout=900)
    assert parallel.returncode == 0, parallel.stderr
    assert "3 article(s) stored" in parallel.stdout
    with open_store(str(one)) as a, open_store(str(two)) as b:
        assert list(a.iter_records()) == list(b.iter_records())
        assert a.merged_events() == b.merged_events()
    again = subprocess.run([sys.executable, "-m", "parley.cli", "ingest", str(folder), "--db", str(two),
                            "--workers", "2"], capture_output=True, text=True, timeout=900)
    assert "0 article(s) stored, 3 already there" in again.stdout, again.stderr
