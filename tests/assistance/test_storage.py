"""Opening the registry's database (spec/assistance.md#7), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from suffrage.assistance.storage import Store
from suffrage.errors import NotFound


def test_only_create_makes_a_registry(registry_url: str) -> None:
    with pytest.raises(NotFound, match="no assistance registry"):
        Store(registry_url, create=False)
    Store(registry_url).close()  # creates the tables and triggers
    Store(registry_url).close()  # again: nothing to add, nothing refused
    Store(registry_url, create=False).close()
