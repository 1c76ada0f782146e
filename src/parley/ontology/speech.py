"""Loader for speech.yaml: the cue words of reported speech (verbs, particles, "according to")."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Speech:
    verbs: frozenset[str]              # cue lemmas anywhere (said, stressed, warned ...)
    frame_only: frozenset[str]         # cue lemmas only right beside a quotation (continued:)
    particle_required: dict[str, str]  # lemma -> particle it needs (point -> out)
    phrases: tuple[tuple[str, ...], ...]  # prepositional cues, lower case (according to)
    scare_markers: tuple[str, ...] = ()  # words before marks that name or distance, not quote (so-called)

    def is_cue(self, lemma: str, beside_quote: bool = False) -> bool:
        lemma = lemma.lower()
        return lemma in self.verbs or (beside_quote and lemma in self.frame_only)


@lru_cache(maxsize=1)
def load_speech() -> Speech:
    raw = yaml.safe_load(resources.files(__package__).joinpath("speech.yaml").read_text("utf-8"))
    if not isinstance(raw, dict) or not raw.get("verbs"):
        raise ValueError("ontology: speech.yaml: needs a 'verbs' list")
    return Speech(
        verbs=frozenset(str(v).lower() for v in raw["verbs"]),
        frame_only=frozenset(str(v).lower() for v in raw.get("frame_only") or ()),
        particle_required={str(k).lower(): str(v).lower() for k, v in (raw.get("particle_required") or {}).items()},
        phrases=tuple(tuple(str(w).lower() for w in p) for p in raw.get("phrases") or ()),
        scare_markers=tuple(str(w).lower() for w in raw.get("scare_markers") or ()),
    )
