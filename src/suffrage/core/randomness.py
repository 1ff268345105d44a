"""Sources of randomness, always passed in explicitly (STYLE.md habit 3).

:class:`OsRandom` draws from the operating system and is what every real election uses.
:class:`SeededRandom` is deterministic: tests and published test vectors inject it explicitly,
and no production code path constructs one.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Protocol

from suffrage._native import Scalar

__all__ = ["OsRandom", "RandomSource", "SeededRandom"]


class RandomSource(Protocol):
    """What the protocol needs from a source of randomness."""

    def scalar(self) -> Scalar:
        """A uniformly random scalar."""
        ...

    def scalars(self, count: int) -> list[Scalar]:
        """``count`` uniformly random scalars: the same as ``count`` calls of :meth:`scalar`."""
        ...

    def token(self, size: int) -> bytes:
        """``size`` uniformly random bytes."""
        ...


class OsRandom:
    """The operating system's random source (getrandom via the kernel, ``secrets``)."""

    __slots__ = ()

    def scalar(self) -> Scalar:
        return Scalar.random()

    def scalars(self, count: int) -> list[Scalar]:
        return Scalar.random_batch(count)

    def token(self, size: int) -> bytes:
        return secrets.token_bytes(size)


class SeededRandom:
    """A deterministic source for tests and test vectors: SHA-512 in counter mode.

    Output ``i`` is ``SHA-512("suffrage/1/seeded-random" || seed || i)``; a scalar is that
    digest reduced modulo l (spec/protocol.md#8, test vectors).
    """

    __slots__ = ("_counter", "_seed")

    def __init__(self, seed: bytes | str | int) -> None:
        if isinstance(seed, int):
            seed = seed.to_bytes(8, "big", signed=False)
        elif isinstance(seed, str):
            seed = seed.encode()
        self._seed = seed
        self._counter = 0

    def _block(self) -> bytes:
        digest = hashlib.sha512(
            b"suffrage/1/seeded-random"
            + len(self._seed).to_bytes(8, "big")
            + self._seed
            + self._counter.to_bytes(8, "big")
        ).digest()
        self._counter += 1
        return digest

    def scalar(self) -> Scalar:
        return Scalar.from_bytes_wide(self._block())

    def scalars(self, count: int) -> list[Scalar]:
        return [self.scalar() for _ in range(count)]

    def token(self, size: int) -> bytes:
        blocks = [self._block() for _ in range(-(-size // 64))]
        return b"".join(blocks)[:size]
