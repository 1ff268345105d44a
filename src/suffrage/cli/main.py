"""The ``suffrage`` command line: one Typer app, one module per group of commands."""

from __future__ import annotations

from importlib.metadata import version as _installed_version
from typing import Annotated

import typer

from suffrage.cli._help import plain_option_names

__all__ = ["app"]

plain_option_names()

app = typer.Typer(
    name="suffrage",
    help="Suffrage: elections that anyone can verify.",
    epilog="An election, step by step: suffrage election init manifest.yaml; each guardian: "
    "suffrage guardian create, shares, receive; the authority: suffrage election create, "
    "letters; voters: suffrage election cast; suffrage election tally; each guardian: "
    "suffrage guardian decrypt; suffrage election publish; anyone: suffrage verify RECORD.",
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        from suffrage.protocol.manifest import SPEC_VERSION

        typer.echo(f"suffrage {_installed_version('suffrage')} (manifest {SPEC_VERSION})")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Suffrage: elections that anyone can verify."""
    del version


def _register() -> None:
    # Each command module adds its commands to ``app`` when imported.
    from suffrage.cli import (  # noqa: F401
        commands_assist,
        commands_assist_access,
        commands_assist_docs,
        commands_assist_report,
        commands_assist_steps,
        commands_count,
        commands_demo,
        commands_election,
        commands_guardian,
        commands_monitor,
        commands_remote,
        commands_results,
        commands_serve,
        commands_spec,
        commands_turnout,
        commands_verify,
    )


_register()
