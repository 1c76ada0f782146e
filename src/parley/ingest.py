"""Ingest a corpus: read -> code -> store, skipping what is stored, recording what fails.

    from parley import open_store
    from parley.ingest import ingest
    stats = ingest(["news/", "feeds/*.xml"], open_store("corpus.db"), workers=2)

Each article is looked up before it is coded (same id, text or URL: skipped), and its record is
written in one transaction, so a run that is killed can be run again: it codes only what is
missing. Articles that cannot be read or coded go to the store's ``errors`` table. A failure of
the store itself (StoreError) stops the run; what was written before it stays whole.
"""
from __future__ import annotations

import glob
import os
import time
from collections import deque
from dataclasses import dataclass, field
from itertools import chain
from typing import Callable, Iterable, Iterator, Optional, Union

from .read import ReadError, iter_articles, iter_paths
from .record import Article, Record
from .store import Store

MERGE_EVERY = 200  # stored articles between two merges (merging is per group, not per article)


@dataclass
class IngestStats:
    files: int = 0  # files to read
    files_done: int = 0
    read: int = 0  # articles (and unreadable items) met
    stored: int = 0
    skipped: int = 0  # already in the store
    failed: int = 0  # could not be read or coded: see the errors table
    events: int = 0  # events of the stored articles
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0
    merge: dict = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0


class Skipped:
    """An article already stored (found before coding it)."""

    def __init__(self, article: Article, stored_as: str):
        self.article, self.stored_as = article, stored_as


Outcome = Union[Record, ReadError, Exception, Skipped]


def expand(paths: Iterable[str]) -> Iterator[Union[str, ReadError]]:
    """Paths as given, with glob patterns ('news/*.xml', 'data/**/*.jsonl') expanded in sorted order."""
    for p in paths:
        p = os.fsdecode(p)
        if p != "-" and not os.path.exists(p) and glob.has_magic(p):
            found = sorted(glob.glob(p, recursive=True))
            if not found:
                yield ReadError(p, "no file matches this pattern", kind="missing")
            yield from found
        else:
            yield p


def coded(paths: list[str], store: Store, workers: int = 1, scheduler: Optional[str] = None,
          fmt: Optional[str] = None, published=None, model: Optional[str] = None) -> Iterator[tuple[str, Outcome]]:
    """(path, Record | ReadError | coding error | Skipped) for every article, in input order.

    One worker: read, look up, code, one article at a time in this process. More (or a Dask
    scheduler): parley.scale codes in parallel the files that hold anything not yet stored.
    """
    if workers <= 1 and scheduler is None:
        from .extract.pipeline import code_article
        from .nlp import load

        nlp = None  # loaded at the first article to code: a rerun with nothing new starts at once
        for path, item in iter_articles(paths, fmt=fmt, published=published):
            if isinstance(item, ReadError):
                yield path, item
                continue
            stored = store.stored_as(item)
            if stored:
                yield path, Skipped(item, stored)
                continue
            if nlp is None:
                nlp = load(model) if model else load()  # load() caches per argument list: share the default
            try:
                yield path, code_article(item, nlp)
            except Exception as exc:  # a coding bug must not lose the rest of the corpus
                yield path, _CodingFailure(path, item.id, f"{type(exc).__name__}: {exc}")
        return
    from .scale import code_corpus

    done: deque = deque()  # files wholly stored already: reported, not coded
    need = _needing_work(paths, store, fmt, published, done)
    first = next(need, None)
    if first is None:  # nothing to code: start no cluster
        yield from done
        return
    for outcome in code_corpus(chain([first], need), workers=workers, scheduler=scheduler, fmt=fmt,
                               published=published, model=model):
        while done:
            yield done.popleft()
        yield outcome
    while done:
        yield done.popleft()


def _needing_work(paths: list[str], store: Store, fmt, published, done: deque) -> Iterator[str]:
    """The files that hold an article not yet stored (or a read error to report); reading is
    cheap beside coding, so each file is read here once more to spare coding it again. The
    articles of the other files go to ``done`` as Skipped."""
    for path in iter_paths(paths):
        if path == "-":  # standard input can be read only once
            yield path
            continue
        items = [item for _, item in iter_articles([path], fmt=fmt, published=published)]
        stored = [None if isinstance(i, ReadError) else store.stored_as(i) for i in items]
        if items and all(stored):
            done.extend((path, Skipped(i, s)) for i, s in zip(items, stored))
        else:
            yield path


class _CodingFailure(Exception):
    def __init__(self, path, article_id, reason):
        self.path, self.article_id, self.reason = path, article_id, reason
        super().__init__(f"{path or article_id}: {reason}")


def ingest(paths: Iterable[str], store: Store, workers: int = 1, scheduler: Optional[str] = None,
           fmt: Optional[str] = None, published=None, model: Optional[str] = None,
           on_item: Optional[Callable[[str, str, Outcome, IngestStats], None]] = None,
           merge_every: int = MERGE_EVERY) -> IngestStats:
    """Store the records of every article under ``paths`` (files, folders, globs, feeds, JSON Lines).

    ``on_item(kind, path, outcome, stats)`` is called for each article with kind ``stored``,
    ``skipped`` or ``failed``. Raises StoreError (the store failed), ReadError (a mistake in the
    call, such as an unknown ``fmt``) or OSError (an unreachable Dask scheduler).
    """
    store.check_writable()
    stats = IngestStats()
    plain: list[str] = []
    for p in expand(paths):
        if isinstance(p, ReadError):
            _fail(store, stats, p.path, p, on_item)
        else:
            plain.append(p)
    files = list(iter_paths(plain))  # cheap, and it gives the progress bar its length
    stats.files = len(files)
    seen: set[str] = set()
    since_merge = 0
    for path, outcome in coded(files, store, workers, scheduler, fmt, published, model):
        stats.read += 1
        if path not in seen:  # files come in order: the one before this is done
            seen.add(path)
            stats.files_done = len(seen) - 1
        if isinstance(outcome, Record):
            if store.add(outcome, merge=False):
                stats.stored += 1
                stats.events += len(outcome.events)
                since_merge += 1
                kind = "stored"
            else:
                stats.skipped += 1
                kind = "skipped"
        elif isinstance(outcome, Skipped):
            stats.skipped += 1
            kind = "skipped"
        else:
            _fail(store, stats, path, outcome, None)
            kind = "failed"
        stats.seconds = time.monotonic() - stats.started
        if on_item:
            on_item(kind, path, outcome, stats)
        if since_merge >= merge_every:
            store.merge()
            since_merge = 0
    stats.files_done = stats.files
    stats.merge = store.merge()
    stats.seconds = time.monotonic() - stats.started
    return stats


def _fail(store: Store, stats: IngestStats, path, failure: Exception, on_item) -> None:
    stats.failed += 1
    if isinstance(failure, ReadError):
        store.add_error(failure.path or path, failure.reason, item=failure.item, kind=failure.kind)
    else:  # a coding failure (here or from parley.scale): the article id says which one
        reason = getattr(failure, "reason", str(failure))
        store.add_error(getattr(failure, "path", None) or path, reason, item=getattr(failure, "article_id", None),
                        kind="coding")
    if on_item:
        on_item("failed", path, failure, stats)
