"""tools/cameo_verb_gaps.py: reading a CAMEO verb-pattern dictionary and listing lexicon gaps.

The dictionary below is a few invented lines in the PETRARCH format (not the real file)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "cameo_verb_gaps.py"

DICTIONARY = """\
# header comment
&PEOPLE_
+CIVILIAN
+VILLAGER

--- GIVE_UP [080] ---
ZORBLE {ZORBLES ZORBLED }  # an invented verb
FLIMMER [0874]
+PLONK_DOWN
- * &PEOPLE [160]  # ZORBLE <xx 1 Jan 2000>
- * POSITIONS IN + [0874]  # ZORBLE <xx 1 Jan 2000>
- $ * + FOO [---]  # ZORBLE
--- NOCODE [---] ---
GRUMBLE
- * + THREAT [130]  # GRUMBLE
--- MEETING [040] ---
MEET
"""


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("cameo_verb_gaps", TOOL)
    module = importlib.util.module_from_spec(spec)
    sys.modules["cameo_verb_gaps"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def dictionary(tmp_path):
    path = tmp_path / "verbs.txt"
    path.write_text(DICTIONARY, encoding="utf-8")
    return path


def test_reads_verbs_phrasal_verbs_and_patterns(tool, dictionary):
    rows = tool.read_dictionary(dictionary)
    Row = tool.Row
    assert Row("verb", "zorble", "", "080") in rows
    assert Row("verb", "flimmer", "", "0874") in rows          # the verb's own code wins
    assert Row("phrasal", "plonk", "down", "080") in rows
    assert Row("pattern", "zorble", "&PEOPLE", "160") in rows   # synonym sets are named, not expanded
    assert Row("pattern", "zorble", "positions", "0874") in rows
    assert Row("pattern", "grumble", "threat", "130") in rows
    assert not any(r.lemma == "grumble" and r.kind == "verb" for r in rows)   # block code '---'
    assert not any(r.lemma == "civilian" for r in rows)         # synonym-set members are not verbs
    assert not any(r.cameo == "---" for r in rows)


def test_plover_of_falls_back_to_parent_code(tool):
    crosswalk = tool.read_crosswalk()
    assert tool.plover_of("0874", crosswalk)[0] == "RETREAT"
    assert tool.plover_of("18299", crosswalk)[0] == "ASSAULT"   # no such code: its parent 182
    assert tool.plover_of("010", crosswalk) == ("", "")          # CAMEO 01 has no PLOVER event


def test_lists_only_lemmas_missing_from_the_lexicon(tool, dictionary, capsys):
    assert tool.main([str(dictionary)]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert lines[0].split("\t")[:3] == ["plover_event", "lemma", "kind"]
    lemmas = {line.split("\t")[1] for line in lines[1:]}
    assert {"zorble", "flimmer", "plonk"} <= lemmas
    assert "meet" not in lemmas                                   # in lexicon.yaml already


def test_missing_file_is_a_clear_error(tool, tmp_path, capsys):
    assert tool.main([str(tmp_path / "nothing.txt")]) == 2
    assert "nothing.txt" in capsys.readouterr().err
