"""Commitments: amounts in text, then money, material and personnel on short texts written for these tests."""
from __future__ import annotations

import pycountry
import pytest

from parley.extract.commitments import find_money, load_currencies, word_number


# --- amounts in text --------------------------------------------------------------------

@pytest.mark.parametrize("text, written, amount, currency", [
    ("a $106-billion financial security guarantee", "$106-billion", 106e9, "USD"),
    ("the EU's €90 billion loan", "€90 billion", 90e9, "EUR"),
    ("Britain gave £2.5bn to", "£2.5bn", 2.5e9, "GBP"),
    ("Japan promised 1.5 trillion yen in aid", "1.5 trillion yen", 1.5e12, "JPY"),
    ("a USD 300 million loan", "USD 300 million", 300e6, "USD"),
    ("sent 50 million dollars", "50 million dollars", 50e6, "USD"),
    ("50 million Canadian dollars", "50 million Canadian dollars", 50e6, "CAD"),
    ("C$2 billion", "C$2 billion", 2e9, "CAD"),
    ("US$1.5bn", "US$1.5bn", 1.5e9, "USD"),
    ("Rs 500 crore", "Rs 500 crore", 5e9, "INR"),
    ("₹500 crore", "₹500 crore", 5e9, "INR"),
    ("two billion euros", "two billion euros", 2e9, "EUR"),
    ("a billion dollars", "a billion dollars", 1e9, "USD"),
    ("40 billion hryvnias", "40 billion hryvnias", 40e9, "UAH"),
    ("10 billion roubles", "10 billion roubles", 10e9, "RUB"),
    ("CHF 2bn", "CHF 2bn", 2e9, "CHF"),
    ("300 million USD", "300 million USD", 300e6, "USD"),
    ("$300m", "$300m", 300e6, "USD"),
    ("pledged 500 million for reconstruction", "500 million", 500e6, None),
])
def test_amounts_in_common_forms(text, written, amount, currency):
    (money,) = find_money(text)
    assert (money.text, money.amount, money.currency) == (written, amount, currency)
    assert text[money.start:money.end] == written


@pytest.mark.parametrize("text", ["$5–7 billion", "between $5 and $7 billion", "$5 billion to $7 billion", "$5-7bn"])
def test_ranges_keep_both_bounds(text):
    (money,) = find_money(text)
    assert (money.low, money.high, money.currency) == (5e9, 7e9, "USD")
    assert money.amount == money.low


@pytest.mark.parametrize("text", [
    "$", "$ alone", "1.2.3 billion", "€1,2345 billion", "$1e5 billion", "in 2025, 5,000 troops",
    "a 500-pound bomb", "500 pounds of food", "$" + "9" * 400 + " billion", "", "((($$$", "€.5 billion",
])
def test_odd_numbers_give_no_amount(text):
    assert find_money(text) == []


def test_number_words():
    assert word_number("two") == 2
    assert word_number("a dozen") == 12
    assert word_number("five thousand") == 5000
    assert word_number("several") is None
    assert word_number("banana") is None


def test_currency_table_uses_iso_4217_codes():
    currencies = load_currencies()
    iso = {c.alpha_3 for c in pycountry.currencies}
    assert set(currencies.symbols.values()) <= iso
    assert set(currencies.names.values()) <= iso
    assert {"USD", "EUR", "GBP", "JPY", "CNY", "UAH", "RUB", "INR"} <= currencies.codes
    # qualified names win over the bare default
    assert currencies.names["dollars"] == "USD" and currencies.names["canadian dollars"] == "CAD"


# --- commitments on the parse -----------------------------------------------------------

def _names(record, ids):
    by_id = {a.id: a.name for a in record.actors}
    return sorted(by_id[i] for i in ids)


def _event(record, commitment):
    return next(e for e in record.events if e.id == commitment.event)


def test_pledge_with_giver_recipient_purpose_and_event(code):
    record = code("Japan pledged an additional $1 billion on Wednesday to help Ukraine repair and protect its "
                  "energy infrastructure.", published="2026-01-29T17:05:00")
    (c,) = record.commitments
    assert (c.kind, c.amount, c.currency, c.status, c.planned, c.negated) == ("money", 1e9, "USD", "pledged", False, False)
    assert _names(record, c.giver) == ["Japan"] and _names(record, c.recipient) == ["Ukraine"]
    assert "energy infrastructure" in c.purpose
    assert record.article.text[c.span.start:c.span.end] == c.text == "$1 billion"
    assert c.id == f"{record.article.id}#c{c.span.start}"
    event = _event(record, c)  # PLOVER: a pledge of aid is AGREE
    assert event.event == "AGREE" and _names(record, event.actor) == ["Japan"]
    assert _names(record, event.recipient) == ["Ukraine"] and event.date == "2026-01-28"


def test_future_provision_is_a_planned_pledge(code):
    record = code("Britain will provide £2.5bn to Ukraine for reconstruction.")
    (c,) = record.commitments
    assert (c.amount, c.currency, c.status, c.planned, c.purpose) == (2.5e9, "GBP", "pledged", True, "reconstruction")
    assert _names(record, c.recipient) == ["Ukraine"]


def test_approved_loan_is_decided(code):
    record = code("The IMF approved a USD 300 million loan to Pakistan on Friday.", published="2025-12-13T10:00:00")
    (c,) = record.commitments
    assert (c.amount, c.currency, c.status) == (300e6, "USD", "decided")
    assert _names(record, c.giver) == ["International Monetary Fund"] and _names(record, c.recipient) == ["Pakistan"]
    assert _event(record, c).event == "AGREE"  # a decision to lend: not yet the loan itself


def test_amount_in_aid_reuses_the_event_of_its_sentence(code):
    record = code("Saudi Arabia sent 50 million dollars in humanitarian aid to Sudan.")
    (c,) = record.commitments
    assert (c.amount, c.currency, c.status, c.purpose) == (50e6, "USD", "delivered", "humanitarian aid")
    aid = [e for e in record.events if e.event == "AID"]
    assert len(aid) == 1 and c.event == aid[0].id  # one event for one act, not two
    assert _names(record, aid[0].actor) == ["Saudi Arabia"] and _names(record, aid[0].recipient) == ["Sudan"]


def test_range_and_request(code):
    record = code("Kenya asked the IMF for $5–7 billion for drought relief.")
    (c,) = record.commitments
    assert (c.amount_low, c.amount_high, c.currency, c.status) == (5e9, 7e9, "USD", "requested")
    assert _names(record, c.recipient) == ["Kenya"] and _names(record, c.giver) == ["International Monetary Fund"]
    assert _event(record, c).event == "REQUEST"


def test_amount_without_currency(code):
    record = code("The European Union pledged 500 million to Syria for reconstruction.")
    (c,) = record.commitments
    assert (c.amount, c.currency, c.status) == (500e6, None, "pledged")
    assert _names(record, c.recipient) == ["Syria"]


def test_negated_pledge_is_never_a_pledge(code):
    record = code("The European Union did not pledge €90 billion for Kyiv.")
    (c,) = record.commitments
    assert c.status == "refused" and c.negated
    event = _event(record, c)
    assert event.negated and event.event == "AGREE"


def test_refusal_is_a_reject_event(code):
    record = code("France refused to send troops to Ukraine.")
    (c,) = record.commitments
    assert (c.kind, c.item, c.status, c.negated) == ("personnel", "troops", "refused", True)
    assert _event(record, c).event == "REJECT"


@pytest.mark.parametrize("text, amount, currency, status, giver, recipient", [
    ("India announced Rs 500 crore in aid for Sri Lanka.", 5e9, "INR", "pledged", "India", "Sri Lanka"),
    ("China will lend 10 billion yuan to Pakistan.", 10e9, "CNY", "pledged", "China", "Pakistan"),
    ("The African Development Bank approved a $200m loan for Nigeria.", 200e6, "USD", "decided",
     "African Development Bank", "Nigeria"),
    ("Qatar will provide Lebanon with $20 million to pay army salaries.", 20e6, "USD", "pledged", "Qatar", "Lebanon"),
])
def test_other_regions_and_currencies(code, text, amount, currency, status, giver, recipient):
    record = code(text)
    (c,) = record.commitments
    assert (c.amount, c.currency, c.status) == (amount, currency, status)
    assert _names(record, c.giver) == [giver] and _names(record, c.recipient) == [recipient]
    assert c.event is not None


@pytest.mark.parametrize("text, kind, quantity, item, giver, recipient", [
    ("The Netherlands delivered two Patriot batteries to Kyiv.", "material", 2, "Patriot batteries", "Netherlands", "Ukraine"),
    ("Germany handed over two more IRIS-T SLM air-defence systems to Ukraine.", "material", 2,
     "IRIS-T SLM air-defence systems", "Germany", "Ukraine"),
    ("The United States will deploy 5,000 troops to Poland.", "personnel", 5000, "troops", "United States", "Poland"),
    ("Britain will send five thousand troops to Estonia.", "personnel", 5000, "troops", "United Kingdom", "Estonia"),
    ("Canada will send a dozen Leopard tanks to Ukraine.", "material", 12, "Leopard tanks", "Canada", "Ukraine"),
    ("Turkey sent 100 tonnes of humanitarian aid to Syria.", "material", 100, "tonnes of humanitarian aid", "Turkey", "Syria"),
])
def test_material_and_personnel_with_quantity(code, text, kind, quantity, item, giver, recipient):
    record = code(text)
    (c,) = record.commitments
    assert (c.kind, c.quantity, c.item) == (kind, quantity, item)
    assert _names(record, c.giver) == [giver] and _names(record, c.recipient) == [recipient]
    assert c.event is not None


@pytest.mark.parametrize("text", [
    "The war has cost Ukraine $500 billion.",
    "Hamas did not begin handing over its weapons.",
    "Trade between the two countries reached $5 billion last year.",
    "He said 2 million people need help.",
])
def test_no_commitment(code, text):
    assert code(text).commitments == []


@pytest.mark.parametrize("text", [
    "Japan pledged $ to Ukraine.",
    "Japan pledged 1.2.3 billion to Ukraine.",
    "Japan pledged $1,2345 billion (for \"Ukraine.",
    "Japan pledged $" + "9" * 400 + " billion to Ukraine.",
    "Japan pledged €€ 5 bn bn to Ukraine ((",
    "$5 billion",
    "pledged pledged pledged $1bn $2bn $3bn",
])
def test_bad_input_gives_a_record_or_nothing(code, text):
    record = code(text)
    for c in record.commitments:
        assert c.amount is None or c.amount > 0
        assert record.article.text[c.span.start:c.span.end] == c.text
        assert c.event is None or any(e.id == c.event for e in record.events)


def test_reference_article_guarantee(reference_record):
    record = reference_record
    money = [c for c in record.commitments if c.kind == "money"]
    (c,) = [c for c in money if c.amount == 106e9]
    assert (c.currency, c.status, c.purpose) == ("USD", "decided", "financial security guarantee")
    assert _names(record, c.recipient) == ["Ukraine"]
    (giver,) = [a for a in record.actors if a.id in c.giver]
    assert giver.country == "EUR"  # the EU's European Council; Denmark only holds its presidency
    event = _event(record, c)
    assert event.event == "AGREE" and event.actor == c.giver and event.recipient == c.recipient
