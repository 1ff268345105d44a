"""The group ristretto255 and its strict encodings (spec/protocol.md#2).

Scalars and elements are the native kernel's types (``suffrage._native``, curve25519-dalek).
Only ``suffrage.core`` imports the kernel (an import-linter contract in pyproject.toml): the
layers above reach its types, its batch decoders (``elements_from_bytes``,
``scalars_from_bytes``, which raise ``NativeDecodeError`` naming the bad index) and its
multiscalar multiplication through this module. It is the trust boundary for bytes: every
decoder here takes the name of the field it decodes and raises
:class:`~suffrage.errors.InvalidEncoding` naming it.
"""

from __future__ import annotations

from collections.abc import Sequence

from suffrage._native import (
    Element,
    ElementTable,
    NativeDecodeError,
    Scalar,
    elements_from_bytes,
    multiscalar_mul_vartime,
    scalars_from_bytes,
)
from suffrage.errors import InvalidEncoding
from suffrage.inputs import strict_hex

__all__ = [
    "ELEMENT_BYTES",
    "GENERATOR",
    "IDENTITY",
    "ORDER",
    "SCALAR_BYTES",
    "Element",
    "ElementTable",
    "NativeDecodeError",
    "Scalar",
    "decode_element",
    "decode_element_hex",
    "decode_scalar",
    "decode_scalar_hex",
    "element_from_uniform",
    "elements_from_bytes",
    "multiscalar_mul_vartime",
    "scalar_from_int",
    "scalar_from_wide",
    "scalars_from_bytes",
    "sum_elements",
]

ORDER: int = Scalar.ORDER
SCALAR_BYTES = 32
ELEMENT_BYTES = 32
GENERATOR: Element = Element.generator()
IDENTITY: Element = Element.identity()


def decode_scalar(data: bytes, *, field: str) -> Scalar:
    """Decode a canonical 32-byte little-endian scalar (spec/protocol.md#2.2)."""
    try:
        return Scalar.from_bytes(bytes(data))
    except NativeDecodeError as exc:
        raise InvalidEncoding(field, str(exc)) from None


def decode_element(data: bytes, *, field: str, allow_identity: bool = False) -> Element:
    """Decode a canonical ristretto255 encoding (spec/protocol.md#2.3).

    The identity is refused unless ``allow_identity``: no key, commitment or ciphertext
    component of the protocol may be the identity.
    """
    try:
        element = Element.from_bytes(bytes(data))
    except NativeDecodeError as exc:
        raise InvalidEncoding(field, str(exc)) from None
    if element.is_identity() and not allow_identity:
        raise InvalidEncoding(field, "the identity element is not allowed here")
    return element


def _hex_bytes(text: str, *, field: str, size: int) -> bytes:
    raw = strict_hex(text, size)
    if isinstance(raw, str):
        raise InvalidEncoding(field, raw)
    return raw


def decode_scalar_hex(text: str, *, field: str) -> Scalar:
    """Decode a scalar written as 64 lowercase hex digits (the record's form)."""
    return decode_scalar(_hex_bytes(text, field=field, size=SCALAR_BYTES), field=field)


def decode_element_hex(text: str, *, field: str, allow_identity: bool = False) -> Element:
    """Decode an element written as 64 lowercase hex digits (the record's form)."""
    raw = _hex_bytes(text, field=field, size=ELEMENT_BYTES)
    return decode_element(raw, field=field, allow_identity=allow_identity)


def scalar_from_int(value: int) -> Scalar:
    """The scalar ``value mod l`` for any Python integer (negative ones included)."""
    return Scalar.from_int(value % ORDER)


def scalar_from_wide(data: bytes) -> Scalar:
    """A scalar from exactly 64 bytes by wide reduction modulo l (spec/protocol.md#2.2)."""
    if len(data) != 64:
        raise InvalidEncoding("wide scalar input", f"expected 64 bytes, got {len(data)}")
    return Scalar.from_bytes_wide(bytes(data))


def element_from_uniform(data: bytes) -> Element:
    """An element from 64 uniform bytes by the RFC 9496 one-way map (spec/protocol.md#2.3)."""
    if len(data) != 64:
        raise InvalidEncoding("uniform element input", f"expected 64 bytes, got {len(data)}")
    return Element.from_uniform_bytes(bytes(data))


def sum_elements(elements: Sequence[Element]) -> Element:
    """The sum of ``elements`` (the identity for none)."""
    total = IDENTITY
    for element in elements:
        total = total + element
    return total
