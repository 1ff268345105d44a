"""A fresh registry database per test, on SQLite and on PostgreSQL (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistance.kit import World, world
from suffrage.cli.main import app

FOCAL = "correct horse battery staple"
"""The password of the CLI tests' first user, "Focal Point"."""


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


@pytest.fixture
def run(registry_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """``suffrage assist`` on a fresh registry whose first user is "Focal Point": call it
    with the command's arguments, ``user`` (None: no sign-in) and the exit ``code`` expected;
    it returns the output."""
    for name in ("SUFFRAGE_ASSIST_PASSWORD", "SUFFRAGE_ASSIST_TOKEN", "SUFFRAGE_ASSIST_USER"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "pw").write_text(FOCAL + "\n")
    runner = CliRunner()

    def go(*args: str, user: str | None = "Focal Point", code: int = 0) -> str:
        who = ["--user", user, "--password-file", str(tmp_path / "pw")] if user else []
        result = runner.invoke(app, ["assist", "--db", registry_url, *who, *args])
        assert result.exit_code == code, (args, result.output)
        return result.output

    go("init", "--name", "Focal Point", "--password-file", str(tmp_path / "pw"), user=None)
    return go
