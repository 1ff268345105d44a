"""Instant-runoff voting with the options real jurisdictions differ on (spec/counting.md#irv).

Each round every ballot counts for its highest-ranked continuing candidate; a candidate with
more than half of the continuing votes wins; otherwise the last candidate is eliminated (or,
with batch elimination, every candidate whose combined votes cannot reach the next one above
them). Ties for elimination are broken by earlier rounds (``backward``) and then by lot.
"""

from __future__ import annotations

from dataclasses import dataclass

from suffrage.counting._common import Lot, Result, Stage, Trail
from suffrage.counting.ballots import OvervoteRule, Profile, RepeatRule, preference_order
from suffrage.counting.stv_common import break_tie

__all__ = ["IrvOptions", "count_irv"]

EXHAUSTED = "(exhausted)"


@dataclass(frozen=True, slots=True, kw_only=True)
class IrvOptions:
    """The ballot and elimination rules of an IRV count (spec/counting.md#irv-options).

    ``overvote``: exhaust the ballot or skip the rank; ``max_skipped``: that many consecutive
    skipped ranks exhaust the ballot (``None``: never); ``repeat``: a repeated candidate is
    skipped or exhausts; ``batch``: eliminate every candidate who cannot catch up at once;
    ``backward``: break elimination ties by earlier rounds before drawing lots;
    ``write_ins``: the candidates that stand for undeclared write-ins, who cannot win and are
    eliminated together before anyone else (spec/counting.md#irv).
    """

    overvote: OvervoteRule = OvervoteRule.EXHAUST
    max_skipped: int | None = None
    repeat: RepeatRule = RepeatRule.SKIP
    batch: bool = False
    backward: bool = True
    write_ins: frozenset[int] = frozenset()


def count_irv(profile: Profile, options: IrvOptions | None = None, *, seed: int = 0) -> Result:
    """Count ``profile`` (one seat) by instant-runoff (spec/counting.md#irv)."""
    opts = options or IrvOptions()
    orders = _orders(profile, opts)
    names = profile.candidates
    lot = Lot(seed=seed)
    continuing = {c for c in range(len(names)) if c not in profile.withdrawn}
    stages: list[Stage] = []
    history: list[list[int]] = []
    while True:
        tally = _tally(orders, continuing, len(names))
        history.append(tally[:-1])
        live = sum(tally[c] for c in continuing)
        declared = continuing - opts.write_ins or continuing
        leader = max(declared, key=lambda c: tally[c])
        if tally[leader] * 2 > live or len(continuing) == 1:
            stages.append(
                _stage(len(stages) + 1, names, tally, continuing, [f"elected {names[leader]}"])
            )
            break
        out = continuing & opts.write_ins
        if out and declared != continuing:
            listed = ", ".join(sorted(names[c] for c in out))
            events = [f"eliminated first (undeclared write-ins cannot win): {listed}"]
        else:
            out, events = _eliminate(
                continuing, tally=tally, history=history, opts=opts, lot=lot, names=names
            )
        stages.append(_stage(len(stages) + 1, names, tally, continuing, events))
        continuing -= out
    return _result(profile, opts=opts, stages=stages, lot=lot, winner=leader, tally=tally)


def _orders(profile: Profile, opts: IrvOptions) -> list[tuple[tuple[int, ...], int]]:
    return [
        (
            preference_order(
                b,
                overvote=opts.overvote,
                repeat=opts.repeat,
                max_skipped=opts.max_skipped,
                ignore=profile.withdrawn,
            ),
            b.weight,
        )
        for b in profile.ballots
    ]


def _tally(orders: list[tuple[tuple[int, ...], int]], continuing: set[int], size: int) -> list[int]:
    tally = [0] * (size + 1)  # the last slot counts exhausted ballots
    for order, weight in orders:
        for c in order:
            if c in continuing:
                tally[c] += weight
                break
        else:
            tally[size] += weight
    return tally


def _eliminate(
    continuing: set[int],
    *,
    tally: list[int],
    history: list[list[int]],
    opts: IrvOptions,
    lot: Lot,
    names: tuple[str, ...],
) -> tuple[set[int], list[str]]:
    ranked = sorted(continuing, key=lambda c: tally[c])
    if opts.batch:
        out = _batch(ranked, tally)
        if len(out) > 1:
            listed = ", ".join(sorted(names[c] for c in out))
            return out, [f"eliminated together (cannot catch up): {listed}"]
    low = tally[ranked[0]]
    tied = [c for c in ranked if tally[c] == low]
    events: list[str] = []
    if len(tied) == 1:
        chosen = tied[0]
    else:
        past = history[:-1] if opts.backward else []
        chosen, note = break_tie(
            tied, past, lowest=True, lot=lot, names=names, purpose="elimination"
        )
        events.append(note or lot.drawn[-1])
    events.append(f"eliminated {names[chosen]}")
    return {chosen}, events


def _batch(ranked: list[int], tally: list[int]) -> set[int]:
    """The largest group of lowest candidates whose combined votes are below the next one,
    leaving at least two candidates."""
    best: set[int] = set()
    total = 0
    for i, c in enumerate(ranked[:-2]):
        total += tally[c]
        if total < tally[ranked[i + 1]]:
            best = set(ranked[: i + 1])
    return best


def _stage(
    number: int, names: tuple[str, ...], tally: list[int], continuing: set[int], events: list[str]
) -> Stage:
    values: dict[str, int] = {names[c]: tally[c] for c in sorted(continuing)}
    values[EXHAUSTED] = tally[-1]
    return Stage(number=number, kind="round", values=values, events=tuple(events))


def _result(
    profile: Profile,
    *,
    opts: IrvOptions,
    stages: list[Stage],
    lot: Lot,
    winner: int,
    tally: list[int],
) -> Result:
    names = profile.candidates
    trail = Trail(method="irv", stages=tuple(stages), lots=tuple(lot.drawn), seed=lot.seed)
    options: dict[str, object] = {
        "overvote": str(opts.overvote),
        "max_skipped": opts.max_skipped,
        "repeat": str(opts.repeat),
        "batch": opts.batch,
        "backward": opts.backward,
    }
    if opts.write_ins:  # only when given, so that every other count's options stay as they were
        options["write_ins"] = sorted(names[c] for c in opts.write_ins)
    totals = {n: tally[c] for c, n in enumerate(names) if n in stages[-1].values}
    return Result(
        method="irv",
        elected=(names[winner],),
        seats={},
        totals=totals,
        trail=trail,
        options=options,
    )
