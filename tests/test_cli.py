"""`parley code | schema | bench` through the command line.

Most tests run the Typer app in-process with typer.testing.CliRunner (the installed Typer keeps
stdout and stderr apart: ``result.stdout`` / ``result.stderr``), so the spaCy pipeline is loaded
once for the session. One test runs the real console script in a subprocess.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from parley.cli import app
from parley.record import Record, record_schema

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
INDIA_PAKISTAN = FIXTURES / "atlas-2025-12-04-india-pakistan-call.txt"
IRAN = FIXTURES / "atlas-2026-02-20-iran-e3-geneva.txt"

FRENCH = (
    "Le ministre des Affaires étrangères a rencontré son homologue allemand à Paris vendredi.\n"
    "Les deux hommes ont discuté de la guerre et de l'aide militaire européenne, selon un communiqué "
    "publié par le ministère dans la soirée.\n"
    "Ils ont convenu de se revoir le mois prochain à Berlin pour poursuivre les discussions.\n"
)
# No date in the text: "on Friday" can only be resolved against --published.
UNDATED = (
    "Foreign ministers meet in Beijing\n"
    "Indian External Affairs Minister Subrahmanyam Jaishankar met Chinese Foreign Minister "
    "Wang Yi in Beijing on Friday to discuss the disputed border.\n"
)


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def invoke(runner, *args):
    result = runner.invoke(app, [str(a) for a in args])
    # an exception other than the exit the command chose is a crash, whatever the exit code
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def records_of(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def json_run(runner, nlp):
    """Two fixture articles coded once with --json, shared by the checks below."""
    return invoke(runner, "code", INDIA_PAKISTAN, IRAN, "--json")


# --------------------------------------------------------------------------- code --json


def test_json_one_line_per_article(json_run):
    assert json_run.exit_code == 0, json_run.stderr
    lines = [line for line in json_run.stdout.split("\n") if line]
    assert len(lines) == 2
    records = [json.loads(line) for line in lines]
    assert [r["article"]["title"] for r in records] == [
        INDIA_PAKISTAN.read_text("utf-8").splitlines()[0],
        IRAN.read_text("utf-8").splitlines()[0],
    ]
    assert records[0]["article"]["published"] == "2025-12-04T11:50:00"
    assert records[0]["article"]["source"] == "Atlas Wire"
    assert records[0]["article"]["language"] == "en"
    assert all(r["events"] and r["actors"] for r in records)


def test_json_validates_against_printed_schema(runner, json_run):
    schema_run = invoke(runner, "schema")
    assert schema_run.exit_code == 0
    schema = json.loads(schema_run.stdout)
    assert schema == json.loads(json.dumps(record_schema()))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for record in records_of(json_run.stdout):
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, errors[0]
        Record.model_validate(record)  # and it reads back into the typed classes


def check_offsets(record: dict) -> None:
    text = record["article"]["text"]
    n = len(text)
    actor_ids = {a["id"] for a in record["actors"]}
    for actor in record["actors"]:
        assert actor["mentions"], actor["name"]
        for m in actor["mentions"]:
            assert 0 <= m["start"] < m["end"] <= n
            assert text[m["start"]:m["end"]] == m["text"], (actor["name"], m)
    for place in record["places"]:
        for m in place["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"], (place["name"], m)
    for doc in record["documents"]:
        for m in doc["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"], (doc["name"], m)
    for e in record["events"]:
        s, t = e["sentence"], e["trigger"]
        assert 0 <= s["start"] <= t["start"] < t["end"] <= s["end"] <= n, e
        sentence = text[s["start"]:s["end"]]
        assert sentence.strip() and "\n" not in sentence.strip()  # a sentence never spans paragraphs
        assert text[t["start"]:t["end"]] in e["event_text"], e
        for word in e["event_text"].replace("…", " ").split():
            assert word in sentence, (word, sentence)
        for span in e["evidence"]:
            assert 0 <= span["start"] < span["end"] <= n
        assert set(e["actor"]) <= actor_ids and set(e["recipient"]) <= actor_ids
        if e["date_text"] is not None:
            assert e["date_text"] in text, e
    for q in record["quotes"]:
        assert 0 <= q["span"]["start"] < q["span"]["end"] <= n
    for c in record["commitments"]:
        assert 0 <= c["span"]["start"] < c["span"]["end"] <= n


def test_offsets_index_article_text(json_run):
    for record in records_of(json_run.stdout):
        check_offsets(record)


def test_reference_article_offsets(reference_record):
    check_offsets(reference_record.to_dict())


def test_ids_are_deterministic_and_unique(runner, json_run):
    again = invoke(runner, "code", INDIA_PAKISTAN, "--json")
    assert records_of(again.stdout)[0] == records_of(json_run.stdout)[0]
    for record in records_of(json_run.stdout):
        aid = record["article"]["id"]
        ids = [x["id"] for key in ("actors", "events", "places") for x in record[key]]
        assert len(ids) == len(set(ids))
        assert all(i.startswith(aid + "#") for i in ids)


# --------------------------------------------------------------------------- --out


def test_out_writes_jsonl(runner, tmp_path):
    out = tmp_path / "records.jsonl"
    result = invoke(runner, "code", INDIA_PAKISTAN, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # the records go to the file, not to the screen
    assert f"wrote 1 record(s) to {out}" in result.stderr
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["article"]["published"] == "2025-12-04T11:50:00"
    jsonschema.validate(record, record_schema())


def test_out_unwritable_is_a_clear_error(runner, tmp_path):
    result = invoke(runner, "code", INDIA_PAKISTAN, "--out", tmp_path / "no" / "such" / "dir.jsonl")
    assert result.exit_code == 2
    assert "--out" in result.stderr and "cannot write" in result.stderr
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- a bad batch


@pytest.fixture
def bad_batch(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.dat").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "french.txt").write_text(FRENCH, encoding="utf-8")
    good = tmp_path / "good.txt"
    shutil.copy(INDIA_PAKISTAN, good)
    names = ["missing.txt", "empty.txt", "binary.dat", "french.txt", "good.txt"]
    return tmp_path, names


def check_bad_batch(returncode: int, stdout: str, stderr: str) -> None:
    assert returncode != 0
    assert "Traceback" not in stdout + stderr
    records = records_of(stdout)
    assert len(records) == 1
    assert records[0]["article"]["path"].endswith("good.txt")
    assert records[0]["events"]
    lines = stderr.splitlines()
    reasons = {"missing.txt": "no such file", "empty.txt": "empty", "binary.dat": "binary",
               "french.txt": "not English"}
    for name, reason in reasons.items():
        mine = [line for line in lines if name in line]
        assert len(mine) == 1, (name, stderr)  # one line per bad file, not wrapped
        assert reason in mine[0], (name, mine[0])
    assert not any("good.txt" in line for line in lines)
    assert "1 article(s) coded, 4 skipped or failed" in stderr


def test_bad_batch_in_process(runner, bad_batch):
    folder, names = bad_batch
    result = invoke(runner, "code", *[folder / n for n in names], "--json")
    assert result.exit_code == 1
    check_bad_batch(result.exit_code, result.stdout, result.stderr)


def test_bad_batch_console_script(bad_batch):
    """The installed `parley` script, with real stdout and stderr."""
    folder, names = bad_batch
    script = shutil.which("parley") or str(Path(sys.executable).with_name("parley"))
    env = dict(os.environ, COLUMNS="40")  # a narrow terminal must not wrap the messages
    proc = subprocess.run([script, "code", *names, "--json"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300)
    check_bad_batch(proc.returncode, proc.stdout, proc.stderr)


def test_markup_in_file_names_is_printed_verbatim(runner, tmp_path):
    odd = tmp_path / "notes [draft] [bold].txt"
    odd.write_text(FRENCH, encoding="utf-8")
    result = invoke(runner, "code", odd, "--json")
    assert result.exit_code == 1
    assert "notes [draft] [bold].txt" in result.stderr


# --------------------------------------------------------------------------- options


def test_unknown_format_is_a_clear_error(runner):
    result = invoke(runner, "code", INDIA_PAKISTAN, "--format", "docx")
    assert result.exit_code == 2
    assert "unknown format 'docx'" in result.stderr
    for fmt in ("wire", "plain", "html", "feed", "jsonl"):
        assert fmt in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_unreadable_published_is_a_clear_error(runner):
    result = invoke(runner, "code", INDIA_PAKISTAN, "--published", "someday")
    assert result.exit_code == 2
    assert "--published" in result.stderr and "someday" in result.stderr


def test_published_fills_a_missing_date(runner, tmp_path):
    story = tmp_path / "undated.txt"
    story.write_text(UNDATED, encoding="utf-8")

    without = records_of(invoke(runner, "code", story, "--json").stdout)[0]
    assert without["article"]["published"] is None
    assert all(e["date"] is None for e in without["events"])

    # Wednesday 10 December 2025: "on Friday" is Friday 5 December
    result = invoke(runner, "code", story, "--json", "--published", "2025-12-10")
    assert result.exit_code == 0, result.stderr
    record = records_of(result.stdout)[0]
    assert record["article"]["published"].startswith("2025-12-10")
    met = [e for e in record["events"] if e["event"] == "CONSULT"]
    assert met, record["events"]
    assert met[0]["date"] == "2025-12-05"
    assert met[0]["date_text"] and "Friday" in met[0]["date_text"]
    names = {a["id"]: a["name"] for a in record["actors"]}
    assert {names[i] for i in met[0]["actor"] + met[0]["recipient"]} == {"S. Jaishankar", "Wang Yi"}


def test_published_does_not_override_the_articles_own_date(runner):
    result = invoke(runner, "code", INDIA_PAKISTAN, "--json", "--published", "2020-01-01")
    assert records_of(result.stdout)[0]["article"]["published"] == "2025-12-04T11:50:00"


def test_jsonl_keeps_its_ids(runner, tmp_path):
    body = INDIA_PAKISTAN.read_text("utf-8").split("- Published Date")[1].split("\n", 1)[1]
    items = [
        {"id": "atlas-42", "title": "Ministers speak", "published": "2025-12-04T11:50:00",
         "source": "Atlas Wire", "text": body},
        {"id": "tiny-7", "text": UNDATED.split("\n", 1)[1], "published": "2025-12-10"},
    ]
    feed = tmp_path / "articles.jsonl"
    feed.write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")
    result = invoke(runner, "code", feed, "--json")
    assert result.exit_code == 0, result.stderr
    records = records_of(result.stdout)
    assert [r["article"]["id"] for r in records] == ["atlas-42", "tiny-7"]
    assert records[0]["article"]["title"] == "Ministers speak"
    for r in records:
        assert r["events"]
        for x in r["actors"] + r["events"]:
            assert x["id"].startswith(r["article"]["id"] + "#")


def test_table_output_lists_the_events(runner):
    result = invoke(runner, "code", INDIA_PAKISTAN)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert not out.lstrip().startswith("{")  # a table, not JSON
    assert "Atlas Wire" in out
    for column in ("date", "actor", "recipient", "trigger"):
        assert column in out
    assert "2025-12-03" in out  # the Wednesday of the phone call
    assert "CONSULT" in out
    assert "actors (" in out and "Dar" in out and "Jaishankar" in out


# --------------------------------------------------------------------------- help, schema, bench


@pytest.mark.parametrize("command, words", [
    ([], ["code", "schema", "bench"]),
    (["code"], ["--json", "--out", "--format", "--published", "--model", "--max-mb"]),
    (["schema"], ["JSON Schema"]),
    (["bench"], ["--n", "--processes", "--json"]),
])
def test_help(runner, command, words):
    result = invoke(runner, *command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Usage" in text
    for word in words:
        assert word in text


def test_no_arguments_shows_help(runner):
    result = runner.invoke(app, [])
    assert "Usage" in result.output and "code" in result.output


def test_schema_command(runner):
    result = invoke(runner, "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "parley Record"


def test_bench_json(runner, monkeypatch):
    from parley import bench

    monkeypatch.delenv("PARLEY_MODEL", raising=False)
    calls = {}

    def fake_run_bench(n, processes, model):
        calls.update(n=n, processes=processes, model=model)
        return {"articles": n, "processes": processes}

    monkeypatch.setattr(bench, "run_bench", fake_run_bench)
    result = invoke(runner, "bench", "--n", "2", "--processes", "1", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"articles": 2, "processes": 1}
    assert calls == {"n": 2, "processes": 1, "model": None}
