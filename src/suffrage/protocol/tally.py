"""Tally and decryption (spec/protocol.md#16).

The tally adds up, per option, the ciphertexts of the counted ballots. Any ``k`` guardians
each publish ``M_j = s_j * alpha`` per option with a Chaum-Pedersen proof that it uses their
key share; the shares combine by Lagrange interpolation into ``x * alpha``, and the count is
the discrete log of ``beta - x * alpha``. An absent guardian does not stop the count.
Only the homomorphic contests are tallied: a ranked contest goes through the mix-net
(:mod:`suffrage.protocol.mixnet`, spec #19).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from suffrage.core.dlog import DiscreteLog
from suffrage.core.elgamal import Ciphertext, add_ciphertexts, partial_decrypt, remove_mask
from suffrage.core.group import GENERATOR, Element, Scalar, sum_elements
from suffrage.core.hashing import Transcript
from suffrage.core.polynomial import lagrange_coefficient
from suffrage.core.proofs import (
    ChaumPedersenProof,
    ChaumPedersenStatement,
    check_chaum_pedersen,
    prove_chaum_pedersen,
)
from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidInput, ProofRejected, VerificationFailed
from suffrage.protocol.board import BoardEntry, counted_entries
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.key_ceremony import public_share
from suffrage.protocol.manifest import Manifest

__all__ = [
    "ContestTally",
    "PartialDecryption",
    "Tally",
    "check_partial_decryption",
    "closing",
    "combine_decryptions",
    "compute_partial_decryption",
    "compute_tally",
    "tally_hash",
    "time_text",
]

DECRYPTION = "decryption-share"


@dataclass(frozen=True, slots=True, kw_only=True)
class ContestTally:
    contest_id: str
    option_ids: tuple[str, ...]
    ciphertexts: tuple[Ciphertext, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Tally:
    """The encrypted tally, with what it was computed from: the board's size and head, and
    when voting closed (``closed_early``: before the manifest's ``end``, by an explicit
    decision of the officials)."""

    entries: int
    counted: int
    board_head: bytes
    contests: tuple[ContestTally, ...]
    closed_at: str
    closed_early: bool = False


def time_text(moment: datetime) -> str:
    """The canonical text of a moment in the record: UTC, whole seconds, ``Z`` (spec #16.1)."""
    if moment.tzinfo is None:
        raise InvalidInput("time", "a moment must carry its timezone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def closing(
    manifest: Manifest, closed_at: datetime | None, *, close_early: bool
) -> tuple[str, bool]:
    """When voting closed, as recorded, and whether that was before the manifest's end.

    ``None`` means at the manifest's end. Closing before the end is refused unless
    ``close_early`` says the officials decided it (spec #16.1).
    """
    end = manifest.end_time
    moment = end if closed_at is None else closed_at
    early = moment < end
    if early and not close_early:
        raise InvalidInput(
            "close",
            f"voting is open until {manifest.end}: closing it before then needs an explicit "
            "decision (--close-early), which the record will show",
        )
    return time_text(moment), early


def compute_tally(
    context: ElectionContext,
    entries: Sequence[BoardEntry],
    board_head: bytes,
    *,
    closed_at: datetime | None = None,
    close_early: bool = False,
) -> Tally:
    """Aggregate the counted ballots per option of each homomorphic contest (spec #16.1);
    ranked contests are not added up but mixed (spec #19), so the tally leaves them out.

    ``closed_at`` is when voting closed (the manifest's end if ``None``); before the end it
    needs ``close_early`` (:func:`closing`).
    """
    when, early = closing(context.manifest, closed_at, close_early=close_early)
    counted = counted_entries(entries)
    sums: dict[tuple[str, str], list[Ciphertext]] = {}
    for entry in counted:
        for contest in entry.ballot.contests:
            for sel in contest.selections:
                sums.setdefault((contest.contest_id, sel.option_id), []).append(sel.ciphertext)
    contests = tuple(
        ContestTally(
            contest_id=c.contest_id,
            option_ids=tuple(o.option_id for o in c.options),
            ciphertexts=tuple(
                add_ciphertexts(sums.get((c.contest_id, o.option_id), [])) for o in c.options
            ),
        )
        for c in context.manifest.contests
        if c.is_homomorphic
    )
    return Tally(
        entries=len(entries),
        counted=len(counted),
        board_head=board_head,
        contests=contests,
        closed_at=when,
        closed_early=early,
    )


def tally_hash(context: ElectionContext, tally: Tally) -> bytes:
    """The context of every decryption proof: it binds the whole encrypted tally (#16.2)."""
    t = (
        Transcript("tally")
        .append("base_hash", context.base_hash)
        .integer("entries", tally.entries)
        .integer("counted", tally.counted)
        .append("board_head", tally.board_head)
        .text("closed_at", tally.closed_at)
        .integer("closed_early", int(tally.closed_early))
    )
    for contest in tally.contests:
        t.text("contest_id", contest.contest_id)
        for option_id, ct in zip(contest.option_ids, contest.ciphertexts, strict=True):
            t.text("option_id", option_id).element("alpha", ct.alpha).element("beta", ct.beta)
    return t.digest()


@dataclass(frozen=True, slots=True, kw_only=True)
class PartialDecryption:
    """Guardian ``guardian``'s shares ``s_j * alpha``, per contest and option, with proofs."""

    guardian: int
    shares: tuple[tuple[Element, ...], ...]
    proofs: tuple[tuple[ChaumPedersenProof, ...], ...]


def compute_partial_decryption(
    context: ElectionContext, tally: Tally, *, guardian: int, key_share: Scalar, rng: RandomSource
) -> PartialDecryption:
    """A guardian's part of the decryption, proven (spec #16.3)."""
    ctx = tally_hash(context, tally)
    public = public_share(context.guardians, guardian)
    shares, proofs = [], []
    for contest in tally.contests:
        row, row_proofs = [], []
        for ct in contest.ciphertexts:
            m = partial_decrypt(ct, key_share)
            st = ChaumPedersenStatement(
                base_1=GENERATOR, public_1=public, base_2=ct.alpha, public_2=m
            )
            row.append(m)
            row_proofs.append(
                prove_chaum_pedersen(st, secret=key_share, context=ctx, rng=rng, purpose=DECRYPTION)
            )
        shares.append(tuple(row))
        proofs.append(tuple(row_proofs))
    return PartialDecryption(guardian=guardian, shares=tuple(shares), proofs=tuple(proofs))


def check_partial_decryption(
    context: ElectionContext, tally: Tally, partial: PartialDecryption
) -> None:
    """V15 for one guardian: every share is proven against its public key share."""
    who = f"guardian {partial.guardian}"
    if not 1 <= partial.guardian <= len(context.guardians):
        raise VerificationFailed("V15", f"{who} is not a guardian of this election")
    shape = [len(c.ciphertexts) for c in tally.contests]
    if [len(r) for r in partial.shares] != shape or [len(r) for r in partial.proofs] != shape:
        raise VerificationFailed("V15", f"{who}: shares do not match the tally's shape")
    ctx = tally_hash(context, tally)
    public = public_share(context.guardians, partial.guardian)
    for contest, shares, proofs in zip(tally.contests, partial.shares, partial.proofs, strict=True):
        for option_id, ct, m, proof in zip(
            contest.option_ids, contest.ciphertexts, shares, proofs, strict=True
        ):
            st = ChaumPedersenStatement(
                base_1=GENERATOR, public_1=public, base_2=ct.alpha, public_2=m
            )
            try:
                check_chaum_pedersen(proof, st, context=ctx, purpose=DECRYPTION)
            except ProofRejected as exc:
                raise VerificationFailed(
                    "V15", f"{who}, contest {contest.contest_id}, option {option_id}: {exc.reason}"
                ) from None


def combine_decryptions(
    context: ElectionContext, tally: Tally, partials: Iterable[PartialDecryption], dlog: DiscreteLog
) -> Mapping[str, tuple[int, ...]]:
    """The counts per contest and option from ``k`` (or more) checked partial decryptions."""
    distinct = {p.guardian: p for p in sorted(partials, key=lambda p: p.guardian, reverse=True)}
    chosen = sorted(distinct.values(), key=lambda p: p.guardian)[: context.threshold]
    indices = [p.guardian for p in chosen]
    if len(set(indices)) < context.threshold:
        raise VerificationFailed(
            "V16",
            f"{len(set(indices))} distinct guardians decrypted; {context.threshold} are needed",
        )
    weights = [lagrange_coefficient(i, indices) for i in indices]
    counts: dict[str, tuple[int, ...]] = {}
    for c, contest in enumerate(tally.contests):
        row = []
        for o, ct in enumerate(contest.ciphertexts):
            mask = sum_elements([p.shares[c][o] * w for p, w in zip(chosen, weights, strict=True)])
            row.append(dlog.solve(remove_mask(ct, mask)))
        counts[contest.contest_id] = tuple(row)
    return counts
