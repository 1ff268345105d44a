"""Strict hexadecimal: the one definition of what the record and its readers accept as hex.

Every byte string of the record is written as lowercase hex digits and nothing else, so that
each value has exactly one text (spec/record-format.md#value-types). ``bytes.fromhex`` alone
is too lenient (upper case, white space between pairs); re-encoding what it returns and
comparing with the text refuses all of that at C speed, which matters to the fast reader of
``ballots.jsonl`` (about 130 hex values a line, a million lines).
"""

from __future__ import annotations

__all__ = ["strict_hex"]

_DIGITS_ONLY = "expected lowercase hexadecimal digits only"


def strict_hex(text: object, size: int | None = None) -> bytes | str:
    """The bytes ``text`` stands for, or the reason it is refused (a string, for the caller to
    raise in its own error type): ``text`` must be a string of lowercase hex digits only, and
    exactly ``2 * size`` of them when ``size`` is given."""
    if not isinstance(text, str):
        return f"expected a hex string, got {type(text).__name__}"
    if size is not None and len(text) != 2 * size:
        return f"expected {2 * size} hex digits, got {len(text)}"
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        return _DIGITS_ONLY
    if raw.hex() != text:  # upper case, white space
        return _DIGITS_ONLY
    return raw
