"""HTML pages via trafilatura."""
from pathlib import Path

import pytest

from parley.read import ReadError, read_path, read_text

FIXTURES = Path(__file__).parent / "fixtures"


def test_html_page():
    (a,) = read_path(FIXTURES / "page.html")
    assert a.title == "Kenya and Ethiopia open talks on cross-border trade"
    assert a.source == "The Horn Ledger"
    assert a.url == "https://hornledger.example/world/kenya-ethiopia-trade-talks"
    assert a.published == "2026-02-10T09:30:00+03:00"
    assert a.language == "en"
    lines = a.text.split("\n")
    assert lines[0] == a.title
    # a paragraph hard-wrapped in the HTML source is one line of text
    assert lines[1] == (
        "Kenyan Trade Minister Daniel Otieno and his Ethiopian counterpart Selamawit Bekele "
        "opened two days of talks in Nairobi on Tuesday on cutting tariffs on farm goods and "
        "building a one-stop border post at Moyale, the Kenyan Foreign Ministry said."
    )
    assert any(line.startswith('"We have a shared interest') for line in lines)
    assert lines[-1].startswith("The talks follow a visit to Addis Ababa")
    # navigation, scripts, footer and related links are not article text
    for junk in ("Subscribe", "All rights reserved", "window.analytics", "font-family", "Related stories", "Coffee prices"):
        assert junk not in a.text
    assert all(line == line.strip() and line for line in lines)


def test_html_without_article_text():
    with pytest.raises(ReadError) as err:
        read_path(FIXTURES / "no_article.html")
    assert str(err.value).endswith("no_article.html: no article text found in the HTML")
    assert err.value.kind == "no-text"


def test_html_declared_latin1_charset():
    (a,) = read_path(FIXTURES / "latin1.html")
    assert a.title == "Portugal and Angola renew trade accord"
    assert "Jos\u00e9 Ant\u00f3nio Ribeiro" in a.text
    assert "Pal\u00e1cio das Necessidades" in a.text


def test_html_through_read_text_and_overrides():
    html = (FIXTURES / "page.html").read_text(encoding="utf-8")
    a = read_text(html, source="Override Desk", url="https://example.org/x", article_id="page-1")
    assert a.source == "Override Desk" and a.url == "https://example.org/x" and a.id == "page-1"
    assert a.published == "2026-02-10T09:30:00+03:00"
    assert a.path is None
