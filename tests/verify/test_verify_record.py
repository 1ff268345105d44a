"""An honest record passes every check of the verifier, and the report says so."""

from __future__ import annotations

import json
from pathlib import Path

from suffrage.core import SeededRandom
from suffrage.verify.record import verify_record
from suffrage.verify.report import CHECKS

from .conftest import Election


def test_untouched_record_passes_every_check(record: Path, election: Election) -> None:
    report = verify_record(record, rng=SeededRandom(1))
    assert report.failed_checks() == []
    assert report.passed is True
    for number, outcome in report.checks.items():
        # The in-process election has no event log (V20 is checked on the command line's).
        assert outcome.checked > 0 or number == "V20", f"{number} checked nothing"
        assert outcome.messages == []
        assert outcome.state == "pass"
    assert report.notes == ("the election has no event log (its base hash binds none)",)
    entries = len(election.run.entries)
    assert report.checks["V5"].checked == len(election.run.credentials)
    assert report.checks["V11"].checked == entries
    assert report.checks["V13"].checked == election.run.spoiled
    assert report.checks["V15"].checked == len(election.run.partials)
    assert report.checks["V17"].checked == len(election.run.results)


def test_small_chunks_give_the_same_report(record: Path) -> None:
    whole = verify_record(record, rng=SeededRandom(1)).to_json()
    chunked = verify_record(record, rng=SeededRandom(2), chunk_size=4).to_json()
    assert chunked == whole


def test_progress_counts_every_entry(record: Path, election: Election) -> None:
    seen: list[int] = []
    verify_record(record, rng=SeededRandom(1), chunk_size=4, progress=seen.append)
    assert sum(seen) == len(election.run.entries)
    assert all(0 < n <= 4 for n in seen)


def test_json_report_lists_every_check(record: Path) -> None:
    data = verify_record(record, rng=SeededRandom(1)).to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["passed"] is True
    assert [c["check"] for c in data["checks"]] == list(CHECKS)
    for check in data["checks"]:
        assert check["title"] == CHECKS[check["check"]]
        assert check["passed"] is True
        assert check["failures"] == []
        assert check["checked"] > 0 or check["check"] == "V20"


def test_json_report_of_a_broken_record_names_the_failure(record: Path) -> None:
    (record / "results.json").unlink()
    data = verify_record(record, rng=SeededRandom(1)).to_json()
    assert data["passed"] is False
    by_number = {c["check"]: c for c in data["checks"]}
    assert by_number["V1"]["passed"] is False
    assert [f["where"] for f in by_number["V1"]["failures"]] == ["results.json"]
    assert by_number["V17"]["state"] == "not checked"
    assert "results.json" in by_number["V17"]["not_checked_because"]
    assert by_number["V16"]["passed"] is True


def test_missing_election_file_leaves_every_later_check_not_checked(record: Path) -> None:
    (record / "election.json").unlink()
    report = verify_record(record, rng=SeededRandom(1))
    assert report.failed_checks() == ["V1"]
    assert report.not_checked() == list(CHECKS)[1:]
    assert not report.passed
    assert any("election.json" in f for f in report.checks["V1"].messages)
