"""Cast ballots held as encodings, checked many at a time in the kernel (spec/protocol.md#7.2).

What stays in Python of the fast path, in ``protocol`` so that both the verifier (which
reads ballots straight from the record's lines, :mod:`suffrage.verify.fast`) and the board's
check at casting (:func:`~suffrage.protocol.ballot_check.check_ballot`) reach it: this module
compares each ballot's contest and option ids with its style, looks its credential up, lays
its encodings out for :class:`~suffrage.core.ballot_kernel.BallotChecker`, and reads the
verdicts back. The kernel does the rest (decoding, transcripts, challenge sums, one
multiscalar multiplication for the batch) and names the first check a ballot fails in the
order of :func:`~suffrage.protocol.ballot_check.check_ballot`.

The kernel takes ranked contests too (spec/protocol.md#13.1: a part of ``m`` ranks, each
with a rank proof of ``R = m``). A ballot this path does not decide (a style the manifest
does not have, ids that differ from the style's, ranks where the style has selections or
the reverse, a number of ranks other than the contest's options, a proof with the wrong
number of branches) is left out of the verdicts: the caller checks it one by one, as it
checks every ballot the kernel refuses, to name the failure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from suffrage.core.ballot_kernel import WEIGHT_SEED_BYTES, BallotChecker
from suffrage.core.elgamal import Ciphertext
from suffrage.core.randomness import RandomSource
from suffrage.protocol.ballot import RawBallot, RawContest, RawRange, RawRankedContest
from suffrage.protocol.context import ElectionContext

__all__ = ["FastChecks", "Verdict", "fast_check"]


class Verdict(NamedTuple):
    """The kernel's verdict on a ballot: ``failed`` is ``None`` if it passed, else the first
    check it fails (``"decode"`` for a point or scalar that is not a canonical encoding, as
    the record's decoder would refuse, ``"V8"``, ``"V18"``, ``"V9"``, ``"V10"`` or
    ``"V22"``);
    ``digest`` is the ballot's hash if it passed."""

    failed: str | None
    digest: bytes | None


class FastChecks(NamedTuple):
    """The verdicts on the ballots this path decides (by the caller's keys), and the sum of
    the ciphertexts of the ballots that passed, per (contest, option) of the contests that
    are summed (a ranked contest's ranks are shuffled instead, spec/protocol.md#19)."""

    verdicts: dict[int, Verdict]
    sums: dict[tuple[str, str], Ciphertext]


Ids = tuple[tuple[str, tuple[str, ...]], ...]


class _Style(NamedTuple):
    """A style as the kernel knows it: its number, its contests' ids and option ids, the
    (contest, option) of each selection (the columns of the kernel's sums), and for each
    contest its selection limit, or ``None`` if it is ranked."""

    number: int
    ids: Ids
    keys: tuple[tuple[str, str], ...]
    limits: tuple[int | None, ...]


class _Statement(NamedTuple):
    checker: BallotChecker
    styles: dict[str, _Style]


_STATEMENTS: dict[bytes, _Statement] = {}


def _statement(context: ElectionContext) -> _Statement:
    """The kernel's checker for ``context`` (kept per base hash, which binds the manifest
    and the election key), and the shape of each ballot style: its contests in manifest
    order, each with its option ids and its selection limit, or as ranked (spec/protocol.md
    #13.1; the kernel reads a ranked contest as one rank per option)."""
    found = _STATEMENTS.get(context.base_hash)
    if found is not None:
        return found
    styles: dict[str, _Style] = {}
    arguments: list[tuple[bytes, list[tuple[bytes, list[bytes], int, bool]]]] = []
    for style in context.manifest.ballot_styles:
        wanted = set(style.contest_ids)
        chosen = [c for c in context.manifest.contests if c.contest_id in wanted]
        ids = tuple((c.contest_id, tuple(o.option_id for o in c.options)) for c in chosen)
        keys = tuple(
            (c.contest_id, o.option_id) for c in chosen if c.is_homomorphic for o in c.options
        )
        limits = tuple(c.selection_limit if c.is_homomorphic else None for c in chosen)
        styles[style.style_id] = _Style(len(arguments), ids, keys, limits)
        arguments.append(
            (
                style.style_id.encode(),
                [
                    (
                        c.encode(),
                        [o.encode() for o in options],
                        0 if limit is None else limit,
                        limit is None,
                    )
                    for (c, options), limit in zip(ids, limits, strict=True)
                ],
            )
        )
    checker = BallotChecker(context.base_hash, context.joint_key.element, arguments)
    if len(_STATEMENTS) >= 8:
        _STATEMENTS.pop(next(iter(_STATEMENTS)))
    return _STATEMENTS.setdefault(context.base_hash, _Statement(checker, styles))


def fast_check(
    context: ElectionContext, ballots: Sequence[tuple[int, RawBallot]], rng: RandomSource
) -> FastChecks:
    """The kernel's verdict on each ballot (by the caller's key) that this path decides.

    ``rng`` gives the batch's weights (one draw of 32 bytes for the call).
    """
    statement = _statement(context)
    keys: list[int] = []
    packed = []
    for key, ballot in ballots:
        style = statement.styles.get(ballot.style_id)
        if style is None:
            continue
        body = _body(ballot, style)
        ballot_id = ballot.ballot_id.encode()
        if (
            body is None
            or len(ballot.credential) != 32
            or len(ballot.signature_commitment + ballot.signature_response) != 64
        ):
            continue
        bound_to = context.credential_styles.get(ballot.credential)
        keys.append(key)
        packed.append(
            (
                style.number,
                ballot_id,
                ballot.credential,
                bound_to is not None,
                bound_to == ballot.style_id,
                ballot.signature_commitment + ballot.signature_response,
                body,
            )
        )
    if not packed:
        return FastChecks({}, {})
    verdicts, columns = statement.checker.check(packed, rng.token(WEIGHT_SEED_BYTES))
    sums: dict[tuple[str, str], Ciphertext] = {}
    for style in statement.styles.values():
        column = columns[style.number]
        if column is not None:
            n = len(style.keys)
            for place, alpha, beta in zip(style.keys, column[:n], column[n:], strict=True):
                found = sums.get(place)
                one = Ciphertext(alpha=alpha, beta=beta)
                sums[place] = one if found is None else found + one
    return FastChecks(
        {key: Verdict(*verdict) for key, verdict in zip(keys, verdicts, strict=True)}, sums
    )


def _body(ballot: RawBallot, style: _Style) -> bytes | None:
    """The ballot's encodings laid out as the kernel reads them (contest by contest, each
    selection's alpha, beta and range proof, then the limit proof; or each rank's alpha,
    beta and range proof), or ``None`` if its ids, its parts' kinds or its proofs' sizes are
    not those of its style."""
    contests = ballot.contests
    if len(contests) != len(style.ids):
        return None
    parts: list[bytes] = []
    for contest, (contest_id, options), limit in zip(
        contests, style.ids, style.limits, strict=True
    ):
        if contest.contest_id != contest_id:
            return None
        if isinstance(contest, RawRankedContest) or limit is None:
            ranks = _ranks(contest, len(options)) if limit is None else None
            if ranks is None:
                return None
            parts += ranks
            continue
        if len(contest.selections) != len(options):
            return None
        for selection, option_id in zip(contest.selections, options, strict=True):
            if (
                selection.option_id != option_id
                or len(selection.alpha) != 32
                or len(selection.beta) != 32
                or not _sized(selection.proof, 2)
            ):
                return None
            parts += (selection.alpha, selection.beta, *selection.proof)
        if not _sized(contest.limit_proof, limit + 1):
            return None
        parts += contest.limit_proof
    return b"".join(parts)


def _ranks(contest: RawContest | RawRankedContest, m: int) -> list[bytes] | None:
    """A ranked contest's encodings (each rank's alpha, beta and its proof of ``m + 1``
    branches), or ``None`` if the part is not ``m`` ranks of these sizes."""
    if not isinstance(contest, RawRankedContest) or len(contest.ranks) != m:
        return None
    parts: list[bytes] = []
    for rank in contest.ranks:
        if len(rank.alpha) != 32 or len(rank.beta) != 32 or not _sized(rank.proof, m + 1):
            return None
        parts += (rank.alpha, rank.beta, *rank.proof)
    return parts


def _sized(proof: RawRange, branches: int) -> bool:
    size = 32 * branches
    return all(len(field) == size for field in proof)
