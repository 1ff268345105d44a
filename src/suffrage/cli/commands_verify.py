"""``suffrage verify RECORD_DIR``: re-check an election from its record alone.

The report opens with what was verified and ends with the results it vouches for; it is
written by :mod:`suffrage.reports.verification` (six languages) and printed here as plain
text that never truncates (``--json`` for programs). ``--partial`` checks the board of an
election still open, from its election directory (spec/protocol.md#15.2).
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from suffrage.cli.commands_results import terminal_width
from suffrage.cli.main import app
from suffrage.core.randomness import OsRandom
from suffrage.errors import InvalidInput, SuffrageError
from suffrage.i18n import LANGUAGES, catalog
from suffrage.record.reading import bounded_lines, open_regular
from suffrage.reports.results import load_results
from suffrage.reports.results_text import results_json, results_table
from suffrage.reports.text import wrap_text
from suffrage.reports.verification import explain_text, report_text
from suffrage.service.distributed import dask_chunk_mapper
from suffrage.service.partial import election_status, verify_partial
from suffrage.verify.record import verify_record
from suffrage.verify.report import VerificationReport

__all__ = ["verify"]


MARKERS = ("manifest.json", "election.json", "ballots.jsonl")
"""A directory holding none of these is not an election record at all."""


def _entry_count(record: Path) -> int:
    try:
        with open_regular(record / "ballots.jsonl") as handle:
            return sum(1 for _ in bounded_lines(handle))
    except InvalidInput:
        return 0


def _not_a_record(record: Path, language: str) -> str | None:
    """What ``record`` is when it is not an election record, or ``None`` if it may be one."""
    t = catalog("verify", language)
    if not record.is_dir():
        return t("not_a_directory", path=record)
    if any((record / name).exists() or (record / name).is_symlink() for name in MARKERS):
        return None
    if (record / "board.db").exists():
        try:
            status = election_status(record)
        except SuffrageError as exc:
            return f"{t('not_a_record', path=record, markers=', '.join(MARKERS))} ({exc})"
        return t("open_election", path=record, state=status.state, entries=status.entries)
    return t("not_a_record", path=record, markers=", ".join(MARKERS))


def _check_record(
    record: Path, console: Console, quiet: bool, workers: int | None, scheduler: str | None
) -> VerificationReport:
    with ExitStack() as stack:
        mapper = None
        if workers is not None or scheduler is not None:
            mapper = stack.enter_context(
                dask_chunk_mapper(record, workers=workers, scheduler=scheduler)
            )
        progress = stack.enter_context(Progress(console=console, transient=True, disable=quiet))
        task = progress.add_task("checking ballots", total=_entry_count(record))
        return verify_record(
            record,
            progress=lambda n: progress.advance(task, n),
            rng=OsRandom(),
            map_chunks=mapper,
            verified_at=datetime.now(UTC),
        )


def _vouched_results(record: Path, report: VerificationReport, language: str) -> Any:
    """The record's results when the report vouches for them (V17 passed), else ``None``."""
    if report.partial or report.checks["V17"].state != "pass":
        return None
    try:
        return load_results(record, language=language)
    except InvalidInput:
        try:
            return load_results(record)
        except SuffrageError:
            return None


def _print_text(
    record: Path, report: VerificationReport, language: str, width: int, explain: bool
) -> None:
    typer.echo(report_text(report, language=language, width=width, explain=explain), nl=False)
    if report.partial:
        return
    t = catalog("verify", language)
    typer.echo(f"\n{t('results')}\n{'=' * min(len(t('results')), width)}")
    results = _vouched_results(record, report, language)
    if results is None:
        typer.echo(wrap_text(t("results_not_vouched"), width))
    else:
        typer.echo(results_table(results, width=width, verified=True), nl=False)


def _print_json(record: Path, report: VerificationReport, language: str) -> None:
    data = report.to_json()
    results = _vouched_results(record, report, language)
    data["results"] = None if results is None else json.loads(results_json(results))
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@app.command(
    epilog=(
        "Example: suffrage verify record/ ; suffrage verify record/ --json ; "
        "suffrage verify record/ --language fr --explain ; "
        "suffrage verify --partial elections/city-2026/"
    )
)
def verify(
    record: Annotated[
        Path | None,
        typer.Argument(
            metavar="RECORD",
            help="The election record directory (with --partial: the election directory).",
        ),
    ] = None,
    *,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    language: Annotated[
        str, typer.Option(help=f"The report's language: {', '.join(LANGUAGES)}.")
    ] = "en",
    explain: Annotated[
        bool, typer.Option("--explain", help="Say in plain words what each check proves.")
    ] = False,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="Check the board of an election still open, from its election directory.",
        ),
    ] = False,
    width: Annotated[
        int | None, typer.Option(min=40, help="Text width (default: the terminal's, or 80).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Check on a local Dask cluster of N processes.")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Check on an existing Dask cluster at this address.")
    ] = None,
) -> None:
    """Verify an election record: every numbered check, every failure; exit 0 only if all pass."""
    if language not in LANGUAGES:
        typer.echo(f"error: --language {language!r} is not one of {', '.join(LANGUAGES)}", err=True)
        raise typer.Exit(2)
    columns = terminal_width(width)
    if record is None:
        if explain:
            typer.echo(explain_text(language=language, width=columns), nl=False)
            raise typer.Exit(0)
        typer.echo("error: give the RECORD directory to verify (or --explain alone)", err=True)
        raise typer.Exit(2)
    if workers is not None and scheduler is not None:
        typer.echo("error: give --workers or --scheduler, not both", err=True)
        raise typer.Exit(2)
    report = _run(
        record, partial=partial, as_json=as_json, language=language, pool=(workers, scheduler)
    )
    if as_json:
        _print_json(record, report, language)
    else:
        _print_text(record, report, language, columns, explain)
    raise typer.Exit(0 if report.passed else 1)


def _run(
    record: Path,
    *,
    partial: bool,
    as_json: bool,
    language: str,
    pool: tuple[int | None, str | None],
) -> VerificationReport:
    """The report of ``record`` (or of the election directory, ``partial``); exit 2 with a
    message that says what the directory is when it cannot be verified."""
    try:
        if partial:
            return verify_partial(record, rng=OsRandom(), verified_at=datetime.now(UTC))
        problem = _not_a_record(record, language)
        if problem is not None:
            typer.echo(f"error: {problem}", err=True)
            raise typer.Exit(2)
        return _check_record(record, Console(stderr=True), as_json, *pool)
    except SuffrageError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
