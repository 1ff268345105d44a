"""The cryptographic core: pure mathematics over ristretto255, no I/O (spec/protocol.md).

Public surface: the group and its strict decoders, transcripts, exponential ElGamal, the
discrete-log solver, polynomials and Lagrange coefficients, random sources, and the proofs
(``suffrage.core.proofs``).
"""

from __future__ import annotations

from suffrage.core.dlog import DiscreteLog
from suffrage.core.elgamal import (
    ZERO_CIPHERTEXT,
    Ciphertext,
    PublicKey,
    add_ciphertexts,
    decrypt_to_element,
    encrypt,
    encrypt_bits,
    partial_decrypt,
    reencrypt,
    remove_mask,
)
from suffrage.core.group import (
    ELEMENT_BYTES,
    GENERATOR,
    IDENTITY,
    ORDER,
    SCALAR_BYTES,
    Element,
    ElementTable,
    Scalar,
    decode_element,
    decode_element_hex,
    decode_scalar,
    decode_scalar_hex,
    element_from_uniform,
    multiscalar_mul_vartime,
    scalar_from_int,
    scalar_from_wide,
    sum_elements,
)
from suffrage.core.hashing import PROTOCOL_LABEL, Transcript, encode_int, hash_bytes
from suffrage.core.polynomial import Polynomial, check_share, commitment_at, lagrange_coefficient
from suffrage.core.randomness import OsRandom, RandomSource, SeededRandom

__all__ = [
    "ELEMENT_BYTES",
    "GENERATOR",
    "IDENTITY",
    "ORDER",
    "PROTOCOL_LABEL",
    "SCALAR_BYTES",
    "ZERO_CIPHERTEXT",
    "Ciphertext",
    "DiscreteLog",
    "Element",
    "ElementTable",
    "OsRandom",
    "Polynomial",
    "PublicKey",
    "RandomSource",
    "Scalar",
    "SeededRandom",
    "Transcript",
    "add_ciphertexts",
    "check_share",
    "commitment_at",
    "decode_element",
    "decode_element_hex",
    "decode_scalar",
    "decode_scalar_hex",
    "decrypt_to_element",
    "element_from_uniform",
    "encode_int",
    "encrypt",
    "encrypt_bits",
    "hash_bytes",
    "lagrange_coefficient",
    "multiscalar_mul_vartime",
    "partial_decrypt",
    "reencrypt",
    "remove_mask",
    "scalar_from_int",
    "scalar_from_wide",
    "sum_elements",
]
