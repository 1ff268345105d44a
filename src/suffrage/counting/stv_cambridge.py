"""STV by Cambridge, Massachusetts Plan E rules: whole ballots in ballot order
(spec/counting.md#stv-cambridge).

Massachusetts General Laws ch. 54A s. 9, with the surplus treatment the Cambridge Election
Commission substituted under s. 16(b) (the Cincinnati method). Every ballot is counted whole
and keeps its place: the order the ballots are read in is the order they were counted
(s. 9(d)), and each candidate's ballots stay in the order they were credited to them. Quota
floor(valid / (seats + 1)) + 1 (s. 9(c)); a candidate who reaches it is elected at once and is
credited no further ballot (s. 9(c), (h)). A first-count surplus goes by the Cincinnati
method: every n-th ballot, n the nearest whole number to total / surplus, each to its next
continuing candidate, a ballot with none staying where it is (Election Commission rules).
Then every candidate under the floor (the ballots a nomination needs: 50) is defeated
together (s. 9(g), (h)), and then the lowest one at a time (s. 9(i), (j)), their ballots
transferred whole in the order received. Ties as s. 9(k) says: the standing before the last
transfer, then the one before, and so on, then lot. The count ends by s. 9(l).
"""

from __future__ import annotations

from collections.abc import Sequence

from suffrage.counting._common import Lot, Result, Stage, Trail, require
from suffrage.counting.ballots import BallotRules, Profile
from suffrage.counting.stv_common import droop_quota, papers_of

__all__ = [
    "EXHAUSTED",
    "PLAN_E_FLOOR",
    "cincinnati_positions",
    "cincinnati_step",
    "count_stv_cambridge",
]

EXHAUSTED = "(exhausted)"
PLAN_E_FLOOR = 50
"""The signatures a Cambridge nomination needs, below which s. 9(g) defeats a candidate."""


def cincinnati_positions(total: int, surplus: int) -> list[int]:
    """The order in which the Cincinnati method tries a pile's ballots (1-based positions).

    n = total / surplus rounded to the nearest whole number (an exact half rounds up); the
    passes take positions n, 2n, 3n, ...; then n+1, 2n+1, ...; and so on up to n+(n-1),
    2n+(n-1), ...; the positions below n, which no pass reaches, come last in order. Every
    position appears once (spec/counting.md#stv-cambridge).
    """
    n = cincinnati_step(total, surplus)
    order: list[int] = []
    for offset in range(n):
        order.extend(range(n + offset, total + 1, n))
    order.extend(range(1, min(n, total + 1)))
    return order


def cincinnati_step(total: int, surplus: int) -> int:
    """n: ``total / surplus`` to the nearest whole number, an exact half rounded up."""
    require(0 < surplus < total, f"a surplus must be 1..{total - 1}, not {surplus}")
    return (2 * total + surplus) // (2 * surplus)


def count_stv_cambridge(
    profile: Profile,
    *,
    seed: int = 0,
    rules: BallotRules | None = None,
    floor: int = PLAN_E_FLOOR,
) -> Result:
    """Count ``profile`` by Plan E (M.G.L. ch. 54A s. 9; spec/counting.md#stv-cambridge).

    ``floor``: candidates credited with fewer ballots after the first count and its surplus
    transfers are defeated together (s. 9(g); 50 in Cambridge). ``seed`` seeds the lots of
    s. 9(k). A weighted ballot line stands for that many ballots in a row.
    """
    require(
        type(floor) is int and floor >= 0, f"the floor must be a whole number >= 0, not {floor}"
    )
    return _PlanE(profile, seed=seed, rules=rules, floor=floor).run()


class _PlanE:
    """The state of a Plan E count: ballots, piles in credit order, stages."""

    def __init__(self, profile: Profile, *, seed: int, rules: BallotRules | None, floor: int):
        self.profile = profile
        self.names = profile.candidates
        self.floor = floor
        self.lot = Lot(seed=seed)
        self.orders: list[tuple[int, ...]] = []
        self.numbers: list[int] = []  # each ballot's number in reading order
        number = 0
        for order, weight in papers_of(profile, rules):
            for _ in range(weight):
                number += 1
                if order:
                    self.orders.append(order)
                    self.numbers.append(number)
        self.valid = len(self.orders)
        self.quota = droop_quota(self.valid, profile.seats)
        self.pos = [0] * self.valid
        self.piles: list[list[int]] = [[] for _ in self.names]
        self.hopeful = [c not in profile.withdrawn for c in range(len(self.names))]
        self.elected: list[int] = []
        self.exhausted = 0
        self.history: list[list[int]] = []
        self.stages: list[Stage] = []
        self.notes: list[str] = []

    # -- the count ---------------------------------------------------------------------

    def run(self) -> Result:
        self._first_count()
        self._surpluses()
        if not self._done():
            self._defeat_under_floor()
        while not self._done():
            self._defeat_lowest()
        return self._result()

    def _first_count(self) -> None:
        """s. 9(b), (d): each ballot to its first choice, in reading order."""
        for paper, order in enumerate(self.orders):
            self.piles[order[0]].append(paper)
        events = [f"quota {self.quota} of {self.valid} valid ballots (s. 9(c))"]
        reached = [c for c in self._continuing() if len(self.piles[c]) >= self.quota]
        for c in sorted(reached, key=lambda c: (-len(self.piles[c]), c)):
            self._elect(c, events)
        self._record("first count", events)

    def _surpluses(self) -> None:
        """Cincinnati transfers of first-count surpluses, the largest first (s. 16(b))."""
        pending = [c for c in self.elected if len(self.piles[c]) > self.quota]
        while pending and len(self.elected) < self.profile.seats:
            events: list[str] = []
            top = max(len(self.piles[c]) for c in pending)
            tied = [c for c in pending if len(self.piles[c]) == top]
            chosen = tied[0] if len(tied) == 1 else self._lot(tied, "surplus order", events)
            pending.remove(chosen)
            self._cincinnati(chosen, events)
            self._record("surplus", events)

    def _cincinnati(self, candidate: int, events: list[str]) -> None:
        pile = self.piles[candidate]
        total, surplus = len(pile), len(pile) - self.quota
        taken: list[int] = []
        kept: list[int] = []
        elected: list[str] = []
        for position in cincinnati_positions(total, surplus):
            if len(taken) == surplus:
                break
            to = self._next(pile[position - 1])
            if to is None:
                kept.append(position)
                continue
            self._credit(pile[position - 1], to, elected)
            taken.append(position)
        events.append(
            f"surplus of {self.names[candidate]}: {surplus} of {total} ballots, "
            f"n = {cincinnati_step(total, surplus)}; positions transferred: {_listed(taken)}"
        )
        numbers = [self.numbers[pile[p - 1]] for p in taken]
        events.append(f"their ballot numbers in reading order: {_listed(numbers)}")
        if kept:
            events.append(f"positions not transferable, kept: {_listed(kept)}")
        if len(taken) < surplus:
            events.append(f"only {len(taken)} of the surplus could be transferred")
        gone = {pile[p - 1] for p in taken}
        self.piles[candidate] = [paper for paper in pile if paper not in gone]
        events.extend(elected)

    def _defeat_under_floor(self) -> None:
        """s. 9(g), (h): every candidate under the floor defeated together, one transfer."""
        low = [c for c in self._continuing() if len(self.piles[c]) < self.floor]
        if not low:
            return
        left = self.profile.seats - len(self.elected)
        if len(self._continuing()) - len(low) < left:
            self.notes.append(
                f"s. 9(g) not applied: defeating all {len(low)} candidates under "
                f"{self.floor} would leave fewer continuing candidates than seats (s. 9(l))"
            )
            return
        events: list[str] = []
        order = self._order_lowest_first(low, events)
        for c in order:
            self.hopeful[c] = False
        events.append(f"defeated together (under {self.floor}): {_names(self.names, order)}")
        for c in order:
            self._transfer_all(c, events)
        self._record("defeat under floor", events)

    def _defeat_lowest(self) -> None:
        """s. 9(i), (j): the lowest candidate defeated, all ballots transferred in order."""
        continuing = self._continuing()
        low = min(len(self.piles[c]) for c in continuing)
        tied = [c for c in continuing if len(self.piles[c]) == low]
        events: list[str] = []
        chosen = self._order_lowest_first(tied, events)[0]
        self.hopeful[chosen] = False
        events.append(f"defeated {self.names[chosen]}")
        self._transfer_all(chosen, events)
        self._record("defeat", events)

    def _done(self) -> bool:
        """s. 9(l): seats filled, or the continuing candidates just fill the rest."""
        left = self.profile.seats - len(self.elected)
        continuing = self._continuing()
        if left == 0:
            if continuing:
                self.notes.append(f"seats filled; defeated: {_names(self.names, continuing)}")
                for c in continuing:
                    self.hopeful[c] = False
            return True
        if len(continuing) <= left:
            ordered = sorted(continuing, key=lambda c: (-len(self.piles[c]), c))
            for c in ordered:
                self.hopeful[c] = False
                self.elected.append(c)
            self.notes.append(
                f"continuing candidates fill the seats: {_names(self.names, ordered)}"
            )
            return True
        return False

    # -- ballots -------------------------------------------------------------------------

    def _next(self, paper: int) -> int | None:
        """The paper's next choice among continuing candidates, or None."""
        order = self.orders[paper]
        for pos in range(self.pos[paper] + 1, len(order)):
            if self.hopeful[order[pos]]:
                return order[pos]
        return None

    def _credit(self, paper: int, to: int, events: list[str]) -> None:
        self.pos[paper] = self.orders[paper].index(to)
        self.piles[to].append(paper)
        if len(self.piles[to]) >= self.quota:
            self._elect(to, events)

    def _transfer_all(self, candidate: int, events: list[str]) -> None:
        """Each ballot of ``candidate`` in the order received to its next continuing choice
        (s. 9(h)); one with none is exhausted. A candidate reaching the quota takes no more."""
        moved = exhausted = 0
        for paper in self.piles[candidate]:
            to = self._next(paper)
            if to is None:
                exhausted += 1
            else:
                self._credit(paper, to, events)
                moved += 1
        self.piles[candidate] = []
        self.exhausted += exhausted
        events.append(
            f"{self.names[candidate]}'s ballots: {moved} transferred, {exhausted} exhausted"
        )

    def _elect(self, candidate: int, events: list[str]) -> None:
        self.hopeful[candidate] = False
        self.elected.append(candidate)
        events.append(f"elected {self.names[candidate]}")

    # -- ties, records -------------------------------------------------------------------

    def _order_lowest_first(self, group: Sequence[int], events: list[str]) -> list[int]:
        """``group`` lowest first; ties by the standings before each earlier transfer, the
        latest first (s. 9(k)), then by lot."""
        out: list[int] = []
        rest = list(group)
        while rest:
            low = min(len(self.piles[c]) for c in rest)
            tied = [c for c in rest if len(self.piles[c]) == low]
            pick = tied[0] if len(tied) == 1 else self._backward(tied, events)
            out.append(pick)
            rest.remove(pick)
        return out

    def _backward(self, tied: list[int], events: list[str]) -> int:
        group = tied
        for back, totals in enumerate(reversed(self.history[:-1]), start=1):
            low = min(totals[c] for c in group)
            narrowed = [c for c in group if totals[c] == low]
            if len(narrowed) == 1:
                stage = len(self.history) - back
                events.append(
                    f"tie of {_names(self.names, tied)} broken by the standing at stage "
                    f"{stage} (s. 9(k)): {self.names[narrowed[0]]} lowest"
                )
                return narrowed[0]
            group = narrowed
        return self._lot(group, "defeat", events)

    def _lot(self, tied: list[int], purpose: str, events: list[str]) -> int:
        by_name = {self.names[c]: c for c in tied}
        chosen = by_name[self.lot.choose(list(by_name), purpose=purpose)]
        events.append(self.lot.drawn[-1])
        return chosen

    def _continuing(self) -> list[int]:
        return [c for c in range(len(self.names)) if self.hopeful[c]]

    def _record(self, kind: str, events: list[str]) -> None:
        totals = [len(pile) for pile in self.piles]
        self.history.append(totals)
        values: dict[str, int] = dict(zip(self.names, totals, strict=True))
        values[EXHAUSTED] = self.exhausted
        number = len(self.stages) + 1
        self.stages.append(Stage(number=number, kind=kind, values=values, events=tuple(events)))

    def _result(self) -> Result:
        trail = Trail(
            method="stv-cambridge",
            stages=tuple(self.stages),
            lots=tuple(self.lot.drawn),
            seed=self.lot.seed,
            notes=(f"quota {self.quota}", f"floor {self.floor}", *self.notes),
        )
        return Result(
            method="stv-cambridge",
            elected=tuple(self.names[c] for c in self.elected),
            seats={},
            totals={n: len(self.piles[c]) for c, n in enumerate(self.names)},
            trail=trail,
            options={
                "seats": self.profile.seats,
                "valid": self.valid,
                "quota": self.quota,
                "floor": self.floor,
            },
        )


def _listed(positions: Sequence[int]) -> str:
    return ", ".join(map(str, positions)) or "none"


def _names(names: Sequence[str], group: Sequence[int]) -> str:
    return ", ".join(names[c] for c in group)
