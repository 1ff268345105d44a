"""``suffrage demo``: a whole election on this machine, recorded, verified and counted."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from suffrage.cli._failures import one_line_errors
from suffrage.cli._options import ForceOption
from suffrage.cli.main import app
from suffrage.cli.render import print_report
from suffrage.core.randomness import OsRandom, RandomSource, SeededRandom
from suffrage.i18n import LANGUAGES
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.record.files import RECORD_FILES
from suffrage.record.writing import check_free
from suffrage.reports.results import load_results
from suffrage.reports.results_text import results_table
from suffrage.service.election import run_election
from suffrage.verify.record import verify_record

__all__ = ["demo"]

DEMO_ABSTENTION = 20
"""Percent of the demo's voters who stay home, so that turnout (by group too) means something."""


def _seats(n: int) -> str:
    return f"{n} seat" if n == 1 else f"{n} seats"


@app.command(epilog="Example: suffrage demo --voters 200 --out demo-record")
def demo(
    voters: Annotated[int, typer.Option(min=1, help="Number of simulated voters.")] = 1000,
    out: Annotated[Path, typer.Option(help="Where to write the election record.")] = Path(
        "demo-record"
    ),
    seed: Annotated[
        int | None,
        typer.Option(help="Seed a deterministic random source (for reproducible demos only)."),
    ] = None,
    language: Annotated[str, typer.Option(help="Language of the printed results.")] = "en",
    force: ForceOption = False,
) -> None:
    """Run a sample election: 3 guardians (2 needed), voters who re-vote and spoil, one
    guardian absent at decryption; write the record, verify it and print the results."""
    console = Console()
    with one_line_errors():
        check_free((out / name for name in RECORD_FILES), force=force)
    rng: RandomSource = OsRandom() if seed is None else SeededRandom(seed)
    manifest = load_sample_manifest()
    ranked = [c for c in manifest.contests if not c.is_homomorphic]
    console.print(
        f"[bold]{manifest.title['en']}[/bold] - languages: "
        f"{', '.join(manifest.languages)}; {len(manifest.contests)} contests; "
        f"{voters} voters; 3 guardians, threshold 2, guardian 2 absent at decryption"
    )
    if ranked:
        console.print(
            "ranked contests, shuffled by every guardian present (each mix proven), then "
            "decrypted and counted: "
            + "; ".join(f"{c.contest_id} ({c.ranked_rule}, {_seats(c.seats or 1)})" for c in ranked)
        )
    start = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("voting", total=voters)
        run = run_election(
            manifest,
            voters=voters,
            rng=rng,
            out=out,
            progress=lambda n: progress.advance(task, n),
            force=force,
            abstention=DEMO_ABSTENTION,
        )
    elapsed = time.perf_counter() - start
    console.print(
        f"{len(run.entries)} board entries ({run.spoiled} spoiled for checking, "
        f"{run.revotes} re-votes), {run.tally.counted} counted, in {elapsed:.1f} s; "
        f"record written to {out}"
    )
    for contest_id, mixed in run.ranked.items():
        console.print(
            f"{contest_id}: {len(mixed.rows)} rankings through {len(mixed.mixes)} mixes "
            f"(guardians {', '.join(str(m.mixer) for m in mixed.mixes)}), decrypted by "
            f"guardians {', '.join(str(d.guardian) for d in mixed.decryptions)}"
        )
    shown = language if language in run.context.manifest.languages else None
    console.out(
        results_table(load_results(out, language=shown), width=console.width), highlight=False
    )
    start = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("verifying", total=len(run.entries))
        report = verify_record(
            out, progress=lambda n: progress.advance(task, n), verified_at=datetime.now(UTC)
        )
    print_report(console, report, language if language in LANGUAGES else "en")
    console.print(f"verified in {time.perf_counter() - start:.1f} s")
    raise typer.Exit(0 if report.passed else 1)
