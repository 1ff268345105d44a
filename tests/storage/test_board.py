"""The SQLite bulletin board refuses every bad ballot and loses nothing when it does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pytest

from suffrage._native import Scalar
from suffrage.core import SeededRandom
from suffrage.errors import DuplicateBallot, IneligibleBallot, InvalidBallot
from suffrage.protocol.ballot import BallotSecrets, EncryptedBallot, encrypt_ballot
from suffrage.protocol.board import EntryState, chain_start, tracking_code
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.record.canonical import canonical_bytes
from suffrage.record.codec import entry_to_json
from suffrage.service.election import homomorphic_only, key_ceremony
from suffrage.storage.board import BulletinBoard
from verify.forge import (  # tests/ is on sys.path (pytest rootdir-less packages)
    honest_ballot,
    over_limit_ballot,
    resign,
    shifted_selection_ballot,
    simulated_ballot,
    unlisted_ballot,
    zero_choices,
)

VOTING = load_sample_manifest().start_time
"""When the test voters vote: as the sample's window opens (the board checks the window)."""
STYLES = ("north", "south", "north", "north")
"""The ballot style each test voter's credential is bound to."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Setup:
    context: ElectionContext
    voters: list[Credential]


@pytest.fixture(scope="module")
def setup() -> Setup:
    rng = SeededRandom(21)
    manifest = homomorphic_only(load_sample_manifest())
    secrets, _, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    voters = [
        Credential.from_code(generate_credential(rng), election_id=manifest.election_id)
        for _ in range(4)
    ]
    context = make_context(
        manifest=manifest,
        threshold=2,
        guardians=[s.public for s in secrets],
        credentials=[
            CredentialKey(v.public, style) for v, style in zip(voters, STYLES, strict=True)
        ],
    )
    return Setup(context=context, voters=voters)


@pytest.fixture
def board(setup: Setup, board_url: str) -> Iterator[BulletinBoard]:
    """A board on a fresh SQLite file holding two accepted ballots (one cast, one spoiled)."""
    rng = SeededRandom(22)
    board = BulletinBoard(setup.context, board_url, rng=rng)
    board.cast(honest_ballot(setup.context, setup.voters[0], rng), at=VOTING)
    ballot, secrets = encrypt_ballot(
        setup.context,
        style_id="south",
        choices=zero_choices(setup.context, "south"),
        credential=setup.voters[1],
        rng=rng,
    )
    board.cast(ballot, reveal=secrets, at=VOTING)
    yield board
    board.close()


def snapshot(board: BulletinBoard) -> list[bytes]:
    """Every entry, byte for byte, as the board stores it."""
    return [canonical_bytes(entry_to_json(e)) for e in board.entries()]


def bad_signature(setup: Setup, rng: SeededRandom) -> EncryptedBallot:
    ballot = honest_ballot(setup.context, setup.voters[2], rng)
    sig = ballot.signature
    return replace(ballot, signature=replace(sig, response=sig.response + Scalar.one()))


def wrong_style(setup: Setup, rng: SeededRandom) -> EncryptedBallot:
    ballot = honest_ballot(setup.context, setup.voters[2], rng, style_id="north")
    return resign(setup.context, replace(ballot, style_id="south"), setup.voters[2], rng)


def unknown_style(setup: Setup, rng: SeededRandom) -> EncryptedBallot:
    ballot = honest_ballot(setup.context, setup.voters[2], rng)
    return resign(setup.context, replace(ballot, style_id="east"), setup.voters[2], rng)


def style_of_another_credential(setup: Setup, rng: SeededRandom) -> EncryptedBallot:
    """A well-formed, well-signed ballot of style south by voter 2, whose credential is bound
    to style north: a voter of one district voting on another's contests."""
    return honest_ballot(setup.context, setup.voters[2], rng, style_id="south")


def other_credential(setup: Setup, rng: SeededRandom) -> EncryptedBallot:
    """Voter 2's ballot claiming voter 3's credential (signed by voter 2's key)."""
    ballot = honest_ballot(setup.context, setup.voters[2], rng)
    return replace(ballot, credential=setup.voters[3].public)


BAD_BALLOTS = [
    pytest.param(
        lambda s, r: unlisted_ballot(s.context, r),
        IneligibleBallot,
        "V8",
        "not on the list",
        id="unlisted-credential",
    ),
    pytest.param(bad_signature, InvalidBallot, "V8", "signature", id="bad-signature"),
    pytest.param(other_credential, InvalidBallot, "V8", "signature", id="borrowed-credential"),
    pytest.param(
        lambda s, r: over_limit_ballot(s.context, s.voters[2], r),
        InvalidBallot,
        "V10",
        "contest mayor",
        id="over-limit-forged-proof",
    ),
    pytest.param(
        lambda s, r: shifted_selection_ballot(s.context, s.voters[2], r),
        InvalidBallot,
        "V9",
        "contest mayor, option amina-haddad",
        id="selection-not-0-or-1",
    ),
    pytest.param(
        lambda s, r: simulated_ballot(s.context, s.voters[2], [2, 0, 0, 0], r),
        InvalidBallot,
        "V9",
        "contest mayor, option amina-haddad",
        id="selection-2-every-branch-simulated",
    ),
    pytest.param(
        lambda s, r: simulated_ballot(s.context, s.voters[2], [1, 1, 0, 0], r),
        InvalidBallot,
        "V10",
        "contest mayor",
        id="limit-exceeded-every-branch-simulated",
    ),
    pytest.param(wrong_style, InvalidBallot, "V7", "do not match style", id="wrong-style"),
    pytest.param(
        style_of_another_credential,
        IneligibleBallot,
        "V18",
        "is of style 'south', but its credential is bound to style 'north'",
        id="style-not-the-credentials",
    ),
    pytest.param(unknown_style, InvalidBallot, "V7", "no ballot style 'east'", id="unknown-style"),
]


@pytest.mark.parametrize(("forge", "error", "check", "words"), BAD_BALLOTS)
def test_bad_ballot_is_refused_and_nothing_is_lost(
    board: BulletinBoard,
    setup: Setup,
    forge: Callable[[Setup, SeededRandom], EncryptedBallot],
    error: type[InvalidBallot],
    check: str,
    words: str,
) -> None:
    before, head = snapshot(board), board.head()
    rng = SeededRandom(23)
    ballot = forge(setup, rng)
    with pytest.raises(error) as caught:
        board.cast(ballot, at=VOTING)
    assert type(caught.value) is error
    assert caught.value.field == f"ballot ({check})"
    assert words in caught.value.reason
    assert snapshot(board) == before
    assert board.head() == head
    assert len(board) == 2
    entry = board.cast(honest_ballot(setup.context, setup.voters[2], rng), at=VOTING)
    assert entry.sequence == 3
    assert snapshot(board)[:2] == before


def test_same_ballot_twice_is_a_duplicate(board: BulletinBoard, setup: Setup) -> None:
    rng = SeededRandom(24)
    ballot = honest_ballot(setup.context, setup.voters[2], rng)
    board.cast(ballot, at=VOTING)
    before = snapshot(board)
    with pytest.raises(DuplicateBallot, match=f"ballot {ballot.ballot_id} is already on the board"):
        board.cast(ballot, at=VOTING)
    with pytest.raises(DuplicateBallot):
        board.cast(ballot, reveal=None, at=VOTING)
    assert snapshot(board) == before
    assert board.cast(honest_ballot(setup.context, setup.voters[2], rng), at=VOTING).sequence == 4


def test_spoiled_ballot_with_a_wrong_reveal_is_refused(board: BulletinBoard, setup: Setup) -> None:
    rng = SeededRandom(25)
    before = snapshot(board)
    ballot, secrets = encrypt_ballot(
        setup.context,
        style_id="north",
        choices=zero_choices(setup.context, "north"),
        credential=setup.voters[2],
        rng=rng,
    )
    values = dict(secrets.values)
    values["mayor"] = (1, *values["mayor"][1:])
    with pytest.raises(InvalidBallot, match="contest mayor, option amina-haddad") as caught:
        board.cast(ballot, reveal=BallotSecrets(values=values, nonces=secrets.nonces), at=VOTING)
    assert caught.value.field == "ballot (V13)"
    nonces = dict(secrets.nonces)
    nonces["mayor"] = (nonces["mayor"][0] + Scalar.one(), *nonces["mayor"][1:])
    with pytest.raises(InvalidBallot, match="does not encrypt the revealed choice"):
        board.cast(ballot, reveal=BallotSecrets(values=secrets.values, nonces=nonces), at=VOTING)
    partial = {c: v for c, v in secrets.values.items() if c != "mayor"}
    with pytest.raises(InvalidBallot, match="contest mayor: the reveal does not cover"):
        board.cast(ballot, reveal=BallotSecrets(values=partial, nonces=secrets.nonces), at=VOTING)
    assert snapshot(board) == before
    spoiled = board.cast(ballot, reveal=secrets, at=VOTING)
    assert spoiled.state is EntryState.SPOILED
    assert spoiled.reveal is not None


def test_entries_chain_and_survive_reopening(
    board: BulletinBoard, setup: Setup, board_url: str, request: pytest.FixtureRequest
) -> None:
    rng = SeededRandom(26)
    with pytest.raises(InvalidBallot):
        board.cast(over_limit_ballot(setup.context, setup.voters[0], rng), at=VOTING)
    board.cast(honest_ballot(setup.context, setup.voters[0], rng), at=VOTING)  # a re-vote
    entries = list(board.entries())
    previous = chain_start(setup.context)
    for number, entry in enumerate(entries, start=1):
        assert entry.sequence == number
        assert entry.tracking_code == tracking_code(
            setup.context,
            previous=previous,
            sequence=number,
            state=entry.state,
            ballot=entry.ballot,
        )
        previous = entry.tracking_code
    reopened = BulletinBoard(setup.context, board_url)
    request.addfinalizer(reopened.close)
    assert snapshot(reopened) == snapshot(board)
    assert reopened.head() == board.head() == previous
    assert len(reopened) == 3
    assert (
        reopened.cast(honest_ballot(setup.context, setup.voters[3], rng), at=VOTING).sequence == 4
    )


def test_refused_credential_key_is_named_in_the_message(setup: Setup) -> None:
    board = BulletinBoard(setup.context)
    ballot = unlisted_ballot(setup.context, SeededRandom(27))
    with pytest.raises(IneligibleBallot) as caught:
        board.cast(ballot, at=VOTING)
    assert "credential not on the list" in str(caught.value)
    assert len(board) == 0
    assert board.head() == chain_start(setup.context)


@pytest.mark.parametrize(
    ("when", "words"),
    [
        (VOTING - timedelta(seconds=1), "voting has not opened yet: it opens at 2025-05-04T08:00"),
        (load_sample_manifest().end_time, "voting is closed: it closed at 2025-05-04T20:00"),
        (load_sample_manifest().end_time + timedelta(days=365), "voting is closed"),
        (VOTING.replace(tzinfo=None), "carries no timezone"),
    ],
    ids=["before-start", "at-end", "a-year-later", "no-timezone"],
)
def test_ballot_outside_the_voting_window_is_refused(
    board: BulletinBoard, setup: Setup, when: datetime, words: str
) -> None:
    before = snapshot(board)
    ballot = honest_ballot(setup.context, setup.voters[2], SeededRandom(28))
    with pytest.raises(InvalidBallot, match=words) as caught:
        board.cast(ballot, at=when)
    assert caught.value.field == "voting window"
    assert snapshot(board) == before
    last_second = load_sample_manifest().end_time - timedelta(seconds=1)
    assert board.cast(ballot, at=last_second).sequence == 3
