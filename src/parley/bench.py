"""`parley bench`: coding throughput and memory beside the bare spaCy pipeline, same texts, same run."""
from __future__ import annotations

import os
import platform
import random
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from importlib import resources

WORDS_PER_ARTICLE = 600


def paragraphs() -> list[str]:
    """Paragraphs written by the parley authors (the test fixtures' prose), one per line."""
    text = resources.files("parley.benchdata").joinpath("paragraphs.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def generate(n: int, seed: int = 7) -> list[str]:
    """n articles of about 600 words, each a shuffled recombination of the paragraphs."""
    rng = random.Random(seed)
    pool = paragraphs()
    articles = []
    for _ in range(n):
        body, words = [], 0
        while words < WORDS_PER_ARTICLE:
            p = rng.choice(pool)
            body.append(p)
            words += len(p.split())
        articles.append("\n".join(body))
    return articles


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _worker(job: tuple[str, list[str], str | None]) -> dict:
    kind, texts, model = job
    from .nlp import load, parse_many

    nlp = load(model)
    nlp("warm up the pipeline.")
    if kind == "parley":
        from .extract.pipeline import code_article
        from .read import read_text

        # the first article pays for loading the KB, lexicons and gazetteer (seconds): keep
        # that one-time cost out of the throughput (it shows in load_seconds)
        code_article(read_text(texts[0], fmt="plain", published="2025-12-27T07:10:00"), nlp)
    start = time.perf_counter()
    if kind == "spacy":
        for _ in nlp.pipe((p for t in texts for p in t.split("\n")), batch_size=8):
            pass
    else:
        for text, paras in zip(texts, parse_many(texts, nlp)):
            code_article(read_text(text, fmt="plain", published="2025-12-27T07:10:00"), nlp, paragraphs=paras)
    return {"seconds": time.perf_counter() - start, "peak_rss_mb": _peak_rss_mb(), "pid": os.getpid()}


def _run(kind: str, texts: list[str], processes: int, model: str | None) -> dict:
    chunks = [texts[i::processes] for i in range(processes)]
    start = time.perf_counter()
    if processes == 1:
        results = [_worker((kind, chunks[0], model))]
    else:
        with ProcessPoolExecutor(processes) as pool:
            results = list(pool.map(_worker, [(kind, c, model) for c in chunks]))
    wall = max(r["seconds"] for r in results)
    words = sum(len(t.split()) for t in texts)
    return {"articles_per_s": len(texts) / wall, "words_per_s": words / wall, "seconds": wall,
            "peak_rss_mb_per_process": max(r["peak_rss_mb"] for r in results),
            "load_seconds": time.perf_counter() - start - wall}


def run_bench(n: int = 100, processes: int = 1, model: str | None = None) -> dict:
    texts = generate(n)
    spacy_run = _run("spacy", texts, processes, model)
    parley_run = _run("parley", texts, processes, model)
    return {
        "articles": n, "processes": processes,
        "mean_words_per_article": sum(len(t.split()) for t in texts) / n,
        "parley": parley_run, "bare_spacy": spacy_run,
        "ratio": parley_run["articles_per_s"] / spacy_run["articles_per_s"],
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(),
                    "processor": platform.processor() or platform.machine(), "python": platform.python_version()},
    }


def render(console, result: dict) -> None:
    from rich.table import Table

    m = result["machine"]
    console.print(f"parley bench: {result['articles']} articles of ~{result['mean_words_per_article']:.0f} words, "
                  f"{result['processes']} process(es) · {m['cores']} cores · {m['processor']} · Python {m['python']}",
                  highlight=False, soft_wrap=True)
    table = Table()
    for col in ("", "articles/s", "words/s", "peak RSS/process (MB)"):
        table.add_column(col)
    for label, key in (("parley", "parley"), ("bare spaCy", "bare_spacy")):
        r = result[key]
        table.add_row(label, f"{r['articles_per_s']:.2f}", f"{r['words_per_s']:.0f}", f"{r['peak_rss_mb_per_process']:.0f}")
    console.print(table)
    console.print(f"parley / bare spaCy = {result['ratio']:.2f}")
