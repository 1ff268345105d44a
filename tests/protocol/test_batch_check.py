"""The fast path's batch check, reached from ``protocol`` (as the board's check at casting can):
it passes every valid ballot, with its hash, sums the passed ballots' ciphertexts, and passes
none that fails a check."""

from __future__ import annotations

import pytest

from suffrage.core import SeededRandom
from suffrage.core.elgamal import Ciphertext
from suffrage.protocol.ballot import (
    EncryptedBallot,
    ballot_digest,
    encrypt_ballot,
    raw_ballot,
)
from suffrage.protocol.ballot_check import check_ballot
from suffrage.protocol.batch_check import fast_check
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.service.election import homomorphic_only

from .test_election import Election, choices_for, set_up, style_of


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
    checked = fast_check(
        context, [(7 * i, raw_ballot(b)) for i, b in enumerate(ballots)], SeededRandom(1)
    )
    assert sorted(checked.verdicts) == [7 * i for i in range(len(ballots))]
    sums: dict[tuple[str, str], Ciphertext] = {}
    for i, ballot in enumerate(ballots):
        check_ballot(context, ballot)  # the reference agrees
        assert checked.verdicts[7 * i] == (None, ballot_digest(context, ballot))
        for c in ballot.contests:
            for s in c.selections:
                key = (c.contest_id, s.option_id)
                sums[key] = s.ciphertext if key not in sums else sums[key] + s.ciphertext
    assert checked.sums == sums


def test_a_ballot_that_fails_is_left_out(
    election: Election, ballots: list[EncryptedBallot]
) -> None:
    raws = [raw_ballot(b) for b in ballots]
    bad = raws[1]._replace(signature_response=raws[2].signature_response)
    style = raws[0]._replace(style_id="nowhere")
    given = [(0, style), (1, bad), *((i, r) for i, r in enumerate(raws) if i > 1)]
    checked = fast_check(election.context, given, SeededRandom(3))
    assert 0 not in checked.verdicts  # a style without a shape: left to the one-by-one path
    assert checked.verdicts[1].failed == "V8"
    assert [k for k, v in checked.verdicts.items() if v.failed is None] == list(range(2, len(raws)))
    only_good = fast_check(election.context, given[2:], SeededRandom(4))
    assert checked.sums == only_good.sums  # a refused ballot adds nothing
    assert fast_check(election.context, [], SeededRandom(4)) == ({}, {})
