"""Quote attribution scored against PolNeAR (Political News Attribution Relations).

PolNeAR's brat standoff files (``attributions/*.ann``) join Source, Cue and Content spans by
Attribution events; offsets index the article's text file (``text/*.txt``). Each article is coded
by the whole pipeline (no publication date: PolNeAR gives none) and its quotes are compared:

* content: a quote matches an attribution when its span shares a letter or digit with the
  attribution's content; precision over quotes, recall over attributions that have content;
* characters: the letters and digits inside quotes against those inside gold contents (how
  much of the spans agree, not only whether they touch);
* source: for each matched attribution with a source, the quote (largest overlap) that carries
  a speaker names it rightly when one of the speaker's mentions, or the quote's speaker span,
  overlaps the source span, or a word of the speaker's name (3+ letters) is in the source text;
* attributed: both at once — precision over quotes with a speaker, recall over attributions with
  content and source.

Texts are read at run time from the folder given; nothing of them is stored.

    python -m parley.evaluate_quotes ../shared/data/polnear-dev [--limit N] [--json]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .record import Article, Record


@dataclass
class Attribution:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)


class PolnearError(ValueError):
    pass


def read_ann(path: Path) -> list[Attribution]:
    """The attributions of one brat .ann file; a malformed line raises PolnearError naming it."""
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[dict[str, str]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line[0] not in "TE":
            continue
        cols = line.split("\t")
        try:
            if line[0] == "T":
                _, ranges = cols[1].split(" ", 1)
                spans[cols[0]] = [(int(a), int(b)) for a, b in (r.split() for r in ranges.split(";"))]
            else:
                events.append(dict(part.split(":", 1) for part in cols[1].split()))
        except (IndexError, ValueError) as exc:
            raise PolnearError(f"{path.name}:{n}: not a brat annotation line ({exc})") from None
    out = []
    for ev in events:
        content = spans.get(ev.get("Content", ""), [])
        if not content:
            continue
        out.append(Attribution(content=content, source=spans.get(ev.get("Source", ""), []),
                               cue=spans.get(ev.get("Cue", ""), [])))
    return out


def load_polnear(folder: Path) -> list[tuple[str, str, list[Attribution]]]:
    """(name, text, attributions) per article; of several annotators' files the first by name."""
    text_dir, ann_dir = folder / "text", folder / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise PolnearError(f"{folder}: expected the folders text/ and attributions/")
    out = []
    for text_path in sorted(text_dir.glob("*.txt")):
        anns = sorted(ann_dir.glob(text_path.stem + "_????.ann"))
        if not anns:
            continue
        out.append((text_path.stem, text_path.read_text(encoding="utf-8"), read_ann(anns[0])))
    return out


def _overlap(a: tuple[int, int], spans: list[tuple[int, int]], text: str) -> int:
    """Letters and digits shared by span a and spans."""
    return sum(sum(ch.isalnum() for ch in text[max(a[0], s): min(a[1], e)]) for s, e in spans if max(a[0], s) < min(a[1], e))


def _fold(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", s.lower().replace("’", "'")) if len(w) >= 3}


def _names_source(record: Record, quote, source: list[tuple[int, int]], text: str) -> bool:
    if not source or quote.speaker is None:
        return False
    actor = next((a for a in record.actors if a.id == quote.speaker), None)
    if actor is None:
        return False
    spans = [(m.start, m.end) for m in actor.mentions]
    if quote.speaker_span:
        spans.append((quote.speaker_span.start, quote.speaker_span.end))
    if any(_overlap(s, source, text) for s in spans):
        return True
    source_words = set().union(*(_fold(text[s:e]) for s, e in source))
    return bool(_fold(actor.name) & source_words)


@dataclass
class Tally:
    quotes: int = 0
    quotes_matched: int = 0
    gold: int = 0
    gold_matched: int = 0
    gold_with_source: int = 0
    matched_with_source: int = 0      # matched attributions that have a source
    matched_with_speaker: int = 0     # ... whose best quote has a speaker
    source_correct: int = 0           # ... and names it rightly
    quotes_with_speaker: int = 0
    quotes_attributed: int = 0        # quotes with a speaker matching a gold content and its source
    gold_attributed: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [quotes, matched]
    chars_quoted: int = 0             # letters and digits inside quotes
    chars_gold: int = 0               # ... inside gold contents
    chars_both: int = 0               # ... inside both

    def add_article(self, record: Record, gold: list[Attribution]) -> None:
        text = record.article.text
        quotes = record.quotes
        quoted = {i for q in quotes for i in range(q.span.start, q.span.end) if text[i].isalnum()}
        golden = {i for g in gold for s, e in g.content for i in range(s, e) if text[i].isalnum()}
        self.chars_quoted += len(quoted)
        self.chars_gold += len(golden)
        self.chars_both += len(quoted & golden)
        self.quotes += len(quotes)
        self.gold += len(gold)
        for q in quotes:
            span = (q.span.start, q.span.end)
            hits = [g for g in gold if _overlap(span, g.content, text)]
            kind = self.by_kind.setdefault(q.kind, [0, 0])
            kind[0] += 1
            if hits:
                self.quotes_matched += 1
                kind[1] += 1
            if q.speaker:
                self.quotes_with_speaker += 1
                if any(_names_source(record, q, g.source, text) for g in hits):
                    self.quotes_attributed += 1
        for g in gold:
            overlaps = [(_overlap((q.span.start, q.span.end), g.content, text), q) for q in quotes]
            overlaps = [(n, q) for n, q in overlaps if n]
            if g.source:
                self.gold_with_source += 1
            if not overlaps:
                continue
            self.gold_matched += 1
            if any(_names_source(record, q, g.source, text) for _, q in overlaps):
                self.gold_attributed += 1
            if not g.source:
                continue
            self.matched_with_source += 1
            speaking = [(n, q) for n, q in overlaps if q.speaker]
            if speaking:
                self.matched_with_speaker += 1
                best = max(speaking, key=lambda nq: (nq[0], -nq[1].span.start))[1]
                self.source_correct += _names_source(record, best, g.source, text)

    def report(self) -> dict:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        def f1(p: float, r: float) -> float:
            return round(2 * p * r / (p + r), 3) if p + r else 0.0

        cp, cr = ratio(self.quotes_matched, self.quotes), ratio(self.gold_matched, self.gold)
        sp, sr = ratio(self.chars_both, self.chars_quoted), ratio(self.chars_both, self.chars_gold)
        ap, ar = ratio(self.quotes_attributed, self.quotes_with_speaker), ratio(self.gold_attributed, self.gold_with_source)
        return {
            "quotes": self.quotes, "attributions": self.gold,
            "content": {"precision": cp, "recall": cr, "f1": f1(cp, cr)},
            "characters": {"precision": sp, "recall": sr, "f1": f1(sp, sr)},
            "source": {"accuracy": ratio(self.source_correct, self.matched_with_speaker),
                       "speaker_found": ratio(self.matched_with_speaker, self.matched_with_source)},
            "attributed": {"precision": ap, "recall": ar, "f1": f1(ap, ar)},
            "by_kind": {k: {"quotes": n, "precision": ratio(m, n)} for k, (n, m) in sorted(self.by_kind.items())},
        }


def evaluate(folder: Path | str, limit: int | None = None, nlp=None) -> dict:
    """Score quote extraction on a PolNeAR folder (text/ + attributions/); returns the report dict."""
    from .extract.pipeline import code_article
    from .nlp import load
    from .read import article_id

    nlp = nlp or load()
    tally = Tally()
    articles = load_polnear(Path(folder))[:limit]
    for name, text, gold in articles:
        record = code_article(Article(id=article_id(text), text=text, title=name), nlp)
        tally.add_article(record, gold)
    report = tally.report()
    report["articles"] = len(articles)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parley.evaluate_quotes", description=__doc__.split("\n")[0])
    parser.add_argument("folder", help="a PolNeAR split: text/*.txt and attributions/*.ann")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.folder, args.limit)
    except (PolnearError, OSError, UnicodeDecodeError) as exc:
        print(f"parley: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"{report['articles']} articles, {report['quotes']} quotes, {report['attributions']} attributions")
    for part in ("content", "characters", "attributed"):
        r = report[part]
        print(f"{part:10}  P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
    s = report["source"]
    print(f"source      accuracy {s['accuracy']:.3f} (speaker found for {s['speaker_found']:.3f} of matched attributions)")
    for kind, r in report["by_kind"].items():
        print(f"  {kind:9} {r['quotes']:5} quotes, content precision {r['precision']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
