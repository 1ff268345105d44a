"""Reading an RCTab configuration strictly (spec/counting.md#rctab-configuration)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from suffrage.counting.rctab.config import ContestConfig, load_config, parse_config
from suffrage.errors import InvalidBallotData


def raw_config(**rules: Any) -> dict[str, Any]:
    """A valid single-winner configuration with one CDF source; ``rules`` override."""
    base_rules: dict[str, Any] = {
        "tiebreakMode": "random",
        "overvoteRule": "alwaysSkipToNextRank",
        "winnerElectionMode": "singleWinnerMajority",
        "randomSeed": "7",
        "numberOfWinners": "1",
        "decimalPlacesForVoteArithmetic": "4",
        "maxSkippedRanksAllowed": "1",
        "maxRankingsAllowed": "max",
    }
    base_rules.update(rules)
    return {
        "tabulatorVersion": "TEST",
        "outputSettings": {"contestName": "Mayor", "outputDirectory": "out"},
        "cvrFileSources": [{"provider": "cdf", "filePath": "cvr.json", "contestId": "c1"}],
        "candidates": [{"name": "Ann"}, {"name": "Bob", "aliases": ["B"]}, {"name": "Cy"}],
        "rules": base_rules,
    }


def parse(tmp_path: Path, raw: dict[str, Any]) -> ContestConfig:
    (tmp_path / "cvr.json").write_text("{}")
    return parse_config(json.dumps(raw), source="c.json", folder=tmp_path)


def test_a_valid_configuration_is_decoded(tmp_path: Path) -> None:
    config = parse(tmp_path, raw_config())
    assert config.rules.number_of_winners == 1
    assert config.rules.random_seed == 7
    assert config.rules.max_rankings is None  # "max"
    assert config.rules.max_skipped_ranks == 1
    assert config.sources[0].path == tmp_path / "cvr.json"
    assert config.output.output_directory == tmp_path / "out"
    assert config.candidates[1].aliases == ("B",)
    assert config.candidate_names == ("Ann", "Bob", "Cy")


def test_numbers_may_be_json_numbers_and_flags_text(tmp_path: Path) -> None:
    config = parse(
        tmp_path,
        raw_config(numberOfWinners=1, maxSkippedRanksAllowed="unlimited", hareQuota="false"),
    )
    assert config.rules.max_skipped_ranks is None
    assert config.rules.hare_quota is False


def test_load_config_resolves_paths_against_its_folder(tmp_path: Path) -> None:
    (tmp_path / "cvr.json").write_text("{}")
    path = tmp_path / "config.json"
    path.write_text(json.dumps(raw_config()))
    assert load_config(path).sources[0].path == tmp_path / "cvr.json"


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"random Seed": "1"}, r"rules\.random Seed: unknown field"),
        ({"tiebreakMode": "coin"}, r"rules\.tiebreakMode: 'coin' is not one of random"),
        ({"randomSeed": ""}, r"rules\.randomSeed: required when tiebreakMode is random"),
        ({"randomSeed": "140737488355328"}, r"rules\.randomSeed: must be an integer from"),
        ({"numberOfWinners": "2"}, r"singleWinnerMajority needs numberOfWinners 1"),
        (
            {"winnerElectionMode": "bottomsUp"},
            r"rules\.winnerElectionMode: bottomsUp is not allowed",
        ),
        ({"decimalPlacesForVoteArithmetic": "21"}, r"decimalPlacesForVoteArithmetic: must be"),
        ({"maxRankingsAllowed": "0"}, r"maxRankingsAllowed: must be 'max' or an integer"),
        ({"hareQuota": True}, r"rules\.hareQuota: must be false with singleWinnerMajority"),
        ({"overvoteRule": "skip"}, r"rules\.overvoteRule: 'skip' is not one of"),
    ],
)
def test_invalid_rules_are_refused_naming_the_field(
    tmp_path: Path, rules: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidBallotData, match=message):
        parse(tmp_path, raw_config(**rules))


def test_multi_seat_refusals(tmp_path: Path) -> None:
    raw = raw_config(
        numberOfWinners="2",
        winnerElectionMode="multiWinnerAllowMultipleWinnersPerRound",
        batchElimination=True,
        nonIntegerWinningThreshold=True,
        hareQuota=True,
    )
    with pytest.raises(InvalidBallotData) as caught:
        parse(tmp_path, raw)
    problems = "\n".join(caught.value.problems)
    assert "rules.batchElimination: can be true in a multi-seat contest only" in problems
    assert "rules.hareQuota: cannot be true with nonIntegerWinningThreshold" in problems


def test_zero_winners_needs_the_percentage_mode_and_threshold(tmp_path: Path) -> None:
    with pytest.raises(InvalidBallotData, match="multiSeatBottomsUpPercentageThreshold"):
        parse(
            tmp_path,
            raw_config(numberOfWinners="0", winnerElectionMode="bottomsUpUsingPercentageThreshold"),
        )
    config = parse(
        tmp_path,
        raw_config(
            numberOfWinners="0",
            winnerElectionMode="bottomsUpUsingPercentageThreshold",
            multiSeatBottomsUpPercentageThreshold="12.5",
        ),
    )
    assert str(config.rules.bottoms_up_threshold) == "0.125"


def test_source_refusals(tmp_path: Path) -> None:
    raw = raw_config(overvoteRule="exhaustIfMultipleContinuing")
    raw["cvrFileSources"][0].update(overvoteLabel="OV", firstVoteColumnIndex="3")
    with pytest.raises(InvalidBallotData) as caught:
        parse(tmp_path, raw)
    problems = "\n".join(caught.value.problems)
    assert "cvrFileSources[0].overvoteLabel: with an overvote label" in problems
    assert "cvrFileSources[0].firstVoteColumnIndex: must be blank for provider cdf" in problems


def test_missing_file_and_contest_id(tmp_path: Path) -> None:
    raw = raw_config()
    raw["cvrFileSources"][0] = {"provider": "dominion", "filePath": "nowhere"}
    with pytest.raises(InvalidBallotData) as caught:
        parse(tmp_path, raw)
    problems = "\n".join(caught.value.problems)
    assert "contestId: required for provider dominion" in problems
    assert "filePath: not found" in problems


def test_duplicate_candidates_and_reserved_names(tmp_path: Path) -> None:
    raw = raw_config()
    raw["candidates"] = [{"name": "Ann"}, {"name": "Ann"}, {"name": "exhausted"}]
    with pytest.raises(InvalidBallotData) as caught:
        parse(tmp_path, raw)
    problems = "\n".join(caught.value.problems)
    assert "duplicate candidate name 'Ann'" in problems
    assert "'exhausted' is a reserved word" in problems


def test_all_excluded_is_refused(tmp_path: Path) -> None:
    raw = raw_config()
    raw["candidates"] = [{"name": "Ann", "excluded": True}]
    with pytest.raises(InvalidBallotData, match="at least one candidate must not be excluded"):
        parse(tmp_path, raw)


def test_older_configurations_are_migrated(tmp_path: Path) -> None:
    raw = raw_config(
        tiebreakMode="usePermutationInConfig",
        winnerElectionMode="singleSeatContinueUntilTwoCandidatesRemain",
        overvoteLabel="OVER",
    )
    raw["tabulatorVersion"] = "1.2.0"
    raw["candidates"][0]["code"] = "A1"
    raw["cvrFileSources"][0] = {
        "provider": "ess",
        "filePath": "cvr.xlsx",
        "firstVoteColumnIndex": 2,
        "firstVoteRowIndex": "2",
        "undervoteLabel": "UNDER",
    }
    (tmp_path / "cvr.xlsx").write_bytes(b"")
    config = parse(tmp_path, raw)
    assert config.sources[0].skipped_rank_label == "UNDER"
    assert config.rules.tiebreak_mode == "useCandidateOrder"
    assert config.rules.winner_election_mode == "singleWinnerMajority"
    assert config.rules.continue_until_two_remain is True
    assert config.sources[0].overvote_label == "OVER"
    assert config.candidates[0].aliases == ("A1",)


def test_old_names_are_refused_in_a_current_configuration(tmp_path: Path) -> None:
    with pytest.raises(InvalidBallotData, match="'interactive' is not one of"):
        parse(tmp_path, raw_config(tiebreakMode="interactive"))


def test_a_newer_version_is_refused(tmp_path: Path) -> None:
    raw = raw_config()
    raw["tabulatorVersion"] = "9.0.0"
    with pytest.raises(InvalidBallotData, match=r"tabulatorVersion: 9\.0\.0 is newer"):
        parse(tmp_path, raw)


def test_not_json_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(InvalidBallotData, match=r"c\.json line 1 column 2: not JSON"):
        parse_config("{x", source="c.json", folder=tmp_path)
