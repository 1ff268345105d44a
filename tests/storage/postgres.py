"""A real PostgreSQL server for the tests, started from Debian's package in a temporary
directory and listening on a Unix socket only.

PostgreSQL refuses to run as root: as root, the server's commands run as the ``postgres``
user (``runuser``); otherwise as the current user. ``make test`` installs the package where
it is missing; without it these tests fail and say so rather than pass unseen.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

__all__ = ["PostgresServer", "postgres_server"]


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise RuntimeError(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): `make test` "
            "installs Debian's postgresql package"
        )
    return found[-1].parent


class PostgresServer:
    """A running server; :meth:`new_database` gives each test a database of its own."""

    def __init__(self, socket_dir: Path) -> None:
        self.socket_dir = socket_dir
        self._numbers = itertools.count(1)

    def new_database(self) -> str:
        """A fresh, empty database; its SQLAlchemy URL."""
        name = f"board_{os.getpid()}_{next(self._numbers)}"
        with psycopg.connect(
            host=str(self.socket_dir), user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@/{name}?host={self.socket_dir}"


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a server in a temporary directory; stop it and remove everything afterwards."""
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="suffrage-pg-"))
    root.chmod(0o755)
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    as_owner: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]

    def run(*args: str) -> None:
        subprocess.run([*as_owner, *args], check=True, capture_output=True, timeout=120)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
            "--no-sync", "-E", "UTF8")  # fmt: skip
        options = f"-k {sockets} -c listen_addresses='' -F -c max_connections=200"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
            str(root / "log"), "start")  # fmt: skip
        try:
            yield PostgresServer(sockets)
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)
