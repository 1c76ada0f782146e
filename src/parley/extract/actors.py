"""Actors: the people, states and organisations of an article, each once, with every mention.

Mentions come from spaCy's entities and the KB's names (countries, capitals, IGOs, buildings
that stand for a state, office-holders), from titles ("the Ukrainian leader"), from groups
("Russian officials") and from personal pronouns. No offline coreference package exists for
spaCy 3.7 English, so the resolution rules here are ours; their words are data (kb/, cues.yaml).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

from spacy.lang.en import English
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span, Token
from spacy.util import filter_spans

from ..kb import KB, load_kb
from ..nlp import Paragraph
from ..ontology.cues import load_cues
from .places import place_of

LOCATIVE_PREPS = {"in", "at", "to", "from", "near", "into", "across", "outside", "inside", "toward",
                  "towards", "via", "throughout", "around", "within", "over", "on"}
NAME_LABELS = {"PERSON", "GPE", "NORP", "ORG", "FAC", "LOC"}
NOT_NAME_LABELS = {"DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY"}
TITLE_STOP_POS = {"DET", "ADP", "PUNCT", "VERB", "AUX", "PRON", "CCONJ", "SCONJ", "NUM", "ADV", "SYM"}
LEADER_CLASSES = {"head_of_state", "head_of_government", "leader"}
# executive offices of a state: a holder of one with no known country takes the sentence's one
# country (legislators, judges and officers are left out: "Senator X" is often named beside a foreign state)
NATIONAL_CLASSES = LEADER_CLASSES | {"foreign_minister", "defence_minister", "minister"}


def fold(text: str) -> str:
    """Case- and accent-free form used for every name comparison."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


def strip_name(text: str) -> str:
    text = text.strip().replace("’", "'")
    for suffix in ("'s", "'"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    if fold(text).startswith("the "):
        text = text[4:]
    return text.strip()


@dataclass
class Entity:
    key: str
    name: str
    kind: str  # person | state | organisation
    country: str | None = None
    sector: str | None = None
    office: str | None = None
    office_class: str | None = None
    wikidata: str | None = None
    mentions: list[tuple[int, int, str, bool]] = field(default_factory=list)  # start, end, text, locational
    pending: bool = False  # an unknown organisation: kept only if an event uses it

    @property
    def surnames(self) -> set[str]:
        return {fold(self.name).split()[-1]} if self.kind == "person" and self.name else set()

    def add(self, start: int, end: int, text: str, locational: bool = False) -> None:
        if not any(m[0] == start and m[1] == end for m in self.mentions):
            self.mentions.append((start, end, text, locational))


@dataclass
class ActorTable:
    """Entities of one article and which tokens mention them."""
    published: date | None
    entities: dict[str, Entity] = field(default_factory=dict)
    tokens: dict[tuple[int, int], list[str]] = field(default_factory=dict)  # (paragraph, token.i) -> keys
    person_aliases: dict[str, str] = field(default_factory=dict)  # folded name/alias/surname -> key

    def keys_at(self, para: int, token: Token) -> list[str]:
        return list(self.tokens.get((para, token.i), []))

    def mark(self, para: int, tokens, keys: list[str]) -> None:
        for tok in tokens:
            slot = self.tokens.setdefault((para, tok.i), [])
            slot.extend(k for k in keys if k not in slot)

    def entity(self, key: str, **fields) -> Entity:
        if key not in self.entities:
            self.entities[key] = Entity(key=key, **fields)
        return self.entities[key]

    def used(self, key: str) -> None:
        self.entities[key].pending = False

    def mention_token(self, para: int, offset: int, key: str, tok: Token) -> None:
        """One token names this entity: "it", "they", an untagged surname, "Egyptian"."""
        self.entities[key].add(offset + tok.idx, offset + tok.idx + len(tok.text), tok.text)
        self.mark(para, [tok], [key])


# --- KB phrase matcher ------------------------------------------------------------------


_MATCHERS: dict[int, PhraseMatcher] = {}


def _matcher(vocab) -> PhraseMatcher:
    """One PhraseMatcher of all KB names per vocabulary (i.e. per loaded pipeline)."""
    if id(vocab) in _MATCHERS:
        return _MATCHERS[id(vocab)]
    kb = load_kb()
    matcher = PhraseMatcher(vocab, attr="ORTH")
    names: set[str] = set()
    for c in kb.countries:
        names.update([c.name, *c.aliases])
        if c.capital:
            names.update([c.capital, *c.capital_aliases])
    for o in kb.organisations:
        names.update([o.name, *o.aliases])
    for m in kb.metonyms:
        names.add(strip_name(m.name))
    for g in kb.groups:
        for n in (g.name, *g.aliases):
            names.update(_written_forms(n))
    for h in kb.officeholders:
        names.update([h.name, *h.aliases])
        surname = h.name.split()[-1]
        # surnames of recent holders ("Araghchi"), when not an ordinary lower-case word
        if (h.end is None or h.end.year >= 2020) and len(surname) > 3 and surname[0].isupper() and not vocab[surname.lower()].is_stop:
            names.add(surname)
    names = {n for n in names if n and len(n) > 1}
    tokenizer = English(vocab=vocab).tokenizer
    matcher.add("KB", [tokenizer(n) for n in sorted(names)])
    _MATCHERS[id(vocab)] = matcher
    return matcher


def _written_forms(name: str) -> list[str]:
    """How a group name is written in text: "HIZBOLLAH" also as "Hizbollah", "Al-Qaeda" also as
    "al-Qaeda" (the KB index folds case; the phrase matcher does not)."""
    forms = [name]
    if " " not in name and name.isupper() and len(name) >= 5 and name.isalpha():
        forms.append(name.capitalize())
    if name[:3] in ("Al-", "Al ", "El-"):
        forms.append(name[0].lower() + name[1:])
    return forms


def kb_spans(doc) -> list[Span]:
    matcher = _matcher(doc.vocab)
    spans = []
    for _, s, e in matcher(doc):
        if e - s == 1 and (doc[s].pos_ != "PROPN" or doc[s].ent_type_ in NOT_NAME_LABELS):
            continue  # a surname such as "Friday" inside "on Friday"
        spans.append(Span(doc, s, e, label="KB"))
    return spans


def acronym_spans(doc) -> list[Span]:
    """A capitalised name introduced with its acronym, "the Ceasefire Violations Committee (CFVC)": a body,
    whether or not the tagger saw it (written here: no library reads acronym definitions offline)."""
    spans = []
    for i in range(1, len(doc) - 2):
        acronym = doc[i + 1].text
        if doc[i].text != "(" or doc[i + 2].text != ")" or not (2 <= len(acronym) <= 8 and acronym.isupper()):
            continue
        if i + 3 < len(doc) and doc[i + 3].pos_ == "NOUN":
            continue  # "the Security Action for Europe (SAFE) programme": a document, not a body
        start = i
        while start > 0 and (doc[start - 1].is_title or (doc[start - 1].lower_ in _NAME_JOINERS
                                                            and start > 1 and doc[start - 2].is_title)):
            start -= 1
        for first in (k for k in range(start, i - 1) if doc[k].is_title):  # longest name first
            words = [t.lower_ for t in doc[first:i]]
            if _abbreviates(acronym.lower(), words):
                if read_title(load_kb(), list(doc[first:i])).office is None:  # not "Prime Minister (PM)"
                    spans.append(Span(doc, first, i, label="ORG"))
                break
    return spans


_NAME_JOINERS = ("of", "for", "and", "on")


def _abbreviates(acronym: str, words: list[str]) -> bool:
    """Each word gives the acronym its initial and maybe more of its letters, in order; joining words may
    give nothing ("CFVC": CeaseFire Violations Committee; "SAFE": Security Action For Europe)."""
    if not words:
        return not acronym
    word = words[0]
    if word in _NAME_JOINERS and _abbreviates(acronym, words[1:]):
        return True
    if not acronym or acronym[0] != word[0]:
        return False
    for taken in range(1, len(acronym) + 1):
        pos, fits = 0, True
        for ch in acronym[1:taken]:
            pos = word.find(ch, pos + 1)
            if pos < 0:
                fits = False
                break
        if fits and _abbreviates(acronym[taken:], words[1:]):
            return True
    return False


# --- titles -----------------------------------------------------------------------------


@dataclass
class Title:
    country: str | None = None
    country_sector: str | None = None
    office: str | None = None
    office_class: str | None = None
    sector: str | None = None
    tokens: list[Token] = field(default_factory=list)


def resolve_country_word(kb: KB, text: str) -> tuple[str, str | None] | None:
    """A word or phrase standing for a state or IGO: demonym, name, capital, building, IGO."""
    name = strip_name(text)
    if not name:
        return None
    for finder in (kb.country_by_demonym, kb.country):
        c = finder(name)
        if c:
            return c.iso3, "GOV"
    m = kb.metonym(name)
    if m:
        return m.country, m.sector
    o = kb.organisation(name)
    if o:
        return o.code, o.sector
    c = kb.country_by_capital(name)
    if c:
        return c.iso3, "GOV"
    return None


def read_title(kb: KB, tokens: list[Token]) -> Title:
    """Split "Danish Prime Minister" into country DNK and office "Prime Minister"."""
    title = Title(tokens=tokens)
    words = [t for t in tokens if t.text not in ("'s", "’s")]
    # the longest leading run that names a country, IGO or building
    for n in range(len(words), 0, -1):
        phrase = " ".join(t.text for t in words[:n])
        found = resolve_country_word(kb, phrase)
        if found:
            title.country, title.country_sector = found
            rest = words[n:]
            if kb.metonym(phrase):  # "Kremlin spokesman" is the office as written
                rest = words
            break
    else:
        rest = words
    if rest:
        office_text = " ".join(t.text for t in rest)
        office = kb.office(office_text.lower())
        if office:
            title.office, title.office_class, title.sector = office_text, office.office_class, office.sector
    return title


def left_title(name: Span) -> list[Token]:
    sent_start = name.sent.start
    tokens: list[Token] = []
    i = name.start - 1
    while i >= sent_start and len(tokens) < 10:
        tok = name.doc[i]
        if tok.text in ("'s", "’s") and i - 1 >= sent_start:
            tokens.insert(0, tok)
            i -= 1
            continue
        joined = tok.lower_ == "and" and tokens and i - 1 >= sent_start and name.doc[i - 1].text[:1].isupper()
        if joined:  # "Deputy Prime Minister and Foreign Minister Ishaq Dar"
            tokens.insert(0, tok)
            i -= 1
            continue
        if tok.pos_ in TITLE_STOP_POS or tok.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY", "PERSON"):
            break  # a title never holds another person's name ("Gaddafi and Bulgarian President Zhivkov")
        if not (tok.text[0].isupper() or tok.dep_ in ("compound", "amod", "nmod")):
            break
        tokens.insert(0, tok)
        i -= 1
    while tokens and tokens[0].lower_ == "and":  # the "and" joined a name, not a title
        tokens.pop(0)
    return tokens


def _apposed_to(kb: KB, name: Span) -> Title:
    """'A member of the Syrian parliament, Mohammed Mamoun': the noun the name is in apposition
    to gives the office, and the one state it names the country."""
    root = name.root
    if root.dep_ != "appos" or root.head.pos_ != "NOUN" or root.head.i >= name.start:
        return Title()
    words = [t for t in root.head.subtree if t.i < name.start and t.pos_ not in ("DET", "PUNCT")]
    countries = {hit[0] for t in words if t.ent_type_ in ("NORP", "GPE")
                 and (hit := resolve_country_word(kb, t.text)) and kb.country_by_code(hit[0])}
    office = kb.office(" ".join(t.text for t in words).lower())
    return Title(country=countries.pop() if len(countries) == 1 else None,
                 country_sector="GOV" if len(countries) == 1 else None,
                 office=office.title if office else None, office_class=office.office_class if office else None,
                 sector=office.sector if office else None)


def appositive_title(name: Span) -> list[Token]:
    for child in name.root.children:
        if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN") and child.ent_type_ != "PERSON":
            return [t for t in child.subtree if t.pos_ not in ("DET", "PUNCT")]
    return []


# --- the extractor ----------------------------------------------------------------------


def is_locational(span: Span) -> bool:
    head = span.root
    while head.dep_ in ("compound", "conj", "appos") and head.head != head:
        head = head.head
    return head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS


def _without_edge_punct(span: Span) -> Span:
    """The name without punctuation the tagger took in at its edges: a list's bullet ("- Rosa
    Villavicencio"), a dash or quote before it; a closing bracket stays when the name opens one."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_punct:
        start += 1
    while end > start and span.doc[end - 1].is_punct and not (
            span.doc[end - 1].is_right_punct and any(t.is_left_punct for t in span.doc[start:end - 1])):
        end -= 1
    if (start, end) == (span.start, span.end):
        return span
    return Span(span.doc, start, end, label=span.label_)


def extract_actors(paragraphs: list[Paragraph], published: date | None) -> ActorTable:
    kb = load_kb()
    cues = load_cues()
    table = ActorTable(published=published)
    recent_subjects: list[str] = []  # person keys that were grammatical subjects, latest last
    recent_persons: list[str] = []
    for pi, para in enumerate(paragraphs):
        doc = para.doc
        spans = [e for e in doc.ents if e.label_ in NAME_LABELS] + kb_spans(doc) + acronym_spans(doc)
        spans = [t for t in map(_without_edge_punct, spans) if len(t)]
        spans = filter_spans(sorted(spans, key=lambda s: (s.start, -len(s))))
        by_sentence: dict[int, list[Span]] = {}
        for s in spans:
            by_sentence.setdefault(s.sent.start, []).append(s)
        for sent in doc.sents:
            sent_spans = by_sentence.get(sent.start, [])
            title_tokens = set()
            sent_persons: list[str] = []
            for span in sent_spans:
                key = _name_mention(table, kb, pi, para.offset, span, title_tokens)
                if key and table.entities[key].kind == "person":
                    sent_persons.append(key)
                    recent_persons.append(key)
                    root = span.root
                    if root.dep_ in ("nsubj", "nsubjpass") or (root.dep_ == "appos" and root.head.dep_ in ("nsubj", "nsubjpass")):
                        recent_subjects.append(key)  # "pollster Pat Caddell told ..." names the subject too
            for tok in sent:
                if (pi, tok.i) in table.tokens or tok.i in title_tokens:
                    continue
                known = table.person_aliases.get(fold(tok.text)) if tok.pos_ == "PROPN" else None
                if known and tok.ent_type_ not in NOT_NAME_LABELS and tok.dep_ != "compound":
                    # a surname the parser did not tag, of someone this article has named
                    table.mention_token(pi, para.offset, known, tok)
                    recent_persons.append(known)
                    if tok.dep_ in ("nsubj", "nsubjpass"):
                        recent_subjects.append(known)
                    continue
                if tok.pos_ == "PRON" and tok.lower_ in cues.person_pronouns:
                    _pronoun(table, pi, para.offset, tok, recent_subjects, recent_persons)
                elif tok.pos_ == "PRON" and tok.lower_ in ("it", "its") and tok.dep_ in ("nsubj", "nsubjpass", "poss"):
                    _body_pronoun(table, pi, para.offset, tok)
                elif tok.pos_ in ("NOUN", "PROPN"):
                    key = _definite_title(table, kb, pi, para.offset, tok)
                    if key:
                        recent_persons.append(key)
                        if tok.dep_ in ("nsubj", "nsubjpass"):
                            recent_subjects.append(key)
            for tok in sent:
                if not (tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in cues.group_nouns
                        and tok.i not in title_tokens and (pi, tok.i) not in table.tokens):
                    continue
                if tok.dep_ != "compound":
                    _group(table, kb, cues, pi, para.offset, tok)
                elif (tok.head.pos_ == "NOUN" and tok.head.lemma_.lower() not in cues.group_nouns
                      and (pi, tok.head.i) not in table.tokens):
                    # "opposition groups", "rebel factions": the head is the group, the modifier its kind
                    _group(table, kb, cues, pi, para.offset, tok.head, sector=cues.group_nouns[tok.lemma_.lower()])
            for tok in sent:  # after the groups: "Rwandan rebels said they would …"
                if tok.pos_ == "PRON" and tok.lower_ == "they" and tok.dep_ in ("nsubj", "nsubjpass") \
                        and (pi, tok.i) not in table.tokens:
                    _body_pronoun(table, pi, para.offset, tok, plural=True)
            _title_country(table, kb, pi, sent, sent_persons)
    return table


def _sentence_countries(table: ActorTable, kb: KB, pi: int, sent: Span) -> set[str]:
    """States a sentence names: by name, demonym or capital, or as a group actor's country."""
    found: set[str] = set()
    for tok in sent:
        for k in table.keys_at(pi, tok):
            e = table.entities[k]
            if e.kind == "person" or not e.country or kb.country_by_code(e.country) is None:
                continue
            if e.kind == "state" or k.startswith("g:"):
                found.add(e.country)
        if tok.ent_type_ in ("NORP", "GPE") and not table.keys_at(pi, tok):
            hit = resolve_country_word(kb, tok.text)
            if hit and kb.country_by_code(hit[0]):
                found.add(hit[0])
    return found


def _title_country(table: ActorTable, kb: KB, pi: int, sent: Span, persons: list[str]) -> None:
    """'President X' known to no KB, or a party or front no KB knows ("lift the ban on the Islamic
    Salvation Front"), takes the country of the sentence when it names exactly one."""
    todo = [k for k in dict.fromkeys(persons)
            if table.entities[k].country is None and table.entities[k].office_class in NATIONAL_CLASSES]
    parties = load_cues().party_words  # a party or front is of its country; a commission may be of none
    bodies = [k for k in dict.fromkeys(k for tok in sent for k in table.keys_at(pi, tok)
                                       if tok.lemma_.lower() in parties or tok.head.lemma_.lower() in parties)
              if k.startswith("o:") and table.entities[k].country is None and table.entities[k].sector is None]
    if not todo and not bodies:
        return
    countries = _sentence_countries(table, kb, pi, sent)
    if len(countries) == 1:
        for k in todo:
            table.entities[k].country = next(iter(countries))
    # a body is also placed by the people named beside it ("President Bouteflika … the FIS")
    countries |= {table.entities[k].country for k in persons if table.entities[k].country}
    if len(countries) == 1:
        for k in bodies:
            table.entities[k].country = next(iter(countries))


def _name_mention(table: ActorTable, kb: KB, pi: int, offset: int, span: Span, title_tokens: set) -> str | None:
    text = strip_name(span.text)
    if not text:
        return None
    mention = span.text[:-2] if span.text.endswith(("'s", "’s")) else span.text
    start, end = offset + span.start_char, offset + span.start_char + len(mention)
    locational = is_locational(span)
    if span.label_ == "PERSON" and kb.group(text) and not _kb_person(table, kb, text):
        key = _group_org(table, kb.group(text))  # "Hezbollah" tagged as a person
    elif span.label_ == "PERSON" and span.root.dep_ in ("nmod", "compound") \
            and span.root.head.lemma_.lower() in load_cues().body_nouns and not _kb_person(table, kb, text):
        key = _state_or_org(table, kb, span, text, locational, label="ORG")  # "the Umma party" is no one
    elif span.label_ == "PERSON":
        key = _person(table, kb, pi, offset, span, text, title_tokens)
    elif span.label_ in ("ORG", "GPE") and _titled_unknown(kb, span, text) and place_of(span) is None:
        # "foreign minister Dubem Oniya" tagged ORG, "Vice-President Moody Awori" tagged GPE
        key = _person(table, kb, pi, offset, span, text, title_tokens)
    else:  # a place or body first: "Washington" is the capital, not a president
        key = _state_or_org(table, kb, span, text, locational)
        if key is None and (_kb_person(table, kb, text) or (span.label_ == "ORG" and kb.person(text))):
            key = _person(table, kb, pi, offset, span, text, title_tokens)
    if key is None:
        return None
    table.entities[key].add(start, end, mention, locational)
    table.mark(pi, span, [key])
    return key


def _titled_unknown(kb: KB, span: Span, text: str) -> bool:
    """A name the KB does not know, right after a public office title: a person, whatever the tagger says."""
    if resolve_country_word(kb, text) or kb.group(text) or len(text.split()) < 2:
        return False
    toks = left_title(span)
    office = read_title(kb, toks).office_class if toks else None
    return office is not None and office not in ("other", "business", "media")


def _kb_person(table: ActorTable, kb: KB, text: str):
    holders = kb.holders(text, on=table.published)
    return holders[0] if holders else None


def _person(table: ActorTable, kb: KB, pi: int, offset: int, span: Span, text: str, title_tokens: set) -> str:
    folded = fold(text)
    # a name seen before in this article (full name, alias or surname)
    key = table.person_aliases.get(folded) or table.person_aliases.get(folded.split()[-1] if len(folded.split()) == 1 else "")
    title_toks = left_title(span) or appositive_title(span)
    title = read_title(kb, title_toks) if title_toks else _apposed_to(kb, span)
    title_tokens.update(t.i for t in title_toks)
    if key is None:
        holder = _kb_person(table, kb, text)
        if holder and title.country and holder.country != title.country and title.country_sector != "IGO":
            holder = None  # the text says another country: a namesake
        past = None
        if holder is None:  # not a current office-holder: a person of the past (persons.csv), full name only
            past = kb.person(text, on=table.published)
            if past and title.country and past[1].country != title.country and title.country_sector != "IGO":
                past = None
        key = "p:" + fold(holder.name if holder else past[0].name if past else text)
        if key in table.entities:
            pass
        elif past:
            person, role = past
            table.entity(key, name=person.name, kind="person", country=role.country, sector=role.sector)
            for alias in (person.name, *person.aliases):
                table.person_aliases.setdefault(fold(alias), key)
        elif holder:
            table.entity(key, name=holder.name, kind="person", country=holder.country, sector=holder.sector,
                         office=holder.office, office_class=holder.office_class, wikidata=holder.wikidata)
            for alias in (holder.name, *holder.aliases):
                table.person_aliases.setdefault(fold(alias), key)
                table.person_aliases.setdefault(fold(alias).split()[-1], key)
        else:
            table.entity(key, name=text, kind="person")
        table.person_aliases.setdefault(folded, key)
        if len(folded.split()) > 1:
            table.person_aliases.setdefault(folded.split()[-1], key)
    entity = table.entities[key]
    if title.country and (entity.country is None or title.country_sector == "IGO"):
        entity.country = title.country
        if title.country_sector == "IGO":
            entity.sector = "IGO"
    if title.office:
        entity.office = title.office
        entity.office_class = title.office_class or entity.office_class
        if entity.sector is None or (title.sector and entity.sector not in ("IGO",)):
            entity.sector = title.sector or entity.sector
    if entity.sector is None and entity.office:
        entity.sector = "GOV"
    return key


def _state_or_org(table: ActorTable, kb: KB, span: Span, text: str, locational: bool,
                  label: str | None = None) -> str | None:
    label = label or span.label_
    g = kb.group(text)
    if g and kb.country(text) is None and kb.organisation(text) is None:
        return _group_org(table, g)  # "Hamas", "the Taliban" (spaCy often calls them NORP)
    if label == "NORP":
        # a demonym names a state only when it heads its phrase ("the Russians said")
        if span.root.dep_ in ("amod", "compound", "nmod"):
            return None
        c = kb.country_by_demonym(text) or kb.country(text)  # the tagger calls some country names NORP ("in Togo")
        home = next((h for m in span.root.children if m.dep_ in ("amod", "compound") and m.i < span.start
                     and (h := kb.country_by_demonym(m.text))), None)
        if c and home and home.iso3 != c.iso3:  # "Bosnian Serbs", "Kosovo Albanians": where they live
            c = home
        elif c and _ethnic(span.root, [span.root]):  # "ethnic Turks" threatened with expulsion from Sweden
            home = kb.country(_residence(kb, span.root, c.iso3) or c.iso3) or c
            return _state(table, home.iso3, home.name, "CVL")
        return _state(table, c.iso3, c.name, "GOV") if c else None
    c = kb.country(text)
    if c:
        return _state(table, c.iso3, c.name, "GOV")
    m = kb.metonym(text)
    if m and m.sector == "IGO" and kb.organisation_by_code(m.country):  # "Brussels" for the EU
        return _organisation(table, kb.organisation_by_code(m.country))
    if m:
        owner = _possessor_country(kb, span)  # "Pakistan's Foreign Office" is Pakistan's, not Britain's
        code = owner or m.country
        c = kb.country(code)
        return _state(table, code, c.name if c else code, m.sector)
    o = kb.organisation(text)
    if o:
        return _organisation(table, o)
    c = kb.country_by_capital(text)
    if c:
        return _state(table, c.iso3, c.name, "GOV")
    known = _acronym_after(kb, span)  # "the International Labor Office (ILO)": the KB knows the ILO
    if known is not None:
        return _organisation(table, known)
    c = kb.country_misspelt(text) if label in ("GPE", "ORG") and len(span) == 1 else None
    if c:  # "Ethopia has agreed …": wire copy has typos
        return _state(table, c.iso3, c.name, "GOV")
    if label == "ORG" and not locational:
        key = "o:" + fold(text)
        country = _leading_country(kb, text)
        entity = table.entity(key, name=text, kind="organisation", pending=True, country=country,
                              sector=None if country else _ngo_sector(text))
        return entity.key
    return None


def _acronym_after(kb: KB, span: Span):
    """A KB organisation named by the acronym in brackets right after an unknown long name,
    when the acronym's letters start the long name's words."""
    doc = span.doc
    if span.end + 2 >= len(doc) or doc[span.end].text != "(" or doc[span.end + 2].text != ")":
        return None
    acronym = doc[span.end + 1].text
    initials = "".join(w[0] for w in span.text.split() if w[:1].isupper() and w.lower() != "the")
    if not acronym.isupper() or not initials.startswith(acronym[:2]):
        return None
    return kb.organisation(acronym)


def _ngo_sector(text: str) -> str | None:
    """An unknown body of no state named like a civil-society one ("the Third World Water Forum",
    "the Association of African Jurists") is an NGO, as PLOVER codes it."""
    words = {w.lower().strip(".,()'’") for w in text.split()}
    return "NGO" if words & load_cues().ngo_name_words else None


def _leading_country(kb: KB, text: str) -> str | None:
    """The state an unknown body's name starts with: "Latvian Constitutional Court" -> LVA."""
    words = text.split()
    for n in range(len(words) - 1, 0, -1):
        phrase = " ".join(words[:n])
        c = kb.country_by_demonym(phrase) or kb.country(phrase)
        if c:
            return c.iso3
    return None


def _possessor_country(kb: KB, span: Span) -> str | None:
    doc = span.doc
    if span.start >= 2 and doc[span.start - 1].text in ("'s", "’s"):
        c = kb.country(doc[span.start - 2].text)
        return c.iso3 if c else None
    return None


def _group_org(table: ActorTable, g) -> str:
    """A non-state group or party of the KB (groups.csv): its country and sector."""
    return table.entity("g:" + fold(g.name), name=g.name, kind="organisation", country=g.country,
                        sector=g.sector).key


def _organisation(table: ActorTable, o) -> str:
    return table.entity("o:" + o.code + ":" + fold(o.name), name=o.name, kind="organisation",
                        country=o.code, sector=o.sector).key


def _state(table: ActorTable, iso3: str, name: str, sector: str | None) -> str:
    key = f"s:{iso3}" if sector in (None, "GOV") else f"s:{iso3}:{sector}"
    label = name if sector in (None, "GOV") else f"{name} ({sector})"
    return table.entity(key, name=label, kind="state", country=iso3, sector=sector or "GOV").key


def _pronoun(table: ActorTable, pi: int, offset: int, tok: Token, subjects: list[str], persons: list[str]) -> None:
    if tok.dep_ == "poss":  # "brought back by Dmitriev from his talks": the nearest person before it
        in_sentence = [k for k in reversed(persons)
                       if any(tok.sent.start_char <= m[0] - offset < tok.idx for m in table.entities[k].mentions)]
        key = in_sentence[0] if in_sentence else (subjects[-1] if subjects else (persons[-1] if persons else None))
    elif tok.dep_ in ("nsubj", "nsubjpass") or tok.lower_ in ("he", "she"):
        key = subjects[-1] if subjects else (persons[-1] if persons else None)
    else:  # an object pronoun refers to someone other than the clause's subject
        clause_subjects = {k for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")
                           for k in table.keys_at(pi, c)}
        if not clause_subjects and subjects:
            clause_subjects = {subjects[-1]}
        key = next((k for k in reversed(persons) if k not in clause_subjects), None)
    if key is None:
        return
    table.mention_token(pi, offset, key, tok)
    if tok.dep_ in ("nsubj", "nsubjpass"):
        subjects.append(key)


def _body_pronoun(table: ActorTable, pi: int, offset: int, tok: Token, plural: bool = False) -> None:
    """'Hungary has said it will support …': "it" is a state or body that is a subject earlier in the
    sentence; "Rwandan rebels said they would …": "they" is a plural group subject."""
    for prev in reversed(list(tok.doc[tok.sent.start: tok.i])):
        if prev.dep_ not in ("nsubj", "nsubjpass"):
            continue
        if plural and prev.tag_ not in ("NNS", "NNPS"):
            return
        keys = [k for k in table.keys_at(pi, prev) if table.entities[k].kind != "person"]
        if not keys:  # "the Umma (Nation) party said it …": the name sits on the head's modifiers
            keys = list(dict.fromkeys(k for c in prev.children if c.dep_ in ("compound", "nmod", "appos")
                                      for k in table.keys_at(pi, c) if table.entities[k].kind != "person"))
        if len(keys) == 1:
            table.mention_token(pi, offset, keys[0], tok)
        return


def _country_modifiers(table: ActorTable, kb: KB, pi: int, tok: Token) -> list[tuple[str, str | None, list[Token]]]:
    """States or IGOs named by a noun's modifiers: "the Russian and US ..." / "Russia's ..."."""
    found = []
    for child in tok.children:
        if child.dep_ not in ("amod", "compound", "nmod", "poss") or child.i > tok.i:
            continue
        if child.lemma_.lower() == "lead":  # "Vietnamese-led forces", "the Saudi-led coalition"
            child = next((c for c in child.children if c.dep_ in ("npadvmod", "compound", "amod", "nmod")), child)
        for part in [child, *[c for c in child.conjuncts]]:
            phrase_tokens = [t for t in part.subtree if t.dep_ in ("compound", "nmod") and t.i < part.i or t == part]
            phrase = " ".join(t.text for t in sorted(phrase_tokens, key=lambda t: t.i))
            hit = resolve_country_word(kb, phrase) or resolve_country_word(kb, part.text)
            if hit:
                found.append((hit[0], hit[1], phrase_tokens))
    return found


def _ethnic(tok: Token, words: list[Token]) -> bool:
    """'ethnic Albanians', 'ethnic Albanian guerrillas': a people, not the citizens of its state."""
    return any(c.lower_ == "ethnic" for w in [tok, *words] for c in w.children if c.dep_ == "amod")


def _residence(kb: KB, tok: Token, own: str) -> str | None:
    """The state where an ethnic group lives, as event coders code it: the one it is said to be in
    ("guerrillas operating in Macedonia"), else the first other state its sentence names."""
    holders = [tok, *[c for c in tok.children if c.dep_ in ("acl", "relcl")]]
    named = [o for h in holders for p in h.children if p.dep_ == "prep" and p.lower_ in ("in", "inside")
             for o in p.children if o.dep_ == "pobj"]
    named += [t for t in tok.sent if t.ent_type_ in ("GPE", "NORP") and t.i not in {w.i for w in tok.subtree}]
    for word in named:
        hit = resolve_country_word(kb, word.text)
        if hit and hit[1] == "GOV" and hit[0] != own and kb.country_by_code(hit[0]):
            return hit[0]
    return None


def _definite_title(table: ActorTable, kb: KB, pi: int, offset: int, tok: Token) -> str | None:
    """'the Ukrainian leader', 'the Kremlin spokesman', "Russia's foreign minister" -> a person."""
    if tok.dep_ == "compound" or not any(c.dep_ in ("det", "poss") for c in tok.children):
        return None
    # "the Ukrainian foreign minister": the office is the words between the country and the noun
    words = [c for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i
             and resolve_country_word(kb, c.text) is None] + [tok]
    office = kb.office(" ".join(w.text for w in words).lower()) or kb.office(tok.text.lower())
    if office is None or office.office_class in ("other",):
        return None
    places = _country_modifiers(table, kb, pi, tok)
    if len(places) != 1:
        return None
    country = places[0][0]
    wanted = office.office_class

    def fits(e: Entity) -> bool:
        if e.kind != "person" or e.country != country:
            return False
        if wanted in LEADER_CLASSES:
            return e.office_class in LEADER_CLASSES
        return e.office_class == wanted

    key = next((k for k in reversed(list(table.entities)) if fits(table.entities[k])), None)
    if key is None and table.published is not None:
        classes = ["head_of_state", "head_of_government"] if wanted == "leader" else [wanted]
        holder = next((h for cl in classes if (h := kb.holder_of(country, cl, table.published))), None)
        if holder is None:
            return None
        key = "p:" + fold(holder.name)
        table.entity(key, name=holder.name, kind="person", country=holder.country, sector=holder.sector,
                     office=holder.office, office_class=holder.office_class, wikidata=holder.wikidata)
        for alias in (holder.name, *holder.aliases):
            table.person_aliases.setdefault(fold(alias).split()[-1], key)
    if key is None:
        return None
    first = min([tok, *[c for c in tok.children if c.dep_ in ("det", "poss", "amod", "compound")]], key=lambda t: t.i)
    start, end = offset + first.idx, offset + tok.idx + len(tok.text)
    table.entities[key].add(start, end, tok.doc.text[first.idx: tok.idx + len(tok.text)])
    table.mark(pi, [t for t in tok.doc[first.i: tok.i + 1]], [key])
    return key


def _group(table: ActorTable, kb: KB, cues, pi: int, offset: int, tok: Token, sector: str | None = None) -> None:
    """'Russian officials', 'the leaders of Denmark, Germany...', 'representatives of ...'."""
    sector = sector or cues.group_nouns[tok.lemma_.lower()]
    keys: list[str] = []
    nationality = False  # named by a nationality word, not an owner: "Russian troops", not "Israel's militia ally"
    for iso3, named_sector, words in _country_modifiers(table, kb, pi, tok):
        if named_sector != "IGO" and _ethnic(tok, words):  # "ethnic Albanian guerrillas in Macedonia"
            iso3 = _residence(kb, tok, iso3) or iso3
        keys.append(_group_key(table, kb, iso3, named_sector, sector))
        nationality = nationality or not any(w.dep_ == "poss" for w in words)
    keys += [k for k in _followed(table, kb, cues, pi, tok, sector) if k not in keys]
    for child in tok.children:  # "the Hamas delegation": a body already named on the modifier
        if child.dep_ in ("compound", "poss") and child.i < tok.i:
            keys.extend(k for k in table.keys_at(pi, child)
                        if table.entities[k].kind == "organisation" and k not in keys)
    named_by_modifier = list(keys)
    # "a newspaper based in Beirut", "rebels operating in Chad": where a group is, through its participle
    located = [g for a in tok.children if a.dep_ == "acl" for g in a.children if g.dep_ == "prep" and g.lower_ == "in"]
    own = ("from", "in") if tok.lemma_.lower() in cues.follower_nouns else ("of", "from", "in")  # followers are not X
    for prep in [*(c for c in tok.children if c.dep_ == "prep" and c.lower_ in own), *located]:
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            for part in [obj, *obj.conjuncts]:
                known = table.keys_at(pi, part)
                if not known and part.lemma_.lower() in cues.group_nouns:
                    _group(table, kb, cues, pi, offset, part)
                    known = table.keys_at(pi, part)
                if prep.lower_ in ("in", "from") and nationality:
                    continue  # "Russian troops in Syria" are Russia's, wherever they are
                if prep.lower_ in ("in", "from") and sector != "GOV":
                    # "demonstrators in Baghdad", "rebels in the Ivory Coast": a group of that state
                    places = [table.entities[k] for k in known]
                    if places and all(e.kind == "state" for e in places):
                        known = [_group_key(table, kb, e.country, None, sector) for e in places]
                        named_by_modifier.extend(k for k in known if k not in named_by_modifier)
                keys.extend(k for k in known if k not in keys)
    if keys:
        table.mark(pi, [tok], keys)
        first = min([tok, *[c for c in tok.children if c.dep_ in ("amod", "compound", "nmod", "poss", "det") and c.i < tok.i]],
                    key=lambda t: t.i)
        start, end = offset + first.idx, offset + tok.idx + len(tok.text)
        for key in named_by_modifier:  # "Pakistani forces" is a mention; "leaders of X" leaves X its own
            table.entities[key].add(start, end, tok.doc.text[first.idx: tok.idx + len(tok.text)])


def _followed(table: ActorTable, kb: KB, cues, pi: int, tok: Token, sector: str) -> list[str]:
    """'Supporters of former President X', 'militants loyal to X': a group of X's country. X keeps
    its own mention; the followers are not X."""
    leaders = [o for a in tok.children if a.dep_ == "amod" and a.lemma_.lower() in cues.allegiance_words
               for p in a.children if p.dep_ == "prep" and p.lower_ == "to" for o in p.children if o.dep_ == "pobj"]
    if tok.lemma_.lower() in cues.follower_nouns:
        leaders += [o for p in tok.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
    countries = [table.entities[k].country for o in leaders
                 for part in [o, *[c for c in o.children if c.dep_ == "appos"]] for k in table.keys_at(pi, part)
                 if table.entities[k].kind == "person" and table.entities[k].country]
    return [_group_key(table, kb, c, None, sector) for c in dict.fromkeys(countries) if kb.country(c)]


def _group_key(table: ActorTable, kb: KB, code: str, named_sector: str | None, sector: str) -> str:
    if named_sector == "IGO":
        o = kb.organisation_by_code(code)
        if o:
            return _organisation(table, o)
    c = kb.country(code)
    return _state(table, code, c.name if c else code, sector if sector != "GOV" else (named_sector or "GOV"))


def state_actor(table: ActorTable, kb: KB, iso3: str, sector: str | None = None) -> str:
    """The state itself as an actor ("in Montenegro" when an act is done there), or its people
    of one sector (CVL: the unnamed people a government acts on at home)."""
    c = kb.country(iso3)
    return _state(table, iso3, c.name if c else iso3, sector)


def country_word_actor(table: ActorTable, kb: KB, text: str) -> str | None:
    """The state or IGO a modifier names ("an Australian ultimatum", "a UN appeal"), as an actor."""
    hit = resolve_country_word(kb, text)
    return _group_key(table, kb, hit[0], hit[1], "GOV") if hit else None
