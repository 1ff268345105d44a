"""The election's event log in the database, beside the bulletin board.

Appends take the database's write lock (:func:`~suffrage.storage.database.writing`), replay
the stored log, ask the caller to build the next event from it (which may refuse: an action
out of order, a file already posted) and insert it, all in one transaction: two
administrators acting at once cannot both take the same step, and an event the caller
refused writes nothing. Events are stored as their canonical JSON, with their hash.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from suffrage.errors import StorageError
from suffrage.protocol.event_log import Event, EventKind, LifeLog, event_hash, log_start
from suffrage.record.canonical import canonical_bytes, parse_canonical
from suffrage.record.events import event_from_json, event_to_json
from suffrage.storage.database import open_engine, reason_of, writing

__all__ = ["EventLog", "events_table", "metadata", "replay"]

metadata = MetaData()
events_table = Table(
    "event_log",
    metadata,
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("hash", LargeBinary(64), nullable=False, unique=True),
    Column("document", LargeBinary, nullable=False),
)

Build = Callable[[LifeLog], tuple[EventKind, str, Mapping[str, Any]]]
"""Given the replayed log, the next event's kind, actor and body (or an exception)."""


class EventLog:
    """The append-only, hash-chained log of one election's administrative actions."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = open_engine(url)
        self._appending = threading.Lock()
        try:
            with writing(self.engine, self._appending) as conn:
                metadata.create_all(conn)
        except SQLAlchemyError as exc:
            raise StorageError(f"the event log could not be opened: {reason_of(exc)}") from None

    def close(self) -> None:
        self.engine.dispose()

    def append(self, at: str, build: Build, *, election_id: str | None = None) -> Event:
        """Append the event ``build`` makes from the replayed log, taken at ``at``; the
        first event (``drafted``) needs ``election_id`` for the chain's start."""
        try:
            with writing(self.engine, self._appending) as conn:
                life = replay(conn)
                kind, actor, body = build(life)
                life.check(kind, body)
                if life.size == 0:
                    if election_id is None:
                        raise ValueError("the first event needs the election id")
                    previous = log_start(election_id)
                else:
                    previous = life.head
                sequence = life.size + 1
                event = Event(
                    sequence=sequence,
                    kind=kind,
                    at=at,
                    actor=actor,
                    body=dict(body),
                    previous=previous,
                    hash=event_hash(
                        previous=previous,
                        sequence=sequence,
                        kind=kind.value,
                        at=at,
                        actor=actor,
                        body=body,
                    ),
                )
                # Decoding what is about to be stored refuses a body that is not canonical.
                document = canonical_bytes(event_to_json(event))
                event_from_json(parse_canonical(document, field="event"), "event")
                conn.execute(
                    events_table.insert().values(
                        sequence=sequence, kind=kind.value, hash=event.hash, document=document
                    )
                )
        except SQLAlchemyError as exc:
            raise StorageError(f"the event log could not be written: {reason_of(exc)}") from None
        return event

    def events(self, after: int = 0, limit: int | None = None) -> list[Event]:
        """The events after sequence ``after``, in order."""
        query = (
            select(events_table.c.sequence, events_table.c.document)
            .where(events_table.c.sequence > after)
            .order_by(events_table.c.sequence)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [_decode(row.sequence, row.document) for row in rows]

    def life(self) -> LifeLog:
        """The log replayed: the election's state and what its events established."""
        with self.engine.connect() as conn:
            return replay(conn)


def _decode(sequence: int, document: bytes) -> Event:
    where = f"event {sequence}"
    return event_from_json(parse_canonical(document, field=where), where)


def replay(conn: Connection) -> LifeLog:
    life = LifeLog()
    rows = conn.execute(
        select(events_table.c.sequence, events_table.c.document).order_by(events_table.c.sequence)
    )
    for row in rows:
        life.apply(_decode(row.sequence, row.document))
    return life
