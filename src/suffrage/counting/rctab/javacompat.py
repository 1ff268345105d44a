"""What RCTab inherits from Java and must be reproduced to the bit (spec/counting.md#rctab-java).

* :class:`JavaRandom`: the 48-bit linear congruential generator of ``java.util.Random`` (JDK
  documentation of the class: ``setSeed``, ``next(bits)``, ``nextInt(bound)``,
  ``nextDouble()``), and :func:`java_shuffle`, the draw of ``Collections.shuffle(list, rnd)``.
  RCTab seeds one with the configuration's ``randomSeed`` for the ``random``,
  ``previousRoundCountsThenRandom`` and ``generatePermutation`` tie-breaks.
* :func:`hash_order`: the order in which a ``java.util.HashMap`` / ``HashSet`` of strings
  yields its keys. RCTab iterates such sets in a few places whose order shows in its results
  (the order of candidates tied in round 1 in the CSV report, the list a fallback random draw
  indexes into), so the count follows the same order.
* :func:`java_sort_key`: ``String.compareTo`` order (UTF-16 code units).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

__all__ = ["JavaRandom", "hash_order", "java_shuffle", "java_sort_key", "string_hash"]

_MULTIPLIER = 0x5DEECE66D
_ADDEND = 0xB
_MASK = (1 << 48) - 1
_DOUBLE_UNIT = 1.0 / (1 << 53)
_T = TypeVar("_T")


def _int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


class JavaRandom:
    """``java.util.Random``: the same seed gives the same draws as Java, to the bit."""

    __slots__ = ("_seed",)

    def __init__(self, seed: int) -> None:
        self._seed = (seed ^ _MULTIPLIER) & _MASK

    def next_bits(self, bits: int) -> int:
        """``next(bits)``: advance the generator; the top ``bits`` bits, as a signed int."""
        self._seed = (self._seed * _MULTIPLIER + _ADDEND) & _MASK
        return _int32(self._seed >> (48 - bits))

    def next_int(self, bound: int | None = None) -> int:
        """``nextInt()`` (any int) or ``nextInt(bound)`` (0 <= n < bound, without bias)."""
        if bound is None:
            return self.next_bits(32)
        if bound <= 0:
            raise ValueError("bound must be positive")
        if bound & (bound - 1) == 0:
            return (bound * self.next_bits(31)) >> 31
        while True:
            bits = self.next_bits(31)
            value = bits % bound
            if bits - value + (bound - 1) < 1 << 31:  # Java's int overflow test
                return value

    def next_double(self) -> float:
        """``nextDouble()``: 53 random bits scaled into [0, 1)."""
        high = self.next_bits(26)
        low = self.next_bits(27)
        return ((high << 27) + low) * _DOUBLE_UNIT


def java_shuffle(items: list[_T], rnd: JavaRandom) -> None:
    """``Collections.shuffle(items, rnd)`` in place: for i from the size down to 2, swap the
    item at i - 1 with the one at ``rnd.nextInt(i)``."""
    for i in range(len(items), 1, -1):
        j = rnd.next_int(i)
        items[i - 1], items[j] = items[j], items[i - 1]


def string_hash(text: str) -> int:
    """``String.hashCode()``: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, as an int."""
    units = text.encode("utf-16-be")
    value = 0
    for i in range(0, len(units), 2):
        value = (value * 31 + (units[i] << 8 | units[i + 1])) & 0xFFFFFFFF
    return _int32(value)


def _bucket(text: str, capacity: int) -> int:
    h = string_hash(text) & 0xFFFFFFFF
    return (h ^ (h >> 16)) & (capacity - 1)


def hash_order(keys: Iterable[str], *, presized: bool = False) -> list[str]:
    """The iteration order of a ``HashMap``/``HashSet`` into which ``keys`` were put in this
    order: by bucket of the final table, then by insertion within a bucket.

    A map made empty grows from 16 buckets, doubling past three quarters full; ``presized``
    is a set built from a collection (``new HashSet<>(c)``), whose table is sized at once.
    """
    unique = list(dict.fromkeys(keys))
    count = len(unique)
    if presized:
        wanted = max(int(count / 0.75) + 1, 16)
        capacity = 1
        while capacity < wanted:
            capacity <<= 1
    else:
        capacity = 16
        while count > capacity * 3 // 4:
            capacity <<= 1
    position = {key: index for index, key in enumerate(unique)}
    return sorted(unique, key=lambda key: (_bucket(key, capacity), position[key]))


def java_sort_key(text: str) -> bytes:
    """Sort key giving ``String.compareTo`` order (UTF-16 code units, not code points)."""
    return text.encode("utf-16-be")
