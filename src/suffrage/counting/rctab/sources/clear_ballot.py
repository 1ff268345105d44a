"""Clear Ballot cast-vote records (CSV), as RCTab reads them (its ClearBallotCvrReader;
spec/counting.md#rctab-cast-vote-record-providers).

Ten fixed columns (RowNumber, BoxID, BoxPosition, BallotID, PrecinctID, BallotStyleID,
PrecinctStyleName, ScanComputerName, Status, Remade), then one column per contest, rank and
choice, headed ``<id>:<contest>:<rank>:<vote rule>:<choice>:<party>``; a 1 marks the choice at
that rank. Like RCTab, a line is split at each comma outside double quotes and the quotes are
kept in the values (so a quoted ballot id keeps its quotes, as in RCTab's audit output).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from openpyxl.utils import get_column_letter

from suffrage.counting.rctab.model import UNDECLARED_WRITE_IN, Candidate, Cvr, CvrSource
from suffrage.counting.rctab.sources._common import Names, rankings_of, read_bytes
from suffrage.errors import InvalidBallotData, quote
from suffrage.inputs import MAX_LINE

__all__ = ["read_clear_ballot"]

_SPLIT = re.compile(r',(?=(?:[^"]*"[^"]*")*[^"]*$)')  # a comma outside double quotes
_CHOICES_BEGIN = 10
_BALLOT_ID, _PRECINCT_ID, _SCAN_COMPUTER = 3, 4, 7
_HEADER_FIELDS = 6  # id, contest, rank, vote rule, choice, party


def _split(line: str) -> list[str]:
    """``line`` split at commas outside quotes, trailing empty fields dropped (Java's split)."""
    fields = _SPLIT.split(line)
    while fields and not fields[-1]:
        fields.pop()
    return fields


def read_clear_ballot(
    source: CvrSource, candidates: Sequence[Candidate], max_rankings: int | None = None
) -> list[Cvr]:
    """Read a Clear Ballot CSV: one record per line after the header, in order; ranks beyond
    ``max_rankings`` are not read (as RCTab reads none)."""
    file = source.path.name
    if not source.contest_id:
        raise InvalidBallotData(f"{file}: contestId", "expected the contest's name")
    data = read_bytes(source.path, "Clear Ballot CSV file")
    try:
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InvalidBallotData(f"{file} line {line}", "expected UTF-8 text") from None
    if not lines:
        raise InvalidBallotData(file, "empty file: expected a header row")
    columns = _columns(lines[0], source, max_rankings, file)
    names = Names(file, candidates)
    records = [
        _record(line, number, columns, source, names)
        for number, line in enumerate(lines[1:], start=2)
    ]
    names.check()
    return records


def _columns(
    header: str, source: CvrSource, max_rankings: int | None, file: str
) -> dict[int, tuple[int, str]]:
    """Column index -> (rank, choice) for the contest's choice columns."""
    fields = _split(header)
    if len(fields) < _CHOICES_BEGIN:
        raise InvalidBallotData(
            f"{file} line 1", f"{len(fields)} columns: expected {_CHOICES_BEGIN} and choices"
        )
    columns: dict[int, tuple[int, str]] = {}
    for index in range(_CHOICES_BEGIN, len(fields)):
        where = f"{file} line 1, column {get_column_letter(index + 1)}"
        parts = fields[index].split(":")
        if len(parts) != _HEADER_FIELDS:
            raise InvalidBallotData(
                where, f"{quote(fields[index])}: expected id:contest:rank:rule:choice:party"
            )
        if parts[1] != source.contest_id:
            continue
        rank = parts[2]
        if not (rank.isascii() and rank.isdigit() and len(rank) < 10 and int(rank) > 0):
            raise InvalidBallotData(where, f"expected a positive rank, got {quote(rank)}")
        choice = parts[4]
        if choice == source.undeclared_write_in_label:
            choice = UNDECLARED_WRITE_IN
        if max_rankings is None or int(rank) <= max_rankings:
            columns[index] = (int(rank), choice)
    return columns


def _record(
    line: str, number: int, columns: dict[int, tuple[int, str]], source: CvrSource, names: Names
) -> Cvr:
    file = source.path.name
    if len(line) > MAX_LINE:
        raise InvalidBallotData(f"{file} line {number}", f"longer than {MAX_LINE} characters")
    fields = _split(line)
    needed = max([_SCAN_COMPUTER, *columns]) + 1
    if len(fields) < needed:
        raise InvalidBallotData(
            f"{file} line {number}", f"{len(fields)} fields: expected at least {needed}"
        )
    marks: list[tuple[int, str]] = []
    for index, (rank, choice) in columns.items():
        value = fields[index].strip()
        where = f"{file} line {number}, column {get_column_letter(index + 1)}"
        if value not in ("0", "1"):
            raise InvalidBallotData(where, f"expected 0 or 1, got {quote(fields[index])}")
        if value == "1":
            marks.append((rank, names.resolve(choice, where)))
    return Cvr(
        source=file,
        id=fields[_BALLOT_ID],
        supplied_id=fields[_BALLOT_ID],
        precinct=fields[_PRECINCT_ID],
        tabulator=fields[_SCAN_COMPUTER],
        rankings=rankings_of(marks),
        spellings=names.take_spellings(),
    )
