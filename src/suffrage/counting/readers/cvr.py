"""Cast-vote-record CSV (spec/counting.md#cvr).

One row per ballot (or per group of identical ballots, with a weight column). The columns
``rank1`` .. ``rankN`` (also ``Rank 1``, ``rank_1``; any order in the header) hold the
candidate marked at each rank; a ``weight`` or ``count`` column, if present, says how many
ballots the row stands for; other columns (ballot id, precinct) are ignored. Markers:

- a *blank* cell is a skipped rank, and a row whose every rank is blank is a blank ballot:
  it is read and counted (exhausted from the first round), never dropped; only an empty
  line (no cell at all) is not a ballot, so a one-column file writes a blank ballot ``""``;
- an *overvote* cell is a rank marked for more than one candidate (which ones the record does
  not say, so the rank holds every candidate and each method applies its overvote rule);
- a *write-in* cell is a vote for the single candidate ``write_in_name``;
- a cell may also list several candidates joined by ``separator`` (an overvote that names them).

A row shorter than the header leaves its later ranks blank; cells past the header must be
empty (spec/counting.md#uneven-rows). The same layout is read from a sheet of an .xlsx
workbook by :func:`parse_cvr_sheet`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from suffrage.counting.ballots import Profile, RankedBallot
from suffrage.counting.readers._table import Table, csv_table
from suffrage.counting.readers._text import whole_number
from suffrage.counting.readers.xlsx import read_sheet
from suffrage.errors import InvalidBallotData, quote

__all__ = ["CvrMarkers", "cvr_profile", "parse_cvr", "parse_cvr_sheet"]

_RANK = re.compile(r"^rank[ _]?(\d+)$", re.IGNORECASE)
_WEIGHT = ("weight", "count")


@dataclass(frozen=True, slots=True, kw_only=True)
class CvrMarkers:
    """How a CVR marks a blank, an overvote and a write-in (compared without case)."""

    blank: frozenset[str] = frozenset({"", "skipped", "undervote", "blank"})
    overvote: frozenset[str] = frozenset({"overvote", "overvoted"})
    write_in: frozenset[str] = frozenset({"write-in", "writein", "uwi"})
    write_in_name: str = "Write-in"
    separator: str = "="


def parse_cvr(
    text: str,
    *,
    source: str = "cvr",
    seats: int = 1,
    markers: CvrMarkers | None = None,
    candidates: Sequence[str] | None = None,
) -> Profile:
    """Read a CVR CSV into a :class:`Profile` (spec/counting.md#cvr).

    Without ``candidates``, the candidates are every name the ranks use, sorted by name (so the
    profile does not depend on the order of the rows); with it, any other name is an error.
    """
    return cvr_profile(csv_table(text, source), seats=seats, markers=markers, candidates=candidates)


def parse_cvr_sheet(
    data: bytes,
    *,
    source: str = "cvr.xlsx",
    sheet: str | None = None,
    seats: int = 1,
    markers: CvrMarkers | None = None,
    candidates: Sequence[str] | None = None,
) -> Profile:
    """Read a CVR laid out as in CSV from a sheet of an .xlsx workbook (spec/counting.md#xlsx)."""
    table = read_sheet(data, source=source, sheet=sheet)
    return cvr_profile(table, seats=seats, markers=markers, candidates=candidates)


def cvr_profile(
    table: Table,
    *,
    seats: int = 1,
    markers: CvrMarkers | None = None,
    candidates: Sequence[str] | None = None,
) -> Profile:
    """The profile of a CVR's rows, from a CSV file or a sheet (spec/counting.md#cvr)."""
    marks = markers or CvrMarkers()
    if not table.rows:
        raise InvalidBallotData(table.source, "empty file: expected a header row of rank1..rankN")
    top, header = table.rows[0]
    ranks, weight = _header(header, table.row(top))
    cells: list[tuple[list[list[str] | None], int]] = []
    for number, row in table.rows[1:]:
        if not row:  # an empty line; a row of blank cells is a blank ballot, counted
            continue
        full = _fit(row, header, table, number)
        found = _marks(full, ranks, marks, table, number)
        _check_known(found, candidates, marks, table.row(number))
        cells.append((found, _weight(full, weight, table, number)))
    names = _candidates(cells, candidates, marks, table.source)
    index = {name: i for i, name in enumerate(names)}
    every = tuple(range(len(names)))
    ballots = tuple(
        RankedBallot(
            ranks=tuple(every if r is None else tuple(sorted({index[n] for n in r})) for r in row),
            weight=w,
        )
        for row, w in cells
    )
    return Profile(candidates=names, ballots=ballots, seats=seats, source=table.source)


def _fit(row: tuple[str, ...], header: tuple[str, ...], table: Table, number: int) -> list[str]:
    """``row`` as long as the header: a short row ends in blank cells (its later ranks are
    blank); cells past the header must be empty (spec/counting.md#uneven-rows)."""
    width = len(header)
    extra = [i for i in range(width, len(row)) if row[i].strip()]
    if extra:
        given = f"{len(row)} cells, but the header has {width}: " if not table.ragged else ""
        raise InvalidBallotData(
            table.cell(number, extra[0]),
            f"{given}expected at most {width} cells, as many as the header (a shorter row "
            f"leaves its later ranks blank), got {quote(row[extra[0]])}",
        )
    return [*row[:width], *([""] * (width - len(row)))]


def _header(header: tuple[str, ...], where: str) -> tuple[list[int], int | None]:
    found: dict[int, int] = {}
    weight: int | None = None
    for column, name in enumerate(header):
        match = _RANK.match(name.strip())
        if match:
            number = whole_number(match.group(1), where, "rank")
            if number in found:
                raise InvalidBallotData(
                    where, f"column rank{number} appears twice; expected each rank once"
                )
            found[number] = column
        elif name.strip().lower() in _WEIGHT:
            if weight is not None:
                raise InvalidBallotData(where, "expected at most one weight/count column, got two")
            weight = column
    if not found:
        raise InvalidBallotData(
            where, f"expected rank columns rank1..rankN in the header, got {quote(list(header))}"
        )
    missing = [n for n in range(1, max(found) + 1) if n not in found]
    if missing:
        raise InvalidBallotData(
            where, f"rank column rank{missing[0]} is missing: expected rank1..rank{max(found)}"
        )
    return [found[n] for n in sorted(found)], weight


def _marks(
    row: list[str], ranks: list[int], marks: CvrMarkers, table: Table, number: int
) -> list[list[str] | None]:
    out: list[list[str] | None] = []
    for rank, column in enumerate(ranks, start=1):
        cell = row[column].strip()
        low = cell.lower()
        if low in marks.blank:
            out.append([])
        elif low in marks.overvote:
            out.append(None)
        elif low in marks.write_in:
            out.append([marks.write_in_name])
        else:
            names = [part.strip() for part in cell.split(marks.separator)]
            if not all(names):
                raise InvalidBallotData(
                    table.cell(number, column, f"rank{rank}"),
                    f"expected candidate names joined by {quote(marks.separator)}, "
                    f"got an empty name in {quote(cell)}",
                )
            out.append(names)
    return out


def _check_known(
    found: list[list[str] | None], given: Sequence[str] | None, marks: CvrMarkers, where: str
) -> None:
    if given is None:
        return
    for rank in found:
        for name in rank or ():
            if name not in given and name != marks.write_in_name:
                raise InvalidBallotData(
                    where,
                    f"unknown candidate {quote(name)}: expected one of {quote(list(given))}",
                )


def _weight(row: list[str], column: int | None, table: Table, number: int) -> int:
    if column is None:
        return 1
    cell = row[column].strip()
    where = table.cell(number, column, "weight")
    weight = whole_number(cell, where, "weight")
    if weight == 0:
        raise InvalidBallotData(
            where,
            f"weight {quote(cell)} is not a positive integer: expected the number of ballots "
            "the row stands for, at least 1",
        )
    return weight


def _candidates(
    cells: list[tuple[list[list[str] | None], int]],
    given: Sequence[str] | None,
    marks: CvrMarkers,
    source: str,
) -> tuple[str, ...]:
    """The candidates: the given ones (and the write-in if used), else every name used."""
    used = {name for row, _ in cells for rank in row if rank is not None for name in rank}
    if given is None:
        if not used:
            raise InvalidBallotData(
                source, "no candidate is marked on any ballot: expected at least one name"
            )
        return tuple(sorted(used))
    extra = (marks.write_in_name,) if marks.write_in_name in used else ()
    return (*given, *[e for e in extra if e not in given])
