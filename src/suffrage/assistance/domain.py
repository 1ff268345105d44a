"""Requests for electoral assistance and their workflow (spec/assistance.md#2): pure rules.

A request comes from a Member State or from a mandate of the Security Council or the General
Assembly; it moves through the states of :data:`TRANSITIONS`, and every other move is refused
with a message naming the state it is in and the moves allowed from there. The kinds of
assistance, the implementing entities and the phases of the electoral cycle are closed
vocabularies (spec/assistance.md#1). No clock, no database: the caller passes dates in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from suffrage.errors import InvalidInput, UnsupportedOperation

__all__ = [
    "MANDATED_KINDS",
    "TRANSITIONS",
    "Assessment",
    "Authority",
    "Condition",
    "Decision",
    "Entity",
    "Kind",
    "Outcome",
    "Phase",
    "Request",
    "State",
    "TransitionRefused",
    "check_assessment",
    "check_country",
    "check_decision",
    "check_request",
    "check_transition",
    "next_phase_allowed",
    "parse_date",
]


class State(StrEnum):
    """Where a request stands (spec/assistance.md#2)."""

    RECEIVED = "received"
    ASSESSMENT_PLANNED = "assessment_planned"
    ASSESSED = "assessed"
    DECIDED = "decided"
    UNDER_WAY = "under_way"
    CLOSED = "closed"


TRANSITIONS: Mapping[State, tuple[State, ...]] = {
    State.RECEIVED: (State.ASSESSMENT_PLANNED,),
    State.ASSESSMENT_PLANNED: (State.ASSESSED,),
    State.ASSESSED: (State.DECIDED,),
    # under_way after a decision to assist; closed after a decline (see check_transition)
    State.DECIDED: (State.UNDER_WAY, State.CLOSED),
    # under_way -> under_way moves to a later phase of the electoral cycle
    State.UNDER_WAY: (State.UNDER_WAY, State.CLOSED),
    State.CLOSED: (),
}
"""The allowed moves, and no other (spec/assistance.md#2)."""


class Authority(StrEnum):
    """Who asks: assistance is given only at a Member State's request or on a mandate of
    the Security Council or the General Assembly (A/RES/74/158, preamble; FP/01/2012)."""

    MEMBER_STATE = "member_state"
    SECURITY_COUNCIL = "security_council"
    GENERAL_ASSEMBLY = "general_assembly"


class Kind(StrEnum):
    """The types of UN electoral assistance of the focal point's policies FP/01/2012 (rev.
    2021) and FP/01/2013 (spec/assistance.md#1)."""

    TECHNICAL_ASSISTANCE = "technical_assistance"
    ELECTION_SITUATION_ROOM = "election_situation_room"
    SUPPORT_TO_INTERNATIONAL_OBSERVERS = "support_to_international_observers"
    EXPERT_PANEL = "expert_panel"
    ELECTION_OBSERVATION = "election_observation"
    CERTIFICATION = "certification"
    SUPERVISION = "supervision"
    ORGANIZATION_AND_CONDUCT = "organization_and_conduct"


MANDATED_KINDS = frozenset(
    {Kind.ELECTION_OBSERVATION, Kind.CERTIFICATION, Kind.SUPERVISION, Kind.ORGANIZATION_AND_CONDUCT}
)
"""Kinds the UN provides only on a Security Council or General Assembly mandate (FP/01/2013):
a Member State's request alone cannot ask for them."""


class Entity(StrEnum):
    """Implementing entities of the UN system (A/RES/74/158 para. 18; spec/assistance.md#1)."""

    EAD = "EAD"
    UNDP = "UNDP"
    DPO = "DPO"
    DOS = "DOS"
    OHCHR = "OHCHR"
    UN_WOMEN = "UN-Women"
    UNOPS = "UNOPS"
    UNV = "UNV"
    UNESCO = "UNESCO"


class Phase(StrEnum):
    """The phases of the electoral cycle (A/RES/74/158 para. 12), in order."""

    PRE_ELECTORAL = "pre_electoral"
    ELECTORAL = "electoral"
    POST_ELECTORAL = "post_electoral"


PHASE_ORDER = tuple(Phase)


class Condition(StrEnum):
    """What a needs assessment must establish before assistance (A/RES/74/158 para. 5)."""

    ADEQUATE_TIME = "adequate_time"
    FREE_AND_FAIR_CONDITIONS = "free_and_fair_conditions"
    REPORTING_PROVISIONS = "reporting_provisions"


class Outcome(StrEnum):
    """The focal point's decision on a request."""

    ASSIST = "assist"
    ASSIST_WITH_CONDITIONS = "assist_with_conditions"
    DECLINE = "decline"


class TransitionRefused(UnsupportedOperation):
    """A move the workflow does not allow from the request's state (spec/assistance.md#2)."""


_COUNTRY = re.compile(r"[A-Z]{3}")


def check_country(field: str, code: str) -> str:
    """An ISO 3166-1 alpha-3 code (its shape: three capital letters)."""
    if not _COUNTRY.fullmatch(code):
        raise InvalidInput(
            field, f"expected an ISO 3166-1 alpha-3 code such as 'NPL', got {code!r}"
        )
    return code


def parse_date(field: str, text: str) -> date:
    """An ISO 8601 calendar date (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field, f"expected a date YYYY-MM-DD, got {text!r}") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    """A needs assessment's findings, each para. 5 condition answered (met or not, why)."""

    findings: str
    conditions: Mapping[Condition, tuple[bool, str]]

    def unmet(self) -> tuple[Condition, ...]:
        return tuple(c for c in Condition if not self.conditions[c][0])


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    outcome: Outcome
    reasons: str
    conditions: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """A request as received; its state and later data live beside it (storage)."""

    authority: Authority
    country: str
    received_on: date
    elections: tuple[str, ...]
    kinds: tuple[Kind, ...]
    mandate: str = ""
    documents: tuple[str, ...] = ()


def check_request(request: Request) -> Request:
    """Refuse a request that names no election or kind, or a mandated kind without a mandate."""
    check_country("country", request.country)
    if not request.elections or not all(e.strip() for e in request.elections):
        raise InvalidInput("elections", "name at least one election concerned")
    if not request.kinds:
        raise InvalidInput("kinds", f"name at least one kind of assistance: {_list(Kind)}")
    if request.authority is Authority.MEMBER_STATE:
        mandated = sorted(k.value for k in request.kinds if k in MANDATED_KINDS)
        if mandated:
            raise InvalidInput(
                "kinds",
                f"{', '.join(mandated)} only on a Security Council or General Assembly mandate "
                "(FP/01/2013), not at a Member State's request",
            )
    elif not request.mandate.strip():
        raise InvalidInput("mandate", f"a {request.authority.value} request names its resolution")
    return request


def check_assessment(assessment: Assessment) -> Assessment:
    """Every para. 5 condition answered, with its reason, and findings written."""
    missing = [c.value for c in Condition if c not in assessment.conditions]
    if missing:
        raise InvalidInput("conditions", f"answer every para. 5 condition; missing: {missing}")
    unexplained = [c.value for c, (_, why) in assessment.conditions.items() if not why.strip()]
    if unexplained:
        raise InvalidInput("conditions", f"give the reason for each answer; none for {unexplained}")
    if not assessment.findings.strip():
        raise InvalidInput("findings", "the assessment's findings are empty")
    return assessment


def check_decision(decision: Decision, assessment: Assessment) -> Decision:
    """A decision follows the assessment: ``assist`` only when every para. 5 condition is met;
    ``assist_with_conditions`` says how the unmet ones will be; every decision gives reasons."""
    if not decision.reasons.strip():
        raise InvalidInput("reasons", "a decision gives its reasons")
    unmet = [c.value for c in assessment.unmet()]
    if decision.outcome is Outcome.ASSIST and unmet:
        raise InvalidInput(
            "outcome",
            f"assist needs every para. 5 condition met; unmet: {', '.join(unmet)}; decide "
            "assist_with_conditions (saying how each will be met) or decline",
        )
    if decision.outcome is Outcome.ASSIST_WITH_CONDITIONS and not decision.conditions.strip():
        raise InvalidInput("conditions", "assist_with_conditions names its conditions")
    return decision


def check_transition(
    reference: str,
    state: State,
    target: State,
    *,
    outcome: Outcome | None = None,
    phase: Phase | None = None,
    next_phase: Phase | None = None,
) -> None:
    """Refuse any move not in :data:`TRANSITIONS`, naming the state and what is allowed."""
    allowed = _allowed(state, outcome)
    if target not in allowed:
        now = f"{state.value} ({outcome.value})" if outcome and state is State.DECIDED else state
        moves = ", ".join(a.value for a in allowed) or "nothing (closed is final)"
        raise TransitionRefused(
            f"request {reference} is {now}: it cannot go to {target.value}; allowed: {moves}"
        )
    if state is State.UNDER_WAY and target is State.UNDER_WAY:
        next_phase_allowed(reference, phase, next_phase)


def _allowed(state: State, outcome: Outcome | None) -> tuple[State, ...]:
    if state is State.DECIDED:
        return (State.CLOSED,) if outcome is Outcome.DECLINE else (State.UNDER_WAY,)
    return TRANSITIONS[state]


def next_phase_allowed(reference: str, phase: Phase | None, next_phase: Phase | None) -> None:
    """Assistance under way moves forward through the cycle's phases, never back."""
    if (
        phase is None
        or next_phase is None
        or PHASE_ORDER.index(next_phase) <= PHASE_ORDER.index(phase)
    ):
        later = PHASE_ORDER[PHASE_ORDER.index(phase) + 1 :] if phase else PHASE_ORDER
        raise TransitionRefused(
            f"request {reference} is under_way in phase {phase.value if phase else '?'}: it can "
            f"move on to {', '.join(p.value for p in later) or 'no later phase'}, or close"
        )


def _list(values: Iterable[StrEnum]) -> str:
    return ", ".join(v.value for v in values)
