"""Nothing acknowledged is lost when several processes cast at once (issue 13, point 8).

Four processes cast 60 distinct ballots (and re-votes of one credential) on one board that
none of them has created yet, on SQLite and on a real PostgreSQL server: every distinct
ballot is stored exactly once at the sequence it was acknowledged with, the tracking codes
chain, a ballot sent twice is refused as a duplicate (never a distinct one), and of the
concurrent re-votes exactly one counts: the last on the board.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage.casting import cast_all
from suffrage.core import SeededRandom
from suffrage.protocol.ballot import encrypt_ballot, style_contests
from suffrage.protocol.board import BoardEntry, chain_start, counted_entries, tracking_code
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.record.canonical import canonical_bytes, parse_canonical
from suffrage.record.codec import ballot_from_json, ballot_to_json
from suffrage.service.election import homomorphic_only, key_ceremony
from suffrage.service.election_files import write_context
from suffrage.storage.board import BulletinBoard

PROCESSES = 4
VOTERS = 48
REVOTES = 12
"""Ballots of voter 0 beyond its first, cast from every process at once."""


@dataclass(frozen=True, slots=True)
class Election:
    directory: Path
    context: ElectionContext
    jobs: list[list[bytes]]
    revoter: bytes


@pytest.fixture(scope="module")
def election(tmp_path_factory: pytest.TempPathFactory) -> Election:
    rng = SeededRandom(131)
    manifest = homomorphic_only(load_sample_manifest())
    secrets, _, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    voters = [
        Credential.from_code(generate_credential(rng), election_id=manifest.election_id)
        for _ in range(VOTERS)
    ]
    context = make_context(
        manifest=manifest,
        threshold=2,
        guardians=[s.public for s in secrets],
        credentials=[CredentialKey(v.public, "north") for v in voters],
    )
    directory = tmp_path_factory.mktemp("election")
    write_context(directory, context)
    blank = {c.contest_id: [0] * len(c.options) for c in style_contests(context, "north")}
    ballots = [
        encrypt_ballot(context, style_id="north", choices=blank, credential=v, rng=rng)[0]
        for v in [*voters, *([voters[0]] * REVOTES)]
    ]
    documents = [canonical_bytes(ballot_to_json(b)) for b in ballots]
    jobs = [documents[i::PROCESSES] for i in range(PROCESSES)]
    jobs[0] = [*jobs[0], documents[1]]  # sent twice: a retry after a lost answer
    return Election(directory, context, jobs, voters[0].public.to_bytes())


def test_concurrent_casts_are_all_stored_once(election: Election, board_url: str) -> None:
    at = election.context.manifest.start_time.isoformat()
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(PROCESSES) as pool:
        results = pool.map(
            cast_all, [(str(election.directory), board_url, at, job) for job in election.jobs]
        )
    acknowledged = [ack for result in results for ack in result]
    refused = [ballot_id for ballot_id, sequence in acknowledged if sequence is None]
    stored = {ballot_id: sequence for ballot_id, sequence in acknowledged if sequence}
    assert len(refused) == 1, "only the ballot sent twice is a duplicate"
    assert len(stored) == VOTERS + REVOTES
    board = BulletinBoard(election.context, board_url)
    try:
        entries = list(board.entries())
        head = board.head()
    finally:
        board.engine.dispose()
    assert [e.sequence for e in entries] == list(range(1, VOTERS + REVOTES + 1))
    assert {e.ballot.ballot_id: e.sequence for e in entries} == stored
    previous = chain_start(election.context)
    for entry in entries:
        assert entry.tracking_code == tracking_code(
            election.context,
            previous=previous,
            sequence=entry.sequence,
            state=entry.state,
            ballot=entry.ballot,
        )
        previous = entry.tracking_code
    assert head == previous
    counted = counted_entries(entries)
    assert len(counted) == VOTERS
    mine = [e for e in entries if e.ballot.credential.to_bytes() == election.revoter]
    assert len(mine) == REVOTES + 1
    assert [e for e in counted if e in mine] == [mine[-1]], "exactly one counts: the last"


def test_sqlite_writers_queue_on_the_file_lock(election: Election, tmp_path: Path) -> None:
    """Another process holding the writers' file lock (here: another open file description
    of it, which flock treats alike) makes an append wait, not fail; it goes through as
    soon as the lock is released. SQLite's busy handler would sleep between tries instead."""
    database = tmp_path / "board.db"
    board = BulletinBoard(election.context, f"sqlite:///{database}")
    ballot = ballot_from_json(parse_canonical(election.jobs[1][0], field="ballot"), "ballot")
    at = election.context.manifest.start_time
    outcome: list[BoardEntry] = []
    descriptor = os.open(f"{database}-writer", os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        caster = threading.Thread(target=lambda: outcome.append(board.cast(ballot, at=at)))
        caster.start()
        caster.join(0.5)
        assert caster.is_alive(), "the append waits for the lock"
        assert outcome == []
        assert len(board) == 0
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        caster.join(10)
        assert not caster.is_alive()
        assert [e.sequence for e in outcome] == [1]
        assert [e.ballot.ballot_id for e in board.entries()] == [ballot.ballot_id]
    finally:
        os.close(descriptor)
        board.close()
