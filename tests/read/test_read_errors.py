"""Every bad input: a ReadError that names the file and the reason."""
import codecs
from pathlib import Path

import pytest

from parley.read import ReadError, read_path, read_text

FIXTURES = Path(__file__).parent / "fixtures"


def _error(path, **kw) -> ReadError:
    with pytest.raises(ReadError) as err:
        read_path(path, **kw)
    return err.value


def test_missing_file(tmp_path):
    e = _error(tmp_path / "nowhere.txt")
    assert str(e) == f"{tmp_path / 'nowhere.txt'}: no such file"
    assert e.kind == "missing" and e.path == str(tmp_path / "nowhere.txt")


def test_folder_given_to_read_path(tmp_path):
    e = _error(tmp_path)
    assert e.kind == "not-a-file" and "is a folder" in str(e)


def test_empty_file():
    e = _error(FIXTURES / "empty.txt")
    assert str(e) == f"{FIXTURES / 'empty.txt'}: empty file"
    assert e.kind == "empty"


def test_whitespace_only_file():
    e = _error(FIXTURES / "whitespace.txt")
    assert str(e).endswith("whitespace.txt: empty file (only whitespace)")
    assert e.kind == "empty"


def test_binary_file():
    e = _error(FIXTURES / "binary.bin")
    assert str(e) == f"{FIXTURES / 'binary.bin'}: binary content, not text"
    assert e.kind == "binary"
    # even when the caller insists on a text format
    assert _error(FIXTURES / "binary.bin", fmt="plain").kind == "binary"


def test_binary_without_nul_bytes(tmp_path):
    p = tmp_path / "noise.dat"
    p.write_bytes(bytes((i * 73 + 41) % 128 + 128 for i in range(5000)))
    e = _error(p)
    assert e.kind == "binary" and "binary content, not text" in str(e)


def test_undecodable_utf16(tmp_path):
    p = tmp_path / "broken16.txt"
    p.write_bytes(codecs.BOM_UTF16_LE + "Talks".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    e = _error(p)
    assert e.kind == "undecodable" and "cannot decode as utf-16" in str(e)


def test_valid_utf16_with_bom(tmp_path):
    p = tmp_path / "ok16.txt"
    p.write_bytes("Envoys meet in Oslo\nThe envoys of both parties met in Oslo on Monday to resume talks on a ceasefire.".encode("utf-16"))
    (a,) = read_path(p)
    assert a.title == "Envoys meet in Oslo"


def test_over_default_size_limit(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_bytes(b"Talks continue. " * 387_500)  # 6.2 MB
    e = _error(p)
    assert str(e) == f"{p}: file is 6.2 MB, over the 5 MB limit (--max-bytes)"
    assert e.kind == "too-large"


def test_over_a_small_limit_and_no_limit():
    path = FIXTURES / "wire_sample.txt"
    size = path.stat().st_size
    assert 500 < size < 2_000
    e = _error(path, max_bytes=500)
    assert str(e) == f"{path}: file is {size} bytes, over the 500 bytes limit (--max-bytes)"
    e = _error(path, max_bytes=size - 1)
    assert e.kind == "too-large"
    assert len(read_path(path, max_bytes=size)) == 1
    assert len(read_path(path, max_bytes=None)) == 1
    assert len(read_path(path, max_bytes=0)) == 1


def test_unknown_format():
    e = _error(FIXTURES / "wire_sample.txt", fmt="docx")
    assert str(e) == f"{FIXTURES / 'wire_sample.txt'}: unknown format 'docx' (choose from wire, plain, html, feed, jsonl)"
    assert e.kind == "format"
    with pytest.raises(ReadError, match="<text>: unknown format 'pdf'"):
        read_text("Some text.", fmt="pdf")


def test_format_aliases():
    assert read_path(FIXTURES / "feed_atom.xml", fmt="atom")[0].source == "Council Watch"
    assert read_path(FIXTURES / "plain_sample.txt", fmt="txt")[0].title.startswith("Ghana and Togo")
    assert read_path(FIXTURES / "plain_sample.txt", fmt="auto")[0].title.startswith("Ghana and Togo")


@pytest.mark.parametrize("name, lang", [("french.txt", "fr"), ("german.txt", "de"), ("spanish.txt", "es")])
def test_non_english_skipped(name, lang):
    e = _error(FIXTURES / name)
    assert str(e) == f"{FIXTURES / name}: language '{lang}' is not English, skipped"
    assert e.kind == "language" and e.is_warning


@pytest.mark.parametrize("name, lang", [("french.txt", "fr"), ("german.txt", "de"), ("spanish.txt", "es")])
def test_non_english_allowed_on_request(name, lang):
    (a,) = read_path(FIXTURES / name, allow_language=None)
    assert a.language == lang
    (b,) = read_path(FIXTURES / name, allow_language=("en", lang))
    assert b.language == lang
    e = _error(FIXTURES / name, allow_language=("en", "it"))
    assert f"language '{lang}' is not among the allowed languages (en, it), skipped" in str(e)


def test_forced_wrong_format_is_malformed():
    e = _error(FIXTURES / "plain_sample.txt", fmt="feed")
    assert e.kind == "malformed" and str(e).startswith(f"{FIXTURES / 'plain_sample.txt'}: ")
    e = _error(FIXTURES / "plain_sample.txt", fmt="jsonl")
    assert "no article could be read" in str(e)


def test_empty_text_api():
    with pytest.raises(ReadError, match="<text>: empty text"):
        read_text("  \n ")
