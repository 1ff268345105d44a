"""Cast ballots held as encodings, checked as one batch (spec/protocol.md#7.2; V7 to V10).

What stays in Python of the fast path, in ``protocol`` so that both the verifier (which
reads the ballots from the record's lines, :mod:`suffrage.verify.fast`) and the board's
check at casting (``storage``, which may not import ``verify``) can reach it. Every point
of every ballot is decoded in one kernel call (spread over the cores, strict RFC 9496
decoding, the identity refused), each ballot's terms are built by
:func:`~suffrage.protocol.ballot_batch.ballot_terms`, and the terms of all of them are
checked with one multiscalar multiplication. If that fails, each ballot is checked on its
own. A ballot of a style without a shape, a ballot whose terms cannot be built and a
ballot whose own check fails are not returned: the caller checks them one by one
(:mod:`suffrage.protocol.ballot_check`), which names the failure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from suffrage.core.elgamal import Ciphertext, add_ciphertexts
from suffrage.core.group import (
    GENERATOR,
    ORDER,
    Element,
    NativeDecodeError,
    elements_from_bytes,
    multiscalar_mul_vartime,
    scalars_from_bytes,
)
from suffrage.core.randomness import RandomSource
from suffrage.protocol.ballot import RawBallot, raw_ballot_hash
from suffrage.protocol.ballot_batch import (
    WEIGHT_BYTES,
    BallotShape,
    BallotTerms,
    ballot_points,
    ballot_shapes,
    ballot_terms,
    weights_needed,
)
from suffrage.protocol.context import ElectionContext

__all__ = ["BatchChecked", "check_raw_ballots"]


class BatchChecked(NamedTuple):
    """A ballot that passed V7 to V10: its hash and its ciphertexts by (contest, option)."""

    digest: bytes
    ciphertexts: tuple[tuple[tuple[str, str], Ciphertext], ...]


class _Candidate(NamedTuple):
    key: int
    ballot: RawBallot
    shape: BallotShape
    points: bytes


_Built = tuple[int, BatchChecked, BallotTerms, list[Element]]


def check_raw_ballots(
    context: ElectionContext, ballots: Sequence[tuple[int, RawBallot]], rng: RandomSource
) -> dict[int, BatchChecked]:
    """The ballots (by the caller's key) that pass V7 to V10, checked as a batch.

    ``rng`` draws the batch weights, ballot by ballot in the order given.
    """
    shapes = ballot_shapes(context)
    candidates = []
    for key, ballot in ballots:
        shape = shapes.get(ballot.style_id)
        if shape is not None:
            candidates.append(_Candidate(key, ballot, shape, ballot_points(ballot)))
    decoded = _decode(candidates)
    built: list[_Built] = []
    for candidate, elements in zip(candidates, decoded, strict=True):
        if elements is not None:
            one = _build(context, candidate, elements, rng)
            if one is not None:
                built.append(one)
    joint_key = context.joint_key.element
    if not _holds(built, joint_key):
        built = [one for one in built if _holds([one], joint_key)]
    return {key: checked for key, checked, _, _ in built}


def _decode(candidates: Sequence[_Candidate]) -> list[list[Element] | None]:
    """Each candidate's points, decoded in one kernel call; ``None`` where one is invalid
    or the identity (then each candidate's are decoded on their own to find which).

    The identity's only encoding is 32 zero bytes; a ballot whose encodings hold 32 zero
    bytes anywhere (across two points too, which valid points almost never do) is left to
    the full decoder, which decides.
    """
    try:
        everything = elements_from_bytes(b"".join(c.points for c in candidates))
    except NativeDecodeError:
        return [_decode_one(c.points) for c in candidates]
    out: list[list[Element] | None] = []
    start = 0
    for candidate in candidates:
        end = start + len(candidate.points) // 32
        out.append(None if _IDENTITY in candidate.points else everything[start:end])
        start = end
    return out


def _decode_one(points: bytes) -> list[Element] | None:
    if _IDENTITY in points:
        return None
    try:
        return elements_from_bytes(points)
    except NativeDecodeError:
        return None


_IDENTITY = bytes(32)


def _build(
    context: ElectionContext, candidate: _Candidate, elements: list[Element], rng: RandomSource
) -> _Built | None:
    ballot = candidate.ballot
    keys = [(c.contest_id, s.option_id) for c in ballot.contests for s in c.selections]
    n = len(keys)
    ciphertexts = tuple(
        (key, Ciphertext(alpha=alpha, beta=beta))
        for key, alpha, beta in zip(keys, elements[:n], elements[n : 2 * n], strict=True)
    )
    totals, start = [], 0
    for contest in ballot.contests:
        end = start + len(contest.selections)
        total = add_ciphertexts(ct for _, ct in ciphertexts[start:end])
        totals.append((total.alpha.to_bytes(), total.beta.to_bytes()))
        start = end
    digest = raw_ballot_hash(
        context.base_hash,
        ballot_id=ballot.ballot_id,
        style_id=ballot.style_id,
        credential=ballot.credential,
        contests=ballot.contests,
    )
    terms = ballot_terms(
        context,
        candidate.shape,
        ballot,
        digest=digest,
        totals=totals,
        weights=rng.token(WEIGHT_BYTES * weights_needed(candidate.shape)),
    )
    if terms is None or len(terms.coefficients) != 32 * len(elements):
        return None
    return candidate.key, BatchChecked(digest, ciphertexts), terms, elements


def _holds(built: Sequence[_Built], joint_key: Element) -> bool:
    """Whether the sum of the terms of ``built`` is the identity (variable time: public)."""
    if not built:
        return True
    on_g = sum(terms.on_g for _, _, terms, _ in built) % ORDER
    on_k = sum(terms.on_k for _, _, terms, _ in built) % ORDER
    scalars = scalars_from_bytes(
        b"".join(terms.coefficients for _, _, terms, _ in built)
        + on_g.to_bytes(32, "little")
        + on_k.to_bytes(32, "little")
    )
    points = [e for _, _, _, elements in built for e in elements]
    points += (GENERATOR, joint_key)
    return multiscalar_mul_vartime(scalars, points).is_identity()
