"""Who is eliminated in a round without a winner (spec/counting.md#rctab-rounds).

The first of these that eliminates anyone decides: undeclared write-ins holding votes; every
candidate under ``minimumVoteThreshold``; with ``cutoffElimination``, every candidate under
the threshold; with ``batchElimination``, every candidate who could not catch up even with all
the votes of those below (only if that is two or more); else the last candidate, a tie broken
by the tie-break mode.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from suffrage.counting.rctab.model import UNDECLARED_WRITE_IN
from suffrage.counting.rctab.tally import EXACT, ZERO, RoundTally, multiply
from suffrage.counting.rctab.winners import Decision

if TYPE_CHECKING:
    from suffrage.counting.rctab.tabulator import _Loop

__all__ = ["choose_eliminated"]

Groups = list[tuple[Decimal, list[str]]]


def choose_eliminated(loop: _Loop, tally: RoundTally, groups: Groups) -> list[Decision]:
    """The candidates eliminated this round (RCTab's four ways, in order)."""
    if tally.votes.get(UNDECLARED_WRITE_IN, ZERO) > 0:
        return [_out(UNDECLARED_WRITE_IN)]
    minimum = loop.rules.minimum_vote_threshold
    if minimum > 0 and groups[0][0] < minimum:
        return [_out(name) for votes, names in groups if votes < minimum for name in names]
    if loop.rules.cutoff_elimination:
        below = [c for c in tally.candidates() if tally.votes[c] < tally.threshold]
        if below:
            return [_out(name) for name in below]
    if loop.rules.batch_elimination:
        batch = _batch(loop, groups)
        if len(batch) > 1:
            return [_out(name) for name in batch]
    lowest = groups[0][1]
    if len(lowest) > 1:
        loser = loop.tiebreak.select(list(lowest), tally.number, winner=False)
        return [Decision(candidate=loser, elected=False, tiebreak=True)]
    return [_out(lowest[0])]


def _out(name: str) -> Decision:
    return Decision(candidate=name, elected=False)


def _batch(loop: _Loop, groups: Groups) -> list[str]:
    """Everyone whose combined votes, with all below them, stay under the next tally up."""
    running = ZERO
    seen: list[str] = []
    chosen: list[str] = []
    previous: list[str] = []
    for votes, names in groups:
        grown = list(chosen)
        if running < votes:
            grown.extend(name for name in seen if name not in chosen)
        size = Decimal(len(names))
        running = EXACT.add(running, multiply(votes, size, loop.rules.decimal_places))
        seen.extend(names)
        if len(grown) > len(chosen):
            previous, chosen = chosen, grown
    counter = loop.counter
    if (
        loop.rules.continue_until_two_remain
        and len(chosen) + len(counter.eliminated) == counter.candidate_count - 1
    ):
        chosen = previous
    return chosen
