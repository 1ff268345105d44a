"""Make tests/vectors/ranked_ballot.json: a ballot with a ranked contest (spec #13.1-13.4).

Run ``python tests/vectors/make_ranked_vectors.py > tests/vectors/ranked_ballot.json``. The
sibling of make_ballot_vectors.py (whose election it extends with an instant-runoff contest
of three options on the "east" style): every random value comes from the seeded source of
spec/protocol.md#8 in the draw order of #13.4, so the file is reproducible byte for byte, and
the transcripts (each rank proof's context, #13.2, and the ballot hash, #13.3) are built here
from the spec's description and the ballot's JSON, independently of ``suffrage.core.hashing``,
for the booth's JavaScript to check each byte.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from suffrage.core import SeededRandom
from suffrage.protocol.ballot import rank_context
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import Credential, CredentialKey
from suffrage.protocol.manifest import manifest_to_dict, parse_manifest
from suffrage.record.files import election_to_json
from suffrage.service.election import key_ceremony

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_ballot_vectors as plain  # the homomorphic vectors' election and transcripts
from make_proof_vectors import transcript

RANKED = "runoff"
MANIFEST: dict[str, Any] = copy.deepcopy(plain.MANIFEST)
MANIFEST["election_id"] = "ranked-vector-election"
MANIFEST["contests"].append(
    {
        "contest_id": RANKED,
        "kind": "ranked",
        "method": "irv",
        "seats": 1,
        "title": {"en": "Runoff"},
        "options": [
            {"option_id": "gale", "name": {"en": "Gale"}},
            {"option_id": "hana", "name": {"en": "Hana"}},
            {"option_id": "ivo", "name": {"en": "Ivo"}},
        ],
    }
)
MANIFEST["ballot_styles"][0]["contest_ids"].append(RANKED)
SEED = "ranked-ballot-vector"
SPOILED_SEED = "ranked-ballot-vector-spoiled"
CHOICES = {"mayor": [0, 1, 0], "board": [1, 0, 1], "charter": [1, 0], RANKED: [3, 1, 0]}
"""Ivo first, Gale second, no third preference."""
SPOILED_CHOICES = {"mayor": [0, 0, 0], "board": [0, 1, 0], "charter": [0, 1], RANKED: [2, 0, 2]}
"""A skipped rank and a repeated option: accepted, for the counting rule to handle."""


def election() -> tuple[ElectionContext, Credential]:
    rng = SeededRandom("ranked-vector-election")
    manifest = parse_manifest(MANIFEST)
    secrets, _, _ = key_ceremony(manifest, guardians=2, threshold=2, rng=rng)
    code = plain.credential_vectors()[0]["code"]
    voter = Credential.from_code(code, election_id=MANIFEST["election_id"])
    context = make_context(
        manifest=manifest,
        threshold=2,
        guardians=[s.public for s in secrets],
        credentials=[CredentialKey(voter.public, "east")],
    )
    return context, voter


def _proof(p: dict[str, list[str]]) -> list[tuple[str, bytes]]:
    labels = ["commitments_g", "commitments_k", "challenges", "responses"]
    return [(label, b"".join(bytes.fromhex(v) for v in p[label])) for label in labels]


def ballot_transcript(base_hash: bytes, ballot: dict[str, Any]) -> bytes:
    """The transcript of spec #13.3, from the ballot's JSON, ranked contests included."""
    fields = [
        ("base_hash", base_hash),
        ("ballot_id", ballot["ballot_id"].encode()),
        ("style_id", ballot["style_id"].encode()),
        ("credential", bytes.fromhex(ballot["credential"])),
        ("contests", len(ballot["contests"]).to_bytes(8, "big")),
    ]
    for contest in ballot["contests"]:
        fields.append(("contest_id", contest["contest_id"].encode()))
        if "ranks" in contest:
            fields.append(("ranks", len(contest["ranks"]).to_bytes(8, "big")))
            for rank in contest["ranks"]:
                fields += [
                    ("alpha", bytes.fromhex(rank["ciphertext"]["alpha"])),
                    ("beta", bytes.fromhex(rank["ciphertext"]["beta"])),
                    *_proof(rank["proof"]),
                ]
            continue
        fields.append(("selections", len(contest["selections"]).to_bytes(8, "big")))
        for sel in contest["selections"]:
            fields += [
                ("option_id", sel["option_id"].encode()),
                ("alpha", bytes.fromhex(sel["ciphertext"]["alpha"])),
                ("beta", bytes.fromhex(sel["ciphertext"]["beta"])),
                *_proof(sel["proof"]),
            ]
        fields += _proof(contest["limit_proof"])
    return transcript("ballot", fields)


def rank_contexts(context: ElectionContext, voter: Credential) -> list[dict[str, Any]]:
    """Each rank proof's context (spec #13.2), with its transcript."""
    out = []
    for rank in range(1, 4):
        data = transcript(
            "ballot/rank-context",
            [
                ("base_hash", context.base_hash),
                ("credential", voter.public.to_bytes()),
                ("contest_id", RANKED.encode()),
                ("rank", rank.to_bytes(8, "big")),
            ],
        )
        digest = rank_context(context, voter.public, RANKED, rank)
        assert hashlib.sha512(data).digest() == digest
        out.append({"rank": rank, "transcript": data.hex(), "context": digest.hex()})
    return out


def ballot_vector(
    context: ElectionContext, voter: Credential, seed: str, choices: dict[str, list[int]]
) -> dict[str, Any]:
    return plain.seeded_ballot(context, voter, seed, choices, ballot_transcript)[0]


def make() -> dict[str, Any]:
    context, voter = election()
    return {
        "description": "Suffrage protocol v1 ranked ballot vectors (spec/protocol.md#13)",
        "code": plain.credential_vectors()[0]["code"],
        "manifest": manifest_to_dict(context.manifest),
        "election": election_to_json(context),
        "rank_contexts": rank_contexts(context, voter),
        "ballots": [
            ballot_vector(context, voter, SEED, CHOICES),
            ballot_vector(context, voter, SPOILED_SEED, SPOILED_CHOICES),
        ],
    }


if __name__ == "__main__":
    json.dump(make(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
