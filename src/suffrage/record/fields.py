"""Strict readers for the fields of a decoded JSON document: the record's trust boundary.

Used by the record codecs and by every service file format that reads outside input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from suffrage.core.group import (
    Element,
    NativeDecodeError,
    Scalar,
    decode_element_hex,
    decode_scalar_hex,
    elements_from_bytes,
    scalars_from_bytes,
)
from suffrage.errors import InvalidEncoding, clip
from suffrage.inputs import strict_hex

__all__ = [
    "element",
    "element_list",
    "element_or_identity",
    "expect_object",
    "flag",
    "hexbytes",
    "integer",
    "items",
    "moment",
    "scalar",
    "scalar_list",
    "text",
]

T = TypeVar("T")


def expect_object(
    value: Any, field: str, keys: Sequence[str], optional: Sequence[str] = ()
) -> dict[str, Any]:
    """``value`` must be an object with exactly ``keys`` (plus any of ``optional``)."""
    if not isinstance(value, dict):
        raise InvalidEncoding(field, f"expected an object, got {type(value).__name__}")
    missing = [k for k in keys if k not in value]
    if missing:
        raise InvalidEncoding(field, f"missing {', '.join(missing)}")
    unknown = sorted(set(value) - set(keys) - set(optional))
    if unknown:
        raise InvalidEncoding(field, f"unknown {clip(', '.join(unknown))}")
    return value


def items(
    value: Any, field: str, read: Callable[[Any, str], T], *, size: int | None = None
) -> tuple[T, ...]:
    """A list whose entries are read by ``read``; ``size`` fixes its length."""
    if not isinstance(value, list):
        raise InvalidEncoding(field, f"expected a list, got {type(value).__name__}")
    if size is not None and len(value) != size:
        raise InvalidEncoding(field, f"expected {size} entries, got {len(value)}")
    return tuple(read(v, f"{field}[{i}]") for i, v in enumerate(value))


def _hex_run(value: Any, field: str, size: int | None, one: Callable[[Any, str], Any]) -> bytes:
    """The bytes of a list of 64-digit hex strings, or the precise error of its first bad one."""
    if not isinstance(value, list):
        raise InvalidEncoding(field, f"expected a list, got {type(value).__name__}")
    if size is not None and len(value) != size:
        raise InvalidEncoding(field, f"expected {size} entries, got {len(value)}")
    if all(isinstance(v, str) and len(v) == 64 for v in value):
        raw = strict_hex("".join(value))
        if isinstance(raw, bytes):
            return raw
    for index, item in enumerate(value):
        one(item, f"{field}[{index}]")
    raise InvalidEncoding(field, "not a list of 64-digit lowercase hex strings")


def _native_error(field: str, exc: NativeDecodeError) -> InvalidEncoding:
    where, _, reason = str(exc).partition(": ")
    index = where.rpartition(" ")[2]
    return InvalidEncoding(f"{field}[{index}]", reason or str(exc))


def element_list(value: Any, field: str, *, size: int | None = None) -> tuple[Element, ...]:
    """A list of non-identity elements, decoded in one call to the kernel."""
    raw = _hex_run(value, field, size, element)
    try:
        decoded = elements_from_bytes(raw)
    except NativeDecodeError as exc:
        raise _native_error(field, exc) from None
    for index, item in enumerate(decoded):
        if item.is_identity():
            raise InvalidEncoding(f"{field}[{index}]", "the identity element is not allowed here")
    return tuple(decoded)


def scalar_list(value: Any, field: str, *, size: int | None = None) -> tuple[Scalar, ...]:
    """A list of canonical scalars, decoded in one call to the kernel."""
    raw = _hex_run(value, field, size, scalar)
    try:
        return tuple(scalars_from_bytes(raw))
    except NativeDecodeError as exc:
        raise _native_error(field, exc) from None


def element(value: Any, field: str) -> Element:
    return decode_element_hex(value, field=field)


def element_or_identity(value: Any, field: str) -> Element:
    return decode_element_hex(value, field=field, allow_identity=True)


def scalar(value: Any, field: str) -> Scalar:
    return decode_scalar_hex(value, field=field)


def integer(value: Any, field: str, *, minimum: int = 0, maximum: int = 2**53 - 1) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidEncoding(field, f"expected an integer, got {type(value).__name__}")
    if not minimum <= value <= maximum:
        raise InvalidEncoding(field, f"{value} is outside {minimum}..{maximum}")
    return value


def text(value: Any, field: str, *, max_length: int = 256) -> str:
    if not isinstance(value, str):
        raise InvalidEncoding(field, f"expected a string, got {type(value).__name__}")
    if len(value) > max_length:
        raise InvalidEncoding(field, f"longer than {max_length} characters")
    return value


def hexbytes(value: Any, field: str, *, size: int) -> bytes:
    """``size`` bytes written as ``2 * size`` lowercase hex digits (a hash, an id)."""
    raw = strict_hex(text(value, field, max_length=2 * size), size)
    if isinstance(raw, str):
        raise InvalidEncoding(field, f"expected {2 * size} lowercase hex digits")
    return raw


_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def moment(value: Any, field: str) -> str:
    """A moment in its canonical text: ``YYYY-MM-DDTHH:MM:SSZ`` (UTC), a real date and time."""
    raw = text(value, field, max_length=20)
    if not _MOMENT.fullmatch(raw):
        raise InvalidEncoding(field, "expected a UTC time written YYYY-MM-DDTHH:MM:SSZ")
    try:
        datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise InvalidEncoding(field, f"{raw} is not a real date and time") from None
    return raw


def flag(value: Any, field: str) -> bool:
    """A JSON boolean (``1`` and ``"true"`` are not)."""
    if not isinstance(value, bool):
        raise InvalidEncoding(field, f"expected true or false, got {type(value).__name__}")
    return value
