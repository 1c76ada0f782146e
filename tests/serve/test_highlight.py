"""highlight.render: marks nest as HTML must, pieces of a cut span read back as its text, and
everything is escaped."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from parley.serve.highlight import Mark, highlight, marks, render


class Marks(HTMLParser):
    """The text of the rendered HTML and, per mark id, the text its pieces hold (in order)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.open: list[dict] = []
        self.pieces: dict[str, list[str]] = {}
        self.attrs: dict[str, dict] = {}
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        assert tag == "mark", f"unexpected element <{tag}>"
        a = dict(attrs)
        self.open.append(a)
        for i in a["data-ids"].split():
            self.pieces.setdefault(i, []).append("")
            self.attrs[i] = a

    def handle_endtag(self, tag):
        assert tag == "mark"
        self.open.pop()

    def handle_data(self, data):
        self.text += data
        for a in self.open:
            for i in a["data-ids"].split():
                self.pieces[i][-1] += data


def parse(html: str) -> Marks:
    p = Marks()
    p.feed(str(html))
    p.close()
    assert not p.open, "a mark was left open"
    return p


def check(text: str, spans: list[Mark]) -> Marks:
    p = parse(render(text, sorted(spans, key=lambda m: m.key)))
    assert p.text == text
    for m in spans:
        for i in m.ids:
            assert "".join(p.pieces[i]) == text[m.start:m.end], i
            assert (int(p.attrs[i]["data-start"]), int(p.attrs[i]["data-end"])) == (m.start, m.end)
    return p


def test_nested_spans():
    text = '"Talks will go on," Ruto said in Nairobi.'
    check(text, [Mark("quote", 1, 17, ["q"]), Mark("actor", 20, 24, ["a"]), Mark("event", 1, 6, ["e"]),
                 Mark("place", 33, 40, ["p"])])


def test_crossing_spans_are_cut_into_pieces():
    text = "abcdefghijklmnop"
    p = check(text, [Mark("quote", 2, 9, ["q"]), Mark("commitment", 5, 12, ["c"]), Mark("actor", 7, 14, ["a"]),
                     Mark("document", 0, 16, ["d"])])
    assert len(p.pieces["d"]) == 1 and sum(len(v) for v in p.pieces.values()) > 4  # crossing ones were cut


def test_spans_with_the_same_offsets_share_one_mark():
    text = "They held phone calls with both leaders."
    p = check(text, [Mark("event", 10, 21, ["e1", "e2", "e3"])])
    assert p.attrs["e1"] is p.attrs["e3"] and p.tags == ["mark"]


def test_text_and_attributes_are_escaped():
    text = '<script>alert("x")</script> & <b onmouseover="y">bold</b>'
    html = render(text, [Mark("actor", 8, 18, ['a"><script>'])])
    assert "<script>" not in html and "<b " not in html
    p = parse(html)
    assert p.text == text and p.tags == ["mark"]
    assert "".join(p.pieces['a"><script>']) == 'alert("x")'


def test_spans_outside_the_text_mark_nothing():
    assert parse(render("short", [])).text == "short"
    assert str(render("", [])) == ""


def test_a_coded_record_reads_back_at_every_offset(code):
    record = code('Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on Monday. '
                  '"We agreed to reopen the border," Ruto said. The two leaders will meet again in Addis Ababa '
                  'next month.', published="2025-11-14T09:00:00")
    found = marks(record)
    p = parse(highlight(record))
    text = record.article.text
    assert p.text == text
    spans = [(a.id, m.start, m.end) for a in record.actors for m in a.mentions]
    spans += [(e.id, e.trigger.start, e.trigger.end) for e in record.events]
    spans += [(q.id, q.span.start, q.span.end) for q in record.quotes]
    assert record.events and record.actors
    for ident, start, end in spans:
        ids_marks = [m for m in found if ident in m.ids and (m.start, m.end) == (start, end)]
        assert ids_marks, ident


@pytest.mark.parametrize("n", [50])
def test_many_random_spans_always_read_back(n):
    import random

    rng = random.Random(3)
    text = "".join(rng.choice("ab <&>\"'\n") for _ in range(300))
    for round_ in range(n):
        spans = []
        for k in range(rng.randrange(1, 12)):
            start = rng.randrange(0, 299)
            end = rng.randrange(start + 1, 301)
            spans.append(Mark(rng.choice(["quote", "commitment", "document", "event", "actor", "place"]), start, end,
                              [f"s{round_}-{k}"]))
        check(text, spans)
