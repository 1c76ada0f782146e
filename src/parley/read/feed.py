"""RSS and Atom feeds, via feedparser: one article per entry."""
from __future__ import annotations

import calendar
import re
from datetime import datetime, timezone
from typing import Iterator, Optional, Union

from .base import Draft, ReadError, html_fragment_to_text, paragraphs_to_text, parse_published

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def read_feed(data: Union[bytes, str]) -> Iterator[Union[Draft, ReadError]]:
    """Yield one Draft per entry, or a ReadError (item "entry N") for an entry without text.

    Raises ReadError for a file that is not a readable feed at all. ``data`` should be
    the raw bytes when there are any: feedparser honours the declared encoding itself.
    """
    import feedparser

    if isinstance(data, str):
        # a str is already decoded: drop the declaration so feedparser does not re-decode it
        data = _XML_DECL.sub('<?xml version="1.0" encoding="utf-8"?>', data, count=1).encode("utf-8")
    if not data.strip():
        raise ReadError(None, "empty file (only whitespace)", kind="empty")
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        exc = parsed.get("bozo_exception")
        if parsed.get("bozo") and exc is not None:
            raise ReadError(None, f"malformed feed ({_short(exc)})", kind="malformed")
        if not parsed.get("version"):
            raise ReadError(None, "not an RSS or Atom feed", kind="malformed")
        raise ReadError(None, "feed has no entries", kind="no-text")
    channel = parsed.get("feed", {})
    feed_title = _one_line(channel.get("title"))
    feed_lang = channel.get("language") or _xml_lang(channel)
    for n, entry in enumerate(entries, 1):
        item = f"entry {n}"
        title = _one_line(entry.get("title"), (entry.get("title_detail") or {}).get("type"))
        body = _entry_body(entry)
        paragraphs = body.split("\n") if body else []
        if title and paragraphs and paragraphs[0] == title:
            paragraphs = paragraphs[1:]
        if not title and not paragraphs:
            yield ReadError(None, "entry has no title and no text", item=item, kind="no-text")
            continue
        src = entry.get("source") or {}
        yield Draft(
            text="\n".join(p for p in [title, *paragraphs] if p),
            title=title,
            source=_one_line(src.get("title")) or feed_title,
            published=_entry_date(entry),
            url=entry.get("link") or None,
            id_seed=entry.get("id") or entry.get("link") or None,
            language=_xml_lang(entry) or feed_lang,
            item=item,
        )


def _entry_body(entry) -> str:
    """The fullest text of an entry: its content, else its summary, as paragraphs."""
    candidates = []
    for c in entry.get("content") or []:
        candidates.append((c.get("value") or "", c.get("type") or "text/html"))
    if entry.get("summary"):
        detail = entry.get("summary_detail") or {}
        candidates.append((entry.get("summary"), detail.get("type") or "text/html"))
    best = ""
    for value, ctype in candidates:
        if "html" in ctype:
            text = html_fragment_to_text(value)
        else:
            text = paragraphs_to_text(value.split("\n"))
        if len(text) > len(best):
            best = text
    return best


def _entry_date(entry) -> Optional[str]:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if raw:
            if parse_published(raw):
                return raw
            parsed = entry.get(f"{key}_parsed")
            if parsed:  # feedparser's reading, in UTC
                return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).isoformat()
    return None


def _xml_lang(node) -> Optional[str]:
    for key in ("content", "summary_detail", "title_detail"):
        d = node.get(key)
        if isinstance(d, list):
            d = d[0] if d else None
        if d and d.get("language"):
            return d.get("language")
    return None


def _one_line(value, ctype: Optional[str] = None) -> Optional[str]:
    if not value:
        return None
    value = str(value)
    if ctype and "html" in ctype:
        value = html_fragment_to_text(value)
    return paragraphs_to_text([value]) or None


def _short(exc: BaseException) -> str:
    msg = str(exc).strip() or type(exc).__name__
    return msg if len(msg) <= 120 else msg[:117] + "..."
