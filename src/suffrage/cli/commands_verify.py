"""``suffrage verify RECORD_DIR``: re-check an election from its record alone."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from suffrage.cli.main import app
from suffrage.cli.render import print_report
from suffrage.core.randomness import OsRandom
from suffrage.errors import InvalidInput
from suffrage.record.reading import bounded_lines, open_regular
from suffrage.service.distributed import dask_chunk_mapper
from suffrage.verify.record import verify_record

__all__ = ["verify"]


MARKERS = ("manifest.json", "election.json", "ballots.jsonl")
"""A directory holding none of these is not an election record at all."""


def _entry_count(record: Path) -> int:
    try:
        with open_regular(record / "ballots.jsonl") as handle:
            return sum(1 for _ in bounded_lines(handle))
    except InvalidInput:
        return 0


def _not_a_record(record: Path) -> str | None:
    """Why ``record`` is not an election record at all, or ``None`` if it may be one."""
    if not record.is_dir():
        return f"{record} is not a directory"
    if any((record / name).exists() or (record / name).is_symlink() for name in MARKERS):
        return None
    message = f"{record} is not an election record: it holds none of {', '.join(MARKERS)}"
    if (record / "board.db").exists():
        message += (
            " (it is an election directory: publish its record with "
            "`suffrage election publish` and verify that)"
        )
    return message


@app.command(epilog="Example: suffrage verify record/ --json")
def verify(
    record: Annotated[
        Path, typer.Argument(metavar="RECORD", help="The election record directory.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Check on a local Dask cluster of N processes.")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Check on an existing Dask cluster at this address.")
    ] = None,
) -> None:
    """Verify an election record: every numbered check, every failure; exit 0 only if all pass."""
    problem = _not_a_record(record)
    if problem is not None:
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(2)
    console = Console(stderr=as_json)
    if workers is not None and scheduler is not None:
        typer.echo("error: give --workers or --scheduler, not both", err=True)
        raise typer.Exit(2)
    with ExitStack() as stack:
        mapper = None
        if workers is not None or scheduler is not None:
            mapper = stack.enter_context(
                dask_chunk_mapper(record, workers=workers, scheduler=scheduler)
            )
        progress = stack.enter_context(Progress(console=console, transient=True, disable=as_json))
        task = progress.add_task("checking ballots", total=_entry_count(record))
        report = verify_record(
            record,
            progress=lambda n: progress.advance(task, n),
            rng=OsRandom(),
            map_chunks=mapper,
        )
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print_report(console, report)
    raise typer.Exit(0 if report.passed else 1)
