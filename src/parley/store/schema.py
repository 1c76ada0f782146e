"""The tables of a parley store (SQLAlchemy Core), its schema version and its migrations.

One row of ``parley_schema`` holds the version. Bump ``SCHEMA_VERSION`` when a table changes and
add a step to ``MIGRATIONS``: ``MIGRATIONS[n]`` takes a database from version n to n + 1, given an
Alembic ``Operations`` object (``op.add_column``, ``op.create_index``; ``op.batch_alter_table`` for
what SQLite cannot ALTER). Steps run in one transaction when an older store is opened.

Dates are DATE columns; publication times are naive UTC DATETIME columns (``published`` keeps
the article's own text). Lists are JSON. ``articles.record`` is the record's JSON exactly as
``Record.to_json()`` wrote it: reading it back gives the same Record.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import (JSON, Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData,
                        String, Table, Text)

SCHEMA_VERSION = 4

metadata = MetaData()

schema_table = Table(
    "parley_schema", metadata,
    Column("version", Integer, primary_key=True),
    Column("parley_version", String, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("migrated_at", DateTime),
)

articles = Table(
    "articles", metadata,
    Column("id", String, primary_key=True),
    Column("content_hash", String(40), nullable=False, unique=True),  # SHA-1 of the text
    Column("url", String, index=True),
    Column("title", Text),
    Column("source", String),
    Column("published", String),  # as the article gave it (ISO 8601)
    Column("published_at", DateTime, index=True),  # the same, naive UTC, for ordering
    Column("language", String),
    Column("section", String),
    Column("path", Text),
    Column("parley_version", String),
    Column("model", String),
    Column("n_actors", Integer, nullable=False),
    Column("n_events", Integer, nullable=False),
    Column("ingested_at", DateTime, nullable=False),
    Column("merged", Boolean, nullable=False, index=True),  # False until its merges are recomputed
    Column("record", Text, nullable=False),
)

actors = Table(
    "actors", metadata,
    Column("id", String, primary_key=True),
    Column("article_id", String, ForeignKey("articles.id"), nullable=False, index=True),
    Column("name", String, nullable=False),
    Column("kind", String),
    Column("country", String),
    Column("sector", String),
    Column("office", String),
    Column("wikidata", String),
    Column("entity_key", String, nullable=False, index=True),
    Column("n_mentions", Integer, nullable=False),
)

places = Table(
    "places", metadata,
    Column("id", String, primary_key=True),
    Column("article_id", String, ForeignKey("articles.id"), nullable=False, index=True),
    Column("name", String, nullable=False),
    Column("country", String),
    Column("lat", Float),
    Column("lon", Float),
)

# mentions of actors, places and documents: owner is the id of the thing mentioned
mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String, ForeignKey("articles.id"), nullable=False, index=True),
    Column("owner_id", String, nullable=False, index=True),
    Column("owner", String, nullable=False),  # actor, place or document
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", String, primary_key=True),
    Column("article_id", String, ForeignKey("articles.id"), nullable=False, index=True),
    Column("event", String, nullable=False),
    Column("mode", String),
    Column("context", JSON),
    Column("cameo", String),
    Column("date", Date),
    Column("date_text", String),
    Column("planned", Boolean, nullable=False),
    Column("negated", Boolean, nullable=False),
    Column("place", String),
    Column("place_country", String),
    Column("lat", Float),
    Column("lon", Float),
    Column("event_text", Text, nullable=False),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("sentence_start", Integer, nullable=False),
    Column("sentence_end", Integer, nullable=False),
    Column("sentence", Text),  # the sentence itself: the evidence, readable without the article
    Column("evidence", JSON),  # further sentences as [start, end] pairs
    Column("quote_id", String),
    Column("group_key", String, nullable=False),  # merge.group_key: who took part
    Column("merged_id", String, index=True),  # the merged event it belongs to
    Index("ix_events_date", "date"),
    # a group's events by date: merging reads only the dates around the new reports
    Index("ix_events_group_date", "group_key", "date"),
    Index("ix_events_type_date", "event", "date"),
)

# one row per actor or recipient of an event; date, type, name and country repeated so that an
# actor's timeline and a dyad are read from one index, and a result's sides without a join
event_actors = Table(
    "event_actors", metadata,
    Column("event_id", String, ForeignKey("events.id"), primary_key=True),
    Column("role", String(9), primary_key=True),  # actor or recipient
    Column("position", Integer, primary_key=True),
    Column("actor_id", String, nullable=False, index=True),
    Column("entity_key", String, nullable=False),
    Column("name", String, nullable=False),  # the actor's name in that article
    Column("country", String),
    Column("event", String, nullable=False),
    Column("date", Date),
    # event_id last: the indexes cover the lookups of a side (no read of the table's rows)
    Index("ix_event_actors_entity", "entity_key", "role", "date", "event_id"),
    Index("ix_event_actors_country", "country", "role", "date", "event_id"),
)

# one row per actor and recipient of an event, each side by its entity key and by "c:" + its country
# code in that article: a dyad ('Zelensky' -> 'USA') is read from one index range, in proportion
# to the events it has, not to the events of its busier side
event_dyads = Table(
    "event_dyads", metadata,
    Column("event_id", String, ForeignKey("events.id"), nullable=False),
    Column("actor", String, nullable=False),
    Column("recipient", String, nullable=False),
    Column("date", Date),
    Index("ix_event_dyads", "actor", "recipient", "date", "event_id"),
)

event_documents = Table(
    "event_documents", metadata,
    Column("event_id", String, ForeignKey("events.id"), primary_key=True),
    Column("document_id", String, primary_key=True),
    Index("ix_event_documents_document", "document_id"),
)

quotes = Table(
    "quotes", metadata,
    Column("id", String, primary_key=True),
    Column("article_id", String, ForeignKey("articles.id"), nullable=False, index=True),
    Column("speaker_id", String),
    Column("speaker_entity", String, index=True),
    Column("text", Text, nullable=False),
    Column("kind", String),
    Column("cue", String),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
)

commitments = Table(
    "commitments", metadata,
    Column("id", String, primary_key=True),
    Column("article_id", String, ForeignKey("articles.id"), nullable=False, index=True),
    Column("kind", String),
    Column("amount", Float),
    Column("currency", String),
    Column("quantity", Float),
    Column("item", String),
    Column("giver", JSON),  # actor ids
    Column("recipient", JSON),
    Column("purpose", Text),
    Column("status", String),
    Column("planned", Boolean, nullable=False),
    Column("event_id", String),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", String, primary_key=True),
    Column("article_id", String, ForeignKey("articles.id"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("aliases", JSON),
    Column("kind", String),
    Column("parties", JSON),  # actor ids
    Column("status", String),
    Column("doc_key", String, index=True),  # the merged document it belongs to
    # its place among the reports with a status of its merged document, in timeline order (report
    # time, article, id); a step's sources are a range of positions (see document_steps)
    Column("position", Integer),
    Index("ix_documents_key_position", "doc_key", "position"),
)

# the normalised names a document is matched under (merge.document_names)
document_names = Table(
    "document_names", metadata,
    Column("document_id", String, ForeignKey("documents.id"), primary_key=True),
    Column("name", String, primary_key=True),
    Index("ix_document_names_name", "name"),
)

# ---- what merge.py computes, kept up to date by Store.merge()

entities = Table(
    "entities", metadata,
    Column("key", String, primary_key=True),
    Column("name", String, nullable=False, index=True),
    Column("kind", String),
    Column("country", String, index=True),
    Column("sector", String),
    Column("office", String),
    Column("wikidata", String),
    Column("names", JSON),
    Column("n_articles", Integer, nullable=False),
    Column("n_mentions", Integer, nullable=False),
    Column("n_events", Integer, nullable=False),  # events it took part in, on either side
    Column("first_seen", DateTime),
    Column("last_seen", DateTime),
)

# how many actors of an entity gave each value of a field (ENTITY_FIELDS; empty values left out):
# a merge adds the new articles' counts, and the entity's name, kind, country … are the values
# most given, without reading its actors again
entity_values = Table(
    "entity_values", metadata,
    Column("key", String, primary_key=True),
    Column("field", String(8), primary_key=True),
    Column("value", String, primary_key=True),
    Column("n", Integer, nullable=False),
)

merged_events = Table(
    "merged_events", metadata,
    Column("id", String, primary_key=True),
    Column("group_key", String, nullable=False),
    Column("event", String, nullable=False),
    Column("mode", String),
    Column("planned", Boolean, nullable=False),
    Column("negated", Boolean, nullable=False),
    Column("date", Date, index=True),
    Column("date_min", Date),
    Column("date_max", Date),
    Column("place", String),
    Column("place_country", String),
    Column("actors", JSON),  # entity keys
    Column("recipients", JSON),
    Column("n_sources", Integer, nullable=False),
    Column("n_events", Integer, nullable=False),
    Column("first_report", DateTime),
    Column("last_report", DateTime),
    Column("realised_by", String, index=True),
    # a group's merged events by date (and the undated ones by first report): the plans and the
    # events that took place near new reports
    Index("ix_merged_events_group_date", "group_key", "date", "first_report"),
)

merged_documents = Table(
    "merged_documents", metadata,
    Column("key", String, primary_key=True),
    Column("name", Text, nullable=False),
    Column("aliases", JSON),
    Column("kind", String),
    Column("status", String),
    Column("n_sources", Integer, nullable=False),
    Column("first_report", DateTime),
    Column("last_report", DateTime),
    Column("n_steps", Integer),  # steps of its timeline (document_steps)
)

# the status timeline of each merged document (merge.merge_documents), kept by Store.merge():
# one row per change of status, so a document reported 40,000 times at one status is one step
document_steps = Table(
    "document_steps", metadata,
    Column("doc_key", String, primary_key=True),
    Column("step", Integer, primary_key=True),  # 0, 1, ... in time order
    Column("status", String, nullable=False),
    Column("since", DateTime),  # its first report
    Column("until", DateTime),  # its last report
    Column("n_sources", Integer, nullable=False),
    Column("first_position", Integer, nullable=False),  # documents.position of its first and last report
    Column("last_position", Integer, nullable=False),
)

# every name a merged document is found under: its reports' names, lower-cased, and their
# normalised names and aliases (merge.document_names); a small table to search by name
merged_document_names = Table(
    "merged_document_names", metadata,
    Column("key", String, primary_key=True),
    Column("name", String, primary_key=True),
)

errors = Table(
    "errors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text),
    Column("item", String),
    Column("kind", String),
    Column("reason", Text, nullable=False),
    Column("time", DateTime, nullable=False),
    Index("ix_errors_path", "path"),
)

# every table parley owns, parents first (the order to create, and to drop in reverse)
TABLES = [schema_table, articles, actors, places, mentions, events, event_actors, event_dyads, event_documents, quotes,
          commitments, documents, document_names, entities, entity_values, merged_events, merged_documents, document_steps,
          merged_document_names, errors]


# ---- migrations

def _v1_to_v2(op) -> None:
    """Covering indexes for an actor's events; document timelines and names kept at merge time."""
    from sqlalchemy import Column, DateTime, Integer, String

    for name, first in (("ix_event_actors_entity", "entity_key"), ("ix_event_actors_country", "country")):
        op.drop_index(name, table_name="event_actors")
        op.create_index(name, "event_actors", [first, "role", "date", "event_id"])
    op.add_column("documents", Column("position", Integer))
    op.add_column("merged_documents", Column("n_steps", Integer))
    op.create_index("ix_documents_key_position", "documents", ["doc_key", "position"])
    op.create_table("document_steps",
                    Column("doc_key", String, primary_key=True), Column("step", Integer, primary_key=True),
                    Column("status", String, nullable=False), Column("since", DateTime), Column("until", DateTime),
                    Column("n_sources", Integer, nullable=False), Column("first_position", Integer, nullable=False),
                    Column("last_position", Integer, nullable=False))
    op.create_table("merged_document_names",
                    Column("key", String, primary_key=True), Column("name", String, primary_key=True))
    from .db import remerge_documents  # the timelines of the documents already merged

    remerge_documents(op.get_bind())


def _v2_to_v3(op) -> None:
    """A group's events and merged events indexed by date: a merge reads the dates near new reports;
    event_dyads filled from event_actors (the tokens as store.db._rows writes them)."""
    from sqlalchemy import inspect, text

    inspector = inspect(op.get_bind())
    if "event_dyads" not in inspector.get_table_names():
        event_dyads.create(op.get_bind())
        op.execute(text(
            "INSERT INTO event_dyads (event_id, actor, recipient, date) "
            "SELECT DISTINCT a.event_id, a.token, r.token, a.date FROM "
            "(SELECT event_id, role, entity_key AS token, date FROM event_actors UNION "
            " SELECT event_id, role, 'c:' || country, date FROM event_actors WHERE country IS NOT NULL) a "
            "JOIN (SELECT event_id, role, entity_key AS token FROM event_actors UNION "
            " SELECT event_id, role, 'c:' || country FROM event_actors WHERE country IS NOT NULL) r "
            "ON r.event_id = a.event_id AND r.role = 'recipient' WHERE a.role = 'actor'"))
    for table, old, new, columns in (
            ("events", "ix_events_group_key", "ix_events_group_date", ["group_key", "date"]),
            ("merged_events", "ix_merged_events_group_key", "ix_merged_events_group_date",
             ["group_key", "date", "first_report"])):
        names = {i["name"] for i in inspector.get_indexes(table)}
        if old in names:
            op.drop_index(old, table_name=table)
        if new not in names:
            op.create_index(new, table, columns)


def _v3_to_v4(op) -> None:
    """Events merge around a main day instead of in chains of days (merge.main_days), and a
    merge adds the new articles' counts to their entities (entity_values): the merged events and
    the entities are dropped and the articles marked unmerged; Store merges them again once open."""
    from sqlalchemy import inspect, update

    if "entity_values" not in inspect(op.get_bind()).get_table_names():
        entity_values.create(op.get_bind())
    op.execute(update(events).values(merged_id=None))
    op.execute(merged_events.delete())
    op.execute(entities.delete())
    op.execute(entity_values.delete())
    op.execute(update(articles).values(merged=False))


# version n -> the step that takes a store from n to n + 1 (see the module docstring)
MIGRATIONS: dict[int, Callable] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}
