"""An RCTab contest configuration, read strictly (spec/counting.md#rctab-configuration).

:func:`load_config` reads the JSON file that RCTab's ``config_file_documentation.txt``
describes: ``tabulatorVersion``, ``outputSettings``, ``cvrFileSources``, ``candidates`` and
``rules``. Every field is decoded to its type (RCTab writes numbers as strings, some files as
numbers; both are read), older configurations are migrated as RCTab migrates them (labels kept
in ``rules``, ``undervoteLabel``, candidate ``code``, older winner-mode and tie-break names),
paths are resolved against the configuration's folder, and the combinations RCTab refuses are
refused by :mod:`.config_checks`, each with a message naming the field and what is allowed. An
unknown field is refused too (RCTab ignores it; a misspelt ``random Seed`` would then go
unnoticed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from suffrage.counting.rctab.config_fields import (
    Fields,
    LegacyRules,
    decode_candidates,
    decode_sources,
    migrate_modes,
)
from suffrage.counting.rctab.model import UNDECLARED_WRITE_IN, Candidate, CvrSource
from suffrage.errors import InvalidBallotData
from suffrage.inputs import JsonRefusal, load_strict_json

__all__ = [
    "APP_VERSION",
    "ContestConfig",
    "OutputSettings",
    "Rules",
    "load_config",
    "parse_config",
]

APP_VERSION = "2.0.1"
"""The RCTab version whose rules and report this module follows."""
TEST_VERSION = "TEST"
MAX_CONFIG_BYTES = 16 * 1024**2

_TOP = ("tabulatorVersion", "outputSettings", "cvrFileSources", "candidates", "rules")
_OUTPUT = (
    "contestName", "outputDirectory", "contestDate", "contestJurisdiction", "contestOffice",
    "tabulateByBatch", "tabulateByPrecinct", "generateCdfJson",
)  # fmt: skip
_RULES = (
    "tiebreakMode", "overvoteRule", "winnerElectionMode", "randomSeed", "numberOfWinners",
    "multiSeatBottomsUpPercentageThreshold", "decimalPlacesForVoteArithmetic",
    "minimumVoteThreshold", "maxSkippedRanksAllowed", "maxRankingsAllowed",
    "nonIntegerWinningThreshold", "doesFirstRoundDetermineThreshold", "hareQuota",
    "batchElimination", "cutoffElimination", "continueUntilTwoCandidatesRemain",
    "stopTabulationEarlyAfterRound", "exhaustOnDuplicateCandidate", "rulesDescription",
    "treatBlankAsUndeclaredWriteIn", "overvoteLabel", "undervoteLabel", "undeclaredWriteInLabel",
    "skippedRankLabel",
)  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class OutputSettings:
    """``outputSettings``: names printed in the report, and which slice reports to make."""

    contest_name: str
    output_directory: Path
    contest_date: str = ""
    contest_jurisdiction: str = ""
    contest_office: str = ""
    tabulate_by_precinct: bool = False
    tabulate_by_batch: bool = False
    generate_cdf_json: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Rules:
    """``rules``, decoded (labels are RCTab's internal names, e.g. ``"singleWinnerMajority"``).

    ``max_rankings`` ``None`` is ``"max"``; ``max_skipped_ranks`` ``None`` is ``"unlimited"``;
    ``stop_after_round`` ``None`` is blank; ``bottoms_up_threshold`` is the percentage divided
    by 100 at the precision RCTab gives it.
    """

    tiebreak_mode: str
    overvote_rule: str
    winner_election_mode: str
    number_of_winners: int
    decimal_places: int
    random_seed: int | None = None
    bottoms_up_threshold: Decimal | None = None
    bottoms_up_threshold_text: str = ""
    minimum_vote_threshold: int = 0
    max_skipped_ranks: int | None = None
    max_rankings: int | None = None
    non_integer_winning_threshold: bool = False
    first_round_determines_threshold: bool = False
    hare_quota: bool = False
    batch_elimination: bool = False
    cutoff_elimination: bool = False
    continue_until_two_remain: bool = False
    stop_after_round: int | None = None
    exhaust_on_duplicate: bool = False
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ContestConfig:
    """A whole configuration. ``folder`` is where relative paths were resolved from."""

    version: str
    output: OutputSettings
    sources: tuple[CvrSource, ...]
    candidates: tuple[Candidate, ...]
    rules: Rules
    folder: Path

    @property
    def undeclared_write_ins(self) -> bool:
        """Whether any source can mark an undeclared write-in (RCTab then adds the
        ``Undeclared Write-ins`` candidate)."""
        return any(
            s.undeclared_write_in_label or s.treat_blank_as_undeclared_write_in
            for s in self.sources
        )

    @property
    def candidate_names(self) -> tuple[str, ...]:
        """Every candidate of the count in configuration order, excluded ones included, then
        ``Undeclared Write-ins`` if enabled."""
        names = tuple(c.name for c in self.candidates)
        return (*names, UNDECLARED_WRITE_IN) if self.undeclared_write_ins else names

    @property
    def sequential(self) -> bool:
        """Multi-pass IRV: one single-winner count per seat, each excluding earlier winners."""
        return self.rules.winner_election_mode == "multiPassIrv"


def load_config(path: Path) -> ContestConfig:
    """Read and check the configuration at ``path`` (spec/counting.md#rctab-configuration)."""
    try:
        if not path.is_file():
            raise InvalidBallotData(str(path), "expected an RCTab configuration file: not found")
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise InvalidBallotData(str(path), f"larger than {MAX_CONFIG_BYTES} bytes")
        data = path.read_bytes()
    except OSError as error:
        raise InvalidBallotData(str(path), f"cannot be read: {error.strerror}") from None
    return parse_config(data, source=path.name, folder=path.resolve().parent)


def parse_config(data: bytes | str, *, source: str, folder: Path) -> ContestConfig:
    """Decode a configuration's JSON text; ``source`` names it in messages."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        raw = load_strict_json(text)
    except UnicodeDecodeError as error:
        raise InvalidBallotData(source, f"byte {error.start} is not UTF-8: expected JSON") from None
    except JsonRefusal as error:
        raise InvalidBallotData(source, str(error)) from None
    except json.JSONDecodeError as error:
        where = f"{source} line {error.lineno} column {error.colno}"
        raise InvalidBallotData(where, f"not JSON: {error.msg}") from None
    root = Fields(raw, source)
    root.only(_TOP)
    version = root.text("tabulatorVersion", required=True)
    _check_version(root, version)
    output = _output(root.section("outputSettings"), folder)
    rules_fields = root.section("rules")
    rules_fields.only(_RULES)
    legacy = LegacyRules.read(rules_fields)
    sources = decode_sources(root.items("cvrFileSources"), folder, legacy)
    candidates = decode_candidates(root.items("candidates", required=False))
    migrate = version not in (TEST_VERSION, APP_VERSION)
    rules = _rules(rules_fields, migrate=migrate)
    config = ContestConfig(
        version=version,
        output=output,
        sources=sources,
        candidates=candidates,
        rules=rules,
        folder=folder,
    )
    from suffrage.counting.rctab.config_checks import check_config

    check_config(config, source)
    return config


def _check_version(root: Fields, version: str) -> None:
    if version == TEST_VERSION:
        return
    if _version_tuple(version) is None:
        root.refuse("tabulatorVersion", f"must be a version like {APP_VERSION} or TEST")
    if (_version_tuple(version) or ()) > (_version_tuple(APP_VERSION) or ()):
        root.refuse(
            "tabulatorVersion",
            f"{version} is newer than the RCTab version this count follows ({APP_VERSION})",
        )


def _version_tuple(version: str) -> tuple[int, ...] | None:
    parts = version.split("-", maxsplit=1)[0].split(".")
    if not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def _output(fields: Fields, folder: Path) -> OutputSettings:
    fields.only(_OUTPUT)
    directory = fields.text("outputDirectory")
    return OutputSettings(
        contest_name=fields.text("contestName", required=True),
        output_directory=(folder / directory) if directory else folder,
        contest_date=fields.text("contestDate"),
        contest_jurisdiction=fields.text("contestJurisdiction"),
        contest_office=fields.text("contestOffice"),
        tabulate_by_precinct=fields.flag("tabulateByPrecinct"),
        tabulate_by_batch=fields.flag("tabulateByBatch"),
        generate_cdf_json=fields.flag("generateCdfJson"),
    )


def _rules(fields: Fields, *, migrate: bool) -> Rules:
    winners = fields.integer("numberOfWinners", 0, 2**31 - 1, required=True)
    assert winners is not None  # required
    tiebreak, mode, continue_two = migrate_modes(fields, winners, migrate=migrate)
    places = fields.integer("decimalPlacesForVoteArithmetic", 1, 20, required=True)
    assert places is not None  # required
    threshold_text = fields.text("multiSeatBottomsUpPercentageThreshold")
    return Rules(
        tiebreak_mode=tiebreak,
        overvote_rule=fields.choice(
            "overvoteRule",
            ("alwaysSkipToNextRank", "exhaustImmediately", "exhaustIfMultipleContinuing"),
        ),
        winner_election_mode=mode,
        number_of_winners=winners,
        decimal_places=places,
        random_seed=fields.integer("randomSeed", -(2**47), 2**47 - 1),
        bottoms_up_threshold=_percentage(fields, threshold_text),
        bottoms_up_threshold_text=threshold_text,
        minimum_vote_threshold=fields.integer("minimumVoteThreshold", 0, 1_000_000) or 0,
        max_skipped_ranks=fields.integer_or("maxSkippedRanksAllowed", "unlimited", 0, 2**31 - 1),
        max_rankings=fields.integer_or("maxRankingsAllowed", "max", 1, 2**31 - 1),
        non_integer_winning_threshold=fields.flag("nonIntegerWinningThreshold"),
        first_round_determines_threshold=fields.flag("doesFirstRoundDetermineThreshold"),
        hare_quota=fields.flag("hareQuota"),
        batch_elimination=fields.flag("batchElimination"),
        cutoff_elimination=fields.flag("cutoffElimination"),
        continue_until_two_remain=continue_two or fields.flag("continueUntilTwoCandidatesRemain"),
        stop_after_round=fields.integer("stopTabulationEarlyAfterRound", 1, 2**31 - 1),
        exhaust_on_duplicate=fields.flag("exhaustOnDuplicateCandidate"),
        description=fields.text("rulesDescription"),
    )


def _percentage(fields: Fields, text: str) -> Decimal | None:
    """``multiSeatBottomsUpPercentageThreshold`` / 100, kept to the digits given plus two (as
    RCTab divides it: half up at that scale)."""
    if not text:
        return None
    try:
        value = Decimal(text)
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite() or not Decimal(1) <= value <= Decimal(100) or "e" in text.lower():
        fields.refuse("multiSeatBottomsUpPercentageThreshold", "must be a number from 1 to 100")
    places = len(text.split(".", 1)[1]) if "." in text else 0
    return (value / 100).quantize(Decimal(1).scaleb(-(places + 2)), rounding=ROUND_HALF_UP)
