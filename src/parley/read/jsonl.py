"""JSON Lines: one article a line, ``{"id", "title", "text", "published", "source", "url"}``.

Only ``"text"`` is required; ``"section"`` and ``"language"`` are read too, other keys
are ignored.  A given ``"id"`` is kept as ``Article.id``.
"""
from __future__ import annotations

import json
from typing import Any, Iterator, Optional, Union

from .base import Draft, ReadError, normalise_text, paragraphs_to_text, unwrap_paragraphs

FIELDS = ("id", "title", "text", "published", "source", "url", "section", "language")


def read_jsonl(text: str) -> Iterator[Union[Draft, ReadError]]:
    """Yield a Draft per line, or a ReadError (item "line N") for a bad line; blank lines skipped."""
    if not text.strip():
        raise ReadError(None, "empty file (only whitespace)", kind="empty")
    for n, line in enumerate(text.split("\n"), 1):
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        item = f"line {n}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield ReadError(None, f"not valid JSON ({exc.msg}, column {exc.colno})", item=item, kind="malformed")
            continue
        if not isinstance(obj, dict):
            yield ReadError(None, f"not a JSON object (a {type(obj).__name__})", item=item, kind="malformed")
            continue
        body = obj.get("text")
        if body is None:
            yield ReadError(None, 'no "text" field', item=item, kind="no-text")
            continue
        if not isinstance(body, str):
            yield ReadError(None, f'"text" is a {type(body).__name__}, not a string', item=item, kind="malformed")
            continue
        paragraphs = unwrap_paragraphs(normalise_text(body))
        if not paragraphs:
            yield ReadError(None, '"text" is empty', item=item, kind="no-text")
            continue
        yield Draft(
            text="\n".join(paragraphs),
            title=_str(obj.get("title")),
            source=_str(obj.get("source")),
            published=_str(obj.get("published")),
            url=_str(obj.get("url")),
            section=_str(obj.get("section")),
            id=_str(obj.get("id")),
            language=_str(obj.get("language")),
            item=item,
        )


def _str(value: Any) -> Optional[str]:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    value = paragraphs_to_text([str(value)])
    return value or None
