"""JSON text for the count-file readers, within the limits of spec/counting.md#limits."""

from __future__ import annotations

import json
from typing import Any

from suffrage.errors import InvalidBallotData, quote
from suffrage.inputs import (
    BeyondLimits,
    DuplicateKey,
    JsonRefusal,
    NotANumber,
    load_strict_json,
    lone_surrogate_path,
)

__all__ = ["json_kind", "load_json"]

_KINDS = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "true or false",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def json_kind(value: Any) -> str:
    """What a JSON value is, in words for an error: ``a list``, ``null``, ``a string``."""
    return _KINDS.get(type(value), type(value).__name__)


def load_json(text: str, source: str) -> Any:
    """JSON ``text`` within the limits of spec/counting.md#limits, checked before parsing;
    a refusal names the file, the line and column, and what was wrong."""
    try:
        data = load_strict_json(text)
    except json.JSONDecodeError as error:
        where = f"{source} line {error.lineno}"
        raise InvalidBallotData(
            where, f"expected JSON, but it is not: {error.msg} (column {error.colno})"
        ) from None
    except JsonRefusal as refusal:
        raise InvalidBallotData(source, _refusal_reason(refusal)) from None
    bad = lone_surrogate_path(data)
    if bad is not None:
        raise InvalidBallotData(f"{source}: {bad}", "holds a lone surrogate: expected Unicode text")
    return data


def _refusal_reason(refusal: JsonRefusal) -> str:
    """The counting files' wording of a refused JSON document (spec/counting.md#limits)."""
    if isinstance(refusal, DuplicateKey):
        return f"key {quote(refusal.key)} appears twice; expected each key once"
    if isinstance(refusal, NotANumber):
        return f"{refusal.text} is not a number"
    if isinstance(refusal, BeyondLimits):
        return f"JSON {refusal.problem}"
    return refusal.reason  # an integer beyond ±(2^63 - 1)
