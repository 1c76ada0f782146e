"""Places: locations named in the article, resolved offline by the KB gazetteer."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span

from ..kb.gazetteer import lookup
from ..nlp import Paragraph
from ..ontology.cues import load_cues
from ..record import Location

PLACE_LABELS = {"GPE", "LOC", "FAC"}


@dataclass
class PlaceTable:
    places: dict[str, tuple[Location, list[tuple[int, int, str]]]] = field(default_factory=dict)
    tokens: dict[tuple[int, int], Location] = field(default_factory=dict)

    def at(self, para: int, token) -> Location | None:
        return self.tokens.get((para, token.i))


def extract_places(paragraphs: list[Paragraph]) -> PlaceTable:
    table = PlaceTable()
    for pi, para in enumerate(paragraphs):
        for ent in para.doc.ents:
            if ent.label_ not in PLACE_LABELS and not _framed(ent):
                continue
            location = place_of(ent)
            if location is None:
                continue
            start = para.offset + ent.start_char
            entry = table.places.setdefault(location.name, (location, []))
            entry[1].append((start, start + len(ent.text), ent.text))
            for tok in ent:
                table.tokens[(pi, tok.i)] = location
    return table


def _framed(span: Span) -> bool:
    """A name the tagger took for a person inside a place frame: "the town of Samarra"."""
    head = span.root.head
    return span.label_ == "PERSON" and span.root.dep_ == "pobj" and head.lower_ == "of" \
        and head.head.lemma_.lower() in load_cues().place_frames


def place_of(span: Span) -> Location | None:
    name = span.text
    if name.lower().startswith("the "):
        name = name[4:]
    if name.endswith(("'s", "’s")):
        name = name[:-2]
    if not name:
        return None
    found = lookup(name)
    words = name.split()
    if found is None and len(words) > 1 and words[0].lower() in load_cues().compass_words:
        found = lookup(" ".join(words[1:]))  # "South Lebanon": in Lebanon
    return found
