"""Verification equations: every proof check reduces to sums that must be the identity.

A proof's checker first recomputes its Fiat-Shamir challenge, then states what must hold as
:class:`Equation` objects, ``sum_i s_i * P_i == O``. Checking one proof evaluates its equations
with one multiscalar multiplication each; a batch verifier may fold many equations into one
random linear combination (spec/protocol.md#7). All inputs are public, so these evaluations
are variable time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from suffrage._native import Element, Scalar, multiscalar_mul_vartime
from suffrage.errors import ProofRejected

__all__ = ["Equation", "check_equations", "equation_holds"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Equation:
    """``sum(s * P for s, P in zip(scalars, elements)) == identity``; ``name`` says which."""

    name: str
    scalars: tuple[Scalar, ...]
    elements: tuple[Element, ...]


def equation_holds(equation: Equation) -> bool:
    """Evaluate one equation (variable time: public data only)."""
    return multiscalar_mul_vartime(list(equation.scalars), list(equation.elements)).is_identity()


def check_equations(equations: Iterable[Equation], *, check: str) -> None:
    """Raise :class:`ProofRejected` naming the first equation that does not hold."""
    for equation in equations:
        if not equation_holds(equation):
            raise ProofRejected(check, f"verification equation {equation.name} does not hold")
