"""``suffrage results RECORD``: an election's results as tables, CSV, JSON, HTML, PDF or NIST."""

from __future__ import annotations

import shutil
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from suffrage.cli._failures import one_line_errors
from suffrage.cli._options import ForceOption
from suffrage.cli.main import app
from suffrage.errors import InvalidInput
from suffrage.record.writing import write_file
from suffrage.reports.results import ElectionResults, load_results
from suffrage.reports.results_text import results_csv, results_json, results_table
from suffrage.reports.text import MIN_WIDTH

__all__ = ["results", "terminal_width"]


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    HTML = "html"
    PDF = "pdf"
    NIST = "nist"


def terminal_width(width: int | None) -> int:
    """``width`` if given, else the terminal's (``COLUMNS`` or the tty), else 80 when piped;
    never below the narrowest a table is drawn at."""
    if width is not None:
        return width
    return max(shutil.get_terminal_size((80, 24)).columns, MIN_WIDTH)


def render(results: ElectionResults, fmt: Format, width: int) -> bytes:
    """The report in ``fmt`` as the bytes to write (UTF-8 for the text formats)."""
    if fmt is Format.PDF:
        from suffrage.reports.pdf import results_pdf  # WeasyPrint loads only for a PDF

        return results_pdf(results)
    if fmt is Format.HTML:
        from suffrage.reports.html import results_html

        return results_html(results).encode()
    if fmt is Format.NIST:
        from suffrage.reports.nist import results_nist

        generated = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        return results_nist(
            results, generated=generated, issuer=results.title, issuer_abbreviation="suffrage"
        ).encode()
    text = {
        Format.TABLE: lambda: results_table(results, width=width),
        Format.CSV: lambda: results_csv(results),
        Format.JSON: lambda: results_json(results),
    }[fmt]()
    return text.encode()


@app.command(
    epilog="Example: suffrage results record/ --format html --language ar --out results-ar.html "
    "(also: --format pdf --out results.pdf; --format csv > results.csv; --width 60)"
)
def results(
    record: Annotated[
        Path, typer.Argument(metavar="RECORD", help="The election record directory.")
    ],
    *,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            help="table (the terminal), csv (every round of every contest), json, html (one "
            "accessible page), pdf (printable; needs --out or a pipe) or nist (NIST SP "
            "1500-100 v2 JSON).",
        ),
    ] = Format.TABLE,
    language: Annotated[
        str | None,
        typer.Option(
            metavar="LANG",
            help="ar, zh, en, fr, ru or es (a language of the election); default: the "
            "manifest's first.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Write the report to FILE instead of the output."),
    ] = None,
    width: Annotated[
        int | None,
        typer.Option(
            min=MIN_WIDTH,
            help="Columns of the table format (default: the terminal's, or 80 when piped).",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """Print or write the results of an election record: option names, votes, percentages,
    blank ballots, turnout (and by group), seats, the threshold or majority in words and
    figures, and every drawing of lots. The record is read, not verified: use suffrage verify."""
    with one_line_errors():
        if fmt is Format.PDF and out is None and sys.stdout.isatty():
            raise InvalidInput("--out", "a PDF is binary: give --out FILE, or pipe the output")
        data = render(load_results(record, language=language), fmt, terminal_width(width))
        if out is not None:
            write_file(out, data, force=force)
            typer.echo(f"{fmt.value} report written to {out}", err=True)
            return
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
