"""Resolve date expressions against the publication time, choosing past or future by tense."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

import dateparser

from ..ontology.cues import load_cues

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_RE = re.compile(r"^(?:(last|this|next|past|coming)\s+)?(" + "|".join(WEEKDAYS) + r")(?:'s)?$")
_LEADING = re.compile(r"^(?:on|in|at|by|from|since|until|the|of)\s+", re.I)
# Expressions too vague for a day: kept as date_text, date left null.
_VAGUE = re.compile(r"\b(week|weeks|month|months|year|years|weekend|recently|soon|days|coming|season|decade|century)\b", re.I)


def to_date(value: str | date | datetime | None) -> date | None:
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        parsed = dateparser.parse(value)
        return parsed.date() if parsed else None


def normalise(expression: str) -> str:
    text = expression.strip().lower().replace("’", "'")
    previous = None
    while previous != text:
        previous, text = text, _LEADING.sub("", text)
    return text.strip(" ,.")


def resolve(expression: str, published: date | None, future: bool = False) -> date | None:
    """A day for the expression, or None when it names no single day or there is no anchor."""
    if published is None:
        return _absolute(expression)
    text = normalise(expression)
    relative = load_cues().relative_days
    if text in relative:
        return published + timedelta(days=relative[text])
    match = _WEEKDAY_RE.match(text)
    if match:
        qualifier, day = match.groups()
        return _weekday(WEEKDAYS.index(day), published, future, qualifier)
    if _VAGUE.search(text):
        return None
    return _parse(text, published, future)


def _weekday(target: int, published: date, future: bool, qualifier: str | None) -> date:
    if qualifier in ("next", "coming"):
        future = True
    elif qualifier in ("last", "past"):
        future = False
    delta = target - published.weekday()
    if delta == 0 and qualifier in (None, "this"):
        return published
    if future:
        return published + timedelta(days=delta % 7 or 7)
    return published - timedelta(days=(-delta) % 7 or 7)


@lru_cache(maxsize=4096)
def _parse(text: str, published: date, future: bool) -> date | None:
    settings = {
        "RELATIVE_BASE": datetime.combine(published, datetime.min.time()),
        "PREFER_DATES_FROM": "future" if future else "past",
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):  # dateparser raises on odd numerals
        return None
    return parsed.date() if parsed else None


def _absolute(expression: str) -> date | None:
    text = normalise(expression)
    if not re.search(r"\b\d{4}\b", text):
        return None
    return _parse(text, date.today(), False)
