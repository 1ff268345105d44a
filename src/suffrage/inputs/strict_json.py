"""The one JSON loader for outside input: duplicate keys, NaN and Infinity refused, within the
limits of :mod:`suffrage.inputs.limits` (spec/protocol.md#1.1, spec/counting.md#limits).

The standard library's ``json.loads`` keeps the last of two equal keys and reads ``NaN``, so
two readers could see two different documents in the same bytes. :func:`load_strict_json`
refuses both, and raises a :class:`JsonRefusal` whose subclass says what is wrong; each
reader translates it, by type, into its own error and wording. Syntax errors are left as the
standard library's ``json.JSONDecodeError``, which carries the position each reader reports.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NoReturn

from suffrage.errors import clip, quote
from suffrage.inputs.limits import MAX_DEPTH, integer_problem, json_problem

__all__ = [
    "BeyondLimits",
    "DuplicateKey",
    "FloatRefused",
    "IntegerRefused",
    "JsonRefusal",
    "NotANumber",
    "load_strict_json",
    "reload_own_json",
]


class JsonRefusal(Exception):
    """A JSON document refused while it is read; ``reason`` says why in a sentence."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BeyondLimits(JsonRefusal):
    """Nested too deep, or an integer too long, found before parsing (``problem`` names the
    line and column)."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"JSON {problem}")
        self.problem = problem


class DuplicateKey(JsonRefusal):
    """An object holds ``key`` twice."""

    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {quote(key)}")
        self.key = key


class NotANumber(JsonRefusal):
    """``NaN``, ``Infinity`` or ``-Infinity``: accepted by Python, not JSON (RFC 8259)."""

    def __init__(self, text: str) -> None:
        super().__init__(f"{text} is not JSON")
        self.text = text


class FloatRefused(JsonRefusal):
    """A number with a fraction or an exponent where only integers are allowed."""

    def __init__(self, text: str) -> None:
        number = clip(text, 24)
        super().__init__(
            f"floating-point number {number} is not allowed (use a string or an integer)"
        )
        self.text = text


class IntegerRefused(JsonRefusal):
    """An integer outside the reader's range; ``reason`` is the reader's own sentence."""


def load_strict_json(
    text: str,
    *,
    floats: bool = True,
    integer: Callable[[str], str | None] = integer_problem,
    scan: bool = True,
    limit: int = MAX_DEPTH,
) -> Any:
    """The value of JSON ``text``, refused with a :class:`JsonRefusal` if it nests deeper than
    ``limit``, repeats a key, holds NaN or Infinity, holds a float (unless ``floats``) or an
    integer for which ``integer`` gives a reason. With ``scan``, integers beyond
    :func:`~suffrage.inputs.limits.integer_problem` are found before parsing, with their line
    and column; a reader whose ``integer`` is tighter may skip that linear scan."""
    problem = json_problem(text, integers=scan, limit=limit)
    if problem is not None:
        raise BeyondLimits(problem)
    return json.loads(
        text,
        object_pairs_hook=_without_duplicates,
        parse_constant=_refuse_constant,
        parse_int=_bounded(integer),
        parse_float=None if floats else _refuse_float,
    )


def reload_own_json(
    text: str, *, floats: bool = True, integer: Callable[[str], str | None] = integer_problem
) -> Any:
    """:func:`load_strict_json` for text this process encoded from a value in memory: it can
    hold no duplicate key and is no deeper than that value, so only numbers are checked
    (an encoder's self-check, spared the object hook and the scan for depth)."""
    return json.loads(
        text,
        parse_constant=_refuse_constant,
        parse_int=_bounded(integer),
        parse_float=None if floats else _refuse_float,
    )


def _without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def _refuse_constant(text: str) -> NoReturn:
    raise NotANumber(text)


def _refuse_float(text: str) -> NoReturn:
    raise FloatRefused(text)


def _bounded(integer: Callable[[str], str | None]) -> Callable[[str], int]:
    def convert(digits: str) -> int:
        reason = integer(digits)
        if reason is not None:
            raise IntegerRefused(reason)
        return int(digits)

    return convert
