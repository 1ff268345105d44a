"""Fixtures shared across the test tree: a real PostgreSQL server, started once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.postgres import PostgresServer, postgres_server  # tests/ is on sys.path


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def board_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh, empty board database: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('board') / 'board.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()
