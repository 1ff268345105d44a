"""Polynomials over scalars, Feldman commitments and Lagrange coefficients (spec/protocol.md#5).

A guardian's secret polynomial ``P(x) = a_0 + a_1 x + ... + a_{k-1} x^{k-1}`` gives share
``P(j)`` to guardian ``j`` (indices start at 1); the commitments ``A_i = a_i * G`` let every
recipient check its share; any ``k`` shares recover ``a_0`` by Lagrange interpolation at 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from suffrage._native import Element, Scalar, multiscalar_mul_vartime
from suffrage.core.group import scalar_from_int
from suffrage.core.randomness import RandomSource
from suffrage.errors import VerificationFailed

__all__ = [
    "Polynomial",
    "check_share",
    "commitment_at",
    "lagrange_coefficient",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Polynomial:
    """A secret polynomial; ``coefficients[0]`` is the secret."""

    coefficients: tuple[Scalar, ...]

    @classmethod
    def random(cls, *, degree: int, rng: RandomSource) -> Polynomial:
        if degree < 0:
            raise ValueError("degree must be non-negative")
        return cls(coefficients=tuple(rng.scalar() for _ in range(degree + 1)))

    def evaluate(self, x: int) -> Scalar:
        """``P(x)`` by Horner's rule."""
        point = scalar_from_int(x)
        value = Scalar.zero()
        for coefficient in reversed(self.coefficients):
            value = value * point + coefficient
        return value

    def commitments(self) -> tuple[Element, ...]:
        """The Feldman commitments ``a_i * G``."""
        return tuple(Element.mul_base(c) for c in self.coefficients)


def commitment_at(commitments: Sequence[Element], x: int) -> Element:
    """``P(x) * G`` computed from the public commitments: ``sum_i x^i * A_i``."""
    powers: list[Scalar] = []
    power = Scalar.one()
    point = scalar_from_int(x)
    for _ in commitments:
        powers.append(power)
        power = power * point
    return multiscalar_mul_vartime(powers, list(commitments))


def check_share(share: Scalar, *, x: int, commitments: Sequence[Element], dealer: str) -> None:
    """Check a received share against the dealer's commitments (spec/protocol.md#5.2).

    Raises :class:`VerificationFailed` naming the dealer when ``share * G`` differs.
    """
    if Element.mul_base(share) != commitment_at(commitments, x):
        raise VerificationFailed(
            "share", f"the share from {dealer} for index {x} does not match its commitments"
        )


def lagrange_coefficient(index: int, indices: Sequence[int]) -> Scalar:
    """``prod_{j != i} j / (j - i)``: the weight of share ``i`` when interpolating at 0."""
    if index not in indices or len(set(indices)) != len(indices) or min(indices) < 1:
        raise ValueError("indices must be distinct positive integers that include index")
    numerator = Scalar.one()
    denominator = Scalar.one()
    for j in indices:
        if j != index:
            numerator = numerator * scalar_from_int(j)
            denominator = denominator * scalar_from_int(j - index)
    return numerator * denominator.invert()
