"""Turnout by roll group, computed by the credential authority after the tally
(spec/protocol.md#turnout-by-group).

Only the authority links voters to credentials, so only it can tell which groups cast a
counted ballot: it derives each voter's credential key from the code in its sealed file,
takes the keys of the ballots the tally counted from the board, and writes
``ELECTION/turnout.json`` with small cells suppressed
(:mod:`suffrage.protocol.turnout`). Publishing copies that file into the record. The board
and the encrypted side never see a group.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from suffrage.errors import InvalidInput
from suffrage.protocol.board import BoardEntry
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.turnout import DEFAULT_THRESHOLD, Turnout, tabulate_turnout, turnout_to_json
from suffrage.record.canonical import canonical_bytes
from suffrage.record.files import TURNOUT_FILE
from suffrage.record.writing import write_file
from suffrage.service import election_files as efiles
from suffrage.service.authority import AuthorityFile, read_authority
from suffrage.storage.board import BulletinBoard

__all__ = ["election_turnout", "turnout_of", "write_turnout"]


def election_turnout(
    election: Path,
    authority: Path,
    *,
    passphrase: str,
    threshold: int = DEFAULT_THRESHOLD,
    database: str | None = None,
    force: bool = False,
) -> Turnout:
    """Turnout per group of the roll, written to ``ELECTION/turnout.json`` (replaced only
    with ``force``). Refused before the tally: only the tally says which ballots count."""
    if threshold < 1:
        raise InvalidInput("--threshold", f"must be 1 or more (it counts voters), not {threshold}")
    context = efiles.read_context(election)
    if not (election / "tally.json").exists():
        raise InvalidInput(
            str(election),
            "voting is not closed: turnout counts the ballots the tally counted; run "
            f"`suffrage election tally --election {election}` first",
        )
    closed = efiles.read_tally(election, context)
    private = read_authority(authority, passphrase=passphrase)
    _same_credentials(private, context, authority)
    board = BulletinBoard(context, efiles.database_url(election, database))
    try:
        entries = list(board.entries())
    finally:
        board.close()
    turnout = turnout_of(private, entries, closed.counted_sequences, threshold=threshold)
    write_turnout(election / TURNOUT_FILE, turnout, force=force)
    return turnout


def turnout_of(
    private: AuthorityFile,
    entries: Sequence[BoardEntry],
    counted_sequences: Sequence[int],
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> Turnout:
    """The suppressed turnout of the roll in ``private``: a voter voted when the credential
    of one of the ``counted_sequences`` entries is the voter's."""
    by_sequence = {e.sequence: e.ballot.credential.to_bytes() for e in entries}
    missing = [s for s in counted_sequences if s not in by_sequence]
    if missing:
        raise InvalidInput("board", f"has no entry {missing[0]}, which the tally counted")
    voted = {by_sequence[s] for s in counted_sequences}
    keys = [c.key.to_bytes() for c in private.credentials()]
    return tabulate_turnout(
        ((dict(v.groups), key in voted) for v, key in zip(private.voters, keys, strict=True)),
        threshold=threshold,
    )


def write_turnout(path: Path, turnout: Turnout, *, force: bool = False) -> None:
    """turnout.json: one canonical JSON line, written as record files are."""
    write_file(path, canonical_bytes(turnout_to_json(turnout)) + b"\n", force=force)


def _same_credentials(private: AuthorityFile, context: ElectionContext, authority: Path) -> None:
    listed = {c.key.to_bytes() for c in context.credentials}
    held = {c.key.to_bytes() for c in private.credentials()}
    if private.election_id != context.election_id or listed != held:
        raise InvalidInput(
            str(authority),
            f"does not hold the credentials of election {context.election_id!r} (its file "
            f"is of election {private.election_id!r}, with {len(held)} credentials; the "
            f"election lists {len(listed)})",
        )
