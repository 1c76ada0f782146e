"""Records -> PLOVER JSON Lines, flat CSV or Parquet: one line / row per event.

PLOVER field names follow the "Data Fields" chapter of the PLOVER manual (PLOVER_MANUAL.tex in
github.com/openeventdata/PLOVER, commit 5e0c24f, tables "PLOVER JSON", "Information object for
entities", "Information object for text", "Information object for citations" and "Location
object"): ``id, date, actor, recipient, event, event_loc, event_text, quad_code, event_scale,
mode, context, text_info, cite_info, coder``. The manual lets providers add named fields; parley's
own (offsets, actor ids, planned, negated, CAMEO code, ...) live under the ``"parley"`` key so that
no PLOVER name is given a meaning PLOVER does not give it.

The article text is left out: the manual's ``text`` field is "only filled when the creator of the
record has appropriate intellectual property rights for the text" (note 6), and offsets into the
article are enough to find every span again.
"""
from __future__ import annotations

import csv
import io
import json
import os
from datetime import date
from typing import IO, Any, Iterable, Iterator, Union

from .ontology import load_ontology
from .record import Event, Record

FORMATS = ("plover", "csv", "parquet")
Out = Union[str, "os.PathLike[str]", IO]

# PLOVER_MANUAL.tex, table "Quad categories in PLOVER" (column "Numeric"); plover.yaml names the
# quad of each type
QUAD_CODES = {"verbal_cooperation": 1, "material_cooperation": 2, "verbal_conflict": 3, "material_conflict": 4}

# the flat table (CSV and Parquet); in CSV a list cell is its items joined by LIST_SEP
COLUMNS = (
    "event_id", "article_id", "date", "date_text", "event", "mode", "context", "cameo", "quad_code",
    "actor", "actor_country", "actor_sector", "actor_id",
    "recipient", "recipient_country", "recipient_sector", "recipient_id",
    "planned", "negated", "place", "place_country", "lat", "lon",
    "event_text", "trigger_start", "trigger_end", "sentence_start", "sentence_end",
    "title", "source", "published", "url",
)
LIST_COLUMNS = ("context", "actor", "actor_country", "actor_sector", "actor_id",
                "recipient", "recipient_country", "recipient_sector", "recipient_id")
INT_COLUMNS = ("quad_code", "trigger_start", "trigger_end", "sentence_start", "sentence_end")
FLOAT_COLUMNS = ("lat", "lon")
BOOL_COLUMNS = ("planned", "negated")
LIST_SEP = "; "
PARQUET_ROW_GROUP = 50_000


class ExportError(ValueError):
    """A bad format or destination, said in one line."""


def export_records(records: Iterable[Record], fmt: str, out: Out) -> int:
    """Write one line / row per event of ``records`` to ``out`` (a path or an open file).

    ``fmt``: ``plover`` (JSON Lines), ``csv`` (text) or ``parquet`` (binary; needs a path or a
    binary file). Records are consumed one at a time, so a store of any size exports in flat
    memory. Returns the number of events written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
    if fmt == "parquet":
        return _write_parquet(records, out)
    with _text_sink(out) as sink:
        if fmt == "plover":
            n = 0
            for record in records:
                for line in plover_events(record):
                    sink.write(json.dumps(line, ensure_ascii=False) + "\n")
                    n += 1
            return n
        writer = csv.DictWriter(sink, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        n = 0
        for record in records:
            for row in event_rows(record):
                writer.writerow(_csv_cells(row))
                n += 1
        return n


# --------------------------------------------------------------------------- PLOVER


def plover_events(record: Record) -> Iterator[dict[str, Any]]:
    """The PLOVER JSON objects of a record's events."""
    onto = load_ontology()
    a = record.article
    actors = {x.id: x for x in record.actors}
    coder = f"parley {record.parley_version} ({record.model})"
    cite = {k: v for k, v in (("citation", a.id), ("url", a.url), ("title", a.title), ("language", a.language),
                               ("publication", a.source), ("coder", coder), ("codebook", onto.version)) if v}
    for e in record.events:
        etype = onto.types.get(e.event)
        line: dict[str, Any] = {
            "id": e.id,
            "date": e.date,
            "actor": [_entity(actors[i]) for i in e.actor if i in actors],
            "recipient": [_entity(actors[i]) for i in e.recipient if i in actors],
            "event": [e.event],
            "event_loc": _location(record, e),
            "event_text": [e.event_text],
            "quad_code": QUAD_CODES.get(etype.quad) if etype else None,
            "event_scale": _score(etype, e.mode),
            "mode": [e.mode] if e.mode else [],
            "context": list(e.context),
            "text_info": {"start": e.sentence.start, "end": e.sentence.end},
            "cite_info": dict(cite),
            "coder": coder,
            "parley": _extras(a.id, a.published, e),
        }
        yield line


# Event fields that have a PLOVER name above; every other field of the Event (offsets, actor ids,
# planned, negated, CAMEO code, location as parley has it ...) goes under "parley" as it is
_IN_PLOVER = {"id", "event", "mode", "context", "date", "event_text"}
_RENAMED = {"actor": "actor_ids", "recipient": "recipient_ids"}  # PLOVER's actor is the entity objects


def _extras(article_id: str, published: str | None, e: Event) -> dict[str, Any]:
    extras: dict[str, Any] = {"article_id": article_id, "published": published}
    for key, value in e.to_dict().items():
        if key not in _IN_PLOVER:
            extras[_RENAMED.get(key, key)] = value
    return extras


def plover_to_event(line: dict[str, Any]) -> Event:
    """The parley Event back from one PLOVER line written by :func:`plover_events`."""
    fields = {key: line["parley"][_RENAMED.get(key, key)] for key in Event.model_fields
              if key not in _IN_PLOVER and _RENAMED.get(key, key) in line["parley"]}
    return Event(id=line["id"], event=line["event"][0], mode=(line["mode"] or [None])[0], context=line["context"],
                 date=line["date"], event_text=line["event_text"][0], **fields)


def _entity(actor) -> dict[str, Any]:
    # "Information object for entities": code, sector, entity_text, identifier_id, identifier_text, office
    entity = {"code": actor.country, "sector": actor.sector,
              "entity_text": actor.mentions[0].text if actor.mentions else actor.name,
              "identifier_id": actor.wikidata, "identifier_text": actor.name, "office": actor.office}
    return {k: v for k, v in entity.items() if v is not None}


def _location(record: Record, e: Event) -> dict[str, Any] | None:
    loc = e.location
    if loc is None:
        return None
    # the name as written, when the article's places hold it
    place = next((p for p in record.places if p.name == loc.name and p.country == loc.country and p.mentions), None)
    out = {"extracted_place": place.mentions[0].text if place else None, "resolved_place": loc.name,
           "lat": loc.lat, "lon": loc.lon, "country_code": loc.country}
    return {k: v for k, v in out.items() if v is not None}


def _score(etype, mode: str | None) -> float | None:
    if etype is None:
        return None
    m = etype.modes.get(mode) if mode else None
    return m.score if m is not None and m.score is not None else etype.score


# --------------------------------------------------------------------------- flat rows


def event_rows(record: Record) -> Iterator[dict[str, Any]]:
    """One flat dict per event (the CSV / Parquet row): lists stay lists, dates stay strings."""
    onto = load_ontology()
    a = record.article
    actors = {x.id: x for x in record.actors}
    for e in record.events:
        etype = onto.types.get(e.event)
        who = [actors[i] for i in e.actor if i in actors]
        to = [actors[i] for i in e.recipient if i in actors]
        loc = e.location
        yield {
            "event_id": e.id, "article_id": a.id, "date": e.date, "date_text": e.date_text,
            "event": e.event, "mode": e.mode, "context": list(e.context), "cameo": e.cameo,
            "quad_code": QUAD_CODES.get(etype.quad) if etype else None,
            "actor": [x.name for x in who], "actor_country": [x.country for x in who],
            "actor_sector": [x.sector for x in who], "actor_id": [x.id for x in who],
            "recipient": [x.name for x in to], "recipient_country": [x.country for x in to],
            "recipient_sector": [x.sector for x in to], "recipient_id": [x.id for x in to],
            "planned": e.planned, "negated": e.negated,
            "place": loc.name if loc else None, "place_country": loc.country if loc else None,
            "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
            "event_text": e.event_text,
            "trigger_start": e.trigger.start, "trigger_end": e.trigger.end,
            "sentence_start": e.sentence.start, "sentence_end": e.sentence.end,
            "title": a.title, "source": a.source, "published": a.published, "url": a.url,
        }


def _csv_cells(row: dict[str, Any]) -> dict[str, Any]:
    cells = dict(row)
    for key in LIST_COLUMNS:
        # a missing country or sector is an empty item, so the lists stay aligned with the names
        cells[key] = LIST_SEP.join(v or "" for v in row[key])
    for key in BOOL_COLUMNS:
        cells[key] = "true" if row[key] else "false"
    return cells


def read_csv_rows(source: Union[str, "os.PathLike[str]", IO]) -> Iterator[dict[str, Any]]:
    """Rows of a CSV written by :func:`export_records`, typed as :func:`event_rows` makes them."""
    with _text_source(source) as f:
        for cells in csv.DictReader(f):
            row: dict[str, Any] = {k: (v if v != "" else None) for k, v in cells.items()}
            for key in LIST_COLUMNS:
                row[key] = [v or None for v in cells[key].split(LIST_SEP)] if cells[key] else []
            for side in ("actor", "recipient"):
                for key in (f"{side}_country", f"{side}_sector"):
                    if not row[key]:  # one actor without a country wrote an empty cell
                        row[key] = [None] * len(row[side])
            for key in BOOL_COLUMNS:
                row[key] = cells[key] == "true"
            for key in INT_COLUMNS:
                row[key] = int(row[key]) if row[key] is not None else None
            for key in FLOAT_COLUMNS:
                row[key] = float(row[key]) if row[key] is not None else None
            yield row


# --------------------------------------------------------------------------- Parquet


def parquet_schema():
    import pyarrow as pa

    types = {k: pa.string() for k in COLUMNS}
    types.update({k: pa.list_(pa.string()) for k in LIST_COLUMNS})
    types.update({k: pa.int32() for k in INT_COLUMNS})
    types.update({k: pa.float64() for k in FLOAT_COLUMNS})
    types.update({k: pa.bool_() for k in BOOL_COLUMNS})
    types["date"] = pa.date32()
    return pa.schema([(k, types[k]) for k in COLUMNS])


def _write_parquet(records: Iterable[Record], out: Out) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if hasattr(out, "write") and isinstance(out, io.TextIOBase):
        raise ExportError("Parquet is binary: give a path or a file opened in binary mode")
    schema = parquet_schema()
    n = 0
    buffer: list[dict[str, Any]] = []
    try:
        writer = pq.ParquetWriter(out if hasattr(out, "write") else os.fspath(out), schema)
    except (OSError, pa.ArrowException) as exc:
        raise ExportError(f"{out}: cannot write ({exc})") from None
    with writer:
        for record in records:
            for row in event_rows(record):
                row["date"] = date.fromisoformat(row["date"]) if row["date"] else None
                buffer.append(row)
                if len(buffer) >= PARQUET_ROW_GROUP:
                    writer.write_table(pa.Table.from_pylist(buffer, schema=schema))
                    n += len(buffer)
                    buffer.clear()
        if buffer or n == 0:  # an empty export is still a readable file with the schema
            writer.write_table(pa.Table.from_pylist(buffer, schema=schema))
            n += len(buffer)
    return n


def read_parquet_rows(source) -> Iterator[dict[str, Any]]:
    """Rows of a Parquet file written by :func:`export_records`, typed as :func:`event_rows` makes them."""
    import pyarrow.parquet as pq

    for row in pq.read_table(source).to_pylist():
        row["date"] = row["date"].isoformat() if row["date"] else None
        yield row


# --------------------------------------------------------------------------- files


class _text_sink:
    """A text file to write: opened from a path (and closed), or a given stream (left open)."""

    def __init__(self, out: Out):
        self.out, self.opened = out, None

    def __enter__(self) -> IO[str]:
        if hasattr(self.out, "write"):
            if isinstance(self.out, io.TextIOBase):
                return self.out
            self.opened = io.TextIOWrapper(self.out, encoding="utf-8", newline="", write_through=True)
            return self.opened
        try:
            self.opened = open(self.out, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise ExportError(f"{self.out}: cannot write ({exc.strerror or exc})") from None
        return self.opened

    def __exit__(self, *exc) -> None:
        if self.opened is not None:
            if isinstance(self.out, (str, os.PathLike)):
                self.opened.close()
            else:
                self.opened.detach()  # the caller's binary stream stays open


class _text_source(_text_sink):
    def __enter__(self) -> IO[str]:
        if hasattr(self.out, "read"):
            if isinstance(self.out, io.TextIOBase):
                return self.out
            self.opened = io.TextIOWrapper(self.out, encoding="utf-8", newline="")
            return self.opened
        self.opened = open(self.out, encoding="utf-8", newline="")
        return self.opened
