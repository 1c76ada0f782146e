"""The wire layout: the corpus article (read at run time) and our own fixture."""
from datetime import datetime
from pathlib import Path

import pytest

from parley.read import ReadError, article_id, detect_format, is_wire, read_path, read_text

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path("/work/shared/corpus/anadolu-2025-12-27-ukraine-diplomacy.txt")

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")


@needs_corpus
def test_corpus_article_metadata():
    articles = read_path(CORPUS)
    assert len(articles) == 1
    a = articles[0]
    assert a.title.startswith("Ukraine ramps up diplomacy with European, NATO leaders")
    assert a.source == "Anadolu Agency"
    assert a.section == "World"
    assert a.published == "2025-12-27T07:10:00"
    assert a.language == "en"
    assert a.path == str(CORPUS)
    assert a.url is None
    assert a.id == article_id(a.text)
    assert a.id.startswith("sha1:") and len(a.id) == len("sha1:") + 16


@needs_corpus
def test_corpus_article_text_shape():
    a = read_path(CORPUS)[0]
    lines = a.text.split("\n")
    assert lines[0] == a.title
    assert lines[1].startswith("Ramping up diplomatic engagement")
    assert lines[2].startswith("Ukrainian President Volodymyr Zelensky")
    # the header lines are metadata, not text
    assert not any(line.startswith("- Published Date") or "Published Date:" in line for line in lines)
    assert "- Anadolu Agency" not in lines and "- World" not in lines
    # the body's own subheading stays, as it is, on a line of its own
    assert "- Moscow reviews draft document" in lines
    assert all(line and line == line.strip() for line in lines)
    # body = the file's lines after the date line, one paragraph a line, nothing lost
    raw = [ln.strip() for ln in CORPUS.read_text(encoding="utf-8").splitlines() if ln.strip()]
    date_at = next(i for i, ln in enumerate(raw) if "Published Date:" in ln)
    assert lines[2:] == raw[date_at + 1:]
    assert len(lines) == 2 + len(raw) - date_at - 1


@needs_corpus
def test_corpus_detected_and_deterministic():
    raw = CORPUS.read_text(encoding="utf-8")
    assert is_wire(raw)
    assert detect_format(raw, CORPUS) == "wire"
    first, second = read_path(CORPUS)[0], read_path(CORPUS)[0]
    assert first == second
    # the same text through the Python API gives the same article id
    assert read_text(raw).id == first.id
    # the file's own date wins over a --published default
    assert read_path(CORPUS, published="2030-01-01")[0].published == "2025-12-27T07:10:00"


def test_wire_fixture():
    (a,) = read_path(FIXTURES / "wire_sample.txt")
    assert a.title == "Norway and Chile agree to deepen Antarctic research cooperation"
    assert a.section == "World"
    assert a.source == "Nordic Wire Service"
    assert a.published == "2026-03-03T14:35:00"
    lines = a.text.split("\n")
    assert lines[0] == a.title
    assert lines[1].startswith("Foreign ministers of both countries")
    assert lines[2].startswith("Norwegian Foreign Minister Ingrid Solberg-Haug")
    assert "- Next steps" in lines
    assert lines[-1].startswith("Riquelme said Chile would host")
    assert len(lines) == 7


def test_wire_single_meta_line_and_no_standfirst():
    text = (
        "Chad and Niger reopen their border\n"
        "- Sahel Press Agency\n"
        "Published Date: 09:05 | 4 April 2026\n"
        "Chad and Niger reopened their shared border on Saturday after talks between the two interior ministers in N'Djamena.\n"
    )
    a = read_text(text)
    assert a.source == "Sahel Press Agency" and a.section is None
    assert a.published == "2026-04-04T09:05:00"
    assert a.text.split("\n") == [
        "Chad and Niger reopen their border",
        "Chad and Niger reopened their shared border on Saturday after talks between the two interior ministers in N'Djamena.",
    ]
    sectioned = read_text(text.replace("- Sahel Press Agency", "- Africa"))
    assert sectioned.section == "Africa" and sectioned.source is None


def test_wire_windows_newlines_and_blank_lines(tmp_path):
    raw = (FIXTURES / "wire_sample.txt").read_text(encoding="utf-8")
    p = tmp_path / "crlf.txt"
    p.write_bytes(("\ufeff" + raw.replace("\n", "\r\n\r\n")).encode("utf-8"))
    (a,) = read_path(p)
    assert a.text == read_path(FIXTURES / "wire_sample.txt")[0].text
    assert a.published == "2026-03-03T14:35:00"


def test_wire_forced_on_other_layouts_fails():
    with pytest.raises(ReadError) as err:
        read_path(FIXTURES / "plain_sample.txt", fmt="wire")
    assert "plain_sample.txt: not in the wire layout" in str(err.value)
    head_only = "Title here\nStandfirst here\n- World\n- Agency News\nPublished Date: 10:00 | 1 May 2026\n"
    with pytest.raises(ReadError, match="without a body"):
        read_text(head_only, fmt="wire")


def test_published_line_alone_is_not_wire():
    text = "Published Date: 10:00 | 1 May 2026\nSome text about talks in Geneva between the two delegations.\n"
    assert not is_wire(text)
    assert detect_format(text) == "plain"


def test_published_argument_types():
    text = "Talks resumed in Geneva.\nThe two delegations met for four hours on Monday.\n"
    assert read_text(text, published=datetime(2026, 5, 4, 18, 30, 15, 999)).published == "2026-05-04T18:30:15"
    assert read_text(text, published="4 May 2026").published == "2026-05-04T00:00:00"
    assert read_text(text, published="2026-05-04T18:30:00+02:00").published == "2026-05-04T18:30:00+02:00"
    assert read_text(text).published is None
    with pytest.raises(ReadError, match="--published: cannot read 'next week'"):
        read_text(text, published="next week")
