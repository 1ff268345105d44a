"""Checking ballots held as encodings, many at once (spec/protocol.md#7.2; V7 to V10, V18).

The verifier's fast path over a :class:`~suffrage.protocol.ballot.RawBallot`. For one ballot,
:func:`ballot_terms` checks everything that is not an equation: the shape of its style (V7),
that its credential is on the list (V8) and bound to that style (V18), that every scalar is
canonical, that every range proof has its number of branches and that its branch challenges
add up to its challenge (V9, V10). It then turns the verification equations of the signature
and of every range proof into the terms of one random linear combination: a coefficient for
each point of :func:`ballot_points` and one each for the generator ``G`` and the election key
``K``. The caller adds the terms of many ballots up and checks the sum with one multiscalar
multiplication. These are the equations of ``schnorr_equations`` and ``range_equations``,
each multiplied by -1 (so that every commitment's coefficient is its 128-bit weight):

* signature: ``R + c*X - s*G = O``;
* range branch ``j``: ``a_j + c_j*alpha - s_j*G = O`` and
  ``b_j + c_j*beta - (j*c_j)*G - s_j*K = O``; for a contest's limit proof ``alpha`` and
  ``beta`` are the sums of the contest's selections, so their coefficients go to each of them.

Where anything fails, :func:`ballot_terms` returns ``None``: the caller checks that ballot
with the one-by-one checks of :mod:`suffrage.protocol.ballot_check`, which name the failure.
This path decides only that a ballot is valid, never why it is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from suffrage.core.group import GENERATOR, ORDER
from suffrage.core.proofs import range_challenge_digest, schnorr_challenge_digest
from suffrage.protocol.ballot import (
    CONTEST_LIMIT,
    SELECTION,
    SIGNATURE,
    RawBallot,
    RawRange,
    proof_contexts,
)
from suffrage.protocol.context import ElectionContext

__all__ = [
    "WEIGHT_BYTES",
    "BallotShape",
    "BallotTerms",
    "ballot_points",
    "ballot_shapes",
    "ballot_terms",
    "weights_needed",
]

WEIGHT_BYTES = 16
"""Each equation's random weight is 128 bits (spec/protocol.md#7.1)."""

_PAD = bytes(32 - WEIGHT_BYTES)
_G = GENERATOR.to_bytes()

BallotShape = tuple[tuple[str, tuple[str, ...], int], ...]
"""A ballot style's contests in order: contest id, option ids, selection limit."""


class BallotTerms(NamedTuple):
    """What one ballot adds to a batch: a canonical 32-byte coefficient for each point of
    :func:`ballot_points` (joined), and the coefficients on ``G`` and ``K`` (reduced)."""

    coefficients: bytes
    on_g: int
    on_k: int


def ballot_shapes(context: ElectionContext) -> dict[str, BallotShape]:
    """The shape of each ballot style whose contests are all homomorphic (the others hold
    ranked contests, which no valid ballot of this version has)."""
    contests = {c.contest_id: c for c in context.manifest.contests}
    shapes: dict[str, BallotShape] = {}
    for style in context.manifest.ballot_styles:
        wanted = set(style.contest_ids)
        chosen = [c for c in context.manifest.contests if c.contest_id in wanted]
        if all(contests[c.contest_id].is_homomorphic for c in chosen):
            shapes[style.style_id] = tuple(
                (c.contest_id, tuple(o.option_id for o in c.options), c.selection_limit)
                for c in chosen
            )
    return shapes


def weights_needed(shape: BallotShape) -> int:
    """How many weights a ballot of ``shape`` uses: one per equation."""
    return 1 + sum(4 * len(options) + 2 * (limit + 1) for _, options, limit in shape)


def ballot_points(ballot: RawBallot) -> bytes:
    """The encodings of the ballot's points in the order of its terms: every selection's
    alpha, then every beta, the credential, the signature commitment, then contest by
    contest the commitments (``a`` then ``b``) of each selection proof and of the limit proof
    (the order of the weights)."""
    selections = [s for c in ballot.contests for s in c.selections]
    proofs = [p for c in ballot.contests for p in (*(s.proof for s in c.selections), c.limit_proof)]
    return b"".join(
        (
            *(s.alpha for s in selections),
            *(s.beta for s in selections),
            ballot.credential,
            ballot.signature_commitment,
            *(p.commitments_g + p.commitments_k for p in proofs),
        )
    )


def ballot_terms(
    context: ElectionContext,
    shape: BallotShape,
    ballot: RawBallot,
    *,
    digest: bytes,
    totals: Sequence[tuple[bytes, bytes]],
    weights: bytes,
) -> BallotTerms | None:
    """The terms of ``ballot`` (see the module docstring), or ``None`` if a check fails.

    ``digest`` is the ballot's hash (what its credential signed), ``totals`` the encodings
    of each contest's sum of ciphertexts (alpha, beta), and ``weights`` holds
    :data:`WEIGHT_BYTES` random bytes for each of :func:`weights_needed` equations.
    """
    if context.credential_styles.get(ballot.credential) != ballot.style_id or len(
        ballot.contests
    ) != len(shape):
        return None
    z = [
        int.from_bytes(weights[i : i + WEIGHT_BYTES], "little")
        for i in range(0, len(weights), WEIGHT_BYTES)
    ]
    response = int.from_bytes(ballot.signature_response, "little")
    if response >= ORDER:
        return None
    challenge = schnorr_challenge_digest(
        purpose=SIGNATURE,
        context=context.base_hash,
        base=_G,
        public=ballot.credential,
        commitment=ballot.signature_commitment,
        message=digest,
    )
    on_credential = z[0] * int.from_bytes(challenge, "little")
    on_g, on_k = -z[0] * response, 0
    on_alpha: list[int] = []
    on_beta: list[int] = []
    key = context.joint_key.element.to_bytes()
    contexts = iter(proof_contexts(context.base_hash, ballot.credential, _places(shape)))
    at = 1
    for (contest_id, options, limit), contest, (total_a, total_b) in zip(
        shape, ballot.contests, totals, strict=True
    ):
        if contest.contest_id != contest_id or len(contest.selections) != len(options):
            return None
        first = len(on_alpha)
        for option_id, sel in zip(options, contest.selections, strict=True):
            if sel.option_id != option_id:
                return None
            context_bytes = next(contexts)
            terms = _range_terms(
                sel.proof,
                z,
                at,
                purpose=SELECTION,
                context=context_bytes,
                key=key,
                limit=1,
                alpha=sel.alpha,
                beta=sel.beta,
            )
            if terms is None:
                return None
            on_alpha.append(terms[0])
            on_beta.append(terms[1])
            on_g, on_k, at = on_g + terms[2], on_k + terms[3], at + 4
        context_bytes = next(contexts)
        terms = _range_terms(
            contest.limit_proof,
            z,
            at,
            purpose=CONTEST_LIMIT,
            context=context_bytes,
            key=key,
            limit=limit,
            alpha=total_a,
            beta=total_b,
        )
        if terms is None:
            return None
        for i in range(first, len(on_alpha)):
            on_alpha[i] += terms[0]
            on_beta[i] += terms[1]
        on_g, on_k, at = on_g + terms[2], on_k + terms[3], at + 2 * (limit + 1)
    coefficients = b"".join(
        (
            *((x % ORDER).to_bytes(32, "little") for x in on_alpha),
            *((x % ORDER).to_bytes(32, "little") for x in on_beta),
            (on_credential % ORDER).to_bytes(32, "little"),
            *(weights[i : i + WEIGHT_BYTES] + _PAD for i in range(0, len(weights), WEIGHT_BYTES)),
        )
    )
    return BallotTerms(coefficients, on_g % ORDER, on_k % ORDER)


@lru_cache(maxsize=64)
def _places(shape: BallotShape) -> tuple[tuple[str, str], ...]:
    """Where each proof of a ballot of ``shape`` stands, in order: each selection of a
    contest, then the contest's limit proof (an empty option id)."""
    return tuple(
        place
        for contest_id, options, _ in shape
        for place in (*((contest_id, o) for o in options), (contest_id, ""))
    )


def _range_terms(
    proof: RawRange,
    z: list[int],
    at: int,
    *,
    purpose: str,
    context: bytes,
    key: bytes,
    limit: int,
    alpha: bytes,
    beta: bytes,
) -> tuple[int, int, int, int] | None:
    """The coefficients on alpha, beta, G and K of one range proof's equations, weighted by
    ``z[at : at + 2(R+1)]`` (branch ``j``'s two equations by ``z[at + j]`` and
    ``z[at + R + 1 + j]``); ``None`` if a check that is not an equation fails."""
    n = limit + 1
    size = 32 * n
    if not (
        len(proof.commitments_g)
        == len(proof.commitments_k)
        == len(proof.challenges)
        == len(proof.responses)
        == size
    ):
        return None
    digest = range_challenge_digest(
        purpose=purpose,
        context=context,
        key=key,
        limit=limit,
        alpha=alpha,
        beta=beta,
        commitments_g=proof.commitments_g,
        commitments_k=proof.commitments_k,
    )
    challenges, responses = proof.challenges, proof.responses
    total = on_alpha = on_beta = on_g = on_k = 0
    for j in range(n):
        c = int.from_bytes(challenges[32 * j : 32 * j + 32], "little")
        s = int.from_bytes(responses[32 * j : 32 * j + 32], "little")
        if c >= ORDER or s >= ORDER:
            return None
        z_1, z_2 = z[at + j], z[at + n + j]
        total += c
        on_alpha += z_1 * c
        on_beta += z_2 * c
        on_g -= z_1 * s + j * z_2 * c
        on_k -= z_2 * s
    if total % ORDER != int.from_bytes(digest, "little") % ORDER:
        return None
    return on_alpha, on_beta, on_g, on_k
