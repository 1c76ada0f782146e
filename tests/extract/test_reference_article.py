"""The reference article in ../shared/corpus (read at run time; its text is not copied here)."""


def _names(record, ids):
    by_id = {a.id: a for a in record.actors}
    return {by_id[i].name for i in ids}


def _events(record, event, mode=None):
    return [e for e in record.events if e.event == event and (mode is None or e.mode == mode)]


def test_six_separate_phone_calls_on_friday(reference_record):
    calls = [e for e in _events(reference_record, "CONSULT", "phone") if e.date == "2025-12-26"
             and _names(reference_record, e.actor) == {"Volodymyr Zelenskyy"}]
    partners = [_names(reference_record, e.recipient) for e in calls]
    for person in ("Mette Frederiksen", "Friedrich Merz", "Kristen Michal", "Mark Rutte", "Mark Carney", "Alexander Stubb"):
        assert partners.count({person}) == 1, (person, partners)


def test_planned_meeting_with_trump_in_florida(reference_record):
    planned = [e for e in _events(reference_record, "AGREE") if e.planned
               and _names(reference_record, e.recipient) == {"Donald Trump"}]
    assert len(planned) == 1
    meeting = planned[0]
    assert meeting.date == "2025-12-28"
    assert meeting.location is not None and meeting.location.name == "Florida"
    assert meeting.location.country == "USA"


def test_russian_us_contacts(reference_record):
    by_id = {a.id: a for a in reference_record.actors}
    consults = _events(reference_record, "CONSULT")
    phone = [e for e in consults if e.mode == "phone" and {by_id[i].country for i in e.actor + e.recipient} == {"RUS", "USA"}]
    assert phone, "the phone contact between the Russian and US administrations"
    miami = [e for e in consults if _names(reference_record, e.actor) == {"Kirill Dmitriev"}]
    assert len(miami) == 1
    assert _names(reference_record, miami[0].recipient) == {"Steve Witkoff", "Jared Kushner"}
    assert miami[0].location and miami[0].location.name == "Miami"


def test_dialogue_agreed_and_accusation(reference_record):
    by_id = {a.id: a for a in reference_record.actors}
    agree = [e for e in _events(reference_record, "AGREE") if not e.planned]
    assert any({by_id[i].country for i in e.actor + e.recipient} == {"RUS", "USA"} for e in agree)
    accuse = _events(reference_record, "ACCUSE")
    assert any(_names(reference_record, e.actor) == {"Volodymyr Zelenskyy"}
               and _names(reference_record, e.recipient) == {"Russia"} for e in accuse)


def test_people_have_country_and_office(reference_record):
    people = {a.name: a for a in reference_record.actors if a.kind == "person"}
    expected = {
        "Volodymyr Zelenskyy": ("UKR", "President"), "Mette Frederiksen": ("DNK", "Prime Minister"),
        "Friedrich Merz": ("DEU", "Chancellor"), "Kristen Michal": ("EST", "Prime Minister"),
        "Mark Rutte": ("NATO", "Secretary General"), "Mark Carney": ("CAN", "Prime Minister"),
        "Alexander Stubb": ("FIN", "President"), "Donald Trump": ("USA", "President"),
        "Dmitry Peskov": ("RUS", "Kremlin spokesman"), "Yury Ushakov": ("RUS", "presidential aide"),
        "Kirill Dmitriev": ("RUS", "Special Envoy"), "Steve Witkoff": ("USA", "Special Envoy"),
        "Vladimir Putin": ("RUS", "President"),
    }
    for name, (country, office) in expected.items():
        assert name in people, name
        assert people[name].country == country, name
        assert people[name].office == office, name
    assert people["Jared Kushner"].country == "USA"
    assert people["Volodymyr Zelenskyy"].wikidata == "Q3874799"


def test_nothing_invented(reference_record):
    by_id = {a.id: a for a in reference_record.actors}
    involved = {by_id[i].name for e in reference_record.events for i in e.actor + e.recipient}
    # people who are quoted or mentioned but interact with no one in the story
    assert not involved & {"Dmitry Peskov", "Vladimir Putin"}
    assert "George Washington" not in {a.name for a in reference_record.actors}


def test_offsets_index_the_text(reference_record):
    text = reference_record.article.text
    for actor in reference_record.actors:
        for m in actor.mentions:
            assert text[m.start:m.end] == m.text
    for event in reference_record.events:
        assert event.sentence.start <= event.trigger.start < event.trigger.end <= event.sentence.end
    zelensky = next(a for a in reference_record.actors if a.name == "Volodymyr Zelenskyy")
    texts = {m.text for m in zelensky.mentions}
    assert {"Zelensky", "Zelenskyy", "the Ukrainian leader", "He"} <= texts
