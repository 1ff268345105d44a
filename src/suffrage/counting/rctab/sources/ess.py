"""ES&S cast-vote-record workbooks (``.xlsx``), as RCTab reads them (its StreamingCvrReader;
spec/counting.md#rctab-cast-vote-record-providers).

The first worksheet is streamed row by row (openpyxl in read-only mode). Every row element
from ``firstVoteRowIndex`` on is one record, even one without a cell (as for RCTab); the cells from
``firstVoteColumnIndex`` on are ranks 1, 2, ... (up to ``maxRankingsAllowed``); the id,
precinct and batch columns, when configured, are read from their own columns.
"""

from __future__ import annotations

import warnings
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser

from suffrage.counting.rctab.model import (
    OVERVOTE,
    UNDECLARED_WRITE_IN,
    Candidate,
    Cvr,
    CvrSource,
)
from suffrage.counting.rctab.sources._common import (
    MAX_FILE_BYTES,
    Names,
    rankings_of,
    sanitize,
)
from suffrage.errors import InvalidBallotData, quote

__all__ = ["read_ess"]

MISSING_PRECINCT = "missing_precinct_id"  # RCTab's precinct of a row without one
MISSING_BATCH = "missing_batch_id"  # RCTab's batch of a row without one
MAX_COLUMN = 1000  # RCTab's bounds on the configured column and row indices
MAX_ROW = 100_000

_SPREADSHEET_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    EOFError,
    SyntaxError,  # xml.etree's ParseError
    OSError,
)
_JAVA_BLANKS = "".join(chr(c) for c in range(33))  # what Java's String.trim() removes


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where a workbook's records are, 1-based as in the configuration."""

    first_row: int
    first_column: int
    last_column: int | None  # the last rank column, None for every column onward
    id_column: int | None
    precinct_column: int | None
    batch_column: int | None


@dataclass(slots=True)
class _Row:
    """The record being read from one worksheet row."""

    number: int
    marks: list[tuple[int, str]] = field(default_factory=list)
    last_rank: int = 0
    supplied_id: str | None = None
    precinct: str | None = None
    batch: str | None = None


def read_ess(
    source: CvrSource, candidates: Sequence[Candidate], max_rankings: int | None = None
) -> list[Cvr]:
    """Read an ES&S workbook into one :class:`Cvr` per row, in row order."""
    path = source.path
    layout = _layout(source, max_rankings)
    names = Names(path.name, candidates)
    records: list[Cvr] = []
    for row in _rows(path, layout, source, names):
        record = _record(row, len(records) + 1, layout, source, max_rankings)
        spelled = names.take_spellings()
        records.append(replace(record, spellings=spelled) if spelled else record)
    names.check()
    return records


def _layout(source: CvrSource, max_rankings: int | None) -> _Layout:
    where = f"{source.path.name}: cvrFileSources"
    first_column = _index(source.first_vote_column, "firstVoteColumnIndex", MAX_COLUMN, where)
    first_row = _index(source.first_vote_row, "firstVoteRowIndex", MAX_ROW, where)
    optional = {
        "idColumnIndex": source.id_column,
        "precinctColumnIndex": source.precinct_column,
        "batchColumnIndex": source.batch_column,
    }
    for name, value in optional.items():
        if value is not None:
            _index(value, name, MAX_COLUMN, where)
    last = None if max_rankings is None else first_column + max_rankings - 1
    return _Layout(
        first_row=first_row,
        first_column=first_column,
        last_column=last,
        id_column=source.id_column,
        precinct_column=source.precinct_column,
        batch_column=source.batch_column,
    )


def _index(value: int | None, name: str, limit: int, where: str) -> int:
    if value is None or not 1 <= value <= limit:
        raise InvalidBallotData(
            f"{where} {name}", f"expected an integer from 1 to {limit}, got {quote(value)}"
        )
    return value


def _rows(path: Path, layout: _Layout, source: CvrSource, names: Names) -> Iterator[_Row]:
    """Each record's row, its cells read in column order; a workbook that cannot be read is
    refused with the parser's reason, naming the file."""
    if not path.is_file():
        raise InvalidBallotData(str(path), "expected an ES&S .xlsx file: not found")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidBallotData(path.name, f"larger than the limit of {MAX_FILE_BYTES} bytes")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except _SPREADSHEET_ERRORS as exc:
            raise _not_a_workbook(path, exc) from None
        try:
            yield from _sheet_rows(book, path, layout, source, names)
        except _SPREADSHEET_ERRORS as exc:
            raise _not_a_workbook(path, exc) from None
        finally:
            book.close()


def _not_a_workbook(path: Path, exc: BaseException) -> InvalidBallotData:
    detail = str(exc).strip() or type(exc).__name__
    return InvalidBallotData(
        path.name,
        f"not a readable Excel workbook: {quote(detail)}; expected an ES&S cast-vote-record "
        ".xlsx file (Strict Open XML and OpenDocument are not read)",
    )


def _sheet_rows(
    book: Any, path: Path, layout: _Layout, source: CvrSource, names: Names
) -> Iterator[_Row]:
    for number, cells in _row_elements(book, path):
        if number < layout.first_row:
            continue
        row = _Row(number=number)
        for cell in cells:
            text = _text(cell["value"])
            if text is not None:
                _cell(
                    row,
                    cell["column"],
                    text,
                    layout=layout,
                    source=source,
                    names=names,
                    file=path.name,
                )
        yield row


def _row_elements(book: Any, path: Path) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Each ``<row>`` element of the first worksheet: its number and its cells.

    A row element without a cell is a record for RCTab (its reader starts one per row element)
    while a row number with no element is not; openpyxl's public row iterator fills such gaps
    with empty rows, so the sheet is streamed through the parser its read-only worksheet uses.
    """
    if not book.worksheets:
        raise InvalidBallotData(path.name, "the workbook has no worksheet")
    sheet = book.worksheets[0]
    with sheet._get_source() as stream:
        parser = WorkSheetParser(
            stream,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        yield from parser.parse()


def _text(value: object) -> str | None:
    """A cell's value as the text RCTab's formatter gives it; ``None`` when it holds nothing."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime | date | time | timedelta):
        text = value.isoformat() if not isinstance(value, timedelta) else str(value)
    else:
        text = str(value)
    return None if not text.strip(_JAVA_BLANKS) else text


def _cell(
    row: _Row,
    column: int,
    text: str,
    *,
    layout: _Layout,
    source: CvrSource,
    names: Names,
    file: str,
) -> None:
    if column == layout.precinct_column:
        row.precinct = text
    elif column == layout.batch_column:
        row.batch = text
    elif column == layout.id_column:
        row.supplied_id = text
    elif column >= layout.first_column and (
        layout.last_column is None or column <= layout.last_column
    ):
        rank = column - layout.first_column + 1
        _fill_blanks(row, rank, source)
        where = f"{file}: row {row.number}, column {get_column_letter(column)}"
        for name in _split(text, source, where):
            row.marks.append((rank, _name(name, source, names, where)))
        row.last_rank = rank


def _fill_blanks(row: _Row, rank: int, source: CvrSource) -> None:
    """Ranks between the last one read and ``rank`` hold no cell: nothing, or an undeclared
    write-in under ``treatBlankAsUndeclaredWriteIn``."""
    if source.treat_blank_as_undeclared_write_in:
        row.marks.extend((r, UNDECLARED_WRITE_IN) for r in range(row.last_rank + 1, rank))


def _split(text: str, source: CvrSource, where: str) -> list[str]:
    """The names in a cell: split on ``overvoteDelimiter`` (trailing empty parts dropped, as
    Java's split does), each trimmed; the skipped-rank label stands for no name."""
    cell = text.strip(_JAVA_BLANKS)
    parts = cell.split(source.overvote_delimiter) if source.overvote_delimiter else [cell]
    while parts and not parts[-1]:
        parts.pop()
    names = [part.strip(_JAVA_BLANKS) for part in parts]
    if len(names) > 1:
        for name in names:
            if not name or name == source.skipped_rank_label:
                raise InvalidBallotData(
                    where,
                    f"{quote(cell)}: a cell split by the overvote delimiter "
                    f"{quote(source.overvote_delimiter)} must name a candidate in every part, "
                    "not a blank or the skipped-rank label",
                )
    return [name for name in names if name != source.skipped_rank_label]


def _name(name: str, source: CvrSource, names: Names, where: str) -> str:
    if name == source.overvote_label:
        return OVERVOTE
    if name == source.undeclared_write_in_label:
        return UNDECLARED_WRITE_IN
    return names.resolve(name, where)


def _record(
    row: _Row, index: int, layout: _Layout, source: CvrSource, max_rankings: int | None
) -> Cvr:
    if max_rankings is not None:
        _fill_blanks(row, max_rankings + 1, source)
    if layout.id_column is not None and row.supplied_id is None:
        raise InvalidBallotData(
            f"{source.path.name}: row {row.number}, column {get_column_letter(layout.id_column)}",
            "expected the record's id (idColumnIndex), found an empty cell",
        )
    precinct = row.precinct
    if layout.precinct_column is not None and precinct is None:
        precinct = MISSING_PRECINCT
    batch = row.batch
    if layout.batch_column is not None and batch is None:
        batch = MISSING_BATCH
    return Cvr(
        source=source.path.name,
        id=f"{sanitize(source.path.name)}-{index}",
        supplied_id=row.supplied_id,
        precinct=precinct,
        batch=batch,
        rankings=rankings_of(row.marks),
    )
