"""The Record: parley's published contract, as typed classes with a JSON Schema.

Imports no other parley module. Every offset indexes ``Article.text``.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    # every key is always emitted, so the published schema marks every key as required
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


class Span(_Model):
    start: int
    end: int


class Mention(_Model):
    start: int
    end: int
    text: str


class Article(_Model):
    id: str
    title: Optional[str] = None
    source: Optional[str] = None
    published: Optional[str] = Field(None, description="ISO 8601 publication time")
    url: Optional[str] = None
    language: Optional[str] = None
    text: str
    section: Optional[str] = None
    standfirst: Optional[str] = Field(None, description="the summary line under the title, when the layout has one")
    path: Optional[str] = Field(None, description="file the article was read from")


class Actor(_Model):
    id: str
    name: str
    kind: str = Field(description="person, state or organisation")
    country: Optional[str] = Field(None, description="ISO 3166 alpha-3, or an IGO code (NATO, EUR, UNO...)")
    sector: Optional[str] = Field(None, description="GOV, MIL, IGO, REB, OPP, BUS, MED, CVL...")
    office: Optional[str] = None
    wikidata: Optional[str] = None
    mentions: list[Mention] = []


class Location(_Model):
    name: str
    country: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None


class Place(Location):
    id: str
    mentions: list[Mention] = []


class Event(_Model):
    id: str
    event: str = Field(description="PLOVER event type")
    mode: Optional[str] = None
    context: list[str] = []
    cameo: Optional[str] = None
    actor: list[str] = Field(description="actor ids")
    recipient: list[str] = Field(description="actor ids")
    date: Optional[str] = Field(None, description="YYYY-MM-DD")
    date_text: Optional[str] = None
    planned: bool = False
    negated: bool = False
    location: Optional[Location] = None
    event_text: str
    trigger: Span
    sentence: Span
    evidence: list[Span] = Field([], description="sentences of other mentions of the same event")
    documents: list[str] = []
    quote: Optional[str] = Field(None, description="id of the quote that reports this event")


class Quote(_Model):
    id: str
    speaker: Optional[str] = None
    text: str
    kind: str = Field(description="direct, partial or indirect")
    cue: Optional[str] = None
    span: Span
    cue_span: Optional[Span] = None
    speaker_span: Optional[Span] = Field(None, description="the words naming the speaker at the cue")
    continues: Optional[str] = Field(None, description="id of the quote this part continues (split around "
                                                       "its cue, or carried into the next paragraph)")


class Commitment(_Model):
    id: str
    kind: str = Field(description="money, material or personnel")
    amount: Optional[float] = None
    currency: Optional[str] = None
    quantity: Optional[float] = None
    item: Optional[str] = None
    giver: list[str] = []
    recipient: list[str] = []
    purpose: Optional[str] = None
    status: Optional[str] = None
    planned: bool = False
    event: Optional[str] = None
    span: Span
    amount_low: Optional[float] = Field(None, description="a range's low bound ('$5–7 billion'); amount is the low bound too")
    amount_high: Optional[float] = Field(None, description="a range's high bound")
    negated: bool = Field(False, description="the text says it was not given ('did not pledge'); status is then refused")
    text: Optional[str] = Field(None, description="the commitment as written (span's text)")
    sentence: Optional[Span] = None


class Document(_Model):
    id: str
    name: str
    aliases: list[str] = []
    kind: Optional[str] = None
    parties: list[str] = []
    status: Optional[str] = None
    mentions: list[Mention] = []
    replaces: list[str] = Field([], description="ids of documents this one replaced ('a refined 20-point framework')")
    status_text: Optional[str] = Field(None, description="the cue word that gave the status")
    status_span: Optional[Span] = None


class Record(_Model):
    parley_version: str
    model: str
    article: Article
    actors: list[Actor] = []
    events: list[Event] = []
    places: list[Place] = []
    quotes: list[Quote] = []
    commitments: list[Commitment] = []
    documents: list[Document] = []

    def actor(self, actor_id: str) -> Actor:
        return next(a for a in self.actors if a.id == actor_id)


def record_schema() -> dict[str, Any]:
    """The JSON Schema of one Record (what ``parley schema`` prints)."""
    schema = Record.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "parley Record"
    return schema
