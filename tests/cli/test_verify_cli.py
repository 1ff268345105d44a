"""``suffrage verify`` on the command line: the report's header and states, an election
directory that is not a record, and ``--partial`` on the board of an election still open."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from suffrage.i18n import LANGUAGES
from suffrage.reports.text import display_width

from .kit import (
    authority_env,
    choices_for,
    create_args,
    invoke,
    keyed,
    mailmerge,
    ok,
    style_of,
    voter_id,
    write_manifest,
    write_roll,
)

VOTERS = 6


@dataclass(frozen=True)
class OpenElection:
    election: Path
    codes: dict[str, str]


@pytest.fixture(scope="module")
def open_election(tmp_path_factory: pytest.TempPathFactory) -> OpenElection:
    """An election still open, with one ballot of each of its voters on the board."""
    base = tmp_path_factory.mktemp("open-election")
    manifest = write_manifest(base / "manifest.yaml")
    publics = keyed(base, manifest)
    roll = write_roll(base / "roll.csv", VOTERS)
    election, authority, letters = base / "election", base / "authority", base / "letters"
    ok(create_args(manifest, publics, roll, election, authority), env=authority_env())
    ok(["election", "letters", "--election", election, "--authority", authority,
        "--out", letters], env=authority_env())  # fmt: skip
    ok(["election", "open", "--election", election])
    codes = {row["voter_id"]: row["credential_code"] for row in mailmerge(letters)}
    for n in range(VOTERS):
        ok(["election", "cast", "--election", election, "--credential", codes[voter_id(n)],
            "--choices", json.dumps(choices_for(style_of(n), n))])  # fmt: skip
    return OpenElection(election=election, codes=codes)


def test_an_open_election_directory_is_named_as_such(open_election: OpenElection) -> None:
    result = invoke(["verify", open_election.election])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "is an election directory, not a record" in message
    assert "the election is open" in message
    assert f"its board holds {VOTERS} entries" in message
    assert f"suffrage verify --partial {open_election.election}" in message
    assert "suffrage election publish" in message


def test_partial_checks_the_board_so_far(open_election: OpenElection) -> None:
    result = invoke(["verify", "--partial", "--json", open_election.election])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["partial"] is True
    assert data["passed"] is True
    states = {c["check"]: c["state"] for c in data["checks"]}
    for number in ("V7", "V8", "V9", "V10", "V11", "V13", "V18"):
        assert states[number] == "pass", number
    checked = {c["check"]: c["checked"] for c in data["checks"]}
    assert checked["V11"] == VOTERS
    assert checked["V8"] == VOTERS
    for number in ("V12", "V14", "V15", "V16", "V17", "V19", "V21"):
        assert states[number] == "not yet", number
    assert checked["V20"] > 0, "the event log so far is checked"
    assert data["results"] is None


def test_partial_text_says_what_cannot_be_checked_yet(open_election: OpenElection) -> None:
    result = invoke(["verify", "--partial", "--width", "60", open_election.election])
    assert result.exit_code == 0, result.output
    assert "Partial verification of an election still open" in result.output
    assert "Not yet checkable, before the tally is published: V12, V14" in " ".join(
        result.output.split()
    )
    assert max(display_width(line) for line in result.output.splitlines()) <= 60


def test_partial_finds_an_entry_removed_from_the_board(
    open_election: OpenElection, tmp_path: Path
) -> None:
    copy = tmp_path / "election"
    shutil.copytree(open_election.election, copy)
    with sqlite3.connect(copy / "board.db") as db:
        db.execute("DELETE FROM board_ciphertexts WHERE sequence = 3")
        db.execute("DELETE FROM board_entries WHERE sequence = 3")
    result = invoke(["verify", "--partial", "--json", copy])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    v11 = next(c for c in data["checks"] if c["check"] == "V11")
    assert v11["state"] == "fail"
    assert v11["failures"][0]["where"] == "entry 4"


def test_partial_refuses_a_directory_that_is_no_election(tmp_path: Path) -> None:
    result = invoke(["verify", "--partial", tmp_path])
    assert result.exit_code == 2
    assert "is not an election directory" in " ".join(result.output.split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_explain_alone_says_what_every_check_proves(language: str) -> None:
    result = invoke(["verify", "--explain", "--language", language, "--width", "80"])
    assert result.exit_code == 0, result.output
    for number in range(1, 22):
        assert f"V{number} " in result.output
    assert max(display_width(line) for line in result.output.splitlines()) <= 80


def test_an_unknown_language_is_refused_by_name() -> None:
    result = invoke(["verify", "--explain", "--language", "de"])
    assert result.exit_code == 2
    assert "'de' is not one of ar, zh, en, fr, ru, es" in result.output


@pytest.fixture(scope="module")
def demo_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "record"
    ok(["demo", "--voters", "12", "--seed", "3", "--out", out])
    return out


def test_the_text_report_names_the_record_and_shows_the_results(demo_record: Path) -> None:
    result = invoke(["verify", demo_record, "--width", "80"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((demo_record / "manifest.json").read_text("utf-8"))
    text = result.output
    assert f"Election: {manifest['election_id']}" in text
    assert "Verified at (UTC): 20" in text
    assert "All checks pass" in text
    assert "The results this report vouches for" in text
    assert "Amina Haddad" in text, "the results are shown with names"
    assert max(display_width(line) for line in text.splitlines()) <= 80


def test_a_pretty_printed_manifest_is_one_fail_on_the_command_line(
    demo_record: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "record"
    shutil.copytree(demo_record, copy)
    path = copy / "manifest.json"
    path.write_text(json.dumps(json.loads(path.read_text("utf-8")), indent=2) + "\n", "utf-8")
    result = invoke(["verify", copy, "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    states = [c["state"] for c in data["checks"]]
    assert states == ["fail"] + ["not checked"] * (len(states) - 1)
    assert data["checks"][0]["failures"] == [
        {"check": "V1", "where": "manifest.json", "reason": "must be one line ending in a newline"}
    ]
    assert data["results"] is None
    text = invoke(["verify", copy, "--language", "fr", "--width", "60"]).output
    assert "V1 ÉCHEC" in " ".join(text.split())
    assert "ne sont pas affichés" in " ".join(text.split())
