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
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from suffrage.counting.ballots import Profile, RankedBallot
from suffrage.counting.readers._text import csv_rows, whole_number
from suffrage.errors import InvalidBallotData, quote

__all__ = ["CvrMarkers", "parse_cvr"]

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
    marks = markers or CvrMarkers()
    rows = csv_rows(text, source)
    if not rows:
        raise InvalidBallotData(source, "empty file: expected a header row")
    ranks, weight = _header(rows[0], source)
    cells: list[tuple[list[list[str] | None], int]] = []
    for number, row in enumerate(rows[1:], start=2):
        where = f"{source} line {number}"
        if not row:  # an empty line; a row of blank cells is a blank ballot, counted
            continue
        if len(row) != len(rows[0]):
            raise InvalidBallotData(where, f"{len(row)} cells, the header has {len(rows[0])}")
        found = _marks(row, ranks, marks, where)
        _check_known(found, candidates, marks, where)
        cells.append((found, _weight(row, weight, where)))
    names = _candidates(cells, candidates, marks, source)
    index = {name: i for i, name in enumerate(names)}
    every = tuple(range(len(names)))
    ballots = tuple(
        RankedBallot(
            ranks=tuple(every if r is None else tuple(sorted({index[n] for n in r})) for r in row),
            weight=w,
        )
        for row, w in cells
    )
    return Profile(candidates=names, ballots=ballots, seats=seats, source=source)


def _header(header: list[str], source: str) -> tuple[list[int], int | None]:
    where = f"{source} line 1"
    found: dict[int, int] = {}
    weight: int | None = None
    for column, name in enumerate(header):
        match = _RANK.match(name.strip())
        if match:
            number = whole_number(match.group(1), where, "rank")
            if number in found:
                raise InvalidBallotData(where, f"column rank{number} appears twice")
            found[number] = column
        elif name.strip().lower() in _WEIGHT:
            if weight is not None:
                raise InvalidBallotData(where, "more than one weight/count column")
            weight = column
    if not found:
        raise InvalidBallotData(where, "no rank1..rankN columns")
    missing = [n for n in range(1, max(found) + 1) if n not in found]
    if missing:
        raise InvalidBallotData(where, f"rank column rank{missing[0]} is missing")
    return [found[n] for n in sorted(found)], weight


def _marks(
    row: list[str], ranks: list[int], marks: CvrMarkers, where: str
) -> list[list[str] | None]:
    out: list[list[str] | None] = []
    for column in ranks:
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
                raise InvalidBallotData(where, f"empty candidate name in {quote(cell)}")
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
                raise InvalidBallotData(where, f"unknown candidate {quote(name)}")


def _weight(row: list[str], column: int | None, where: str) -> int:
    if column is None:
        return 1
    cell = row[column].strip()
    weight = whole_number(cell, where, "weight")
    if weight == 0:
        raise InvalidBallotData(where, f"weight {quote(cell)} is not a positive integer")
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
            raise InvalidBallotData(source, "no candidate is marked on any ballot")
        return tuple(sorted(used))
    extra = (marks.write_in_name,) if marks.write_in_name in used else ()
    return (*given, *[e for e in extra if e not in given])
