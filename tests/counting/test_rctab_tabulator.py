"""RCTab's tabulation rules on small hand-made contests, and its Java inheritance
(spec/counting.md#rctab)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from suffrage.counting.rctab.config import ContestConfig, parse_config
from suffrage.counting.rctab.contest import tabulate
from suffrage.counting.rctab.javacompat import JavaRandom, hash_order, java_shuffle, string_hash
from suffrage.counting.rctab.model import OVERVOTE, UNDECLARED_WRITE_IN, Cvr
from suffrage.counting.rctab.report import report_data, report_json, report_name, slice_names
from suffrage.counting.rctab.tabulator import Pass
from suffrage.errors import CountingError, InvalidBallotData

# --- java.util.Random -------------------------------------------------------------------------


def test_java_random_matches_known_java_outputs() -> None:
    """Values printed by Java itself: new Random(0).nextInt() twice, nextDouble(), and
    new Random(42).nextInt()."""
    rnd = JavaRandom(0)
    assert rnd.next_int() == -1155484576
    assert rnd.next_int() == -723955400
    assert JavaRandom(0).next_double() == 0.730967787376657
    assert JavaRandom(42).next_int() == -1170105035


def test_java_random_bounded_draws_follow_the_algorithm() -> None:
    """nextInt(10) from seed 0, derived from the JDK's algorithm: next(31) % bound, redrawn
    when the draw falls in the incomplete last block; a power-of-two bound takes the top bits."""
    rnd = JavaRandom(0)
    assert [rnd.next_int(10) for _ in range(10)] == [0, 8, 9, 7, 5, 3, 1, 1, 9, 4]
    top = JavaRandom(0)
    assert top.next_int(16) == (16 * JavaRandom(0).next_bits(31)) >> 31
    with pytest.raises(ValueError, match="bound must be positive"):
        JavaRandom(0).next_int(0)


def test_shuffle_swaps_from_the_end() -> None:
    items = list("abcde")
    java_shuffle(items, JavaRandom(3))
    rnd = JavaRandom(3)
    expected = list("abcde")
    for i in range(5, 1, -1):
        j = rnd.next_int(i)
        expected[i - 1], expected[j] = expected[j], expected[i - 1]
    assert items == expected
    assert sorted(items) == list("abcde")


def test_string_hash_and_hash_order() -> None:
    assert string_hash("hello") == 99162322  # "hello".hashCode() in Java
    assert string_hash("") == 0
    assert string_hash("Aa") == string_hash("BB")  # Java's classic collision
    # "B" (66) and "A" (65) sit in buckets 2 and 1 of 16: a HashSet yields A first.
    assert hash_order(["B", "A"]) == ["A", "B"]
    # colliding keys keep insertion order within their bucket
    assert hash_order(["BB", "Aa"]) == ["BB", "Aa"]


# --- counts -----------------------------------------------------------------------------------


def config_for(
    tmp_path: Path, names: tuple[str, ...] = ("A", "B", "C"), **rules: Any
) -> ContestConfig:
    base: dict[str, Any] = {
        "tiebreakMode": "useCandidateOrder",
        "overvoteRule": "exhaustImmediately",
        "winnerElectionMode": "singleWinnerMajority",
        "numberOfWinners": "1",
        "decimalPlacesForVoteArithmetic": "4",
        "maxSkippedRanksAllowed": "unlimited",
        "maxRankingsAllowed": "max",
    }
    uwi = rules.pop("uwi", False)
    base.update(rules)
    source = {"provider": "cdf", "filePath": "cvr.json", "contestId": "c"}
    if uwi:
        source["undeclaredWriteInLabel"] = "UWI"
    raw = {
        "tabulatorVersion": "TEST",
        "outputSettings": {"contestName": "Test"},
        "cvrFileSources": [source],
        "candidates": [{"name": n, "excluded": n in base.get("_excluded", ())} for n in names],
        "rules": {k: v for k, v in base.items() if not k.startswith("_")},
    }
    (tmp_path / "cvr.json").write_text("{}")
    return parse_config(json.dumps(raw), source="config.json", folder=tmp_path)


def ballots(*rankings: str | tuple[str, ...], times: int = 1) -> list[Cvr]:
    """One Cvr per ranking text: "ABC" ranks A, B, C; "A_C" skips rank 2; "(AB)C" overvotes."""
    out: list[Cvr] = []
    for ranking in rankings:
        marks: list[tuple[int, tuple[str, ...]]] = []
        text = ranking if isinstance(ranking, str) else ""
        rank = 0
        i = 0
        while i < len(text):
            rank += 1
            if text[i] == "(":
                end = text.index(")", i)
                marks.append((rank, tuple(text[i + 1 : end])))
                i = end + 1
                continue
            if text[i] == "!":
                marks.append((rank, (OVERVOTE,)))
            elif text[i] == "?":
                marks.append((rank, (UNDECLARED_WRITE_IN,)))
            elif text[i] != "_":
                marks.append((rank, (text[i],)))
            i += 1
        for _ in range(times):
            out.append(Cvr(source="t", id=str(len(out) + 1), rankings=tuple(marks)))
    return out


def summary(done: Pass) -> list[tuple[int, dict[str, str], list[str]]]:
    rows = []
    for tally in done.rounds:
        decisions = [
            ("+" if d.elected else "-") + d.candidate for d in done.decisions.get(tally.number, ())
        ]
        rows.append((tally.number, {k: str(v) for k, v in tally.votes.items()}, decisions))
    return rows


def test_single_winner_majority_eliminates_the_last(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    cvrs = ballots("AB", "AB", "BA", "BA", "CB")
    (done,) = tabulate(config, cvrs)
    assert done.winners == ("B",)
    first = done.rounds[0]
    assert first.threshold == Decimal(3)  # floor(5 / 2) + 1
    assert summary(done)[0][2] == ["-C"]
    assert done.transfers[2]["C"] == {"B": Decimal(1)}


def test_overvote_rules(tmp_path: Path) -> None:
    cvrs = ballots("(AB)C", "A", "B", "C", "C")
    exhaust = config_for(tmp_path, overvoteRule="exhaustImmediately")
    assert tabulate(exhaust, cvrs)[0].rounds[0].statuses["overvotes"] == 1
    skip = config_for(tmp_path, overvoteRule="alwaysSkipToNextRank")
    assert tabulate(skip, cvrs)[0].rounds[0].votes["C"] == 3
    multiple = config_for(tmp_path, overvoteRule="exhaustIfMultipleContinuing")
    assert tabulate(multiple, cvrs)[0].rounds[0].statuses["overvotes"] == 1


def test_explicit_overvote_label_at_the_last_rank_is_exhausted_choices(tmp_path: Path) -> None:
    config = config_for(tmp_path, overvoteRule="alwaysSkipToNextRank")
    first = tabulate(config, ballots("A!", "!", "A", "B"))[0].rounds[0]
    assert first.statuses["exhaustedChoices"] == 1
    assert first.votes["A"] == 2


def test_skipped_ranks_and_duplicates(tmp_path: Path) -> None:
    cvrs = ballots("A__B", "AAB", "B", "B", "B", "C", "C", "C")
    strict = config_for(tmp_path, maxSkippedRanksAllowed="1", exhaustOnDuplicateCandidate=True)
    (done,) = tabulate(strict, cvrs)
    last = done.rounds[-1]
    assert last.statuses["skippedRankings"] == 1
    assert last.statuses["repeatedRankings"] == 1


def test_undeclared_write_ins_go_first_and_cannot_win(tmp_path: Path) -> None:
    config = config_for(tmp_path, uwi=True)
    (done,) = tabulate(config, ballots("?A", "?A", "?B", "A", "B", "C"))
    assert summary(done)[0][2] == [f"-{UNDECLARED_WRITE_IN}"]
    assert done.winners == ("A",)


def test_excluded_candidates_are_skipped(tmp_path: Path) -> None:
    config = config_for(tmp_path, _excluded=("A",))
    (done,) = tabulate(config, ballots("AB", "AB", "C"))
    assert "A" not in done.rounds[0].votes
    assert done.winners == ("B",)


def test_stop_early_after_round(tmp_path: Path) -> None:
    config = config_for(tmp_path, stopTabulationEarlyAfterRound="1")
    (done,) = tabulate(config, ballots("AB", "BA", "CA"))
    assert len(done.rounds) == 1
    assert done.winners == ()


TIE = ballots("AB", "AB", "AB", "BA", "BA", "CA", "CB")  # B and C tie for last in round 1


def test_seeded_random_tiebreak_is_reproducible(tmp_path: Path) -> None:
    config = config_for(tmp_path, tiebreakMode="random", randomSeed="0")
    (done,) = tabulate(config, TIE)
    # B and C tie at 1 in round 1 for elimination: sorted [B, C], index floor(0.7309... * 2) = 1
    decision = done.decisions[1][0]
    assert (decision.candidate, decision.tiebreak) == ("C", True)


def test_candidate_order_tiebreak_eliminates_the_latest(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    (done,) = tabulate(config, TIE)
    assert done.decisions[1][0].candidate == "C"
    config = config_for(tmp_path, names=("C", "B", "A"))
    (done,) = tabulate(config, TIE)
    assert done.decisions[1][0].candidate == "B"


def test_interactive_tiebreak_takes_the_answers_in_order(tmp_path: Path) -> None:
    config = config_for(tmp_path, tiebreakMode="stopCountingAndAsk")
    cvrs = TIE
    with pytest.raises(CountingError, match=r"round 1: a tie among 'B', 'C' needs an answer"):
        tabulate(config, cvrs)
    with pytest.raises(CountingError, match=r"answer 1 'A' is not one of the tied"):
        tabulate(config, cvrs, tiebreak_answers=["A"])
    with pytest.raises(CountingError, match=r"1 answer\(s\) not needed by the count: 'C'"):
        tabulate(config, cvrs, tiebreak_answers=["B", "C"])
    (done,) = tabulate(config, cvrs, tiebreak_answers=["B"])
    assert done.decisions[1][0].candidate == "B"


def test_previous_round_counts_break_a_later_tie(tmp_path: Path) -> None:
    config = config_for(
        tmp_path, names=("A", "B", "C", "D"), tiebreakMode="previousRoundCountsThenAsk"
    )
    cvrs = ballots("A", "B", "C", "DC", times=1) + ballots("A", times=4) + ballots("B", times=2)
    (done,) = tabulate(config, [*cvrs, *ballots("C")])
    # round 2: B 3, C 3 tie for last; round 1 had B 3, C 2: C goes, with no answer asked
    decision = done.decisions[2][0]
    assert (decision.candidate, decision.tiebreak) == ("C", True)
    assert done.winners == ("A",)


def test_batch_elimination(tmp_path: Path) -> None:
    config = config_for(tmp_path, names=("A", "B", "C", "D"), batchElimination=True)
    (done,) = tabulate(config, ballots("A", "A", "A", "A", "B", "B", "B", "C", "D", "AB"))
    assert sorted(d.candidate for d in done.decisions[1]) == ["C", "D"]


def test_multi_seat_fractional_surplus(tmp_path: Path) -> None:
    config = config_for(
        tmp_path,
        numberOfWinners="2",
        winnerElectionMode="multiWinnerAllowMultipleWinnersPerRound",
        nonIntegerWinningThreshold=True,
    )
    (done,) = tabulate(config, ballots("AB", "AB", "AB", "AB", "AC", "C", "C", "B"))
    first = done.rounds[0]
    assert str(first.threshold) == "2.6667"  # 8 / 3 cut to 4 places, plus 0.0001
    assert done.winners[0] == "A"
    # A's surplus fraction (5 - 2.6667) / 5 = 0.4666; each A ballot passes 0.4666 on
    assert str(done.transfers[2]["A"]["B"]) == "1.8664"


def test_hare_quota_rounds_up(tmp_path: Path) -> None:
    config = config_for(
        tmp_path,
        numberOfWinners="2",
        winnerElectionMode="multiWinnerAllowOnlyOneWinnerPerRound",
        hareQuota=True,
    )
    (done,) = tabulate(config, ballots("AB", "AB", "AB", "B", "B", "C", "C"))
    assert done.rounds[0].threshold == Decimal(4)  # ceiling(7 / 2)


def test_max_rankings_refused(tmp_path: Path) -> None:
    config = config_for(tmp_path, maxRankingsAllowed="2")
    with pytest.raises(
        InvalidBallotData, match=r"has a ranking 3, but rules\.maxRankingsAllowed is 2"
    ):
        tabulate(config, ballots("ABC"))


def test_report_json_layout_and_name(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    (done,) = tabulate(config, ballots("AB", "AB", "BA", "BA", "CB"))
    text = report_json(report_data(config, done))
    assert text.startswith('{\n  "config" : {\n    "contest" : "Test",')
    assert '"transfers" : {\n        "B" : "1"\n      }' in text
    assert '"results" : [ {' in text
    assert report_name("2024-01-02_03-04", "detailed_report", "json", 2) == (
        "2024-01-02_03-04_2_detailed_report.json"
    )


def test_slice_file_names_are_cleaned_and_told_apart() -> None:
    names = slice_names([("precinct", "A B"), ("precinct", "A_B"), ("batch", "x/y")])
    assert names[("batch", "x/y")] == ("batch", "x_y")
    assert sorted([names[("precinct", "A B")][1], names[("precinct", "A_B")][1]]) == [
        "A_B",
        "A_B_1",
    ]
    assert report_name("t", "detailed_report", "csv", None, ("precinct", "W-1 P-02")) == (
        "t_W-1_P-02_precinct_detailed_report.csv"
    )


def test_precinct_tallies_add_up_to_the_whole(tmp_path: Path) -> None:
    (tmp_path / "cvr.json").write_text("{}")
    cvrs = [
        Cvr(source="t", id=str(i), precinct=p, rankings=((1, (c,)), (2, ("B",))))
        for i, (p, c) in enumerate(
            [("P1", "A"), ("P1", "A"), ("P2", "C"), ("P2", "B"), ("P2", "A")]
        )
    ]
    sliced = parse_config(
        json.dumps(
            {
                "tabulatorVersion": "TEST",
                "outputSettings": {"contestName": "T", "tabulateByPrecinct": True},
                "cvrFileSources": [
                    {
                        "provider": "ess",
                        "filePath": "cvr.json",
                        "firstVoteColumnIndex": 2,
                        "firstVoteRowIndex": 2,
                        "precinctColumnIndex": 1,
                    }
                ],
                "candidates": [{"name": n} for n in "ABC"],
                "rules": {
                    "tiebreakMode": "useCandidateOrder",
                    "overvoteRule": "exhaustImmediately",
                    "winnerElectionMode": "singleWinnerMajority",
                    "numberOfWinners": 1,
                    "decimalPlacesForVoteArithmetic": 4,
                    "maxSkippedRanksAllowed": "unlimited",
                    "maxRankingsAllowed": "max",
                },
            }
        ),
        source="c.json",
        folder=tmp_path,
    )
    (done,) = tabulate(sliced, cvrs)
    assert set(done.slices) == {("precinct", "P1"), ("precinct", "P2")}
    for number, whole in enumerate(done.rounds):
        parts = [rounds[number] for rounds, _ in done.slices.values()]
        for name, votes in whole.votes.items():
            assert sum(p.votes[name] for p in parts) == votes
        assert all(p.threshold == whole.threshold for p in parts)
