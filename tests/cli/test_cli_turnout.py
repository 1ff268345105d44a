"""``suffrage election turnout``: turnout by roll group, end to end through the CLI.

A roll of 36 voters with three group columns (one value left empty by a few voters); 26
vote (one of them twice), 10 abstain. Turnout is refused before the tally; after it, the
credential authority computes it (threshold 3 here, so some figures show), the record gets
it on publishing, the verifier passes V21, and no group name or value appears anywhere but
in turnout.json: not on the board, not in any other file of the election or the record.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from suffrage.service.authority import read_authority
from suffrage.verify.record import verify_record

from .kit import (
    AUTHORITY_PASSPHRASE,
    authority_env,
    choices_for,
    create_args,
    decrypt_args,
    invoke,
    keyed,
    ok,
    refused,
    style_of,
    voter_id,
    write_manifest,
)

VOTERS = 36
VOTING = 26
"""Voters 0..25 vote; voter 2 votes twice (the last ballot counts); the rest abstain."""


def groups_of(n: int) -> dict[str, str]:
    """Distinctive names and values, so that a search of the other files cannot mistake
    anything else for them."""
    return {
        "sex_zq": "" if n % 9 == 4 else ("woman_zq" if n % 2 else "man_zq"),
        "assist_zq": "yes_zq" if n in (1, 7, 30) else "no_zq",
        "age_zq": ("young_zq", "middle_zq", "old_zq")[n % 3],
    }


def expected() -> dict[str, dict[str, tuple[int, int]]]:
    """Per column, per value: (eligible, voted), counted from the roll and who voted."""
    counts: dict[str, dict[str, tuple[int, int]]] = {}
    for n in range(VOTERS):
        for name, value in groups_of(n).items():
            e, v = counts.setdefault(name, {}).get(value or "not stated", (0, 0))
            counts[name][value or "not stated"] = (e + 1, v + (n < VOTING))
    return counts


def write_roll(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        names = list(groups_of(0))
        writer.writerow(["voter_id", "ballot_style", *(f"group:{n}" for n in names)])
        for n in range(VOTERS):
            writer.writerow([voter_id(n), style_of(n), *groups_of(n).values()])
    return path


@dataclass
class Run:
    base: Path
    election: Path
    authority: Path
    record: Path
    before_tally: str
    output: str


def cast(election: Path, code: str, choices: dict[str, list[int]]) -> None:
    ok(["election", "cast", "--election", election, "--credential", code,
        "--choices", json.dumps(choices)])  # fmt: skip


def turnout_args(election: Path, authority: Path, *extra: str) -> list[str | Path]:
    return ["election", "turnout", "--election", election, "--authority", authority, *extra]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("cli-turnout")
    manifest = write_manifest(base / "manifest.yaml")
    publics = keyed(base, manifest)
    roll = write_roll(base / "roll.csv")
    election, authority, record = base / "election", base / "authority", base / "record"
    ok(create_args(manifest, publics, roll, election, authority), env=authority_env())
    ok(["election", "open", "--election", election])
    private = read_authority(authority, passphrase=AUTHORITY_PASSPHRASE)
    codes = dict(zip((v.voter_id for v in private.voters), private.codes, strict=True))
    before = refused(turnout_args(election, authority), env=authority_env())
    for n in range(VOTING):
        cast(election, codes[voter_id(n)], choices_for(style_of(n), n))
        if n == 2:
            cast(election, codes[voter_id(n)], choices_for(style_of(n), n + 1))
    ok(["election", "tally", "--election", election, "--close-early"])
    output = ok(turnout_args(election, authority, "--threshold", "3"), env=authority_env())
    ok([*decrypt_args(base, 1, election, base / "partial-1.json"), "--yes"])
    ok([*decrypt_args(base, 3, election, base / "partial-3.json"), "--yes"])
    ok(["election", "publish", "--election", election, "--partials",
        base / "partial-1.json", base / "partial-3.json", "--out", record])  # fmt: skip
    return Run(base, election, authority, record, before, output.output)


def test_turnout_is_refused_before_the_tally(run: Run) -> None:
    assert "voting is not closed" in run.before_tally
    assert "suffrage election tally" in run.before_tally


def test_turnout_counts_who_voted_per_group_and_hides_small_cells(run: Run) -> None:
    document = json.loads((run.election / "turnout.json").read_bytes())
    assert (document["threshold"], document["eligible"], document["voted"]) == (3, 36, 26)
    truth = expected()
    assert set(document["groups"]) == set(truth)
    for name, cells in document["groups"].items():
        assert [c["value"] for c in cells] == sorted(truth[name])
        for cell in cells:
            e, v = truth[name][cell["value"]]
            assert cell["eligible"] in (None, e)
            assert cell["voted"] in (None, v)
    assist = {c["value"]: c for c in document["groups"]["assist_zq"]}
    # 3 asked for assistance (2 voted): below the threshold, so hidden, with its complement.
    assert assist["yes_zq"]["voted"] is None
    assert assist["no_zq"]["voted"] is None
    ages = {c["value"]: c for c in document["groups"]["age_zq"]}
    assert ages["old_zq"] == {"value": "old_zq", "eligible": 12, "voted": 8}
    assert "not stated" in {c["value"] for c in document["groups"]["sex_zq"]}


def test_the_command_prints_a_table_that_says_what_is_hidden(run: Run) -> None:
    lines = run.output.splitlines()
    assert lines[0] == "turnout by group (figures of fewer than 3 voters hidden)"
    assert any(line.split() == ["all", "voters", "36", "26", "72.2%"] for line in lines)
    assert any(line.split() == ["age_zq", "old_zq", "12", "8", "66.7%"] for line in lines)
    assert any(line.startswith("hidden: fewer than 3 voters") for line in lines)
    assert "turnout.json" in lines[-1]


def test_the_record_carries_it_and_the_verifier_checks_it(run: Run) -> None:
    published = (run.record / "turnout.json").read_bytes()
    assert published == (run.election / "turnout.json").read_bytes()
    report = verify_record(run.record)
    assert report.passed, [(n, report.checks[n].failures) for n in report.failed_checks()]
    assert report.checks["V21"].checked > 1


def test_no_group_enters_the_board_or_any_other_file(run: Run) -> None:
    words = {w.encode() for n in range(VOTERS) for kv in groups_of(n).items() for w in kv if w}
    for directory in (run.election, run.record):
        for path in directory.rglob("*"):
            if path.is_file() and path.name != "turnout.json":
                data = path.read_bytes()
                found = [w for w in words if w in data]
                assert not found, (path, found)


def test_it_is_not_replaced_without_force_and_the_threshold_is_checked(run: Run) -> None:
    again = refused(turnout_args(run.election, run.authority), env=authority_env())
    assert "turnout.json" in again
    assert "--force" in again
    zero = refused(turnout_args(run.election, run.authority, "--threshold", "0", "--force"),
                   env=authority_env())  # fmt: skip
    assert "--threshold" in zero
    assert "1 or more" in zero
    replaced = ok(turnout_args(run.election, run.authority, "--force"), env=authority_env())
    assert "fewer than 10 voters" in replaced.output
    document = json.loads((run.election / "turnout.json").read_bytes())
    assert document["threshold"] == 10
    ok(turnout_args(run.election, run.authority, "--threshold", "3", "--force"),
       env=authority_env())  # fmt: skip


def test_a_narrow_terminal_gets_one_line_per_figure(run: Run) -> None:
    result = invoke(turnout_args(run.election, run.authority, "--threshold", "3", "--force"),
                    env={**authority_env(), "COLUMNS": "40"})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "age_zq = old_zq: eligible 12, voted 8, turnout 66.7%" in result.output
