"""ABIF, the Aggregated Ballot Information Format (spec/counting.md#abif).

::

    {title: "Mayor 2009"}          metadata; the title is kept
    =Kiss:[Bob Kiss (Progressive)]  a candidate token and its full name
    # a comment
    840:Wright                      count:ranking
    1:Write-in=Wright>Montroll      '>' prefers, '=' or ',' ranks equally (an overvote)

Candidates are named by their token (``[...]`` allows spaces in a token). Tokens a ballot uses
without a declaration are added in order of first use. Ratings (``A/5``) are refused.
"""

from __future__ import annotations

import re

from suffrage.counting.ballots import Profile, RankedBallot
from suffrage.counting.readers._text import check_text, whole_number
from suffrage.errors import InvalidBallotData, quote

__all__ = ["parse_abif"]

_TOKEN = re.compile(r"\s*(\[[^\]]*\]|[A-Za-z0-9_.\-]+)\s*")
_DECLARE = re.compile(r"^=\s*(\[[^\]]*\]|[A-Za-z0-9_.\-]+)\s*(?::\s*\[[^\]]*\])?\s*$")
_BALLOT = re.compile(r"^(\d+)\s*:(.*)$")
_TITLE = re.compile(r'^\{\s*title\s*:\s*"(.*)"\s*\}$')


def parse_abif(text: str, *, source: str = "abif", seats: int = 1) -> Profile:
    """Read an ABIF file into a :class:`Profile` for ``seats`` seats (spec/counting.md#abif)."""
    check_text(text, source)
    names: dict[str, int] = {}
    ballots: list[RankedBallot] = []
    title = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        where = f"{source} line {number}"
        if not line:
            continue
        if line.startswith("{"):
            title = _metadata(line, where) or title
        elif line.startswith("="):
            _declare(line, names, where)
        else:
            ballots.append(_ballot(line, names, where))
    if not names:
        raise InvalidBallotData(
            source, "no candidates declared or ranked: expected '=token' lines or ballots"
        )
    if seats > len(names):
        raise InvalidBallotData(
            source, f"{seats} seats for {len(names)} candidates: expected at most {len(names)}"
        )
    return Profile(
        candidates=tuple(names), ballots=tuple(ballots), seats=seats, title=title, source=source
    )


def _metadata(line: str, where: str) -> str:
    if not line.endswith("}"):
        raise InvalidBallotData(
            where, f"metadata must be '{{key: value}}': expected a closing '}}', got {quote(line)}"
        )
    found = _TITLE.match(line)
    return found.group(1) if found else ""


def _declare(line: str, names: dict[str, int], where: str) -> None:
    found = _DECLARE.match(line)
    if not found:
        raise InvalidBallotData(
            where, f"expected a declaration '=token' or '=token:[Full name]', got {quote(line)}"
        )
    token = _name(found.group(1))
    if token in names:
        raise InvalidBallotData(
            where, f"candidate {quote(token)} declared twice: expected each token once"
        )
    names[token] = len(names)


def _ballot(line: str, names: dict[str, int], where: str) -> RankedBallot:
    found = _BALLOT.match(line)
    if not found:
        raise InvalidBallotData(
            where, f"{quote(line)} is not 'count:ranking': expected e.g. '3:A>B=C'"
        )
    count = whole_number(found.group(1), where, "ballot count")
    if count == 0:
        raise InvalidBallotData(where, "a ballot count must be positive: expected at least 1")
    ranks: list[tuple[int, ...]] = []
    for group in found.group(2).split(">") if found.group(2).strip() else []:
        ranks.append(_rank(group, names, where))
    return RankedBallot(ranks=tuple(ranks), weight=count)


def _rank(group: str, names: dict[str, int], where: str) -> tuple[int, ...]:
    members: set[int] = set()
    for part in re.split(r"[=,]", group):
        if "/" in part:
            raise InvalidBallotData(
                where,
                f"ratings are not supported: expected a ranking ('>', '=') without '/rating', "
                f"got {quote(part.strip())}",
            )
        found = _TOKEN.fullmatch(part)
        if not found:
            raise InvalidBallotData(
                where,
                f"{quote(part.strip())} is not a candidate token: expected letters, digits, "
                "'_', '.', '-' or a [bracketed name]",
            )
        token = _name(found.group(1))
        members.add(names.setdefault(token, len(names)))
    return tuple(sorted(members))


def _name(token: str) -> str:
    return token[1:-1].strip() if token.startswith("[") else token
