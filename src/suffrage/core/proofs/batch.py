"""Batch verification: many equations folded into one multiscalar multiplication.

Each equation ``sum_i s_i*P_i == O`` is multiplied by an independent random 128-bit weight
``z`` and all are added up (spec/protocol.md#7); terms on the same element object (the
generator, the election key) are merged first, so each contributes one point. If the sum is
the identity every equation holds except with probability at most ``2^-128``; if not, the
caller falls back to checking one proof at a time to name the failing one.
"""

from __future__ import annotations

from collections.abc import Iterable

from suffrage._native import Element, Scalar, multiscalar_mul_vartime
from suffrage.core.proofs.equations import Equation
from suffrage.core.randomness import RandomSource

__all__ = ["batch_holds", "fold_equations"]


def fold_equations(
    equations: Iterable[Equation], rng: RandomSource
) -> tuple[list[Scalar], list[Element]]:
    """The random linear combination of ``equations`` as one list of terms."""
    merged: dict[int, tuple[Element, Scalar]] = {}
    scalars: list[Scalar] = []
    points: list[Element] = []
    for equation in equations:
        weight = Scalar.from_bytes(rng.token(16) + bytes(16))
        for scalar, point in zip(equation.scalars, equation.elements, strict=True):
            key = id(point)
            if key in merged:
                element, total = merged[key]
                merged[key] = (element, total + weight * scalar)
            else:
                merged[key] = (point, weight * scalar)
    for element, total in merged.values():
        points.append(element)
        scalars.append(total)
    return scalars, points


def batch_holds(equations: Iterable[Equation], rng: RandomSource) -> bool:
    """Whether every equation holds (up to the 2^-128 error of a random combination)."""
    scalars, points = fold_equations(equations, rng)
    return multiscalar_mul_vartime(scalars, points).is_identity()
