"""parley.scale: coding a corpus with Dask gives the records of one process, in input order."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

from parley.read import ReadError
from parley.record import Record
from parley.scale import CodingError, code_batch, code_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


def fixture_paths(tmp_path: Path) -> list[str]:
    """The fixture articles with a missing file and an empty file among them."""
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    paths = [str(p) for p in sorted(FIXTURES.glob("*.txt"))]
    return paths[:3] + [str(tmp_path / "missing.txt")] + paths[3:6] + [str(tmp_path / "empty.txt")] + paths[6:]


def outcome(items) -> list[tuple[str, object]]:
    """Records as dicts, errors as their class and message: comparable across processes."""
    return [(path, item.to_dict() if isinstance(item, Record) else (type(item).__name__, str(item)))
            for path, item in items]


@pytest.fixture(scope="module")
def one_process(tmp_path_factory):
    paths = fixture_paths(tmp_path_factory.mktemp("corpus"))
    return paths, outcome(code_corpus(paths, workers=1))


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as c:
        yield c


def test_one_process_run_is_in_input_order(one_process):
    paths, items = one_process
    assert [p for p, _ in items] == paths  # one article per file here
    kinds = [x[1][0] if isinstance(x[1], tuple) else "Record" for x in items]
    assert kinds.count("Record") == 8
    assert items[3][1] == ("ReadError", f"{paths[3]}: no such file")
    assert items[7][1][0] == "ReadError" and "empty" in items[7][1][1]
    assert all(item["events"] for _, item in items if isinstance(item, dict))


def test_two_workers_give_the_records_of_one_process(one_process):
    paths, expected = one_process
    # batches of 2 on two processes: every batch crosses to a worker and back
    assert outcome(code_corpus(paths, workers=2, batch=2)) == expected


def test_an_existing_scheduler_gives_the_same_records(one_process, cluster):
    paths, expected = one_process
    got = outcome(code_corpus(paths, scheduler=cluster.scheduler_address, batch=3, window=1))
    assert got == expected


def test_reading_stays_a_window_ahead(cluster, tmp_path):
    paths = [str(p) for p in sorted(FIXTURES.glob("*.txt"))]
    pulled = []

    def lazily():
        for p in paths:
            pulled.append(p)
            yield p

    items = code_corpus(lazily(), scheduler=cluster.scheduler_address, batch=1, window=2)
    first = next(items)
    assert first[0] == paths[0] and isinstance(first[1], Record)
    assert len(pulled) <= 3  # two batches in flight, not the whole corpus
    items.close()


def test_the_client_keeps_a_short_log_of_what_it_sent(cluster):
    """Dask's client logs the last messages it sent, and each holds a batch of articles: the
    log must be short, or a long run grows the writer's memory by megabytes per 100 articles."""
    from distributed import default_client

    from parley.scale import LOG_LENGTH

    paths = [str(p) for p in sorted(FIXTURES.glob("*.txt"))][:2]
    items = code_corpus(paths, scheduler=cluster.scheduler_address, batch=1)
    next(items)
    log = default_client().scheduler_comm.recent_message_log
    assert log.maxlen == LOG_LENGTH <= 100
    items.close()


def test_a_failing_article_becomes_an_item(monkeypatch, nlp):
    from parley.extract import pipeline
    from parley.read import read_path

    articles = [read_path(p)[0] for p in sorted(FIXTURES.glob("*.txt"))[:3]]
    real = pipeline.code_article

    def flaky(article, nlp=None, paragraphs=None):
        if article.id == articles[1].id:
            raise KeyError("boom")
        return real(article, nlp, paragraphs=paragraphs)

    monkeypatch.setattr(pipeline, "code_article", flaky)
    out = code_batch(articles)
    assert isinstance(out[0], Record) and isinstance(out[2], Record)
    assert isinstance(out[1], CodingError)
    assert out[1].article_id == articles[1].id and out[1].path == articles[1].path
    assert str(out[1]) == f"{articles[1].path}: KeyError: 'boom'"


def test_a_failed_task_becomes_coding_errors(cluster, nlp):
    """A worker that dies or a task that cannot run: its articles are CodingErrors, the run goes on."""
    from distributed import Client

    from parley.read import read_path
    from parley.scale import _collect

    path = str(sorted(FIXTURES.glob("*.txt"))[0])
    article = read_path(path)[0]
    chunk = [(path, article), ("gone.txt", ReadError("gone.txt", "no such file", kind="missing"))]
    with Client(cluster.scheduler_address) as client:
        future = client.submit(divmod, 1, 0, pure=False)
        out = list(_collect(chunk, future))
    assert out[0][0] == path and isinstance(out[0][1], CodingError)
    assert out[0][1].article_id == article.id
    assert "the worker failed (ZeroDivisionError" in out[0][1].reason
    assert out[1] == chunk[1]


def test_coding_error_travels_between_processes():
    import pickle

    e = pickle.loads(pickle.dumps(CodingError("a.txt", "sha1:1", "KeyError: 'x'")))
    assert (e.path, e.article_id, e.reason, str(e)) == ("a.txt", "sha1:1", "KeyError: 'x'", "a.txt: KeyError: 'x'")


def test_mistakes_in_the_call():
    from parley.nlp import ModelNotFound

    with pytest.raises(ValueError, match="workers must be at least 1"):
        code_corpus([], workers=0)
    with pytest.raises(ValueError, match="batch must be at least 1"):
        code_corpus([], batch=0)
    with pytest.raises(ReadError, match="xml"):
        code_corpus([], fmt="xml")
    with pytest.raises(ModelNotFound, match="no_such_pipeline"):  # said before a cluster starts
        list(code_corpus([str(FIXTURES)], workers=2, model="no_such_pipeline"))


def test_a_pipeline_missing_on_the_workers_is_said(cluster):
    from parley.nlp import ModelNotFound

    with pytest.raises(ModelNotFound, match="on the Dask workers.*no_such_pipeline"):
        list(code_corpus([str(FIXTURES)], scheduler=cluster.scheduler_address, model="no_such_pipeline"))


def test_an_unreachable_scheduler_is_said():
    with pytest.raises(OSError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        list(code_corpus([str(FIXTURES)], scheduler="tcp://127.0.0.1:9", timeout=1))
