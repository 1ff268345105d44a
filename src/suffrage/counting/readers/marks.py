"""Per-ballot approval and plurality ballots (spec/counting.md#marked-ballots).

Each ballot chooses a set of options (none: a blank ballot). Three layouts:

- a **grid** (CSV or .xlsx): a header of option names, one row per ballot, a cell ``1`` or
  ``x`` (any case) for a chosen option and ``0`` or empty for one not chosen;
- a **choice column** (CSV or .xlsx): a header with one column ``choice`` (or ``choices``),
  one row per ballot, the cell naming the chosen option, several joined by ``;``, none if empty;
- **JSON**: a list of ballots, or ``{"options": [...], "ballots": [...]}`` declaring the
  options; each ballot a list of chosen option names, or ``{"choices": [...], "weight": N}``.

In either CSV layout a ``weight`` (or ``count``) column says how many identical ballots a row
stands for, and ``id``, ``ballot`` or ``ballot id`` columns are ignored. Options are the
grid's header, the declared JSON options, or else every name chosen (sorted). Whether a
ballot choosing several options is valid is the method's rule, applied by
:meth:`MarkedBallots.tally` (spec/counting.md#ballot-totals).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from suffrage.counting.ballots import BallotTotals
from suffrage.counting.readers._json import json_kind, load_json
from suffrage.counting.readers._table import Table, csv_table
from suffrage.counting.readers._text import sniff_delimiter, whole_number
from suffrage.counting.readers.xlsx import read_sheet
from suffrage.errors import InvalidBallotData, clip, quote

__all__ = ["MarkedBallots", "marked_from_table", "parse_marks_csv", "parse_marks_json",
           "parse_marks_sheet"]  # fmt: skip

_MARK = frozenset({"1", "x"})
_NO_MARK = frozenset({"", "0"})
_CHOICE = ("choice", "choices")
_WEIGHT = ("weight", "count")
_IGNORED = ("id", "ballot", "ballot id", "ballot_id", "ballotid")
_JOIN = ";"


@dataclass(frozen=True, slots=True, kw_only=True)
class MarkedBallots:
    """The options and how many ballots chose each set of them (option indices, sorted)."""

    options: tuple[str, ...]
    choices: Mapping[tuple[int, ...], int]
    source: str

    def tally(self, most: int | None) -> tuple[dict[str, int], BallotTotals]:
        """Votes per option and the ballot totals when a ballot may choose at most ``most``
        options (``None``: any number): a ballot choosing none is blank, one choosing more
        is invalid (an overvote) and counts for no one (spec/counting.md#ballot-totals)."""
        votes = dict.fromkeys(self.options, 0)
        blank = invalid = read = 0
        for chosen, count in self.choices.items():
            read += count
            if not chosen:
                blank += count
            elif most is not None and len(chosen) > most:
                invalid += count
            else:
                for index in chosen:
                    votes[self.options[index]] += count
        totals = BallotTotals(read=read, valid=read - blank - invalid, blank=blank, invalid=invalid)
        return votes, totals


def parse_marks_csv(text: str, *, source: str = "ballots.csv") -> MarkedBallots:
    """Read per-ballot marks from CSV (comma, semicolon or tab, as the header shows)."""
    return marked_from_table(csv_table(text, source, sniff_delimiter(text)))


def parse_marks_sheet(
    data: bytes, *, source: str = "ballots.xlsx", sheet: str | None = None
) -> MarkedBallots:
    """Read per-ballot marks from a sheet of an .xlsx workbook (spec/counting.md#xlsx)."""
    return marked_from_table(read_sheet(data, source=source, sheet=sheet))


def marked_from_table(table: Table) -> MarkedBallots:
    """The ballots of a grid or a choice column (spec/counting.md#marked-ballots)."""
    if not table.rows:
        raise InvalidBallotData(
            table.source, "empty file: expected a header of option names or a 'choice' column"
        )
    top, header = table.rows[0]
    names = [cell.strip() for cell in header]
    lowered = [name.lower() for name in names]
    weight = _only(lowered, _WEIGHT, table.row(top), "weight/count")
    choice = _only(lowered, _CHOICE, table.row(top), "choice")
    if choice is not None:
        return _choice_column(table, choice, weight)
    return _grid(table, names, weight)


def _only(lowered: list[str], words: Sequence[str], where: str, what: str) -> int | None:
    found = [i for i, name in enumerate(lowered) if name in words]
    if len(found) > 1:
        raise InvalidBallotData(where, f"expected at most one {what} column, got {len(found)}")
    return found[0] if found else None


def _grid(table: Table, names: list[str], weight: int | None) -> MarkedBallots:
    top, header = table.rows[0]
    columns = [i for i, name in enumerate(names) if i != weight and name.lower() not in _IGNORED]
    options = tuple(names[i] for i in columns)
    _check_options(options, table.row(top))
    choices: dict[tuple[int, ...], int] = {}
    for number, row in table.rows[1:]:
        if not row:
            continue
        cells = _fit(row, len(header), table, number)
        chosen = tuple(
            k for k, column in enumerate(columns) if _mark(cells, column, names, table, number)
        )
        count = _weight(cells, weight, table, number)
        choices[chosen] = choices.get(chosen, 0) + count
    return MarkedBallots(options=options, choices=choices, source=table.source)


def _check_options(options: tuple[str, ...], where: str) -> None:
    if not options:
        raise InvalidBallotData(where, "expected option names in the header, found none")
    seen: set[str] = set()
    for column, name in enumerate(options, start=1):
        if not name:
            raise InvalidBallotData(where, f"expected an option name in column {column}, got ''")
        if name in seen:
            raise InvalidBallotData(
                where, f"option {quote(name)} appears twice; expected each option once"
            )
        seen.add(name)


def _fit(row: tuple[str, ...], width: int, table: Table, number: int) -> tuple[str, ...]:
    """A grid row has a cell for every column; a sheet's row may end early (empty cells)."""
    if table.ragged:
        extra = [i for i in range(width, len(row)) if row[i].strip()]
        if extra:
            raise InvalidBallotData(
                table.cell(number, extra[0]),
                f"expected nothing past the header's {width} columns, got {quote(row[extra[0]])}",
            )
        return (*row[:width], *([""] * (width - len(row))))
    if len(row) != width:
        raise InvalidBallotData(
            table.row(number),
            f"expected {width} cells as in the header (one per option: a grid row cannot "
            f"be short), got {len(row)}",
        )
    return row


def _mark(cells: Sequence[str], column: int, names: list[str], table: Table, number: int) -> bool:
    cell = cells[column].strip().lower()
    if cell in _MARK:
        return True
    if cell in _NO_MARK:
        return False
    raise InvalidBallotData(
        table.cell(number, column, names[column]),
        f"expected a mark (1 or x for a chosen option, 0 or empty for one not chosen), got "
        f"{quote(cells[column])} (vote totals need a header name,votes)",
    )


def _weight(cells: Sequence[str], column: int | None, table: Table, number: int) -> int:
    if column is None:
        return 1
    where = table.cell(number, column, "weight")
    weight = whole_number(cells[column].strip(), where, "weight")
    if weight == 0:
        raise InvalidBallotData(
            where, "expected a positive number of ballots the row stands for, got '0'"
        )
    return weight


def _choice_column(table: Table, column: int, weight: int | None) -> MarkedBallots:
    header = table.rows[0][1]
    rows: list[tuple[list[str], int]] = []
    for number, row in table.rows[1:]:
        if not row:
            continue
        cells = _fit(row, len(header), table, number)
        where = table.cell(number, column, header[column].strip())
        rows.append((_names(cells[column], where), _weight(cells, weight, table, number)))
    options = tuple(sorted({name for names, _ in rows for name in names}))
    index = {name: i for i, name in enumerate(options)}
    choices: dict[tuple[int, ...], int] = {}
    for names, count in rows:
        key = tuple(sorted(index[name] for name in names))
        choices[key] = choices.get(key, 0) + count
    return MarkedBallots(options=options, choices=choices, source=table.source)


def _names(cell: str, where: str) -> list[str]:
    if not cell.strip():
        return []
    names = [part.strip() for part in cell.split(_JOIN)]
    if not all(names):
        raise InvalidBallotData(
            where, f"expected option names joined by {quote(_JOIN)}, got {quote(cell)}"
        )
    _no_repeat(names, where)
    return names


def _no_repeat(names: Sequence[str], where: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InvalidBallotData(
                where, f"option {quote(name)} chosen twice; expected each option at most once"
            )
        seen.add(name)


def parse_marks_json(text: str, *, source: str = "ballots.json") -> MarkedBallots:
    """Read per-ballot marks from JSON (spec/counting.md#marked-ballots)."""
    return marked_from_json(load_json(text, source), source)


def marked_from_json(data: Any, source: str) -> MarkedBallots:
    """The ballots of parsed JSON ``data``: a list of ballots, or an object of them."""
    declared: tuple[str, ...] | None = None
    path = ""
    if isinstance(data, dict):
        unknown = sorted(set(data) - {"options", "ballots"})
        if unknown or "ballots" not in data:
            raise InvalidBallotData(
                source,
                "expected an object with 'ballots' (and optionally 'options'), got keys "
                f"{quote(sorted(data))}",
            )
        if "options" in data:
            declared = _declared(data["options"], f"{source}: options")
        data, path = data["ballots"], "ballots"
    if not isinstance(data, list):
        raise InvalidBallotData(
            f"{source}: {path}" if path else source,
            f"expected a list of ballots (each a list of chosen options), got {json_kind(data)}",
        )
    ballots = [_ballot(item, f"{source}: {path}[{i}]") for i, item in enumerate(data)]
    return _marked(ballots, declared, source, path)


def _declared(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidBallotData(where, f"expected a list of option names, got {json_kind(value)}")
    options = tuple(v.strip() for v in value)
    _check_options(options, where)
    return options


def _ballot(item: Any, where: str) -> tuple[list[str], int]:
    weight = 1
    if isinstance(item, dict):
        unknown = sorted(set(item) - {"choices", "weight"})
        if unknown or "choices" not in item:
            raise InvalidBallotData(
                where,
                "expected a list of chosen options or an object with 'choices' (and "
                f"optionally 'weight'), got keys {quote(sorted(item))}",
            )
        weight = _json_weight(item.get("weight", 1), f"{where}.weight")
        item, where = item["choices"], f"{where}.choices"
    if not isinstance(item, list):
        raise InvalidBallotData(
            where, f"expected a list of chosen option names, got {json_kind(item)}"
        )
    names: list[str] = []
    for k, name in enumerate(item):
        if not isinstance(name, str) or not name.strip():
            raise InvalidBallotData(
                f"{where}[{k}]", f"expected an option name, got {json_kind(name)} {quote(name)}"
            )
        names.append(name.strip())
    _no_repeat(names, where)
    return names, weight


def _json_weight(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidBallotData(
            where, f"expected a positive whole number of ballots, got {quote(value)}"
        )
    return value


def _marked(
    ballots: list[tuple[list[str], int]], declared: tuple[str, ...] | None, source: str, path: str
) -> MarkedBallots:
    used = {name for names, _ in ballots for name in names}
    options = declared if declared is not None else tuple(sorted(used))
    index = {name: i for i, name in enumerate(options)}
    choices: dict[tuple[int, ...], int] = {}
    for number, (names, count) in enumerate(ballots):
        for name in names:
            if name not in index:
                raise InvalidBallotData(
                    f"{source}: {path}[{number}]",
                    f"unknown option {quote(clip(name))}: expected one of {quote(list(options))}",
                )
        key = tuple(sorted(index[name] for name in names))
        choices[key] = choices.get(key, 0) + count
    return MarkedBallots(options=options, choices=choices, source=source)
