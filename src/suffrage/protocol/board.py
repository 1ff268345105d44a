"""The bulletin board's rules: tracking codes, re-voting and spoiling (spec/protocol.md#14).

Entries stand on the board in the order they were accepted. Each gets a tracking code that
chains it to the one before, so removing, inserting or reordering an entry changes every
later code. A cast ballot counts unless a later cast ballot has the same credential (the last
one counts: a voter under pressure can vote again later); a spoiled ballot never counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol, TypeVar

from suffrage.core.group import Scalar
from suffrage.core.hashing import Transcript
from suffrage.core.proofs import SchnorrProof, check_schnorr, prove_schnorr
from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidInput, ProofRejected, VerificationFailed
from suffrage.protocol.ballot import BallotSecrets, EncryptedBallot, ballot_digest
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.manifest import Manifest

__all__ = [
    "HEAD_SIGNATURE",
    "BoardEntry",
    "EntryState",
    "Sequenced",
    "SignedHead",
    "ballots_per_contest",
    "chain_start",
    "check_signed_head",
    "counted_entries",
    "display_code",
    "last_per_credential",
    "sign_head",
    "tracking_code",
    "tracking_code_raw",
    "window_problem",
]


class EntryState(StrEnum):
    CAST = "cast"
    SPOILED = "spoiled"


@dataclass(frozen=True, slots=True, kw_only=True)
class BoardEntry:
    """One accepted ballot: its position, state, tracking code and (if spoiled) its reveal."""

    sequence: int
    state: EntryState
    ballot: EncryptedBallot
    tracking_code: bytes
    reveal: BallotSecrets | None = None


def chain_start(context: ElectionContext) -> bytes:
    """The code before the first entry (spec #14.1)."""
    return Transcript("tracking-code/start").append("base_hash", context.base_hash).digest()


def tracking_code(
    context: ElectionContext,
    *,
    previous: bytes,
    sequence: int,
    state: EntryState,
    ballot: EncryptedBallot,
    digest: bytes | None = None,
) -> bytes:
    """The tracking code of an entry (spec #14.1): it binds the previous code and the ballot.

    ``digest`` is the ballot's :func:`ballot_digest` when the caller has it already.
    """
    if digest is None:
        digest = ballot_digest(context, ballot)
    signature = ballot.signature.commitment.to_bytes() + ballot.signature.response.to_bytes()
    return tracking_code_raw(
        previous=previous, sequence=sequence, state=state, digest=digest, signature=signature
    )


def tracking_code_raw(
    *, previous: bytes, sequence: int, state: EntryState, digest: bytes, signature: bytes
) -> bytes:
    """:func:`tracking_code` from the ballot's digest and the encoding of its signature
    (commitment then response, 64 bytes), for callers that hold the ballot as bytes."""
    return (
        Transcript("tracking-code")
        .append("previous", previous)
        .integer("sequence", sequence)
        .text("state", state.value)
        .append("ballot_hash", digest)
        .append("signature", signature)
        .digest()
    )


class Sequenced(Protocol):
    """Anything that stands on the board at a sequence number: an entry, or the verifier's
    summary of one."""

    @property
    def sequence(self) -> int: ...


S = TypeVar("S", bound=Sequenced)


def last_per_credential(cast: Iterable[S], credential: Callable[[S], bytes]) -> list[S]:
    """The ballots that count (spec #14.3): of ``cast``, the last of each ``credential``,
    in sequence order.

    ``cast`` holds, in board order, the cast ballots that may count: the caller leaves out
    spoiled ones (they never count, nor cancel an earlier cast one), and the verifier also
    those whose checks failed. The board and the verifier both count with this function,
    so they cannot disagree on which ballot of a re-voter counts.
    """
    last: dict[bytes, S] = {}
    for ballot in cast:
        last[credential(ballot)] = ballot
    return sorted(last.values(), key=lambda b: b.sequence)


def counted_entries(entries: Iterable[BoardEntry]) -> list[BoardEntry]:
    """The entries that count: the last cast ballot of each credential, in board order."""
    return last_per_credential(
        (e for e in entries if e.state is EntryState.CAST),
        lambda e: e.ballot.credential.to_bytes(),
    )


def ballots_per_contest(counted: Iterable[Iterable[str]]) -> dict[str, int]:
    """How many counted ballots hold each contest (a ballot style may leave some out): the
    ``ballots`` of a contest's result (spec/record-format.md#resultsjson). ``counted`` gives,
    for each counted ballot, the identifiers of the contests it holds."""
    ballots: dict[str, int] = {}
    for contests in counted:
        for contest_id in contests:
            ballots[contest_id] = ballots.get(contest_id, 0) + 1
    return ballots


def display_code(code: bytes) -> str:
    """The short form a voter reads: the first 10 bytes in groups (spec #14.2)."""
    text = code[:10].hex().upper()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def window_problem(manifest: Manifest, at: datetime) -> str | None:
    """Why a ballot cannot be accepted at ``at``, or ``None`` inside the voting window.

    The window is the manifest's ``start`` (included) to its ``end`` (excluded) (spec #14).
    """
    if at.tzinfo is None:
        return "the time of the ballot carries no timezone"
    if at < manifest.start_time:
        return f"voting has not opened yet: it opens at {manifest.start}"
    if at >= manifest.end_time:
        return f"voting is closed: it closed at {manifest.end}"
    return None


HEAD_SIGNATURE = "board-head"


@dataclass(frozen=True, slots=True, kw_only=True)
class SignedHead:
    """The board server's statement that its board holds ``size`` entries ending in ``head``
    (spec #14.5). Two valid signed heads that disagree prove the server equivocated."""

    size: int
    head: bytes
    signature: SchnorrProof


def _head_digest(context: ElectionContext, size: int, head: bytes) -> bytes:
    return (
        Transcript("board-head")
        .append("base_hash", context.base_hash)
        .integer("size", size)
        .append("head", head)
        .digest()
    )


def sign_head(
    context: ElectionContext, *, size: int, head: bytes, secret: Scalar, rng: RandomSource
) -> SignedHead:
    """The server's signature on its board's size and head, with its board key."""
    if context.board_key is None:
        raise InvalidInput("board key", "this election has no board key to sign with")
    signature = prove_schnorr(
        secret=secret,
        public=context.board_key,
        context=context.base_hash,
        message=_head_digest(context, size, head),
        rng=rng,
        purpose=HEAD_SIGNATURE,
    )
    return SignedHead(size=size, head=head, signature=signature)


def check_signed_head(context: ElectionContext, signed: SignedHead) -> None:
    """Raise VerificationFailed unless the election's board key signed this head."""
    if context.board_key is None:
        raise VerificationFailed("head", "this election has no board key")
    try:
        check_schnorr(
            signed.signature,
            public=context.board_key,
            context=context.base_hash,
            message=_head_digest(context, signed.size, signed.head),
            purpose=HEAD_SIGNATURE,
        )
    except ProofRejected as exc:
        raise VerificationFailed("head", f"the head's signature: {exc.reason}") from None
