"""Picking a reader from the content."""
from pathlib import Path

import pytest

from parley.read import FORMATS, detect_format
from parley.read.detect import check_format

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("wire_sample.txt", "wire"),
        ("plain_sample.txt", "plain"),
        ("plain_no_title.txt", "plain"),
        ("french.txt", "plain"),
        ("page.html", "html"),
        ("no_article.html", "html"),
        ("feed_rss.xml", "feed"),
        ("feed_atom.xml", "feed"),
        ("malformed_feed.xml", "feed"),
        ("articles.jsonl", "jsonl"),
    ],
)
def test_fixture_formats(name, fmt):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert detect_format(text, FIXTURES / name) == fmt
    # content decides, not the file name
    assert detect_format(text, "renamed.dat") == fmt


def test_formats_constant():
    assert FORMATS == ("wire", "plain", "html", "feed", "jsonl")


def test_content_cases():
    assert detect_format("<p>Talks in Rome.</p><p>More talks.</p>") == "html"
    assert detect_format("  \n<!doctype html><title>x</title>") == "html"
    assert detect_format('{"text": "Envoys met."}\n{"text": "Again."}') == "jsonl"
    assert detect_format("{not json at all}") == "plain"
    assert detect_format('<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"><item/></rdf:RDF>') == "feed"
    assert detect_format("Talks resume\nThe envoys met again.") == "plain"
    assert detect_format("") == "plain"


def test_extension_breaks_ties():
    fragment = "<div>Talks in Rome on Friday.</div>"
    assert detect_format(fragment, "page.html") == "html"
    assert detect_format(fragment, "notes.txt") == "plain"
    assert detect_format('{"text": "x"', "a.jsonl") == "jsonl"


def test_check_format():
    assert check_format(None) is None
    assert check_format("HTML") == "html"
    assert check_format("rss") == "feed"
    assert check_format("auto") is None
