"""``suffrage verify RECORD_DIR``: re-check an election from its record alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from suffrage.cli.main import app
from suffrage.cli.render import print_report
from suffrage.verify.record import verify_record

__all__ = ["verify"]


def _entry_count(record: Path) -> int:
    try:
        with (record / "ballots.jsonl").open("rb") as f:
            return sum(1 for _ in f)
    except OSError:
        return 0


@app.command()
def verify(
    record: Annotated[Path, typer.Argument(help="The election record directory.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Verify an election record: every numbered check, every failure; exit 0 only if all pass."""
    if not record.is_dir():
        typer.echo(f"error: {record} is not a directory", err=True)
        raise typer.Exit(2)
    console = Console(stderr=as_json)
    with Progress(console=console, transient=True, disable=as_json) as progress:
        task = progress.add_task("checking ballots", total=_entry_count(record))
        report = verify_record(record, progress=lambda n: progress.advance(task, n))
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print_report(console, report)
    raise typer.Exit(0 if report.passed else 1)
