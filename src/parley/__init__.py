"""parley: the diplomatic record of news articles.

>>> import parley
>>> record = parley.code_text("Japanese Prime Minister ... met ... on Friday.", published="2025-11-14")
>>> record.to_dict()["events"]
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "code_text", "code_file", "code_files", "open_store", "Record", "Records"]


def code_text(text: str, published=None, source: str | None = None, title: str | None = None,
              url: str | None = None, article_id: str | None = None, fmt: str | None = None, model: str | None = None):
    """Code one article given as text; returns a parley.record.Record."""
    from .extract.pipeline import code_article
    from .nlp import load
    from .read import read_text

    article = read_text(text, fmt=fmt, published=published, source=source, title=title, url=url,
                        article_id=article_id)
    return code_article(article, load(model))


def code_file(path, published=None, fmt: str | None = None, model: str | None = None):
    """Code the one article of a file; returns a Record (see code_files for feeds and JSON Lines).

    Raises ReadError if the file cannot be read or is not in English, ValueError if it holds
    more than one article.
    """
    records = code_files(path, published=published, fmt=fmt, model=model)
    if not records and records.skipped:
        raise records.skipped[0]
    if len(records) != 1:
        raise ValueError(f"{path}: holds {len(records)} articles; use parley.code_files()")
    return records[0]


class Records(list):
    """A list of Records, with ``.skipped``: the ReadErrors of articles left out."""

    skipped: list


def code_files(path, published=None, fmt: str | None = None, model: str | None = None,
               skip_errors: bool = False):
    """Code every article of a file or folder (a feed or JSON Lines file holds many); a list of Records.

    ``path`` is a file, a folder (read recursively) or a list of them. Articles not in English
    are skipped, not raised: each one's ReadError (``kind == "language"``) is kept in the
    returned list's ``.skipped``. Any other ReadError (a missing, empty or binary file, a bad
    JSON line) is raised, unless ``skip_errors=True``, which collects it in ``.skipped`` too.
    """
    from .extract.pipeline import code_article
    from .nlp import load
    from .read import ReadError, iter_articles

    nlp = load(model)
    records = Records()
    records.skipped = []
    for _, item in iter_articles(path, fmt=fmt, published=published):
        if isinstance(item, ReadError):
            if item.kind != "language" and not skip_errors:
                raise item
            records.skipped.append(item)
            continue
        records.append(code_article(item, nlp))
    return records


def open_store(url: str | None = None, create: bool = True):
    """Open the corpus store at ``url``: a SQLite file (default ``parley.db`` here, or
    ``$PARLEY_DB``) or ``postgresql://USER@HOST/DB``. Returns a parley.store.Store:
    ``.add(record)``, ``.events(actor=..., since=...)``, ``.merged_events()``, ``.actors()``,
    ``.documents()``, ``.quotes()``, ``.record(id)``, ``.iter_records()``; results have ``.to_pandas()``.
    """
    from .store import open_store as _open

    return _open(url, create=create)


def __getattr__(name: str):
    if name == "Record":
        from .record import Record

        return Record
    raise AttributeError(name)
