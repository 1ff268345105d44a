"""Discrete logarithms of tallies by baby-step giant-step (spec/protocol.md#4.4).

A decrypted tally is ``v*G`` for a count ``v``; :class:`DiscreteLog` recovers ``v`` for any
``0 <= v <= max_value`` (10^9 by default) with a table of ``m = ceil(sqrt(max_value + 1))``
baby steps built once and reused for every tally of an election.
"""

from __future__ import annotations

import math

from suffrage._native import Element
from suffrage.core.group import GENERATOR, IDENTITY, scalar_from_int
from suffrage.errors import VerificationFailed

__all__ = ["DiscreteLog"]


class DiscreteLog:
    """A reusable baby-step giant-step solver for ``v*G`` with ``0 <= v <= max_value``."""

    __slots__ = ("_baby", "_giant", "_m", "max_value")

    def __init__(self, max_value: int = 10**9) -> None:
        if max_value < 0:
            raise ValueError("max_value must be non-negative")
        self.max_value = max_value
        self._m = math.isqrt(max_value) + 1
        self._baby: dict[bytes, int] | None = None
        self._giant: Element = -Element.mul_base(scalar_from_int(self._m))

    def _table(self) -> dict[bytes, int]:
        if self._baby is None:
            baby: dict[bytes, int] = {}
            point = IDENTITY
            for j in range(self._m):
                baby[point.to_bytes()] = j
                point = point + GENERATOR
            self._baby = baby
        return self._baby

    def solve(self, element: Element) -> int:
        """The ``v`` with ``v*G == element``; raises when there is none up to ``max_value``."""
        baby = self._table()
        point = element
        for i in range(self._m + 1):
            j = baby.get(point.to_bytes())
            if j is not None:
                value = i * self._m + j
                if value <= self.max_value:
                    return value
                break
            point = point + self._giant
        raise VerificationFailed(
            "discrete log", f"the element is not v*G for any 0 <= v <= {self.max_value}"
        )
