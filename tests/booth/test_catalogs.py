"""The booth's interface strings: every language complete (issue 14, point 4).

Each catalog of web/booth/src/ui/i18n has exactly the keys of the English one, none empty,
each with the same placeholders; every key the booth's code uses exists, and every key a
catalog holds is used (a string nobody sees is a string nobody keeps up to date).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

BOOTH = Path(__file__).resolve().parents[2] / "web" / "booth"
CATALOGS = BOOTH / "src" / "ui" / "i18n"
LANGUAGES = ["ar", "zh", "en", "fr", "ru", "es"]


def catalog(language: str) -> dict[str, str]:
    data = json.loads((CATALOGS / f"{language}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{(\w+)\}", text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_string(language: str) -> None:
    english, other = catalog("en"), catalog(language)
    assert sorted(set(english) - set(other)) == [], "missing"
    assert sorted(set(other) - set(english)) == [], "not in English"
    empty = [key for key, text in other.items() if not isinstance(text, str) or not text.strip()]
    assert empty == []
    mismatched = [k for k in english if placeholders(english[k]) != placeholders(other[k])]
    assert mismatched == []


def test_the_languages_are_the_six_of_the_united_nations() -> None:
    assert sorted(p.stem for p in CATALOGS.glob("*.json")) == sorted(LANGUAGES)


def test_every_key_used_exists_and_every_key_is_used() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (BOOTH / "src" / "ui").glob("*.js"))
    used = set(re.findall(r'(?:say|heading|t\(state\.language,)\(?"([a-z_]+(?:\.[a-z_]+)+)"', code))
    used |= set(re.findall(r'\["(rule\.[a-z_]+)"', code))
    used |= set(re.findall(r'"((?:audio|checked|status|check)\.[a-z_]+)"', code))
    problems = re.findall(
        r'"(empty|length|character|check)"', (BOOTH / "src" / "crypto" / "errors.js").read_text()
    )
    assert "credential.error.${error.problem}" in code
    used |= {f"credential.error.{p}" for p in problems}
    english = set(catalog("en"))
    assert sorted(used - english) == [], "used but not in the catalogs"
    assert sorted(english - used) == [], "in the catalogs but never used"
