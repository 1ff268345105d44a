"""Which ballots count (spec/protocol.md#14.3) and how many hold each contest: the one rule
the board, the tally and the verifier share."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hypothesis import given
from hypothesis import strategies as st

from suffrage.core import SeededRandom
from suffrage.protocol.ballot import EncryptedBallot, encrypt_ballot, style_contests
from suffrage.protocol.board import (
    BoardEntry,
    EntryState,
    ballots_per_contest,
    counted_entries,
    last_per_credential,
)
from suffrage.protocol.context import make_context
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.service.election import homomorphic_only, key_ceremony

STYLES = ("north", "south", "north")
"""The ballot style of each test voter: the two styles hold different contests."""


@cache
def ballots() -> tuple[EncryptedBallot, ...]:
    """Two ballots of each test voter (a first vote and a re-vote), made once."""
    rng = SeededRandom(83)
    manifest = homomorphic_only(load_sample_manifest())
    secrets, _, _ = key_ceremony(manifest, guardians=1, threshold=1, rng=rng)
    voters = [
        Credential.from_code(generate_credential(rng), election_id=manifest.election_id)
        for _ in STYLES
    ]
    context = make_context(
        manifest=manifest,
        threshold=1,
        guardians=[s.public for s in secrets],
        credentials=[CredentialKey(v.public, s) for v, s in zip(voters, STYLES, strict=True)],
    )
    made = []
    for _ in range(2):
        for voter, style in zip(voters, STYLES, strict=True):
            blank = {c.contest_id: [0] * len(c.options) for c in style_contests(context, style)}
            made.append(
                encrypt_ballot(context, style_id=style, choices=blank, credential=voter, rng=rng)[0]
            )
    return tuple(made)


def board(steps: list[tuple[int, bool]]) -> list[BoardEntry]:
    """Entries in board order from (ballot number, cast?) steps."""
    return [
        BoardEntry(
            sequence=n,
            state=EntryState.CAST if cast else EntryState.SPOILED,
            ballot=ballots()[b],
            tracking_code=bytes(64),
        )
        for n, (b, cast) in enumerate(steps, start=1)
    ]


def expected(entries: list[BoardEntry]) -> list[int]:
    """The rule read from the spec: per credential, its cast entry of highest sequence."""
    best: dict[bytes, int] = {}
    for e in entries:
        key = e.ballot.credential.to_bytes()
        if e.state is EntryState.CAST and e.sequence > best.get(key, 0):
            best[key] = e.sequence
    return sorted(best.values())


steps = st.lists(st.tuples(st.integers(0, 2 * len(STYLES) - 1), st.booleans()), max_size=12)


@given(steps=steps)
def test_the_last_cast_ballot_of_each_credential_counts(steps: list[tuple[int, bool]]) -> None:
    entries = board(steps)
    assert [e.sequence for e in counted_entries(entries)] == expected(entries)


def test_a_spoiled_ballot_neither_counts_nor_cancels_an_earlier_cast_one() -> None:
    first, _, _, revote, _, _ = range(6)
    entries = board([(first, True), (revote, False)])
    assert [e.sequence for e in counted_entries(entries)] == [1]
    entries = board([(first, True), (revote, True), (first, False)])
    assert [e.sequence for e in counted_entries(entries)] == [2]


@dataclass(frozen=True, slots=True)
class Summary:
    sequence: int
    credential: bytes


def test_the_counted_ballots_come_in_sequence_order_whatever_the_order_of_arrival() -> None:
    cast = [Summary(5, b"a"), Summary(2, b"b"), Summary(9, b"a"), Summary(1, b"c")]
    counted = last_per_credential(cast, lambda s: s.credential)
    assert counted == [Summary(1, b"c"), Summary(2, b"b"), Summary(9, b"a")]


@given(steps=steps)
def test_ballots_per_contest_counts_the_contests_of_the_counted_ballots(
    steps: list[tuple[int, bool]],
) -> None:
    counted = counted_entries(board(steps))
    per_contest = ballots_per_contest((c.contest_id for c in e.ballot.contests) for e in counted)
    contests = {c.contest_id for e in counted for c in e.ballot.contests}
    assert per_contest == {
        cid: sum(cid in {c.contest_id for c in e.ballot.contests} for e in counted)
        for cid in contests
    }


def test_ballots_per_contest_leaves_out_a_contest_no_counted_ballot_holds() -> None:
    assert ballots_per_contest([("mayor", "council"), ("mayor",), ()]) == {
        "mayor": 2,
        "council": 1,
    }
    assert ballots_per_contest([]) == {}
