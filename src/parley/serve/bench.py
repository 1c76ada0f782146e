"""`parley bench serve`: pages and API answers timed from a second process, over a large store.

The server (``parley serve``'s app on uvicorn) runs in a child process on 127.0.0.1 and a free
port; this process sends the requests one after another over a kept-alive connection and times
each until its whole body is read. Each endpoint is asked ``requests`` times, cycling through a few
variants (different actors, articles, periods, pages) picked from the store itself, so that the
answers cached per data version (summary, histogram, network, filter values) are measured both
cold (``first``: the first answer of each variant) and warm. The store is ``--db`` or, without
one, a synthetic store of ``events`` events built as `parley bench store` builds its own (coded
templates, actors drawn by a Zipf law, documents with status timelines) and kept with ``--keep``.
"""
from __future__ import annotations

import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Optional
from urllib.parse import quote, urlencode

# endpoint name -> what it shows (the order of the report)
WHAT = {
    "api summary": "GET /api/summary: counts (cached per data version)",
    "api events": "GET /api/events?page=N: newest first, 50 a page, with the total",
    "api events actor": "GET /api/events?actor=NAME: an actor's reports",
    "api events country+month": "GET /api/events?country=C&since&until: one month of a country",
    "api events type by date": "GET /api/events?type=T&sort=date",
    "api merged actor": "GET /api/merged-events?actor=NAME: merged events with their sources",
    "api actors": "GET /api/actors: the most reported first",
    "api actor": "GET /api/actors/{key}: events, months, quotes, commitments",
    "api article": "GET /api/articles/{id}: the full record",
    "api documents": "GET /api/documents: timelines and parties",
    "api quotes speaker": "GET /api/quotes?speaker=NAME",
    "api network month": "GET /api/network?since&until: one month",
    "page timeline": "GET /: summary, chart, 100 newest events",
    "page timeline filtered": "GET /?actor=NAME&since&until: one actor, one year",
    "page network": "GET /network?since&until: one year",
    "page actor": "GET /actors/{key}",
    "page article": "GET /articles/{id}: highlighted text and the record",
    "page documents": "GET /documents: the negotiation tracker",
    "page articles": "GET /articles: newest first",
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_forever(url: str, port: int) -> None:
    """The child process: the app over ``url`` on 127.0.0.1:port (quiet)."""
    import uvicorn

    from .api import create_app

    uvicorn.run(create_app(url), host="127.0.0.1", port=port, log_level="warning", access_log=False)


class Server:
    """``parley serve`` in a child process, stopped on exit."""

    def __init__(self, url: str, port: Optional[int] = None, timeout: float = 300.0):
        self.url, self.port, self.timeout = url, port or free_port(), timeout
        self.proc: Optional[subprocess.Popen] = None

    def __enter__(self) -> "Server":
        code = f"from parley.serve.bench import serve_forever; serve_forever({self.url!r}, {self.port})"
        self.proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server stopped at start (exit status {self.proc.returncode})")
            try:
                status, _, _ = get(self.connection(), "/api/summary")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"the server did not answer within {self.timeout:.0f} s")

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def rss_mb(self) -> Optional[float]:
        try:
            import psutil

            return psutil.Process(self.proc.pid).memory_info().rss / 1e6
        except Exception:
            return None

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, int, float]:
    """(status, bytes, seconds) of one GET, timed until the whole body is read."""
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept": "*/*"})
    response = conn.getresponse()
    body = response.read()
    return response.status, len(body), time.perf_counter() - start


# --------------------------------------------------------------------------- what to ask


def picks(url: str, seed: int = 5) -> dict[str, Any]:
    """Realistic parameters from the store: actors of middling and top fame, countries, periods,
    articles, a type."""
    from ..store import open_store
    from . import queries as Q

    rng = random.Random(seed)
    store = open_store(url, create=False)
    try:
        top = store.actors(limit=100)
        people = [a for a in top if a["kind"] == "person"] or top
        actors = [a["name"] for a in people[::max(1, len(people) // 8)]][:8]
        keys = [a["key"] for a in top[::max(1, len(top) // 8)]][:8]
        s = Q.summary(store)
        countries = Q.facets(store)["countries"]
        by_type = sorted(s["events_by_type"].items(), key=lambda kv: -kv[1])
        ids = Q.articles_page(store, page=1, per_page=1)["total"]
        pages = [rng.randrange(1, max(2, ids // 50)) for _ in range(12)]
        article_ids = [r["id"] for p in pages for r in Q.articles_page(store, page=p, per_page=50)["items"][:1]]
        first, last = s["first_date"], s["last_date"]
    finally:
        store.close()
    years = list(range(int(first[:4]), int(last[:4]) + 1)) if first and last else [2021]
    months = [f"{rng.choice(years)}-{rng.randrange(1, 13):02d}" for _ in range(6)]
    return {"actors": actors or ["Ukraine"], "keys": keys, "countries": countries[:6] or ["USA"],
            "types": [t for t, _ in by_type[:4]] or ["CONSULT"], "articles": article_ids,
            "months": months, "years": [str(y) for y in years[-4:]], "events": s["events"]}


def _month_range(month: str) -> dict[str, str]:
    y, m = int(month[:4]), int(month[5:7])
    end = f"{y + (m == 12)}-{(m % 12) + 1:02d}-01"
    from datetime import date, timedelta

    return {"since": f"{month}-01", "until": (date.fromisoformat(end) - timedelta(days=1)).isoformat()}


def endpoints(p: dict[str, Any]) -> dict[str, list[str]]:
    """Endpoint name -> the paths to cycle through."""
    def q(path: str, **params) -> str:
        return path + "?" + urlencode(params) if params else path

    arts = [quote(a, safe="") for a in p["articles"]] or []
    keys = [quote(k, safe="") for k in p["keys"]]
    out = {
        "api summary": ["/api/summary"],
        "api events": [q("/api/events", page=n) for n in (1, 2, 3, 5, 8, 13)],
        "api events actor": [q("/api/events", actor=a) for a in p["actors"]],
        "api events country+month": [q("/api/events", country=c, **_month_range(m))
                                     for c, m in zip(p["countries"], p["months"])],
        "api events type by date": [q("/api/events", type=t, sort="date") for t in p["types"]],
        "api merged actor": [q("/api/merged-events", actor=a) for a in p["actors"]],
        "api actors": ["/api/actors", q("/api/actors", page=2)],
        "api actor": [f"/api/actors/{k}" for k in keys],
        "api article": [f"/api/articles/{a}" for a in arts],
        "api documents": ["/api/documents", q("/api/documents", page=2)],
        "api quotes speaker": [q("/api/quotes", speaker=a) for a in p["actors"]],
        "api network month": [q("/api/network", **_month_range(m)) for m in p["months"]],
        "page timeline": ["/"],
        "page timeline filtered": [q("/", actor=a, since=f"{y}-01-01", until=f"{y}-12-31")
                                   for a, y in zip(p["actors"], p["years"] * 4)],
        "page network": [q("/network", since=f"{y}-01-01", until=f"{y}-12-31") for y in p["years"]],
        "page actor": [f"/actors/{k}" for k in keys],
        "page article": [f"/articles/{a}" for a in arts],
        "page documents": ["/documents"],
        "page articles": ["/articles", q("/articles", page=2)],
    }
    return {k: v for k, v in out.items() if v}


# --------------------------------------------------------------------------- the store


def build_store(path: str, events: int, seed: int = 7, model: Optional[str] = None,
                on_progress: Optional[Callable[[int, int], None]] = None) -> dict[str, Any]:
    """A synthetic store of ``events`` events at ``path``, as `parley bench store` makes its own."""
    from ..bench_store import Synthesizer, load, template_records
    from ..store import open_store

    start = time.perf_counter()
    synth = Synthesizer(template_records(24, model=model), seed=seed)
    store = open_store(path)
    try:
        loaded = load(store, synth.records(events), add_sample=0, on_progress=on_progress)
    finally:
        store.close()
    return {"path": path, "events": loaded["events"], "articles": loaded["records"],
            "seconds": time.perf_counter() - start}


# --------------------------------------------------------------------------- the bench


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def run_serve_bench(db: Optional[str] = None, events: int = 1_000_000, requests: int = 40,
                    keep: Optional[str] = None, model: Optional[str] = None,
                    on_progress: Optional[Callable[[str, int, int], None]] = None) -> dict[str, Any]:
    """The figures of ``parley bench serve`` (see the module doc)."""
    from ..bench_store import machine
    from ..store import open_store, resolve_url

    if requests < 1:
        raise ValueError("--requests must be at least 1")
    folder = None
    built = None
    try:
        if db:
            url = resolve_url(db)
            open_store(url, create=False).close()  # a missing store is a clear error, before any work
        else:
            if events < 1:
                raise ValueError("--events must be at least 1")
            if keep and os.path.exists(keep):
                raise ValueError(f"--keep {keep}: exists already; give it as --db to reuse it, or another path")
            if not keep:
                folder = tempfile.mkdtemp(prefix="parley-bench-serve-")
            path = keep or os.path.join(folder, "serve.db")
            built = build_store(path, events, model=model,
                                on_progress=(lambda r, e: on_progress("storing events", e, events)) if on_progress else None)
            url = resolve_url(path)
        p = picks(url)
        paths = endpoints(p)
        results = []
        with Server(url) as server:
            conn = server.connection()
            total = len(paths) * requests
            done = 0
            for name, variants in paths.items():
                times, sizes, statuses, first = [], [], {}, []
                for i in range(requests):
                    path = variants[i % len(variants)]
                    try:
                        status, size, seconds = get(conn, path)
                    except (OSError, http.client.HTTPException):
                        conn.close()
                        conn = server.connection()
                        status, size, seconds = get(conn, path)
                    statuses[status] = statuses.get(status, 0) + 1
                    times.append(seconds * 1000)
                    sizes.append(size)
                    if i < len(variants):
                        first.append(seconds * 1000)
                    done += 1
                    if on_progress:
                        on_progress("requests", done, total)
                results.append({"name": name, "what": WHAT.get(name, ""), "requests": len(times),
                                "variants": len(variants), "median_ms": statistics.median(times),
                                "p95_ms": _pct(times, 0.95), "max_ms": max(times),
                                "first_ms": max(first), "kb": statistics.median(sizes) / 1000,
                                "status": {str(k): v for k, v in sorted(statuses.items())}})
            rss = server.rss_mb()
        return {"db": _shown(url), "events": p["events"], "built": built, "requests": requests,
                "endpoints": results, "server_rss_mb": rss, "machine": machine(),
                "all_median_ms": statistics.median([r["median_ms"] for r in results])}
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _shown(url: str) -> str:
    from ..store.db import _shown as shown

    return shown(url)


def render(console, result: dict[str, Any]) -> None:
    from rich.table import Table

    m = result["machine"]
    built = result.get("built")
    console.print(f"parley bench serve: {result['events']:,} events in {result['db']}"
                  + (f" (built in {built['seconds']:.0f} s)" if built else "")
                  + f" · {m['cores']} cores · {m['processor']} · Python {m['python']}", highlight=False, soft_wrap=True)
    table = Table(title=f"{result['requests']} requests per endpoint, one at a time from a second process (ms; "
                        f"first: the slowest first answer of a variant)", title_justify="left")
    for column, justify in (("endpoint", "left"), ("median", "right"), ("p95", "right"), ("max", "right"),
                            ("first", "right"), ("kB", "right"), ("status", "left")):
        table.add_column(column, justify=justify, no_wrap=True)
    for r in result["endpoints"]:
        table.add_row(r["name"], f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}", f"{r['max_ms']:.0f}",
                      f"{r['first_ms']:.0f}", f"{r['kb']:.1f}", " ".join(f"{k}×{v}" for k, v in r["status"].items()))
    console.print(table)
    rss = result.get("server_rss_mb")
    for r in result["endpoints"]:
        console.print(f"  {r['name']}: {r['what']}", highlight=False, soft_wrap=True)
    console.print(f"median of the endpoint medians: {result['all_median_ms']:.1f} ms"
                  + (f" · server RSS {rss:.0f} MB" if rss else ""), highlight=False)


if __name__ == "__main__":  # pragma: no cover - `python -m parley.serve.bench URL PORT` serves, for debugging
    serve_forever(sys.argv[1], int(sys.argv[2]))
