"""Fixtures of the registry's page tests (tests/web/test_assist_*.py): the demo registry on
SQLite and on a real PostgreSQL, and a client on its pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistance.kit import demo_registry  # tests/ is on sys.path
from suffrage.assistance.service import Registry
from web.assist_kit import PASSWORD, assist_client


@pytest.fixture(params=["sqlite", "postgresql"])
def registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registry]:
    """The demo registry (``suffrage assist demo``), its users' password PASSWORD."""
    made = demo_registry(request, tmp_path_factory, PASSWORD)
    yield made
    made.store.close()


@pytest.fixture
def client(registry: Registry) -> Iterator[TestClient]:
    with assist_client(registry) as made:
        yield made
