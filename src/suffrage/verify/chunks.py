"""Checking a chunk of the board on its own: V7 to V11, V13, V18 and V22 (spec/protocol.md#15,
#7).

A chunk is a run of lines of ballots.jsonl (:class:`~suffrage.record.files.LineChunk`). Its
ballots' proofs are first checked all at once by a random linear combination of their
equations; only when that fails is each ballot checked on its own, then each proof, so a
failure is named exactly as a one-by-one check would name it. The result is plain data, so
chunks can be checked in other processes or on other machines and merged in order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from suffrage.core.elgamal import Ciphertext
from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidInput, VerificationFailed
from suffrage.protocol.ballot import (
    EncryptedBallot,
    RankedContestCiphertexts,
    ballot_digest,
    raw_ballot,
)
from suffrage.protocol.ballot_check import (
    check_ballot_shape,
    check_ballot_signature,
    check_credential_style,
    check_limit_proofs,
    check_rank_proofs,
    check_selection_proofs,
    check_spoiled_ballot,
)
from suffrage.protocol.batch_check import fast_check
from suffrage.protocol.board import BoardEntry, EntryState, chain_start, tracking_code_raw
from suffrage.protocol.context import ElectionContext
from suffrage.record.files import LineChunk, decode_entry_line, read_chunk
from suffrage.verify.fast import CheckedEntry, check_cast_lines, rank_rows

__all__ = [
    "BALLOT_CHECKS",
    "VALIDITY",
    "ChunkResult",
    "EntryOutcome",
    "EntrySummary",
    "verify_chunk",
]

BALLOT_CHECKS: tuple[tuple[str, Callable[[ElectionContext, EncryptedBallot], None]], ...] = (
    ("V7", check_ballot_shape),
    ("V8", check_ballot_signature),
    ("V9", check_selection_proofs),
    ("V10", check_limit_proofs),
    ("V22", check_rank_proofs),
    ("V18", check_credential_style),
)
VALIDITY = frozenset(number for number, _ in BALLOT_CHECKS)
"""An entry is valid if it passes these (spec/protocol.md#15)."""


@dataclass(frozen=True, slots=True)
class EntrySummary:
    """What the merge needs of an entry once its proofs are checked (``position``: its line)."""

    position: int
    sequence: int
    ballot_id: str
    credential: bytes
    cast: bool
    valid: bool
    contests: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntryOutcome:
    """The checks of one line: passed, failed (with reasons) or why it could not be read."""

    position: int
    summary: EntrySummary | None
    unreadable: tuple[str, str] | None
    passed: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """Every entry's outcome, the sum of the chunk's valid cast ballots per option, and
    the rank ciphertexts of its valid cast ballots, ``(position, contest_id, rows)`` with
    ``rows`` the ``m`` ciphertexts ``alpha || beta``, rank 1 first (the mix's input,
    spec/protocol.md#19.1: as bytes, so the board is never decoded a second time)."""

    outcomes: tuple[EntryOutcome, ...]
    sums: tuple[tuple[str, str, bytes, bytes], ...]
    last_code: bytes | None
    ranks: tuple[tuple[int, str, bytes], ...] = ()


def _previous_code(line: bytes | None) -> bytes | None:
    if line is None:
        return None
    try:
        code = json.loads(line)["tracking_code"]
        return bytes.fromhex(code) if isinstance(code, str) and len(code) == 128 else None
    except (ValueError, KeyError, TypeError):
        return None


def _decode(
    lines: Sequence[tuple[int, bytes]],
) -> list[tuple[int, BoardEntry | None, tuple[str, str] | None]]:
    out: list[tuple[int, BoardEntry | None, tuple[str, str] | None]] = []
    for number, line in lines:
        try:
            out.append((number, decode_entry_line(number, line), None))
        except InvalidInput as exc:
            out.append((number, None, (exc.field, exc.reason)))
    return out


def _one_by_one(
    context: ElectionContext, entry: BoardEntry
) -> tuple[list[str], list[tuple[str, str]]]:
    passed, failed = [], []
    for number, check in BALLOT_CHECKS:
        try:
            check(context, entry.ballot)
            passed.append(number)
        except VerificationFailed as exc:
            failed.append((number, f"entry {entry.sequence}: {exc.reason}"))
    return passed, failed


def _ballot_results(
    context: ElectionContext, entries: Sequence[BoardEntry], rng: RandomSource
) -> list[tuple[list[str], list[tuple[str, str]]]]:
    """V7-V10, V18 and V22 per entry: the kernel's batch first, then one by one where it
    refuses or does not decide (which names the failure)."""
    verdicts = fast_check(
        context, [(i, raw_ballot(e.ballot)) for i, e in enumerate(entries)], rng
    ).verdicts
    ok = [n for n, _ in BALLOT_CHECKS]
    results: list[tuple[list[str], list[tuple[str, str]]]] = []
    for index, entry in enumerate(entries):
        verdict = verdicts.get(index)
        if verdict is not None and verdict.failed is None:
            results.append((ok, []))
        else:
            results.append(_one_by_one(context, entry))
    return results


def _chain(
    *,
    position: int,
    previous: bytes | None,
    sequence: int,
    state: EntryState,
    code: bytes,
    digest: bytes,
    signature: bytes,
) -> str | None:
    where = f"entry {sequence}"
    if sequence != position:
        return f"{where} stands at position {position}: entries are out of order"
    if previous is None:
        return f"{where}: the entry before it is unreadable, so the chain cannot be followed"
    expected = tracking_code_raw(
        previous=previous, sequence=position, state=state, digest=digest, signature=signature
    )
    if code != expected:
        return f"{where}: the tracking code does not chain to the entry before"
    return None


def _spoil(context: ElectionContext, entry: BoardEntry) -> str | None:
    where = f"entry {entry.sequence}"
    if entry.state is EntryState.CAST:
        return f"{where}: a cast ballot must not reveal its nonces" if entry.reveal else None
    if entry.reveal is None:
        return f"{where}: a spoiled ballot must reveal its choices and nonces"
    try:
        check_spoiled_ballot(context, entry.ballot, entry.reveal)
    except VerificationFailed as exc:
        return f"{where}: {exc.reason}"
    return None


def verify_chunk(
    context: ElectionContext, chunk: LineChunk, rng: RandomSource | None
) -> ChunkResult:
    """Check every entry of ``chunk``: its ballot, its place in the chain, its spoil state.

    With ``rng`` the proofs are batch-checked first (cast ballots straight from their
    encodings, :mod:`suffrage.verify.fast`); with ``None`` every proof is checked on its own
    (slower, and the same outcome: the tests compare the two).
    """
    before, lines = read_chunk(chunk)
    fast, fast_sums = check_cast_lines(context, lines, rng) if rng is not None else ({}, {})
    decoded = _decode([(n, line) for n, line in lines if n not in fast])
    entries = [e for _, e, _ in decoded if e is not None]
    digests = {id(e): ballot_digest(context, e.ballot) for e in entries}
    ballot_results = iter(
        _ballot_results(context, entries, rng)
        if rng is not None
        else [_one_by_one(context, e) for e in entries]
    )
    slow = iter(decoded)
    previous = chain_start(context) if chunk.first == 1 else _previous_code(before)
    outcomes: list[EntryOutcome] = []
    sums: dict[tuple[str, str], Ciphertext] = dict(fast_sums)
    ranks: list[tuple[int, str, bytes]] = []
    for position, _ in lines:
        checked = fast.get(position)
        if checked is not None:
            outcomes.append(_fast_outcome(checked, previous))
            ranks += rank_rows(checked)
            previous = checked.entry.tracking_code
            continue
        _, entry, problem = next(slow)
        if entry is None:
            outcomes.append(EntryOutcome(position, None, problem, (), ()))
            previous = None
            continue
        passed, failed = next(ballot_results)
        passed, failed = list(passed), list(failed)
        signature = entry.ballot.signature
        for number, message in (
            (
                "V11",
                _chain(
                    position=position,
                    previous=previous,
                    sequence=entry.sequence,
                    state=entry.state,
                    code=entry.tracking_code,
                    digest=digests[id(entry)],
                    signature=signature.commitment.to_bytes() + signature.response.to_bytes(),
                ),
            ),
            ("V13", _spoil(context, entry)),
        ):
            if message is None:
                if number == "V11" or entry.state is EntryState.SPOILED:
                    passed.append(number)
            else:
                failed.append((number, message))
        valid = all(n not in VALIDITY for n, _ in failed)
        if valid and entry.state is EntryState.CAST:
            for contest in entry.ballot.contests:
                for sel in contest.selections:
                    _add(sums, (contest.contest_id, sel.option_id), sel.ciphertext)
            ranks += _rank_rows(position, entry.ballot)
        summary = EntrySummary(
            position=position,
            sequence=entry.sequence,
            ballot_id=entry.ballot.ballot_id,
            credential=entry.ballot.credential.to_bytes(),
            cast=entry.state is EntryState.CAST,
            valid=valid,
            contests=tuple(c.contest_id for c in entry.ballot.contests),
        )
        outcomes.append(EntryOutcome(position, summary, None, tuple(passed), tuple(failed)))
        previous = entry.tracking_code
    packed = tuple((c, o, ct.alpha.to_bytes(), ct.beta.to_bytes()) for (c, o), ct in sums.items())
    return ChunkResult(tuple(outcomes), packed, previous, tuple(ranks))


def _rank_rows(position: int, ballot: EncryptedBallot) -> list[tuple[int, str, bytes]]:
    """The ballot's rank ciphertexts per ranked contest, as the mix takes them (#19.1)."""
    return [
        (
            position,
            part.contest_id,
            b"".join(
                r.ciphertext.alpha.to_bytes() + r.ciphertext.beta.to_bytes() for r in part.ranks
            ),
        )
        for part in ballot.contests
        if isinstance(part, RankedContestCiphertexts)
    ]


def _add(sums: dict[tuple[str, str], Ciphertext], key: tuple[str, str], ct: Ciphertext) -> None:
    found = sums.get(key)
    sums[key] = ct if found is None else found + ct


def _fast_outcome(checked: CheckedEntry, previous: bytes | None) -> EntryOutcome:
    """The outcome of a cast entry whose ballot passed V7 to V10, V18 and V22 on the batch
    path."""
    entry, ballot = checked.entry, checked.entry.ballot
    passed = [n for n, _ in BALLOT_CHECKS]
    failed: list[tuple[str, str]] = []
    message = _chain(
        position=checked.position,
        previous=previous,
        sequence=entry.sequence,
        state=EntryState.CAST,
        code=entry.tracking_code,
        digest=checked.digest,
        signature=ballot.signature_commitment + ballot.signature_response,
    )
    if message is None:
        passed.append("V11")
    else:
        failed.append(("V11", message))
    summary = EntrySummary(
        position=checked.position,
        sequence=entry.sequence,
        ballot_id=ballot.ballot_id,
        credential=ballot.credential,
        cast=True,
        valid=True,
        contests=tuple(c.contest_id for c in ballot.contests),
    )
    return EntryOutcome(checked.position, summary, None, tuple(passed), tuple(failed))
