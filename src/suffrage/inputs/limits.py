"""Limits on outside input, shared by every reader (spec/protocol.md#1.1, spec/counting.md#limits).

Manifests, records and count files come from outside, so each reader refuses input beyond
these limits before it parses it, and quotes at most 80 characters of it in an error
(:func:`suffrage.errors.quote`). Like :mod:`suffrage.errors`, this module may be imported from
any layer; it holds only pure functions that return a reason (or ``None``) and lets each
reader raise its own error type.

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

from suffrage.errors import clip, quote

__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_INTEGER",
    "MAX_LINE",
    "MAX_SEATS",
    "integer_problem",
    "json_problem",
    "lone_surrogate_path",
    "long_line",
    "position",
    "yaml_problem",
]

MAX_DEPTH = 64
MAX_DIGITS = 19
MAX_INTEGER = 2**63 - 1
MAX_LINE = 1024 * 1024
MAX_SEATS = 10_000


def position(text: str, index: int) -> str:
    """``line L, column C`` (both from 1) of the character at ``index`` of ``text``."""
    line = text.count("\n", 0, index) + 1
    column = index - text.rfind("\n", 0, index)
    return f"line {line}, column {column}"


def integer_problem(digits: str) -> str | None:
    """Why the integer literal ``digits`` (an optional sign, then digits) is refused, if it is;
    checked on its length first, so a 5,000-digit literal is never converted."""
    if len(digits.lstrip("+-")) > MAX_DIGITS or abs(int(digits)) > MAX_INTEGER:
        return f"integer {quote(digits, 24)} is outside ±(2^63 - 1)"
    return None


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
# A string (to its closing quote, or to the end of an unterminated one), a bracket, a number.
_JSON_TOKEN = re.compile(
    r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]|(-?[0-9]+)(\.[0-9]+)?([eE][-+]?[0-9]+)?', re.DOTALL
)


def json_problem(text: str, *, integers: bool = True, limit: int = MAX_DEPTH) -> str | None:
    """Why JSON ``text`` is refused before it is parsed, with its line and column: arrays and
    objects nested more than ``limit`` deep (the standard library's parser recurses once per
    level), or, if ``integers``, an integer literal beyond :func:`integer_problem` (``int()``
    refuses more than 4,300 digits). Linear: strings are skipped whole, never parsed."""
    if not integers and not _may_nest(text, limit):
        return None
    return _scan(text, integers=integers, limit=limit)


def _may_nest(text: str, limit: int) -> bool:
    """Whether ``text`` may nest deeper than ``limit``: a quick test that never misses (the
    record's large documents take it; only a ``True`` is looked at token by token)."""
    if text.count("[") + text.count("{") <= limit:
        return False  # brackets inside strings only raise this count
    # Without a backslash every '"' opens or closes a string: a split is far quicker.
    outside = "".join(text.split('"')[::2]) if "\\" not in text else _JSON_STRING.sub("", text)
    depth = 0
    for match in _BRACKET.finditer(outside):
        depth += 1 if match.group() in "[{" else -1
        if depth > limit:
            return True
    return False


def _scan(text: str, *, integers: bool, limit: int) -> str | None:
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        first = text[token.start()]
        if first in "[{":
            depth += 1
            if depth > limit:
                return f"nested more than {limit} levels deep ({position(text, token.start())})"
        elif first in "]}":
            depth -= 1
        elif integers and first != '"' and token.group(2, 3) == (None, None):
            problem = integer_problem(token.group(1))
            if problem is not None:
                return f"{problem} ({position(text, token.start())})"
    return None


def yaml_problem(text: str, limit: int = MAX_DEPTH) -> str | None:
    """Why YAML ``text`` is refused before it is composed: a line longer than :data:`MAX_LINE`,
    nesting beyond ``limit`` (PyYAML's composer recurses once per level) or an alias (anchors
    and aliases have no place in a plain document, and an alias bomb grows exponentially).
    Syntax errors are left to the loader, which reports them with their line and column."""
    number = long_line(text)
    if number is not None:
        return f"line {number} is longer than the limit of {MAX_LINE} bytes"
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
    (a lone surrogate such as the JSON escape ``\\ud800``), or ``None``; each key in the path
    is cut to 80 characters. Recursive, so call it only on a value whose depth was checked."""
    for where, text in _strings(value, path):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return where.encode("utf-8", "backslashreplace").decode("utf-8") or "(top)"
    return None


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            step = clip(str(key))
            where = f"{path}.{step}" if path else step
            if isinstance(key, str):
                yield where, key
            yield from _strings(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def long_line(text: str, limit: int = MAX_LINE) -> int | None:
    """The number (from 1) of the first line of ``text`` longer than ``limit`` bytes, if any."""
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > limit or (
            len(line) * 4 > limit and len(line.encode("utf-8", "surrogatepass")) > limit
        ):
            return number
    return None
