"""The registry's use cases (spec/assistance.md): each one checks who asks, then does its
reads and writes in one transaction, with the history entry of what it changed.

The clock is passed in (``clock`` returns an aware UTC datetime), so that tests and the demo
can date what they do.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from suffrage.assistance import storage as db
from suffrage.assistance._access_use import Access
from suffrage.assistance._accounts import Accounts
from suffrage.assistance._memory_use import Memory
from suffrage.assistance._parts import Part, utc_now
from suffrage.assistance._publish_use import Publications
from suffrage.assistance._roster_use import Roster
from suffrage.assistance._sessions_use import Sessions
from suffrage.assistance.access import Action, NotPermitted, Role, User, permit
from suffrage.assistance.access_tables import check_access
from suffrage.assistance.coordination import (
    Activity,
    Overlap,
    check_activity,
    overlaps,
    overlaps_with,
)
from suffrage.assistance.domain import (
    Assessment,
    Decision,
    Outcome,
    Phase,
    Request,
    State,
    TransitionRefused,
    check_assessment,
    check_decision,
    check_request,
    check_transition,
)
from suffrage.assistance.history import GENESIS, Entry, HistoryBroken, check_chain
from suffrage.assistance.memory_storage import check_documents
from suffrage.assistance.records import (
    Case,
    activity_from_row,
    activity_values,
    assessment_json,
    case_from_row,
    decision_json,
    request_values,
)
from suffrage.assistance.status_publish import Reports
from suffrage.errors import InvalidInput, NotFound

__all__ = ["Registry", "utc_now"]


class Requests(Part):
    """Use cases: requests, their workflow, activities, the history."""

    # -- requests ----------------------------------------------------------------------

    def new_request(self, user: User, request: Request) -> Case:
        permit(user, Action.RECORD_REQUEST)
        check_request(request)
        with self.store.writing() as conn:
            number = db.count(conn, db.requests) + 1
            reference = f"EA-{request.received_on.year}-{number:04d}"
            values = {
                **request_values(request),
                "reference": reference,
                "state": State.RECEIVED.value,
                "updated_at": self._now(),
            }
            request_id = db.insert_row(conn, db.requests, values)
            details = {**_decoded(request_values(request)), "to": State.RECEIVED.value}
            self._record(conn, user, "request received", reference, details)
            return self._case(conn, reference, user, request_id=request_id)

    def _case(
        self, conn: Connection, reference: str, user: User, *, request_id: int | None = None
    ) -> Case:
        row = db.one(conn, db.requests, reference=reference)
        if row is None or (request_id is not None and row["id"] != request_id):
            raise NotFound(f"no request {reference!r}")
        case = case_from_row(row)
        _see(user, case)
        return case

    def show_request(self, user: User, reference: str) -> Case:
        permit(user, Action.VIEW_REQUESTS)
        with self.store.engine.connect() as conn:
            return self._case(conn, reference, user)

    def request_history(self, user: User, reference: str) -> list[Entry]:
        """The history entries of one request, oldest first: each dated and attributed."""
        permit(user, Action.VIEW_REQUESTS)
        with self.store.engine.connect() as conn:
            self._case(conn, reference, user)
            return [e for e in db.history_entries(conn) if e.subject == reference]

    def list_requests(self, user: User, state: State | None = None) -> list[Case]:
        """The requests ``user`` may see (a liaison: its own State's only), oldest first."""
        permit(user, Action.VIEW_REQUESTS)
        where: dict[str, Any] = {} if state is None else {"state": state.value}
        if user.role is Role.MEMBER_STATE_LIAISON:
            where["country"] = user.state
        with self.store.engine.connect() as conn:
            return [case_from_row(r) for r in db.rows(conn, db.requests, **where)]

    def _move(
        self,
        user: User,
        action: Action,
        reference: str,
        *,
        target: State,
        change: Callable[[Case], Mapping[str, Any]],
        name: str,
        phase: Phase | None = None,
    ) -> Case:
        """One transition: check the move, then what it records (``change``, which may
        refuse), and write the new state with its history entry in one transaction."""
        permit(user, action)
        with self.store.writing() as conn:
            case = self._case(conn, reference, user)
            outcome = case.decision.outcome if case.decision else None
            check_transition(
                reference, case.state, target, outcome=outcome, phase=case.phase, next_phase=phase
            )
            values = dict(change(case))
            db.update_request(
                conn, case.request_id, {**values, "state": target.value, "updated_at": self._now()}
            )
            details = {"from": case.state.value, "to": target.value, **_decoded(values)}
            self._record(conn, user, name, reference, details)
            return self._case(conn, reference, user)

    def plan_assessment(
        self, user: User, reference: str, *, starts: date, ends: date, team: Sequence[str]
    ) -> Case:
        if ends < starts:
            raise InvalidInput("ends", f"{ends} is before the start {starts}")
        plan = {"starts": starts.isoformat(), "ends": ends.isoformat(), "team": list(team)}
        return self._move(
            user,
            Action.PLAN_ASSESSMENT,
            reference,
            target=State.ASSESSMENT_PLANNED,
            change=lambda _: {"plan": json.dumps(plan)},
            name="assessment planned",
        )

    def record_assessment(self, user: User, reference: str, assessment: Assessment) -> Case:
        check_assessment(assessment)
        found = json.dumps(assessment_json(assessment))
        return self._move(
            user,
            Action.RECORD_ASSESSMENT,
            reference,
            target=State.ASSESSED,
            change=lambda _: {"assessment": found},
            name="assessment recorded",
        )

    def decide(self, user: User, reference: str, decision: Decision) -> Case:
        def change(case: Case) -> Mapping[str, Any]:
            if case.assessment is not None:
                check_decision(decision, case.assessment)
            return {"decision": json.dumps(decision_json(decision))}

        return self._move(
            user, Action.DECIDE, reference, target=State.DECIDED, change=change, name="decided"
        )

    def start(self, user: User, reference: str, phase: Phase) -> Case:
        """decided -> under_way, in ``phase``."""
        return self._under_way(user, reference, phase, State.DECIDED, "assistance started")

    def advance(self, user: User, reference: str, phase: Phase) -> Case:
        """under_way -> under_way, in a later ``phase``."""
        return self._under_way(user, reference, phase, State.UNDER_WAY, "phase advanced")

    def _under_way(
        self, user: User, reference: str, phase: Phase, source: State, name: str
    ) -> Case:
        def change(case: Case) -> Mapping[str, Any]:
            if case.state is not source:  # start and advance are two moves, not one
                verb = "start" if source is State.DECIDED else "advance"
                other = "advance" if verb == "start" else "start"
                raise TransitionRefused(
                    f"request {reference} is {case.state.value}: {verb} moves a request that "
                    f"is {source.value}; use {other}"
                )
            return {"phase": phase.value}

        return self._move(
            user,
            Action.RUN_ASSISTANCE,
            reference,
            target=State.UNDER_WAY,
            change=change,
            name=name,
            phase=phase,
        )

    def close(self, user: User, reference: str, final_report: str) -> Case:
        if not final_report.strip():
            raise InvalidInput("final_report", "a request is closed with its final report")
        return self._move(
            user,
            Action.RUN_ASSISTANCE,
            reference,
            target=State.CLOSED,
            change=lambda _: {"final_report": final_report},
            name="closed",
        )

    # -- activities --------------------------------------------------------------------

    def add_activity(
        self, user: User, activity: Activity, request: str | None = None
    ) -> tuple[Activity, list[Overlap]]:
        """Record an activity (part of the assistance decided on ``request``, if named); the
        overlaps it makes with other entities' activities."""
        permit(user, Action.RECORD_ACTIVITY)
        if user.role is Role.IMPLEMENTING_ENTITY and activity.entity.value != user.entity:
            raise NotPermitted(
                f"{user.name} (implementing_entity for {user.entity}) may record only "
                f"{user.entity}'s activities, not {activity.entity.value}'s"
            )
        check_activity(activity)
        with self.store.writing() as conn:
            if request is not None:
                activity = replace(
                    activity, request_id=self._assisted(conn, request, activity, user)
                )
            others = [
                activity_from_row(r) for r in db.rows(conn, db.activities, country=activity.country)
            ]
            values = {**activity_values(activity), "recorded_by": user.name}
            made = replace(activity, activity_id=db.insert_row(conn, db.activities, values))
            found = overlaps_with(made, others)
            details = {**activity_values(made), "overlaps": [o.first.activity_id for o in found]}
            self._record(conn, user, "activity recorded", f"activity:{made.activity_id}", details)
        return made, found

    def _assisted(self, conn: Connection, reference: str, activity: Activity, user: User) -> int:
        """The id of the request an activity belongs to: for its country, with assistance
        decided or under way."""
        case = self._case(conn, reference, user)
        if case.request.country != activity.country:
            raise InvalidInput(
                "request", f"{reference} concerns {case.request.country}, not {activity.country}"
            )
        declined = case.decision is not None and case.decision.outcome is Outcome.DECLINE
        if case.state not in (State.DECIDED, State.UNDER_WAY) or declined:
            raise InvalidInput(
                "request",
                f"{reference} is {case.state.value}"
                f"{' (declined)' if declined else ''}: activities belong to "
                "assistance decided or under way",
            )
        return case.request_id

    def list_activities(
        self, user: User, country: str | None = None
    ) -> tuple[list[Activity], list[Overlap]]:
        """Every entity's activities (each entity sees what the others do), and the overlaps."""
        permit(user, Action.VIEW_ACTIVITIES)
        where = {} if country is None else {"country": country}
        with self.store.engine.connect() as conn:
            found = [activity_from_row(r) for r in db.rows(conn, db.activities, **where)]
        return found, overlaps(found)

    # -- the history -------------------------------------------------------------------

    def check_history(self, user: User, anchor: tuple[int, bytes] | None = None) -> int:
        """Walk the chain; :class:`~suffrage.assistance.history.HistoryBroken` names the
        first wrong entry. The number of entries.

        ``anchor`` is an entry's number and hash noted outside the registry (printed by
        ``assist history check``, kept in a published report): the chain must still hold
        that entry with that hash, which finds the removal of the last entries (a cut tail
        leaves a chain that holds on its own) and any rewrite up to the anchor."""
        permit(user, Action.CHECK_HISTORY)
        with self.store.engine.connect() as conn:
            entries = list(db.history_entries(conn))
            count = check_chain(entries)
            db.check_rows(conn, entries)
            check_documents(conn, entries)
            check_access(conn, entries)
        if anchor is not None:
            number, digest = anchor
            if number > count:
                raise HistoryBroken(
                    number,
                    f"the anchor noted entry {number}, but the history ends at entry {count}: "
                    "its last entries were removed",
                )
            if number >= 1 and entries[number - 1].hash != digest:
                raise HistoryBroken(number, "its hash is not the one the anchor noted (rewritten)")
        return count

    def history_head(self, user: User) -> tuple[int, bytes]:
        """The number and hash of the last entry (0 and the genesis value when empty): the
        anchor to note outside the registry."""
        permit(user, Action.CHECK_HISTORY)
        with self.store.engine.connect() as conn:
            entries = list(db.history_entries(conn))
        return (len(entries), entries[-1].hash) if entries else (0, GENESIS)


class Registry(Requests, Accounts, Roster, Reports, Memory, Publications, Sessions, Access):
    """The registry's use cases over one :class:`~suffrage.assistance.storage.Store`, with
    the clock (an aware UTC datetime) passed in."""


def _see(user: User, case: Case) -> None:
    """A Member State liaison sees only its own State's requests."""
    if user.role is Role.MEMBER_STATE_LIAISON and case.request.country != user.state:
        raise NotPermitted(
            f"{user.name} (member_state_liaison for {user.state}) may view only {user.state}'s "
            f"requests; {case.reference} concerns another State"
        )


def _decoded(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        json_columns = {"plan", "assessment", "decision", "elections", "kinds", "documents"}
        out[key] = json.loads(value) if key in json_columns else value
    return out
