"""The parts the STV rules share: papers, piles, quotas, ties, stages (spec/counting.md#stv).

A *paper* is a group of identical ballots: its preference order, the position of the
candidate now holding it, how many ballots it stands for, and the value of each. The
surplus-transfer STV rules (Scottish, Gregory) differ only in how a surplus moves, so
:class:`SurplusCount` runs the count and takes that step as a function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from suffrage.counting._common import Lot, Result, Stage, Trail
from suffrage.counting.ballots import BallotRules, Profile, preference_order

__all__ = [
    "EXHAUSTED",
    "Paper",
    "SurplusCount",
    "SurplusRule",
    "break_tie",
    "droop_quota",
    "papers_of",
]

EXHAUSTED = "(non-transferable)"


@dataclass(slots=True)
class Paper:
    """Identical ballots held by one candidate: ``order[pos]`` is the holder."""

    order: tuple[int, ...]
    pos: int
    count: int
    value: Any


# A surplus rule takes the count, the candidate and the surplus, moves the papers and
# returns the events to record (transfer values).
SurplusRule = Callable[["SurplusCount", int, Any], list[str]]


def droop_quota(valid: int, seats: int) -> int:
    """The Droop quota floor(valid / (seats + 1)) + 1 (spec/counting.md#stv)."""
    return valid // (seats + 1) + 1


def papers_of(
    profile: Profile, rules: BallotRules | None = None
) -> list[tuple[tuple[int, ...], int]]:
    """Each ballot's strict preference order and weight under ``rules`` (by default an
    overvote exhausts the paper, a skipped rank is passed over, a repeated candidate is
    ignored); withdrawn candidates are struck out (spec/counting.md#ballot-rules)."""
    rules = rules or BallotRules()
    out: list[tuple[tuple[int, ...], int]] = []
    for ballot in profile.ballots:
        order = preference_order(
            ballot,
            overvote=rules.overvote,
            repeat=rules.repeat,
            max_skipped=rules.max_skipped,
            ignore=profile.withdrawn,
        )
        out.append((order, ballot.weight))
    return out


def break_tie(
    tied: Sequence[int],
    history: Sequence[Sequence[Any]],
    *,
    lowest: bool,
    lot: Lot,
    names: Sequence[str],
    purpose: str,
) -> tuple[int, str | None]:
    """Pick one of ``tied`` by the earliest stage at which they differ, then by lot.

    Returns the choice and, when the earlier stages decided, a note saying so
    (spec/counting.md#stv-ties).
    """
    group = list(tied)
    for number, totals in enumerate(history, start=1):
        pick = min if lowest else max
        best = pick(totals[c] for c in group)
        narrowed = [c for c in group if totals[c] == best]
        if len(narrowed) < len(group):
            group = narrowed
            if len(group) == 1:
                return group[0], f"tie for {purpose} broken by stage {number} totals"
    by_name = {names[c]: c for c in group}
    return by_name[lot.choose(list(by_name), purpose=purpose)], None


class SurplusCount:
    """A count by surplus transfers and exclusions, one transfer per stage.

    Surpluses go before exclusions, the largest first; the lowest candidate is excluded and
    their papers move at their current value; the count stops when the seats are filled or
    the continuing candidates just fill them (spec/counting.md#stv).
    """

    def __init__(
        self,
        profile: Profile,
        *,
        method: str,
        quota_of: Callable[[int], Any],
        one: Any,
        display: Callable[[Any], Any],
        surplus_rule: SurplusRule,
        lot: Lot,
        rules: BallotRules | None = None,
    ) -> None:
        self.profile = profile
        self.rules = rules
        self.method = method
        self.names = profile.candidates
        self.quota: Any = None
        self.quota_of = quota_of
        self.display = display
        self.surplus_rule = surplus_rule
        self.lot = lot
        size = len(self.names)
        self.piles: list[list[list[Paper]]] = [[] for _ in range(size)]
        self.totals: list[Any] = [one * 0 for _ in range(size)]
        self.hopeful = [c not in profile.withdrawn for c in range(size)]
        self.elected: list[int] = []
        self.pending: list[int] = []
        self.exhausted: Any = one * 0
        self.history: list[list[Any]] = []
        self.stages: list[Stage] = []
        self.notes: list[str] = []
        self._first(one)

    def _first(self, one: Any) -> None:
        parcels: list[list[Paper]] = [[] for _ in self.names]
        papers = papers_of(self.profile, self.rules)
        self.valid = sum(weight for order, weight in papers if order)
        self.quota = self.quota_of(self.valid)
        for order, weight in papers:
            if order:
                parcels[order[0]].append(Paper(order=order, pos=0, count=weight, value=one))
                self.totals[order[0]] += weight * one
            else:
                self.exhausted += weight * one
        for c, parcel in enumerate(parcels):
            if parcel:
                self.piles[c].append(parcel)
        self._record("first preferences", [])

    def run(self) -> Result:
        """Count to the end and return the result with its trail."""
        seats = self.profile.seats
        while len(self.elected) < seats:
            continuing = [c for c in range(len(self.names)) if self.hopeful[c]]
            if len(continuing) <= seats - len(self.elected):
                self._elect_rest(continuing)
                break
            if self.pending:
                self._transfer_surplus()
            else:
                self._exclude(continuing)
        return self._result()

    def move(self, papers: list[Paper], value_of: Callable[[Paper], Any]) -> Any:
        """Move ``papers`` to their next continuing preference at ``value_of(paper)`` each,
        as one new parcel per receiving candidate; return the value that exhausted."""
        parcels: dict[int, list[Paper]] = {}
        lost = self.totals[0] * 0
        hopeful = self.hopeful
        for paper in papers:
            value = value_of(paper)
            order, pos = paper.order, paper.pos + 1
            while pos < len(order) and not hopeful[order[pos]]:
                pos += 1
            if pos == len(order):
                lost += paper.count * value
                continue
            to = order[pos]
            parcels.setdefault(to, []).append(
                Paper(order=order, pos=pos, count=paper.count, value=value)
            )
            self.totals[to] += paper.count * value
        for to, parcel in parcels.items():
            self.piles[to].append(parcel)
        self.exhausted += lost
        return lost

    def _transfer_surplus(self) -> None:
        surpluses = {c: self.totals[c] - self.quota for c in self.pending}
        top = max(surpluses.values())
        tied = [c for c, s in surpluses.items() if s == top]
        events: list[str] = []
        chosen = self._choose(tied, lowest=False, purpose="surplus order", events=events)
        self.pending.remove(chosen)
        events.append(f"surplus of {self.names[chosen]} ({self.display(top)}) transferred")
        events.extend(self.surplus_rule(self, chosen, top))
        self.totals[chosen] = self.quota
        self.piles[chosen] = []
        self._record("surplus", events)

    def _exclude(self, continuing: list[int]) -> None:
        low = min(self.totals[c] for c in continuing)
        tied = [c for c in continuing if self.totals[c] == low]
        events: list[str] = []
        chosen = self._choose(tied, lowest=True, purpose="exclusion", events=events)
        self.hopeful[chosen] = False
        events.append(f"excluded {self.names[chosen]}")
        papers = [p for parcel in self.piles[chosen] for p in parcel]
        self.piles[chosen] = []
        self.move(papers, lambda p: p.value)
        self.totals[chosen] = self.totals[chosen] * 0
        self._record("exclusion", events)

    def _choose(self, tied: list[int], *, lowest: bool, purpose: str, events: list[str]) -> int:
        if len(tied) == 1:
            return tied[0]
        chosen, note = break_tie(
            tied, self.history, lowest=lowest, lot=self.lot, names=self.names, purpose=purpose
        )
        events.append(note or self.lot.drawn[-1])
        return chosen

    def _elect_rest(self, continuing: list[int]) -> None:
        ordered = sorted(continuing, key=lambda c: (-self.totals[c], c))
        for c in ordered:
            self.hopeful[c] = False
            self.elected.append(c)
        names = ", ".join(self.names[c] for c in ordered)
        self.notes.append(f"continuing candidates fill the remaining seats: {names}")

    def _record(self, kind: str, events: list[str]) -> None:
        reached = [c for c in range(len(self.names)) if self.hopeful[c]]
        reached = [c for c in reached if self.totals[c] >= self.quota]
        reached.sort(key=lambda c: (-self.totals[c], c))
        for c in reached:
            if len(self.elected) < self.profile.seats:
                self.hopeful[c] = False
                self.elected.append(c)
                if self.totals[c] > self.quota:
                    self.pending.append(c)
                events.append(f"elected {self.names[c]}")
        self.history.append(list(self.totals))
        values = {n: self.display(self.totals[c]) for c, n in enumerate(self.names)}
        values[EXHAUSTED] = self.display(self.exhausted)
        self.stages.append(
            Stage(number=len(self.stages) + 1, kind=kind, values=values, events=tuple(events))
        )

    def _result(self) -> Result:
        trail = Trail(
            method=self.method,
            stages=tuple(self.stages),
            lots=tuple(self.lot.drawn),
            seed=self.lot.seed,
            notes=(f"quota {self.display(self.quota)}", *self.notes),
        )
        return Result(
            method=self.method,
            elected=tuple(self.names[c] for c in self.elected),
            seats={},
            totals={n: self.display(self.totals[c]) for c, n in enumerate(self.names)},
            trail=trail,
            options={
                "seats": self.profile.seats,
                "valid": self.valid,
                "quota": self.display(self.quota),
            },
        )
