"""``suffrage election ...``: create an election, cast ballots, close, publish the record."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated

import typer

from suffrage.cli._failures import one_line_errors
from suffrage.cli._options import ForceOption
from suffrage.cli.main import app
from suffrage.core.randomness import OsRandom
from suffrage.errors import InvalidInput
from suffrage.protocol.board import EntryState, display_code
from suffrage.service import election_steps as steps

__all__ = ["election_app", "parse_choices"]

election_app = typer.Typer(
    name="election", no_args_is_help=True, help="An election: create, cast, tally, publish."
)
app.add_typer(election_app, name="election")

ElectionOption = Annotated[Path, typer.Option(help="The election directory.")]


@election_app.command("create")
def create(
    *,
    manifest: Annotated[Path, typer.Option(help="The election manifest (YAML or JSON).")],
    publics: Annotated[Path, typer.Option(help="The directory of the guardians' public files.")],
    credentials: Annotated[int, typer.Option(help="How many voter credentials to issue.")],
    out: Annotated[Path, typer.Option(help="The election directory to create.")],
    codes_out: Annotated[
        Path, typer.Option(help="Where to write the credential codes for distribution (mode 0600).")
    ],
    force: ForceOption = False,
) -> None:
    """The credential authority: issue credentials and create the election directory."""
    with one_line_errors():
        loaded = steps.load_manifest_file(manifest)
        context = steps.create_election(
            loaded.manifest,
            publics_dir=publics,
            credentials=credentials,
            out=out,
            codes_out=codes_out,
            rng=OsRandom(),
            force=force,
        )
    if loaded.left_out:
        typer.echo(f"left out (ranked, needs the mix-net): {', '.join(loaded.left_out)}")
    typer.echo(
        f"election {context.election_id}: {len(context.guardians)} guardians, "
        f"threshold {context.threshold}, {credentials} credentials"
    )
    typer.echo(f"base hash {context.base_hash.hex()}")
    typer.echo(f"election directory: {out}; credential codes: {codes_out}")


def parse_choices(text: str) -> Mapping[str, Sequence[int]]:
    """``{"contest": [0, 1, ...], ...}``: 0 or 1 per option of each contest of the style."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("--choices", f"not JSON: {exc.msg}") from None
    if not isinstance(value, dict) or not all(
        isinstance(v, list) and all(type(x) is int for x in v) for v in value.values()
    ):
        raise InvalidInput("--choices", 'expected {"contest_id": [0 or 1 per option], ...}')
    return value


@election_app.command("cast")
def cast(
    election: ElectionOption,
    credential: Annotated[str, typer.Option(help="The voter's credential code.")],
    style: Annotated[str, typer.Option(help="The ballot style.")],
    choices: Annotated[
        str, typer.Option(help='The choices as JSON: {"contest_id": [0 or 1 per option], ...}.')
    ],
    spoil: Annotated[
        bool,
        typer.Option(
            "--spoil", help="Check the device: publish this ballot opened; it will not count."
        ),
    ] = False,
) -> None:
    """Encrypt a ballot on this device and cast it (or spoil it) on the board."""
    with one_line_errors():
        entry = steps.cast_ballot(
            election,
            code=credential,
            style_id=style,
            choices=parse_choices(choices),
            spoil=spoil,
            rng=OsRandom(),
        )
    code = display_code(entry.tracking_code)
    if entry.state is EntryState.SPOILED:
        typer.echo(f"spoiled (published opened, not counted): tracking code {code}")
    else:
        typer.echo(f"cast: tracking code {code}")


@election_app.command("tally")
def tally(election: ElectionOption) -> None:
    """Close voting: compute the encrypted tally of the counted ballots."""
    with one_line_errors():
        closed = steps.close_election(election)
    typer.echo(
        f"voting closed: {closed.tally.entries} board entries, {closed.tally.counted} "
        f"counted; tally written to {election / 'tally.json'}"
    )


@election_app.command("publish")
def publish(
    election: ElectionOption,
    partials: Annotated[
        list[Path],
        typer.Option("--partials", help="The guardians' partial decryption files (at least k)."),
    ],
    out: Annotated[Path, typer.Option(help="The election record directory to write.")],
    force: ForceOption = False,
) -> None:
    """Combine the partial decryptions, count, and write the election record."""
    with one_line_errors():
        results = steps.publish_record(election, partials, out, force=force)
    for contest_id, result in results.items():
        counts = ", ".join(f"{k} {v}" for k, v in result["counts"].items())
        typer.echo(f"{contest_id}: {counts}; elected: {', '.join(result['elected']) or '-'}")
    typer.echo(f"record written to {out}; check it with: suffrage verify {out}")
