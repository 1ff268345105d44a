"""Working with an election server from the command line: tokens for it, the guardians'
mailbox (``guardian post`` and ``guardian fetch``) and closing voting remotely."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Annotated

import httpx
import typer

from suffrage.cli._failures import one_line_errors
from suffrage.cli.commands_election import election_app
from suffrage.cli.commands_guardian import guardian_app
from suffrage.core.randomness import OsRandom
from suffrage.errors import InvalidInput
from suffrage.record.reading import read_regular
from suffrage.record.writing import write_file
from suffrage.service.access import ROLES, issue_token, revoke_token

__all__ = ["fetch", "post", "remote_close", "token"]

ServerOption = Annotated[str, typer.Option(metavar="URL", help="The election server.")]
TokenOption = Annotated[
    str, typer.Option(metavar="TOKEN", help="Your token (from `suffrage election token`).")
]


def _check(response: httpx.Response, what: str) -> None:
    if response.status_code >= 400:
        try:
            error = response.json()["error"]
            reason = f"{error['code']}: {error['detail']}"
        except (ValueError, KeyError, TypeError):
            reason = f"HTTP {response.status_code}"
        raise InvalidInput(what, f"the server refused: {reason}")


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
    with one_line_errors(), httpx.Client(base_url=server, timeout=60) as client:
        for path in paths:
            data = read_regular(path, follow=True)
            response = client.put(
                f"/api/mailbox/{path.name}",
                content=data,
                headers={"Authorization": f"Bearer {token}"},
            )
            _check(response, str(path))
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
            help="Also fetch context.json and tally.json, for `guardian decrypt --election DIR`.",
        ),
    ] = False,
) -> None:
    """Fetch files from the server's mailbox (and, with --election, the election's context
    and tally). Each file is checked by the command that reads it, as if it came by hand."""
    with one_line_errors(), httpx.Client(base_url=server, timeout=60) as client:
        listing = client.get("/api/mailbox")
        _check(listing, "mailbox")
        names = [
            n
            for n in listing.json()["files"]
            if not patterns or any(fnmatch.fnmatch(n, p) for p in patterns)
        ]
        wanted = [(f"/api/mailbox/{n}", n) for n in names]
        if election_files:
            wanted += [("/api/context", "context.json"), ("/api/tally", "tally.json")]
        out.mkdir(parents=True, exist_ok=True)
        for url, name in wanted:
            response = client.get(url)
            _check(response, name)
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
        _check(response, "close")
    closed = response.json()
    typer.echo(
        f"voting closed at {closed['closed_at']}: {closed['entries']} entries, "
        f"{closed['counted']} counted; tally hash {closed['tally_hash']}"
    )
    typer.echo("next: each guardian runs `suffrage guardian fetch --election` then `decrypt`")
