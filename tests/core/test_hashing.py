"""Transcripts: the exact bytes of spec/protocol.md#3.1."""

from __future__ import annotations

import hashlib

import pytest

from suffrage.core import GENERATOR, ORDER, Scalar, Transcript, encode_int, hash_bytes


def lp(b: bytes) -> bytes:
    return len(b).to_bytes(8, "big") + b


def test_transcript_bytes_follow_the_spec() -> None:
    t = Transcript("tag").append("a", b"xy").element("g", GENERATOR).integer("n", 7).text("t", "é")
    expected = (
        lp(b"suffrage/1")
        + lp(b"tag")
        + lp(b"a")
        + lp(b"xy")
        + lp(b"g")
        + lp(GENERATOR.to_bytes())
        + lp(b"n")
        + lp((7).to_bytes(8, "big"))
        + lp(b"t")
        + lp("é".encode())
    )
    assert t.data == expected
    assert t.digest() == hashlib.sha512(expected).digest()
    assert t.challenge() == Scalar.from_bytes_wide(hashlib.sha512(expected).digest())


def test_fields_cannot_slide_into_each_other() -> None:
    one = hash_bytes("tag", ("a", b"bc"), ("d", b""))
    two = hash_bytes("tag", ("a", b"b"), ("cd", b""))
    three = hash_bytes("other", ("a", b"bc"), ("d", b""))
    assert len({one, two, three}) == 3


def test_challenge_is_reduced_modulo_the_order() -> None:
    c = Transcript("x").challenge()
    assert 0 <= c.to_int() < ORDER


def test_integer_fields_are_unsigned_64_bit() -> None:
    assert encode_int(2**64 - 1) == b"\xff" * 8
    with pytest.raises(ValueError, match="out of range"):
        encode_int(-1)
    with pytest.raises(ValueError, match="out of range"):
        encode_int(2**64)
