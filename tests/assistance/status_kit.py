"""A small hand-built registry for the status-report tests (spec/assistance.md#11): seven
requests of five States, each action dated by a clock the builder sets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from assistance.kit import PASSWORD, an_assessment
from suffrage.assistance.access import Role, User
from suffrage.assistance.domain import Authority, Decision, Kind, Outcome, Phase, Request
from suffrage.assistance.service import Registry
from suffrage.assistance.storage import Store

START, END = date(2026, 1, 1), date(2026, 3, 31)
"""The period the figures of :func:`build` are checked over."""


class SetClock:
    """A clock the test sets to the day an action happens (at noon UTC)."""

    def __init__(self) -> None:
        self.now = datetime(2025, 12, 1, 12, tzinfo=UTC)

    def on(self, day: date) -> None:
        self.now = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Hand:
    registry: Registry
    clock: SetClock
    focal: User
    staff: User
    liaison: User
    public: User


def _request(hand: Hand, country: str, received: date, *kinds: Kind) -> str:
    hand.clock.on(received)
    request = Request(
        authority=Authority.MEMBER_STATE,
        country=country,
        received_on=received,
        elections=("general election",),
        kinds=kinds or (Kind.TECHNICAL_ASSISTANCE,),
    )
    return hand.registry.new_request(hand.staff, request).reference


def _assess(hand: Hand, ref: str, planned: date, assessed: date, *, all_met: bool = True) -> None:
    hand.clock.on(planned)
    hand.registry.plan_assessment(hand.staff, ref, starts=planned, ends=planned, team=["EAD"])
    hand.clock.on(assessed)
    hand.registry.record_assessment(hand.staff, ref, an_assessment(all_met=all_met))


def _decide(hand: Hand, ref: str, day: date, outcome: Outcome) -> None:
    hand.clock.on(day)
    conditions = "a register update first" if outcome is Outcome.ASSIST_WITH_CONDITIONS else ""
    decision = Decision(outcome=outcome, reasons="as assessed", conditions=conditions)
    hand.registry.decide(hand.focal, ref, decision)


def _do(hand: Hand, day: date, move: str, ref: str) -> None:
    hand.clock.on(day)
    if move == "start":
        hand.registry.start(hand.staff, ref, Phase.PRE_ELECTORAL)
    else:
        hand.registry.close(hand.staff, ref, "final report")


def build(url: str) -> Hand:
    """Seven requests; the period is 2026-01-01 to 2026-03-31.

    F (NPL, before the period) assisted and under way; A (NPL) assessed in 10 days, decided
    (assist) in 20, closed in the period; B (FJI, two kinds) 20 and 30 days, assist with
    conditions, under way; C (MWI) 20 and 30 days, declined and closed; D (TUN) assessment
    planned; E (BOL) received only; G (KEN) received after the period."""
    clock = SetClock()
    registry = Registry(Store(url), clock)
    focal = registry.bootstrap("Focal Point", PASSWORD)
    add = registry.add_user
    hand = Hand(
        registry=registry,
        clock=clock,
        focal=focal,
        staff=add(focal, User(name="Ead Officer", role=Role.EAD_STAFF), PASSWORD),
        liaison=add(
            focal, User(name="Nepal Liaison", role=Role.MEMBER_STATE_LIAISON, state="NPL"), None
        ),
        public=add(focal, User(name="Anyone", role=Role.PUBLIC), None),
    )
    f = _request(hand, "NPL", date(2025, 12, 1))
    _assess(hand, f, date(2025, 12, 5), date(2025, 12, 10))
    _decide(hand, f, date(2025, 12, 20), Outcome.ASSIST)
    _do(hand, date(2025, 12, 28), "start", f)
    a = _request(hand, "NPL", date(2026, 1, 5))
    _assess(hand, a, date(2026, 1, 8), date(2026, 1, 15))
    _decide(hand, a, date(2026, 1, 25), Outcome.ASSIST)
    _do(hand, date(2026, 2, 1), "start", a)
    _do(hand, date(2026, 3, 1), "close", a)
    b = _request(hand, "FJI", date(2026, 1, 10), Kind.TECHNICAL_ASSISTANCE, Kind.EXPERT_PANEL)
    _assess(hand, b, date(2026, 1, 20), date(2026, 1, 30), all_met=False)
    _decide(hand, b, date(2026, 2, 9), Outcome.ASSIST_WITH_CONDITIONS)
    _do(hand, date(2026, 2, 20), "start", b)
    c = _request(hand, "MWI", date(2026, 2, 1))
    _assess(hand, c, date(2026, 2, 10), date(2026, 2, 21), all_met=False)
    _decide(hand, c, date(2026, 3, 3), Outcome.DECLINE)
    _do(hand, date(2026, 3, 10), "close", c)
    d = _request(hand, "TUN", date(2026, 2, 10))
    hand.clock.on(date(2026, 3, 1))
    hand.registry.plan_assessment(
        hand.staff, d, starts=date(2026, 4, 6), ends=date(2026, 4, 10), team=["EAD"]
    )
    _request(hand, "BOL", date(2026, 2, 15))
    _request(hand, "KEN", date(2026, 7, 1))
    hand.clock.on(date(2026, 7, 2))
    return hand
