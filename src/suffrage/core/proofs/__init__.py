"""Zero-knowledge proofs: each a ``prove_*`` / ``check_*`` pair (spec/protocol.md#6)."""

from __future__ import annotations

from suffrage.core.proofs.chaum_pedersen import (
    ChaumPedersenProof,
    ChaumPedersenStatement,
    chaum_pedersen_equations,
    check_chaum_pedersen,
    prove_chaum_pedersen,
)
from suffrage.core.proofs.equations import Equation, check_equations, equation_holds
from suffrage.core.proofs.range import (
    MAX_RANGE,
    RangeClaim,
    RangeProof,
    check_range,
    prove_range,
    prove_ranges,
    range_challenge_digest,
    range_equations,
)
from suffrage.core.proofs.schnorr import (
    SchnorrProof,
    check_schnorr,
    prove_schnorr,
    schnorr_challenge,
    schnorr_challenge_digest,
    schnorr_equations,
)

__all__ = [
    "MAX_RANGE",
    "ChaumPedersenProof",
    "ChaumPedersenStatement",
    "Equation",
    "RangeClaim",
    "RangeProof",
    "SchnorrProof",
    "chaum_pedersen_equations",
    "check_chaum_pedersen",
    "check_equations",
    "check_range",
    "check_schnorr",
    "equation_holds",
    "prove_chaum_pedersen",
    "prove_range",
    "prove_ranges",
    "prove_schnorr",
    "range_challenge_digest",
    "range_equations",
    "schnorr_challenge",
    "schnorr_challenge_digest",
    "schnorr_equations",
]
