"""parley.export and `parley export`: PLOVER JSON Lines, CSV and Parquet, each read back."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parley.cli import app
from parley.export import (COLUMNS, ExportError, event_rows, export_records, plover_events, plover_to_event,
                           read_csv_rows, read_parquet_rows)
from parley.record import Actor, Article, Event, Location, Mention, Place, Record, Span

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
# the PLOVER manual's "PLOVER JSON" table (PLOVER_MANUAL.tex, chapter "Data Fields")
PLOVER_FIELDS = {"id", "has_event", "date", "time", "enddate", "endtime", "actor", "recipient", "event", "event_loc",
                 "event_text", "quad_code", "event_scale", "mode", "context", "link", "text", "text_info", "cite_info",
                 "coder", "coded_date", "coded_time", "comment"}
ENTITY_FIELDS = {"code", "sector", "entity_text", "identifier_id", "identifier_text", "religion", "ethnicity",
                 "office", "gender", "age"}
CITE_FIELDS = {"corpus", "citation", "url", "title", "language", "publication", "license", "copyright", "coder",
               "codebook", "version"}
LOCATION_FIELDS = {"extracted_place", "resolved_place", "geonameid", "lat", "lon", "city", "district", "province",
                   "country", "country_code", "feature_class", "feature_code", "resolution"}


def hand_made() -> Record:
    """Corners the fixtures may not reach: two recipients, one without a country or sector, a place
    named as written, a semicolon and quotes in the title, an event without a date."""
    text = 'Ministers met in Doha; "talks", she said.\nNo date here.'
    aid = "sha1:00000000000000aa"
    return Record(
        parley_version="0.1.0", model="hand-made",
        article=Article(id=aid, title='Doha; "talks"', source="Atlas Wire", published="2026-01-22T15:30:00+03:00",
                        url="https://example.org/doha", language="en", text=text),
        actors=[Actor(id=f"{aid}#a0", name="Qatar", kind="state", country="QAT", sector="GOV",
                      mentions=[Mention(start=0, end=9, text="Ministers")]),
                Actor(id=f"{aid}#a1", name="Mohammed bin Abdulrahman Al Thani", kind="person", country="QAT",
                      sector="GOV", office="Prime Minister", wikidata="Q3241503",
                      mentions=[Mention(start=43, end=46, text="she")]),
                Actor(id=f"{aid}#a2", name="Rebels, the", kind="organisation",
                      mentions=[Mention(start=25, end=30, text="talks")])],
        places=[Place(id=f"{aid}#p17", name="Doha", country="QAT", lat=25.29, lon=51.53,
                      mentions=[Mention(start=17, end=21, text="Doha")])],
        events=[Event(id=f"{aid}#e10", event="CONSULT", mode="visit", context=["cooperation"], cameo="043",
                      actor=[f"{aid}#a0"], recipient=[f"{aid}#a1", f"{aid}#a2"], date="2026-01-21",
                      date_text="Wednesday", location=Location(name="Doha", country="QAT", lat=25.29, lon=51.53),
                      event_text="met", trigger=Span(start=10, end=13), sentence=Span(start=0, end=42),
                      evidence=[Span(start=43, end=56)], documents=[f"{aid}#d0"]),
                Event(id=f"{aid}#e43", event="ACCUSE", actor=[f"{aid}#a2"], recipient=[], planned=True,
                      negated=True, event_text="said", trigger=Span(start=37, end=41),
                      sentence=Span(start=0, end=42))])


@pytest.fixture(scope="module")
def records(nlp):
    from parley.extract.pipeline import code_article
    from parley.read import read_path

    coded = [code_article(read_path(p)[0], nlp) for p in sorted(FIXTURES.glob("*.txt"))]
    assert sum(len(r.events) for r in coded) >= 20
    return coded + [hand_made()]


def all_rows(records):
    return [row for r in records for row in event_rows(r)]


# --------------------------------------------------------------------------- PLOVER


def test_plover_lines_use_plovers_field_names(records, tmp_path):
    out = tmp_path / "events.jsonl"
    n = export_records(records, "plover", out)
    lines = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert n == len(lines) == sum(len(r.events) for r in records)
    for line in lines:
        assert set(line) - {"parley"} <= PLOVER_FIELDS  # parley's own keys only under "parley"
        assert {"id", "date", "actor", "event"} <= set(line)  # the manual's required fields
        assert isinstance(line["event"], list) and len(line["event"]) == 1
        assert line["quad_code"] in (1, 2, 3, 4)
        for entity in line["actor"] + line["recipient"]:
            assert set(entity) <= ENTITY_FIELDS and "identifier_text" in entity
        assert set(line["cite_info"]) <= CITE_FIELDS
        assert set(line["text_info"]) <= {"sequence", "start", "end", "text_story"}
        assert line["event_loc"] is None or set(line["event_loc"]) <= LOCATION_FIELDS
        assert "text" not in line  # the article text is not ours to republish


def test_plover_line_of_the_hand_made_record():
    record = hand_made()
    line = next(plover_events(record))
    assert line["id"] == "sha1:00000000000000aa#e10" and line["date"] == "2026-01-21"
    assert line["event"] == ["CONSULT"] and line["mode"] == ["visit"] and line["context"] == ["cooperation"]
    assert line["quad_code"] == 1  # CONSULT: verbal cooperation
    assert line["event_scale"] == 4.0  # PLOVER's score of CONSULT/visit (ontology/plover.yaml)
    assert line["actor"] == [{"code": "QAT", "sector": "GOV", "entity_text": "Ministers", "identifier_text": "Qatar"}]
    assert line["recipient"] == [
        {"code": "QAT", "sector": "GOV", "entity_text": "she", "identifier_id": "Q3241503",
         "identifier_text": "Mohammed bin Abdulrahman Al Thani", "office": "Prime Minister"},
        {"entity_text": "talks", "identifier_text": "Rebels, the"}]
    assert line["event_loc"] == {"extracted_place": "Doha", "resolved_place": "Doha", "lat": 25.29, "lon": 51.53,
                                 "country_code": "QAT"}
    assert line["event_text"] == ["met"] and line["text_info"] == {"start": 0, "end": 42}
    assert line["cite_info"]["citation"] == "sha1:00000000000000aa"
    assert line["cite_info"]["publication"] == "Atlas Wire" and line["cite_info"]["url"] == "https://example.org/doha"
    assert line["cite_info"]["codebook"].startswith("PLOVER manual")
    assert line["parley"]["actor_ids"] == ["sha1:00000000000000aa#a0"]
    assert line["parley"]["trigger"] == {"start": 10, "end": 13}


def test_plover_round_trip(records, tmp_path):
    out = tmp_path / "events.jsonl"
    export_records(records, "plover", out)
    lines = iter(json.loads(x) for x in out.read_text("utf-8").splitlines())
    for record in records:
        actors = {a.id: a for a in record.actors}
        for event in record.events:
            line = next(lines)
            assert plover_to_event(line) == event  # every field of the event comes back
            for side, ids in (("actor", event.actor), ("recipient", event.recipient)):
                for entity, actor_id in zip(line[side], ids):
                    a = actors[actor_id]
                    assert (entity["identifier_text"], entity.get("code"), entity.get("sector"),
                            entity.get("identifier_id"), entity.get("office")) == \
                        (a.name, a.country, a.sector, a.wikidata, a.office)
                    assert entity["entity_text"] == a.mentions[0].text
            assert line["cite_info"]["citation"] == record.article.id
            assert line["cite_info"].get("title") == record.article.title
    assert next(lines, None) is None


# --------------------------------------------------------------------------- CSV


def test_csv_has_one_row_per_event_with_names_and_countries(records, tmp_path):
    out = tmp_path / "events.csv"
    export_records(records, "csv", out)
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == sum(len(r.events) for r in records)
    last = [r for r in rows if r["event_id"] == "sha1:00000000000000aa#e10"][0]
    assert last["actor"] == "Qatar" and last["actor_country"] == "QAT"
    assert last["recipient"] == "Mohammed bin Abdulrahman Al Thani; Rebels, the"
    assert last["recipient_country"] == "QAT; " and last["place"] == "Doha"
    assert last["planned"] == "false" and last["title"] == 'Doha; "talks"'
    some_country = next(r for r in rows if r["actor_country"] not in ("", None))
    assert len(some_country["actor_country"].split("; ")[0]) == 3


def test_csv_round_trip(records, tmp_path):
    out = tmp_path / "events.csv"
    assert export_records(records, "csv", out) == len(all_rows(records))
    assert list(read_csv_rows(out)) == all_rows(records)


# --------------------------------------------------------------------------- Parquet


def test_parquet_round_trip_with_types(records, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "events.parquet"
    assert export_records(records, "parquet", out) == len(all_rows(records))
    table = pq.read_table(out)
    assert table.schema.field("date").type == pa.date32()
    assert table.schema.field("actor").type == pa.list_(pa.string())
    assert table.schema.field("planned").type == pa.bool_()
    assert table.schema.field("lat").type == pa.float64()
    assert list(read_parquet_rows(out)) == all_rows(records)


def test_parquet_in_row_groups(records, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from parley import export

    monkeypatch.setattr(export, "PARQUET_ROW_GROUP", 7)
    out = tmp_path / "events.parquet"
    n = export_records(records, "parquet", out)
    assert pq.ParquetFile(out).num_row_groups == -(-n // 7)
    assert list(read_parquet_rows(out)) == all_rows(records)


# --------------------------------------------------------------------------- streams, edges, errors


def test_streams(records):
    text = io.StringIO()
    export_records(records[:2], "plover", text)
    binary = io.BytesIO()
    export_records(records[:2], "plover", binary)
    assert binary.getvalue().decode("utf-8") == text.getvalue() and not binary.closed
    csv_bytes = io.BytesIO()
    export_records(records[:2], "csv", csv_bytes)
    assert list(read_csv_rows(io.BytesIO(csv_bytes.getvalue()))) == all_rows(records[:2])
    parquet = io.BytesIO()
    export_records(records[:2], "parquet", parquet)
    assert list(read_parquet_rows(io.BytesIO(parquet.getvalue()))) == all_rows(records[:2])


def test_nothing_to_export(tmp_path):
    assert export_records([], "plover", tmp_path / "e.jsonl") == 0
    assert (tmp_path / "e.jsonl").read_text() == ""
    assert export_records([], "csv", tmp_path / "e.csv") == 0
    assert (tmp_path / "e.csv").read_text().strip() == ",".join(COLUMNS)
    assert export_records([], "parquet", tmp_path / "e.parquet") == 0
    assert list(read_parquet_rows(tmp_path / "e.parquet")) == []


def test_bad_format_and_destination(tmp_path):
    with pytest.raises(ExportError, match="unknown export format 'xml'"):
        export_records([], "xml", tmp_path / "x")
    with pytest.raises(ExportError, match="nowhere/e.csv: cannot write"):
        export_records([], "csv", tmp_path / "nowhere" / "e.csv")
    with pytest.raises(ExportError, match="nowhere/e.parquet: cannot write"):
        export_records([], "parquet", tmp_path / "nowhere" / "e.parquet")
    with pytest.raises(ExportError, match="Parquet is binary"):
        export_records([], "parquet", io.StringIO())


# --------------------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def stored(records, tmp_path_factory):
    from parley.store import open_store

    path = tmp_path_factory.mktemp("store") / "parley.db"
    with open_store(str(path)) as store:
        for r in records:
            assert store.add(r, merge=False)
        in_store = list(store.iter_records())
    return str(path), in_store


def test_export_command_round_trips_the_store(stored, tmp_path):
    db, in_store = stored
    runner = CliRunner()
    for fmt, read in (("csv", read_csv_rows), ("parquet", read_parquet_rows)):
        out = tmp_path / f"events.{fmt}"
        result = runner.invoke(app, ["export", "--db", db, "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert list(read(out)) == all_rows(in_store)
        assert f"exported {len(all_rows(in_store))} event(s) of {len(in_store)} article(s) to {out}" in result.stderr
        assert not (tmp_path / f"events.{fmt}.part").exists()
    result = runner.invoke(app, ["export", "--db", db])  # PLOVER to standard output
    assert result.exit_code == 0
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [plover_to_event(x) for x in lines] == [e for r in in_store for e in r.events]


def test_export_command_mistakes(stored, tmp_path):
    db, _ = stored
    runner = CliRunner()
    result = runner.invoke(app, ["export", "--db", db, "--format", "parquet"])
    assert result.exit_code == 2 and "Parquet is a binary file: give --out PATH" in result.stderr
    result = runner.invoke(app, ["export", "--db", db, "--format", "xml"])
    assert result.exit_code == 2 and "--format xml: use plover, csv, parquet" in result.stderr
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no parley store here" in result.stderr
    out = tmp_path / "missing" / "events.csv"
    result = runner.invoke(app, ["export", "--db", db, "-f", "csv", "-o", str(out)])
    assert result.exit_code == 2 and "cannot write" in result.stderr and "Traceback" not in result.output
