"""Ranked contests through the mix-net, in one process (spec/protocol.md#19).

Ballots with a ranked contest are encrypted, their ranks taken apart, shuffled by every
guardian in turn, decrypted by two of three guardians and counted; the counted rankings
must be exactly the ones cast (in another order), and every mix and share must be refused
when it is not what it claims to be.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from suffrage._native import Scalar
from suffrage.core import SeededRandom
from suffrage.errors import InvalidInput, VerificationFailed
from suffrage.protocol.ballot import EncryptedBallot, encrypt_ballot, style_contests
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.protocol.key_ceremony import GuardianSecret
from suffrage.protocol.manifest import Contest, load_sample_manifest
from suffrage.protocol.mixnet import (
    Mix,
    MixDecryption,
    check_mix,
    check_mix_decryption,
    combine_mix,
    decrypt_mix,
    make_mix,
    mix_input,
    ranked_contests,
)
from suffrage.protocol.results import ranked_count
from suffrage.record.ranked import (
    mix_decryption_lines,
    mix_decryption_name,
    mix_lines,
    mix_name,
    ranked_lines,
    ranked_name,
    read_mix,
    read_mix_decryption,
    read_ranked,
)
from suffrage.service.election import key_ceremony

TALLY_HASH = bytes(range(64))
"""Stands for the tally hash the mixes bind (spec #19.2); any 64 bytes serve here."""

RANKINGS = [
    (1, 2, 3, 4),
    (2, 1, 0, 0),
    (3, 0, 0, 0),
    (0, 0, 0, 0),  # a blank ranking
    (4, 4, 1, 0),  # a repeated option
    (0, 2, 0, 3),  # a skipped first rank
    (2, 3, 1, 4),
    (1, 0, 0, 0),
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Election:
    context: ElectionContext
    guardians: list[GuardianSecret]
    key_shares: dict[int, Scalar]
    ballots: list[EncryptedBallot]

    @property
    def contest(self) -> Contest:
        return ranked_contests(self.context)[0]


@pytest.fixture(scope="module")
def election() -> Election:
    rng = SeededRandom("mixnet")
    manifest = load_sample_manifest()
    secrets, key_shares, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    voters = [
        Credential.from_code(generate_credential(rng), election_id=manifest.election_id)
        for _ in RANKINGS
    ]
    context = make_context(
        manifest=manifest,
        threshold=2,
        guardians=[s.public for s in secrets],
        credentials=[CredentialKey(v.public, "south") for v in voters],
    )
    ballots = []
    for voter, ranking in zip(voters, RANKINGS, strict=True):
        choices: dict[str, Sequence[int]] = {}
        for contest in style_contests(context, "south"):
            if contest.is_homomorphic:
                choices[contest.contest_id] = [0] * len(contest.options)
            else:
                choices[contest.contest_id] = ranking
        ballot, _ = encrypt_ballot(
            context, style_id="south", choices=choices, credential=voter, rng=rng
        )
        ballots.append(ballot)
    return Election(context=context, guardians=secrets, key_shares=key_shares, ballots=ballots)


def mix_all(e: Election, rng: SeededRandom) -> tuple[list[Mix], list[bytes]]:
    """Every guardian mixes in turn; each mix is checked; returns the mixes and digests."""
    inputs = mix_input(e.contest, e.ballots)
    mixes, digests = [], []
    for index, guardian in enumerate(e.guardians, start=1):
        mix = make_mix(
            e.context,
            TALLY_HASH,
            e.contest,
            index=index,
            mixer=guardian.index,
            communication_secret=guardian.communication_secret,
            inputs=inputs,
            rng=rng,
        )
        digests.append(check_mix(e.context, TALLY_HASH, e.contest, mix, index=index, inputs=inputs))
        mixes.append(mix)
        inputs = mix.outputs
    return mixes, digests


@pytest.fixture(scope="module")
def mixed(election: Election) -> tuple[list[Mix], list[bytes]]:
    return mix_all(election, SeededRandom("mixes"))


def decrypt(e: Election, last: Mix, digest: bytes, guardians: Sequence[int]) -> list[MixDecryption]:
    rng = SeededRandom("decrypt")
    return [
        decrypt_mix(
            e.context, e.contest, last, digest, guardian=g, key_share=e.key_shares[g], rng=rng
        )
        for g in guardians
    ]


def test_the_counted_rankings_are_the_cast_ones_shuffled(
    election: Election, mixed: tuple[list[Mix], list[bytes]]
) -> None:
    mixes, digests = mixed
    assert [m.rows for m in mixes] == [len(RANKINGS)] * 3
    assert len({m.outputs for m in mixes}) == 3  # each mix re-encrypted every ciphertext
    parts = decrypt(election, mixes[-1], digests[-1], [1, 3])
    for part in parts:
        check_mix_decryption(election.context, election.contest, mixes[-1], digests[-1], part)
    rows = combine_mix(election.context, election.contest, mixes[-1], parts)
    assert Counter(rows) == Counter(RANKINGS)
    # Any two guardians give the same rows, in the same (shuffled) order.
    other = decrypt(election, mixes[-1], digests[-1], [2, 3])
    assert combine_mix(election.context, election.contest, mixes[-1], other) == rows
    counted = ranked_count(election.contest, rows, seed=7)
    assert counted.elected == ranked_count(election.contest, RANKINGS, seed=7).elected


def test_the_first_mix_takes_only_the_ranks_in_board_order(election: Election) -> None:
    rows = mix_input(election.contest, election.ballots)
    width = len(election.contest.options)
    assert len(rows) == len(RANKINGS) * width * 64
    first = election.ballots[0].contests
    ranked = next(p for p in first if p.contest_id == election.contest.contest_id)
    assert rows[:32] == ranked.ranks[0].ciphertext.alpha.to_bytes()  # type: ignore[attr-defined]
    assert mix_input(election.contest, election.ballots[1:]) == rows[width * 64 :]


def refused(e: Election, mix: Mix, *, index: int, inputs: bytes, check: str, reason: str) -> None:
    with pytest.raises(VerificationFailed) as caught:
        check_mix(e.context, TALLY_HASH, e.contest, mix, index=index, inputs=inputs)
    assert caught.value.check == check
    assert reason in caught.value.reason


def test_a_mix_out_of_its_place_is_refused(
    election: Election, mixed: tuple[list[Mix], list[bytes]]
) -> None:
    mixes, _ = mixed
    inputs = mix_input(election.contest, election.ballots)
    first = mixes[0]
    refused(election, first, index=2, inputs=inputs, check="V23", reason="mix 1")
    stranger = dataclasses.replace(first, mixer=9)
    refused(election, stranger, index=1, inputs=inputs, check="V23", reason="not a guardian")
    # The second mix's proof is about the first mix's output, not the ballots.
    refused(election, mixes[1], index=2, inputs=inputs, check="V24", reason="proof of shuffle")
    # Another mixer's name on the same mix: the context, so the proof, differ.
    renamed = dataclasses.replace(first, mixer=2)
    refused(election, renamed, index=1, inputs=inputs, check="V24", reason="proof of shuffle")
    # Another tally (another set of counted ballots) is another context.
    with pytest.raises(VerificationFailed, match="proof of shuffle"):
        check_mix(election.context, bytes(64), election.contest, first, index=1, inputs=inputs)


def test_a_mix_of_the_wrong_shape_or_encoding_is_refused(
    election: Election, mixed: tuple[list[Mix], list[bytes]]
) -> None:
    first = mixed[0][0]
    inputs = mix_input(election.contest, election.ballots)
    width = len(election.contest.options)
    short = dataclasses.replace(first, outputs=first.outputs[: -width * 64])
    refused(election, short, index=1, inputs=inputs, check="V23", reason="7 output rows for 8")
    ragged = dataclasses.replace(first, outputs=first.outputs[:-32])
    refused(
        election, ragged, index=1, inputs=inputs, check="V23", reason="positive multiple of 256"
    )
    bad = bytearray(first.outputs)
    bad[64 + 31] |= 0x80  # a negative field element: not a canonical encoding
    noncanonical = dataclasses.replace(first, outputs=bytes(bad))
    refused(election, noncanonical, index=1, inputs=inputs, check="V24", reason="row")
    proof = first.proof._replace(s_hat=first.proof.s_hat[:-32])
    refused(
        election,
        dataclasses.replace(first, proof=proof),
        index=1,
        inputs=inputs,
        check="V24",
        reason="s_hat",
    )


def test_a_mix_signed_by_another_guardian_is_refused(
    election: Election, mixed: tuple[list[Mix], list[bytes]]
) -> None:
    first = mixed[0][0]
    inputs = mix_input(election.contest, election.ballots)
    other = mix_all(election, SeededRandom("other"))[0][1]
    forged = dataclasses.replace(first, signature=other.signature)
    refused(election, forged, index=1, inputs=inputs, check="V24", reason="signature of guardian 1")


def test_shares_that_are_not_proven_are_refused(
    election: Election, mixed: tuple[list[Mix], list[bytes]]
) -> None:
    mixes, digests = mixed
    last, digest = mixes[-1], digests[-1]
    part = decrypt(election, last, digest, [1])[0]
    swapped = part.shares[32:64] + part.shares[:32] + part.shares[64:]
    for bad, reason in [
        (dataclasses.replace(part, shares=swapped), "the shares are not proven"),
        (dataclasses.replace(part, guardian=2), "the shares are not proven"),
        (dataclasses.replace(part, guardian=4), "not a guardian"),
        (dataclasses.replace(part, contest_id="mayor"), "for contest mayor"),
        (dataclasses.replace(part, shares=part.shares[:-32]), "31 shares for 32"),
    ]:
        with pytest.raises(VerificationFailed) as caught:
            check_mix_decryption(election.context, election.contest, last, digest, bad)
        assert caught.value.check == "V25"
        assert reason in caught.value.reason
    # A proof made for the previous mix's digest does not hold for the last one.
    with pytest.raises(VerificationFailed, match="not proven"):
        check_mix_decryption(election.context, election.contest, last, digests[0], part)


def test_fewer_than_k_guardians_cannot_decrypt(
    election: Election, mixed: tuple[list[Mix], list[bytes]]
) -> None:
    mixes, digests = mixed
    parts = decrypt(election, mixes[-1], digests[-1], [2])
    with pytest.raises(VerificationFailed, match="1 guardians decrypted; 2 are needed"):
        combine_mix(election.context, election.contest, mixes[-1], parts)


def test_the_record_files_give_back_what_was_written(
    election: Election, mixed: tuple[list[Mix], list[bytes]], tmp_path: Path
) -> None:
    mixes, digests = mixed
    contest = election.contest
    for mix in mixes:
        path = tmp_path / mix_name(contest.contest_id, mix.index)
        path.write_bytes(b"".join(mix_lines(mix)))
        assert read_mix(path, contest, index=mix.index) == mix
    part = decrypt(election, mixes[-1], digests[-1], [3])[0]
    path = tmp_path / mix_decryption_name(contest.contest_id, 3)
    path.write_bytes(b"".join(mix_decryption_lines(part, len(contest.options))))
    assert read_mix_decryption(path, contest, rows=len(RANKINGS)) == part
    path = tmp_path / ranked_name(contest.contest_id)
    path.write_bytes(b"".join(ranked_lines(contest, RANKINGS)))
    assert read_ranked(path, contest) == tuple(RANKINGS)
    assert b'"ranks":["aisha-rahman","pierre-dubois",' in path.read_bytes()
    assert b'"ranks":[null,"pierre-dubois",null,' in path.read_bytes()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda lines: lines[:-1], "7 rows, the header says 8"),
        (lambda lines: [*lines, lines[-1]], "more rows than the header's 8"),
        (lambda lines: [lines[0], lines[2], lines[1], *lines[3:]], "expected row 1, got 2"),
        (lambda lines: [lines[0].replace(b'"mix":1', b'"mix":2'), *lines[1:]], "expected mix 1"),
        (lambda lines: [lines[0].replace(b'"width":4', b'"width":3'), *lines[1:]], "expected 4"),
        (
            lambda lines: [lines[0], lines[1].replace(b'"chain":"', b'"chain":"A'), *lines[2:]],
            "chain",
        ),
        (
            lambda lines: [lines[0], lines[1][:-2] + b',"zz":1}\n', *lines[2:]],
            "unknown zz",
        ),
        (lambda lines: [lines[0], lines[1][:-1] + b" \n", *lines[2:]], "canonical"),
    ],
)
def test_a_damaged_mix_file_is_refused_naming_the_place(
    election: Election,
    mixed: tuple[list[Mix], list[bytes]],
    tmp_path: Path,
    change: Callable[[list[bytes]], list[bytes]],
    reason: str,
) -> None:
    mix = mixed[0][0]
    path = tmp_path / "mix.jsonl"
    path.write_bytes(b"".join(change(list(mix_lines(mix)))))
    with pytest.raises(InvalidInput) as caught:
        read_mix(path, election.contest, index=1)
    assert reason in str(caught.value)
    assert "mix.jsonl" in str(caught.value)
