"""The election directory and the files around it (the credential authority's, the guardians').

::

    ELECTION/context.json    manifest, threshold, guardians' public records, credential list
                             (each key with its ballot style)
    ELECTION/board-key.json  the board server's key that signs the board's heads (mode 0600)
    ELECTION/board.db        the bulletin board (SQLite)
    ELECTION/tally.json      the encrypted tally, once voting is closed
    ELECTION/ballots.jsonl   a guardian's copy of a server's board (`guardian fetch`)
    partial file             one guardian's partial decryption of the tally, with proofs
    MIXES/mix-C-T.jsonl      mix T of ranked contest C, by one guardian (`guardian mix`)
    mix-decryption-C-J.jsonl guardian J's shares of C's last mix, beside its partial file

Each is one canonical JSON document and a newline, read strictly like the ceremony's files
(:mod:`suffrage.service.ceremony_files`). Nothing secret of a guardian is ever written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suffrage.core.group import Element, Scalar
from suffrage.errors import InvalidInput, VerificationFailed
from suffrage.protocol.board import BoardEntry, chain_start, counted_entries, tracking_code
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.manifest import Contest, manifest_to_dict, parse_manifest
from suffrage.protocol.mixnet import Mix, check_mix, mix_input, ranked_contests
from suffrage.protocol.tally import PartialDecryption, Tally
from suffrage.record import codec
from suffrage.record.fields import hexbytes, integer, items, scalar
from suffrage.record.files import (
    context_parts_from_json,
    context_parts_to_json,
    decode_entry_line,
)
from suffrage.record.ranked import mix_name, read_mix
from suffrage.record.reading import MAX_LINE, bounded_lines, open_regular
from suffrage.service.ceremony_files import read_document, write_document
from suffrage.storage.board import BulletinBoard

__all__ = [
    "CheckedMixes",
    "ClosedTally",
    "database_url",
    "ranked_inputs",
    "read_board_key",
    "read_context",
    "read_mixes",
    "read_partial",
    "read_tally",
    "write_board_key",
    "write_context",
    "write_partial",
    "write_tally",
]

CONTEXT_FORMAT = "suffrage/election-context/2"
TALLY_FORMAT = "suffrage/election-tally/2"
PARTIAL_FORMAT = "suffrage/partial-decryption/1"


def database_url(election: Path, database: str | None = None) -> str:
    """The board's and the log's database: ``database``, or board.db in the directory."""
    return database or f"sqlite:///{(election / 'board.db').resolve()}"


def write_context(directory: Path, context: ElectionContext, *, update: bool = False) -> None:
    """The election's context; ``update`` replaces it (a credential reissued before voting
    opens changes the credential list, hence the base hash). Beside the manifest and the
    credential list it holds the record's wire form of the context's other parts."""
    write_document(
        directory / "context.json",
        {
            "format": CONTEXT_FORMAT,
            "manifest": manifest_to_dict(context.manifest),
            "credentials": [codec.credential_to_json(c) for c in context.credentials],
            **context_parts_to_json(context),
        },
        force=update,
    )


def read_context(directory: Path) -> ElectionContext:
    """The election's context, rebuilt from its parts and checked against its base hash."""
    path = directory / "context.json"
    w = str(path)
    if not directory.is_dir() or not path.exists():
        raise InvalidInput(
            str(directory),
            "is not an election directory (it has no context.json): `suffrage election "
            "create` makes one; check --election",
        )
    o = read_document(
        path,
        CONTEXT_FORMAT,
        ["manifest", "threshold", "guardians", "credentials", "base_hash"],
        ("board_key", "log_head"),
    )
    parts = context_parts_from_json(o, w)
    try:
        context = make_context(
            manifest=parse_manifest(o["manifest"]),
            threshold=parts.threshold,
            guardians=parts.guardians,
            credentials=items(o["credentials"], f"{w}.credentials", codec.credential_from_json),
            board_key=parts.board_key,
            log_head=parts.log_head,
        )
    except InvalidInput as exc:
        raise InvalidInput(w, str(exc)) from None
    if context.base_hash != parts.base_hash:
        raise InvalidInput(f"{w}.base_hash", "does not match the election it describes")
    return context


BOARD_KEY_FORMAT = "suffrage/board-key/1"


def write_board_key(directory: Path, secret: Scalar, *, force: bool = False) -> None:
    """The board server's signing key (mode 0600), beside the election's context: it signs
    the board's heads (spec/protocol.md#14.5) and nothing else."""
    write_document(
        directory / "board-key.json",
        {"format": BOARD_KEY_FORMAT, "secret": secret.to_bytes().hex()},
        secret=True,
        force=force,
    )


def read_board_key(directory: Path, context: ElectionContext) -> Scalar:
    """The board's signing key; it must be the secret of the context's board key."""
    path = directory / "board-key.json"
    if not path.exists():
        raise InvalidInput(
            str(path), "not found: the board server needs the key `election create` wrote"
        )
    o = read_document(path, BOARD_KEY_FORMAT, ["secret"])
    secret = scalar(o["secret"], f"{path}.secret")
    if context.board_key is None or Element.mul_base(secret) != context.board_key:
        raise InvalidInput(str(path), "is not the key of this election's board")
    return secret


@dataclass(frozen=True, slots=True, kw_only=True)
class ClosedTally:
    """The encrypted tally and the board entries it counted."""

    tally: Tally
    counted_sequences: tuple[int, ...]


def write_tally(directory: Path, context: ElectionContext, closed: ClosedTally) -> None:
    write_document(
        directory / "tally.json",
        {
            "format": TALLY_FORMAT,
            "base_hash": context.base_hash.hex(),
            "tally": codec.tally_to_json(closed.tally),
            "counted_sequences": list(closed.counted_sequences),
        },
    )


def _same_election(o: dict[str, Any], w: str, context: ElectionContext) -> None:
    if hexbytes(o["base_hash"], f"{w}.base_hash", size=64) != context.base_hash:
        raise InvalidInput(f"{w}.base_hash", "belongs to another election")


def read_tally(directory: Path, context: ElectionContext) -> ClosedTally:
    path = directory / "tally.json"
    if not path.exists():
        raise InvalidInput(
            str(path),
            f"not found: voting is not closed yet; run `suffrage election tally --election "
            f"{directory}` first",
        )
    o = read_document(path, TALLY_FORMAT, ["base_hash", "tally", "counted_sequences"])
    _same_election(o, str(path), context)
    return ClosedTally(
        tally=codec.tally_from_json(o["tally"], f"{path}.tally"),
        counted_sequences=items(o["counted_sequences"], f"{path}.counted_sequences", integer),
    )


def write_partial(
    path: Path, context: ElectionContext, partial: PartialDecryption, *, force: bool = False
) -> None:
    write_document(
        path,
        {
            "format": PARTIAL_FORMAT,
            "base_hash": context.base_hash.hex(),
            "partial": codec.partial_to_json(partial),
        },
        force=force,
    )


def read_partial(path: Path, context: ElectionContext) -> PartialDecryption:
    if not path.exists():
        raise InvalidInput(
            str(path),
            "not found: a guardian writes its partial decryption with `suffrage guardian decrypt`",
        )
    o = read_document(path, PARTIAL_FORMAT, ["base_hash", "partial"])
    _same_election(o, str(path), context)
    return codec.partial_from_json(o["partial"], f"{path}.partial")


def ranked_inputs(
    election: Path, context: ElectionContext, closed: ClosedTally, *, database: str | None = None
) -> dict[str, tuple[Contest, bytes]]:
    """The input rows of the first mix of each ranked contest that counted ballots hold
    (spec/protocol.md#19.1), by contest id in manifest order, from the election's board
    (its ``database``, or board.db; a guardian away from the server has the board as
    ``ballots.jsonl``, from `suffrage guardian fetch --election`), which must be the one
    the tally counted (its head and its counted entries)."""
    if not ranked_contests(context):
        return {}
    copy = election / "ballots.jsonl"
    if database is None and not (election / "board.db").exists() and copy.exists():
        entries, head = _board_copy(copy, context)
        where = copy
    else:
        board = BulletinBoard(context, database_url(election, database))
        try:
            entries, head = list(board.entries()), board.head()
        finally:
            board.engine.dispose()
        where = election / "board.db"
    if (len(entries), head) != (closed.tally.entries, closed.tally.board_head):
        raise InvalidInput(str(where), "is not the board the tally counted (it has changed)")
    return _ranked_rows(context, closed, entries, election / "tally.json")


def _ranked_rows(
    context: ElectionContext, closed: ClosedTally, entries: Sequence[BoardEntry], tally: Path
) -> dict[str, tuple[Contest, bytes]]:
    """The first mixes' input rows from ``entries``, the board at the close."""
    counted = counted_entries(entries)
    if list(closed.counted_sequences) != [e.sequence for e in counted]:
        raise InvalidInput(str(tally), "does not match the board's counted ballots")
    ballots = [e.ballot for e in counted]
    contests = ranked_contests(context)
    return {c.contest_id: (c, rows) for c in contests if (rows := mix_input(c, ballots))}


def _board_copy(path: Path, context: ElectionContext) -> tuple[list[BoardEntry], bytes]:
    """The board's entries from a copy (ballots.jsonl), each chained to the one before as
    the board chains them (spec #14.1), and the head they end in."""
    entries: list[BoardEntry] = []
    head = chain_start(context)
    with open_regular(path) as handle:
        for number, (line, _) in enumerate(bounded_lines(handle, limit=MAX_LINE), start=1):
            entry = decode_entry_line(number, line.rstrip(b"\n"))
            expected = tracking_code(
                context, previous=head, sequence=number, state=entry.state, ballot=entry.ballot
            )
            if entry.sequence != number or entry.tracking_code != expected:
                raise InvalidInput(f"{path} line {number}", "does not chain to the entry before it")
            entries.append(entry)
            head = expected
    return entries, head


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckedMixes:
    """A ranked contest's mixes found in a directory, each checked against its input."""

    contest: Contest
    inputs: bytes
    """The input rows of the first mix (spec/protocol.md#19.1)."""
    mixes: tuple[Mix, ...]
    digest: bytes
    """The last mix's digest (what its decryption binds); empty without a mix."""

    @property
    def last(self) -> bytes:
        """The rows the next mix shuffles: the last mix's output, or the input rows."""
        return self.mixes[-1].outputs if self.mixes else self.inputs


def read_mixes(
    directory: Path | None,
    context: ElectionContext,
    tally_digest: bytes,
    contest: Contest,
    inputs: bytes,
) -> CheckedMixes:
    """The mixes ``mix-C-1.jsonl``, ``mix-C-2.jsonl``, ... in ``directory`` (up to the first
    number absent; none without a directory), each read and checked against its input as
    the verifier does (V23, V24): a bad one is refused naming its file, since a guardian
    who mixed or decrypted on top of it would only spend its work on a chain that fails."""
    mixes: list[Mix] = []
    digest, rows = b"", inputs
    while directory is not None:
        path = directory / mix_name(contest.contest_id, len(mixes) + 1)
        if not path.exists() and not path.is_symlink():
            break
        mix = read_mix(path, contest, index=len(mixes) + 1)
        try:
            digest = check_mix(context, tally_digest, contest, mix, index=mix.index, inputs=rows)
        except VerificationFailed as exc:
            raise VerificationFailed(exc.check, f"{path}: {exc.reason}") from None
        if any(m.mixer == mix.mixer for m in mixes):
            raise VerificationFailed(
                "V23", f"{path}: guardian {mix.mixer} mixed an earlier mix of {contest.contest_id}"
            )
        mixes.append(mix)
        rows = mix.outputs
    return CheckedMixes(contest=contest, inputs=inputs, mixes=tuple(mixes), digest=digest)
