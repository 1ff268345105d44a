"""Hashing and Fiat-Shamir transcripts (spec/protocol.md#3).

One hash function, SHA-512, over one unambiguous encoding: the protocol label, the domain tag
and then each field as ``label, value``, every piece preceded by its length as an 8-byte
big-endian integer. A challenge is the 64-byte digest reduced modulo the group order. Nothing
is ever joined with a separator character.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from suffrage._native import Element, Scalar

__all__ = ["PROTOCOL_LABEL", "Transcript", "encode_int", "hash_bytes"]

PROTOCOL_LABEL = b"suffrage/1"


def encode_int(value: int) -> bytes:
    """An integer field: 8 bytes, unsigned big-endian (spec/protocol.md#3.1)."""
    if not 0 <= value < 2**64:
        raise ValueError(f"integer field out of range: {value}")
    return value.to_bytes(8, "big")


def _prefixed(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


_LABELS: dict[str, bytes] = {}
"""Length-prefixed encodings of the labels seen so far (a few dozen fixed names)."""

_TAGS: dict[str, bytes] = {}


def _tag_prefix(tag: str) -> bytes:
    """The bytes every transcript under ``tag`` starts with: ``lp("suffrage/1") || lp(tag)``."""
    prefix = _TAGS.get(tag)
    if prefix is None:
        prefix = _TAGS.setdefault(tag, _prefixed(PROTOCOL_LABEL) + _prefixed(tag.encode()))
    return prefix


class Transcript:
    """The bytes of one hash computation, built field by field (spec/protocol.md#3.1).

    ``Transcript(tag)`` starts with ``lp("suffrage/1") || lp(tag)``; each ``append`` adds
    ``lp(label) || lp(value)``. The exact bytes are kept (``data``) so test vectors can
    publish them.
    """

    __slots__ = ("_buf",)

    def __init__(self, tag: str) -> None:
        self._buf = bytearray(_tag_prefix(tag))

    def append(self, label: str, value: bytes) -> Transcript:
        buf = self._buf
        prefix = _LABELS.get(label)
        if prefix is None:
            prefix = _LABELS.setdefault(label, _prefixed(label.encode()))
        buf += prefix
        buf += len(value).to_bytes(8, "big")
        buf += value
        return self

    def element(self, label: str, element: Element) -> Transcript:
        return self.append(label, element.to_bytes())

    def elements(self, label: str, elements: Iterable[Element]) -> Transcript:
        """A list of elements: their 32-byte encodings concatenated (fixed size each)."""
        return self.append(label, b"".join(e.to_bytes() for e in elements))

    def scalar(self, label: str, scalar: Scalar) -> Transcript:
        return self.append(label, scalar.to_bytes())

    def integer(self, label: str, value: int) -> Transcript:
        return self.append(label, encode_int(value))

    def text(self, label: str, value: str) -> Transcript:
        return self.append(label, value.encode("utf-8"))

    def copy(self) -> Transcript:
        """A transcript holding the same bytes so far: for many hashes with a common start."""
        other = Transcript.__new__(Transcript)
        other._buf = bytearray(self._buf)
        return other

    @property
    def data(self) -> bytes:
        return bytes(self._buf)

    def digest(self) -> bytes:
        """SHA-512 of the transcript: 64 bytes."""
        return hashlib.sha512(self._buf).digest()

    def challenge(self) -> Scalar:
        """The digest reduced modulo the group order (spec/protocol.md#3.2)."""
        return Scalar.from_bytes_wide(self.digest())


def hash_bytes(tag: str, *fields: tuple[str, bytes]) -> bytes:
    """The 64-byte hash of ``fields`` under domain ``tag`` (spec/protocol.md#3.1)."""
    transcript = Transcript(tag)
    for label, value in fields:
        transcript.append(label, value)
    return transcript.digest()
