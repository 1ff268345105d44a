"""The bulletin board on SQLAlchemy Core: SQLite (WAL) by default, PostgreSQL in production.

A ballot is checked (V7 to V10, V18, and V13 for a spoiled one) before anything is written,
then appended with its tracking code in one transaction; it is acknowledged only once that
transaction has committed. A refusal writes nothing, so nothing already accepted is lost or
altered by it.

Appends are serialised, so that processes casting at once on one board never compute the
same sequence number: on SQLite each append is a ``BEGIN IMMEDIATE`` transaction (the
database's write lock is taken before the last entry is read); on PostgreSQL it takes a
transaction-level advisory lock. Creating the tables happens under the same lock, so that
several processes may open a fresh board at once. Each refusal is its own exception type:
a ballot already on the board is :class:`DuplicateBallot` (found by its id under the lock,
never by parsing a database error).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    bindparam,
    exists,
    func,
    select,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.selectable import Exists

from suffrage.core.randomness import OsRandom, RandomSource
from suffrage.errors import (
    CopiedBallot,
    CredentialNotListed,
    DuplicateBallot,
    IneligibleBallot,
    InvalidBallot,
    InvalidInput,
    StorageError,
    VerificationFailed,
)
from suffrage.protocol.ballot import BallotSecrets, EncryptedBallot, contest_ciphertexts
from suffrage.protocol.ballot_check import check_ballot, check_spoiled_ballot
from suffrage.protocol.board import (
    BoardEntry,
    EntryState,
    chain_start,
    tracking_code,
    window_problem,
)
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.event_log import EventKind
from suffrage.record.canonical import canonical_bytes, parse_canonical
from suffrage.record.codec import entry_from_json, entry_to_json
from suffrage.storage.database import open_engine, reason_of, writing
from suffrage.storage.event_log import events_table, replay
from suffrage.storage.event_log import metadata as events_metadata

__all__ = ["BulletinBoard", "StoredEntry"]

metadata = MetaData()
entries_table = Table(
    "board_entries",
    metadata,
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("ballot_id", String(32), nullable=False, unique=True),
    Column("state", String(8), nullable=False),
    Column("tracking_code", LargeBinary(64), nullable=False, unique=True),
    Column("short_code", LargeBinary(10), nullable=False, index=True),
    Column("credential", LargeBinary(32), nullable=False, index=True),
    Column("document", LargeBinary, nullable=False),
)
ciphertexts_table = Table(
    "board_ciphertexts",
    metadata,
    Column("alpha", LargeBinary(32), primary_key=True),
    Column("sequence", Integer, nullable=False),
)
"""Every selection or rank ciphertext's ``alpha`` on the board: a ballot reusing one is a
copy."""


class BulletinBoard:
    """An append-only board of checked ballots for one election."""

    def __init__(
        self, context: ElectionContext, url: str = "sqlite://", *, rng: RandomSource | None = None
    ) -> None:
        self.context = context
        self.rng: RandomSource = rng if rng is not None else OsRandom()
        self.engine: Engine = open_engine(url)
        self._appending = threading.Lock()
        try:
            with self._writing() as conn:
                metadata.create_all(conn)
                events_metadata.create_all(conn)
        except SQLAlchemyError as exc:
            raise StorageError(f"the board could not be opened: {reason_of(exc)}") from None

    def close(self) -> None:
        """Close the board's database connections (the board can still be opened again)."""
        self.engine.dispose()

    def __enter__(self) -> BulletinBoard:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _writing(self) -> AbstractContextManager[Connection]:
        """A transaction holding the board's write lock (see the module docstring)."""
        return writing(self.engine, self._appending)

    def cast(
        self, ballot: EncryptedBallot, *, at: datetime, reveal: BallotSecrets | None = None
    ) -> BoardEntry:
        """Check and append a ballot received at ``at``: cast, or spoiled when ``reveal`` is
        given. A ballot outside the manifest's voting window is refused (spec #14)."""
        problem = window_problem(self.context.manifest, at)
        if problem is not None:
            raise InvalidBallot("voting window", problem)
        digest = _check(self.context, ballot, reveal, self.rng)
        state = EntryState.SPOILED if reveal is not None else EntryState.CAST
        try:
            with self._writing() as conn:
                entry = self._append(conn, ballot, state, reveal, digest)
        except SQLAlchemyError as exc:
            raise StorageError(f"the board could not store the ballot: {reason_of(exc)}") from None
        return entry

    def _append(
        self,
        conn: Connection,
        ballot: EncryptedBallot,
        state: EntryState,
        reveal: BallotSecrets | None,
        digest: bytes,
    ) -> BoardEntry:
        """Append under the write lock: refuse a ballot already on the board, chain the rest."""
        alphas = [ct.alpha.to_bytes() for c in ballot.contests for ct in contest_ciphertexts(c)]
        facts = _facts(conn, ballot.ballot_id, alphas)
        if facts.closed:
            raise InvalidInput("election", "voting is closed: the officials closed it")
        if facts.drafted and not facts.opened:
            raise replay(conn).refuse("casting a ballot")
        if facts.taken is not None:
            raise DuplicateBallot(
                "ballot_id",
                f"ballot {ballot.ballot_id} is already on the board (entry {facts.taken})",
            )
        if facts.copied is not None:
            raise CopiedBallot(
                "ballot",
                f"it reuses a ciphertext of entry {facts.copied}: a copied ballot is refused",
            )
        sequence = 1 if facts.last is None else facts.last + 1
        previous = chain_start(self.context) if facts.head is None else facts.head
        code = tracking_code(
            self.context,
            previous=previous,
            sequence=sequence,
            state=state,
            ballot=ballot,
            digest=digest,
        )
        entry = BoardEntry(
            sequence=sequence, state=state, ballot=ballot, tracking_code=code, reveal=reveal
        )
        conn.execute(
            _INSERT_ENTRY,
            {
                "sequence": sequence,
                "ballot_id": ballot.ballot_id,
                "state": state.value,
                "tracking_code": code,
                "short_code": code[:10],
                "credential": ballot.credential.to_bytes(),
                "document": canonical_bytes(entry_to_json(entry)),
            },
        )
        conn.execute(_INSERT_CIPHERTEXTS, [{"alpha": a, "sequence": sequence} for a in set(alphas)])
        return entry

    def entries(self) -> Iterator[BoardEntry]:
        """Every entry in board order, streamed."""
        with self.engine.connect() as conn:
            rows = conn.execution_options(stream_results=True).execute(
                select(entries_table.c.sequence, entries_table.c.document).order_by(
                    entries_table.c.sequence
                )
            )
            for row in rows:
                yield _decode(row.sequence, row.document)

    def page(self, after: int = 0, limit: int = 100) -> list[BoardEntry]:
        """The entries after sequence ``after``, at most ``limit`` of them, in board order."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(entries_table.c.sequence, entries_table.c.document)
                .where(entries_table.c.sequence > after)
                .order_by(entries_table.c.sequence)
                .limit(limit)
            ).all()
        return [_decode(row.sequence, row.document) for row in rows]

    def find(
        self, *, code_prefix: bytes | None = None, ballot_id: str | None = None
    ) -> StoredEntry | None:
        """The entry whose tracking code starts with ``code_prefix`` (10 bytes or more), or
        whose ballot is ``ballot_id``; with the sequence of the later cast entry of the same
        credential that supersedes it, if any."""
        where = (
            entries_table.c.ballot_id == ballot_id
            if ballot_id is not None
            else entries_table.c.short_code == (code_prefix or b"")[:10]
        )
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    entries_table.c.sequence, entries_table.c.document, entries_table.c.credential
                )
                .where(where)
                .order_by(entries_table.c.sequence)
            ).all()
            row = next(
                (
                    r
                    for r in rows
                    if code_prefix is None
                    or _decode(r.sequence, r.document).tracking_code.startswith(code_prefix)
                ),
                None,
            )
            if row is None:
                return None
            later = conn.execute(
                select(func.max(entries_table.c.sequence)).where(
                    entries_table.c.credential == row.credential,
                    entries_table.c.state == EntryState.CAST.value,
                    entries_table.c.sequence > row.sequence,
                )
            ).scalar()
        return StoredEntry(entry=_decode(row.sequence, row.document), superseded_by=later)

    def last(self) -> tuple[int, bytes]:
        """The board's size and head, read together."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(entries_table.c.sequence, entries_table.c.tracking_code)
                .order_by(entries_table.c.sequence.desc())
                .limit(1)
            ).first()
        return (0, chain_start(self.context)) if row is None else (row.sequence, row.tracking_code)

    def head(self) -> bytes:
        """The tracking code of the last entry (the chain start on an empty board)."""
        with self.engine.connect() as conn:
            code = conn.execute(
                select(entries_table.c.tracking_code)
                .order_by(entries_table.c.sequence.desc())
                .limit(1)
            ).scalar()
        return code if code is not None else chain_start(self.context)

    def __len__(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(entries_table)).scalar_one())


def _decode(sequence: int, document: bytes) -> BoardEntry:
    where = f"board entry {sequence}"
    return entry_from_json(parse_canonical(document, field=where), where)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredEntry:
    """An entry found on the board, and the later cast entry of its credential, if any."""

    entry: BoardEntry
    superseded_by: int | None


def _check(
    context: ElectionContext,
    ballot: EncryptedBallot,
    reveal: BallotSecrets | None,
    rng: RandomSource,
) -> bytes:
    """The ballot's hash, once every check passed (refused with the board's errors)."""
    try:
        digest = check_ballot(context, ballot, rng=rng)
        if reveal is not None:
            check_spoiled_ballot(context, ballot, reveal)
    except CredentialNotListed as exc:
        raise IneligibleBallot(f"ballot ({exc.check})", exc.reason) from None
    except VerificationFailed as exc:
        error = IneligibleBallot if exc.check == "V18" else InvalidBallot
        raise error(f"ballot ({exc.check})", exc.reason) from None
    return digest


class _Facts(NamedTuple):
    drafted: bool
    opened: bool
    closed: bool
    taken: int | None
    copied: int | None
    last: int | None
    head: bytes | None


def _logged(kind: EventKind) -> Exists:
    return exists(select(events_table.c.sequence).where(events_table.c.kind == kind.value))


_LAST = select(func.max(entries_table.c.sequence)).scalar_subquery()
_FACTS = select(
    _logged(EventKind.DRAFTED).label("drafted"),
    _logged(EventKind.OPENED).label("opened"),
    _logged(EventKind.CLOSED).label("closed"),
    select(entries_table.c.sequence)
    .where(entries_table.c.ballot_id == bindparam("ballot_id"))
    .scalar_subquery()
    .label("taken"),
    select(func.min(ciphertexts_table.c.sequence))
    .where(ciphertexts_table.c.alpha.in_(bindparam("alphas", expanding=True)))
    .scalar_subquery()
    .label("copied"),
    _LAST.label("last"),
    select(entries_table.c.tracking_code)
    .where(entries_table.c.sequence == _LAST)
    .scalar_subquery()
    .label("head"),
)
"""What an append must know, read in one statement (one round trip to PostgreSQL) under the
write lock: whether the election's log holds its drafting, opening and closing (a board with
no log at all, used on its own, is always open), the entry already holding the ballot's id,
the entry holding one of its ciphertexts, and the last entry. Built once: only the
parameters change from one ballot to the next. No ``LIMIT``: PostgreSQL plans a prepared
statement once for any parameters, and with the limit a parameter it sorted the whole board
for the last entry; ``max`` and ``min`` read one end of an index whatever the plan."""
_INSERT_ENTRY = entries_table.insert()
_INSERT_CIPHERTEXTS = ciphertexts_table.insert()


def _facts(conn: Connection, ballot_id: str, alphas: list[bytes]) -> _Facts:
    row = conn.execute(_FACTS, {"ballot_id": ballot_id, "alphas": alphas}).one()
    return _Facts(*row)
