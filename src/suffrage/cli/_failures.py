"""How the step-by-step commands fail: one line naming what is wrong, exit code 2."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer

from suffrage.errors import InvalidInput, SuffrageError

__all__ = ["EXIT_REFUSED", "one_line_errors"]

EXIT_REFUSED = 2


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Turn a refusal (bad file, bad share, refused ballot) into ``error: ...`` and exit 2."""
    try:
        yield
    except InvalidInput as exc:
        if len(exc.problems) > 1:
            _fail_many(exc.problems)
        _fail(str(exc))
    except SuffrageError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc))


def _fail_many(problems: tuple[str, ...]) -> NoReturn:
    typer.echo(f"error: {len(problems)} problems:", err=True)
    for problem in problems:
        typer.echo(f"  {' '.join(problem.split())}", err=True)
    raise typer.Exit(EXIT_REFUSED)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    raise typer.Exit(EXIT_REFUSED)
