"""The store: records in, the same records out, queries that agree with the records, merges kept
up to date. Each test runs on a SQLite file and on a PostgreSQL database."""
from __future__ import annotations

import random
from datetime import date

import pytest

from conftest import make_record
from parley import merge as M
from parley.record import Quote, Span
from parley.store import StoreError, open_store


def all_ids(records, what):
    return {x.id for r in records for x in getattr(r, what)}


def test_round_trip_is_exact(store, fixture_records, report_records):
    records = fixture_records + report_records
    for r in records:
        assert store.add(r) is True
    back = list(store.iter_records())
    expected = sorted(records, key=lambda r: r.article.id)
    assert [r.to_json() for r in back] == [r.to_json() for r in expected]
    assert back == expected
    one = expected[3]
    assert store.record(one.article.id) == one


def test_tables_hold_every_part_of_the_records(store, fixture_records):
    for r in fixture_records:
        store.add(r, merge=False)
    counts = store.counts()
    assert counts["articles"] == len(fixture_records)
    for table in ("actors", "events", "places", "quotes", "commitments", "documents"):
        assert counts[table] == sum(len(getattr(r, table)) for r in fixture_records), table
    assert counts["event_actors"] == sum(len(e.actor) + len(e.recipient) for r in fixture_records for e in r.events)
    assert counts["mentions"] == sum(len(x.mentions) for r in fixture_records
                                     for x in [*r.actors, *r.places, *r.documents])
    assert counts["events"] > 20 and counts["merged_events"] == 0  # merge not run yet
    assert store.merge()["articles"] == len(fixture_records)
    assert store.counts()["merged_events"] > 0
    assert store.merge()["articles"] == 0  # nothing left to merge


def test_adding_again_changes_nothing(store, fixture_records, report_records):
    records = fixture_records + report_records
    for r in records:
        store.add(r)
    before = store.counts()
    merged = store.merged_events()
    assert not any(store.add(r) for r in records)
    assert store.counts() == before
    assert store.merged_events() == merged


def test_same_text_or_url_is_the_same_article(store, report_records):
    first = report_records[1]
    store.add(first)
    copy = first.model_copy(deep=True)
    copy.article.id = "given-id-7"  # a JSON Lines copy with an id of its own: same text
    assert store.stored_as(copy.article) == first.article.id
    assert store.add(copy) is False
    a = make_record("art-1", "2025-12-01T10:00:00", "A", {"x": ("Ruritania", "state", "RUR", None)},
                    [{"type": "CONSULT", "actor": ["x"]}], url="https://example.org/story")
    b = make_record("art-2", "2025-12-01T11:00:00", "A", {"x": ("Ruritania", "state", "RUR", None)},
                    [{"type": "CONSULT", "actor": ["x"]}], url="https://example.org/story")
    b.article.text += " Updated."
    assert store.add(a) is True
    assert store.add(b) is False  # same URL
    assert store.counts()["articles"] == 2


def _expected(records, keep):
    return {e.id for r in records for e in r.events if keep(r, e)}


def _names(r, ids):
    return [r.actor(i).name.lower() for i in ids]


def _countries(r, ids):
    return [r.actor(i).country for i in ids]


QUERIES = [
    ({"actor": "Zelensky"}, lambda r, e: any("zelensky" in n for n in _names(r, e.actor))),
    ({"recipient": "IND"}, lambda r, e: "IND" in _countries(r, e.recipient)
     or any("ind" in n for n in _names(r, e.recipient))),
    ({"actor": "Zelensky", "recipient": "Trump"}, lambda r, e: any("zelensky" in n for n in _names(r, e.actor))
     and any("trump" in n for n in _names(r, e.recipient))),
    ({"type": "consult", "mode": "phone"}, lambda r, e: e.event == "CONSULT" and e.mode == "phone"),
    ({"since": "2025-12-01", "until": "2025-12-31"}, lambda r, e: e.date and "2025-12-01" <= e.date <= "2025-12-31"),
    ({"place": "Florida"}, lambda r, e: e.location is not None and "florida" in e.location.name.lower()),
    ({"planned": True}, lambda r, e: e.planned),
    ({"type": "CONSULT", "since": date(2026, 1, 1)}, lambda r, e: e.event == "CONSULT" and e.date and e.date >= "2026-01-01"),
]


@pytest.mark.parametrize("filters,keep", QUERIES, ids=[str(q[0]) for q in QUERIES])
def test_event_queries_agree_with_the_records(store, fixture_records, report_records, filters, keep):
    records = fixture_records + report_records
    for r in records:
        store.add(r, merge=False)
    store.merge()
    expected = _expected(records, keep)
    assert expected, "the test corpus must hold a matching event"
    rows = store.events(**filters)
    assert {row["id"] for row in rows} == expected
    dates = [row["date"] for row in rows if row["date"]]
    assert dates == sorted(dates)


def test_event_rows_carry_their_actors_and_source(store, report_records):
    for r in report_records:
        store.add(r)
    rows = store.events(actor="Zelensky", type="CONSULT")
    assert rows and all(row["source"] in ("Atlas Wire", "Gulf Courier") for row in rows)
    row = next(x for x in rows if x["source"] == "Atlas Wire")
    assert row["actors"][0]["name"] == "Volodymyr Zelenskyy" and row["actors"][0]["country"] == "UKR"
    assert row["recipients"][0]["name"] == "Donald Trump"
    assert "Florida" in row["sentence"] and row["merged_id"].startswith("m:")


def test_merged_events_join_the_reports_of_one_meeting(store, report_records):
    for r in report_records:
        store.add(r)
    merged = store.merged_events(actor="Zelensky")
    met = [m for m in merged if m["event"] == "CONSULT"]
    plan = [m for m in merged if m["planned"]]
    assert len(met) == 1 and len(plan) == 1
    met, plan = met[0], plan[0]
    assert met["n_sources"] == 2 and met["date"] == "2025-12-28"
    assert sorted(s["source"] for s in met["sources"]) == ["Atlas Wire", "Gulf Courier"]
    assert met["first_report"] == "2025-12-29T09:00:00" and met["last_report"] == "2025-12-29T12:00:00"  # UTC
    assert {a["name"] for a in met["actors"] + met["recipients"]} == {"Volodymyr Zelenskyy", "Donald Trump"}
    assert plan["realised_by"] == met["id"] and met["planned_as"] == [plan["id"]]
    assert store.merged_events(min_sources=2) == [met]
    assert store.merged_events(planned=True)[0]["id"] == plan["id"]


def test_documents_are_merged_with_a_status_timeline(store):
    people = {"u": ("Ukraine", "state", "UKR", None), "s": ("United States", "state", "USA", None)}
    docs = [
        ("a-1", "2025-12-01T08:00:00", "Kyiv Desk", {"key": "f", "name": "the 20-point framework",
                                                   "aliases": ["20-point peace plan"], "status": "proposed"}),
        ("a-2", "2025-12-10T08:00:00", "Atlas Wire", {"key": "f", "name": "20-point peace plan", "status": "under negotiation"}),
        ("a-3", "2025-12-12T08:00:00", "Gulf Courier", {"key": "f", "name": "The 20-Point Peace Plan", "status": "under negotiation"}),
        ("a-4", "2025-12-20T08:00:00", "Atlas Wire", {"key": "f", "name": "20-point framework", "status": "signed"}),
        ("a-5", "2025-12-21T08:00:00", "Atlas Wire", {"key": "m", "name": "Minsk agreements", "status": "suspended"}),
    ]
    for aid, published, source, doc in reversed(docs):
        store.add(make_record(aid, published, source, people,
                              [{"type": "CONSULT", "actor": ["u"], "recipient": ["s"], "date": published[:10],
                                "documents": [doc["key"]]}], documents=[doc]))
    found = store.documents("20-point")
    assert len(found) == 1
    doc = found[0]
    assert doc["n_sources"] == 4 and doc["status"] == "signed"
    assert [s["status"] for s in doc["timeline"]] == ["proposed", "under negotiation", "signed"]
    assert [[x["article_id"] for x in s["sources"]] for s in doc["timeline"]] == [["a-1"], ["a-2", "a-3"], ["a-4"]]
    assert doc["timeline"][1]["since"].startswith("2025-12-10") and doc["timeline"][1]["until"].startswith("2025-12-12")
    assert {"the 20-point framework", "20-point framework"} <= set(doc["aliases"] + [doc["name"]])
    assert [d["name"] for d in store.documents("minsk")] == ["Minsk agreements"]
    assert len(store.documents()) == 2
    assert {e["article_id"] for e in store.events(document="20-point")} == {"a-1", "a-2", "a-3", "a-4"}


def test_quotes_by_speaker(store, report_records):
    said = report_records[3].model_copy(deep=True)
    speaker = next(a for a in said.actors if "Dar" in a.name)
    said.quotes = [Quote(id=f"{said.article.id}#q999", speaker=speaker.id, text="We talk again on Friday.",
                         kind="direct", cue="said", span=Span(start=0, end=5))]
    store.add(said)
    store.add(report_records[1])
    rows = store.quotes(speaker="Ishaq Dar")
    assert [r["text"] for r in rows] == ["We talk again on Friday."]
    assert rows[0]["speaker"] == speaker.name and rows[0]["source"] == "Atlas Wire"
    assert store.quotes(speaker="PAK") == rows  # a country code names its people too
    assert store.quotes(speaker="Trump") == []


def test_actors_are_entities_across_articles(store, fixture_records, report_records):
    records = fixture_records + report_records
    for r in records:
        store.add(r, merge=False)
    store.merge()
    keys = {M.entity_key(a) for r in records for a in r.actors}
    assert store.counts()["entities"] == len(keys)
    (zelensky,) = store.actors("Zelensky")
    assert zelensky["key"] == "wd:Q3874799" and zelensky["country"] == "UKR"
    assert zelensky["n_articles"] == sum(any(a.wikidata == "Q3874799" for a in r.actors) for r in records) >= 3
    assert zelensky["n_events"] >= 3
    ranked = store.actors()
    assert [a["n_articles"] for a in ranked] == sorted((a["n_articles"] for a in ranked), reverse=True)
    assert all(a["country"] == "UKR" for a in store.actors(country="ukr"))


def test_results_load_into_pandas(store, fixture_records):
    for r in fixture_records:
        store.add(r)
    frame = store.events().to_pandas()
    assert len(frame) == sum(len(r.events) for r in fixture_records)
    assert str(frame["date"].dtype).startswith("datetime64")
    assert {"event", "actors", "recipients", "source", "merged_id"} <= set(frame.columns)
    merged = store.merged_events().to_pandas()
    assert merged["n_sources"].sum() >= len(merged)


def test_article_lookup(store, report_records):
    for r in report_records:
        store.add(r)
    target = report_records[0].article.id
    assert store.find_article(target) == target
    assert store.find_article(target.split(":")[1][:10]) == target  # a prefix, without sha1:
    with pytest.raises(StoreError, match="names 4 articles"):
        store.find_article("sha1:")
    with pytest.raises(StoreError, match="no article 'nothing-here'"):
        store.find_article("nothing-here")
    found = store.article(target)
    assert found["record"] == report_records[0]
    assert set(found["merged"]) == {e.id for e in report_records[0].events}


def test_errors_are_kept_once(store):
    store.add_error("news/a.jsonl", "no \"text\" field", item="line 3", kind="malformed")
    store.add_error("news/a.jsonl", "no \"text\" field", item="line 3", kind="malformed")
    store.add_error("news/b.txt", "binary content, not text", kind="binary")
    rows = store.errors()
    assert [(r["path"], r["item"], r["kind"]) for r in rows] == [
        ("news/a.jsonl", "line 3", "malformed"), ("news/b.txt", None, "binary")]


def _flip_flop(store, n: int) -> None:
    """n reports of one plan, its status changing every third report (a long timeline)."""
    people = {"u": ("Ukraine", "state", "UKR", None), "s": ("United States", "state", "USA", None)}
    statuses = ["proposed", "under negotiation", "signed", "suspended"]
    for i in range(n):
        doc = {"key": "p", "name": "Black Sea grain deal" if i % 2 else "the Black Sea Grain Deal",
               "status": statuses[(i // 3) % 4]}
        store.add(make_record(f"g-{i:03d}", f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}T08:00:00", "Atlas Wire", people,
                              [{"type": "CONSULT", "actor": ["u"], "recipient": ["s"]}], documents=[doc]), merge=False)
    store.merge()


def test_a_long_timeline_is_listed_by_its_ends_with_counts(store):
    _flip_flop(store, 40)
    whole = store.documents("grain deal")
    assert len(whole) == 1 and whole[0]["n_steps"] == 14 and len(whole[0]["timeline"]) == 14
    steps = whole[0]["timeline"]
    assert [s["status"] for s in steps[:5]] == ["proposed", "under negotiation", "signed", "suspended", "proposed"]
    assert [len(s["sources"]) for s in steps] == [s["n_sources"] for s in steps] == [3] * 13 + [1]
    assert [x["article_id"] for x in steps[0]["sources"]] == ["g-000", "g-001", "g-002"]

    cut = store.documents("grain deal", steps=8, sources=2)[0]
    assert cut["n_steps"] == 14 and [s["since"] for s in cut["timeline"]] == \
        [s["since"] for s in steps[:2] + steps[-6:]]
    first = cut["timeline"][0]
    assert first["n_sources"] == 3 and [x["article_id"] for x in first["sources"]] == ["g-000", "g-002"]
    assert cut["timeline"][-1]["sources"] == steps[-1]["sources"]  # one report: listed whole
    assert store.documents("grain deal", sources=0)[0]["timeline"][0]["sources"] == []
    with pytest.raises(ValueError, match="steps: -1"):
        store.documents(steps=-1)


def test_a_new_report_in_the_middle_of_a_timeline_moves_the_steps_after_it(store):
    _flip_flop(store, 6)  # proposed x3, under negotiation x3
    people = {"u": ("Ukraine", "state", "UKR", None)}
    store.add(make_record("late-old", "2025-01-02T12:00:00", "Kyiv Desk", people,
                          [{"type": "CONSULT", "actor": ["u"]}],
                          documents=[{"key": "p", "name": "Black Sea grain deal", "status": "signed"}]))
    steps = store.documents("black sea")[0]["timeline"]
    assert [(s["status"], [x["article_id"] for x in s["sources"]]) for s in steps] == [
        ("proposed", ["g-000", "g-001"]), ("signed", ["late-old"]), ("proposed", ["g-002"]),
        ("under negotiation", ["g-003", "g-004", "g-005"])]


def test_incremental_merge_does_not_depend_on_order(store, tmp_path, fixture_records, report_records):
    """Shuffled, merged after every article, on this backend; all at once, on SQLite; and the
    pure merge of the whole set: the same merged events, entities and documents."""
    people = {"u": ("Ukraine", "state", "UKR", None), "s": ("United States", "state", "USA", None)}
    extra = [make_record(f"h-{i}", f"2025-12-{10 + i}T08:00:00", "Atlas Wire", people,
                         [{"type": "CONSULT", "actor": ["u"], "recipient": ["s"], "date": f"2025-12-{(10, 11, 11, 11, 12)[i]}"}],
                         documents=[{"key": "p", "name": ["peace plan", "the Peace Plan", "US peace plan"][i % 3],
                                     "aliases": ["peace plan"] if i == 2 else [],
                                     "status": ["proposed", "agreed", "signed"][i % 3]}]) for i in range(5)]
    records = fixture_records + report_records + extra
    shuffled = records[:]
    random.Random(4).shuffle(shuffled)
    for r in shuffled:
        store.add(r)  # merges after each article
    other = open_store(str(tmp_path / "all-at-once.db"))
    for r in reversed(records):
        other.add(r, merge=False)
    other.merge()

    def view(s):
        return ([(m["id"], m["event"], m["date"], m["n_sources"], m["realised_by"], m["planned_as"],
                  sorted(x["event_id"] for x in m["sources"])) for m in s.merged_events()],
                s.actors(), [(d["key"], d["name"], d["status"], d["timeline"]) for d in s.documents()])

    assert view(store) == view(other)
    pure = M.merge_records(records)
    assert {m["id"]: sorted(x["event_id"] for x in m["sources"]) for m in store.merged_events()} == \
        {m.id: m.events for m in pure.events}
    assert {(d["key"], d["status"]) for d in store.documents()} == {(d.key, d.status) for d in pure.documents}
    # entities, counted in SQL, are what merging the actors in memory gives
    fields = ("key", "name", "kind", "country", "sector", "office", "wikidata", "names", "n_articles", "n_mentions")
    assert sorted(tuple(x[f] for f in fields) for x in store.actors()) == \
        sorted(tuple(getattr(x, f) for f in fields) for x in pure.entities)
    assert {x["key"]: (x["first_seen"], x["last_seen"]) for x in store.actors()} == \
        {x.key: (x.first_seen.isoformat(), x.last_seen.isoformat()) for x in pure.entities}
    # the timelines kept at merge time are the ones merging everything at once computes
    assert {d["key"]: [{k: v for k, v in step.items() if k != "n_sources"} for step in d["timeline"]]
            for d in store.documents()} == {d.key: d.timeline for d in pure.documents}
    # the five hand-made reports of a US–Ukraine consultation, three on its day and one a day either
    # side, are one event
    one = [m for m in store.merged_events(actor="UKR", recipient="USA") if m["n_sources"] == 5]
    assert len(one) == 1 and one[0]["date"] == "2025-12-11"
    other.close()


def _spread_reports(n: int, seed: int) -> list:
    """n hand-made articles about one group of participants (Ukraine, the US), reporting
    consultations, agreements (some planned, dated or not) and demands on dates spread over four
    months, in chains a day apart and apart, with modes and places that split some chains."""
    rng = random.Random(seed)
    people = {"u": ("Ukraine", "state", "UKR", None), "s": ("United States", "state", "USA", None)}
    records = []
    for i in range(n):
        day = date(2025, 1, 1).toordinal() + rng.choice([rng.randrange(120), rng.randrange(40, 52)])
        events = []
        for k in range(rng.randrange(1, 4)):
            kind = rng.choice(["CONSULT", "CONSULT", "AGREE", "DEMAND"])
            when = date.fromordinal(day + rng.randrange(-2, 1))
            event = {"type": kind, "actor": ["u"], "recipient": ["s"], "date": when.isoformat(),
                     "mode": rng.choice([None, None, "phone", "visit"]),
                     "place": rng.choice([None, None, ("Kyiv", "UKR"), ("Miami", "USA")])}
            if kind == "DEMAND" and rng.random() < 0.5:
                event["actor"], event["recipient"] = ["s"], ["u"]
            if kind == "AGREE" and rng.random() < 0.6:
                event["planned"] = True
                event["date"] = rng.choice([None, date.fromordinal(day + rng.randrange(1, 6)).isoformat()])
            if kind == "CONSULT" and rng.random() < 0.1:
                event["date"] = None
            events.append(event)
        published = date.fromordinal(day).isoformat() + f"T{rng.randrange(24):02d}:00:00"
        records.append(make_record(f"s-{i:03d}", published, rng.choice(["Atlas Wire", "Kyiv Desk"]), people, events))
    return records


def _merge_view(s):
    """Everything merging writes, as plain rows: merged events (every column), each event's merged
    event, entities."""
    import sqlalchemy as sa

    from parley.store import schema as S

    with s.engine.connect() as conn:
        merged = sorted(tuple(r) for r in conn.execute(sa.select(S.merged_events)))
        events = sorted(tuple(r) for r in conn.execute(sa.select(S.events.c.id, S.events.c.merged_id)))
        entities = sorted(tuple(r) for r in conn.execute(sa.select(S.entities)))
    return merged, events, entities


def _merged_at_once(tmp_path, records, view):
    """``view`` of a store that stored every record, then merged once."""
    whole = open_store(str(tmp_path / "whole.db"))
    try:
        whole.add_many(records, merge=False)
        whole.merge()
        return view(whole)
    finally:
        whole.close()


def _merge_in_batches(store, records, batches: int, seed: int) -> None:
    """Store the records shuffled, in batches of random sizes, merging after each."""
    rng = random.Random(seed)
    order = records[:]
    rng.shuffle(order)
    cuts = sorted(rng.sample(range(1, len(order)), batches - 1))
    for first, last in zip([0, *cuts], [*cuts, len(order)]):
        store.add_many(order[first:last], merge=False)
        store.merge()


def test_merging_in_batches_gives_what_one_merge_gives(store, tmp_path):
    """One busy group, its reports spread over months: stored in shuffled batches with a merge
    after each (each merge reads only the dates near the new reports), the merged events, their
    members, plans and entities are those of one merge of everything, and of merging in memory."""
    records = _spread_reports(90, seed=5)
    expected = _merged_at_once(tmp_path, records, _merge_view)
    merged = expected[0]
    assert len(merged) > 40 and max(r[13] for r in merged) >= 4  # many events, some from many reports
    assert any(r[-1] for r in merged)  # some plans came true
    _merge_in_batches(store, records, batches=21, seed=1)
    assert _merge_view(store) == expected

    pure = M.merge_records(records)
    by_id = {m["id"]: m for m in store.merged_events()}
    assert {i: (sorted(x["event_id"] for x in m["sources"]), m["realised_by"], m["planned_as"])
            for i, m in by_id.items()} == {m.id: (m.events, m.realised_by, m.planned_as) for m in pure.events}


def _document_reports(n: int, seed: int) -> list:
    """n hand-made articles reporting documents under a few names and aliases (some that sort
    before the others, some that join two documents), with statuses, kinds, some without a
    status, published over two months in any order."""
    rng = random.Random(seed)
    names = [("the Peace Plan", []), ("peace plan", ["20-point plan"]), ("20-Point Plan", []),
             ("Black Sea grain deal", []), ("grain deal", ["Black Sea Grain Initiative"]),
             ("Abraham Accords", []), ("an accord on minerals", ["minerals deal"]), ("Minerals Deal", [])]
    records = []
    for i in range(n):
        docs = []
        for k in range(rng.randrange(1, 3)):
            name, aliases = rng.choice(names)
            docs.append({"key": f"d{k}", "name": name, "aliases": aliases,
                         "kind": rng.choice([None, "plan", "agreement"]),
                         "status": rng.choice([None, "proposed", "proposed", "under negotiation", "signed"])})
        day = date(2025, 10, 1).toordinal() + rng.randrange(60)
        published = date.fromordinal(day).isoformat() + f"T{rng.randrange(24):02d}:00:00"
        records.append(make_record(f"doc-{i:03d}", published if rng.random() > 0.05 else None,
                                   rng.choice(["Atlas Wire", "Kyiv Desk"]), {}, [], documents=docs))
    return records


def _documents_view(s):
    return [(d["key"], d["name"], d["aliases"], d["kind"], d["status"], d["n_sources"], d["first_report"],
             d["last_report"], d["n_steps"], d["timeline"]) for d in s.documents()]


def test_documents_merged_in_batches_are_what_one_merge_gives(store, tmp_path):
    """Documents stored in shuffled batches, a merge after each (a document that shares a name
    with one merged document extends it: counts in SQL, the timeline recomputed from the first
    new report on): every merged document, name, alias, count and timeline step with its sources
    is what one merge of everything gives, and what merging in memory gives."""
    records = _document_reports(160, seed=8)
    expected = _merged_at_once(tmp_path, records, _documents_view)
    assert 2 <= len(expected) and max(x[8] for x in expected) > 20  # long timelines
    _merge_in_batches(store, records, batches=26, seed=3)
    assert _documents_view(store) == expected
    pure = M.merge_records(records)
    assert [(d.key, d.name, d.aliases, d.kind, d.status, d.n_sources, d.timeline) for d in pure.documents] == \
        sorted((x[0], x[1], x[2], x[3], x[4], x[5], [{k: v for k, v in step.items() if k != "n_sources"}
                                                      for step in x[9]]) for x in expected)


def test_a_plan_is_unlinked_when_later_reports_move_its_event_away(store):
    """"Will sign" (no date) reported on the 11th, then a meeting reported the same day, dated the
    11th: the plan came true. Then two reports date that meeting the 10th: one meeting on the
    10th, before the plan was reported. The merge of the new dates alone must unlink the plan,
    though the plan (undated) is not among them."""
    people = {"u": ("Ukraine", "state", "UKR", None), "s": ("United States", "state", "USA", None)}

    def report(i, day, **event):
        return make_record(f"p-{i}", "2025-03-11T08:00:00", "Atlas Wire", people,
                           [{"actor": ["u"], "recipient": ["s"], "date": day and f"2025-03-{day:02d}", **event}])

    store.add(report(0, None, type="AGREE", planned=True))
    store.add(report(1, 11, type="CONSULT"))
    assert [m["realised_by"] is not None for m in store.merged_events() if m["planned"]] == [True]
    store.add_many([report(2, 10, type="CONSULT"), report(3, 10, type="CONSULT")])
    meeting = [m for m in store.merged_events() if not m["planned"]]
    assert [(m["date"], m["n_sources"]) for m in meeting] == [("2025-03-10", 3)]
    assert [m["realised_by"] for m in store.merged_events() if m["planned"]] == [None]
    assert meeting[0]["planned_as"] == []


def test_merging_leaves_no_statement_in_the_compiled_cache(store, report_records):
    # the merge's statements change shape with every batch; cached, they made the writer grow
    store.add(report_records[0])
    cached = len(store.engine._compiled_cache)
    for r in report_records[1:]:
        store.add(r, merge=False)
        store.merge()
    assert len(store.engine._compiled_cache) <= cached + 12  # the adds' own few statements at most
