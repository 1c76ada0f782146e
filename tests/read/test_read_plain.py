"""Plain text: paragraphs, title guess, encodings."""
from pathlib import Path

from parley.read import read_path, read_text

FIXTURES = Path(__file__).parent / "fixtures"


def test_plain_with_title_and_wrapped_paragraphs():
    (a,) = read_path(FIXTURES / "plain_sample.txt")
    assert a.title == "Ghana and Togo sign maritime border accord"
    lines = a.text.split("\n")
    assert lines[0] == a.title
    # hard-wrapped lines of one paragraph are joined with a space
    assert lines[1].startswith("ACCRA - Ghana and Togo signed an agreement on Thursday settling the maritime border")
    assert lines[1].endswith("stalled offshore oil exploration for a decade.")
    assert lines[2] == (
        "The accord was signed in Accra by Ghanaian Foreign Minister Kofi Mensah-Bonsu and his "
        "Togolese counterpart Edem Agbeko, according to a joint statement."
    )
    # list items stay on their own lines
    assert lines[-2:] == [
        "- The two sides will set up a joint development zone.",
        "- A technical commission will meet every six months.",
    ]
    assert a.source is None and a.published is None and a.section is None
    assert a.language == "en"


def test_plain_without_title_keeps_lines():
    (a,) = read_path(FIXTURES / "plain_no_title.txt")
    assert a.title is None
    assert a.text.split("\n") == [
        "The foreign ministers of Peru and Ecuador met in Lima on Monday to discuss water sharing.",
        "They agreed to meet again in Quito next month.",
        "No date was given for a final accord.",
    ]


def test_title_rules():
    body = "The two presidents met for three hours and agreed to meet again in the spring."
    assert read_text(f"Leaders meet in Brasilia\n{body}").title == "Leaders meet in Brasilia"
    assert read_text(f"Leaders met in Brasilia.\n{body}").title is None  # final period
    assert read_text(f"{'Very long first line ' * 10}\n{body}").title is None  # too long
    assert read_text(body).title is None  # one paragraph only


def test_newlines_bom_and_spaces_normalised(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes(
        "\ufeffEnvoys meet in Doha\r\n\r\nThe   envoys met\u00a0in Doha on Sunday\r\nto discuss a truce.\r\n\r\n\r\n\r\nNo deal was reached.\r\n".encode("utf-8")
    )
    (a,) = read_path(p)
    assert a.text == "Envoys meet in Doha\nThe envoys met in Doha on Sunday to discuss a truce.\nNo deal was reached."
    assert "\r" not in a.text and "\ufeff" not in a.text


def test_cp1252_file_is_decoded():
    raw = (FIXTURES / "cp1252.txt").read_bytes()
    try:
        raw.decode("utf-8")
        raise AssertionError("fixture should not be valid UTF-8")
    except UnicodeDecodeError:
        pass
    (a,) = read_path(FIXTURES / "cp1252.txt")
    assert a.title == "Canada and Mexico agree on seasonal workers \u2013 talks continue"
    assert "Canada\u2019s foreign minister" in a.text
    assert "\u201cboth governments\u201d" in a.text
    assert "caf\u00e9 of the Ch\u00e2teau Laurier" in a.text
    assert "Quer\u00e9taro" in a.text


def test_latin1_file_is_decoded(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes(
        "Spain and Portugal meet in M\u00e9rida\n\nThe prime ministers met in M\u00e9rida on Saturday and agreed "
        "to build a high-speed rail link to Lisbon, according to a joint declaration signed at the "
        "summit. Both governments will ask the European Commission for co-financing.\n".encode("latin-1")
    )
    (a,) = read_path(p)
    assert a.title == "Spain and Portugal meet in M\u00e9rida"
    assert "met in M\u00e9rida on Saturday" in a.text


def test_bytes_to_read_text():
    data = "Talks in Z\u00fcrich\nThe delegations met in Z\u00fcrich on Friday.".encode("cp1252")
    a = read_text(data)
    assert a.title == "Talks in Z\u00fcrich"


def test_other_single_byte_code_pages():
    from parley.read.base import decode_bytes

    polish = "Premier Polski spotkał się z prezydentem Litwy w Wilnie. Rozmowy dotyczyły bezpieczeństwa."
    assert decode_bytes(polish.encode("cp1250")) == polish
    russian = "Президент России провёл переговоры с премьер-министром Индии в Москве во вторник."
    assert decode_bytes(russian.encode("cp1251")) == russian
