"""An article's text as HTML with every coded span of its record marked at its offsets.

Spans nest (a mention inside a quote) and may cross (a quote that ends inside a commitment). Marks
must nest in HTML, so a span that crosses another is cut into pieces; every piece carries the
span's full offsets (``data-start``/``data-end``), and the pieces of one span read in document
order give ``text[start:end]``. Spans of one kind at the same offsets (six phone calls reported by
one trigger) share one mark whose ``data-ids`` lists them all. All text is escaped here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..record import Record

# outer first when two spans start at the same offset with the same length
KINDS = ("quote", "commitment", "document", "event", "actor", "place")
_RANK = {k: i for i, k in enumerate(KINDS)}


@dataclass
class Mark:
    kind: str
    start: int
    end: int
    ids: list[str] = field(default_factory=list)
    css: str = ""  # extra classes: the event's quad category, planned, negated

    @property
    def key(self) -> tuple:
        return (self.start, -self.end, _RANK[self.kind])


def marks(record: Record, quad_of=None) -> list[Mark]:
    """The spans to mark in ``record.article.text``; ``quad_of(event_type)`` names its colour class."""
    n = len(record.article.text)
    found: dict[tuple, Mark] = {}

    def add(kind: str, start: int, end: int, ident: str, css: str = "") -> None:
        start, end = max(0, start), min(n, end)
        if end <= start:  # a span outside the text marks nothing
            return
        mark = found.setdefault((kind, start, end), Mark(kind, start, end, css=css))
        if ident not in mark.ids:
            mark.ids.append(ident)

    for a in record.actors:
        for m in a.mentions:
            add("actor", m.start, m.end, a.id)
    for p in record.places:
        for m in p.mentions:
            add("place", m.start, m.end, p.id)
    for e in record.events:
        css = [quad_of(e.event) if quad_of else ""]
        css += ["planned"] if e.planned else []
        css += ["negated"] if e.negated else []
        add("event", e.trigger.start, e.trigger.end, e.id, " ".join(c for c in css if c))
    for q in record.quotes:
        add("quote", q.span.start, q.span.end, q.id)
    for c in record.commitments:
        add("commitment", c.span.start, c.span.end, c.id)
    for d in record.documents:
        for m in d.mentions:
            add("document", m.start, m.end, d.id)
    return sorted(found.values(), key=lambda m: m.key)


def _open(mark: Mark, piece: bool) -> str:
    classes = f"hl hl-{mark.kind}" + (f" {mark.css}" if mark.css else "") + (" cont" if piece else "")
    return (f'<mark class="{classes}" data-kind="{mark.kind}" data-ids="{escape(" ".join(mark.ids))}" '
            f'data-start="{mark.start}" data-end="{mark.end}" tabindex="0">')


def render(text: str, spans: list[Mark]) -> Markup:
    """``text`` escaped, with ``<mark>`` elements for ``spans`` (sorted by :attr:`Mark.key`)."""
    cuts = sorted({0, len(text)} | {m.start for m in spans} | {m.end for m in spans})
    starting: dict[int, list[Mark]] = {}
    for m in spans:
        starting.setdefault(m.start, []).append(m)
    out: list[str] = []
    stack: list[Mark] = []
    for pos, nxt in zip(cuts, cuts[1:]):
        # close what ends here; marks opened inside one that ends are closed and opened again
        if any(m.end <= pos for m in stack):
            keep = [m for m in stack if m.end > pos]
            first = next(i for i, m in enumerate(stack) if m.end <= pos)
            out.append("</mark>" * (len(stack) - first))
            reopened = [m for m in stack[first:] if m.end > pos]
            stack = keep
            for m in reopened:
                out.append(_open(m, piece=True))
        for m in starting.get(pos, ()):
            # a new mark that outlives an open one cannot sit inside it: cut the open ones
            inner = [i for i, o in enumerate(stack) if o.end < m.end]
            if inner:
                first = inner[0]
                cut = stack[first:]
                out.append("</mark>" * len(cut))
                stack = stack[:first]
                out.append(_open(m, piece=False))
                stack.append(m)
                for o in cut:
                    out.append(_open(o, piece=True))
                    stack.append(o)
            else:
                out.append(_open(m, piece=False))
                stack.append(m)
        out.append(str(escape(text[pos:nxt])))
    out.append("</mark>" * len(stack))
    return Markup("".join(out))


def highlight(record: Record, quad_of=None) -> Markup:
    """The article text of ``record`` as HTML with its spans marked."""
    return render(record.article.text, marks(record, quad_of))
