"""Documents under negotiation, on short texts written for these tests and on the reference article."""
from __future__ import annotations

import pytest


def _docs(record):
    return {d.name: d for d in record.documents}


def _names(record, ids):
    by_id = {a.id: a.name for a in record.actors}
    return sorted(by_id[i] for i in ids)


# --- the reference article --------------------------------------------------------------

REFERENCE_DOCUMENTS = {
    # name: (kind, status)
    "security guarantees": ("guarantee", "under negotiation"),
    "Security Action for Europe": ("programme", "in force"),
    "Prioritized Ukraine Requirements List": ("programme", "in force"),
    "recovery and economic development plan": ("plan", "under negotiation"),  # drafted by two teams together
    "20-point framework": ("framework", "under negotiation"),
    "economic agreement": ("agreement", "under negotiation"),
    "draft peace plan": ("plan", "under negotiation"),
    "28-point plan": ("plan", "proposed"),
}


def test_reference_documents_and_statuses(reference_record):
    docs = _docs(reference_record)
    assert {n: (d.kind, d.status) for n, d in docs.items()} == REFERENCE_DOCUMENTS


def test_reference_acronyms_joined_to_long_forms(reference_record):
    docs = _docs(reference_record)
    assert docs["Security Action for Europe"].aliases == ["SAFE"]
    assert docs["Prioritized Ukraine Requirements List"].aliases == ["PURL"]


def test_reference_plan_replaced_by_framework(reference_record):
    docs = _docs(reference_record)
    plan, framework = docs["28-point plan"], docs["20-point framework"]
    assert framework.replaces == [plan.id]
    assert _names(reference_record, plan.parties) == ["United States"]  # "proposed by the US side"
    assert {"Ukraine", "United States"} <= set(_names(reference_record, framework.parties))
    # "Peskov declined to detail Moscow's evaluation of the document": the live one, not the replaced plan
    text = reference_record.article.text
    generic = [m for m in framework.mentions if m.text == "document"]
    assert len(generic) == 1 and "evaluation of the document" in text[generic[0].start - 20: generic[0].end]
    assert not any(m.text == "document" for m in plan.mentions)


def test_reference_offsets_ids_and_event_links(reference_record):
    record = reference_record
    text = record.article.text
    for d in record.documents:
        assert d.id == f"{record.article.id}#d{d.mentions[0].start}"
        for m in d.mentions:
            assert text[m.start:m.end] == m.text
        if d.status_span:
            assert text[d.status_span.start:d.status_span.end] == d.status_text
    guarantees = _docs(record)["security guarantees"]
    assert len(guarantees.mentions) >= 5
    linked = [e for e in record.events if guarantees.id in e.documents]
    assert linked and all(any(s.start <= m.start < s.end for m in guarantees.mentions for s in [e.sentence, *e.evidence])
                          for e in linked)


# --- short texts ------------------------------------------------------------------------

def test_named_agreements_resolutions_and_packages(code):
    record = code("Iran said the sanctions would violate UN Security Council Resolution 2231.\n"
                  "Kyiv accused Moscow of never implementing the Minsk agreements.\n"
                  "Hungary vetoed the EU's 19th sanctions package on Tuesday. Budapest said the package hurt its energy security.")
    docs = _docs(record)
    assert docs["UN Security Council Resolution 2231"].kind == "resolution"
    assert docs["Minsk agreements"].kind == "agreement" and docs["Minsk agreements"].status is None  # "never implementing"
    package = docs["19th sanctions package"]
    assert (package.kind, package.status) == ("sanctions package", "rejected")
    assert "European Union" in _names(record, package.parties)
    assert [m.text for m in package.mentions] == ["19th sanctions package", "package"]


def test_acronym_later_alone(code):
    record = code("The Joint Comprehensive Plan of Action (JCPOA) was suspended in 2018. Tehran said the JCPOA was dead.")
    (d,) = record.documents
    assert (d.name, d.aliases, d.kind, d.status) == ("Joint Comprehensive Plan of Action", ["JCPOA"], "plan", "suspended")
    assert [m.text for m in d.mentions] == ["Joint Comprehensive Plan of Action (JCPOA)", "JCPOA"]


def test_signing_parties_and_replacement(code):
    record = code("Kinshasa and Kigali signed a framework agreement in Doha. The deal replaced the 2022 Luanda roadmap.")
    docs = _docs(record)
    agreement, roadmap = docs["framework agreement"], docs["2022 Luanda roadmap"]
    assert agreement.status == "signed"
    assert _names(record, agreement.parties) == ["Democratic Republic of the Congo", "Rwanda"]
    assert agreement.replaces == [roadmap.id]
    assert [m.text for m in agreement.mentions] == ["framework agreement", "deal"]


@pytest.mark.parametrize("text, name, status", [
    ("Armenia and Azerbaijan will sign a peace treaty in Washington next month.", "peace treaty", "agreed"),
    ("Tehran refused to sign a joint statement drafted by the Europeans.", "joint statement", "rejected"),
    ("The two sides discussed a prisoner exchange deal.", "prisoner exchange deal", "under negotiation"),
    ("Parliament ratified the free-trade agreement with Kenya on Monday.", "free-trade agreement", "ratified"),
    ("Egypt put forward a ceasefire proposal on Sunday.", "ceasefire proposal", "proposed"),
    ("The truce agreement took effect at midnight after both sides implemented the truce agreement.",
     "truce agreement", "in force"),
])
def test_status_from_cue_words(code, text, name, status):
    docs = _docs(code(text))
    assert docs[name].status == status


def test_ambiguous_generic_mention_links_to_nothing(code):
    record = code("The US proposed a peace plan and Russia proposed a ceasefire plan. The plan was rejected.")
    docs = _docs(record)
    assert set(docs) == {"peace plan", "ceasefire plan"}
    assert all(len(d.mentions) == 1 for d in docs.values())


@pytest.mark.parametrize("text", [
    "Zelensky will discuss a draft document with Trump.",
    "Iran's nuclear programme worries its neighbours.",
    "The EU approved a €90 billion financial security guarantee for Ukraine.",
    "They agreed on the need for more talks.",
])
def test_no_document(code, text):
    assert code(text).documents == []


@pytest.mark.parametrize("text", [
    "the Security Action for Europe (SAFE",
    "the (XYZ) plan and (",
    "A 28-point plan)) was ((proposed by",
    "(((",
    "The plan.",
    "Resolution 2231 2231 2231 of of of",
])
def test_bad_input_gives_a_record_or_nothing(code, text):
    record = code(text)
    for d in record.documents:
        assert d.mentions and all(record.article.text[m.start:m.end] == m.text for m in d.mentions)
