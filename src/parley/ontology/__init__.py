"""PLOVER ontology, CAMEO crosswalk and the event-trigger lexicon, read from data files.

The data lives beside this module (see ``SOURCES.md`` for where each file comes from):

``plover.yaml``
    PLOVER's 16 event types with their description, quad category, PLOVER score, modes and
    "potential ambiguities"; the general contexts; the auxiliary modes; and parley's mapping of
    older names (``legacy_names``, ``legacy_modes``) used in the PLOVER gold-standard records.
``cameo.csv``
    Every CAMEO code (01-20 and their 3- and 4-digit children) with a PLOVER event, mode and
    context, after the CAMEO-to-PLOVER crosswalk of the PLOVER repository.
``lexicon.yaml``
    The trigger lexicon of parley's event extractor: lemma + part of speech -> event and mode,
    with the grammatical conditions under which the word is a trigger.

Everything is validated when loaded: an unknown event, mode, context, CAMEO code or field raises
``ValueError`` naming the bad entry. Use :func:`load_ontology` (cached; one object per process).

How a :class:`Trigger` is meant to be matched against a parsed sentence (the extractor decides):

* ``lemma``/``pos`` are spaCy's ``token.lemma_`` (compare in lower case) and ``token.pos_``
  (``VERB`` or ``NOUN``).
* ``requires_object``: the direct object (``dobj``; the passive subject ``nsubjpass`` when the
  verb is passive; the object of "with" for "provide/supply X with Y") has one of these lemmas.
  The special value ``@actor`` is satisfied by an object that resolves to an actor (person,
  state, organisation).
* ``requires_prep``: the trigger governs a preposition with one of these lemmas;
  ``requires_pobj``: the object of such a preposition (of one in ``requires_prep`` when given,
  else of any) has one of these lemmas (``@actor`` as above).
* ``requires_particle``: the trigger has a particle with this lemma: a ``prt`` child, or an
  adposition/adverb child with no object of its own right after the verb ("pulled back",
  "walked out of", "stepped down").
* ``requires_modifier``: the trigger has a modifier child (``amod``, ``compound``, ``nmod``,
  ``npadvmod``, ``advmod``) with one of these lemmas ("hunger strike", "cease-fire", "test-fired").
* ``requires_governor``: the word governing the trigger, directly or through a preposition, has
  one of these lemmas ("went on strike": strike <- on <- go).
* ``requires_clause_modal``: the trigger governs a clause (``ccomp``) with one of these modal
  words, and that clause's subject is the recipient ("Russia said Sudan must return …").
* All conditions of an entry must hold. Several entries may share a lemma and part of speech:
  the entries whose conditions hold compete, the one with most conditions wins (see
  :attr:`Trigger.specificity`), ties go to the entry listed first. An entry without conditions is
  the default sense of the word.
* ``object`` says what the direct object is: ``recipient`` (the recipient when it is an actor,
  otherwise the topic), ``topic``, ``actor`` (the object is the PLOVER actor and the subject the
  recipient: "X hosted Y" -> Y visits X) or ``none``.
* ``preps`` are the prepositions whose object is the recipient ("met with X", "sanctions on X").
* ``reciprocal``: conjoined subjects ("A and B met") interact with each other: all are actors.
* ``negated_event``: the event to code when the trigger is negated ("did not agree" -> REJECT).
* ``mode`` is a PLOVER mode of ``event`` or None when the word does not say; ``mode_modifiers``
  (per event: lemma of a word attached to the trigger, its object or the verb of its clausal
  complement -> mode) fill a None mode; ``context_modifiers`` suggest contexts.
* ``light_verbs`` take a trigger noun as object ("held talks", "paid a visit", "launched an
  attack"): the noun's entry gives the event, the light verb's subject is the actor. A light verb
  that has a matching entry of its own ("opened fire", "hosted Modi") is a trigger itself.
* A noun that is only a compound modifier of another trigger ("ceasefire agreement") is not a
  trigger of its own; nor is a trigger noun that is the object of a verb trigger ("called off the
  visit", "lifted the curfew": the verb wins), nor a verb used as an adjectival modifier
  ("negotiating teams", dep ``amod``).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Iterable, Mapping, Optional

import yaml

__all__ = [
    "CameoCode",
    "EventType",
    "Mode",
    "Ontology",
    "Trigger",
    "load_ontology",
]

POS_VALUES = frozenset({"VERB", "NOUN"})
OBJECT_ROLES = frozenset({"recipient", "topic", "actor", "none"})
ACTOR_PLACEHOLDER = "@actor"

_TRIGGER_FIELDS = {
    "lemma", "pos", "event", "mode", "cameo", "context", "object", "preps", "reciprocal",
    "requires_object", "requires_pobj", "requires_prep", "requires_particle",
    "requires_modifier", "requires_governor", "requires_clause_modal", "negated_event", "note",
}


@dataclass(frozen=True)
class Mode:
    """One PLOVER mode of an event type."""

    name: str
    description: str
    score: Optional[float] = None


@dataclass(frozen=True)
class EventType:
    """One of PLOVER's 16 event types."""

    name: str
    description: str
    quad: str
    requires_recipient: bool
    score: Optional[float]
    modes: Mapping[str, Mode]
    ambiguities: tuple[str, ...] = ()

    def has_mode(self, mode: Optional[str]) -> bool:
        return mode is None or mode in self.modes


@dataclass(frozen=True)
class CameoCode:
    """One row of the CAMEO -> PLOVER crosswalk (``cameo.csv``)."""

    code: str
    name: str
    event: Optional[str]          # None: PLOVER drops the code
    mode: Optional[str]
    context: tuple[str, ...]
    basis: str
    note: str = ""


@dataclass(frozen=True)
class Trigger:
    """One entry of the trigger lexicon (``lexicon.yaml``); see the module doc for matching."""

    lemma: str
    pos: str
    event: str
    mode: Optional[str] = None
    cameo: Optional[str] = None
    context: tuple[str, ...] = ()
    object: str = "none"
    preps: tuple[str, ...] = ()
    reciprocal: bool = False
    requires_object: tuple[str, ...] = ()
    requires_pobj: tuple[str, ...] = ()
    requires_prep: tuple[str, ...] = ()
    requires_particle: Optional[str] = None
    requires_modifier: tuple[str, ...] = ()
    requires_governor: tuple[str, ...] = ()
    requires_clause_modal: tuple[str, ...] = ()
    negated_event: Optional[str] = None
    note: Optional[str] = None
    index: int = field(default=-1, compare=False)   # position in lexicon.yaml

    @property
    def specificity(self) -> int:
        """How many conditions the entry sets (more specific entries win)."""
        return sum(
            1 for c in (self.requires_object, self.requires_pobj, self.requires_prep,
                        self.requires_particle, self.requires_modifier, self.requires_governor,
                        self.requires_clause_modal)
            if c
        )

    @property
    def conditional(self) -> bool:
        return self.specificity > 0


class Ontology:
    """PLOVER types, contexts, CAMEO crosswalk and trigger lexicon (read-only)."""

    def __init__(self, plover: Mapping[str, Any], cameo_rows: Iterable[Mapping[str, str]],
                 lexicon: Mapping[str, Any]):
        self.version: str = str(plover.get("version", ""))
        self.types: Mapping[str, EventType] = MappingProxyType(_read_types(plover))
        self.contexts: Mapping[str, str] = MappingProxyType(_read_named(plover, "contexts"))
        self.auxiliary_modes: Mapping[str, str] = MappingProxyType(
            _read_named(plover, "auxiliary_modes", required=False))
        self._legacy_names = _read_legacy_names(plover, self)
        self._legacy_modes = _read_legacy_modes(plover, self)
        self.cameo: Mapping[str, CameoCode] = MappingProxyType(_read_cameo(cameo_rows, self))
        self._cameo_best = self._index_cameo()
        triggers = _read_triggers(lexicon, self)
        self.triggers: tuple[Trigger, ...] = tuple(triggers)
        by_key: dict[tuple[str, str], list[Trigger]] = {}
        for t in triggers:
            by_key.setdefault((t.lemma, t.pos), []).append(t)
        self._by_key = {k: tuple(v) for k, v in by_key.items()}
        self.mode_modifiers: Mapping[str, Mapping[str, str]] = MappingProxyType(
            _read_mode_modifiers(lexicon, self))
        self.context_modifiers: Mapping[str, tuple[str, ...]] = MappingProxyType(
            _read_context_modifiers(lexicon, self))
        self.light_verbs: frozenset[str] = _read_word_set(lexicon, "light_verbs")

    # --- PLOVER -------------------------------------------------------------------------
    @property
    def event_names(self) -> tuple[str, ...]:
        return tuple(self.types)

    def modes(self, event: str) -> tuple[str, ...]:
        return tuple(self.type(event).modes)

    def type(self, event: str) -> EventType:
        try:
            return self.types[event]
        except KeyError:
            raise KeyError(f"unknown PLOVER event type {event!r}") from None

    def is_valid(self, event: str, mode: Optional[str] = None) -> bool:
        return event in self.types and self.types[event].has_mode(mode)

    def legacy(self, name: str) -> str:
        """Today's PLOVER event name for ``name`` (an older name such as DEMAND, or a current one).

        Raises ``KeyError`` for a name that is neither (e.g. the gold file's ``DOCUMENT``).
        """
        if name in self.types:
            return name
        try:
            return self._legacy_names[name][0]
        except KeyError:
            raise KeyError(f"{name!r} is neither a PLOVER event type nor a known older name") from None

    def legacy_mode(self, event: str, mode: Optional[str]) -> tuple[str, Optional[str]]:
        """Today's (event, mode) for an (event, mode) pair of an older PLOVER version.

        ``legacy_mode("DISAPPROVE", None) == ("ACCUSE", "disapprove")``;
        ``legacy_mode("PROTEST", "strike-hun") == ("PROTEST", "hunger")``. A mode that today's
        event does not have (and no rule maps) becomes None.
        """
        mode = mode or None
        if (event, mode) in self._legacy_modes:
            return self._legacy_modes[(event, mode)]
        new_event = self.legacy(event)
        if mode is None and event in self._legacy_names:
            return new_event, self._legacy_names[event][1]
        if (new_event, mode) in self._legacy_modes:
            return self._legacy_modes[(new_event, mode)]
        return new_event, mode if self.types[new_event].has_mode(mode) else None

    # --- CAMEO --------------------------------------------------------------------------
    def _index_cameo(self) -> dict[tuple[str, Optional[str]], str]:
        rank = {"manual": 0, "crosswalk": 0, "corrected": 0, "manual-note": 1, "parley": 2}
        best: dict[tuple[str, Optional[str]], tuple] = {}
        for c in self.cameo.values():
            if c.event is None:
                continue
            key = (c.event, c.mode)
            score = (len(c.code), rank.get(c.basis, 3), c.code)
            if key not in best or score < best[key]:
                best[key] = score
        return {k: v[2] for k, v in best.items()}

    def cameo_for(self, event: str, mode: Optional[str] = None) -> str:
        """The most general CAMEO code mapped to (event, mode) in ``cameo.csv``.

        Falls back to the event's most general code when no code maps to that mode (e.g.
        CONSULT multilateral -> "04"). Raises ``KeyError`` for an unknown event or mode.
        """
        etype = self.type(event)
        if mode is not None and mode not in etype.modes:
            raise KeyError(f"{event} has no mode {mode!r}")
        code = self._cameo_best.get((event, mode)) or self._cameo_best.get((event, None))
        if code is None:   # no code without a mode: the most general code of any mode
            codes = [c for (e, _), c in self._cameo_best.items() if e == event]
            code = min(codes, key=lambda c: (len(c), c))
        return code

    def cameo_of(self, trigger: Trigger) -> str:
        """The CAMEO code to report for a trigger: its own, else ``cameo_for(event, mode)``."""
        return trigger.cameo or self.cameo_for(trigger.event, trigger.mode)

    # --- lexicon ------------------------------------------------------------------------
    def triggers_by_lemma(self, lemma: str, pos: Optional[str] = None) -> tuple[Trigger, ...]:
        """The lexicon entries for a lemma (case-insensitive), of one part of speech or all."""
        lemma = lemma.lower()
        if pos is not None:
            return self._by_key.get((lemma, pos.upper()), ())
        return tuple(t for p in sorted(POS_VALUES) for t in self._by_key.get((lemma, p), ()))

    @property
    def trigger_lemmas(self) -> frozenset[tuple[str, str]]:
        return frozenset(self._by_key)

    def mode_for_modifier(self, event: str, lemma: str) -> Optional[str]:
        return self.mode_modifiers.get(event, {}).get(lemma.lower())

    def __repr__(self) -> str:
        return (f"Ontology({len(self.types)} types, {len(self.contexts)} contexts, "
                f"{len(self.cameo)} CAMEO codes, {len(self.triggers)} triggers)")


# --- readers ----------------------------------------------------------------------------
def _fail(where: str, msg: str) -> None:
    raise ValueError(f"ontology: {where}: {msg}")


def _read_types(plover: Mapping[str, Any]) -> dict[str, EventType]:
    raw = plover.get("types")
    if not isinstance(raw, Mapping) or not raw:
        _fail("plover.yaml", "no 'types' mapping")
    out = {}
    for name, t in raw.items():
        where = f"plover.yaml types.{name}"
        if not isinstance(t, Mapping) or not t.get("description"):
            _fail(where, "needs a description")
        modes = {}
        for m, md in (t.get("modes") or {}).items():
            if isinstance(md, Mapping):
                modes[m] = Mode(m, str(md.get("description", "")), _num(md.get("score")))
            else:
                modes[m] = Mode(m, str(md))
        out[name] = EventType(
            name=name,
            description=str(t["description"]),
            quad=str(t.get("quad", "")),
            requires_recipient=bool(t.get("requires_recipient", False)),
            score=_num(t.get("score")),
            modes=MappingProxyType(modes),
            ambiguities=tuple(str(a) for a in t.get("ambiguities") or ()),
        )
    return out


def _num(v: Any) -> Optional[float]:
    return None if v is None else float(v)


def _read_named(plover: Mapping[str, Any], key: str, required: bool = True) -> dict[str, str]:
    raw = plover.get(key)
    if raw is None and not required:
        return {}
    if not isinstance(raw, Mapping) or not raw:
        _fail("plover.yaml", f"no {key!r} mapping")
    return {str(k): str(v) for k, v in raw.items()}


def _read_legacy_names(plover: Mapping[str, Any], onto: Ontology) -> dict[str, tuple[str, Optional[str]]]:
    out = {}
    for old, v in (plover.get("legacy_names") or {}).items():
        where = f"plover.yaml legacy_names.{old}"
        event, mode = (v.get("event"), v.get("mode")) if isinstance(v, Mapping) else (v, None)
        if event not in onto.types:
            _fail(where, f"unknown event {event!r}")
        if not onto.types[event].has_mode(mode):
            _fail(where, f"{event} has no mode {mode!r}")
        out[str(old)] = (event, mode)
    return out


def _read_legacy_modes(plover: Mapping[str, Any], onto: Ontology) -> dict[tuple[str, Optional[str]], tuple[str, Optional[str]]]:
    out = {}
    for i, v in enumerate(plover.get("legacy_modes") or ()):
        where = f"plover.yaml legacy_modes[{i}] ({v.get('event')} {v.get('mode')})"
        to_event, to_mode = v.get("to_event"), v.get("to_mode")
        if to_event not in onto.types:
            _fail(where, f"unknown event {to_event!r}")
        if not onto.types[to_event].has_mode(to_mode):
            _fail(where, f"{to_event} has no mode {to_mode!r}")
        out[(v["event"], v.get("mode"))] = (to_event, to_mode)
    return out


def _read_cameo(rows: Iterable[Mapping[str, str]], onto: Ontology) -> dict[str, CameoCode]:
    out: dict[str, CameoCode] = {}
    for row in rows:
        code = (row.get("cameo") or "").strip()
        where = f"cameo.csv {code or '?'}"
        if not code.isdigit() or not 2 <= len(code) <= 4:
            _fail(where, "bad CAMEO code")
        if code in out:
            _fail(where, "duplicate code")
        event = (row.get("plover_event") or "").strip() or None
        mode = (row.get("plover_mode") or "").strip() or None
        if event is not None and event not in onto.types:
            _fail(where, f"unknown event {event!r}")
        if event is None and mode is not None:
            _fail(where, "mode without event")
        if event is not None and not onto.types[event].has_mode(mode):
            _fail(where, f"{event} has no mode {mode!r}")
        ctx = tuple(c.strip() for c in (row.get("plover_context") or "").split(";") if c.strip())
        for c in ctx:
            if c not in onto.contexts:
                _fail(where, f"unknown context {c!r}")
        out[code] = CameoCode(code, (row.get("cameo_name") or "").strip(), event, mode, ctx,
                              (row.get("basis") or "").strip(), (row.get("note") or "").strip())
    for code in out:
        if len(code) > 2 and code[:2] not in out:
            _fail(f"cameo.csv {code}", f"no cue category {code[:2]}")
    return out


def _words(v: Any, where: str, key: str) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, (list, tuple)) or not all(isinstance(x, str) and x for x in v):
        _fail(where, f"{key} must be a list of words")
    return tuple(x if x == ACTOR_PLACEHOLDER else x.lower() for x in v)


def _read_triggers(lexicon: Mapping[str, Any], onto: Ontology) -> list[Trigger]:
    raw = lexicon.get("triggers")
    if not isinstance(raw, list) or not raw:
        _fail("lexicon.yaml", "no 'triggers' list")
    out, seen = [], set()
    for i, e in enumerate(raw):
        if not isinstance(e, Mapping):
            _fail(f"lexicon.yaml triggers[{i}]", "not a mapping")
        where = f"lexicon.yaml triggers[{i}] ({e.get('lemma')}/{e.get('pos')} {e.get('event')})"
        unknown = set(e) - _TRIGGER_FIELDS
        if unknown:
            _fail(where, f"unknown field(s) {sorted(unknown)}")
        lemma = e.get("lemma")
        if not isinstance(lemma, str) or not lemma or lemma != lemma.lower():
            _fail(where, "lemma must be a non-empty lower-case string")
        pos = e.get("pos")
        if pos not in POS_VALUES:
            _fail(where, f"pos must be one of {sorted(POS_VALUES)}")
        event = e.get("event")
        if event not in onto.types:
            _fail(where, f"unknown event {event!r}")
        mode = e.get("mode")
        if mode is not None and mode not in onto.types[event].modes:
            _fail(where, f"{event} has no mode {mode!r} (modes: {sorted(onto.types[event].modes)})")
        cameo = e.get("cameo")
        if cameo is not None:
            cameo = str(cameo)
            if cameo not in onto.cameo:
                _fail(where, f"unknown CAMEO code {cameo!r}")
            if onto.cameo[cameo].event != event:
                _fail(where, f"CAMEO {cameo} maps to {onto.cameo[cameo].event}, not {event}")
        context = _words(e.get("context"), where, "context")
        for c in context:
            if c not in onto.contexts:
                _fail(where, f"unknown context {c!r}")
        obj = e.get("object", "none")
        if obj not in OBJECT_ROLES:
            _fail(where, f"object must be one of {sorted(OBJECT_ROLES)}")
        neg = e.get("negated_event")
        if neg is not None and neg not in onto.types:
            _fail(where, f"unknown negated_event {neg!r}")
        particle = e.get("requires_particle")
        if particle is not None and (not isinstance(particle, str) or not particle):
            _fail(where, "requires_particle must be a word")
        reciprocal = e.get("reciprocal", False)
        if not isinstance(reciprocal, bool):
            _fail(where, "reciprocal must be true or false")
        t = Trigger(
            lemma=lemma, pos=pos, event=event, mode=mode, cameo=cameo, context=context,
            object=obj, preps=_words(e.get("preps"), where, "preps"), reciprocal=reciprocal,
            requires_object=_words(e.get("requires_object"), where, "requires_object"),
            requires_pobj=_words(e.get("requires_pobj"), where, "requires_pobj"),
            requires_prep=_words(e.get("requires_prep"), where, "requires_prep"),
            requires_particle=particle.lower() if particle else None,
            requires_modifier=_words(e.get("requires_modifier"), where, "requires_modifier"),
            requires_governor=_words(e.get("requires_governor"), where, "requires_governor"),
            requires_clause_modal=_words(e.get("requires_clause_modal"), where, "requires_clause_modal"),
            negated_event=neg, note=e.get("note"), index=i,
        )
        key = (t.lemma, t.pos, t.requires_object, t.requires_pobj, t.requires_prep,
               t.requires_particle, t.requires_modifier, t.requires_governor, t.requires_clause_modal)
        if key in seen:
            _fail(where, "duplicate entry (same lemma, pos and conditions)")
        seen.add(key)
        out.append(t)
    return out


def _read_mode_modifiers(lexicon: Mapping[str, Any], onto: Ontology) -> dict[str, Mapping[str, str]]:
    out = {}
    for event, table in (lexicon.get("mode_modifiers") or {}).items():
        where = f"lexicon.yaml mode_modifiers.{event}"
        if event not in onto.types:
            _fail(where, f"unknown event {event!r}")
        if not isinstance(table, Mapping):
            _fail(where, "must map modifier lemmas to modes")
        modes = {}
        for word, mode in table.items():
            if mode not in onto.types[event].modes:
                _fail(f"{where}.{word}", f"{event} has no mode {mode!r}")
            modes[str(word).lower()] = mode
        out[event] = MappingProxyType(modes)
    return out


def _read_context_modifiers(lexicon: Mapping[str, Any], onto: Ontology) -> dict[str, tuple[str, ...]]:
    out = {}
    for word, ctx in (lexicon.get("context_modifiers") or {}).items():
        where = f"lexicon.yaml context_modifiers.{word}"
        ctx = _words(ctx, where, "context")
        for c in ctx:
            if c not in onto.contexts:
                _fail(where, f"unknown context {c!r}")
        out[str(word).lower()] = ctx
    return out


def _read_word_set(lexicon: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(_words(lexicon.get(key), f"lexicon.yaml {key}", key))


def _read_text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def _load_yaml(name: str) -> Mapping[str, Any]:
    data = yaml.safe_load(_read_text(name))
    if not isinstance(data, Mapping):
        _fail(name, "not a YAML mapping")
    return data


@lru_cache(maxsize=1)
def load_ontology() -> Ontology:
    """Load and validate the ontology data files (once per process)."""
    rows = list(csv.DictReader(_read_text("cameo.csv").splitlines()))
    return Ontology(_load_yaml("plover.yaml"), rows, _load_yaml("lexicon.yaml"))
