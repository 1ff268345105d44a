"""The kernel's decryption of a last mix against its readable reference (spec #19.4).

The kernel and the ``*_reference`` functions must give the same shares, the same weighted
sums and the same values, and refuse the same input with the same field and reason (the
protocol's V25 and V26 messages are built from them, and the verifier's reports are
compared word for word).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from suffrage.core import GENERATOR, Scalar, SeededRandom, lagrange_coefficient, scalar_from_int
from suffrage.core.mix_kernel import (
    combine_shares,
    combine_shares_reference,
    decryption_shares,
    decryption_shares_reference,
    prove_parts,
    prove_parts_reference,
    shares_digest,
    weighted_sums,
    weighted_sums_reference,
)
from suffrage.errors import InvalidEncoding, InvalidInput

NON_CANONICAL = b"\xff" * 32
IDENTITY = bytes(32)
DIGEST = bytes(range(64))
WIDTH = 4


def _threshold_key(rng: SeededRandom) -> tuple[Scalar, dict[int, Scalar]]:
    """A secret and its Shamir shares at 1, 2, 3 (threshold 2)."""
    secret, slope = rng.scalar(), rng.scalar()
    return secret, {x: secret + slope * scalar_from_int(x) for x in (1, 2, 3)}


def _rows(secret: Scalar, values: list[int], rng: SeededRandom) -> bytes:
    key = GENERATOR * secret
    out = b""
    for value in values:
        r = rng.scalar()
        beta = key * r + GENERATOR * scalar_from_int(value)
        out += (GENERATOR * r).to_bytes() + beta.to_bytes()
    return out


VALUES = [0, 1, 2, 3, 4, 4, 0, 1, 3, 2, 1, 0, 2, 2, 4, 3, 1, 0, 0, 0]


@pytest.fixture(scope="module")
def case() -> tuple[bytes, dict[int, Scalar]]:
    rng = SeededRandom("mix kernel")
    secret, shares = _threshold_key(rng)
    return _rows(secret, VALUES, rng), shares


def _same_refusal(fast: Callable[[], Any], reference: Callable[[], Any]) -> InvalidInput:
    """Both refuse with the same type, field and reason; return the kernel's refusal."""
    with pytest.raises(InvalidInput) as got:
        fast()
    with pytest.raises(InvalidInput) as expected:
        reference()
    assert type(got.value) is type(expected.value)
    assert (got.value.field, got.value.reason) == (expected.value.field, expected.value.reason)
    return got.value


def test_shares_and_sums_agree_with_the_reference(case: tuple[bytes, dict[int, Scalar]]) -> None:
    rows, key_shares = case
    shares = decryption_shares(rows, key_shares[2])
    assert shares == decryption_shares_reference(rows, key_shares[2])
    assert len(shares) == 32 * len(VALUES)
    a, m = weighted_sums(rows, shares, DIGEST)
    assert (a, m) == weighted_sums_reference(rows, shares, DIGEST)
    assert m == a * key_shares[2]
    assert decryption_shares(b"", key_shares[2]) == b""


def test_the_prover_parts_agree_with_the_reference(case: tuple[bytes, dict[int, Scalar]]) -> None:
    rows, key_shares = case
    got = prove_parts(rows, key_shares[3], mix_digest=DIGEST, guardian=3)
    assert got == prove_parts_reference(rows, key_shares[3], mix_digest=DIGEST, guardian=3)
    shares, a, m = got
    assert shares == decryption_shares(rows, key_shares[3])
    assert (a, m) == weighted_sums(rows, shares, shares_digest(DIGEST, 3, shares))
    # Another guardian number, another mix: other weights.
    assert prove_parts(rows, key_shares[3], mix_digest=DIGEST, guardian=2)[1] != a
    assert prove_parts(rows, key_shares[3], mix_digest=DIGEST[::-1], guardian=3)[1] != a


def test_the_prover_parts_refuse_as_the_reference_does(
    case: tuple[bytes, dict[int, Scalar]],
) -> None:
    rows, key_shares = case
    zero = scalar_from_int(0)
    refusal = _same_refusal(
        lambda: prove_parts(rows, zero, mix_digest=DIGEST, guardian=1),
        lambda: prove_parts_reference(rows, zero, mix_digest=DIGEST, guardian=1),
    )
    assert (refusal.field, refusal.reason) == (
        "shares[0]",
        "the identity element is not allowed here",
    )
    broken = rows[:128] + NON_CANONICAL + rows[160:]
    refusal = _same_refusal(
        lambda: prove_parts(broken, key_shares[1], mix_digest=DIGEST, guardian=1),
        lambda: prove_parts_reference(broken, key_shares[1], mix_digest=DIGEST, guardian=1),
    )
    assert refusal.field == "ciphertext 2"
    with pytest.raises(ValueError, match="integer field out of range"):
        prove_parts(rows, key_shares[1], mix_digest=DIGEST, guardian=-1)


def test_two_guardians_combine_into_the_values(case: tuple[bytes, dict[int, Scalar]]) -> None:
    rows, key_shares = case
    chosen = [1, 3]
    shares = [decryption_shares(rows, key_shares[i]) for i in chosen]
    weights = [lagrange_coefficient(i, chosen) for i in chosen]
    assert combine_shares(rows, shares, weights, WIDTH) == (VALUES, None)
    assert combine_shares_reference(rows, shares, weights, WIDTH) == (VALUES, None)
    # A value above m, and the wrong guardians' weights, decrypt to no value in 0..m.
    for width, w in ((3, weights), (WIDTH, weights[::-1])):
        got = combine_shares(rows, shares, w, width)
        assert got == combine_shares_reference(rows, shares, w, width)
        assert got[0] == []
        assert got[1] is not None
    assert combine_shares(rows, shares, weights, 3)[1] == VALUES.index(4)


@pytest.mark.parametrize(
    ("at", "bad"),
    [(3, NON_CANONICAL), (5, IDENTITY), (0, NON_CANONICAL)],
)
def test_a_bad_alpha_is_refused_naming_its_ciphertext(
    case: tuple[bytes, dict[int, Scalar]], at: int, bad: bytes
) -> None:
    rows, key_shares = case
    broken = rows[: 64 * at] + bad + rows[64 * at + 32 :]
    secret = key_shares[1]
    refusal = _same_refusal(
        lambda: decryption_shares(broken, secret),
        lambda: decryption_shares_reference(broken, secret),
    )
    assert isinstance(refusal, InvalidEncoding)
    assert refusal.field == f"ciphertext {at}"
    shares = decryption_shares(rows, secret)
    _same_refusal(
        lambda: weighted_sums(broken, shares, DIGEST),
        lambda: weighted_sums_reference(broken, shares, DIGEST),
    )


def test_a_short_last_alpha_is_refused(case: tuple[bytes, dict[int, Scalar]]) -> None:
    rows, key_shares = case
    short = rows[: 64 + 10]
    refusal = _same_refusal(
        lambda: decryption_shares(short, key_shares[1]),
        lambda: decryption_shares_reference(short, key_shares[1]),
    )
    assert (refusal.field, refusal.reason) == ("ciphertext 1", "expected 32 bytes, got 10")


def test_bad_shares_are_refused_naming_them(case: tuple[bytes, dict[int, Scalar]]) -> None:
    rows, key_shares = case
    shares = decryption_shares(rows, key_shares[1])
    refusal = _same_refusal(
        lambda: weighted_sums(rows, shares[:-32], DIGEST),
        lambda: weighted_sums_reference(rows, shares[:-32], DIGEST),
    )
    assert not isinstance(refusal, InvalidEncoding)
    assert refusal.field == "shares"
    for bad in (NON_CANONICAL, IDENTITY):
        broken = shares[:64] + bad + shares[96:]
        refusal = _same_refusal(
            partial(weighted_sums, rows, broken, DIGEST),
            partial(weighted_sums_reference, rows, broken, DIGEST),
        )
        assert refusal.field == "shares[2]"


@pytest.mark.parametrize("what", ["beta", "share"])
@pytest.mark.parametrize("bad", [NON_CANONICAL, IDENTITY, b""])
def test_a_bad_beta_or_share_is_refused_as_the_reference_does(
    case: tuple[bytes, dict[int, Scalar]], what: str, bad: bytes
) -> None:
    rows, key_shares = case
    chosen = [1, 2]
    shares = [decryption_shares(rows, key_shares[i]) for i in chosen]
    weights = [lagrange_coefficient(i, chosen) for i in chosen]
    if what == "beta":
        rows = rows[: 64 * 2 + 32] + bad + (rows[64 * 3 :] if bad else b"")
    else:
        shares[1] = shares[1][: 32 * 2] + bad + (shares[1][32 * 3 :] if bad else b"")
    refusal = _same_refusal(
        lambda: combine_shares(rows, shares, weights, WIDTH),
        lambda: combine_shares_reference(rows, shares, weights, WIDTH),
    )
    assert isinstance(refusal, InvalidEncoding)
    assert refusal.field == what


def test_wrong_arguments_are_refused(case: tuple[bytes, dict[int, Scalar]]) -> None:
    rows, key_shares = case
    with pytest.raises(TypeError, match="Scalar"):
        decryption_shares(rows, key_shares[1].to_bytes())  # type: ignore[arg-type]
    shares = decryption_shares(rows, key_shares[1])
    with pytest.raises(InvalidEncoding, match="shares_digest: has 32 bytes, expected 64"):
        weighted_sums(rows, shares, DIGEST[:32])
    with pytest.raises(ValueError, match="shares and weights differ in length: 1 and 2"):
        combine_shares(rows, [shares], [key_shares[1], key_shares[2]], WIDTH)
    with pytest.raises(TypeError, match=r"weights\[0\]"):
        combine_shares(rows, [shares], [1], WIDTH)  # type: ignore[list-item]
    with pytest.raises(ValueError, match="width: 65535 is too large"):
        combine_shares(rows, [shares], [key_shares[1]], 65535)
