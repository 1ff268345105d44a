"""Spreadsheets (.xlsx) as tables of text cells (spec/counting.md#xlsx).

The first sheet is read, or the one named; through openpyxl in read-only mode, values only
(a formula gives its cached value). A cell becomes text: empty is ``""``, a whole number
(``3`` or ``3.0``) its digits, any other value its text. Trailing empty cells of a row are
dropped, and a row with no value at all is left out, as an empty CSV line is.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time

from suffrage.counting.readers._table import Table
from suffrage.errors import InvalidBallotData, quote
from suffrage.inputs import MAX_LINE

__all__ = ["read_sheet"]


def read_sheet(data: bytes, *, source: str, sheet: str | None = None) -> Table:
    """The rows of one sheet of the workbook ``data`` (the first sheet unless ``sheet``)."""
    import openpyxl  # imported here: only spreadsheet reading needs it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InvalidBallotData(
            source, f"expected an .xlsx workbook, but it cannot be opened ({exc})"
        ) from None
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise InvalidBallotData(
                source, f"no sheet named {quote(sheet)}; expected one of {quote(names)}"
            )
        if not names:
            raise InvalidBallotData(source, "expected at least one sheet, found none")
        name = sheet if sheet is not None else names[0]
        rows = _rows(book[name].iter_rows(values_only=True), source, name)
    finally:
        book.close()
    return Table(source=source, rows=rows, sheet=name)


def _rows(
    values: Iterable[Iterable[object]], source: str, sheet: str
) -> tuple[tuple[int, tuple[str, ...]], ...]:
    out: list[tuple[int, tuple[str, ...]]] = []
    for number, row in enumerate(values, start=1):
        cells = [_text(v, source, sheet, number) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            out.append((number, tuple(cells)))
    return tuple(out)


def _text(value: object, source: str, sheet: str, number: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = str(value).strip()
    if len(text.encode("utf-8")) > MAX_LINE:
        raise InvalidBallotData(
            f"{source}: sheet {quote(sheet)}, row {number}",
            f"a cell longer than the limit of {MAX_LINE} bytes: expected shorter cells",
        )
    return text
