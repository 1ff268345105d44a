"""Limits every count-file reader applies to its text (spec/counting.md#limits)."""

from __future__ import annotations

import csv
import io

from suffrage.errors import InvalidBallotData, quote
from suffrage.inputs import MAX_DIGITS, MAX_INTEGER, MAX_LINE, long_line

__all__ = ["check_text", "csv_rows", "whole_number"]


def check_text(text: str, source: str) -> None:
    """Refuse a line longer than :data:`~suffrage.inputs.MAX_LINE` bytes, naming it."""
    number = long_line(text)
    if number is not None:
        raise InvalidBallotData(
            f"{source} line {number}", f"longer than the limit of {MAX_LINE} bytes"
        )


def whole_number(token: str, where: str, what: str) -> int:
    """``token`` as a non-negative integer of at most 64 bits, refused by its length first."""
    digits = token.isascii() and token.isdigit()
    if not digits or len(token) > MAX_DIGITS or int(token) > MAX_INTEGER:
        raise InvalidBallotData(
            where, f"{what} {quote(token)} is not a non-negative integer of at most 64 bits"
        )
    return int(token)


def csv_rows(text: str, source: str, delimiter: str = ",") -> list[list[str]]:
    """The rows of CSV ``text``; a malformed file is refused naming its line."""
    check_text(text, source)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        raise InvalidBallotData(f"{source} line {reader.line_num}", f"not CSV: {exc}") from None
