"""Strict readers of vote totals for list elections (spec/counting.md#vote-totals).

The readers take text (the caller reads the file) and a source name used in errors. CSV: a
header ``name,votes`` (one district) or ``district,name,votes``, one row per list. JSON:
``{"seats": 21, "votes": {"A": 10}}`` or ``{"districts": {"D": {"seats": 5, "votes": {...}}}}``
(``seats`` optional). Anything else is refused with :class:`InvalidBallotData` naming the line
or key and the problem.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from suffrage.counting.readers._text import csv_rows, sniff_delimiter, whole_number
from suffrage.errors import InvalidBallotData, clip, quote
from suffrage.inputs import (
    MAX_SEATS,
    BeyondLimits,
    DuplicateKey,
    JsonRefusal,
    NotANumber,
    load_strict_json,
    lone_surrogate_path,
)

__all__ = ["VoteTotals", "read_record_totals", "read_totals_csv", "read_totals_json"]

SINGLE = ""
"""The district name of a file with one district."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VoteTotals:
    """Votes per list in each district, and seats per district where the file gives them."""

    districts: Mapping[str, Mapping[str, int]]
    seats: Mapping[str, int]

    @property
    def votes(self) -> Mapping[str, int]:
        """The votes of a file with a single district."""
        if set(self.districts) != {SINGLE}:
            raise InvalidBallotData("districts", "file has several districts; pick one")
        return self.districts[SINGLE]


def _count(text: str, where: str) -> int:
    """A vote count: a plain non-negative decimal integer."""
    return whole_number(text.strip(), where, "votes")


def _name(text: str, where: str, what: str) -> str:
    """A non-empty name, stripped of surrounding spaces."""
    if not text.strip():
        raise InvalidBallotData(where, f"{what} is empty")
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
        "header must be name,votes or district,name,votes (or an official export such as "
        f"Norway's), not {quote(header)}",
    )


def read_totals_csv(text: str, *, source: str = "votes.csv") -> VoteTotals:
    """Read vote totals from CSV text separated by commas, semicolons or tabs (the header
    line decides); a file of two columns whose first line already ends in a count has no
    header (``name;votes`` rows, as official exports often are) (spec/counting.md#vote-totals)."""
    rows = csv_rows(text, source, sniff_delimiter(text))
    if not rows:
        raise InvalidBallotData(source, "file is empty")
    columns = _columns(rows[0], f"{source} line 1")
    first = 0 if columns.pop("headerless", 0) else 1
    width = len(rows[0])
    districts: dict[str, dict[str, int]] = {}
    seats: dict[str, int] = {}
    for number, row in enumerate(rows[first:], start=first + 1):
        where = f"{source} line {number}"
        if not row or not any(cell.strip() for cell in row):
            raise InvalidBallotData(where, "blank line")
        if len(row) != width:
            raise InvalidBallotData(where, f"expected {width} fields, found {len(row)}")
        district = (
            _name(row[columns["district"]], where, "district") if "district" in columns else SINGLE
        )
        name = _name(row[columns["name"]], where, "name")
        votes = districts.setdefault(district, {})
        if name in votes:
            raise InvalidBallotData(where, f"{quote(name)} appears twice")
        votes[name] = _count(row[columns["votes"]], where)
        if "seats" in columns:
            won = whole_number(row[columns["seats"]].strip(), where, "seats")
            levelling = row[columns["levelling"]].strip() if "levelling" in columns else "0"
            won -= whole_number(levelling, where, "levelling seats")
            seats[district] = seats.get(district, 0) + won
    if not districts:
        raise InvalidBallotData(source, "no vote totals after the header")
    return VoteTotals(districts=districts, seats={d: n for d, n in seats.items() if n > 0})


def _object(value: Any, where: str) -> dict[str, Any]:
    """A JSON object, or an error naming the key."""
    if not isinstance(value, dict):
        raise InvalidBallotData(where, f"must be an object, not {type(value).__name__}")
    return value


def _votes(value: Any, where: str) -> dict[str, int]:
    """An object of list name -> non-negative integer votes."""
    out: dict[str, int] = {}
    for name, count in _object(value, where).items():
        key = f"{where}.{clip(name)}"
        _name(name, key, "name")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise InvalidBallotData(
                key, f"votes must be a non-negative integer, not {quote(count)}"
            )
        out[name] = count
    if not out:
        raise InvalidBallotData(where, "no lists")
    return out


def _seats(value: Any, where: str) -> int:
    """A positive integer seat count."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SEATS:
        raise InvalidBallotData(
            where, f"seats must be a whole number from 1 to {MAX_SEATS}, not {quote(value)}"
        )
    return value


def _district(value: Any, where: str) -> tuple[dict[str, int], int | None]:
    """One district: its votes and, if given, its seats."""
    body = _object(value, where)
    unknown = sorted(set(body) - {"votes", "seats"})
    if unknown:
        raise InvalidBallotData(where, f"unknown keys {quote(unknown)}")
    if "votes" not in body:
        raise InvalidBallotData(where, "missing 'votes'")
    seats = _seats(body["seats"], f"{where}.seats") if "seats" in body else None
    return _votes(body["votes"], f"{where}.votes"), seats


def read_totals_json(text: str, *, source: str = "votes.json") -> VoteTotals:
    """Read vote totals from JSON text (spec/counting.md#vote-totals)."""
    body = _object(_load_json(text, source), source)
    if "districts" in body:
        if set(body) != {"districts"}:
            raise InvalidBallotData(source, "'districts' cannot be mixed with other keys")
        districts: dict[str, dict[str, int]] = {}
        seats: dict[str, int] = {}
        for name, value in _object(body["districts"], f"{source}: districts").items():
            votes, count = _district(value, f"{source}: districts.{clip(name)}")
            districts[name] = votes
            if count is not None:
                seats[name] = count
        if not districts:
            raise InvalidBallotData(f"{source}: districts", "no districts")
        return VoteTotals(districts=districts, seats=seats)
    votes, count = _district(body, source)
    return VoteTotals(districts={SINGLE: votes}, seats={} if count is None else {SINGLE: count})


def _load_json(text: str, source: str) -> Any:
    """JSON ``text`` within the limits of spec/counting.md#limits, checked before parsing."""
    try:
        data = load_strict_json(text)
    except json.JSONDecodeError as error:
        where = f"{source} line {error.lineno}"
        raise InvalidBallotData(where, f"{error.msg} (column {error.colno})") from None
    except JsonRefusal as refusal:
        raise InvalidBallotData(source, _refusal_reason(refusal)) from None
    bad = lone_surrogate_path(data)
    if bad is not None:
        raise InvalidBallotData(f"{source}: {bad}", "holds a lone surrogate (not Unicode text)")
    return data


def _refusal_reason(refusal: JsonRefusal) -> str:
    """The counting files' wording of a refused JSON document (spec/counting.md#limits)."""
    if isinstance(refusal, DuplicateKey):
        return f"key {quote(refusal.key)} appears twice"
    if isinstance(refusal, NotANumber):
        return f"{refusal.text} is not a number"
    if isinstance(refusal, BeyondLimits):
        return f"JSON {refusal.problem}"
    return refusal.reason  # an integer beyond ±(2^63 - 1)


def read_record_totals(
    text: str, contest: str | None, *, source: str = "results.json", manifest: str | None = None
) -> VoteTotals:
    """The counts of one contest of an election record's ``results.json`` as vote totals,
    named from the record's ``manifest.json`` (its first language) when it is given
    (spec/counting.md#vote-totals). A missing or unknown contest is refused naming the
    contests there are."""
    body = _object(_load_json(text, source), source)
    contests = _object(body.get("results"), f"{source}: results")
    if contest is None or contest not in contests:
        given = "give one with --contest" if contest is None else f"no contest {quote(contest)}"
        raise InvalidBallotData(source, f"{given}; the record has {', '.join(sorted(contests))}")
    where = f"{source}: results.{clip(contest)}"
    counts = _votes(_object(contests[contest], where).get("counts"), f"{where}.counts")
    names = _option_names(manifest, contest) if manifest is not None else {}
    return VoteTotals(districts={SINGLE: {names.get(k, k): v for k, v in counts.items()}}, seats={})


def _option_names(manifest: str, contest: str) -> dict[str, str]:
    """Option id -> name in the manifest's first language, for one contest."""
    body = _object(_load_json(manifest, "manifest.json"), "manifest.json")
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
