"""A whole RCTab count: read the sources, check the rankings, run one pass or, for multi-pass
IRV, one pass per seat (spec/counting.md#rctab-rounds).

Multi-pass IRV (``multiPassIrv``) counts a single-winner contest once per seat; each pass
excludes the winners of the passes before it and gives its own report.
"""

from __future__ import annotations

from collections.abc import Sequence

from suffrage.counting.rctab.config import ContestConfig
from suffrage.counting.rctab.javacompat import JavaRandom, java_shuffle, java_sort_key
from suffrage.counting.rctab.model import Cvr, CvrSource
from suffrage.counting.rctab.round_count import Counter
from suffrage.counting.rctab.tabulator import Pass, run_pass
from suffrage.counting.rctab.tiebreak import Answers, TieBreaker
from suffrage.errors import CountingError, InvalidBallotData, quote

__all__ = ["count_contest", "read_cvrs", "read_sources", "tabulate"]

_SEEDED = ("random", "previousRoundCountsThenRandom", "generatePermutation")


def read_cvrs(config: ContestConfig) -> list[Cvr]:
    """Every cast vote record of every source, in the configuration's order."""
    return [cvr for _, records in read_sources(config) for cvr in records]


def read_sources(config: ContestConfig) -> list[tuple[CvrSource, list[Cvr]]]:
    """Each source of the configuration with its records, in the configuration's order."""
    from suffrage.counting.rctab.sources import read_source  # imported late: the providers' package

    found = [
        (source, read_source(source, config.candidates, max_rankings=config.rules.max_rankings))
        for source in config.sources
    ]
    if not any(records for _, records in found):
        raise InvalidBallotData("cvrFileSources", "no cast vote records found in any source")
    return found


def count_contest(
    config: ContestConfig, *, tiebreak_answers: Sequence[str] = ()
) -> tuple[Pass, ...]:
    """Read the sources of ``config`` and count them."""
    return tabulate(config, read_cvrs(config), tiebreak_answers=tiebreak_answers)


def tabulate(
    config: ContestConfig, cvrs: Sequence[Cvr], *, tiebreak_answers: Sequence[str] = ()
) -> tuple[Pass, ...]:
    """Count ``cvrs`` by the rules of ``config``: one pass, or one per seat for multi-pass IRV.
    ``tiebreak_answers`` answer, in order, the ties the interactive modes ask about."""
    _check_rankings(config, cvrs)
    answers = Answers(tiebreak_answers)
    excluded = {c.name for c in config.candidates if c.excluded}
    rules = config.rules
    passes: tuple[Pass, ...]
    if not config.sequential:
        passes = (_one_pass(config, cvrs, excluded, answers, rules.number_of_winners, None),)
    else:
        found: list[Pass] = []
        winners: list[str] = []
        for seat in range(1, rules.number_of_winners + 1):
            done = _one_pass(config, cvrs, excluded | set(winners), answers, 1, seat)
            if len(done.winners) != 1:
                raise CountingError(f"pass {seat}: expected one winner, found {len(done.winners)}")
            winners.append(done.winners[0])
            found.append(done)
        passes = tuple(found)
    unused = answers.unused()
    if unused:
        raise CountingError(
            f"--tiebreak-answers: {len(unused)} answer(s) not needed by the count:"
            f" {', '.join(quote(a) for a in unused)}"
        )
    return passes


def _one_pass(  # noqa: PLR0917 (private; every argument is needed)
    config: ContestConfig,
    cvrs: Sequence[Cvr],
    excluded: set[str],
    answers: Answers,
    winners: int,
    sequence: int | None,
) -> Pass:
    rules = config.rules
    random = None
    permutation = [c.name for c in config.candidates]
    if rules.tiebreak_mode in _SEEDED:
        random = JavaRandom(rules.random_seed or 0)
        if rules.tiebreak_mode == "generatePermutation":
            permutation.sort(key=java_sort_key)
            java_shuffle(permutation, random)
            random = None
    counter = Counter(config, cvrs, excluded)
    breaker = TieBreaker(
        rules.tiebreak_mode,
        random=random,
        permutation=permutation,
        answers=answers,
        history=counter.history,
    )
    return run_pass(config, counter, breaker, winners=winners, sequence=sequence)


def _check_rankings(config: ContestConfig, cvrs: Sequence[Cvr]) -> None:
    """Refuse a record ranked beyond ``maxRankingsAllowed`` (as RCTab refuses the source)."""
    limit = config.rules.max_rankings
    if limit is None:
        return
    for cvr in cvrs:
        if cvr.rankings and cvr.rankings[-1][0] > limit:
            raise InvalidBallotData(
                f"{cvr.source}: record {cvr.id}",
                f"has a ranking {cvr.rankings[-1][0]}, but rules.maxRankingsAllowed is {limit}",
            )
