"""Bad ballots for the tamper and board tests: each honest but for one forged part.

Each forgery is signed by its credential after the forged part is in place, so that exactly
one check (the one the test names) can catch it, and never the signature by accident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from suffrage._native import Element, Scalar
from suffrage.core import Ciphertext, RandomSource, add_ciphertexts, encrypt
from suffrage.core.proofs import RangeProof, prove_range, prove_schnorr
from suffrage.protocol.ballot import (
    CONTEST_LIMIT,
    SELECTION,
    SIGNATURE,
    ContestCiphertexts,
    EncryptedBallot,
    SelectionCiphertext,
    ballot_hash,
    encrypt_ballot,
    proof_context,
    style_contests,
)
from suffrage.protocol.board import BoardEntry, EntryState, tracking_code
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.credentials import Credential, generate_credential
from suffrage.protocol.manifest import Contest

OVER_LIMIT_CONTEST = "mayor"
"""A 1-of-N plurality contest of the sample manifest, on every ballot style."""


def zero_choices(context: ElectionContext, style_id: str) -> dict[str, list[int]]:
    """A blank ballot's choices: 0 for every option of every contest of the style."""
    return {c.contest_id: [0] * len(c.options) for c in style_contests(context, style_id)}


def honest_ballot(
    context: ElectionContext, credential: Credential, rng: RandomSource, style_id: str = "north"
) -> EncryptedBallot:
    """A well-formed blank ballot of ``credential``."""
    ballot, _ = encrypt_ballot(
        context,
        style_id=style_id,
        choices=zero_choices(context, style_id),
        credential=credential,
        rng=rng,
    )
    return ballot


def resign(
    context: ElectionContext, ballot: EncryptedBallot, credential: Credential, rng: RandomSource
) -> EncryptedBallot:
    """``ballot`` with a fresh, valid signature over what it now holds."""
    digest = ballot_hash(
        context,
        ballot_id=ballot.ballot_id,
        style_id=ballot.style_id,
        credential=ballot.credential,
        contests=ballot.contests,
    )
    signature = prove_schnorr(
        secret=credential.secret,
        public=credential.public,
        context=context.base_hash,
        message=digest,
        rng=rng,
        purpose=SIGNATURE,
    )
    return replace(ballot, signature=signature)


def unlisted_ballot(context: ElectionContext, rng: RandomSource) -> EncryptedBallot:
    """A valid ballot signed by a fresh credential that is not on the published list."""
    stranger = Credential.from_code(generate_credential(rng), election_id=context.election_id)
    assert not context.is_eligible(stranger.public)
    return honest_ballot(context, stranger, rng)


def _selection(
    context: ElectionContext,
    credential: Credential,
    contest: Contest,
    index: int,
    value: int,
    nonce: Scalar,
    rng: RandomSource,
) -> SelectionCiphertext:
    option = contest.options[index].option_id
    ct = encrypt(value, nonce, context.joint_key)
    proof = prove_range(
        ciphertext=ct,
        value=value,
        nonce=nonce,
        key=context.joint_key,
        limit=1,
        rng=rng,
        context=proof_context(context, credential.public, contest.contest_id, option),
        purpose=SELECTION,
    )
    return SelectionCiphertext(option_id=option, ciphertext=ct, proof=proof)


def over_limit_contest(
    context: ElectionContext, credential: Credential, contest: Contest, rng: RandomSource
) -> ContestCiphertexts:
    """Two options of a 1-of-N contest set to 1, each honestly proven 0-or-1, and a limit
    proof made by claiming the sum is 1 when it is 2: only that proof is false."""
    values = [1, 1] + [0] * (len(contest.options) - 2)
    nonces = [rng.scalar() for _ in values]
    selections = tuple(
        _selection(context, credential, contest, i, v, n, rng)
        for i, (v, n) in enumerate(zip(values, nonces, strict=True))
    )
    total_nonce = Scalar.zero()
    for nonce in nonces:
        total_nonce = total_nonce + nonce
    limit_proof = prove_range(
        ciphertext=add_ciphertexts(s.ciphertext for s in selections),
        value=1,
        nonce=total_nonce,
        key=context.joint_key,
        limit=contest.selection_limit,
        rng=rng,
        context=proof_context(context, credential.public, contest.contest_id, ""),
        purpose=CONTEST_LIMIT,
    )
    return ContestCiphertexts(
        contest_id=contest.contest_id, selections=selections, limit_proof=limit_proof
    )


def over_limit_ballot(
    context: ElectionContext, credential: Credential, rng: RandomSource
) -> EncryptedBallot:
    """A ballot voting for two candidates of a 1-of-N contest, properly signed."""
    contest = next(c for c in context.manifest.contests if c.contest_id == OVER_LIMIT_CONTEST)
    assert contest.selection_limit == 1
    assert len(contest.options) >= 2
    ballot = honest_ballot(context, credential, rng)
    forged = over_limit_contest(context, credential, contest, rng)
    contests = tuple(forged if c.contest_id == contest.contest_id else c for c in ballot.contests)
    return resign(context, replace(ballot, contests=contests), credential, rng)


def shifted_selection_ballot(
    context: ElectionContext, credential: Credential, rng: RandomSource
) -> EncryptedBallot:
    """A ballot whose first selection's beta gained a generator (it now encrypts 1 more),
    re-signed, so only the selection proof (and the limit proof) can catch it."""
    ballot = honest_ballot(context, credential, rng)
    first = ballot.contests[0]
    sel = first.selections[0]
    shifted = Ciphertext(alpha=sel.ciphertext.alpha, beta=sel.ciphertext.beta + Element.generator())
    selections = (replace(sel, ciphertext=shifted), *first.selections[1:])
    contests = (replace(first, selections=selections), *ballot.contests[1:])
    return resign(context, replace(ballot, contests=contests), credential, rng)


def chained_entry(
    context: ElectionContext,
    ballot: EncryptedBallot,
    *,
    previous: bytes,
    sequence: int,
    state: EntryState = EntryState.CAST,
) -> BoardEntry:
    """The board entry ``ballot`` would get at ``sequence``, chained after ``previous``."""
    code = tracking_code(context, previous=previous, sequence=sequence, state=state, ballot=ballot)
    return BoardEntry(sequence=sequence, state=state, ballot=ballot, tracking_code=code)


def listed_credentials(codes: Sequence[str], election_id: str) -> list[Credential]:
    """The credentials of ``codes`` (the voters' secret codes)."""
    return [Credential.from_code(code, election_id=election_id) for code in codes]


def simulated_range_proof(
    ciphertext: Ciphertext, key: Element, limit: int, rng: RandomSource
) -> RangeProof:
    """A range proof every branch of which is simulated: each branch's two equations hold
    for its own random challenge and response, whatever the ciphertext encrypts. Only the
    sum of the branch challenges betrays it: it is not the Fiat-Shamir challenge."""
    a, b, c, s = [], [], [], []
    for j in range(limit + 1):
        challenge, response = rng.scalar(), rng.scalar()
        shifted = ciphertext.beta - Element.generator() * Scalar.from_int(j)
        a.append(Element.mul_base(response) - ciphertext.alpha * challenge)
        b.append(key * response - shifted * challenge)
        c.append(challenge)
        s.append(response)
    return RangeProof(
        commitments_g=tuple(a), commitments_k=tuple(b), challenges=tuple(c), responses=tuple(s)
    )


def simulated_contest(
    context: ElectionContext,
    credential: Credential,
    contest: Contest,
    values: Sequence[int],
    rng: RandomSource,
) -> ContestCiphertexts:
    """A contest whose selections encrypt ``values`` and whose limit proof is simulated.

    A selection outside 0..1 (2, say) gets a simulated proof; the others are honestly
    proven, so that with values ``[1, 1, 0, ...]`` only the limit proof is forged."""
    key = context.joint_key.element
    selections = []
    for index, value in enumerate(values):
        if value in (0, 1):
            selections.append(
                _selection(context, credential, contest, index, value, rng.scalar(), rng)
            )
            continue
        ct = encrypt(value, rng.scalar(), context.joint_key)
        proof = simulated_range_proof(ct, key, 1, rng)
        option = contest.options[index].option_id
        selections.append(SelectionCiphertext(option_id=option, ciphertext=ct, proof=proof))
    total = add_ciphertexts(s.ciphertext for s in selections)
    return ContestCiphertexts(
        contest_id=contest.contest_id,
        selections=tuple(selections),
        limit_proof=simulated_range_proof(total, key, contest.selection_limit, rng),
    )


def simulated_ballot(
    context: ElectionContext, credential: Credential, values: Sequence[int], rng: RandomSource
) -> EncryptedBallot:
    """A ballot whose mayor contest encrypts ``values`` with simulated proofs (see
    :func:`simulated_contest`), properly signed: only challenge sums are wrong."""
    contest = next(c for c in context.manifest.contests if c.contest_id == OVER_LIMIT_CONTEST)
    ballot = honest_ballot(context, credential, rng)
    forged = simulated_contest(context, credential, contest, values, rng)
    contests = tuple(forged if c.contest_id == contest.contest_id else c for c in ballot.contests)
    return resign(context, replace(ballot, contests=contests), credential, rng)
