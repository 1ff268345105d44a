"""The election directory's context.json holds the record's wire form of the context
(spec/record-format.md#election-directory), and reads back to the same context."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from suffrage.core import SeededRandom
from suffrage.core.group import Element
from suffrage.errors import InvalidInput
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.protocol.manifest import load_sample_manifest, manifest_to_dict
from suffrage.record import codec
from suffrage.record.canonical import canonical_bytes
from suffrage.record.files import election_to_json
from suffrage.service.election import homomorphic_only, key_ceremony
from suffrage.service.election_files import read_context, write_context

SHARED = ("threshold", "guardians", "base_hash", "board_key", "log_head")
"""The keys context.json and election.json have in common."""


@cache
def context(*, board: bool) -> ElectionContext:
    rng = SeededRandom(61)
    manifest = homomorphic_only(load_sample_manifest())
    secrets, _, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    voters = [
        Credential.from_code(generate_credential(rng), election_id=manifest.election_id)
        for _ in range(3)
    ]
    return make_context(
        manifest=manifest,
        threshold=2,
        guardians=[s.public for s in secrets],
        credentials=[CredentialKey(v.public, "north") for v in voters],
        board_key=Element.mul_base(rng.scalar()) if board else None,
        log_head=bytes(range(64)) if board else None,
    )


@pytest.mark.parametrize("board", [False, True], ids=["plain", "board key and log head"])
def test_context_json_is_the_record_form_with_manifest_and_credentials(
    board: bool, tmp_path: Path
) -> None:
    ctx = context(board=board)
    write_context(tmp_path, ctx)
    written = (tmp_path / "context.json").read_bytes()
    election = election_to_json(ctx)
    expected = {
        "format": "suffrage/election-context/2",
        "manifest": manifest_to_dict(ctx.manifest),
        "credentials": [codec.credential_to_json(c) for c in ctx.credentials],
        **{k: election[k] for k in SHARED if k in election},
    }
    assert written == canonical_bytes(expected) + b"\n"
    assert ("board_key" in json.loads(written)) is board
    assert read_context(tmp_path) == ctx


def test_a_threshold_above_the_guardians_is_refused_naming_the_file(tmp_path: Path) -> None:
    write_context(tmp_path, context(board=False))
    path = tmp_path / "context.json"
    document = json.loads(path.read_bytes())
    document["threshold"] = 4
    path.write_bytes(canonical_bytes(document) + b"\n")
    with pytest.raises(InvalidInput, match=r"threshold: must be in 1\.\.3, got 4") as caught:
        read_context(tmp_path)
    assert caught.value.field == str(path)


def test_a_changed_base_hash_is_refused(tmp_path: Path) -> None:
    write_context(tmp_path, context(board=False))
    path = tmp_path / "context.json"
    document = json.loads(path.read_bytes())
    document["base_hash"] = "00" * 64
    path.write_bytes(canonical_bytes(document) + b"\n")
    with pytest.raises(InvalidInput, match="does not match") as caught:
        read_context(tmp_path)
    assert caught.value.field == f"{path}.base_hash"
