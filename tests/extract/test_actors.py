"""Actors, titles, pronouns and metonyms on short texts written for these tests."""


def _people(record):
    return {a.name: a for a in record.actors if a.kind == "person"}


def test_office_and_country_from_the_text_for_unknown_people(code):
    record = code("Zambian Trade Minister Chipoka Mulenga met Kenyan envoy Amina Wanjiru in Lusaka.")
    people = _people(record)
    assert people["Chipoka Mulenga"].country == "ZMB" and people["Chipoka Mulenga"].office == "Trade Minister"
    assert people["Amina Wanjiru"].country == "KEN"


def test_kb_picks_the_holder_in_office_on_the_date(code):
    record = code("President Trump spoke with Chancellor Merz.", published="2025-12-27T07:10:00")
    people = _people(record)
    assert people["Donald Trump"].country == "USA"
    assert people["Friedrich Merz"].country == "DEU"


def test_capitals_and_buildings_stand_for_states(code):
    record = code("Washington and Moscow agreed to resume talks, the Kremlin said.")
    states = {a.name: a for a in record.actors if a.kind == "state"}
    assert "United States" in states and "Russia" in states
    kremlin = [m.text for m in states["Russia"].mentions]
    assert "Moscow" in kremlin and "Kremlin" in kremlin
    assert not _people(record), "Washington is the capital here, not a president"


def test_titles_and_pronouns_resolve_to_the_person(code):
    text = ("Brazilian President Luiz Inácio Lula da Silva criticised the sanctions on Monday.\n"
            "The Brazilian leader said they would hurt ordinary people. He called Colombian President Gustavo Petro.")
    record = code(text, published="2025-11-19T10:00:00")
    lula = next(a for a in record.actors if a.country == "BRA" and a.kind == "person")
    mentions = {m.text for m in lula.mentions}
    assert "The Brazilian leader" in mentions
    assert "He" in mentions
    for m in lula.mentions:
        assert record.article.text[m.start:m.end] == m.text


def test_every_actor_once(code):
    record = code("Volodymyr Zelensky met Emmanuel Macron. Zelenskyy thanked Macron. Zelensky left Paris.")
    names = [a.name for a in record.actors if a.kind == "person"]
    assert len(names) == len(set(names)) == 2
