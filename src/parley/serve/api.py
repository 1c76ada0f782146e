"""The REST API and the web page over a parley store: ``create_app(db_url)`` gives the FastAPI app.

    from parley.serve import create_app
    app = create_app("parley.db")           # uvicorn.run(app) — or `parley serve --db parley.db`

JSON under ``/api`` (OpenAPI at ``/docs`` and ``/openapi.json``), pages elsewhere (see pages.py).
Reads need nothing; ``POST /api/articles`` (ingest) needs ``Authorization: Bearer $PARLEY_TOKEN``
and is refused (403) when the server was started without a token. ``POST /api/code`` codes an
article and returns its record without storing it. Request bodies and page sizes are limited;
every error is JSON ``{"message": ...}`` (an HTML page for the web pages), never a traceback.
"""
from __future__ import annotations

import hmac
import logging
import os
import threading
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Literal, Optional

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..record import Record
from ..store import Store, StoreError, open_store
from . import queries as Q
from .middleware import BodyLimit, EmptyQuery, SecurityHeaders

log = logging.getLogger("parley.serve")

HERE = Path(__file__).parent
MAX_BODY = 2_000_000  # bytes of one request body; an article's text is far smaller
MAX_TEXT = 1_000_000  # characters of an article to code or ingest
MAX_PAGE = 500  # items per page
MAX_PAGE_NUMBER = 2_000
MAX_WINDOW = 10_000  # items reachable by paging where the store reads from the start
TEXT_FILTER = 200  # characters of a free-text filter
STEP_SOURCES = 10  # reports listed per status step of a document
MAX_STEPS = 40  # status steps listed per document
MAX_PARTIES = 12  # parties listed per document, the most often named first


# --------------------------------------------------------------------------- models


class Message(BaseModel):
    message: str = Field(description="what went wrong, in a sentence")


class ValidationMessage(Message):
    errors: list[dict[str, Any]] = []


class Side(BaseModel):
    name: str
    country: Optional[str] = None
    entity: Optional[str] = Field(None, description="entity key: see /api/actors/{key}")


class EventOut(BaseModel):
    id: str
    article_id: str
    date: Optional[str] = None
    date_text: Optional[str] = None
    event: str
    mode: Optional[str] = None
    context: Optional[list[str]] = None
    cameo: Optional[str] = None
    planned: bool
    negated: bool
    place: Optional[str] = None
    place_country: Optional[str] = None
    event_text: str
    sentence: Optional[str] = None
    merged_id: Optional[str] = None
    quote_id: Optional[str] = None
    trigger_start: int
    trigger_end: int
    source: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    actors: list[Side]
    recipients: list[Side]


class EventPage(BaseModel):
    total: int
    page: int
    per_page: int
    items: list[EventOut]


class Report(BaseModel):
    event_id: str
    article_id: str
    source: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None
    date: Optional[str] = None
    event_text: Optional[str] = None
    sentence: Optional[str] = None


class MergedEventOut(BaseModel):
    id: str
    group_key: str
    event: str
    mode: Optional[str] = None
    planned: bool
    negated: bool
    date: Optional[str] = None
    date_min: Optional[str] = None
    date_max: Optional[str] = None
    place: Optional[str] = None
    place_country: Optional[str] = None
    actors: list[Side]
    recipients: list[Side]
    n_sources: int
    n_events: int
    first_report: Optional[str] = None
    last_report: Optional[str] = None
    realised_by: Optional[str] = Field(None, description="for a planned event: the merged event that took place")
    planned_as: list[str] = Field([], description="planned events this one realised")
    sources: list[Report] = []


class MergedEventPage(BaseModel):
    page: int
    per_page: int
    items: list[MergedEventOut]


class ActorOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    key: str
    name: str
    kind: Optional[str] = None
    country: Optional[str] = None
    sector: Optional[str] = None
    office: Optional[str] = None
    wikidata: Optional[str] = None
    names: Optional[list[str]] = None
    n_articles: int
    n_mentions: int
    first_seen: Optional[str] = None
    last_seen: Optional[str] = None


class ActorPage(BaseModel):
    page: int
    per_page: int
    items: list[ActorOut]


class ActorEvent(EventOut):
    role: Optional[str] = Field(None, description="the actor's side: actor or recipient")


class ActorEventPage(EventPage):
    items: list[ActorEvent]


class ActorDetail(BaseModel):
    actor: ActorOut
    events: ActorEventPage
    months: list[dict[str, Any]] = Field(description="events per month and type: {month, event, n}")
    quotes: list[dict[str, Any]]
    commitments: list[dict[str, Any]]


class ArticleSummary(BaseModel):
    id: str
    title: Optional[str] = None
    source: Optional[str] = None
    published: Optional[str] = None
    url: Optional[str] = None
    n_actors: int
    n_events: int


class ArticlePage(BaseModel):
    total: int
    page: int
    per_page: int
    items: list[ArticleSummary]


class ArticleOut(BaseModel):
    record: Record
    merged: dict[str, dict[str, Any]] = Field(description="event id -> its merged event (merged_id, n_sources, realised_by)")


class DocumentOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    key: str
    name: str
    aliases: Optional[list[str]] = None
    kind: Optional[str] = None
    status: Optional[str] = None
    n_sources: int
    first_report: Optional[str] = None
    last_report: Optional[str] = None
    timeline: list[dict[str, Any]] = Field(description="status steps: {status, since, until, n_sources, sources: "
                                                       "[the first and last five reports]}; at most 40 steps")
    n_steps: int = Field(0, description="steps in all (the timeline lists the first 10 and the last 30)")
    parties: list[Side] = []


class DocumentPage(BaseModel):
    page: int
    per_page: int
    items: list[DocumentOut]


class QuoteOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    article_id: str
    text: str
    kind: Optional[str] = None
    cue: Optional[str] = None
    speaker_entity: Optional[str] = None
    speaker: Optional[str] = None
    speaker_country: Optional[str] = None
    source: Optional[str] = None
    title: Optional[str] = None
    published: Optional[str] = None


class QuotePage(BaseModel):
    page: int
    per_page: int
    items: list[QuoteOut]


class Summary(BaseModel):
    articles: int
    events: int
    merged_events: int
    actors: int
    quotes: int
    commitments: int
    documents: int
    planned_events: int
    events_by_type: dict[str, int]
    first_date: Optional[str] = None
    last_date: Optional[str] = None


class Network(BaseModel):
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the article: wire layout, plain text or HTML")
    published: Optional[str] = Field(None, max_length=40, description="publication time if the text carries none, "
                                                                      "e.g. 2025-12-27 or 2025-12-27T07:10:00")
    title: Optional[str] = Field(None, max_length=1000)
    source: Optional[str] = Field(None, max_length=200)
    url: Optional[str] = Field(None, max_length=2000)
    format: Optional[Literal["wire", "plain", "html"]] = Field(None, description="default: detected from the text")


class Stored(BaseModel):
    stored: bool = Field(description="false when the article was already in the store")
    id: str
    events: int


# --------------------------------------------------------------------------- parameters


def _text(description: str):
    return Query(None, max_length=TEXT_FILTER, description=description)


def _event_types() -> list[str]:
    from ..ontology import load_ontology

    return sorted(load_ontology().types)


# the 16 PLOVER types, so that /docs offers them and anything else is a 422
EventType = Enum("EventType", {t: t for t in _event_types()}, type=str)


class EventFilters:
    """The filters of `parley events`, shared by the event, merged-event, network and page routes."""

    def __init__(
        self,
        actor: Optional[str] = _text("a name or part of one ('Zelensky'), or a country or IGO code ('UKR', 'NATO')"),
        recipient: Optional[str] = _text("as actor, for the recipient side"),
        type: Optional[EventType] = Query(None, description="a PLOVER event type"),
        mode: Optional[str] = Query(None, max_length=40, pattern=r"^[A-Za-z -]*$",
                                    description="a PLOVER mode (phone, visit, third-party ...)"),
        since: Optional[date] = Query(None, description="first event date, YYYY-MM-DD (inclusive)"),
        until: Optional[date] = Query(None, description="last event date, YYYY-MM-DD (inclusive)"),
        place: Optional[str] = _text("a place name, or a country code"),
        planned: Optional[bool] = Query(None, description="true: planned events only; false: the others"),
        document: Optional[str] = _text("events that concern a document of this name"),
        country: Optional[str] = Query(None, max_length=8, pattern=r"^[A-Za-z]*$",
                                       description="an actor or recipient of this country or IGO code (either side)"),
    ):
        self.store_filters = {"actor": actor or None, "recipient": recipient or None,
                              "type": type.value if type else None, "mode": mode or None, "since": since,
                              "until": until, "place": place or None, "planned": planned, "document": document or None}
        self.country = (country or "").strip().upper() or None

    def key(self) -> tuple:
        return tuple(sorted((k, str(v)) for k, v in self.store_filters.items())) + (("country", self.country),)


def _page(default: int = 50):
    return Query(default, ge=1, le=MAX_PAGE, description=f"items per page (at most {MAX_PAGE})")


PageNumber = Query(1, ge=1, le=MAX_PAGE_NUMBER, description="page number, from 1")


# --------------------------------------------------------------------------- the app


class Coder:
    """The spaCy pipeline, loaded at the first article to code, one article at a time."""

    def __init__(self, model: Optional[str] = None):
        self.model = model
        self.lock = threading.Lock()

    def __call__(self, body: ArticleIn) -> Record:
        from ..extract.pipeline import code_article
        from ..nlp import load
        from ..read import ReadError, read_text

        try:
            article = read_text(body.text, fmt=body.format, published=body.published or None, source=body.source,
                                title=body.title, url=body.url)
        except ReadError as exc:  # "--published: ..." is the CLI's name for the field
            where = "published" if exc.path == "--published" else "text"
            raise HTTPException(422, f"{where}: {exc.reason}") from None
        with self.lock:  # one pipeline per process, not shared by two threads at once
            return code_article(article, load(self.model))


def create_app(db_url: Optional[str] = None, token: Optional[str] = None, model: Optional[str] = None,
               store: Optional[Store] = None) -> FastAPI:
    """The FastAPI app over the store at ``db_url`` (default: ``$PARLEY_DB`` or ``parley.db``).

    ``token`` (default ``$PARLEY_TOKEN``) allows writes; without one the server is read-only.
    The store must exist (``parley ingest`` makes it): StoreError otherwise.
    """
    store = store or open_store(db_url, create=False)
    token = token if token is not None else (os.environ.get("PARLEY_TOKEN") or None)
    app = FastAPI(
        title="parley", version=__version__,
        description="The diplomatic record of news articles: PLOVER events, actors, quotes, commitments and "
                    "documents, each with its offsets into the article text.",
        docs_url=None, redoc_url=None,  # /docs is served below with the vendored Swagger UI (no CDN)
    )
    app.state.store = store
    app.state.token = token
    app.state.cache = Q.Cache()
    app.state.coder = Coder(model)
    app.add_middleware(EmptyQuery)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _errors(app)
    app.include_router(api_router(), prefix="/api")

    from .pages import page_router

    app.include_router(page_router())

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(HERE / "templates" / "docs.html", media_type="text/html")

    return app


def cached(request: Request, key: tuple, compute):
    """An aggregate, recomputed only when the store's articles change."""
    state = request.app.state
    return state.cache.get(Q.data_version(state.store), key, compute)


def get_store(request: Request) -> Store:
    return request.app.state.store


# --------------------------------------------------------------------------- errors


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api") or path.startswith("/openapi") or "application/json" in request.headers.get("accept", "")


def _error(request: Request, status: int, message: str, headers=None, **extra) -> Any:
    if _is_api(request):
        return JSONResponse({"message": message, **extra}, status_code=status, headers=headers)
    from .pages import error_page

    return error_page(request, status, message, headers=headers)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = f"nothing at {request.url.path}"
        elif exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            message = "the body is not readable JSON (UTF-8 text is expected)"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return _error(request, exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = [{"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "invalid")}
                  for e in exc.errors()]
        message = "; ".join(f"{e['where']}: {e['problem']}" for e in errors[:5]) or "invalid request"
        return _error(request, 422, message, errors=errors)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        log.error("store error on %s: %s", request.url.path, exc)
        return _error(request, 503, str(exc))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception):
        log.exception("error on %s %s", request.method, request.url.path)
        return _error(request, 500, f"internal error ({type(exc).__name__}); the server log has the details")


# --------------------------------------------------------------------------- JSON routes

_ERRORS = {422: {"model": ValidationMessage, "description": "a parameter or the body is invalid"},
           503: {"model": Message, "description": "the database cannot be read"}}


def api_router() -> APIRouter:
    r = APIRouter(tags=["read"], responses=_ERRORS)
    bearer = HTTPBearer(auto_error=False, description="the token given to the server in PARLEY_TOKEN")

    @r.get("/summary", response_model=Summary, summary="Counts of what the store holds")
    def summary(request: Request):
        return cached(request, ("summary",), lambda: Q.summary(get_store(request)))

    @r.get("/events", response_model=EventPage, summary="Events as each article reported them")
    def events(request: Request, f: EventFilters = Depends(),
               sort: Literal[Q.SORTS] = Query("-date", description="date, -date (newest first), published, "
                                                                     "-published or type"),
               page: int = PageNumber, per_page: int = _page()):
        return Q.events_page(get_store(request), f.store_filters, f.country, sort=sort, page=page, per_page=per_page)

    @r.get("/merged-events", response_model=MergedEventPage,
           summary="Merged events (one per real-world event), each with the reports behind it")
    def merged_events(request: Request, f: EventFilters = Depends(),
                      min_sources: int = Query(1, ge=1, le=1000, description="at least this many sources"),
                      page: int = PageNumber, per_page: int = _page()):
        if f.country:
            raise HTTPException(422, "country: not available for merged events; use actor or recipient")
        store = get_store(request)
        rows = store.merged_events(**f.store_filters, min_sources=min_sources, limit=_window(page, per_page),
                                   sources=False)[(page - 1) * per_page:]
        with store._tx("read the reports of merged events") as conn:
            reports = store._reports(conn, [row["id"] for row in rows])
        for row in rows:
            row["sources"] = reports.get(row["id"], [])
        return {"page": page, "per_page": per_page, "items": rows}

    @r.get("/actors", response_model=ActorPage, summary="Actors merged across articles, the most reported first")
    def actors(request: Request, name: Optional[str] = _text("a name or part of one, or a country code"),
               country: Optional[str] = Query(None, max_length=8), kind: Optional[Literal["person", "state", "organisation"]] = None,
               page: int = PageNumber, per_page: int = _page()):
        rows = get_store(request).actors(name=name or None, country=country or None, kind=kind,
                                         limit=_window(page, per_page))
        return {"page": page, "per_page": per_page, "items": rows[(page - 1) * per_page:]}

    @r.get("/actors/{key:path}", response_model=ActorDetail,
           summary="One actor: its events (either side), events per month, quotes and commitments",
           responses={404: {"model": Message}})
    def actor(request: Request, key: str, page: int = PageNumber, per_page: int = _page()):
        return actor_detail(get_store(request), key, page, per_page, request)

    @r.get("/articles", response_model=ArticlePage, summary="Stored articles, newest first")
    def articles(request: Request, source: Optional[str] = _text("the source (agency) exactly"),
                 since: Optional[date] = Query(None, description="published on or after (YYYY-MM-DD)"),
                 until: Optional[date] = Query(None, description="published on or before (YYYY-MM-DD)"),
                 page: int = PageNumber, per_page: int = _page()):
        return Q.articles_page(get_store(request), source or None, since, until, page, per_page)

    @r.get("/articles/{article_id:path}", response_model=ArticleOut,
           summary="One article: its full record, and the merged event of each of its events",
           responses={404: {"model": Message}})
    def article(request: Request, article_id: str):
        return find_article(get_store(request), article_id)

    @r.get("/documents", response_model=DocumentPage,
           summary="Documents and plans merged across articles, each with its status timeline and parties")
    def documents(request: Request, name: Optional[str] = _text("a name or part of one"),
                  page: int = PageNumber, per_page: int = _page()):
        return cached(request, ("documents", name, page, per_page),
                      lambda: documents_page(get_store(request), name or None, page, per_page))

    @r.get("/quotes", response_model=QuotePage, summary="Quotes with their speaker, newest article first")
    def quotes(request: Request, speaker: Optional[str] = _text("a speaker's name or part of one, or a country code"),
               article: Optional[str] = _text("an article id"), page: int = PageNumber, per_page: int = _page()):
        rows = get_store(request).quotes(speaker=speaker or None, article=article or None,
                                         limit=_window(page, per_page))
        return {"page": page, "per_page": per_page, "items": rows[(page - 1) * per_page:]}

    @r.get("/network", response_model=Network,
           summary="Actors as nodes, actor -> recipient interactions as edges weighted by count, per type")
    def network(request: Request, f: EventFilters = Depends(),
                max_edges: int = Query(150, ge=1, le=1000, description="the heaviest edges kept")):
        return cached(request, ("network", f.key(), max_edges),
                      lambda: Q.network(get_store(request), f.store_filters, f.country, max_edges))

    w = APIRouter(tags=["code and write"], responses={
        400: {"model": Message, "description": "the body is not readable JSON"},
        413: {"model": Message, "description": f"the body is larger than {MAX_BODY:,} bytes"},
        422: _ERRORS[422]})

    @w.post("/code", response_model=Record, summary="Code an article and return its record (nothing is stored)")
    def code(request: Request, body: ArticleIn):
        return request.app.state.coder(body)

    @w.post("/articles", response_model=Stored, status_code=201,
            summary="Code an article and store it (needs the bearer token of PARLEY_TOKEN)",
            responses={200: {"model": Stored, "description": "already stored"},
                       401: {"model": Message}, 403: {"model": Message, "description": "the server is read-only"}})
    def ingest(request: Request, body: ArticleIn,
               credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)):
        check_token(request, credentials)
        store = get_store(request)
        record = request.app.state.coder(body)
        if not store.add(record):
            stored_as = store.stored_as(record) or record.article.id
            return JSONResponse({"stored": False, "id": stored_as, "events": len(record.events)}, status_code=200)
        return {"stored": True, "id": record.article.id, "events": len(record.events)}

    r.include_router(w)
    return r


def _window(page: int, per_page: int) -> int:
    """Rows to read for a page of a list the store gives from its start (no offset)."""
    if page * per_page > MAX_WINDOW:
        raise HTTPException(422, f"page: at most {MAX_WINDOW} items can be paged through here "
                                 f"(page x per_page); narrow the filters instead")
    return page * per_page


def check_token(request: Request, credentials: Optional[HTTPAuthorizationCredentials]) -> None:
    token = request.app.state.token
    if not token:
        raise HTTPException(403, "this server is read-only: start it with PARLEY_TOKEN set to allow writes")
    given = credentials.credentials if credentials else ""
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        raise HTTPException(401, "a valid bearer token is needed to write (Authorization: Bearer TOKEN)",
                            headers={"WWW-Authenticate": "Bearer"})


def find_article(store: Store, article_id: str) -> dict:
    """An article's record and merges, by its id (or a unique prefix, or its URL); 404 if none."""
    try:
        return store.article(article_id)
    except StoreError as exc:
        if "no article" in str(exc) or "names" in str(exc):
            raise HTTPException(404, str(exc)) from None
        raise


def actor_detail(store: Store, key: str, page: int = 1, per_page: int = 50, request: Optional[Request] = None) -> dict:
    actor = Q.entity(store, key)
    if actor is None:
        raise HTTPException(404, f"no actor {key!r} (see /api/actors for keys)")
    months = cached(request, ("months", key), lambda: Q.actor_months(store, key)) if request \
        else Q.actor_months(store, key)
    return {"actor": actor, "events": Q.actor_events(store, key, page, per_page, actor.get("n_events")),
            "months": months,
            "quotes": Q.actor_quotes(store, key), "commitments": Q.actor_commitments(store, key)}


def documents_page(store: Store, name: Optional[str], page: int, per_page: int) -> dict:
    """Documents with their parties. Long histories are cut for the page and the answer: at most
    MAX_STEPS steps (the first and the latest; ``n_steps`` says how many), each listing its first and
    last STEP_SOURCES // 2 reports (``n_sources`` per step says how many)."""
    rows = store.documents(name=name, limit=_window(page, per_page), sources=STEP_SOURCES,
                           steps=MAX_STEPS)[(page - 1) * per_page:]  # the store cuts; its counts count all
    parties = Q.document_parties(store, [r["key"] for r in rows])
    for row in rows:
        row["parties"] = parties.get(row["key"], [])[:MAX_PARTIES]
    return {"page": page, "per_page": per_page, "items": rows}
