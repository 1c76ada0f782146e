"""Events: PLOVER interactions found from the trigger lexicon on spaCy's dependency parse.

A trigger (a verb such as "met", or a noun such as "call" in "held a phone call with") gives
type and mode; the parse gives who acted (subject, possessor, or the subject of the clause a
noun sits in) and on whom (object, or the object of a preposition the lexicon names). Mentions
of the same interaction in several sentences are merged into one event afterwards.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from spacy.tokens import Token

from ..kb import load_kb
from ..nlp import Paragraph
from ..ontology import load_ontology
from ..ontology.cues import Cues, load_cues
from ..record import Location
from .actors import ActorTable, country_word_actor, state_actor
from .dates import resolve
from .places import PlaceTable
from .syntax import NOUN_POS, VERB_POS
from .syntax import actor_keys as _keys

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
INHERIT_SUBJECT_DEPS = {"xcomp", "conj", "advcl", "pcomp", "ccomp", "acomp"}  # acomp: "is willing to withdraw"
TRANSPARENT_NOUNS = {"series", "round", "number", "set", "couple", "string", "flurry", "wave"}
UNDIRECTED_TYPES = {"PROTEST", "MOBILIZE"}
SEQUENCE_PREPS = {"following", "after", "before", "since", "until", "preceding", "of"}
PURPOSE_TYPES = {"AGREE", "AID", "SUPPORT", "COOPERATE"}  # "pledged $1bn to help Ukraine"
TOPIC_PREPS = {"on", "about", "regarding", "concerning", "over"}
# Modifiers that set an event before the story's day ("earlier talks"): such events keep no inherited date.
PAST_MODIFIERS = {"earlier", "previous", "past", "last", "recent", "prior", "former"}


@dataclass
class Found:
    """An event as found in one sentence, before merging."""
    event: str
    mode: str | None
    context: list[str]
    cameo: str | None
    actors: list[str]
    recipients: list[str]
    planned: bool
    negated: bool
    date: date | None
    date_text: str | None
    location: Location | None
    trigger: tuple[int, int]
    text: str
    sentence: tuple[int, int]
    evidence: list[tuple[int, int]] = field(default_factory=list)
    earlier: bool = False  # marked as before the story's day ("earlier talks")
    sequenced: bool = False  # set before or after another act ("contact following consultations")


def extract_events(paragraphs: list[Paragraph], actors: ActorTable, places: PlaceTable,
                   published: date | None, summaries: tuple[str | None, ...] = ()) -> list[Found]:
    ontology = load_ontology()
    cues = load_cues()
    found: list[Found] = []
    story = Story()
    for pi, para in enumerate(paragraphs):
        if pi < 2 and para.doc.text.strip() in {s.strip() for s in summaries if s}:
            continue  # headline and standfirst: telegraphic summaries of what the body tells
        for sent in para.doc.sents:
            dates = _dates_in(sent, cues)
            coded: list[tuple[Token, list[Found]]] = []
            unrealised: list[Token] = []  # "demanded that …", "threatened to …": what they govern did not happen
            for tok in sent:
                trigger = _trigger(ontology, tok, actors, pi)
                if trigger is not None:
                    if trigger.event in cues.unrealised_types or trigger.mode in cues.unrealised_modes:
                        unrealised.append(tok)
                    if any(_demanded(tok, u) for u in unrealised):
                        continue
                    events = _code(pi, para, sent, tok, trigger, actors, places, dates, published, cues, ontology, story)
                    coded.append((tok, events))
                    for event in events:
                        story.tell(tok, event)
            for tok, events in coded:
                outer = next((o for o, oe in coded if oe and o != tok and _governed(tok, o)), None)
                means = next((oe for o, oe in coded if oe and o != tok and _means_of(tok, o)), None)
                if means and {e.event for e in events} <= {e.event for e in means}:
                    _fold_means(means, events)  # "killed in a car bombing": one act, told twice
                    continue
                if any(_demanded(tok, u) for u in unrealised):
                    continue
                if outer is None:
                    found.extend(events)
                else:
                    _fold_into(dict(coded)[outer], events)
    return found


REACTION_TYPES = {"ACCUSE", "REJECT", "SUPPORT", "REQUEST", "PROTEST"}


@dataclass
class Story:
    """What the article has told so far, for references back to it ("the two sides", "the measures")."""
    told: list[Found] = field(default_factory=list)
    acts: dict[str, list[str]] = field(default_factory=dict)  # lemma of an act or its object -> its actors
    hard_acts: list[Found] = field(default_factory=list)  # sanctions, attacks, threats: what "the measures" may mean

    def tell(self, tok: Token, event: Found) -> None:
        self.told.append(event)
        if event.event in REACTION_TYPES:  # "rejected the sanctions" does not make them Caracas's
            return
        for word in [tok] + [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]:
            self.acts[word.lemma_.lower()] = list(event.actors)
        if event.event in ("SANCTION", "COERCE", "ASSAULT", "THREATEN", "MOBILIZE"):
            self.hard_acts.append(event)

    def last_act_on(self, actor_keys: list[str]) -> list[str]:
        """Who did the latest such act to these actors ("Moscow condemned the new measures": the EU's
        sanctions on Russia, not Russia's own attack told since), else the latest act by others."""
        for wanted in (lambda e: set(e.recipients) & set(actor_keys), lambda e: not set(e.actors) & set(actor_keys)):
            for event in reversed(self.hard_acts):
                if event.actors and wanted(event):
                    return list(event.actors)
        return []

    def parties(self, actors: ActorTable, reference: Token, outsider: list[str] = ()) -> list[str]:
        """The parties of the last interaction the plural phrase can mean; an outsider who urges
        "both sides" means the sides of a dispute it took no part in, not its own calls."""
        people_only = reference.lemma_.lower() in ("minister", "leader", "president", "counterpart", "negotiator")
        for event in reversed(self.told):
            keys = event.actors if len(event.actors) > 1 else event.actors + event.recipients
            if len(keys) < 2 or set(keys) & set(outsider):
                continue
            if people_only and any(actors.entities[k].kind != "person" for k in keys):
                continue
            return list(keys)
        return []


def _fold_into(outer_events: list[Found], inner_events: list[Found]) -> None:
    """'agreed to talk again on Friday': the agreement is to meet, on the meeting's day."""
    for outer in outer_events:
        for inner in inner_events:
            if outer.event == "AGREE" and inner.event in ("CONSULT", "AGREE"):
                outer.mode = outer.mode or inner.mode or "meet"
                outer.planned = outer.planned or bool(inner.date)  # a meeting arranged for a day
                if inner.date and not outer.date:
                    outer.date, outer.date_text = inner.date, inner.date_text
                outer.location = outer.location or inner.location


GOVERNED_PATH = {"xcomp", "dobj", "pobj", "prep", "ccomp", "pcomp"}
MEANS_OF_ACT = {"in", "by", "with", "through"}
LOCATION_PREPS = {"in", "at", "near", "outside", "inside", "around"}  # where an act took place


def _means_of(inner: Token, outer: Token) -> bool:
    """'killed in a car bombing', 'wounded by shelling': the noun is how the verb's act was done."""
    return (inner.dep_ == "pobj" and inner.head.dep_ in ("prep", "agent") and inner.head.lower_ in MEANS_OF_ACT
            and inner.head.head == outer)


def _fold_means(outer_events: list[Found], inner_events: list[Found]) -> None:
    for outer in outer_events:
        for inner in inner_events:
            if inner.event == outer.event:
                outer.mode = outer.mode or inner.mode
                outer.actors = outer.actors or inner.actors
                outer.location = outer.location or inner.location


def _governed(inner: Token, outer: Token) -> bool:
    """'agreed to continue the dialogue': the dialogue is what was agreed, not an event of its own."""
    node, through_xcomp = inner, False
    for _ in range(6):
        if node.dep_ not in GOVERNED_PATH or node.head == node:
            return False
        through_xcomp |= node.dep_ == "xcomp"
        node = node.head
        if node == outer:
            return through_xcomp
    return False


DEMANDED_PATH = {"ccomp", "xcomp", "acl", "dobj", "pobj", "prep"}


def _demanded(inner: Token, outer: Token) -> bool:
    """'demanded that Israel ease restrictions', 'its demand that …': the eased restrictions are
    what was asked for, not an act that took place."""
    # "reiterated its demand that …": the clause hangs on the verb whose object the demand is
    holder = outer.head if outer.dep_ == "dobj" and outer.pos_ in NOUN_POS else None
    node = inner
    for _ in range(6):
        if node.dep_ not in DEMANDED_PATH or node.head == node:
            return False
        step = node.dep_
        node = node.head
        if node == outer or (node == holder and step == "ccomp"):
            return True
    return False


# --- triggers ---------------------------------------------------------------------------


def _trigger(ontology, tok: Token, actors: ActorTable, pi: int):
    if tok.pos_ in VERB_POS:
        pos = "VERB"
        if tok.dep_ in ("amod", "compound"):
            return None
    elif tok.pos_ in NOUN_POS:
        pos = "NOUN"
        if tok.dep_ == "compound" or tok.ent_type_ in ("PERSON", "GPE", "ORG", "NORP"):
            return None
        head = tok.head
        if head != tok and head.pos_ in VERB_POS and tok.dep_ in ("dobj", "nsubjpass"):
            for entry in ontology.triggers_by_lemma(head.lemma_.lower(), "VERB"):
                if entry.requires_object and tok.lemma_.lower() in entry.requires_object:
                    return None  # "imposed sanctions": the verb is the trigger
    else:
        return None
    candidates = [e for e in ontology.triggers_by_lemma(tok.lemma_.lower(), pos) if _conditions_hold(e, tok, actors, pi)]
    if not candidates:
        return None
    best = max(e.specificity for e in candidates)
    return next(e for e in candidates if e.specificity == best)  # ties: the entry listed first


def _matches(words: tuple[str, ...], tokens: list[Token], actors: ActorTable, pi: int) -> bool:
    for t in tokens:
        if t.lemma_.lower() in words or t.lower_ in words:
            return True
        if "@actor" in words and _keys(actors, pi, t):
            return True
    return False


MEANS_PREPS = {"by", "via", "over"}


def _preps(tok: Token, entry) -> list[Token]:
    """Prepositions that belong to the trigger, including those the parser hung lower:
    "pulled out of the deal" (under the particle), "spoke by phone with X" (under the means),
    "imposed sanctions on X" (under the required object)."""
    preps = [c for c in tok.children if c.dep_ == "prep"]
    for child in tok.children:
        if child.dep_ == "prt":
            preps += [g for g in child.children if g.dep_ == "prep"]
        elif child.dep_ == "prep" and child.lower_ in MEANS_PREPS:
            preps += [p for o in child.children if o.dep_ == "pobj" for p in o.children if p.dep_ == "prep"]
        elif child.dep_ in ("dobj", "nsubjpass") and entry.requires_object and child.lemma_.lower() in entry.requires_object:
            preps += [p for p in child.children if p.dep_ == "prep"]
    return preps + _light_verb_preps(tok)


def _light_verb_preps(tok: Token) -> list[Token]:
    """'opened investigations against X', 'paid compensation to X': the parser hangs them on the verb."""
    if tok.pos_ in NOUN_POS and tok.dep_ == "dobj" and tok.head.lemma_.lower() in load_ontology().light_verbs:
        return [c for c in tok.head.children if c.dep_ in ("prep", "dative") and c.i > tok.i]
    return []


def _conditions_hold(entry, tok: Token, actors: ActorTable, pi: int) -> bool:
    children = list(tok.children)
    if entry.requires_object:
        objects = [c for c in children if c.dep_ in ("dobj", "nsubjpass", "oprd")]  # "called Rubio" parses as oprd
        measures = load_cues().measure_nouns  # "25,000 tons of food aid": the aid is the object
        objects += [g for o in objects if o.lemma_.lower() in measures
                    for p in o.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children if g.dep_ == "pobj"]
        objects += [o for p in children if p.dep_ == "prep" and p.lower_ == "with" for o in p.children if o.dep_ == "pobj"]
        if not _matches(entry.requires_object, objects, actors, pi):
            return False
    preps = _preps(tok, entry) + [c for c in children if c.dep_ in ("agent", "dative")]
    # "held thousands of refugees as human shields": a predicative "as" hung on the object
    preps += [p for o in children if o.dep_ == "dobj" for p in o.children if p.dep_ == "prep" and p.lower_ == "as"]
    if entry.requires_prep:
        preps = [p for p in preps if p.lemma_.lower() in entry.requires_prep]
        if not preps:
            return False
    if entry.requires_pobj:
        pobjs = [o for p in preps for o in p.children if o.dep_ in ("pobj", "pcomp")]
        if not _matches(entry.requires_pobj, pobjs, actors, pi):
            return False
    if entry.requires_particle:
        particles = [c for c in children if c.dep_ == "prt"
                     or (c.pos_ in ("ADP", "ADV") and c.i > tok.i  # "forced the agency out of"
                         and not any(g.dep_ == "pobj" for g in c.children))]
        if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].dep_ in ("quantmod", "advmod"):
            particles.append(tok.doc[tok.i + 1])  # "handed over 700 kg": the parser read a quantity word
        if entry.requires_particle not in {c.lemma_.lower() for c in particles}:
            return False
    if entry.requires_governor:
        governor = tok.head.head if tok.head.dep_ == "prep" else tok.head
        if governor == tok or governor.lemma_.lower() not in entry.requires_governor:
            return False
    if entry.requires_modifier:
        mods = [c for c in children if c.dep_ in ("amod", "compound", "nmod", "npadvmod", "advmod")]
        if not _matches(entry.requires_modifier, mods, actors, pi):
            return False
    if entry.requires_clause_modal and not _modal_clause(tok, entry.requires_clause_modal, actors, pi):
        return False
    return True


def _modal_clause(tok: Token, modals: tuple[str, ...], actors: ActorTable, pi: int) -> bool:
    """'said Sudan must return …', 'said Hamas has to …': a clause of obligation on an actor."""
    for clause in (c for c in tok.children if c.dep_ == "ccomp"):
        # "must"/"should" as auxiliaries; "have"/"need" only as the verb of "has to", "needs to"
        obliged = any(c.dep_ == "aux" and c.lower_ in modals and c.lemma_.lower() not in ("have", "need")
                      for c in clause.children) or (
            clause.lemma_.lower() in modals and any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)
                                                    for c in clause.children))
        if obliged and _clause_subject_keys(actors, pi, clause):
            return True
    return False


def _anchor_verb(tok: Token) -> Token:
    """The verb whose clause a noun trigger sits in."""
    node = tok
    for _ in range(8):
        if node.pos_ in VERB_POS or node.head == node:
            return node
        node = node.head
    return node


def _subject(tok: Token) -> Token | None:
    node = tok
    for _ in range(6):
        for child in node.children:
            if child.dep_ in ("nsubj", "csubj"):
                return child
            if child.dep_ == "nsubjpass":
                # the agent, also when it hangs on a conjoined participle ("was shot and killed by …")
                agent = next((c for n in [node, *node.conjuncts] for c in n.children if c.dep_ == "agent"), None)
                obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
                if obj is not None or node != tok:  # "is expected to meet": the subject acts in the verb it governs
                    return obj or child
                return None  # "Scott was shot": Scott did not shoot
        if node.dep_ == "conj" and node.head != node and node.tag_ != "VBN":
            # "has been indicted by the court and will resign": the indicted resigns (not "shot and killed")
            passive = next((c for c in node.head.children if c.dep_ == "nsubjpass"), None)
            if passive is not None:
                return passive
        if node.dep_ in INHERIT_SUBJECT_DEPS and node.head != node:
            node = node.head
            if node.dep_ == "prep" and node.head != node:  # "resorted to throwing stones"
                node = node.head
            continue
        if node.dep_ in ("acl", "relcl") and node.head != node:
            return node.head
        return None
    return None


def _noun_actor(tok: Token) -> Token | None:
    node = tok
    for _ in range(4):
        poss = next((c for c in node.children if c.dep_ == "poss"), None)
        if poss is not None:
            return poss
        head = node.head
        if head == node:
            return None
        if node.dep_ == "pobj" and head.dep_ == "prep":
            if head.lower_ in TOPIC_PREPS:  # "briefed him on the negotiations": a topic, not an event
                return None
            owner = head.head
            if owner.pos_ in NOUN_POS and owner.lemma_.lower() in TRANSPARENT_NOUNS:
                node = owner
                continue
            if owner.pos_ in VERB_POS:
                if any(c.dep_ == "nsubjpass" for c in owner.children) and not any(c.dep_ == "agent" for c in owner.children):
                    return None  # "civilians were killed in a bombing": the civilians did not bomb
                return _subject(owner)
            if owner.pos_ in NOUN_POS or owner.pos_ in ("ADV", "ADP"):  # "contact following talks", "ahead of talks"
                node = owner
                continue
            return None
        if node.dep_ in ("advmod", "npadvmod", "prep") and head.pos_ in VERB_POS:
            return _subject(head)
        if node.dep_ in ("dobj", "attr", "conj", "appos") and head.pos_ in VERB_POS:
            return _subject(head)
        if node.dep_ in ("conj", "appos") and head.pos_ in NOUN_POS:
            node = head
            continue
        return None
    return None


# --- arguments --------------------------------------------------------------------------


def _after(actors: ActorTable, pi: int, prep: Token) -> list[str]:
    """A preposition the parser left without an object: take the next actor mention after it."""
    found: list[str] = []
    for tok in prep.doc[prep.i + 1: prep.sent.end]:
        if tok.is_punct and tok.text in ",;:" or tok.pos_ in VERB_POS:
            break
        found += [k for k in actors.keys_at(pi, tok) if k not in found]
    people = [k for k in found if actors.entities[k].kind == "person"]
    return people or found


def _recipients(actors: ActorTable, pi: int, tok: Token, entry) -> tuple[list[str], list[str]]:
    """Recipients, plus extra actors from "between A and B"."""
    recipients: list[str] = []
    between: list[str] = []
    if entry.object == "recipient":
        for child in tok.children:
            if child.dep_ in ("dobj", "dative", "oprd") or (child.dep_ == "nsubjpass" and any(c.dep_ == "agent" for c in tok.children)):
                recipients += _keys(actors, pi, child)
    for prep in _preps(tok, entry):
        word = prep.lower_
        if word not in entry.preps and word not in ("between", "among"):
            continue
        objs = [c for c in prep.children if c.dep_ == "pobj"]
        keys = [k for o in objs for k in _keys(actors, pi, o)] if objs else _after(actors, pi, prep)
        if word in ("between", "among"):
            between += keys
        else:
            recipients += keys
    return _unique(recipients), _unique(between)


def _unique(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(keys))


# --- tense, negation, dates, places -----------------------------------------------------


def _planned(tok: Token, anchor: Token, cues: Cues) -> bool:
    for node in {tok, anchor}:
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in cues.future_auxiliaries for c in node.children):
            return True
        if node.dep_ in ("xcomp", "ccomp") and node.head.lemma_.lower() in cues.planning_verbs:
            return True
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children) and node.head.lemma_.lower() in cues.planning_verbs:
            return True
    if tok != anchor and any(c.dep_ == "acomp" and c.lemma_.lower() in cues.planning_verbs for c in anchor.children):
        return True  # "is due in Bogota on Friday for talks", "is set for talks"
    if tok.pos_ in NOUN_POS:
        mods = {c.lemma_.lower() for c in tok.children if c.dep_ in ("amod", "compound", "nmod")}
        mods |= {c.lower_ for c in tok.children if c.dep_ in ("amod", "compound", "nmod")}
        if mods & cues.planning_modifiers:
            return True
    return False


def _negated(tok: Token, anchor: Token, cues: Cues) -> bool:
    for node in {tok, anchor}:
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in node.children):
            return True
        if node.dep_ == "xcomp" and node.head.lemma_.lower() in cues.negating_verbs:
            return True
    return False


@dataclass
class DateMention:
    start: int  # char offset in the paragraph
    end: int
    text: str
    attach: Token  # the verb or noun the expression modifies


def _dates_in(sent, cues: Cues) -> list[DateMention]:
    doc = sent.doc
    mentions: list[DateMention] = []
    taken: set[int] = set()
    for ent in sent.ents:
        if ent.label_ in ("DATE", "TIME"):
            mentions.append(DateMention(ent.start_char, ent.end_char, ent.text, _attach(ent.root)))
            taken.update(range(ent.start, ent.end))
    lowered = sent.text.lower()
    for m in _relative_day_pattern(tuple(cues.relative_days)).finditer(lowered):
        span = doc.char_span(sent.start_char + m.start(), sent.start_char + m.end(), alignment_mode="expand")
        if span is None or any(t.i in taken for t in span):
            continue
        mentions.append(DateMention(span.start_char, span.end_char, span.text, _attach(span.root)))
        taken.update(range(span.start, span.end))
    return mentions


@lru_cache(maxsize=4)
def _relative_day_pattern(phrases: tuple[str, ...]) -> re.Pattern:
    """One alternation of every relative-day phrase, longest first."""
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")\b")


def _attach(tok: Token) -> Token:
    node = tok
    for _ in range(8):
        if node.head == node:
            return node
        if node != tok and (node.pos_ in VERB_POS or node.pos_ in NOUN_POS and node.dep_ not in ("pobj",)):
            if node.pos_ in VERB_POS or node.dep_ in ("dobj", "nsubj", "ROOT"):
                return node
        node = node.head
    return node


def _date_for(tok: Token, anchor: Token, dates: list[DateMention], published: date | None, future: bool):
    attached = [d for d in dates if d.attach == tok or d.attach == anchor]
    for d in attached:  # "for several hours on Tuesday night": the expression that names a day wins
        day = resolve(d.text, published, future)
        if day:
            return day, d.text
    return (None, attached[0].text) if attached else (None, None)


def _location(pi: int, tok: Token, anchor: Token, recipient_tokens: list[Token], places: PlaceTable,
              cues: Cues) -> Location | None:
    for owner in [tok, anchor, *recipient_tokens]:
        for child in owner.children:
            if child.dep_ == "compound" and owner == tok:
                loc = places.at(pi, child)
                if loc:
                    return loc
            if child.dep_ != "prep" or child.lower_ not in LOCATION_PREPS:
                continue
            for obj in (c for c in child.children if c.dep_ == "pobj"):
                loc = _place_at(pi, obj, places, cues)
                if loc:
                    return loc
    return None


def _place_at(pi: int, node: Token, places: PlaceTable, cues: Cues) -> Location | None:
    """The place a noun names: itself, or through a frame ("the town of Samarra", "Montenegro province",
    "Macedonia's border")."""
    loc = places.at(pi, node)
    if loc is None and node.pos_ in NOUN_POS:  # "outside the National Press Club in Islamabad"
        loc = next((found for p in node.children if p.dep_ == "prep" and p.lower_ == "in"
                    for o in p.children if o.dep_ == "pobj" and (found := places.at(pi, o)) is not None), None)
    if loc is None and node.lemma_.lower() in cues.place_frames:
        inner = [g for p in node.children if p.dep_ == "prep" and p.lower_ == "of"
                 for g in p.children if g.dep_ == "pobj"] + [c for c in node.children if c.dep_ in ("compound", "poss")]
        loc = next((found for g in inner if (found := places.at(pi, g)) is not None), None)
    return loc


# --- coding one trigger -----------------------------------------------------------------


def _stands_alone(tok: Token, entry, subject: Token | None, ontology, actors: ActorTable, pi: int) -> bool:
    """An event with no recipient is kept when PLOVER allows it and a named actor does it in a main
    clause ("Hamas agreed to …", "protesters rallied"), not from a noun or a pronoun."""
    if entry.event in UNDIRECTED_TYPES:
        return True
    if ontology.types[entry.event].requires_recipient or tok.pos_ not in VERB_POS:
        return False
    if subject is None or (subject.pos_ == "PRON" and not actors.keys_at(pi, subject)):
        return False  # a pronoun stands for an actor only when the actor table resolved it
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in load_cues().negating_verbs:
        tok = tok.head  # "declined to resign": the refusal is the main clause's
    return tok.dep_ in ("ROOT", "ccomp", "conj")


def _plural_reference(tok: Token | None, cues: Cues) -> bool:
    """'the two sides', 'both leaders', 'the ministers', 'they'."""
    if tok is None:
        return False
    if tok.lower_ == "they":
        return True
    if tok.tag_ != "NNS" or tok.lemma_.lower() not in cues.plural_references:
        return False
    return any(c.lower_ in ("the", "both", "two", "three", "all") for c in tok.children if c.dep_ in ("det", "nummod", "predet"))


def _referred_recipients(tok: Token, cues: Cues, story: Story, actor_keys: list[str]) -> list[str]:
    """'condemned the sanctions': whoever imposed them; 'pledged $1bn to help Ukraine': Ukraine."""
    for obj in (c for c in tok.children if c.dep_ in ("dobj", "pobj")):
        if not any(c.dep_ == "poss" or c.lower_ in ("the", "these", "those", "this", "such") for c in obj.children):
            continue  # only a definite phrase refers back: "the sanctions", not "three radar systems"
        lemma = obj.lemma_.lower()
        if lemma in story.acts:
            return story.acts[lemma]
        if lemma in cues.anaphoric_acts and (doers := story.last_act_on(actor_keys)):
            return doers
    return []


NESTED_PATH = {"xcomp", "dobj", "prep", "pobj", "dative", "advcl", "conj", "acl", "ccomp"}
RECIPIENT_PREPS = {"to", "with", "against", "on", "toward", "towards", "from"}
CLAUSE_DEPS = {"acl", "relcl", "advcl", "ccomp", "xcomp", "conj", "pcomp", "parataxis"}


def _nested_recipients(actors: ActorTable, pi: int, tok: Token, entry, subject: Token | None,
                       keys_of=None, skip=lambda key: False) -> list[str]:
    """The parser hung the recipient lower: "offered to hand over to Britain", "promised aid to Mozambique",
    "will give Tanzania a grant", "threatened to ban opposition candidates". Breadth-first through the
    trigger's complements, nearest first."""
    keys_of = keys_of or (lambda node: _keys(actors, pi, node))
    avoid = {t.i for t in subject.subtree} if subject is not None else set()
    cues = load_cues()
    allowed = set(entry.preps) | RECIPIENT_PREPS  # never "according to", "in", "after" ...
    if entry.event in cues.beneficiary_types:
        allowed.add("for")  # "suspended an aid programme for Bosnia"
    frontier = [c for c in [*tok.children, *_light_verb_preps(tok)]
                if c.dep_ in NESTED_PATH and (c.dep_ != "prep" or c.lower_ in allowed)]
    for _ in range(8):  # "a proposal to open the first cluster of negotiations with Ukraine"
        next_frontier = []
        for node in frontier:
            if node.lemma_.lower() in cues.measure_nouns:  # "part of an aid programme for …"
                next_frontier += [p for p in node.children if p.dep_ == "prep" and p.lower_ == "of"]
            if node.i in avoid:
                continue
            # the object of the trigger itself only when the lexicon says so; of an inner verb always
            is_object = node.dep_ in ("dobj", "dative") and (entry.object == "recipient" or node.head != tok)
            is_prep_object = node.dep_ == "pobj" and node.head.lower_ in allowed
            if is_object or is_prep_object or node.dep_ == "dative":
                keys = [k for k in keys_of(node) if not skip(k)]  # "re-open its borders to UN troops": not its own
                if keys:
                    return keys
            next_frontier += [c for c in node.children if c.dep_ in NESTED_PATH  # "of": read through, never taken
                              and (c.dep_ != "prep" or c.lower_ in allowed or c.lower_ == "of")]
        frontier = next_frontier
    return []


def _clause_subject_keys(actors: ActorTable, pi: int, clause: Token, offset: int | None = None) -> list[str]:
    """The actors a clause's subject names ("… that *Hamas* renounce", "… unless *Baghdad* accepts");
    given the paragraph's offset, also through its modifiers ("… that its *European Community* partners")."""
    subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or offset is None:
        return _keys(actors, pi, subject)
    return _argument_keys(actors, pi, offset, subject)


def _condition_recipients(actors: ActorTable, pi: int, offset: int, tok: Token, cues: Cues) -> list[str]:
    """'threatened to … unless Baghdad accepted', '… if the United States goes ahead': who must act."""
    clauses = [t for t in tok.subtree if t.dep_ == "advcl" and t != tok
               and any(m.dep_ == "mark" and m.lower_ in cues.condition_marks for m in t.children)]
    for clause in sorted(clauses, key=lambda t: abs(t.i - tok.i)):
        keys = _clause_subject_keys(actors, pi, clause, offset)
        if keys:
            return keys
    return []


def _home_country(actors: ActorTable, actor_keys: list[str]) -> str | None:
    """The one known state all these actors belong to, if there is one."""
    homes = {actors.entities[k].country for k in actor_keys}
    if len(homes) != 1 or None in homes:
        return None
    (iso3,) = homes
    return iso3 if load_kb().country(iso3) is not None else None


def _home_recipients(actors: ActorTable, actor_keys: list[str]) -> list[str]:
    """A protest that names no one is aimed at the protesters' own government ("Egyptian
    demonstrators rioted"), as event coders code domestic protest."""
    iso3 = _home_country(actors, actor_keys)
    if iso3 is None or any(actors.entities[k].sector == "GOV" for k in actor_keys):
        return []  # a government, or one of its people, holding a rally does not protest against itself
    key = state_actor(actors, load_kb(), iso3)
    if not actors.entities[key].mentions:  # named only through its people: "Egyptian demonstrators"
        named = [m for k in actor_keys for m in actors.entities[k].mentions]
        if named:
            actors.entities[key].add(*min(named)[:3])
    return [key]


def _domestic_recipients(actors: ActorTable, pi: int, offset: int, tok: Token, event: str, actor_keys: list[str],
                         subject: Token | None, cues: Cues) -> list[str]:
    """A state's own police, army or government acting on unnamed people at home ("Turkish police
    prevented the demonstration"): the state receives it when the sentence names no other state."""
    iso3 = _home_country(actors, actor_keys)
    if iso3 is None or not all(actors.entities[k].sector in cues.state_sectors for k in actor_keys):
        return []
    kb = load_kb()
    avoid = {t.i for t in subject.subtree} if subject is not None else set()
    clause, frontier = [], [c for c in tok.children if c.i not in avoid and c.dep_ not in ("conj", "ccomp", "relcl")]
    while frontier:  # the trigger's own clause: "… to protest the sending of troops to Iraq" is another
        clause += frontier
        frontier = [c for t in frontier for c in t.children if c.dep_ not in CLAUSE_DEPS]
    named = {actors.entities[k].country for t in [*clause, *(subject.subtree if subject is not None else [])]
             for k in actors.keys_at(pi, t)}
    if (named - {iso3, None}) & {c.iso3 for c in kb.countries}:
        return []
    done_to = [t for t in clause if t.pos_ in NOUN_POS | {"NUM"} and t.dep_ in ("dobj", "pobj", "nsubjpass")]
    if not done_to:
        return []
    people = cues.domestic_assault_objects
    wanted = {"ASSAULT": people, "COERCE": people | cues.domestic_coerce_objects,
              "SUPPORT": cues.domestic_support_objects}.get(event)
    if wanted is not None and not any(t.lemma_.lower() in wanted for t in done_to):
        return []
    key = state_actor(actors, kb, iso3, "CVL")
    _mention_words(actors, offset, key, done_to[0])  # "the demonstration" stands for its people
    return [key]


def _purpose_recipients(actors: ActorTable, pi: int, tok: Token) -> list[str]:
    for clause in (c for c in tok.children if c.dep_ in ("xcomp", "advcl") and c.pos_ in VERB_POS):
        # "to help Ukraine", "to help Ukraine repair" (Ukraine is the subject of the inner clause)
        candidates = [c for c in clause.children if c.dep_ in ("dobj", "dative")]
        candidates += [g for c in clause.children if c.dep_ in ("ccomp", "xcomp") for g in c.children if g.dep_ == "nsubj"]
        for obj in candidates:
            keys = _keys(actors, pi, obj)
            if keys:
                return keys
    return []


def _place_recipients(actors: ActorTable, pi: int, offset: int, tok: Token, subject: Token | None,
                      places: PlaceTable, cues: Cues) -> list[str]:
    """The country where an act with no named recipient was done ("lifted a curfew in Montenegro",
    "shelled positions near Rafah"), nearest first through the trigger's complements."""
    avoid = {t.i for t in subject.subtree} if subject is not None else set()
    frontier = [c for c in tok.children if c.dep_ in NESTED_PATH | {"npadvmod"}]
    if tok.pos_ in NOUN_POS:  # "the invasion of South Lebanon", "the blockade of Gaza"
        frontier += [o for p in tok.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
    for _ in range(6):
        next_frontier = []
        for node in frontier:
            if node.i in avoid:
                continue
            at_place = node.dep_ == "dobj" or (node.dep_ == "pobj" and (
                node.head.lower_ in cues.place_preps or (node.head.lower_ == "of" and node.head.head == tok)))
            loc = _place_at(pi, node, places, cues) if at_place else None
            if loc is not None and loc.country:
                key = state_actor(actors, load_kb(), loc.country)
                _mention(actors, pi, offset, key, node)
                return [key]
            next_frontier += [c for c in node.children if c.dep_ in NESTED_PATH | {"compound"}
                              and not (c.dep_ == "prep" and c.lower_ not in cues.place_preps | {"of"})]
        frontier = next_frontier
    return []


def _argument_keys(actors: ActorTable, pi: int, offset: int, node: Token) -> list[str]:
    """Actors a noun phrase names, or else the party it belongs to: "Congolese refugees",
    "positions of the Palestinian forces", "Sweden's decision", "the president of Armenia"."""
    keys = _keys(actors, pi, node)
    if keys or node.pos_ not in NOUN_POS | {"NUM"}:  # NUM: "thousands of Nigerians"
        return keys
    for part in [node, *node.conjuncts]:
        mods = [c for c in part.children if c.i < part.i and c.dep_ in ("poss", "amod", "compound", "nmod")]
        mods += [g for m in mods if m.dep_ == "compound" for g in m.children if g.dep_ == "compound"]  # "US Predator attacks"
        for mod in mods:
            found = _keys(actors, pi, mod)
            if not found and mod.pos_ in ("ADJ", "PROPN"):  # "Sierra Leonean and Liberian refugees"
                found = _country_word_keys(actors, pi, offset, [mod, *mod.conjuncts])
            keys += [k for k in found if k not in keys]
    if not keys:
        for prep in (c for c in node.children if c.dep_ == "prep" and c.lower_ in ("of", "by", "for")):
            keys += [k for o in prep.children if o.dep_ == "pobj" for k in _keys(actors, pi, o) if k not in keys]
    return keys


def _mention_words(actors: ActorTable, offset: int, key: str, named: Token) -> None:
    """A noun phrase stands for an actor ("a roadside bombing", "thousands of people") without marking
    its tokens, so that the next verb of the same subject does not take it for a named actor."""
    words = [t for t in named.subtree if t.i <= named.i] if named.pos_ in NOUN_POS | {"NUM"} else [named]
    first, last = words[0], words[-1]
    actors.entities[key].add(offset + first.idx, offset + last.idx + len(last.text),
                             named.doc.text[first.idx: last.idx + len(last.text)])


def _framed_targets(actors: ActorTable, pi: int, offset: int, tok: Token, cues: Cues) -> list[str]:
    """'blocked streets in defiance of Chinese authorities', 'in protest against the ban by X',
    'to show their disapproval for X'."""
    frames = [o for p in tok.children if p.dep_ == "prep" and p.lower_ == "in" for o in p.children if o.dep_ == "pobj"]
    frames += [o for c in tok.children if c.dep_ in ("advcl", "xcomp") for o in c.children if o.dep_ == "dobj"]
    for frame in (f for f in frames if f.lemma_.lower() in cues.protest_frames):
        around = [*frame.children, *(c for c in frame.head.children if c.i > frame.i and frame.dep_ == "dobj")]
        for inner in (p for p in around if p.dep_ == "prep" and p.lower_ in ("of", "against", "to", "at", "for", "with")):
            keys = [k for o in inner.children if o.dep_ == "pobj" for k in _argument_keys(actors, pi, offset, o)]
            if keys:
                return keys
    return []


def _resisted(actors: ActorTable, pi: int, offset: int, tok: Token, cues: Cues) -> list[str]:
    """'declined to resign despite pressure by X', 'rejected the plan despite calls from X': whom a refusal defies."""
    for owner in (tok, tok.head):
        for prep in (c for c in owner.children if c.dep_ == "prep" and c.lower_ in ("despite", "defying")):
            for frame in (o for o in prep.children if o.dep_ == "pobj" and o.lemma_.lower() in cues.refusal_frames):
                keys = [k for p in frame.children if p.dep_ == "prep" and p.lower_ in ("by", "from", "of")
                        for o in p.children if o.dep_ == "pobj" for k in _argument_keys(actors, pi, offset, o)]
                if keys:
                    return keys
    return []


def _politics(tok: Token, actor_keys: list[str], recipient_keys: list[str], actors: ActorTable, cues: Cues) -> bool:
    """'a campaign rally', 'President Macron held a rally in Lyon': not a protest."""
    if any(c.lemma_.lower() in cues.campaign_words for c in tok.children if c.dep_ in ("compound", "amod", "nmod")):
        return True
    return not recipient_keys and bool(actor_keys) and all(
        actors.entities[k].kind == "person" and actors.entities[k].sector == "GOV" for k in actor_keys)


def _crowd(subject: Token | None, cues: Cues) -> bool:
    """'protesters', 'thousands of farmers', 'hundreds of students': people with no nationality named."""
    if subject is None:
        return False
    heads = [subject, *[o for p in subject.children if p.dep_ == "prep" and p.lower_ == "of"
                        for o in p.children if o.dep_ == "pobj"]]
    return any(cues.group_nouns.get(h.lemma_.lower()) in cues.crowd_sectors for h in heads)


def _mention(actors: ActorTable, pi: int, offset: int, key: str, tok: Token) -> None:
    if not actors.keys_at(pi, tok):
        actors.mention_token(pi, offset, key, tok)


def _country_word_keys(actors: ActorTable, pi: int, offset: int, words: list[Token]) -> list[str]:
    """States or IGOs that modifier words name ("Australian", "UN"), made actors where they stand."""
    found = []
    for word in words:
        phrase = " ".join(t.text for t in word.subtree if t.dep_ in ("compound", "nmod") and t.i < word.i or t == word)
        key = country_word_actor(actors, load_kb(), phrase)
        if key:
            _mention(actors, pi, offset, key, word)
            found.append(key)
    return found


def _owner_recipients(actors: ActorTable, pi: int, offset: int, tok: Token, cues: Cues) -> list[str]:
    """Who made the proposal, offer or appeal the trigger answers: "rejected an Australian
    ultimatum", "welcomed Reagan's statement", "dismissed an appeal from the president"."""
    for obj in (c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")):
        if obj.lemma_.lower() not in cues.proposal_nouns:
            continue
        for mod in (c for c in obj.children if c.i < obj.i and c.dep_ in ("poss", "amod", "compound", "nmod")):
            keys = _keys(actors, pi, mod)
            if not keys and mod.pos_ in ("ADJ", "PROPN"):
                keys = _country_word_keys(actors, pi, offset, [mod])
            if keys:
                return keys
        for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ in ("from", "by", "of")):
            keys = [k for o in prep.children if o.dep_ == "pobj" for k in _keys(actors, pi, o)]
            if keys:
                return keys
    for obj in (c for c in tok.children if c.dep_ == "dobj" and c.pos_ in NOUN_POS):
        # whoever did what is condemned, investigated or demanded: "war crimes by Croatian
        # extremists", "an admission by Moscow"
        for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ == "by"):
            keys = [k for o in prep.children if o.dep_ == "pobj" for k in _argument_keys(actors, pi, offset, o)]
            if keys:
                return keys
    return []


def _clause_subject_recipients(actors: ActorTable, pi: int, offset: int, tok: Token) -> list[str]:
    """'demanded that Hamas renounce …', 'insisted that Israel ease …': the clause's subject."""
    holder = tok.head if tok.dep_ == "dobj" and tok.pos_ in NOUN_POS else tok  # "reiterated its demand that …"
    clauses = [c for c in [*tok.children, *holder.children] if c.dep_ == "ccomp"]
    if tok.pos_ in NOUN_POS:  # "its demand that Russia release …" (a clause on the noun)
        clauses += [c for c in tok.children if c.dep_ == "acl" and any(m.lower_ == "that" for m in c.children)]
    for clause in clauses:
        keys = _clause_subject_keys(actors, pi, clause, offset)
        if keys:
            return keys
    return []


def _code(pi, para, sent, tok, entry, actors, places, dates, published, cues, ontology, story) -> list[Found]:
    anchor = _anchor_verb(tok) if tok.pos_ in NOUN_POS else tok
    subject = _subject(tok) if tok.pos_ in VERB_POS else _noun_actor(tok)
    if tok.pos_ in VERB_POS and any(c.dep_ == "nsubjpass" for c in tok.children) and entry.object == "recipient":
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
    if subject is None and tok.pos_ in VERB_POS and entry.event in cues.passive_actor_types:
        subject = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)  # "guerrillas were demobilized"
    actor_keys = _keys(actors, pi, subject)
    if not actor_keys and subject is not None and subject.dep_ == "poss" and subject.pos_ == "PRON":
        subject = _subject(anchor)  # "held their first meeting": whoever held it
        actor_keys = _keys(actors, pi, subject)
    if not actor_keys and subject is not None and tok.dep_ == "acl" and subject == tok.head \
            and subject.dep_ == "dobj" and subject.head.pos_ in VERB_POS:
        subject = _subject(subject.head) or subject  # "issued a declaration demanding that …": the issuer
        actor_keys = _keys(actors, pi, subject)
    if not actor_keys and subject is not None and subject.pos_ in NOUN_POS | {"NUM"}:  # "US drone strikes killed …"
        actor_keys = _argument_keys(actors, pi, para.offset, subject)
    recipient_keys, between = _recipients(actors, pi, tok, entry)
    passive_object = next((c for c in tok.children if c.dep_ == "nsubjpass"), None) \
        if entry.object == "recipient" and tok.pos_ in VERB_POS else None
    if passive_object is not None and not recipient_keys:  # "three civilians were killed", "a camp … was attacked by …"
        recipient_keys = _argument_keys(actors, pi, para.offset, passive_object)
    if entry.object == "actor":  # "X hosted Y": Y visits X
        guests = [k for c in tok.children if c.dep_ == "dobj" for k in _keys(actors, pi, c)]
        if guests:
            actor_keys, recipient_keys = guests, _unique(actor_keys + recipient_keys)
    if between:
        actor_keys = actor_keys or between[:1]
        recipient_keys = recipient_keys or [k for k in between if k not in actor_keys]
    if not actor_keys and _plural_reference(subject, cues):
        actor_keys = story.parties(actors, subject)
    if not actor_keys and entry.event in cues.crowd_types and _crowd(subject, cues):
        where = _location(pi, tok, anchor, [subject, *[c for c in tok.children if c.dep_ == "dobj"]], places, cues)
        if where is not None and where.country and load_kb().country(where.country):
            actor_keys = [state_actor(actors, load_kb(), where.country, "CVL")]
            _mention_words(actors, para.offset, actor_keys[0], subject)
    if not recipient_keys and entry.object in ("recipient", "topic"):
        recipient_keys = [k for k in _referred_recipients(tok, cues, story, actor_keys) if k not in actor_keys]
    if not recipient_keys and entry.object == "recipient":  # "urged both sides to ..."
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if _plural_reference(obj, cues):
            recipient_keys = story.parties(actors, obj, outsider=actor_keys)
    if not recipient_keys and entry.event in PURPOSE_TYPES:
        recipient_keys = _purpose_recipients(actors, pi, tok)
    if not recipient_keys and entry.reciprocal and len(actor_keys) > 1:
        actor_keys, recipient_keys = actor_keys[:1], actor_keys[1:]
    if not recipient_keys and entry.event in REACTION_TYPES | {"AGREE"}:
        recipient_keys = [k for k in _owner_recipients(actors, pi, para.offset, tok, cues) if k not in actor_keys]
    if not recipient_keys and entry.event in cues.clause_recipient_types:
        recipient_keys = [k for k in _clause_subject_recipients(actors, pi, para.offset, tok) if k not in actor_keys]
    if not recipient_keys and entry.event == "THREATEN":
        recipient_keys = [k for k in _condition_recipients(actors, pi, para.offset, tok, cues) if k not in actor_keys]
    if not recipient_keys:
        recipient_keys = _nested_recipients(actors, pi, tok, entry, subject, skip=lambda k: k in actor_keys)
    if not recipient_keys:  # no actor named: the party a noun belongs to ("Congolese refugees")
        homes = {actors.entities[k].country for k in actor_keys if actors.entities[k].sector in ("GOV", None)}
        recipient_keys = _nested_recipients(
            actors, pi, tok, entry, subject, lambda n: _argument_keys(actors, pi, para.offset, n),
            skip=lambda k: k in actor_keys or (actors.entities[k].country in homes
                                               and actors.entities[k].sector in ("GOV", None)))
        # (a government's own state deep in the clause says little: "hailing efforts strengthening
        # Ukraine's position" is not Zelensky acting on Ukraine; "the Zambian people", or Hamas's
        # own state, still count)
    if not recipient_keys and entry.event in cues.crowd_types:
        recipient_keys = [k for k in _framed_targets(actors, pi, para.offset, tok, cues) if k not in actor_keys]
    if not recipient_keys and (entry.event == "REJECT" or entry.negated_event == "REJECT"):
        recipient_keys = [k for k in _resisted(actors, pi, para.offset, tok, cues) if k not in actor_keys]
    if not recipient_keys and actor_keys and (entry.event in cues.place_recipient_types
                                              or entry.mode in cues.place_recipient_modes):
        # a government's rally at home is not a protest against itself (its curfew at home still
        # falls on its country)
        governments = {actors.entities[k].country for k in actor_keys
                       if actors.entities[k].sector == "GOV" and entry.event == "PROTEST"}
        recipient_keys = [k for k in _place_recipients(actors, pi, para.offset, tok, subject, places, cues)
                          if actors.entities[k].country not in governments and k not in actor_keys]
    if not recipient_keys and actor_keys and entry.event in cues.domestic_recipient_types:
        recipient_keys = _domestic_recipients(actors, pi, para.offset, tok, entry.event, actor_keys, subject, cues)
    if not recipient_keys and actor_keys and (entry.event in cues.home_recipient_types or (
            entry.event in cues.insurgent_home_types
            and all(actors.entities[k].sector in cues.insurgent_sectors for k in actor_keys))):
        recipient_keys = _home_recipients(actors, actor_keys)
    if len(actor_keys) > 1:  # an appositive title that names someone else (a misparse) yields to the recipient
        actor_keys = [k for k in actor_keys if k not in recipient_keys] or actor_keys
    recipient_keys = [k for k in recipient_keys if k not in actor_keys]
    if entry.event == "PROTEST" and _politics(tok, actor_keys, recipient_keys, actors, cues):
        return []
    anonymous = not actor_keys and recipient_keys and entry.event in cues.anonymous_types
    if (not actor_keys and not anonymous) or (
            not recipient_keys and not _stands_alone(tok, entry, subject, ontology, actors, pi)):
        return []
    for k in actor_keys + recipient_keys:
        actors.used(k)

    planned = _planned(tok, anchor, cues)
    negated = _negated(tok, anchor, cues)
    day, day_text = _date_for(tok, anchor, dates, published, planned)
    if day and published and day > published:
        planned = True
    event, mode = entry.event, entry.mode
    mode = mode or _modifier_mode(tok, event, ontology)
    if planned and event == "CONSULT":  # an arranged meeting is an agreement to meet, in its mode
        event, mode = "AGREE", mode or "meet"
    elif planned and event in cues.threat_types and _conditional(tok, anchor, cues):
        event, mode = "THREATEN", None  # "will withdraw its force unless …": a threat
    elif planned and (threat := _threat_mode(event, mode, cues)) is not None:  # "will boycott", "would blockade"
        event, mode = "THREATEN", threat
    elif planned and event in cues.promised_types:  # "will provide aid", "is willing to withdraw"
        event, mode = "AGREE", None
    if planned and negated and event == "AGREE" and not entry.negated_event:
        event, mode, negated = "REJECT", None, False  # "will not accept", "will not meet": a refusal
    if negated and entry.negated_event:
        event, negated = entry.negated_event, False
        mode = mode if ontology.is_valid(event, mode) else None  # "declined to resign": REJECT, no "resign" mode
    cameo = entry.cameo if event == entry.event else None
    cameo = cameo or ontology.cameo_for(event, mode if ontology.is_valid(event, mode) else None)
    recipient_tokens = [c for c in tok.children if c.dep_ in ("dobj",)] + [
        o for p in tok.children if p.dep_ == "prep" and p.lower_ in entry.preps for o in p.children if o.dep_ == "pobj"]
    location = _location(pi, tok, anchor, recipient_tokens + ([subject] if anonymous and subject is not None else []),
                         places, cues)
    unnamed = subject is None or (subject.pos_ == "NOUN" and subject.lemma_.lower() not in cues.group_nouns)
    if anonymous and unnamed and location is not None and location.country and load_kb().country(location.country):
        # an unknown attacker is coded by where it struck, as ICEWS codes "unidentified gunmen (Iraq)"
        unknown = state_actor(actors, load_kb(), location.country, cues.anonymous_actor_sectors.get(entry.event))
        if unknown not in recipient_keys:
            _mention_words(actors, para.offset, unknown, subject if subject is not None else tok)
            actor_keys = [unknown]
            actors.used(unknown)

    off = para.offset
    trigger_span = (off + tok.idx, off + tok.idx + len(tok.text))
    sentence = (off + sent.start_char, off + sent.end_char)
    text = _trigger_text(tok, anchor)
    groups = [[k] for k in recipient_keys] if _distributive(tok, cues) and len(recipient_keys) > 1 else [recipient_keys]
    earlier = any(c.lower_ in PAST_MODIFIERS for c in tok.children if c.dep_ in ("amod", "advmod"))
    sequenced = tok.dep_ == "pobj" and tok.head.lower_ in SEQUENCE_PREPS
    return [Found(event=event, mode=mode, context=list(entry.context or []), cameo=cameo, actors=list(actor_keys),
                  recipients=group, planned=planned, negated=negated, date=day, date_text=day_text,
                  location=location, trigger=trigger_span, text=text, sentence=sentence, earlier=earlier,
                  sequenced=sequenced)
            for group in groups]


def _threat_mode(event: str, mode: str | None, cues: Cues) -> str | None:
    """PLOVER: a boycott, strike, blockade or attack announced for later is a threat (THREATEN restrict …)."""
    modes = cues.planned_threats.get(event, {})
    return modes.get(mode or "", modes.get("*"))


def _conditional(tok: Token, anchor: Token, cues: Cues) -> bool:
    return any(m.dep_ == "mark" and m.lower_ in cues.threat_marks
               for node in {tok, anchor} for c in node.children if c.dep_ == "advcl" for m in c.children)


def _modifier_mode(tok: Token, event: str, ontology) -> str | None:
    """A mode said by a word on the trigger, its object or its clausal complement ("phone call")."""
    near = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod", "npadvmod", "advmod", "dobj", "xcomp", "prep")]
    near += [g for c in near if c.dep_ in ("dobj", "prep") for g in c.children if g.dep_ in ("compound", "amod", "pobj")]
    for word in near:
        mode = ontology.mode_for_modifier(event, word.lemma_.lower())
        if mode:
            return mode
    return None


def _distributive(tok: Token, cues: Cues) -> bool:
    mods = {c.lemma_.lower() for c in tok.children if c.dep_ in ("amod", "nmod", "compound")}
    if mods & cues.distributive_modifiers:
        return True
    holder = tok.head.head if tok.dep_ == "pobj" else None
    return bool(tok.tag_ == "NNS" and holder is not None and holder.lemma_.lower() in TRANSPARENT_NOUNS)


def _trigger_text(tok: Token, anchor: Token) -> str:
    doc = tok.doc
    if tok.pos_ in NOUN_POS:
        start = min([tok.i, *[c.i for c in tok.children if c.dep_ in ("compound", "amod")]])
        if anchor != tok and anchor.i < start and start - anchor.i <= 5 and tok.dep_ == "dobj":
            return doc[anchor.i: anchor.i + 1].text + " … " + doc[start: tok.i + 1].text if start - anchor.i > 1 else doc[anchor.i: tok.i + 1].text
        return doc[start: tok.i + 1].text
    particles = [c for c in tok.children if c.dep_ == "prt"]
    end = max([tok.i, *[p.i for p in particles]])
    return doc[tok.i: end + 1].text if end - tok.i <= 2 else tok.text


# --- one event, many sentences ----------------------------------------------------------

RECIPROCAL_TYPES = {"CONSULT", "AGREE", "COOPERATE"}


def _country(actors: ActorTable, key: str) -> str | None:
    return actors.entities[key].country


def _same_party(actors: ActorTable, a: str, b: str) -> bool:
    """A person and the state or IGO they act for count as the same party."""
    if a == b:
        return True
    ea, eb = actors.entities[a], actors.entities[b]
    if (ea.kind == "person") == (eb.kind == "person"):
        return False
    return ea.country is not None and ea.country == eb.country


def _sides_match(actors: ActorTable, xs: list[str], ys: list[str]) -> bool:
    small, large = (xs, ys) if len(xs) <= len(ys) else (ys, xs)
    return all(any(_same_party(actors, s, l) for l in large) for s in small)


def _compatible(actors: ActorTable, a: Found, b: Found) -> bool:
    if a.event != b.event or a.planned != b.planned or a.negated != b.negated:
        return False
    if a.sentence == b.sentence:  # two triggers of one sentence are one event only with the same parties
        return (not (a.sequenced or b.sequenced)
                and set(a.actors) | set(a.recipients) == set(b.actors) | set(b.recipients))
    if a.date and b.date and a.date != b.date:
        return False
    if a.mode and b.mode and a.mode != b.mode:
        return False
    if a.location and b.location and a.location.name != b.location.name:
        return False
    straight = _covers(actors, a.actors, b.actors) and _covers(actors, a.recipients, b.recipients)
    swapped = (a.event in RECIPROCAL_TYPES and _covers(actors, a.actors, b.recipients)
               and _covers(actors, a.recipients, b.actors))
    return straight or swapped


def _covers(actors: ActorTable, xs: list[str], ys: list[str]) -> bool:
    """Each party of either side has its counterpart on the other: [USA] ~ [Witkoff, Kushner], not [NATO] ~ [NATO, G7]."""
    return (all(any(_same_party(actors, x, y) for y in ys) for x in xs)
            and all(any(_same_party(actors, x, y) for x in xs) for y in ys))


def _specific(actors: ActorTable, keys: list[str]) -> list[str]:
    """Keep people over the state they act for: 'Denmark' yields to 'Mette Frederiksen'."""
    people = [k for k in keys if actors.entities[k].kind == "person"]
    return [k for k in keys if actors.entities[k].kind == "person"
            or not any(_same_party(actors, k, p) for p in people)]


def _absorb(actors: ActorTable, into: Found, other: Found) -> None:
    if into.event in RECIPROCAL_TYPES and not (_covers(actors, into.actors, other.actors)
                                               and _covers(actors, into.recipients, other.recipients)):
        other_actors, other_recipients = other.recipients, other.actors
    else:
        other_actors, other_recipients = other.actors, other.recipients
    into.actors = _specific(actors, _unique(into.actors + other_actors))
    into.recipients = _specific(actors, _unique(into.recipients + other_recipients))
    into.recipients = [k for k in into.recipients if k not in into.actors]
    into.date = into.date or other.date
    into.date_text = into.date_text or other.date_text
    into.mode = into.mode or other.mode
    into.location = into.location or other.location
    into.context = _unique(into.context + other.context)
    into.evidence = _unique(into.evidence + [other.sentence] + other.evidence)


def merge_mentions(found: list[Found], actors: ActorTable) -> list[Found]:
    """Sentences that report the same interaction become one event (first mention leads)."""
    merged: list[tuple[Found, list[Found]]] = []
    for event in found:
        for lead, members in merged:
            if all(_compatible(actors, m, event) for m in members) and _compatible(actors, lead, event):
                _absorb(actors, lead, event)
                members.append(event)
                break
        else:
            merged.append((event, [event]))
    return [lead for lead, _ in merged]


def inherit_dates(events: list[Found], actors: ActorTable) -> None:
    """An undated report continues the story of the last dated event of that type by the same actor."""
    for i, event in enumerate(events):
        if event.date or event.planned or event.earlier:
            continue
        for earlier in reversed(events[:i]):
            if (earlier.date and earlier.event == event.event and not earlier.planned
                    and _sides_match(actors, earlier.actors, event.actors)):
                event.date, event.date_text = earlier.date, earlier.date_text
                break


def _as_specific(actors: ActorTable, general: str, specific: str) -> bool:
    return general == specific or (actors.entities[general].kind != "person" and _same_party(actors, general, specific))


def drop_summaries(events: list[Found], actors: ActorTable) -> list[Found]:
    """'talks with A and B' that the story also tells as talks with A and talks with B is their summary."""
    kept = []
    for event in events:
        if len(event.recipients) > 1:
            others = [o for o in events if o is not event and o.event == event.event and o.planned == event.planned
                      and len(o.recipients) == 1 and _sides_match(actors, event.actors, o.actors)
                      and (not (o.date and event.date) or o.date == event.date)]
            parts = {r: [o for o in others if _as_specific(actors, r, o.recipients[0])] for r in event.recipients}
            if all(parts.values()) and len({id(p[0]) for p in parts.values()}) == len(parts):
                for r in event.recipients:  # the summary's sentence is evidence for each part
                    part = parts[r][0]
                    part.evidence = _unique(part.evidence + [event.sentence])
                    part.date, part.date_text = part.date or event.date, part.date_text or event.date_text
                continue
        kept.append(event)
    return kept
