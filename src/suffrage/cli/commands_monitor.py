"""``suffrage monitor URL``: an observer follows an election server and checks every entry."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import httpx
import typer

from suffrage.cli._failures import one_line_errors
from suffrage.cli.main import app
from suffrage.core.randomness import OsRandom
from suffrage.errors import InvalidInput
from suffrage.protocol.board import SignedHead
from suffrage.record.reading import read_regular
from suffrage.service.monitor import Alarm, Monitor, heads_from_json, heads_to_json

__all__ = ["monitor"]


def _raise(alarm: Alarm, webhook: str | None) -> None:
    typer.echo(alarm.line(), err=True)
    if webhook:
        try:
            httpx.post(webhook, json=alarm.to_json(), timeout=5)
        except httpx.HTTPError as exc:
            typer.echo(f"warning: the webhook could not be told: {exc}", err=True)


def _peer_heads(paths: list[Path]) -> list[SignedHead]:
    heads: list[SignedHead] = []
    for path in paths:
        if path.exists():
            try:
                heads += heads_from_json(json.loads(read_regular(path, follow=True)), str(path))
            except (ValueError, InvalidInput) as exc:
                typer.echo(f"warning: {path}: not a file of signed heads ({exc})", err=True)
    return heads


@app.command(
    "monitor",
    epilog="Example: suffrage monitor https://vote.example.org --exit-on-alarm "
    "--heads-out mine.json --peer-heads theirs.json",
)
def monitor(
    url: Annotated[str, typer.Argument(metavar="URL", help="The election server.")],
    *,
    interval: Annotated[
        float, typer.Option(metavar="SECONDS", min=0.1, help="Seconds between two looks.")
    ] = 2.0,
    once: Annotated[bool, typer.Option("--once", help="Look once, then stop.")] = False,
    exit_on_alarm: Annotated[
        bool, typer.Option("--exit-on-alarm", help="Stop with exit code 1 at the first alarm.")
    ] = False,
    webhook: Annotated[
        str | None, typer.Option(metavar="URL", help="POST every alarm as JSON to this URL.")
    ] = None,
    heads_out: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Write the server's signed heads seen, for peers."),
    ] = None,
    peer_heads: Annotated[
        list[Path] | None,
        typer.Option(metavar="FILE", help="Another monitor's heads file to compare (repeat)."),
    ] = None,
) -> None:
    """Follow an election server from its first step: check every event of its log as it
    arrives (chain, order) and, once voting opens, every board entry (style, signature,
    proofs, chain) and the server's signed head; read earlier events and entries again;
    compare signed heads with other monitors; after the close, check each mix of a ranked
    contest and each guardian's shares of a last mix as they are posted; once published,
    verify the whole record and stop. Every problem is an ALARM line on standard error."""
    # A mix of a large election is hundreds of megabytes: give its download time.
    with one_line_errors(), httpx.Client(base_url=url, timeout=300) as client:
        watcher = Monitor(client, OsRandom())
        typer.echo(f"monitoring {url}")
        alarmed = False
        while True:
            alarms = watcher.step()
            peers = _peer_heads(peer_heads or [])
            alarms += watcher.compare(peers)
            for alarm in alarms:
                _raise(alarm, webhook)
            alarmed = alarmed or bool(alarms)
            if heads_out is not None:
                heads_out.write_text(json.dumps(heads_to_json(watcher.heads[-50:])))
            mixes = len(watcher.mixes.checked)
            typer.echo(
                f"{watcher.election_id} ({watcher.life.state.value}): "
                f"{len(watcher.event_hashes)} events, {watcher.seen} entries checked"
                + (f", {mixes} mix files checked" if mixes else "")
            )
            if watcher.done:
                passed = watcher.report is not None and watcher.report.passed
                verdict = "passes" if passed else "does NOT pass"
                typer.echo(f"the published record {verdict} every check of the verifier")
                break
            if (alarms and exit_on_alarm) or once:
                break
            sys.stdout.flush()
            time.sleep(interval)
    raise typer.Exit(1 if alarmed else 0)
