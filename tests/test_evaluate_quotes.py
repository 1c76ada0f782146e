"""Quote attribution scored against PolNeAR-style brat files: a folder written here, and PolNeAR's dev split."""
from __future__ import annotations

from pathlib import Path

import pytest

from parley.evaluate_quotes import PolnearError, evaluate, load_polnear, main, read_ann

POLNEAR_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear-dev"

RUTO = '"The talks were useful,"'
TEXT = (RUTO + ' Kenyan President William Ruto said on Monday.\n'
        "German Chancellor Friedrich Merz said the weather was fine.\n")


def _span(part: str) -> str:
    start = TEXT.index(part)
    return f"{start} {start + len(part)}"


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "wire_talks.txt").write_text(TEXT, encoding="utf-8")
    ann = "\n".join([
        f"T1\tContent {_span(RUTO)}\tx",
        f"T2\tCue {_span('said')}\tsaid",
        f"T3\tSource {_span('Kenyan President William Ruto')}\tKenyan President William Ruto",
        "E1\tAttribution:T2 Content:T1 Cue:T2 Source:T3",
        f"T4\tSource {_span('German Chancellor Friedrich Merz')}\tMerz",
        f"T5\tContent {_span('the weather was fine')}\tthe weather was fine",
        "E2\tAttribution:T2 Content:T5 Source:T4",
        # an attribution with a source the pipeline cannot resolve, and one with no content
        f"T6\tSource {_span('Monday')}\tMonday",
        "E3\tAttribution:T2 Source:T6",
    ]) + "\n"
    (tmp_path / "attributions" / "wire_talks_ab12.ann").write_text(ann, encoding="utf-8")
    return tmp_path


def test_read_ann(tmp_path):
    folder = _folder(tmp_path)
    (name, text, gold), = load_polnear(folder)
    assert name == "wire_talks" and text == TEXT
    assert len(gold) == 2  # E3 has no content
    assert text[slice(*gold[1].content[0])] == "the weather was fine"
    assert text[slice(*gold[0].source[0])] == "Kenyan President William Ruto"


def test_scores_a_folder(tmp_path, nlp):
    report = evaluate(_folder(tmp_path), nlp=nlp)
    assert report["articles"] == 1 and report["attributions"] == 2
    assert report["content"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert report["source"]["accuracy"] == 1.0 and report["attributed"]["recall"] == 1.0


def test_malformed_annotation_names_file_and_line(tmp_path):
    path = tmp_path / "bad_0000.ann"
    path.write_text("T1\tContent twelve 14\tx\n", encoding="utf-8")
    with pytest.raises(PolnearError, match=r"bad_0000\.ann:1"):
        read_ann(path)


def test_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert main([str(tmp_path / "nowhere")]) == 1
    assert "expected the folders text/ and attributions/" in capsys.readouterr().err


@pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason="PolNeAR dev split not present in ../shared/data")
def test_polnear_dev_floor(nlp):
    # measured on these 3 articles: content P 0.95 R 0.65, source accuracy 0.71 (84 articles: P 0.96 R 0.53)
    report = evaluate(POLNEAR_DEV, limit=3, nlp=nlp)
    assert report["content"]["precision"] >= 0.85 and report["content"]["recall"] >= 0.5
    assert report["source"]["accuracy"] >= 0.6
