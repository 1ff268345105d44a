"""The bulletin board and event log over SQLAlchemy Core (SQLite or PostgreSQL).

Nothing is exported at the package level: import the module that holds what you need.
"""

from __future__ import annotations

__all__: list[str] = []
