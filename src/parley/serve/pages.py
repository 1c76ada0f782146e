"""The web page: server-rendered (Jinja2) views over the store, with a little JavaScript.

Timeline (/), actor network (/network), actors (/actors, /actors/{key}), articles (/articles,
/articles/{id}: the text with every coded span highlighted), negotiation tracker (/documents) and
"code an article" (/code). Every asset comes from /static; templates escape everything they show.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from ..record import Record
from . import queries as Q
from .api import (MAX_TEXT, ArticleIn, EventFilters, PageNumber, actor_detail, cached, documents_page, find_article,
                  get_store)
from .highlight import highlight

HERE = Path(__file__).parent
QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
QUAD_LABELS = {"verbal_cooperation": "verbal cooperation", "material_cooperation": "material cooperation",
               "verbal_conflict": "verbal conflict", "material_conflict": "material conflict"}
TIMELINE_PAGE = 100


@lru_cache(maxsize=1)
def quad_by_type() -> dict[str, str]:
    """PLOVER event type -> its quad category (ontology/plover.yaml)."""
    from ..ontology import load_ontology

    return {name: t.quad for name, t in load_ontology().types.items()}


def quad_of(event_type: Optional[str]) -> str:
    return "q-" + quad_by_type().get(event_type or "", "none").replace("_", "-")


def _slug(text: Optional[str]) -> str:
    return "".join(c if c.isalnum() else "-" for c in (text or "none").lower())


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(HERE / "templates"))
    t.env.globals.update(quad_of=quad_of, QUADS=QUADS, QUAD_LABELS=QUAD_LABELS, slug=_slug,
                         types_by_quad=_types_by_quad())
    t.env.filters["slug"] = _slug
    return t


def _types_by_quad() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for name, quad in quad_by_type().items():
        out[quad].append(name)
    return dict(out)


def render(request: Request, template: str, /, status: int = 200, headers=None, **context) -> HTMLResponse:
    context.setdefault("nav", template.split(".")[0])
    return templates().TemplateResponse(request, template, context, status_code=status, headers=headers)


def error_page(request: Request, status: int, message: str, headers=None) -> HTMLResponse:
    return render(request, "error.html", status=status, headers=headers, status_code=status, message=message,
                  nav="")


def with_query(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = str(v)
    return request.url.path + ("?" + urlencode(params) if params else "")


def stacked(rows: list[dict]) -> dict:
    """Per-month counts by quad for a stacked bar chart: {months: [{month, total, parts}], max}."""
    months: dict[str, dict[str, int]] = {}
    for r in rows:
        quad = quad_by_type().get(r["event"], "none")
        months.setdefault(r["month"], defaultdict(int))[quad] += r["n"]
    out = []
    for month in sorted(months):
        parts = [(q, months[month][q]) for q in QUADS if months[month].get(q)]
        out.append({"month": month, "total": sum(n for _, n in parts), "parts": parts})
    return {"months": out, "max": max((m["total"] for m in out), default=0)}


def by_date(items: list[dict]) -> list[tuple[Optional[str], list[dict]]]:
    groups: list[tuple[Optional[str], list[dict]]] = []
    for item in items:
        if groups and groups[-1][0] == item["date"]:
            groups[-1][1].append(item)
        else:
            groups.append((item["date"], [item]))
    return groups


def _day(iso: Optional[str]) -> Optional[int]:
    try:
        return date.fromisoformat(iso[:10]).toordinal() if iso else None
    except ValueError:
        return None


def track(docs: list[dict]) -> dict:
    """Where each status step of each document sits on one shared time axis, in percent."""
    days = [d for doc in docs for step in doc["timeline"] for d in (_day(step["since"]), _day(step["until"]))
            if d is not None]
    if not days:
        return {"first": None, "last": None, "steps": {}}
    first, last = min(days), max(days)
    span = max(last - first, 1)
    steps = {}
    for doc in docs:
        for i, step in enumerate(doc["timeline"]):
            since, until = _day(step["since"]), _day(step["until"])
            if since is None:
                continue
            # a step lasts until the next one begins; the last one until its last report
            nxt = _day(doc["timeline"][i + 1]["since"]) if i + 1 < len(doc["timeline"]) else None
            end = nxt if nxt is not None else (until or since)
            width = max((end - since) / span * 100, 1.2)  # a one-day step still shows
            left = min((since - first) / span * 100, 100 - width)
            steps[(doc["key"], i)] = {"left": round(left, 2), "width": round(width, 2)}
    return {"first": date.fromordinal(first).isoformat(), "last": date.fromordinal(last).isoformat(), "steps": steps}


def article_context(record: Record, merged: Optional[dict] = None) -> dict:
    """What the article view needs: the highlighted text, names by actor id, the record as JSON."""
    def mentions(items) -> int:
        return sum(len(x.mentions) for x in items)

    kind_counts = [("actor", "actor mentions", mentions(record.actors)), ("event", "event triggers", len(record.events)),
                   ("quote", "quotes", len(record.quotes)), ("commitment", "commitments", len(record.commitments)),
                   ("document", "document mentions", mentions(record.documents)),
                   ("place", "places", mentions(record.places))]
    return {"record": record, "text_html": highlight(record, quad_of), "names": {a.id: a for a in record.actors},
            "record_data": record.to_dict(), "merged": merged or {}, "kind_counts": kind_counts}


def page_router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/", response_class=HTMLResponse)
    def timeline(request: Request, f: EventFilters = Depends(), page: int = PageNumber):
        store = get_store(request)
        result = Q.events_page(store, f.store_filters, f.country, sort="-date", page=page, per_page=TIMELINE_PAGE)
        months = cached(request, ("histogram", f.key()), lambda: Q.histogram(store, f.store_filters, f.country))
        summary = cached(request, ("summary",), lambda: Q.summary(store))
        facets = cached(request, ("facets",), lambda: Q.facets(store))
        pages = max(1, -(-result["total"] // TIMELINE_PAGE))
        return render(request, "timeline.html", result=result, groups=by_date(result["items"]),
                      chart=stacked(months), summary=summary, facets=facets, f=f.store_filters, country=f.country,
                      page=page, pages=pages, with_query=lambda **kw: with_query(request, **kw))

    @r.get("/network", response_class=HTMLResponse)
    def network(request: Request, f: EventFilters = Depends(),
                max_edges: int = Query(120, ge=1, le=1000)):
        store = get_store(request)
        if not f.store_filters["since"] and not f.store_filters["until"]:
            # the last year of the store unless told: the whole of a large store is one hairball
            last = cached(request, ("summary",), lambda: Q.summary(store))["last_date"]
            if last:
                until = date.fromisoformat(last)
                f.store_filters.update(since=until - timedelta(days=365), until=until)
        data = cached(request, ("network", f.key(), max_edges),
                      lambda: Q.network(store, f.store_filters, f.country, max_edges))
        facets = cached(request, ("facets",), lambda: Q.facets(store))
        quads = {e["event"]: quad_by_type().get(e["event"], "none") for e in data["edges"]}
        return render(request, "network.html", data=data, quads=quads, facets=facets, f=f.store_filters,
                      country=f.country, max_edges=max_edges)

    @r.get("/actors", response_class=HTMLResponse)
    def actors(request: Request, name: Optional[str] = Query(None, max_length=200),
               country: Optional[str] = Query(None, max_length=8)):
        rows = get_store(request).actors(name=name or None, country=country or None, limit=200)
        return render(request, "actors.html", rows=rows, name=name or "", country=country or "")

    @r.get("/actors/{key:path}", response_class=HTMLResponse)
    def actor(request: Request, key: str, page: int = PageNumber):
        detail = actor_detail(get_store(request), key, page, 50, request)
        pages = max(1, -(-detail["events"]["total"] // 50))
        return render(request, "actor.html", nav="actors", d=detail, chart=stacked(detail["months"]),
                      page=page, pages=pages, with_query=lambda **kw: with_query(request, **kw))

    @r.get("/articles", response_class=HTMLResponse)
    def articles(request: Request, page: int = PageNumber):
        result = Q.articles_page(get_store(request), page=page, per_page=50)
        pages = max(1, -(-result["total"] // 50))
        return render(request, "articles.html", result=result, page=page, pages=pages,
                      with_query=lambda **kw: with_query(request, **kw))

    @r.get("/articles/{article_id:path}", response_class=HTMLResponse)
    def article(request: Request, article_id: str):
        found = find_article(get_store(request), article_id)
        return render(request, "article.html", nav="articles", **article_context(found["record"], found["merged"]))

    @r.get("/documents", response_class=HTMLResponse)
    def documents(request: Request, name: Optional[str] = Query(None, max_length=200)):
        store = get_store(request)

        def compute() -> dict:
            result = documents_page(store, name or None, 1, 50)
            ids = sorted({s["article_id"] for d in result["items"] for step in d["timeline"] for s in step["sources"]})
            return {"docs": result["items"], "titles": Q.article_titles(store, ids), "track": track(result["items"])}

        return render(request, "documents.html", name=name or "", **cached(request, ("documents page", name), compute))

    @r.get("/code", response_class=HTMLResponse)
    def code_form(request: Request):
        return render(request, "code.html", form={}, error=None)

    @r.post("/code", response_class=HTMLResponse)
    async def code(request: Request):
        raw = await request.body()
        fields = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True).items()}
        form = {k: fields.get(k, "") for k in ("text", "published", "title", "source")}
        if not form["text"].strip():
            return render(request, "code.html", status=422, form=form, error="paste the text of an article")
        if len(form["text"]) > MAX_TEXT:
            return render(request, "code.html", status=413, form=form,
                          error=f"the text is longer than {MAX_TEXT:,} characters")
        try:
            body = ArticleIn(text=form["text"], published=form["published"] or None, title=form["title"] or None,
                             source=form["source"] or None)
        except ValidationError as exc:  # a field too long
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            return render(request, "code.html", status=422, form=form, error=problems)
        try:
            record = await run_in_threadpool(request.app.state.coder, body)
        except HTTPException as exc:  # text that cannot be read, a date that cannot be parsed
            return render(request, "code.html", status=exc.status_code, form=form, error=exc.detail)
        return render(request, "code.html", form=form, error=None, **article_context(record))

    return r
