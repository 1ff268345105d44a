"""Rows of cells from a CSV file or a spreadsheet sheet, and how errors name them.

A CSV row is named by its line (``c.csv line 7``) and a cell by its line and column
(``c.csv line 7, column 3 ('rank2')``); a sheet's row by its number and a cell by its
spreadsheet name (``c.xlsx: sheet 'CVR', cell C7``). A sheet's row has no length of its own
(empty cells at its end are simply absent), so ``ragged`` is true for a sheet: the readers
then treat missing cells as empty (spec/counting.md#uneven-rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from suffrage.counting.readers._text import csv_rows
from suffrage.errors import quote

__all__ = ["Table", "column_letters", "csv_table"]


def column_letters(column: int) -> str:
    """The spreadsheet name of the 0-based ``column``: 0 -> ``A``, 26 -> ``AA``."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """Numbered rows of text cells; ``sheet`` is the sheet's name for a spreadsheet."""

    source: str
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    sheet: str | None = None

    @property
    def ragged(self) -> bool:
        """True for a sheet, whose rows end at their last filled cell."""
        return self.sheet is not None

    def row(self, number: int) -> str:
        """The words naming row ``number`` in an error."""
        if self.sheet is None:
            return f"{self.source} line {number}"
        return f"{self.source}: sheet {quote(self.sheet)}, row {number}"

    def cell(self, number: int, column: int, heading: str = "") -> str:
        """The words naming the cell of row ``number`` and 0-based ``column`` in an error."""
        if self.sheet is None:
            named = f" ({quote(heading)})" if heading else ""
            return f"{self.source} line {number}, column {column + 1}{named}"
        return f"{self.source}: sheet {quote(self.sheet)}, cell {column_letters(column)}{number}"


def csv_table(text: str, source: str, delimiter: str = ",") -> Table:
    """The rows of CSV ``text``, numbered from 1."""
    rows = csv_rows(text, source, delimiter)
    return Table(source=source, rows=tuple((n, tuple(r)) for n, r in enumerate(rows, start=1)))
