"""``suffrage guardian ...``: a guardian's steps on its own machine, through files.

create (keys) -> shares (deal, encrypted to each guardian) -> receive (check the shares
dealt to it, keep its key share) -> mix (after the close, its shuffle of each ranked
contest) -> decrypt (its part of the tally's decryption, and of each ranked contest's last
mix). The secret
file is sealed under the guardian's passphrase, never leaves the guardian's machine and is
never part of the election or its record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from suffrage.cli._failures import one_line_errors
from suffrage.cli._options import (
    ForceOption,
    PassphraseFileOption,
    YesOption,
    passphrase,
)
from suffrage.cli.main import app
from suffrage.core.randomness import OsRandom
from suffrage.service import election_steps as esteps
from suffrage.service import guardian_steps as steps

__all__ = ["guardian_app"]

guardian_app = typer.Typer(
    name="guardian",
    no_args_is_help=True,
    help="A guardian's steps: keys, shares, key share, mix, decryption.",
)
app.add_typer(guardian_app, name="guardian")

SecretOption = Annotated[
    Path, typer.Option("--secret", metavar="FILE", help="This guardian's secret file.")
]
PublicsOption = Annotated[
    Path,
    typer.Option(
        "--publics",
        metavar="DIR",
        help="The directory of every guardian's guardian-I.public.json.",
    ),
]


@guardian_app.command(
    "create",
    epilog="Example: suffrage guardian create --manifest manifest.yaml --index 1 --name Ada "
    "--guardians 3 --threshold 2 --out keys/",
)
def create(
    *,
    manifest: Annotated[
        Path, typer.Option(metavar="FILE", help="The election manifest (YAML or JSON).")
    ],
    index: Annotated[int, typer.Option(metavar="I", help="This guardian's number, 1..n.")],
    name: Annotated[str, typer.Option(metavar="NAME", help="This guardian's name.")],
    guardians: Annotated[int, typer.Option(metavar="N", help="The number of guardians n.")],
    threshold: Annotated[int, typer.Option(metavar="K", help="Guardians needed to decrypt, k.")],
    out: Annotated[
        Path, typer.Option(metavar="DIR", help="Where to write the secret and public files.")
    ],
    passphrase_file: PassphraseFileOption = None,
    force: ForceOption = False,
) -> None:
    """Create this guardian's keys: a secret file sealed under a passphrase, and a public
    file. Every guardian uses the same manifest, --guardians and --threshold."""
    with one_line_errors():
        loaded = esteps.load_manifest_file(manifest)
        secret, public = steps.create_guardian_files(
            loaded,
            index=index,
            name=name,
            guardians=guardians,
            threshold=threshold,
            out=out,
            passphrase=passphrase(passphrase_file, new=True, whose=f"guardian {index}'s"),
            rng=OsRandom(),
            force=force,
        )
    typer.echo(f"secret (keep it on this machine, with its passphrase): {secret}")
    typer.echo(f"public (send it to every guardian and the authority): {public}")
    typer.echo("next: once every public file is in one directory, run `suffrage guardian shares`")


@guardian_app.command(
    "shares",
    epilog="Example: suffrage guardian shares --secret keys/guardian-1.secret.json "
    "--publics publics/ --out outbox/",
)
def shares(
    secret: SecretOption,
    publics: PublicsOption,
    out: Annotated[
        Path, typer.Option(metavar="DIR", help="Where to write the share-D-to-R.json files.")
    ],
    passphrase_file: PassphraseFileOption = None,
    force: ForceOption = False,
) -> None:
    """Deal this guardian's shares: one file per guardian, encrypted to and for that guardian
    only, signed by this one; the command says which file goes to whom."""
    with one_line_errors():
        written = steps.deal_shares(
            secret,
            publics,
            out,
            OsRandom(),
            passphrase=passphrase(passphrase_file, new=False, whose="this guardian's"),
            force=force,
        )
    for recipient, path in written:
        typer.echo(f"send to guardian {recipient.index} ({recipient.name}): {path}")
    typer.echo("next: each guardian runs `suffrage guardian receive` with the shares sent to it")


@guardian_app.command(
    "receive",
    epilog="Example: suffrage guardian receive --secret keys/guardian-1.secret.json "
    "--publics publics/ --shares inbox/",
)
def receive(
    secret: SecretOption,
    publics: PublicsOption,
    shares_dir: Annotated[
        Path,
        typer.Option(
            "--shares",
            metavar="DIR",
            help="The directory holding the share-D-to-R.json files for this guardian.",
        ),
    ],
    passphrase_file: PassphraseFileOption = None,
    force: ForceOption = False,
) -> None:
    """Check every share dealt to this guardian and store its key share in its secret file
    (a key share stored already is replaced only with --force)."""
    with one_line_errors():
        steps.receive_shares(
            secret,
            publics,
            shares_dir,
            OsRandom(),
            passphrase=passphrase(passphrase_file, new=False, whose="this guardian's"),
            force=force,
        )
    typer.echo(f"every share checks; key share stored in {secret}")
    typer.echo("next: the credential authority runs `suffrage election create`")


ElectionDirOption = Annotated[
    Path, typer.Option("--election", metavar="DIR", help="The election directory (voting closed).")
]
MixesOption = Annotated[
    Path | None,
    typer.Option(
        "--mixes",
        metavar="DIR",
        help="The ranked contests' mixes so far (mix-C-T.jsonl, from `suffrage guardian mix`).",
    ),
]


def _show_election(summary: steps.DecryptionSummary) -> None:
    typer.echo(f"election:        {summary.election_id} ({summary.title})")
    typer.echo(f"base hash:       {summary.base_hash.hex()}")
    early = " (closed early by the officials)" if summary.closed_early else ""
    typer.echo(f"voting closed:   {summary.closed_at}{early}")
    typer.echo(f"board entries:   {summary.entries}")
    typer.echo(f"counted ballots: {summary.counted}")
    typer.echo(f"tally hash:      {summary.tally_hash.hex()}")


@guardian_app.command(
    "mix",
    epilog="Example: suffrage guardian mix --secret keys/guardian-1.secret.json "
    "--election election/ --mixes mixes/ --out mixes/",
)
def mix(
    *,
    secret: SecretOption,
    election: ElectionDirOption,
    out: Annotated[Path, typer.Option(metavar="DIR", help="Where to write mix-C-T.jsonl.")],
    mixes: MixesOption = None,
    passphrase_file: PassphraseFileOption = None,
    yes: YesOption = False,
    force: ForceOption = False,
) -> None:
    """This guardian's mix of each ranked contest: it re-encrypts and shuffles the last mix
    in --mixes (or, with none, the counted ballots' rankings) and proves it. Every earlier
    mix is checked first; it shows what it will mix and asks to confirm."""
    with one_line_errors():
        summary, plans = steps.mix_plan(election, mixes)
    _show_election(summary)
    for plan in plans:
        source = "the counted ballots" if plan.index == 1 else f"mix {plan.index - 1}"
        typer.echo(
            f"contest {plan.contest_id}: mix {plan.index} of {plan.rows} rows of "
            f"{plan.width} ranks (from {source})"
        )
    if not yes and not typer.confirm("Mix these contests?", default=False):
        typer.echo("nothing mixed", err=True)
        raise typer.Exit(1)
    with one_line_errors():
        written = steps.mix_contests(
            secret,
            election,
            out,
            OsRandom(),
            passphrase=passphrase(passphrase_file, new=False, whose="this guardian's"),
            plans=plans,
            expected_tally=summary.tally_hash,
            force=force,
        )
    for path in written:
        typer.echo(f"mix: {path}")
    typer.echo(
        "next: send it to the next guardian (`suffrage guardian mix --mixes DIR`), or, once "
        "every guardian present has mixed, to the guardians who decrypt"
    )


@guardian_app.command(
    "decrypt",
    epilog="Example: suffrage guardian decrypt --secret keys/guardian-1.secret.json "
    "--election election/ --out partial-1.json",
)
def decrypt(
    *,
    secret: SecretOption,
    election: ElectionDirOption,
    out: Annotated[
        Path, typer.Option(metavar="FILE", help="Where to write the partial decryption.")
    ],
    mixes: MixesOption = None,
    passphrase_file: PassphraseFileOption = None,
    yes: YesOption = False,
    force: ForceOption = False,
) -> None:
    """This guardian's partial decryption of the tally, with its proofs, and its shares of
    each ranked contest's last mix in --mixes (mix-decryption-C-J.jsonl beside the partial).
    It first shows the election, the number of counted ballots and the tally's hash, and
    asks to confirm."""
    with one_line_errors():
        summary = steps.decryption_summary(election)
    _show_election(summary)
    if not yes and not typer.confirm("Decrypt this tally?", default=False):
        typer.echo("nothing decrypted", err=True)
        raise typer.Exit(1)
    with one_line_errors():
        written = steps.decrypt_tally(
            secret,
            election,
            out,
            OsRandom(),
            passphrase=passphrase(passphrase_file, new=False, whose="this guardian's"),
            mixes=mixes,
            expected_tally=summary.tally_hash,
            force=force,
        )
    typer.echo(f"partial decryption: {out}")
    for path in written[1:]:
        typer.echo(f"shares of a ranked contest's last mix: {path}")
    typer.echo("next: send it to whoever publishes (`suffrage election publish --partials ...`)")
