"""Small helpers over spaCy's parse shared by the commitment and document extractors."""
from __future__ import annotations

from spacy.tokens import Token

from .actors import ActorTable

VERB_POS = {"VERB", "AUX"}
NOUN_POS = {"NOUN", "PROPN"}
# clauses whose subject is their governor's: "agreed to provide", "met and pledged", "to help"
INHERIT = {"xcomp", "conj", "advcl", "pcomp", "ccomp", "acl"}


def actor_keys(actors: ActorTable, pi: int, tok: Token | None) -> list[str]:
    """Actors a token stands for, with its conjuncts and appositions ("Germany and France")."""
    if tok is None:
        return []
    keys: list[str] = []
    for part in [tok, *tok.conjuncts, *[c for c in tok.children if c.dep_ == "appos"]]:
        for k in actors.keys_at(pi, part):
            if k not in keys:
                keys.append(k)
    return keys


def subject(verb: Token) -> Token | None:
    """The doer of a verb: its subject, the agent of a passive, or its governor's subject."""
    node = verb
    for _ in range(6):
        agent = next((c for c in node.children if c.dep_ == "agent"), None)
        if any(c.dep_ == "nsubjpass" for c in node.children):
            return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        subj = next((c for c in node.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is not None:
            return subj
        if node.dep_ in INHERIT and node.head != node:
            node = node.head
            continue
        return None
    return None


def pobjs(tok: Token, words: set[str] | tuple[str, ...]) -> list[Token]:
    """Objects of the token's prepositions among ``words`` ("for Ukraine", "from the IMF")."""
    return [o for p in tok.children if p.dep_ in ("prep", "dative", "agent") and p.lower_ in words
            for o in p.children if o.dep_ in ("pobj", "pcomp")]


def same_party(actors: ActorTable, a: str, b: str) -> bool:
    """A person and the state or body they act for count as one party."""
    if a == b:
        return True
    ea, eb = actors.entities.get(a), actors.entities.get(b)
    if ea is None or eb is None or (ea.kind == "person") == (eb.kind == "person"):
        return False
    return ea.country is not None and ea.country == eb.country


def party_key(actors: ActorTable, key: str) -> str:
    """The state or body a person acts for, when the article names it; else the person."""
    entity = actors.entities.get(key)
    if entity is None or entity.kind != "person" or not entity.country:
        return key
    for other in actors.entities.values():
        if other.kind != "person" and other.country == entity.country and other.sector in ("GOV", "IGO", None):
            if other.mentions:
                return other.key
    return key


def is_negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in tok.children)
