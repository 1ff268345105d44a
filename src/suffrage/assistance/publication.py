"""Versions of a document and withdrawn publications (spec/assistance.md#10.7, #10.8 and
#11.5): the plain values the use cases return, and the rule for a withdrawal's reason. Pure:
no database, no clock.

A document's **versions** form a line: the first is version 1, each later one names the one
it supersedes, and no version is superseded twice (no forks). The **current** version is the
one nothing supersedes. A **withdrawal** takes a publication back: the row stays, the public
no longer finds it, and its own address says when and why it was withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from suffrage.assistance.access import Role
from suffrage.errors import InvalidInput, NotFound

__all__ = [
    "MAX_REASON",
    "SEES_EVERY_DOCUMENT",
    "Standing",
    "Version",
    "Withdrawal",
    "Withdrawn",
    "check_reason",
]

SEES_EVERY_DOCUMENT = frozenset({Role.FOCAL_POINT, Role.EAD_STAFF, Role.IMPLEMENTING_ENTITY})
"""The roles that see every document, published or not (spec/assistance.md#10.2); a liaison
sees its own State's, the public the published ones not withdrawn."""

MAX_REASON = 2000
"""The longest reason a withdrawal may give (characters)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Withdrawal:
    """Who took a publication back, when (UTC, ISO 8601) and why."""

    reason: str
    by: str
    at: str

    @property
    def on(self) -> str:
        """The day (UTC) of the withdrawal, YYYY-MM-DD."""
        return self.at[:10]


class Withdrawn(NotFound):
    """What was asked for was published and then withdrawn: the public reads this notice
    (when and why) instead of it."""

    def __init__(self, what: str, withdrawal: Withdrawal) -> None:
        super().__init__(f"{what} was withdrawn on {withdrawal.on}: {withdrawal.reason}")
        self.what = what
        self.withdrawal = withdrawal


@dataclass(frozen=True, slots=True, kw_only=True)
class Version:
    """One version of a document, as listed beside any of its versions."""

    document_id: int
    version: int
    title: str
    dated: date
    attached_by: str
    attached_at: str
    published: bool
    withdrawal: Withdrawal | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Standing:
    """Where a document stands: its version number, the one it supersedes and the one that
    superseded it (if any), its withdrawal (if any), and its versions that the user may see,
    oldest first."""

    document_id: int
    version: int
    supersedes: int | None
    superseded_by: int | None
    withdrawal: Withdrawal | None
    versions: tuple[Version, ...]

    @property
    def current(self) -> bool:
        return self.superseded_by is None


def check_reason(reason: str) -> str:
    """The reason, stripped; refused when empty, over :data:`MAX_REASON` characters or
    holding a NUL character."""
    kept = reason.strip()
    if not kept:
        raise InvalidInput("reason", "is empty: say why the publication is withdrawn")
    if len(kept) > MAX_REASON:
        raise InvalidInput("reason", f"at most {MAX_REASON} characters, got {len(kept)}")
    if "\x00" in kept:
        raise InvalidInput("reason", "holds a NUL character")
    return kept
