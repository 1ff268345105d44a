"""A sample election open for voting now, for ``suffrage serve --demo``.

The sample manifest (six UN languages) without its ranked contest, its window moved to open
an hour ago and close in a day; three guardians made in this process; credentials printed
for the newcomer to vote with. Nothing of it is a real election.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from suffrage._native import Element
from suffrage.core.randomness import RandomSource
from suffrage.protocol.context import make_context
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.protocol.tally import time_text
from suffrage.service.election import homomorphic_only, key_ceremony
from suffrage.service.election_files import write_board_key, write_context

__all__ = ["make_demo_election"]


def make_demo_election(
    directory: Path, *, voters: int, now: datetime, rng: RandomSource
) -> list[tuple[str, str]]:
    """Write a demo election into ``directory``; each voter's (code, ballot style)."""
    manifest = homomorphic_only(load_sample_manifest())
    manifest = replace(
        manifest,
        start=time_text(now - timedelta(hours=1)),
        end=time_text(now + timedelta(days=1)),
    )
    secrets, _, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    styles = [s.style_id for s in manifest.ballot_styles]
    codes = [(generate_credential(rng), styles[n % len(styles)]) for n in range(voters)]
    board_secret = rng.scalar()
    context = make_context(
        manifest=manifest,
        threshold=2,
        board_key=Element.mul_base(board_secret),
        guardians=[s.public for s in secrets],
        credentials=[
            CredentialKey(Credential.from_code(c, election_id=manifest.election_id).public, s)
            for c, s in codes
        ],
    )
    directory.mkdir(parents=True, exist_ok=True)
    write_board_key(directory, board_secret)
    write_context(directory, context)
    return codes
