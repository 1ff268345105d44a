"""The batch path of a chunk: its cast ballots checked from their encodings (spec #7.2).

For the lines of a chunk that :func:`~suffrage.record.flat.raw_entry` reads, every point of
every ballot is decoded in one kernel call (spread over the cores, strict RFC 9496
decoding, the identity refused), each ballot's terms are built by
:func:`~suffrage.protocol.ballot_batch.ballot_terms`, and the terms of all of them are
checked with one multiscalar multiplication. If that fails, each ballot is checked on its
own. A line that is not read, a ballot whose terms cannot be built and a ballot whose own
check fails are not returned: the caller checks them one by one, which names the failure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from suffrage._native import (
    Element,
    NativeDecodeError,
    elements_from_bytes,
    multiscalar_mul_vartime,
    scalars_from_bytes,
)
from suffrage.core.elgamal import Ciphertext, add_ciphertexts
from suffrage.core.group import GENERATOR, ORDER
from suffrage.core.randomness import RandomSource
from suffrage.protocol.ballot import raw_ballot_hash
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
from suffrage.record.flat import RawEntry, raw_entry

__all__ = ["CheckedEntry", "check_cast_lines"]


class CheckedEntry(NamedTuple):
    """A cast entry whose ballot passed V7 to V10, with what the rest of the checks need."""

    position: int
    entry: RawEntry
    digest: bytes
    ciphertexts: tuple[tuple[tuple[str, str], Ciphertext], ...]


class _Candidate(NamedTuple):
    position: int
    entry: RawEntry
    shape: BallotShape
    points: bytes


def check_cast_lines(
    context: ElectionContext, lines: Sequence[tuple[int, bytes]], rng: RandomSource
) -> dict[int, CheckedEntry]:
    """The lines (by position) whose cast ballot passes V7 to V10, checked as a batch."""
    shapes = ballot_shapes(context)
    candidates = []
    for position, line in lines:
        entry = raw_entry(line)
        shape = shapes.get(entry.ballot.style_id) if entry is not None else None
        if entry is not None and shape is not None:
            candidates.append(_Candidate(position, entry, shape, ballot_points(entry.ballot)))
    decoded = _decode(candidates)
    built: list[tuple[CheckedEntry, BallotTerms, list[Element]]] = []
    for candidate, elements in zip(candidates, decoded, strict=True):
        if elements is not None:
            one = _build(context, candidate, elements, rng)
            if one is not None:
                built.append(one)
    key = context.joint_key.element
    if not _holds(built, key):
        built = [one for one in built if _holds([one], key)]
    return {checked.position: checked for checked, _, _ in built}


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
) -> tuple[CheckedEntry, BallotTerms, list[Element]] | None:
    ballot = candidate.entry.ballot
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
    return CheckedEntry(candidate.position, candidate.entry, digest, ciphertexts), terms, elements


def _holds(built: Sequence[tuple[CheckedEntry, BallotTerms, list[Element]]], key: Element) -> bool:
    """Whether the sum of the terms of ``built`` is the identity (variable time: public)."""
    if not built:
        return True
    on_g = sum(terms.on_g for _, terms, _ in built) % ORDER
    on_k = sum(terms.on_k for _, terms, _ in built) % ORDER
    scalars = scalars_from_bytes(
        b"".join(terms.coefficients for _, terms, _ in built)
        + on_g.to_bytes(32, "little")
        + on_k.to_bytes(32, "little")
    )
    points = [e for _, _, elements in built for e in elements]
    points += (GENERATOR, key)
    return multiscalar_mul_vartime(scalars, points).is_identity()
