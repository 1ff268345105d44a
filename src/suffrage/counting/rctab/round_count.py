"""Counting every ballot for one round, as RCTab's computeTalliesForRound does
(spec/counting.md#rctab-ballot-rules).

A ballot already inactive stays so (and is counted under its status again); one whose
candidate continues stays with them; any other is walked from its first mark:

1. in a multi-seat count whose seats are all filled, the ballot becomes ``finalRoundSurplus``;
2. more than ``maxSkippedRanksAllowed`` ranks skipped before this mark: ``skippedRankings``;
3. with ``exhaustOnDuplicateCandidate``, a candidate seen at an earlier mark: ``repeatedRankings``;
4. an overvote (two or more names, or the explicit overvote label) under ``overvoteRule``:
   ``exhaustImmediately`` -> ``overvotes``; ``alwaysSkipToNextRank`` -> next mark (at the last
   mark: ``exhaustedChoices``); ``exhaustIfMultipleContinuing`` -> ``overvotes`` if two or
   more of its candidates continue, else read it like any mark;
5. the first continuing candidate at the mark takes the ballot's value;
6. past the last mark without one: ``exhaustedChoices``.

A ballot with no mark at all is ``didNotRankAnyCandidates``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from suffrage.counting.rctab.config import ContestConfig
from suffrage.counting.rctab.javacompat import hash_order
from suffrage.counting.rctab.model import OVERVOTE, Cvr
from suffrage.counting.rctab.tally import ACTIVE, Ballot, RoundTally, Transfers
from suffrage.errors import CountingError, quote

__all__ = ["Counter", "Slice"]

Slice = tuple[str, str]
"""A slice of the ballots: ``("precinct", name)`` or ``("batch", name)``."""

_NONE, _EXHAUST, _SKIP = 0, 1, 2


class Counter:
    """The ballots of one pass and the candidates' standing; counts a round at a time."""

    def __init__(self, config: ContestConfig, cvrs: Sequence[Cvr], excluded: set[str]) -> None:
        self.rules = config.rules
        self.names = hash_order(config.candidate_names)
        self.excluded = excluded
        self.declared = len(config.candidate_names) - (1 if config.undeclared_write_ins else 0)
        self.candidate_count = len(config.candidate_names) - len(excluded)
        self.ballots = [Ballot(cvr.rankings) for cvr in cvrs]
        if config.output.generate_cdf_json:
            for ballot in self.ballots:
                ballot.snapshots = {}
        self.elected: dict[str, int] = {}
        self.eliminated: dict[str, int] = {}
        self.history: dict[int, RoundTally] = {}
        self.transfers = Transfers()
        self.seats = config.rules.number_of_winners
        self.surplus_mode = False
        kinds = [
            kind
            for kind, on in (
                ("precinct", config.output.tabulate_by_precinct),
                ("batch", config.output.tabulate_by_batch),
            )
            if on
        ]
        self.slice_of = [_slices(cvr, kinds) for cvr in cvrs]
        keys = sorted({key for keys in self.slice_of for key in keys})
        self.slice_history: dict[Slice, dict[int, RoundTally]] = {key: {} for key in keys}
        self.slice_transfers: dict[Slice, Transfers] = {key: Transfers() for key in keys}

    def continuing(self, name: str) -> bool:
        if name in self.excluded or name == OVERVOTE or name in self.eliminated:
            return False
        if name in self.elected:
            return self.rules.continue_until_two_remain
        return name in self.names

    def count_round(self, number: int) -> RoundTally:
        live = [n for n in self.names if self.continuing(n)]
        tally = RoundTally(number, live)
        self.history[number] = tally
        slices = {key: RoundTally(number, live) for key in self.slice_history}
        for key, slice_tally in slices.items():
            self.slice_history[key][number] = slice_tally
        for index, ballot in enumerate(self.ballots):
            if slices:
                keys = self.slice_of[index]
                tally.mirrors = [slices[key] for key in keys]
                self.transfers.mirrors = [self.slice_transfers[key] for key in keys]
            if ballot.status != ACTIVE:
                tally.add_status(ballot.status, ballot.value())
            elif ballot.recipient is not None and self.continuing(ballot.recipient):
                tally.add_vote(ballot.recipient, ballot.value())
            else:
                self._walk(ballot, tally)
        tally.mirrors = []
        self.transfers.mirrors = []
        return tally

    def _walk(self, ballot: Ballot, tally: RoundTally) -> None:
        if not ballot.rankings:
            self._record(ballot, tally, None, "didNotRankAnyCandidates")
            return
        last_rank = 0
        seen: set[str] = set()
        limit = self.rules.max_skipped_ranks
        for rank, names in ballot.rankings:
            if self.surplus_mode and len(self.elected) == self.seats:
                self._record(ballot, tally, None, "finalRoundSurplus")
                return
            if limit is not None and rank - last_rank > limit + 1:
                self._record(ballot, tally, None, "skippedRankings")
                return
            last_rank = rank
            if self.rules.exhaust_on_duplicate and _repeats(names, seen):
                self._record(ballot, tally, None, "repeatedRankings")
                return
            decision = self._overvote(names, tally.number)
            if decision == _EXHAUST:
                self._record(ballot, tally, None, "overvotes")
                return
            if decision == _SKIP:
                if rank == ballot.max_rank:
                    self._record(ballot, tally, None, "exhaustedChoices")
                continue
            chosen = next((n for n in names if self.continuing(n)), None)
            if chosen is not None:
                self._record(ballot, tally, chosen, ACTIVE)
                tally.add_vote(chosen, ballot.value())
                return
            if rank == ballot.max_rank:
                self._record(ballot, tally, None, "exhaustedChoices")

    def _overvote(self, names: tuple[str, ...], number: int) -> int:
        rule = self.rules.overvote_rule
        if OVERVOTE in names:
            if len(names) != 1:
                raise CountingError(
                    f"round {number}: a rank holds the overvote label and candidates"
                    f" ({', '.join(quote(n) for n in names)})"
                )
            if rule == "exhaustIfMultipleContinuing":
                raise CountingError(
                    "rules.overvoteRule: exhaustIfMultipleContinuing cannot read an overvote"
                    " label (it needs the candidates of the overvote)"
                )
            return _EXHAUST if rule == "exhaustImmediately" else _SKIP
        if len(names) <= 1:
            return _NONE
        if rule == "exhaustImmediately":
            return _EXHAUST
        if rule == "alwaysSkipToNextRank":
            return _SKIP
        live = sum(1 for name in names if self.continuing(name))
        return _EXHAUST if live >= 2 else _NONE

    def _record(self, ballot: Ballot, tally: RoundTally, chosen: str | None, status: str) -> None:
        value = ballot.value()
        if value > 0:
            self.transfers.add(tally.number, ballot.recipient, chosen, value)
        ballot.recipient = chosen
        if chosen is None:
            ballot.status = status
        if status != ACTIVE:
            tally.add_status(status, value)
        if ballot.snapshots is not None:
            held = tuple(ballot.winners.items())
            ballot.snapshots[tally.number] = held if chosen is None else (*held, (chosen, value))

    def mark_winner(self, winner: str, fraction: Decimal) -> None:
        """Each ballot now with ``winner`` keeps its value less the surplus ``fraction``."""
        for ballot in self.ballots:
            if ballot.recipient == winner:
                ballot.keep_for_winner(fraction, self.rules.decimal_places)

    def kept_by_winners(
        self, winners: set[str], where: Slice | None = None
    ) -> Iterator[tuple[str, Decimal]]:
        """The value each ballot (of the slice ``where``, if given) keeps for ``winners``."""
        for index, ballot in enumerate(self.ballots):
            if where is not None and where not in self.slice_of[index]:
                continue
            for winner, kept in ballot.winners.items():
                if winner in winners:
                    yield winner, kept


def _slices(cvr: Cvr, kinds: list[str]) -> list[Slice]:
    """The precinct and batch (as enabled) that a record belongs to."""
    found = []
    for kind in kinds:
        name = cvr.precinct if kind == "precinct" else cvr.batch
        if name:
            found.append((kind, name))
    return found


def _repeats(names: tuple[str, ...], seen: set[str]) -> bool:
    for name in names:
        if name in seen:
            return True
        seen.add(name)
    return False
