"""The decryption of a last mix through the kernel says exactly what the Python did
(spec #19.4, V25, V26): same shares, proofs and rows, and for bad input the same exception
with the same message, word for word (the verifier's reports are compared that way).

``_before_*`` are the bodies ``protocol.mixnet`` had before the kernel took the arithmetic,
written over ``core.mix_kernel``'s readable references.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from suffrage.core import GENERATOR, SeededRandom, lagrange_coefficient, scalar_from_int
from suffrage.core.mix_kernel import (
    combine_shares_reference,
    decryption_shares_reference,
    prove_parts_reference,
    shares_digest,
    weighted_sums_reference,
)
from suffrage.core.proofs import ChaumPedersenStatement, check_chaum_pedersen
from suffrage.errors import InvalidInput, ProofRejected, VerificationFailed
from suffrage.protocol.key_ceremony import public_share
from suffrage.protocol.mixnet import (
    MIX_DECRYPTION,
    Mix,
    MixDecryption,
    check_mix_decryption,
    combine_mix,
    decrypt_mix,
)

from .test_mixnet import Election, decrypt, election, mixed  # noqa: F401 (fixtures)


def _before_check(e: Election, last: Mix, digest: bytes, part: MixDecryption) -> None:
    who = f"contest {e.contest.contest_id}, guardian {part.guardian}"
    if part.contest_id != e.contest.contest_id:
        raise VerificationFailed("V25", f"{who}: the shares are for contest {part.contest_id}")
    if not 1 <= part.guardian <= len(e.context.guardians):
        raise VerificationFailed("V25", f"{who}: not a guardian of this election")
    decryption_shares_reference(last.outputs, ONE)  # the alphas decoded, as before
    count = len(range(0, len(last.outputs), 64))
    if len(part.shares) != count * 32:
        raise VerificationFailed(
            "V25", f"{who}: {len(part.shares) // 32} shares for {count} ciphertexts"
        )
    public = public_share(e.context.guardians, part.guardian)
    try:
        seed = shares_digest(digest, part.guardian, part.shares)
        base_2, public_2 = weighted_sums_reference(last.outputs, part.shares, seed)
        statement = ChaumPedersenStatement(
            base_1=GENERATOR, public_1=public, base_2=base_2, public_2=public_2
        )
        check_chaum_pedersen(part.proof, statement, context=digest, purpose=MIX_DECRYPTION)
    except (ProofRejected, InvalidInput) as exc:
        raise VerificationFailed("V25", f"{who}: the shares are not proven: {exc.reason}") from None


ONE = scalar_from_int(1)
"""Only the alphas' refusals of ``decryption_shares_reference`` are wanted above."""


def _before_combine(
    e: Election, last: Mix, parts: Iterable[MixDecryption]
) -> tuple[tuple[int, ...], ...]:
    by_guardian = {p.guardian: p for p in parts}
    chosen = sorted(by_guardian)[: e.context.threshold]
    width = len(e.contest.options)
    weights = [lagrange_coefficient(i, chosen) for i in chosen]
    shares = [by_guardian[i].shares for i in chosen]
    values, n = combine_shares_reference(last.outputs, shares, weights, width)
    if n is not None:
        raise VerificationFailed(
            "V26",
            f"contest {e.contest.contest_id}, row {n // width + 1}, rank {n % width + 1}: "
            f"does not decrypt to a value in 0..{width}",
        )
    return tuple(
        tuple(values[i : i + width]) for i in range(0, len(values) // width * width, width)
    )


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """What ``call`` gives: ``("", value)``, or the type and message of its refusal."""
    try:
        return "", call()
    except (InvalidInput, VerificationFailed, ValueError) as exc:
        return type(exc).__name__, str(exc)


def _same(now: Callable[[], Any], before: Callable[[], Any]) -> str:
    """Both return the same, or raise the same type with the same message (returned)."""
    got, expected = _outcome(now), _outcome(before)
    assert got == expected
    return str(got[1]) if got[0] else ""


def _encryption_of(e: Election, value: int) -> bytes:
    r = SeededRandom("out of range").scalar()
    key = e.context.joint_key.element
    beta = key * r + GENERATOR * scalar_from_int(value)
    return (GENERATOR * r).to_bytes() + beta.to_bytes()


NON_CANONICAL = b"\xff" * 32


def test_the_shares_and_proof_are_those_of_the_python(
    election: Election,  # noqa: F811
    mixed: tuple[list[Mix], list[bytes]],  # noqa: F811
) -> None:
    mixes, digests = mixed
    last, digest = mixes[-1], digests[-1]
    e = election
    part = decrypt_mix(
        e.context,
        e.contest,
        last,
        digest,
        guardian=2,
        key_share=e.key_shares[2],
        rng=SeededRandom("same"),
    )
    shares, base_2, public_2 = prove_parts_reference(
        last.outputs, e.key_shares[2], mix_digest=digest, guardian=2
    )
    assert part.shares == shares
    _before_check(e, last, digest, part)
    statement = ChaumPedersenStatement(
        base_1=GENERATOR,
        public_1=public_share(e.context.guardians, 2),
        base_2=base_2,
        public_2=public_2,
    )
    check_chaum_pedersen(part.proof, statement, context=digest, purpose=MIX_DECRYPTION)


def test_every_refusal_of_the_shares_is_worded_as_before(
    election: Election,  # noqa: F811
    mixed: tuple[list[Mix], list[bytes]],  # noqa: F811
) -> None:
    mixes, digests = mixed
    last, digest = mixes[-1], digests[-1]
    e = election
    part = decrypt(e, last, digest, [1])[0]
    s = part.shares
    bad_parts = [
        part,
        dataclasses.replace(part, shares=s[:32] + NON_CANONICAL + s[64:]),
        dataclasses.replace(part, shares=s[:64] + bytes(32) + s[96:]),
        dataclasses.replace(part, shares=s[:-32]),
        dataclasses.replace(part, shares=s + s[:32]),
        dataclasses.replace(part, shares=s[32:64] + s[:32] + s[64:]),
        dataclasses.replace(part, guardian=3),
    ]
    outputs = last.outputs
    bad_lasts = [
        last,
        dataclasses.replace(last, outputs=outputs[:128] + NON_CANONICAL + outputs[160:]),
        dataclasses.replace(last, outputs=outputs[:64] + bytes(32) + outputs[96:]),
    ]
    messages = {
        _same(
            partial(check_mix_decryption, e.context, e.contest, m, digest, p),
            partial(_before_check, e, m, digest, p),
        )
        for p in bad_parts
        for m in bad_lasts
    }
    assert "" in messages
    assert any("ciphertext 2: invalid or non-canonical" in m for m in messages)
    assert any("shares[1]: invalid" in m or "not proven: invalid" in m for m in messages)
    assert any("31 shares for 32 ciphertexts" in m for m in messages)


def test_every_refusal_of_the_combination_is_worded_as_before(
    election: Election,  # noqa: F811
    mixed: tuple[list[Mix], list[bytes]],  # noqa: F811
) -> None:
    mixes, digests = mixed
    last, digest = mixes[-1], digests[-1]
    e = election
    parts = decrypt(e, last, digest, [1, 3])
    width = len(e.contest.options)
    outputs = last.outputs
    at = 64 * (width + 2)  # row 2, rank 3
    lasts = [
        last,
        dataclasses.replace(
            last, outputs=outputs[:at] + _encryption_of(e, width + 1) + outputs[at + 64 :]
        ),
        dataclasses.replace(last, outputs=outputs[: at + 32] + bytes(32) + outputs[at + 64 :]),
    ]
    one = parts[0].shares
    part_sets = [
        parts,
        [dataclasses.replace(parts[0], shares=one[:32] + NON_CANONICAL + one[64:]), parts[1]],
        [parts[1], parts[0]],
    ]
    messages = {
        _same(
            partial(combine_mix, e.context, e.contest, m, ps),
            partial(_before_combine, e, m, ps),
        )
        for m in lasts
        for ps in part_sets
    }
    where = f"V26: contest {e.contest.contest_id}, row 2, rank 3"
    assert f"{where}: does not decrypt to a value in 0..{width}" in messages
    assert "beta: the identity element is not allowed here" in messages
    assert "share: invalid or non-canonical ristretto255 encoding" in messages
