"""Documents under negotiation: plans, frameworks, agreements, treaties, resolutions, declarations,
drafts and sanctions packages, with their status as of the article and what replaced what.

A document is a noun phrase whose head is a document word (ontology/documents.yaml) and that a
modifier names: a number of points ("the 20-point framework"), a topic ("an economic agreement",
"security guarantees"), a proper name ("the Minsk agreements", "Resolution 2231"), an ordinal of a
sanctions package, or an acronym joined to its long form ("the Security Action for Europe (SAFE)
instrument"). Mentions with the same naming words are one document; a definite generic mention
("the document", "the plan") joins the one live document it can stand for, or none. Status comes
from the verbs and nouns that govern each mention ("proposed by", "progress on drafting",
"cooperation under"); parties from who does them and from possessors ("the EU's ... package").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Token

from ..kb import load_kb
from ..nlp import Paragraph
from ..ontology.cues import load_cues
from ..record import Document, Event, Mention, Span
from .actors import ActorTable
from .commitments import find_money
from .syntax import NOUN_POS, VERB_POS, actor_keys, is_negated, party_key, pobjs

# verbs whose "with" names a second party to what they discuss
MEETING_VERBS = {"meet", "talk", "negotiate", "discuss", "work", "agree", "hold", "sign", "confer"}
# prepositions a status climbs through ("progress on", "talks about"); "according to", "after",
# "ahead of" lead to a verb that says nothing of the document
CLIMB_PREPS = {"on", "of", "for", "about", "over", "regarding", "concerning", "with", "to", "alongside",
               "into", "toward", "towards", "within", "from", "at", "in"}

NAME_DEPS = {"amod", "compound", "nmod", "nummod", "quantmod", "npadvmod"}
DETERMINERS = {"the", "this", "that", "these", "those", "its", "their", "his", "her"}
LIST_GAP = re.compile(r"^[\s,;]*(?:(?:and|or|as well as|along with|alongside|together with|plus)\s+)?(?:the|a|an)?\s*$", re.I)
ACRONYM = re.compile(r"\(\s*(?P<acr>[A-Z][A-Za-z0-9&-]{1,11})\s*\)")
LONG_WORD = re.compile(r"[A-Z][\w'’.-]*|for|of|and|on|the|in|to|de|du|des|la|le")
SMALL_WORDS = {"for", "of", "and", "on", "the", "in", "to", "de", "du", "des", "la", "le"}


@dataclass(frozen=True)
class Lexicon:
    heads: dict[str, str]
    generic: frozenset[str]
    needs_modifier: dict[str, frozenset[str]]
    topics: frozenset[str]
    status_modifiers: dict[str, str]
    plain_modifiers: frozenset[str]
    verbs: dict[str, str]
    nouns: dict[str, str]
    preps: dict[str, str]
    kind_overrides: dict[str, dict[str, str]]
    planned_status: dict[str, str]
    rank: dict[str, int]
    replacing: frozenset[str]
    initial: frozenset[str]
    replacing_verbs: frozenset[str]
    head_status: dict[str, str]
    joint_drafting: str
    self_naming: frozenset[str]
    synonyms: dict[str, str]
    earlier: frozenset[str]
    subject_verbs: dict[str, str]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    raw = yaml.safe_load(resources.files("parley.ontology").joinpath("documents.yaml").read_text("utf-8"))
    return Lexicon(
        heads=dict(raw["heads"]), generic=frozenset(raw["generic_heads"]),
        needs_modifier={k: frozenset(v) for k, v in raw["needs_modifier"].items()},
        topics=frozenset(w.lower() for w in raw["topics"]), status_modifiers=dict(raw["status_modifiers"]),
        plain_modifiers=frozenset(raw["plain_modifiers"]), verbs=dict(raw["verbs"]), nouns=dict(raw["nouns"]),
        preps=dict(raw["preps"]), kind_overrides={k: dict(v) for k, v in raw["kind_overrides"].items()},
        planned_status=dict(raw["planned_status"]), rank={s: i for i, s in enumerate(raw["rank"])},
        replacing=frozenset(raw["replacing_modifiers"]), initial=frozenset(raw["initial_cues"]),
        replacing_verbs=frozenset(raw["replacing_verbs"]), head_status=dict(raw.get("head_status") or {}),
        joint_drafting=raw["joint_drafting"], self_naming=frozenset(raw["self_naming"]), synonyms=dict(raw["synonyms"]),
        earlier=frozenset(raw["earlier_modifiers"]), subject_verbs=dict(raw["subject_verbs"]))


@dataclass
class DocMention:
    pi: int
    offset: int                # where the paragraph starts in Article.text
    start: int                 # offsets in Article.text
    end: int
    text: str
    head: Token
    kind: str
    key: tuple[str, ...]
    name: str
    sentence: tuple[int, int]
    generic: bool = False
    definite: bool = False
    acronym: str | None = None
    status: str | None = None
    status_text: str | None = None
    status_span: tuple[int, int] | None = None
    parties: list[str] = field(default_factory=list)
    replacing: bool = False    # "a refined 20-point framework"
    initial: bool = False      # "a 28-point plan was initially proposed"


@dataclass
class DocumentFound:
    key: tuple[str, ...]
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[DocMention] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    status: str | None = None
    status_text: str | None = None
    status_span: tuple[int, int] | None = None
    replaces: list["DocumentFound"] = field(default_factory=list)
    replaced: bool = False

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)


def extract_documents(paragraphs: list[Paragraph], actors: ActorTable, published: date | None = None) -> list[DocumentFound]:
    lex = load_lexicon()
    mentions: list[DocMention] = []
    for pi, para in enumerate(paragraphs):
        taken: set[int] = set()
        for m in _acronym_mentions(pi, para, lex, taken):
            mentions.append(m)
        money = _money_phrases(para)
        for tok in para.doc:
            if tok.i in taken or tok.i in money:
                continue
            m = _mention(pi, para, tok, lex, actors)
            if m is not None:
                taken.update(range(m.head.i, m.head.i + 1))
                mentions.append(m)
    for m in mentions:
        _status(m, lex, actors)
    _share_across_lists(mentions, paragraphs)
    documents = _merge(mentions, lex)
    _acronym_only_mentions(documents, paragraphs, mentions)
    _replacements(documents, mentions, lex)
    for d in documents:
        _settle(d, lex)
    # "a lasting ceasefire would benefit the region": a wish, not a document
    documents = [d for d in documents if d.status or d.parties or any(
        m.definite or m.head.lemma_.lower() not in lex.self_naming for m in d.mentions)]
    for d in documents:
        for k in d.parties:
            actors.used(k)
    return sorted(documents, key=lambda d: d.first)


# --- finding mentions -------------------------------------------------------------------


def _money_phrases(para: Paragraph) -> set[int]:
    """Tokens of noun phrases that carry an amount: "a $106-billion financial security guarantee
    decision" is a commitment, not a document."""
    tokens: set[int] = set()
    for money in find_money(para.doc.text):
        span = para.doc.char_span(money.start, money.end, alignment_mode="expand")
        if span is None:
            continue
        tokens.update(t.i for t in span)
        head = span.root.head
        if head != span.root and head.pos_ in NOUN_POS:
            tokens.update(t.i for t in head.subtree if t.i <= head.i)
    return tokens


def _acronym_mentions(pi: int, para: Paragraph, lex: Lexicon, taken: set[int]) -> list[DocMention]:
    """'the Security Action for Europe (SAFE) instrument': long form, acronym, head noun."""
    doc, text = para.doc, para.doc.text
    found = []
    for m in ACRONYM.finditer(text):
        acr = m.group("acr")
        words = list(re.finditer(r"\S+", text[:m.start()]))[-12:]
        long_words = []
        for w in reversed(words):
            bare = w.group().strip(",;:")
            if bare != w.group() or not LONG_WORD.fullmatch(bare):
                break
            long_words.insert(0, (w.start(), w.end(), bare))
        long_words = _fit_initials(long_words, acr)
        if not long_words:
            continue
        start = long_words[0][0]
        after = re.match(r"\s*([\w-]+)", text[m.end():])
        head_word = None
        end = m.end()
        if after:
            tok = doc.char_span(m.end() + after.start(1), m.end() + after.end(1), alignment_mode="expand")
            if tok is not None and tok.root.lemma_.lower() in lex.heads and tok.root.pos_ in NOUN_POS:
                head_word, end = tok.root, tok.end_char
        kind = lex.heads.get(head_word.lemma_.lower()) if head_word is not None else None
        if kind is None:  # "Joint Comprehensive Plan of Action (JCPOA)": the head is in the long form
            kind = next((lex.heads[w[2].lower()] for w in reversed(long_words) if w[2].lower() in lex.heads
                         and w[2].lower() not in lex.generic and w[2].lower() not in lex.needs_modifier), None)
        if kind is None:
            continue  # an organisation or a group ("Nordic-Baltic Eight (NB8)")
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        taken.update(range(span.start, span.end))
        name = " ".join(w[2] for w in long_words)
        off = para.offset
        sent = span.root.sent
        found.append(DocMention(pi=pi, offset=off, start=off + start, end=off + end, text=text[start:end], head=span.root,
                                kind=kind, key=("acronym", acr), name=name, acronym=acr,
                                sentence=(off + sent.start_char, off + sent.end_char),
                                definite=True))
    return found


def _fit_initials(words: list[tuple[int, int, str]], acr: str) -> list[tuple[int, int, str]]:
    """The shortest tail of capitalised words whose initials spell the acronym ("for" may count)."""
    letters = [c for c in acr.upper() if c.isalpha()]
    for i in range(len(words)):
        tail = words[i:]
        if tail[0][2].lower() in SMALL_WORDS:
            continue
        if _spells(tail, letters):
            return tail
    return []


def _spells(words: list[tuple[int, int, str]], letters: list[str]) -> bool:
    """Every capitalised word gives the next letter; small words may give one or not."""
    def walk(wi: int, li: int) -> bool:
        if wi == len(words):
            return li == len(letters)
        word = words[wi][2]
        small = word.lower() in SMALL_WORDS
        if li < len(letters) and word[0].upper() == letters[li] and walk(wi + 1, li + 1):
            return True
        return small and walk(wi + 1, li)
    return len(words) <= 12 and walk(0, 0)


def _mention(pi: int, para: Paragraph, tok: Token, lex: Lexicon, actors: ActorTable) -> DocMention | None:
    lemma = tok.lemma_.lower()
    if tok.pos_ not in NOUN_POS or lemma not in lex.heads:
        return None
    outer = None
    if tok.dep_ == "compound":
        if tok.head.lemma_.lower() in lex.generic:  # "the 20-point framework document"
            outer = tok.head
        elif tok.head.like_num or tok.head.text[:1].isdigit():  # "Resolution 2231"
            outer = tok.head
        else:
            return None
    if lemma in lex.generic and any(c.dep_ == "compound" and c.lemma_.lower() in lex.heads and c.lemma_.lower() not in lex.generic
                                    for c in tok.children):
        return None  # the inner head names it
    kind = lex.heads[lemma]
    holder = outer or tok
    owners = [tok] + ([outer] if outer is not None and outer.like_num else [])  # "UN Security Council Resolution 2231"
    mods = sorted({t for o in owners for c in o.children if c.dep_ in NAME_DEPS and c.i < tok.i and c != tok
                   for t in c.subtree}, key=lambda t: t.i)
    mods = [t for t in mods if t.dep_ != "poss" and not any(a.dep_ == "poss" for a in t.ancestors if a.i < tok.i and a in mods)]
    words = {t.lower_ for t in mods} | {t.lemma_.lower() for t in mods}
    words |= {o.lemma_.lower() for o in pobjs(tok, {"of"})}  # "code of conduct"
    bare = False
    if lemma in lex.needs_modifier and not words & lex.needs_modifier[lemma] and not any(
            t.pos_ == "PROPN" and t.text[:1].isupper() for t in mods):
        if mods:
            return None
        bare = True  # "the package": a generic mention, if a sanctions package was named before
    kb = load_kb()
    naming: list[Token] = []
    parties: list[str] = []
    proper = tok.text[:1].isupper() and tok.i > tok.sent.start
    for t in mods:
        low, lem = t.lower_, t.lemma_.lower()
        keys = actors.keys_at(pi, t)
        if keys and not proper and _party_word(kb, t.text):
            parties += [k for k in keys if k not in parties]
            continue
        if keys and proper:  # the body whose resolution it is
            parties += [k for k in keys if actors.entities[k].sector == "IGO" and k not in parties]
        if low in lex.status_modifiers or low in lex.plain_modifiers or t.dep_ == "punct" or t.lower_ in ("more", "additional"):
            continue
        if t.like_num or re.fullmatch(r"\d+(st|nd|rd|th)", low) or t.ent_type_ == "ORDINAL" or low == "point" \
                or lem in lex.topics or low in lex.topics or t.pos_ == "PROPN" or t.dep_ == "cc" or low in ("-", "and"):
            naming.append(t)
    right = []
    if outer is not None and outer.like_num:
        right = [outer]
    for p in tok.children:  # "package of sanctions", "agreement on a ceasefire", "Convention on the Law of the Sea"
        if p.dep_ == "prep" and p.lower_ in ("of", "on"):
            objs = [o for o in p.children if o.dep_ == "pobj" and (o.lemma_.lower() in lex.topics or o.lower_ in lex.topics
                                                                   or (proper and o.pos_ == "PROPN"))]
            if objs:  # a proper name keeps its whole phrase; "package of sanctions against Russia" does not
                phrase = list(objs[0].subtree) if proper else [t for t in objs[0].children if t.dep_ in ("compound", "amod")
                                                               and t.i < objs[0].i] + [objs[0]]
                right = [p, *sorted((t for t in phrase if t.dep_ != "det" or proper), key=lambda t: t.i)]
    content = [t for t in naming if t.dep_ != "cc" and t.lower_ not in ("-", "and")]
    if lemma in lex.generic or bare:  # "the draft document", "Moscow reviews draft document": never a name
        content, naming, right = [], [], []
    generic = not content and not right and lemma not in lex.self_naming
    dets = [c for c in tok.children if c.dep_ in ("det", "poss")] + ([c for c in holder.children if c.dep_ in ("det", "poss")] if outer else [])
    definite = any(d.lower_ in DETERMINERS or d.dep_ == "poss" for d in dets)
    if generic and not definite:
        return None  # "a draft document", "some draft documents": nothing to name or link
    for d in dets:
        if d.dep_ == "poss":
            parties += [k for k in actor_keys(actors, pi, d) if k not in parties]
    for o in pobjs(tok, {"between", "with"}):  # "the peace framework between Rwanda and the DRC"
        parties += [k for k in actor_keys(actors, pi, o) if k not in parties]
    # the mention's words: naming modifiers (with the words between them), head, number or "of" phrase
    name_toks = [t for t in mods if t in naming or (content and min(naming).i < t.i and t.lower_ not in lex.plain_modifiers
                                                    and t.lower_ not in lex.status_modifiers and t.dep_ != "poss")
                 or (content and t.lower_ == "draft" and t.head == tok)]  # "the draft peace plan" keeps its word
    name_toks = [t for t in name_toks if not (t in mods and actors.keys_at(pi, t) and not proper and _party_word(kb, t.text))]
    first = min([tok.i, *[t.i for t in name_toks]])
    doc = tok.doc
    while first >= 2 and doc[first - 1].text == "-" and not doc[first - 2].whitespace_ and not doc[first - 1].whitespace_ \
            and doc[first - 2].pos_ not in ("DET", "PRON"):
        first -= 2  # "free-trade agreement": the whole hyphenated word
    last_tok = max([tok, *right, *( [outer] if outer is not None else [])], key=lambda t: t.i)
    span_start, span_end = doc[first].idx, last_tok.idx + len(last_tok.text)
    name_end = (outer.idx + len(outer.text)) if outer is not None and outer.like_num else \
        (right[-1].idx + len(right[-1].text) if right else tok.idx + len(tok.text))
    name = re.sub(r"\s+", " ", doc.text[span_start:name_end]).strip()
    name = re.sub(r"\s*-\s*", "-", name)
    key_words = sorted({lex.synonyms.get(_key_word(t), _key_word(t)) for t in [*content, *[r for r in right if r.dep_ != "prep"], tok]
                        if t.lower_ not in lex.status_modifiers and t.dep_ not in ("det", "punct")})
    if any(t.lower_ in lex.earlier for t in mods):
        key_words.append("#earlier")  # "previous ceasefires" are not the ceasefire of the story
    if outer is not None and outer.like_num:
        key_words = sorted(set(key_words) | {outer.text})
    off = para.offset
    sent = tok.sent
    m = DocMention(pi=pi, offset=off, start=off + span_start, end=off + span_end, text=doc.text[span_start:span_end], head=tok,
                   kind=kind, key=tuple(key_words), name=name, generic=generic, definite=definite,
                   sentence=(off + sent.start_char, off + sent.end_char), parties=parties)
    if lemma in lex.generic:
        m.kind = "document"
    m.replacing = any(t.lower_ in lex.replacing for t in tok.children if t.dep_ in ("amod", "compound"))
    m.initial = any(t.lower_ in lex.initial for t in tok.children if t.dep_ in ("amod", "advmod"))
    for t in tok.children:  # "a draft peace plan", "the proposed deal"
        if t.dep_ in ("amod", "compound") and t.lower_ in lex.status_modifiers:
            _set(m, lex.status_modifiers[t.lower_], t)
    return m


def _party_word(kb, text: str) -> bool:
    """A country, demonym or international body: a party, not part of a name ("the US plan")."""
    return bool(kb.country(text) or kb.country_by_demonym(text) or kb.organisation(text))


def _key_word(t: Token) -> str:
    if t.like_num or t.text[:1].isdigit():
        return t.text.lower()
    return t.lemma_.lower().rstrip("s") if t.pos_ == "NOUN" else t.lower_


# --- status and parties -----------------------------------------------------------------


def _set(m: DocMention, status: str, cue: Token) -> None:
    lex = load_lexicon()
    if m.status is None or lex.rank.get(status, -1) > lex.rank.get(m.status, -1):
        m.status, m.status_text = status, cue.text
        m.status_span = (m.offset + cue.idx, m.offset + cue.idx + len(cue.text))


def _status(m: DocMention, lex: Lexicon, actors: ActorTable) -> None:
    """Climb from the mention to the verb or noun that says how far the document has come."""
    cues = load_cues()
    node = m.head
    overrides = lex.kind_overrides.get(m.kind, {})
    if m.head.lemma_.lower() in lex.head_status:
        _set(m, lex.head_status[m.head.lemma_.lower()], m.head)
    for clause in m.head.children:  # "a joint statement drafted by the Europeans", "the deal, which was signed"
        word = clause.lemma_.lower()
        said = overrides.get(word) or lex.verbs.get(word)
        if clause.dep_ in ("acl", "relcl") and clause.pos_ in VERB_POS and said and not is_negated(clause):
            _set(m, said, clause)
            m.parties += [k for k in _doers(clause, actors, m.pi) if k not in m.parties]
    for _ in range(8):
        head = node.head
        if head == node:
            break
        word = head.lemma_.lower()
        if head.pos_ == "ADP" and head.lower_ in lex.preps:
            _set(m, lex.preps[head.lower_], head)
            return
        if head.pos_ == "ADP" and node.dep_ == "pobj" and head.lower_ not in CLIMB_PREPS:
            return
        if head.lower_ == "to" and head.head.lower_ == "according":
            return
        if head.pos_ in VERB_POS or (head.pos_ == "ADJ" and head.lower_ in lex.verbs):  # "remained committed to"
            word = head.lower_ if head.pos_ == "ADJ" else word
            status = overrides.get(word) or lex.verbs.get(word)
            if word == "put" and not any(c.lower_ == "forward" for c in head.children):
                status = None
            if status is None:  # "meet ... to discuss X, alongside Y"
                status = _purpose_clause(head, lex)
                head = next((c for c in head.children if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in lex.verbs), head)
            if status is not None:
                if is_negated(head):
                    return  # "never implemented", "did not sign": no status from it
                if head.dep_ == "xcomp" and head.head.lemma_.lower() in cues.negating_verbs:
                    status = "rejected"
                elif _future(head, cues):
                    status = lex.planned_status.get(status, status)
                doers = _doers(head, actors, m.pi)
                if status == "drafted" and len(doers) > 1:
                    status = lex.joint_drafting  # drafted together: negotiated
                _set(m, status, head)
                m.parties += [k for k in doers if k not in m.parties]
                return
            if node.dep_ in ("nsubj", "nsubjpass"):
                objects = {c.lower_ for c in head.subtree if c.dep_ in ("dobj", "pobj")}
                for phrase, said in lex.subject_verbs.items():
                    verb, *obj = phrase.split()
                    if verb == word and (not obj or obj[0] in objects) and not is_negated(head):
                        _set(m, said, head)
                        return
            return  # a verb that says nothing of the document's status ends the climb
        elif head.pos_ in NOUN_POS and word in lex.nouns and node.dep_ in ("pobj", "prep", "pcomp"):
            _set(m, lex.nouns[word], head)
            owners = [party_key(actors, k) for p in head.children if p.dep_ == "poss" for k in actor_keys(actors, m.pi, p)]
            m.parties += [k for k in owners or _doers(head, actors, m.pi) if k not in m.parties]  # "Moscow's evaluation of"
            return
        node = head


def _purpose_clause(verb: Token, lex: Lexicon) -> str | None:
    """'meet ... to discuss X, alongside Y': Y is discussed too."""
    for c in verb.children:
        if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in lex.verbs and any(a.lower_ == "to" for a in c.children):
            return lex.verbs[c.lemma_.lower()]
    return None


def _future(node: Token, cues) -> bool:
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in cues.future_auxiliaries for c in node.children):
        return True
    return node.dep_ in ("xcomp", "ccomp") and node.head.lemma_.lower() in cues.planning_verbs


def _doers(cue: Token, actors: ActorTable, pi: int) -> list[str]:
    """Who proposes, drafts or signs: the agent of a passive, else the subject up the clause chain."""
    node = cue
    for _ in range(8):
        agent = next((c for c in node.children if c.dep_ == "agent"), None)
        if agent is not None:
            return [party_key(actors, k) for o in agent.children if o.dep_ == "pobj" for k in actor_keys(actors, pi, o)]
        if any(c.dep_ == "nsubjpass" for c in node.children):
            return []
        subj = next((c for c in node.children if c.dep_ in ("nsubj",)), None)
        if subj is not None:  # "he will meet with Trump to discuss X": both discuss it
            partners = [k for o in pobjs(node, {"with"}) for k in actor_keys(actors, pi, o)] \
                if node.lemma_.lower() in MEETING_VERBS else []
            return _unique([party_key(actors, k) for k in actor_keys(actors, pi, subj) + partners])
        if node.dep_ in ("pcomp", "prep", "pobj", "dobj", "xcomp", "advcl", "conj", "acl") and node.head != node:
            node = node.head
            continue
        return []
    return []


def _share_across_lists(mentions: list[DocMention], paragraphs: list[Paragraph]) -> None:
    """'drafting security guarantees, a recovery plan, and the 20-point framework': a list shares its
    status and parties, whatever the parser made of the commas."""
    ordered = sorted(mentions, key=lambda m: m.start)
    for a, b in zip(ordered, ordered[1:]):
        if a.sentence != b.sentence:
            continue
        gap = paragraphs[a.pi].doc.text[a.end - a.offset: b.start - a.offset]
        if not LIST_GAP.match(gap):
            continue
        if b.status is None and a.status is not None:
            b.status, b.status_text, b.status_span = a.status, a.status_text, a.status_span
        b.parties += [k for k in a.parties if k not in b.parties]


# --- one document, many mentions --------------------------------------------------------


def _merge(mentions: list[DocMention], lex: Lexicon) -> list[DocumentFound]:
    documents: list[DocumentFound] = []
    by_key: dict[tuple, DocumentFound] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if m.generic:
            target = _antecedent(m, documents, mentions)
            if target is not None:
                target.mentions.append(m)
            continue
        d = by_key.get(m.key) or _by_long_form(documents, m)
        if d is None:
            d = DocumentFound(key=m.key, name=m.name, kind=m.kind)
            by_key[m.key] = d
            documents.append(d)
        d.mentions.append(m)
        if m.acronym and m.acronym not in d.aliases:
            d.aliases.append(m.acronym)
        elif m.name != d.name and m.name not in d.aliases and not m.acronym:
            d.aliases.append(m.name)
    return documents


def _by_long_form(documents: list[DocumentFound], m: DocMention) -> DocumentFound | None:
    """'the SAFE instrument' after 'Security Action for Europe (SAFE)': the same document."""
    return next((d for d in documents if m.name.lower() == d.name.lower() and m.kind == d.kind), None)


def _antecedent(m: DocMention, documents: list[DocumentFound], mentions: list[DocMention]) -> DocumentFound | None:
    """The one live document a generic mention ("the document", "the plan") can stand for."""
    before = [d for d in documents if not d.replaced and d.first < m.start
              and (m.kind == "document" or d.kind == m.kind)]
    replaced = {id(r) for d in documents for r in d.replaces}
    before = [d for d in before if id(d) not in replaced and not _replaced_in_sentence(d, documents, m)]
    if len(before) == 1:
        return before[0]
    # more than one: only those of this sentence or the one before
    recent = [d for d in before if any(x.pi == m.pi and m.start - x.start < 600 and x.start < m.start
                                       and (x.sentence == m.sentence or x.sentence[1] <= m.sentence[0]
                                            and _adjacent(x.sentence, m.sentence, mentions)) for x in d.mentions)]
    return recent[0] if len(recent) == 1 else None


def _adjacent(a: tuple[int, int], b: tuple[int, int], mentions) -> bool:
    return 0 <= b[0] - a[1] <= 2


def _replaced_in_sentence(d: DocumentFound, documents: list[DocumentFound], m: DocMention) -> bool:
    """Replacement is settled after merging; before it, a document marked 'initially' next to a
    'refined' one in the same sentence is already out of the running."""
    for x in d.mentions:
        if x.initial or _initial_verb(x, load_lexicon()):
            return any(y.replacing and y.sentence == x.sentence for o in documents if o is not d for y in o.mentions)
    return False


def _acronym_only_mentions(documents: list[DocumentFound], paragraphs: list[Paragraph], mentions: list[DocMention]) -> None:
    """Later mentions by acronym alone ("SAFE loans")."""
    taken = [(m.start, m.end) for m in mentions]
    for d in documents:
        for acr in [a for a in d.aliases if a.isupper() and len(a) > 1]:
            pattern = re.compile(r"(?<![\w(])" + re.escape(acr) + r"(?![\w)])")
            for pi, para in enumerate(paragraphs):
                for hit in pattern.finditer(para.doc.text):
                    start, end = para.offset + hit.start(), para.offset + hit.end()
                    if any(s <= start < e for s, e in taken):
                        continue
                    span = para.doc.char_span(hit.start(), hit.end(), alignment_mode="expand")
                    if span is None:
                        continue
                    sent = span.root.sent
                    d.mentions.append(DocMention(pi=pi, offset=para.offset, start=start, end=end, text=acr, head=span.root, kind=d.kind,
                                                 key=d.key, name=d.name, acronym=acr,
                                                 sentence=(para.offset + sent.start_char, para.offset + sent.end_char)))
                    taken.append((start, end))


def _replacements(documents: list[DocumentFound], mentions: list[DocMention], lex: Lexicon) -> None:
    owner = {id(m): d for d in documents for m in d.mentions}
    for new in mentions:
        d_new = owner.get(id(new))
        if d_new is None:
            continue
        for old in mentions:
            d_old = owner.get(id(old))
            if d_old is None or d_old is d_new or old.sentence != new.sentence:
                continue
            if (new.replacing and (old.initial or _initial_verb(old, lex))) or _replacing_verb(new, old, lex):
                if d_old not in d_new.replaces:
                    d_new.replaces.append(d_old)
                    d_old.replaced = True


def _initial_verb(m: DocMention, lex: Lexicon) -> bool:
    """'a 28-point plan was initially proposed': the cue sits on the mention's verb."""
    node = m.head
    for _ in range(3):
        if node.head == node:
            return False
        node = node.head
        if node.pos_ in VERB_POS:
            return any(c.dep_ == "advmod" and c.lower_ in lex.initial for c in node.children)
    return False


def _replacing_verb(new: DocMention, old: DocMention, lex: Lexicon) -> bool:
    """'B replaced A', 'A was replaced by B', 'B, refined from A', 'B, replacing A'."""
    a, b = old.head, new.head
    verb = b.head if b.dep_ == "nsubj" else None
    if verb is not None and verb.lemma_.lower() in lex.replacing_verbs and any(c == a or a in c.conjuncts for c in verb.children if c.dep_ == "dobj"):
        return True
    if a.dep_ == "nsubjpass" and a.head.lemma_.lower() in lex.replacing_verbs:
        return any(o == b for ag in a.head.children if ag.dep_ == "agent" for o in ag.children)
    for acl in (c for c in b.children if c.dep_ in ("acl", "relcl", "amod") and c.lemma_.lower() in lex.replacing_verbs):
        if any(o == a for o in pobjs(acl, {"from", "of"})) or any(o == a for o in acl.children if o.dep_ == "dobj"):
            return True
    return False


def _settle(d: DocumentFound, lex: Lexicon) -> None:
    """The document's status: the furthest its mentions say; parties from all of them."""
    best = None
    for m in d.mentions:
        if m.status and (best is None or lex.rank.get(m.status, -1) > lex.rank.get(best.status, -1)):
            best = m
        d.parties += [k for k in m.parties if k not in d.parties]
    if best is not None:
        d.status, d.status_text, d.status_span = best.status, best.status_text, best.status_span
    named = [m for m in d.mentions if not m.generic]
    if named:
        d.kind = named[0].kind


def _unique(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(keys))


# --- records ----------------------------------------------------------------------------


def document_records(article_id: str, documents: list[DocumentFound], actor_ids: dict[str, str]) -> list[Document]:
    ids: dict[int, str] = {}
    for d in documents:
        base = f"{article_id}#d{d.first}"
        ids[id(d)] = base if base not in ids.values() else f"{base}.{sum(1 for v in ids.values() if v.startswith(base))+1}"
    records = []
    for d in documents:
        mentions = sorted(d.mentions, key=lambda m: m.start)
        records.append(Document(
            id=ids[id(d)], name=d.name, aliases=d.aliases, kind=d.kind,
            parties=_unique([actor_ids[k] for k in d.parties if k in actor_ids]), status=d.status,
            mentions=[Mention(start=m.start, end=m.end, text=m.text) for m in mentions],
            replaces=[ids[id(r)] for r in d.replaces if id(r) in ids], status_text=d.status_text,
            status_span=Span(start=d.status_span[0], end=d.status_span[1]) if d.status_span else None))
    return records


def link_events(events: list[Event], documents: list[Document]) -> None:
    """An event whose sentences (its own and those merged into it) mention a document concerns it."""
    for e in events:
        for sentence in [e.sentence, *e.evidence]:
            for d in documents:
                if d.id not in e.documents and any(sentence.start <= m.start and m.end <= sentence.end for m in d.mentions):
                    e.documents.append(d.id)


def document_actor_keys(documents: list[DocumentFound]) -> set[str]:
    return {k for d in documents for k in d.parties}
