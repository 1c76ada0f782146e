from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
REFERENCE = CORPUS / "anadolu-2025-12-27-ukraine-diplomacy.txt"
FIXTURES = Path(__file__).parent / "fixtures" / "articles"


@pytest.fixture(scope="session")
def nlp():
    from parley.nlp import load

    return load()


@pytest.fixture(scope="session")
def code(nlp):
    """Code a text with the real pipeline: code(text, published=...) -> Record."""
    from parley.extract.pipeline import code_article
    from parley.read import read_text

    def run(text: str, published: str | None = "2025-12-27T07:10:00", fmt: str = "plain"):
        return code_article(read_text(text, fmt=fmt, published=published), nlp)

    return run


@pytest.fixture(scope="session")
def reference_record(nlp):
    if not REFERENCE.exists():
        pytest.skip("the reference article in ../shared/corpus is not present")
    from parley.extract.pipeline import code_article
    from parley.read import read_path

    return code_article(read_path(REFERENCE)[0], nlp)
