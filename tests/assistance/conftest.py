"""A fresh registry database per test, on SQLite and on PostgreSQL (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistance.kit import World, world


@pytest.fixture(params=["sqlite", "postgresql"])
def registry_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('assist') / 'assistance.db'}"
    server = request.getfixturevalue("postgres")
    return str(server.new_database())


@pytest.fixture
def w(registry_url: str) -> Iterator[World]:
    """A registry with one user of each role, closed after the test."""
    made = world(registry_url)
    yield made
    made.registry.store.close()
