"""Results of every contest from its decrypted counts (spec/protocol.md#17).

Each contest kind is counted by the method of ``suffrage.counting`` its manifest names, with
ties broken by a lot seeded from the base hash (so anyone recomputes the same draw). The
result is plain data: it goes into the record as it is and the verifier recomputes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from suffrage.counting import divisors, remainders, simple, thresholds
from suffrage.counting._common import Lot, Result, Trail
from suffrage.errors import CountingError
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.manifest import Contest, ContestKind, ListMethod

__all__ = ["compute_results", "contest_count", "contest_result", "lot_seed", "seed_of"]


def seed_of(base_hash: bytes, contest_id: str) -> int:
    """The seed of a contest's lot: the first 8 bytes of the base hash XOR the first 8 bytes
    of the contest id (zero-padded), both read as big-endian integers."""
    return int.from_bytes(base_hash[:8], "big") ^ int.from_bytes(
        contest_id.encode()[:8].ljust(8, b"\0"), "big"
    )


def lot_seed(context: ElectionContext, contest_id: str) -> int:
    """The seed of a contest's lot in ``context`` (see :func:`seed_of`)."""
    return seed_of(context.base_hash, contest_id)


def _no_seats(contest: Contest, votes: Mapping[str, int], why: str) -> Result:
    """The result of a party list that allocates no seat: no list has a vote to divide."""
    method = str(getattr(contest.method, "value", contest.method))
    return Result(
        method=method,
        elected=(),
        seats={},
        totals=dict(votes),
        trail=Trail(method=method, notes=(why,)),
    )


def _party_list(contest: Contest, votes: Mapping[str, int], lot: Lot) -> Result:
    seats = contest.seats or 1
    if sum(votes.values()) == 0:
        return _no_seats(contest, votes, "no seat is allocated: no list received a vote")
    passing = dict(votes)
    if contest.threshold:
        passed = thresholds.threshold(votes, party_share=contest.threshold)
        passing = {name: votes[name] for name in passed.elected}
        if not passing:
            why = "no seat is allocated: no list reached the threshold"
            return _no_seats(contest, votes, why)
    method = contest.method
    if method is ListMethod.DHONDT:
        return divisors.dhondt(passing, seats, lot=lot)
    if method is ListMethod.SAINTE_LAGUE:
        return divisors.sainte_lague(passing, seats, lot=lot)
    if method is ListMethod.MODIFIED_SAINTE_LAGUE:
        return divisors.modified_sainte_lague(
            passing, seats, first_divisor=contest.first_divisor or Fraction(7, 5), lot=lot
        )
    table = {
        ListMethod.HARE: remainders.hare,
        ListMethod.DROOP: remainders.droop,
        ListMethod.HAGENBACH_BISCHOFF: remainders.hagenbach_bischoff,
        ListMethod.IMPERIALI: remainders.imperiali,
    }
    if not isinstance(method, ListMethod):
        raise CountingError(f"contest {contest.contest_id}: no list method {method!r}")
    return table[method](passing, seats, lot=lot)


def _referendum(
    contest: Contest, votes: Mapping[str, int], ballots: int, electorate: int
) -> Result:
    blank = ballots - votes["yes"] - votes["no"]
    if votes["yes"] + votes["no"] == 0:
        return simple.referendum(
            {"yes": 0, "no": 1, "blank": max(blank - 1, 0)}, electorate=electorate
        )
    majority = contest.supermajority or Fraction(1, 2)
    return simple.referendum(
        {"yes": votes["yes"], "no": votes["no"], "blank": blank},
        majority=majority,
        strict=contest.supermajority is None,
        electorate=electorate,
        turnout_quorum=contest.quorum,
    )


def contest_count(
    contest: Contest, votes: Mapping[str, int], ballots: int, *, seed: int, electorate: int
) -> Result:
    """The whole count of one contest (with its audit trail: stages, quotas, lots), from its
    decrypted ``votes`` per option, the ``ballots`` that hold it, the lot ``seed``
    (:func:`seed_of`) and the ``electorate`` (credentials, for a referendum's quorum)."""
    contest.require_homomorphic()
    lot = Lot(seed=seed)
    if contest.kind is ContestKind.PLURALITY:
        return simple.plurality(votes, contest.seats or 1, lot=lot)
    if contest.kind is ContestKind.APPROVAL:
        return simple.approval(votes, contest.seats or 1, lot=lot)
    if contest.kind is ContestKind.REFERENDUM:
        return _referendum(contest, votes, ballots, electorate)
    return _party_list(contest, votes, lot)


def contest_result(
    context: ElectionContext, contest: Contest, counts: tuple[int, ...], ballots: int
) -> dict[str, Any]:
    """The result of one contest as plain data (what results.json holds)."""
    contest.require_homomorphic()
    votes = dict(zip(contest.option_ids, counts, strict=True))
    result = contest_count(
        contest,
        votes,
        ballots,
        seed=lot_seed(context, contest.contest_id),
        electorate=len(context.credential_keys),
    )
    return {
        "kind": contest.kind.value,
        "ballots": ballots,
        "counts": votes,
        "elected": list(result.elected),
        "seats": {k: v for k, v in result.seats.items() if v},
        "lots": list(result.trail.lots),
    }


def compute_results(
    context: ElectionContext,
    counts: Mapping[str, tuple[int, ...]],
    ballots_per_contest: Mapping[str, int],
) -> dict[str, Any]:
    """Results of every contest, keyed by contest id."""
    return {
        c.contest_id: contest_result(
            context, c, counts[c.contest_id], ballots_per_contest.get(c.contest_id, 0)
        )
        for c in context.manifest.contests
    }
