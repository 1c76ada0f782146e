"""Plain text, and the wire layout of ../shared/corpus.

Wire layout::

    Title line
    Standfirst line
    - Section
    - Agency
    - Published Date: 07:10 | 27 December 2025
    Body paragraph, one a line
    - Subheading
    ...

``Article.text`` = title, standfirst and the body paragraphs, one a line (a body
subheading keeps its leading "- ").
"""
from __future__ import annotations

import re
from typing import Optional

from .base import Draft, ReadError, normalise_text, paragraphs_to_text, unwrap_paragraphs

HEADER_LINES = 8  # the "Published Date:" line must be among the first 8 non-blank lines
_DATE_LINE = re.compile(r"^(?:[-\u2013\u2022*]\s*)?(?:Published(?:\s+Date)?|Publication\s+date)\s*:\s*(.+)$", re.I)
_UPDATED_LINE = re.compile(r"^(?:[-\u2013\u2022*]\s*)?(?:Updated|Modified|Last\s+updated)(?:\s+Date)?\s*:", re.I)
_META = re.compile(r"^[-\u2013\u2022]\s+\S")
_AGENCY = re.compile(
    r"\b(?:agency|agence|news|press|wire|service|newsroom|reuters|afp|ap|upi|xinhua|tass|"
    r"ria|efe|ansa|dpa|kyodo|yonhap|bernama|anadolu|times|post|herald|guardian|tribune|"
    r"journal|telegraph|gazette|daily|radio|tv|television|broadcast\w*|network)\b",
    re.I,
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _wire_header(lines: list[str]) -> Optional[int]:
    """Index of the "Published Date:" line if ``lines`` open in the wire layout."""
    for i, line in enumerate(lines[:HEADER_LINES]):
        if _DATE_LINE.match(line):
            meta = [ln for ln in lines[1:i] if _META.match(ln)]
            if i >= 2 and meta and not _META.match(lines[0]):
                return i
            return None
    return None


def is_wire(text: str) -> bool:
    """True if the text opens in the wire layout (title, standfirst, "- " lines, date)."""
    return _wire_header(_lines(normalise_text(text[:8192]))) is not None


def read_wire(text: str) -> Draft:
    lines = _lines(normalise_text(text))
    d = _wire_header(lines)
    if d is None:
        raise ReadError(
            None,
            "not in the wire layout (no 'Published Date:' line after '- ' lines in the first "
            f"{HEADER_LINES} lines)",
            kind="malformed",
        )
    head = lines[:d]
    first_meta = next(i for i, ln in enumerate(head) if i > 0 and _META.match(ln))
    title = head[0]
    standfirst = head[1:first_meta]  # usually one line; none or several are tolerated
    meta = [re.sub(r"^[-\u2013\u2022]\s+", "", ln).strip() for ln in head[first_meta:] if _META.match(ln)]
    section, source = _section_and_source(meta)
    published = _DATE_LINE.match(lines[d]).group(1).strip()
    body_start = d + 1
    while body_start < len(lines) and _UPDATED_LINE.match(lines[body_start]):
        body_start += 1
    body = lines[body_start:]
    if not body:
        raise ReadError(None, "wire layout without a body (nothing after the 'Published Date:' line)", kind="no-text")
    text_out = paragraphs_to_text([title, *standfirst, *body])
    return Draft(text=text_out, title=title, source=source, section=section, published=published,
                 standfirst=" ".join(standfirst) or None)


def _section_and_source(meta: list[str]) -> tuple[Optional[str], Optional[str]]:
    if not meta:
        return None, None
    if len(meta) == 1:
        return (None, meta[0]) if _AGENCY.search(meta[0]) else (meta[0], None)
    return meta[0], meta[-1]


def read_plain(text: str) -> Draft:
    """Plain text: paragraphs one a line (blank-line blocks are unwrapped); a short first
    line without a final full stop is taken as the title (it stays in the text)."""
    paragraphs = unwrap_paragraphs(normalise_text(text))
    if not paragraphs:
        raise ReadError(None, "empty file (only whitespace)", kind="empty")
    title = _title_of(paragraphs)
    return Draft(text="\n".join(paragraphs), title=title)


def _title_of(paragraphs: list[str]) -> Optional[str]:
    if len(paragraphs) < 2:
        return None
    first = paragraphs[0]
    if len(first) > 160 or len(first.split()) < 2:
        return None
    if re.search(r"[.!?:;,…]['\"’”»)]*$", first):
        return None
    if first.startswith(("- ", "* ", "• ")):
        return None
    return first
