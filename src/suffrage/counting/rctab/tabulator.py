"""RCTab's round loop (spec/counting.md#rctab-rounds), one pass of a contest.

Each round: count every ballot for its first continuing choice (:mod:`.round_count`), set the
threshold, look for winners; if there are winners, a multi-seat count marks their surplus
share of each of their ballots; otherwise eliminate (undeclared write-ins first, then those
under the minimum vote threshold, then cutoff, batch, or the last candidate with a tie-break).
After each round of a multi-seat count the past winners' votes are brought up to date and any
residual surplus recorded. The loop's end conditions are RCTab's (shouldContinueTabulating).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from suffrage.counting.rctab.config import ContestConfig
from suffrage.counting.rctab.round_count import Counter, Slice
from suffrage.counting.rctab.tally import EXACT, ZERO, RoundTally, Snapshot, divide
from suffrage.counting.rctab.tiebreak import TieBreaker
from suffrage.counting.rctab.winners import Decision, find_winners
from suffrage.errors import CountingError

__all__ = ["Decision", "Pass", "run_pass"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Pass:
    """One pass of a count: its rounds, decisions and transfers, as the report needs them.

    ``transfers[r]`` are the transfers made while counting round ``r`` (source -> target ->
    value); ``residual[r]`` the residual surplus accumulated up to round ``r``.
    """

    rounds: tuple[RoundTally, ...]
    decisions: dict[int, tuple[Decision, ...]]
    transfers: dict[int, dict[str, dict[str, Decimal]]]
    residual: dict[int, Decimal]
    winners: tuple[str, ...]
    number_of_winners: int
    excluded: frozenset[str]
    uses_surpluses: bool
    sequence: int | None = None
    slices: dict[Slice, tuple[tuple[RoundTally, ...], dict[int, dict[str, dict[str, Decimal]]]]] = (
        field(default_factory=dict)
    )
    """Per precinct or batch (as the configuration asks): its rounds and its transfers."""
    snapshots: tuple[dict[int, Snapshot], ...] = ()
    """Per record, with ``generateCdfJson``: the rounds that moved it and where its value lay
    (spec/counting.md#cvr-exports)."""


class _Loop:
    def __init__(
        self, config: ContestConfig, counter: Counter, tiebreak: TieBreaker, winners: int
    ) -> None:
        self.config = config
        self.rules = config.rules
        self.counter = counter
        self.tiebreak = tiebreak
        self.seats = winners
        self.decisions: dict[int, list[Decision]] = {}
        self.residual: dict[int, Decimal] = {}
        self.round = 0
        self.uses_surpluses = winners > 1 and self.rules.winner_election_mode != "bottomsUp"
        counter.seats = winners
        counter.surplus_mode = self.uses_surpluses

    def run(self) -> None:
        while self._should_continue():
            self.round += 1
            tally = self.counter.count_round(self.round)
            self.residual[self.round] = ZERO if self.round == 1 else self.residual[self.round - 1]
            if self._recompute_threshold():
                tally.threshold = self._threshold(tally)
            else:
                tally.threshold = self.counter.history[self.round - 1].threshold
            for history in self.counter.slice_history.values():
                history[self.round].threshold = tally.threshold
            groups = tally.by_votes()
            won = find_winners(self, tally, groups)
            if won:
                self._elect(tally, won)
            elif self._needs_elimination():
                self._eliminate(tally, groups)
            if self.seats > 1:
                self._update_winners(tally)

    def _should_continue(self) -> bool:
        counter = self.counter
        eliminated, elected = len(counter.eliminated), len(counter.elected)
        stop = self.rules.stop_after_round
        if stop is not None and self.round >= stop:
            return False
        if elected == self.counter.declared and self.seats > counter.candidate_count:
            return False
        if self.rules.continue_until_two_remain:
            return (
                eliminated + elected + 1 < counter.candidate_count
                or self.round in counter.eliminated.values()
            )
        if self.rules.winner_election_mode == "bottomsUpUsingPercentageThreshold":
            return elected == 0
        return elected < self.seats or (
            self.uses_surpluses and self.round in counter.elected.values()
        )

    def _recompute_threshold(self) -> bool:
        if self.seats > 1:
            return self.round == 1
        if self.round == 1:
            return True
        if self.rules.first_round_determines_threshold:
            return False
        if self.rules.continue_until_two_remain:
            return not self.counter.elected
        return True

    def _threshold(self, tally: RoundTally) -> Decimal:
        total = tally.active
        rules = self.rules
        if rules.winner_election_mode == "bottomsUpUsingPercentageThreshold":
            assert rules.bottoms_up_threshold is not None  # checked with the configuration
            return EXACT.multiply(total, rules.bottoms_up_threshold)
        places = rules.decimal_places if rules.non_integer_winning_threshold else 0
        if rules.hare_quota:
            return divide(total, Decimal(self.seats), places, up=True)
        quotient = divide(total, Decimal(self.seats + 1), places)
        return EXACT.add(quotient, Decimal(1).scaleb(-places))

    def _needs_elimination(self) -> bool:
        counter = self.counter
        return (
            len(counter.elected) < self.seats
            or (
                self.rules.continue_until_two_remain
                and len(counter.eliminated) < counter.candidate_count - 2
            )
            or self.rules.winner_election_mode == "bottomsUpUsingPercentageThreshold"
        )

    def _elect(self, tally: RoundTally, won: list[Decision]) -> None:
        for decision in won:
            self.counter.elected[decision.candidate] = self.round
        self.decisions.setdefault(self.round, []).extend(won)
        if not self.uses_surpluses:
            return
        for decision in won:
            votes = tally.votes[decision.candidate]
            extra = EXACT.subtract(votes, tally.threshold)
            fraction = divide(extra, votes, self.rules.decimal_places) if extra > 0 else ZERO
            self.counter.mark_winner(decision.candidate, fraction)

    def _eliminate(self, tally: RoundTally, groups: list[tuple[Decimal, list[str]]]) -> None:
        from suffrage.counting.rctab.eliminate import choose_eliminated

        out = choose_eliminated(self, tally, groups)
        if not out:
            raise CountingError(f"round {self.round}: no candidate could be eliminated")
        for decision in out:
            self.counter.eliminated[decision.candidate] = self.round
        self.decisions.setdefault(self.round, []).extend(out)

    def _update_winners(self, tally: RoundTally) -> None:
        """Bring past winners' votes into this round's tally (RCTab's updateWinnerTallies)."""
        fresh = {w for w, r in self.counter.elected.items() if r == self.round - 1}
        self._lock_winners(self.counter.history, fresh, None)
        for key, history in self.counter.slice_history.items():
            self._lock_winners(history, fresh, key)
        if not fresh:
            return
        for winner in sorted(fresh):
            residual = EXACT.subtract(tally.votes[winner], tally.threshold)
            if residual > 0:
                self.residual[self.round] = EXACT.add(self.residual[self.round], residual)
                tally.set_locked(winner, tally.threshold)
                self.counter.transfers.add(self.round, winner, "residual surplus", residual)

    def _lock_winners(
        self, history: dict[int, RoundTally], fresh: set[str], where: Slice | None
    ) -> None:
        """Past winners' votes in this round: those elected in the round before summed from
        the values their ballots keep, the others carried from the round before."""
        tally, previous = history[self.round], history.get(self.round - 1)
        for winner, won_in in self.counter.elected.items():
            if won_in == self.round:
                continue
            assert previous is not None  # a winner of an earlier round
            tally.set_locked(winner, ZERO if winner in fresh else previous.votes[winner])
        if fresh:
            for winner, kept in self.counter.kept_by_winners(fresh, where):
                tally.set_locked(winner, EXACT.add(tally.votes[winner], kept))


def run_pass(
    config: ContestConfig,
    counter: Counter,
    tiebreak: TieBreaker,
    *,
    winners: int,
    sequence: int | None = None,
) -> Pass:
    """Count one pass of ``config`` over the ballots of ``counter`` for ``winners`` seats."""
    loop = _Loop(config, counter, tiebreak, winners)
    loop.run()
    rounds = tuple(counter.history[n] for n in range(1, loop.round + 1))
    if not rounds:
        raise CountingError("the count stopped before its first round")
    return Pass(
        rounds=rounds,
        decisions={n: tuple(d) for n, d in loop.decisions.items()},
        transfers=counter.transfers.by_round,
        residual=loop.residual,
        winners=tuple(sorted(counter.elected, key=lambda w: counter.elected[w])),
        number_of_winners=winners,
        excluded=frozenset(counter.excluded),
        uses_surpluses=loop.uses_surpluses,
        sequence=sequence,
        slices={
            key: (
                tuple(history[n] for n in range(1, loop.round + 1)),
                counter.slice_transfers[key].by_round,
            )
            for key, history in counter.slice_history.items()
        },
        snapshots=tuple(b.snapshots for b in counter.ballots if b.snapshots is not None),
    )
