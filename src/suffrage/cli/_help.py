"""How ``--help`` shows options: a name for each value (``--manifest FILE``), none for flags.

Typer prints a type tag after every option (``<path>``, ``<bool>``, ``<int>``), which tells an
official nothing a flag's name does not: a flag shows no tag, and an option shows its
``metavar`` (set where a better word than its name exists) or its name in capitals.
"""

from __future__ import annotations

from typing import Any

from typer import core

__all__ = ["plain_option_names"]


def _display(self: core.TyperOption, ctx: Any) -> str | None:
    del ctx
    if self.is_flag or self.count:
        return None
    name = self.metavar or (self.name or "value").upper()
    return f"{name}..." if self.multiple or self.nargs != 1 else name


def plain_option_names() -> None:
    """Make every option of every command show its value's name instead of a type tag."""
    core.TyperOption.display_type_rich = _display  # type: ignore[method-assign]
    core.TyperArgument.display_type_rich = _no_type  # type: ignore[method-assign,assignment]


def _no_type(self: core.TyperArgument, ctx: Any) -> str | None:
    del self, ctx
    return None
