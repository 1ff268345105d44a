"""Results of every contest from its decrypted counts or rankings (spec/protocol.md#17, #19.5).

Each contest kind is counted by the method of ``suffrage.counting`` its manifest names, with
ties broken by a lot seeded from the base hash (so anyone recomputes the same draw). The
result is plain data: it goes into the record as it is and the verifier recomputes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from suffrage.counting import divisors, remainders, simple, thresholds
from suffrage.counting._common import Lot, Result, Trail
from suffrage.counting.ballots import Profile, RankedBallot
from suffrage.counting.condorcet import count_ranked_pairs, count_schulze
from suffrage.counting.irv import count_irv
from suffrage.counting.stv_gregory import count_stv_gregory
from suffrage.counting.stv_meek import count_stv_meek
from suffrage.counting.stv_scottish import count_stv_scottish
from suffrage.counting.writers import plain
from suffrage.errors import CountingError
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.manifest import Contest, ContestKind, ListMethod

__all__ = [
    "compute_results",
    "contest_count",
    "contest_result",
    "first_preferences",
    "lot_seed",
    "ranked_count",
    "ranked_profile",
    "ranked_result",
    "seed_of",
]


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


_RANKED_COUNTS = {
    "irv": lambda profile, seed: count_irv(profile, seed=seed),
    "scottish": lambda profile, seed: count_stv_scottish(profile, seed=seed),
    "meek": lambda profile, seed: count_stv_meek(profile, seed=seed),
    "gregory": lambda profile, seed: count_stv_gregory(profile, seed=seed),
    "schulze": lambda profile, seed: count_schulze(profile, seed=seed),
    "ranked_pairs": lambda profile, seed: count_ranked_pairs(profile, seed=seed),
}


def ranked_profile(contest: Contest, rows: Sequence[Sequence[int]]) -> Profile:
    """The decrypted rows of a ranked contest as a ballot profile (spec #19.5): rank ``k``
    holds option ``v_k`` (1-based, manifest order), nothing when ``v_k`` is 0. Skipped and
    repeated ranks are kept as cast: the method's ballot rules decide what they mean."""
    width = len(contest.options)
    ballots = []
    for number, row in enumerate(rows, start=1):
        if len(row) != width or any(not 0 <= v <= width for v in row):
            raise CountingError(
                f"contest {contest.contest_id}, ballot {number}: expected {width} rank values "
                f"in 0..{width}, got {list(row)}"
            )
        ballots.append(RankedBallot(ranks=tuple((v - 1,) if v else () for v in row)))
    return Profile(
        candidates=contest.option_ids,
        ballots=tuple(ballots),
        seats=contest.seats or 1,
        title=contest.contest_id,
        source=f"contest {contest.contest_id}",
    )


def ranked_count(contest: Contest, rows: Sequence[Sequence[int]], *, seed: int) -> Result:
    """Count a ranked contest's decrypted rows by its manifest method and rule (#19.5), with
    the method's whole audit trail; ties by lot drawn with ``seed`` (:func:`seed_of`)."""
    return _RANKED_COUNTS[contest.ranked_rule](ranked_profile(contest, rows), seed)


def first_preferences(contest: Contest, rows: Sequence[Sequence[int]]) -> dict[str, int]:
    """How many rankings put each option first (the first rank not left blank)."""
    counts = dict.fromkeys(contest.option_ids, 0)
    for row in rows:
        first = next((v for v in row if v), 0)
        if first:
            counts[contest.option_ids[first - 1]] += 1
    return counts


def ranked_result(
    context: ElectionContext, contest: Contest, rows: Sequence[Sequence[int]]
) -> dict[str, Any]:
    """The result of a ranked contest as plain data (spec #19.5): its decrypted ``rows``
    counted by the manifest's method and rule, with the whole count (every round, transfer,
    elimination and lot) under ``count``, as `suffrage count --json` writes it."""
    result = ranked_count(contest, rows, seed=lot_seed(context, contest.contest_id))
    count = plain(result)
    # The lot seed is 64 bits, beyond the integers canonical JSON carries (2^53): as text.
    if isinstance(count["trail"]["seed"], int):
        count["trail"]["seed"] = str(count["trail"]["seed"])
    return {
        "kind": contest.kind.value,
        "ballots": len(rows),
        "counts": first_preferences(contest, rows),
        "elected": list(result.elected),
        "seats": {k: v for k, v in result.seats.items() if v},
        "lots": list(result.trail.lots),
        "rule": contest.ranked_rule,
        "count": count,
    }


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
    *,
    ranked: Mapping[str, Sequence[Sequence[int]]] | None = None,
) -> dict[str, Any]:
    """Results of every contest, keyed by contest id, in manifest order: a homomorphic
    contest's from its decrypted ``counts``, a ranked contest's from its decrypted rows in
    ``ranked`` (spec #19.5). A ranked contest ``ranked`` does not name had no counted ballot:
    its result is the count of no ballot, as the spec says, so leaving ``ranked`` out is only
    right for an election whose ranked contests nobody voted in."""
    rows = ranked or {}
    return {
        c.contest_id: (
            contest_result(
                context, c, counts[c.contest_id], ballots_per_contest.get(c.contest_id, 0)
            )
            if c.is_homomorphic
            else ranked_result(context, c, rows.get(c.contest_id, ()))
        )
        for c in context.manifest.contests
    }
