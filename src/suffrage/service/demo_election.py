"""A sample election open for voting now, for ``suffrage serve --demo``.

The sample manifest (six UN languages), its window moved to open
an hour ago and close in a day; three guardians made in this process; credentials printed
for the newcomer to vote with. It is set up through the same logged steps as a real
election (spec/protocol.md#18), but nothing of it is a real election.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from suffrage.core.randomness import RandomSource
from suffrage.protocol.context import manifest_hash
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.protocol.tally import time_text
from suffrage.service import ceremony_files as files
from suffrage.service.election import homomorphic_only, key_ceremony
from suffrage.service.lifecycle import ElectionLife

__all__ = ["make_demo_election"]


def make_demo_election(
    directory: Path,
    *,
    voters: int,
    now: datetime,
    rng: RandomSource,
    database: str | None = None,
    ranked: bool = False,
) -> list[tuple[str, str]]:
    """Write a demo election into ``directory`` (its log and board in ``database``, or
    board.db there), open now; each voter's (code, ballot style). Its ranked contests are
    left out unless ``ranked``."""
    manifest = load_sample_manifest()
    manifest = manifest if ranked else homomorphic_only(manifest)
    manifest = replace(
        manifest,
        start=time_text(now - timedelta(hours=1)),
        end=time_text(now + timedelta(days=1)),
    )
    secrets, _, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    styles = [s.style_id for s in manifest.ballot_styles]
    codes = [(generate_credential(rng), styles[n % len(styles)]) for n in range(voters)]
    directory.mkdir(parents=True, exist_ok=True)
    life = ElectionLife(directory, database=database, clock=lambda: now, rng=rng, new=True)
    try:
        life.draft(manifest, guardians=3, threshold=2)
        life.start_ceremony()
        ceremony = files.Ceremony(manifest_hash=manifest_hash(manifest), guardians=3, threshold=2)
        with tempfile.TemporaryDirectory() as scratch:
            for secret in secrets:
                path = files.public_path(Path(scratch), secret.public.index)
                files.write_public(path, ceremony, secret.public)
                life.post_file(path.name, path.read_bytes(), actor="guardian")
        life.complete_ceremony()
        life.publish_credentials(
            [
                CredentialKey(Credential.from_code(c, election_id=manifest.election_id).public, s)
                for c, s in codes
            ]
        )
        life.open()
    finally:
        life.close()
    return codes
