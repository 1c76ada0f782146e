"""`parley bench store`: the store at the scale of a large corpus, and a real ingest.

Part 1, the store. N synthetic events are made from records that parley coded itself: a few
dozen articles generated from the bench paragraphs (``parley.bench.generate``: the prose of our
test fixtures) are coded once, in a child process; each synthetic article is then one of those
records under a new id, published at a random time between 2016 and 2025 (its event dates
moved with it), with its actors replaced, kind for kind, by actors drawn from the coded records
and the knowledge base (states, organisations, office-holders) with a Zipf law, so a few actors
are in many events and most in few, as in news. Its events keep their types, modes, sentences
and the shape of their dyads, and its documents (as the template article named them). One article
in four also names a document of a synthetic pool ("<place> <kind>", kinds from the document
vocabulary) at a status that advances with time, so documents have timelines.

The records are stored in a fresh database: the first ``add_sample`` through ``Store.add`` (one
transaction per record, as ``parley ingest`` does: that gives the ingest rate), the rest through
``Store.add_many`` (the same rows, 500 records per transaction), then ``Store.merge()`` once.
Then the queries a user runs most are timed through the Store API (what
``parley events`` and ``parley documents`` call), median of ``runs`` runs: one actor's year, one
dyad, one week, one document's timeline, each for a typical pick (the median of the 100 most
reported) and for the busiest one. A timeline is timed as the web page lists it (its first and
latest steps, each step's first and last reports, with their counts), and the busiest one whole.

Part 2, a real ingest (``articles`` > 0): that many generated articles, written as files, are
ingested with ``parley.ingest`` into a fresh SQLite store: articles/s, and the resident memory
of this process and its workers sampled along the way (peak, and at each tenth of the run).
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import random
import resource
import shutil
import statistics
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterator, Optional, Union

from .record import Record

FIRST_DAY = date(2016, 1, 1)
DAYS = (date(2025, 12, 31) - FIRST_DAY).days
QUERY_YEAR = 2021
QUERY_WEEK = date(2021, 6, 7)  # a Monday
DOCUMENT_SHARE = 0.25  # articles that name a document
ZIPF = 1.1
TOP = 100  # "typical" picks are the median of the TOP most reported
SHOWN_STEPS, SHOWN_SOURCES = 40, 10  # a document's timeline as the web page and the API list it


# --------------------------------------------------------------------------- templates


def _code_generated(n: int, seed: int, model: Optional[str]) -> list[str]:
    from .bench import generate
    from .read import read_text
    from .scale import code_batch

    arts = [read_text(text, fmt="plain", published="2025-12-27T07:10:00", article_id=f"template:{seed}:{i}")
            for i, text in enumerate(generate(n, seed=seed))]
    out = []
    for i in range(0, len(arts), 8):
        out.extend(r.to_json() for r in code_batch(arts[i:i + 8], model) if isinstance(r, Record))
    return out


def template_records(n: int = 24, seed: int = 11, model: Optional[str] = None, in_child: bool = True) -> list[Record]:
    """n generated articles coded by parley; in a child process, so that the spaCy pipeline does
    not sit in this process's memory while the store is measured."""
    if in_child:
        with ProcessPoolExecutor(1) as pool:
            texts = pool.submit(_code_generated, n, seed, model).result()
    else:
        texts = _code_generated(n, seed, model)
    records = [Record.model_validate_json(t) for t in texts]
    if not any(r.events for r in records):
        raise RuntimeError("the template articles gave no events: cannot make synthetic events")
    return records


# --------------------------------------------------------------------------- synthetic records


def _zipf_weights(n: int) -> list[float]:
    return [1.0 / (rank + 1) ** ZIPF for rank in range(n)]


def _document_vocabulary() -> tuple[list[str], list[str]]:
    """Kinds of documents and their statuses in order, from the document ontology (data file)."""
    from importlib import resources

    import yaml

    try:
        data = yaml.safe_load(resources.files("parley.ontology").joinpath("documents.yaml").read_text("utf-8"))
        heads = sorted({h for h in (data.get("heads") or {}) if h not in set(data.get("generic_heads") or ())
                        and h not in (data.get("needs_modifier") or {})})
        rank = [s for s in (data.get("rank") or []) if s not in ("rejected", "suspended")]
        return heads, rank
    except (FileNotFoundError, ModuleNotFoundError, AttributeError, yaml.YAMLError):
        return [], []


class Synthesizer:
    """Synthetic records from coded templates; remembers how often each actor, dyad and document came up."""

    def __init__(self, templates: list[Record], seed: int = 7):
        from .kb import load_kb
        from .merge import entity_key

        self.rng = random.Random(seed)
        self.seed = seed
        self.templates = [(r.article.id, r.to_json(), date.fromisoformat(r.article.published[:10])) for r in templates]
        kb = load_kb()
        seen_counts = Counter(entity_key(a) for r in templates for a in r.actors)
        pools: dict[str, dict[str, dict]] = {"person": {}, "state": {}, "organisation": {}}
        # the coded actors first, most frequent first: they head the Zipf law
        for r in templates:
            for a in sorted(r.actors, key=lambda a: -seen_counts[entity_key(a)]):
                if a.kind in pools:
                    pools[a.kind].setdefault(entity_key(a), {"name": a.name, "country": a.country, "sector": a.sector,
                                                              "office": a.office, "wikidata": a.wikidata})
        for kind in pools:
            pools[kind] = dict(sorted(pools[kind].items(), key=lambda kv: -seen_counts[kv[0]]))
        extra = {
            "state": [{"name": c.name, "country": c.iso3, "sector": "GOV", "office": None, "wikidata": None}
                      for c in kb.countries if c.un_status in ("member", "observer")],
            "organisation": [{"name": o.name, "country": o.code, "sector": o.sector, "office": None, "wikidata": None}
                             for o in kb.organisations],
            "person": [{"name": h.name, "country": h.country, "sector": h.sector, "office": h.office,
                        "wikidata": h.wikidata} for h in kb.officeholders],
        }
        self.pools: dict[str, list[dict]] = {}
        for kind, found in pools.items():
            names = {v["name"] for v in found.values()}
            rest = [x for x in extra[kind] if x["name"] not in names]
            self.rng.shuffle(rest)
            self.pools[kind] = list(found.values()) + rest
        self.weights = {k: _zipf_weights(len(v)) for k, v in self.pools.items()}
        self.actor_events: Counter = Counter()
        self.dyads: Counter = Counter()
        self.documents: Counter = Counter()
        heads, self.statuses = _document_vocabulary()
        places = sorted({p.name for r in templates for p in r.places})
        self.rng.shuffle(places)
        self.document_pool = [(f"{place} {head}", head, FIRST_DAY + timedelta(days=self.rng.randrange(DAYS)))
                              for place in places[:40] for head in heads[:6]] if heads and self.statuses else []
        self.rng.shuffle(self.document_pool)
        self.document_weights = _zipf_weights(len(self.document_pool))

    def record(self, i: int) -> Record:
        rng = self.rng
        old_id, text, old_day = rng.choice(self.templates)
        new_id = "sha1:" + hashlib.sha1(f"parley-bench:{self.seed}:{i}".encode()).hexdigest()[:16]
        # ids are the article id + "#...": swap the whole string and the prefix, nothing else
        d = json.loads(text.replace(f'"{old_id}"', f'"{new_id}"').replace(f'"{old_id}#', f'"{new_id}#'))
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        shift = day - old_day
        art = d["article"]
        art["published"] = f"{day.isoformat()}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00"
        art["url"] = f"https://example.org/parley-bench/{self.seed}/{i}"
        art["path"] = None
        for e in d["events"]:
            if e["date"]:
                e["date"] = (date.fromisoformat(e["date"]) + shift).isoformat()
        # actors replaced kind for kind, never two by one in the same article
        taken: set[tuple[str, int]] = set()
        names = {}
        for a in d["actors"]:
            pool = self.pools.get(a["kind"])
            if not pool:
                names[a["id"]] = a["name"]
                continue
            for _ in range(20):
                k = rng.choices(range(len(pool)), weights=self.weights[a["kind"]])[0]
                if (a["kind"], k) not in taken:
                    break
            taken.add((a["kind"], k))
            a.update(pool[k])
            names[a["id"]] = a["name"]
        for e in d["events"]:
            who = [names[x] for x in e["actor"] if x in names]
            to = [names[x] for x in e["recipient"] if x in names]
            self.actor_events.update(set(who))  # `parley events --actor` asks for the actor side
            self.dyads.update((x, y) for x in who for y in to if x != y)
        # a unique last line: every article has its own text (the store keys on its hash), and the
        # document mention points into it
        trailer = f"(parley bench: synthetic article {i}"
        if self.document_pool and rng.random() < DOCUMENT_SHARE:
            name, kind, start = rng.choices(self.document_pool, weights=self.document_weights)[0]
            step = max(0, (day - start).days // 120)  # a status every four months from its first day
            status = self.statuses[min(step, len(self.statuses) - 1)] if day >= start else self.statuses[0]
            trailer += " on the "
            offset = len(art["text"]) + 1 + len(trailer)
            trailer += name + ".)"
            parties = [a["id"] for a in d["actors"][:2]]
            d["documents"].append({"id": f"{new_id}#d{offset}", "name": name, "aliases": [], "kind": kind,
                                   "parties": parties, "status": status,
                                   "mentions": [{"start": offset, "end": offset + len(name), "text": name}]})
        else:
            trailer += ".)"
        art["text"] += "\n" + trailer
        self.documents.update({doc["name"] for doc in d["documents"]})
        return Record.model_validate(d)

    def records(self, n_events: int) -> Iterator[Record]:
        """Records until they hold at least n_events events."""
        made = i = 0
        while made < n_events:
            r = self.record(i)
            made += len(r.events)
            i += 1
            yield r

    def picks(self) -> dict[str, dict[str, Any]]:
        """What to query: a typical and the busiest actor, dyad and document."""
        def two(counter: Counter) -> dict[str, Any]:
            top = counter.most_common(TOP)
            if not top:
                return {}
            return {"typical": top[len(top) // 2][0], "busiest": top[0][0]}
        return {"actor": two(self.actor_events), "dyad": two(self.dyads), "document": two(self.documents)}


# --------------------------------------------------------------------------- loading


def _rss_mb(with_children: bool = False) -> float:
    import psutil

    proc = psutil.Process()
    total = proc.memory_info().rss
    if with_children:
        for child in proc.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
    return total / 1e6


def load(store, records: Iterator[Record], add_sample: int = 1000, batch: int = 500,
         on_progress: Optional[Callable[[int, int], None]] = None) -> dict[str, Any]:
    """Store the records: ``add_sample`` through Store.add, the rest through Store.add_many; then merge."""
    n_records = n_events = 0
    peak = _rss_mb()
    add_seconds = bulk_seconds = 0.0
    added = 0
    buffer: list[Record] = []
    for record in records:
        n_records += 1
        n_events += len(record.events)
        if added < add_sample:
            start = time.perf_counter()
            store.add(record, merge=False)
            add_seconds += time.perf_counter() - start
            added += 1
        else:
            buffer.append(record)
            if len(buffer) >= batch:
                start = time.perf_counter()
                store.add_many(buffer, merge=False)
                bulk_seconds += time.perf_counter() - start
                buffer.clear()
                peak = max(peak, _rss_mb())
                if on_progress:
                    on_progress(n_records, n_events)
    if buffer:
        start = time.perf_counter()
        store.add_many(buffer, merge=False)
        bulk_seconds += time.perf_counter() - start
    peak = max(peak, _rss_mb())
    start = time.perf_counter()
    merged = store.merge()
    merge_seconds = time.perf_counter() - start
    peak = max(peak, _rss_mb())
    bulk = n_records - added
    return {
        "records": n_records, "events": n_events,
        "add_records": added, "add_seconds": add_seconds,
        "add_records_per_s": added / add_seconds if add_seconds else None,
        "bulk_records": bulk, "bulk_seconds": bulk_seconds,
        "bulk_records_per_s": bulk / bulk_seconds if bulk_seconds else None,
        "merge_seconds": merge_seconds, "merged": merged, "peak_rss_mb": peak,
    }


# --------------------------------------------------------------------------- queries


def queries(picks: dict[str, dict[str, Any]]) -> list[tuple[str, str, Callable]]:
    """(name, what, store -> rows) for the queries a user runs most."""
    out = []
    year = (date(QUERY_YEAR, 1, 1), date(QUERY_YEAR, 12, 31))
    for which in ("typical", "busiest"):
        actor = picks["actor"].get(which)
        if actor:
            out.append((f"actor_year_{which}", f"{actor}, {QUERY_YEAR}",
                        lambda s, a=actor: s.events(actor=a, since=year[0], until=year[1])))
    for which in ("typical", "busiest"):
        dyad = picks["dyad"].get(which)
        if dyad:
            out.append((f"dyad_{which}", f"{dyad[0]} → {dyad[1]}",
                        lambda s, d=dyad: s.events(actor=d[0], recipient=d[1])))
    week_end = QUERY_WEEK + timedelta(days=6)
    out.append(("week", f"{QUERY_WEEK} – {week_end}", lambda s: s.events(since=QUERY_WEEK, until=week_end)))
    for which in ("typical", "busiest"):
        doc = picks["document"].get(which)
        if doc:  # as `parley serve` lists it: the first and latest steps, a step's first and last reports
            out.append((f"document_{which}", doc,
                        lambda s, n=doc: s.documents(n, steps=SHOWN_STEPS, sources=SHOWN_SOURCES)))
    doc = picks["document"].get("busiest")
    if doc:  # and every step with every report
        out.append(("document_busiest_all", doc, lambda s, n=doc: s.documents(n)))
    return out


def time_queries(store, picks: dict[str, dict[str, Any]], runs: int = 5) -> dict[str, dict[str, Any]]:
    results = {}
    for name, what, run in queries(picks):
        times, rows = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            found = run(store)
            times.append((time.perf_counter() - start) * 1000)
            rows = len(found)
        extra = {}
        if name.startswith("document"):  # rows: the reports listed; of how many articles, in how many steps
            rows = sum(len(step["sources"]) for d in found for step in d.get("timeline", []))
            extra = {"articles": sum(d["n_sources"] for d in found), "steps": sum(len(d["timeline"]) for d in found),
                     "n_steps": sum(d.get("n_steps") or 0 for d in found)}
        results[name] = {"what": what, "median_ms": statistics.median(times), "min_ms": min(times),
                         "max_ms": max(times), "rows": rows, "runs": runs, **extra}
    return results


def query_plans(store, picks) -> dict[str, list[str]]:
    """SQLite's EXPLAIN QUERY PLAN of the raw SQL each query sends (to see which indexes serve it)."""
    if store.dialect != "sqlite":
        return {}
    plans: dict[str, list[str]] = {}
    for name, _, run in queries(picks):
        statements: list[tuple[str, Any]] = []

        def grab(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append((statement, parameters))

        from sqlalchemy import event

        event.listen(store.engine, "before_cursor_execute", grab)
        try:
            run(store)
        finally:
            event.remove(store.engine, "before_cursor_execute", grab)
        lines = []
        raw = store.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement, parameters in statements[:3]:  # the main query and its first look-ups
                for row in cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters):
                    lines.append(str(row[-1]))
                lines.append("--")
        finally:
            raw.close()
        plans[name] = lines
    return plans


# --------------------------------------------------------------------------- databases


class _Scratch:
    """A fresh database for the benchmark: a SQLite file in a temporary folder, or a new
    database on the PostgreSQL server of ``url`` (created and dropped here)."""

    def __init__(self, url: Optional[str]):
        self.url, self.folder, self.admin, self.name = url, None, None, None

    def __enter__(self) -> str:
        if self.url is None or "://" not in self.url or self.url.startswith("sqlite"):
            self.folder = tempfile.mkdtemp(prefix="parley-bench-")
            return os.path.join(self.folder, "bench.db")
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        from .store import StoreError, resolve_url

        target = make_url(resolve_url(self.url))
        self.name = f"parley_bench_{os.getpid()}_{int(time.time())}"
        self.admin = create_engine(target, isolation_level="AUTOCOMMIT")
        try:
            with self.admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        except Exception as exc:
            self.admin.dispose()
            reason = " ".join(str(getattr(exc, "orig", exc)).split())
            raise StoreError(f"{_shown(self.url)}: cannot create a scratch database for "
                             f"the benchmark ({reason}); the user needs the CREATEDB right") from None
        return target.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc) -> None:
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
        if self.admin is not None:
            from sqlalchemy import text

            with self.admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self.admin.dispose()


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _check_server(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from .store import StoreError, resolve_url

    target = make_url(resolve_url(url))
    engine = create_engine(target, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        reason = " ".join(str(getattr(exc, "orig", exc)).split())
        raise StoreError(f"{_shown(url)}: cannot connect ({reason})") from None
    finally:
        engine.dispose()


def _db_size_mb(store) -> Optional[float]:
    from sqlalchemy import text

    try:
        with store.engine.connect() as conn:
            if store.dialect == "sqlite":
                pages = conn.execute(text("PRAGMA page_count")).scalar()
                size = conn.execute(text("PRAGMA page_size")).scalar()
                return pages * size / 1e6
            if store.dialect == "postgresql":
                return conn.execute(text("SELECT pg_database_size(current_database())")).scalar() / 1e6
    except Exception:
        return None
    return None


def bench_backend(url: Optional[str], templates: list[Record], n: int, runs: int, add_sample: int,
                  seed: int, on_progress=None) -> dict[str, Any]:
    from .store import open_store

    with _Scratch(url) as scratch:
        synth = Synthesizer(templates, seed=seed)
        store = open_store(scratch)
        try:
            loaded = load(store, synth.records(n), add_sample=add_sample, on_progress=on_progress)
            picks = synth.picks()
            result = {"backend": store.dialect, "load": loaded, "db_size_mb": _db_size_mb(store),
                      "queries": time_queries(store, picks, runs=runs), "plans": query_plans(store, picks)}
            result["peak_rss_mb"] = max(loaded["peak_rss_mb"], _rss_mb())
            return result
        finally:
            store.close()


# --------------------------------------------------------------------------- a real ingest


INGEST_LAST_DAY = date(2025, 12, 27)


def bench_ingest(n_articles: int, workers: int = 1, seed: int = 23, model: Optional[str] = None,
                 on_progress=None, days: int = 0) -> dict[str, Any]:
    """Ingest n generated articles (one file each) into a fresh SQLite store with parley.ingest.

    ``days`` 0: plain text files, all published on 2025-12-27 (every report then dates its events
    to the same few days, so the same few hundred events gather thousands of reports each: the
    worst case for merging). ``days`` N: one JSON Lines file each, published over the N days up
    to 2025-12-27, as a news feed is, so the dates of the events spread too."""
    from .bench import generate
    from .ingest import ingest
    from .store import open_store

    folder = tempfile.mkdtemp(prefix="parley-bench-ingest-")
    try:
        corpus = os.path.join(folder, "corpus")
        os.makedirs(corpus)
        for i, text in enumerate(generate(n_articles, seed=seed)):
            if days:
                day = INGEST_LAST_DAY - timedelta(days=days - 1 - i * days // n_articles)
                with open(os.path.join(corpus, f"{i:06d}.jsonl"), "w", encoding="utf-8") as f:
                    f.write(json.dumps({"text": text, "published": f"{day.isoformat()}T07:10:00"}) + "\n")
            else:
                with open(os.path.join(corpus, f"{i:06d}.txt"), "w", encoding="utf-8") as f:
                    f.write(text + "\n")
        samples: list[tuple[int, float]] = []
        every = max(1, n_articles // 100)

        def sample(kind, path, outcome, stats) -> None:
            if stats.read % every == 0 or stats.read == n_articles:
                samples.append((stats.read, _rss_mb(with_children=True), _rss_mb()))
                if on_progress:
                    on_progress(stats.read, n_articles)

        store = open_store(os.path.join(folder, "ingest.db"))
        try:
            start = time.perf_counter()
            stats = ingest([corpus], store, workers=workers, published="2025-12-27T07:10:00", model=model,
                           on_item=sample)
            seconds = time.perf_counter() - start
        finally:
            store.close()
        last = len(samples) - 1
        tenths = [samples[min(last, max(0, round(len(samples) * k / 10) - 1))] for k in range(1, 11)] if samples else []
        return {"articles": n_articles, "workers": workers, "days": days, "stored": stats.stored, "failed": stats.failed,
                "events": stats.events, "seconds": seconds, "articles_per_s": n_articles / seconds,
                "peak_rss_mb": max([m for _, m, _ in samples] + [_rss_mb(True)]),
                # rss_mb: this process and its workers; main_mb: this process (the writer, and the
                # Dask scheduler when workers > 1)
                "rss_mb_by_tenth": [{"articles": a, "rss_mb": round(m, 1), "main_mb": round(x, 1)}
                                    for a, m, x in dict.fromkeys(tenths)]}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- the whole bench


def machine() -> dict[str, Any]:
    processor = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            processor = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), processor)
    except OSError:
        pass
    return {"cores": os.cpu_count(), "processor": processor, "platform": platform.platform(),
            "python": platform.python_version()}


def run_store_bench(n: int = 1_000_000, db: Optional[str] = None, runs: int = 5, add_sample: int = 1000,
                    articles: int = 0, workers: int = 1, templates: Union[int, list[Record]] = 24, seed: int = 7,
                    model: Optional[str] = None, on_progress=None, ingest_days: int = 0) -> dict[str, Any]:
    """The figures of ``parley bench store`` (see the module doc). ``templates``: how many generated
    articles to code for the synthetic events, or coded Records to use instead; ``ingest_days``:
    see :func:`bench_ingest`."""
    if n < 1:
        raise ValueError("--n must be at least 1")
    if db and not db.startswith(("postgresql://", "postgres://", "postgresql+")):
        raise ValueError(f"--db {db}: bench store always measures a fresh SQLite file; --db adds a PostgreSQL "
                         f"server (postgresql://USER@HOST/DB)")
    if db:
        _check_server(db)  # before minutes of work
    start = time.perf_counter()
    coded = templates if isinstance(templates, list) else template_records(templates, model=model)
    result: dict[str, Any] = {
        "events": n, "templates": {"articles": len(coded), "events": sum(len(r.events) for r in coded),
                                   "seconds": time.perf_counter() - start},
        "runs": runs, "backends": [], "machine": machine(),
    }
    result["backends"].append(bench_backend(None, coded, n, runs, add_sample, seed, on_progress))
    if db:
        result["backends"].append(bench_backend(db, coded, n, runs, add_sample, seed, on_progress))
    if articles:
        result["ingest"] = bench_ingest(articles, workers=workers, model=model, days=ingest_days)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def render(console, result: dict[str, Any]) -> None:
    from rich.table import Table

    m = result["machine"]
    console.print(f"parley bench store: {result['events']:,} synthetic events · {m['cores']} cores · {m['processor']} · "
                  f"Python {m['python']}", highlight=False, soft_wrap=True)
    backends = result["backends"]
    table = Table(title="queries (ms, median of %d runs; rows returned)" % result["runs"], title_justify="left")
    table.add_column("query")
    table.add_column("what", overflow="fold")
    for b in backends:
        table.add_column(b["backend"], justify="right")
    names = list(backends[0]["queries"])
    for name in names:
        row = [name, backends[0]["queries"][name]["what"]]
        for b in backends:
            q = b["queries"].get(name)
            row.append(f"{q['median_ms']:.1f} ({q['rows']})" if q else "—")
        table.add_row(*row)
    console.print(table)
    load_table = Table(title="loading", title_justify="left")
    for col in ("", "records", "events", "Store.add rec/s", "bulk rec/s", "merge s", "DB MB", "peak RSS MB"):
        load_table.add_column(col, justify="right")
    for b in backends:
        ld = b["load"]
        load_table.add_row(b["backend"], f"{ld['records']:,}", f"{ld['events']:,}",
                           f"{ld['add_records_per_s']:.0f}" if ld["add_records_per_s"] else "—",
                           f"{ld['bulk_records_per_s']:.0f}" if ld["bulk_records_per_s"] else "—",
                           f"{ld['merge_seconds']:.1f}", f"{b['db_size_mb']:.0f}" if b["db_size_mb"] else "—",
                           f"{b['peak_rss_mb']:.0f}")
    console.print(load_table)
    ing = result.get("ingest")
    if ing:
        console.print(f"ingest of {ing['articles']:,} generated articles ({ing['workers']} worker(s)): "
                      f"{ing['articles_per_s']:.2f} articles/s, {ing['events']:,} events, peak RSS "
                      f"{ing['peak_rss_mb']:.0f} MB (this process and its workers); RSS by tenth: "
                      + ", ".join(f"{x['rss_mb']:.0f}" for x in ing["rss_mb_by_tenth"]), highlight=False, soft_wrap=True)
