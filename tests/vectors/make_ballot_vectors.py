"""Make tests/vectors/ballots.json: credentials, a whole ballot, tracking codes (spec #11-14).

Run ``python tests/vectors/make_ballot_vectors.py > tests/vectors/ballots.json``. Every random
value comes from the seeded source of spec/protocol.md#8, so the file is reproducible byte for
byte. The transcript bytes are built here from the spec's description (``lp(label) ||
lp(value)`` pieces), independently of ``suffrage.core.hashing``, and from the ballot's JSON,
so that an implementation in another language (the booth's JavaScript) can check each byte.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from suffrage.core import SeededRandom
from suffrage.protocol.ballot import ballot_digest, encrypt_ballot
from suffrage.protocol.board import EntryState, chain_start, display_code, tracking_code
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import (
    Credential,
    CredentialKey,
    generate_credential,
    normalise_credential,
)
from suffrage.protocol.manifest import manifest_to_dict, parse_manifest
from suffrage.record.codec import ballot_to_json, reveal_to_json
from suffrage.record.files import election_to_json
from suffrage.service.election import key_ceremony

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_proof_vectors import transcript  # the spec's transcript, rebuilt once for both

ELECTION_ID = "vector-election"
MANIFEST: dict[str, Any] = {
    "spec_version": "suffrage/manifest/1",
    "election_id": ELECTION_ID,
    "title": {"en": "Vector election"},
    "start": "2030-01-01T08:00:00Z",
    "end": "2030-01-01T20:00:00Z",
    "languages": ["en"],
    "contests": [
        {
            "contest_id": "mayor",
            "kind": "plurality",
            "votes_allowed": 1,
            "seats": 1,
            "title": {"en": "Mayor"},
            "options": [
                {"option_id": "ada", "name": {"en": "Ada"}},
                {"option_id": "brian", "name": {"en": "Brian"}},
                {"option_id": "chen", "name": {"en": "Chen"}},
            ],
        },
        {
            "contest_id": "board",
            "kind": "plurality",
            "votes_allowed": 2,
            "seats": 2,
            "title": {"en": "Board"},
            "options": [
                {"option_id": "dara", "name": {"en": "Dara"}},
                {"option_id": "emil", "name": {"en": "Emil"}},
                {"option_id": "femi", "name": {"en": "Femi"}},
            ],
        },
        {
            "contest_id": "budget",
            "kind": "approval",
            "seats": 1,
            "title": {"en": "Budget"},
            "options": [
                {"option_id": "park", "name": {"en": "Park"}},
                {"option_id": "library", "name": {"en": "Library"}},
            ],
        },
        {
            "contest_id": "charter",
            "kind": "referendum",
            "title": {"en": "Charter"},
            "options": [
                {"option_id": "yes", "name": {"en": "Yes"}},
                {"option_id": "no", "name": {"en": "No"}},
            ],
        },
    ],
    "ballot_styles": [
        # Listed out of manifest order: a ballot holds its contests in manifest order.
        {"style_id": "east", "districts": ["e1"], "contest_ids": ["charter", "board", "mayor"]},
        {"style_id": "west", "districts": ["w1"], "contest_ids": ["budget", "mayor"]},
    ],
}
CODE_DATA = "01KM9Q0ZX1TPRAB0C1DE"
"""Data characters holding 0 and 1, so that the O, I and L variants of the code apply."""
BALLOT_SEED = "ballot-vector"
SPOILED_SEED = "ballot-vector-spoiled"
CHOICES = {"mayor": [0, 1, 0], "board": [1, 0, 1], "charter": [1, 0]}
SPOILED_CHOICES = {"mayor": [0, 0, 1], "board": [0, 0, 0], "charter": [0, 1]}


def luhn32(data: str) -> str:
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    total, factor = 0, 2
    for char in reversed(data):
        addend = factor * alphabet.index(char)
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return alphabet[(32 - total % 32) % 32]


def variants(canonical: str) -> list[str]:
    """Ways of typing ``canonical`` that normalise to it (spec #11.1)."""
    plain = canonical.replace("-", "")
    return [
        canonical,
        canonical.lower(),
        plain,
        " ".join(canonical.split("-")),
        canonical.replace("0", "O").replace("1", "I"),
        canonical.replace("1", "l").lower().replace("0", "o"),
        f"  {plain[:7]}-{plain[7:]} ",
    ]


def credential_vectors() -> list[dict[str, Any]]:
    codes = [
        f"{CODE_DATA[:5]}-{CODE_DATA[5:10]}-{CODE_DATA[10:15]}-{CODE_DATA[15:]}-{luhn32(CODE_DATA)}",
        generate_credential(SeededRandom("credential-vector")),
    ]
    out = []
    for code in codes:
        assert normalise_credential(code) == code
        data = transcript(
            "credential/secret", [("election_id", ELECTION_ID.encode()), ("code", code.encode())]
        )
        credential = Credential.from_code(code, election_id=ELECTION_ID)
        typed = variants(code)
        assert all(Credential.from_code(t, election_id=ELECTION_ID) == credential for t in typed)
        out.append(
            {
                "election_id": ELECTION_ID,
                "code": code,
                "typed": typed,
                "transcript": data.hex(),
                "secret": credential.secret.to_bytes().hex(),
                "public": credential.public.to_bytes().hex(),
            }
        )
    return out


def refused_codes() -> list[dict[str, str]]:
    """Typed codes that must be refused, each with the rule it breaks (spec #11.1)."""
    good = credential_vectors()[0]["code"]
    wrong_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    swapped = good[:1] + good[2] + good[1] + good[3:]  # "1" and "K" swapped: Luhn mod 32 sees it
    return [
        {"typed": wrong_check, "problem": "check"},
        {"typed": swapped, "problem": "check"},
        {"typed": good[:-2], "problem": "length"},
        {"typed": good + "7", "problem": "length"},
        {"typed": "U" + good[1:], "problem": "character"},
    ]


def election() -> tuple[ElectionContext, dict[str, Credential]]:
    rng = SeededRandom("ballot-vector-election")
    manifest = parse_manifest(MANIFEST)
    secrets, _, _ = key_ceremony(manifest, guardians=2, threshold=2, rng=rng)
    voters = {
        "east": Credential.from_code(credential_vectors()[0]["code"], election_id=ELECTION_ID),
        "west": Credential.from_code(generate_credential(rng), election_id=ELECTION_ID),
    }
    context = make_context(
        manifest=manifest,
        threshold=2,
        guardians=[s.public for s in secrets],
        credentials=[CredentialKey(v.public, style) for style, v in voters.items()],
    )
    return context, voters


def ballot_transcript(base_hash: bytes, ballot: dict[str, Any]) -> bytes:
    """The transcript of spec #13.3, from the ballot's JSON."""

    def hexes(values: list[str]) -> bytes:
        return b"".join(bytes.fromhex(v) for v in values)

    def proof(p: dict[str, list[str]]) -> list[tuple[str, bytes]]:
        labels = ["commitments_g", "commitments_k", "challenges", "responses"]
        return [(label, hexes(p[label])) for label in labels]

    fields = [
        ("base_hash", base_hash),
        ("ballot_id", ballot["ballot_id"].encode()),
        ("style_id", ballot["style_id"].encode()),
        ("credential", bytes.fromhex(ballot["credential"])),
        ("contests", len(ballot["contests"]).to_bytes(8, "big")),
    ]
    for contest in ballot["contests"]:
        fields += [
            ("contest_id", contest["contest_id"].encode()),
            ("selections", len(contest["selections"]).to_bytes(8, "big")),
        ]
        for sel in contest["selections"]:
            fields += [
                ("option_id", sel["option_id"].encode()),
                ("alpha", bytes.fromhex(sel["ciphertext"]["alpha"])),
                ("beta", bytes.fromhex(sel["ciphertext"]["beta"])),
                *proof(sel["proof"]),
            ]
        fields += proof(contest["limit_proof"])
    return transcript("ballot", fields)


def ballot_vector(
    context: ElectionContext, voter: Credential, seed: str, choices: dict[str, list[int]]
) -> tuple[dict[str, Any], Any]:
    vector, ballot = seeded_ballot(context, voter, seed, choices, ballot_transcript)
    return {**vector, "code": credential_vectors()[0]["code"]}, ballot


def seeded_ballot(
    context: ElectionContext,
    voter: Credential,
    seed: str,
    choices: dict[str, list[int]],
    transcript_of: Callable[[bytes, dict[str, Any]], bytes],
) -> tuple[dict[str, Any], Any]:
    """A ballot of the east style made with the seeded source, with its hash transcript
    rebuilt by ``transcript_of`` from the ballot's JSON and held to the reference hash."""
    ballot, secrets = encrypt_ballot(
        context, style_id="east", choices=choices, credential=voter, rng=SeededRandom(seed)
    )
    as_json = ballot_to_json(ballot)
    data = transcript_of(context.base_hash, as_json)
    digest = ballot_digest(context, ballot)
    assert hashlib.sha512(data).digest() == digest
    return {
        "seed": seed,
        "style_id": "east",
        "choices": choices,
        "ballot": as_json,
        "reveal": reveal_to_json(secrets),
        "ballot_hash_transcript": data.hex(),
        "ballot_hash": digest.hex(),
        "fingerprint": display_code(digest),
    }, ballot


def tracking_vectors(context: ElectionContext, entries: list[tuple[str, Any]]) -> dict[str, Any]:
    start = transcript("tracking-code/start", [("base_hash", context.base_hash)])
    previous = chain_start(context)
    assert hashlib.sha512(start).digest() == previous
    out: dict[str, Any] = {
        "code_0_transcript": start.hex(),
        "code_0": previous.hex(),
        "entries": [],
    }
    for sequence, (state, ballot) in enumerate(entries, start=1):
        digest = ballot_digest(context, ballot)
        signature = ballot.signature.commitment.to_bytes() + ballot.signature.response.to_bytes()
        data = transcript(
            "tracking-code",
            [
                ("previous", previous),
                ("sequence", sequence.to_bytes(8, "big")),
                ("state", state.encode()),
                ("ballot_hash", digest),
                ("signature", signature),
            ],
        )
        code = tracking_code(
            context, previous=previous, sequence=sequence, state=EntryState(state), ballot=ballot
        )
        assert hashlib.sha512(data).digest() == code
        out["entries"].append(
            {
                "sequence": sequence,
                "state": state,
                "ballot_hash": digest.hex(),
                "signature": signature.hex(),
                "transcript": data.hex(),
                "code": code.hex(),
                "display": display_code(code),
            }
        )
        previous = code
    return out


def make() -> dict[str, Any]:
    context, voters = election()
    cast, cast_ballot = ballot_vector(context, voters["east"], BALLOT_SEED, CHOICES)
    spoiled, spoiled_ballot = ballot_vector(context, voters["east"], SPOILED_SEED, SPOILED_CHOICES)
    return {
        "description": "Suffrage protocol v1 ballot vectors (spec/protocol.md#11, #13, #14)",
        "credentials": credential_vectors(),
        "refused_codes": refused_codes(),
        "manifest": manifest_to_dict(context.manifest),
        "election": election_to_json(context),
        "ballots": [cast, spoiled],
        "tracking": tracking_vectors(context, [("cast", cast_ballot), ("spoiled", spoiled_ballot)]),
    }


if __name__ == "__main__":
    json.dump(make(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
