"""Quotes: direct, partial and indirect speech with speaker, cue and offsets, on short texts written here."""
from __future__ import annotations

import re

import pytest

from parley.extract.quotes import normalise, scan_marks


def _quotes(record):
    names = {a.id: a.name for a in record.actors}
    return [(q.kind, names.get(q.speaker), q.cue, q.text) for q in record.quotes]


def _check_offsets(record):
    text = record.article.text
    ids = {q.id for q in record.quotes}
    for q in record.quotes:
        assert text[q.span.start:q.span.end] == q.text
        assert q.id == f"{record.article.id}#q{q.span.start}"
        if q.cue_span:
            assert text[q.cue_span.start:q.cue_span.end] == q.cue
        if q.continues:
            assert q.continues in ids
        if q.speaker:
            assert q.speaker in {a.id for a in record.actors}


# --- direct quotations ----------------------------------------------------------------------


def test_direct_quote_with_cue_after(code):
    record = code('"The talks were useful," Kenyan President William Ruto said on Monday.')
    assert _quotes(record) == [("direct", "William Ruto", "said", "The talks were useful")]
    _check_offsets(record)


def test_direct_quote_with_cue_before(code):
    record = code('German Chancellor Friedrich Merz told reporters: "We will not be divided."')
    assert _quotes(record) == [("direct", "Friedrich Merz", "told", "We will not be divided.")]


def test_quote_split_around_its_cue_is_linked_parts(code):
    record = code('Kenyan President William Ruto spoke in Nairobi.\n'
                  '"We will not give up," Ruto said, "and we will meet again next month."')
    first, second = [q for q in record.quotes if q.kind == "direct"]
    assert first.text == "We will not give up" and second.text == "and we will meet again next month."
    assert second.continues == first.id and first.continues is None
    assert first.speaker == second.speaker and first.cue == second.cue == "said"
    _check_offsets(record)


def test_next_sentence_quote_continues_the_quotation(code):
    record = code('"The talks were useful," Kenyan President William Ruto said. "We will meet again."')
    first, second = record.quotes
    assert second.continues == first.id
    assert _quotes(record)[1] == ("direct", "William Ruto", "said", "We will meet again.")


def test_quotation_over_two_paragraphs(code):
    record = code('Kenyan President William Ruto said: "The talks were useful.\n'
                  '"We will meet again next month in Nairobi."')
    first, second = record.quotes
    assert second.continues == first.id
    assert {q.speaker for q in record.quotes} == {first.speaker} and first.speaker is not None
    assert "\n" not in first.text and second.text.startswith("We will meet")
    _check_offsets(record)


def test_paragraph_that_is_only_a_quotation_takes_the_previous_speaker(code):
    record = code('German Chancellor Friedrich Merz said the talks in Berlin had gone well.\n'
                  '"Europe stands together."')
    direct = [q for q in _quotes(record) if q[0] == "direct"]
    assert direct == [("direct", "Friedrich Merz", None, "Europe stands together.")]


def test_quote_with_unknown_speaker_keeps_none(code):
    record = code('"We will never surrender," a source close to the talks said.')
    assert _quotes(record) == [("direct", None, "said", "We will never surrender")]
    record = code('"Nothing is agreed until everything is agreed."')
    assert _quotes(record) == [("direct", None, None, "Nothing is agreed until everything is agreed.")]


def test_speaker_through_title_and_pronoun(code):
    record = code('Ukrainian President Volodymyr Zelensky met the press.\n'
                  '"We are ready," the Ukrainian leader said.\n'
                  '"Peace needs guarantees," he added.')
    assert [(s, c) for _, s, c, _ in _quotes(record)] == [("Volodymyr Zelenskyy", "said"),
                                                          ("Volodymyr Zelenskyy", "added")]


# --- partial and indirect speech --------------------------------------------------------------


def test_partial_quote_in_reported_speech(code):
    record = code('German Chancellor Friedrich Merz described the talks as "constructive and frank".')
    assert _quotes(record) == [("partial", "Friedrich Merz", "described", "constructive and frank")]


def test_partial_quote_inside_indirect_speech(code):
    record = code('Kremlin spokesman Dmitry Peskov warned that early disclosure could '
                  '"negatively affect the process."')
    kinds = {q[0]: q for q in _quotes(record)}
    assert kinds["partial"] == ("partial", "Dmitry Peskov", "warned", "negatively affect the process")
    assert kinds["indirect"][1] == "Dmitry Peskov" and kinds["indirect"][3].startswith("early disclosure")
    _check_offsets(record)


def test_scare_quotes_and_titles_are_not_quotes(code):
    # a name or title in marks, a word after "so-called", a single word no one is said to say
    record = code('The so-called "peace coalition" met on "Face the Nation" to discuss the "reset".')
    assert [q for q in record.quotes if q.kind != "indirect"] == []


def test_indirect_speech(code):
    record = code("Kremlin spokesman Dmitry Peskov said that Moscow would present its considerations.")
    assert _quotes(record) == [("indirect", "Dmitry Peskov", "said", "Moscow would present its considerations")]


def test_according_to(code):
    record = code("According to the Kremlin, Moscow and Washington agreed to continue the dialogue.")
    (quote,) = record.quotes
    assert _quotes(record)[0][:3] == ("indirect", "Russia", "According to")
    assert quote.text.startswith("Moscow and Washington")


def test_parenthetical_cue(code):
    record = code("Too often, German Chancellor Friedrich Merz said, the debate is poisoned by suspicion.")
    parts = [q for q in record.quotes if q.kind == "indirect"]
    assert parts[-1].text == "the debate is poisoned by suspicion" and parts[-1].continues == parts[0].id


def test_negated_speech_verb_reports_nothing(code):
    record = code("Kremlin spokesman Dmitry Peskov did not say that Moscow would respond.")
    assert record.quotes == []


def test_reported_event_is_linked_to_its_quote(code):
    record = code("Kremlin spokesman Dmitry Peskov said Moscow and Washington agreed to continue the dialogue.")
    (quote,) = record.quotes
    agreed = [e for e in record.events if e.event == "AGREE"]
    assert agreed and all(e.quote == quote.id for e in agreed)


def test_speaker_label(code):
    record = code("German Chancellor Friedrich Merz spoke to the Bundestag.\n"
                  "Merz: Europe must defend itself and its borders.")
    assert _quotes(record)[-1] == ("indirect", "Friedrich Merz", ":", "Europe must defend itself and its borders.")


# --- quotation marks and bad input ---------------------------------------------------------


@pytest.mark.parametrize("text, inner", [
    ("Merz said: „Wir verhandeln weiter.“", "Wir verhandeln weiter."),
    ("Merz said: «Nous négocierons encore.»", "Nous négocierons encore."),
    ("Merz said: »Wir verhandeln weiter.«", "Wir verhandeln weiter."),
    ("Merz said: ‚Wir verhandeln weiter.‘", "Wir verhandeln weiter."),
    ("Merz said: ‹Nous négocierons encore.›", "Nous négocierons encore."),
    ("Merz said: “We keep talking.”", "We keep talking."),
    ("Merz said: ''We keep talking.''", "We keep talking."),
    ("Merz said: 'We keep talking.'", "We keep talking."),
])
def test_quotation_marks_of_other_languages(code, text, inner):
    record = code("German Chancellor Friedrich Merz arrived in Paris.\n" + text)
    assert ("direct", "Friedrich Merz", "said", inner) in _quotes(record)
    _check_offsets(record)


def test_marks_are_paired_with_their_closers():
    s = normalise("It’s ‘in their heads,’ he said of the '90s and of \"the deal\" of Robert C. \"Bobby\" Scott")
    pairs = [s[o + 1:c] for o, c in scan_marks(s)]
    assert "in their heads," in pairs and "the deal" in pairs
    assert not any("90s" in p for p in pairs)


@pytest.mark.parametrize("text", [
    'He said "we will win. And then he left',     # never closed
    'A stray ” mark and another " one.',           # closing marks with no opening one
    '"""', '""', "“", "«»", "'", "''", "„",         # marks and nothing else
    '"Unclosed at the end of one paragraph\nand a second paragraph with no mark.',
    "Merz: ", ":", "- Moscow: reviews",
])
def test_bad_input_never_raises(code, text):
    record = code(text)
    _check_offsets(record)


def test_unclosed_quotation_runs_to_the_paragraph_end(code):
    record = code('German Chancellor Friedrich Merz said: "We will win.\nThe next paragraph is the reporter\'s.')
    (quote,) = record.quotes
    assert quote.text == "We will win." and quote.continues is None


def test_ids_are_deterministic(code):
    text = '"The talks were useful," Kenyan President William Ruto said on Monday.'
    assert [q.to_dict() for q in code(text).quotes] == [q.to_dict() for q in code(text).quotes]


# --- the reference article -----------------------------------------------------------------


def test_reference_article_quotes(reference_record):
    record = reference_record
    text = record.article.text
    names = {a.id: a.name for a in record.actors}
    marked = [(m.start(1), m.end(1)) for m in re.finditer(r'"([^"\n]+)"', text)]
    assert len(marked) == 13
    speakers = []
    for start, end in marked:
        inside = [q for q in record.quotes if q.kind in ("direct", "partial")
                  and start <= q.span.start and q.span.end <= end]
        assert len(inside) == 1, text[start:end]
        speakers.append(names.get(inside[0].speaker))
    # eleven of Zelensky's, then the Kremlin's and Peskov's
    assert speakers == ["Volodymyr Zelenskyy"] * 11 + ["Russia", "Dmitry Peskov"]
    kinds = [q.kind for q in record.quotes if q.kind != "indirect"]
    assert kinds.count("direct") == 3 and kinds.count("partial") == 10
    # indirect speech: every one with a speaker, Peskov's "according to" among them
    indirect = [q for q in record.quotes if q.kind == "indirect"]
    assert len(indirect) >= 15 and all(q.speaker for q in indirect)
    assert any(q.cue == "According to" and names[q.speaker] == "Dmitry Peskov" for q in indirect)
    # the Moscow–Washington agreement is reported by the Kremlin's quote
    kremlin = next(q for q in record.quotes if q.kind == "partial" and names.get(q.speaker) == "Russia")
    assert any(e.event == "AGREE" and e.quote == kremlin.id for e in record.events)
    _check_offsets(record)


def test_two_that_clauses_under_one_cue_are_two_statements(code):
    record = code("Kenyan President William Ruto noted on Monday that the talks are making progress, "
                  "and that Nairobi will send a delegation next week.")
    indirect = [(speaker, text) for kind, speaker, _, text in _quotes(record) if kind == "indirect"]
    assert indirect == [("William Ruto", "the talks are making progress"),
                        ("William Ruto", "Nairobi will send a delegation next week")]
    _check_offsets(record)
