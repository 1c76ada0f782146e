"""Scoring coded records against gold files (tests/fixtures/articles/*.gold.json format).

An event matches a gold event when the type is the same and every gold actor and recipient is
found among the coded ones by lenient name matching (case, accents, surname or alias); for
CONSULT the participants are compared as one unordered set, as PLOVER lists them.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .record import Record

UNORDERED = {"CONSULT"}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace(".", "").strip()


def names_match(gold: str, coded: str, aliases: tuple[str, ...] = ()) -> bool:
    g, c = fold(gold), fold(coded)
    if g == c or any(fold(a) == c for a in aliases):
        return True
    g_words, c_words = g.split(), c.split()
    return bool(g_words and c_words) and (g_words[-1] == c_words[-1] or g in c or c in g)


@dataclass
class Score:
    true_positives: int = 0
    found: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.true_positives += other.true_positives
        self.found += other.found
        self.gold += other.gold


def _aliases(gold: dict) -> dict[str, tuple[str, ...]]:
    return {a["name"]: tuple(a.get("aliases_in_text", [])) for a in gold.get("actors", [])}


def _event_matches(gold_event: dict, coded: dict, names: dict[str, str], aliases) -> bool:
    if gold_event["event"] != coded["event"]:
        return False

    def covered(gold_names: list[str], coded_ids: list[str]) -> bool:
        coded_names = [names[i] for i in coded_ids if i in names]
        return all(any(names_match(g, c, aliases.get(g, ())) for c in coded_names) for g in gold_names)

    if gold_event["event"] in UNORDERED:
        return covered(gold_event["actor"] + gold_event["recipient"], coded["actor"] + coded["recipient"])
    return covered(gold_event["actor"], coded["actor"]) and covered(gold_event["recipient"], coded["recipient"])


def score_events(record: Record, gold: dict) -> Score:
    data = record.to_dict()
    names = {a["id"]: a["name"] for a in data["actors"]}
    aliases = _aliases(gold)
    unmatched = list(data["events"])
    score = Score(found=len(unmatched), gold=len(gold.get("events", [])))
    for gold_event in gold.get("events", []):
        hit = next((c for c in unmatched if _event_matches(gold_event, c, names, aliases)), None)
        if hit is not None:
            unmatched.remove(hit)
            score.true_positives += 1
    return score


def score_actors(record: Record, gold: dict) -> Score:
    coded = [(a.name, a.country) for a in record.actors if a.kind == "person"]
    wanted = [(a["name"], a.get("country"), tuple(a.get("aliases_in_text", []))) for a in gold.get("actors", [])
              if a.get("kind", "person") == "person"]
    score = Score(found=len(coded), gold=len(wanted))
    for name, country, aliases in wanted:
        if any(names_match(name, c, aliases) and country == cc for c, cc in coded):
            score.true_positives += 1
    return score


def load_gold(path: str | Path) -> dict:
    return json.loads(Path(path).read_text("utf-8"))
