"""Ranked contests on ballots (spec/protocol.md#13.1-13.4, check V22): the sample manifest's
``south-representative`` (IRV, 4 options) encrypted as 4 ranks, each proven in ``0..4``.

Every ranking the counting rules understand is accepted (blank, skipped and repeated ranks
are the counting rule's business); a value outside ``0..m`` cannot be proven; a rank proof
altered, moved to another rank or copied from another ballot fails V22 (each test re-signs
the ballot, so that V8 does not hide it; without re-signing, V8 fails first, as the
one-by-one path names it).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from suffrage.core import SeededRandom
from suffrage.core.elgamal import Ciphertext, encrypt
from suffrage.core.group import Element
from suffrage.core.proofs import RangeProof, prove_range, prove_schnorr
from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidBallot, InvalidEncoding, VerificationFailed
from suffrage.protocol.ballot import (
    RANK,
    SIGNATURE,
    BallotSecrets,
    ContestCiphertexts,
    EncryptedBallot,
    RankCiphertext,
    RankedContestCiphertexts,
    RawRankedContest,
    ballot_digest,
    encrypt_ballot,
    rank_context,
    raw_ballot,
    style_contests,
)
from suffrage.protocol.ballot_check import (
    check_ballot,
    check_ballot_shape,
    check_ballot_signature,
    check_limit_proofs,
    check_rank_proofs,
    check_selection_proofs,
    check_spoiled_ballot,
)
from suffrage.protocol.batch_check import fast_check
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.record.codec import ballot_from_json, ballot_to_json, reveal_from_json, reveal_to_json
from suffrage.service.election import key_ceremony

RANKED = "south-representative"
M = 4


@pytest.fixture(scope="module")
def setup() -> tuple[ElectionContext, list[Credential]]:
    manifest = load_sample_manifest()
    rng = SeededRandom(71)
    secrets, _, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    voters = [
        Credential.from_code(generate_credential(rng), election_id=manifest.election_id)
        for _ in range(3)
    ]
    context = make_context(
        manifest=manifest,
        threshold=2,
        guardians=[s.public for s in secrets],
        credentials=[CredentialKey(v.public, "south") for v in voters],
    )
    return context, voters


def cast(
    setup: tuple[ElectionContext, list[Credential]],
    ranking: list[int],
    *,
    voter: int = 0,
    seed: int = 5,
) -> tuple[EncryptedBallot, BallotSecrets]:
    context, voters = setup
    choices = {c.contest_id: [0] * len(c.options) for c in style_contests(context, "south")}
    choices["mayor"] = [0, 1, 0, 0]
    choices[RANKED] = ranking
    return encrypt_ballot(
        context, style_id="south", choices=choices, credential=voters[voter], rng=SeededRandom(seed)
    )


def resign(
    context: ElectionContext, ballot: EncryptedBallot, credential: Credential, rng: RandomSource
) -> EncryptedBallot:
    """``ballot`` with a fresh, valid signature over what it now holds."""
    signature = prove_schnorr(
        secret=credential.secret,
        public=credential.public,
        context=context.base_hash,
        message=ballot_digest(context, ballot),
        rng=rng,
        purpose=SIGNATURE,
    )
    return replace(ballot, signature=signature)


def ranked_part(ballot: EncryptedBallot) -> RankedContestCiphertexts:
    part = next(c for c in ballot.contests if c.contest_id == RANKED)
    assert isinstance(part, RankedContestCiphertexts)
    return part


def with_ranks(
    setup: tuple[ElectionContext, list[Credential]],
    ballot: EncryptedBallot,
    ranks: tuple[RankCiphertext, ...],
    voter: int = 0,
) -> EncryptedBallot:
    """``ballot`` with its ranked contest's ranks replaced, and signed again."""
    context, voters = setup
    contests = tuple(
        replace(c, ranks=ranks) if isinstance(c, RankedContestCiphertexts) else c
        for c in ballot.contests
    )
    return resign(context, replace(ballot, contests=contests), voters[voter], SeededRandom(9))


def v22(setup: tuple[ElectionContext, list[Credential]], ballot: EncryptedBallot) -> str:
    with pytest.raises(VerificationFailed) as caught:
        check_rank_proofs(setup[0], ballot)
    assert caught.value.check == "V22"
    return caught.value.reason


@pytest.mark.parametrize(
    "ranking",
    [
        [1, 2, 3, 4],  # a full ranking
        [3, 0, 0, 0],  # one preference only
        [0, 0, 0, 0],  # blank
        [2, 0, 1, 0],  # a skipped rank: the counting rule decides
        [4, 4, 1, 1],  # repeated options: the counting rule decides
    ],
)
def test_every_countable_ranking_is_encrypted_and_accepted(
    setup: tuple[ElectionContext, list[Credential]], ranking: list[int]
) -> None:
    context, _ = setup
    ballot, secrets = cast(setup, ranking)
    part = ranked_part(ballot)
    assert len(part.ranks) == M
    assert part.selections == ()
    assert secrets.values[RANKED] == tuple(ranking)
    for rank, value, nonce in zip(part.ranks, ranking, secrets.nonces[RANKED], strict=True):
        assert rank.ciphertext == encrypt(value, nonce, context.joint_key)
        assert len(rank.proof.challenges) == M + 1
    digest = ballot_digest(context, ballot)
    assert check_ballot(context, ballot) == digest
    assert check_ballot(context, ballot, rng=SeededRandom(1)) == digest
    check_spoiled_ballot(context, ballot, secrets)
    assert ballot_from_json(ballot_to_json(ballot), "ballot") == ballot


def test_the_kernel_batch_takes_a_ballot_with_a_ranked_contest_and_leaves_a_short_one(
    setup: tuple[ElectionContext, list[Credential]],
) -> None:
    """spec/protocol.md#7, steps 1 and 2: the kernel checks the rank proofs (V22) and gives
    the reference's hash; a ranked part of the wrong number of ranks goes one by one (V7)."""
    ballot, _ = cast(setup, [1, 2, 3, 4])
    raw = raw_ballot(ballot)
    verdict = fast_check(setup[0], [(0, raw)], SeededRandom(2)).verdicts[0]
    assert verdict == (None, ballot_digest(setup[0], ballot))
    short = raw._replace(
        contests=tuple(
            c._replace(ranks=c.ranks[:3]) if isinstance(c, RawRankedContest) else c
            for c in raw.contests
        )
    )
    assert fast_check(setup[0], [(0, short)], SeededRandom(2)).verdicts == {}


@pytest.mark.parametrize(
    ("ranking", "reason"),
    [
        ([1, 2, 3, 5], r"rank 4: 5 is not 0 \(no option\) or an option's 1\.\.4"),
        ([-1, 0, 0, 0], r"rank 1: -1 is not"),
        ([1, 2, 3], r"expected 4 ranks, got 3"),
        ([1, 2, 3, 4, 0], r"expected 4 ranks, got 5"),
    ],
)
def test_a_ranking_outside_the_contest_is_refused_before_encrypting(
    setup: tuple[ElectionContext, list[Credential]], ranking: list[int], reason: str
) -> None:
    context, voters = setup
    choices = {c.contest_id: [0] * len(c.options) for c in style_contests(context, "south")}
    choices[RANKED] = ranking
    before = SeededRandom(5).token(8)
    rng = SeededRandom(5)
    with pytest.raises(InvalidBallot, match=reason) as caught:
        encrypt_ballot(context, style_id="south", choices=choices, credential=voters[0], rng=rng)
    assert caught.value.field == f"choices.{RANKED}"
    assert rng.token(8) == before, "nothing was drawn: refused before encrypting"


def test_a_rank_of_m_plus_one_cannot_be_proven(
    setup: tuple[ElectionContext, list[Credential]],
) -> None:
    """The prover refuses it; and a proof of a wider range (R = m + 1) is not a rank proof."""
    context, voters = setup
    nonce = SeededRandom(3).scalar()
    ciphertext = encrypt(M + 1, nonce, context.joint_key)
    where = rank_context(context, voters[0].public, RANKED, 1)
    arguments = {
        "ciphertext": ciphertext,
        "value": M + 1,
        "nonce": nonce,
        "key": context.joint_key,
        "context": where,
        "rng": SeededRandom(4),
        "purpose": RANK,
    }
    with pytest.raises(ValueError, match="outside the range"):
        prove_range(limit=M, **arguments)  # type: ignore[arg-type]
    wider = prove_range(limit=M + 1, **arguments)  # type: ignore[arg-type]
    ballot, _ = cast(setup, [1, 2, 3, 4])
    ranks = (RankCiphertext(ciphertext=ciphertext, proof=wider), *ranked_part(ballot).ranks[1:])
    assert "rank 1" in v22(setup, with_ranks(setup, ballot, ranks))


def _other(ciphertext: Ciphertext) -> Ciphertext:
    return Ciphertext(alpha=ciphertext.alpha, beta=ciphertext.beta + Element.generator())


def _bent(proof: RangeProof) -> RangeProof:
    responses = (proof.responses[0] + proof.responses[0], *proof.responses[1:])
    return replace(proof, responses=responses)


@pytest.mark.parametrize("rank", range(M))
@pytest.mark.parametrize("part", ["ciphertext", "proof"])
def test_tampering_with_any_rank_fails_v22(
    setup: tuple[ElectionContext, list[Credential]], rank: int, part: str
) -> None:
    context, _ = setup
    ballot, _ = cast(setup, [2, 1, 0, 0])
    ranks = list(ranked_part(ballot).ranks)
    one = ranks[rank]
    if part == "ciphertext":  # encrypts 1 more than proven: the proof no longer fits
        ranks[rank] = replace(one, ciphertext=_other(one.ciphertext))
    else:
        ranks[rank] = replace(one, proof=_bent(one.proof))
    unsigned = replace(
        ballot,
        contests=tuple(
            replace(c, ranks=tuple(ranks)) if isinstance(c, RankedContestCiphertexts) else c
            for c in ballot.contests
        ),
    )
    # As tampered, the signature no longer covers the ballot: V8 is its first failure.
    with pytest.raises(VerificationFailed) as caught:
        check_ballot(context, unsigned)
    assert caught.value.check == "V8"
    # Signed again by its voter, only V22 fails, naming the contest and the rank.
    signed = with_ranks(setup, ballot, tuple(ranks))
    check_ballot_shape(context, signed)
    check_ballot_signature(context, signed)
    check_selection_proofs(context, signed)
    check_limit_proofs(context, signed)
    assert v22(setup, signed).startswith(f"contest {RANKED}, rank {rank + 1}: ")
    with pytest.raises(VerificationFailed) as caught:
        check_ballot(context, signed, rng=SeededRandom(1))
    assert caught.value.check == "V22"


def test_a_rank_proof_moved_to_another_rank_fails(
    setup: tuple[ElectionContext, list[Credential]],
) -> None:
    """The context binds the rank (spec #13.2): ranks 1 and 2 swapped, proofs and all."""
    ballot, _ = cast(setup, [2, 1, 0, 0])
    first, second, *rest = ranked_part(ballot).ranks
    swapped = with_ranks(setup, ballot, (second, first, *rest))
    assert v22(setup, swapped).startswith(f"contest {RANKED}, rank 1: ")


def test_a_rank_copied_from_another_ballot_fails(
    setup: tuple[ElectionContext, list[Credential]],
) -> None:
    """The context binds the credential: another voter's first rank, with its proof."""
    mine, _ = cast(setup, [1, 0, 0, 0], voter=0)
    theirs, _ = cast(setup, [3, 0, 0, 0], voter=1, seed=6)
    copied = (ranked_part(theirs).ranks[0], *ranked_part(mine).ranks[1:])
    assert v22(setup, with_ranks(setup, mine, copied)).startswith(f"contest {RANKED}, rank 1: ")


def test_v7_holds_a_ranked_contest_to_m_ranks_and_no_selections(
    setup: tuple[ElectionContext, list[Credential]],
) -> None:
    context, voters = setup
    ballot, _ = cast(setup, [1, 2, 3, 4])
    short = with_ranks(setup, ballot, ranked_part(ballot).ranks[:3])
    with pytest.raises(VerificationFailed, match=r"expected 4 ranks \(one per option\), got 3"):
        check_ballot_shape(context, short)
    mayor = next(c for c in ballot.contests if c.contest_id == "mayor")
    assert isinstance(mayor, ContestCiphertexts)
    as_selections = replace(mayor, contest_id=RANKED)
    swapped = tuple(as_selections if c.contest_id == RANKED else c for c in ballot.contests)
    with pytest.raises(VerificationFailed, match=r"is ranked: expected 4 ranks and no selections"):
        check_ballot_shape(context, replace(ballot, contests=swapped))
    as_ranks = RankedContestCiphertexts(contest_id="mayor", ranks=ranked_part(ballot).ranks)
    swapped = tuple(as_ranks if c.contest_id == "mayor" else c for c in ballot.contests)
    with pytest.raises(VerificationFailed, match=r"mayor: the contest is not ranked"):
        check_ballot_shape(context, replace(ballot, contests=swapped))
    assert voters


def test_v13_checks_a_spoiled_ranked_ballot(
    setup: tuple[ElectionContext, list[Credential]],
) -> None:
    context, _ = setup
    ballot, secrets = cast(setup, [2, 0, 4, 0])
    check_spoiled_ballot(context, ballot, secrets)
    reveal = reveal_to_json(secrets)
    assert reveal[RANKED]["values"] == [2, 0, 4, 0]
    check_spoiled_ballot(context, ballot, reveal_from_json(reveal, "reveal"))

    def changed(values: tuple[int, ...]) -> BallotSecrets:
        return BallotSecrets(values={**secrets.values, RANKED: values}, nonces=dict(secrets.nonces))

    for values, reason in (
        ((2, 0, 3, 0), r"contest south-representative, rank 3: the ciphertext does not"),
        ((2, 0, 5, 0), r"contest south-representative: the revealed choices are not valid"),
        ((2, 0, 4), r"contest south-representative: the reveal does not cover every rank"),
    ):
        with pytest.raises(VerificationFailed, match=reason) as caught:
            check_spoiled_ballot(context, ballot, changed(values))
        assert caught.value.check == "V13"


def test_the_record_holds_a_contest_with_selections_or_ranks_never_both(
    setup: tuple[ElectionContext, list[Credential]],
) -> None:
    ballot, _ = cast(setup, [1, 2, 3, 4])
    value = ballot_to_json(ballot)
    ranked = next(c for c in value["contests"] if c["contest_id"] == RANKED)
    assert set(ranked) == {"contest_id", "ranks"}
    assert set(ranked["ranks"][0]) == {"ciphertext", "proof"}
    plain = next(c for c in value["contests"] if c["contest_id"] == "mayor")
    both = {**ranked, "selections": plain["selections"], "limit_proof": plain["limit_proof"]}
    with pytest.raises(InvalidEncoding, match="has both selections and ranks"):
        ballot_from_json({**value, "contests": [both]}, "ballot")
    with pytest.raises(InvalidEncoding, match="has neither selections nor ranks"):
        ballot_from_json({**value, "contests": [{"contest_id": RANKED}]}, "ballot")
    extra = {**ranked, "limit_proof": plain["limit_proof"]}
    with pytest.raises(InvalidEncoding, match=r"unknown limit_proof"):
        ballot_from_json({**value, "contests": [extra]}, "ballot")


def test_ranks_where_the_style_has_selections_fail_v7_on_either_path(
    setup: tuple[ElectionContext, list[Credential]],
) -> None:
    """A plain style's contest sent as ranks: the kernel's batch leaves it (it cannot lay it
    out) and the one-by-one path names V7, the first check (the credential, bound to the
    south style, would fail V18 too)."""
    context, voters = setup
    ranked, _ = cast(setup, [1, 2, 3, 4])
    choices = {c.contest_id: [0] * len(c.options) for c in style_contests(context, "north")}
    ballot, _ = encrypt_ballot(
        context, style_id="north", choices=choices, credential=voters[0], rng=SeededRandom(7)
    )
    as_ranks = RankedContestCiphertexts(contest_id="mayor", ranks=ranked_part(ranked).ranks)
    contests = tuple(as_ranks if c.contest_id == "mayor" else c for c in ballot.contests)
    forged = resign(context, replace(ballot, contests=contests), voters[0], SeededRandom(8))
    assert fast_check(context, [(0, raw_ballot(forged))], SeededRandom(2)).verdicts == {}
    for rng in (None, SeededRandom(3)):
        with pytest.raises(VerificationFailed, match="mayor: the contest is not ranked") as caught:
            check_ballot(context, forged, rng=rng)
        assert caught.value.check == "V7"
