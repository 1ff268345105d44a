"""The request workflow, through the service, on SQLite and PostgreSQL (spec/assistance.md#2)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import pytest

from assistance.kit import World, a_request, an_assessment
from suffrage.assistance.access import NotPermitted
from suffrage.assistance.coordination import Activity
from suffrage.assistance.domain import (
    Authority,
    Decision,
    Entity,
    Kind,
    Outcome,
    Phase,
    Request,
    State,
    TransitionRefused,
)
from suffrage.errors import InvalidInput


def _to_decided(w: World, outcome: Outcome = Outcome.ASSIST) -> str:
    reg = w.registry
    ref = reg.new_request(w.staff, a_request()).reference
    reg.plan_assessment(w.staff, ref, starts=date(2026, 3, 1), ends=date(2026, 3, 10), team=["A"])
    reg.record_assessment(w.staff, ref, an_assessment())
    reg.decide(w.focal, ref, Decision(outcome=outcome, reasons="needs established"))
    return ref


def test_each_allowed_transition_is_recorded_dated_and_attributed(w: World) -> None:
    reg = w.registry
    ref = _to_decided(w)
    reg.start(w.staff, ref, Phase.PRE_ELECTORAL)
    reg.advance(w.staff, ref, Phase.ELECTORAL)
    reg.advance(w.staff, ref, Phase.POST_ELECTORAL)
    case = reg.close(w.staff, ref, "Final report: assistance delivered as planned.")
    assert case.state is State.CLOSED
    assert case.final_report.startswith("Final report")
    with reg.store.engine.connect() as conn:
        from suffrage.assistance.storage import history_entries

        entries = [e for e in history_entries(conn) if e.subject == ref]
    moves = [(e.action, e.details.get("from"), e.details["to"]) for e in entries]
    assert moves == [
        ("request received", None, "received"),
        ("assessment planned", "received", "assessment_planned"),
        ("assessment recorded", "assessment_planned", "assessed"),
        ("decided", "assessed", "decided"),
        ("assistance started", "decided", "under_way"),
        ("phase advanced", "under_way", "under_way"),
        ("phase advanced", "under_way", "under_way"),
        ("closed", "under_way", "closed"),
    ]
    assert [e.actor for e in entries][3] == "Focal Point"
    assert all(e.at.startswith("2026-03-02T") for e in entries)
    assert reg.check_history(w.focal) == entries[-1].sequence


def test_a_decline_closes_and_cannot_start(w: World) -> None:
    reg = w.registry
    ref = _to_decided(w, Outcome.DECLINE)
    with pytest.raises(
        TransitionRefused,
        match=r"is decided \(decline\): it cannot go to under_way; allowed: closed",
    ):
        reg.start(w.staff, ref, Phase.PRE_ELECTORAL)
    assert reg.close(w.staff, ref, "Declined: no adequate time.").state is State.CLOSED


REFUSED = [
    # (steps taken before, the refused move, the message)
    (0, "decide", "is received: it cannot go to decided; allowed: assessment_planned"),
    (0, "start", "is received: it cannot go to under_way; allowed: assessment_planned"),
    (0, "close", "is received: it cannot go to closed; allowed: assessment_planned"),
    (0, "record", "is received: it cannot go to assessed; allowed: assessment_planned"),
    (1, "plan", "is assessment_planned: it cannot go to assessment_planned; allowed: assessed"),
    (1, "decide", "is assessment_planned: it cannot go to decided; allowed: assessed"),
    (2, "record", "is assessed: it cannot go to assessed; allowed: decided"),
    (2, "start", "is assessed: it cannot go to under_way; allowed: decided"),
    (2, "close", "is assessed: it cannot go to closed; allowed: decided"),
    (3, "close", r"is decided \(assist\): it cannot go to closed; allowed: under_way"),
    (3, "plan", r"is decided \(assist\): it cannot go to assessment_planned; allowed: under_way"),
    (4, "decide", "is under_way: it cannot go to decided; allowed: under_way, closed"),
    (4, "advance_back", "under_way in phase electoral: it can move on to post_electoral, or close"),
    (3, "advance", "is decided: advance moves a request that is under_way; use start"),
    (4, "start_later", "is under_way: start moves a request that is decided; use advance"),
    (5, "start", r"is closed: it cannot go to under_way; allowed: nothing \(closed is final\)"),
    (5, "plan", r"is closed: it cannot go to assessment_planned; allowed: nothing"),
]


def _step(w: World, ref: str, name: str) -> None:
    reg = w.registry
    actions = {
        "plan": lambda: reg.plan_assessment(
            w.staff, ref, starts=date(2026, 3, 1), ends=date(2026, 3, 9), team=[]
        ),
        "record": lambda: reg.record_assessment(w.staff, ref, an_assessment()),
        "decide": lambda: reg.decide(w.focal, ref, Decision(outcome=Outcome.ASSIST, reasons="ok")),
        "start": lambda: reg.start(w.staff, ref, Phase.ELECTORAL),
        "close": lambda: reg.close(w.staff, ref, "report"),
        "advance_back": lambda: reg.advance(w.staff, ref, Phase.PRE_ELECTORAL),
        "advance": lambda: reg.advance(w.staff, ref, Phase.POST_ELECTORAL),
        "start_later": lambda: reg.start(w.staff, ref, Phase.POST_ELECTORAL),
    }
    actions[name]()


@pytest.mark.parametrize(("done", "move", "message"), REFUSED)
def test_each_refused_transition_names_the_state_and_what_is_allowed(
    w: World, done: int, move: str, message: str
) -> None:
    ref = w.registry.new_request(w.staff, a_request()).reference
    for name in ("plan", "record", "decide", "start", "close")[:done]:
        _step(w, ref, name)
    before = w.registry.show_request(w.staff, ref)
    with pytest.raises(TransitionRefused, match=message):
        _step(w, ref, move)
    assert w.registry.show_request(w.staff, ref) == before  # nothing written


def test_assist_needs_every_condition_met(w: World) -> None:
    reg = w.registry
    ref = reg.new_request(w.staff, a_request()).reference
    reg.plan_assessment(w.staff, ref, starts=date(2026, 3, 1), ends=date(2026, 3, 9), team=[])
    reg.record_assessment(w.staff, ref, an_assessment(all_met=False))
    with pytest.raises(InvalidInput, match="unmet: adequate_time"):
        reg.decide(w.focal, ref, Decision(outcome=Outcome.ASSIST, reasons="r"))
    with pytest.raises(InvalidInput, match="names its conditions"):
        reg.decide(w.focal, ref, Decision(outcome=Outcome.ASSIST_WITH_CONDITIONS, reasons="r"))
    case = reg.decide(
        w.focal,
        ref,
        Decision(
            outcome=Outcome.ASSIST_WITH_CONDITIONS,
            reasons="r",
            conditions="calendar extended by two months",
        ),
    )
    assert case.decision is not None
    assert case.decision.outcome is Outcome.ASSIST_WITH_CONDITIONS


def test_a_member_state_cannot_ask_for_mandated_kinds(w: World) -> None:
    with pytest.raises(InvalidInput, match="election_observation only on a Security Council"):
        w.registry.new_request(w.staff, a_request(kinds=(Kind.ELECTION_OBSERVATION,)))
    mandated = Request(
        authority=Authority.SECURITY_COUNCIL,
        country="NPL",
        received_on=date(2026, 1, 5),
        elections=("referendum",),
        kinds=(Kind.ELECTION_OBSERVATION,),
        mandate="S/RES/9999 (2026)",
    )
    assert w.registry.new_request(w.staff, mandated).state is State.RECEIVED


def test_a_requests_history_is_dated_attributed_and_scoped(w: World) -> None:
    ref = _to_decided(w)
    entries = w.registry.request_history(w.liaison, ref)  # NPL's liaison, NPL's request
    assert [(e.action, e.actor, e.details["role"]) for e in entries][-1] == (
        "decided",
        "Focal Point",
        "focal_point",
    )
    assert entries[0].details["elections"] == ["general election 2027"]  # decoded, not a string
    other = w.registry.new_request(w.staff, a_request("BOL")).reference
    with pytest.raises(NotPermitted, match="may view only NPL's requests"):
        w.registry.request_history(w.liaison, other)


def test_an_activity_belongs_to_assistance_decided_for_its_country(w: World) -> None:
    assisted = _to_decided(w)
    declined = _to_decided(w, Outcome.DECLINE)
    received = w.registry.new_request(w.staff, a_request()).reference
    activity = Activity(
        entity=Entity.UNDP,
        country="NPL",
        phase=Phase.PRE_ELECTORAL,
        kind=Kind.TECHNICAL_ASSISTANCE,
        starts=date(2026, 5, 1),
        ends=date(2026, 6, 1),
        title="training",
    )
    made, _ = w.registry.add_activity(w.undp, activity, assisted)
    assert made.request_id is not None
    with pytest.raises(InvalidInput, match=r"is decided \(declined\): activities belong to"):
        w.registry.add_activity(w.undp, activity, declined)
    with pytest.raises(InvalidInput, match="is received: activities belong to"):
        w.registry.add_activity(w.undp, activity, received)
    with pytest.raises(InvalidInput, match="concerns NPL, not BOL"):
        w.registry.add_activity(w.undp, replace(activity, country="BOL"), assisted)


def test_concurrent_writers_keep_one_unbroken_chain(w: World) -> None:
    """Writers in several threads: each append takes the write lock, so no two entries take
    the same place in the chain (on PostgreSQL, the advisory lock)."""
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(5):
                w.registry.new_request(w.staff, a_request())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert w.registry.check_history(w.focal) == 5 + 20
    assert len({c.reference for c in w.registry.list_requests(w.staff)}) == 20
