"""Limits every count-file reader applies to its text (spec/counting.md#limits)."""

from __future__ import annotations

import csv
import io

from suffrage.errors import InvalidBallotData, InvalidEncoding, quote
from suffrage.inputs import MAX_DIGITS, MAX_INTEGER, MAX_LINE, long_line

__all__ = ["check_text", "csv_rows", "decode_text", "sniff_delimiter", "whole_number"]


def check_text(text: str, source: str) -> None:
    """Refuse a line longer than :data:`~suffrage.inputs.MAX_LINE` bytes, naming it."""
    number = long_line(text)
    if number is not None:
        raise InvalidBallotData(
            f"{source} line {number}",
            f"longer than the limit of {MAX_LINE} bytes",
        )


def whole_number(token: str, where: str, what: str) -> int:
    """``token`` as a non-negative integer of at most 64 bits, refused by its length first."""
    digits = token.isascii() and token.isdigit()
    if not digits or len(token) > MAX_DIGITS or int(token) > MAX_INTEGER:
        raise InvalidBallotData(
            where,
            f"expected the {what} as a non-negative integer of at most 64 bits, got {quote(token)}",
        )
    return int(token)


def csv_rows(text: str, source: str, delimiter: str = ",") -> list[list[str]]:
    """The rows of CSV ``text``; a malformed file is refused naming its line."""
    check_text(text, source)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        raise InvalidBallotData(
            f"{source} line {reader.line_num}", f"expected CSV text, but it is malformed: {exc}"
        ) from None


def decode_text(data: bytes, source: str, encoding: str = "utf-8") -> str:
    """``data`` decoded as ``encoding`` (a UTF-8 byte-order mark is accepted and dropped).

    A byte that does not decode is refused naming the file, the line, the byte and its
    offset in that line, and how to say the file's encoding, since a bare codec message
    names none of them (spec/counting.md#input-encodings)."""
    name = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return data.decode(name)
    except LookupError:
        raise InvalidEncoding("--encoding", f"{quote(encoding)} is not a known encoding") from None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        offset = exc.start - (data.rfind(b"\n", 0, exc.start) + 1)
        hint = "cp1250" if name.startswith("utf") else "utf-8"
        raise InvalidEncoding(
            f"{source}, line {line}",
            f"byte 0x{data[exc.start]:02x} at offset {offset} is not {encoding} "
            f"({exc.reason}); give the file's encoding, e.g. --encoding {hint}",
        ) from None


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV file, decided by its header line: a tab or a semicolon when
    the header holds more of it than commas, else a comma."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","
