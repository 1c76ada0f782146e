"""Loader for cues.yaml: grammatical cue words (tense, negation, groups, relative days)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Cues:
    planning_verbs: frozenset[str]
    planning_modifiers: frozenset[str]
    future_auxiliaries: frozenset[str]
    negating_verbs: frozenset[str]
    negation_words: frozenset[str]
    distributive_modifiers: frozenset[str]
    group_nouns: dict[str, str]
    place_frames: frozenset[str]
    relative_days: dict[str, int]
    person_pronouns: frozenset[str]
    plural_references: frozenset[str]
    promised_types: frozenset[str]
    anaphoric_acts: frozenset[str]
    place_recipient_types: frozenset[str]
    place_recipient_modes: frozenset[str]
    place_preps: frozenset[str]
    proposal_nouns: frozenset[str]
    clause_recipient_types: frozenset[str]
    condition_marks: frozenset[str]
    threat_marks: frozenset[str]
    threat_types: frozenset[str]
    home_recipient_types: frozenset[str]
    crowd_types: frozenset[str]
    crowd_sectors: frozenset[str]
    campaign_words: frozenset[str]
    refusal_frames: frozenset[str]
    insurgent_home_types: frozenset[str]
    insurgent_sectors: frozenset[str]
    follower_nouns: frozenset[str]
    allegiance_words: frozenset[str]
    body_nouns: frozenset[str]
    party_words: frozenset[str]
    protest_frames: frozenset[str]
    compass_words: frozenset[str]
    domestic_recipient_types: frozenset[str]
    state_sectors: frozenset[str]
    domestic_assault_objects: frozenset[str]
    domestic_coerce_objects: frozenset[str]
    domestic_support_objects: frozenset[str]
    unrealised_types: frozenset[str]
    anonymous_types: frozenset[str]
    unrealised_modes: frozenset[str]
    planned_threats: dict[str, dict[str, str]]
    anonymous_actor_sectors: dict[str, str]
    measure_nouns: frozenset[str]
    beneficiary_types: frozenset[str]
    ngo_name_words: frozenset[str]
    passive_actor_types: frozenset[str]


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    raw = yaml.safe_load(resources.files(__package__).joinpath("cues.yaml").read_text("utf-8"))
    sets = {k: frozenset(v) for k, v in raw.items() if isinstance(v, list)}
    return Cues(group_nouns=dict(raw["group_nouns"]), relative_days=dict(raw["relative_days"]),
                planned_threats={k: dict(v) for k, v in raw["planned_threats"].items()},
                anonymous_actor_sectors=dict(raw["anonymous_actor_sectors"]), **sets)
