"""A NIST CDF cast-vote-record report counted by `suffrage count` (spec/counting.md#cdf-profile)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from suffrage.cli.main import app
from suffrage.counting.irv import IrvOptions, count_irv
from suffrage.counting.rctab.profile import cdf_contests, cdf_profile
from suffrage.errors import InvalidBallotData

_ROOT = Path(__file__).resolve().parents[2]
_DATA = Path(os.environ.get("SUFFRAGE_RCTAB_DATA", _ROOT / "../shared/data/rctab/test_data"))
needs_data = pytest.mark.skipif(not _DATA.is_dir(), reason=f"RCTab test data not at {_DATA}")


def _report(cvrs: list[list[tuple[int, str]]]) -> dict[str, object]:
    """A small CDF report of one contest with candidates A, B, C and an overvote selection."""
    people = [{"@id": f"c-{n}", "Name": n} for n in ("A", "B", "C", "overvote")]
    selections = [{"@id": f"s-{n}", "CandidateIds": [f"c-{n}"]} for n in ("A", "B", "C")]
    selections.append({"@id": "s-over", "CandidateIds": ["c-overvote"]})
    return {
        "@type": "CVR.CastVoteRecordReport",
        "Election": [
            {
                "Candidate": people,
                "Contest": [{"@id": "k", "Name": "Mayor", "ContestSelection": selections}],
            }
        ],
        "GpUnit": [],
        "CVR": [
            {
                "CurrentSnapshotId": f"b{i}",
                "CVRSnapshot": [
                    {
                        "@id": f"b{i}",
                        "CVRContest": [
                            {
                                "ContestId": "k",
                                "CVRContestSelection": [
                                    {
                                        "ContestSelectionId": "s-over" if n == "over" else f"s-{n}",
                                        "SelectionPosition": [
                                            {"HasIndication": "yes", "NumberVotes": 1, "Rank": r}
                                        ],
                                    }
                                    for r, n in marks
                                ],
                            }
                        ],
                    }
                ],
            }
            for i, marks in enumerate(cvrs)
        ],
    }


def test_a_small_report_becomes_a_profile(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    ballots = [[(1, "A"), (2, "B")], [(1, "B")], [], [(2, "C")], [(1, "over"), (2, "A")]]
    path.write_text(json.dumps(_report(ballots)))
    assert cdf_contests(path) == ["Mayor"]
    profile = cdf_profile(path)
    assert profile.candidates == ("A", "B", "C")
    assert [b.ranks for b in profile.ballots] == [
        ((0,), (1,)),
        ((1,),),
        (),  # the blank ballot is kept, never dropped
        ((), (2,)),  # the skipped first rank stays empty
        ((0, 1, 2), (0,)),  # the overvote selection stands for every candidate
    ]
    totals = profile.totals
    assert (totals.read, totals.valid, totals.blank, totals.invalid) == (5, 4, 1, 0)


def test_a_record_naming_an_unknown_selection_is_refused(tmp_path: Path) -> None:
    report = _report([[(1, "A")]])
    cvr = report["CVR"][0]  # type: ignore[index]
    cvr["CVRSnapshot"][0]["CVRContest"][0]["CVRContestSelection"][0]["ContestSelectionId"] = "zz"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report))
    with pytest.raises(InvalidBallotData, match=r"r\.json.*zz"):
        cdf_profile(path)


def test_a_report_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text("[]")
    with pytest.raises(InvalidBallotData, match=r"r\.json.*expected"):
        cdf_profile(path)


@needs_data
def test_rctab_case_counted_by_irv_gives_rctabs_rounds() -> None:
    case = _DATA / "test_set_1_exhaust_at_overvote"
    profile = cdf_profile(case / "test_set_1_exhaust_at_overvote_cvr.json")
    result = count_irv(profile, IrvOptions(max_skipped=4))
    expected = json.loads(
        (case / "test_set_1_exhaust_at_overvote_expected_detailed_report.json").read_text()
    )
    for stage, round_ in zip(result.trail.stages, expected["results"], strict=True):
        tallies = {k: v for k, v in stage.values.items() if not k.startswith("(")}
        assert tallies == {k: int(v) for k, v in round_["tally"].items()}
    assert result.elected == ("Candidate B Name",)


@needs_data
def test_the_cli_counts_a_unisyn_xml_report_by_contest() -> None:
    xml = _DATA / "unisyn_cvrs" / "101-RCV-CVT_TEST_3_UNIOVS2103-2.xml"
    runner = CliRunner()
    out = runner.invoke(app, ["count", "--method", "irv", str(xml), "--json"])
    assert out.exit_code != 0
    assert "expected one contest, or --contest naming one" in out.stderr
    out = runner.invoke(
        app,
        ["count", "--method", "irv", str(xml), "--contest", "For City C Mayor (1/3)", "--json"],
    )
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    expected = json.loads(
        (
            _DATA
            / "unisyn_xml_cdf_city_mayor/unisyn_xml_cdf_city_mayor_expected_detailed_report.json"
        ).read_text()
    )
    first = data["trail"]["stages"][0]["values"]
    # RCTab lists undeclared write-ins even when the contest has no write-in selection
    assert {k: v for k, v in first.items() if not k.startswith("(")} == {
        k: int(v)
        for k, v in expected["results"][0]["tally"].items()
        if (k, v) != ("Undeclared Write-ins", "0")
    }
    assert data["ballots"]["read"] == int(expected["summary"]["totalNumBallots"])


def test_contest_is_refused_for_a_ballot_file_without_contests(tmp_path: Path) -> None:
    cvr = tmp_path / "b.csv"
    cvr.write_text("rank1\nA\n")
    out = CliRunner().invoke(app, ["count", "--method", "irv", str(cvr), "--contest", "Mayor"])
    assert out.exit_code != 0
    assert "--contest: applies to a CDF report" in out.stderr
