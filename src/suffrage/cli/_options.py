"""Options shared by several commands, and how a command gets a passphrase."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from suffrage.errors import InvalidInput
from suffrage.record.reading import read_regular

__all__ = [
    "PASSPHRASE_VARIABLE",
    "ForceOption",
    "PassphraseFileOption",
    "YesOption",
    "now",
    "passphrase",
]

PASSPHRASE_VARIABLE = "SUFFRAGE_PASSPHRASE"  # noqa: S105 (the variable's name)

ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace output files that exist already (never without this flag)."
    ),
]

PassphraseFileOption = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        metavar="FILE",
        help="Read the passphrase from the first line of FILE (for automation). Without it, "
        f"the passphrase is taken from {PASSPHRASE_VARIABLE} or asked at a prompt.",
    ),
]

YesOption = Annotated[
    bool, typer.Option("--yes", help="Do not ask for confirmation (for automation).")
]


def passphrase(file: Path | None, *, new: bool, whose: str) -> str:
    """The passphrase: from ``file``, else the environment, else a prompt (typed twice when
    it is ``new``). Without a terminal and without either, a clear error."""
    if file is not None:
        try:
            first = read_regular(file, limit=4096, follow=True).decode("utf-8").split("\n")[0]
        except InvalidInput as exc:
            raise InvalidInput(str(file), exc.reason) from None
        except UnicodeDecodeError:
            raise InvalidInput(str(file), "is not UTF-8 text") from None
        if not first.rstrip("\r"):
            raise InvalidInput(str(file), "its first line is empty: it must hold the passphrase")
        return first.rstrip("\r")
    from_environment = os.environ.get(PASSPHRASE_VARIABLE)
    if from_environment:
        return from_environment
    if not sys.stdin.isatty():
        raise InvalidInput(
            "passphrase",
            f"{whose} passphrase is needed: type it at a terminal, or pass --passphrase-file "
            f"FILE, or set {PASSPHRASE_VARIABLE}",
        )
    return str(
        typer.prompt(
            f"{whose} passphrase" + (" (new, 12 characters or more)" if new else ""),
            hide_input=True,
            confirmation_prompt=new,
        )
    )


def now() -> datetime:
    """The clock of the commands (the library takes it as an argument)."""
    return datetime.now(UTC)
