"""The ``suffrage`` command line (Typer); its commands live in the ``commands_*`` modules.

Nothing is exported at the package level: ``suffrage.cli.main:app`` is the entry point.
"""

from __future__ import annotations

__all__: list[str] = []
