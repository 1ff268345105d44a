"""``suffrage election ...``: set up an election, cast, close, publish the record."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from string import Template
from typing import Annotated

import httpx
import typer

from suffrage.cli._failures import one_line_errors
from suffrage.cli._options import (
    ForceOption,
    PassphraseFileOption,
    YesOption,
    now,
    passphrase,
)
from suffrage.cli._server import MaybeServer, MaybeToken, call, check, one_place
from suffrage.cli.commands_results import terminal_width
from suffrage.cli.main import app
from suffrage.core.randomness import OsRandom
from suffrage.errors import InvalidInput
from suffrage.protocol.board import EntryState, display_code
from suffrage.protocol.manifest import parse_manifest, starter_manifest_text
from suffrage.record.archive import unpack_record
from suffrage.record.codec import credential_to_json
from suffrage.record.files import RECORD_FILES
from suffrage.record.writing import check_free, write_file
from suffrage.reports.results import load_results
from suffrage.reports.results_text import results_table
from suffrage.service import election_steps as steps
from suffrage.service.lifecycle import CREDENTIALS_FORMAT

__all__ = ["election_app", "parse_choices"]

election_app = typer.Typer(
    name="election",
    no_args_is_help=True,
    help="An election: init, create, letters, cast, tally, publish.",
)
app.add_typer(election_app, name="election")

ElectionOption = Annotated[Path, typer.Option(metavar="DIR", help="The election directory.")]
MaybeElection = Annotated[
    Path | None, typer.Option(metavar="DIR", help="The election directory (or --server).")
]
AuthorityOption = Annotated[
    Path,
    typer.Option(
        metavar="DIR",
        help="The credential authority's private directory (the sealed roll and codes).",
    ),
]
AUTHORITY = "the credential authority's"


@election_app.command("init", epilog="Example: suffrage election init manifest.yaml")
def init(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the manifest.")],
    force: ForceOption = False,
) -> None:
    """Write an annotated starter manifest (YAML) to edit: a mayor, a referendum and a party
    list in two districts, in English and French, voting tomorrow. The format is in the
    specification (`suffrage spec record-format`) and its JSON Schema
    (`suffrage spec manifest-schema`)."""
    tomorrow = (now() + timedelta(days=1)).date()
    start = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 8, tzinfo=UTC)
    stem = "".join(c if c.isalnum() else "-" for c in path.stem.lower()).strip("-")
    text = Template(starter_manifest_text()).substitute(
        election_id=(stem or "election")[:48] + f"-{tomorrow.year}",
        start=start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        end=(start + timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        file=path,
    )
    with one_line_errors():
        write_file(path, text.encode("utf-8"), force=force)
    typer.echo(f"starter manifest written to {path}: edit it, then check it with")
    typer.echo(f"  suffrage election check-manifest {path}")


@election_app.command(
    "check-manifest", epilog="Example: suffrage election check-manifest manifest.yaml"
)
def check_manifest(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="The manifest (YAML or JSON).")],
) -> None:
    """Check a manifest: every problem at once, with its field (and line, for YAML)."""
    with one_line_errors():
        manifest = steps.load_manifest_file(path)
    styles = ", ".join(
        f"{s.style_id} ({len(s.contest_ids)} contests)" for s in manifest.ballot_styles
    )
    typer.echo(
        f"{path}: a valid manifest: election {manifest.election_id}, "
        f"{len(manifest.contests)} contests, ballot styles {styles}; voting from "
        f"{manifest.start} to {manifest.end}"
    )


@election_app.command(
    "create",
    epilog="Example: suffrage election create --manifest manifest.yaml --publics publics/ "
    "--roll roll.csv --out election/ --authority authority/ (on a server: suffrage election "
    "create --server URL --token TOKEN --roll roll.csv --out election/ --authority authority/)",
)
def create(
    *,
    manifest: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="The election manifest (YAML or JSON); not on a server."),
    ] = None,
    publics: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR", help="The directory of the guardians' public files; not on a server."
        ),
    ] = None,
    roll: Annotated[
        Path,
        typer.Option(
            metavar="FILE",
            help="The voter roll (CSV): voter_id, ballot_style, and optionally name, address, "
            "email, language and group:NAME columns.",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            metavar="DIR",
            help="The election directory to create (on a server: where its context.json is "
            "written, for the letters).",
        ),
    ],
    authority: AuthorityOption,
    server: MaybeServer = None,
    token: MaybeToken = None,
    passphrase_file: PassphraseFileOption = None,
    force: ForceOption = False,
) -> None:
    """The credential authority: one credential per voter of the roll, bound to the voter's
    ballot style; the election directory (or, with --server, the public credential list
    published on the election's server, an authority token); and the authority's private
    file, sealed under a passphrase (the roll and who holds which code, never published)."""
    with one_line_errors():
        if server is not None:
            _create_on_server(server, token, roll=roll, out=out, authority=authority,
                              passphrase_file=passphrase_file, force=force)  # fmt: skip
            return
        if manifest is None or publics is None:
            raise InvalidInput("--manifest", "give --manifest FILE and --publics DIR (or --server)")
        loaded = steps.load_manifest_file(manifest)
        context, private = steps.create_election(
            loaded,
            publics_dir=publics,
            roll=roll,
            out=out,
            authority=authority,
            passphrase=passphrase(passphrase_file, new=True, whose=AUTHORITY),
            rng=OsRandom(),
            force=force,
        )
    per_style = Counter(v.style_id for v in private.voters)
    styles = ", ".join(f"{n} of style {s}" for s, n in sorted(per_style.items()))
    typer.echo(
        f"election {context.election_id}: {len(context.guardians)} guardians, "
        f"threshold {context.threshold}, {len(private.voters)} voters ({styles})"
    )
    typer.echo(f"base hash {context.base_hash.hex()}")
    typer.echo(f"election directory: {out}; authority's sealed file in {authority}")
    typer.echo(
        f"next: suffrage election letters --election {out} --authority {authority} --out "
        f"letters/, then suffrage election open --election {out}"
    )


def _create_on_server(
    server: str,
    token: str | None,
    *,
    roll: Path,
    out: Path,
    authority: Path,
    passphrase_file: Path | None,
    force: bool,
) -> None:
    if not token:
        raise InvalidInput("--token", "a command on --server needs your --token")
    with httpx.Client(base_url=server, timeout=60) as client:
        response = client.get("/api/manifest")
        check(response, "manifest")
        manifest = parse_manifest(response.json())
    check_free([out / "context.json"], force=force)
    private = steps.issue_credentials(
        manifest,
        roll=roll,
        authority=authority,
        passphrase=passphrase(passphrase_file, new=True, whose=AUTHORITY),
        rng=OsRandom(),
        force=force,
    )
    listed = {
        "format": CREDENTIALS_FORMAT,
        "credentials": [credential_to_json(c) for c in private.credentials()],
    }
    done = call(server, token, "PUT", "/api/admin/credentials", what="credentials", json=listed)
    with httpx.Client(base_url=server, timeout=60) as client:
        response = client.get("/api/context")
        check(response, "context")
    out.mkdir(parents=True, exist_ok=True)
    write_file(out / "context.json", response.content, force=True)
    typer.echo(
        f"{done['credentials']} credentials published on {server} (event {done['event']}); "
        f"authority's sealed file in {authority}; the election's context in {out}"
    )
    typer.echo(
        f"next: suffrage election letters --election {out} --authority {authority} --out "
        f"letters/; then {done['next_step']}"
    )


@election_app.command(
    "open",
    epilog="Example: suffrage election open --election election/ (or --server URL --token T)",
)
def open_voting(
    election: MaybeElection = None, server: MaybeServer = None, token: MaybeToken = None
) -> None:
    """Open voting: the credential list and the base hash become final, and ballots are
    accepted within the manifest's voting window."""
    with one_line_errors():
        remote = one_place(election, server, token)
        if remote is not None:
            done = call(*remote, "POST", "/api/admin/open", what="open")
            typer.echo(f"voting open on {remote[0]}; base hash {done['base_hash']}")
            typer.echo(f"next: {done['next_step']}")
            return
        assert election is not None
        context = steps.open_election(election, clock=now)
    typer.echo(
        f"voting open for election {context.election_id} (ballots accepted from "
        f"{context.manifest.start} to {context.manifest.end}); base hash "
        f"{context.base_hash.hex()}"
    )


@election_app.command(
    "letters",
    epilog="Example: suffrage election letters --election election/ --authority authority/ "
    "--out letters/",
)
def letters(
    *,
    election: ElectionOption,
    authority: AuthorityOption,
    out: Annotated[Path, typer.Option(metavar="DIR", help="Where to write the letters.")],
    voter: Annotated[
        list[str] | None,
        typer.Option(metavar="ID", help="Only this voter's letter (repeat for several)."),
    ] = None,
    booth_url: Annotated[
        str | None, typer.Option(metavar="URL", help="Where voters vote, printed on letters.")
    ] = None,
    passphrase_file: PassphraseFileOption = None,
    force: ForceOption = False,
) -> None:
    """Write each voter's credential letter (HTML and PDF, in the voter's language) and
    mailmerge.csv. They hold the codes in clear: print them, then delete them."""
    with one_line_errors():
        written = steps.write_voter_letters(
            election,
            authority,
            out,
            passphrase=passphrase(passphrase_file, new=False, whose=AUTHORITY),
            voter_ids=voter or (),
            booth_url=booth_url,
            force=force,
        )
    count = sum(1 for p in written if p.suffix == ".pdf")
    typer.echo(f"{count} letters (HTML and PDF) and mailmerge.csv written to {out} (mode 0600)")
    typer.echo("they hold the codes in clear: print or send them, then delete them")


@election_app.command(
    "reissue",
    epilog="Example: suffrage election reissue --election election/ --authority authority/ "
    "--voter V-0042",
)
def reissue(
    *,
    election: ElectionOption,
    authority: AuthorityOption,
    voter: Annotated[str, typer.Option(metavar="ID", help="The voter id, as on the roll.")],
    passphrase_file: PassphraseFileOption = None,
) -> None:
    """Revoke a voter's lost credential and issue a new one, before voting opens."""
    with one_line_errors():
        context = steps.reissue_credential(
            election,
            authority,
            voter,
            passphrase=passphrase(passphrase_file, new=False, whose=AUTHORITY),
            at=now(),
            rng=OsRandom(),
        )
    typer.echo(f"the old credential of {voter} is revoked; a new one is issued")
    typer.echo(f"new base hash {context.base_hash.hex()}")
    typer.echo(
        f"next: suffrage election letters --election {election} --authority {authority} "
        f"--voter {voter} --out letters-reissued/"
    )


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


@election_app.command(
    "cast",
    epilog="Example: suffrage election cast --election election/ --credential "
    "K3M9Q-...-X --choices '{\"mayor\": [1, 0, 0], ...}'",
)
def cast(
    election: ElectionOption,
    credential: Annotated[str, typer.Option(metavar="CODE", help="The voter's credential code.")],
    choices: Annotated[
        str,
        typer.Option(
            metavar="JSON",
            help='The choices: {"contest_id": [0 or 1 per option], ...} for every contest of '
            "the voter's ballot style.",
        ),
    ],
    spoil: Annotated[
        bool,
        typer.Option(
            "--spoil", help="Check the device: publish this ballot opened; it will not count."
        ),
    ] = False,
) -> None:
    """Encrypt a ballot on this device and cast it (or spoil it) on the board; the ballot
    style is the one the credential is bound to."""
    with one_line_errors():
        entry = steps.cast_ballot(
            election,
            code=credential,
            choices=parse_choices(choices),
            spoil=spoil,
            at=now(),
            rng=OsRandom(),
        )
    code = display_code(entry.tracking_code)
    if entry.state is EntryState.SPOILED:
        typer.echo(f"spoiled (published opened, not counted): tracking code {code}")
    else:
        typer.echo(f"cast: tracking code {code}")


@election_app.command("tally", epilog="Example: suffrage election tally --election election/")
def tally(
    election: ElectionOption,
    close_early: Annotated[
        bool,
        typer.Option(
            "--close-early",
            help="Close voting before the manifest's end (the record shows it was early).",
        ),
    ] = False,
) -> None:
    """Close voting: compute the encrypted tally of the counted ballots."""
    with one_line_errors():
        closed = steps.close_election(election, at=now(), close_early=close_early)
    early = " (closed early)" if closed.tally.closed_early else ""
    typer.echo(
        f"voting closed at {closed.tally.closed_at}{early}: {closed.tally.entries} board "
        f"entries, {closed.tally.counted} counted; tally written to {election / 'tally.json'}"
    )
    typer.echo("next: each guardian runs `suffrage guardian decrypt` on this election")


@election_app.command(
    "publish",
    epilog="Example: suffrage election publish --election election/ --partials partial-1.json "
    "partial-3.json --out record/ (on a server: --server URL --token T --out record/)",
)
def publish(
    election: MaybeElection = None,
    *,
    out: Annotated[
        Path,
        typer.Option(
            metavar="DIR",
            help="The election record directory to write (with --server: the record the "
            "server published, downloaded).",
        ),
    ],
    partials: Annotated[
        list[Path] | None,
        typer.Option(
            "--partials",
            metavar="FILE",
            help="The guardians' partial decryption files (at least k): --partials a.json "
            "b.json, or --partials a.json --partials b.json. A server uses its mailbox's.",
        ),
    ] = None,
    more: Annotated[list[Path] | None, typer.Argument(hidden=True)] = None,
    mixes: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="The ranked contests' mixes (mix-C-T.jsonl, from `suffrage guardian mix`); "
            "each guardian's mix-decryption-C-J.jsonl is read beside its partial file or "
            "here. Required when the election has a ranked contest.",
        ),
    ] = None,
    server: MaybeServer = None,
    token: MaybeToken = None,
    force: ForceOption = False,
) -> None:
    """Combine the partial decryptions, count, and write the election record (on a server:
    the server does it with its mailbox's partial decryptions, and the record is
    downloaded). Ranked contests: every mix and every guardian's shares of the last one are
    checked, and the decrypted rankings counted by the contest's method."""
    files = [*(partials or ()), *(more or ())]
    with one_line_errors():
        remote = one_place(election, server, token)
        if remote is not None:
            if files or mixes is not None:
                raise InvalidInput(
                    "--partials" if files else "--mixes",
                    "a server uses the partial decryptions in its mailbox",
                )
            call(*remote, "POST", "/api/admin/publish", what="publish")
            _download_record(remote[0], out, force=force)
        else:
            assert election is not None
            if not files:
                raise InvalidInput("--partials", "give the guardians' partial decryption files")
            steps.publish_record(election, files, out, mixes=mixes, force=force)
        table = results_table(load_results(out), width=terminal_width(None))
    typer.echo(table, nl=False)
    typer.echo(f"record written to {out}; check it with: suffrage verify {out}")


def _download_record(server: str, out: Path, *, force: bool) -> None:
    """The server's record (its .tar.gz) unpacked into ``out``."""
    check_free((out / name for name in RECORD_FILES), force=force)
    with httpx.Client(base_url=server, timeout=300) as client:
        response = client.get("/api/record.tar.gz")
        check(response, "record")
    unpack_record(response.content, out, force=True)


@election_app.command(
    "forget",
    epilog="Example: suffrage election forget --election election/ --authority authority/ "
    "--letters letters/",
)
def forget(
    *,
    election: ElectionOption,
    authority: AuthorityOption,
    letters: Annotated[
        Path | None,
        typer.Option(metavar="DIR", help="Also delete the letters and mailmerge.csv there."),
    ] = None,
    yes: YesOption = False,
) -> None:
    """After voting closed: delete the credential authority's private file (the roll and who
    held which code) and, with --letters, the letters. This cannot be undone."""
    if not yes and not typer.confirm(
        f"Delete the roll and credential mapping in {authority} for good?", default=False
    ):
        typer.echo("nothing deleted", err=True)
        raise typer.Exit(1)
    with one_line_errors():
        deleted = steps.forget_authority(election, authority, letters)
    typer.echo(f"deleted {len(deleted)} files: the roll and the credential mapping are gone")
