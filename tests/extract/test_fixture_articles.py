"""Quality on the project's own fixture articles (other regions and topics), scored against their gold.

The floors are below what the extractor reaches today (events P 0.55 R 0.27, people R 0.82 on
2025-11-27); they catch regressions, they are not the goal.
"""
from pathlib import Path

import pytest

from parley.evaluate import Score, load_gold, score_actors, score_events

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
GOLD = sorted(FIXTURES.glob("*.gold.json"))


@pytest.fixture(scope="module")
def scored(nlp):
    from parley.extract.pipeline import code_article
    from parley.read import read_path

    events, actors = Score(), Score()
    for gold_path in GOLD:
        record = code_article(read_path(gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")))[0], nlp)
        gold = load_gold(gold_path)
        events.add(score_events(record, gold))
        actors.add(score_actors(record, gold))
    return events, actors


def test_there_are_fixtures_for_several_regions():
    assert len(GOLD) >= 6


def test_event_precision_and_recall_floor(scored):
    events, _ = scored
    assert events.gold >= 50
    assert events.precision >= 0.45
    assert events.recall >= 0.22


def test_people_found_with_their_country(scored):
    _, actors = scored
    assert actors.recall >= 0.75
    assert actors.precision >= 0.7
