"""The roster of electoral experts (A/RES/74/158 para. 17; spec/assistance.md#4): matching
experts to a need, and the roster's diversity figures with small groups suppressed.

Self-descriptions (gender, disability) are voluntary and never shown one by one: only
:func:`figures` reads them, and it shows any group of fewer than :data:`MINIMUM_GROUP`
as "fewer than 5", with a second group hidden where one hidden group could be found by
subtraction from the total.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from suffrage.errors import InvalidInput

__all__ = [
    "MINIMUM_GROUP",
    "NOT_STATED",
    "UN_LANGUAGES",
    "Expert",
    "Figures",
    "Match",
    "Need",
    "Region",
    "check_expert",
    "figures",
    "match",
]

MINIMUM_GROUP = 5
"""Groups smaller than this are suppressed (spec/assistance.md#4)."""
NOT_STATED = "not stated"
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
"""The six official languages of the United Nations (ISO 639-1)."""
_LANGUAGE = re.compile(r"[a-z]{2,3}")


class Region(StrEnum):
    """Regions of work, after UNDP's regional bureaux (spec/assistance.md#4)."""

    AFRICA = "africa"
    ARAB_STATES = "arab_states"
    ASIA_PACIFIC = "asia_pacific"
    EUROPE_CENTRAL_ASIA = "europe_central_asia"
    LATIN_AMERICA_CARIBBEAN = "latin_america_caribbean"


@dataclass(frozen=True, slots=True, kw_only=True)
class Expert:
    name: str
    skills: tuple[str, ...]
    languages: tuple[str, ...]
    regions: tuple[Region, ...]
    availability: tuple[tuple[date, date], ...]
    joined_on: date
    gender: str | None = None
    disability: str | None = None
    expert_id: int | None = None


def check_expert(expert: Expert) -> Expert:
    if not expert.name.strip():
        raise InvalidInput("name", "an expert has a name")
    if not expert.skills:
        raise InvalidInput("skills", "name at least one skill")
    bad = [code for code in expert.languages if not _LANGUAGE.fullmatch(code)]
    if bad or not expert.languages:
        raise InvalidInput("languages", f"ISO 639 codes in lower case such as 'fr', got {bad}")
    for starts, ends in expert.availability:
        if ends < starts:
            raise InvalidInput("availability", f"window {starts} to {ends} ends before it starts")
    return expert


@dataclass(frozen=True, slots=True, kw_only=True)
class Need:
    """What an assessment or activity needs: any of the skills, one of the languages (if
    any is named), the region (if named), availability over the whole window (if named)."""

    skills: tuple[str, ...]
    languages: tuple[str, ...] = ()
    region: Region | None = None
    window: tuple[date, date] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    expert: Expert
    score: int
    reasons: tuple[str, ...]


def _available(expert: Expert, window: tuple[date, date]) -> tuple[date, date] | None:
    for starts, ends in expert.availability:
        if starts <= window[0] and window[1] <= ends:
            return starts, ends
    return None


def _match_one(expert: Expert, need: Need) -> Match | None:
    wanted = {s.casefold() for s in need.skills}
    skills = sorted(s for s in expert.skills if s.casefold() in wanted)
    if not skills:
        return None
    reasons = [f"skills: {', '.join(skills)} ({len(skills)} of {len(wanted)})"]
    score = 3 * len(skills)
    if need.languages:
        spoken = [code for code in need.languages if code in expert.languages]
        if not spoken:
            return None
        reasons.append(f"speaks {', '.join(spoken)}")
        score += 2 * len(spoken)
    if need.window is not None:
        window = _available(expert, need.window)
        if window is None:
            return None
        reasons.append(f"available {window[0]} to {window[1]}, covering the need")
    if need.region is not None and need.region in expert.regions:
        reasons.append(f"has worked in region {need.region.value}")
        score += 1
    return Match(expert=expert, score=score, reasons=tuple(reasons))


def match(experts: Iterable[Expert], need: Need) -> list[Match]:
    """The experts who meet the need, best first (score, then name), each with its reasons."""
    found = [m for m in (_match_one(e, need) for e in experts) if m is not None]
    return sorted(found, key=lambda m: (-m.score, m.expert.name))


@dataclass(frozen=True, slots=True, kw_only=True)
class Figures:
    """The roster as at a date: its size, and per self-description each group's count, or
    ``None`` where the group is suppressed (shown as "fewer than 5")."""

    at: date
    total: int
    by_dimension: Mapping[str, Mapping[str, int | None]]


def _suppress(counts: Counter[str]) -> dict[str, int | None]:
    shown: dict[str, int | None] = {
        g: (n if n >= MINIMUM_GROUP else None) for g, n in sorted(counts.items())
    }
    hidden = [g for g, n in shown.items() if n is None]
    if len(hidden) == 1:  # the total would give it away: hide the smallest other group too
        visible = sorted((n, g) for g, n in shown.items() if n is not None)
        if visible:
            shown[visible[0][1]] = None
    return shown


def figures(experts: Sequence[Expert], at: date) -> Figures:
    """Gender and disability figures over the experts on the roster at ``at``."""
    present = [e for e in experts if e.joined_on <= at]
    dimensions: dict[str, Mapping[str, int | None]] = {}
    for name in ("gender", "disability"):
        values: Counter[str] = Counter(getattr(e, name) or NOT_STATED for e in present)
        dimensions[name] = _suppress(values)
    return Figures(at=at, total=len(present), by_dimension=dimensions)
