"""The kernel's decryption of a ranked contest's last mix (spec/protocol.md#19.4): how the
layers above reach ``mix_decryption_shares``, ``mix_decryption_sums`` and ``mix_combine``
of the native kernel, which only ``core`` imports.

Rows travel as bytes (``N*m*64``: each ciphertext ``alpha || beta``), a guardian's shares as
``N*m*32``. The kernel computes a guardian's shares ``s_j*alpha`` in constant time (the
scalar is a key share), the weighted sums of its batched statement and the combination of
``k`` guardians' shares in variable time (public data), each with the GIL released and the
work spread over the cores. The ``*_reference`` functions are the same computations in
readable Python, one element at a time: a differential test holds the two to the same
values and the same refusals, field and reason alike (the protocol's messages, and so the
verifier's reports, are compared word for word).
"""

from __future__ import annotations

from collections.abc import Sequence

from suffrage._native import (
    NativeDecodeError,
    mix_combine,
    mix_decryption_prove_parts,
    mix_decryption_shares,
    mix_decryption_sums,
)
from suffrage.core.group import (
    ELEMENT_BYTES,
    GENERATOR,
    Element,
    Scalar,
    decode_element,
    multiscalar_mul_vartime,
    scalar_from_int,
    scalar_from_wide,
    sum_elements,
)
from suffrage.core.hashing import Transcript
from suffrage.errors import InvalidEncoding, InvalidInput

__all__ = [
    "combine_shares",
    "combine_shares_reference",
    "decryption_shares",
    "decryption_shares_reference",
    "prove_parts",
    "prove_parts_reference",
    "shares_digest",
    "weighted_sums",
    "weighted_sums_reference",
]

_CIPHERTEXT_BYTES = 64

Combined = tuple[list[int], int | None]
"""The values of every ciphertext, or ``([], N)`` when ciphertext ``N`` decrypts to no
value in ``0..m``."""


def _refusal(error: NativeDecodeError) -> InvalidInput:
    """The kernel's refusal (``field: reason``) as the project's error naming the field:
    a wrong length of the shares is bad input, anything else a bad encoding."""
    field, _, reason = str(error).partition(": ")
    if field == "shares":
        return InvalidInput(field, reason)
    return InvalidEncoding(field, reason)


def decryption_shares(rows: bytes, secret: Scalar) -> bytes:
    """``secret * alpha`` for every ciphertext of ``rows`` (spec #19.4), concatenated, in
    constant time in ``secret``. InvalidEncoding names an alpha that is not canonical or is
    the identity: ``ciphertext N``."""
    try:
        return mix_decryption_shares(rows, secret)
    except NativeDecodeError as exc:
        raise _refusal(exc) from None


def shares_digest(mix_digest: bytes, guardian: int, shares: bytes) -> bytes:
    """The digest ``e`` of spec #19.4 from which the weights are hashed: it binds the last
    mix, the guardian and every share, so the weights are drawn after the shares."""
    return (
        Transcript("mix-decryption/shares")
        .append("mix_digest", mix_digest)
        .integer("guardian", guardian)
        .append("shares", shares)
        .digest()
    )


def prove_parts(
    rows: bytes, secret: Scalar, *, mix_digest: bytes, guardian: int
) -> tuple[bytes, Element, Element]:
    """What guardian ``guardian`` proves (spec #19.4): its shares of every ciphertext and
    the weighted sums ``(A, M)`` of its statement, in one kernel call that decodes each alpha
    once and computes ``M`` as ``secret * A`` (equal to ``sum z*M_n`` for these shares).
    Refused as :func:`decryption_shares` and :func:`weighted_sums` refuse (a zero secret
    gives identity shares: ``shares[0]``)."""
    if not 0 <= guardian < 2**64:  # not a u64: the reference refuses it in its own order
        return prove_parts_reference(rows, secret, mix_digest=mix_digest, guardian=guardian)
    try:
        return mix_decryption_prove_parts(rows, secret, mix_digest=mix_digest, guardian=guardian)
    except NativeDecodeError as exc:
        raise _refusal(exc) from None


def weighted_sums(rows: bytes, shares: bytes, digest: bytes) -> tuple[Element, Element]:
    """``(sum z_n*alpha_n, sum z_n*M_n)`` with the weights ``z_n`` of spec #19.4 hashed from
    ``digest`` (``e``, :func:`shares_digest`). Refused, in this order: an alpha (InvalidEncoding,
    ``ciphertext N``), shares of the wrong length (InvalidInput, ``shares``), a share
    (InvalidEncoding, ``shares[N]``)."""
    try:
        return mix_decryption_sums(rows, shares, digest)
    except NativeDecodeError as exc:
        raise _refusal(exc) from None


def combine_shares(
    rows: bytes, shares: Sequence[bytes], weights: Sequence[Scalar], width: int
) -> Combined:
    """The value in ``0..width`` of every ciphertext of ``rows`` (spec #19.4) from ``k``
    guardians' shares and their Lagrange weights, or ``([], N)`` for the first ciphertext
    that decrypts to none. A beta or share that is not canonical, or is the identity, raises
    InvalidEncoding (``beta``, ``share``) when it comes before."""
    values, failure = mix_combine(rows, list(shares), list(weights), width)
    if failure is None:
        return values, None
    index, what, reason = failure
    if what == "value":
        return [], index
    raise InvalidEncoding(what, reason)


def _alphas_reference(rows: bytes) -> list[Element]:
    return [
        decode_element(rows[i : i + ELEMENT_BYTES], field=f"ciphertext {i // _CIPHERTEXT_BYTES}")
        for i in range(0, len(rows), _CIPHERTEXT_BYTES)
    ]


def decryption_shares_reference(rows: bytes, secret: Scalar) -> bytes:
    """:func:`decryption_shares`, one alpha at a time."""
    return b"".join((alpha * secret).to_bytes() for alpha in _alphas_reference(rows))


def prove_parts_reference(
    rows: bytes, secret: Scalar, *, mix_digest: bytes, guardian: int
) -> tuple[bytes, Element, Element]:
    """:func:`prove_parts`, as the shares, their digest and the two weighted sums."""
    shares = decryption_shares_reference(rows, secret)
    base, public = weighted_sums_reference(
        rows, shares, shares_digest(mix_digest, guardian, shares)
    )
    return shares, base, public


def weighted_sums_reference(rows: bytes, shares: bytes, digest: bytes) -> tuple[Element, Element]:
    """:func:`weighted_sums`, with the weights hashed by :class:`Transcript`."""
    alphas = _alphas_reference(rows)
    if len(shares) != len(alphas) * ELEMENT_BYTES:
        raise InvalidInput(
            "shares",
            f"has {len(shares)} bytes, expected {len(alphas) * ELEMENT_BYTES} "
            f"({len(alphas)} ciphertexts)",
        )
    elements = [
        decode_element(shares[i : i + ELEMENT_BYTES], field=f"shares[{i // ELEMENT_BYTES}]")
        for i in range(0, len(shares), ELEMENT_BYTES)
    ]
    start = Transcript("mix-decryption/weight").append("shares_digest", digest)
    weights = [
        scalar_from_wide(start.copy().integer("index", i).digest()) for i in range(len(alphas))
    ]
    return multiscalar_mul_vartime(weights, alphas), multiscalar_mul_vartime(weights, elements)


def combine_shares_reference(
    rows: bytes, shares: Sequence[bytes], weights: Sequence[Scalar], width: int
) -> Combined:
    """:func:`combine_shares`, one ciphertext at a time, by looking ``beta - mask`` up."""
    values = {(scalar_from_int(v) * GENERATOR).to_bytes(): v for v in range(width + 1)}
    out: list[int] = []
    for n, start in enumerate(range(0, len(rows), _CIPHERTEXT_BYTES)):
        beta = decode_element(rows[start + ELEMENT_BYTES : start + _CIPHERTEXT_BYTES], field="beta")
        at = n * ELEMENT_BYTES
        mask = sum_elements(
            [
                decode_element(s[at : at + ELEMENT_BYTES], field="share") * w
                for s, w in zip(shares, weights, strict=True)
            ]
        )
        value = values.get((beta - mask).to_bytes())
        if value is None:
            return [], n
        out.append(value)
    return out, None
