"""Limits on outside input, shared by every reader (spec/protocol.md#1.1, spec/counting.md#limits).

Manifests, records and count files come from outside, so each reader refuses input beyond
these limits before it parses it, and quotes at most :data:`QUOTE_LENGTH` characters of it in
an error. Like :mod:`suffrage.errors`, this module may be imported from any layer; it holds
only pure functions that return a reason (or ``None``) and lets each reader raise its own
error type.

=================  ===========================================================
nesting depth      at most 64 arrays or objects (JSON), collections (YAML)
integers           at most 19 digits, within ``-(2^63 - 1) .. 2^63 - 1``
line length        at most 1 MiB (1,048,576 bytes) in line-oriented formats
seats              at most 10,000
=================  ===========================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

__all__ = [
    "MAX_DEPTH",
    "MAX_INTEGER",
    "MAX_LINE",
    "MAX_SEATS",
    "QUOTE_LENGTH",
    "integer_problem",
    "json_depth_problem",
    "lone_surrogate_path",
    "long_line",
    "quote",
    "yaml_problem",
]

MAX_DEPTH = 64
MAX_INTEGER = 2**63 - 1
MAX_LINE = 1024 * 1024
MAX_SEATS = 10_000
QUOTE_LENGTH = 80


def quote(value: object, limit: int = QUOTE_LENGTH) -> str:
    """``value`` quoted for an error message (``repr``), showing at most ``limit`` characters
    of a long text and saying how long it was."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}... ({len(value)} characters)"
    text = repr(value)
    return text if len(text) <= limit + 2 else f"{text[:limit]}... ({len(text)} characters)"


def integer_problem(digits: str) -> str | None:
    """Why the integer literal ``digits`` (an optional sign, then digits) is refused, if it is;
    checked on its length first, so a 5,000-digit literal is never converted."""
    body = digits.lstrip("+-")
    if len(body) > 19 or abs(int(digits)) > MAX_INTEGER:
        return f"integer {quote(digits, 24)} is outside ±(2^63 - 1)"
    return None


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth_problem(text: str, limit: int = MAX_DEPTH) -> str | None:
    """Why JSON ``text`` nests too deeply, found before any parsing (the standard library's
    parser recurses once per level): strings are cut out, then the brackets are counted."""
    # Without a backslash every '"' opens or closes a string: a split is far quicker.
    outside = "".join(text.split('"')[::2]) if "\\" not in text else _JSON_STRING.sub("", text)
    if outside.count("[") + outside.count("{") <= limit:
        return None
    depth = 0
    for match in _BRACKET.finditer(outside):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return f"nested more than {limit} levels deep"
        else:
            depth -= 1
    return None


def yaml_problem(text: str, limit: int = MAX_DEPTH) -> str | None:
    """Why YAML ``text`` is refused before it is composed: nesting beyond ``limit`` (PyYAML's
    composer recurses once per level) or an alias (anchors and aliases have no place in a
    plain document, and an alias bomb grows exponentially). Syntax errors are left to the
    loader, which reports them with their line and column."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limit:
                    return f"nested more than {limit} levels deep{_where(event)}"
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                return f"aliases are not allowed{_where(event)}"
    except yaml.YAMLError:
        return None
    return None


def _where(event: yaml.Event) -> str:
    mark = event.start_mark
    return "" if mark is None else f" (line {mark.line + 1}, column {mark.column + 1})"


def lone_surrogate_path(value: Any, path: str = "") -> str | None:
    """The path of the first string in ``value`` (keys included) that is not Unicode text
    (a lone surrogate such as the JSON escape ``\\ud800``), or ``None``. Recursive, so call
    it only on a value whose depth was checked."""
    for where, text in _strings(value, path):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return where or "(top)"
    return None


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str):
                yield where, key
            yield from _strings(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def long_line(text: str, limit: int = MAX_LINE) -> int | None:
    """The number (from 1) of the first line of ``text`` longer than ``limit`` bytes, if any."""
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > limit or (len(line) * 4 > limit and len(line.encode()) > limit):
            return number
    return None
