"""HTML pages: the main text and metadata, via trafilatura."""
from __future__ import annotations

import json
import re
from typing import Optional

from .base import Draft, ReadError, normalise_text, paragraphs_to_text

_DATE_PARAMS = {"original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.I)
MIN_WORDS = 6  # the longest paragraph must have at least this many words


def _extract(html: str, **extra) -> Optional[dict]:
    import trafilatura

    out = trafilatura.extract(
        html,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        date_extraction_params=_DATE_PARAMS,
        **extra,
    )
    return json.loads(out) if out else None


def read_html(html: str) -> Draft:
    """Main text (one paragraph a line, title first), title, date, site name and URL."""
    if not html.strip():
        raise ReadError(None, "empty file (only whitespace)", kind="empty")
    try:
        data = _extract(html) or _extract(html, favor_recall=True)
    except Exception as exc:  # trafilatura / lxml can choke on hostile markup
        raise ReadError(None, f"malformed HTML ({type(exc).__name__}: {exc})", kind="malformed") from exc
    if not data:
        raise ReadError(None, "no article text found in the HTML", kind="no-text")
    lines = [ln for ln in normalise_text(data.get("text") or "").split("\n")]
    body = paragraphs_to_text(lines).split("\n") if any(ln.strip() for ln in lines) else []
    if not body or max(len(p.split()) for p in body) < MIN_WORDS:
        raise ReadError(None, "no article text found in the HTML", kind="no-text")
    title = _clean(data.get("title"))
    if title and body[0] != title:
        body.insert(0, title)
    m = _LANG.search(html[:4096])
    return Draft(
        text="\n".join(body),
        title=title,
        source=_clean(data.get("source-hostname") or data.get("sitename") or data.get("hostname")),
        published=data.get("date"),
        url=_clean(data.get("source") or data.get("url")),
        section=_clean((data.get("categories") or "").split(";")[0]),
        language=(data.get("language") or (m.group(1) if m else None)),
    )


def _clean(value) -> Optional[str]:
    if not value:
        return None
    value = paragraphs_to_text([str(value)])
    return value or None
