"""merge.py: one real-world event from many reports, entities across articles, documents by name;
results that do not depend on the order of the records."""
from __future__ import annotations

import random
from datetime import date, datetime

import pytest

from parley import merge as M
from parley.record import Actor, Article, Document, Event, Location, Mention, Record, Span

ZELENSKY = ("Volodymyr Zelenskyy", "person", "UKR", "Q3874799")
TRUMP = ("Donald Trump", "person", "USA", "Q22686")
UKRAINE = ("Ukraine", "state", "UKR", None)
USA = ("United States", "state", "USA", None)
RUTTE = ("Mark Rutte", "person", "NATO", None)


def record(article_id: str, published, source: str, actors: dict, events: list, documents: list = ()) -> Record:
    """A hand-made record; see tests/store/conftest.py make_record for the argument shapes."""
    text = f"A report by {source} ({article_id})."
    aid = {k: f"{article_id}#a{i}" for i, k in enumerate(actors)}
    return Record(
        parley_version="0.1.0", model="hand-made",
        article=Article(id=article_id, text=text, published=published, source=source),
        actors=[Actor(id=aid[k], name=n, kind=kind, country=c, wikidata=w, mentions=[Mention(start=0, end=1, text="A")])
                for k, (n, kind, c, w) in actors.items()],
        events=[Event(id=f"{article_id}#e{i}", event=e["type"], mode=e.get("mode"), actor=[aid[k] for k in e["actor"]],
                      recipient=[aid[k] for k in e.get("recipient", [])], date=e.get("date"),
                      planned=e.get("planned", False), negated=e.get("negated", False),
                      location=Location(name=e["place"][0], country=e["place"][1]) if e.get("place") else None,
                      event_text="met", trigger=Span(start=0, end=1), sentence=Span(start=0, end=len(text)))
                for i, e in enumerate(events)],
        documents=[Document(id=f"{article_id}#d{i}", name=d["name"], aliases=d.get("aliases", []),
                            status=d.get("status")) for i, d in enumerate(documents)])


def meeting(article_id, published, source, day, first="z", place=None, mode=None, planned=False, kind="CONSULT"):
    people = {"z": ZELENSKY, "t": TRUMP}
    second = "t" if first == "z" else "z"
    return record(article_id, published, source, people,
                  [{"type": kind, "actor": [first], "recipient": [second], "date": day, "place": place,
                    "mode": mode, "planned": planned}])


def test_entity_keys():
    assert M.entity_key({"name": "Volodymyr Zelensky", "kind": "person", "wikidata": "Q3874799"}) == "wd:Q3874799"
    assert M.entity_key({"name": "the Kremlin", "kind": "state", "country": "RUS"}) == "state:RUS"
    assert M.entity_key({"name": "Mark  Rutte", "kind": "person", "country": "NATO"}) == "name:mark rutte|NATO"
    assert M.entity_key({"name": "Péter Szijjártó", "kind": "person", "country": "HUN"}) == \
        M.entity_key({"name": "PETER SZIJJARTO", "kind": "person", "country": "HUN"})
    assert M.entity_key({"name": "Ishaq Dar", "kind": "person", "country": "PAK"}) != \
        M.entity_key({"name": "Ishaq Dar", "kind": "person", "country": None})


def test_three_outlets_one_meeting():
    records = [meeting("a", "2025-12-29T09:00:00", "Atlas Wire", "2025-12-28", place=("Florida", "USA")),
               meeting("b", "2025-12-29T12:00:00+03:00", "Gulf Courier", "2025-12-28", first="t"),  # 09:00 UTC
               meeting("c", "2025-12-30T08:00:00", "Kyiv Desk", "2025-12-29", place=("Palm Beach", "USA"))]
    (event,) = M.merge_records(records).events
    assert event.n_sources == 3 and event.articles == ["a", "b", "c"]
    assert event.date == date(2025, 12, 28) and (event.date_min, event.date_max) == (date(2025, 12, 28), date(2025, 12, 29))
    assert event.first_report == datetime(2025, 12, 29, 9, 0) and event.last_report == datetime(2025, 12, 30, 8, 0)
    assert event.place_country == "USA" and event.place in ("Florida", "Palm Beach")
    assert set(event.actors + event.recipients) == {"wd:Q3874799", "wd:Q22686"}


@pytest.mark.parametrize("second,why", [
    (meeting("b", "2026-01-05T09:00:00", "B", "2026-01-04"), "a week later"),
    (meeting("b", "2025-12-29T09:00:00", "B", "2025-12-28", place=("Geneva", "CHE")), "in another country"),
    (meeting("b", "2025-12-29T09:00:00", "B", "2025-12-28", mode="phone"), "by phone, not in Florida"),
    (meeting("b", "2025-12-29T09:00:00", "B", "2025-12-28", kind="ACCUSE"), "another type"),
    (record("b", "2025-12-29T09:00:00", "B", {"z": ZELENSKY, "r": RUTTE},
            [{"type": "CONSULT", "actor": ["z"], "recipient": ["r"], "date": "2025-12-28"}]), "another recipient"),
    (meeting("b", "2025-12-29T09:00:00", "B", None), "no date"),
])
def test_different_events_stay_apart(second, why):
    first = meeting("a", "2025-12-29T09:00:00", "A", "2025-12-28", place=("Florida", "USA"), mode="visit")
    assert len(M.merge_records([first, second]).events) == 2, why


def _days(**reports):
    return {date(2026, 3, int(k[1:])): n for k, n in reports.items()}


def test_a_day_joins_the_better_reported_day_next_to_it():
    main = M.main_days(_days(d10=1, d11=3, d12=1), window=1)
    assert set(main.values()) == {date(2026, 3, 11)}


def test_a_busy_pair_s_daily_events_stay_apart():
    # one report a day for a month: thirty events, not one chain of thirty days
    main = M.main_days({date.fromordinal(date(2026, 3, 1).toordinal() + k): 1 for k in range(30)}, window=1)
    assert all(day == main_day for day, main_day in main.items())


def test_a_rising_run_of_days_does_not_make_one_long_event():
    # 1, 2, 3, 4 reports on four days: the last two are one event; the first two are further
    # than a day from the main day and stand alone
    main = M.main_days(_days(d1=1, d2=2, d3=3, d4=4), window=1)
    assert [main[d] for d in sorted(main)] == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 4)]


def test_a_day_between_two_main_days_joins_the_better_reported_one_then_the_earlier():
    assert M.main_days(_days(d1=2, d2=1, d3=4), window=1)[date(2026, 3, 2)] == date(2026, 3, 3)
    assert M.main_days(_days(d1=3, d2=1, d3=3), window=1)[date(2026, 3, 2)] == date(2026, 3, 1)


def test_merged_events_span_at_most_a_day_either_side_of_their_main_day():
    records = [meeting(f"r{i}", f"2025-12-{10 + i}T09:00:00", "A", f"2025-12-{10 + i // 3}") for i in range(12)]
    events = M.merge_records(records).events
    assert all((m.date_max - m.date_min).days <= 2 for m in events)
    assert sum(m.n_sources for m in events) == 12


def test_sides_matter_for_directed_types_only():
    accuse = [record(x, "2025-12-29T09:00:00", x, {"u": UKRAINE, "s": USA},
                     [{"type": "ACCUSE", "actor": [a], "recipient": [b], "date": "2025-12-28"}])
              for x, a, b in (("a", "u", "s"), ("b", "s", "u"))]
    assert len(M.merge_records(accuse).events) == 2
    consult = [meeting("a", "2025-12-29T09:00:00", "A", "2025-12-28"),
               meeting("b", "2025-12-29T09:00:00", "B", "2025-12-28", first="t")]
    assert len(M.merge_records(consult).events) == 1


def test_a_planned_meeting_is_linked_to_the_meeting_that_took_place():
    records = [meeting("p1", "2025-12-26T10:00:00", "Kyiv Desk", "2025-12-28", kind="AGREE", mode="meet", planned=True),
               meeting("p2", "2025-12-27T10:00:00", "Atlas Wire", "2025-12-28", kind="AGREE", planned=True),
               meeting("m1", "2025-12-29T09:00:00", "Atlas Wire", "2025-12-28"),
               meeting("x", "2026-02-01T09:00:00", "Atlas Wire", "2026-01-31")]  # a later, other meeting
    result = M.merge_records(records)
    plan = next(m for m in result.events if m.planned)
    met = next(m for m in result.events if "m1" in m.articles)
    assert plan.articles == ["p1", "p2"] and plan.realised_by == met.id and met.planned_as == [plan.id]
    later = next(m for m in result.events if "x" in m.articles)
    assert later.planned_as == []


def test_an_undated_plan_is_linked_to_the_next_meeting():
    records = [meeting("p", "2025-12-20T10:00:00", "A", None, kind="AGREE", planned=True),
               meeting("early", "2025-12-19T09:00:00", "A", "2025-12-18"),
               meeting("m", "2026-01-05T09:00:00", "A", "2026-01-04"),
               meeting("late", "2026-03-05T09:00:00", "A", "2026-03-04")]
    result = M.merge_records(records)
    plan = next(m for m in result.events if m.planned)
    assert plan.realised_by == next(m.id for m in result.events if m.articles == ["m"])


def test_entities_across_articles():
    records = [meeting("a", "2025-12-29T09:00:00", "A", "2025-12-28"),
               record("b", "2025-12-30T09:00:00", "B", {"z": ("Volodymyr Zelensky", "person", "UKR", "Q3874799"),
                                                        "u": UKRAINE}, []),
               record("c", "2025-12-31T09:00:00", "C", {"z": ZELENSKY, "k": ("Kyiv", "state", "UKR", None)}, [])]
    entities = {e.key: e for e in M.merge_records(records).entities}
    z = entities["wd:Q3874799"]
    assert z.name == "Volodymyr Zelenskyy" and z.n_articles == 3
    assert z.names == ["Volodymyr Zelensky", "Volodymyr Zelenskyy"]
    assert z.first_seen == datetime(2025, 12, 29, 9) and z.last_seen == datetime(2025, 12, 31, 9)
    assert entities["state:UKR"].n_articles == 2  # "Ukraine" and its metonym "Kyiv"


def test_documents_joined_by_name_and_alias_with_a_timeline():
    docs = [("a", "2025-12-01T08:00:00", {"name": "the 20-point framework", "aliases": ["20-point peace plan"], "status": "proposed"}),
            ("b", "2025-12-10T08:00:00", {"name": "20-point peace plan", "status": "under negotiation"}),
            ("c", "2025-12-20T08:00:00", {"name": "The 20-Point Framework", "status": "signed"}),
            ("d", "2025-12-21T08:00:00", {"name": "28-point plan", "status": "rejected"})]
    records = [record(a, p, "Atlas Wire", {}, [], documents=[d]) for a, p, d in docs]
    merged = M.merge_records(records).documents
    assert len(merged) == 2
    plan = next(m for m in merged if "a" in m.articles)
    assert plan.articles == ["a", "b", "c"] and plan.status == "signed"
    assert [(s["status"], [x["article_id"] for x in s["sources"]]) for s in plan.timeline] == [
        ("proposed", ["a"]), ("under negotiation", ["b"]), ("signed", ["c"])]
    assert M.document_names("The 20-Point Framework") == ["20 point framework"]


def test_the_order_of_the_records_does_not_matter():
    records = [meeting(f"r{i}", f"2025-12-{20 + i % 9}T09:00:00", f"S{i % 3}", f"2025-12-{19 + i % 9}",
                       first="z" if i % 2 else "t", place=[None, ("Florida", "USA"), ("Kyiv", "UKR")][i % 3],
                       mode=[None, "visit", "phone"][i % 4 % 3], planned=i % 5 == 0,
                       kind="AGREE" if i % 5 == 0 else "CONSULT")
               for i in range(30)]
    records += [record(f"d{i}", f"2025-12-{10 + i}T08:00:00", "A", {}, [],
                       documents=[{"name": ["peace plan", "the peace plan", "US plan"][i % 3],
                                   "aliases": ["peace plan"] if i == 2 else [], "status": ["proposed", "signed"][i % 2]}])
                for i in range(6)]

    def view(result):
        return ([(m.id, m.events, m.realised_by, m.planned_as, m.date, m.place, m.mode) for m in result.events],
                [(e.key, e.name, e.n_articles) for e in result.entities],
                [(d.key, d.documents, d.timeline, d.status) for d in result.documents])

    expected = view(M.merge_records(records))
    assert len(expected[0]) < 30  # some reports were merged
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        assert view(M.merge_records(shuffled)) == expected


def test_incremental_groups_give_what_merging_everything_gives():
    records = [meeting(f"r{i}", f"2025-12-{20 + i}T09:00:00", "A", f"2025-12-{19 + i}") for i in range(6)]
    rows = [row for r in records for row in M.event_rows(r)]
    everything = M.merge_events(rows)
    # the store recomputes a group from all its members whenever one arrives
    by_group: dict = {}
    for row in rows:
        by_group.setdefault(row.group, []).append(row)
        latest = {g: M.merge_events(members) for g, members in by_group.items()}
    assert sorted((m for ms in latest.values() for m in ms), key=lambda m: m.id) == everything


def test_linked_joins_items_through_shared_names_transitively():
    # 0 and 2 share "b", 2 and 3 share "c": one group; 1 and 4 stand alone
    assert M.linked([["a", "b"], ["x"], ["b", "c"], ["c"], []]) == [[0, 2, 3], [1], [4]]
