"""The web page in a real browser: Debian's Chromium driven by Playwright, against the app served
by uvicorn on 127.0.0.1 over the test store. Every page fixture fails its test on a JavaScript
error or on a request to anything but the test server (no CDN)."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from .conftest import HOSTILE_TEXT, HOSTILE_TITLE

# every coded span of the view, joined per (id, start, end) from the pieces of its marks
READ_MARKS = """() => {
  const text = document.getElementById("article-text");
  const marks = {};
  for (const m of text.querySelectorAll("mark.hl")) {
    for (const id of m.dataset.ids.split(" ")) {
      const key = id + "|" + m.dataset.start + "|" + m.dataset.end;
      marks[key] = (marks[key] || "") + m.textContent;
    }
  }
  return {text: text.textContent, marks: marks};
}"""


def goto(page, path: str):
    response = page.goto(page.base + path)
    assert response.status == 200, f"{path}: {response.status}"
    return response


def coded_spans(record) -> list[tuple[str, int, int]]:
    spans = [(a.id, m.start, m.end) for a in record.actors for m in a.mentions]
    spans += [(e.id, e.trigger.start, e.trigger.end) for e in record.events]
    spans += [(q.id, q.span.start, q.span.end) for q in record.quotes]
    spans += [(c.id, c.span.start, c.span.end) for c in record.commitments]
    spans += [(d.id, m.start, m.end) for d in record.documents for m in d.mentions]
    spans += [(p.id, m.start, m.end) for p in record.places for m in p.mentions]
    return [s for s in spans if s[2] > s[1]]


def assert_highlights_at_offsets(page, record) -> int:
    """Each coded span's marks hold exactly article.text[start:end]; the view's text is the article's."""
    got = page.evaluate(READ_MARKS)
    text = record.article.text
    assert got["text"] == text
    spans = coded_spans(record)
    for ident, start, end in spans:
        key = f"{ident}|{start}|{end}"
        assert key in got["marks"], f"no highlight for {key}"
        assert got["marks"][key] == text[start:end], key
    return len(spans)


@pytest.mark.parametrize("path", ["/", "/network", "/actors", "/articles", "/documents", "/code", "/docs"])
def test_every_page_loads_from_the_server_alone(page, path):
    goto(page, path)
    page.wait_for_load_state("networkidle")
    assert page.title()
    if path == "/docs":
        page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)  # the vendored Swagger UI ran


def test_timeline_filters_by_type_country_period_and_planned(page, client):
    goto(page, "/")
    total = client.get("/api/summary").json()["events"]
    assert page.locator("#event-count b").inner_text() == str(total)
    assert page.locator("svg.bars .bar").count() >= 3  # events per month

    page.select_option("select[name=type]", "CONSULT")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**type=CONSULT**")
    rows = page.locator("li.event")
    assert rows.count() == client.get("/api/events", params={"type": "CONSULT"}).json()["total"] > 0
    assert set(rows.evaluate_all("els => els.map(e => e.dataset.type)")) == {"CONSULT"}

    page.select_option("select[name=type]", "")
    page.select_option("select[name=country]", "PAK")
    page.fill("input[name=since]", "2025-12-01")
    page.fill("input[name=until]", "2025-12-31")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**country=PAK**")
    expected = client.get("/api/events", params={"country": "PAK", "since": "2025-12-01", "until": "2025-12-31"}).json()
    assert expected["total"] > 0
    assert page.locator("li.event").count() == expected["total"]
    days = page.locator("li.day").evaluate_all("els => els.map(e => e.dataset.date)")
    assert days and all("2025-12-01" <= d <= "2025-12-31" for d in days)
    assert all("PAK" in t for t in page.locator("li.event .who").all_inner_texts())

    goto(page, "/?planned=true")
    planned = page.locator("li.event")
    assert planned.count() == client.get("/api/events", params={"planned": "true"}).json()["total"] > 0
    assert all("planned" in c for c in planned.evaluate_all("els => els.map(e => e.className)"))
    assert planned.locator(".planned-flag").count() == planned.count()


def test_timeline_tells_cooperation_from_conflict_by_colour(page):
    goto(page, "/")

    def colour(event_type: str) -> str:
        row = page.locator(f'li.event[data-type="{event_type}"]').first
        return row.evaluate("e => getComputedStyle(e).borderLeftColor")

    cooperative, conflictual = colour("CONSULT"), colour("ASSAULT")
    assert cooperative != conflictual
    r, g, b = [int(x) for x in cooperative[cooperative.index("(") + 1:-1].split(",")[:3]]
    assert b > r  # blue for cooperation
    r, g, b = [int(x) for x in conflictual[conflictual.index("(") + 1:-1].split(",")[:3]]
    assert r > b  # red for conflict


def test_a_filter_with_sql_shows_no_event(page):
    goto(page, "/?" + "actor=" + quote("' OR 1=1 --"))
    assert page.locator("li.event").count() == 0
    assert page.locator("li.empty").count() == 1
    assert page.locator("input[name=actor]").input_value() == "' OR 1=1 --"


def test_article_highlights_sit_at_the_record_offsets(page, serve_records):
    checked = 0
    for record in serve_records:
        goto(page, f"/articles/{quote(record.article.id, safe='')}")
        checked += assert_highlights_at_offsets(page, record)
    assert checked > 300


def test_article_hover_shows_the_coded_fields_and_the_list_finds_the_highlight(page, serve_records):
    record = next(r for r in serve_records if r.events and r.quotes and "india-pakistan" in (r.article.path or ""))
    goto(page, f"/articles/{quote(record.article.id, safe='')}")
    event = record.events[0]
    mark = page.locator(f'#article-text mark.hl-event[data-ids~="{event.id}"]').first
    mark.hover()
    tip = page.locator("#tooltip")
    tip.wait_for(state="visible")
    assert event.event in tip.inner_text()
    assert record.actor(event.actor[0]).name in tip.inner_text()

    page.locator(f'#record-list [data-ref="{record.quotes[0].id}"]').click()
    flashed = page.locator("#article-text mark.flash")
    assert flashed.count() >= 1
    assert all(record.quotes[0].id in ids.split() for ids in flashed.evaluate_all("els => els.map(e => e.dataset.ids)"))

    page.locator("#kinds input[data-kind=actor]").uncheck()
    assert "hide-actor" in page.locator("#article-text").get_attribute("class")


def test_network_then_actor_page(page, client):
    goto(page, "/network")
    nodes = page.locator("svg#network a.node")
    since, until = page.input_value("input[name=since]"), page.input_value("input[name=until]")
    assert since and until  # the last year of the store, unless told
    api = client.get("/api/network", params={"max_edges": 120, "since": since, "until": until}).json()
    assert nodes.count() == len(api["nodes"]) > 3
    assert page.locator("svg#network line.edge").count() == len(api["edges"])
    widths = page.locator("svg#network line.edge").evaluate_all("els => els.map(e => +e.getAttribute('stroke-width'))")
    assert max(widths) > min(widths) or len(set(e["n"] for e in api["edges"])) == 1
    busiest = max(api["nodes"], key=lambda n: n["weight"])
    page.locator(f'svg#network a.node[data-key="{busiest["id"]}"] circle').click()
    page.wait_for_url("**/actors/**")
    assert page.locator("#actor-name").inner_text() == busiest["name"]
    detail = client.get(f"/api/actors/{busiest['id']}").json()
    assert page.locator("#actor-events li.event").count() == min(50, detail["events"]["total"])
    assert page.locator("#actor-quotes li").count() == max(1, len(detail["quotes"]))


def test_actor_page_shows_commitments_over_time(page):
    goto(page, "/actors/state%3AUSA")
    assert page.locator("#actor-name").inner_text() == "United States"
    assert "500,000,000 USD" in page.locator("#actor-commitments").inner_text()
    assert page.locator(".chart svg.bars .bar").count() >= 1


def test_negotiation_tracker_shows_each_status_with_its_articles(page, serve_records):
    goto(page, "/documents")
    treaty = page.locator("li.document", has_text="Armenia-Azerbaijan peace treaty")
    assert treaty.count() == 1
    assert treaty.locator("li.step").evaluate_all("els => els.map(e => e.dataset.status)") == ["drafted", "signed"]
    assert treaty.locator("svg.track rect.step-bar").count() == 2
    assert "Parties:" in treaty.inner_text()
    treaty.locator("li.step").nth(1).locator("a").first.click()
    page.wait_for_url("**/articles/**")
    signed = serve_records[-1]
    assert page.locator("#article-title").inner_text() == signed.article.title
    flashed = page.locator("#article-text mark.flash")
    assert flashed.count() == len(signed.documents[0].mentions)
    assert_highlights_at_offsets(page, signed)


def test_code_a_pasted_article(page, client):
    text = ("Japanese Prime Minister Sanae Takaichi met South Korean President Lee Jae-myung in Tokyo on Friday. "
            '"We agreed to deepen our cooperation," Takaichi told reporters after the talks.')
    goto(page, "/code")
    page.fill("textarea[name=text]", text)
    page.fill("input[name=published]", "2026-03-06 10:00")
    page.click("#code-submit")
    page.wait_for_selector("#code-result", timeout=120_000)
    from parley.record import Record

    record = Record.model_validate(client.post("/api/code", json={"text": text, "published": "2026-03-06 10:00"}).json())
    assert record.events
    assert page.locator("#record-list .events li.item").count() == len(record.events)
    assert page.locator("textarea[name=text]").input_value() == text
    assert_highlights_at_offsets(page, record)
    assert client.get("/api/summary").json()["articles"] == 11  # nothing stored


def test_html_and_script_in_an_article_show_as_text(page, serve_records):
    hostile = next(r for r in serve_records if r.article.title == HOSTILE_TITLE)
    goto(page, f"/articles/{quote(hostile.article.id, safe='')}")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__xss") is None
    assert page.locator("#article-text").text_content() == HOSTILE_TEXT
    assert page.locator("#article-text script, #article-text img, #article-text b, #article-text i").count() == 0
    assert page.locator("#article-title").inner_text() == HOSTILE_TITLE
    assert page.locator("main img").count() == 0
    assert_highlights_at_offsets(page, hostile)
    # the tooltip writes text too
    page.locator("#article-text mark.hl").first.hover()
    assert page.locator("#tooltip img, #tooltip script").count() == 0

    goto(page, "/articles")
    assert HOSTILE_TITLE in page.locator("#articles").inner_text()
    assert page.evaluate("window.__xss") is None and page.locator("#articles img").count() == 0


def test_html_and_script_pasted_to_code_show_as_text(page):
    goto(page, "/code")
    page.fill("textarea[name=text]", HOSTILE_TEXT)
    page.fill("input[name=published]", "2026-03-02")
    page.fill("input[name=title]", HOSTILE_TITLE)
    page.click("#code-submit")
    page.wait_for_selector("#code-result, #code-error", timeout=120_000)
    assert page.evaluate("window.__xss") is None
    assert page.locator("main script, main img").count() == 1  # only the record's JSON data block
    assert page.locator("main script").get_attribute("type") == "application/json"


def test_errors_are_pages_not_tracebacks(browser, live_server):
    context = browser.new_context()
    pg = context.new_page()
    try:
        r = pg.goto(live_server + "/articles/sha1:none-such")
        assert r.status == 404
        assert "no article" in pg.locator(".error .message").inner_text()
        r = pg.goto(live_server + "/?since=not-a-date")
        assert r.status == 422 and "since" in pg.locator(".error .message").inner_text()
        assert "Traceback" not in pg.content()
    finally:
        context.close()
