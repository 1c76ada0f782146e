from datetime import date

import pytest

from parley.extract.dates import normalise, resolve, to_date

SATURDAY = date(2025, 12, 27)


@pytest.mark.parametrize("text,future,expected", [
    ("on Friday", False, date(2025, 12, 26)),
    ("Friday", True, date(2026, 1, 2)),
    ("on Sunday", True, date(2025, 12, 28)),
    ("Sunday", False, date(2025, 12, 21)),
    ("on Thursday", False, date(2025, 12, 25)),
    ("Saturday", False, SATURDAY),  # the publication weekday is the publication day
    ("last Saturday", False, date(2025, 12, 20)),
    ("next Monday", False, date(2025, 12, 29)),
    ("earlier in the day", False, SATURDAY),
    ("yesterday", False, date(2025, 12, 26)),
    ("tomorrow", True, date(2025, 12, 28)),
    ("26 December 2025", False, date(2025, 12, 26)),
    ("on 3 March", False, date(2025, 3, 3)),
    ("on 3 March", True, date(2026, 3, 3)),
    ("Dec. 20", False, date(2025, 12, 20)),
])
def test_resolves_against_publication(text, future, expected):
    assert resolve(text, SATURDAY, future) == expected


@pytest.mark.parametrize("text", ["last week", "next month", "in the coming days", "this year", "recently"])
def test_vague_expressions_stay_null(text):
    assert resolve(text, SATURDAY, False) is None


def test_without_publication_only_full_dates_resolve():
    assert resolve("on Friday", None) is None
    assert resolve("3 March 2024", None) == date(2024, 3, 3)


def test_helpers():
    assert normalise("On the Friday,") == "friday"
    assert to_date("2025-12-27T07:10:00") == SATURDAY
    assert to_date(None) is None
