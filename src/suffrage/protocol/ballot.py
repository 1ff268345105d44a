"""Ballots: encrypt on the voter's device, check at the door (spec/protocol.md#13).

A ballot holds, for each contest of the voter's ballot style, one ciphertext per option
encrypting 0 or 1 with a range proof (``R = 1``), and a range proof that the contest's
selections add up to at most its selection limit. Every proof's context binds the base hash,
the credential key and the position (contest, option), so a ciphertext copied from another
ballot cannot be proven again. The whole ballot is signed with the voter's credential.

A ranked contest (IRV, STV, Condorcet) of ``m`` options is instead ``m`` ranks, rank ``k``
encrypting the position (1 to ``m``) of the option ranked ``k``-th, or 0 for none, with a
range proof that it is in ``0..m`` (spec #13.1): such values cannot be summed, so they are
shuffled before they are decrypted; the proof only makes every shuffled rank decrypt to
something the counting rules understand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from suffrage.core.elgamal import Ciphertext, add_ciphertexts
from suffrage.core.group import Element, Scalar, scalar_from_int
from suffrage.core.hashing import Transcript
from suffrage.core.proofs import RangeClaim, RangeProof, SchnorrProof, prove_schnorr
from suffrage.core.proofs.range import (
    RangeWitness,
    draw_ranges,
    encrypt_and_commit,
    finish_ranges,
)
from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidBallot
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.credentials import Credential
from suffrage.protocol.manifest import Contest

__all__ = [
    "BallotContest",
    "BallotSecrets",
    "ContestCiphertexts",
    "EncryptedBallot",
    "RankCiphertext",
    "RankedContestCiphertexts",
    "RawBallot",
    "RawContest",
    "RawRange",
    "RawRank",
    "RawRankedContest",
    "RawSelection",
    "SelectionCiphertext",
    "ballot_digest",
    "ballot_hash",
    "contest_ciphertexts",
    "encrypt_ballot",
    "proof_context",
    "proof_context_raw",
    "proof_contexts",
    "rank_context",
    "rank_contexts",
    "raw_ballot",
    "raw_ballot_hash",
    "raw_contests",
    "raw_range",
    "style_contests",
]

SELECTION = "selection"
CONTEST_LIMIT = "contest-limit"
RANK = "rank"
SIGNATURE = "ballot-signature"


@dataclass(frozen=True, slots=True, kw_only=True)
class SelectionCiphertext:
    option_id: str
    ciphertext: Ciphertext
    proof: RangeProof


@dataclass(frozen=True, slots=True, kw_only=True)
class ContestCiphertexts:
    contest_id: str
    selections: tuple[SelectionCiphertext, ...]
    limit_proof: RangeProof

    def total(self) -> Ciphertext:
        return add_ciphertexts(s.ciphertext for s in self.selections)


@dataclass(frozen=True, slots=True, kw_only=True)
class RankCiphertext:
    """One rank of a ranked contest: the position of the option ranked there (0 for none),
    encrypted, and its range proof (``R = m``, spec #13.2)."""

    ciphertext: Ciphertext
    proof: RangeProof


@dataclass(frozen=True, slots=True, kw_only=True)
class RankedContestCiphertexts:
    """A ranked contest's part of a ballot: exactly ``m`` ranks, first preference first."""

    contest_id: str
    ranks: tuple[RankCiphertext, ...]

    @property
    def selections(self) -> tuple[SelectionCiphertext, ...]:
        """None (spec #13.1): so a homomorphic sum over a ballot's selections leaves the
        ranked contest out, as the tally must (its ranks are shuffled, never summed)."""
        return ()


BallotContest = ContestCiphertexts | RankedContestCiphertexts
"""A contest's part of a ballot: selections and a limit proof, or ranks."""


def contest_ciphertexts(part: BallotContest) -> tuple[Ciphertext, ...]:
    """Every ciphertext of a contest's part of a ballot: its selections' or its ranks'."""
    if isinstance(part, RankedContestCiphertexts):
        return tuple(r.ciphertext for r in part.ranks)
    return tuple(s.ciphertext for s in part.selections)


@dataclass(frozen=True, slots=True, kw_only=True)
class EncryptedBallot:
    """A cast or spoiled ballot as it stands on the bulletin board."""

    ballot_id: str
    style_id: str
    credential: Element
    contests: tuple[BallotContest, ...]
    signature: SchnorrProof


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotSecrets:
    """The plaintext and nonces of a ballot: kept on the device, published only if spoiled.

    Per contest, one value and one nonce per selection, or per rank of a ranked contest."""

    values: Mapping[str, tuple[int, ...]]
    nonces: Mapping[str, tuple[Scalar, ...]]

    def __repr__(self) -> str:
        return "BallotSecrets(<hidden>)"


def style_contests(context: ElectionContext, style_id: str) -> tuple[Contest, ...]:
    """The contests a ballot of ``style_id`` must hold, in manifest order."""
    for style in context.manifest.ballot_styles:
        if style.style_id == style_id:
            wanted = set(style.contest_ids)
            return tuple(c for c in context.manifest.contests if c.contest_id in wanted)
    raise InvalidBallot("style_id", f"no ballot style {style_id!r} in the manifest")


def proof_context(
    context: ElectionContext, credential: Element, contest_id: str, option_id: str
) -> bytes:
    """The context of a ballot proof (spec #13.2); ``option_id`` is empty for the limit."""
    return proof_context_raw(context.base_hash, credential.to_bytes(), contest_id, option_id)


def proof_context_raw(
    base_hash: bytes, credential: bytes, contest_id: str, option_id: str
) -> bytes:
    """:func:`proof_context` from the encoding of the credential."""
    return proof_contexts(base_hash, credential, [(contest_id, option_id)])[0]


def proof_contexts(
    base_hash: bytes, credential: bytes, places: Sequence[tuple[str, str]]
) -> list[bytes]:
    """The proof contexts of one ballot's proofs at ``places`` (contest id, option id; an
    empty option id for a limit proof), in order."""
    start = (
        Transcript("ballot/proof-context")
        .append("base_hash", base_hash)
        .append("credential", credential)
    )
    return [
        start.copy().text("contest_id", contest_id).text("option_id", option_id).digest()
        for contest_id, option_id in places
    ]


class RawRange(NamedTuple):
    """A range proof as its encodings: each field is its branches' 32-byte values joined."""

    commitments_g: bytes
    commitments_k: bytes
    challenges: bytes
    responses: bytes


def rank_context(
    context: ElectionContext, credential: Element, contest_id: str, rank: int
) -> bytes:
    """The context of the proof of rank ``rank`` (from 1) of a ranked contest (spec #13.2)."""
    return rank_contexts(context.base_hash, credential.to_bytes(), contest_id, [rank])[0]


def rank_contexts(
    base_hash: bytes, credential: bytes, contest_id: str, ranks: Sequence[int]
) -> list[bytes]:
    """The contexts of one ballot's rank proofs of ``contest_id`` at ``ranks``, in order."""
    start = (
        Transcript("ballot/rank-context")
        .append("base_hash", base_hash)
        .append("credential", credential)
        .text("contest_id", contest_id)
    )
    return [start.copy().integer("rank", rank).digest() for rank in ranks]


class RawSelection(NamedTuple):
    option_id: str
    alpha: bytes
    beta: bytes
    proof: RawRange


class RawContest(NamedTuple):
    contest_id: str
    selections: tuple[RawSelection, ...]
    limit_proof: RawRange


class RawRank(NamedTuple):
    alpha: bytes
    beta: bytes
    proof: RawRange


class RawRankedContest(NamedTuple):
    contest_id: str
    ranks: tuple[RawRank, ...]


class RawBallot(NamedTuple):
    """A ballot as the encodings of its values, for checking without decoding it into
    objects (the verifier's batch path, spec/protocol.md#7)."""

    ballot_id: str
    style_id: str
    credential: bytes
    contests: tuple[RawContest | RawRankedContest, ...]
    signature_commitment: bytes
    signature_response: bytes


def raw_range(proof: RangeProof) -> RawRange:
    return RawRange(
        commitments_g=b"".join(x.to_bytes() for x in proof.commitments_g),
        commitments_k=b"".join(x.to_bytes() for x in proof.commitments_k),
        challenges=b"".join(c.to_bytes() for c in proof.challenges),
        responses=b"".join(r.to_bytes() for r in proof.responses),
    )


def raw_ballot(ballot: EncryptedBallot) -> RawBallot:
    """The encodings of ``ballot``, as the kernel's check takes them."""
    return RawBallot(
        ballot_id=ballot.ballot_id,
        style_id=ballot.style_id,
        credential=ballot.credential.to_bytes(),
        contests=raw_contests(ballot.contests),
        signature_commitment=ballot.signature.commitment.to_bytes(),
        signature_response=ballot.signature.response.to_bytes(),
    )


def raw_contests(
    contests: Sequence[BallotContest],
) -> tuple[RawContest | RawRankedContest, ...]:
    """The encodings of ``contests``."""
    return tuple(_raw_contest(c) for c in contests)


def _raw_contest(c: BallotContest) -> RawContest | RawRankedContest:
    if isinstance(c, RankedContestCiphertexts):
        return RawRankedContest(
            contest_id=c.contest_id,
            ranks=tuple(
                RawRank(
                    alpha=r.ciphertext.alpha.to_bytes(),
                    beta=r.ciphertext.beta.to_bytes(),
                    proof=raw_range(r.proof),
                )
                for r in c.ranks
            ),
        )
    return RawContest(
        contest_id=c.contest_id,
        selections=tuple(
            RawSelection(
                option_id=s.option_id,
                alpha=s.ciphertext.alpha.to_bytes(),
                beta=s.ciphertext.beta.to_bytes(),
                proof=raw_range(s.proof),
            )
            for s in c.selections
        ),
        limit_proof=raw_range(c.limit_proof),
    )


def ballot_hash(
    context: ElectionContext,
    *,
    ballot_id: str,
    style_id: str,
    credential: Element,
    contests: Sequence[BallotContest],
) -> bytes:
    """The hash a credential signs: every byte of the ballot but the signature (#13.3)."""
    return raw_ballot_hash(
        context.base_hash,
        ballot_id=ballot_id,
        style_id=style_id,
        credential=credential.to_bytes(),
        contests=raw_contests(contests),
    )


def raw_ballot_hash(
    base_hash: bytes,
    *,
    ballot_id: str,
    style_id: str,
    credential: bytes,
    contests: Sequence[RawContest | RawRankedContest],
) -> bytes:
    """:func:`ballot_hash` from the encodings: the transcript "ballot" of spec #13.3."""
    transcript = (
        Transcript("ballot")
        .append("base_hash", base_hash)
        .text("ballot_id", ballot_id)
        .text("style_id", style_id)
        .append("credential", credential)
        .integer("contests", len(contests))
    )
    for contest in contests:
        transcript.text("contest_id", contest.contest_id)
        if isinstance(contest, RawRankedContest):
            transcript.integer("ranks", len(contest.ranks))
            for rank in contest.ranks:
                transcript.append("alpha", rank.alpha).append("beta", rank.beta)
                _absorb_range(transcript, rank.proof)
            continue
        transcript.integer("selections", len(contest.selections))
        for sel in contest.selections:
            transcript.text("option_id", sel.option_id)
            transcript.append("alpha", sel.alpha).append("beta", sel.beta)
            _absorb_range(transcript, sel.proof)
        _absorb_range(transcript, contest.limit_proof)
    return transcript.digest()


def ballot_digest(context: ElectionContext, ballot: EncryptedBallot) -> bytes:
    """:func:`ballot_hash` of a whole ballot: what its signature and tracking code bind."""
    return ballot_hash(
        context,
        ballot_id=ballot.ballot_id,
        style_id=ballot.style_id,
        credential=ballot.credential,
        contests=ballot.contests,
    )


def _absorb_range(transcript: Transcript, proof: RawRange) -> None:
    for label, value in zip(RawRange._fields, proof, strict=True):
        transcript.append(label, value)


def _check_choice(contest: Contest, values: Sequence[int]) -> tuple[int, ...]:
    where = f"choices.{contest.contest_id}"
    if not contest.is_homomorphic:
        return _check_ranking(contest, values)
    if len(values) != len(contest.options):
        raise InvalidBallot(where, f"expected {len(contest.options)} selections, got {len(values)}")
    if any(v not in (0, 1) for v in values):
        raise InvalidBallot(where, "each selection must be 0 or 1")
    if sum(values) > contest.selection_limit:
        raise InvalidBallot(
            where, f"{sum(values)} selections, more than the limit {contest.selection_limit}"
        )
    return tuple(values)


def _check_ranking(contest: Contest, values: Sequence[int]) -> tuple[int, ...]:
    """A ranked contest's ``m`` values, rank 1 first, each 0 (no option at this rank) or the
    position of an option (spec #13.1). Skipped and repeated ranks are the counting rule's
    business, not the ballot's."""
    where, m = f"choices.{contest.contest_id}", len(contest.options)
    if len(values) != m:
        raise InvalidBallot(where, f"expected {m} ranks, got {len(values)}")
    for rank, value in enumerate(values, start=1):
        if type(value) is not int or not 0 <= value <= m:
            raise InvalidBallot(
                where, f"rank {rank}: {value!r} is not 0 (no option) or an option's 1..{m}"
            )
    return tuple(values)


def _encrypt_contests(
    context: ElectionContext,
    contests: Sequence[Contest],
    values: Mapping[str, tuple[int, ...]],
    credential: Element,
    rng: RandomSource,
) -> tuple[list[BallotContest], dict[str, tuple[Scalar, ...]]]:
    """Encrypt and prove every contest: the nonces, then every proof's draws (spec #13.4),
    then all multiplications of the ballot but the signature's in one kernel call.

    A ranked contest has as many ranks as options, so one nonce per option either way."""
    key = context.joint_key
    draws = iter(rng.scalars(sum(len(c.options) for c in contests)))
    nonces = {c.contest_id: tuple(next(draws) for _ in c.options) for c in contests}
    witnesses = _witnesses(contests, values, nonces)
    drawn = draw_ranges(witnesses, rng)
    ciphertexts, on_g, on_k = encrypt_and_commit(
        [v if c.is_homomorphic else 0 for c in contests for v in values[c.contest_id]],
        [r for c in contests for r in nonces[c.contest_id]],
        drawn,
        key,
    )
    ciphertexts = _shift_ranks(contests, values, ciphertexts)
    claims, selected = _claims(context, contests, witnesses, ciphertexts, credential)
    proofs = iter(finish_ranges(claims, drawn, on_g, on_k, key))
    encrypted: list[BallotContest] = []
    for contest, cts in zip(contests, selected, strict=True):
        if not contest.is_homomorphic:
            ranks = tuple(RankCiphertext(ciphertext=ct, proof=next(proofs)) for ct in cts)
            encrypted.append(RankedContestCiphertexts(contest_id=contest.contest_id, ranks=ranks))
            continue
        selections = tuple(
            SelectionCiphertext(option_id=o.option_id, ciphertext=ct, proof=next(proofs))
            for o, ct in zip(contest.options, cts, strict=True)
        )
        encrypted.append(
            ContestCiphertexts(
                contest_id=contest.contest_id, selections=selections, limit_proof=next(proofs)
            )
        )
    return encrypted, nonces


def _shift_ranks(
    contests: Sequence[Contest],
    values: Mapping[str, tuple[int, ...]],
    ciphertexts: Sequence[Ciphertext],
) -> list[Ciphertext]:
    """The kernel encrypts 0 or 1 only: a rank was encrypted as 0, and ``v*G`` is added to its
    beta here, which gives exactly ``Enc_K(v; r)``. Every rank is shifted, blank ones by
    ``0*G``, so that the work done does not depend on the ranking."""
    ranked = [not c.is_homomorphic for c in contests for _ in values[c.contest_id]]
    flat = [v for c in contests for v in values[c.contest_id]]
    return [
        Ciphertext(alpha=ct.alpha, beta=ct.beta + Element.mul_base(scalar_from_int(v)))
        if rank
        else ct
        for ct, v, rank in zip(ciphertexts, flat, ranked, strict=True)
    ]


def _witnesses(
    contests: Sequence[Contest],
    values: Mapping[str, tuple[int, ...]],
    nonces: Mapping[str, tuple[Scalar, ...]],
) -> list[RangeWitness]:
    """Per contest, a selection proof for each option, then the limit proof of their sum;
    for a ranked contest of ``m`` options, a proof of ``0..m`` for each rank."""
    out: list[RangeWitness] = []
    for contest in contests:
        cid = contest.contest_id
        if not contest.is_homomorphic:
            m = len(contest.options)
            out += (RangeWitness(v, r, m) for v, r in zip(values[cid], nonces[cid], strict=True))
            continue
        out += (RangeWitness(v, r, 1) for v, r in zip(values[cid], nonces[cid], strict=True))
        total_nonce = Scalar.zero()
        for nonce in nonces[cid]:
            total_nonce = total_nonce + nonce
        out.append(RangeWitness(sum(values[cid]), total_nonce, contest.selection_limit))
    return out


def _claims(
    context: ElectionContext,
    contests: Sequence[Contest],
    witnesses: Sequence[RangeWitness],
    ciphertexts: Sequence[Ciphertext],
    credential: Element,
) -> tuple[list[RangeClaim], list[list[Ciphertext]]]:
    """The claims of ``witnesses`` with their ciphertexts (a limit proof's is the sum of its
    contest's) and proof contexts (spec #13.2), and each contest's ciphertexts."""
    raw_credential = credential.to_bytes()
    places = [
        (c.contest_id, o)
        for c in contests
        if c.is_homomorphic
        for o in [*(x.option_id for x in c.options), ""]
    ]
    contexts = iter(proof_contexts(context.base_hash, raw_credential, places))
    remaining, known = iter(ciphertexts), iter(witnesses)
    claims: list[RangeClaim] = []
    selected: list[list[Ciphertext]] = []
    for contest in contests:
        cts = [next(remaining) for _ in contest.options]
        selected.append(cts)
        if contest.is_homomorphic:
            statements = [*cts, add_ciphertexts(cts)]
            purposes = [SELECTION] * len(cts) + [CONTEST_LIMIT]
            where = [next(contexts) for _ in statements]
        else:
            statements, purposes = cts, [RANK] * len(cts)
            ranks = range(1, len(cts) + 1)
            where = rank_contexts(context.base_hash, raw_credential, contest.contest_id, ranks)
        for ct, purpose, ctx in zip(statements, purposes, where, strict=True):
            witness = next(known)
            claims.append(
                RangeClaim(
                    ciphertext=ct,
                    value=witness.value,
                    nonce=witness.nonce,
                    limit=witness.limit,
                    purpose=purpose,
                    context=ctx,
                )
            )
    return claims, selected


def encrypt_ballot(
    context: ElectionContext,
    *,
    style_id: str,
    choices: Mapping[str, Sequence[int]],
    credential: Credential,
    rng: RandomSource,
) -> tuple[EncryptedBallot, BallotSecrets]:
    """Encrypt, prove and sign a ballot; ``choices`` gives 0/1 per option for each contest,
    and for a ranked contest of ``m`` options its ``m`` ranks, rank 1 first, each 0 (none)
    or the position of an option in manifest order, 1 to ``m`` (spec #13.1).

    Refuses (before encrypting anything) a choice for a contest outside the style, a missing
    contest, a value other than 0/1, more selections than the contest allows, or a ranking of
    the wrong length or with a value outside ``0..m``.
    """
    contests = style_contests(context, style_id)
    expected = {c.contest_id for c in contests}
    extra = sorted(set(choices) - expected)
    if extra:
        raise InvalidBallot("choices", f"contests not on ballot style {style_id!r}: {extra}")
    missing = sorted(expected - set(choices))
    if missing:
        raise InvalidBallot("choices", f"no choice given for contests {missing}")
    checked = {c.contest_id: _check_choice(c, choices[c.contest_id]) for c in contests}
    encrypted, nonces = _encrypt_contests(context, contests, checked, credential.public, rng)
    ballot_id = rng.token(16).hex()
    digest = ballot_hash(
        context,
        ballot_id=ballot_id,
        style_id=style_id,
        credential=credential.public,
        contests=encrypted,
    )
    signature = prove_schnorr(
        secret=credential.secret,
        public=credential.public,
        context=context.base_hash,
        message=digest,
        rng=rng,
        purpose=SIGNATURE,
    )
    ballot = EncryptedBallot(
        ballot_id=ballot_id,
        style_id=style_id,
        credential=credential.public,
        contests=tuple(encrypted),
        signature=signature,
    )
    return ballot, BallotSecrets(values=checked, nonces=nonces)
