"""The README's data dictionary is the one schemas/tables.yaml generates."""

from schemas.dictionary import render
from tests.conftest import ROOT


def test_readme_dictionary_is_current() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = text.index("<!-- dictionary:start -->\n"), text.index("<!-- dictionary:end -->")
    assert text[start + len("<!-- dictionary:start -->\n") : end] == render(), "run: python -m schemas.dictionary"
