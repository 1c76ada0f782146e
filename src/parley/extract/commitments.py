"""Commitments: money, material and personnel promised, decided, delivered, requested or refused.

Amounts are found in the text ("$106-billion", "€90 billion", "£2.5bn", "1.5 trillion yen",
"USD 300 million", "50 million dollars", "$5–7 billion") and normalised to a number and an
ISO 4217 code (kb/currencies.yaml); material and personnel are nouns of ontology/commitments.yaml
("two Patriot batteries", "5,000 troops"). An amount or an item is a commitment only where the
parse ties it to a commitment verb or noun (pledge, provide, a decision, a loan); the same parse
gives giver, recipient, purpose, status, planned and negation. Each commitment with a giver and a
recipient is also an event: one already coded in its sentence when the parties agree, else a new one.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..nlp import Paragraph
from ..ontology import load_ontology
from ..ontology.cues import load_cues
from ..record import Commitment, Span
from .actors import ActorTable
from .dates import resolve
from .events import Found
from .syntax import NOUN_POS, VERB_POS, actor_keys, is_negated, pobjs, same_party, subject

from text_to_num import text2num  # number words ("two", "five thousand")


# --- data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Currencies:
    symbols: dict[str, str]      # "$" -> USD, "C$" -> CAD
    names: dict[str, str]        # folded name -> code ("canadian dollars" -> CAD)
    codes: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    scales: dict[str, float]
    number_words: dict[str, float | None]
    verbs: dict[str, dict]
    governing: dict[str, str]
    status_nouns: dict[str, str]
    money_nouns: frozenset[str]
    institutional_nouns: frozenset[str]
    items: dict[str, dict]
    item_modifiers: frozenset[str]
    events: dict[str, dict]
    helping_verbs: frozenset[str]


def _yaml(package: str, name: str) -> dict:
    return yaml.safe_load(resources.files(package).joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=1)
def load_currencies() -> Currencies:
    raw = _yaml("parley.kb", "currencies.yaml")
    names: dict[str, str] = {}
    symbols: dict[str, str] = {}
    for code, entry in raw["codes"].items():
        for name in entry.get("names", []):
            names.setdefault(name.lower(), code)
        if entry.get("symbol"):
            symbols.setdefault(entry["symbol"], code)
    # curated news usage wins over CLDR ("dollars" is USD, "CFA francs" XOF)
    names.update({k.lower(): v for k, v in raw["curated"]["names"].items()})
    symbols.update(raw["curated"]["symbols"])
    return Currencies(symbols=symbols, names=names, codes=frozenset(raw["codes"]))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    raw = _yaml("parley.ontology", "commitments.yaml")
    return Lexicon(
        scales={k.lower(): float(v) for k, v in raw["scales"].items()},
        number_words={str(k).lower(): (None if v is None else float(v)) for k, v in raw["number_words"].items()},
        verbs=dict(raw["verbs"]), governing=dict(raw["governing"]), status_nouns=dict(raw["status_nouns"]),
        money_nouns=frozenset(raw["money_nouns"]), institutional_nouns=frozenset(raw["institutional_nouns"]),
        items=dict(raw["items"]), item_modifiers=frozenset(w.lower() for w in raw["item_modifiers"]),
        events=dict(raw["events"]), helping_verbs=frozenset(raw["helping_verbs"]))


# --- amounts in text --------------------------------------------------------------------


@dataclass
class Money:
    """An amount found in a paragraph (offsets local to the paragraph)."""
    start: int
    end: int
    text: str
    amount: float | None
    low: float | None
    high: float | None
    currency: str | None
    scaled: bool  # a scale word was written ("billion"): a bare "5" is no amount


NUMBER = r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?![.,]?\d)"
RANGE = r"\s*(?:–|—|-|to)\s*"
_WORD_NUMBERS = ("a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
                 "thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|several|half a")


@dataclass(frozen=True)
class _Patterns:
    number: re.Pattern
    word_number: re.Pattern
    scale: re.Pattern
    prefix: re.Pattern
    suffix_name: re.Pattern
    suffix_code: re.Pattern
    range_: re.Pattern
    between: re.Pattern


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    cur, lex = load_currencies(), load_lexicon()
    long_scales = sorted((s for s in lex.scales if len(s) > 1), key=len, reverse=True)
    short_scales = sorted((s for s in lex.scales if len(s) == 1), key=len, reverse=True)
    # "5 billion", "106-billion", "2.5bn"; one-letter scales only against the number ("5m", "$300b")
    scale = (r"(?:\s*-?\s*(?P<long>" + "|".join(map(re.escape, long_scales)) + r")\b"
             r"|(?P<short>" + "|".join(map(re.escape, short_scales)) + r")\b)")
    marks = sorted(set(cur.symbols) | set(cur.codes), key=len, reverse=True)
    prefix = r"(?:(?<![\w$€£¥])(?P<mark>" + "|".join(map(re.escape, marks)) + r"))\s?$"
    names = sorted(cur.names, key=len, reverse=True)
    suffix_name = r"[ \t]+(?P<name>" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")\b(?!\s+of\b|-)"
    suffix_code = r"[ \t]*(?P<code>" + "|".join(sorted(cur.codes)) + r")\b"
    return _Patterns(
        number=re.compile(NUMBER),
        word_number=re.compile(r"\b(?P<words>" + _WORD_NUMBERS + r")(?=\s+(?:" + "|".join(long_scales) + r")\b)", re.I),
        scale=re.compile(scale, re.I),
        prefix=re.compile(prefix),
        suffix_name=re.compile(suffix_name, re.I),
        suffix_code=re.compile(suffix_code),
        range_=re.compile(RANGE),
        between=re.compile(r"\bbetween\s*$", re.I),
    )


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def word_number(text: str) -> float | None:
    """'two' -> 2, 'a dozen' -> 12, 'five thousand' -> 5000; None when it names no number."""
    words = text.lower().replace("-", " ").split()
    table = load_lexicon().number_words
    if not words:
        return None
    if all(w in table for w in words):
        values = [table[w] for w in words]
        if any(v is None for v in values):
            return None
        product = 1.0
        for v in values:
            product *= v
        return product
    if words[0] in ("a", "an"):
        words = words[1:]
    try:
        return float(text2num(" ".join(words), "en"))
    except (ValueError, TypeError):
        return None


def _prefix(text: str, start: int) -> tuple[str | None, int]:
    """The currency mark just before an amount ("$", "US$", "USD ") and where it starts."""
    window = text[max(0, start - 8): start]
    m = _patterns().prefix.search(window)
    if not m:
        return None, start
    mark = m.group("mark")
    cur = load_currencies()
    code = cur.symbols.get(mark) or (mark if mark in cur.codes else None)
    return code, start - (len(window) - m.start())


def _scale(text: str, pos: int) -> tuple[float | None, int]:
    m = _patterns().scale.match(text, pos)
    if not m:
        return None, pos
    word = (m.group("long") or m.group("short")).lower()
    return load_lexicon().scales.get(word), m.end()


def _suffix(text: str, pos: int) -> tuple[str | None, int]:
    p = _patterns()
    m = p.suffix_code.match(text, pos)
    if m:
        return m.group("code"), m.end()
    m = p.suffix_name.match(text, pos)
    if m:
        name = re.sub(r"\s+", " ", m.group("name").lower())
        return load_currencies().names.get(name), m.end()
    return None, pos


def find_money(text: str) -> list[Money]:
    """Every amount of money in a text; odd numbers ("1.2.3 billion", "$" alone) give nothing."""
    p = _patterns()
    found: list[Money] = []
    starts: list[tuple[int, int, float | None]] = [(m.start(), m.end(), _number(m.group())) for m in p.number.finditer(text)]
    starts += [(m.start(), m.end(), word_number(m.group("words"))) for m in p.word_number.finditer(text)]
    taken = 0
    for start, end, value in sorted(starts):
        if start < taken or value is None:
            continue
        currency, begin = _prefix(text, start)
        scale, pos = _scale(text, end)
        low, high = value * (scale or 1), None
        between = p.between.search(text[:begin])
        r = (re.compile(r"\s+and\s+").match(text, pos) if between else None) or p.range_.match(text, pos)
        if r:
            second_cur, j = _leading_mark(text, r.end())
            m2 = p.number.match(text, j)
            if m2 and (second_cur is None or currency is None or second_cur == currency):
                v2 = _number(m2.group())
                scale2, pos2 = _scale(text, m2.end())
                if v2 is not None:
                    if scale is None and scale2:  # "$5–7 billion": the scale covers both
                        low = value * scale2
                    high = v2 * (scale2 or scale or 1)
                    currency = currency or second_cur
                    scale, pos = scale or scale2, pos2
        suffix, after = _suffix(text, pos)
        if suffix and currency is None:
            currency, pos = suffix, after
        if currency is None and scale is None:
            continue  # a plain number: a count, a year, a figure
        if scale is None and text[pos:pos + 1].isalpha():
            continue  # "$1e5", "$5x": not an amount as written
        if high is not None and high < low:
            low, high = high, low
        if not (math.isfinite(low) and (high is None or math.isfinite(high))):
            continue
        found.append(Money(start=begin, end=pos, text=text[begin:pos], amount=low, low=low if high else None,
                           high=high, currency=currency, scaled=scale is not None))
        taken = pos
    return found


def _leading_mark(text: str, pos: int) -> tuple[str | None, int]:
    """A repeated currency mark in a range: "$5 billion to $7 billion"."""
    cur = load_currencies()
    for mark in sorted(cur.symbols, key=len, reverse=True):
        if text.startswith(mark, pos):
            return cur.symbols[mark], pos + len(mark)
    return None, pos


# --- commitments on the parse -----------------------------------------------------------


@dataclass
class CommitmentFound:
    """A commitment as found, before the record (actor keys, not ids)."""
    kind: str
    span: tuple[int, int]
    sentence: tuple[int, int]
    text: str
    amount: float | None = None
    low: float | None = None
    high: float | None = None
    currency: str | None = None
    quantity: float | None = None
    item: str | None = None
    giver: list[str] = field(default_factory=list)
    recipient: list[str] = field(default_factory=list)
    purpose: str | None = None
    status: str | None = None
    planned: bool = False
    negated: bool = False
    context: list[str] = field(default_factory=list)
    trigger: tuple[int, int] | None = None  # the cue verb or the phrase, for a new event
    trigger_text: str | None = None
    date: date | None = None
    date_text: str | None = None
    event: Found | None = None
    cue: Token | None = field(default=None, repr=False)  # the verb or noun dates attach to
    base_status: str | None = None  # the status before negation: "did not pledge" -> pledged


@dataclass
class _Cue:
    verb: Token | None = None       # the commitment verb ("pledged")
    noun: Token | None = None       # a noun with a status ("decision", "pledge of")
    status: str | None = None
    role: str = "giver"             # what the verb's subject is
    governor: Token | None = None   # "agreed" in "agreed to provide"


def extract_commitments(paragraphs: list[Paragraph], actors: ActorTable, events: list[Found],
                        published: date | None, headline: str | None = None) -> list[CommitmentFound]:
    """Commitments of an article; events get the commitments' new events appended."""
    lex = load_lexicon()
    found: list[CommitmentFound] = []
    for pi, para in enumerate(paragraphs):
        doc = para.doc
        if pi == 0 and headline and doc.text.strip() == headline.strip():
            continue  # as events.py: a headline's grammar misleads the parser; the body tells the same
        money_tokens: set[int] = set()
        for money in find_money(doc.text):
            span = doc.char_span(money.start, money.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            c = _money_commitment(pi, para, span, money, actors, lex)
            if c:
                found.append(c)
            if c or money.currency:  # "five thousand troops" stays a count of troops
                money_tokens.update(range(span.start, span.end))
        for tok in doc:
            if tok.i in money_tokens or tok.pos_ not in NOUN_POS or tok.dep_ == "compound":
                continue
            c = _item_commitment(pi, para, tok, actors, lex, money_tokens)
            if c:
                found.append(c)
    found = _dedupe(found, actors)
    for c in found:
        _date(c, paragraphs, published)
        _link_event(c, events, actors)
        for k in c.giver + c.recipient:
            actors.used(k)
    return found


def _money_commitment(pi, para, span: SpacySpan, money: Money, actors, lex: Lexicon):
    root = span.root
    anchor = root
    if root.head != root and root.head.i not in range(span.start, span.end):
        head = root.head
        if root.dep_ in ("nummod", "compound", "amod", "nmod", "quantmod", "npadvmod", "appos") and head.pos_ in NOUN_POS:
            anchor = head
        elif head.lower_ == "worth" and head.head.pos_ in NOUN_POS:  # "a package worth $5bn"
            anchor = head.head
    inner = next((o for o in pobjs(root, {"in", "of"}) + (pobjs(anchor, {"of"}) if anchor != root else [])
                  if o.lemma_.lower() in lex.money_nouns | set(lex.items)), None)
    cue = _cue(anchor, lex)
    noun_words = {t.lemma_.lower() for t in [anchor, *anchor.children] if t.dep_ in ("compound", "amod", "nmod") or t == anchor}
    if cue.verb is None and cue.noun is None and not noun_words & lex.money_nouns and inner is None:
        return None
    if anchor != root and anchor.lemma_.lower() not in lex.money_nouns | set(lex.status_nouns) \
            and not noun_words & lex.money_nouns:
        return None  # "$5 billion worth of trade", "2 million people"
    if money.currency is None and anchor == root and not money.scaled:
        return None
    c = _commitment_frame(pi, para, "money", span, anchor, cue, actors, lex)
    c.amount, c.low, c.high, c.currency = money.amount, money.low, money.high, money.currency
    c.purpose = _purpose(span, anchor, inner, cue, actors, pi, lex)
    if inner is not None:  # "$400 million package of weapons for Ukraine": the weapons' recipient
        c.recipient += [k for o in pobjs(inner, {"to", "for"}) for k in _owner_keys(actors, pi, o) if k not in c.recipient]
        if inner.lemma_.lower() in lex.items and inner.lemma_.lower() not in lex.money_nouns:
            c.item = _phrase(inner, actors, pi)
    c.context = ["economic"]
    return c


def _item_commitment(pi, para, tok: Token, actors, lex: Lexicon, money_tokens: set[int]):
    entry = lex.items.get(tok.lemma_.lower())
    if entry is None:
        return None
    mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i]
    words = {t.lower_ for m in mods for t in m.subtree} | {t.lemma_.lower() for t in mods}
    if entry.get("needs_modifier") and not entry.get("measure") and not (
            words & lex.item_modifiers or any(m.pos_ == "PROPN" for m in mods)):
        return None
    if any(t.i in money_tokens for t in tok.subtree):  # "$2 billion in aid" is the money's
        return None
    if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "of"):
        owner = tok.head.head
        if owner.i in money_tokens or any(t.i in money_tokens for t in owner.children):
            return None  # "$2 billion in aid", "a $400 million package of weapons"
    measure = entry.get("measure")
    if measure:  # "100 tonnes of humanitarian aid": the measure carries the quantity
        of = next((o for o in pobjs(tok, {"of"}) if o.pos_ in NOUN_POS), None)
        if of is None:
            return None
    cue = _cue(tok, lex)
    if cue.verb is None and cue.noun is None:
        return None
    quantity = _quantity(tok)
    first = min([tok.i, *[t.i for m in mods for t in m.subtree],
                  *[t.i for c in tok.children if c.dep_ in ("nummod", "quantmod") for t in c.subtree]])
    span = tok.doc[first: tok.i + 1]
    c = _commitment_frame(pi, para, entry["kind"], span, tok, cue, actors, lex)
    if not c.recipient and any(d.dep_ == "poss" for d in tok.children):
        return None  # "Hamas handing over its weapons": a surrender, not a gift
    c.quantity = quantity
    if measure:
        of = next(o for o in pobjs(tok, {"of"}) if o.pos_ in NOUN_POS)
        c.item = tok.text + " of " + (_phrase(of, actors, pi) or of.text)
        c.recipient += [k for o in pobjs(of, {"to", "for"}) for k in _owner_keys(actors, pi, o) if k not in c.recipient]
        end = max(t.idx + len(t.text) for t in of.subtree if t.dep_ != "prep" and not actors.keys_at(pi, t)
                  and not any(a.dep_ == "prep" and a.lower_ in ("to", "for") for a in t.ancestors if a.i > of.i))
        c.span = (c.span[0], max(c.span[1], para.offset + end))
        c.text = para.doc.text[c.span[0] - para.offset: c.span[1] - para.offset]
        return c
    item_tokens = [t for t in span if t.dep_ not in ("nummod", "det", "quantmod") and t.lower_ not in ("more", "additional", "further", "new", "extra")
                   and not (t.head.dep_ == "nummod" and t.dep_ in ("compound", "quantmod"))]
    c.item = _text(item_tokens) or tok.text
    c.context = [entry.get("context")] if entry.get("context") else []
    return c


def _quantity(tok: Token) -> float | None:
    for child in tok.children:
        if child.dep_ in ("nummod", "quantmod") or (child.dep_ == "amod" and child.lower_ in ("more", "additional", "further")):
            num = child if child.dep_ == "nummod" else next((g for g in child.children if g.dep_ == "nummod"), None)
            if num is None:
                continue
            words = " ".join(t.text for t in num.subtree if t.dep_ != "punct")
            value = _number(words) if words[:1].isdigit() else word_number(words)
            if value is not None:
                return value
    return None


def _cue(anchor: Token, lex: Lexicon) -> _Cue:
    """The verb or noun that makes an amount or item a commitment, climbing from its phrase."""
    cue = _Cue()
    if anchor.lemma_.lower() in lex.status_nouns:
        cue.noun, cue.status = anchor, lex.status_nouns[anchor.lemma_.lower()]
    node = anchor
    for _ in range(6):
        head = node.head
        if head == node:
            break
        if node.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative") and head.pos_ in VERB_POS:
            return _verb_cue(cue, head, lex)
        if node.dep_ == "pobj":
            owner = head.head
            if head.lower_ in ("of", "for", "in") and owner.pos_ in NOUN_POS and owner.lemma_.lower() in set(lex.status_nouns) | lex.money_nouns:
                if owner.lemma_.lower() in lex.status_nouns and cue.noun is None:
                    cue.noun, cue.status = owner, lex.status_nouns[owner.lemma_.lower()]
                node = owner
                continue
            if head.lower_ in ("with", "for", "of") and owner.pos_ in VERB_POS:  # "provided Kyiv with", "asked for"
                return _verb_cue(cue, owner, lex)
            break
        if node.dep_ in ("conj", "appos"):
            node = head
            continue
        break
    return cue


def _verb_cue(cue: _Cue, verb: Token, lex: Lexicon) -> _Cue:
    entry = lex.verbs.get(verb.lemma_.lower())
    if entry is None:
        return cue
    cue.verb, cue.role = verb, entry.get("role", "giver")
    cue.status = entry["status"]
    governor = verb.head if verb.dep_ in ("xcomp", "ccomp") else None
    if governor is not None and governor.lemma_.lower() in lex.governing:
        cue.governor, cue.status = governor, lex.governing[governor.lemma_.lower()]
    return cue


def _commitment_frame(pi, para, kind: str, span: SpacySpan, anchor: Token, cue: _Cue, actors: ActorTable,
                      lex: Lexicon) -> CommitmentFound:
    cues = load_cues()
    off = para.offset
    sent = anchor.sent
    start = min(span.start_char, anchor.idx) if anchor.i >= span.start else span.start_char
    end = max(span.end_char, anchor.idx + len(anchor.text))
    start = min(start, *(t.idx for t in anchor.children if t.dep_ in ("compound", "amod", "nummod") and t.i < anchor.i)) \
        if anchor != span.root else start
    c = CommitmentFound(kind=kind, span=(off + start, off + end), sentence=(off + sent.start_char, off + sent.end_char),
                        text=para.doc.text[start:end], status=cue.status)
    verb = cue.verb
    nodes = [n for n in (verb, cue.governor) if n is not None]
    giver: list[str] = []
    recipient: list[str] = []
    if verb is not None:
        subj_keys = actor_keys(actors, pi, subject(verb))
        if cue.governor is not None and cue.governor.lemma_.lower() in ("urge", "call", "ask") and cue.role == "giver":
            # "urged Japan to send troops": the one urged would give; the urger asks
            giver = actor_keys(actors, pi, next((c for c in cue.governor.children if c.dep_ == "dobj"), None)) or subj_keys
            recipient = []
        elif cue.role == "none":  # "Hungary blocked the €50bn facility": the blocker gives nothing
            pass
        elif cue.role == "recipient":
            recipient = subj_keys
            giver = [k for o in pobjs(verb, {"from", "by"}) for k in actor_keys(actors, pi, o)]
            giver += [k for o in verb.children if o.dep_ in ("dobj", "dative") for k in actor_keys(actors, pi, o)]
        else:
            giver = subj_keys
            for child in verb.children:  # "gave Ukraine $1bn", "provided Kyiv with ..."
                if child.dep_ in ("dative", "dobj") and child != anchor:
                    recipient += actor_keys(actors, pi, child)
    for node in [*nodes, anchor, span.root]:
        for o in pobjs(node, {"to", "for"}):
            keys = _owner_keys(actors, pi, o)
            if cue.role == "recipient" and node is verb:
                continue
            recipient += [k for k in keys if k not in recipient]
        for o in pobjs(node, {"from"}) if node is not verb else []:
            giver += actor_keys(actors, pi, o)
    for node in (cue.noun, anchor):  # "Japan's pledge of $1bn", "the EU's €90bn loan", "Kenya's request"
        if node is None:
            continue
        owners = [k for p in node.children if p.dep_ == "poss" for k in actor_keys(actors, pi, p)]
        if node is cue.noun and lex.status_nouns.get(node.lemma_.lower()) == "requested":
            recipient += owners
        elif not giver:
            giver += owners
    if verb is not None:
        recipient += [k for k in _helped(verb, actors, pi, lex) if k not in recipient]
    for mod in (m for m in anchor.children if m.dep_ == "compound" and m.i < anchor.i):
        for k in actor_keys(actors, pi, mod):  # "an IMF loan" is the IMF's; "the Ukraine Facility" for Ukraine
            if actors.entities[k].sector == "IGO":
                giver += [] if giver else [k]
            elif actors.entities[k].kind == "state" and k not in recipient:
                recipient.append(k)
    if not giver and c.status == "decided" and any(n is not None and n.lemma_.lower() in lex.institutional_nouns
                                                   for n in (cue.noun, anchor)):
        giver = _sole_body(actors, pi, sent, recipient)
    c.giver = _unique(giver)
    c.recipient = [k for k in _unique(recipient) if not any(same_party(actors, k, g) for g in c.giver)]
    # tense and negation
    planned = any(_future(n, cues) for n in nodes) or any(
        m.lower_ in cues.planning_modifiers for m in anchor.children if m.dep_ in ("amod", "compound"))
    negated = any(is_negated(n) for n in nodes) or is_negated(anchor) or (
        verb is not None and verb.dep_ in ("xcomp", "ccomp") and is_negated(verb.head))  # "did not begin handing over"
    if verb is not None and verb.dep_ == "xcomp" and verb.head.lemma_.lower() in cues.negating_verbs:
        negated = negated or verb.head.lemma_.lower() not in lex.governing
    if planned and c.status == "delivered":
        c.status = "pledged"  # a future delivery is a promise
    c.planned = planned
    c.base_status = c.status
    if negated:  # "did not pledge": never a pledge
        c.negated, c.status = True, "refused"
    elif c.status == "refused":
        c.negated = True  # "refused to send": nothing was given; the refusal is the event
    if verb is not None:
        c.trigger, c.trigger_text = (off + verb.idx, off + verb.idx + len(verb.text)), verb.text
    else:
        c.trigger, c.trigger_text = c.span, c.text
    c.cue = verb if verb is not None else (cue.noun if cue.noun is not None else anchor)
    return c


def _future(node: Token, cues) -> bool:
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in cues.future_auxiliaries for c in node.children):
        return True
    if node.dep_ in ("xcomp", "ccomp") and node.head.lemma_.lower() in cues.planning_verbs:
        return True
    return False


def _owner_keys(actors: ActorTable, pi: int, tok: Token) -> list[str]:
    """'for Ukraine', "for Ukraine's energy grid", 'for Ukrainian reconstruction' -> Ukraine."""
    keys = actor_keys(actors, pi, tok)
    if keys:
        return keys
    for child in tok.children:
        if child.dep_ in ("poss", "compound") and child.i < tok.i:
            keys += actor_keys(actors, pi, child)
    return keys


def _helped(verb: Token, actors: ActorTable, pi: int, lex: Lexicon) -> list[str]:
    """'pledged $1bn to help Ukraine repair ...': the one helped is a recipient."""
    keys: list[str] = []
    for clause in verb.children:
        if clause.dep_ not in ("advcl", "xcomp") or clause.lemma_.lower() not in lex.helping_verbs:
            continue
        for child in clause.children:
            if child.dep_ in ("dobj", "dative"):
                keys += actor_keys(actors, pi, child)
            elif child.dep_ in ("ccomp", "xcomp"):
                keys += [k for s in child.children if s.dep_ == "nsubj" for k in actor_keys(actors, pi, s)]
    return keys


def _sole_body(actors: ActorTable, pi: int, sent, exclude: list[str]) -> list[str]:
    """The one international body a sentence names ("... presidency of the European Council")."""
    bodies: list[str] = []
    for tok in sent:
        for k in actors.keys_at(pi, tok):
            e = actors.entities[k]
            if e.kind == "organisation" and e.sector == "IGO" and k not in exclude and k not in bodies:
                bodies.append(k)
    return bodies if len(bodies) == 1 else []


def _purpose(span: SpacySpan, anchor: Token, inner: Token | None, cue: _Cue, actors: ActorTable, pi: int,
             lex: Lexicon) -> str | None:
    """What the money is for: its noun phrase ("financial security guarantee"), "in military aid",
    "for reconstruction", or the clause "to help Ukraine repair ..."."""
    if inner is not None:
        return _phrase(inner, actors, pi)
    if anchor != span.root:
        mods = [t for t in anchor.doc[span.end: anchor.i + 1] if t.dep_ != "punct"]
        if anchor.lemma_.lower() in lex.status_nouns:  # "... guarantee decision": the decision is the status
            mods = mods[:-1]
        text = _text([t for t in mods if not actors.keys_at(pi, t)])
        if text:
            return text
    for node in [n for n in (anchor, span.root, cue.verb) if n is not None]:
        for o in pobjs(node, {"for", "in"}):
            if not actor_keys(actors, pi, o) and o.pos_ in NOUN_POS:
                return _phrase(o, actors, pi)
    if cue.verb is not None:
        for clause in cue.verb.children:
            if clause.dep_ in ("advcl", "xcomp") and any(a.lower_ == "to" for a in clause.children if a.dep_ == "aux"):
                words = [t for t in clause.subtree if t.dep_ != "aux" or t.lower_ != "to"]
                if clause.lemma_.lower() in lex.helping_verbs:
                    words = [t for t in words if t != clause and not actors.keys_at(pi, t)]
                return _text(words) or None
    return None


def _phrase(tok: Token, actors: ActorTable, pi: int) -> str | None:
    """A noun phrase without its determiner, its possessor actor or its "to/for <actor>"."""
    drop: set[int] = set()
    for t in tok.subtree:
        if t.dep_ == "poss" and actors.keys_at(pi, t):
            drop.update(x.i for x in t.subtree)
        if t.dep_ == "prep" and t.lower_ in ("to", "for", "from", "by") and t != tok and any(
                actor_keys(actors, pi, o) for o in t.children if o.dep_ == "pobj"):
            drop.update(x.i for x in t.subtree)
    words = [t for t in tok.subtree if t.i not in drop and t.dep_ not in ("det", "punct", "case")]
    return _text(words) or None


def _text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    tokens = sorted(tokens, key=lambda t: t.i)
    out = ""
    for prev, tok in zip([None, *tokens[:-1]], tokens):
        if prev is not None and prev.i == tok.i - 1:
            out += prev.whitespace_ + tok.text
        elif prev is not None:
            out += " " + tok.text
        else:
            out = tok.text
    return out.strip(" ,;:'’")


def _unique(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(keys))


# --- dates, merging, events -------------------------------------------------------------


def _date(c: CommitmentFound, paragraphs: list[Paragraph], published: date | None) -> None:
    trigger = c.cue
    if trigger is None:
        return
    for ent in trigger.sent.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        node = ent.root
        for _ in range(3):
            node = node.head
            if node == trigger:
                c.date_text = ent.text
                c.date = resolve(ent.text, published, c.planned)
                if c.date and published and c.date > published:
                    c.planned = True
                return


def _dedupe(found: list[CommitmentFound], actors: ActorTable) -> list[CommitmentFound]:
    """The same amount or item told twice ("pledged $1bn ... the $1bn will go to") is one commitment."""
    kept: list[CommitmentFound] = []
    for c in found:
        twin = next((k for k in kept if k.kind == c.kind and k.amount == c.amount and k.currency == c.currency
                     and k.item == c.item and k.quantity == c.quantity and k.negated == c.negated
                     and (k.amount is not None or k.quantity is not None)
                     and _parties_agree(actors, k.giver, c.giver) and _parties_agree(actors, k.recipient, c.recipient)), None)
        if twin is None:
            kept.append(c)
            continue
        twin.giver = twin.giver or c.giver
        twin.recipient = twin.recipient or c.recipient
        twin.purpose = twin.purpose or c.purpose
        twin.status = twin.status or c.status
    return kept


def _parties_agree(actors: ActorTable, xs: list[str], ys: list[str]) -> bool:
    if not xs or not ys:
        return True
    return all(any(same_party(actors, x, y) for y in ys) for x in xs) or all(
        any(same_party(actors, x, y) for x in xs) for y in ys)


def _link_event(c: CommitmentFound, events: list[Found], actors: ActorTable) -> None:
    """Reuse an event of the sentence whose parties agree; else add an event when giver and recipient are known."""
    # a refusal is an event of its own (REJECT); a plain negation is the negated event ("did not pledge")
    plain_negation = c.negated and c.base_status not in (None, "refused")
    status = c.base_status if plain_negation else c.status
    spec = load_lexicon().events.get(status) if status else None
    if spec is None:
        return
    for e in events:
        if c.sentence != e.sentence and c.sentence not in e.evidence:
            continue
        if e.event not in spec.get("reuse", []) or e.negated != plain_negation:
            continue
        if not c.giver and not c.recipient:
            continue
        if _parties_agree(actors, c.giver, e.actors) and _parties_agree(actors, c.recipient, e.recipients) \
                and (c.giver or e.actors) and (c.recipient or e.recipients):
            c.giver = c.giver or list(e.actors)
            c.recipient = c.recipient or list(e.recipients)
            e.recipients = e.recipients or list(c.recipient)  # "approved a loan to Pakistan": the loan says who
            if e.event in ("SUPPORT", "COOPERATE") and spec["event"] != e.event:
                # "approved a loan": the word reads as SUPPORT, the act is what the commitment is
                e.event, e.mode = spec["event"], spec.get("mode")
                e.cameo = load_ontology().cameo_for(e.event, e.mode)
            c.event = e
            return
    if not c.giver or not c.recipient:
        return
    ontology = load_ontology()
    event, mode = spec["event"], spec.get("mode")
    if c.planned and event in ("AID", "COOPERATE", "SUPPORT"):
        event, mode = "AGREE", None  # PLOVER: future aid is an agreement to give it
    for k in c.giver + c.recipient:
        actors.used(k)
    found = Found(event=event, mode=mode, context=list(c.context), cameo=ontology.cameo_for(event, mode),
                  actors=list(c.giver), recipients=list(c.recipient), planned=c.planned,
                  negated=plain_negation, date=c.date, date_text=c.date_text, location=None,
                  trigger=c.trigger or c.span, text=c.trigger_text or c.text, sentence=c.sentence)
    events.append(found)
    c.event = found


# --- records ----------------------------------------------------------------------------


def commitment_records(article_id: str, found: list[CommitmentFound], actor_ids: dict[str, str],
                       event_ids: dict[int, str]) -> list[Commitment]:
    records: list[Commitment] = []
    seen: dict[str, int] = {}
    for c in sorted(found, key=lambda c: c.span):
        base = f"{article_id}#c{c.span[0]}"
        seen[base] = seen.get(base, 0) + 1
        records.append(Commitment(
            id=base if seen[base] == 1 else f"{base}.{seen[base]}", kind=c.kind, amount=c.amount,
            amount_low=c.low, amount_high=c.high, currency=c.currency, quantity=c.quantity, item=c.item,
            giver=[actor_ids[k] for k in c.giver if k in actor_ids],
            recipient=[actor_ids[k] for k in c.recipient if k in actor_ids],
            purpose=c.purpose, status=c.status, planned=c.planned, negated=c.negated,
            event=event_ids.get(id(c.event)) if c.event is not None else None,
            text=c.text, span=Span(start=c.span[0], end=c.span[1]),
            sentence=Span(start=c.sentence[0], end=c.sentence[1])))
    return records


def commitment_actor_keys(found: list[CommitmentFound]) -> set[str]:
    return {k for c in found for k in c.giver + c.recipient}
