"""`parley eval`: coded records scored against gold standards.

Two kinds of gold:

* **PLOVER gold-standard sentences** (the format of ``../shared/data/plover_gsr_dev.json``: one
  sentence per record with ``event``, ``mode``, ``context`` and ``source``/``target`` lists of
  ``{actorText, code, sector}``). Each sentence is coded alone with the real pipeline; older
  category names are mapped to today's through the ontology (``legacy_mode``). Scored: event-type
  accuracy (the gold type among the events found), source/target country accuracy, no-event
  rate, mode accuracy, per type, and the confusion matrix. See :func:`evaluate_plover`.
* **Whole articles** (``*.gold.json``, documented in ``tests/fixtures/articles/README.md``):
  actors, events, quotes, commitments and documents, each scored as precision/recall/F1 with
  lenient name matching. See :func:`evaluate_articles`.

Lenient name matching (:func:`names_match`): case, accents and full stops are ignored; two names
match when equal, when one contains the other, when their last words agree (a surname), or when
the coded name is one of the gold actor's ``aliases_in_text``. A gold *state* or *organisation*
also matches a coded actor of the same country code ("Russia" ~ "Yury Ushakov (RUS)"), as the
gold conventions allow a state or the officials who act for it.

An event matches a gold event when the type is the same and every gold actor and recipient is
found among the coded ones; for CONSULT the participants are compared as one unordered set, as
PLOVER lists them.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

from .record import Record

UNORDERED = {"CONSULT"}


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the file and the reason."""


# --------------------------------------------------------------------------- names


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

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.true_positives, "found": self.found, "gold": self.gold,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(frozen=True)
class GoldActor:
    name: str
    kind: str
    country: Optional[str]
    aliases: tuple[str, ...]


def _gold_actors(gold: dict) -> dict[str, GoldActor]:
    return {a["name"]: GoldActor(a["name"], a.get("kind", "person"), a.get("country"),
                                 tuple(a.get("aliases_in_text", []))) for a in gold.get("actors", [])}


def _party_match(name: str, coded, actors: dict[str, GoldActor]) -> bool:
    """A gold actor name against a coded Actor (or a plain coded name)."""
    gold = actors.get(name)
    coded_name = coded if isinstance(coded, str) else coded.name
    if names_match(name, coded_name, gold.aliases if gold else ()):
        return True
    if gold is None or isinstance(coded, str) or gold.kind == "person" or not gold.country:
        return False
    return coded.country == gold.country


def _covered(names: list[str], coded: list, actors: dict[str, GoldActor]) -> bool:
    return all(any(_party_match(n, c, actors) for c in coded) for n in names)


# --------------------------------------------------------------------------- article fields


def _event_matches(gold_event: dict, coded, by_id: dict, actors: dict[str, GoldActor]) -> bool:
    if gold_event["event"] != coded.event:
        return False
    acting = [by_id[i] for i in coded.actor if i in by_id]
    receiving = [by_id[i] for i in coded.recipient if i in by_id]
    joint = len(gold_event["actor"]) > 1 and not gold_event.get("recipient")  # "A and B agreed": either may lead
    if gold_event["event"] in UNORDERED or joint:
        return _covered(gold_event["actor"] + gold_event.get("recipient", []), acting + receiving, actors)
    return _covered(gold_event["actor"], acting, actors) and _covered(gold_event.get("recipient", []), receiving, actors)


def _pairs(golds: list, coded: list, match) -> list[tuple[Any, Any]]:
    """The largest one-to-one matching of gold to coded items (augmenting paths), so that a
    lenient match cannot take the coded item another gold item needed."""
    options = [[j for j, c in enumerate(coded) if match(g, c)] for g in golds]
    owner: dict[int, int] = {}  # coded index -> gold index

    def place(i: int, seen: set[int]) -> bool:
        for j in options[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(golds)):
        place(i, set())
    return sorted(((golds[i], coded[j]) for j, i in owner.items()), key=lambda p: golds.index(p[0]))


def match_events(record: Record, gold: dict) -> list[tuple[dict, Any]]:
    by_id = {a.id: a for a in record.actors}
    actors = _gold_actors(gold)
    return _pairs(gold.get("events", []), record.events, lambda g, c: _event_matches(g, c, by_id, actors))


def score_events(record: Record, gold: dict) -> Score:
    """Every coded event counts as found; a gold event is found when one coded event matches it."""
    return Score(len(match_events(record, gold)), len(record.events), len(gold.get("events", [])))


def score_actors(record: Record, gold: dict, kinds: Iterable[str] = ("person",)) -> Score:
    """Actors of these kinds found with their name and the right country."""
    kinds = set(kinds)
    coded = [(a.name, a.country) for a in record.actors if a.kind in kinds]
    wanted = [(a["name"], a.get("country"), tuple(a.get("aliases_in_text", []))) for a in gold.get("actors", [])
              if a.get("kind", "person") in kinds]
    score = Score(found=len(coded), gold=len(wanted))
    for name, country, aliases in wanted:
        if any(names_match(name, c, aliases) and country == cc for c, cc in coded):
            score.true_positives += 1
    return score


def _span_of(item: dict, text: str, where: str) -> tuple[int, int]:
    """A gold quote's place in the article: ``span`` [start, end] or a unique ``text_contains``."""
    if "span" in item:
        start, end = item["span"]
        if not (0 <= start < end <= len(text)):
            raise GoldError(f"{where}: span {item['span']} is outside the article text ({len(text)} characters)")
        return start, end
    needle = item.get("text_contains")
    if not needle:
        raise GoldError(f"{where}: needs 'span' or 'text_contains'")
    at = text.find(needle)
    if at < 0 or text.find(needle, at + 1) >= 0:
        raise GoldError(f"{where}: text_contains {needle!r} must occur exactly once in the article")
    return at, at + len(needle)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Shared characters over the shorter span: a partial quote inside a longer report still meets it."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter / min(a[1] - a[0], b[1] - b[0]) if inter > 0 else 0.0


def score_quotes(record: Record, gold: dict, where: str = "gold") -> tuple[Score, Score, dict]:
    """(attributed, located, by kind): a quote is located when its span overlaps the gold span by
    half the shorter one, attributed when its speaker also matches (null only with null)."""
    text = record.article.text
    actors = _gold_actors(gold)
    by_id = {a.id: a for a in record.actors}
    golds = [(q, _span_of(q, text, f"{where} quotes[{i}]")) for i, q in enumerate(gold.get("quotes", []))]
    coded = [(q, (q.span.start, q.span.end)) for q in record.quotes]

    def located(g, c) -> bool:
        return _overlap(g[1], c[1]) >= 0.5

    def speaker_ok(g, c) -> bool:
        want, got = g[0].get("speaker"), by_id.get(c[0].speaker) if c[0].speaker else None
        return got is None if want is None else got is not None and _party_match(want, got, actors)

    def paired(match) -> list:
        # same kind first, then any kind, so a partial quote inside an indirect one meets its own gold
        first = _pairs(golds, coded, lambda g, c: g[0].get("kind") == c[0].kind and match(g, c))
        rest_g = [g for g in golds if all(g is not p[0] for p in first)]
        rest_c = [c for c in coded if all(c is not p[1] for p in first)]
        return first + _pairs(rest_g, rest_c, match)

    attributed = paired(lambda g, c: located(g, c) and speaker_ok(g, c))
    spans = paired(located)
    kinds: dict[str, dict[str, int]] = {}
    for q, _ in golds:
        k = kinds.setdefault(q.get("kind") or "?", {"gold": 0, "attributed": 0})
        k["gold"] += 1
    for g, _ in attributed:
        kinds[g[0].get("kind") or "?"]["attributed"] += 1
    return (Score(len(attributed), len(coded), len(golds)), Score(len(spans), len(coded), len(golds)), kinds)


_AMOUNT_TOLERANCE = 0.01


def _commitment_matches(g: dict, c, by_id: dict, actors: dict[str, GoldActor]) -> bool:
    if g.get("kind", "money") != c.kind:
        return False
    if g.get("amount") is not None:
        if c.amount is None or abs(c.amount - g["amount"]) > _AMOUNT_TOLERANCE * g["amount"]:
            return False
        if g.get("currency") and c.currency != g["currency"]:
            return False
    if g.get("quantity") is not None and c.quantity != g["quantity"]:
        return False
    if g.get("item") and not (c.item and _doc_names_match(g["item"], (), c.item, ())):
        return False
    givers = [by_id[i] for i in c.giver if i in by_id]
    receivers = [by_id[i] for i in c.recipient if i in by_id]
    return _covered(g.get("giver", []), givers, actors) and _covered(g.get("recipient", []), receivers, actors)


def match_commitments(record: Record, gold: dict) -> list[tuple[dict, Any]]:
    by_id = {a.id: a for a in record.actors}
    actors = _gold_actors(gold)
    return _pairs(gold.get("commitments", []), record.commitments,
                  lambda g, c: _commitment_matches(g, c, by_id, actors))


_DOC_STOP = {"the", "a", "an", "of", "for", "and", "on", "to", "in", "'s", "s"}


def _doc_words(name: str) -> set[str]:
    words = re.findall(r"[\w-]+", fold(name).replace("’", "'"))
    out = set()
    for w in words:
        if w in _DOC_STOP:
            continue
        out.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out


def _doc_names_match(gold: str, gold_aliases: Iterable[str], coded: str, coded_aliases: Iterable[str]) -> bool:
    """Documents are named by several words ("28-point plan" is not "development plan"): one name's
    content words must all be in the other's, plurals folded."""
    for g in (gold, *gold_aliases):
        gw = _doc_words(g)
        for c in (coded, *coded_aliases):
            cw = _doc_words(c)
            if gw and cw and (gw <= cw or cw <= gw):
                return True
    return False


def match_documents(record: Record, gold: dict) -> list[tuple[dict, Any]]:
    return _pairs(gold.get("documents", []), record.documents,
                  lambda g, c: _doc_names_match(g["name"], g.get("aliases", []), c.name, c.aliases))


def _attribute_accuracy(pairs: list, attribute: str, coded_attr: Optional[str] = None) -> Optional[dict]:
    """How often a matched item also has the gold value of an attribute (where the gold gives one)."""
    judged = [(g, c) for g, c in pairs if g.get(attribute) is not None]
    if not judged:
        return None
    right = sum(1 for g, c in judged if getattr(c, coded_attr or attribute) == g[attribute])
    return {"right": right, "of": len(judged), "accuracy": round(right / len(judged), 4)}


def _replaces_accuracy(record: Record, pairs: list) -> Optional[dict]:
    """Matched documents whose gold says what they replaced: is that among the coded ``replaces``?"""
    by_id = {d.id: d for d in record.documents}
    judged = [(g, c) for g, c in pairs if g.get("replaces")]
    if not judged:
        return None
    right = sum(1 for g, c in judged
                if any(i in by_id and _doc_names_match(g["replaces"], (), by_id[i].name, by_id[i].aliases)
                       for i in getattr(c, "replaces", [])))
    return {"right": right, "of": len(judged), "accuracy": round(right / len(judged), 4)}


ARTICLE_FIELDS = ("people", "actors", "events", "quotes", "quotes (located)", "commitments", "documents")


def score_article(record: Record, gold: dict, where: str = "gold") -> dict[str, Any]:
    """Scores of one article, per field; fields whose key the gold file lacks are left out."""
    scores: dict[str, Score] = {"people": score_actors(record, gold),
                                "actors": score_actors(record, gold, ("person", "state", "organisation"))}
    attributes: dict[str, Any] = {}
    if "events" in gold:
        pairs = match_events(record, gold)
        scores["events"] = Score(len(pairs), len(record.events), len(gold["events"]))
        attributes["events"] = {k: v for k, v in (("date", _attribute_accuracy(pairs, "date")),
                                                   ("mode", _attribute_accuracy(pairs, "mode")),
                                                   ("planned", _attribute_accuracy(pairs, "planned"))) if v}
    if "quotes" in gold:
        scores["quotes"], scores["quotes (located)"], attributes["quotes"] = score_quotes(record, gold, where)
    if "commitments" in gold:
        pairs = match_commitments(record, gold)
        scores["commitments"] = Score(len(pairs), len(record.commitments), len(gold["commitments"]))
        attributes["commitments"] = {k: v for k, v in (("status", _attribute_accuracy(pairs, "status")),
                                                        ("planned", _attribute_accuracy(pairs, "planned"))) if v}
    if "documents" in gold:
        pairs = match_documents(record, gold)
        scores["documents"] = Score(len(pairs), len(record.documents), len(gold["documents"]))
        attributes["documents"] = {k: v for k, v in (("status", _attribute_accuracy(pairs, "status")),
                                                      ("kind", _attribute_accuracy(pairs, "kind")),
                                                      ("replaces", _replaces_accuracy(record, pairs))) if v}
    return {"scores": scores, "attributes": attributes}


def load_gold(path: str | Path) -> dict:
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise GoldError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path}: not a JSON file ({exc})") from None
    if not isinstance(data, dict):
        raise GoldError(f"{path}: a gold file is a JSON object")
    return data


def _check_article_gold(gold: dict, where: str) -> None:
    if not isinstance(gold.get("article"), str) or not gold["article"]:
        raise GoldError(f"{where}: no 'article' (the path of the article file)")
    names = set()
    for i, a in enumerate(gold.get("actors", [])):
        if not isinstance(a, dict) or not a.get("name"):
            raise GoldError(f"{where}: actors[{i}] needs a name")
        names.add(a["name"])
    for key, roles in (("events", ("actor", "recipient")), ("commitments", ("giver", "recipient")),
                       ("quotes", ("speaker",))):
        for i, item in enumerate(gold.get(key, [])):
            if not isinstance(item, dict):
                raise GoldError(f"{where}: {key}[{i}] is not an object")
            if key == "events" and not item.get("event"):
                raise GoldError(f"{where}: events[{i}] has no event type")
            for role in roles:
                value = item.get(role)
                for name in ([value] if isinstance(value, str) else value or []):
                    if name not in names:
                        raise GoldError(f"{where}: {key}[{i}].{role} names {name!r}, which is not among the actors")
    for i, d in enumerate(gold.get("documents", [])):
        if not isinstance(d, dict) or not d.get("name"):
            raise GoldError(f"{where}: documents[{i}] needs a name")


def article_path(gold_path: Path, gold: dict) -> Path:
    """The article a gold file names: absolute, relative to the gold file, or relative to the
    working folder (``../shared/corpus/...`` from the project root)."""
    named = Path(gold["article"])
    if named.is_absolute():
        return named
    beside = (gold_path.parent / named).resolve()
    if beside.exists():
        return beside
    here = (Path.cwd() / named).resolve()
    return here if here.exists() else beside


def evaluate_articles(gold_dir: str | Path, nlp=None) -> dict[str, Any]:
    """Code the article of every ``*.gold.json`` under ``gold_dir`` (or that one file) and score it.

    A gold file that cannot be used, or whose article is missing, is listed under ``errors`` with
    the reason; the others are scored. Raises GoldError when there is no gold file at all.
    """
    from .extract.pipeline import code_article
    from .nlp import load
    from .read import ReadError, read_path

    root = Path(gold_dir)
    if root.is_file():
        paths = [root]
    elif root.is_dir():
        paths = sorted(root.rglob("*.gold.json"))
    else:
        raise GoldError(f"{root}: no such file or folder")
    if not paths:
        raise GoldError(f"{root}: no *.gold.json files")
    nlp = nlp or load()
    totals = {f: Score() for f in ARTICLE_FIELDS}
    articles, errors = [], []
    for path in paths:
        try:
            gold = load_gold(path)
            _check_article_gold(gold, str(path))
            source = article_path(path, gold)
            if not source.exists():
                raise GoldError(f"{path}: article {gold['article']} not found (looked at {source})")
            try:
                article = read_path(source)[0]
            except ReadError as exc:
                raise GoldError(f"{path}: article {source}: {exc}") from None
            if gold.get("article_id") and gold["article_id"] != article.id:
                raise GoldError(f"{path}: the article text differs from the one the gold was written for "
                                f"({article.id}, gold {gold['article_id']}): its offsets would not hold")
            record = code_article(article, nlp)
            try:
                result = score_article(record, gold, str(path))
            except (KeyError, TypeError, ValueError) as exc:  # a field of the wrong shape
                raise GoldError(f"{path}: malformed gold ({type(exc).__name__}: {exc})") from None
        except GoldError as exc:
            errors.append(str(exc))
            continue
        for name, score in result["scores"].items():
            totals[name].add(score)
        articles.append({"gold": str(path), "article": str(source), "article_id": record.article.id,
                         "scores": {k: v.to_dict() for k, v in result["scores"].items()},
                         "attributes": result["attributes"]})
    return {"gold_dir": str(root), "articles": articles, "errors": errors,
            "overall": {k: v.to_dict() for k, v in totals.items() if v.gold or v.found}}


# --------------------------------------------------------------------------- PLOVER sentences

# Codes of the PLOVER gold records that name no state: an international or non-governmental
# organisation, matched by a coded actor of sector IGO or NGO (the gold writes "IGO" for Amnesty
# International and the Red Cross, "NGO" for forums and committees).
ORGANISATION_CODES = {"IGO", "NGO"}


@dataclass
class PloverItem:
    id: str
    text: str
    event: str                 # today's PLOVER name
    mode: Optional[str]        # today's mode, or None
    gold_event: str            # as written in the file
    source: list[str]
    target: list[str]
    reciprocal: bool           # the markup says SRC/TAR: roles may come either way round


def _codes(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []  # the gold writes "" or nothing for "no target"
    out = []
    for item in value:
        code = item.get("code") if isinstance(item, dict) else None
        if isinstance(code, str) and code.strip() and code.strip() not in out:
            out.append(code.strip())
    return out


def clean_sentence(text: str) -> str:
    """The gold sentences keep LaTeX quotes (``…''), escaped dollars and editorial braces."""
    text = text.replace("``", '"').replace("''", '"').replace("\\$", "$").strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    return text


def load_plover(path: str | Path) -> tuple[list[PloverItem], list[str]]:
    """(records to score, reasons for those skipped). Raises GoldError for a file that is not a list
    of PLOVER records. DOCUMENT records (the file's own documentation) are skipped silently."""
    from .ontology import load_ontology

    path = Path(path)
    try:
        raw = path.read_text("utf-8")
    except OSError as exc:
        raise GoldError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise GoldError(f"{path}: not UTF-8 text") from None
    if not raw.strip():
        raise GoldError(f"{path}: empty file")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        try:  # JSON Lines: one record a line
            data = [json.loads(line) for line in raw.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}: neither a JSON list nor JSON Lines ({exc})") from None
    if isinstance(data, dict) and "event" in data:  # JSON Lines of one record
        data = [data]
    if not isinstance(data, list) or not data:
        raise GoldError(f"{path}: expected a non-empty JSON list of PLOVER records")
    ontology = load_ontology()
    items, skipped = [], []
    for i, rec in enumerate(data):
        rid = rec.get("id", f"record {i}") if isinstance(rec, dict) else f"record {i}"
        if not isinstance(rec, dict):
            skipped.append(f"{rid}: not a JSON object")
            continue
        if rec.get("event") == "DOCUMENT":
            continue
        text = rec.get("text")
        if not isinstance(text, str) or not text.strip():
            skipped.append(f"{rid}: no text")
            continue
        try:
            event, mode = ontology.legacy_mode(str(rec.get("event")), rec.get("mode") or None)
        except KeyError:
            skipped.append(f"{rid}: unknown event {rec.get('event')!r}")
            continue
        markup = (rec.get("textInfo") or {}).get("markup", "") if isinstance(rec.get("textInfo"), dict) else ""
        items.append(PloverItem(id=str(rid), text=clean_sentence(text), event=event, mode=mode,
                                gold_event=str(rec["event"]), source=_codes(rec.get("source")),
                                target=_codes(rec.get("target")), reciprocal="SRC/TAR" in markup))
    if not items:
        raise GoldError(f"{path}: no PLOVER record with a sentence and a known event")
    return items, skipped


def code_sentences(items: list[PloverItem], nlp=None, batch_size: int = 16) -> list[Record | str]:
    """Each sentence coded alone, as an article of one paragraph; one pipeline, batched parsing.
    A sentence that cannot be coded gives the reason instead of a record."""
    from .extract.pipeline import code_article
    from .nlp import load, parse_many
    from .read import read_text

    nlp = nlp or load()
    articles = [read_text(item.text, fmt="plain") for item in items]
    parsed = parse_many([a.text for a in articles], nlp, batch_size=batch_size)
    out: list[Record | str] = []
    for article, paragraphs in zip(articles, parsed):
        try:
            out.append(code_article(article, nlp, paragraphs))
        except Exception as exc:  # a coding bug must not lose the rest of the evaluation
            out.append(f"coding failed: {type(exc).__name__}: {exc}")
    return out


@dataclass
class _CodeMatcher:
    iso3: frozenset[str]

    def scorable(self, code: str) -> bool:
        return code in self.iso3 or code in ORGANISATION_CODES

    @staticmethod
    def hit(code: str, actors: list) -> bool:
        if code in ORGANISATION_CODES:
            return any(a.sector in ("IGO", "NGO") for a in actors)
        return any(a.country == code for a in actors)


def _score_item(item: PloverItem, record: Record, matcher: _CodeMatcher) -> dict[str, Any]:
    by_id = {a.id: a for a in record.actors}
    events = record.events
    found = [e.event for e in events]
    type_hit = item.event in found
    candidates = [e for e in events if e.event == item.event] or events
    source = [c for c in item.source if matcher.scorable(c)]
    target = [c for c in item.target if matcher.scorable(c)]
    unscored = [c for c in item.source + item.target if not matcher.scorable(c)]

    def sides(e) -> tuple[list, list]:
        acting = [by_id[i] for i in e.actor if i in by_id]
        receiving = [by_id[i] for i in e.recipient if i in by_id]
        if item.reciprocal or item.event in UNORDERED:
            return acting + receiving, acting + receiving
        return acting, receiving

    source_hits = target_hits = 0
    for e in candidates:  # the event that accounts for most gold codes
        acting, receiving = sides(e)
        hits = (sum(matcher.hit(c, acting) for c in source), sum(matcher.hit(c, receiving) for c in target))
        if sum(hits) > source_hits + target_hits:
            source_hits, target_hits = hits
    predicted = item.event if type_hit else (found[0] if found else None)
    mode_hit = None
    if item.mode is not None and type_hit:
        mode_hit = any(e.mode == item.mode for e in events if e.event == item.event)
    return {
        "id": item.id, "text": item.text, "gold_event": item.gold_event, "event": item.event, "mode": item.mode,
        "source": item.source, "target": item.target, "unscored_codes": unscored,
        "found": [{"event": e.event, "mode": e.mode, "trigger": e.event_text,
                   "actor": [f"{by_id[i].name} ({by_id[i].country or '?'})" for i in e.actor if i in by_id],
                   "recipient": [f"{by_id[i].name} ({by_id[i].country or '?'})" for i in e.recipient if i in by_id]}
                  for e in events],
        "predicted": predicted, "type_hit": type_hit, "mode_hit": mode_hit,
        "source_scored": len(source), "source_hits": source_hits,
        "target_scored": len(target), "target_hits": target_hits,
    }


def _ratio(num: int, den: int) -> Optional[float]:
    return round(num / den, 4) if den else None


def _summary(rows: list[dict]) -> dict[str, Any]:
    n = len(rows)
    src = sum(r["source_scored"] for r in rows), sum(r["source_hits"] for r in rows)
    tgt = sum(r["target_scored"] for r in rows), sum(r["target_hits"] for r in rows)
    modes = [r["mode_hit"] for r in rows if r["mode_hit"] is not None]
    return {
        "records": n,
        "type_hits": sum(r["type_hit"] for r in rows),
        "type_accuracy": _ratio(sum(r["type_hit"] for r in rows), n),
        "no_event": sum(1 for r in rows if not r["found"]),
        "no_event_rate": _ratio(sum(1 for r in rows if not r["found"]), n),
        "source_codes": src[0], "source_hits": src[1], "source_accuracy": _ratio(src[1], src[0]),
        "target_codes": tgt[0], "target_hits": tgt[1], "target_accuracy": _ratio(tgt[1], tgt[0]),
        "country_accuracy": _ratio(src[1] + tgt[1], src[0] + tgt[0]),
        "mode_judged": len(modes), "mode_accuracy": _ratio(sum(modes), len(modes)),
    }


def score_plover(items: list[PloverItem], records: list[Record]) -> dict[str, Any]:
    from .kb import load_kb

    matcher = _CodeMatcher(frozenset(c.iso3 for c in load_kb().countries))
    rows = [_score_item(item, record, matcher) for item, record in zip(items, records)]
    types = sorted({r["event"] for r in rows})
    confusion: dict[str, dict[str, int]] = {}
    for r in rows:
        row = confusion.setdefault(r["event"], {})
        key = r["predicted"] or "none"
        row[key] = row.get(key, 0) + 1
    return {
        "overall": _summary(rows),
        "per_type": {t: _summary([r for r in rows if r["event"] == t]) for t in types},
        "confusion": confusion,
        "unscored_codes": dict(Counter(c for r in rows for c in r["unscored_codes"])),
        "records": rows,
    }


def evaluate_plover(path: str | Path, nlp=None, limit: Optional[int] = None) -> dict[str, Any]:
    """Code every sentence of a PLOVER gold file (the first ``limit``) and score it."""
    items, skipped = load_plover(path)
    if limit is not None:
        items = items[:limit]
    records = code_sentences(items, nlp)
    skipped += [f"{item.id}: {r}" for item, r in zip(items, records) if isinstance(r, str)]
    kept = [(item, r) for item, r in zip(items, records) if not isinstance(r, str)]
    result = score_plover([i for i, _ in kept], [r for _, r in kept])
    result["file"] = str(path)
    result["skipped"] = skipped
    return result


# --------------------------------------------------------------------------- printing


def _pct(value: Optional[float]) -> str:
    return "—" if value is None else f"{value:.2f}"


# three letters per PLOVER type, so that the confusion matrix fits 80 columns
SHORT = {"ACCUSE": "ACC", "AGREE": "AGR", "AID": "AID", "ASSAULT": "ASS", "COERCE": "COE", "CONCEDE": "CNC",
         "CONSULT": "CNS", "COOPERATE": "COO", "MOBILIZE": "MOB", "PROTEST": "PRO", "REJECT": "REJ",
         "REQUEST": "REQ", "RETREAT": "RET", "SANCTION": "SAN", "SUPPORT": "SUP", "THREATEN": "THR"}


def render_plover(console, result: dict[str, Any], misses: bool = False) -> None:
    from rich import box
    from rich.table import Table

    o = result["overall"]
    console.print(f"[bold]{result['file']}[/bold]: {o['records']} sentences coded"
                  + (f", {len(result['skipped'])} skipped" if result["skipped"] else ""), highlight=False)
    summary = Table(show_header=False, box=None, padding=(0, 2))
    summary.add_row("event-type accuracy", _pct(o["type_accuracy"]), f"{o['type_hits']}/{o['records']}")
    summary.add_row("source country accuracy", _pct(o["source_accuracy"]), f"{o['source_hits']}/{o['source_codes']}")
    summary.add_row("target country accuracy", _pct(o["target_accuracy"]), f"{o['target_hits']}/{o['target_codes']}")
    summary.add_row("country accuracy", _pct(o["country_accuracy"]),
                    f"{o['source_hits'] + o['target_hits']}/{o['source_codes'] + o['target_codes']}")
    summary.add_row("no-event rate", _pct(o["no_event_rate"]), f"{o['no_event']}/{o['records']}")
    summary.add_row("mode accuracy (type found, gold mode given)", _pct(o["mode_accuracy"]), f"of {o['mode_judged']}")
    console.print(summary)
    if result["unscored_codes"]:
        codes = ", ".join(f"{c} ×{n}" for c, n in sorted(result["unscored_codes"].items()))
        console.print(f"codes that name no state or organisation, not scored: {codes}", highlight=False)

    per_type = Table(title="per event type", title_justify="left")
    for column in ("type", "n", "type acc.", "no event", "source acc.", "target acc.", "mode acc."):
        per_type.add_column(column, justify="left" if column == "type" else "right")
    for t, s in result["per_type"].items():
        per_type.add_row(t, str(s["records"]), _pct(s["type_accuracy"]), str(s["no_event"]),
                         _pct(s["source_accuracy"]), _pct(s["target_accuracy"]), _pct(s["mode_accuracy"]))
    console.print(per_type)

    columns = sorted({p for row in result["confusion"].values() for p in row if p != "none"}) + ["none"]
    short = {c: SHORT.get(c, c[:3]) for c in columns}
    short["none"] = "-"
    matrix = Table(title="confusion: gold type × coded type", title_justify="left", box=box.SIMPLE_HEAD,
                   padding=0, show_edge=False, pad_edge=False)
    matrix.add_column("gold", no_wrap=True, min_width=9)
    for c in columns:
        matrix.add_column(short[c], justify="right", no_wrap=True, min_width=len(short[c]))
    for gold_type, row in sorted(result["confusion"].items()):
        matrix.add_row(gold_type, *[str(row[c]) if row.get(c) else "·" for c in columns])
    console.print(matrix)
    console.print("  coded: the gold type when it is among the events found, else the first event; - no event. "
                  + ", ".join(f"{short[c]}={c}" for c in columns if c != "none"), highlight=False)
    if misses:
        wrong = [r for r in result["records"] if not r["type_hit"]
                 or r["source_hits"] < r["source_scored"] or r["target_hits"] < r["target_scored"]]
        table = Table(title=f"misses ({len(wrong)})", title_justify="left", show_lines=True)
        for column in ("id", "gold", "coded", "sentence"):
            table.add_column(column, overflow="fold")
        for r in wrong:
            coded = "; ".join(f"{e['event']} {','.join(e['actor'])} → {','.join(e['recipient'])} [{e['trigger']}]"
                              for e in r["found"]) or "—"
            table.add_row(r["id"], f"{r['event']} {','.join(r['source'])} → {','.join(r['target'])}", coded, r["text"])
        console.print(table)


def render_articles(console, result: dict[str, Any]) -> None:
    from rich.table import Table

    def table(title: str, scores: dict[str, dict]) -> Table:
        t = Table(title=title, title_justify="left")
        for column in ("field", "gold", "found", "matched", "P", "R", "F1"):
            t.add_column(column, justify="left" if column == "field" else "right")
        for name in ARTICLE_FIELDS:
            s = scores.get(name)
            if s:
                t.add_row(name, str(s["gold"]), str(s["found"]), str(s["tp"]),
                          f"{s['precision']:.2f}", f"{s['recall']:.2f}", f"{s['f1']:.2f}")
        return t

    for a in result["articles"]:
        console.print(table(Path(a["gold"]).name, a["scores"]))
        notes = []
        for name, attrs in a["attributes"].items():
            for attr, acc in (attrs or {}).items():
                if isinstance(acc, dict) and "accuracy" in acc:
                    notes.append(f"{name} {attr} {acc['right']}/{acc['of']}")
                elif isinstance(acc, dict):
                    notes.append(f"{name} {attr}: {acc['attributed']}/{acc['gold']} attributed")
        if notes:
            console.print("  matched items with the gold value: " + "; ".join(notes), highlight=False)
    console.print(table(f"overall ({len(result['articles'])} article(s))", result["overall"]))
