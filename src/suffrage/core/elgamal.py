"""Exponential ElGamal over ristretto255 (spec/protocol.md#4).

A value ``v`` encrypted under the public key ``K`` with nonce ``r`` is the pair
``(alpha, beta) = (r*G, v*G + r*K)``. Ciphertexts add component-wise, and the sum encrypts
the sum of the values: that is how a tally is computed without decrypting any ballot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from suffrage._native import Element, ElementTable, Scalar, encrypt_bits_batch
from suffrage.core.group import IDENTITY, scalar_from_int

__all__ = [
    "ZERO_CIPHERTEXT",
    "Ciphertext",
    "PublicKey",
    "add_ciphertexts",
    "decrypt_to_element",
    "encrypt",
    "encrypt_bits",
    "partial_decrypt",
    "reencrypt",
    "remove_mask",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicKey:
    """An ElGamal public key, with its precomputed multiplication table.

    The table makes ``r*K`` as fast as a fixed-base multiplication; it is derived from the
    element, so equality and hashing consider the element only.
    """

    element: Element
    table: ElementTable = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "table", ElementTable(self.element))

    def mul(self, scalar: Scalar) -> Element:
        """``scalar * K``, constant time."""
        return self.table.mul(scalar)


@dataclass(frozen=True, slots=True, kw_only=True)
class Ciphertext:
    """An exponential ElGamal ciphertext ``(alpha, beta)``."""

    alpha: Element
    beta: Element

    def __add__(self, other: Ciphertext) -> Ciphertext:
        return Ciphertext(alpha=self.alpha + other.alpha, beta=self.beta + other.beta)


ZERO_CIPHERTEXT = Ciphertext(alpha=IDENTITY, beta=IDENTITY)


def encrypt(value: int, nonce: Scalar, key: PublicKey) -> Ciphertext:
    """Encrypt the small non-negative integer ``value`` with ``nonce`` under ``key``."""
    if value < 0:
        raise ValueError("exponential ElGamal encrypts non-negative integers only")
    alpha = Element.mul_base(nonce)
    beta = Element.mul_base(scalar_from_int(value)) + key.mul(nonce)
    return Ciphertext(alpha=alpha, beta=beta)


def encrypt_bits(bits: Sequence[int], nonces: Sequence[Scalar], key: PublicKey) -> list[Ciphertext]:
    """:func:`encrypt` for many values 0 or 1 at once (the selections of a ballot).

    One kernel call, spread over the cores, constant time in the bits and the nonces; the
    ciphertexts come with their encodings. A value other than 0 or 1 is refused.
    """
    if len(bits) != len(nonces):
        raise ValueError("one nonce per value")
    if any(v not in (0, 1) for v in bits):
        raise ValueError("encrypt_bits encrypts the values 0 and 1 only")
    return [
        Ciphertext(alpha=alpha, beta=beta)
        for alpha, beta in encrypt_bits_batch(key.table, nonces, list(bits))
    ]


def add_ciphertexts(ciphertexts: Iterable[Ciphertext]) -> Ciphertext:
    """The homomorphic sum: it encrypts the sum of the values, with the sum of the nonces."""
    total = ZERO_CIPHERTEXT
    for ciphertext in ciphertexts:
        total = total + ciphertext
    return total


def reencrypt(ciphertext: Ciphertext, nonce: Scalar, key: PublicKey) -> Ciphertext:
    """The same value under a fresh mask: adds an encryption of zero with ``nonce``."""
    return ciphertext + Ciphertext(alpha=Element.mul_base(nonce), beta=key.mul(nonce))


def partial_decrypt(ciphertext: Ciphertext, secret: Scalar) -> Element:
    """A key holder's share of a decryption: ``secret * alpha`` (spec/protocol.md#4.3)."""
    return ciphertext.alpha * secret


def remove_mask(ciphertext: Ciphertext, mask: Element) -> Element:
    """``beta - mask``: equals ``v*G`` when ``mask`` is the combined ``x*alpha``."""
    return ciphertext.beta - mask


def decrypt_to_element(ciphertext: Ciphertext, secret: Scalar) -> Element:
    """``v*G`` for a ciphertext under the key ``secret*G``; the value is its discrete log."""
    return remove_mask(ciphertext, partial_decrypt(ciphertext, secret))
