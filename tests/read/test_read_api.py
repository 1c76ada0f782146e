"""read_text / read_path / iter_articles as a whole."""
from pathlib import Path

import pytest

from parley.read import ArticleList, ReadError, article_id, iter_articles, read_path, read_text
from parley.record import Article

FIXTURES = Path(__file__).parent / "fixtures"


def test_article_id_helper():
    assert article_id("abc") == "sha1:a9993e364706816a"
    assert article_id("abc") == article_id("abc") != article_id("abd")


def test_read_path_returns_article_list():
    articles = read_path(str(FIXTURES / "wire_sample.txt"))
    assert isinstance(articles, ArticleList) and isinstance(articles, list)
    assert articles.errors == []
    assert isinstance(articles[0], Article)


def test_read_text_overrides_and_defaults():
    text = (FIXTURES / "wire_sample.txt").read_text(encoding="utf-8")
    a = read_text(text, title="Given title", source="Given Source", url="https://x.example/1",
                  article_id="given-1", published="2020-01-01")
    assert (a.title, a.source, a.url, a.id) == ("Given title", "Given Source", "https://x.example/1", "given-1")
    assert a.published == "2026-03-03T14:35:00"  # the text's own date wins
    plain = read_text("Envoys gather in Vienna\nThe envoys met in Vienna on Monday.", published="2026-02-02T08:00:00")
    assert plain.published == "2026-02-02T08:00:00"
    assert plain.id == article_id(plain.text)


def test_read_text_languages_recorded_not_refused():
    fr = (FIXTURES / "french.txt").read_text(encoding="utf-8")
    assert read_text(fr).language == "fr"
    with pytest.raises(ReadError, match="<text>: language 'fr' is not English, skipped"):
        read_text(fr, allow_language=("en",))


def test_read_text_needs_exactly_one_article():
    feed = (FIXTURES / "feed_atom.xml").read_text(encoding="utf-8")
    with pytest.raises(ReadError, match="holds 2 articles, not one"):
        read_text(feed)
    one = read_text('{"id": "only", "text": "Envoys met in Vienna on Monday to discuss the nuclear file."}')
    assert one.id == "only"


def test_short_texts_do_not_get_wild_languages():
    # langdetect calls this Dutch; too short to trust without a declaration
    a = read_text("Putin meets Xi in Beijing")
    assert a.language in (None, "en")
    assert read_path(FIXTURES / "feed_rss.xml")[0].language == "en"


def test_iter_articles_folder(tmp_path):
    results = list(iter_articles(FIXTURES))
    paths = [p for p, _ in results]
    assert paths == sorted(paths)
    names = {Path(p).name for p in paths}
    assert names == {p.name for p in FIXTURES.iterdir()}
    by_name = {}
    for p, r in results:
        by_name.setdefault(Path(p).name, []).append(r)
    assert isinstance(by_name["binary.bin"][0], ReadError)
    assert isinstance(by_name["wire_sample.txt"][0], Article)
    assert len(by_name["articles.jsonl"]) == 6
    assert len(by_name["feed_rss.xml"]) == 3
    for _, r in results:
        if isinstance(r, Article):
            assert r.path is not None
            assert r.text and "\n\n" not in r.text
            assert all(line == line.strip() and line for line in r.text.split("\n"))
        else:
            assert str(r).startswith(r.path)


def test_iter_articles_mixed_inputs_never_stop(tmp_path):
    sub = tmp_path / "sub" / "deeper"
    sub.mkdir(parents=True)
    (sub / "story.txt").write_text("Envoys gather in Vienna\nThe envoys met in Vienna on Monday to resume talks.\n")
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / "broken.bin").write_bytes(b"\x00\x01\x02")
    results = list(iter_articles([tmp_path, tmp_path / "missing.txt", FIXTURES / "wire_sample.txt"]))
    got = [(Path(p).name, type(r).__name__) for p, r in results]
    assert got == [
        ("broken.bin", "ReadError"),
        ("story.txt", "Article"),
        ("missing.txt", "ReadError"),
        ("wire_sample.txt", "Article"),
    ]


def test_iter_articles_published_default():
    (path, a), = list(iter_articles(FIXTURES / "plain_no_title.txt", published="2026-03-09T12:00:00"))
    assert a.published == "2026-03-09T12:00:00"


def test_iter_articles_bad_arguments_raise_at_once():
    with pytest.raises(ReadError, match="--format: unknown format 'doc'"):
        iter_articles(FIXTURES, fmt="doc")
    with pytest.raises(ReadError, match="--published"):
        iter_articles(FIXTURES, published="someday")


def test_records_validate_as_json():
    for a in read_path(FIXTURES / "feed_atom.xml"):
        again = Article.model_validate_json(a.to_json())
        assert again == a
