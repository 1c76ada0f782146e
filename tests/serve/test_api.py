"""The REST API over the test store, through FastAPI's TestClient."""
from __future__ import annotations

import json
from datetime import date

import pytest

from .conftest import HOSTILE_TEXT, TOKEN


def items(client, path, **params):
    r = client.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def assert_error(r, status: int, *words: str):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    for w in words:
        assert w in body["message"], body["message"]
    return body


def test_summary_counts_what_was_stored(client, serve_records):
    s = client.get("/api/summary").json()
    assert s["articles"] == len(serve_records)
    assert s["events"] == sum(len(r.events) for r in serve_records)
    assert s["quotes"] == sum(len(r.quotes) for r in serve_records)
    assert s["commitments"] == sum(len(r.commitments) for r in serve_records)
    assert 1 <= s["documents"] <= sum(len(r.documents) for r in serve_records) - 1  # the treaty's two are one
    assert sum(s["events_by_type"].values()) == s["events"]
    assert s["planned_events"] == sum(e.planned for r in serve_records for e in r.events)


def test_events_pages_are_disjoint_and_total_is_the_count(client, serve_records):
    first = client.get("/api/events", params={"per_page": 5, "page": 1}).json()
    second = client.get("/api/events", params={"per_page": 5, "page": 2}).json()
    assert first["total"] == sum(len(r.events) for r in serve_records)
    assert len(first["items"]) == 5 and len(second["items"]) == 5
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    everything = items(client, "/api/events", per_page=500)
    assert len(everything) == first["total"]
    assert [e["id"] for e in everything[:10]] == [e["id"] for e in first["items"] + second["items"]]


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_events_sorted_by_date(client, sort):
    dates = [e["date"] for e in items(client, "/api/events", sort=sort, per_page=500)]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=sort.startswith("-"))
    assert dates[:len(known)] == known  # undated events come last


def test_events_sorted_by_type(client):
    types = [e["event"] for e in items(client, "/api/events", sort="type", per_page=500)]
    assert types == sorted(types)


def test_event_filters(client, serve_records):
    consult = items(client, "/api/events", type="CONSULT", per_page=500)
    assert consult and all(e["event"] == "CONSULT" for e in consult)
    assert len(consult) == sum(e.event == "CONSULT" for r in serve_records for e in r.events)

    pakistan = items(client, "/api/events", country="PAK", per_page=500)
    assert pakistan and all("PAK" in [s["country"] for s in e["actors"] + e["recipients"]] for e in pakistan)
    assert items(client, "/api/events", country="pak", per_page=500) == pakistan

    dar = items(client, "/api/events", actor="Ishaq Dar", per_page=500)
    assert dar and all(any("Dar" in s["name"] for s in e["actors"]) for e in dar)

    window = items(client, "/api/events", since="2025-12-01", until="2025-12-31", per_page=500)
    assert window and all("2025-12-01" <= e["date"] <= "2025-12-31" for e in window)

    planned = items(client, "/api/events", planned="true", per_page=500)
    assert planned and all(e["planned"] for e in planned)
    assert all(not e["planned"] for e in items(client, "/api/events", planned="false", per_page=500))


def test_event_rows_carry_offsets_into_their_article(client, serve_records):
    events = {e.id: e for r in serve_records for e in r.events}
    rows = items(client, "/api/events", per_page=500)
    assert {e["id"] for e in rows} == set(events)
    for e in rows:
        assert (e["trigger_start"], e["trigger_end"]) == (events[e["id"]].trigger.start, events[e["id"]].trigger.end)
        assert e["event_text"] == events[e["id"]].event_text


@pytest.mark.parametrize("params", [
    {"actor": "' OR 1=1 --"},
    {"actor": "x%' UNION SELECT id, record FROM articles --"},
    {"recipient": "\" OR \"\"=\""},
    {"place": "'; DROP TABLE events; --"},
    {"document": "%' OR '1'='1"},
    {"actor": "%"},
    {"actor": "_"},
])
def test_sql_in_filters_finds_nothing_and_runs_nothing(client, params):
    before = client.get("/api/summary").json()
    r = client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    assert r.json()["total"] == 0 and r.json()["items"] == []
    assert client.get("/api/summary").json() == before


@pytest.mark.parametrize("path, params", [
    ("/api/events", {"type": "CONSULT' OR '1'='1"}),
    ("/api/events", {"country": "USA' --"}),
    ("/api/events", {"mode": "phone'; DELETE FROM events; --"}),
    ("/api/events", {"since": "2025-01-01' OR 1=1"}),
    ("/api/events", {"sort": "date; DROP TABLE events"}),
    ("/api/events", {"planned": "1 OR 1=1"}),
])
def test_sql_in_typed_parameters_is_a_422(client, path, params):
    assert_error(client.get(path, params=params), 422)
    assert client.get("/api/summary").json()["events"] > 0


@pytest.mark.parametrize("params, words", [
    ({"per_page": 501}, ["per_page"]),
    ({"per_page": 0}, ["per_page"]),
    ({"page": 0}, ["page"]),
    ({"page": "two"}, ["page"]),
    ({"since": "yesterday"}, ["since"]),
    ({"type": "HUG"}, ["type"]),
    ({"sort": "random"}, ["sort"]),
    ({"actor": "x" * 201}, ["actor"]),
])
def test_bad_parameters_are_a_json_422(client, params, words):
    body = assert_error(client.get("/api/events", params=params), 422, *words)
    assert body["errors"] and all(e["where"] and e["problem"] for e in body["errors"])


def test_deep_paging_of_lists_read_from_the_start_is_refused(client):
    assert_error(client.get("/api/actors", params={"page": 100, "per_page": 500}), 422, "narrow")


def test_unknown_things_are_json_404(client):
    assert_error(client.get("/api/nothing-here"), 404)
    assert_error(client.get("/api/articles/sha1:0000000000000000"), 404, "no article")
    assert_error(client.get("/api/actors/name:nobody at all|XXX"), 404, "no actor")


def test_wrong_method_is_json_405(client):
    assert_error(client.put("/api/events", json={}), 405, "PUT")
    assert_error(client.delete("/api/articles/anything"), 405)


def test_merged_events_carry_their_sources(client):
    merged = items(client, "/api/merged-events", per_page=500)
    assert merged
    for m in merged:
        assert m["n_sources"] >= 1 and len(m["sources"]) == m["n_events"]
        assert all(s["article_id"] and s["event_id"] for s in m["sources"])
    consult = items(client, "/api/merged-events", type="CONSULT", per_page=500)
    assert consult and all(m["event"] == "CONSULT" for m in consult)
    assert_error(client.get("/api/merged-events", params={"country": "USA"}), 422, "country")


def test_actors_and_one_actor_with_events_quotes_commitments(client):
    actors = items(client, "/api/actors", per_page=500)
    assert actors == sorted(actors, key=lambda a: (-a["n_articles"], a["name"], a["key"]))
    usa = client.get("/api/actors/state:USA").json()
    assert usa["actor"]["name"] == "United States"
    assert usa["events"]["total"] == len(usa["events"]["items"]) > 0
    for e in usa["events"]["items"]:
        side = e["actors"] if e["role"] == "actor" else e["recipients"]
        assert "state:USA" in [s["entity"] for s in side]
    pledge = [c for c in usa["commitments"] if c["amount"] == 500_000_000]
    assert len(pledge) == 1 and pledge[0]["role"] == "giver" and pledge[0]["purpose"] == "border reconstruction"
    assert sum(m["n"] for m in usa["months"]) >= usa["events"]["total"] - sum(1 for e in usa["events"]["items"] if not e["date"])

    speakers = [a for a in actors if client.get("/api/quotes", params={"speaker": a["name"]}).json()["items"]]
    assert speakers
    detail = client.get(f"/api/actors/{speakers[0]['key']}").json()
    assert detail["quotes"] and all(q["text"] for q in detail["quotes"])


def test_article_gives_the_record_as_stored(client, serve_records):
    listed = items(client, "/api/articles", per_page=500)
    assert len(listed) == len(serve_records)
    published = [a["published"] for a in listed]
    assert published == sorted(published, reverse=True)
    for record in serve_records:
        got = client.get(f"/api/articles/{record.article.id}").json()
        assert got["record"] == json.loads(record.to_json())
        assert set(got["merged"]) == {e.id for e in record.events}
    short = serve_records[0].article.id[:12]  # a unique prefix will do
    assert client.get(f"/api/articles/{short}").json()["record"]["article"]["id"] == serve_records[0].article.id


def test_documents_have_a_status_timeline_with_its_articles_and_parties(client, serve_records):
    docs = items(client, "/api/documents")
    treaty = next(d for d in docs if d["name"] == "Armenia-Azerbaijan peace treaty")
    assert [s["status"] for s in treaty["timeline"]] == ["drafted", "signed"]
    assert treaty["status"] == "signed" and treaty["n_sources"] == 2
    draft, signed = serve_records[-2], serve_records[-1]
    assert [s["sources"][0]["article_id"] for s in treaty["timeline"]] == [draft.article.id, signed.article.id]
    assert {p["country"] for p in treaty["parties"]} <= {"ARM", "AZE"}
    assert treaty["parties"]
    assert items(client, "/api/documents", name="peace treaty")[0]["key"] == treaty["key"]
    assert items(client, "/api/documents", name="no such accord") == []


def test_quotes_filter_by_article(client, serve_records):
    record = next(r for r in serve_records if r.quotes)
    quotes = items(client, "/api/quotes", article=record.article.id, per_page=500)
    assert {q["id"] for q in quotes} == {q.id for q in record.quotes}


def test_network_edges_join_its_nodes_and_count_events(client):
    net = client.get("/api/network").json()
    ids = {n["id"] for n in net["nodes"]}
    assert net["edges"] and all(e["source"] in ids and e["target"] in ids for e in net["edges"])
    assert all(e["n"] == sum(e["types"].values()) and e["event"] in e["types"] for e in net["edges"])
    ns = [e["n"] for e in net["edges"]]
    assert ns == sorted(ns, reverse=True)
    only = client.get("/api/network", params={"type": "CONSULT", "max_edges": 3}).json()
    assert len(only["edges"]) <= 3 and all(set(e["types"]) == {"CONSULT"} for e in only["edges"])


def test_code_returns_the_record_and_stores_nothing(client, code):
    text = "Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed in Nairobi on Monday."
    before = client.get("/api/summary").json()
    r = client.post("/api/code", json={"text": text, "published": "2025-11-14T09:00:00", "format": "plain"})
    assert r.status_code == 200, r.text
    got = r.json()
    assert got == code(text, published="2025-11-14T09:00:00").to_dict()
    assert got["events"] and got["article"]["text"] == text
    assert client.get("/api/summary").json() == before


@pytest.mark.parametrize("body, words", [
    ({"text": ""}, ["text"]),
    ({}, ["text"]),
    ({"text": "x", "colour": "red"}, ["colour"]),
    ({"text": "x", "format": "pdf"}, ["format"]),
])
def test_code_rejects_bad_bodies(client, body, words):
    assert_error(client.post("/api/code", json=body), 422, *words)


def test_code_rejects_an_unreadable_date(client):
    assert_error(client.post("/api/code", json={"text": "Ruto met Abiy.", "published": "not a date"}), 422, "date")


def test_code_rejects_a_body_that_is_not_json(client):
    r = client.post("/api/code", content=b"text=hello", headers={"content-type": "application/x-www-form-urlencoded"})
    assert_error(r, 422)


def test_a_body_over_the_limit_is_413(client):
    from parley.serve.api import MAX_BODY

    r = client.post("/api/code", content=b'{"text": "' + b"a" * (MAX_BODY + 10) + b'"}',
                    headers={"content-type": "application/json"})
    assert_error(r, 413, "larger than")


def test_writes_are_refused_without_a_server_token(writable_db):
    from fastapi.testclient import TestClient

    from parley.serve import create_app

    with TestClient(create_app(writable_db, token="")) as c:
        r = c.post("/api/articles", json={"text": HOSTILE_TEXT}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert_error(r, 403, "read-only")
        assert c.get("/api/summary").json()["articles"] == 11


def test_writes_need_the_bearer_token(writable_db):
    from fastapi.testclient import TestClient

    from parley.serve import create_app

    text = ("Japanese Prime Minister Sanae Takaichi met South Korean President Lee Jae-myung in Tokyo on Friday "
            "to discuss trade.")
    body = {"text": text, "published": "2026-03-06T10:00:00", "source": "Test Wire", "format": "plain"}
    with TestClient(create_app(writable_db, token=TOKEN)) as c:
        r = c.post("/api/articles", json=body)
        assert_error(r, 401, "token")
        assert r.headers["www-authenticate"] == "Bearer"
        assert_error(c.post("/api/articles", json=body, headers={"Authorization": "Bearer wrong"}), 401)
        assert_error(c.post("/api/articles", json=body, headers={"Authorization": TOKEN}), 401)
        assert c.get("/api/summary").json()["articles"] == 11

        r = c.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 201, r.text
        stored = r.json()
        assert stored["stored"] is True and stored["events"] >= 1
        assert c.get("/api/summary").json()["articles"] == 12
        assert c.get(f"/api/articles/{stored['id']}").json()["record"]["article"]["text"] == text
        assert any(e["article_id"] == stored["id"] for e in items(c, "/api/events", since="2026-03-01", per_page=500))

        again = c.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert again.status_code == 200 and again.json() == {**stored, "stored": False}


def test_every_answer_has_security_headers(client):
    for path in ("/", "/api/summary", "/docs", "/api/nothing"):
        h = client.get(path).headers
        assert "script-src 'self'" in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff"


def test_openapi_lists_every_endpoint(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/events", "/api/merged-events", "/api/actors", "/api/actors/{key}", "/api/articles",
            "/api/articles/{article_id}", "/api/documents", "/api/quotes", "/api/summary", "/api/network",
            "/api/code"} <= paths
    assert "post" in spec["paths"]["/api/articles"]
    assert not any(p.startswith(("/network", "/code", "/static")) for p in paths)  # pages are not the API
    types = next(p for p in spec["paths"]["/api/events"]["get"]["parameters"] if p["name"] == "type")
    assert "CONSULT" in json.dumps(types) or "EventType" in json.dumps(types)


def test_docs_load_nothing_from_outside(client):
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/vendor/swagger-ui/LICENSE").status_code == 200


def test_store_that_does_not_exist_is_a_clear_error(tmp_path):
    from parley.serve import create_app
    from parley.store import StoreError

    with pytest.raises(StoreError, match="no parley store"):
        create_app(str(tmp_path / "missing.db"))
    assert not (tmp_path / "missing.db").exists()


def test_published_filter_on_articles(client):
    got = items(client, "/api/articles", since="2026-01-01", until="2026-02-14", per_page=500)
    assert got and all("2026-01-01" <= a["published"][:10] <= "2026-02-14" for a in got)
    assert date.fromisoformat(got[0]["published"][:10]) == date(2026, 2, 14)


def test_long_document_histories_are_cut_and_say_so(tmp_path):
    """80 reports of one plan, its status flipping 50 times then repeated: the answer lists 40 steps
    (the first 10 and the latest 30) and at most 10 reports a step, with the counts."""
    from fastapi.testclient import TestClient

    from parley.record import Article, Document, Mention, Record
    from parley.serve import create_app
    from parley.store import open_store

    store = open_store(str(tmp_path / "docs.db"))
    statuses = ["proposed", "rejected"] * 25 + ["agreed"] * 30
    for i, status in enumerate(statuses):
        aid = f"sha1:{i:016x}"
        text = f"Report {i} on the Lake Plan."
        store.add(Record(parley_version="0.1.0", model="hand-made",
                         article=Article(id=aid, text=text, published=f"2026-01-01T{i // 60:02d}:{i % 60:02d}:00",
                                         source=f"Wire {i}"),
                         documents=[Document(id=f"{aid}#d{text.index('Lake')}", name="Lake Plan", kind="plan",
                                             status=status, mentions=[Mention(start=text.index("Lake"),
                                                                              end=text.index("Lake") + 9,
                                                                              text="Lake Plan")])]), merge=False)
    store.merge()
    store.close()
    with TestClient(create_app(str(tmp_path / "docs.db"))) as c:
        doc = items(c, "/api/documents")[0]
        assert doc["n_steps"] == 51 and len(doc["timeline"]) == 40
        assert [s["sources"][0]["source"] for s in doc["timeline"][:11]] == [f"Wire {i}" for i in [*range(10), 21]]
        last = doc["timeline"][-1]
        assert last["status"] == "agreed" and last["n_sources"] == 30 and len(last["sources"]) == 10
        assert [s["source"] for s in last["sources"]] == [f"Wire {i}" for i in (50, 51, 52, 53, 54, 75, 76, 77, 78, 79)]
        page = c.get("/documents").text
        assert "20 more" in page and "11 more steps" in page
