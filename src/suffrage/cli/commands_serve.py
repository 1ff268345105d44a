"""``suffrage serve``: the election server (FastAPI on uvicorn)."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from suffrage.assistance.storage import Store
from suffrage.cli._failures import one_line_errors
from suffrage.cli._options import now
from suffrage.cli.main import app
from suffrage.core.randomness import OsRandom
from suffrage.service.demo_election import make_demo_election
from suffrage.service.lifecycle import ElectionLife
from suffrage.web.assist import SECRET_ENVIRONMENT
from suffrage.web.server import ENVIRONMENT

__all__ = ["serve"]


@app.command(
    "serve",
    epilog="Example: suffrage serve election/ --port 8000 (or: suffrage serve --demo)",
)
def serve(
    election: Annotated[
        Path | None,
        typer.Argument(
            metavar="ELECTION",
            help="The election directory to serve (a new or empty one: a new election, "
            "drafted through the server).",
        ),
    ] = None,
    *,
    demo: Annotated[
        bool, typer.Option("--demo", help="Serve a sample election open now, with credentials.")
    ] = False,
    database: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            help="The board's database (default: board.db in the election directory), "
            "e.g. postgresql+psycopg://user@host/db.",
        ),
    ] = None,
    record: Annotated[
        Path | None, typer.Option(metavar="DIR", help="The published record, once there is one.")
    ] = None,
    host: Annotated[str, typer.Option(metavar="HOST", help="Address to listen on.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(metavar="N", min=1, help="Worker processes.")] = 1,
    address_rate: Annotated[
        float,
        typer.Option(metavar="N", min=0.1, help="Requests a second allowed per client address."),
    ] = 50.0,
    credential_rate: Annotated[
        float,
        typer.Option(metavar="N", min=0.1, help="Ballots a minute allowed per credential."),
    ] = 6.0,
    casting_threads: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            min=1,
            max=64,
            help="Ballots each worker checks at once (CPU-bound; default: 2 with one worker, "
            "1 with several).",
        ),
    ] = None,
    ssl_certfile: Annotated[
        Path | None, typer.Option(metavar="FILE", help="TLS certificate (PEM), for HTTPS.")
    ] = None,
    ssl_keyfile: Annotated[
        Path | None, typer.Option(metavar="FILE", help="TLS private key (PEM), for HTTPS.")
    ] = None,
    assist_db: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            help="Also serve the electoral-assistance registry at this database under /assist "
            "(e.g. sqlite:///assistance.db; made by `suffrage assist init` or `demo`).",
        ),
    ] = None,
) -> None:
    """Serve an election online, from its draft on: the officials' steps and the public event
    log, casting, the public bulletin board and its live feed, the record, and the API
    description at /openapi.json and /docs."""
    if demo == (election is not None):
        typer.echo("error: give an election directory or --demo (one of them)", err=True)
        raise typer.Exit(2)
    if election is None:
        election = Path(tempfile.mkdtemp(prefix="suffrage-demo-"))
        codes = make_demo_election(election, voters=10, now=now(), rng=OsRandom(), ranked=True)
        typer.echo(f"a sample election, open now, in {election}; credentials to vote with:")
        for code, style in codes:
            typer.echo(f"  {code}  (ballot style {style})")
    if assist_db:
        with one_line_errors():
            Store(assist_db, create=False).close()  # refuse a database with no registry now
    with one_line_errors():
        new = not any((election / name).exists() for name in ("board.db", "context.json"))
        if new:  # a directory with no election yet (perhaps its tokens): a new one
            election.mkdir(parents=True, exist_ok=True)
        life = ElectionLife(election, database=database, clock=now, new=new)
        try:
            log = life.life()
        finally:
            life.close()
    what = log.election_id or "a new election (no step taken yet)"
    typer.echo(f"{what}: {log.state.value}; next: {log.next_step()}")
    os.environ[ENVIRONMENT["election"]] = str(election.resolve())
    os.environ[ENVIRONMENT["database"]] = database or ""
    os.environ[ENVIRONMENT["record"]] = str(record.resolve()) if record else ""
    os.environ[ENVIRONMENT["address_rate"]] = str(address_rate)
    os.environ[ENVIRONMENT["credential_rate"]] = str(credential_rate)
    # One worker gains from a second checking thread (the kernel's decoding and the commit's
    # fsync release the GIL). With several, the processes give the parallelism and a second
    # thread only takes the GIL from the thread holding the database's write lock, which
    # then holds it longer (PostgreSQL, 2 workers at 200 casts/s: p99 1.7 s with two
    # threads each, 48 ms with one).
    threads = casting_threads or (2 if workers == 1 else 1)
    os.environ[ENVIRONMENT["casting_threads"]] = str(threads)
    os.environ[ENVIRONMENT["assist_db"]] = assist_db or ""
    if assist_db:
        # one key for every worker, so that a session from one is good at the others
        os.environ.setdefault(SECRET_ENVIRONMENT, secrets.token_hex(32))
    scheme = "https" if ssl_certfile else "http"
    typer.echo(f"serving on {scheme}://{host}:{port}/ (API: {scheme}://{host}:{port}/docs)")
    if assist_db:
        typer.echo(f"the assistance registry's pages: {scheme}://{host}:{port}/assist/")
    uvicorn.run(
        "suffrage.web.server:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
        log_level="warning",
    )
