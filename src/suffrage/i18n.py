"""Catalogs of wording in the six UN languages (Arabic, Chinese, English, French, Russian,
Spanish), shared by the election reports and the electoral-assistance registry.

Each part has its catalog, ``i18n/<part>.<language>.json`` inside the package that owns the
part (``suffrage.reports`` by default, ``suffrage.assistance`` for the registry's): one flat
object of keys to strings with ``{name}`` placeholders. Every catalog of a part holds the same
keys, none empty (a test checks it), so a page never falls back to another language midway.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from suffrage.errors import InvalidInput, quote

__all__ = ["LANGUAGES", "RTL", "Catalog", "catalog"]

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
"""The six official languages of the United Nations, as BCP 47 tags."""
RTL = frozenset({"ar"})
"""Languages written right to left."""


class Catalog:
    """The strings of one part of the reports in one language."""

    __slots__ = ("language", "part", "strings")

    def __init__(self, part: str, language: str, strings: dict[str, str]) -> None:
        self.part = part
        self.language = language
        self.strings = strings

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``: the direction the language is written in."""
        return "rtl" if self.language in RTL else "ltr"

    def __call__(self, key: str, **values: Any) -> str:
        """The string of ``key`` with its ``{name}`` placeholders filled from ``values``."""
        try:
            text = self.strings[key]
        except KeyError:
            raise KeyError(f"{self.part}.{self.language}.json has no key {key!r}") from None
        return text.format(**values) if values else text


@cache
def catalog(part: str, language: str, package: str = "suffrage.reports") -> Catalog:
    """The catalog of ``part`` in ``language``, from ``package``'s ``i18n`` folder; refuses a
    language that is not one of the six."""
    if language not in LANGUAGES:
        raise InvalidInput("--language", f"{quote(language)} is not one of {', '.join(LANGUAGES)}")
    name = f"{part}.{language}.json"
    text = resources.files(package).joinpath("i18n", name).read_text("utf-8")
    strings = json.loads(text)
    if not isinstance(strings, dict):
        raise InvalidInput(name, "must be one JSON object of keys to strings")
    return Catalog(part, language, {str(k): str(v) for k, v in strings.items()})
