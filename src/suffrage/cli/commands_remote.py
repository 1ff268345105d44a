"""Working with an election server from the command line: tokens for it, the guardians'
mailbox (``guardian post`` and ``guardian fetch``), and closing voting and the mixing of
ranked contests remotely."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from suffrage.cli._failures import one_line_errors
from suffrage.cli._server import ServerOption, TokenOption, call, check
from suffrage.cli.commands_election import election_app
from suffrage.cli.commands_guardian import guardian_app
from suffrage.core.randomness import OsRandom
from suffrage.errors import InvalidInput
from suffrage.protocol.key_ceremony import MAX_GUARDIANS
from suffrage.protocol.manifest import manifest_to_dict
from suffrage.record.reading import read_regular
from suffrage.record.writing import write_file
from suffrage.service import election_steps as steps
from suffrage.service.access import ROLES, issue_token, revoke_token

__all__ = ["ceremony_app", "close_mixing", "draft", "fetch", "post", "remote_close", "token"]


@election_app.command(
    "token",
    epilog="Example: suffrage election token --election election/ --name ada --role guardian",
)
def token(
    *,
    election: Annotated[Path, typer.Option(metavar="DIR", help="The election directory.")],
    name: Annotated[str, typer.Option(metavar="NAME", help="Whose token (one per person).")],
    role: Annotated[str, typer.Option(metavar="ROLE", help=f"One of {', '.join(ROLES)}.")] = (
        "guardian"
    ),
    revoke: Annotated[bool, typer.Option("--revoke", help="Revoke NAME's token.")] = False,
) -> None:
    """Issue (or rotate, or revoke) a token for the election server's protected routes; the
    server keeps only its hash, and the token is shown this once."""
    with one_line_errors():
        if revoke:
            revoke_token(election, name)
            typer.echo(f"the token of {name} is revoked")
            return
        secret = issue_token(election, name, role, OsRandom())
    typer.echo(f"token of {name} ({role}), shown once; give it to {name} only:")
    typer.echo(secret)


@guardian_app.command(
    "post",
    epilog="Example: suffrage guardian post outbox/share-1-to-*.json --server "
    "https://vote.example.org --token TOKEN",
)
def post(
    paths: Annotated[list[Path], typer.Argument(metavar="FILE...", help="The files to post.")],
    *,
    server: ServerOption,
    token: TokenOption,
) -> None:
    """Post your files to the server's mailbox for the other guardians: public files, shares
    (encrypted to their recipient), complaints, partial decryptions."""
    # A mix is checked (its proof of shuffle) before the server answers: minutes for a city.
    with one_line_errors(), httpx.Client(base_url=server, timeout=1800) as client:
        for path in paths:
            data = read_regular(path, follow=True)
            response = client.put(
                f"/api/mailbox/{path.name}",
                content=data,
                headers={"Authorization": f"Bearer {token}"},
            )
            check(response, str(path))
            typer.echo(f"posted {path.name}")


@guardian_app.command(
    "fetch",
    epilog="Example: suffrage guardian fetch 'share-*-to-2.json' --server "
    "https://vote.example.org --out inbox/",
)
def fetch(
    patterns: Annotated[
        list[str] | None,
        typer.Argument(metavar="PATTERN...", help="Which mailbox files (default: all)."),
    ] = None,
    *,
    server: ServerOption,
    out: Annotated[Path, typer.Option(metavar="DIR", help="Where to write them.")],
    election_files: Annotated[
        bool,
        typer.Option(
            "--election",
            help="Also fetch context.json, tally.json and the board (ballots.jsonl), for "
            "`guardian decrypt` and `guardian mix` with --election DIR.",
        ),
    ] = False,
    manifest: Annotated[
        bool,
        typer.Option(
            "--manifest",
            help="Also fetch the manifest (manifest.json), for `guardian create`.",
        ),
    ] = False,
) -> None:
    """Fetch files from the server's mailbox (and, with --election, the election's context,
    tally and board). Each file is checked by the command that reads it, as if it came by
    hand: the board's chain against the tally's head, each mix's proof by the next mixer."""
    with one_line_errors(), httpx.Client(base_url=server, timeout=60) as client:
        listing = client.get("/api/mailbox")
        check(listing, "mailbox")
        names = [
            n
            for n in listing.json()["files"]
            if not patterns or any(fnmatch.fnmatch(n, p) for p in patterns)
        ]
        wanted = [(f"/api/mailbox/{n}", n) for n in names]
        if manifest:
            wanted += [("/api/manifest", "manifest.json")]
        if election_files:
            wanted += [("/api/context", "context.json"), ("/api/tally", "tally.json"),
                       ("/api/board.jsonl", "ballots.jsonl")]  # fmt: skip
        out.mkdir(parents=True, exist_ok=True)
        for url, name in wanted:
            response = client.get(url)
            check(response, name)
            write_file(out / name, response.content, force=True)
            typer.echo(f"fetched {name}")


@election_app.command(
    "close",
    epilog="Example: suffrage election close --server https://vote.example.org --token TOKEN",
)
def remote_close(
    *,
    server: ServerOption,
    token: TokenOption,
    close_early: Annotated[
        bool, typer.Option("--close-early", help="Close before the manifest's end.")
    ] = False,
) -> None:
    """Close voting on the election server (an admin token): it computes the tally."""
    with one_line_errors(), httpx.Client(base_url=server, timeout=120) as client:
        response = client.post(
            "/api/admin/close",
            json={"close_early": close_early},
            headers={"Authorization": f"Bearer {token}"},
        )
        check(response, "close")
    closed = response.json()
    typer.echo(
        f"voting closed at {closed['closed_at']}: {closed['entries']} entries, "
        f"{closed['counted']} counted; tally hash {closed['tally_hash']}"
    )
    if closed["state"] == "mixing":
        typer.echo(
            "next: the guardians mix the ranked contests in turn (`suffrage guardian fetch "
            "--election`, `guardian mix`, `guardian post`), then `suffrage election close-mixing`"
        )
    else:
        typer.echo("next: each guardian runs `suffrage guardian fetch --election` then `decrypt`")


@election_app.command(
    "close-mixing",
    epilog="Example: suffrage election close-mixing --server https://vote.example.org "
    "--token TOKEN",
)
def close_mixing(*, server: ServerOption, token: TokenOption) -> None:
    """Close the mixing of the ranked contests (an admin token), once at least n - k + 1
    guardians have each mixed every one: the guardians then decrypt the last mixes."""
    with one_line_errors():
        done = call(server, token, "POST", "/api/admin/mixing/close", what="close-mixing")
    for contest in done["contests"]:
        typer.echo(f"contest {contest['contest_id']}: {contest['mixes']} mixes, final")
    _said(done, "the mixing is closed")


@election_app.command(
    "draft",
    epilog="Example: suffrage election draft manifest.yaml --guardians 5 --threshold 3 "
    "--server https://vote.example.org --token TOKEN",
)
def draft(
    manifest: Annotated[
        Path, typer.Argument(metavar="MANIFEST", help="The election manifest (YAML or JSON).")
    ],
    *,
    guardians: Annotated[
        int | None, typer.Option(metavar="N", min=1, max=MAX_GUARDIANS, help="How many guardians.")
    ] = None,
    threshold: Annotated[
        int | None,
        typer.Option(metavar="K", min=1, max=MAX_GUARDIANS, help="How many of them must decrypt."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace the draft's manifest (before the ceremony)."),
    ] = False,
    server: ServerOption,
    token: TokenOption,
) -> None:
    """Draft an election on its server (an admin token): the first entry of its public event
    log. With --replace, the draft's manifest is replaced, until the key ceremony starts."""
    with one_line_errors():
        loaded = manifest_to_dict(steps.load_manifest_file(manifest))
        if replace:
            done = call(server, token, "PUT", "/api/admin/manifest", what="draft",
                        json={"manifest": loaded})  # fmt: skip
        else:
            if guardians is None or threshold is None:
                raise InvalidInput("--guardians", "a draft needs --guardians N and --threshold K")
            done = call(server, token, "POST", "/api/admin/draft", what="draft",
                        json={"manifest": loaded, "guardians": guardians,
                              "threshold": threshold})  # fmt: skip
    _said(done, "the manifest is replaced" if replace else "the election is drafted")


ceremony_app = typer.Typer(
    name="ceremony", no_args_is_help=True, help="The key ceremony on the election server."
)
election_app.add_typer(ceremony_app, name="ceremony")


@ceremony_app.command(
    "start",
    epilog="Example: suffrage election ceremony start --server https://vote.example.org "
    "--token TOKEN",
)
def ceremony_start(*, server: ServerOption, token: TokenOption) -> None:
    """Start the key ceremony (an admin token): the manifest is frozen; each guardian then
    runs `suffrage guardian create` with it and posts the public file."""
    with one_line_errors():
        done = call(server, token, "POST", "/api/admin/ceremony/start", what="ceremony start")
    _said(done, f"the key ceremony has started (ceremony hash {done['ceremony_hash']})")


@ceremony_app.command(
    "complete",
    epilog="Example: suffrage election ceremony complete --server https://vote.example.org "
    "--token TOKEN",
)
def ceremony_complete(*, server: ServerOption, token: TokenOption) -> None:
    """Complete the key ceremony (an admin token), once every guardian's public file is in
    and no complaint was made: the joint key is fixed."""
    with one_line_errors():
        done = call(server, token, "POST", "/api/admin/ceremony/complete", what="ceremony complete")
    _said(done, f"the key ceremony is complete (joint key {done['joint_key']})")


def _said(done: dict[str, Any], what: str) -> None:
    typer.echo(f"{what}: event {done['event']}, state {done['state']}")
    typer.echo(f"next: {done['next_step']}")
