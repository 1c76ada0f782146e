#!/usr/bin/env python3
"""List CAMEO verbs and verb patterns whose lemma parley's trigger lexicon does not cover.

A review aid, not part of the runtime: its output is read by a person who then writes
hand-checked entries into ``src/parley/ontology/lexicon.yaml`` (no entry is generated).

Input: PETRARCH2's CAMEO verb-pattern dictionary (MIT licence, Copyright (c) 2014 Open Event
Data; "a composite of the TABARI CAMEO dictionaries and several synonym sets, primarily from
WordNet"), ``petrarch2/data/dictionaries/CAMEO.verbpatterns.150430.txt`` of
https://github.com/openeventdata/petrarch2. Get a copy with, for example::

    git -C /path/to/petrarch2 show HEAD:petrarch2/data/dictionaries/CAMEO.verbpatterns.150430.txt > verbs.txt

The dictionary is a list of verb blocks::

    --- RETREAT [080] ---          block header: name and default CAMEO code ("---": none)
    WITHDRAW {WITHDRAWS WITHDREW}  a verb (irregular forms in braces), optional own [code]
    +PULL_OUT                      a phrasal verb / verb + object
    - * &MILITARY FROM [0874]      a pattern: '*' is the verb; words after it are its object,
                                   particle or preposition ('+' target, '$' source, '^' skip,
                                   '&NAME' a synonym set)

Output (tab-separated, one row per verb sense): kind (``verb``: the bare verb's code;
``phrasal``: a multi-word verb; ``pattern``: the verb with the word after it), lemma, the
condition word (object/particle/preposition, or a synonym set name), CAMEO code, PLOVER event
and mode from ``src/parley/ontology/cameo.csv``, how often the pattern occurs, and whether the
lexicon already has the lemma (``new`` lemma, or ``new-condition`` when the lemma is there but no
entry names the condition word). Rows whose code has no PLOVER event (CAMEO 01, '---') are left out.

Usage::

    python tools/cameo_verb_gaps.py verbs.txt                  # lemmas missing from the lexicon
    python tools/cameo_verb_gaps.py verbs.txt --conditions     # also new conditions of known lemmas
    python tools/cameo_verb_gaps.py verbs.txt --event RETREAT  # one PLOVER event only
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

ONTOLOGY = Path(__file__).resolve().parents[1] / "src" / "parley" / "ontology"
HEADER = re.compile(r"^---\s*(\S+)\s*\[([^\]]*)\]")
CODE = re.compile(r"\[([0-9-]+)(?::[0-9-]+)?\]")
MARKERS = {"+", "$", "^", "%"}
PREPOSITIONS = {"to", "from", "with", "on", "against", "for", "into", "at", "in", "of", "over",
                "about", "upon", "toward", "towards", "between", "near", "along", "by"}
PARTICLES = {"out", "off", "up", "down", "back", "over", "away", "in", "aside"}


@dataclass(frozen=True)
class Row:
    kind: str
    lemma: str
    condition: str
    cameo: str


def _clean_code(text: str) -> str | None:
    m = CODE.search(text)
    return m.group(1) if m and m.group(1) != "---" else None


def _words(token: str) -> list[str]:
    return [w for w in token.lower().strip("_").split("_") if w]


def _condition(pattern: str) -> str | None:
    """The word that follows '*' in a pattern, skipping target/source markers."""
    tokens = pattern.split()
    if "*" not in tokens:
        return None
    for tok in tokens[tokens.index("*") + 1:]:
        if tok in MARKERS or tok.startswith("["):
            continue
        if tok.startswith("&"):
            return tok.rstrip("_")
        words = _words(tok.lstrip("+$^%"))
        return words[0] if words else None
    return None


def read_dictionary(path: Path) -> Counter[Row]:
    rows: Counter[Row] = Counter()
    block_code: str | None = None
    block_verbs: list[str] = []
    in_blocks = False  # synonym sets come first, before the first verb block
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        header = HEADER.match(line)
        if header:
            block_code, block_verbs, in_blocks = _clean_code(line), [], True
            continue
        if not in_blocks:
            continue
        if line.startswith("-"):
            pattern = line[1:]
            code = _clean_code(pattern)
            comment = raw.split("#", 1)[1] if "#" in raw else ""
            named = _words(comment.split()[0]) if comment.split() else []
            verb = named[0] if named else (block_verbs[0] if block_verbs else None)
            cond = _condition(CODE.sub("", pattern))
            if verb and code and cond:
                rows[Row("pattern", verb, cond, code)] += 1
            continue
        head = line.split("{", 1)[0].split("[", 1)[0].split()
        if not head:
            continue
        words = _words(head[0].lstrip("+"))
        code = _clean_code(line) or block_code
        if not words:
            continue
        block_verbs.append(words[0])
        if code is None:
            continue
        if len(words) == 1:
            rows[Row("verb", words[0], "", code)] += 1
        else:
            rows[Row("phrasal", words[0], " ".join(words[1:]), code)] += 1
    return rows


def read_crosswalk() -> dict[str, tuple[str, str]]:
    with open(ONTOLOGY / "cameo.csv", newline="", encoding="utf-8") as fh:
        return {r["cameo"]: (r["plover_event"], r["plover_mode"]) for r in csv.DictReader(fh)}


def plover_of(code: str, crosswalk: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """The crosswalk row of the code, else of its nearest parent code (1823 -> 182 -> 18)."""
    for n in range(len(code), 1, -1):
        if code[:n] in crosswalk:
            return crosswalk[code[:n]]
    return ("", "")


def read_lexicon() -> dict[str, set[str]]:
    """lemma -> every condition word its entries name (objects, preps, particles, modifiers)."""
    lexicon = yaml.safe_load((ONTOLOGY / "lexicon.yaml").read_text(encoding="utf-8"))
    known: dict[str, set[str]] = {}
    for entry in lexicon["triggers"]:
        words = known.setdefault(str(entry["lemma"]), set())
        for key in ("requires_object", "requires_pobj", "requires_prep", "requires_modifier", "preps"):
            words.update(str(w) for w in entry.get(key) or ())
        if entry.get("requires_particle"):
            words.add(str(entry["requires_particle"]))
    return known


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dictionary", type=Path, help="CAMEO.verbpatterns.150430.txt")
    ap.add_argument("--conditions", action="store_true", help="also list new conditions of lemmas the lexicon has")
    ap.add_argument("--event", help="only rows coded as this PLOVER event")
    args = ap.parse_args(argv)
    if not args.dictionary.is_file():
        print(f"error: {args.dictionary}: no such file (see the usage in this script's docstring)", file=sys.stderr)
        return 2
    rows = read_dictionary(args.dictionary)
    crosswalk = read_crosswalk()
    known = read_lexicon()
    out = []
    for row, count in rows.items():
        event, mode = plover_of(row.cameo, crosswalk)
        if not event or (args.event and event != args.event.upper()):
            continue
        if row.lemma not in known:
            status = "new"
        elif args.conditions and row.condition and not row.condition.startswith("&") \
                and row.condition.split()[0] not in known[row.lemma]:
            status = "new-condition"
        else:
            continue
        out.append((event, row.lemma, row.kind, row.condition, row.cameo, mode, count, status))
    out.sort(key=lambda r: (r[0], r[1], r[2] != "verb", r[3], r[4]))
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    writer.writerow(["plover_event", "lemma", "kind", "condition", "cameo", "plover_mode", "count", "status"])
    writer.writerows(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
