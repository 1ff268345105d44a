"""Decoding one field of an RCTab configuration at a time (spec/counting.md#rctab-configuration).

:class:`Fields` wraps one JSON object and knows its path (``rules``, ``cvrFileSources[2]``), so
that every refusal names the file, the field and what is allowed. RCTab's files hold most
numbers as strings (``"numberOfWinners" : "1"``) and a few as numbers; booleans may be written
``"true"``; both spellings are read. The decoders of the sources and candidates and the
migrations of older configurations (RCTab's ContestConfigMigration) live here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from suffrage.counting.rctab.model import Candidate, CvrSource
from suffrage.errors import InvalidBallotData, clip, quote

__all__ = ["Fields", "LegacyRules", "decode_candidates", "decode_sources", "migrate_modes"]

PROVIDERS = ("cdf", "clearBallot", "dominion", "ess", "hart", "genericCsv")
TIEBREAK_MODES = (
    "random", "stopCountingAndAsk", "previousRoundCountsThenRandom",
    "previousRoundCountsThenAsk", "useCandidateOrder", "generatePermutation",
)  # fmt: skip
WINNER_MODES = (
    "singleWinnerMajority", "multiWinnerAllowOnlyOneWinnerPerRound",
    "multiWinnerAllowMultipleWinnersPerRound", "bottomsUp", "bottomsUpUsingPercentageThreshold",
    "multiPassIrv",
)  # fmt: skip
_OLD_TIEBREAK = {
    "interactive": "stopCountingAndAsk",
    "previousRoundCountsThenInteractive": "previousRoundCountsThenAsk",
    "usePermutationInConfig": "useCandidateOrder",
}
_SOURCE_KEYS = (
    "provider", "filePath", "contestId", "firstVoteColumnIndex", "firstVoteRowIndex",
    "idColumnIndex", "batchColumnIndex", "precinctColumnIndex", "overvoteDelimiter",
    "overvoteLabel", "skippedRankLabel", "undervoteLabel", "undeclaredWriteInLabel",
    "treatBlankAsUndeclaredWriteIn",
)  # fmt: skip
_CANDIDATE_KEYS = ("name", "aliases", "excluded", "code")


class Fields:
    """One JSON object of the configuration, at ``path`` within the file ``source``."""

    def __init__(self, raw: Any, source: str, path: str = "") -> None:
        if not isinstance(raw, dict):
            where = f"{source}: {path}" if path else source
            raise InvalidBallotData(where, f"expected a JSON object, got {_kind(raw)}")
        self.raw: dict[str, Any] = raw
        self.source = source
        self.path = path

    def refuse(self, key: str, reason: str) -> NoReturn:
        name = f"{self.path}.{key}" if self.path else key
        raise InvalidBallotData(f"{self.source}: {clip(name)}", reason)

    def only(self, allowed: tuple[str, ...]) -> None:
        """Refuse a field RCTab does not document here (a misspelling would be ignored)."""
        for key in self.raw:
            if key not in allowed:
                self.refuse(key, f"unknown field; expected one of {', '.join(allowed)}")

    def section(self, key: str) -> Fields:
        if key not in self.raw:
            self.refuse(key, "required (a JSON object)")
        return Fields(self.raw[key], self.source, f"{self.path}.{key}" if self.path else key)

    def items(self, key: str, *, required: bool = True) -> list[Fields]:
        value = self.raw.get(key)
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.refuse(key, f"expected a JSON list, got {_kind(value)}")
        base = f"{self.path}.{key}" if self.path else key
        return [Fields(item, self.source, f"{base}[{i}]") for i, item in enumerate(value)]

    def text(self, key: str, *, required: bool = False) -> str:
        value = self.raw.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.refuse(key, f"expected text, got {_kind(value)}")
        if required and not value.strip():
            self.refuse(key, "required (text of 1 to 1000 characters)")
        if len(value) > 1000:
            self.refuse(key, "longer than 1000 characters")
        return value

    def flag(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if value is None or value == "":
            return False
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if not isinstance(value, bool):
            self.refuse(key, f"expected true or false, got {quote(value)}")
        return value

    def integer(self, key: str, low: int, high: int, *, required: bool = False) -> int | None:
        value = self.raw.get(key)
        allowed = f"an integer from {low} to {high}"
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.refuse(key, f"required: {allowed}")
            return None
        number = _as_int(value)
        if number is None or not low <= number <= high:
            self.refuse(
                key, f"must be {allowed}{'' if required else ' if given'}, not {quote(value)}"
            )
        return number

    def integer_or(self, key: str, option: str, low: int, high: int) -> int | None:
        """A required integer, or ``option`` (e.g. ``"max"``) read as ``None``."""
        value = self.raw.get(key)
        if isinstance(value, str) and value.strip().lower() == option:
            return None
        if value is None or value == "":
            self.refuse(key, f"required: {quote(option)} or an integer from {low} to {high}")
        number = _as_int(value)
        if number is None or not low <= number <= high:
            self.refuse(key, f"must be {quote(option)} or an integer from {low} to {high}")
        return number

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in allowed:
            self.refuse(key, f"{quote(value)} is not one of {', '.join(allowed)}")
        return value


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in "+-" else text
        if digits.isascii() and digits.isdigit() and len(digits) <= 30:
            return int(text)
    return None


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


@dataclass(frozen=True, slots=True)
class LegacyRules:
    """Labels that configurations before RCTab 1.3 kept in ``rules``; RCTab moves each one,
    when given, onto every source."""

    overvote_label: str = ""
    undervote_label: str = ""
    undeclared_write_in_label: str = ""
    treat_blank_as_undeclared_write_in: bool = False

    @classmethod
    def read(cls, rules: Fields) -> LegacyRules:
        return cls(
            overvote_label=rules.text("overvoteLabel"),
            undervote_label=rules.text("undervoteLabel") or rules.text("skippedRankLabel"),
            undeclared_write_in_label=rules.text("undeclaredWriteInLabel"),
            treat_blank_as_undeclared_write_in=rules.flag("treatBlankAsUndeclaredWriteIn"),
        )


def decode_sources(items: list[Fields], folder: Path, legacy: LegacyRules) -> tuple[CvrSource, ...]:
    """``cvrFileSources``: each entry's fields, the legacy labels applied, the path resolved."""
    return tuple(_source(item, folder, legacy) for item in items)


def _source(fields: Fields, folder: Path, legacy: LegacyRules) -> CvrSource:
    fields.only(_SOURCE_KEYS)
    provider = fields.choice("provider", PROVIDERS)
    file_path = fields.text("filePath", required=True)
    skipped = fields.text("skippedRankLabel")
    if not skipped and fields.raw.get("skippedRankLabel") is None:
        skipped = fields.text("undervoteLabel")  # renamed in RCTab 1.4
    row_limit = 100_000
    return CvrSource(
        provider=provider,
        path=(folder / file_path) if not Path(file_path).is_absolute() else Path(file_path),
        contest_id=fields.text("contestId") or None,
        first_vote_column=fields.integer("firstVoteColumnIndex", 1, 1000),
        first_vote_row=fields.integer("firstVoteRowIndex", 1, row_limit),
        id_column=fields.integer("idColumnIndex", 1, 1000),
        batch_column=fields.integer("batchColumnIndex", 1, 1000),
        precinct_column=fields.integer("precinctColumnIndex", 1, 1000),
        overvote_delimiter=fields.text("overvoteDelimiter") or None,
        overvote_label=legacy.overvote_label or fields.text("overvoteLabel") or None,
        skipped_rank_label=legacy.undervote_label or skipped or None,
        undeclared_write_in_label=(
            legacy.undeclared_write_in_label or fields.text("undeclaredWriteInLabel") or None
        ),
        treat_blank_as_undeclared_write_in=(
            legacy.treat_blank_as_undeclared_write_in
            or fields.flag("treatBlankAsUndeclaredWriteIn")
        ),
    )


def decode_candidates(items: list[Fields]) -> tuple[Candidate, ...]:
    """``candidates``: names and aliases trimmed; an older ``code`` becomes an alias."""
    candidates = []
    for fields in items:
        fields.only(_CANDIDATE_KEYS)
        name = fields.text("name", required=True).strip()
        aliases = fields.raw.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            fields.refuse("aliases", "expected a list of texts")
        trimmed = [alias.strip() for alias in aliases]
        code = fields.text("code").strip()
        if code:
            trimmed.append(code)
        candidates.append(
            Candidate(name=name, aliases=tuple(trimmed), excluded=fields.flag("excluded"))
        )
    return tuple(candidates)


def migrate_modes(rules: Fields, winners: int, *, migrate: bool) -> tuple[str, str, bool]:
    """``tiebreakMode`` and ``winnerElectionMode``, with the names of older versions migrated
    when ``migrate`` (the file is from an older RCTab); and whether the old mode
    ``singleSeatContinueUntilTwoCandidatesRemain`` asks to continue until two remain."""
    tiebreak = rules.text("tiebreakMode")
    if migrate and tiebreak in _OLD_TIEBREAK:
        tiebreak = _OLD_TIEBREAK[tiebreak]
    if tiebreak not in TIEBREAK_MODES:
        rules.refuse("tiebreakMode", f"{quote(tiebreak)} is not one of {', '.join(TIEBREAK_MODES)}")
    mode = rules.text("winnerElectionMode")
    continue_two = False
    if migrate and mode not in WINNER_MODES:
        mode, continue_two = _old_winner_mode(rules, mode, winners)
    if mode not in WINNER_MODES:
        rules.refuse("winnerElectionMode", f"{quote(mode)} is not one of {', '.join(WINNER_MODES)}")
    return tiebreak, mode, continue_two


def _old_winner_mode(rules: Fields, mode: str, winners: int) -> tuple[str, bool]:
    if mode == "standard":
        return (
            "multiWinnerAllowMultipleWinnersPerRound" if winners > 1 else "singleWinnerMajority"
        ), False
    if mode == "singleSeatContinueUntilTwoCandidatesRemain":
        return "singleWinnerMajority", True
    if mode == "multiSeatBottomsUp":
        threshold = rules.text("multiSeatBottomsUpPercentageThreshold")
        use_threshold = winners == 0 or bool(threshold)
        return ("bottomsUpUsingPercentageThreshold" if use_threshold else "bottomsUp"), False
    renamed = {
        "multiSeatAllowOnlyOneWinnerPerRound": "multiWinnerAllowOnlyOneWinnerPerRound",
        "multiSeatSequentialWinnerTakesAll": "multiPassIrv",
    }
    return renamed.get(mode, mode), False
