"""Make tests/vectors/proofs.json: deterministic proof vectors (spec/protocol.md#8).

Run ``python tests/vectors/make_proof_vectors.py > tests/vectors/proofs.json``. The transcript
bytes are built here independently of ``suffrage.core.hashing``, straight from the spec, so
the test that compares them checks the implementation against the document.
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any

from suffrage.core import (
    GENERATOR,
    Element,
    PublicKey,
    Scalar,
    SeededRandom,
    encrypt,
    scalar_from_int,
)
from suffrage.core.proofs import (
    ChaumPedersenStatement,
    prove_chaum_pedersen,
    prove_range,
    prove_schnorr,
)


def lp(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


def transcript(tag: str, fields: list[tuple[str, bytes]]) -> bytes:
    out = lp(b"suffrage/1") + lp(tag.encode())
    for label, value in fields:
        out += lp(label.encode()) + lp(value)
    return out


def challenge_hex(data: bytes) -> str:
    return Scalar.from_bytes_wide(hashlib.sha512(data).digest()).to_bytes().hex()


def h(x: Element | Scalar) -> str:
    return x.to_bytes().hex()


def schnorr_vectors() -> list[dict[str, Any]]:
    out = []
    for i, message in enumerate([b"", b"ballot hash", bytes(range(64))]):
        rng = SeededRandom(f"schnorr-{i}")
        secret = rng.scalar()
        public = Element.mul_base(secret)
        context = hashlib.sha512(f"context-{i}".encode()).digest()
        proof = prove_schnorr(
            secret=secret,
            public=public,
            context=context,
            rng=rng,
            purpose="vector",
            message=message,
        )
        fields = [
            ("context", context),
            ("base", GENERATOR.to_bytes()),
            ("public", public.to_bytes()),
            ("commitment", proof.commitment.to_bytes()),
            ("message", message),
        ]
        data = transcript("schnorr/vector", fields)
        out.append(
            {
                "seed": f"schnorr-{i}",
                "purpose": "vector",
                "context": context.hex(),
                "base": h(GENERATOR),
                "public": h(public),
                "message": message.hex(),
                "transcript": data.hex(),
                "challenge": challenge_hex(data),
                "proof": {"commitment": h(proof.commitment), "response": h(proof.response)},
            }
        )
    return out


def chaum_pedersen_vectors() -> list[dict[str, Any]]:
    out = []
    for i in range(3):
        rng = SeededRandom(f"chaum-pedersen-{i}")
        secret, other = rng.scalar(), rng.scalar()
        base_2 = Element.mul_base(other)
        st = ChaumPedersenStatement(
            base_1=GENERATOR,
            public_1=Element.mul_base(secret),
            base_2=base_2,
            public_2=base_2 * secret,
        )
        context = hashlib.sha512(f"context-{i}".encode()).digest()
        proof = prove_chaum_pedersen(st, secret=secret, context=context, rng=rng, purpose="vector")
        fields = [
            ("context", context),
            ("base_1", st.base_1.to_bytes()),
            ("public_1", st.public_1.to_bytes()),
            ("base_2", st.base_2.to_bytes()),
            ("public_2", st.public_2.to_bytes()),
            ("commitment_1", proof.commitment_1.to_bytes()),
            ("commitment_2", proof.commitment_2.to_bytes()),
        ]
        data = transcript("chaum-pedersen/vector", fields)
        out.append(
            {
                "seed": f"chaum-pedersen-{i}",
                "purpose": "vector",
                "context": context.hex(),
                "base_1": h(st.base_1),
                "public_1": h(st.public_1),
                "base_2": h(st.base_2),
                "public_2": h(st.public_2),
                "transcript": data.hex(),
                "challenge": challenge_hex(data),
                "proof": {
                    "commitment_1": h(proof.commitment_1),
                    "commitment_2": h(proof.commitment_2),
                    "response": h(proof.response),
                },
            }
        )
    return out


def range_vectors() -> list[dict[str, Any]]:
    out = []
    for i, (limit, value) in enumerate([(1, 0), (1, 1), (5, 3), (0, 0)]):
        rng = SeededRandom(f"range-{i}")
        key = PublicKey(element=Element.mul_base(rng.scalar()))
        nonce = rng.scalar()
        ct = encrypt(value, nonce, key)
        context = hashlib.sha512(f"context-{i}".encode()).digest()
        proof = prove_range(
            ciphertext=ct,
            value=value,
            nonce=nonce,
            key=key,
            limit=limit,
            context=context,
            rng=rng,
            purpose="vector",
        )
        fields = [
            ("context", context),
            ("key", key.element.to_bytes()),
            ("limit", limit.to_bytes(8, "big")),
            ("alpha", ct.alpha.to_bytes()),
            ("beta", ct.beta.to_bytes()),
            ("commitments_g", b"".join(a.to_bytes() for a in proof.commitments_g)),
            ("commitments_k", b"".join(b.to_bytes() for b in proof.commitments_k)),
        ]
        data = transcript("range/vector", fields)
        out.append(
            {
                "seed": f"range-{i}",
                "purpose": "vector",
                "context": context.hex(),
                "key": h(key.element),
                "limit": limit,
                "value": value,
                "nonce": h(nonce),
                "alpha": h(ct.alpha),
                "beta": h(ct.beta),
                "value_times_g": h(Element.mul_base(scalar_from_int(value))),
                "transcript": data.hex(),
                "challenge": challenge_hex(data),
                "proof": {
                    "commitments_g": [h(a) for a in proof.commitments_g],
                    "commitments_k": [h(b) for b in proof.commitments_k],
                    "challenges": [h(c) for c in proof.challenges],
                    "responses": [h(s) for s in proof.responses],
                },
            }
        )
    return out


def seeded_random_vectors() -> list[dict[str, Any]]:
    rng = SeededRandom("seeded-random")
    return [{"seed": "seeded-random", "index": i, "scalar": h(rng.scalar())} for i in range(3)]


def make() -> dict[str, Any]:
    return {
        "description": "Suffrage protocol v1 proof vectors (spec/protocol.md#6, #8)",
        "seeded_random": seeded_random_vectors(),
        "schnorr": schnorr_vectors(),
        "chaum_pedersen": chaum_pedersen_vectors(),
        "range": range_vectors(),
    }


if __name__ == "__main__":
    json.dump(make(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
