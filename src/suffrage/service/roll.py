"""The voter roll: who may vote, with which ballot style (spec/record-format.md#voter-roll).

A roll is a CSV file (UTF-8, a byte-order mark allowed; comma, semicolon or tab between
fields, as its header line shows) with a header line naming its columns:

* ``voter_id`` (required): 1 to 64 characters, unique in the roll;
* ``ballot_style`` (required): a ``style_id`` of the manifest;
* ``name``, ``address``, ``email`` (optional): for the credential letter and the mail merge;
* ``language`` (optional): the language of the voter's letter, one of the manifest's
  languages (empty: the manifest's first);
* ``group:NAME`` (optional, any number): turnout groups such as ``group:sex`` or
  ``group:age_band``, kept by the credential authority only.

Any other column is refused (a misspelt ``emial`` would otherwise be lost). Every problem is
reported at once with its line number; a roll with any problem is refused whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suffrage.errors import InvalidInput, clip, quote
from suffrage.protocol.manifest import Manifest
from suffrage.record.reading import read_regular

__all__ = ["MAX_ROLL_BYTES", "Voter", "read_roll", "voter_from_json", "voter_to_json"]

MAX_ROLL_BYTES = 2**30
"""The largest roll read (1 GiB: some ten million voters)."""
MAX_FIELD = 1000
MAX_ID = 64
MAX_SHOWN = 50
"""The most problems an error lists (the count says how many there were)."""

_KNOWN = ("voter_id", "ballot_style", "name", "address", "email", "language")
_REQUIRED = ("voter_id", "ballot_style")


@dataclass(frozen=True, slots=True, kw_only=True)
class Voter:
    """One line of the roll."""

    voter_id: str
    style_id: str
    language: str
    name: str = ""
    address: str = ""
    email: str = ""
    groups: tuple[tuple[str, str], ...] = ()


def voter_to_json(voter: Voter) -> dict[str, Any]:
    return {
        "voter_id": voter.voter_id,
        "ballot_style": voter.style_id,
        "language": voter.language,
        "name": voter.name,
        "address": voter.address,
        "email": voter.email,
        "groups": dict(voter.groups),
    }


def voter_from_json(o: dict[str, Any]) -> Voter:
    return Voter(
        voter_id=o["voter_id"],
        style_id=o["ballot_style"],
        language=o["language"],
        name=o["name"],
        address=o["address"],
        email=o["email"],
        groups=tuple(sorted(o["groups"].items())),
    )


def _text(path: Path) -> str:
    try:
        data = read_regular(path, limit=MAX_ROLL_BYTES, follow=True)
    except InvalidInput as exc:
        raise InvalidInput(str(path), exc.reason) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            str(path), f"line {line}: not UTF-8 text (byte {exc.start}); save the roll as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidInput("roll", f"line {reader.line_num}: not CSV ({exc})") from None
        yield reader.line_num, row


def _header(row: Sequence[str], problems: list[str]) -> list[str]:
    names = [name.strip() for name in row]
    for name in names:
        if name not in _KNOWN and not (name.startswith("group:") and len(name) > 6):
            problems.append(
                f"line 1: unknown column {quote(name)}; the columns are "
                f"{', '.join(_KNOWN)} and group:NAME"
            )
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"line 1: column {quote(name)} appears twice")
    for name in _REQUIRED:
        if name not in names:
            problems.append(f"line 1: the column {name} is missing")
    return names


def _field_problem(value: str, column: str) -> str | None:
    if len(value) > MAX_FIELD:
        return f"{column} is longer than {MAX_FIELD} characters"
    if any(ord(c) < 32 and c not in "\t" for c in value) and column != "address":
        return f"{column} holds a control character"
    return None


def read_roll(path: Path, manifest: Manifest, *, languages: Sequence[str]) -> tuple[Voter, ...]:
    """Every voter of the roll at ``path``; InvalidInput listing every problem otherwise.

    ``languages`` are those a credential letter can be written in; a voter's language must
    be one of them and one of the manifest's.
    """
    text = _text(path)
    first_line = text.split("\n", 1)[0]
    styles = {s.style_id for s in manifest.ballot_styles}
    usable = [lang for lang in manifest.languages if lang in languages]
    problems: list[str] = []
    voters: list[Voter] = []
    seen: dict[str, int] = {}
    names: list[str] = []
    try:
        for line, row in _rows(text, _delimiter(first_line)):
            if not names:
                names = _header(row, problems)
                if problems:
                    break
                continue
            if not any(cell.strip() for cell in row):
                continue
            voter = _voter(
                line,
                row,
                names=names,
                styles=styles,
                languages=usable,
                manifest=manifest,
                problems=problems,
            )
            if voter is None:
                continue
            if voter.voter_id in seen:
                problems.append(
                    f"line {line}: voter id {quote(voter.voter_id)} is already on line "
                    f"{seen[voter.voter_id]}"
                )
                continue
            seen[voter.voter_id] = line
            voters.append(voter)
    except InvalidInput as exc:
        problems.append(exc.reason)
    if not names and not problems:
        problems.append("the roll is empty: it needs a header line and one line per voter")
    elif not voters and not problems:
        problems.append("the roll lists no voter")
    if problems:
        shown = problems[:MAX_SHOWN]
        if len(problems) > MAX_SHOWN:
            shown.append(f"... and {len(problems) - MAX_SHOWN} more")
        first = shown[0]
        raise InvalidInput(str(path), first, problems=tuple(f"{path}: {p}" for p in shown))
    return tuple(voters)


def _voter(
    line: int,
    row: Sequence[str],
    *,
    names: Sequence[str],
    styles: set[str],
    languages: Sequence[str],
    manifest: Manifest,
    problems: list[str],
) -> Voter | None:
    if len(row) != len(names):
        problems.append(f"line {line}: {len(row)} fields where the header has {len(names)}")
        return None
    cells = {name: value.strip() for name, value in zip(names, row, strict=True)}
    before = len(problems)
    for column, value in cells.items():
        problem = _field_problem(value, column)
        if problem is not None:
            problems.append(f"line {line}: {problem}")
    voter_id, style = cells["voter_id"], cells["ballot_style"]
    if not voter_id or len(voter_id) > MAX_ID:
        problems.append(f"line {line}: the voter id must be 1 to {MAX_ID} characters")
    if style not in styles:
        problems.append(
            f"line {line}: ballot style {quote(style)} is not in the manifest "
            f"(its styles: {', '.join(sorted(styles))})"
        )
    language = cells.get("language") or manifest.default_language
    if language not in languages:
        problems.append(
            f"line {line}: language {quote(language)} is not one the letters can be written "
            f"in for this election ({', '.join(languages)})"
        )
    if len(problems) > before:
        return None
    return Voter(
        voter_id=voter_id,
        style_id=style,
        language=language,
        name=cells.get("name", ""),
        address=cells.get("address", ""),
        email=cells.get("email", ""),
        groups=tuple(
            sorted((clip(n[6:], MAX_ID), v) for n, v in cells.items() if n.startswith("group:"))
        ),
    )
