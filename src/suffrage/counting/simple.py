"""Non-ranked single-round methods: plurality, approval, referendum and two-round.

Each takes the vote figures of one contest (spec/counting.md#plurality and following) and
returns a :class:`Result` whose trail says how the winners were found and how ties were broken.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from suffrage.counting._common import Lot, Result, Stage, Trail, require
from suffrage.counting.divisors import check_votes
from suffrage.errors import CountingError

__all__ = [
    "approval",
    "plurality",
    "referendum",
    "referendum_tests",
    "runoff_candidates",
    "top",
    "two_round",
]


def top(
    votes: Mapping[str, int], seats: int, lot: Lot, *, purpose: str
) -> tuple[list[str], list[str]]:
    """The ``seats`` names with most votes, ties at the cut broken by lot; and the events."""
    ranked = sorted(votes, key=lambda n: (-votes[n], n))
    chosen = ranked[:seats]
    events: list[str] = []
    if seats < len(ranked) and votes[ranked[seats - 1]] == votes[ranked[seats]]:
        cut = votes[ranked[seats - 1]]
        tied = [n for n in ranked if votes[n] == cut]
        sure = [n for n in chosen if votes[n] > cut]
        drawn = lot.order(tied, purpose=purpose)[: seats - len(sure)]
        chosen = sure + drawn
        events.append(f"tie at {cut} votes among {', '.join(sorted(tied))}: by lot")
    return chosen, events


def _ranked(method: str, votes: Mapping[str, int], seats: int, lot: Lot | None) -> Result:
    """Elect the ``seats`` names with most votes (plurality and approval share this)."""
    check_votes(votes, seats)
    require(seats <= len(votes), f"{seats} seats but only {len(votes)} candidates")
    lot = lot if lot is not None else Lot()
    chosen, events = top(votes, seats, lot, purpose=f"{method} seat")
    events = [*events, *(f"elected {name} ({votes[name]} votes)" for name in chosen)]
    stage = Stage(number=1, kind="count", values=dict(votes), events=tuple(events))
    return Result(
        method=method,
        elected=tuple(chosen),
        seats=dict.fromkeys(chosen, 1),
        totals=dict(votes),
        trail=Trail(method=method, stages=(stage,), lots=tuple(lot.drawn), seed=lot.seed),
        options={"seats": seats},
    )


def plurality(votes: Mapping[str, int], seats: int = 1, *, lot: Lot | None = None) -> Result:
    """First past the post; with ``seats`` > 1 block vote/SNTV (spec/counting.md#plurality)."""
    return _ranked("plurality", votes, seats, lot)


def approval(approvals: Mapping[str, int], seats: int = 1, *, lot: Lot | None = None) -> Result:
    """Approval voting: the ``seats`` candidates approved most often (spec/counting.md#approval)."""
    return _ranked("approval", approvals, seats, lot)


def _share(value: object, label: str) -> Fraction:
    """An exact share in [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, Fraction | int):
        raise CountingError(f"{label} must be an exact Fraction, not {value!r}")
    require(0 <= Fraction(value) <= 1, f"{label} must lie between 0 and 1, not {value}")
    return Fraction(value)


def referendum(
    votes: Mapping[str, int],
    *,
    majority: Fraction = Fraction(1, 2),
    strict: bool = True,
    electorate: int | None = None,
    turnout_quorum: Fraction | None = None,
    approval_quorum: Fraction | None = None,
) -> Result:
    """A yes/no question (spec/counting.md#referendum).

    ``votes`` holds ``yes`` and ``no`` and may hold ``blank`` and ``invalid`` (counted for
    turnout only). Yes wins when its share of yes + no exceeds ``majority`` (``strict``) or
    reaches it, when turnout (all four figures) reaches ``turnout_quorum`` of ``electorate``,
    and when yes votes reach ``approval_quorum`` of ``electorate``. Otherwise the answer is no.
    """
    allowed = {"yes", "no", "blank", "invalid"}
    require(set(votes) <= allowed, f"unknown referendum figures: {sorted(set(votes) - allowed)}")
    require({"yes", "no"} <= set(votes), "referendum figures must include 'yes' and 'no'")
    check_votes(votes, 1)
    need = _share(majority, "majority")
    yes, no = votes["yes"], votes["no"]
    require(yes + no > 0, "no yes or no votes were cast")
    turnout = sum(votes.values())
    quorums = (turnout_quorum, approval_quorum)
    if any(q is not None for q in quorums):
        require(electorate is not None, "a quorum needs the size of the electorate")
    if electorate is not None:
        require(electorate >= turnout, f"electorate {electorate} is below the turnout {turnout}")
    tests = referendum_tests(
        yes, no, turnout=turnout, need=need, strict=strict, electorate=electorate, quorums=quorums
    )
    passed = all(ok for _, _, ok in tests)
    events = tuple(f"{label}: {'met' if ok else 'not met'}" for _, label, ok in tests)
    stage = Stage(number=1, kind="referendum", values={**votes, "turnout": turnout}, events=events)
    answer = "yes" if passed else "no"
    return Result(
        method="referendum",
        elected=(answer,),
        seats={},
        totals=dict(votes),
        trail=Trail(method="referendum", stages=(stage,), notes=(f"answer: {answer}",)),
        options={
            "majority": need,
            "strict": strict,
            "electorate": electorate,
            "turnout_quorum": turnout_quorum,
            "approval_quorum": approval_quorum,
        },
    )


def referendum_tests(
    yes: int,
    no: int,
    *,
    turnout: int,
    need: Fraction,
    strict: bool,
    electorate: int | None,
    quorums: tuple[Fraction | None, Fraction | None],
) -> list[tuple[str, str, bool]]:
    """Each condition of a referendum (``yes + no > 0``): its kind (``majority``,
    ``turnout-quorum``, ``approval-quorum``), its statement in figures, and whether it holds.
    The one definition the count and the results report both use."""
    share = Fraction(yes, yes + no)
    ok = share > need if strict else share >= need
    tests = [("majority", f"yes share {share} {'>' if strict else '>='} {need}", ok)]
    turnout_quorum, approval_quorum = quorums
    if turnout_quorum is not None and electorate is not None:
        q = _share(turnout_quorum, "turnout_quorum")
        label = f"turnout {turnout}/{electorate} >= {q}"
        tests.append(("turnout-quorum", label, Fraction(turnout, electorate) >= q))
    if approval_quorum is not None and electorate is not None:
        q = _share(approval_quorum, "approval_quorum")
        label = f"yes {yes}/{electorate} >= {q}"
        tests.append(("approval-quorum", label, Fraction(yes, electorate) >= q))
    return tests


def two_round(
    first: Mapping[str, int],
    second: Mapping[str, int] | None = None,
    *,
    majority: Fraction = Fraction(1, 2),
    electorate: int | None = None,
    runoff_size: int = 2,
    lot: Lot | None = None,
) -> Result:
    """Two-round system (spec/counting.md#two-round).

    A candidate with more than ``majority`` of the valid votes of the first round (or, with
    ``electorate``, of the registered voters) is elected. Otherwise the ``runoff_size``
    candidates with most votes go to the run-off (ties at the cut by lot). With the second
    round's figures ``second`` (only the run-off candidates), its plurality winner is elected;
    without them ``elected`` is empty and :func:`runoff_candidates` names who goes through.
    """
    check_votes(first, 1)
    need = _share(majority, "majority")
    require(runoff_size >= 2, f"runoff_size must be at least 2, not {runoff_size}")
    require(len(first) >= 2, "a two-round contest needs at least two candidates")
    base = sum(first.values()) if electorate is None else electorate
    require(base >= sum(first.values()) and base > 0, f"majority base {base} is below the votes")
    lot = lot if lot is not None else Lot()
    leader, events = top(first, 1, lot, purpose="first-round leader")
    stages = [_first_stage(first, base, need)]
    if Fraction(first[leader[0]], base) > need:
        stages[0] = _with_events(stages[0], [*events, f"{leader[0]} elected in the first round"])
        return _two_round_result(
            first, (leader[0],), stages=stages, lot=lot, need=need, electorate=electorate
        )
    size = min(runoff_size, len(first))
    qualified, cut_events = top(first, size, lot, purpose="run-off place")
    stages[0] = _with_events(stages[0], [*cut_events, f"run-off: {', '.join(qualified)}"])
    stages.append(Stage(number=2, kind="run-off", values={n: first[n] for n in qualified}))
    if second is None:
        return _two_round_result(
            first, (), stages=stages, lot=lot, need=need, electorate=electorate
        )
    require(set(second) == set(qualified), f"second round must hold exactly {sorted(qualified)}")
    check_votes(second, 1)
    winner, tie_events = top(second, 1, lot, purpose="run-off winner")
    stages.append(
        Stage(
            number=3,
            kind="second round",
            values=dict(second),
            events=(*tie_events, f"{winner[0]} elected in the second round"),
        )
    )
    return _two_round_result(
        second, (winner[0],), stages=stages, lot=lot, need=need, electorate=electorate
    )


def _first_stage(first: Mapping[str, int], base: int, need: Fraction) -> Stage:
    """The first round's figures and shares of the majority base."""
    shares = {name: Fraction(v, base) for name, v in first.items()}
    return Stage(
        number=1,
        kind="first round",
        values={"votes": dict(first), "shares": shares, "base": base, "majority": need},
    )


def _with_events(stage: Stage, events: list[str]) -> Stage:
    """A stage with events added."""
    return Stage(
        number=stage.number, kind=stage.kind, values=stage.values, events=(*stage.events, *events)
    )


def _two_round_result(
    totals: Mapping[str, int],
    elected: tuple[str, ...],
    *,
    stages: list[Stage],
    lot: Lot,
    need: Fraction,
    electorate: int | None,
) -> Result:
    """Assemble a two-round result."""
    trail = Trail(method="two_round", stages=tuple(stages), lots=tuple(lot.drawn), seed=lot.seed)
    return Result(
        method="two_round",
        elected=elected,
        seats=dict.fromkeys(elected, 1),
        totals=dict(totals),
        trail=trail,
        options={"majority": need, "electorate": electorate},
    )


def runoff_candidates(result: Result) -> tuple[str, ...]:
    """Who goes to the run-off in a :func:`two_round` result (empty if decided in round one)."""
    if result.method != "two_round":
        raise CountingError(f"expected a two_round result, not {result.method!r}")
    return tuple(
        name for stage in result.trail.stages if stage.kind == "run-off" for name in stage.values
    )
