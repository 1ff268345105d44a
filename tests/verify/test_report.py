"""The verification report (issue 15): what was verified, one state per check, structured
failures, summaries of repeated failures, the announced and computed figures, six languages.

Each damage below is one an observer met: before the fix a pretty-printed manifest gave 17
FAILs, a file without its trailing newline made V17 fail every contest, and deleting one
line of the board printed hundreds of near-identical lines.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from suffrage.core import SeededRandom
from suffrage.errors import VerificationFailed
from suffrage.i18n import LANGUAGES
from suffrage.reports.text import display_width
from suffrage.reports.verification import SHOWN_FAILURES, explain_text, report_text
from suffrage.verify import CHECKS, VerificationReport, verify_record
from suffrage.verify.record import RECORD_FILES

WHEN = datetime(2026, 5, 4, 20, 30, tzinfo=UTC)


def verify(record: Path | str) -> VerificationReport:
    return verify_record(record, rng=SeededRandom(7), verified_at=WHEN)


def test_the_report_opens_with_what_was_verified(record: Path) -> None:
    report = verify(str(record))  # a str is a directory too
    subject = report.subject
    election = json.loads((record / "election.json").read_text("utf-8"))
    manifest = json.loads((record / "manifest.json").read_text("utf-8"))
    assert subject.election_id == manifest["election_id"]
    assert subject.title
    assert subject.title in dict(subject.titles).values()
    assert subject.base_hash == election["base_hash"]
    assert subject.verified_at == "2026-05-04T20:30:00Z"
    assert subject.verifier_version
    ranked = sorted(p.name for p in (*record.glob("mix-*.jsonl"), *record.glob("ranked-*.jsonl")))
    assert ranked, "the sample election has ranked contests, whose files are listed too"
    expected = {
        name: hashlib.sha256((record / name).read_bytes()).hexdigest()
        for name in (*RECORD_FILES, *ranked)
        if (record / name).exists()
    }
    assert dict(subject.files) == expected
    names = [name for name, _ in subject.files]
    assert names[: len(names) - len(ranked)] == [n for n in RECORD_FILES if n in expected]
    text = report_text(report, width=80)
    for digest in expected.values():
        assert digest in text
    assert subject.base_hash[:40] in text


def test_a_pretty_printed_manifest_is_one_failure_and_the_rest_not_checked(record: Path) -> None:
    path = record / "manifest.json"
    path.write_text(json.dumps(json.loads(path.read_text("utf-8")), indent=2) + "\n", "utf-8")
    report = verify(record)
    (failure,) = report.failures()
    assert (failure.check, failure.where) == ("V1", "manifest.json")
    assert report.failed_checks() == ["V1"]
    assert report.not_checked() == [n for n in CHECKS if n != "V1"]
    assert all("V1" in report.checks[n].not_checked_because for n in report.not_checked())
    assert not report.passed
    text = report_text(report, width=80)
    states = [
        line.split()[:2] for line in text.splitlines() if line[:1] == "V" and line[1:2].isdigit()
    ]
    assert [n for n, state in states if state == "FAIL"] == ["V1"]
    assert [n for n, state in states if state == "not"] == [n for n in CHECKS if n != "V1"]


def test_a_results_file_without_its_newline_fails_v1_only(record: Path) -> None:
    path = record / "results.json"
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    report = verify(record)
    assert [(f.check, f.where) for f in report.failures()] == [("V1", "results.json")]
    assert report.checks["V17"].state == "not checked"
    assert "(V1)" in report.checks["V17"].not_checked_because


def test_one_deleted_line_is_summarised_in_text_and_complete_in_json(record: Path) -> None:
    path = record / "ballots.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    del lines[2]
    path.write_bytes(b"".join(lines))
    report = verify(record)
    v11 = report.failures("V11")
    assert len(v11) > SHOWN_FAILURES
    assert [f.where for f in v11] == [f"entry {n}" for n in range(4, 4 + len(v11))]
    as_json = report.to_json()
    listed = next(c for c in as_json["checks"] if c["check"] == "V11")["failures"]
    assert listed == [dataclasses.asdict(f) for f in v11]
    text = report_text(report, width=80)
    assert f"{len(v11)} failures; the first {SHOWN_FAILURES}:" in text
    assert f"and {len(v11) - SHOWN_FAILURES} more" in text
    assert sum(1 for line in text.splitlines() if line.startswith("    - entry")) <= (
        SHOWN_FAILURES + len(report.failures()) - len(v11)
    )


def test_a_wrong_result_prints_the_announced_and_computed_figures(record: Path) -> None:
    path = record / "results.json"
    value = json.loads(path.read_bytes())
    contest, result = next((c, r) for c, r in value["results"].items() if r.get("counts"))
    option = sorted(result["counts"])[0]
    true_count = result["counts"][option]
    result["counts"][option] = true_count + 5
    path.write_bytes(json.dumps(value, separators=(",", ":"), sort_keys=True).encode() + b"\n")
    report = verify(record)
    (failure,) = report.failures("V17")
    assert failure.where == f"contest {contest}"
    figures = f"counts.{option}: announced {true_count + 5}, computed {true_count}"
    assert figures in failure.reason
    assert figures in " ".join(report_text(report, width=60).split())


def test_the_report_is_frozen_and_its_failures_filter(record: Path) -> None:
    (record / "results.json").unlink()
    report = verify(record)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.partial = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        report.checks["V1"] = report.checks["V2"]  # type: ignore[index]
    assert report.failures("V2") == ()
    assert {f.check for f in report.failures()} == {"V1"}
    with pytest.raises(VerificationFailed, match=r"^V1: results\.json: .* \(1 failure in all\)$"):
        report.raise_for_failures()


def test_a_clean_report_raises_nothing(record: Path) -> None:
    report = verify(record)
    report.raise_for_failures()
    assert report.passed
    assert all(c.state == "pass" for c in report.checks.values())
    assert "All checks pass" in report_text(report)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", [60, 80, 200])
def test_the_text_never_passes_its_width(record: Path, language: str, width: int) -> None:
    lines = record / "ballots.jsonl"
    kept = lines.read_bytes().splitlines(keepends=True)
    lines.write_bytes(b"".join(kept[:2] + kept[3:]))
    report = verify(record)
    for text in (report_text(report, language=language, width=width, explain=True),
                 explain_text(language=language, width=width)):  # fmt: skip
        assert max(display_width(line) for line in text.splitlines()) <= width
    text = report_text(report, language=language, width=width)
    for number in CHECKS:
        assert f"{number} " in text


def test_the_report_keeps_english_keys_in_json_whatever_the_text_language(record: Path) -> None:
    data = verify(record).to_json()
    assert set(data) == {"subject", "passed", "partial", "notes", "checks"}
    assert {c["state"] for c in data["checks"]} == {"pass"}
    assert set(data["subject"]) >= {"election_id", "base_hash", "files", "verified_at"}
