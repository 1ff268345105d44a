"""Outside input, checked the same way by every reader (spec/protocol.md#1.1,
spec/counting.md#limits): its limits (:mod:`~suffrage.inputs.limits`), strict hex
(:mod:`~suffrage.inputs.hexes`) and the strict JSON loader
(:mod:`~suffrage.inputs.strict_json`).

Like :mod:`suffrage.errors`, this package may be imported from any layer (it sits below
``core`` and ``counting``, which are siblings). It raises none of the project's errors: its
functions return a reason, or raise a :class:`JsonRefusal` the reader translates, so that
each reader raises its own error type with its own wording.
"""

from __future__ import annotations

from suffrage.inputs.hexes import strict_hex
from suffrage.inputs.limits import (
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_INTEGER,
    MAX_LINE,
    MAX_SEATS,
    integer_problem,
    json_problem,
    lone_surrogate_path,
    long_line,
    position,
    yaml_problem,
)
from suffrage.inputs.strict_json import (
    BeyondLimits,
    DuplicateKey,
    FloatRefused,
    IntegerRefused,
    JsonRefusal,
    NotANumber,
    load_strict_json,
    reload_own_json,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_INTEGER",
    "MAX_LINE",
    "MAX_SEATS",
    "BeyondLimits",
    "DuplicateKey",
    "FloatRefused",
    "IntegerRefused",
    "JsonRefusal",
    "NotANumber",
    "integer_problem",
    "json_problem",
    "load_strict_json",
    "lone_surrogate_path",
    "long_line",
    "position",
    "reload_own_json",
    "strict_hex",
    "yaml_problem",
]
