"""``suffrage guardian ...``: a guardian's steps on its own machine, through files.

create (keys) -> shares (deal, encrypted to each guardian) -> receive (check the shares
dealt to it, keep its key share) -> decrypt (its part of the tally's decryption). The secret
file never leaves the guardian's machine and is never part of the election or its record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from suffrage.cli._failures import one_line_errors
from suffrage.cli._options import ForceOption
from suffrage.cli.main import app
from suffrage.core.randomness import OsRandom
from suffrage.service import election_steps as steps

__all__ = ["guardian_app"]

guardian_app = typer.Typer(
    name="guardian",
    no_args_is_help=True,
    help="A guardian's steps: keys, shares, key share, decryption.",
)
app.add_typer(guardian_app, name="guardian")

SecretOption = Annotated[Path, typer.Option("--secret", help="This guardian's secret file.")]
PublicsOption = Annotated[
    Path,
    typer.Option("--publics", help="The directory of every guardian's guardian-I.public.json."),
]


@guardian_app.command("create")
def create(
    *,
    manifest: Annotated[Path, typer.Option(help="The election manifest (YAML or JSON).")],
    index: Annotated[int, typer.Option(help="This guardian's number, 1..n.")],
    name: Annotated[str, typer.Option(help="This guardian's name.")],
    guardians: Annotated[int, typer.Option(help="The number of guardians n.")],
    threshold: Annotated[int, typer.Option(help="Guardians needed to decrypt, k.")],
    out: Annotated[Path, typer.Option(help="Where to write the secret and public files.")],
    force: ForceOption = False,
) -> None:
    """Create this guardian's keys: a secret file (mode 0600) and a public file."""
    with one_line_errors():
        loaded = steps.load_manifest_file(manifest)
        secret, public = steps.create_guardian_files(
            loaded.manifest,
            index=index,
            name=name,
            guardians=guardians,
            threshold=threshold,
            out=out,
            rng=OsRandom(),
            force=force,
        )
    typer.echo(f"secret (keep it on this machine): {secret}")
    typer.echo(f"public (send it to every guardian and the authority): {public}")


@guardian_app.command("shares")
def shares(
    secret: SecretOption,
    publics: PublicsOption,
    out: Annotated[Path, typer.Option(help="Where to write the share-D-to-R.json files.")],
    force: ForceOption = False,
) -> None:
    """Deal this guardian's shares: one file per guardian, encrypted to and for that guardian
    only, signed by this one."""
    with one_line_errors():
        written = steps.deal_shares(secret, publics, out, OsRandom(), force=force)
    for recipient, path in written:
        typer.echo(f"send to guardian {recipient.index} ({recipient.name}): {path}")


@guardian_app.command("receive")
def receive(
    secret: SecretOption,
    publics: PublicsOption,
    shares_dir: Annotated[
        Path,
        typer.Option(
            "--shares", help="The directory holding the share-D-to-R.json files for this guardian."
        ),
    ],
    force: ForceOption = False,
) -> None:
    """Check every share dealt to this guardian and store its key share in its secret file
    (a key share stored already is replaced only with --force)."""
    with one_line_errors():
        steps.receive_shares(secret, publics, shares_dir, OsRandom(), force=force)
    typer.echo(f"every share checks; key share stored in {secret}")


@guardian_app.command("decrypt")
def decrypt(
    secret: SecretOption,
    election: Annotated[Path, typer.Option(help="The election directory (closed).")],
    out: Annotated[Path, typer.Option(help="Where to write the partial decryption.")],
    force: ForceOption = False,
) -> None:
    """This guardian's partial decryption of the tally, with its proofs."""
    with one_line_errors():
        steps.decrypt_tally(secret, election, out, OsRandom(), force=force)
    typer.echo(f"partial decryption: {out}")
