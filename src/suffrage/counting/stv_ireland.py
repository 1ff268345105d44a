"""STV by the Irish rules: whole papers, last parcel, a seeded draw of the papers
(spec/counting.md#stv-ireland).

Electoral Act 1992 (as amended), Part XIX, ss. 118-124. The papers are mixed (s. 114) and
sorted into parcels by first preference (s. 119); quota floor(valid / (seats + 1)) + 1, and
a candidate is elected at the end of a count with the quota (s. 120). A surplus is
transferred from all the candidate's papers when they are elected on the first count, and
otherwise from the last parcel alone, the one that brought them over the quota (s. 121):
the transferable papers are sorted by next available preference, each sub-parcel gives a
share of the surplus in proportion to its size, fractions by largest remainder, and the
particular papers of each share are drawn from the sub-parcel by a reproducible draw from
the seed (what the mixing of s. 114 does by hand). A surplus that can neither elect, nor
save the lowest candidate, nor bring the lowest to a quarter of the quota, waits; the lowest
candidate is excluded, several together when their votes and the surpluses cannot reach the
next candidate (s. 122); the last vacancies are filled under s. 124. Ties go to the earliest
count at which the candidates differed, then to lot (s. 118, "determine by lot").
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from suffrage.counting._common import Lot, Result, Stage, Trail
from suffrage.counting.ballots import BallotRules, Profile
from suffrage.counting.stv_common import break_tie, droop_quota, papers_of

__all__ = ["NON_TRANSFERABLE", "count_stv_ireland", "draw_papers"]

NON_TRANSFERABLE = "(non-transferable)"


def draw_papers(papers: Sequence[int], take: int, *, seed: int, label: str) -> list[int]:
    """``take`` of ``papers`` (a sub-parcel in filing order) by the seeded draw, returned in
    filing order (spec/counting.md#stv-ireland-draw).

    Paper i (1-based place in the sub-parcel) gets the key SHA-512 of
    ``"suffrage/ireland-draw|{seed}|{label}|{i}"``; the ``take`` smallest keys (as big-endian
    integers, ties by place) are drawn. The same seed, count and names always draw the same
    papers, on every machine.
    """
    keys = sorted(
        range(len(papers)),
        key=lambda i: (
            hashlib.sha512(f"suffrage/ireland-draw|{seed}|{label}|{i + 1}".encode()).digest(),
            i,
        ),
    )
    return [papers[i] for i in sorted(keys[:take])]


def count_stv_ireland(
    profile: Profile, *, seed: int = 0, rules: BallotRules | None = None
) -> Result:
    """Count ``profile`` by the Electoral Act 1992 Part XIX (spec/counting.md#stv-ireland).

    ``seed`` seeds both the draw of surplus papers and the lots of s. 118; the trail
    records every draw. A weighted ballot line stands for that many papers in a row.
    """
    return _Count(profile, seed=seed, rules=rules).run()


class _Count:
    """Papers, parcels (each candidate's papers as received, one parcel per count) and
    the record of counts."""

    def __init__(self, profile: Profile, *, seed: int, rules: BallotRules | None) -> None:
        self.profile = profile
        self.names = profile.candidates
        self.seed = seed
        self.lot = Lot(seed=seed)
        self.orders: list[tuple[int, ...]] = []
        for order, weight in papers_of(profile, rules):
            if order:
                self.orders.extend([order] * weight)
        self.valid = len(self.orders)
        self.quota = droop_quota(self.valid, profile.seats)
        self.pos = [0] * self.valid
        self.parcels: list[list[list[int]]] = [[] for _ in self.names]
        self.votes = [0] * len(self.names)
        self.hopeful = [c not in profile.withdrawn for c in range(len(self.names))]
        self.elected: list[int] = []
        self.pending: list[int] = []  # elected candidates whose surplus is not transferred
        self.lost = 0  # papers non-transferable, and surplus votes no paper could carry
        self.history: list[list[int]] = []
        self.stages: list[Stage] = []
        self.notes: list[str] = []

    def run(self) -> Result:
        self._first_count()
        while not self._finished():
            events: list[str] = []
            if self.pending and not self._defer(events):
                kind = "surplus"
                self._surplus(self._largest_surplus(events), events)
            else:
                kind = "exclusion"
                self._exclude(events)
            self._elect_reached(events)
            self._record(kind, self.votes, events)
        return self._result()

    # -- counts --------------------------------------------------------------------------

    def _first_count(self) -> None:
        """s. 119: one parcel of original votes per candidate, in the order sorted."""
        first: list[list[int]] = [[] for _ in self.names]
        for paper, order in enumerate(self.orders):
            first[order[0]].append(paper)
        for c, parcel in enumerate(first):
            if parcel:
                self.parcels[c].append(parcel)
                self.votes[c] = len(parcel)
        events = [f"quota {self.quota} of {self.valid} valid papers (s. 120(1))"]
        self._elect_reached(events)
        self._record("first count", self.votes, events)

    def _surplus(self, candidate: int, events: list[str]) -> None:
        """s. 121: sort the examined papers by next available preference and transfer the
        surplus in proportion, each share drawn from its sub-parcel."""
        surplus = self.votes[candidate] - self.quota
        whole = len(self.parcels[candidate]) == 1 and self._first_parcel(candidate)
        examined = self.parcels[candidate][-1]
        subs, dead = self._sort(examined)
        transferable = sum(len(p) for p in subs.values())
        name = self.names[candidate]
        what = "all papers (elected on the first count)" if whole else "the last parcel"
        events.append(
            f"surplus of {name} ({surplus}): {what}, {len(examined)} papers, "
            f"{transferable} transferable, {dead} non-transferable (s. 121)"
        )
        if transferable <= surplus:
            moved = subs
            self.lost += surplus - transferable
            for to, papers in sorted(subs.items(), key=lambda item: (-len(item[1]), item[0])):
                events.append(f"all {len(papers)} papers to {self.names[to]}")
            events.append(f"{surplus - transferable} of the surplus not transferable")
        else:
            moved = self._proportional(candidate, subs, surplus, events)
        for to, papers in moved.items():
            self._give(to, papers)
        self.votes[candidate] = self.quota
        self.pending.remove(candidate)

    def _proportional(
        self, candidate: int, subs: dict[int, list[int]], surplus: int, events: list[str]
    ) -> dict[int, list[int]]:
        """s. 121: each sub-parcel's share of the surplus, then the seeded draw of its papers."""
        share = self._shares({to: len(papers) for to, papers in subs.items()}, surplus, events)
        moved: dict[int, list[int]] = {}
        count = len(self.stages) + 1
        for to in sorted(subs, key=lambda to: (-len(subs[to]), to)):
            size = len(subs[to])
            events.append(f"{share[to]} of {size} papers to {self.names[to]}")
            if not share[to]:
                continue
            label = f"count {count}|{self.names[candidate]}|{self.names[to]}"
            drawn = draw_papers(subs[to], share[to], seed=self.seed, label=label)
            place = {paper: i for i, paper in enumerate(subs[to], start=1)}
            places = [place[paper] for paper in drawn]
            self.lot.drawn.append(
                f"count {count}: drew {share[to]} of the {size} papers of {self.names[to]}'s "
                f"sub-parcel of {self.names[candidate]}'s surplus: places {_listed(places)}"
            )
            moved[to] = drawn
        return moved

    def _shares(self, sizes: dict[int, int], surplus: int, events: list[str]) -> dict[int, int]:
        """size x surplus / transferable papers, fractions disregarded; the papers still
        short go one each to the largest fractional remainders, equal ones by lot (s. 118,
        "determine by lot": the fraction of the name first drawn is the largest)."""
        total = sum(sizes.values())
        share = {to: size * surplus // total for to, size in sizes.items()}
        short = surplus - sum(share.values())
        remainders = sorted({size * surplus % total for size in sizes.values()}, reverse=True)
        for remainder in remainders:
            if short == 0:
                break
            group = sorted(to for to, size in sizes.items() if size * surplus % total == remainder)
            if len(group) > short:
                drawn = self.lot.order([self.names[c] for c in group], purpose="equal fractions")
                events.append(f"equal fractions, order drawn by lot: {', '.join(drawn)}")
                group = [self.names.index(name) for name in drawn]
            for to in group[:short]:
                share[to] += 1
            short -= min(short, len(group))
        return share

    def _exclude(self, events: list[str]) -> None:
        """s. 122: exclude the lowest (or the lowest together, when allowed) and transfer
        all their papers, parcel by parcel in the order received."""
        group = self._to_exclude(events)
        for c in group:
            self.hopeful[c] = False
        events.append(f"excluded {', '.join(self.names[c] for c in group)}")
        papers = [p for c in group for parcel in self.parcels[c] for p in parcel]
        subs, dead = self._sort(papers)
        for to, moved in subs.items():
            self._give(to, moved)
        self.lost += dead
        for c in group:
            self.parcels[c] = []
            self.votes[c] = 0
        events.append(f"{len(papers) - dead} papers transferred, {dead} non-transferable")

    def _to_exclude(self, events: list[str]) -> list[int]:
        continuing = sorted(self._continuing(), key=lambda c: (self.votes[c], c))
        left = self.profile.seats - len(self.elected)
        surpluses = self._undistributed()
        group: list[int] = []
        total = 0
        for i, c in enumerate(continuing[:-1]):
            total += self.votes[c]
            room = len(continuing) - (i + 1) >= left
            if i >= 1 and room and total + surpluses < self.votes[continuing[i + 1]]:
                group = continuing[: i + 1]
        if len(group) > 1:
            events.append("excluded together: their votes and the surpluses cannot reach the next")
            return group
        low = self.votes[continuing[0]]
        tied = [c for c in continuing if self.votes[c] == low]
        return [self._tie(tied, lowest=True, purpose="exclusion", events=events)]

    # -- s. 121 deferral, s. 124 end ------------------------------------------------------

    def _defer(self, events: list[str]) -> bool:
        """A surplus waits when the surpluses together cannot elect the highest continuing
        candidate, bring the lowest level with the next, nor bring the lowest above a
        quarter of the quota (s. 121 deferral; s. 124(3) for the quarter)."""
        continuing = sorted((self.votes[c] for c in self._continuing()), reverse=True)
        if len(continuing) < 2:
            return False
        spare = self._undistributed()
        low, next_low, high = continuing[-1], continuing[-2], continuing[0]
        quarter = self.quota / 4
        if high + spare >= self.quota or low + spare >= next_low:
            return False
        if low <= quarter < low + spare:
            return False
        events.append(f"surpluses ({spare}) deferred: they can change nothing (s. 121)")
        return True

    def _finished(self) -> bool:
        """All seats filled, or the last vacancies filled under s. 124."""
        if len(self.elected) == self.profile.seats:
            return True
        rule, winners = self._last_vacancies()
        if not rule:
            return False
        for c in winners:
            self.hopeful[c] = False
            self.elected.append(c)
        listed = ", ".join(self.names[c] for c in winners)
        self.notes.append(f"deemed elected without the quota ({rule}): {listed}")
        return True

    def _last_vacancies(self) -> tuple[str, list[int]]:
        """s. 124(1): as many continuing as vacancies; (1A): one more, and the lowest with
        the untransferred surpluses below the next; (2): one vacancy, and one candidate
        above all the others with the surpluses."""
        left = self.profile.seats - len(self.elected)
        ranked = sorted(self._continuing(), key=lambda c: (-self.votes[c], c))
        votes = [self.votes[c] for c in ranked]
        spare = self._undistributed()
        if len(ranked) <= left:
            return "s. 124(1)", ranked
        if len(ranked) == left + 1 and votes[-1] + spare < votes[-2]:
            return "s. 124(1A)", ranked[:-1]
        if left == 1 and votes[0] > sum(votes[1:]) + spare:
            return "s. 124(2)", ranked[:1]
        return "", []

    # -- papers ---------------------------------------------------------------------------

    def _sort(self, papers: Sequence[int]) -> tuple[dict[int, list[int]], int]:
        """Sub-parcels by next available preference for a continuing candidate, in the order
        examined, and the number of non-transferable papers."""
        subs: dict[int, list[int]] = {}
        dead = 0
        for paper in papers:
            order = self.orders[paper]
            pos = self.pos[paper] + 1
            while pos < len(order) and not self.hopeful[order[pos]]:
                pos += 1
            if pos == len(order):
                dead += 1
                continue
            self.pos[paper] = pos
            subs.setdefault(order[pos], []).append(paper)
        return subs, dead

    def _give(self, to: int, papers: list[int]) -> None:
        self.parcels[to].append(papers)
        self.votes[to] += len(papers)

    def _first_parcel(self, candidate: int) -> bool:
        parcel = self.parcels[candidate][0]
        return all(self.orders[p][0] == candidate for p in parcel)

    def _elect_reached(self, events: list[str]) -> None:
        """s. 120(2): every continuing candidate at or over the quota, highest first."""
        reached = [c for c in self._continuing() if self.votes[c] >= self.quota]
        reached.sort(key=lambda c: (-self.votes[c], c))
        for c in reached[: self.profile.seats - len(self.elected)]:
            self.hopeful[c] = False
            self.elected.append(c)
            if self.votes[c] > self.quota:
                self.pending.append(c)
            events.append(f"elected {self.names[c]}")

    def _largest_surplus(self, events: list[str]) -> int:
        top = max(self.votes[c] for c in self.pending)
        tied = [c for c in self.pending if self.votes[c] == top]
        return self._tie(tied, lowest=False, purpose="surplus order", events=events)

    def _tie(self, tied: list[int], *, lowest: bool, purpose: str, events: list[str]) -> int:
        if len(tied) == 1:
            return tied[0]
        chosen, note = break_tie(
            tied,
            self.history,
            lowest=lowest,
            lot=self.lot,
            names=self.names,
            purpose=purpose,
        )
        events.append(note or self.lot.drawn[-1])
        return chosen

    def _undistributed(self) -> int:
        return sum(self.votes[c] - self.quota for c in self.pending)

    def _continuing(self) -> list[int]:
        return [c for c in range(len(self.names)) if self.hopeful[c]]

    def _record(self, kind: str, votes: list[int], events: list[str]) -> None:
        self.history.append(list(votes))
        values: dict[str, int] = dict(zip(self.names, votes, strict=True))
        values[NON_TRANSFERABLE] = self.lost
        number = len(self.stages) + 1
        self.stages.append(Stage(number=number, kind=kind, values=values, events=tuple(events)))

    def _result(self) -> Result:
        trail = Trail(
            method="stv-ireland",
            stages=tuple(self.stages),
            lots=tuple(self.lot.drawn),
            seed=self.seed,
            notes=(f"quota {self.quota}", *self.notes),
        )
        return Result(
            method="stv-ireland",
            elected=tuple(self.names[c] for c in self.elected),
            seats={},
            totals=dict(zip(self.names, self.votes, strict=True)),
            trail=trail,
            options={"seats": self.profile.seats, "valid": self.valid, "quota": self.quota},
        )


def _listed(places: Sequence[int]) -> str:
    return ", ".join(map(str, places)) or "none"
