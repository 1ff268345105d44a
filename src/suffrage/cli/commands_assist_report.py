"""``suffrage assist report ...``: status reports on electoral assistance and the
impartiality view, in the six UN languages (spec/assistance.md#11).

``suffrage assist report --from DATE --to DATE --language L --format F --out FILE`` makes the
report over what the acting user may see (a liaison: its own State's requests); ``report
publish`` (the focal point) publishes a period's report; ``report published`` lists the
published reports or renders one (anyone, the public included); ``report check`` checks
every published report against the history; ``report withdraw`` (the focal point) withdraws a
published report (spec/assistance.md#11.5).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from suffrage.assistance.domain import parse_date
from suffrage.assistance.status_json import Published
from suffrage.assistance.status_render import FORMATS, render
from suffrage.assistance.status_report import StatusReport
from suffrage.cli.commands_assist import acting, assist_app
from suffrage.errors import InvalidInput, VerificationFailed
from suffrage.i18n import LANGUAGES
from suffrage.record.writing import write_file

__all__ = ["report_app"]

report_app = typer.Typer(
    invoke_without_command=True,
    help="Status reports: requests received and assistance given, and the impartiality view.",
)
assist_app.add_typer(report_app, name="report")

_Language = Annotated[
    str, typer.Option("--language", metavar="|".join(LANGUAGES), help="ar, zh, en, fr, ru or es.")
]
_Format = Annotated[str, typer.Option("--format", metavar="|".join(FORMATS))]
_Out = Annotated[
    Path | None,
    typer.Option("--out", metavar="FILE", help="Write here (a PDF needs it); else stdout."),
]
_Force = Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")]
_From = Annotated[str | None, typer.Option("--from", metavar="YYYY-MM-DD")]
_To = Annotated[str | None, typer.Option("--to", metavar="YYYY-MM-DD")]


def _period(start: str | None, end: str | None) -> tuple[str, str]:
    if start is None or end is None:
        raise InvalidInput("--from", "give the period: --from YYYY-MM-DD --to YYYY-MM-DD")
    return start, end


def _emit(
    report: StatusReport,
    *,
    language: str,
    form: str,
    out: Path | None,
    force: bool,
    published: Published | None = None,
) -> None:
    data = render(report, language, form, published)
    if out is None:
        if form == "pdf":
            raise InvalidInput("--out", "a PDF is written to a file: give --out FILE")
        typer.echo(data.decode("utf-8"), nl=False)
        return
    write_file(out, data, force=force)
    typer.echo(f"status report written to {out}", err=True)


@report_app.callback(
    epilog="Example: suffrage assist report --from 2026-01-01 --to 2026-06-30 --language fr "
    "--format html --out report-fr.html"
)
def report(
    ctx: typer.Context,
    *,
    start: _From = None,
    end: _To = None,
    language: _Language = "en",
    form: _Format = "html",
    out: _Out = None,
    force: _Force = False,
) -> None:
    """The status report of a period over the requests you may see (a Member State liaison:
    its own State's); the public reads the published reports (report published)."""
    if ctx.invoked_subcommand is not None:
        return
    with acting(ctx) as (registry, actor):
        first, last = _period(start, end)
        made = registry.status_report(actor, parse_date("--from", first), parse_date("--to", last))
        _emit(made, language=language, form=form, out=out, force=force)


@report_app.command(
    "publish",
    epilog="Example: suffrage assist report publish --from 2026-01-01 --to 2026-06-30",
)
def publish(ctx: typer.Context, *, start: _From = None, end: _To = None) -> None:
    """Publish the period's report (the focal point): stored with its SHA-256 and the head of
    the history it was made from."""
    with acting(ctx) as (registry, actor):
        first, last = _period(start, end)
        done = registry.publish_report(actor, parse_date("--from", first), parse_date("--to", last))
    r = done.report
    typer.echo(
        f"status report {done.report_id} published: {r.start} to {r.end}; sha256 "
        f"{done.sha256}; made from the history up to entry {r.head_sequence} ({r.head_hash})"
    )


@report_app.command(
    "published",
    epilog="Example: suffrage assist report published --id 1 --language ar --format pdf "
    "--out report-ar.pdf",
)
def published(
    ctx: typer.Context,
    *,
    report_id: Annotated[
        int | None, typer.Option("--id", help="Render this published report.")
    ] = None,
    language: _Language = "en",
    form: _Format = "html",
    out: _Out = None,
    force: _Force = False,
) -> None:
    """The published reports (anyone may read them); with --id, one of them rendered."""
    with acting(ctx) as (registry, actor):
        if report_id is None:
            for found in registry.published(actor):
                r = found.report
                w = found.withdrawal
                gone = "" if w is None else f"  WITHDRAWN on {w.on} by {w.by}: {w.reason}"
                typer.echo(
                    f"{found.report_id}  {r.start} to {r.end}  published {found.published_at}"
                    f"  sha256 {found.sha256}{gone}"
                )
            return
        found = registry.published_report(actor, report_id)
        stamp = Published(at=found.published_at, sha256=found.sha256)
        _emit(found.report, language=language, form=form, out=out, force=force, published=stamp)


@report_app.command(
    "withdraw",
    epilog="Example: suffrage assist report withdraw 1 --reason 'Two requests were counted twice.'",
)
def withdraw(
    ctx: typer.Context,
    report_id: Annotated[int, typer.Argument(metavar="ID")],
    *,
    reason: Annotated[str, typer.Option(help="Why (required; shown to the public).")],
) -> None:
    """Withdraw a published report (the focal point): the public no longer finds it in the
    list; its address says when and why; its figures stay and stay checked."""
    with acting(ctx) as (registry, actor):
        done = registry.withdraw_report(actor, report_id, reason)
    typer.echo(f"status report {report_id} withdrawn on {done.on}")


@report_app.command("check", epilog="Example: suffrage assist report check")
def check(ctx: typer.Context) -> None:
    """Check every published report against the history: exit 1 naming the first that fails
    (its figures edited, or the history rewritten or cut from the head it was made from)."""
    with acting(ctx) as (registry, actor):
        try:
            count = registry.check_published(actor)
        except VerificationFailed as exc:
            typer.echo(f"published reports BROKEN: {exc}", err=True)
            raise typer.Exit(1) from None
    typer.echo(f"published reports hold: {count} checked against the history")
