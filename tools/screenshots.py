"""Take the README's screenshots of the web page: docs/screenshots/*.png.

    python tools/screenshots.py            # needs /usr/bin/chromium (apt-get install chromium)

The store holds the fixture articles of tests/fixtures/articles (texts we wrote), coded by the
real pipeline in a temporary folder; the app is served on 127.0.0.1 and a free port, and Debian's
Chromium, driven by Playwright, takes one picture per page.
"""
from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
FIXTURES = ROOT / "tests" / "fixtures" / "articles"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
SAMPLE = ("Japanese Prime Minister Sanae Takaichi met South Korean President Lee Jae-myung in Tokyo on Friday. "
          '"We agreed to deepen our cooperation on supply chains," Takaichi told reporters after the talks. '
          "The two leaders will meet again in Seoul next month, officials said.")


def build_store(path: str) -> None:
    import parley
    from parley.store import open_store

    store = open_store(path)
    for f in sorted(FIXTURES.glob("*.txt")):
        store.add(parley.code_file(f), merge=False)
    store.merge()
    store.close()


def main() -> int:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from parley.serve import create_app

    if not Path(CHROMIUM).exists():
        print(f"no Chromium at {CHROMIUM} (apt-get install chromium)", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "screens.db")
        build_store(db)
        app = create_app(db)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        store = app.state.store
        busiest = store.actors(limit=1)[0]["key"]
        article = max(store.iter_records(), key=lambda r: len(r.events) + len(r.quotes))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 860}, device_scale_factor=1)

                def shot(name: str, path: str, before=None) -> None:
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    if before:
                        before()
                    page.screenshot(path=str(OUT / f"{name}.png"))
                    print(f"wrote {OUT / name}.png", file=sys.stderr)

                shot("timeline", "/")
                shot("network", "/network")
                shot("actor", f"/actors/{quote(busiest, safe='')}")

                def hover_event():
                    page.locator("#article-text mark.hl-event").nth(1).hover()
                    page.wait_for_selector("#tooltip", state="visible")

                shot("article", f"/articles/{quote(article.article.id, safe='')}", hover_event)
                shot("negotiations", "/documents")

                def code_sample():
                    page.fill("textarea[name=text]", SAMPLE)
                    page.fill("input[name=published]", "2026-03-06 10:00")
                    page.click("#code-submit")
                    page.wait_for_selector("#code-result", timeout=120_000)
                    page.locator("#code-result").scroll_into_view_if_needed()
                    page.evaluate("window.scrollTo(0, 0)")

                shot("code", "/code", code_sample)

                def swagger():
                    page.wait_for_selector(".swagger-ui .opblock", timeout=60_000)

                shot("api", "/docs", swagger)
                browser.close()
        finally:
            server.should_exit = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
