"""Make tests/vectors/shuffle.json: a deterministic proof of shuffle (spec/protocol.md#6.4, #8).

Run ``python tests/vectors/make_shuffle_vectors.py > tests/vectors/shuffle.json``. The
seeded source ``shuffle`` draws the key, then the input nonces row by row, then the prover's
scalars in the order of spec 6.4. The transcripts (generators, statement digest ``d``, the
``u_j``, the challenge ``c``) are built here from the spec's text, independently of
``suffrage.core.hashing``; the test that regenerates this file checks them against the code.
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any

from suffrage.core import Element, PublicKey, Scalar, SeededRandom, encrypt
from suffrage.core.proofs import ShuffleProof, prove_shuffle

ROWS, WIDTH = 3, 2
VALUES = [[1, 0], [0, 1], [2, 3]]
PURPOSE = "vector"
SEED = hashlib.sha512(b"suffrage shuffle vector seed").digest()
CONTEXT = hashlib.sha512(b"suffrage shuffle vector context").digest()


def lp(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


def transcript(tag: str, fields: list[tuple[str, bytes]]) -> bytes:
    out = lp(b"suffrage/1") + lp(tag.encode())
    for label, value in fields:
        out += lp(label.encode()) + lp(value)
    return out


def u64(n: int) -> bytes:
    return n.to_bytes(8, "big")


def wide(data: bytes) -> Scalar:
    return Scalar.from_bytes_wide(hashlib.sha512(data).digest())


def cat(values: list[Any]) -> bytes:
    return b"".join(v.to_bytes() for v in values)


def flat(rows: list[tuple[Any, ...]]) -> list[Element]:
    return [e for row in rows for ct in row for e in (ct.alpha, ct.beta)]


def h(x: Element | Scalar) -> str:
    return x.to_bytes().hex()


def rows_json(rows: list[tuple[Any, ...]]) -> list[list[list[str]]]:
    return [[[h(ct.alpha), h(ct.beta)] for ct in row] for row in rows]


def proof_json(proof: ShuffleProof) -> dict[str, Any]:
    """The record form of spec 6.4's **Proof**."""
    return {
        "permutation_commitment": [h(x) for x in proof.permutation_commitment],
        "chain": [h(x) for x in proof.chain],
        "t1": h(proof.t1),
        "t2": h(proof.t2),
        "t3": h(proof.t3),
        "t4": [[h(t.alpha), h(t.beta)] for t in proof.t4],
        "t_hat": [h(x) for x in proof.t_hat],
        "s1": h(proof.s1),
        "s2": h(proof.s2),
        "s3": h(proof.s3),
        "s4": [h(x) for x in proof.s4],
        "s_hat": [h(x) for x in proof.s_hat],
        "s_prime": [h(x) for x in proof.s_prime],
    }


def make() -> dict[str, Any]:
    rng = SeededRandom("shuffle")
    key = PublicKey(element=Element.mul_base(rng.scalar()))
    inputs = [tuple(encrypt(v, rng.scalar(), key) for v in row) for row in VALUES]
    outputs, permutation, proof = prove_shuffle(
        inputs, key=key, seed=SEED, context=CONTEXT, purpose=PURPOSE, rng=rng
    )
    generators = [
        Element.from_uniform_bytes(
            hashlib.sha512(
                transcript("shuffle/generator", [("seed", SEED), ("index", u64(i))])
            ).digest()
        )
        for i in range(ROWS + 1)
    ]
    statement = transcript(
        f"shuffle/{PURPOSE}/statement",
        [
            ("context", CONTEXT),
            ("key", key.element.to_bytes()),
            ("seed", SEED),
            ("generators", cat(generators)),
            ("width", u64(WIDTH)),
            ("rows", u64(ROWS)),
            ("inputs", cat(flat(inputs))),
            ("outputs", cat(flat(outputs))),
            ("permutation_commitment", cat(list(proof.permutation_commitment))),
        ],
    )
    d = hashlib.sha512(statement).digest()
    u = [
        wide(transcript(f"shuffle/{PURPOSE}/u", [("statement", d), ("index", u64(j))]))
        for j in range(ROWS)
    ]
    challenge = transcript(
        f"shuffle/{PURPOSE}",
        [
            ("statement", d),
            ("chain", cat(list(proof.chain))),
            ("t1", proof.t1.to_bytes()),
            ("t2", proof.t2.to_bytes()),
            ("t3", proof.t3.to_bytes()),
            ("t4", cat([e for t in proof.t4 for e in (t.alpha, t.beta)])),
            ("t_hat", cat(list(proof.t_hat))),
        ],
    )
    return {
        "description": "Suffrage protocol v1 proof of shuffle (spec/protocol.md#6.4, #8)",
        "seeded_random": "shuffle",
        "purpose": PURPOSE,
        "context": CONTEXT.hex(),
        "seed": SEED.hex(),
        "key": h(key.element),
        "rows": ROWS,
        "width": WIDTH,
        "values": VALUES,
        "inputs": rows_json(inputs),
        "generators": [h(x) for x in generators],
        "statement_transcript": statement.hex(),
        "statement_digest": d.hex(),
        "u": [h(x) for x in u],
        "challenge_transcript": challenge.hex(),
        "challenge": h(wide(challenge)),
        "permutation": permutation,
        "outputs": rows_json(outputs),
        "proof": proof_json(proof),
    }


if __name__ == "__main__":
    json.dump(make(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
