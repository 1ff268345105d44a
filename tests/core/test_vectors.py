"""The published proof vectors (tests/vectors/proofs.json, spec/protocol.md#8).

They are regenerated here and compared byte for byte, and each is checked with the
independently built transcript bytes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from suffrage.core import (
    Ciphertext,
    PublicKey,
    Scalar,
    decode_element_hex,
    decode_scalar_hex,
)
from suffrage.core.proofs import (
    ChaumPedersenProof,
    ChaumPedersenStatement,
    RangeProof,
    SchnorrProof,
    check_chaum_pedersen,
    check_range,
    check_schnorr,
)
from suffrage.errors import ProofRejected

VECTORS = Path(__file__).parent.parent / "vectors"
DATA: dict[str, Any] = json.loads((VECTORS / "proofs.json").read_text())


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_proof_vectors", VECTORS / "make_proof_vectors.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def E(text: str) -> Any:
    return decode_element_hex(text, field="vector")


def S(text: str) -> Scalar:
    return decode_scalar_hex(text, field="vector")


def test_vectors_are_reproduced_byte_for_byte() -> None:
    assert _generator().make() == DATA


def _challenge_matches(vector: dict[str, Any]) -> None:
    digest = hashlib.sha512(bytes.fromhex(vector["transcript"])).digest()
    assert Scalar.from_bytes_wide(digest) == S(vector["challenge"])


@pytest.mark.parametrize("v", DATA["schnorr"], ids=lambda v: v["seed"])
def test_schnorr_vectors(v: dict[str, Any]) -> None:
    _challenge_matches(v)
    proof = SchnorrProof(commitment=E(v["proof"]["commitment"]), response=S(v["proof"]["response"]))
    c = S(v["challenge"])
    assert E(v["base"]) * proof.response == proof.commitment + E(v["public"]) * c
    check_schnorr(
        proof,
        public=E(v["public"]),
        context=bytes.fromhex(v["context"]),
        message=bytes.fromhex(v["message"]),
        purpose=v["purpose"],
    )


@pytest.mark.parametrize("v", DATA["chaum_pedersen"], ids=lambda v: v["seed"])
def test_chaum_pedersen_vectors(v: dict[str, Any]) -> None:
    _challenge_matches(v)
    p = v["proof"]
    proof = ChaumPedersenProof(
        commitment_1=E(p["commitment_1"]),
        commitment_2=E(p["commitment_2"]),
        response=S(p["response"]),
    )
    st = ChaumPedersenStatement(
        base_1=E(v["base_1"]),
        public_1=E(v["public_1"]),
        base_2=E(v["base_2"]),
        public_2=E(v["public_2"]),
    )
    check_chaum_pedersen(proof, st, context=bytes.fromhex(v["context"]), purpose=v["purpose"])


@pytest.mark.parametrize("v", DATA["range"], ids=lambda v: v["seed"])
def test_range_vectors(v: dict[str, Any]) -> None:
    _challenge_matches(v)
    p = v["proof"]
    proof = RangeProof(
        commitments_g=tuple(E(x) for x in p["commitments_g"]),
        commitments_k=tuple(E(x) for x in p["commitments_k"]),
        challenges=tuple(S(x) for x in p["challenges"]),
        responses=tuple(S(x) for x in p["responses"]),
    )
    total = Scalar.zero()
    for c in proof.challenges:
        total = total + c
    assert total == S(v["challenge"])
    ct = Ciphertext(alpha=E(v["alpha"]), beta=E(v["beta"]))
    key = PublicKey(element=E(v["key"]))
    check_range(
        proof,
        ciphertext=ct,
        key=key,
        limit=v["limit"],
        context=bytes.fromhex(v["context"]),
        purpose=v["purpose"],
    )
    with pytest.raises(ProofRejected):
        check_range(
            proof, ciphertext=ct, key=key, limit=v["limit"], context=b"", purpose=v["purpose"]
        )
