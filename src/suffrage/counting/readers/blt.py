"""BLT ballot files (spec/counting.md#blt), the format of OpenSTV, Droop and most STV data.

::

    4 2                    candidates seats
    -3                     optional: withdrawn candidates, negative numbers
    12 1 3 0               weight, preferences (1-based), terminating 0
    3 2=4 - 1 0            '=' joins candidates at one rank; '-' is a skipped rank
    0                      end of ballots
    "Ann" / Ann            one candidate name per line, quoted or not
    "Title"                optional title

A ballot line may start with an identifier in parentheses, ``(b17) 1 2 3 0``.
"""

from __future__ import annotations

from suffrage.counting.ballots import Profile, RankedBallot
from suffrage.counting.readers._text import check_text, whole_number
from suffrage.errors import InvalidBallotData, quote
from suffrage.inputs import MAX_SEATS

__all__ = ["parse_blt"]


def parse_blt(text: str, *, source: str = "blt") -> Profile:
    """Read a BLT file into a :class:`Profile` (spec/counting.md#blt)."""
    check_text(text, source)
    lines = text.splitlines()
    number = _skip_blank(lines, 0)
    count, seats = _header(lines, number, source)
    number += 1
    withdrawn: set[int] = set()
    number = _skip_blank(lines, number)
    if number < len(lines) and lines[number].lstrip().startswith("-"):
        withdrawn = _withdrawn(lines[number], count, f"{source} line {number + 1}")
        number += 1
    ballots, number = _ballots(lines, number, count, source)
    names, title = _names(lines, number, count, source)
    return Profile(
        candidates=names,
        ballots=tuple(ballots),
        seats=seats,
        title=title,
        withdrawn=frozenset(withdrawn),
        source=source,
    )


def _skip_blank(lines: list[str], number: int) -> int:
    while number < len(lines) and (not lines[number].strip() or lines[number].startswith("#")):
        number += 1
    return number


def _header(lines: list[str], number: int, source: str) -> tuple[int, int]:
    where = f"{source} line {number + 1}"
    if number >= len(lines):
        raise InvalidBallotData(source, "empty file: expected 'candidates seats'")
    parts = lines[number].split()
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise InvalidBallotData(where, f"expected 'candidates seats', got {quote(lines[number])}")
    count, seats = (whole_number(p, where, "number") for p in parts)
    if count < 1 or not 1 <= seats <= count:
        raise InvalidBallotData(
            where, f"{seats} seats for {count} candidates: expected 1 to {count} seats"
        )
    if seats > MAX_SEATS:
        raise InvalidBallotData(where, f"{seats} seats: expected at most {MAX_SEATS}")
    return count, seats


def _withdrawn(line: str, count: int, where: str) -> set[int]:
    out: set[int] = set()
    for token in line.split():
        if not (token.startswith("-") and token[1:].isdigit()):
            raise InvalidBallotData(
                where, f"expected a withdrawn candidate as -N (N its number), got {quote(token)}"
            )
        out.add(_candidate(token[1:], count, where))
    return out


def _ballots(
    lines: list[str], number: int, count: int, source: str
) -> tuple[list[RankedBallot], int]:
    ballots: list[RankedBallot] = []
    while True:
        if number >= len(lines):
            raise InvalidBallotData(
                source, "the file ends before the '0' line ending the ballots: expected a line '0'"
            )
        tokens = lines[number].split()
        number += 1
        if not tokens:
            continue
        if tokens == ["0"]:
            return ballots, number
        ballots.append(_ballot(tokens, count, f"{source} line {number}"))


def _ballot(tokens: list[str], count: int, where: str) -> RankedBallot:
    if tokens[0].startswith("("):
        tokens = tokens[1:]
    if len(tokens) < 2 or tokens[-1] != "0":
        raise InvalidBallotData(
            where, f"expected a ballot line 'weight prefs... 0', got {quote(' '.join(tokens))}"
        )
    weight = whole_number(tokens[0], where, "weight")
    if weight == 0:
        raise InvalidBallotData(
            where,
            f"weight {quote(tokens[0])} is not a positive integer: expected at least 1 (a "
            "ballot line stands for that many ballots)",
        )
    ranks = tuple(_rank(t, count, where) for t in tokens[1:-1])
    return RankedBallot(ranks=ranks, weight=weight)


def _rank(mark: str, count: int, where: str) -> tuple[int, ...]:
    if mark.isdigit():
        return (_candidate(mark, count, where),)
    if mark == "-":
        return ()
    parts = mark.split("=")
    return tuple(sorted({_candidate(p, count, where) for p in parts}))


def _candidate(token: str, count: int, where: str) -> int:
    if not token.isdigit():
        raise InvalidBallotData(
            where, f"{quote(token)} is not a candidate number: expected 1..{count}, '-' or a=b"
        )
    value = whole_number(token, where, "candidate number")
    if not 1 <= value <= count:
        raise InvalidBallotData(
            where, f"candidate {value} is not in 1..{count}: expected a candidate number 1..{count}"
        )
    return value - 1


def _names(lines: list[str], number: int, count: int, source: str) -> tuple[tuple[str, ...], str]:
    names: list[str] = []
    title = ""
    for offset, raw in enumerate(lines[number:], start=number + 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        value = _unquote(line, f"{source} line {offset}")
        if len(names) < count:
            names.append(value)
        elif not title:
            title = value
        else:
            raise InvalidBallotData(
                f"{source} line {offset}",
                f"text after the title: expected nothing, got {quote(line)}",
            )
    if len(names) < count:
        raise InvalidBallotData(
            source, f"{count} candidate names expected after the '0' line, found {len(names)}"
        )
    return tuple(names), title


def _unquote(line: str, where: str) -> str:
    """The name on ``line``, quotes removed and runs of spaces made one."""
    if line.startswith('"'):
        if len(line) < 2 or not line.endswith('"'):
            raise InvalidBallotData(
                where, f"unterminated quoted name {quote(line)}: expected a closing '\"'"
            )
        line = line[1:-1]
    name = " ".join(line.split())
    if not name:
        raise InvalidBallotData(where, "empty name: expected a candidate name")
    return name
