"""Legal thresholds for parties and coalitions (spec/counting.md#thresholds).

A list passes when its share of the base (by default every valid list vote) reaches the
threshold that applies to it: the party threshold, or for a coalition the threshold of its
number of member parties. A list may also pass by an alternative route the law grants, such as
winning a number of constituencies (``exempt``). Shares are exact fractions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from suffrage.counting._common import Result, Stage, Trail, require
from suffrage.counting.divisors import check_votes
from suffrage.errors import CountingError, quote

__all__ = ["passing_votes", "threshold"]


def _exact(value: object, label: str) -> Fraction:
    """Refuse floats and shares outside [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, Fraction | int):
        raise CountingError(f"{label} must be an exact Fraction, not {value!r}")
    share = Fraction(value)
    require(0 <= share <= 1, f"{label} must lie between 0 and 1, not {share}")
    return share


def _coalition_share(
    members: int, party_share: Fraction, coalition_shares: Mapping[int, Fraction]
) -> Fraction:
    """The threshold of a coalition of ``members`` parties: the largest bracket not above it."""
    brackets = [size for size in coalition_shares if size <= members]
    return coalition_shares[max(brackets)] if brackets else party_share


def _check_coalitions(votes: Mapping[str, int], coalitions: Mapping[str, Sequence[str]]) -> None:
    """Every coalition must be a list in ``votes`` with at least two distinct members."""
    for name, members in coalitions.items():
        require(name in votes, f"coalition {quote(name)} is not a list in the votes")
        require(
            len(set(members)) >= 2 and len(set(members)) == len(members),
            f"coalition {quote(name)} must name at least two distinct member parties",
        )


def threshold(
    votes: Mapping[str, int],
    *,
    party_share: Fraction,
    coalitions: Mapping[str, Sequence[str]] | None = None,
    coalition_shares: Mapping[int, Fraction] | None = None,
    exempt: Sequence[str] = (),
    base: int | None = None,
    accept_equal: bool = True,
) -> Result:
    """Which lists pass the legal threshold (spec/counting.md#thresholds).

    ``coalitions`` maps a list name to its member parties; ``coalition_shares`` maps a number
    of members to the threshold from that size up (Slovakia: ``{2: 7/100, 4: 10/100}``).
    ``exempt`` lists pass whatever their share (e.g. a constituency won). ``base`` is the
    figure shares are taken of (default: the sum of ``votes``). ``accept_equal`` says whether a
    share exactly at the threshold passes. ``elected`` holds the passing lists, most votes
    first; ``totals`` holds every list's share.
    """
    check_votes(votes, 1)
    party = _exact(party_share, "party_share")
    coalitions = dict(coalitions or {})
    brackets = {
        int(k): _exact(v, f"coalition share for {k} members")
        for k, v in (coalition_shares or {}).items()
    }
    _check_coalitions(votes, coalitions)
    unknown = sorted(set(exempt) - set(votes))
    require(not unknown, f"exempt lists are not in the votes: {unknown}")
    total = sum(votes.values()) if base is None else base
    require(total > 0, f"threshold base must be positive, not {total}")
    require(total >= sum(votes.values()), f"threshold base {total} is below the votes counted")
    shares = {name: Fraction(v, total) for name, v in votes.items()}
    passed, events = [], []
    for name in sorted(votes, key=lambda n: (-votes[n], n)):
        size = len(coalitions.get(name, ()))
        needed = _coalition_share(size, party, brackets) if size else party
        ok = shares[name] >= needed if accept_equal else shares[name] > needed
        if ok or name in exempt:
            passed.append(name)
        verdict = "passes" if ok else ("passes (exempt)" if name in exempt else "fails")
        events.append(f"{name}: share {shares[name]} against {needed} -> {verdict}")
    stage = Stage(number=1, kind="threshold", values=shares, events=tuple(events))
    return Result(
        method="threshold",
        elected=tuple(passed),
        seats={},
        totals=shares,
        trail=Trail(method="threshold", stages=(stage,)),
        options={"party_share": party, "coalition_shares": brackets, "base": total},
    )


def passing_votes(votes: Mapping[str, int], outcome: Result) -> dict[str, int]:
    """The votes of the lists that passed ``outcome`` (a :func:`threshold` result)."""
    if outcome.method != "threshold":
        raise CountingError(f"expected a threshold result, not {outcome.method!r}")
    return {name: votes[name] for name in votes if name in outcome.elected}
