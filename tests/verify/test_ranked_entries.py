"""Board entries with ranked contests in the verifier (checks V7, V8, V13, V22; spec #7, #15).

These tests check the board's lines the way the verifier does, chunk by chunk: a
ballots.jsonl mixing plain ballots and ranked ones (both of which the kernel's batch takes,
spec #7) gets the same outcome, line for line, and the same mix input, from the batched and
the one-by-one paths, and each defect is named by its check.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from suffrage.core import SeededRandom
from suffrage.core.elgamal import Ciphertext
from suffrage.core.group import Element
from suffrage.core.proofs import prove_schnorr
from suffrage.protocol.ballot import (
    SIGNATURE,
    BallotSecrets,
    EncryptedBallot,
    RankCiphertext,
    RankedContestCiphertexts,
    ballot_digest,
    encrypt_ballot,
    raw_ballot,
    style_contests,
)
from suffrage.protocol.batch_check import fast_check
from suffrage.protocol.board import BoardEntry, EntryState, chain_start, tracking_code
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.record.canonical import canonical_bytes
from suffrage.record.codec import entry_to_json
from suffrage.record.files import chunk_lines, decode_entry_line, read_chunk
from suffrage.record.flat import raw_entry
from suffrage.service.election import key_ceremony
from suffrage.verify.chunks import ChunkResult, verify_chunk
from suffrage.verify.fast import check_cast_lines, rank_rows

from .conftest import plain_manifest

RANKED = "south-representative"
Voters = list[Credential]


@pytest.fixture(scope="module")
def setup() -> tuple[ElectionContext, Voters]:
    manifest = plain_manifest(keep=[RANKED])  # the north style's ballots stay plain
    rng = SeededRandom(81)
    secrets, _, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    voters = [
        Credential.from_code(generate_credential(rng), election_id=manifest.election_id)
        for _ in range(6)
    ]
    context = make_context(
        manifest=manifest,
        threshold=2,
        guardians=[s.public for s in secrets],
        credentials=[
            CredentialKey(v.public, "north" if i < 2 else "south") for i, v in enumerate(voters)
        ],
    )
    return context, voters


def ballot(
    context: ElectionContext, voter: Credential, style: str, ranking: list[int], seed: int
) -> tuple[EncryptedBallot, BallotSecrets]:
    choices = {c.contest_id: [0] * len(c.options) for c in style_contests(context, style)}
    choices["mayor"] = [0, 0, 1, 0]
    if style == "south":
        choices[RANKED] = ranking
    return encrypt_ballot(
        context, style_id=style, choices=choices, credential=voter, rng=SeededRandom(seed)
    )


def with_ranks(
    context: ElectionContext,
    ballot: EncryptedBallot,
    ranks: tuple[RankCiphertext, ...],
    voter: Credential | None,
) -> EncryptedBallot:
    """``ballot`` with its ranks replaced; signed again by ``voter`` unless it is None."""
    contests = tuple(
        replace(c, ranks=ranks) if isinstance(c, RankedContestCiphertexts) else c
        for c in ballot.contests
    )
    changed = replace(ballot, contests=contests)
    if voter is None:
        return changed
    signature = prove_schnorr(
        secret=voter.secret,
        public=voter.public,
        context=context.base_hash,
        message=ballot_digest(context, changed),
        rng=SeededRandom(4),
        purpose=SIGNATURE,
    )
    return replace(changed, signature=signature)


def ranks_of(ballot: EncryptedBallot) -> tuple[RankCiphertext, ...]:
    return next(c.ranks for c in ballot.contests if isinstance(c, RankedContestCiphertexts))


def bent(ranks: tuple[RankCiphertext, ...], k: int) -> tuple[RankCiphertext, ...]:
    """Rank ``k`` (from 1) encrypting one more than its proof says."""
    one = ranks[k - 1]
    ct = Ciphertext(alpha=one.ciphertext.alpha, beta=one.ciphertext.beta + Element.generator())
    return (*ranks[: k - 1], replace(one, ciphertext=ct), *ranks[k:])


def board(
    context: ElectionContext, voters: Voters
) -> list[tuple[EntryState, EncryptedBallot, BallotSecrets | None, set[str]]]:
    """The entries, each with the checks it must fail."""
    north, _ = ballot(context, voters[0], "north", [], 1)
    ranked, _ = ballot(context, voters[2], "south", [1, 2, 3, 4], 2)
    spoiled, secrets = ballot(context, voters[3], "south", [2, 0, 2, 0], 3)
    forged, _ = ballot(context, voters[4], "south", [4, 0, 0, 0], 4)
    other, _ = ballot(context, voters[1], "north", [], 5)
    short, _ = ballot(context, voters[5], "south", [1, 0, 0, 0], 6)
    lied, lied_secrets = ballot(context, voters[3], "south", [3, 1, 0, 0], 7)
    blank, _ = ballot(context, voters[5], "south", [0, 0, 0, 0], 8)
    lie = BallotSecrets(
        values={**lied_secrets.values, RANKED: (3, 2, 0, 0)}, nonces=dict(lied_secrets.nonces)
    )
    cast, spoil = EntryState.CAST, EntryState.SPOILED
    return [
        (cast, north, None, set()),
        (cast, ranked, None, set()),
        (spoil, spoiled, secrets, set()),
        (cast, with_ranks(context, forged, bent(ranks_of(forged), 2), voters[4]), None, {"V22"}),
        (cast, with_ranks(context, forged, bent(ranks_of(forged), 3), None), None, {"V8", "V22"}),
        (cast, other, None, set()),
        (cast, with_ranks(context, short, ranks_of(short)[:3], voters[5]), None, {"V7"}),
        (spoil, lied, lie, {"V13"}),
        (cast, blank, None, set()),
    ]


@pytest.fixture(scope="module")
def ballots(
    setup: tuple[ElectionContext, Voters], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[set[str]]]:
    context, voters = setup
    previous, lines, expected = chain_start(context), [], []
    for sequence, (state, one, reveal, fails) in enumerate(board(context, voters), start=1):
        code = tracking_code(context, previous=previous, sequence=sequence, state=state, ballot=one)
        entry = BoardEntry(
            sequence=sequence, state=state, ballot=one, tracking_code=code, reveal=reveal
        )
        lines.append(canonical_bytes(entry_to_json(entry)) + b"\n")
        expected.append(fails)
        previous = code
    path = tmp_path_factory.mktemp("ranked") / "ballots.jsonl"
    path.write_bytes(b"".join(lines))
    return path, expected


def outcomes(result: ChunkResult) -> list[tuple[int, list[str], list[tuple[str, str]]]]:
    return [(o.position, sorted(o.passed), sorted(o.failed)) for o in result.outcomes]


@pytest.mark.parametrize("size", [1, 3, 256])
def test_batched_and_one_by_one_agree_on_a_board_mixing_ranked_and_plain(
    setup: tuple[ElectionContext, Voters], ballots: tuple[Path, list[set[str]]], size: int
) -> None:
    context, _ = setup
    path, expected = ballots
    chunks, problems = chunk_lines(path, size)
    assert problems == []
    found: list[set[str]] = []
    for chunk in chunks:
        batched = verify_chunk(context, chunk, SeededRandom(size))
        alone = verify_chunk(context, chunk, None)
        assert outcomes(batched) == outcomes(alone)
        assert sorted(batched.sums) == sorted(alone.sums)
        assert batched.last_code == alone.last_code
        assert batched.ranks == alone.ranks
        found += [{number for number, _ in o.failed} for o in batched.outcomes]
    assert found == expected


def test_v22_names_the_contest_and_the_rank(
    setup: tuple[ElectionContext, Voters], ballots: tuple[Path, list[set[str]]]
) -> None:
    context, _ = setup
    (chunk,), _ = chunk_lines(ballots[0], 256)
    result = verify_chunk(context, chunk, SeededRandom(1))
    reasons = {o.position: dict(o.failed) for o in result.outcomes}
    assert reasons[4]["V22"].startswith(f"entry 4: contest {RANKED}, rank 2: ")
    assert reasons[5]["V22"].startswith(f"entry 5: contest {RANKED}, rank 3: ")
    assert "signature" in reasons[5]["V8"]
    assert "expected 4 ranks (one per option), got 3" in reasons[7]["V7"]
    assert "rank 2: the ciphertext does not encrypt" in reasons[8]["V13"]
    summaries = {o.position: o.summary for o in result.outcomes}
    assert [p for p, s in summaries.items() if s is not None and not s.valid] == [4, 5, 7]
    passed = {o.position: set(o.passed) for o in result.outcomes}
    assert "V22" in passed[2]
    assert "V22" in passed[1], "a ballot without ranked contests passes V22 with nothing to check"


def test_the_batch_takes_plain_and_ranked_lines_and_names_a_bad_rank_proof_v22(
    setup: tuple[ElectionContext, Voters], ballots: tuple[Path, list[set[str]]]
) -> None:
    """The fast reader reads a ranked line and the kernel passes it (so the one-by-one path
    of the agreement test above only sees the spoiled lines, the short ranking and the
    refused ones); the kernel's own verdicts on the refused ranked lines are the reference's
    first failures."""
    context, _ = setup
    (chunk,), _ = chunk_lines(ballots[0], 256)
    _, lines = read_chunk(chunk)
    taken, _ = check_cast_lines(context, lines, SeededRandom(2))
    assert sorted(taken) == [1, 2, 6, 9]
    assert [r[:2] for r in rank_rows(taken[2])] == [(2, RANKED)]
    read = {n: raw_entry(line) for n, line in lines}
    assert [n for n, entry in read.items() if entry is None] == [3, 8]  # the spoiled lines
    cast = [(n, entry.ballot) for n, entry in read.items() if entry is not None]
    verdicts = fast_check(context, cast, SeededRandom(3)).verdicts
    assert {n: v.failed for n, v in verdicts.items()} == {
        1: None,
        2: None,
        4: "V22",
        5: "V8",
        6: None,
        9: None,
    }, "line 7 (three ranks for four options) is not the kernel's: V7 is named one by one"


def test_the_fast_reader_reads_a_ranked_line_as_the_full_decoder_does(
    ballots: tuple[Path, list[set[str]]],
) -> None:
    """spec/protocol.md#7, step 1: the same encodings from both readers, and a ranked part
    with a field too many, or with selections as well, is left to the full decoder."""
    lines = ballots[0].read_bytes().splitlines()
    read = 0
    for number, line in enumerate(lines, start=1):
        fast = raw_entry(line)
        if fast is not None:
            read += 1
            assert fast.ballot == raw_ballot(decode_entry_line(number, line).ballot)
    assert read == 7  # every cast line; the two spoiled ones have a reveal
    value = orjson.loads(lines[1])
    part = next(c for c in value["ballot"]["contests"] if "ranks" in c)
    for extra in ("limit_proof", "selections"):
        part[extra] = []
        assert raw_entry(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)) is None
        del part[extra]
    assert raw_entry(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)) is not None
