"""Shared pieces of every counting method: the audit trail and drawing lots.

Counting methods are pure functions (spec/counting.md): they take plain numbers and names,
never ciphertexts, and return a result that carries its whole audit trail.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from suffrage.errors import CountingError, quote
from suffrage.inputs import MAX_SEATS

__all__ = ["Lot", "Result", "Stage", "Trail", "check_seats", "require"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Stage:
    """One step of a count: a round, a stage of transfers, a quotient table, a comparison.

    ``values`` maps a name (candidate, party, pair) to the figure at this step; ``events``
    says in words what happened (elected, excluded, transferred, tie broken by lot ...).
    """

    number: int
    kind: str
    values: Mapping[str, Any]
    events: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Trail:
    """The audit trail of a count: its stages in order and every lot drawn."""

    method: str
    stages: tuple[Stage, ...] = ()
    lots: tuple[str, ...] = ()
    seed: int | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """What every counting method returns.

    ``elected`` lists the winners in the order the method elected them (for a referendum the
    winning answer); ``seats`` gives seats per party or candidate where the method allocates
    seats (empty otherwise); ``totals`` holds the final figure of each candidate or party;
    ``trail`` is the whole audit trail. Writers (JSON, CSV, NIST SP 1500-100) take only this.
    """

    method: str
    elected: tuple[str, ...]
    seats: Mapping[str, int]
    totals: Mapping[str, Any]
    trail: Trail
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Lot:
    """A reproducible drawing of lots, for ties the law says to break "by lot".

    The draw is a SHA-512 hash of the seed, a counter and the sorted names in the tie, so the
    same seed gives the same draw on every machine; every draw is recorded.
    """

    seed: int = 0
    drawn: list[str] = field(default_factory=list)

    def choose(self, tied: Sequence[str], *, purpose: str) -> str:
        """Draw one name from ``tied`` (order-independent) and record the draw."""
        names = sorted(set(tied))
        require(bool(names), "cannot draw lots among no candidates")
        counter = len(self.drawn)
        digest = hashlib.sha512(
            f"suffrage/lot|{self.seed}|{counter}|{purpose}|".encode() + "\x1f".join(names).encode()
        ).digest()
        winner = names[int.from_bytes(digest, "big") % len(names)]
        self.drawn.append(f"{purpose}: lot among {', '.join(names)} chose {winner}")
        return winner

    def order(self, tied: Sequence[str], *, purpose: str) -> list[str]:
        """Order ``tied`` by successive draws (first drawn first)."""
        rest = sorted(set(tied))
        out: list[str] = []
        while rest:
            pick = self.choose(rest, purpose=purpose) if len(rest) > 1 else rest[0]
            out.append(pick)
            rest.remove(pick)
        return out


def require(condition: bool, message: str) -> None:
    """Raise :class:`CountingError` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise CountingError(message)


def check_seats(seats: object, *, what: str = "seats") -> None:
    """Refuse a seat count that is not a whole number from 1 to 10,000: every method that
    fills seats checks this on entry, so none runs without limit (spec/counting.md#limits)."""
    if isinstance(seats, bool) or not isinstance(seats, int) or not 1 <= seats <= MAX_SEATS:
        raise CountingError(
            f"{what} must be a whole number from 1 to {MAX_SEATS}, not {quote(seats)}"
        )
