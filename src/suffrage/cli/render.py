"""Rendering for the terminal: verification reports and results (the library prints nothing)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from suffrage.protocol.manifest import Manifest
from suffrage.verify.report import VerificationReport

__all__ = ["print_report", "print_results"]


def print_report(console: Console, report: VerificationReport) -> None:
    """Every numbered check with pass or fail, its counts and each failure."""
    table = Table(title="Verification (spec/protocol.md#15)")
    for column in ("check", "what", "checked", "result"):
        table.add_column(column)
    for c in report.checks.values():
        verdict = "[green]pass[/green]" if c.passed else f"[red]FAIL ({len(c.failures)})[/red]"
        table.add_row(c.number, c.title, str(c.checked), verdict)
    console.print(table)
    for c in report.checks.values():
        for failure in c.failures:
            console.print(f"[red]{c.number}[/red] {failure}", highlight=False)
    for note in report.notes:
        console.print(f"[yellow]note[/yellow] {note}", highlight=False)
    summary = (
        "all checks pass"
        if report.passed
        else f"FAILED checks: {', '.join(report.failed_checks())}"
    )
    console.print(f"[bold]{summary}[/bold]")


def print_results(
    console: Console, manifest: Manifest, results: Mapping[str, Any], language: str = "en"
) -> None:
    """One table per contest: counts, and who is elected or which answer won."""
    lang = language if language in manifest.languages else manifest.default_language
    for contest in manifest.contests:
        result = results.get(contest.contest_id)
        if result is None:
            continue
        table = Table(
            title=f"{contest.title[lang]} ({contest.kind.value}, {result['ballots']} ballots)"
        )
        for column in ("option", "votes", "result"):
            table.add_column(column)
        for option in contest.options:
            oid = option.option_id
            seats = result["seats"].get(oid, 0)
            mark = (
                f"{seats} seat(s)"
                if contest.kind.value == "party_list" and seats
                else ("elected" if oid in result["elected"] else "")
            )
            table.add_row(option.name[lang], str(result["counts"][oid]), mark)
        if contest.kind.value == "referendum":
            table.caption = f"answer: {result['elected'][0]}"
        console.print(table)
