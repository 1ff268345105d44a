"""The ``suffrage`` command line: one Typer app, one module per group of commands."""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(
    name="suffrage",
    help="Suffrage: elections that anyone can verify.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Suffrage: elections that anyone can verify."""


def _register() -> None:
    # Each command module adds its commands to ``app`` when imported.
    from suffrage.cli import (  # noqa: F401
        commands_count,
        commands_demo,
        commands_election,
        commands_guardian,
        commands_verify,
    )


_register()
