"""STV by Meek's method as New Zealand prescribes it (spec/counting.md#stv-meek).

Local Electoral Regulations 2001 (NZ), Schedule 1A: every candidate has a keep value (1 while
hopeful, 0 once excluded, below 1 once elected). Each ballot gives each candidate it meets the
keep value of what is left of it, and passes the rest on; what is left at the end is excess.
Quota = (votes - excess) / (seats + 1). Elected candidates' keep values are scaled by quota /
votes and the distribution repeated until the surplus is below 0.00001 or stops falling. Then
hopeful candidates at the quota are elected, else the lowest is excluded (ties by earlier
stages, then by lot). Arithmetic is fixed point with 9 decimals: keep values rounded up,
votes truncated, as the regulations require.
"""

from __future__ import annotations

from decimal import Decimal

from suffrage.counting._common import Lot, Result, Stage, Trail
from suffrage.counting.ballots import BallotRules, Profile
from suffrage.counting.stv_common import EXHAUSTED, break_tie, papers_of

__all__ = ["UNIT", "count_stv_meek"]

UNIT = 10**9  # one vote in units of 10^-9
_TOLERANCE = UNIT // 100_000  # 0.00001


def count_stv_meek(profile: Profile, *, seed: int = 0, rules: BallotRules | None = None) -> Result:
    """Count ``profile`` by Meek's method, New Zealand rules (spec/counting.md#stv-meek),
    under the ballot ``rules`` (the STV defaults unless given)."""
    return _Meek(profile, Lot(seed=seed), rules).run()


def _show(units: int) -> Decimal:
    return Decimal(units).scaleb(-9)


class _Meek:
    def __init__(self, profile: Profile, lot: Lot, rules: BallotRules | None) -> None:
        self.profile = profile
        self.names = profile.candidates
        self.lot = lot
        self.papers = [(order, weight) for order, weight in papers_of(profile, rules) if order]
        self.keep = [0 if c in profile.withdrawn else UNIT for c in range(len(self.names))]
        self.state = [
            "excluded" if c in profile.withdrawn else "hopeful" for c in range(len(self.names))
        ]
        self.elected: list[int] = []
        self.stages: list[Stage] = []
        self.history: list[list[int]] = []
        self.votes: list[int] = []
        self.quota = 0
        self.excess = 0

    def run(self) -> Result:
        seats = self.profile.seats
        while len(self.elected) < seats:
            hopeful = [c for c, s in enumerate(self.state) if s == "hopeful"]
            if len(hopeful) <= seats - len(self.elected):
                if not self.votes:
                    self._distribute()
                ordered = sorted(hopeful, key=lambda c: (-self.votes[c], c))
                self._stage([self._elect(c) for c in ordered])
                break
            iterations = self._converge()
            events = [f"{iterations} iterations, quota {_show(self.quota)}"]
            reached = sorted(
                (c for c in hopeful if self.votes[c] >= self.quota),
                key=lambda c: (-self.votes[c], c),
            )
            if reached:
                events += [self._elect(c) for c in reached[: seats - len(self.elected)]]
            else:
                events += self._exclude(hopeful)
            self._stage(events)
        return self._result()

    def _distribute(self) -> None:
        votes = [0] * len(self.names)
        excess = 0
        keep = self.keep
        for order, weight in self.papers:
            left = weight * UNIT
            for c in order:
                k = keep[c]
                if k:
                    given = left * k // UNIT
                    votes[c] += given
                    left -= given
                    if not left:
                        break
            excess += left
        self.votes, self.excess = votes, excess
        total = sum(votes)
        self.quota = total // (self.profile.seats + 1) + 1

    def _converge(self) -> int:
        last = None
        for iteration in range(1, 1001):
            self._distribute()
            surplus = sum(max(self.votes[c] - self.quota, 0) for c in self.elected)
            if surplus < _TOLERANCE or (last is not None and surplus >= last):
                return iteration
            last = surplus
            for c in self.elected:
                self.keep[c] = -(-self.keep[c] * self.quota // self.votes[c])
        return 1000

    def _elect(self, c: int) -> str:
        self.state[c] = "elected"
        self.elected.append(c)
        return f"elected {self.names[c]}"

    def _exclude(self, hopeful: list[int]) -> list[str]:
        low = min(self.votes[c] for c in hopeful)
        tied = [c for c in hopeful if self.votes[c] == low]
        events: list[str] = []
        chosen = tied[0]
        if len(tied) > 1:
            chosen, note = break_tie(
                tied, self.history, lowest=True, lot=self.lot, names=self.names, purpose="exclusion"
            )
            events.append(note or self.lot.drawn[-1])
        self.state[chosen] = "excluded"
        self.keep[chosen] = 0
        return [*events, f"excluded {self.names[chosen]}"]

    def _stage(self, events: list[str]) -> None:
        self.history.append(list(self.votes))
        values: dict[str, Decimal] = {n: _show(self.votes[c]) for c, n in enumerate(self.names)}
        values[EXHAUSTED] = _show(self.excess)
        keeps = ", ".join(f"{self.names[c]} {_show(self.keep[c])}" for c in self.elected)
        if keeps:
            events = [*events, f"keep values: {keeps}"]
        self.stages.append(
            Stage(number=len(self.stages) + 1, kind="stage", values=values, events=tuple(events))
        )

    def _result(self) -> Result:
        trail = Trail(
            method="stv-meek",
            stages=tuple(self.stages),
            lots=tuple(self.lot.drawn),
            seed=self.lot.seed,
        )
        totals = {n: _show(self.votes[c]) for c, n in enumerate(self.names)} if self.votes else {}
        return Result(
            method="stv-meek",
            elected=tuple(self.names[c] for c in self.elected),
            seats={},
            totals=totals,
            trail=trail,
            options={"seats": self.profile.seats, "quota": _show(self.quota)},
        )
