"""Pick a reader from the content (and, when the content is ambiguous, the file name)."""
from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import Any, Optional

from .plain import is_wire

FORMATS = ("wire", "plain", "html", "feed", "jsonl")

_EXTENSIONS = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}
_FEED = re.compile(r"<(?:rss|rdf:RDF|feed)\b[^>]*>", re.I)
_ATOM = re.compile(r"<feed\b[^>]*xmlns\s*=\s*[\"']http://www\.w3\.org/2005/Atom", re.I)
_HTML = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
_TAG = re.compile(r"<(?:p|div|article|section|main|h[1-6]|span|a|br|ul|li|table)\b[^>]*>", re.I)


def detect_format(text: str, name: Any = None) -> str:
    """One of FORMATS for a decoded text; ``name`` (a path) only breaks ties."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    low = head[:2048].lower()
    if _ATOM.search(head) or re.search(r"<rss\b|<rdf:rdf\b", low):
        return "feed"
    if low.startswith("<?xml") and _FEED.search(head):
        return "feed"
    if _HTML.search(head[:2048]):
        return "html"
    if head.startswith("{") and _first_line_is_object(head):
        return "jsonl"
    if is_wire(text):
        return "wire"
    ext = _EXTENSIONS.get(PurePath(str(name)).suffix.lower()) if name is not None else None
    if ext == "jsonl" and head.startswith("{"):
        return "jsonl"
    if head.startswith("<") and (ext in ("html", "feed") or len(_TAG.findall(head)) >= 2):
        if ext == "feed" or (_FEED.search(head) and not _TAG.search(head)):
            return "feed"
        return "html"
    return "plain"


def _first_line_is_object(head: str) -> bool:
    line = head.split("\n", 1)[0].strip()
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def check_format(fmt: Optional[str], path: Any = "--format") -> Optional[str]:
    """Normalise a --format value; raise ReadError for an unknown one."""
    from .base import ReadError

    if fmt is None:
        return None
    f = str(fmt).strip().lower()
    aliases = {"auto": None, "txt": "plain", "text": "plain", "rss": "feed", "atom": "feed",
               "ndjson": "jsonl", "htm": "html"}
    if f in aliases:
        return aliases[f]
    if f not in FORMATS:
        raise ReadError(path, f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})", kind="format")
    return f
