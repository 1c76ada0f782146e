"""The Record contract: its JSON Schema and the keys the spec promises."""
from __future__ import annotations

import json

import jsonschema
import pytest

from parley.record import Article, Record, record_schema

SPEC = {
    "top": {"parley_version", "model", "article", "actors", "events", "places", "quotes", "commitments",
            "documents"},
    "Article": {"id", "title", "source", "published", "url", "language", "text"},
    "Actor": {"id", "name", "country", "sector", "office", "wikidata", "mentions"},
    "Mention": {"start", "end", "text"},
    "Event": {"id", "event", "mode", "context", "cameo", "actor", "recipient", "date", "date_text", "planned",
              "negated", "location", "event_text", "sentence"},
    "Span": {"start", "end"},
    "Place": {"name", "country", "lat", "lon", "mentions"},
}

TEXT = ("Ministers meet in Geneva\n"
        "The Irish foreign minister met her Norwegian counterpart in Geneva on Monday.")


def minimal_record() -> Record:
    return Record.model_validate({
        "parley_version": "0.1.0", "model": "en_test-0",
        "article": {"id": "a1", "text": TEXT, "published": "2026-02-02T08:00:00", "language": "en"},
        "actors": [{"id": "a1#a25", "name": "Ireland", "kind": "state", "country": "IRL", "sector": "GOV",
                    "mentions": [{"start": 29, "end": 34, "text": "Irish"}]}],
        "events": [{"id": "a1#e55", "event": "CONSULT", "mode": "third-party", "actor": ["a1#a25"],
                    "recipient": [], "date": "2026-02-02", "date_text": "on Monday", "event_text": "met",
                    "trigger": {"start": TEXT.index(" met ") + 1, "end": TEXT.index(" met ") + 4}, "sentence": {"start": 25, "end": len(TEXT)},
                    "location": {"name": "Geneva", "country": "CHE", "lat": 46.2, "lon": 6.14}}],
        "places": [{"id": "a1#p17", "name": "Geneva", "country": "CHE", "lat": 46.2, "lon": 6.14,
                    "mentions": [{"start": 18, "end": 24, "text": "Geneva"}]}],
    })


def test_minimal_record_offsets_are_right():
    record = minimal_record()
    text = record.article.text
    for m in record.actors[0].mentions + record.places[0].mentions:
        assert text[m.start:m.end] == m.text
    e = record.events[0]
    assert text[e.trigger.start:e.trigger.end] == e.event_text
    assert text[e.sentence.start:e.sentence.end].startswith("The Irish")


def resolve(schema: dict, node: dict) -> dict:
    """Follow $ref and a nullable anyOf down to the object schema."""
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].split("/")[-1]]
        elif "anyOf" in node:
            node = next(n for n in node["anyOf"] if n.get("type") != "null")
        elif node.get("type") == "array":
            node = node["items"]
        else:
            return node


def test_schema_is_a_valid_json_schema():
    schema = record_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "parley Record"
    json.dumps(schema)  # serialisable as is


def test_schema_has_the_spec_keys():
    schema = record_schema()
    top = schema["properties"]
    assert SPEC["top"] <= set(top)
    assert {"parley_version", "model", "article"} <= set(schema["required"])
    article = resolve(schema, top["article"])
    assert SPEC["Article"] <= set(article["properties"])
    actor = resolve(schema, top["actors"])
    assert SPEC["Actor"] <= set(actor["properties"])
    assert SPEC["Mention"] <= set(resolve(schema, actor["properties"]["mentions"])["properties"])
    event = resolve(schema, top["events"])
    assert SPEC["Event"] <= set(event["properties"])
    assert SPEC["Span"] <= set(resolve(schema, event["properties"]["sentence"])["properties"])
    place = resolve(schema, top["places"])
    assert SPEC["Place"] <= set(place["properties"])
    for key in ("quotes", "commitments", "documents"):
        assert top[key]["type"] == "array"


def test_schema_forbids_unknown_keys():
    validator = jsonschema.Draft202012Validator(record_schema())
    d = minimal_record().to_dict()
    assert not list(validator.iter_errors(d))
    d["surprise"] = 1
    assert list(validator.iter_errors(d))
    d = minimal_record().to_dict()
    d["events"][0]["trigger"] = {"start": "fifty", "end": 53}
    assert list(validator.iter_errors(d))


def test_to_dict_has_every_spec_key():
    d = minimal_record().to_dict()
    assert set(d) == SPEC["top"]
    assert SPEC["Article"] <= set(d["article"])
    assert SPEC["Actor"] <= set(d["actors"][0])
    assert SPEC["Mention"] == set(d["actors"][0]["mentions"][0])
    assert SPEC["Event"] <= set(d["events"][0])
    assert SPEC["Span"] == set(d["events"][0]["sentence"])
    assert SPEC["Place"] <= set(d["places"][0])
    assert d["quotes"] == d["commitments"] == d["documents"] == []
    # unset optional fields are present as null, not left out
    assert d["article"]["title"] is None and d["actors"][0]["wikidata"] is None
    assert d["events"][0]["planned"] is False and d["events"][0]["negated"] is False


def test_round_trip():
    record = minimal_record()
    d = record.to_dict()
    again = Record.model_validate(d)
    assert again == record
    assert again.to_dict() == d
    assert Record.model_validate(json.loads(record.to_json())) == record
    assert record.actor("a1#a25").name == "Ireland"
    jsonschema.validate(d, record_schema())


def test_to_json_keeps_non_ascii():
    record = minimal_record()
    record.article.title = "Erdoğan meets Zelensky"
    assert "Erdoğan" in record.to_json()


def test_unknown_keys_are_refused():
    d = minimal_record().to_dict()
    d["article"]["colour"] = "blue"
    with pytest.raises(ValueError):
        Record.model_validate(d)
    with pytest.raises(ValueError):
        Article(id="x")  # text is required


def test_real_record_round_trips_and_validates(reference_record):
    d = reference_record.to_dict()
    jsonschema.validate(d, record_schema())
    assert Record.model_validate(d) == reference_record
    assert Record.model_validate_json(reference_record.to_json()).to_dict() == d
    assert set(d) == SPEC["top"]
    for actor in d["actors"]:
        assert SPEC["Actor"] <= set(actor)
    for event in d["events"]:
        assert SPEC["Event"] <= set(event)
    for place in d["places"]:
        assert SPEC["Place"] <= set(place)


def test_real_record_from_a_fixture(code):
    from pathlib import Path

    text = (Path(__file__).parent / "fixtures" / "articles" / "atlas-2026-01-29-ukraine-aid.txt").read_text("utf-8")
    record = code(text, fmt="wire")
    d = record.to_dict()
    jsonschema.validate(d, record_schema())
    assert Record.model_validate(d) == record
    assert d["article"]["published"] == "2026-01-29T17:05:00"
