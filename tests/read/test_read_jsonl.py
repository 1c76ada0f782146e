"""JSON Lines: one article a line; bad lines reported, the rest read."""
from pathlib import Path

import pytest

from parley.read import ReadError, article_id, iter_articles, read_path

FIXTURES = Path(__file__).parent / "fixtures"
JSONL = FIXTURES / "articles.jsonl"


def test_jsonl_articles():
    articles = read_path(JSONL)
    assert [a.id for a in articles][0] == "brief-001"
    assert len(articles) == 3
    first, second, third = articles
    assert first.title == "Indonesia and Australia sign defence cooperation pact"
    assert first.source == "Pacific Desk"
    assert first.url == "https://pacificdesk.example/indonesia-australia"
    assert first.published == "2026-05-06T10:00:00+10:00"
    # paragraphs one a line, even when the JSON text used blank lines
    assert first.text.split("\n") == [
        "Indonesia and Australia signed a defence cooperation agreement in Canberra on Wednesday, allowing joint training and port visits.",
        "The agreement was signed by the two countries' defence ministers.",
    ]
    # only "text" is required; no id -> hash of the text
    assert second.title is None and second.source is None
    assert second.id == article_id(second.text)
    assert second.published == "2026-05-08T00:00:00"
    assert third.id == "5"  # a numeric id is kept, as a string
    assert all(a.path == str(JSONL) for a in articles)


def test_jsonl_bad_lines_named_by_line_number():
    errors = read_path(JSONL).errors
    assert [e.item for e in errors] == ["line 4", "line 5", "line 6"]
    assert str(errors[0]).startswith(f"{JSONL}:line 4: not valid JSON")
    assert str(errors[1]) == f'{JSONL}:line 5: no "text" field'
    assert str(errors[2]) == f"{JSONL}:line 6: not a JSON object (a list)"


def test_jsonl_batch_continues_past_bad_lines():
    results = [r for _, r in iter_articles(JSONL)]
    assert [isinstance(r, ReadError) for r in results] == [False, False, True, True, True, False]


def test_jsonl_published_default_only_fills_gaps(tmp_path):
    p = tmp_path / "two.jsonl"
    p.write_text(
        '{"text": "Chile and Peru agreed on Monday to extend their fisheries accord for ten more years.", "published": "2026-06-01T09:00:00"}\n'
        '{"text": "Chile and Bolivia resumed talks on Tuesday on access to the Pacific coast."}\n'
    )
    a, b = read_path(p, published="2026-07-15")
    assert a.published == "2026-06-01T09:00:00"
    assert b.published == "2026-07-15T00:00:00"


def test_jsonl_wrong_types(tmp_path):
    p = tmp_path / "types.jsonl"
    p.write_text('{"text": 42}\n{"text": "   "}\n{"text": "Good line: Egypt and Sudan signed a water accord on Sunday in Cairo."}\n')
    articles = read_path(p, fmt="jsonl")
    assert len(articles) == 1
    assert [(e.item, e.reason) for e in articles.errors] == [
        ("line 1", '"text" is a int, not a string'),
        ("line 2", '"text" is empty'),
    ]


def test_jsonl_all_lines_bad(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"title": "no text here"}\n{"title": "nor here"}\n')
    with pytest.raises(ReadError) as err:
        read_path(p)
    assert str(err.value).startswith(f"{p}: no article could be read (2 items failed; first, line 1: ")
    one = tmp_path / "one.jsonl"
    one.write_text('{"title": "no text here"}\n')
    with pytest.raises(ReadError, match=r'one.jsonl:line 1: no "text" field'):
        read_path(one)
