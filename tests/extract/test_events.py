"""Event coding on short texts written for these tests."""


def _coded(record):
    names = {a.id: a.name for a in record.actors}
    return [(e.event, e.mode, sorted(names[i] for i in e.actor), sorted(names[i] for i in e.recipient),
             e.date, e.planned, e.negated) for e in record.events]


def test_phone_call_and_visit(code):
    record = code("Japanese Prime Minister Sanae Takaichi spoke by phone with Australian Prime Minister "
                  "Anthony Albanese on Thursday.\nShe will visit Canberra on Monday.", published="2025-11-14T09:00:00")
    coded = _coded(record)
    assert ("CONSULT", "phone", ["Sanae Takaichi"], ["Anthony Albanese"], "2025-11-13", False, False) in coded
    visit = [c for c in coded if c[0] == "AGREE"]
    assert visit and visit[0][4] == "2025-11-17" and visit[0][5] is True


def test_sanctions_on_a_group(code):
    record = code("The United States on Tuesday imposed sanctions on six senior Venezuelan officials.",
                  published="2025-11-19T21:10:00")
    assert ("SANCTION", "discontinue", ["United States"], ["Venezuela"], "2025-11-18", False, False) in _coded(record)


def test_accusation_of_armed_forces(code):
    record = code("On Wednesday, New Delhi accused Pakistani forces of providing cover for militants.",
                  published="2025-12-04T11:50:00")
    (event,) = record.events
    assert event.event == "ACCUSE" and event.date == "2025-12-03"
    recipient = next(a for a in record.actors if a.id == event.recipient[0])
    assert (recipient.country, recipient.sector) == ("PAK", "MIL")


def test_negated_meeting(code):
    record = code("Iranian Foreign Minister Abbas Araghchi did not meet German Foreign Minister Johann Wadephul.")
    (event,) = record.events
    assert event.event == "CONSULT" and event.negated


def test_statement_alone_is_no_event(code):
    record = code("German Chancellor Friedrich Merz said the economy would recover next year.")
    assert record.events == []


def test_one_multilateral_meeting_is_one_event(code):
    record = code("French President Emmanuel Macron met Italian Prime Minister Giorgia Meloni and "
                  "Polish Prime Minister Donald Tusk in Rome on Friday.")
    coded = _coded(record)
    assert len(coded) == 1
    assert coded[0][3] == ["Donald Tusk", "Giorgia Meloni"] and coded[0][4] == "2025-12-26"
    assert record.events[0].location.country == "ITA"


def test_ids_are_deterministic(code):
    text = "Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed in Nairobi on Monday."
    assert code(text).to_dict() == code(text).to_dict()
