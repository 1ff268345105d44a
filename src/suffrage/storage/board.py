"""The bulletin board on SQLAlchemy Core: SQLite (WAL) by default, PostgreSQL in production.

A ballot is checked (V7 to V10, and V13 for a spoiled one) before anything is written, then
appended with its tracking code in one transaction; it is acknowledged only once that
transaction has committed. A refusal writes nothing, so nothing already accepted is lost or
altered by it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from suffrage.core.randomness import OsRandom, RandomSource
from suffrage.errors import (
    DuplicateBallot,
    IneligibleBallot,
    InvalidBallot,
    StorageError,
    VerificationFailed,
)
from suffrage.protocol.ballot import BallotSecrets, EncryptedBallot
from suffrage.protocol.ballot_check import check_ballot, check_spoiled_ballot
from suffrage.protocol.board import (
    BoardEntry,
    EntryState,
    chain_start,
    tracking_code,
    window_problem,
)
from suffrage.protocol.context import ElectionContext
from suffrage.record.canonical import canonical_bytes, parse_canonical
from suffrage.record.codec import entry_from_json, entry_to_json

__all__ = ["BulletinBoard"]

metadata = MetaData()
entries_table = Table(
    "board_entries",
    metadata,
    Column("sequence", Integer, primary_key=True, autoincrement=False),
    Column("ballot_id", String(32), nullable=False, unique=True),
    Column("state", String(8), nullable=False),
    Column("tracking_code", LargeBinary(64), nullable=False, unique=True),
    Column("document", LargeBinary, nullable=False),
)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


class BulletinBoard:
    """An append-only board of checked ballots for one election."""

    def __init__(
        self, context: ElectionContext, url: str = "sqlite://", *, rng: RandomSource | None = None
    ) -> None:
        self.context = context
        self.rng: RandomSource = rng if rng is not None else OsRandom()
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def cast(
        self, ballot: EncryptedBallot, *, at: datetime, reveal: BallotSecrets | None = None
    ) -> BoardEntry:
        """Check and append a ballot received at ``at``: cast, or spoiled when ``reveal`` is
        given. A ballot outside the manifest's voting window is refused (spec #14)."""
        problem = window_problem(self.context.manifest, at)
        if problem is not None:
            raise InvalidBallot("voting window", problem)
        _check(self.context, ballot, reveal, self.rng)
        state = EntryState.SPOILED if reveal is not None else EntryState.CAST
        try:
            with self.engine.begin() as conn:
                last = conn.execute(
                    select(entries_table.c.sequence, entries_table.c.tracking_code)
                    .order_by(entries_table.c.sequence.desc())
                    .limit(1)
                ).first()
                sequence = 1 if last is None else last.sequence + 1
                previous = chain_start(self.context) if last is None else last.tracking_code
                code = tracking_code(
                    self.context, previous=previous, sequence=sequence, state=state, ballot=ballot
                )
                entry = BoardEntry(
                    sequence=sequence, state=state, ballot=ballot, tracking_code=code, reveal=reveal
                )
                conn.execute(
                    entries_table.insert().values(
                        sequence=sequence,
                        ballot_id=ballot.ballot_id,
                        state=state.value,
                        tracking_code=code,
                        document=canonical_bytes(entry_to_json(entry)),
                    )
                )
        except IntegrityError:
            raise DuplicateBallot(
                "ballot_id", f"ballot {ballot.ballot_id} is already on the board"
            ) from None
        except SQLAlchemyError as exc:
            raise StorageError(f"the board could not store the ballot: {exc}") from None
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
                where = f"board entry {row.sequence}"
                yield entry_from_json(parse_canonical(row.document, field=where), where)

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


def _check(
    context: ElectionContext,
    ballot: EncryptedBallot,
    reveal: BallotSecrets | None,
    rng: RandomSource,
) -> None:
    try:
        check_ballot(context, ballot, rng=rng)
        if reveal is not None:
            check_spoiled_ballot(context, ballot, reveal)
    except VerificationFailed as exc:
        error = (
            IneligibleBallot
            if exc.check == "V8" and "not on the list" in exc.reason
            else InvalidBallot
        )
        if exc.check == "V18":
            error = IneligibleBallot
        raise error(f"ballot ({exc.check})", exc.reason) from None
