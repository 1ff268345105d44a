"""``suffrage spec``: where the installed specification is (the messages cite it)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from suffrage.cli.main import app

__all__ = ["spec_files"]

_DOCUMENTS = {
    "protocol": ("spec", "protocol.md"),
    "record-format": ("spec", "record-format.md"),
    "counting": ("spec", "counting.md"),
    "manifest-schema": ("protocol", "schema", "manifest.schema.json"),
}


def spec_files() -> dict[str, Path]:
    """Each document of the specification, by name, where it is installed."""
    root = Path(str(resources.files("suffrage")))
    return {name: root.joinpath(*parts) for name, parts in _DOCUMENTS.items()}


@app.command("spec", epilog="Example: suffrage spec protocol (or: less $(suffrage spec protocol))")
def spec(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME", help="protocol, record-format, counting or manifest-schema."
        ),
    ] = None,
    show: Annotated[bool, typer.Option("--show", help="Print the document itself.")] = False,
) -> None:
    """Where the specification is installed: the protocol (with the verifier's numbered
    checks), the record format (with the manifest's fields), the counting rules, and the
    manifest's JSON Schema. Messages that cite spec/protocol.md#15 mean these files."""
    files = spec_files()
    if name is None:
        for key, path in files.items():
            typer.echo(f"{key:16} {path}")
        return
    if name not in files:
        typer.echo(f"error: no document {name!r}; choose one of {', '.join(files)}", err=True)
        raise typer.Exit(2)
    path = files[name]
    typer.echo(path.read_text("utf-8") if show else str(path))
