"""Rows of the registry's tables to domain objects and back (JSON columns, ISO dates)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.engine import RowMapping

from suffrage.assistance.access import Role, User
from suffrage.assistance.coordination import Activity
from suffrage.assistance.domain import (
    Assessment,
    Authority,
    Condition,
    Decision,
    Entity,
    Kind,
    Outcome,
    Phase,
    Request,
    State,
)
from suffrage.assistance.roster import Expert, Region

__all__ = [
    "Case",
    "activity_from_row",
    "activity_values",
    "assessment_json",
    "case_from_row",
    "decision_json",
    "expert_from_row",
    "expert_values",
    "request_values",
    "user_from_row",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    """A request with where it stands and what has been recorded on it."""

    request_id: int
    reference: str
    request: Request
    state: State
    phase: Phase | None
    plan: Mapping[str, Any] | None
    assessment: Assessment | None
    decision: Decision | None
    final_report: str | None
    updated_at: str


def _load(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def request_values(request: Request) -> dict[str, Any]:
    return {
        "authority": request.authority.value,
        "country": request.country,
        "mandate": request.mandate,
        "received_on": request.received_on.isoformat(),
        "elections": json.dumps(list(request.elections)),
        "kinds": json.dumps([k.value for k in request.kinds]),
        "documents": json.dumps(list(request.documents)),
    }


def assessment_json(assessment: Assessment) -> dict[str, Any]:
    conditions = {
        c.value: {"met": met, "reason": why} for c, (met, why) in assessment.conditions.items()
    }
    return {"findings": assessment.findings, "conditions": conditions}


def decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "outcome": decision.outcome.value,
        "reasons": decision.reasons,
        "conditions": decision.conditions,
    }


def _assessment(data: Any) -> Assessment | None:
    if data is None:
        return None
    conditions = {Condition(c): (v["met"], v["reason"]) for c, v in data["conditions"].items()}
    return Assessment(findings=data["findings"], conditions=conditions)


def _decision(data: Any) -> Decision | None:
    if data is None:
        return None
    return Decision(
        outcome=Outcome(data["outcome"]), reasons=data["reasons"], conditions=data["conditions"]
    )


def case_from_row(row: RowMapping) -> Case:
    request = Request(
        authority=Authority(row["authority"]),
        country=row["country"],
        received_on=date.fromisoformat(row["received_on"]),
        elections=tuple(json.loads(row["elections"])),
        kinds=tuple(Kind(k) for k in json.loads(row["kinds"])),
        mandate=row["mandate"],
        documents=tuple(json.loads(row["documents"])),
    )
    return Case(
        request_id=row["id"],
        reference=row["reference"],
        request=request,
        state=State(row["state"]),
        phase=Phase(row["phase"]) if row["phase"] else None,
        plan=_load(row["plan"]),
        assessment=_assessment(_load(row["assessment"])),
        decision=_decision(_load(row["decision"])),
        final_report=row["final_report"],
        updated_at=row["updated_at"],
    )


def activity_values(activity: Activity) -> dict[str, Any]:
    return {
        "request_id": activity.request_id,
        "entity": activity.entity.value,
        "country": activity.country,
        "phase": activity.phase.value,
        "kind": activity.kind.value,
        "starts": activity.starts.isoformat(),
        "ends": activity.ends.isoformat(),
        "title": activity.title,
    }


def activity_from_row(row: RowMapping) -> Activity:
    return Activity(
        entity=Entity(row["entity"]),
        country=row["country"],
        phase=Phase(row["phase"]),
        kind=Kind(row["kind"]),
        starts=date.fromisoformat(row["starts"]),
        ends=date.fromisoformat(row["ends"]),
        title=row["title"],
        request_id=row["request_id"],
        activity_id=row["id"],
    )


def expert_values(expert: Expert) -> dict[str, Any]:
    windows = [[a.isoformat(), b.isoformat()] for a, b in expert.availability]
    return {
        "name": expert.name,
        "skills": json.dumps(list(expert.skills)),
        "languages": json.dumps(list(expert.languages)),
        "regions": json.dumps([r.value for r in expert.regions]),
        "availability": json.dumps(windows),
        "joined_on": expert.joined_on.isoformat(),
        "gender": expert.gender,
        "disability": expert.disability,
    }


def expert_from_row(row: RowMapping) -> Expert:
    windows = json.loads(row["availability"])
    return Expert(
        name=row["name"],
        skills=tuple(json.loads(row["skills"])),
        languages=tuple(json.loads(row["languages"])),
        regions=tuple(Region(r) for r in json.loads(row["regions"])),
        availability=tuple((date.fromisoformat(a), date.fromisoformat(b)) for a, b in windows),
        joined_on=date.fromisoformat(row["joined_on"]),
        gender=row["gender"],
        disability=row["disability"],
        expert_id=row["id"],
    )


def user_from_row(row: RowMapping | Mapping[str, Any]) -> User:
    return User(
        name=row["name"],
        role=Role(row["role"]),
        entity=row["entity"],
        state=row["state"],
        user_id=row["id"],
    )
