"""Pure election logic: manifest, context, credentials, ballots, ceremony, tally, results.

Nothing is exported at the package level: import the module that holds what you need.
"""

from __future__ import annotations

__all__: list[str] = []
