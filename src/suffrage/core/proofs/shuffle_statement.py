"""The data of a proof of shuffle (spec/protocol.md#6.4): the proof and its encodings, the
generators derived from the seed, and the hashes of the statement and the challenges.

Shared by the readable prover and checker (:mod:`suffrage.core.proofs.shuffle`), which
re-exports every name here, and by the native kernel's wrapper
(``suffrage.core.shuffle_kernel``), whose proofs travel as :class:`RawShuffleProof`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from suffrage._native import Element, Scalar
from suffrage.core.elgamal import Ciphertext, PublicKey
from suffrage.core.group import decode_element, decode_scalar, element_from_uniform
from suffrage.core.hashing import Transcript
from suffrage.errors import InvalidEncoding, InvalidInput

__all__ = [
    "SEED_BYTES",
    "RawShuffleProof",
    "Row",
    "ShuffleProof",
    "shuffle_challenge_transcript",
    "shuffle_draws",
    "shuffle_exponents",
    "shuffle_generators",
    "shuffle_shape",
    "shuffle_statement_digest",
]

SEED_BYTES = 64
"""The length of the public seed the generators are derived from."""

Row = Sequence[Ciphertext]


class RawShuffleProof(NamedTuple):
    """A proof of shuffle (spec 6.4) as encodings: each field its values' 32-byte
    encodings concatenated, in order."""

    permutation_commitment: bytes  # N*32: c_0..c_{N-1}
    chain: bytes  # N*32: C_0..C_{N-1}
    t1: bytes  # 32
    t2: bytes  # 32
    t3: bytes  # 32
    t4: bytes  # w*64: t_{4,k}.alpha || t_{4,k}.beta for k = 0..w-1
    t_hat: bytes  # N*32
    s1: bytes  # 32
    s2: bytes  # 32
    s3: bytes  # 32
    s4: bytes  # w*32
    s_hat: bytes  # N*32
    s_prime: bytes  # N*32


def shuffle_draws(rows: int, width: int) -> int:
    """How many scalars the prover draws for ``rows`` rows of ``width`` ciphertexts, in the
    spec's order: the permutation (N-1), the re-encryption nonces (N*w), the permutation
    commitment and chain nonces (2N), omega_1..omega_3 (3), omega_4 (w), omega_hat and
    omega_prime (2N). The kernel takes exactly this many 64-byte pieces of randomness."""
    return (rows - 1) + rows * width + 2 * rows + 3 + width + 2 * rows


@dataclass(frozen=True, slots=True, kw_only=True)
class ShuffleProof:
    """The proof of spec 6.4: ``N``-long tuples but ``t4`` and ``s4`` (``w`` long)."""

    permutation_commitment: tuple[Element, ...]
    chain: tuple[Element, ...]
    t1: Element
    t2: Element
    t3: Element
    t4: tuple[Ciphertext, ...]
    t_hat: tuple[Element, ...]
    s1: Scalar
    s2: Scalar
    s3: Scalar
    s4: tuple[Scalar, ...]
    s_hat: tuple[Scalar, ...]
    s_prime: tuple[Scalar, ...]

    def to_raw(self) -> RawShuffleProof:
        """The encodings, in the kernel's form."""
        return RawShuffleProof(
            permutation_commitment=_join(self.permutation_commitment),
            chain=_join(self.chain),
            t1=self.t1.to_bytes(),
            t2=self.t2.to_bytes(),
            t3=self.t3.to_bytes(),
            t4=_join(e for t in self.t4 for e in (t.alpha, t.beta)),
            t_hat=_join(self.t_hat),
            s1=self.s1.to_bytes(),
            s2=self.s2.to_bytes(),
            s3=self.s3.to_bytes(),
            s4=_join(self.s4),
            s_hat=_join(self.s_hat),
            s_prime=_join(self.s_prime),
        )

    @classmethod
    def from_raw(cls, raw: RawShuffleProof, *, rows: int, width: int) -> ShuffleProof:
        """Decode strictly: exact lengths, canonical encodings, no identity element;
        :class:`~suffrage.errors.InvalidEncoding` names the field (``proof.t_hat[2]``)."""
        return cls(
            permutation_commitment=tuple(
                _elements(raw.permutation_commitment, "permutation_commitment", rows)
            ),
            chain=tuple(_elements(raw.chain, "chain", rows)),
            t1=_elements(raw.t1, "t1", None)[0],
            t2=_elements(raw.t2, "t2", None)[0],
            t3=_elements(raw.t3, "t3", None)[0],
            t4=_t4(raw.t4, width),
            t_hat=tuple(_elements(raw.t_hat, "t_hat", rows)),
            s1=_scalars(raw.s1, "s1", None)[0],
            s2=_scalars(raw.s2, "s2", None)[0],
            s3=_scalars(raw.s3, "s3", None)[0],
            s4=tuple(_scalars(raw.s4, "s4", width)),
            s_hat=tuple(_scalars(raw.s_hat, "s_hat", rows)),
            s_prime=tuple(_scalars(raw.s_prime, "s_prime", rows)),
        )


def _join(values: Iterable[Element | Scalar]) -> bytes:
    return b"".join(v.to_bytes() for v in values)


def _pieces(data: bytes, field: str, count: int | None) -> list[tuple[str, bytes]]:
    """Cut ``data`` into 32-byte pieces, each with the name of its field."""
    expected = 32 * (1 if count is None else count)
    if len(data) != expected:
        raise InvalidEncoding(f"proof.{field}", f"has {len(data)} bytes, expected {expected}")
    if count is None:
        return [(f"proof.{field}", bytes(data))]
    return [(f"proof.{field}[{i}]", bytes(data[32 * i : 32 * i + 32])) for i in range(count)]


def _elements(data: bytes, field: str, count: int | None) -> list[Element]:
    return [decode_element(piece, field=name) for name, piece in _pieces(data, field, count)]


def _t4(data: bytes, width: int) -> tuple[Ciphertext, ...]:
    """``t4`` as ``w`` pairs, each element named ``proof.t4[k].alpha`` or ``.beta``."""
    pieces = _pieces(data, "t4", 2 * width)
    named = [
        (f"proof.t4[{i // 2}].{('alpha', 'beta')[i % 2]}", p) for i, (_, p) in enumerate(pieces)
    ]
    parts = [decode_element(piece, field=name) for name, piece in named]
    return tuple(Ciphertext(alpha=parts[2 * k], beta=parts[2 * k + 1]) for k in range(width))


def _scalars(data: bytes, field: str, count: int | None) -> list[Scalar]:
    return [decode_scalar(piece, field=name) for name, piece in _pieces(data, field, count)]


# --- The statement and its challenges -------------------------------------------------------


def shuffle_generators(seed: bytes, count: int) -> tuple[Element, ...]:
    """``H_0..H_count`` (``count + 1`` elements) derived from ``seed`` by hashing to the
    group: nobody knows their discrete logarithms."""
    _check_seed(seed)
    return tuple(
        element_from_uniform(
            Transcript("shuffle/generator").append("seed", seed).integer("index", i).digest()
        )
        for i in range(count + 1)
    )


def _check_seed(seed: bytes) -> None:
    if len(seed) != SEED_BYTES:
        raise InvalidInput("seed", f"has {len(seed)} bytes, expected {SEED_BYTES}")


def _ciphertext_elements(rows: Sequence[Row]) -> list[Element]:
    return [e for row in rows for ct in row for e in (ct.alpha, ct.beta)]


def shuffle_statement_digest(
    *,
    context: bytes,
    purpose: str,
    key: PublicKey,
    seed: bytes,
    generators: Sequence[Element],
    width: int,
    inputs: Sequence[Row],
    outputs: Sequence[Row],
    permutation_commitment: Sequence[Element],
) -> bytes:
    """``d``: the digest of the whole statement, which every challenge binds."""
    if len(context) != SEED_BYTES:
        raise InvalidInput("context", f"has {len(context)} bytes, expected {SEED_BYTES}")
    return (
        Transcript(f"shuffle/{purpose}/statement")
        .append("context", context)
        .element("key", key.element)
        .append("seed", seed)
        .elements("generators", generators)
        .integer("width", width)
        .integer("rows", len(inputs))
        .elements("inputs", _ciphertext_elements(inputs))
        .elements("outputs", _ciphertext_elements(outputs))
        .elements("permutation_commitment", permutation_commitment)
        .digest()
    )


def shuffle_exponents(statement: bytes, *, purpose: str, rows: int) -> list[Scalar]:
    """The challenge vector ``u_0..u_{N-1}`` from the statement digest ``d``."""
    start = Transcript(f"shuffle/{purpose}/u").append("statement", statement)
    return [start.copy().integer("index", j).challenge() for j in range(rows)]


def shuffle_challenge_transcript(
    statement: bytes,
    *,
    purpose: str,
    chain: Sequence[Element],
    t1: Element,
    t2: Element,
    t3: Element,
    t4: Sequence[Ciphertext],
    t_hat: Sequence[Element],
) -> Transcript:
    """The transcript whose hash, reduced, is the challenge ``c``."""
    return (
        Transcript(f"shuffle/{purpose}")
        .append("statement", statement)
        .elements("chain", chain)
        .element("t1", t1)
        .element("t2", t2)
        .element("t3", t3)
        .elements("t4", _ciphertext_elements([t4]))
        .elements("t_hat", t_hat)
    )


def shuffle_shape(rows: Sequence[Row], field: str) -> tuple[int, int]:
    """``(N, w)`` of a list of rows, refusing an empty list, a ragged one and the identity."""
    if not rows or not rows[0]:
        raise InvalidInput(field, "a shuffle needs at least one row of at least one ciphertext")
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise InvalidInput(f"{field} row {i}", f"has {len(row)} ciphertexts, expected {width}")
        for k, ct in enumerate(row):
            for part in ("alpha", "beta"):
                if getattr(ct, part).is_identity():
                    name = f"{field} row {i} ciphertext {k} {part}"
                    raise InvalidInput(name, "the identity element is not allowed")
    return len(rows), width
