"""The ranked-ballot profile every ranked method counts (spec/counting.md#ranked-ballots).

A :class:`RankedBallot` is the ballot as marked: a tuple of ranks, first preference first, where
a rank holds the candidates marked at that rank (by index into the profile's candidate names).
A rank may be empty (a skipped rank) or hold several candidates (an overvote, or an equal
ranking where the method allows it). A ballot carries a positive integer weight (how many
identical ballots it stands for). The marks are kept as cast: what a skipped rank, an overvote
or a repeated candidate *means* is a rule of the method, applied by :func:`preference_order`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from suffrage.errors import InvalidBallotData, quote
from suffrage.inputs import MAX_SEATS

__all__ = [
    "BallotRules",
    "BallotTotals",
    "OvervoteRule",
    "Profile",
    "RankedBallot",
    "RepeatRule",
    "make_ballot",
    "preference_order",
]


class OvervoteRule(StrEnum):
    """What a rank marked with several candidates does (spec/counting.md#ballot-rules)."""

    EXHAUST = "exhaust"  # the ballot stops counting when the overvoted rank is reached
    SKIP = "skip"  # the overvoted rank is passed over, later ranks still count


class RepeatRule(StrEnum):
    """What a candidate marked again at a later rank does (spec/counting.md#ballot-rules)."""

    SKIP = "skip"  # the later mark is ignored
    EXHAUST = "exhaust"  # the ballot stops counting at the repeated mark


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotRules:
    """The ballot rules of a count (spec/counting.md#ballot-rules): what an overvote, a
    repeated candidate and a run of skipped ranks do. The defaults are the STV rules'."""

    overvote: OvervoteRule = OvervoteRule.EXHAUST
    repeat: RepeatRule = RepeatRule.SKIP
    max_skipped: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotTotals:
    """How many ballots a file holds (spec/counting.md#ballot-totals): ``read`` of them,
    each counted once as ``valid``, ``blank`` (no mark at all in the contest) or ``invalid``
    (marked so that no method can count it for anyone); the four always add up."""

    read: int
    valid: int
    blank: int
    invalid: int

    def __post_init__(self) -> None:
        figures = (self.read, self.valid, self.blank, self.invalid)
        if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in figures):
            _fail("ballot totals", f"expected non-negative integers, got {quote(figures)}")
        if self.read != self.valid + self.blank + self.invalid:
            _fail(
                "ballot totals",
                f"{self.read} ballots read, but valid {self.valid} + blank {self.blank} "
                f"+ invalid {self.invalid} = {self.valid + self.blank + self.invalid}",
            )

    def __str__(self) -> str:
        return (
            f"ballots read {self.read}, valid {self.valid}, blank {self.blank}, "
            f"invalid {self.invalid}"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class RankedBallot:
    """One ranked ballot as cast: ``ranks[i]`` holds the candidate indices marked at rank i+1."""

    ranks: tuple[tuple[int, ...], ...]
    weight: int = 1


def make_ballot(ranks: Iterable[Iterable[int]], weight: int = 1) -> RankedBallot:
    """Build a ballot from ranks of candidate indices, each rank sorted (spec: ranked-ballots)."""
    return RankedBallot(ranks=tuple(tuple(sorted(set(r))) for r in ranks), weight=weight)


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """Candidates, seats and weighted ranked ballots, validated on construction.

    ``source`` names where the data came from (used in error messages); ``withdrawn`` holds
    candidates withdrawn before the count (BLT ``-n`` lines), who receive no votes.
    """

    candidates: tuple[str, ...]
    ballots: tuple[RankedBallot, ...]
    seats: int = 1
    title: str = ""
    withdrawn: frozenset[int] = frozenset()
    source: str = "profile"

    def __post_init__(self) -> None:
        _check_candidates(self.source, self.candidates)
        most = min(len(self.candidates), MAX_SEATS)  # spec/counting.md#limits
        if type(self.seats) is not int or not 1 <= self.seats <= most:
            _fail(self.source, f"seats must be 1..{most}, got {quote(self.seats)}")
        for index in self.withdrawn:
            _check_index(self.source, index, len(self.candidates))
        for number, ballot in enumerate(self.ballots, start=1):
            _check_ballot(f"{self.source} ballot {number}", ballot, len(self.candidates))

    @property
    def total_weight(self) -> int:
        """The number of ballots the profile stands for."""
        return sum(b.weight for b in self.ballots)

    @property
    def totals(self) -> BallotTotals:
        """The ballots read, valid, blank and invalid (spec/counting.md#ballot-totals).

        A ballot is blank when no rank marks anyone; invalid when it is marked but every
        marked rank holds every candidate (an overvote the record does not detail, or a
        tie of all), so that no method can count it for anyone; valid otherwise."""
        blank = invalid = 0
        everyone = len(self.candidates)
        for ballot in self.ballots:
            marked = [rank for rank in ballot.ranks if rank]
            if not marked:
                blank += ballot.weight
            elif everyone > 1 and all(len(set(rank)) == everyone for rank in marked):
                invalid += ballot.weight
        read = self.total_weight
        return BallotTotals(read=read, valid=read - blank - invalid, blank=blank, invalid=invalid)

    def index(self, name: str) -> int:
        """The index of the candidate called ``name``."""
        try:
            return self.candidates.index(name)
        except ValueError:
            raise InvalidBallotData(self.source, f"no candidate named {quote(name)}") from None


def preference_order(
    ballot: RankedBallot,
    *,
    overvote: OvervoteRule = OvervoteRule.EXHAUST,
    repeat: RepeatRule = RepeatRule.SKIP,
    max_skipped: int | None = None,
    ignore: frozenset[int] = frozenset(),
) -> tuple[int, ...]:
    """The strict order of preferences a ballot expresses under the given rules.

    ``max_skipped``: a run of that many skipped ranks exhausts the ballot (``None``: skipped
    ranks are passed over). Candidates in ``ignore`` (withdrawn) are dropped from every rank
    before the rules apply (spec/counting.md#ballot-rules).
    """
    order: list[int] = []
    run = 0
    for rank in ballot.ranks:
        marks = [c for c in rank if c not in ignore]
        if not marks:
            run += 1
            if max_skipped is not None and run >= max_skipped:
                break
            continue
        run = 0
        if len(marks) > 1:
            if overvote is OvervoteRule.EXHAUST:
                break
            continue
        if marks[0] in order:
            if repeat is RepeatRule.EXHAUST:
                break
            continue
        order.append(marks[0])
    return tuple(order)


def _check_candidates(source: str, names: Sequence[str]) -> None:
    if not names:
        _fail(source, "no candidates")
    seen: set[str] = set()
    for name in names:
        if not name.strip():
            _fail(source, "a candidate name is empty")
        if name in seen:
            _fail(source, f"candidate {quote(name)} appears twice")
        seen.add(name)


def _check_ballot(where: str, ballot: RankedBallot, count: int) -> None:
    if isinstance(ballot.weight, bool) or not isinstance(ballot.weight, int):
        _fail(where, f"weight must be an integer, got {quote(ballot.weight)}")
    if ballot.weight <= 0:
        _fail(where, f"weight must be positive, got {ballot.weight}")
    for rank in ballot.ranks:
        for index in rank:
            _check_index(where, index, count)


def _check_index(where: str, index: int, count: int) -> None:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < count:
        _fail(where, f"candidate index {quote(index)} is not in 0..{count - 1}")


def _fail(field: str, reason: str) -> None:
    raise InvalidBallotData(field, reason)
