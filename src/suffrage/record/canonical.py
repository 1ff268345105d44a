"""Canonical JSON of the election record: RFC 8785 over a closed set of values.

Every JSON document of the record is the RFC 8785 (JSON Canonicalization Scheme) encoding of
a value built only from strings, integers in the safe range ``-(2^53 - 1) .. 2^53 - 1``,
booleans, ``null``, arrays and objects with string keys (spec/record-format.md#canonical-json).
Floating-point numbers never occur: every fraction in the record is a string.

:func:`canonical_bytes` encodes such a value; :func:`parse_canonical` decodes bytes received
from outside and refuses anything that is not exactly the canonical encoding of its value, so
that each value has one encoding and the hash of the bytes is the hash of the value.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

from suffrage.errors import InvalidEncoding, clip, quote
from suffrage.inputs import JsonRefusal, load_strict_json, reload_own_json

__all__ = ["MAX_SAFE_INTEGER", "canonical_bytes", "parse_canonical", "parse_strict"]

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer of the record; its negation is the smallest (I-JSON, RFC 7493)."""

_NOT_CANONICAL = "not canonical JSON (RFC 8785)"


def canonical_bytes(obj: Any, *, field: str = "value") -> bytes:
    """The RFC 8785 encoding of ``obj``; refuses values outside the record's domain.

    Objects are dicts; lists and tuples both encode as arrays. The error names the offending
    place inside ``obj`` as a path below ``field`` (``value.ballots[3].weight``).
    """
    fast = _ascii_encoding(obj)
    if fast is not None:
        return fast
    _check_value(obj, field)
    return bytes(rfc8785.dumps(obj))


def _ascii_encoding(obj: Any) -> bytes | None:
    """The RFC 8785 bytes of ``obj`` when they are pure ASCII and ``obj`` is plainly in the
    record's domain, else ``None`` (the caller then checks and encodes it in full).

    The standard library's sorted, compact encoding is RFC 8785 for ASCII text (see
    :func:`_ascii_canonical`). Decoding it again strictly refuses floats, non-finite
    numbers and integers out of range; comparing the result with ``obj`` catches what the
    encoder would have converted silently (keys that are not strings, tuples, subclasses).
    """
    try:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    except (TypeError, ValueError):
        return None
    if not text.isascii():
        return None
    try:
        again = reload_own_json(text, floats=False, integer=_unsafe_integer)
    except JsonRefusal:
        return None
    if type(again) is not type(obj) or again != obj:
        return None
    return text.encode("ascii")


def parse_canonical(data: bytes, *, field: str) -> Any:
    """Decode ``data`` as canonical JSON; raise InvalidEncoding naming ``field`` otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidEncoding(field, f"not UTF-8 (byte {exc.start})") from None
    value = _strict_loads(text, field)
    fast = _ascii_canonical(value)
    if fast is not None:
        if fast != data:
            raise InvalidEncoding(field, _NOT_CANONICAL)
        return value
    if canonical_bytes(value, field=field) != data:
        raise InvalidEncoding(field, _NOT_CANONICAL)
    return value


def parse_strict(data: bytes, *, field: str) -> Any:
    """Decode ``data`` as JSON strictly, whether canonical or not (what a client sends):
    UTF-8, no duplicate keys, no floats or NaN, integers within range, bounded depth."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidEncoding(field, f"not UTF-8 (byte {exc.start})") from None
    return _strict_loads(text, field)


def _ascii_canonical(value: Any) -> bytes | None:
    """RFC 8785 bytes of a decoded value whose encoding is pure ASCII, else ``None``.

    For ASCII text the standard library's sorted, compact encoding is exactly RFC 8785: keys
    sort the same by code point as by UTF-16 unit, strings escape the same characters the
    same way, and the decoder has already refused floats and out-of-range integers. Anything
    else (non-ASCII text, lone surrogates) takes the general path.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.encode("ascii") if text.isascii() else None


def _strict_loads(text: str, field: str) -> Any:
    try:
        return _loads(text)
    except JsonRefusal as exc:  # its reason is worded for the record (tests pin it)
        raise InvalidEncoding(field, exc.reason) from None
    except json.JSONDecodeError as exc:
        raise InvalidEncoding(field, f"not JSON: {exc.msg} at byte {exc.pos}") from None


def _loads(text: str) -> Any:
    """The record's JSON: no duplicate keys, floats or NaN, integers in the safe range;
    depth within the limit (integers need no scan before parsing: the hook bounds them)."""
    return load_strict_json(text, floats=False, integer=_unsafe_integer, scan=False)


def _unsafe_integer(text: str) -> str | None:
    # Checked on the digits first: int() of a huge digit string is slow or refused.
    if len(text.lstrip("-")) > 16 or abs(int(text)) > MAX_SAFE_INTEGER:
        return f"integer {text[:20]} is outside ±(2^53 - 1)"
    return None


def _check_value(value: Any, path: str) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int):
        _check_int(value, path)
    elif isinstance(value, str):
        _check_str(value, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidEncoding(path, f"object key {quote(key)} is not a string")
            _check_str(key, path)
            _check_value(item, f"{path}.{clip(key)}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_value(item, f"{path}[{index}]")
    elif isinstance(value, float):
        raise InvalidEncoding(path, "floating-point numbers are not allowed in the record")
    else:
        raise InvalidEncoding(path, f"a {type(value).__name__} has no JSON form in the record")


def _check_int(value: int, path: str) -> None:
    if abs(value) > MAX_SAFE_INTEGER:
        raise InvalidEncoding(path, "integer outside ±(2^53 - 1)")


def _check_str(value: str, path: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidEncoding(path, "string holds a lone surrogate (not Unicode text)") from None
