"""Quotes: what was said, by whom, and the words that say so.

Three kinds:

* ``direct``: a sentence or more between quotation marks ("Europe grows stronger ...," Zelensky said);
* ``partial``: quoted words inside the reporter's own sentence (described the push as "maximum-intensity");
* ``indirect``: the clause a speech verb reports ("Peskov said that Moscow ...", "according to the Kremlin, ...").

A direct quote split around its cue ("...," he said, "...") or carried over several paragraphs is kept
as linked parts: one quote per stretch of text between marks, each later part naming the part it
continues (``continues``), all parts with the same speaker and cue. Separate parts keep every span
exact, so each can be highlighted. Spans leave out the quotation marks and a trailing comma; partial
quotes also leave out a trailing full stop (it ends the reporter's sentence).

The speaker is the actor the ActorTable gives (names, surnames, titles such as "the Kremlin
spokesman", pronouns) for the subject of the cue verb, the object of "according to", or, for a
paragraph that is only a quotation, the speaker of the previous paragraph. A subject that names no
actor, or several, leaves the speaker None: it is never guessed. Cue words are data
(``ontology/speech.yaml``). Quotation marks: straight and curly, « », „ “, ‚ ‘, ‹ ›, ‘ ’; marks
that never close run to the end of their paragraph; a closing mark with no opening one is ignored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..nlp import Paragraph
from ..ontology.speech import Speech, load_speech
from ..record import Event, Quote, Span
from .actors import ActorTable, fold

# opening mark -> the marks that may close it
CLOSERS = {'"': '"”', "“": '”"“', "”": '”"“', "„": '“”"', "«": "»", "»": "«", "‹": "›", "›": "‹", "‘": "’", "‚": "‘’",
           "'": "'"}
MARKS = frozenset('"“”„«»‹›‘’‚\'')
SINGLE_OPENERS = frozenset("‘‚'")
TWO_APOSTROPHES, FILLER = "''", "\x01"  # the New York Times writes ''...'' for quotation marks
BEFORE_OPENER = frozenset(" \t([{—–-/") | MARKS
SENTENCE_END = frozenset(".?!…")
SIGNATURE_DASHES = "―—–-"
VERB_POS = {"VERB", "AUX"}
TAIL_TOKENS = 10  # how far after a closing mark its cue may be ("...," the Kremlin spokesman Dmitry Peskov said)
CLIMB = 10


@dataclass(eq=False)
class FoundQuote:
    """A quote as found, with actor keys (pipeline.py turns keys into ids)."""
    kind: str  # direct | partial | indirect
    text: str
    span: tuple[int, int]  # into Article.text, without quotation marks
    speaker: str | None = None
    speaker_span: tuple[int, int] | None = None
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    para: int = 0
    continues: "FoundQuote | None" = None
    marks: tuple[int, int] = (0, 0)  # paragraph-relative: opening mark .. closing mark (inclusive)
    closed: bool = True  # False: the paragraph ended before a closing mark
    dropped: bool = False  # marks around a title or a scare quote: no quote, but its marks still count
    cue_token: Token | None = field(default=None, repr=False)


# --- quotation marks ----------------------------------------------------------------------


def _can_open(c: str, before: str, after: str, rest: str, top: bool) -> bool:
    if c in SINGLE_OPENERS:  # not an apostrophe: "‘in their heads’", never "rock ‘n’ roll" mid-word
        if not (before in BEFORE_OPENER and (after.isalnum() or after in MARKS)):
            return False
        if c == "'" and (not top or after.isdigit()):
            return False  # straight single marks inside a quotation are quotes within it, or apostrophes ('90s)
        # only when a closing mark follows before another opening one
        for k, ch in enumerate(rest):
            prev, nxt = rest[k - 1] if k else " ", rest[k + 1] if k + 1 < len(rest) else " "
            if ch in CLOSERS[c] and _can_close(ch, prev, nxt):
                return True
            if ch == c and prev in BEFORE_OPENER and nxt.isalnum():
                return False
        return False
    if c == '"':
        return not after.isspace()
    if c in "»›":  # the reversed style of Danish and German: »text«
        return before in BEFORE_OPENER and not after.isspace()
    if c == "”":  # a closing mark typed for an opening one: ' ”Mr. Trump embodies ...”'
        return before in BEFORE_OPENER and after.isalnum()
    return c in "“„«‹"


def _can_close(c: str, before: str, after: str) -> bool:
    if c in "’'":  # an apostrophe is followed by a letter ("It’s", "don’t")
        return not before.isspace() and not after.isalnum()
    if c == '"':  # closes unless it looks like an opening mark ( "word), as in 'outreach,' " he said
        return not (before.isspace() and after.isalnum())
    if c == "“":
        return not before.isspace() and not after.isalnum()
    return True


def normalise(s: str) -> str:
    """The paragraph with each '' written as one mark and a filler (same length, same offsets)."""
    return s.replace(TWO_APOSTROPHES, '"' + FILLER)


def scan_marks(s: str) -> list[tuple[int, int | None]]:
    """(opening mark, closing mark) of the top-level quotations of one paragraph; None: never closed.

    ``s`` is a normalised paragraph (see normalise)."""
    stack: list[tuple[str, int]] = []
    out: list[tuple[int, int | None]] = []
    for i, c in enumerate(s):
        if c not in MARKS:
            continue
        before = s[i - 1] if i else " "
        after = s[i + 1] if i + 1 < len(s) else " "
        depth = next((d for d in range(len(stack) - 1, -1, -1)
                      if c in CLOSERS[stack[d][0]] and _can_close(c, before, after)), None)
        if depth is not None:
            opened = stack[depth][1]
            del stack[depth:]  # a nested mark left open (an apostrophe taken for a quote) closes too
            if depth == 0:
                out.append((opened, i))
        elif c in CLOSERS and _can_open(c, before, after, s[i + 1:], not stack):
            stack.append((c, i))
    if stack:
        out.append((stack[0][1], None))
    return out


def _content(s: str, opened: int, closed: int | None) -> tuple[int, int] | None:
    start, end = opened + 1, len(s) if closed is None else closed
    while start < end and (s[start].isspace() or s[start] == FILLER):
        start += 1
    while end > start and (s[end - 1].isspace() or s[end - 1] == ","):
        end -= 1
    if not any(ch.isalnum() for ch in s[start:end]):
        return None
    return start, end


# --- tokens and cues --------------------------------------------------------------------


def _inside(tok: Token, parts: list[FoundQuote]) -> bool:
    return any(q.marks[0] <= tok.idx <= q.marks[1] for q in parts)


def _is_cue(speech: Speech, tok: Token, beside_quote: bool) -> bool:
    if tok.pos_ not in VERB_POS or not speech.is_cue(tok.lemma_, beside_quote):
        return False
    if any(c.dep_ == "neg" for c in tok.children):
        return False  # "did not say that ..."
    particle = speech.particle_required.get(tok.lemma_.lower())
    return particle is None or any(c.lower_ == particle and c.dep_ in ("prt", "advmod", "prep") for c in tok.children)


def _cue_tokens(speech: Speech, tok: Token) -> list[Token]:
    particle = speech.particle_required.get(tok.lemma_.lower())
    extra = [c for c in tok.children if particle and c.lower_ == particle and c.i == tok.i + 1]
    return [tok, *extra]


def _according(speech: Speech, tok: Token) -> list[Token] | None:
    """'according to X': the cue words, when tok starts such a phrase."""
    doc = tok.doc
    for phrase in speech.phrases:
        if tok.i + len(phrase) <= len(doc) and all(doc[tok.i + k].lower_ == w for k, w in enumerate(phrase)):
            return [doc[tok.i + k] for k in range(len(phrase))]
    return None


def _phrase_object(words: list[Token]) -> Token | None:
    last = words[-1]
    return next((c for c in last.children if c.dep_ == "pobj"), None)


def _subject(verb: Token) -> Token | None:
    """The speaker's word: the subject of the cue, or of the verb a participle hangs on ("..., adding that")."""
    node = verb
    for _ in range(4):
        subj = next((c for c in node.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is None and node.lemma_.lower() == "quote":  # "was quoted as saying"
            subj = next((c for c in node.children if c.dep_ == "nsubjpass"), None)
        if subj is not None:
            return subj
        if node.dep_ not in ("advcl", "xcomp", "conj", "pcomp") or node.head == node:
            return None
        node = node.head
    return None


def _speaker(actors: ActorTable, pi: int, offset: int, word: Token | None,
             phrase: bool = False) -> tuple[str | None, tuple[int, int] | None]:
    """One actor key for the word naming the speaker, with the words that name it; None when not exactly one.

    phrase: the word is the object of "according to", whose phrase ends at a comma."""
    if word is None:
        return None, None
    doc = word.doc
    comma = word.i + 1 < len(doc) and doc[word.i + 1].text == "," and phrase
    if not comma and any(c.dep_ == "conj" and actors.keys_at(pi, c) for c in word.children):
        return None, None  # "Moscow and Washington said": more than one speaker
    keys = actors.keys_at(pi, word)
    # "In a call with NATO chief Mark Rutte, the Ukrainian leader said": the parse hangs the
    # title on the name as an apposition; the title is the subject
    for child in word.children:
        if child.dep_ == "appos" and child.i > word.i:
            other = actors.keys_at(pi, child)
            if len(other) == 1 and not keys:  # "longtime pollster, Pat Caddell, told"
                keys, word = other, child
            elif (len(other) == 1 and keys and other != keys
                    and all(actors.entities[k].kind == "person" for k in other + keys)):
                keys, word = other, child
    if len(keys) != 1:
        return None, None
    key = keys[0]
    start = end = word.i
    while start > 0 and key in actors.keys_at(pi, doc[start - 1]):
        start -= 1
    while end + 1 < len(doc) and key in actors.keys_at(pi, doc[end + 1]):
        end += 1
    return key, (offset + doc[start].idx, offset + doc[end].idx + len(doc[end].text))


@dataclass
class _Cue:
    words: list[Token]
    speaker_word: Token | None
    phrase: bool = False  # "according to X"

    @property
    def token(self) -> Token:
        return self.words[0]


def _verb_cue(speech: Speech, tok: Token, beside_quote: bool, tail: list[Token] | None = None) -> _Cue | None:
    if not _is_cue(speech, tok, beside_quote):
        return None
    subj = _subject(tok)
    if subj is None and tail is not None:  # "..., said Caddell" parsed without a subject
        subj = next((t for t in tail if t.i > tok.i and t.pos_ in ("PROPN", "PRON", "NOUN")), None)
    return _Cue(_cue_tokens(speech, tok), subj)


def _phrase_cue(speech: Speech, tok: Token) -> _Cue | None:
    words = _according(speech, tok)
    if words is None:
        return None
    return _Cue(words, _phrase_object(words), phrase=True)


def _climb(speech: Speech, tokens: list[Token], parts: list[FoundQuote]) -> _Cue | None:
    """The speech verb (or 'according to') that governs a quotation in the parse."""
    inside = {t.i for t in tokens}
    for tok in tokens:
        if tok.head.i in inside:
            continue
        node, steps = tok, 0
        while steps < CLIMB:
            nxt = node.head
            if nxt == node:
                break
            node, steps = nxt, steps + 1
            if not _inside(node, parts):
                cue = _verb_cue(speech, node, False)
                if cue:
                    return cue
            for child in node.children:
                if child.i not in inside and child.lower_ == "according":
                    cue = _phrase_cue(speech, child)
                    if cue:
                        return cue
    return None


def _window_after(doc: Doc, closed: int, parts: list[FoundQuote]) -> list[Token]:
    """Tokens after a closing mark, up to the end of the sentence, the next quotation or TAIL_TOKENS."""
    out: list[Token] = []
    for tok in doc:
        if tok.idx <= closed:
            continue
        if any(q.marks[0] == tok.idx for q in parts) or len(out) >= TAIL_TOKENS:
            break
        if tok.text in SENTENCE_END or tok.text == ";":
            out.append(tok)
            break
        out.append(tok)
    return out


def _window_before(doc: Doc, opened: int, parts: list[FoundQuote]) -> list[Token]:
    """Tokens before an opening mark, back to the previous sentence end, quotation or paragraph start."""
    out: list[Token] = []
    for tok in reversed([t for t in doc if t.idx < opened]):
        if tok.text in SENTENCE_END or any(q.marks[0] <= tok.idx <= q.marks[1] for q in parts):
            break
        out.insert(0, tok)
    return out


def _direct_cue(speech: Speech, doc: Doc, q: FoundQuote, parts: list[FoundQuote], tokens: list[Token]) -> _Cue | None:
    s = doc.text
    closed = q.marks[1] if q.closed and q.kind != "indirect" else None
    if closed is not None:
        tail = _window_after(doc, closed, parts)
        if tail and tail[0].text in SIGNATURE_DASHES:  # '"..." ― Sonya Herridge'
            return _Cue([tail[0]], next((t for t in tail[1:] if t.pos_ == "PROPN"), None))
        ended = s[q.marks[0] + 1:closed].rstrip().endswith(".")
        for tok in tail:
            if tok.lower_ == "according":
                cue = _phrase_cue(speech, tok)
                if cue:
                    return cue
            cue = _verb_cue(speech, tok, True, tail)
            # after a full stop inside the marks, only a short cue sentence belongs to the quote ('"...." he said.')
            if cue and (not ended or (len(tail) <= 6 and not any(c.dep_ in ("ccomp", "dobj") for c in tok.children))):
                return cue
    before = s[:q.marks[0]].rstrip()
    if before.endswith((":", ",", "—", "–")) or (before and q.text[:1].isupper()):
        window = _window_before(doc, q.marks[0], parts)
        for tok in reversed(window):
            cue = _phrase_cue(speech, tok) or _verb_cue(speech, tok, True)
            if cue:
                return cue
    return _climb(speech, tokens, parts)


def _is_direct(s: str, opened: int, text: str, doc: Doc, speech: Speech) -> bool:
    before = s[:opened].rstrip()
    if not before or before[-1] in SENTENCE_END or before[-1] in ":;" or (
            before[-1] in MARKS and before[:-1].rstrip()[-1:] in SENTENCE_END):
        return True
    prev = [t for t in doc if t.idx < opened and not t.is_space]
    comma = bool(prev) and prev[-1].text in ",—–"
    while prev and prev[-1].is_punct and prev[-1].text in ",—–":
        prev = prev[:-1]
    if comma:  # '"...," Ruto said, "and ..."' / '"...," said Ruto, "and ..."'
        return any(_is_cue(speech, t, True) for t in prev[-4:])
    return text[:1].isupper() and bool(prev) and _is_cue(speech, prev[-1], True)  # said "We ..."


# --- the extractor --------------------------------------------------------------------------


NICKNAME = re.compile(r"[A-Z][\w.]*\s([\"“])[A-Z][\w.'’-]*([\"”])\s[A-Z]")  # Robert C. "Bobby" Scott
FUNCTION_WORDS = frozenset("a an and at by for from in of on or the to with vs".split())


def _title_like(text: str) -> bool:
    """A name or title between marks ("Face the Nation", "Contract with America"), or no words at all."""
    if not any(ch.isalpha() for ch in text):
        return True  # tweet ids, numbers
    words = re.findall(r"[\w'’-]+", text.rstrip(".!?,;: "))
    return 0 < len(words) <= 6 and text.rstrip()[-1:] not in "!?" and \
        all(w[0].isupper() or w[0].isdigit() or w.lower() in FUNCTION_WORDS for w in words)


def _after_marker(speech: Speech, s: str, opened: int) -> bool:
    """'the so-called "experts"': words that mark a name or a scare quote, not speech."""
    before = s[:opened].rstrip().lower()
    return any(before.endswith(m) and (len(before) == len(m) or not before[-len(m) - 1].isalnum())
               for m in speech.scare_markers)


def _masked(s: str) -> str:
    """Quotation marks that are not quotations left out: nicknames inside a name."""
    s = normalise(s)
    for m in NICKNAME.finditer(s):
        s = s[:m.start(1)] + FILLER + s[m.end(1):m.start(2)] + FILLER + s[m.end(2):]
    return s


def _marked_quotes(paragraphs: list[Paragraph], speech: Speech) -> list[list[FoundQuote]]:
    """Quotations between marks, per paragraph, with their kind and the part each continues."""
    out: list[list[FoundQuote]] = []
    pending: FoundQuote | None = None  # a quotation whose paragraph ended before its closing mark
    for pi, para in enumerate(paragraphs):
        s = para.doc.text
        masked = _masked(s)
        found: list[FoundQuote] = []
        for n, (opened, closed) in enumerate(scan_marks(masked)):
            # an unclosed quotation continues only into a paragraph that opens with a mark
            previous, pending = (pending, None) if n == 0 and opened == 0 else (None, None)
            bounds = _content(masked, opened, closed)
            if bounds is None:
                continue
            start, end = bounds
            text = s[start:end]
            kind = "direct" if previous or _is_direct(s, opened, text, para.doc, speech) else "partial"
            if kind == "partial" and text.endswith("."):
                end -= 1
                text = text[:-1]
            q = FoundQuote(kind=kind, text=text, span=(para.offset + start, para.offset + end), para=pi,
                           continues=previous, marks=(opened, len(s) if closed is None else closed),
                           closed=closed is not None,
                           dropped=kind == "partial" and (_title_like(text) or _after_marker(speech, s, opened)))
            found.append(q)
            if closed is None:
                pending = q
        if pending is not None and pending.para != pi:
            pending = None
        out.append(found)
    return out


def _set_cue(q: FoundQuote, cue: _Cue, actors: ActorTable, pi: int, offset: int) -> None:
    words = cue.words
    q.cue = " ".join(w.text for w in words)
    q.cue_span = (offset + words[0].idx, offset + words[-1].idx + len(words[-1].text))
    q.cue_token = cue.token
    q.speaker, q.speaker_span = _speaker(actors, pi, offset, cue.speaker_word, cue.phrase)


def _inherit(q: FoundQuote, source: FoundQuote, cue_too: bool = True) -> None:
    q.speaker, q.speaker_span = source.speaker, source.speaker_span
    if cue_too:
        q.cue, q.cue_span, q.cue_token = source.cue, source.cue_span, source.cue_token


def _closing_cue(speech: Speech, para: Paragraph) -> _Cue | None:
    """'Caddell continued:' — a paragraph that ends in a colon after a cue introduces the next one."""
    doc = para.doc
    if not doc.text.rstrip().endswith(":"):
        return None
    last = list(doc.sents)[-1]
    for tok in reversed(list(last)):
        cue = _phrase_cue(speech, tok) or _verb_cue(speech, tok, True)
        if cue:
            return cue
    return None


def _trim(clause: list[Token]) -> list[Token]:
    while clause and (clause[0].is_punct or clause[0].dep_ == "mark" and clause[0].lower_ in ("that", "whether", "if")):
        clause = clause[1:]
    while clause and clause[-1].is_punct:
        clause = clause[:-1]
    return clause


def _parenthetical(tok: Token, cue: _Cue) -> list[list[Token]]:
    """'Too often, Mr. Clarke said, the debate ...' / '..., he said.': the sentence around the cue."""
    if cue.speaker_word is None or cue.speaker_word.head != tok:
        return []
    if any(c.dep_ in ("ccomp", "dobj", "xcomp", "dative", "prep", "advcl", "conj", "attr", "oprd") for c in tok.children):
        return []
    left = min(cue.speaker_word.left_edge.i, tok.i)
    right = max(t.i for t in [tok, cue.speaker_word.right_edge, *cue.words])
    sent, doc = tok.sent, tok.doc
    before_comma = left > sent.start and doc[left - 1].text in (",", "—", "–")
    after = doc[right + 1] if right + 1 < sent.end else None
    if not before_comma or not (after is None or after.text in (",", ".", "—", "–") or after.is_punct):
        return []
    pieces = [_trim([t for t in sent if t.i < left]), _trim([t for t in sent if t.i > right])]
    return [p for p in pieces if p]


def _signature(actors: ActorTable, pi: int, para: Paragraph):
    """'― Sonya Herridge, Houston': the speaker, their words, the dash and its span; None otherwise."""
    doc = para.doc
    if not doc.text[:1] in SIGNATURE_DASHES or len(doc) < 2:
        return None
    words = []
    for tok in doc[1:]:
        if tok.text in (",", "(", ".") or tok.is_space:
            break
        words.append(tok)
    keys = {k for t in words for k in actors.keys_at(pi, t)}
    if len(keys) != 1 or not words or len(words) > 6 or any(t.pos_ in VERB_POS for t in words):
        return None  # a section heading ("- Moscow reviews draft document") is no signature
    if actors.entities[next(iter(keys))].kind != "person":
        return None
    return (keys.pop(), (para.offset + words[0].idx, para.offset + words[-1].idx + len(words[-1].text)),
            doc.text[0], (para.offset, para.offset + 1))


def _last_speaker(speech: Speech, actors: ActorTable, pi: int, para: Paragraph) -> tuple[str | None, tuple[int, int] | None]:
    """The actor who last speaks in a paragraph (subject of its last cue verb), if one does."""
    for tok in reversed(list(para.doc)):
        cue = _verb_cue(speech, tok, True)
        if cue is not None and cue.speaker_word is not None:
            return _speaker(actors, pi, para.offset, cue.speaker_word)
    return None, None


def _indirect(speech: Speech, actors: ActorTable, pi: int, para: Paragraph, parts: list[FoundQuote]) -> list[FoundQuote]:
    doc, out = para.doc, []
    for tok in doc:
        if _inside(tok, parts):
            continue
        if tok.lower_ == "according":
            cue = _phrase_cue(speech, tok)
            if cue is None:
                continue
            phrase = {t.i for t in tok.subtree}
            comma = next((t.i for t in tok.subtree if t.text == "," and t.i > cue.words[-1].i), None)
            if comma is not None:  # "According to the Kremlin, Moscow and ...": the parse may join them
                phrase = {i for i in phrase if i < comma}
            head = tok.head if tok.head != tok else tok
            scope = head.subtree if head.pos_ in VERB_POS else tok.sent
            clauses = [[t for t in scope if t.i not in phrase]]
        else:
            cue = _verb_cue(speech, tok, False)
            if cue is None:
                continue
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if comp is None:
                clauses = _parenthetical(tok, cue)
            else:
                clause = list(comp.subtree)
                if clause[0].i < tok.i < clause[-1].i:  # "efforts that he said saved ...": what follows the cue
                    clause = [t for t in clause if t.i > tok.i]
                if clause and clause[0].lower_ == "what":
                    continue  # "underscoring what he described as ...": the inner cue reports it
                clauses = _that_clauses(comp, clause)
        previous = None
        for clause in clauses:
            clause = _trim(clause)
            if not clause or (len(clauses) == 1 and (len(clause) < 2 or not any(t.pos_ in VERB_POS for t in clause))):
                continue
            q = _clause_quote(doc, pi, para.offset, clause, parts)
            if q is None:
                continue
            _set_cue(q, cue, actors, pi, para.offset)
            q.continues = previous
            previous = q
            out.append(q)
    return out


def _that_clauses(comp: Token, clause: list[Token]) -> list[list[Token]]:
    """'noted that Putin is reviewing …, and that Moscow will present …': two reported statements."""
    joined = [c for c in comp.children if c.dep_ == "conj" and c.pos_ in VERB_POS
              and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
    if not joined:
        return [clause]
    cut = {t.i for c in joined for t in c.subtree}
    first = [t for t in clause if t.i not in cut and t.i < joined[0].left_edge.i]
    while first and (first[-1].dep_ == "cc" or first[-1].is_punct):
        first = first[:-1]
    return [first] + [[t for t in clause if t.i in {u.i for u in c.subtree}] for c in joined]


def _clause_quote(doc: Doc, pi: int, offset: int, clause: list[Token], parts: list[FoundQuote]) -> FoundQuote | None:
    start, end = clause[0].idx, clause[-1].idx + len(clause[-1].text)
    for q in parts:  # a quotation the clause cuts into is taken whole, marks included
        if start <= q.marks[0] < end <= q.marks[1]:
            end = q.marks[1] + 1
        elif q.marks[0] < start <= q.marks[1] < end:
            start = q.marks[0]
    if any(q.kind == "direct" and start <= q.marks[1] and q.marks[0] <= end for q in parts):
        return None  # the clause is a direct quotation, already found with its marks
    if any(q.marks[0] <= start and end <= q.marks[1] + 1 for q in parts):
        return None
    return FoundQuote(kind="indirect", text=doc.text[start:end], span=(offset + start, offset + end),
                      para=pi, marks=(start, end))


LABEL = re.compile(r"([A-Z][\w.'’ -]{0,40}?):\s+(?=\S)")


def _label(actors: ActorTable, pi: int, doc: Doc, at: int) -> tuple[str, tuple[int, int], tuple[int, int], bool] | None:
    """'PENCE: ...' / 'Sanders: ...' at paragraph-relative position at: (key, label span, colon span, all caps)."""
    m = LABEL.match(doc.text, at)
    if m is None:
        return None
    tokens = [t for t in doc if m.start(1) <= t.idx < m.end(1)]
    keys = {k for t in tokens for k in actors.keys_at(pi, t)}
    if not keys:
        label = fold(m.group(1))
        key = actors.person_aliases.get(label) or actors.person_aliases.get(label.split()[-1] if label else "")
        keys = {key} if key else set()
    if len(keys) != 1:
        return None
    key = keys.pop()
    caps = m.group(1).isupper()
    if actors.entities[key].kind == "state" and caps:
        return None  # a dateline ("KYIV: ...")
    return key, (m.start(1), m.end(1)), (m.end(1), m.end(1) + 1), caps


def _apply_label(q: FoundQuote, label, offset: int) -> None:
    if label is None:
        return
    key, (ls, le), (cs, ce), _ = label
    text_start = q.span[0] - offset
    rest = q.text[cs + 1 - text_start:]
    skipped = len(rest) - len(rest.lstrip())
    q.text = rest.lstrip()
    q.span = (offset + cs + 1 + skipped, q.span[1])
    q.speaker, q.speaker_span = key, (offset + ls, offset + le)
    q.cue, q.cue_span, q.cue_token = ":", (offset + cs, offset + ce), None


def _labelled_paragraph(actors: ActorTable, pi: int, para: Paragraph) -> list[FoundQuote]:
    """A paragraph 'Name: words' with no quotation marks: a headline's or a transcript's speaker."""
    label = _label(actors, pi, para.doc, 0)
    s = para.doc.text
    if label is None or len(s[label[2][1]:].split()) < 3:
        return []
    q = FoundQuote(kind="direct" if label[3] else "indirect", text=s, span=(para.offset, para.offset + len(s)),
                   para=pi, marks=(0, len(s)))
    _apply_label(q, label, para.offset)
    return [q]


def extract_quotes(paragraphs: list[Paragraph], actors: ActorTable, text: str) -> list[FoundQuote]:
    """Every quote of an article (``text`` is Article.text), in text order.

    Speakers are actor keys; build_record keeps their actors (``also_used``) even when no event names them."""
    speech = load_speech()
    marked = _marked_quotes(paragraphs, speech)
    result: list[FoundQuote] = []
    previous_para: list[FoundQuote] = []
    for pi, (para, parts) in enumerate(zip(paragraphs, marked)):
        doc, offset = para.doc, para.offset
        for q in parts:
            tokens = [t for t in doc if q.marks[0] < t.idx < q.marks[1]]
            cue = _direct_cue(speech, doc, q, parts, tokens) if q.kind == "direct" else _climb(speech, tokens, parts)
            if cue is not None:
                _set_cue(q, cue, actors, pi, offset)
        # a single word in marks with no one saying it is a scare quote
        for q in parts:
            q.dropped |= q.kind == "partial" and q.cue is None and len(q.text.split()) == 1
        marks, parts = parts, [q for q in parts if not q.dropped]
        for q in parts:  # transcripts: "PENCE: Well, look, ..."
            if q.kind == "direct" and q.continues is None:
                _apply_label(q, _label(actors, pi, doc, q.span[0] - offset), offset)
        # direct parts with no cue of their own, or the same cue as the part before, are one quotation
        directs = [q for q in parts if q.kind == "direct" and q.continues is None]
        for n, q in enumerate(directs):
            if n and (q.cue_token is None or q.cue_token == directs[n - 1].cue_token):
                q.continues = directs[n - 1]
                if q.cue_token is None:
                    _inherit(q, q.continues)
        for n in range(len(directs) - 2, -1, -1):  # '"A." "B," he said.': A takes B's cue
            q = directs[n]
            if q.cue_token is None and directs[n + 1].continues is q and directs[n + 1].cue_token is not None:
                _inherit(q, directs[n + 1])
        # a paragraph that is only a quotation: the speaker of the paragraph before
        first = parts[0] if parts else None
        if first is not None and first.kind == "direct" and first.marks[0] == 0 and first.continues is None \
                and not any(q.cue_token is not None for q in parts) and pi > 0:
            opener = _closing_cue(speech, paragraphs[pi - 1])
            if opener is not None:
                _set_cue(first, opener, actors, pi - 1, paragraphs[pi - 1].offset)
            else:
                said = [q for q in previous_para if q.speaker]
                signed = _signature(actors, pi + 1, paragraphs[pi + 1]) if pi + 1 < len(paragraphs) else None
                if signed is not None:  # a reader's letter: the quotation, then "― Name"
                    first.speaker, first.speaker_span, first.cue, first.cue_span = signed
                elif said:
                    _inherit(first, said[-1], cue_too=False)
                else:  # "Ruto spoke to reporters on Monday." then the quotation
                    first.speaker, first.speaker_span = _last_speaker(speech, actors, pi - 1, paragraphs[pi - 1])
            for q in parts[1:]:
                if q.continues is first and q.speaker is None:
                    _inherit(q, first)
        found = parts + _indirect(speech, actors, pi, para, marks)
        if not marks:
            found += _labelled_paragraph(actors, pi, para)
        result.extend(found)
        previous_para = sorted(found, key=lambda q: q.span)
    _share_along_chains(result)
    result.sort(key=lambda q: (q.span, q.kind))
    for q in result:
        q.text = text[q.span[0]:q.span[1]]  # the record's text is exactly what its span covers
    return result


def _share_along_chains(quotes: list[FoundQuote]) -> None:
    """Every part of a quotation split over paragraphs or around its cue has the same speaker and cue."""
    chains: dict[int, list[FoundQuote]] = {}
    for q in quotes:
        head = q
        while head.continues is not None:
            head = head.continues
        chains.setdefault(id(head), []).append(q)
    for chain in chains.values():
        source = next((q for q in chain if q.speaker), None) or next((q for q in chain if q.cue), None)
        if source is None:
            continue
        for q in chain:
            if q.speaker is None and q.cue is None:
                _inherit(q, source)
            elif q.speaker is None and q.cue_token is source.cue_token:
                q.speaker, q.speaker_span = source.speaker, source.speaker_span


# --- into the record ------------------------------------------------------------------------


def to_records(article_id: str, found: list[FoundQuote], ids: dict[str, str]) -> list[Quote]:
    """Quotes of the record: actor keys become ids (a speaker without an actor id stays None)."""
    made: dict[int, str] = {}
    seen: dict[str, int] = {}
    out: list[Quote] = []
    for q in found:
        base = f"{article_id}#q{q.span[0]}"
        seen[base] = seen.get(base, 0) + 1
        quote_id = base if seen[base] == 1 else f"{base}.{seen[base]}"
        made[id(q)] = quote_id
        out.append(Quote(
            id=quote_id, speaker=ids.get(q.speaker) if q.speaker else None, text=q.text, kind=q.kind,
            cue=q.cue, span=Span(start=q.span[0], end=q.span[1]),
            cue_span=Span(start=q.cue_span[0], end=q.cue_span[1]) if q.cue_span else None,
            speaker_span=Span(start=q.speaker_span[0], end=q.speaker_span[1]) if q.speaker_span and q.speaker else None,
            continues=made.get(id(q.continues)) if q.continues is not None else None))
    return out


def link_events(events: list[Event], quotes: list[Quote]) -> None:
    """An event whose trigger lies inside a quote is reported by it: the narrowest such quote."""
    for event in events:
        inside = [q for q in quotes if q.span.start <= event.trigger.start and event.trigger.end <= q.span.end]
        if inside:
            event.quote = min(inside, key=lambda q: (q.span.end - q.span.start, q.span.start)).id
