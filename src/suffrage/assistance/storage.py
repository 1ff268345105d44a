"""The registry's database over SQLAlchemy Core (spec/assistance.md#7): SQLite (WAL) by
default, PostgreSQL accepted. Its own engine set-up: it shares nothing with the board.

The history and the access log are append-only: this module has no UPDATE or DELETE path
for them, and triggers in the database refuse both (and TRUNCATE on PostgreSQL). Writers
are serialised: ``BEGIN IMMEDIATE`` on SQLite (threads of one process queue on a mutex), a
transaction-level advisory lock on PostgreSQL, so that two appends cannot take the same
place in the chain.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import rfc8785
from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    inspect,
    make_url,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine, RowMapping
from sqlalchemy.exc import SQLAlchemyError

from suffrage.assistance.history import GENESIS, Entry, HistoryBroken, entry_hash
from suffrage.errors import NotFound, StorageError

__all__ = [
    "APPEND_ONLY",
    "LOCK_KEY",
    "Store",
    "access_log",
    "activities",
    "append_history",
    "check_bound_rows",
    "count",
    "digest_row",
    "experts",
    "history",
    "history_entries",
    "insert_row",
    "log_access",
    "metadata",
    "one",
    "open_engine",
    "requests",
    "rows",
    "sessions",
    "tokens",
    "update_request",
    "users",
]

LOCK_KEY = 0x4153_5349_5354
"""The PostgreSQL advisory lock that serialises the registry's writers ("ASSIST")."""

metadata = MetaData()
users = Table(
    "assist_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("role", String(40), nullable=False),
    Column("entity", String(40)),
    Column("state", String(3)),
    Column("password", Text),
    Column("created_at", String(40), nullable=False),
)
tokens = Table(
    "assist_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("assist_users.id"), nullable=False),
    Column("label", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
)
sessions = Table(
    "assist_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("assist_users.id"), nullable=False),
    Column("started_at", String(40), nullable=False),
    Column("ended_at", String(40)),
)
"""The pages' signed-in sessions (spec/assistance.md#12): the SHA-256 digest of each
session's secret, and when sign-out ended it; the one table whose rows change (``ended_at``
is set once), since a session is not a record of the registry's work."""
requests = Table(
    "assist_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(40), nullable=False, unique=True),
    Column("authority", String(40), nullable=False),
    Column("country", String(3), nullable=False, index=True),
    Column("mandate", Text, nullable=False),
    Column("received_on", String(10), nullable=False),
    Column("elections", Text, nullable=False),  # JSON arrays of strings
    Column("kinds", Text, nullable=False),
    Column("documents", Text, nullable=False),
    Column("state", String(40), nullable=False),
    Column("phase", String(40)),
    Column("plan", Text),  # JSON objects, once recorded
    Column("assessment", Text),
    Column("decision", Text),
    Column("final_report", Text),
    Column("updated_at", String(40), nullable=False),
)
activities = Table(
    "assist_activities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", Integer, ForeignKey("assist_requests.id")),
    Column("entity", String(40), nullable=False),
    Column("country", String(3), nullable=False, index=True),
    Column("phase", String(40), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("starts", String(10), nullable=False),
    Column("ends", String(10), nullable=False),
    Column("title", Text, nullable=False),
    Column("recorded_by", String(200), nullable=False),
)
experts = Table(
    "assist_experts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("skills", Text, nullable=False),  # JSON arrays
    Column("languages", Text, nullable=False),
    Column("regions", Text, nullable=False),
    Column("availability", Text, nullable=False),  # JSON [[start, end], ...]
    Column("joined_on", String(10), nullable=False),
    Column("gender", String(100)),
    Column("disability", String(100)),
)
history = Table(
    "assist_history",
    metadata,
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(60), nullable=False),
    Column("subject", String(60), nullable=False),
    Column("details", Text, nullable=False),
    Column("previous", LargeBinary(32), nullable=False),
    Column("hash", LargeBinary(32), nullable=False, unique=True),
)
access_log = Table(
    "assist_access_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("expert_id", Integer, ForeignKey("assist_experts.id"), nullable=False),
    Column("what", Text, nullable=False),
)

APPEND_ONLY = (
    history.name,
    access_log.name,
    "assist_reports",
    "assist_token_revocations",
    "assist_suspensions",
)
"""Tables with no UPDATE or DELETE path; ``assist_reports`` (published status reports) is
defined in :mod:`~suffrage.assistance.status_tables`, the revocations and suspensions in
:mod:`~suffrage.assistance.access_tables`, both imported at the end of this module."""

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION assist_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END $$"""


def _triggers(dialect: str) -> list[str]:
    if dialect == "postgresql":
        statements = [_PG_FUNCTION]
        for table in APPEND_ONLY:
            statements += [
                f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON "
                f"{table} FOR EACH ROW EXECUTE FUNCTION assist_append_only()",
                f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION assist_append_only()",
            ]
        return statements
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
        for table in APPEND_ONLY
        for op in ("UPDATE", "DELETE")
    ]


def _extensions() -> list[Callable[[Connection, str], None]]:
    """The registry's modules that define tables of their own on ``metadata``, imported
    here so that ``create_all`` makes them; each one's DDL that ``create_all`` cannot make
    (full-text indexes, triggers), run after it."""
    from suffrage.assistance import memory_storage

    return [memory_storage.create_search]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_engine(url: str) -> Engine:
    """SQLite (WAL, synchronous=FULL, foreign keys on) or PostgreSQL (psycopg)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, isolation_level="AUTOCOMMIT", connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_recycle=3600)


def _exists(url: str) -> None:
    """Refuse an SQLite file that is not there (opening it would create it)."""
    parsed = make_url(url)
    database = parsed.database or ""
    in_file = parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")
    if in_file and not Path(database).is_file():
        raise NotFound(f"no assistance registry at {database}: `suffrage assist init`")


def _reason(exc: SQLAlchemyError | sqlite3.Error) -> str:
    original = getattr(exc, "orig", None)
    return " ".join(str(original if original is not None else exc).split())[:300]


class Store:
    """The registry's tables, and transactions over them. Opening creates what is missing."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        """Open the registry at ``url``; with ``create``, make its tables and triggers where
        they are missing, else refuse a database that holds no registry (NotFound)."""
        if not create:
            _exists(url)
        self.url = url
        self.engine = open_engine(url)
        self._mutex = threading.Lock()
        try:
            with self.writing() as conn:
                if not create and not inspect(conn).has_table(history.name):
                    raise NotFound(f"no assistance registry in {url}: `suffrage assist init`")
                extensions = _extensions()
                metadata.create_all(conn)
                for statement in _triggers(self.engine.dialect.name):
                    conn.execute(text(statement))
                for extend in extensions:
                    extend(conn, self.engine.dialect.name)
        except BaseException:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction holding the write lock; a database error becomes StorageError."""
        try:
            with self._transaction() as conn:
                yield conn
        except (SQLAlchemyError, sqlite3.Error) as exc:
            raise StorageError(f"the assistance registry refused: {_reason(exc)}") from None

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        if self.engine.dialect.name != "sqlite":
            with self.engine.begin() as conn:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
                yield conn
            return
        with self._mutex, self.engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")


# -- rows ------------------------------------------------------------------------------


def insert_row(conn: Connection, table: Table, values: Mapping[str, Any]) -> int:
    """Insert one row of a table that is not append-only; its new id."""
    result = conn.execute(insert(table).returning(table.c.id), dict(values))
    return int(result.scalar_one())


def update_request(conn: Connection, request_id: int, values: Mapping[str, Any]) -> None:
    conn.execute(update(requests).where(requests.c.id == request_id).values(**values))


def one(conn: Connection, table: Table, **where: Any) -> RowMapping | None:
    query = select(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    return conn.execute(query).mappings().first()


def rows(conn: Connection, table: Table, order: str = "id", **where: Any) -> list[RowMapping]:
    query = select(table).order_by(table.c[order])
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    return list(conn.execute(query).mappings())


def count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


# -- the history and the access log (insert only) ----------------------------------------


def _entry(row: RowMapping) -> Entry:
    return Entry(
        sequence=row["sequence"],
        at=row["at"],
        actor=row["actor"],
        action=row["action"],
        subject=row["subject"],
        details=json.loads(row["details"]),
        previous=bytes(row["previous"]),
        hash=bytes(row["hash"]),
    )


def append_history(
    conn: Connection, *, at: str, actor: str, action: str, subject: str, details: Mapping[str, Any]
) -> Entry:
    """Chain a new entry to the last one and insert it (inside the caller's transaction)."""
    last = conn.execute(
        select(history.c.sequence, history.c.hash).order_by(history.c.sequence.desc()).limit(1)
    ).first()
    sequence, previous = (1, GENESIS) if last is None else (last[0] + 1, bytes(last[1]))
    digest = row_digest(conn, subject)
    if digest is not None:  # bind the row as this change left it (spec/assistance.md#5)
        details = {**details, "row": digest}
    entry = Entry(
        sequence=sequence,
        at=at,
        actor=actor,
        action=action,
        subject=subject,
        details=dict(details),
        previous=previous,
    )
    hashed = Entry(**{**_fields(entry), "hash": entry_hash(entry)})
    conn.execute(insert(history), {**_fields(hashed), "details": json.dumps(hashed.details)})
    return hashed


def _subject_row(subject: str) -> tuple[Table, Any] | None:
    """The table and row a history subject names: a request reference, ``user:N``,
    ``activity:N`` or ``expert:N``; ``None`` for a subject that names no row of these."""
    kind, _, number = subject.partition(":")
    tables = {"user": users, "activity": activities, "expert": experts}
    if not number:
        return requests, requests.c.reference == subject
    if kind in tables and number.isdigit():
        table = tables[kind]
        return table, table.c.id == int(number)
    return None


def digest_row(row: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the RFC 8785 JSON of a row, every column by name, bytes as hex: what
    an entry binds (spec/assistance.md#5)."""
    plain = {k: v.hex() if isinstance(v, bytes) else v for k, v in row.items()}
    return hashlib.sha256(rfc8785.dumps(plain)).hexdigest()


def check_bound_rows(
    conn: Connection,
    table: Table,
    bound: Mapping[int, tuple[Entry, str]],
    noun: str,
    after: int,
) -> None:
    """Raise :class:`HistoryBroken` when a row an entry bound (``bound``: row id -> the entry
    and the digest it recorded) is gone or changed, or when ``table`` holds a row no entry
    bound (named at ``after``, the entry after the last)."""
    found = {int(r["id"]): dict(r) for r in conn.execute(select(table)).mappings()}
    for number, (entry, digest) in sorted(bound.items()):
        if number not in found or digest_row(found[number]) != digest:
            raise HistoryBroken(
                entry.sequence,
                f"{noun} {number} is not the row this entry recorded (changed outside the "
                "registry, or removed)",
            )
    for number in sorted(set(found) - set(bound)):
        raise HistoryBroken(after, f"{noun} {number} has no history entry (added outside)")


def row_digest(conn: Connection, subject: str) -> str | None:
    """SHA-256 (hex) of the RFC 8785 JSON of the row ``subject`` names, every column by
    name; ``None`` when the subject names no row."""
    found = _subject_row(subject)
    if found is None:
        return None
    table, where = found
    row = conn.execute(select(table).where(where)).mappings().first()
    return None if row is None else digest_row(dict(row))


def check_rows(conn: Connection, entries: list[Entry]) -> None:
    """Raise :class:`HistoryBroken` when a request, user, activity or expert row is not the
    row its latest history entry bound, or when a row has no history entry at all: an edit
    or an insertion made outside the registry (spec/assistance.md#5)."""
    latest: dict[str, Entry] = {}
    for entry in entries:
        if "row" in entry.details:
            latest[entry.subject] = entry
    for subject, entry in latest.items():
        if row_digest(conn, subject) != entry.details["row"]:
            raise HistoryBroken(
                entry.sequence,
                f"{subject} is no longer the row this entry recorded (changed outside the "
                "registry, or removed)",
            )
    for table, name in ((requests, None), (users, "user"), (activities, "activity"),
                        (experts, "expert")):  # fmt: skip
        for row in conn.execute(select(table)).mappings():
            subject = row["reference"] if name is None else f"{name}:{row['id']}"
            if subject not in latest:
                raise HistoryBroken(
                    len(entries) + 1, f"{subject} has no history entry (added outside the registry)"
                )


def _fields(entry: Entry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in Entry.__slots__}


def history_entries(conn: Connection) -> Iterator[Entry]:
    for row in conn.execute(select(history).order_by(history.c.sequence)).mappings():
        yield _entry(row)


def log_access(conn: Connection, *, at: str, actor: str, expert_ids: list[int], what: str) -> None:
    """Record that ``actor`` read these experts' personal data, and why (what was asked)."""
    if expert_ids:
        conn.execute(
            insert(access_log),
            [{"at": at, "actor": actor, "expert_id": i, "what": what} for i in expert_ids],
        )


# Tables defined beside their use cases, on this module's metadata (spec/assistance.md#11.4,
# #6.1).
from suffrage.assistance import access_tables as _access_tables  # noqa: E402, F401
from suffrage.assistance import status_tables as _status_tables  # noqa: E402, F401
