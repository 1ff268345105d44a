"""Holes found while writing the spec, each closed and kept closed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from suffrage.core import SeededRandom
from suffrage.core.dlog import DiscreteLog
from suffrage.errors import VerificationFailed
from suffrage.protocol.ballot_check import check_spoiled_ballot
from suffrage.protocol.board import EntryState
from suffrage.protocol.tally import combine_decryptions
from suffrage.record.canonical import canonical_bytes
from suffrage.verify.record import verify_record

from .conftest import Election


def _rewrite(path: Path, change: object) -> None:
    value = json.loads(path.read_bytes())
    change(value)  # type: ignore[operator]
    path.write_bytes(canonical_bytes(value) + b"\n")


def test_a_manifest_value_written_differently_fails_v1(record: Path) -> None:
    def restate(manifest: dict[str, object]) -> None:
        for contest in manifest["contests"]:  # type: ignore[attr-defined]
            if "threshold" in contest:
                assert contest["threshold"] == "0.05"
                contest["threshold"] = "1/20"

    _rewrite(record / "manifest.json", restate)
    report = verify_record(record)
    assert "V1" in report.failed_checks()
    assert any("canonical form of the manifest" in f for f in report.checks["V1"].messages)


def test_a_repeated_partial_decryption_does_not_push_out_another(election: Election) -> None:
    run = election.run
    twice = [run.partials[0], run.partials[0], *run.partials[1:]]
    counts = combine_decryptions(run.context, run.tally, twice, DiscreteLog(100))
    assert dict(counts) == dict(run.counts)


def test_a_reveal_for_a_contest_not_on_the_ballot_is_refused(election: Election) -> None:
    spoiled = next(e for e in election.run.entries if e.state is EntryState.SPOILED)
    assert spoiled.reveal is not None
    reveal = spoiled.reveal
    extra = type(reveal)(
        values={**reveal.values, "not-a-contest": (0,)},
        nonces={**reveal.nonces, "not-a-contest": (SeededRandom(1).scalar(),)},
    )
    with pytest.raises(VerificationFailed, match="not on the ballot"):
        check_spoiled_ballot(election.run.context, spoiled.ballot, extra)


def test_bad_guardian_numbering_marks_later_setup_checks_not_checked(record: Path) -> None:
    _rewrite(record / "election.json", lambda e: e["guardians"][0].update(index=7))  # type: ignore[index]
    report = verify_record(record)
    assert "V3" in report.failed_checks()
    for number in ("V4", "V5", "V6"):
        assert report.checks[number].state == "not checked"
        assert report.checks[number].not_checked_because == "the guardians' numbering is wrong (V3)"
