"""The kernel's check of many ballots at once (spec/protocol.md#7.2): how the layers above
reach ``BallotChecker`` of the native kernel, which only ``core`` imports.

The checker decodes every point and scalar of a batch of ballots strictly, computes every
transcript (ballot hash, proof contexts, challenges), checks every range proof's challenge
sum and every verification equation with one random linear combination, with the GIL
released and the work spread over the cores. It is the fast one of the two definitions of
the ballot checks; the reference is :mod:`suffrage.core.proofs` with
:mod:`suffrage.protocol.ballot_check`, and :mod:`suffrage.protocol.batch_check` lays the
ballots out for it.
"""

from __future__ import annotations

from suffrage._native import BallotChecker

__all__ = ["WEIGHT_SEED_BYTES", "BallotChecker"]

WEIGHT_SEED_BYTES = 32
"""The batch's weights are derived in the kernel from this many bytes of the caller's random
source (each weight 128 bits, spec/protocol.md#7.1)."""
