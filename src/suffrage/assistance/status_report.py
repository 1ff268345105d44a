"""Status reports on electoral assistance, and the impartiality view (spec/assistance.md#11).

Pure: from the requests, the history entries and a period, the figures the
Secretary-General's report to the General Assembly gives (A/RES/74/158 paras. 4 and 22):
requests received in the period by regional group, kind and status at the period's end;
assistance given (decided to assist, under way, closed) by group and kind; and, for
A/RES/59/190's call for impartial, non-selective and objective assistance, the impartiality
view: per regional group, the days from receipt to the needs assessment and to the decision
(median and range) and the decisions' outcomes, side by side. A median over fewer than
:data:`FEW` requests is flagged so that it is shown with its count and not over-read.

Every date comes from the history (the entry's ``at``, UTC) except the receipt, which is the
request's ``received_on``: a status "at the end of the period" is what the history held at the
end of that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median

from suffrage.assistance.domain import Kind, Outcome, State
from suffrage.assistance.history import Entry
from suffrage.assistance.records import Case
from suffrage.assistance.regions import Group, group_of
from suffrage.errors import InvalidInput

__all__ = [
    "FEW",
    "GIVEN",
    "Given",
    "RegionView",
    "Spread",
    "StatusReport",
    "Timeline",
    "status_report",
    "timelines",
]

FEW = 3
"""A median over fewer requests than this is flagged (shown with its count)."""

GIVEN = (State.DECIDED, State.UNDER_WAY, State.CLOSED)
"""The columns of assistance given: decided to assist (not started yet), under way, closed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeline:
    """What the history held on one request at the end of the period."""

    reference: str
    country: str
    kinds: tuple[Kind, ...]
    received_on: date
    state: State
    assessed_on: date | None = None
    decided_on: date | None = None
    outcome: Outcome | None = None
    closed_on: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Spread:
    """Days from receipt: how many requests, their median and range."""

    count: int
    median: float | None
    low: int | None
    high: int | None

    @property
    def few(self) -> bool:
        """Fewer than :data:`FEW` requests: show the median with its count."""
        return 0 < self.count < FEW


def spread(days: Sequence[int]) -> Spread:
    if not days:
        return Spread(count=0, median=None, low=None, high=None)
    return Spread(count=len(days), median=float(median(days)), low=min(days), high=max(days))


@dataclass(frozen=True, slots=True, kw_only=True)
class RegionView:
    """One regional group in the impartiality view (requests received in the period)."""

    group: Group
    received: int
    to_assessment: Spread
    to_decision: Spread
    outcomes: Mapping[Outcome, int]
    waiting: int

    @property
    def decided(self) -> int:
        return sum(self.outcomes.values())

    def share(self, outcome: Outcome) -> float | None:
        """The outcome's share of the decisions (None when nothing was decided)."""
        return self.outcomes[outcome] / self.decided if self.decided else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Given:
    """Assistance given, in the columns of :data:`GIVEN`."""

    counts: Mapping[State, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusReport:
    """The figures of one period; ``scope`` is a State's code for a liaison's report."""

    start: date
    end: date
    scope: str | None
    head_sequence: int
    head_hash: str
    received: int
    received_by_group: Mapping[Group, int]
    received_by_kind: Mapping[Kind, int]
    status_at_end: Mapping[State, int]
    given_by_group: Mapping[Group, Given]
    given_by_kind: Mapping[Kind, Given]
    impartiality: tuple[RegionView, ...]


def _day(entry: Entry) -> date:
    return date.fromisoformat(entry.at[:10])


def _timeline(case: Case, entries: Iterable[Entry], end: date) -> Timeline:
    r = case.request
    found: dict[str, object] = {"state": State.RECEIVED}
    for entry in entries:
        if "to" not in entry.details or _day(entry) > end:
            continue
        state = State(entry.details["to"])
        found["state"] = state
        if state is State.ASSESSED:
            found["assessed_on"] = _day(entry)
        elif state is State.DECIDED:
            found["decided_on"] = _day(entry)
            found["outcome"] = Outcome(entry.details["decision"]["outcome"])
        elif state is State.CLOSED:
            found["closed_on"] = _day(entry)
    return Timeline(
        reference=case.reference,
        country=r.country,
        kinds=r.kinds,
        received_on=r.received_on,
        **found,  # type: ignore[arg-type]
    )


def timelines(cases: Iterable[Case], entries: Iterable[Entry], end: date) -> list[Timeline]:
    """Each request as the history held it at the end of ``end`` (UTC)."""
    by_subject: dict[str, list[Entry]] = {}
    for entry in entries:
        by_subject.setdefault(entry.subject, []).append(entry)
    return [_timeline(c, by_subject.get(c.reference, []), end) for c in cases]


def _given(t: Timeline, start: date) -> bool:
    """Decided to assist by the period's end, and not closed before it began."""
    assisted = t.outcome in (Outcome.ASSIST, Outcome.ASSIST_WITH_CONDITIONS)
    return assisted and (t.closed_on is None or t.closed_on >= start)


def _region(group: Group, received: list[Timeline]) -> RegionView:
    mine = [t for t in received if group_of(t.country) is group]
    outcomes = dict.fromkeys(Outcome, 0)
    for t in mine:
        if t.outcome is not None:
            outcomes[t.outcome] += 1
    return RegionView(
        group=group,
        received=len(mine),
        to_assessment=spread([(t.assessed_on - t.received_on).days for t in mine if t.assessed_on]),
        to_decision=spread([(t.decided_on - t.received_on).days for t in mine if t.decided_on]),
        outcomes=outcomes,
        waiting=sum(1 for t in mine if t.decided_on is None),
    )


def status_report(
    cases: Sequence[Case],
    entries: Sequence[Entry],
    *,
    start: date,
    end: date,
    scope: str | None = None,
) -> StatusReport:
    """The figures of the period ``[start, end]`` (both days included) over ``cases`` (a
    liaison's: its own State's only, ``scope`` naming it) and the whole history ``entries``;
    the report names the history's head it was made from."""
    if end < start:
        raise InvalidInput("--to", f"{end} is before the start of the period {start}")
    lines = timelines(cases, entries, end)
    received = [t for t in lines if start <= t.received_on <= end]
    by_group = {g: dict.fromkeys(GIVEN, 0) for g in Group}
    by_kind = {k: dict.fromkeys(GIVEN, 0) for k in Kind}
    for t in lines:
        if _given(t, start):
            column = t.state if t.state in GIVEN else State.DECIDED
            by_group[group_of(t.country)][column] += 1
            for kind in t.kinds:
                by_kind[kind][column] += 1
    last = entries[-1] if entries else None
    return StatusReport(
        start=start,
        end=end,
        scope=scope,
        head_sequence=last.sequence if last else 0,
        head_hash=last.hash.hex() if last else "",
        received=len(received),
        received_by_group={g: sum(group_of(t.country) is g for t in received) for g in Group},
        received_by_kind={k: sum(k in t.kinds for t in received) for k in Kind},
        status_at_end={s: sum(t.state is s for t in received) for s in State},
        given_by_group={g: Given(counts=c) for g, c in by_group.items()},
        given_by_kind={k: Given(counts=c) for k, c in by_kind.items()},
        impartiality=tuple(_region(g, received) for g in Group),
    )
