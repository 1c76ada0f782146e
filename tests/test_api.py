"""The Python API: parley.code_text / code_file / code_files."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import parley
from parley.read import ReadError
from parley.record import Record

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
INDIA_PAKISTAN = FIXTURES / "atlas-2025-12-04-india-pakistan-call.txt"
ASEAN = FIXTURES / "atlas-2026-01-16-asean-manila.txt"

FRENCH = (
    "Le ministre des Affaires étrangères a rencontré son homologue allemand à Paris vendredi. "
    "Les deux hommes ont discuté de la guerre et de l'aide militaire européenne, selon un "
    "communiqué publié par le ministère dans la soirée."
)
MEETING = ("Indian External Affairs Minister Subrahmanyam Jaishankar met Chinese Foreign Minister "
           "Wang Yi in Beijing on Friday to discuss the disputed border.")


def body(path: Path) -> str:
    """The paragraphs after the Published Date line of a fixture article."""
    return path.read_text("utf-8").split("- Published Date")[1].split("\n", 1)[1]


def names(record: Record, ids: list[str]) -> set[str]:
    return {record.actor(i).name for i in ids}


@pytest.fixture(scope="module")
def meeting(nlp):
    return parley.code_text(MEETING, published="2025-12-10", source="Test Wire", title="Ministers meet",
                            url="https://example.org/1", article_id="meeting-1")


def test_code_text_returns_a_record(meeting):
    assert isinstance(meeting, Record) and isinstance(meeting, parley.Record)
    d = meeting.to_dict()
    assert d["parley_version"] == parley.__version__
    assert d["model"]
    a = d["article"]
    assert (a["id"], a["title"], a["source"], a["url"]) == ("meeting-1", "Ministers meet", "Test Wire",
                                                          "https://example.org/1")
    assert a["published"] == "2025-12-10T00:00:00"
    assert a["text"] == MEETING
    json.loads(meeting.to_json())  # plain JSON


def test_code_text_codes_the_meeting(meeting):
    consult = [e for e in meeting.events if e.event == "CONSULT"]
    assert len(consult) == 1
    e = consult[0]
    assert names(meeting, e.actor + e.recipient) == {"S. Jaishankar", "Wang Yi"}
    assert e.date == "2025-12-05"  # the Friday before Wednesday 10 December 2025
    assert e.location is not None and e.location.name == "Beijing" and e.location.country == "CHN"
    jaishankar = next(a for a in meeting.actors if a.name == "S. Jaishankar")
    assert (jaishankar.country, jaishankar.kind) == ("IND", "person")
    assert jaishankar.mentions[0].text == "Subrahmanyam Jaishankar"


def test_weekday_is_not_an_actor(meeting):
    # regression: "on Friday" was once read as Godwin Friday, Prime Minister of Saint Vincent
    assert {a.name for a in meeting.actors} == {"S. Jaishankar", "Wang Yi"}


def test_code_text_is_deterministic(nlp):
    text = ASEAN.read_text("utf-8")
    first = parley.code_text(text)
    second = parley.code_text(text)
    assert first.to_dict() == second.to_dict()
    assert first.article.id == second.article.id and first.article.id.startswith("sha1:")
    assert first.article.published == "2026-01-16T10:45:00"  # from the wire layout
    assert [e.id for e in first.events] == [e.id for e in second.events]
    assert first.events and first.actors


def test_code_text_ids_follow_the_text(nlp):
    a = parley.code_text(MEETING, published="2025-12-10")
    b = parley.code_text(MEETING + " They agreed to meet again next month.", published="2025-12-10")
    assert a.article.id != b.article.id
    assert parley.code_text(MEETING, published="2025-12-10", article_id="x").article.id == "x"


def test_code_file(tmp_path, nlp):
    record = parley.code_file(INDIA_PAKISTAN)
    assert record.article.path == str(INDIA_PAKISTAN)
    assert record.article.title.startswith("Pakistan and India foreign ministers")
    assert record.article.published == "2025-12-04T11:50:00"
    calls = [e for e in record.events if e.event == "CONSULT" and e.mode == "phone"]
    assert any(names(record, e.actor + e.recipient) >= {"Ishaq Dar", "S. Jaishankar"} for e in calls)
    # the same file read twice is the same record
    assert parley.code_file(str(INDIA_PAKISTAN)).to_dict() == record.to_dict()


def test_code_file_errors(tmp_path, nlp):
    with pytest.raises(ReadError, match="no such file"):
        parley.code_file(tmp_path / "missing.txt")
    french = tmp_path / "french.txt"
    french.write_text(FRENCH, encoding="utf-8")
    with pytest.raises(ReadError, match="not English") as info:
        parley.code_file(french)
    assert info.value.kind == "language"
    two = tmp_path / "two.jsonl"
    two.write_text(json.dumps({"text": MEETING}) + "\n" + json.dumps({"text": MEETING + " Again."}) + "\n")
    with pytest.raises(ValueError, match="holds 2 articles"):
        parley.code_file(two)


@pytest.fixture
def jsonl_with_french(tmp_path):
    items = [
        {"id": "one", "text": MEETING, "published": "2025-12-10"},
        {"id": "two-fr", "text": FRENCH},
        {"id": "three", "text": body(INDIA_PAKISTAN), "published": "2025-12-04T11:50:00", "source": "Atlas Wire"},
    ]
    path = tmp_path / "items.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    return path


def test_code_files_jsonl(jsonl_with_french, nlp):
    records = parley.code_files(jsonl_with_french)
    assert isinstance(records, list)
    assert [r.article.id for r in records] == ["one", "three"]  # the French item is skipped, not raised
    assert all(isinstance(r, Record) and r.events for r in records)
    assert records[1].article.source == "Atlas Wire"
    assert len(records.skipped) == 1
    skip = records.skipped[0]
    assert isinstance(skip, ReadError) and skip.kind == "language"
    assert skip.item == "line 2" and "items.jsonl" in str(skip)


def test_code_files_folder_and_errors(tmp_path, nlp):
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(INDIA_PAKISTAN, folder / "a.txt")
    (folder / "b.txt").write_text(MEETING, encoding="utf-8")
    records = parley.code_files(folder, published="2025-12-10")
    assert [Path(r.article.path).name for r in records] == ["a.txt", "b.txt"]
    assert records[0].article.published == "2025-12-04T11:50:00"  # the article's own date wins
    assert records[1].article.published == "2025-12-10T00:00:00"
    assert records.skipped == []

    (folder / "c.txt").write_text("", encoding="utf-8")
    with pytest.raises(ReadError, match="empty"):
        parley.code_files(folder)
    lenient = parley.code_files(folder, skip_errors=True)
    assert len(lenient) == 2
    assert [e.kind for e in lenient.skipped] == ["empty"]


def test_code_files_bad_jsonl_line_raises(tmp_path, nlp):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": MEETING}) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ReadError, match="line 2"):
        parley.code_files(path)
    assert len(parley.code_files(path, skip_errors=True)) == 1


def test_public_names():
    assert set(parley.__all__) >= {"code_text", "code_file", "code_files", "Record", "__version__"}
    with pytest.raises(AttributeError):
        parley.no_such_name  # noqa: B018
