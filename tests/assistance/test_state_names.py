"""The Member States' names in the six UN languages (spec/assistance.md#11.1): every State
has one in each language, in that language's script, the English ones are the table's, and a
name typed in any language finds its code."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from suffrage.assistance.regions import STATES, code_of, name_of
from suffrage.errors import InvalidInput
from suffrage.i18n import LANGUAGES

_NAMES = json.loads(
    resources.files("suffrage.assistance").joinpath("state_names.json").read_text("utf-8")
)["names"]

_SCRIPT = {
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "zh": re.compile(r"[\u4e00-\u9fff]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
}


def test_every_member_state_has_a_name_in_each_language_and_no_other_code_is_listed() -> None:
    assert set(_NAMES) == set(STATES)
    for code, names in _NAMES.items():
        assert list(names) == list(LANGUAGES), code
        for language, name in names.items():
            assert name, (code, language)
            assert name == " ".join(name.split()), (code, language)


@pytest.mark.parametrize("language", sorted(_SCRIPT))
def test_each_name_is_written_in_its_languages_script(language: str) -> None:
    wrong = [c for c, n in _NAMES.items() if not _SCRIPT[language].search(n[language])]
    assert wrong == []


def test_the_english_names_are_the_tables() -> None:
    assert {c: n["en"] for c, n in _NAMES.items()} == {c: s[0] for c, s in STATES.items()}


def test_names_follow_the_un_forms_in_each_language() -> None:
    assert name_of("BOL", "fr") == "Bolivie (État plurinational de)"
    assert name_of("BOL", "es") == "Bolivia (Estado Plurinacional de)"
    assert name_of("NPL", "zh") == "尼泊尔"
    assert name_of("NPL", "ru") == "Непал"
    assert name_of("NPL", "ar") == "نيبال"
    assert name_of("NLD", "ar") == "هولندا (مملكة -)"  # the source's "_" written as UN "-"
    assert name_of("NPL") == "Nepal"


def test_a_code_that_is_not_a_member_states_is_shown_as_it_is() -> None:
    assert name_of("XKX", "ar") == "XKX"


def test_a_language_that_is_not_one_of_the_six_is_refused() -> None:
    with pytest.raises(InvalidInput, match="'de' is not one of ar, zh, en, fr, ru, es"):
        name_of("NPL", "de")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        (" npl ", "NPL"),
        ("Népal", "NPL"),
        ("bolivie  (état plurinational de)", "BOL"),
        ("Гаити", "HTI"),
        ("尼泊尔", "NPL"),
        ("جمهورية تنزانيا المتحدة", "TZA"),
        ("Atlantis", "ATLANTIS"),
    ],
)
def test_a_name_typed_in_any_language_finds_its_code(typed: str, code: str) -> None:
    assert code_of(typed) == code
