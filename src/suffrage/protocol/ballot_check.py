"""Checking ballots: the checks V7 to V10, V13, V18 and V22 of spec/protocol.md#15.

Each check raises :class:`~suffrage.errors.VerificationFailed` carrying its check number and a
reason that names the contest and option; :func:`check_ballot` runs them all in order (the
bulletin board calls it before accepting a ballot), and the verifier runs them one by one to
report every failure.
"""

from __future__ import annotations

from suffrage.core.elgamal import Ciphertext, encrypt
from suffrage.core.proofs import check_range, check_schnorr
from suffrage.core.randomness import RandomSource
from suffrage.errors import (
    CredentialNotListed,
    InvalidBallot,
    ProofRejected,
    VerificationFailed,
    quote,
)
from suffrage.protocol.ballot import (
    CONTEST_LIMIT,
    RANK,
    SELECTION,
    SIGNATURE,
    BallotContest,
    BallotSecrets,
    ContestCiphertexts,
    EncryptedBallot,
    RankedContestCiphertexts,
    ballot_digest,
    proof_context,
    rank_context,
    raw_ballot,
    style_contests,
)
from suffrage.protocol.batch_check import fast_check
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.manifest import Contest

__all__ = [
    "check_ballot",
    "check_ballot_shape",
    "check_ballot_signature",
    "check_credential_style",
    "check_limit_proofs",
    "check_rank_proofs",
    "check_selection_proofs",
    "check_spoiled_ballot",
]


def check_ballot_shape(context: ElectionContext, ballot: EncryptedBallot) -> None:
    """V7: the ballot holds exactly its style's contests and options, in manifest order, and
    a ranked contest exactly as many ranks as it has options."""
    try:
        contests = style_contests(context, ballot.style_id)
    except InvalidBallot as exc:
        raise VerificationFailed("V7", str(exc)) from None
    got = [c.contest_id for c in ballot.contests]
    want = [c.contest_id for c in contests]
    if got != want:
        raise VerificationFailed("V7", f"contests {got} do not match style {want}")
    for contest, cipher in zip(contests, ballot.contests, strict=True):
        problem = _shape_problem(contest, cipher)
        if problem is not None:
            raise VerificationFailed("V7", f"contest {contest.contest_id}: {problem}")


def _shape_problem(contest: Contest, cipher: BallotContest) -> str | None:
    m = len(contest.options)
    if not contest.is_homomorphic:
        if not isinstance(cipher, RankedContestCiphertexts):
            return f"the contest is ranked: expected {m} ranks and no selections"
        if len(cipher.ranks) != m:
            return f"expected {m} ranks (one per option), got {len(cipher.ranks)}"
        return None
    if isinstance(cipher, RankedContestCiphertexts):
        return "the contest is not ranked: expected selections, not ranks"
    if [s.option_id for s in cipher.selections] != [o.option_id for o in contest.options]:
        return "options do not match the manifest"
    return None


def check_credential_style(context: ElectionContext, ballot: EncryptedBallot) -> None:
    """V18: the ballot is of the ballot style its credential is bound to (spec #11.3).

    A credential that is not on the list has no style: that is V8's failure, not this one's.
    """
    style = context.style_of(ballot.credential)
    if style is not None and style != ballot.style_id:
        raise VerificationFailed(
            "V18",
            f"the ballot is of style {quote(ballot.style_id)}, but its credential is bound "
            f"to style {quote(style)}",
        )


def check_ballot_signature(context: ElectionContext, ballot: EncryptedBallot) -> None:
    """V8: the credential is on the published list and signed the whole ballot."""
    if not context.is_eligible(ballot.credential):
        raise CredentialNotListed("V8", "the ballot is signed by a credential not on the list")
    digest = ballot_digest(context, ballot)
    try:
        check_schnorr(
            ballot.signature,
            public=ballot.credential,
            context=context.base_hash,
            message=digest,
            purpose=SIGNATURE,
        )
    except ProofRejected as exc:
        raise VerificationFailed("V8", f"signature: {exc.reason}") from None


def check_selection_proofs(context: ElectionContext, ballot: EncryptedBallot) -> None:
    """V9: every selection encrypts 0 or 1."""
    for contest in ballot.contests:
        for sel in contest.selections:
            where = f"contest {contest.contest_id}, option {sel.option_id}"
            ctx = proof_context(context, ballot.credential, contest.contest_id, sel.option_id)
            try:
                check_range(
                    sel.proof,
                    ciphertext=sel.ciphertext,
                    key=context.joint_key,
                    limit=1,
                    context=ctx,
                    purpose=SELECTION,
                )
            except ProofRejected as exc:
                raise VerificationFailed("V9", f"{where}: {exc.reason}") from None


def check_limit_proofs(context: ElectionContext, ballot: EncryptedBallot) -> None:
    """V10: every contest's selections add up to at most its selection limit."""
    limits = {c.contest_id: c.selection_limit for c in context.manifest.contests}
    for contest in ballot.contests:
        if not isinstance(contest, ContestCiphertexts):
            continue  # a ranked contest has no limit proof: V22 checks its ranks
        limit = limits.get(contest.contest_id)
        if limit is None:
            raise VerificationFailed(
                "V10", f"contest {contest.contest_id!r} is not in the manifest: it has no limit"
            )
        ctx = proof_context(context, ballot.credential, contest.contest_id, "")
        try:
            check_range(
                contest.limit_proof,
                ciphertext=contest.total(),
                key=context.joint_key,
                limit=limit,
                context=ctx,
                purpose=CONTEST_LIMIT,
            )
        except ProofRejected as exc:
            raise VerificationFailed("V10", f"contest {contest.contest_id}: {exc.reason}") from None


def check_rank_proofs(context: ElectionContext, ballot: EncryptedBallot) -> None:
    """V22: every rank of a ranked contest of ``m`` options encrypts a value in ``0..m``
    (0 for no option at this rank), so that every shuffled rank decrypts to something the
    counting rules understand."""
    sizes = {c.contest_id: len(c.options) for c in context.manifest.contests}
    for contest in ballot.contests:
        if not isinstance(contest, RankedContestCiphertexts):
            continue
        m = sizes.get(contest.contest_id)
        if m is None:
            raise VerificationFailed(
                "V22", f"contest {contest.contest_id!r} is not in the manifest: it has no options"
            )
        for k, rank in enumerate(contest.ranks, start=1):
            ctx = rank_context(context, ballot.credential, contest.contest_id, k)
            try:
                check_range(
                    rank.proof,
                    ciphertext=rank.ciphertext,
                    key=context.joint_key,
                    limit=m,
                    context=ctx,
                    purpose=RANK,
                )
            except ProofRejected as exc:
                raise VerificationFailed(
                    "V22", f"contest {contest.contest_id}, rank {k}: {exc.reason}"
                ) from None


def check_ballot(
    context: ElectionContext, ballot: EncryptedBallot, *, rng: RandomSource | None = None
) -> bytes:
    """All of V7 to V10, V18 and V22; the first failure raises. Returns the ballot's hash
    (:func:`~suffrage.protocol.ballot.ballot_digest`), which the checks compute anyway.

    With ``rng``, the ballot is first checked by the kernel (every equation at once, by a
    random linear combination: spec/protocol.md#7); only if that refuses it are the checks
    run one by one, so the error is the same either way (ranked contests too: the kernel
    checks rank proofs, V22).
    """
    if rng is not None:
        verdict = fast_check(context, [(0, raw_ballot(ballot))], rng).verdicts.get(0)
        if verdict is not None and verdict.digest is not None:
            return verdict.digest
    check_ballot_shape(context, ballot)
    check_ballot_signature(context, ballot)
    check_credential_style(context, ballot)
    check_selection_proofs(context, ballot)
    check_limit_proofs(context, ballot)
    check_rank_proofs(context, ballot)
    return ballot_digest(context, ballot)


def check_spoiled_ballot(
    context: ElectionContext, ballot: EncryptedBallot, secrets: BallotSecrets
) -> None:
    """V13: a spoiled ballot encrypts exactly the choices its revealed nonces say: for each
    selection 0 or 1, at most the contest's limit in all, and for each rank of a ranked
    contest of ``m`` options a value in ``0..m``."""
    manifest = {c.contest_id: c for c in context.manifest.contests}
    on_ballot = {c.contest_id for c in ballot.contests}
    extra = sorted((set(secrets.values) | set(secrets.nonces)) - on_ballot)
    if extra:
        raise VerificationFailed("V13", f"the reveal names contests not on the ballot: {extra}")
    for contest in ballot.contests:
        values = secrets.values.get(contest.contest_id)
        nonces = secrets.nonces.get(contest.contest_id)
        where = f"contest {contest.contest_id}"
        ranked = isinstance(contest, RankedContestCiphertexts)
        places = (
            [(f"rank {k}", r.ciphertext) for k, r in enumerate(contest.ranks, start=1)]
            if isinstance(contest, RankedContestCiphertexts)
            else [(f"option {s.option_id}", s.ciphertext) for s in contest.selections]
        )
        if values is None or nonces is None or not (len(values) == len(nonces) == len(places)):
            unit = "rank" if ranked else "option"
            raise VerificationFailed("V13", f"{where}: the reveal does not cover every {unit}")
        if not _revealed_valid(manifest.get(contest.contest_id), values, ranked=ranked):
            raise VerificationFailed("V13", f"{where}: the revealed choices are not valid")
        for (place, ciphertext), value, nonce in zip(places, values, nonces, strict=True):
            again: Ciphertext = encrypt(value, nonce, context.joint_key)
            if again != ciphertext:
                raise VerificationFailed(
                    "V13",
                    f"{where}, {place}: the ciphertext does not encrypt the revealed choice",
                )


def _revealed_valid(contest: Contest | None, values: tuple[int, ...], *, ranked: bool) -> bool:
    """Selections of 0 or 1 within the limit; ranks of 0 to the number of options."""
    if contest is None:
        return False
    if ranked:
        return all(0 <= v <= len(contest.options) for v in values)
    return all(v in (0, 1) for v in values) and sum(values) <= contest.selection_limit
