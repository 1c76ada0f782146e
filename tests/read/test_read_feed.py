"""RSS and Atom feeds via feedparser."""
from pathlib import Path

import pytest

from parley.read import ReadError, article_id, iter_articles, read_path

FIXTURES = Path(__file__).parent / "fixtures"


def test_rss_entries():
    articles = read_path(FIXTURES / "feed_rss.xml")
    assert len(articles) == 2
    japan, brazil = articles
    assert japan.title == "Japan and the Philippines agree joint coast guard exercises"
    assert japan.source == "Diplomatic Briefs"
    assert japan.url == "https://briefs.example/2026/01/japan-philippines-coast-guard"
    assert japan.published == "2026-01-12T08:15:00+09:00"
    assert japan.id == article_id("briefs-2026-0112-001")  # the guid, hashed
    assert japan.language == "en"
    # HTML stripped: tags gone, inline markup merged, script dropped, paragraphs one a line
    assert japan.text.split("\n") == [
        "Japan and the Philippines agree joint coast guard exercises",
        "Japan and the Philippines agreed on Monday to hold joint coast guard exercises in the "
        "South China Sea later this year, the Japanese Foreign Ministry said.",
        "The two governments also pledged to expand information sharing on maritime incidents.",
    ]
    assert brazil.published == "2026-01-13T17:40:00+00:00"
    assert brazil.id == article_id("https://briefs.example/2026/01/brazil-mediation")  # no guid: the link
    # the full content wins over the one-line description
    lines = brazil.text.split("\n")
    assert lines[0] == "Brazil offers to mediate between Guyana and Venezuela"
    assert lines[1].startswith("Brazil offered on Tuesday to host talks")
    assert lines[2] == (
        "Prado said both governments had been sent a written invitation and that a first "
        "meeting could take place in February."
    )
    assert "Brazil offered to host talks." not in lines


def test_rss_bad_entry_is_reported_and_others_continue():
    articles = read_path(FIXTURES / "feed_rss.xml")
    assert len(articles.errors) == 1
    err = articles.errors[0]
    assert str(err).endswith("feed_rss.xml:entry 3: entry has no title and no text")
    assert err.item == "entry 3" and err.kind == "no-text"
    results = [r for _, r in iter_articles(FIXTURES / "feed_rss.xml")]
    assert [type(r).__name__ for r in results] == ["Article", "Article", "ReadError"]


def test_atom_entries():
    articles = read_path(FIXTURES / "feed_atom.xml")
    assert [a.title for a in articles] == [
        "Security Council extends Haiti support mission by a year",
        "African Union envoy arrives in Khartoum for ceasefire talks",
    ]
    haiti, au = articles
    assert haiti.source == "Council Watch"
    assert haiti.published == "2026-04-01T18:45:00+00:00"  # published, not updated
    assert au.published == "2026-04-02T07:20:00+02:00"  # only updated given
    assert haiti.url == "https://councilwatch.example/2026/04/haiti-mandate"
    assert haiti.id == article_id("tag:councilwatch.example,2026:entry-17")
    assert haiti.text.split("\n")[1:] == [
        "The UN Security Council voted on Wednesday to extend the mandate of the multinational "
        "support mission in Haiti for another twelve months.",
        "Thirteen members voted in favour, while two abstained.",
    ]
    assert au.text.startswith("African Union envoy arrives in Khartoum for ceasefire talks\nThe African Union special envoy")
    assert not articles.errors


def test_feed_ids_are_stable_and_distinct():
    first = [a.id for a in read_path(FIXTURES / "feed_atom.xml")]
    assert first == [a.id for a in read_path(FIXTURES / "feed_atom.xml")]
    assert len(set(first)) == 2


def test_malformed_feed():
    with pytest.raises(ReadError) as err:
        read_path(FIXTURES / "malformed_feed.xml")
    assert "malformed_feed.xml: malformed feed" in str(err.value)
    assert err.value.kind == "malformed"


def test_xml_that_is_not_a_feed(tmp_path):
    p = tmp_path / "config.xml"
    p.write_text('<?xml version="1.0"?>\n<config><option name="x">1</option></config>\n')
    with pytest.raises(ReadError, match="config.xml: not an RSS or Atom feed"):
        read_path(p, fmt="feed")


def test_feed_without_entries(tmp_path):
    p = tmp_path / "quiet.rss"
    p.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title>'
                 "<link>https://quiet.example/</link><description>x</description></channel></rss>")
    with pytest.raises(ReadError, match="quiet.rss: feed has no entries"):
        read_path(p)


def test_foreign_language_entry_is_skipped_alone(tmp_path):
    fr = ("Le ministre des Affaires étrangères a reçu lundi à Paris son homologue sénégalais "
          "pour discuter de la coopération économique et de la sécurité au Sahel. Les deux pays "
          "ont signé trois accords sur la formation professionnelle et l'énergie solaire.")
    en = ("The foreign minister received his Senegalese counterpart in Paris on Monday to discuss "
          "economic cooperation and security in the Sahel. The two countries signed three "
          "agreements on vocational training and solar energy.")
    p = tmp_path / "mixed.xml"
    p.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Mixed</title>'
        f"<item><title>Accords signés</title><guid>a</guid><description>{fr}</description></item>"
        f"<item><title>Agreements signed</title><guid>b</guid><description>{en}</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    articles = read_path(p)
    assert [a.title for a in articles] == ["Agreements signed"]
    (err,) = articles.errors
    assert str(err) == f"{p}:entry 1: language 'fr' is not English, skipped"
    assert err.is_warning
