"""The kernel's proof of shuffle against the readable reference (spec/protocol.md#6.4).

From the same seeded draws the kernel and :mod:`suffrage.core.proofs.shuffle` give the same
outputs and the same proof, byte for byte; both verifiers accept it and give the same reason
for a proof, an output or a statement changed in one value; both refuse a bad encoding or
length naming the same field; and the kernel reproduces ``tests/vectors/shuffle.json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from suffrage._native import Element, Scalar, shuffle_generators
from suffrage.core import GENERATOR, Ciphertext, OsRandom, PublicKey, SeededRandom, encrypt
from suffrage.core.group import decode_element
from suffrage.core.proofs.shuffle import (
    RawShuffleProof,
    ShuffleProof,
    check_shuffle,
    prove_shuffle,
)
from suffrage.core.proofs.shuffle import shuffle_generators as reference_generators
from suffrage.core.shuffle_kernel import shuffle_and_prove, verify_shuffle
from suffrage.errors import InvalidEncoding, InvalidInput, ProofRejected

VECTORS = Path(__file__).parents[1] / "vectors" / "shuffle.json"
SEED = bytes(range(64))
CONTEXT = bytes(range(64, 128))
PURPOSE = "mix"

Rows = list[tuple[Ciphertext, ...]]


def _key(rng: SeededRandom) -> PublicKey:
    return PublicKey(element=Element.mul_base(rng.scalar()))


def _rows(count: int, width: int, key: PublicKey, rng: SeededRandom) -> Rows:
    return [
        tuple(encrypt((i + k) % 4, rng.scalar(), key) for k in range(width)) for i in range(count)
    ]


def _bytes(rows: Rows) -> bytes:
    return b"".join(ct.alpha.to_bytes() + ct.beta.to_bytes() for row in rows for ct in row)


def _from_bytes(data: bytes, width: int) -> Rows:
    """Rows decoded as the caller of the reference would, the identity let through (the
    reference's checker names it)."""
    parts = [
        decode_element(data[i : i + 32], field="row", allow_identity=True)
        for i in range(0, len(data), 32)
    ]
    cts = [Ciphertext(alpha=parts[i], beta=parts[i + 1]) for i in range(0, len(parts), 2)]
    return [tuple(cts[i : i + width]) for i in range(0, len(cts), width)]


class Shuffle:
    """An honest shuffle made by the kernel, with what both verifiers need."""

    def __init__(self, count: int, width: int, seed: int = 1) -> None:
        rng = SeededRandom(seed)
        self.key = _key(rng)
        self.width = width
        self.rows = _rows(count, width, self.key, rng)
        self.inputs = _bytes(self.rows)
        self.outputs, self.proof = shuffle_and_prove(
            self.inputs,
            width=width,
            key=self.key,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
            rng=SeededRandom(seed + 1000),
        )

    def kernel(self, proof: RawShuffleProof, outputs: bytes, **statement: Any) -> None:
        args: dict[str, Any] = {"seed": SEED, "context": CONTEXT, "purpose": PURPOSE} | statement
        verify_shuffle(
            proof,
            inputs=self.inputs,
            outputs=outputs,
            width=self.width,
            key=self.key,
            rng=SeededRandom(b"weights"),
            **args,
        )

    def reference(self, proof: RawShuffleProof, outputs: bytes, **statement: Any) -> None:
        args: dict[str, Any] = {"seed": SEED, "context": CONTEXT, "purpose": PURPOSE} | statement
        rows = len(self.rows)
        check_shuffle(
            ShuffleProof.from_raw(proof, rows=rows, width=self.width),
            inputs=self.rows,
            outputs=_from_bytes(outputs, self.width),
            key=self.key,
            **args,
        )


def _refusal(check: Callable[[], None]) -> tuple[type[Exception], str]:
    with pytest.raises((ProofRejected, InvalidInput)) as caught:
        check()
    return type(caught.value), str(caught.value)


def _agree(shuffle: Shuffle, proof: RawShuffleProof, outputs: bytes, **statement: Any) -> str:
    """Both verifiers refuse, with the same exception and message; the message."""
    kernel = _refusal(lambda: shuffle.kernel(proof, outputs, **statement))
    reference = _refusal(lambda: shuffle.reference(proof, outputs, **statement))
    assert kernel == reference
    return kernel[1]


def _changed(data: bytes, index: int, *, scalar: bool) -> bytes:
    """``data`` with its 32-byte value ``index`` replaced by another valid value."""
    piece = data[32 * index : 32 * index + 32]
    if scalar:
        new = (Scalar.from_bytes(piece) + Scalar.from_int(1)).to_bytes()
    else:
        new = (Element.from_bytes(piece) + GENERATOR).to_bytes()
    return data[: 32 * index] + new + data[32 * index + 32 :]


SCALAR_FIELDS = {"s1", "s2", "s3", "s4", "s_hat", "s_prime"}


@pytest.mark.parametrize("width", [1, 2, 5])
@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_the_kernel_and_the_reference_give_the_same_shuffle(count: int, width: int) -> None:
    rng = SeededRandom(42)
    key = _key(rng)
    rows = _rows(count, width, key, rng)
    outputs, _, proof = prove_shuffle(
        rows, key=key, seed=SEED, context=CONTEXT, purpose=PURPOSE, rng=SeededRandom(7)
    )
    kernel_outputs, kernel_proof = shuffle_and_prove(
        _bytes(rows),
        width=width,
        key=key,
        seed=SEED,
        context=CONTEXT,
        purpose=PURPOSE,
        rng=SeededRandom(7),
    )
    assert kernel_outputs == _bytes(outputs)
    assert kernel_proof == proof.to_raw()
    verify_shuffle(
        kernel_proof,
        inputs=_bytes(rows),
        outputs=kernel_outputs,
        width=width,
        key=key,
        seed=SEED,
        context=CONTEXT,
        purpose=PURPOSE,
    )


def test_the_kernel_reproduces_the_vectors() -> None:
    vector = json.loads(VECTORS.read_text("utf-8"))
    rng = SeededRandom(vector["seeded_random"])
    key = _key(rng)
    assert key.element.to_bytes().hex() == vector["key"]
    rows = [tuple(encrypt(v, rng.scalar(), key) for v in row) for row in vector["values"]]
    inputs = _bytes(rows)
    assert inputs.hex() == "".join(e for row in vector["inputs"] for ct in row for e in ct)
    seed, context = bytes.fromhex(vector["seed"]), bytes.fromhex(vector["context"])
    statement: dict[str, Any] = {"seed": seed, "context": context, "purpose": vector["purpose"]}
    width = vector["width"]
    outputs, proof = shuffle_and_prove(inputs, width=width, key=key, rng=rng, **statement)
    assert outputs.hex() == "".join(e for row in vector["outputs"] for ct in row for e in ct)
    expected = vector["proof"]
    for field, value in proof._asdict().items():
        want = expected[field]
        flat = [want] if isinstance(want, str) else [x for v in want for x in _listed(v)]
        assert value.hex() == "".join(flat), field
    generators = shuffle_generators(seed, vector["rows"] + 1)
    assert [g.to_bytes().hex() for g in generators] == vector["generators"]
    verify_shuffle(proof, inputs=inputs, outputs=outputs, width=width, key=key, **statement)


def _listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def test_the_kernel_derives_the_references_generators() -> None:
    assert shuffle_generators(SEED, 6) == list(reference_generators(SEED, 5))


def test_a_shuffle_with_the_systems_randomness_verifies() -> None:
    rng = SeededRandom(3)
    key = _key(rng)
    inputs = _bytes(_rows(20, 3, key, rng))
    outputs, proof = shuffle_and_prove(
        inputs, width=3, key=key, seed=SEED, context=CONTEXT, purpose=PURPOSE, rng=OsRandom()
    )
    assert outputs != inputs
    statement: dict[str, Any] = {"seed": SEED, "context": CONTEXT, "purpose": PURPOSE}
    verify_shuffle(proof, inputs=inputs, outputs=outputs, width=3, key=key, **statement)


@pytest.mark.parametrize("field", RawShuffleProof._fields)
def test_both_verifiers_name_the_same_equation_for_a_changed_proof(field: str) -> None:
    shuffle = Shuffle(4, 2)
    value: bytes = getattr(shuffle.proof, field)
    for index in sorted({0, len(value) // 32 - 1}):
        changed = _changed(value, index, scalar=field in SCALAR_FIELDS)
        proof = shuffle.proof._replace(**{field: changed})
        message = _agree(shuffle, proof, shuffle.outputs)
        assert message.startswith(f"shuffle/{PURPOSE}: verification equation (")


def test_a_response_names_its_own_equation() -> None:
    shuffle = Shuffle(4, 2)
    cases = {
        "s1": (0, "(1)"),
        "s2": (0, "(2)"),
        "s3": (0, "(3)"),
        "s4": (1, "(4) column 1"),
        "s_hat": (2, "(5) at row 2"),
    }
    for field, (index, name) in cases.items():
        changed = _changed(getattr(shuffle.proof, field), index, scalar=True)
        message = _agree(shuffle, shuffle.proof._replace(**{field: changed}), shuffle.outputs)
        assert message == f"shuffle/{PURPOSE}: verification equation {name} does not hold"


def test_both_verifiers_refuse_changed_outputs_and_statements() -> None:
    shuffle = Shuffle(5, 3)
    for index in (0, 7, len(shuffle.outputs) // 32 - 1):
        _agree(shuffle, shuffle.proof, _changed(shuffle.outputs, index, scalar=False))
    row = 64 * shuffle.width
    swapped = shuffle.outputs[row : 2 * row] + shuffle.outputs[:row] + shuffle.outputs[2 * row :]
    _agree(shuffle, shuffle.proof, swapped)
    _agree(shuffle, shuffle.proof, shuffle.outputs, context=bytes(64))  # another election
    _agree(shuffle, shuffle.proof, shuffle.outputs, purpose="other")
    _agree(shuffle, shuffle.proof, shuffle.outputs, seed=bytes(64))  # other generators


def test_a_reencrypted_output_is_refused() -> None:
    """One output re-randomised (same plaintext) after the proof: not what was proven."""
    shuffle = Shuffle(3, 2)
    rng = SeededRandom(9)
    nonce = rng.scalar()
    alpha = Element.from_bytes(shuffle.outputs[:32]) + Element.mul_base(nonce)
    beta = Element.from_bytes(shuffle.outputs[32:64]) + shuffle.key.mul(nonce)
    outputs = alpha.to_bytes() + beta.to_bytes() + shuffle.outputs[64:]
    _agree(shuffle, shuffle.proof, outputs)


def test_bad_encodings_are_refused_naming_the_value() -> None:
    shuffle = Shuffle(3, 2)
    identity = bytes(32)
    outputs = shuffle.outputs[:96] + identity + shuffle.outputs[128:]
    message = _agree(shuffle, shuffle.proof, outputs)
    assert message == "outputs row 0 ciphertext 1 beta: the identity element is not allowed"
    bad = {
        "t_hat": (2, b"\xff" * 32, "proof.t_hat[2]"),
        "t4": (1, identity, "proof.t4[0].beta"),
        "chain": (0, identity, "proof.chain[0]"),
        "t1": (0, b"\x01" + bytes(31), "proof.t1"),
        "s_prime": (1, b"\xff" * 32, "proof.s_prime[1]"),
        "s2": (0, b"\xff" * 32, "proof.s2"),
    }
    for field, (index, piece, name) in bad.items():
        value: bytes = getattr(shuffle.proof, field)
        proof = shuffle.proof._replace(
            **{field: value[: 32 * index] + piece + value[32 * index + 32 :]}
        )
        with pytest.raises(InvalidEncoding) as kernel:
            shuffle.kernel(proof, shuffle.outputs)
        with pytest.raises(InvalidEncoding) as reference:
            shuffle.reference(proof, shuffle.outputs)
        assert kernel.value.field == name
        assert str(kernel.value) == str(reference.value)


def test_wrong_lengths_are_refused_naming_the_field() -> None:
    shuffle = Shuffle(3, 5)
    proof = shuffle.proof._replace(s4=bytes(96))
    with pytest.raises(InvalidEncoding, match=r"^proof\.s4: has 96 bytes, expected 160$"):
        shuffle.kernel(proof, shuffle.outputs)
    with pytest.raises(InvalidEncoding) as reference:
        shuffle.reference(proof, shuffle.outputs)
    assert str(reference.value) == "proof.s4: has 96 bytes, expected 160"
    short = shuffle.outputs[: -64 * 5]
    with pytest.raises(InvalidInput, match=r"^outputs: has 640 bytes, expected 960"):
        shuffle.kernel(shuffle.proof, short)
    with pytest.raises(InvalidInput, match=r"^inputs: has 10 bytes"):
        verify_shuffle(
            shuffle.proof,
            inputs=bytes(10),
            outputs=shuffle.outputs,
            width=5,
            key=shuffle.key,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
        )
    with pytest.raises(InvalidInput, match=r"^seed: has 63 bytes, expected 64$"):
        shuffle.kernel(shuffle.proof, shuffle.outputs, seed=bytes(63))
    with pytest.raises(InvalidInput, match=r"^rows: has 0 bytes"):
        shuffle_and_prove(
            b"",
            width=1,
            key=shuffle.key,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
            rng=SeededRandom(1),
        )
    with pytest.raises(InvalidInput, match=r"^width: "):
        verify_shuffle(
            shuffle.proof,
            inputs=shuffle.inputs,
            outputs=shuffle.outputs,
            width=0,
            key=shuffle.key,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
        )


def test_an_identity_input_is_refused_by_the_prover() -> None:
    shuffle = Shuffle(2, 1)
    rows = bytes(32) + shuffle.inputs[32:]
    with pytest.raises(InvalidInput, match=r"^rows row 0 ciphertext 0 alpha: the identity"):
        shuffle_and_prove(
            rows,
            width=1,
            key=shuffle.key,
            seed=SEED,
            context=CONTEXT,
            purpose=PURPOSE,
            rng=SeededRandom(1),
        )
