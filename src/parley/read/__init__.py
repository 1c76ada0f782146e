"""read: files, feeds and strings -> :class:`parley.record.Article`.

    read_path("story.txt")               -> [Article]           (feed / JSONL: many)
    read_text(text, title=..., ...)      -> Article
    iter_articles(["news/", "x.jsonl"])  -> (path, Article | ReadError), never stops

Formats (``fmt``): ``wire`` (the layout of ../shared/corpus), ``plain``, ``html``
(trafilatura), ``feed`` (RSS/Atom, feedparser), ``jsonl``; ``None`` picks one from the
content.  ``Article.text`` always has one paragraph a line.

A problem with a whole file raises :class:`ReadError` (``"x.bin: binary content, not
text"``); a problem with one item of a feed or JSONL file is reported on its own
(``"x.jsonl:line 3: no "text" field"``) and the other items go on.  Articles in a
language outside ``allow_language`` are ReadErrors of kind ``"language"``: skips, which
the CLI prints as warnings.
"""
from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence, Union

from ..record import Article
from .base import ArticleList, Draft, ReadError, article_id, decode_bytes, detect_language, parse_published
from .detect import FORMATS, check_format, detect_format
from .feed import read_feed
from .html import read_html
from .jsonl import read_jsonl
from .plain import is_wire, read_plain, read_wire

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "Article",
    "ArticleList",
    "ReadError",
    "article_id",
    "detect_format",
    "is_wire",
    "iter_articles",
    "iter_paths",
    "parse_published",
    "read_path",
    "read_text",
]

MAX_BYTES = 5_000_000
PathLike = Union[str, "os.PathLike[str]"]
Published = Union[str, datetime, None]

# --------------------------------------------------------------------------- public API


def read_path(
    path: PathLike,
    fmt: Optional[str] = None,
    published: Published = None,
    max_bytes: Optional[int] = MAX_BYTES,
    allow_language: Optional[Sequence[str]] = ("en",),
) -> ArticleList:
    """Read one file (``"-"`` is standard input) into its Articles.

    Raises ReadError for the file as a whole: missing, a folder, empty, binary, over
    ``max_bytes``, undecodable, unknown ``fmt``, malformed, no text, not in an allowed
    language.  For a feed or JSONL file, items that fail are skipped and listed in the
    returned list's ``.errors``; if none succeeds, the file fails.
    ``published`` is used only for articles that carry no publication time.
    """
    fmt = check_format(fmt, path)
    default = _check_published(published)
    langs = _check_languages(allow_language)
    articles, errors = ArticleList(), []
    for result in _read_items(path, fmt, default, max_bytes, langs):
        (errors if isinstance(result, ReadError) else articles).append(result)
    articles.errors = errors
    if not articles:
        if len(errors) == 1:
            raise errors[0]
        if errors:
            kinds = {e.kind for e in errors}
            first = errors[0]
            raise ReadError(
                path,
                f"no article could be read ({len(errors)} items failed; first, {first.item}: {first.reason})",
                kind=kinds.pop() if len(kinds) == 1 else "malformed",
            )
        raise ReadError(path, "no article found", kind="no-text")
    return articles


def read_text(
    text: Union[str, bytes],
    fmt: Optional[str] = None,
    published: Published = None,
    source: Optional[str] = None,
    title: Optional[str] = None,
    url: Optional[str] = None,
    article_id: Optional[str] = None,
    allow_language: Optional[Sequence[str]] = None,
    section: Optional[str] = None,
) -> Article:
    """One text (str, or bytes to decode) to an Article, for the Python API.

    ``title``, ``source``, ``url``, ``section`` and ``article_id`` given here win over
    what is found in the text; ``published`` is used only if the text has none.
    Languages are detected and recorded but nothing is refused unless
    ``allow_language`` is given.  A feed or JSONL text must hold exactly one article.
    """
    fmt = check_format(fmt, None)
    default = _check_published(published)
    langs = _check_languages(allow_language)
    if isinstance(text, (bytes, bytearray)):
        data = bytes(text)
        text = decode_bytes(data, None)
    else:
        data = None
    if not text.strip():
        raise ReadError(None, "empty text", kind="empty")
    fmt = fmt or detect_format(text)
    results = list(_parse(text, data, fmt, None))
    drafts = [r for r in results if isinstance(r, Draft)]
    if len(drafts) != 1:
        errors = [r for r in results if isinstance(r, ReadError)]
        if not drafts and errors:
            raise errors[0]
        raise ReadError(None, f"holds {len(drafts)} articles, not one (use read_path or iter_articles)", kind="format")
    draft = drafts[0]
    for name, value in (("title", title), ("source", source), ("url", url), ("section", section), ("id", article_id)):
        if value is not None:
            setattr(draft, name, value)
    return _finish(draft, None, default, langs)


def iter_articles(
    paths: Union[PathLike, Iterable[PathLike]],
    fmt: Optional[str] = None,
    published: Published = None,
    max_bytes: Optional[int] = MAX_BYTES,
    allow_language: Optional[Sequence[str]] = ("en",),
) -> Iterator[tuple[str, Union[Article, ReadError]]]:
    """Yield ``(path, Article)`` or ``(path, ReadError)`` for every article of every file.

    Folders are read recursively (sorted, hidden files and folders left out). A batch
    never stops on a bad file or item.  An unknown ``fmt`` or unreadable ``published``
    is a mistake in the call, not in a file: it raises ReadError before anything is read.
    """
    fmt = check_format(fmt)
    default = _check_published(published)
    langs = _check_languages(allow_language)
    return _iter(paths, fmt, default, max_bytes, langs)


def iter_paths(paths: Union[PathLike, Iterable[PathLike]]) -> Iterator[str]:
    """The files named by ``paths``: files as given, folders walked recursively in sorted order."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    for p in paths:
        p = os.fsdecode(p)
        if p != "-" and os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        else:
            yield p


# --------------------------------------------------------------------------- internals


def _iter(paths, fmt, default, max_bytes, langs) -> Iterator[tuple[str, Union[Article, ReadError]]]:
    for path in iter_paths(paths):
        try:
            for result in _read_items(path, fmt, default, max_bytes, langs):
                yield path, result
        except ReadError as err:
            yield path, err
        except Exception as exc:  # a batch never stops: report the surprise and go on
            yield path, ReadError(path, f"unexpected error ({type(exc).__name__}: {exc})", kind="malformed")


def _read_items(path, fmt, default, max_bytes, langs) -> Iterator[Union[Article, ReadError]]:
    """Articles and per-item ReadErrors of one file; raises ReadError for the whole file."""
    name = "<stdin>" if str(path) == "-" else str(path)
    data = _load(path, name, max_bytes)
    text = decode_bytes(data, name)
    if not text.strip():
        raise ReadError(name, "empty file (only whitespace)", kind="empty")
    fmt = fmt or detect_format(text, name)
    for result in _parse(text, data, fmt, name):
        if isinstance(result, ReadError):
            yield result
            continue
        try:
            yield _finish(result, name, default, langs)
        except ReadError as err:
            yield err


def _parse(text: str, data: Optional[bytes], fmt: str, name: Optional[str]) -> Iterator[Union[Draft, ReadError]]:
    """Drafts (or per-item errors) of a decoded text; whole-text errors raised with ``name``."""
    try:
        if fmt == "wire":
            yield read_wire(text)
        elif fmt == "plain":
            yield read_plain(text)
        elif fmt == "html":
            yield read_html(text)
        elif fmt in ("feed", "jsonl"):
            items = read_feed(data if data is not None else text) if fmt == "feed" else read_jsonl(text)
            for item in items:
                yield _named(item, name) if isinstance(item, ReadError) else item
        else:  # pragma: no cover - check_format keeps this out
            raise ReadError(name, f"unknown format {fmt!r}", kind="format")
    except ReadError as err:
        raise _named(err, name) from None


def _named(err: ReadError, name: Optional[str]) -> ReadError:
    if err.path is not None or name is None:
        return err
    return ReadError(name, err.reason, item=err.item, kind=err.kind)


def _load(path, name: str, max_bytes: Optional[int]) -> bytes:
    limit = max_bytes if max_bytes and max_bytes > 0 else None
    if name == "<stdin>":
        data = sys.stdin.buffer.read() if limit is None else sys.stdin.buffer.read(limit + 1)
        size = len(data)
    else:
        p = Path(path)
        try:
            st = p.stat()
        except FileNotFoundError:
            raise ReadError(name, "no such file", kind="missing") from None
        except OSError as exc:
            raise ReadError(name, f"cannot read ({exc.strerror or exc})", kind="unreadable") from None
        if p.is_dir():
            raise ReadError(name, "is a folder, not a file (iter_articles reads folders)", kind="not-a-file")
        size = st.st_size
        if limit is not None and size > limit:
            raise ReadError(name, _too_large(size, limit), kind="too-large")
        try:
            data = p.read_bytes() if limit is None else _read_limited(p, limit)
        except OSError as exc:
            raise ReadError(name, f"cannot read ({exc.strerror or exc})", kind="unreadable") from None
        size = max(size, len(data))
    if limit is not None and size > limit:
        raise ReadError(name, _too_large(size, limit), kind="too-large")
    if not data:
        raise ReadError(name, "empty file", kind="empty")
    return data


def _read_limited(p: Path, limit: int) -> bytes:
    with p.open("rb") as fh:  # a file may grow between stat() and read()
        return fh.read(limit + 1)


def _too_large(size: int, limit: int) -> str:
    return f"file is {_human(size)}, over the {_human(limit, exact=True)} limit (--max-bytes)"


def _human(n: int, exact: bool = False) -> str:
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if n >= scale:
            return f"{n / scale:g} {unit}" if exact else f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def _check_published(published: Published) -> Optional[str]:
    if published is None or published == "":
        return None
    iso = parse_published(published)
    if iso is None:
        raise ReadError("--published", f"cannot read {published!r} as a date and time", kind="format")
    return iso


def _check_languages(allow: Optional[Sequence[str]]) -> Optional[tuple[str, ...]]:
    if not allow:
        return None
    if isinstance(allow, str):
        allow = allow.replace(",", " ").split()
    return tuple(a.strip().lower() for a in allow if a and a.strip())


def _finish(draft: Draft, name: Optional[str], default: Optional[str], langs) -> Article:
    language = detect_language(draft.text, draft.language)
    if langs and language is not None and language not in langs:
        if langs == ("en",):
            wanted = "is not English"
        else:
            wanted = f"is not among the allowed languages ({', '.join(langs)})"
        raise ReadError(name, f"language {language!r} {wanted}, skipped", item=draft.item, kind="language")
    if draft.id:
        aid = draft.id
    elif draft.id_seed:
        aid = article_id(draft.id_seed)
    else:
        aid = article_id(draft.text)
    return Article(
        id=aid,
        title=draft.title,
        source=draft.source,
        published=parse_published(draft.published) or default,
        url=draft.url,
        language=language,
        text=draft.text,
        section=draft.section,
        standfirst=draft.standfirst,
        path=name,
    )
