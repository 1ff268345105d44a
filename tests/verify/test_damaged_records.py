"""Damaged records give a report naming the check and the place, never a crash or a hang.

Each test is a defect an adversarial review reproduced (issue 11): before the fix each ended
in a traceback, a MemoryError, a hang, or a check passing that should not have.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from suffrage.cli.main import app
from suffrage.core import SeededRandom
from suffrage.record.canonical import canonical_bytes
from suffrage.record.reading import MAX_LINE
from suffrage.verify.record import verify_record
from suffrage.verify.report import VerificationReport

BALLOTS = "ballots.jsonl"


def verify(record: Path) -> VerificationReport:
    """Both paths must give the same report, and it must serialise."""
    batched = verify_record(record, rng=SeededRandom(5))
    assert batched.to_json() == verify_record(record, batch=False).to_json()
    json.dumps(batched.to_json())
    return batched


def failures(report: VerificationReport, check: str) -> list[str]:
    return report.checks[check].messages


def v1(report: VerificationReport) -> str:
    return " | ".join(failures(report, "V1"))


def lines(record: Path) -> list[bytes]:
    return (record / BALLOTS).read_bytes().splitlines(keepends=True)


# --- ballots.jsonl damaged ----------------------------------------------------------------


def truncate_lines(record: Path) -> None:
    (record / BALLOTS).write_bytes(b"".join(lines(record)[:5]))


def cut_mid_line(record: Path) -> None:
    data = (record / BALLOTS).read_bytes()
    (record / BALLOTS).write_bytes(data[: len(data) // 2])


def crlf(record: Path) -> None:
    (record / BALLOTS).write_bytes((record / BALLOTS).read_bytes().replace(b"\n", b"\r\n"))


def garbage(record: Path) -> None:
    (record / BALLOTS).write_bytes(bytes(range(256)) * 40 + b"\n\x00\xff\n")


def as_directory(record: Path) -> None:
    (record / BALLOTS).unlink()
    (record / BALLOTS).mkdir()


def huge_line(record: Path) -> None:
    with (record / BALLOTS).open("ab") as out:
        block = b"x" * (1024 * 1024)
        for _ in range(50):
            out.write(block)


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated-lines": (truncate_lines, ""),
    "cut-mid-line": (cut_mid_line, "does not end in a newline"),
    "crlf": (crlf, "not canonical"),
    "binary-garbage": (garbage, "line 1"),
    "directory": (as_directory, "is a directory, not a regular file"),
    "50-mb-line": (huge_line, f"longer than the limit of {MAX_LINE} bytes"),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_board_gives_a_report(
    record: Path, damage: tuple[Callable[[Path], None], str]
) -> None:
    change, words = damage
    change(record)
    report = verify(record)
    assert not report.passed
    assert words in v1(report) or words == ""
    v17 = report.checks["V17"]
    assert v17.state in ("fail", "not checked"), "V17 cannot vouch for results over a damaged board"
    assert all("contest" in f for f in failures(report, "V17"))


def test_a_truncated_board_names_the_tally_difference(record: Path) -> None:
    truncate_lines(record)
    report = verify(record)
    assert "number of entries" in failures(report, "V14")[0]
    assert report.checks["V17"].state == "not checked"
    assert (
        report.checks["V17"].not_checked_because == "the published tally is not the board's (V14)"
    )
    assert failures(report, "V17") == []


# --- other files with strange values --------------------------------------------------------


def save(path: Path, value: object) -> None:
    path.write_bytes(canonical_bytes(value) + b"\n")


def test_results_as_a_list_is_a_v1_failure(record: Path) -> None:
    save(record / "results.json", {"results": [1, 2]})
    report = verify(record)
    assert "results.json.results: expected an object, got list" in v1(report)
    assert report.failed_checks() == ["V1"]
    assert "(V1)" in report.checks["V17"].not_checked_because


def test_a_boolean_seat_count_is_not_a_count(record: Path) -> None:
    value = json.loads((record / "results.json").read_bytes())
    contest, result, name = next(
        (c, r, n)
        for c, r in value["results"].items()
        for n, seats in r.get("seats", {}).items()
        if seats == 1
    )
    result["seats"][name] = True
    save(record / "results.json", value)
    report = verify(record)
    assert report.failed_checks() == ["V17"]
    (only,) = failures(report, "V17")
    assert only.startswith(
        f"contest {contest}: the announced result is not the one the counts give"
    )
    assert f"seats.{name}: announced true, computed 1" in only


def test_an_extra_option_in_the_counts_fails_v16(record: Path) -> None:
    value = json.loads((record / "decryption.json").read_bytes())
    value["counts"]["mayor"]["write-in"] = 999
    save(record / "decryption.json", value)
    report = verify(record)
    assert report.failed_checks() == ["V16"]
    assert failures(report, "V16") == [
        "contest mayor: counts for options not on the ballot: ['write-in']"
    ]


def test_a_wrong_count_names_both_figures(record: Path) -> None:
    value = json.loads((record / "decryption.json").read_bytes())
    option = sorted(value["counts"]["mayor"])[0]
    given = value["counts"]["mayor"][option]
    value["counts"]["mayor"][option] = given + 1
    save(record / "decryption.json", value)
    report = verify(record)
    assert f"contest mayor, option {option}: published {given + 1}, decrypted {given}" in (
        failures(report, "V16")
    )


def test_a_huge_claimed_number_of_counted_ballots_does_not_hang(record: Path) -> None:
    value = json.loads((record / "tally.json").read_bytes())
    value["tally"]["counted"] = 2**53 - 1
    save(record / "tally.json", value)
    report = verify(record)
    assert "number of counted ballots" in failures(report, "V14")[0]


# --- links and special files ------------------------------------------------------------------


def test_a_symlink_out_of_the_record_is_refused(record: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_bytes((record / "results.json").read_bytes())
    (record / "results.json").unlink()
    (record / "results.json").symlink_to(outside)
    report = verify(record)
    assert "results.json: is a symbolic link" in v1(report)


def test_a_link_to_dev_zero_is_refused(record: Path) -> None:
    (record / BALLOTS).unlink()
    (record / BALLOTS).symlink_to("/dev/zero")
    report = verify(record)
    assert "ballots.jsonl: is a symbolic link" in v1(report)


def test_a_fifo_does_not_hang_the_verifier(record: Path) -> None:
    (record / "decryption.json").unlink()
    os.mkfifo(record / "decryption.json")
    reports: list[VerificationReport] = []
    worker = threading.Thread(target=lambda: reports.append(verify_record(record, batch=False)))
    worker.start()
    worker.join(timeout=60)
    if worker.is_alive():  # unblock the reader before failing, or pytest would hang too
        os.close(os.open(record / "decryption.json", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("the verifier hangs on a FIFO")
    assert "decryption.json: is a FIFO, not a regular file" in v1(reports[0])


# --- the command --------------------------------------------------------------------------------


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_the_command_reports_a_damaged_record_as_json_with_exit_1(record: Path) -> None:
    crlf(record)
    code, out, _ = run("verify", record, "--json")
    assert code == 1
    report = json.loads(out)
    assert report["passed"] is False
    assert any(c["check"] == "V1" and c["failures"] for c in report["checks"])


def test_a_directory_that_is_not_a_record_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("verify", tmp_path)
    assert code == 2
    assert "is not an election record" in err


def test_an_election_directory_is_told_apart(tmp_path: Path) -> None:
    (tmp_path / "board.db").write_bytes(b"")
    code, _, err = run("verify", tmp_path)
    assert code == 2
    assert "election publish" in err


def test_a_contest_not_in_the_manifest_is_reported_not_raised(record: Path) -> None:
    """Found by the fuzz test: the limit check looked the contest up without a default."""
    rows = lines(record)
    entry = json.loads(rows[0])
    entry["ballot"]["contests"][0]["contest_id"] = ""
    rows[0] = canonical_bytes(entry) + b"\n"
    (record / BALLOTS).write_bytes(b"".join(rows))
    report = verify(record)
    assert "entry 1: contest '' is not in the manifest: it has no limit" in failures(report, "V10")
