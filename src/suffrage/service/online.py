"""An election online: what the election server does for voters and observers.

:class:`OnlineElection` holds an election directory (made by ``suffrage election create``)
and its bulletin board (SQLite in the directory, or the database given). It casts a ballot
posted by a voter's device (decoded strictly, checked completely, acknowledged only after
the commit; the same ballot posted again is acknowledged again, identically), and answers
the public's questions: the board page by page, one entry by its tracking code, the head.
The clock is passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from suffrage.core.randomness import OsRandom, RandomSource
from suffrage.errors import DuplicateBallot, InvalidInput, NotFound, RateLimited
from suffrage.protocol.board import BoardEntry, EntryState, SignedHead, display_code, sign_head
from suffrage.protocol.context import ElectionContext
from suffrage.record.canonical import parse_strict
from suffrage.record.codec import ballot_from_json, reveal_from_json, signed_head_to_json
from suffrage.record.fields import expect_object
from suffrage.service import election_files as efiles
from suffrage.storage.board import BulletinBoard, StoredEntry

__all__ = ["Acknowledgement", "OnlineElection", "parse_tracking_code"]

MAX_BALLOT_BYTES = 256 * 1024
"""The largest ballot a client may post (a ballot of 100 selections is about 60 KiB)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Acknowledgement:
    """What a voter's device is told once its ballot is committed to the board."""

    sequence: int
    state: EntryState
    tracking_code: bytes
    signed_head: SignedHead
    repeated: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "sequence": self.sequence,
            "state": self.state.value,
            "tracking_code": self.tracking_code.hex(),
            "display_code": display_code(self.tracking_code),
            "signed_head": signed_head_to_json(self.signed_head),
            "repeated": self.repeated,
        }


def parse_tracking_code(text: str) -> bytes:
    """A tracking code as a voter types it: its display form (20 hex digits, in groups) or
    the whole code (128); dashes, spaces and case do not matter."""
    digits = "".join(c for c in text if c not in "- ").lower()
    if len(digits) not in (20, 128) or any(c not in "0123456789abcdef" for c in digits):
        raise InvalidInput(
            "tracking code", "expected 20 hex digits (XXXX-XXXX-XXXX-XXXX-XXXX) or 128"
        )
    return bytes.fromhex(digits)


class OnlineElection:
    """One election served online (see the module docstring)."""

    def __init__(
        self,
        election: Path,
        *,
        database: str | None = None,
        clock: Callable[[], datetime],
        rng: RandomSource | None = None,
    ) -> None:
        self.directory = election
        self.context: ElectionContext = efiles.read_context(election)
        url = efiles.database_url(election, database)
        self.rng: RandomSource = rng or OsRandom()
        self.board = BulletinBoard(self.context, url, rng=self.rng)
        self.board_secret = efiles.read_board_key(election, self.context)
        self.clock = clock

    def close(self) -> None:
        self.board.close()

    def cast(self, body: bytes, *, admit: Callable[[bytes], bool] | None = None) -> Acknowledgement:
        """Decode ``{"ballot": ..., "reveal": ...}`` strictly and cast it (spoiled with a
        reveal); the identical ballot posted again gets the same acknowledgement.
        ``admit`` is asked, with the ballot's credential key, before the ballot is checked
        (a rate limit): ``False`` refuses it with :class:`RateLimited`."""
        if len(body) > MAX_BALLOT_BYTES:
            raise InvalidInput("body", f"larger than {MAX_BALLOT_BYTES} bytes")
        o = expect_object(parse_strict(body, field="body"), "body", ["ballot"], ("reveal",))
        ballot = ballot_from_json(o["ballot"], "ballot")
        if admit is not None and not admit(ballot.credential.to_bytes()):
            raise RateLimited("too many ballots for this credential: try again later")
        reveal = reveal_from_json(o["reveal"], "reveal") if "reveal" in o else None
        try:
            entry = self.board.cast(ballot, at=self.clock(), reveal=reveal)
        except DuplicateBallot:
            found = self.board.find(ballot_id=ballot.ballot_id)
            if found is None or (found.entry.ballot, found.entry.reveal) != (ballot, reveal):
                raise
            return self._acknowledge(found.entry, repeated=True)
        return self._acknowledge(entry)

    def _acknowledge(self, entry: BoardEntry, *, repeated: bool = False) -> Acknowledgement:
        """The board as the entry's commit left it, signed: ``sequence`` entries, the
        entry's code as head (the chain up to it cannot change afterwards)."""
        return Acknowledgement(
            sequence=entry.sequence,
            state=entry.state,
            tracking_code=entry.tracking_code,
            signed_head=self.sign(entry.sequence, entry.tracking_code),
            repeated=repeated,
        )

    def sign(self, size: int, head: bytes) -> SignedHead:
        """The server's signature on a board of ``size`` entries ending in ``head``."""
        return sign_head(self.context, size=size, head=head, secret=self.board_secret, rng=self.rng)

    def signed_head(self) -> SignedHead:
        """The board's current size and head, signed."""
        size, head = self.board.last()
        return self.sign(size, head)

    def lookup(self, code_text: str) -> StoredEntry:
        """The entry of a tracking code (InvalidInput if it is malformed, NotFound if no
        entry has it)."""
        code = parse_tracking_code(code_text)
        found = self.board.find(code_prefix=code)
        if found is None:
            raise NotFound(f"no entry on the board has tracking code {display_code(code)}")
        return found

    def page(self, after: int, limit: int) -> list[BoardEntry]:
        return self.board.page(after=after, limit=limit)
