"""The election record: canonical JSON, strict reading, atomic writing, the archive.

Nothing is exported at the package level: import the module that holds what you need.
"""

from __future__ import annotations

__all__: list[str] = []
