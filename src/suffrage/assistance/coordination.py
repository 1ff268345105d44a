"""Assistance activities and the duplication A/RES/74/158 para. 18 warns of (spec/assistance.md#3).

Two activities overlap when different implementing entities carry them out for the same
country, phase and kind and their dates share at least one day (both ends included).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from suffrage.assistance.domain import Entity, Kind, Phase, check_country
from suffrage.errors import InvalidInput

__all__ = ["Activity", "Overlap", "check_activity", "overlaps", "overlaps_with"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity:
    entity: Entity
    country: str
    phase: Phase
    kind: Kind
    starts: date
    ends: date
    title: str
    request_id: int | None = None
    activity_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Overlap:
    first: Activity
    second: Activity
    starts: date
    ends: date

    def describe(self) -> str:
        a, b = self.first, self.second
        return (
            f"{a.entity.value} '{a.title}' and {b.entity.value} '{b.title}': both "
            f"{a.kind.value} in {a.country}, {a.phase.value} phase, "
            f"{self.starts.isoformat()} to {self.ends.isoformat()}"
        )


def check_activity(activity: Activity) -> Activity:
    check_country("country", activity.country)
    if activity.ends < activity.starts:
        raise InvalidInput("ends", f"{activity.ends} is before the start {activity.starts}")
    if not activity.title.strip():
        raise InvalidInput("title", "an activity has a title")
    return activity


def _overlap(a: Activity, b: Activity) -> Overlap | None:
    if a.entity == b.entity or (a.country, a.phase, a.kind) != (b.country, b.phase, b.kind):
        return None
    starts, ends = max(a.starts, b.starts), min(a.ends, b.ends)
    return Overlap(first=a, second=b, starts=starts, ends=ends) if starts <= ends else None


def overlaps(activities: Sequence[Activity]) -> list[Overlap]:
    """Every overlapping pair, in the order of the activities given."""
    found = (_overlap(a, b) for a, b in combinations(activities, 2))
    return [o for o in found if o is not None]


def overlaps_with(activity: Activity, others: Sequence[Activity]) -> list[Overlap]:
    """The overlaps a new activity would make with those already recorded."""
    found = (_overlap(other, activity) for other in others)
    return [o for o in found if o is not None]
