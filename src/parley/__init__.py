"""parley: the diplomatic record of news articles.

>>> import parley
>>> record = parley.code_text("Japanese Prime Minister ... met ... on Friday.", published="2025-11-14")
>>> record.to_dict()["events"]
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "code_text", "code_file", "code_files", "Record"]


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
    """Code the one article of a file; returns a Record (see code_files for feeds and JSON Lines)."""
    records = code_files(path, published=published, fmt=fmt, model=model)
    if len(records) != 1:
        raise ValueError(f"{path}: holds {len(records)} articles; use parley.code_files()")
    return records[0]


def code_files(path, published=None, fmt: str | None = None, model: str | None = None):
    """Code every article of a file or folder (a feed or JSON Lines file holds many); a list of Records."""
    from .extract.pipeline import code_article
    from .nlp import load
    from .read import ReadError, iter_articles

    nlp = load(model)
    records = []
    for _, item in iter_articles(path, fmt=fmt, published=published):
        if isinstance(item, ReadError):
            raise item
        records.append(code_article(item, nlp))
    return records


def __getattr__(name: str):
    if name == "Record":
        from .record import Record

        return Record
    raise AttributeError(name)
