"""Writers: JSON with trail, CSV, NIST SP 1500-100 (spec/counting.md#writers)."""

from __future__ import annotations

import csv
import io
import json
import os
from fractions import Fraction
from pathlib import Path

import jsonschema
import pytest

from suffrage.counting.divisors import dhondt
from suffrage.counting.simple import plurality, referendum, two_round
from suffrage.counting.writers import NistContext, to_csv, to_json, to_nist_json

CTX = NistContext(
    election_name="Test",
    contest_name="Council",
    start_date="2024-05-01",
    end_date="2024-05-01",
    generated="2024-05-02T10:00:00Z",
    issuer="Board",
    issuer_abbreviation="B",
)


def test_json_keeps_exact_fractions_and_whole_trail() -> None:
    result = dhondt({"A": 10, "B": 7}, 3)
    data = json.loads(to_json(result))
    assert data["seats"] == {"A": 2, "B": 1}
    assert data["trail"]["stages"][0]["values"]["A"][2]["quotient"] == "10/3"
    assert len(data["trail"]["stages"]) == 1 + 3


def test_csv_rows() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(dhondt({"A": 10, "B": 7, "C": 1}, 3)))))
    assert rows[0] == [
        "method",
        "stage",
        "kind",
        "name",
        "value",
        "value_decimal",
        "status",
        "seats",
    ]
    assert ["dhondt", "1", "quotient table: divisor 2", "B", "7/2", "3.50000", "", ""] in rows
    assert rows[-3:] == [
        ["dhondt", "final", "total", "A", "10", "10", "elected", "2"],
        ["dhondt", "final", "total", "B", "7", "7", "elected", "1"],
        ["dhondt", "final", "total", "C", "1", "1", "", "0"],
    ]


def test_csv_writes_fractions_exactly() -> None:
    result = plurality({"A": 3, "B": 2})
    text = to_csv(
        result.__class__(
            method="x", elected=(), seats={}, totals={"A": Fraction(1, 3)}, trail=result.trail
        )
    )
    assert "x,final,total,A,1/3,0.33333,,0" in text


def test_nist_candidate_contest_marks_winner_and_runoff() -> None:
    report = json.loads(to_nist_json(two_round({"A": 40, "B": 35, "C": 25}), CTX))
    assert report["@type"] == "ElectionResults.ElectionReport"
    election = report["Election"][0]
    status = {
        c["BallotName"]["Text"][0]["Content"]: c.get("PostElectionStatus")
        for c in election["Candidate"]
    }
    assert status == {"A": "advanced-to-runoff", "B": "advanced-to-runoff", "C": None}
    counts = [s["VoteCounts"][0]["Count"] for s in election["Contest"][0]["ContestSelection"]]
    assert counts == [40, 35, 25]


def test_nist_party_contest_and_ballot_measure() -> None:
    party = json.loads(to_nist_json(dhondt({"A": 10, "B": 7}, 3), CTX))
    contest = party["Election"][0]["Contest"][0]
    assert contest["@type"] == "ElectionResults.PartyContest"
    seats = {s["PartyIds"][0]: s["VoteCounts"][1]["Count"] for s in contest["ContestSelection"]}
    assert seats == {"party-1": 2, "party-2": 1}
    measure = json.loads(to_nist_json(referendum({"yes": 3, "no": 1}), CTX))
    assert measure["Election"][0]["Contest"][0]["@type"] == "ElectionResults.BallotMeasureContest"


def test_writers_take_a_ranked_result() -> None:
    irv = pytest.importorskip("suffrage.counting.irv")
    ballots = pytest.importorskip("suffrage.counting.ballots")
    profile = ballots.Profile(
        candidates=("A", "B", "C"),
        ballots=(
            ballots.make_ballot([[0], [1]], 4),
            ballots.make_ballot([[1]], 3),
            ballots.make_ballot([[2], [1]], 2),
        ),
    )
    result = irv.count_irv(profile)
    assert json.loads(to_json(result))["elected"] == ["B"]
    assert "B," in to_csv(result)
    report = json.loads(to_nist_json(result, CTX))
    winners = [
        c["BallotName"]["Text"][0]["Content"]
        for c in report["Election"][0]["Candidate"]
        if c.get("PostElectionStatus") == "winner"
    ]
    assert winners == ["B"]


def test_every_nist_document_validates_against_nists_schema() -> None:
    """The three contest types this writer makes, checked by NIST's own JSON Schema
    (``SUFFRAGE_SCHEMA_DATA``, else ``../shared/data/schemas`` beside the repository)."""
    root = Path(__file__).resolve().parents[2]
    folder = Path(os.environ.get("SUFFRAGE_SCHEMA_DATA") or root.parent / "shared/data/schemas")
    path = folder / "nist-1500-100-v2/NIST_V2_election_results_reporting.json"
    if not path.is_file():
        pytest.fail(f"NIST's schema is missing: {path} (set SUFFRAGE_SCHEMA_DATA)")
    validator = jsonschema.Draft4Validator(json.loads(path.read_text(encoding="utf-8")))
    for result in (
        two_round({"A": 40, "B": 35, "C": 25}),
        dhondt({"A": 10, "B": 7}, 3),
        referendum({"yes": 3, "no": 1}),
    ):
        document = json.loads(to_nist_json(result, CTX))
        problems = [e.message for e in validator.iter_errors(document)]
        assert problems == [], f"{result.method}: {problems}"
    broken = json.loads(to_nist_json(dhondt({"A": 10, "B": 7}, 3), CTX))
    broken["Election"][0]["Contest"][0]["BallotSelection"] = []
    assert not validator.is_valid(broken), "the schema refuses an unknown field"
