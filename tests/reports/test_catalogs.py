"""Every report catalog exists in the six languages with the same keys, none empty."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from suffrage.errors import InvalidInput
from suffrage.i18n import LANGUAGES, catalog

FOLDER = resources.files("suffrage.reports").joinpath("i18n")
PARTS = sorted({p.name.split(".")[0] for p in FOLDER.iterdir() if p.name.endswith(".json")})


def _strings(part: str, language: str) -> dict[str, str]:
    data = json.loads(FOLDER.joinpath(f"{part}.{language}.json").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("part", PARTS)
def test_every_part_has_the_same_keys_in_every_language(part: str) -> None:
    english = _strings(part, "en")
    for language in LANGUAGES:
        strings = _strings(part, language)
        assert set(strings) == set(english), f"{part}.{language}.json keys differ from English"
        empty = [k for k, v in strings.items() if not isinstance(v, str) or not v.strip()]
        assert empty == [], f"{part}.{language}.json has empty strings: {empty}"
        for key, text in strings.items():
            wanted = set(re.findall(r"\{(\w+)\}", english[key]))
            assert set(re.findall(r"\{(\w+)\}", text)) == wanted, f"{part}.{language}: {key}"


def test_a_language_outside_the_six_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput, match="'de' is not one of ar, zh, en, fr, ru, es"):
        catalog("results", "de")
