from parley.nlp import split_paragraphs


def test_a_wire_dateline_is_left_out_of_the_parse_with_offsets_kept():
    text = "Title line\nKABUL (Wire) - A roadside bomb killed three soldiers.\nMOSCOW, Dec 27 (AP) — Talks ended."
    pieces = split_paragraphs(text)
    assert [p for _, p in pieces] == ["Title line", "A roadside bomb killed three soldiers.", "Talks ended."]
    for offset, piece in pieces:
        assert text[offset:offset + len(piece)] == piece


def test_a_sentence_starting_with_an_acronym_is_not_a_dateline():
    pieces = split_paragraphs("NATO - the alliance - met on Monday.\nUS-China talks resumed.")
    assert [p for _, p in pieces] == ["NATO - the alliance - met on Monday.", "US-China talks resumed."]
