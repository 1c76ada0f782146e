"""Shared pieces of the readers: the error type, ids, decoding, text shape, dates, language.

Every reader turns its input into ``Draft`` objects (text plus whatever metadata the
format carries); ``parley.read`` turns drafts into :class:`parley.record.Article`.
"""
from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Optional, Sequence

__all__ = [
    "ReadError",
    "Draft",
    "ArticleList",
    "article_id",
    "decode_bytes",
    "normalise_text",
    "paragraphs_to_text",
    "unwrap_paragraphs",
    "html_fragment_to_text",
    "parse_published",
    "detect_language",
]


class ReadError(Exception):
    """A file (or one item inside a feed / JSONL file) that could not be read.

    ``str(err)`` is ``"<path>: <reason>"`` or ``"<path>:line 3: <reason>"`` /
    ``"<path>:entry 2: <reason>"``.  ``kind`` is a short machine-readable tag:
    ``missing``, ``not-a-file``, ``unreadable``, ``empty``, ``binary``, ``too-large``,
    ``undecodable``, ``format``, ``malformed``, ``no-text`` or ``language``
    (``language`` is a skip, not a fault: the CLI prints it as a warning).
    """

    def __init__(self, path: Any, reason: str, *, item: Optional[str] = None, kind: str = "malformed"):
        self.path = None if path is None else str(path)
        self.reason = reason
        self.item = item
        self.kind = kind
        where = self.path if self.path is not None else "<text>"
        if item:
            where = f"{where}:{item}"
        super().__init__(f"{where}: {reason}")

    @property
    def is_warning(self) -> bool:
        """True for skips the caller may report as a warning (e.g. a non-English article)."""
        return self.kind == "language"


class ArticleList(list):
    """A list of Articles that also carries the per-item problems met while reading."""

    def __init__(self, items=(), errors=()):
        super().__init__(items)
        self.errors: list[ReadError] = list(errors)


@dataclass
class Draft:
    """What a reader found in one article, before ids, dates and language are settled."""

    text: str
    title: Optional[str] = None
    source: Optional[str] = None
    published: Optional[str] = None  # raw string from the input, parsed later
    url: Optional[str] = None
    section: Optional[str] = None
    standfirst: Optional[str] = None  # the wire layout's summary line
    id: Optional[str] = None  # given id, kept as is
    id_seed: Optional[str] = None  # e.g. a feed entry's guid: hashed into the id
    language: Optional[str] = None  # declared language (hint), e.g. "en-GB"
    item: Optional[str] = None  # "line 3", "entry 2": where inside the file


# --------------------------------------------------------------------------- ids


def article_id(text: str) -> str:
    """Deterministic id of a text: ``"sha1:"`` + the first 16 hex digits of its SHA-1."""
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- bytes -> str

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# bytes that never occur in text files (all C0 controls except \t \n \v \f \r, ESC, and DEL)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def decode_bytes(data: bytes, path: Any = None) -> str:
    """Bytes to str: BOM, else UTF-8, else a declared HTML/XML charset, else charset-normalizer.

    Raises ReadError (kind ``binary`` / ``undecodable``) for content that is not text.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ReadError(path, f"cannot decode as {codec} ({exc.reason})", kind="undecodable") from exc
    head = data[:8192]
    if b"\x00" in head:
        raise ReadError(path, "binary content, not text", kind="binary")
    controls = sum(head.count(bytes([b])) for b in _CONTROL)
    if head and controls / len(head) > 0.05:
        raise ReadError(path, "binary content, not text", kind="binary")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data[:4096])
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(path, "binary content, not text (no text encoding fits)", kind="binary")
    # Short Western texts fool charset-normalizer (cp775, cp850 ...); non-UTF-8 news is
    # nearly always windows-1252, so take it when it reads at least as cleanly.
    western = _cp1252_if_clean(data, best.chaos)
    if western is not None:
        return western
    try:
        return str(best)
    except Exception as exc:  # pragma: no cover - charset-normalizer already checked it
        raise ReadError(path, f"cannot decode ({exc})", kind="undecodable") from exc


def _cp1252_if_clean(data: bytes, chaos: float) -> Optional[str]:
    try:
        text = data.decode("cp1252")
        from charset_normalizer.md import mess_ratio
    except (UnicodeDecodeError, ImportError):
        return None
    try:
        mess = mess_ratio(text[:50_000], maximum_threshold=1.0)
    except Exception:  # pragma: no cover - an internal helper of charset-normalizer
        return None
    if mess > chaos + 0.02 or _UNLIKELY_IN_CP1252_TEXT.search(text[:50_000]):
        return None
    return text


# signs that bytes meant for another code page (cp1250 Polish: "ł" -> "³", "ą" -> "¹")
_UNLIKELY_IN_CP1252_TEXT = re.compile("[\u00a4\u00a6\u00a8\u00aa\u00af\u00b2\u00b3\u00b4\u00b8\u00b9\u00ba\u00bc-\u00be\u00d0\u00de\u00f0\u00fe\u0178]")


def _declared_charset(head: bytes) -> Optional[str]:
    m = _META_CHARSET.search(head) or re.search(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    # browsers read "iso-8859-1" / "latin-1" as windows-1252; so do we
    if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        name = "cp1252"
    return name


# --------------------------------------------------------------------------- text shape

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_BULLET = re.compile(r"^(?:[-*\u2022\u2013]\s|\d{1,3}[.)]\s)")


def normalise_text(text: str) -> str:
    """NFC, newlines as ``\\n``, no BOM / zero-width / control characters, no trailing spaces."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL_CHARS.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _clean_line(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def paragraphs_to_text(paragraphs: Sequence[Optional[str]]) -> str:
    """Join paragraphs one a line, with inner whitespace collapsed and empty ones dropped."""
    out = []
    for p in paragraphs:
        if p is None:
            continue
        p = _clean_line(p.replace("\n", " "))
        if p:
            out.append(p)
    return "\n".join(out)


def unwrap_paragraphs(text: str) -> list[str]:
    """Split normalised text into paragraphs.

    If the text has blank lines, they separate paragraphs and the lines inside a
    block are hard wraps, joined with a space (a line that starts a list item stays
    its own paragraph).  Without blank lines, every line is a paragraph.
    """
    lines = text.split("\n")
    if not any(not line.strip() for line in lines[1:-1]) or all(not line.strip() for line in lines):
        return [p for p in (_clean_line(line) for line in lines) if p]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        line = _clean_line(line)
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and _BULLET.match(line):
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
}
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")


def html_fragment_to_text(fragment: str) -> str:
    """HTML fragment (a feed summary, say) to plain text, one paragraph a line (via lxml)."""
    import lxml.html
    from lxml import etree

    if not fragment or not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return paragraphs_to_text([fragment])
    for bad in root.xpath("|".join(f"//{t}" for t in _DROP_TAGS)):
        bad.drop_tree()
    pieces: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag.lower() in _BLOCK_TAGS
        if block:
            pieces.append("\n")
        if el.text and tag:
            pieces.append(el.text.replace("\n", " "))
        for child in el:
            walk(child)
        if block:
            pieces.append("\n")
        if el.tail:
            pieces.append(el.tail.replace("\n", " "))

    walk(root)
    # source newlines became spaces above; only block edges and <br> break lines
    return paragraphs_to_text("".join(pieces).split("\n"))


# --------------------------------------------------------------------------- dates


def _iso(dt: datetime) -> str:
    return dt.replace(microsecond=0).isoformat()


def parse_published(value: Any) -> Optional[str]:
    """A publication time (datetime, date or string) as ISO 8601, or None if unreadable.

    A time without timezone stays naive; a timezone given is kept as an offset.
    Relative expressions ("yesterday") are refused: they would depend on today.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return _iso(datetime(value.year, value.month, value.day))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None
    s = str(value).strip()
    if not s:
        return None
    iso = s[:-1] + "+00:00" if s.endswith(("Z", "z")) else s
    try:
        return _iso(datetime.fromisoformat(iso))
    except ValueError:
        pass
    try:  # RFC 822, as in RSS: "Mon, 12 Jan 2026 08:15:00 +0900"
        dt = parsedate_to_datetime(s)
        if dt is not None:
            return _iso(dt)
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in ("%H:%M | %d %B %Y", "%d %B %Y %H:%M", "%d %B %Y", "%B %d, %Y", "%B %d, %Y %H:%M"):
        try:
            return _iso(datetime.strptime(s, fmt))
        except ValueError:
            pass
    import dateparser

    dt = dateparser.parse(
        s.replace("|", " "),
        languages=None,
        settings={
            # no "relative-time" ("yesterday") and no "timestamp" (local-zone dependent);
            # a date needs day, month and year, else dateparser would borrow today's
            "PARSERS": ["custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["day", "month", "year"],
        },
    )
    return _iso(dt) if dt is not None else None


# --------------------------------------------------------------------------- language

MIN_LETTERS = 200  # below this, langdetect is trusted only when it is very sure
_SURE = 0.95
_seeded = False


def _primary(tag: Optional[str]) -> Optional[str]:
    if not tag:
        return None
    tag = str(tag).strip().lower().replace("_", "-").split("-")[0]
    return tag if re.fullmatch(r"[a-z]{2,3}", tag) else None


def detect_language(text: str, declared: Optional[str] = None) -> Optional[str]:
    """Language code of ``text`` (langdetect, seeded, first 2000 characters).

    Long texts (>= 200 letters): what langdetect says.  Short texts (headlines, feed
    blurbs), where langdetect guesses wildly: the declared language if there is one,
    else langdetect's answer if it is >= 95% sure, else None (unknown).
    """
    global _seeded
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    if not _seeded:
        DetectorFactory.seed = 0
        _seeded = True
    declared = _primary(declared)
    sample = text[:2000]
    letters = sum(ch.isalpha() for ch in sample)
    if letters == 0:
        return declared
    try:
        guesses = detect_langs(sample)
    except LangDetectException:
        return declared
    if not guesses:
        return declared
    top = guesses[0]
    lang = _primary(top.lang) or top.lang  # "zh-cn" -> "zh"
    if letters >= MIN_LETTERS:
        return lang
    if declared:
        return declared
    return lang if top.prob >= _SURE else None
