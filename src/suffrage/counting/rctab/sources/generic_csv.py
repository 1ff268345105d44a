"""Generic CSV cast-vote records, as RCTab reads them (its CsvCvrReader;
spec/counting.md#rctab-cast-vote-record-providers).

The first row names the candidates, one per column from ``firstVoteColumnIndex`` on; each
following row is a record whose cell under a candidate holds the rank given to that candidate
(blank: not ranked). The column headed by ``undeclaredWriteInLabel`` is the undeclared write-in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl.utils import get_column_letter

from suffrage.counting.rctab.model import UNDECLARED_WRITE_IN, Candidate, Cvr, CvrSource
from suffrage.counting.rctab.sources._common import Names, rankings_of, read_bytes
from suffrage.counting.rctab.sources.ess import MAX_COLUMN, MAX_ROW
from suffrage.errors import InvalidBallotData, quote
from suffrage.inputs import MAX_LINE, long_line

__all__ = ["NO_BATCH", "NO_PRECINCT", "read_csv_source", "text_rows"]

NO_PRECINCT = "no precinct id"  # RCTab's precinct of a row whose precinct cell is blank
NO_BATCH = "no batch id"  # RCTab's batch of a row whose batch cell is blank


def text_rows(data: bytes, file: str) -> list[list[str]]:
    """The CSV rows of ``data`` (UTF-8, a byte-order mark dropped); an empty line is no row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InvalidBallotData(f"{file} line {line}", "expected UTF-8 text") from None
    number = long_line(text)
    if number is not None:
        raise InvalidBallotData(f"{file} line {number}", f"longer than {MAX_LINE} bytes")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return list(reader)
    except csv.Error as exc:
        raise InvalidBallotData(f"{file} line {reader.line_num}", f"not CSV: {exc}") from None


def read_csv_source(
    source: CvrSource, candidates: Sequence[Candidate], max_rankings: int | None = None
) -> list[Cvr]:
    """Read a generic CSV source into one :class:`Cvr` per row after the header, in order."""
    del max_rankings  # checked after reading
    file = source.path.name
    first = _index(source.first_vote_column, "firstVoteColumnIndex", MAX_COLUMN, file)
    first_row = _index(source.first_vote_row, "firstVoteRowIndex", MAX_ROW, file)
    rows = text_rows(read_bytes(source.path, "generic CSV file"), file)
    if not rows:
        raise InvalidBallotData(file, "empty file: expected a header row naming the candidates")
    header = _header(rows[0], first, source, file)
    names = Names(file, candidates)
    records: list[Cvr] = []
    for number, row in enumerate(rows, start=1):
        if number < max(first_row, 2) or not row:
            continue
        records.append(
            _record(
                row,
                number=number,
                index=len(records) + 1,
                header=header,
                first=first,
                source=source,
                names=names,
            )
        )
    names.check()
    return records


def _index(value: int | None, name: str, limit: int, file: str) -> int:
    if value is None or not 1 <= value <= limit:
        raise InvalidBallotData(
            f"{file}: cvrFileSources {name}",
            f"expected an integer from 1 to {limit}, got {quote(value)}",
        )
    return value


def _header(row: list[str], first: int, source: CvrSource, file: str) -> list[str]:
    """The name heading each vote column (the undeclared write-in's already replaced)."""
    if len(row) < first:
        raise InvalidBallotData(
            f"{file} line 1",
            f"{len(row)} columns: expected candidate names from column "
            f"{get_column_letter(first)} (firstVoteColumnIndex {first})",
        )
    names = row[first - 1 :]
    for offset, name in enumerate(names):
        if not name.strip():
            column = get_column_letter(first + offset)
            raise InvalidBallotData(
                f"{file} line 1, column {column}", "expected a candidate name, got a blank cell"
            )
    label = source.undeclared_write_in_label
    if label in names:
        names[names.index(label)] = UNDECLARED_WRITE_IN
    return names


def _record(
    row: list[str],
    *,
    number: int,
    index: int,
    header: list[str],
    first: int,
    source: CvrSource,
    names: Names,
) -> Cvr:
    file = source.path.name
    if len(row) > first - 1 + len(header):
        raise InvalidBallotData(
            f"{file} line {number}",
            f"{len(row)} cells: expected at most {first - 1 + len(header)}, as the header has",
        )
    marks: list[tuple[int, str]] = []
    for column in range(first, len(row) + 1):
        cell = row[column - 1].strip()
        if not cell:
            continue
        where = f"{file} line {number}, column {get_column_letter(column)}"
        if not (cell.isascii() and cell.isdigit() and len(cell) < 10 and int(cell) > 0):
            raise InvalidBallotData(
                where, f"expected a rank (a positive integer), got {quote(cell)}"
            )
        marks.append((int(cell), names.resolve(header[column - first], where)))
    return Cvr(
        source=file,
        id=str(index),
        supplied_id=_cell(row, source.id_column, number, "idColumnIndex", file),
        precinct=_blank_as(
            _cell(row, source.precinct_column, number, "precinctColumnIndex", file), NO_PRECINCT
        ),
        batch=_blank_as(
            _cell(row, source.batch_column, number, "batchColumnIndex", file), NO_BATCH
        ),
        rankings=rankings_of(marks),
        spellings=names.take_spellings(),
    )


def _cell(row: list[str], column: int | None, number: int, what: str, file: str) -> str | None:
    if column is None:
        return None
    if not 1 <= column <= len(row):
        raise InvalidBallotData(
            f"{file} line {number}",
            f"{len(row)} cells: expected a cell in column {column} ({what})",
        )
    return row[column - 1]


def _blank_as(value: str | None, default: str) -> str | None:
    if value is None:
        return None
    return value if value.strip() else default
