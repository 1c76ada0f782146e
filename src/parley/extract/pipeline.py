"""Article -> Record: the extractors in order (actors, places, events), then the Record built."""
from __future__ import annotations

from spacy.language import Language

from .. import __version__
from ..nlp import Paragraph, load, model_label, parse
from ..record import Actor, Article, Event, Mention, Place, Record, Span
from .actors import ActorTable, extract_actors
from .dates import to_date
from .events import Found, drop_summaries, extract_events, inherit_dates, merge_mentions
from .places import PlaceTable, extract_places
from .quotes import extract_quotes, link_events, to_records
from .commitments import commitment_records, extract_commitments
from .documents import document_records, extract_documents
from .documents import link_events as link_documents


def code_article(article: Article, nlp: Language | None = None,
                 paragraphs: list[Paragraph] | None = None) -> Record:
    nlp = nlp or load()
    if paragraphs is None:
        paragraphs = parse(article.text, nlp)
    published = to_date(article.published)
    actors = extract_actors(paragraphs, published)
    places = extract_places(paragraphs)
    events = merge_mentions(extract_events(paragraphs, actors, places, published, summaries=(article.title, article.standfirst)), actors)
    events = drop_summaries(events, actors)
    inherit_dates(events, actors)
    quotes = extract_quotes(paragraphs, actors, article.text)
    commitments = extract_commitments(paragraphs, actors, events, published, article.title)  # appends their events
    documents = extract_documents(paragraphs, actors, published)
    record, ids, event_ids = build_record(article, model_label(nlp), actors, places, events,
                                          also_used={q.speaker for q in quotes if q.speaker}
                                          | {k for c in commitments for k in c.giver + c.recipient})
    record.quotes = to_records(article.id, quotes, ids)
    link_events(record.events, record.quotes)
    record.commitments = commitment_records(article.id, commitments, ids, event_ids)
    record.documents = document_records(article.id, documents, ids)
    link_documents(record.events, record.documents)
    return record


def build_record(article: Article, model: str, actors: ActorTable, places: PlaceTable, events: list[Found],
                 also_used: set[str] = frozenset()) -> tuple[Record, dict[str, str], dict[int, str]]:
    """The Record, with the ids it gave: actor key -> actor id, id(Found) -> event id."""
    # actors an event uses, or that another part of the record names (a quote's speaker)
    used = {k for e in events for k in e.actors + e.recipients} | set(also_used)
    ids: dict[str, str] = {}
    actor_list: list[Actor] = []
    for key, entity in actors.entities.items():
        mentions = sorted(entity.mentions)
        if not mentions or (entity.pending and key not in used):
            continue
        if entity.kind != "person" and key not in used and all(m[3] for m in mentions):
            continue  # a state named only as a place ("talks in Ukraine") takes no part
        actor_id = f"{article.id}#a{mentions[0][0]}"
        if actor_id in ids.values():  # two groups named in one phrase ("Russian and US officials")
            actor_id += f".{sum(1 for v in ids.values() if v.split('.')[0] == actor_id) + 1}"
        ids[key] = actor_id
        actor_list.append(Actor(
            id=ids[key], name=entity.name, kind=entity.kind, country=entity.country, sector=entity.sector,
            office=entity.office, wikidata=entity.wikidata,
            mentions=[Mention(start=s, end=e, text=t) for s, e, t, _ in mentions]))
    actor_list.sort(key=lambda a: a.mentions[0].start)

    event_list: list[Event] = []
    event_ids: dict[int, str] = {}
    seen: dict[str, int] = {}
    for found in sorted(events, key=lambda f: f.trigger):
        base = f"{article.id}#e{found.trigger[0]}"
        seen[base] = seen.get(base, 0) + 1
        event_id = base if seen[base] == 1 else f"{base}.{seen[base]}"
        event_ids[id(found)] = event_id
        event_list.append(Event(
            id=event_id, event=found.event, mode=found.mode, context=found.context, cameo=found.cameo,
            actor=[ids[k] for k in found.actors if k in ids],
            recipient=[ids[k] for k in found.recipients if k in ids],
            date=found.date.isoformat() if found.date else None, date_text=found.date_text,
            planned=found.planned, negated=found.negated, location=found.location, event_text=found.text,
            trigger=Span(start=found.trigger[0], end=found.trigger[1]),
            sentence=Span(start=found.sentence[0], end=found.sentence[1]),
            evidence=[Span(start=s, end=e) for s, e in found.evidence]))

    # a name that acts ("Moscow said") is an actor there, not a place
    acting = {(m[0], m[1]) for e in actors.entities.values() for m in e.mentions if not m[3]}
    place_list = []
    for loc, mentions in places.places.values():
        where = [m for m in mentions if (m[0], m[1]) not in acting]
        if where:
            place_list.append(Place(id=f"{article.id}#p{where[0][0]}", name=loc.name, country=loc.country,
                                    lat=loc.lat, lon=loc.lon,
                                    mentions=[Mention(start=s, end=e, text=t) for s, e, t in where]))
    place_list.sort(key=lambda p: p.mentions[0].start)
    record = Record(parley_version=__version__, model=model, article=article, actors=actor_list,
                    events=event_list, places=place_list)
    return record, ids, event_ids
