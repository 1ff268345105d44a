"""The database both the bulletin board and the event log live in (SQLAlchemy Core).

SQLite (WAL, ``synchronous=FULL``) by default, PostgreSQL in production. Writers are
serialised: on SQLite a ``BEGIN IMMEDIATE`` transaction (the write lock is taken before
anything is read), with the threads of one process queueing on a mutex and the processes
(uvicorn's workers, the CLI) on an advisory file lock (``flock``) beside the database, so
that a writer waits in the kernel and wakes as soon as the lock is free, rather than in
SQLite's busy handler, which sleeps up to 100 ms between tries; on PostgreSQL a
transaction-level advisory lock.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

__all__ = ["LOCK_KEY", "SQLITE_BUSY_SECONDS", "open_engine", "reason_of", "writing"]

LOCK_KEY = 0x5375_6672_6167_65
"""The PostgreSQL advisory lock that serialises appends ("Suffrage" in ASCII, 7 bytes)."""
SQLITE_BUSY_SECONDS = 60
"""How long an append waits for SQLite's write lock before it fails."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    _wal(cursor)
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _wal(cursor: Any) -> None:
    """Switch to WAL. On a fresh file another process may hold the lock this needs, and SQLite
    answers SQLITE_BUSY at once rather than waiting: try again for a while."""
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = getattr(exc, "sqlite_errorcode", None) in (
                sqlite3.SQLITE_BUSY,
                sqlite3.SQLITE_LOCKED,
            )
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def open_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # The driver opens no transaction of its own (isolation_level=None, which is what
        # AUTOCOMMIT sets); appends open theirs with BEGIN IMMEDIATE (_writing).
        engine = create_engine(
            url, isolation_level="AUTOCOMMIT", connect_args={"timeout": SQLITE_BUSY_SECONDS}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No ping before each use (a round trip per transaction): a connection the server
    # dropped fails once (StorageError, 503: the client sends again) and is replaced.
    # No server-side prepared statements: psycopg prepares a statement after five uses, and
    # PostgreSQL's generic plan for it, made while the board was small, went on reading
    # every row of board_ciphertexts for the copy check (a sequential scan, not the index)
    # as the board grew; planned each time, the statement uses the index (0.15 ms to plan).
    psycopg = make_url(url).get_driver_name() == "psycopg"
    options = {"prepare_threshold": None} if psycopg else {}
    return create_engine(url, pool_recycle=3600, connect_args=options)


@contextmanager
def writing(engine: Engine, mutex: threading.Lock) -> Iterator[Connection]:
    """A transaction holding the database's write lock (see the module docstring)."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            yield conn
        return
    # Threads of this process queue on a mutex and processes on the file lock, rather than
    # on SQLite's busy handler, which sleeps and retries.
    with mutex, _file_lock(engine.url.database), engine.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.exec_driver_sql("ROLLBACK")
            raise
        conn.exec_driver_sql("COMMIT")


@contextmanager
def _file_lock(database: str | None) -> Iterator[None]:
    """Hold the writers' lock of an SQLite file (``<file>-writer``; none in memory). A file
    of its own: closing a descriptor of the database itself would drop SQLite's own locks."""
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    descriptor = os.open(f"{database}-writer", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def reason_of(exc: SQLAlchemyError) -> str:
    """A database error in one line, without the statement and parameters SQLAlchemy adds."""
    original = getattr(exc, "orig", None)
    return " ".join(str(original if original is not None else exc).split())[:300]
