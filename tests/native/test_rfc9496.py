"""RFC 9496 appendix A vectors (tests/vectors/rfc9496.json, provenance in its README)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from suffrage._native import Element, NativeDecodeError, Scalar, elements_from_bytes

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "vectors" / "rfc9496.json").read_text(encoding="utf-8")
)
MULTIPLES: list[str] = VECTORS["generator_multiples"]
INVALID: list[dict[str, str]] = VECTORS["invalid_encodings"]
DERIVATION: list[dict[str, str]] = VECTORS["element_derivation"]
SAME_OUTPUT: dict[str, Any] = VECTORS["element_derivation_same_output"]


def test_the_file_holds_every_vector_of_the_appendix() -> None:
    assert len(MULTIPLES) == 16
    assert len(INVALID) == 29
    assert len(DERIVATION) == 7
    assert len(SAME_OUTPUT["inputs"]) == 4


@pytest.mark.parametrize(("index", "encoding"), list(enumerate(MULTIPLES)))
def test_multiple_of_the_generator_round_trips(index: int, encoding: str) -> None:
    element = Element.from_bytes(bytes.fromhex(encoding))
    assert element.to_bytes().hex() == encoding
    assert Element.mul_base(Scalar.from_int(index)) == element
    assert Element.mul_base(Scalar.from_int(index)).to_bytes().hex() == encoding
    assert (Element.generator() * Scalar.from_int(index)).to_bytes().hex() == encoding


def test_multiples_are_successive_sums_of_the_generator() -> None:
    total = Element.identity()
    for encoding in MULTIPLES:
        assert total.to_bytes().hex() == encoding
        total = total + Element.generator()


@pytest.mark.parametrize(
    "vector", INVALID, ids=[f"{i}-{v['category']}" for i, v in enumerate(INVALID)]
)
def test_invalid_encoding_is_refused(vector: dict[str, str]) -> None:
    with pytest.raises(NativeDecodeError, match="invalid or non-canonical ristretto255"):
        Element.from_bytes(bytes.fromhex(vector["encoding"]))


@pytest.mark.parametrize("vector", DERIVATION, ids=[v["output"][:8] for v in DERIVATION])
def test_element_derivation_is_reproduced(vector: dict[str, str]) -> None:
    element = Element.from_uniform_bytes(bytes.fromhex(vector["input"]))
    assert element.to_bytes().hex() == vector["output"]


@pytest.mark.parametrize("uniform", SAME_OUTPUT["inputs"])
def test_element_derivation_inputs_with_the_same_output(uniform: str) -> None:
    element = Element.from_uniform_bytes(bytes.fromhex(uniform))
    assert element.to_bytes().hex() == SAME_OUTPUT["output"]


@pytest.mark.parametrize("position", [0, 2])
def test_batch_decoding_refuses_each_invalid_encoding_by_index(position: int) -> None:
    good = bytes.fromhex(MULTIPLES[1])
    for vector in INVALID:
        items = [good] * 3
        items[position] = bytes.fromhex(vector["encoding"])
        with pytest.raises(NativeDecodeError, match=rf"^element {position}: invalid"):
            elements_from_bytes(b"".join(items))


def test_batch_decoding_of_all_multiples() -> None:
    data = b"".join(bytes.fromhex(encoding) for encoding in MULTIPLES)
    decoded = elements_from_bytes(data)
    assert decoded == [Element.mul_base(Scalar.from_int(i)) for i in range(16)]
