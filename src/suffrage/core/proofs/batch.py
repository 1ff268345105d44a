"""Batch verification: many proofs folded into one multiscalar multiplication.

Each verification equation ``sum_i s_i*P_i == O`` is multiplied by an independent random
128-bit weight and all are added up (spec/protocol.md#7). Terms on a base shared by many
proofs (the generator, the election key) are merged, so each of those contributes one point.
If the sum is the identity, every equation holds except with probability at most
``2^-128``; if not, the caller checks one proof at a time to name the failing one.

:class:`Batch` collects the terms; each proof kind has a ``*_fold`` function that adds its
equations to a batch directly (the same equations as its ``*_equations`` function, with the
merging done in scalar arithmetic rather than term by term).
"""

from __future__ import annotations

from collections.abc import Iterable

from suffrage._native import Element, Scalar, multiscalar_mul_vartime
from suffrage.core.proofs.equations import Equation
from suffrage.core.randomness import RandomSource

__all__ = ["Batch", "batch_holds", "fold_equations"]

_WEIGHT_BYTES = 16
_POOL_BYTES = 4096


class Batch:
    """The terms of a random linear combination of verification equations."""

    __slots__ = ("_pool", "_rng", "_shared", "points", "scalars")

    def __init__(self, rng: RandomSource) -> None:
        self._rng = rng
        self._pool = b""
        self._shared: dict[int, tuple[Element, Scalar]] = {}
        self.scalars: list[Scalar] = []
        self.points: list[Element] = []

    def weight(self) -> Scalar:
        """A fresh random 128-bit weight."""
        if len(self._pool) < _WEIGHT_BYTES:
            self._pool = self._rng.token(_POOL_BYTES)
        raw, self._pool = self._pool[:_WEIGHT_BYTES], self._pool[_WEIGHT_BYTES:]
        return Scalar.from_bytes(raw + bytes(32 - _WEIGHT_BYTES))

    def term(self, scalar: Scalar, point: Element) -> None:
        self.scalars.append(scalar)
        self.points.append(point)

    def shared(self, point: Element, scalar: Scalar) -> None:
        """A term on a base many proofs share (merged by object identity)."""
        key = id(point)
        found = self._shared.get(key)
        self._shared[key] = (point, scalar if found is None else found[1] + scalar)

    def add_equation(self, equation: Equation) -> None:
        weight = self.weight()
        for scalar, point in zip(equation.scalars, equation.elements, strict=True):
            self.term(weight * scalar, point)

    def extend(self, other: Batch) -> None:
        self.scalars.extend(other.scalars)
        self.points.extend(other.points)
        for point, scalar in other._shared.values():
            self.shared(point, scalar)

    def holds(self) -> bool:
        """Whether the combination is the identity (variable time: public data only)."""
        scalars = self.scalars + [s for _, s in self._shared.values()]
        points = self.points + [p for p, _ in self._shared.values()]
        return multiscalar_mul_vartime(scalars, points).is_identity()


def fold_equations(equations: Iterable[Equation], rng: RandomSource) -> Batch:
    """A batch holding the random linear combination of ``equations``."""
    batch = Batch(rng)
    for equation in equations:
        batch.add_equation(equation)
    return batch


def batch_holds(equations: Iterable[Equation], rng: RandomSource) -> bool:
    """Whether every equation holds (up to the 2^-128 error of a random combination)."""
    return fold_equations(equations, rng).holds()
