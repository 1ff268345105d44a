"""Options shared by several commands."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["ForceOption"]

ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace output files that exist already (never without this flag)."
    ),
]
