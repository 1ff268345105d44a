"""Voter credentials (spec/protocol.md#11).

A credential is a secret code a person can type or read over the telephone: 20 characters of
Crockford's base-32 alphabet (100 bits) and one check character (Luhn mod 32), written in
groups of five. The signing key is derived from the code and the election id; only the
public credential keys are published. Every ballot is signed with its credential.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from suffrage.core.group import Element, Scalar
from suffrage.core.hashing import Transcript
from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidInput

__all__ = [
    "ALPHABET",
    "Credential",
    "CredentialKey",
    "generate_credential",
    "normalise_credential",
    "sorted_credentials",
]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DATA_CHARS = 20
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_ALIASES = {"O": "0", "I": "1", "L": "1"}


def _check_char(data: str) -> str:
    """Luhn mod 32 over ``data``: detects every single-character error and
    every adjacent transposition but that of 0 and Z (spec/protocol.md#11.1)."""
    total, factor = 0, 2
    for char in reversed(data):
        addend = factor * _VALUE[char]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def _group(code: str) -> str:
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def generate_credential(rng: RandomSource) -> str:
    """A fresh credential code such as ``K3M9Q-...-X``, from ``rng`` (the OS in elections)."""
    raw = int.from_bytes(rng.token(13), "big") >> 4  # 100 bits
    data = "".join(ALPHABET[(raw >> (5 * i)) & 31] for i in reversed(range(DATA_CHARS)))
    return _group(data + _check_char(data))


def normalise_credential(text: str) -> str:
    """The canonical form of a typed code; refuses a wrong length or check character.

    Case, spaces and hyphens are ignored; O reads as 0 and I, L as 1 (Crockford).
    """
    if not isinstance(text, str):
        raise InvalidInput("credential", "expected text")
    chars = [_ALIASES.get(c, c) for c in text.upper() if c not in " -"]
    if len(chars) != DATA_CHARS + 1:
        raise InvalidInput("credential", f"expected {DATA_CHARS + 1} characters, got {len(chars)}")
    bad = sorted({c for c in chars if c not in _VALUE})
    if bad:
        raise InvalidInput("credential", f"characters not in the alphabet: {''.join(bad)}")
    data = "".join(chars[:-1])
    if _check_char(data) != chars[-1]:
        raise InvalidInput("credential", "the check character does not match: a typing error?")
    return _group(data + chars[-1])


@dataclass(frozen=True, slots=True, kw_only=True)
class Credential:
    """A voter's signing key, derived from the code and the election id (spec #11.2)."""

    secret: Scalar
    public: Element

    @classmethod
    def from_code(cls, code: str, *, election_id: str) -> Credential:
        canonical = normalise_credential(code)
        secret = (
            Transcript("credential/secret")
            .text("election_id", election_id)
            .text("code", canonical)
            .challenge()
        )
        return cls(secret=secret, public=Element.mul_base(secret))

    def __repr__(self) -> str:
        return f"Credential(public={self.public.to_bytes().hex()})"


@dataclass(frozen=True, slots=True)
class CredentialKey:
    """One entry of the public credential list: a credential key and the ballot style its
    voter is entitled to (spec #11.3). A ballot signed by ``key`` must be of ``style_id``."""

    key: Element
    style_id: str


def sorted_credentials(credentials: Sequence[CredentialKey]) -> tuple[CredentialKey, ...]:
    """The credential list in the published order: by the encoding of its keys."""
    return tuple(sorted(credentials, key=lambda c: c.key.to_bytes()))
