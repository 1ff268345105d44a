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
from suffrage.core.proofs.shuffle import (
    RawShuffleProof,
    ShuffleProof,
    check_shuffle,
    prove_known_shuffle,
    prove_shuffle,
    shuffle_challenge_transcript,
    shuffle_draws,
    shuffle_equations,
    shuffle_exponents,
    shuffle_generators,
    shuffle_statement_digest,
)

__all__ = [
    "MAX_RANGE",
    "ChaumPedersenProof",
    "ChaumPedersenStatement",
    "Equation",
    "RangeClaim",
    "RangeProof",
    "RawShuffleProof",
    "SchnorrProof",
    "ShuffleProof",
    "chaum_pedersen_equations",
    "check_chaum_pedersen",
    "check_equations",
    "check_range",
    "check_schnorr",
    "check_shuffle",
    "equation_holds",
    "prove_chaum_pedersen",
    "prove_known_shuffle",
    "prove_range",
    "prove_ranges",
    "prove_schnorr",
    "prove_shuffle",
    "range_challenge_digest",
    "range_equations",
    "schnorr_challenge",
    "schnorr_challenge_digest",
    "schnorr_equations",
    "shuffle_challenge_transcript",
    "shuffle_draws",
    "shuffle_equations",
    "shuffle_exponents",
    "shuffle_generators",
    "shuffle_statement_digest",
]
