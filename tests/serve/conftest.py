"""A test store for the REST API and the web page, and a live server for the browser tests.

The store holds the eight fixture articles (tests/fixtures/articles, coded by the real
pipeline), an article whose text and title carry HTML and <script> (for XSS tests), and two
short articles of our own about one treaty, whose documents and commitment are written here by
hand so that the negotiation tracker has a timeline (drafted in January, signed in February)
whatever the document extractor finds.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from parley.record import Commitment, Document, Mention, Span

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
TOKEN = "test-token-0123456789"



def pytest_collection_modifyitems(items):
    # starlette's TestClient warns that it will move from httpx to httpx2: not ours to fix
    for item in items:
        if "tests/serve/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.filterwarnings("ignore:Using `httpx`"))

HOSTILE_TITLE = '<img src=x onerror="window.__xss=3">Summit & "talks"'
HOSTILE_TEXT = (
    '<script>window.__xss = 1</script><b>Bold claims</b> <img src=x onerror="window.__xss=2"> '
    "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on Monday. "
    '"We will <i>never</i> accept </script><script>window.__xss=4</script> such tricks," Ruto said after the talks.'
)
DRAFT_TEXT = (
    "Armenia and Azerbaijan exchange a draft peace treaty\n"
    "Armenian Foreign Minister Ararat Mirzoyan met Azerbaijani Foreign Minister Jeyhun Bayramov in Geneva on "
    "Friday, where the two sides exchanged a draft peace treaty, officials said.\n"
    "Both ministers said the draft peace treaty still needed work on the border commission.\n"
)
SIGNED_TEXT = (
    "Armenia and Azerbaijan sign peace treaty in Washington\n"
    "Armenian Prime Minister Nikol Pashinyan and Azerbaijani President Ilham Aliyev signed the peace treaty "
    "in Washington on Saturday.\n"
    "The United States pledged $500 million for border reconstruction, a State Department spokesperson said.\n"
)


def _occurrences(text: str, needle: str) -> list[Mention]:
    out, start = [], text.find(needle)
    while start >= 0:
        out.append(Mention(start=start, end=start + len(needle), text=needle))
        start = text.find(needle, start + 1)
    return out


def _with_treaty(record, status: str, commitment: bool = False):
    """The record with a hand-written document (every mention of 'peace treaty') and, if asked, the
    $500 million pledge as a commitment."""
    text = record.article.text
    mentions = _occurrences(text, "peace treaty")
    assert mentions, "the treaty text lost its mentions"
    parties = [a.id for a in record.actors if a.country in ("ARM", "AZE")][:2]
    record.documents = [Document(id=f"{record.article.id}#d{mentions[0].start}", name="Armenia-Azerbaijan peace treaty",
                                 aliases=["peace treaty"], kind="treaty", parties=parties, status=status,
                                 mentions=mentions)]
    record.commitments = []
    if commitment:
        phrase = "pledged $500 million for border reconstruction"
        start = text.index(phrase)
        givers = [a.id for a in record.actors if a.country == "USA"][:1]
        record.commitments = [Commitment(id=f"{record.article.id}#c{start}", kind="money", amount=500_000_000,
                                         currency="USD", giver=givers, recipient=parties, purpose="border reconstruction",
                                         status="pledged", span=Span(start=start, end=start + len(phrase)),
                                         text=phrase)]
    return record


@pytest.fixture(scope="session")
def serve_records(code):
    """Every record of the test store, in the order stored."""
    from parley.read import read_path

    from parley.extract.pipeline import code_article
    from parley.nlp import load

    nlp = load()
    records = [code_article(read_path(p)[0], nlp) for p in sorted(FIXTURES.glob("*.txt"))]
    hostile = code(HOSTILE_TEXT, published="2026-03-02T08:00:00")
    hostile.article.title = HOSTILE_TITLE
    hostile.article.source = "Test <b>Wire</b>"
    records.append(hostile)
    records.append(_with_treaty(code(DRAFT_TEXT, published="2026-01-10T09:00:00"), "drafted"))
    records.append(_with_treaty(code(SIGNED_TEXT, published="2026-02-14T18:30:00"), "signed", commitment=True))
    return records


@pytest.fixture(scope="session")
def serve_db(tmp_path_factory, serve_records) -> str:
    """A SQLite store of serve_records (read-only for the tests: copy it to write)."""
    from parley.store import open_store

    path = str(tmp_path_factory.mktemp("serve") / "serve.db")
    store = open_store(path)
    try:
        for record in serve_records:
            assert store.add(record, merge=False), record.article.id
        store.merge()
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def app(serve_db):
    from parley.serve import create_app

    return create_app(serve_db, token=TOKEN)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture()
def writable_db(serve_db, tmp_path) -> str:
    path = str(tmp_path / "copy.db")
    shutil.copy(serve_db, path)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(app):
    """The app on uvicorn in a background thread, on 127.0.0.1 and a free port: its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never `playwright install`); skipped without it."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: the browser tests need Debian's chromium package "
                    f"(apt-get install chromium; CI installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed "
                                                                 "(pip install -e '.[test]')")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, live_server):
    """A fresh page; fails the test on a JavaScript error or a request that leaves 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    errors: list[str] = []
    outside: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith((live_server, "data:", "about:")) else None)
    pg.base = live_server
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not outside, f"requests that left the server: {outside}"
