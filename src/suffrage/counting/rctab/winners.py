"""Who wins a round, as RCTab's identifyWinners decides (spec/counting.md#rctab-rounds).

No one wins while undeclared write-ins hold votes. In ``bottomsUpUsingPercentageThreshold``
everyone wins once every continuing candidate has more than the threshold. Otherwise, with
seats unfilled: everyone continuing wins if they are no more than the seats; with
``doesFirstRoundDetermineThreshold`` and one candidate more than the seats, the top tally wins;
otherwise (not ``bottomsUp``) everyone at or above the threshold, save undeclared write-ins.
Several winners in one round become one (the top tally, a tie broken) under
``multiWinnerAllowOnlyOneWinnerPerRound`` or ``doesFirstRoundDetermineThreshold``; and a
single-seat count with two candidates left and no winner elects the top tally (so that the
last round never shows one candidate alone).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from suffrage.counting.rctab.model import UNDECLARED_WRITE_IN
from suffrage.counting.rctab.tally import ZERO, RoundTally

if TYPE_CHECKING:
    from suffrage.counting.rctab.tabulator import _Loop

__all__ = ["Decision", "find_winners"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """A candidate elected or eliminated in a round, and whether a tie-break decided it."""

    candidate: str
    elected: bool
    tiebreak: bool = False


def find_winners(
    loop: _Loop, tally: RoundTally, groups: list[tuple[Decimal, list[str]]]
) -> list[Decision]:
    """The winners of this round (RCTab's identifyWinners)."""
    if tally.votes.get(UNDECLARED_WRITE_IN, ZERO) != 0:
        return []
    rules = loop.rules
    mode = rules.winner_election_mode
    if mode == "bottomsUpUsingPercentageThreshold":
        above = [c for c in tally.candidates() if tally.votes[c] > tally.threshold]
        if len(above) == len(tally.votes):
            return [Decision(candidate=c, elected=True) for c in tally.candidates()]
        return []
    unfilled = loop.seats - len(loop.counter.elected)
    names: list[str] = []
    if unfilled > 0:
        if len(tally.votes) <= unfilled:
            names = tally.candidates()
        elif rules.first_round_determines_threshold and len(tally.votes) - 1 == loop.seats:
            names = list(groups[-1][1])
        elif mode != "bottomsUp":
            names = _at_threshold(groups, tally.threshold)
    several = len(names) > 1 and (
        mode == "multiWinnerAllowOnlyOneWinnerPerRound" or rules.first_round_determines_threshold
    )
    stalemate = (
        loop.seats == 1
        and not names
        and len(tally.votes) == 2
        and unfilled == 1
        and all(votes >= rules.minimum_vote_threshold for votes, _ in groups)
    )
    if several or stalemate:
        top = list(groups[-1][1])
        if len(top) > 1:
            chosen = loop.tiebreak.select(top, tally.number, winner=True)
            return [Decision(candidate=chosen, elected=True, tiebreak=True)]
        return [Decision(candidate=top[0], elected=True)]
    return [Decision(candidate=c, elected=True) for c in names]


def _at_threshold(groups: list[tuple[Decimal, list[str]]], threshold: Decimal) -> list[str]:
    return [
        name
        for votes, names in groups
        if votes >= threshold
        for name in names
        if name != UNDECLARED_WRITE_IN
    ]
