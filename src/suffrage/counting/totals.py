"""Strict readers of vote totals for list elections (spec/counting.md#vote-totals).

The readers take text (the caller reads the file) and a source name used in errors. CSV: a
header ``name,votes`` (one district) or ``district,name,votes``, one row per list. JSON:
``{"seats": 21, "votes": {"A": 10}}`` or ``{"districts": {"D": {"seats": 5, "votes": {...}}}}``
(``seats`` optional). Anything else is refused with :class:`InvalidBallotData` naming the line
or key and what was expected.

A file of vote totals states no count of ballots, so its :attr:`VoteTotals.ballots` is
``None``; per-ballot approval and plurality files (spec/counting.md#marked-ballots), read by
:func:`read_count_csv`, :func:`read_count_json` and :func:`read_count_sheet`, carry theirs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from suffrage.counting.ballots import BallotTotals
from suffrage.counting.readers._json import json_kind, load_json
from suffrage.counting.readers._table import csv_table
from suffrage.counting.readers._text import csv_rows, sniff_delimiter, whole_number
from suffrage.counting.readers.marks import (
    MarkedBallots,
    marked_from_json,
    marked_from_table,
    parse_marks_sheet,
)
from suffrage.errors import InvalidBallotData, clip, quote
from suffrage.inputs import MAX_SEATS

__all__ = [
    "VoteTotals",
    "marked_totals",
    "read_count_csv",
    "read_count_json",
    "read_count_sheet",
    "read_record_totals",
    "read_totals_csv",
    "read_totals_json",
]

SINGLE = ""
"""The district name of a file with one district."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VoteTotals:
    """Votes per list in each district, and seats per district where the file gives them;
    ``ballots``: the ballots read, valid, blank and invalid when the file holds ballots,
    ``None`` for a file of totals, which states no such count (spec/counting.md#ballot-totals)."""

    districts: Mapping[str, Mapping[str, int]]
    seats: Mapping[str, int]
    ballots: BallotTotals | None = None

    @property
    def votes(self) -> Mapping[str, int]:
        """The votes of a file with a single district."""
        if set(self.districts) != {SINGLE}:
            raise InvalidBallotData(
                "districts",
                f"file has several districts ({', '.join(sorted(self.districts))}); "
                "expected one, pick it with --district",
            )
        return self.districts[SINGLE]


def _count(text: str, where: str) -> int:
    """A vote count: a plain non-negative decimal integer."""
    return whole_number(text.strip(), where, "votes")


def _name(text: str, where: str, what: str) -> str:
    """A non-empty name, stripped of surrounding spaces."""
    if not text.strip():
        raise InvalidBallotData(where, f"{what} is empty; expected a {what}")
    return text.strip()


_HEADERS = {
    "district": ("district", "fylkenavn"),
    "name": ("name", "partinavn"),
    "votes": ("votes", "antall stemmer totalt"),
    "seats": ("antall mandater",),
    "levelling": ("antall utjevningsmandater",),
}
"""Column names the CSV reader knows: ours, and those of Norway's official results export
(valgresultat.no: ``Fylkenavn;...;Partinavn;...;Antall stemmer totalt;...;Antall mandater``)."""


def _columns(header: list[str], where: str) -> dict[str, int]:
    """Where each known column is. Our own two forms must be exact; an official export
    (recognised by its column names) may carry other columns, which are ignored."""
    cells = [cell.strip().lower() for cell in header]
    while cells and not cells[-1]:
        cells.pop()  # a trailing delimiter, as in the Norwegian export
    if cells in (["name", "votes"], ["district", "name", "votes"]):
        return {name: cells.index(name) for name in cells}
    if len(cells) == 2 and cells[1].isascii() and cells[1].isdigit():
        return {"name": 0, "votes": 1, "headerless": 1}
    found = {
        key: cells.index(alias)
        for key, aliases in _HEADERS.items()
        for alias in aliases
        if alias in cells
    }
    if {"name", "votes"} <= set(found):
        return found
    raise InvalidBallotData(
        where,
        "expected a header name,votes or district,name,votes (or an official export such as "
        f"Norway's), got {quote(header)}",
    )


def read_totals_csv(text: str, *, source: str = "votes.csv") -> VoteTotals:
    """Read vote totals from CSV text separated by commas, semicolons or tabs (the header
    line decides); a file of two columns whose first line already ends in a count has no
    header (``name;votes`` rows, as official exports often are) (spec/counting.md#vote-totals)."""
    rows = csv_rows(text, source, sniff_delimiter(text))
    if not rows:
        raise InvalidBallotData(source, "file is empty; expected a header name,votes")
    columns = _columns(rows[0], f"{source} line 1")
    first = 0 if columns.pop("headerless", 0) else 1
    width = len(rows[0])
    districts: dict[str, dict[str, int]] = {}
    seats: dict[str, int] = {}
    for number, row in enumerate(rows[first:], start=first + 1):
        where = f"{source} line {number}"
        if not row or not any(cell.strip() for cell in row):
            raise InvalidBallotData(where, "blank line; expected a row name,votes")
        if len(row) != width:
            raise InvalidBallotData(
                where, f"expected {width} fields as in the header, found {len(row)}"
            )
        district = (
            _name(row[columns["district"]], where, "district") if "district" in columns else SINGLE
        )
        name = _name(row[columns["name"]], where, "name")
        votes = districts.setdefault(district, {})
        if name in votes:
            raise InvalidBallotData(
                where, f"{quote(name)} appears twice; expected each name once per district"
            )
        votes[name] = _count(row[columns["votes"]], where)
        if "seats" in columns:
            won = whole_number(row[columns["seats"]].strip(), where, "seats")
            levelling = row[columns["levelling"]].strip() if "levelling" in columns else "0"
            won -= whole_number(levelling, where, "levelling seats")
            seats[district] = seats.get(district, 0) + won
    if not districts:
        raise InvalidBallotData(
            source, "no vote totals after the header; expected one row per list"
        )
    return VoteTotals(districts=districts, seats={d: n for d, n in seats.items() if n > 0})


def _object(value: Any, where: str, what: str) -> dict[str, Any]:
    """A JSON object, or an error naming the key, what was expected and what was found."""
    if not isinstance(value, dict):
        raise InvalidBallotData(where, f"expected a JSON object {what}, got {json_kind(value)}")
    return value


def _votes(value: Any, where: str) -> dict[str, int]:
    """An object of list name -> non-negative integer votes."""
    out: dict[str, int] = {}
    for name, count in _object(value, where, "mapping each option to its votes").items():
        key = f"{where}.{clip(name)}"
        _name(name, key, "name")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise InvalidBallotData(
                key, f"expected the votes as a non-negative integer, got {quote(count)}"
            )
        out[name] = count
    if not out:
        raise InvalidBallotData(where, "no lists; expected at least one option and its votes")
    return out


def _seats(value: Any, where: str) -> int:
    """A positive integer seat count."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SEATS:
        raise InvalidBallotData(
            where, f"expected seats as a whole number from 1 to {MAX_SEATS}, got {quote(value)}"
        )
    return value


def _district(value: Any, where: str) -> tuple[dict[str, int], int | None]:
    """One district: its votes and, if given, its seats."""
    body = _object(value, where, "with 'votes' (and optionally 'seats')")
    unknown = sorted(set(body) - {"votes", "seats"})
    if unknown:
        raise InvalidBallotData(
            where, f"unknown keys {quote(unknown)}; expected only 'votes' and 'seats'"
        )
    if "votes" not in body:
        raise InvalidBallotData(where, "missing 'votes'; expected an object of votes per option")
    seats = _seats(body["seats"], f"{where}.seats") if "seats" in body else None
    return _votes(body["votes"], f"{where}.votes"), seats


def read_totals_json(text: str, *, source: str = "votes.json") -> VoteTotals:
    """Read vote totals from JSON text (spec/counting.md#vote-totals)."""
    return _totals_of(load_json(text, source), source)


def _totals_of(data: Any, source: str) -> VoteTotals:
    body = _object(data, source, "of vote totals ('votes' or 'districts')")
    if "districts" in body:
        if set(body) != {"districts"}:
            raise InvalidBallotData(
                source, "'districts' cannot be mixed with other keys; expected it alone"
            )
        districts: dict[str, dict[str, int]] = {}
        seats: dict[str, int] = {}
        every = _object(body["districts"], f"{source}: districts", "mapping each district")
        for name, value in every.items():
            votes, count = _district(value, f"{source}: districts.{clip(name)}")
            districts[name] = votes
            if count is not None:
                seats[name] = count
        if not districts:
            raise InvalidBallotData(f"{source}: districts", "no districts; expected at least one")
        return VoteTotals(districts=districts, seats=seats)
    votes, count = _district(body, source)
    return VoteTotals(districts={SINGLE: votes}, seats={} if count is None else {SINGLE: count})


def read_record_totals(
    text: str, contest: str | None, *, source: str = "results.json", manifest: str | None = None
) -> VoteTotals:
    """The counts of one contest of an election record's ``results.json`` as vote totals,
    named from the record's ``manifest.json`` (its first language) when it is given
    (spec/counting.md#vote-totals). A missing or unknown contest is refused naming the
    contests there are."""
    body = _object(load_json(text, source), source, "of an election record's results")
    contests = _object(body.get("results"), f"{source}: results", "mapping each contest")
    if contest is None or contest not in contests:
        given = "give one with --contest" if contest is None else f"no contest {quote(contest)}"
        there = ", ".join(sorted(contests))
        raise InvalidBallotData(source, f"{given}; the record has {there} (expected one of them)")
    where = f"{source}: results.{clip(contest)}"
    counted = _object(contests[contest], where, "with the contest's 'counts'")
    counts = _votes(counted.get("counts"), f"{where}.counts")
    names = _option_names(manifest, contest) if manifest is not None else {}
    return VoteTotals(districts={SINGLE: {names.get(k, k): v for k, v in counts.items()}}, seats={})


def _option_names(manifest: str, contest: str) -> dict[str, str]:
    """Option id -> name in the manifest's first language, for one contest."""
    body = _object(load_json(manifest, "manifest.json"), "manifest.json", "of a manifest")
    language = (body.get("languages") or ["en"])[0]
    for entry in body.get("contests", []):
        if isinstance(entry, dict) and entry.get("contest_id") == contest:
            return {
                option["option_id"]: _localised(option.get("name"), language, option["option_id"])
                for option in entry.get("options", [])
                if isinstance(option, dict) and isinstance(option.get("option_id"), str)
            }
    return {}


def _localised(name: Any, language: str, fallback: str) -> str:
    if isinstance(name, dict):
        value = name.get(language) or next(iter(name.values()), fallback)
        return value if isinstance(value, str) else fallback
    return name if isinstance(name, str) else fallback


def marked_totals(marked: MarkedBallots, most: int | None) -> VoteTotals:
    """Per-ballot marks counted into vote totals with their ballot totals, a ballot choosing
    more than ``most`` options being invalid (spec/counting.md#ballot-totals)."""
    votes, ballots = marked.tally(most)
    return VoteTotals(districts={SINGLE: votes}, seats={}, ballots=ballots)


def _is_totals_header(header: list[str]) -> bool:
    try:
        _columns(header, "")
    except InvalidBallotData:
        return False
    return True


def read_count_csv(text: str, *, source: str, most: int | None = 1) -> VoteTotals:
    """Vote totals (a ``name,votes`` header, a headerless ``name;votes`` file, an official
    export), or else per-ballot marks counted with at most ``most`` choices a ballot."""
    table = csv_table(text, source, sniff_delimiter(text))
    if table.rows and _is_totals_header(list(table.rows[0][1])):
        return read_totals_csv(text, source=source)
    return marked_totals(marked_from_table(table), most)


def read_count_json(text: str, *, source: str, most: int | None = 1) -> VoteTotals:
    """Vote totals, or per-ballot marks (a list, or an object with ``ballots``)."""
    data = load_json(text, source)
    if isinstance(data, list) or (isinstance(data, dict) and "ballots" in data):
        return marked_totals(marked_from_json(data, source), most)
    return _totals_of(data, source)


def read_count_sheet(
    data: bytes, *, source: str, sheet: str | None = None, most: int | None = 1
) -> VoteTotals:
    """Per-ballot marks from a sheet of an .xlsx workbook, counted into vote totals."""
    return marked_totals(parse_marks_sheet(data, source=source, sheet=sheet), most)
