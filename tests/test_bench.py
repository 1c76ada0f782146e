"""`parley bench`: generated articles and the figures it reports (no timing assertions)."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import pytest
from rich.console import Console

from parley import bench

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
RUN_KEYS = {"articles_per_s", "words_per_s", "seconds", "peak_rss_mb_per_process", "load_seconds"}


def test_paragraphs_come_from_our_fixtures():
    pool = bench.paragraphs()
    assert len(pool) >= 40
    fixture_lines = {line.strip() for f in FIXTURES.glob("*.txt") for line in f.read_text("utf-8").splitlines()}
    assert all(p in fixture_lines for p in pool)  # nothing from anywhere else
    assert not any(p.startswith(("- ", "#")) for p in pool)
    raw = resources.files("parley.benchdata").joinpath("paragraphs.txt").read_text("utf-8")
    assert raw.startswith("#") and "tests/fixtures/articles" in raw.split("\n", 1)[0]


def test_generate_is_deterministic_and_about_600_words():
    longest = max(len(p.split()) for p in bench.paragraphs())
    articles = bench.generate(5)
    assert articles == bench.generate(5)
    assert bench.generate(5, seed=8) != articles
    assert len(articles) == 5 and len(set(articles)) == 5
    for text in articles:
        words = len(text.split())
        assert bench.WORDS_PER_ARTICLE <= words < bench.WORDS_PER_ARTICLE + longest
        assert all(line.strip() for line in text.split("\n"))  # one paragraph a line
    assert bench.generate(2) == articles[:2]  # a longer run starts with the same articles


@pytest.fixture(scope="module")
def figures(nlp):
    return bench.run_bench(n=3, processes=1)


def test_run_bench_figures(figures):
    assert figures["articles"] == 3 and figures["processes"] == 1
    assert 600 <= figures["mean_words_per_article"] < 800
    for key in ("parley", "bare_spacy"):
        run = figures[key]
        assert set(run) == RUN_KEYS
        assert run["articles_per_s"] > 0 and run["words_per_s"] > 0 and run["seconds"] > 0
        assert run["peak_rss_mb_per_process"] > 0
        assert run["words_per_s"] == pytest.approx(run["articles_per_s"] * figures["mean_words_per_article"])
    assert figures["ratio"] == pytest.approx(figures["parley"]["articles_per_s"] / figures["bare_spacy"]["articles_per_s"])
    machine = figures["machine"]
    assert set(machine) == {"cores", "platform", "processor", "python"}
    assert machine["cores"] == os.cpu_count()
    assert machine["python"] and machine["platform"] and machine["processor"]


def test_render_prints_the_figures(figures):
    console = Console(record=True, width=120, file=open(os.devnull, "w"))
    bench.render(console, figures)
    out = console.export_text()
    assert "parley bench: 3 articles" in out
    assert f"{figures['machine']['cores']} cores" in out
    assert "bare spaCy" in out and "articles/s" in out and "words/s" in out
    assert f"{figures['parley']['articles_per_s']:.2f}" in out
    assert f"parley / bare spaCy = {figures['ratio']:.2f}" in out
