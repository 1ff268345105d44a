"""The fast path's batch check, reached from ``protocol`` (as the board's check at casting can):
it takes every valid ballot, with its hash and ciphertexts, and none that fails a check."""

from __future__ import annotations

import pytest

from suffrage.core import SeededRandom
from suffrage.protocol.ballot import (
    EncryptedBallot,
    RawBallot,
    ballot_digest,
    encrypt_ballot,
    raw_contests,
)
from suffrage.protocol.ballot_check import check_ballot
from suffrage.protocol.batch_check import check_raw_ballots
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.service.election import homomorphic_only

from .test_election import Election, choices_for, set_up, style_of


def raw_ballot(ballot: EncryptedBallot) -> RawBallot:
    return RawBallot(
        ballot_id=ballot.ballot_id,
        style_id=ballot.style_id,
        credential=ballot.credential.to_bytes(),
        contests=raw_contests(ballot.contests),
        signature_commitment=ballot.signature.commitment.to_bytes(),
        signature_response=ballot.signature.response.to_bytes(),
    )


@pytest.fixture(scope="module")
def election() -> Election:
    return set_up(homomorphic_only(load_sample_manifest()), 4, SeededRandom(39))


@pytest.fixture(scope="module")
def ballots(election: Election) -> list[EncryptedBallot]:
    rng = SeededRandom(40)
    out = []
    for number, voter in enumerate(election.voters):
        style = style_of(number)
        choices = choices_for(election.context, style, number)
        ballot, _ = encrypt_ballot(
            election.context, style_id=style, choices=choices, credential=voter, rng=rng
        )
        out.append(ballot)
    return out


def test_every_valid_ballot_is_taken(election: Election, ballots: list[EncryptedBallot]) -> None:
    context = election.context
    taken = check_raw_ballots(
        context, [(7 * i, raw_ballot(b)) for i, b in enumerate(ballots)], SeededRandom(1)
    )
    assert sorted(taken) == [7 * i for i in range(len(ballots))]
    for i, ballot in enumerate(ballots):
        check_ballot(context, ballot, rng=SeededRandom(2))  # the reference agrees
        assert taken[7 * i].digest == ballot_digest(context, ballot)
        assert dict(taken[7 * i].ciphertexts) == {
            (c.contest_id, s.option_id): s.ciphertext for c in ballot.contests for s in c.selections
        }


def test_a_ballot_that_fails_is_left_out(
    election: Election, ballots: list[EncryptedBallot]
) -> None:
    raws = [raw_ballot(b) for b in ballots]
    bad = raws[1]._replace(signature_response=raws[2].signature_response)
    style = raws[0]._replace(style_id="nowhere")
    given = [(0, style), (1, bad), *((i, r) for i, r in enumerate(raws) if i > 1)]
    taken = check_raw_ballots(election.context, given, SeededRandom(3))
    assert sorted(taken) == list(range(2, len(raws)))
    assert check_raw_ballots(election.context, [], SeededRandom(4)) == {}
