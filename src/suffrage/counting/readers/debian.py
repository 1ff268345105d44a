"""Debian vote tally sheets (spec/counting.md#debian-tally).

::

         Option 1----->: Jonathan Carter
       /  Option 2---->: Sruthi Chandran
    ...
    V: 2313 		00230fd5e1d4...     one line per voter

In a ``V:`` line the i-th character is the rank the voter gave option i (``1`` best; equal
digits rank equally; ``-`` leaves the option unranked, below every ranked option). The default
option is the one called "None Of The Above" or "Further Discussion" (any case), else the last.
Older sheets are Latin-1: bytes that are not UTF-8 are read as Latin-1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from suffrage.counting.ballots import Profile, RankedBallot
from suffrage.counting.readers._text import check_text
from suffrage.errors import InvalidBallotData, quote

__all__ = ["DebianTally", "parse_debian_tally"]

_OPTION = re.compile(r"Option\s+([0-9A-Za-z]+)-*>:\s*(.+?)\s*$")
_VOTE = re.compile(r"^V:\s+(\S+)(?:\s+(\S+))?\s*$")
_DEFAULTS = ("none of the above", "further discussion")


@dataclass(frozen=True, slots=True, kw_only=True)
class DebianTally:
    """The ballots of a Debian vote and the name of its default option."""

    profile: Profile
    default: str


def parse_debian_tally(data: str | bytes, *, source: str = "tally") -> DebianTally:
    """Read a Debian tally sheet (spec/counting.md#debian-tally)."""
    text = _decode(data) if isinstance(data, bytes) else data
    check_text(text, source)
    options: list[str] = []
    ballots: list[RankedBallot] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        where = f"{source} line {number}"
        option = _OPTION.search(raw)
        if option and not ballots:
            options.append(option.group(2))
        elif raw.startswith("V:"):
            if not options:
                raise InvalidBallotData(
                    where,
                    "a 'V:' line before any 'Option N--->: name' line: expected the options first",
                )
            ballots.append(_vote(raw, len(options), where))
    if not options:
        raise InvalidBallotData(
            source, "no 'Option N--->: name' lines: expected one naming each option"
        )
    if not ballots:
        raise InvalidBallotData(source, "no 'V:' vote lines: expected one line per voter")
    profile = Profile(candidates=tuple(options), ballots=tuple(ballots), seats=1, source=source)
    return DebianTally(profile=profile, default=_default(options))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _vote(raw: str, count: int, where: str) -> RankedBallot:
    found = _VOTE.match(raw)
    if not found:
        raise InvalidBallotData(
            where, f"{quote(raw.strip())} is not 'V: <ranks> <hash>': expected e.g. 'V: 21- <hash>'"
        )
    marks = found.group(1)
    if len(marks) != count:
        raise InvalidBallotData(
            where, f"{len(marks)} marks for {count} options: expected {count}, one per option"
        )
    by_rank: dict[int, list[int]] = {}
    for option, mark in enumerate(marks):
        if mark == "-":
            continue
        if not mark.isdigit() or mark == "0":
            raise InvalidBallotData(
                f"{where}, column {found.start(1) + option + 1}",
                f"mark {quote(mark)} for option {option + 1} is not 1-9 or -: expected a rank "
                "1-9, or '-' for an option not ranked",
            )
        by_rank.setdefault(int(mark), []).append(option)
    ranks = tuple(tuple(by_rank[r]) for r in sorted(by_rank))
    return RankedBallot(ranks=ranks, weight=1)


def _default(options: list[str]) -> str:
    for name in options:
        if name.strip().lower() in _DEFAULTS:
            return name
    return options[-1]
