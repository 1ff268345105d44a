"""The combinations RCTab refuses in a configuration (its ContestConfig validation), each
refusal naming the field and what is allowed (spec/counting.md#rctab-configuration).

Every problem is collected, as RCTab lists every validation error before it stops; the
refusal is one :class:`~suffrage.errors.InvalidBallotData` whose ``problems`` holds them all.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from suffrage.counting.rctab.model import CvrSource
from suffrage.errors import InvalidBallotData, quote

if TYPE_CHECKING:
    from suffrage.counting.rctab.config import ContestConfig

__all__ = ["RESERVED", "check_config"]

RESERVED = ("residual surplus", "exhausted", "uncounted")
"""Words RCTab's reports use as transfer targets; no label or candidate may be one."""
_NEEDS_CONTEST_ID = ("dominion", "hart", "clearBallot", "cdf")
_COLUMNS = ("ess", "genericCsv")
_BAD_DELIMITER = re.compile(r".*\\.*|[a-zA-Z0-9.',\-\"\s]+", re.DOTALL)
_RANDOM_MODES = ("random", "previousRoundCountsThenRandom", "generatePermutation")


def check_config(config: ContestConfig, source: str) -> None:
    """Refuse ``config`` (read from the file ``source``) if RCTab would refuse it."""
    problems: list[str] = []
    _sources(config, problems)
    _candidates(config, problems)
    _rules(config, problems)
    if problems:
        first, _, rest = problems[0].partition(": ")
        raise InvalidBallotData(
            f"{source}: {first}", rest, problems=tuple(f"{source}: {p}" for p in problems)
        )


def _sources(config: ContestConfig, problems: list[str]) -> None:
    if not config.sources:
        problems.append("cvrFileSources: at least one cast vote record source is required")
    seen: set[str] = set()
    for index, src in enumerate(config.sources):
        where = f"cvrFileSources[{index}]"
        _labels(src, where, problems)
        if src.provider in _COLUMNS:
            _column_source(src, where, problems)
        else:
            _file_source(src, where, config, problems)
        if src.provider in _NEEDS_CONTEST_ID and not src.contest_id:
            problems.append(f"{where}.contestId: required for provider {src.provider}")
        if src.provider not in _NEEDS_CONTEST_ID and src.contest_id:
            problems.append(f"{where}.contestId: must be blank for provider {src.provider}")
        resolved = str(src.path.resolve())
        if resolved in seen:
            problems.append(f"{where}.filePath: the same file twice ({src.path.name})")
        seen.add(resolved)
        if not src.path.exists():
            problems.append(f"{where}.filePath: not found: {src.path}")
        _source_rules(src, where, config, problems)


def _labels(src: CvrSource, where: str, problems: list[str]) -> None:
    labels = {
        "overvoteLabel": src.overvote_label,
        "skippedRankLabel": src.skipped_rank_label,
        "undeclaredWriteInLabel": src.undeclared_write_in_label,
    }
    for field, label in labels.items():
        if not label:
            continue
        if label.lower() in RESERVED:
            problems.append(f"{where}.{field}: {quote(label)} is reserved ({', '.join(RESERVED)})")
        for other, value in labels.items():
            if other != field and value and value.lower() == label.lower():
                problems.append(f"{where}.{field}: {quote(label)} is also the {other}")


def _column_source(src: CvrSource, where: str, problems: list[str]) -> None:
    if src.first_vote_column is None:
        problems.append(f"{where}.firstVoteColumnIndex: required: an integer from 1 to 1000")
    if src.first_vote_row is None:
        problems.append(f"{where}.firstVoteRowIndex: required: an integer from 1 to 100000")
    delimiter = src.overvote_delimiter
    if delimiter and _BAD_DELIMITER.fullmatch(delimiter):
        problems.append(
            f"{where}.overvoteDelimiter: must hold no backslash and at least one character that"
            " is not a letter, digit, hyphen, period, comma, apostrophe, quote or space"
        )
    if delimiter and src.overvote_label:
        problems.append(f"{where}.overvoteDelimiter: must be blank when overvoteLabel is given")


def _file_source(src: CvrSource, where: str, config: ContestConfig, problems: list[str]) -> None:
    suffix = src.path.suffix.lower()
    if src.provider == "cdf" and suffix not in (".xml", ".json"):
        problems.append(f"{where}.filePath: a CDF source must be a .json or .xml file")
    if src.provider != "cdf" and src.overvote_label:
        problems.append(f"{where}.overvoteLabel: must be blank for provider {src.provider}")
    unexpected = {
        "firstVoteColumnIndex": src.first_vote_column,
        "firstVoteRowIndex": src.first_vote_row,
        "idColumnIndex": src.id_column,
        "precinctColumnIndex": src.precinct_column,
        "batchColumnIndex": src.batch_column,
        "overvoteDelimiter": src.overvote_delimiter,
        "skippedRankLabel": src.skipped_rank_label,
    }
    for field, value in unexpected.items():
        if value:
            problems.append(f"{where}.{field}: must be blank for provider {src.provider}")
    if src.treat_blank_as_undeclared_write_in:
        problems.append(
            f"{where}.treatBlankAsUndeclaredWriteIn: must be false for provider {src.provider}"
        )
    if src.provider == "cdf" and (
        config.output.tabulate_by_precinct or config.output.tabulate_by_batch
    ):
        problems.append(f"{where}: tabulate-by-precinct/batch is not available for CDF sources")


def _source_rules(src: CvrSource, where: str, config: ContestConfig, problems: list[str]) -> None:
    rule = config.rules.overvote_rule
    if src.overvote_label and rule not in ("alwaysSkipToNextRank", "exhaustImmediately"):
        problems.append(
            f"{where}.overvoteLabel: with an overvote label, rules.overvoteRule must be"
            " alwaysSkipToNextRank or exhaustImmediately"
        )
    if src.provider != "ess":
        return
    if config.output.tabulate_by_precinct and src.precinct_column is None:
        problems.append(f"{where}.precinctColumnIndex: required when tabulateByPrecinct is on")
    if config.output.tabulate_by_batch and src.batch_column is None:
        problems.append(f"{where}.batchColumnIndex: required when tabulateByBatch is on")
    if rule == "exhaustIfMultipleContinuing" and not src.overvote_delimiter:
        problems.append(
            f"{where}.overvoteDelimiter: required for an ES&S source when overvoteRule is"
            " exhaustIfMultipleContinuing"
        )


def _candidates(config: ContestConfig, problems: list[str]) -> None:
    seen: set[str] = set()
    for index, candidate in enumerate(config.candidates):
        for text in (*candidate.aliases, candidate.name):
            where = f"candidates[{index}]"
            if text in seen and text != candidate.name:
                problems.append(f"{where}: duplicate candidate name or alias {quote(text)}")
            elif text in seen and candidate.aliases.count(text) == 0:
                problems.append(f"{where}: duplicate candidate name {quote(text)}")
            seen.add(text)
            if text.lower() in RESERVED:
                problems.append(f"{where}: {quote(text)} is a reserved word")
            if any(_is_label(text, s) for s in config.sources):
                problems.append(f"{where}: {quote(text)} is also a source's label")
    declared = list(config.candidates)
    if not declared:
        problems.append("candidates: at least one declared candidate is required")
    elif all(c.excluded for c in declared):
        problems.append("candidates: at least one candidate must not be excluded")


def _is_label(text: str, src: CvrSource) -> bool:
    labels = (src.overvote_label, src.skipped_rank_label, src.undeclared_write_in_label)
    return any(label and label.lower() == text.lower() for label in labels)


def _rules(config: ContestConfig, problems: list[str]) -> None:
    rules = config.rules
    mode = rules.winner_election_mode
    winners = rules.number_of_winners
    if rules.tiebreak_mode in _RANDOM_MODES and rules.random_seed is None:
        problems.append(f"rules.randomSeed: required when tiebreakMode is {rules.tiebreak_mode}")
    bottoms_pct = mode == "bottomsUpUsingPercentageThreshold"
    if winners > 0 and bottoms_pct:
        problems.append(f"rules.numberOfWinners: must be 0 when winnerElectionMode is {mode}")
    if winners > 1:
        if mode == "singleWinnerMajority":
            problems.append(
                "rules.winnerElectionMode: singleWinnerMajority needs numberOfWinners 1"
            )
        if mode != "multiPassIrv" and rules.continue_until_two_remain:
            problems.append(
                "rules.continueUntilTwoCandidatesRemain: can be true in a multi-seat contest only"
                " with winnerElectionMode multiPassIrv"
            )
        if mode != "multiPassIrv" and rules.batch_elimination:
            problems.append(
                "rules.batchElimination: can be true in a multi-seat contest only with"
                " winnerElectionMode multiPassIrv"
            )
        if rules.first_round_determines_threshold:
            problems.append("rules.doesFirstRoundDetermineThreshold: must be false with 2+ seats")
    elif winners == 1 and mode != "singleWinnerMajority":
        problems.append(f"rules.winnerElectionMode: {mode} is not allowed with one seat")
    elif winners == 0:
        if not bottoms_pct:
            problems.append(
                "rules.winnerElectionMode: with numberOfWinners 0 it must be"
                " bottomsUpUsingPercentageThreshold"
            )
        if rules.bottoms_up_threshold is None:
            problems.append("rules.multiSeatBottomsUpPercentageThreshold: required: 1 to 100")
    if bottoms_pct and rules.batch_elimination:
        problems.append(f"rules.batchElimination: must be false when winnerElectionMode is {mode}")
    surplus_modes = (
        "multiWinnerAllowOnlyOneWinnerPerRound",
        "multiWinnerAllowMultipleWinnersPerRound",
    )
    if mode not in surplus_modes and rules.non_integer_winning_threshold:
        problems.append(f"rules.nonIntegerWinningThreshold: must be false with {mode}")
    if mode not in surplus_modes and rules.hare_quota:
        problems.append(f"rules.hareQuota: must be false with {mode}")
    if rules.non_integer_winning_threshold and rules.hare_quota:
        problems.append("rules.hareQuota: cannot be true with nonIntegerWinningThreshold")
