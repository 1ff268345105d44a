"""Use cases and their transaction boundaries (elections, guardians, the server's steps).

Nothing is exported at the package level: import the module that holds what you need.
"""

from __future__ import annotations

__all__: list[str] = []
