"""The manifest's validation rules, on plain data (spec/record-format.md#manifest-validation).

:func:`schema_errors` runs the JSON Schema and words each failure as an
:class:`~suffrage.errors.InvalidManifest` naming the field; :func:`semantic_errors` applies
the rules a schema cannot express, on data the schema accepted.
:mod:`suffrage.protocol.manifest_loaders` reads manifest text strictly, and
:mod:`suffrage.protocol.manifest` builds the typed manifest on top of these.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from fractions import Fraction
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

from suffrage.errors import InvalidManifest, clip, quote

__all__ = [
    "MAX_RANKED_OPTIONS",
    "RANKED_RULES",
    "schema_errors",
    "semantic_errors",
    "sorted_errors",
]

_Path = Sequence[str | int]
_Errors = list[InvalidManifest]


def _field(path: _Path) -> str:
    """``("contests", 2, "options", 0, "name", "fr")`` -> ``contests[2].options[0].name.fr``;
    a key from the input longer than 80 characters is cut (spec/protocol.md#1.1)."""
    text = ""
    for step in path:
        name = clip(str(step))
        text += f"[{step}]" if isinstance(step, int) else (f".{name}" if text else name)
    return text or "manifest"


# --- the JSON Schema, worded --------------------------------------------------------------

# `extend` is untyped in the stubs.
_Validator = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many(
        {
            "integer": lambda _, value: isinstance(value, int) and not isinstance(value, bool),
            "object": lambda _, value: isinstance(value, Mapping),
            "array": lambda _, value: isinstance(value, list),
        }
    ),
)

_PATTERN_WORDS = {
    "id": "must be 1 to 64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit",
    "time": "must be an ISO 8601 date-time with seconds and a timezone, "
    "like 2025-05-04T08:00:00+02:00 or 2025-05-04T06:00:00Z",
    "fraction": 'must be a fraction written as a string, like "0.25" or "2/3"',
}


def schema_errors(data: Any, schema: Mapping[str, Any]) -> _Errors:
    """Every schema failure of ``data``, in the order of the fields they name."""
    return sorted_errors(
        [
            InvalidManifest(field, reason)
            for error in _Validator(schema).iter_errors(data)
            for field, reason in _worded(error, data, schema)
        ]
    )


# Fields sort in the order a manifest is written, so that the first error is the first met.
# fmt: off
_FIELD_ORDER = {name: rank for rank, name in enumerate((
    "spec_version", "election_id", "title", "start", "end", "languages", "contests",
    "ballot_styles", "contest_id", "style_id", "kind", "name", "party", "districts",
    "votes_allowed", "seats", "method", "threshold", "first_divisor", "quorum",
    "supermajority", "options", "option_id", "contest_ids",
))}
# fmt: on


def _sort_key(field: str) -> list[tuple[int, int | str]]:
    steps = re.findall(r"\[(\d+)\]|([^.\[\]]+)", field)
    return [
        (int(index), "") if index else (_FIELD_ORDER.get(name, 99), name) for index, name in steps
    ]


def sorted_errors(errors: _Errors) -> _Errors:
    """``errors`` without repeats, in the order of the fields they name."""
    unique = {(error.field, error.reason): error for error in errors}
    return sorted(unique.values(), key=lambda error: _sort_key(error.field))


def _worded(error: ValidationError, data: Any, schema: Mapping[str, Any]) -> list[tuple[str, str]]:
    path = list(error.absolute_path)
    instance: Any = error.instance
    rule_schema: Any = error.schema
    if error.validator == "required":
        missing = [name for name in rule_schema["required"] if name not in instance]
        return [(_field([*path, name]), _missing_reason(error, path, data)) for name in missing]
    if error.validator == "additionalProperties":
        known = rule_schema.get("properties", {})
        unknown = [
            key if isinstance(key, str) else repr(key) for key in instance if key not in known
        ]
        return [(_field([*path, key]), "unknown key") for key in unknown]
    if "propertyNames" in error.absolute_schema_path:
        return [(_field([*path, str(instance)]), "not a supported language tag")]
    return [(_field(path), _reason(error, path, data, schema))]


def _key_text(key: Any) -> str:
    return key if isinstance(key, str) else repr(key)


def _missing_reason(error: ValidationError, path: _Path, data: Any) -> str:
    if "then" in error.absolute_schema_path:
        return f"missing (required in {_kind_at(path, data)} contests)"
    return "missing (required)"


def _kind_at(path: _Path, data: Any) -> str:
    contest = data["contests"][path[1]]
    return str(contest.get("kind"))


def _reason(error: ValidationError, path: _Path, data: Any, schema: Mapping[str, Any]) -> str:
    rule, value, instance = error.validator, error.validator_value, error.instance
    defs = schema["$defs"]
    if rule == "type":
        return f"must be {_JSON_TYPE_WORDS[str(value)]}, not {_json_type(instance)}"
    if rule == "pattern":
        name = next((key for key, item in defs.items() if item.get("pattern") == value), "")
        return _PATTERN_WORDS.get(name, f"must match {value}")
    if rule == "enum" and value == defs["language"]["enum"]:
        return f"{quote(instance)} is not a supported language tag"
    if rule == "not":
        return f"not allowed in {_kind_at(path, data)} contests"
    words = _COUNT_WORDS.get(str(rule))
    return clip(error.message) if words is None else words(value, instance)


_JSON_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
}

_COUNT_WORDS: dict[str, Callable[[Any, Any], str]] = {
    "enum": lambda value, instance: f"{quote(instance)} is not one of {', '.join(value)}",
    "const": lambda value, _: f"must be {value!r}",
    "minItems": lambda n, _: "must not be empty" if n == 1 else f"needs at least {n} items",
    "maxItems": lambda n, _: f"must have at most {n} items",
    "minLength": lambda _, __: "must not be empty",
    "maxLength": lambda n, _: f"must be at most {n} characters",
    "minProperties": lambda _, __: "must not be empty",
    "minimum": lambda n, _: f"must be at least {n}",
    "maximum": lambda n, _: f"must be at most {n}",
    "uniqueItems": lambda _, __: "must not repeat an item",
}


def _json_type(value: Any) -> str:
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (bool, "true or false"),
        (int, "an integer"),
        (float, "a floating-point number"),
        (str, "a string"),
        (Mapping, "a mapping"),
        (list, "a list"),
        (type(None), "null"),
    ]
    return next((word for kind, word in kinds if isinstance(value, kind)), type(value).__name__)


# --- rules the schema cannot express ------------------------------------------------------


def semantic_errors(data: Mapping[str, Any]) -> _Errors:
    """Every rule of spec/record-format.md#manifest-validation that ``data`` breaks."""
    errors: _Errors = []
    _check_times(data, errors)
    for path, text in _texts(data):
        _check_text(path, text, data["languages"], errors)
    _check_contests(data["contests"], errors)
    _check_styles(data, errors)
    return sorted_errors(errors)


def _add(errors: _Errors, field: str, reason: str) -> None:
    errors.append(InvalidManifest(field, reason))


def _check_times(data: Mapping[str, Any], errors: _Errors) -> None:
    times = {}
    for field in ("start", "end"):
        try:
            times[field] = datetime.fromisoformat(data[field])
        except ValueError as exc:
            _add(errors, field, f"not a real date-time ({exc})")
    if len(times) == 2 and times["end"] <= times["start"]:
        _add(errors, "end", "must be later than start")


def _texts(data: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, str]]]:
    yield "title", data["title"]
    for i, contest in enumerate(data["contests"]):
        yield f"contests[{i}].title", contest["title"]
        for j, option in enumerate(contest["options"]):
            yield f"contests[{i}].options[{j}].name", option["name"]
            if "party" in option:
                yield f"contests[{i}].options[{j}].party", option["party"]
    for k, style in enumerate(data["ballot_styles"]):
        if "name" in style:
            yield f"ballot_styles[{k}].name", style["name"]


def _check_text(path: str, text: Mapping[str, str], languages: list[str], errors: _Errors) -> None:
    for language in languages:
        if language not in text:
            _add(errors, f"{path}.{language}", f"missing the translation into {quote(language)}")
    for language, string in text.items():
        if language not in languages:
            _add(
                errors, f"{path}.{language}", f"{quote(language)} is not a language of the election"
            )
        else:
            _check_string(f"{path}.{language}", string, errors)


def _check_string(field: str, string: str, errors: _Errors) -> None:
    if not string.strip():
        _add(errors, field, "must not be blank")
    elif string != string.strip():
        _add(errors, field, "must not begin or end with white space")
    elif any(unicodedata.category(char) == "Cc" for char in string):
        _add(errors, field, "must not hold control characters (tab, newline, ...)")
    elif not unicodedata.is_normalized("NFC", string):
        _add(errors, field, "must be in Unicode normalization form NFC")


def _check_unique(seen: dict[str, str], value: str, field: str, errors: _Errors) -> None:
    if value in seen:
        _add(errors, field, f"repeats {quote(value)}, already at {seen[value]}")
    else:
        seen[value] = field


def _check_contests(contests: list[Mapping[str, Any]], errors: _Errors) -> None:
    contest_ids: dict[str, str] = {}
    for i, contest in enumerate(contests):
        path = f"contests[{i}]"
        _check_unique(contest_ids, contest["contest_id"], f"{path}.contest_id", errors)
        option_ids: dict[str, str] = {}
        for j, option in enumerate(contest["options"]):
            field = f"{path}.options[{j}].option_id"
            _check_unique(option_ids, option["option_id"], field, errors)
        _KIND_RULES[contest["kind"]](contest, path, errors)


def _check_plurality(contest: Mapping[str, Any], path: str, errors: _Errors) -> None:
    options, allowed, seats = len(contest["options"]), contest["votes_allowed"], contest["seats"]
    if allowed > options:
        _add(errors, f"{path}.votes_allowed", f"{allowed} votes allowed but {options} options")
    elif allowed > seats:
        _add(errors, f"{path}.votes_allowed", f"{allowed} votes allowed but {seats} seats")
    _check_seats_within_options(contest, path, errors)


def _check_seats_within_options(contest: Mapping[str, Any], path: str, errors: _Errors) -> None:
    options, seats = len(contest["options"]), contest["seats"]
    if seats > options:
        _add(errors, f"{path}.seats", f"{seats} seats but {options} options")


def _check_referendum(contest: Mapping[str, Any], path: str, errors: _Errors) -> None:
    ids = [option["option_id"] for option in contest["options"]]
    if len(ids) != 2:
        reason = f"a referendum has exactly two options, 'yes' and 'no' (got {len(ids)})"
        _add(errors, f"{path}.options", reason)
    else:
        for j, expected in enumerate(("yes", "no")):
            if ids[j] != expected:
                reason = f"must be {expected!r} (a referendum's options are 'yes' then 'no')"
                _add(errors, f"{path}.options[{j}].option_id", reason)
    _check_range(contest, path, "quorum", _turnout, errors)
    _check_range(contest, path, "supermajority", _supermajority, errors)


def _turnout(value: Fraction) -> str | None:
    return None if 0 < value <= 1 else "must be a turnout fraction in (0, 1]"


def _supermajority(value: Fraction) -> str | None:
    return None if Fraction(1, 2) < value <= 1 else "must be a share of the votes in (1/2, 1]"


def _threshold(value: Fraction) -> str | None:
    return None if 0 <= value < 1 else "must be a share of the votes in [0, 1)"


def _first_divisor(value: Fraction) -> str | None:
    return None if 1 < value < 3 else "must be in (1, 3)"


def _check_range(
    contest: Mapping[str, Any],
    path: str,
    key: str,
    rule: Callable[[Fraction], str | None],
    errors: _Errors,
) -> None:
    if key in contest:
        reason = rule(Fraction(contest[key]))
        if reason is not None:
            _add(errors, f"{path}.{key}", reason)


def _check_party_list(contest: Mapping[str, Any], path: str, errors: _Errors) -> None:
    _check_range(contest, path, "threshold", _threshold, errors)
    if "first_divisor" in contest and contest["method"] != "modified_sainte_lague":
        reason = "applies only to the method modified_sainte_lague"
        _add(errors, f"{path}.first_divisor", reason)
    else:
        _check_range(contest, path, "first_divisor", _first_divisor, errors)


RANKED_RULES: Mapping[str, tuple[str, ...]] = {
    "irv": ("irv",),
    "stv": ("scottish", "meek", "gregory"),
    "condorcet": ("schulze", "ranked_pairs"),
}
"""The counting rules of each ranked method, the default first (spec/counting.md)."""

MAX_RANKED_OPTIONS = 32
"""The most options a ranked contest may have: a ballot holds one range proof of ``m + 1``
branches per rank, so its size grows with the square of ``m``."""


def _check_ranked(contest: Mapping[str, Any], path: str, errors: _Errors) -> None:
    if contest["method"] in ("irv", "condorcet") and contest["seats"] != 1:
        _add(errors, f"{path}.seats", f"{contest['method']} elects one winner: seats must be 1")
    _check_seats_within_options(contest, path, errors)
    if "rule" in contest and contest["method"] == "irv":
        _add(errors, f"{path}.rule", "irv has no variants: leave rule out")
    elif "rule" in contest and contest["rule"] not in RANKED_RULES.get(contest["method"], ()):
        rules = ", ".join(RANKED_RULES.get(contest["method"], ()))
        _add(errors, f"{path}.rule", f"{contest['method']} is counted by one of {rules}")
    if len(contest["options"]) > MAX_RANKED_OPTIONS:
        reason = (
            f"a ranked contest has at most {MAX_RANKED_OPTIONS} options "
            f"(each rank's proof grows with their number), not {len(contest['options'])}"
        )
        _add(errors, f"{path}.options", reason)
    if str(contest["contest_id"]).startswith("decryption-"):
        _add(
            errors,
            f"{path}.contest_id",
            "a ranked contest's id may not start with 'decryption-': its mixes' files "
            "(mix-ID-T.jsonl) would read like the mix decryptions of another (spec #19.6)",
        )


_KIND_RULES: dict[str, Callable[[Mapping[str, Any], str, _Errors], None]] = {
    "plurality": _check_plurality,
    "approval": _check_seats_within_options,
    "referendum": _check_referendum,
    "party_list": _check_party_list,
    "ranked": _check_ranked,
}


def _check_styles(data: Mapping[str, Any], errors: _Errors) -> None:
    known = {contest["contest_id"] for contest in data["contests"]}
    style_ids: dict[str, str] = {}
    districts: dict[str, str] = {}
    used: set[str] = set()
    for k, style in enumerate(data["ballot_styles"]):
        path = f"ballot_styles[{k}]"
        _check_unique(style_ids, style["style_id"], f"{path}.style_id", errors)
        for d, district in enumerate(style["districts"]):
            _check_unique(districts, district, f"{path}.districts[{d}]", errors)
        listed: dict[str, str] = {}
        for c, contest_id in enumerate(style["contest_ids"]):
            _check_unique(listed, contest_id, f"{path}.contest_ids[{c}]", errors)
            if contest_id not in known:
                _add(
                    errors, f"{path}.contest_ids[{c}]", f"no contest has the id {quote(contest_id)}"
                )
        used.update(listed)
    for i, contest in enumerate(data["contests"]):
        if contest["contest_id"] not in used:
            _add(errors, f"contests[{i}].contest_id", "the contest is on no ballot style")
