"""A whole election through the CLI, as an official runs it (issue 12).

``election init`` writes the manifest (a mayor, a referendum and a party list in each of two
districts; a ranked council added to it is carried offline, and refused by a server); three
guardians hold the key on their own machines (sealed secret files); the
credential authority creates the election from a roll of 50 voters and writes their letters;
the voters cast (some vote again, one spoils a ballot to check it); the officials close
early; guardians 1 and 3 decrypt (guardian 2 is absent); the record is published, verified,
and its counts are those of the ballots cast.
"""

from __future__ import annotations

import json
import re
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from suffrage.errors import InvalidManifest
from suffrage.service.election_steps import load_manifest_file
from suffrage.service.lifecycle import ElectionLife
from suffrage.verify.record import verify_record

from .kit import (
    AUTHORITY_PASSPHRASE,
    RANKED_COUNCIL,
    STYLES,
    as_guardian,
    authority_env,
    choices_for,
    create_args,
    decrypt_args,
    invoke,
    keyed,
    mailmerge,
    ok,
    refused,
    secret,
    style_of,
    voter_id,
    write_manifest,
    write_roll,
)

DISPLAY = re.compile(r"tracking code [0-9A-F]{4}(-[0-9A-F]{4}){4}$")
VOTERS = 50
REVOTERS = {3: 10, 8: 11, 21: 12}
"""Voters who vote again, each time with another voter's choices (the last one counts)."""
SPOILER = 5
"""The voter who first spoils a ballot to check the device."""


@dataclass
class Run:
    base: Path
    manifest: Path
    election: Path
    authority: Path
    letters: Path
    record: Path
    codes: dict[str, str]
    outputs: list[str]
    expected: dict[str, list[int]]
    decrypt_output: str
    publish_output: str


def _expected(ballots: list[dict[str, list[int]]]) -> dict[str, list[int]]:
    totals: dict[str, list[int]] = {}
    for ballot in ballots:
        for contest, values in ballot.items():
            row = totals.setdefault(contest, [0] * len(values))
            totals[contest] = [a + b for a, b in zip(row, values, strict=True)]
    return totals


def cast(election: Path, code: str, choices: dict[str, list[int]], *extra: str) -> str:
    args = ["election", "cast", "--election", election, "--credential", code,
            "--choices", json.dumps(choices), *extra]  # fmt: skip
    return str(ok(args).output.strip())


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("cli-election")
    manifest = write_manifest(base / "manifest.yaml")
    publics = keyed(base, manifest)
    roll = write_roll(base / "roll.csv", VOTERS)
    election, authority = base / "election", base / "authority"
    letters, record = base / "letters", base / "record"
    ok(create_args(manifest, publics, roll, election, authority), env=authority_env())
    ok(["election", "letters", "--election", election, "--authority", authority,
        "--out", letters], env=authority_env())  # fmt: skip
    ok(["election", "open", "--election", election])
    codes = {row["voter_id"]: row["credential_code"] for row in mailmerge(letters)}
    outputs, counted = [], []
    for n in range(VOTERS):
        style, code = style_of(n), codes[voter_id(n)]
        if n == SPOILER:
            outputs.append(cast(election, code, choices_for(style, n + 1), "--spoil"))
        outputs.append(cast(election, code, choices_for(style, n)))
        if n in REVOTERS:
            outputs.append(cast(election, code, choices_for(style, REVOTERS[n])))
        counted.append(choices_for(style, REVOTERS.get(n, n)))
    ok(["election", "tally", "--election", election, "--close-early"])
    decrypted = ok([*decrypt_args(base, 1, election, base / "partial-1.json"), "--yes"])
    ok(decrypt_args(base, 3, election, base / "partial-3.json"), input="y\n")
    published = ok(["election", "publish", "--election", election, "--partials",
                    base / "partial-1.json", base / "partial-3.json", "--out", record])  # fmt: skip
    return Run(
        base=base,
        manifest=manifest,
        election=election,
        authority=authority,
        letters=letters,
        record=record,
        codes=codes,
        outputs=outputs,
        expected=_expected(counted),
        decrypt_output=decrypted.output,
        publish_output=published.output,
    )


def test_record_verifies_and_counts_what_was_cast(run: Run) -> None:
    report = verify_record(run.record)
    assert report.passed, report.failed_checks()
    idle = {c.number for c in report.checks.values() if c.checked == 0}
    # the turnout by group, which this election does not publish, and the mixes of ranked
    # contests, which this manifest has none of (test_cli_ranked.py has them, spec #19)
    assert idle == {"V21", "V23", "V24", "V25", "V26"}
    results = json.loads((run.record / "results.json").read_text())["results"]
    manifest = json.loads((run.record / "manifest.json").read_text())
    options = {
        c["contest_id"]: [o["option_id"] for o in c["options"]] for c in manifest["contests"]
    }
    assert set(results) == set(run.expected) == {
        "mayor", "park-referendum", "council-north", "council-south"
    }  # fmt: skip
    for contest, expected in run.expected.items():
        assert [results[contest]["counts"][o] for o in options[contest]] == expected, contest
    assert results["mayor"]["ballots"] == VOTERS
    assert results["council-north"]["ballots"] == VOTERS // 2
    assert sum(results["council-north"]["seats"].values()) == 5
    tally = json.loads((run.record / "tally.json").read_text())["tally"]
    assert (tally["entries"], tally["counted"]) == (VOTERS + 1 + len(REVOTERS), VOTERS)
    decryption = json.loads((run.record / "decryption.json").read_text())
    assert [p["guardian"] for p in decryption["partial_decryptions"]] == [1, 3]
    # The results are shown by name (not option id), with turnout and shares.
    assert "Mayor\n=====" in run.publish_output
    assert "Amina Haddad" in run.publish_output
    assert "amina-haddad" not in run.publish_output
    assert f"Turnout: {VOTERS} of {VOTERS} (100.00%)" in run.publish_output
    assert f"suffrage verify {run.record}" in run.publish_output


def test_every_credential_is_bound_to_its_voters_ballot_style(run: Run) -> None:
    credentials = json.loads((run.record / "credentials.json").read_text())["credentials"]
    assert len(credentials) == VOTERS
    styles = [c["style_id"] for c in credentials]
    assert styles.count("north") == styles.count("south") == VOTERS // 2
    lines = (run.record / "ballots.jsonl").read_text().splitlines()
    bound = {c["key"]: c["style_id"] for c in credentials}
    for line in lines:
        ballot = json.loads(line)["ballot"]
        assert ballot["style_id"] == bound[ballot["credential"]]
        assert [c["contest_id"] for c in ballot["contests"]] == list(STYLES[ballot["style_id"]])


def test_the_early_close_is_recorded_and_reported(run: Run) -> None:
    tally = json.loads((run.record / "tally.json").read_text())["tally"]
    assert tally["closed_early"] is True
    result = invoke(["verify", run.record])
    assert result.exit_code == 0, result.output
    assert "voting was closed early" in result.output
    assert "closed early by the officials" in run.decrypt_output


def test_a_guardian_is_shown_what_it_decrypts(run: Run) -> None:
    summary = run.decrypt_output
    context = json.loads((run.election / "context.json").read_text())
    assert context["manifest"]["election_id"] in summary
    assert context["base_hash"] in summary
    assert f"counted ballots: {VOTERS}" in summary
    assert re.search(r"tally hash: +[0-9a-f]{128}", summary)


def test_cast_prints_display_tracking_codes_and_marks_the_spoiled_ballot(run: Run) -> None:
    assert all(DISPLAY.search(line) for line in run.outputs)
    assert sum(line.startswith("spoiled") for line in run.outputs) == 1
    states = [
        json.loads(line)["state"]
        for line in (run.record / "ballots.jsonl").read_text().splitlines()
    ]
    assert states.count("spoiled") == 1


def test_secrets_are_sealed_and_stay_out_of_the_election_and_the_record(run: Run) -> None:
    published = [*run.record.rglob("*"), *run.election.rglob("*")]
    texts = [p.read_bytes().decode("latin-1") for p in published if p.is_file()]
    for i in (1, 2, 3):
        path = secret(run.base, i)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        sealed = json.loads(path.read_text())
        assert sealed["format"] == "suffrage/sealed/1"
        assert sealed["purpose"] == "guardian-secret"
        assert not {"coefficients", "key_share", "communication_secret"} & set(sealed)
    sealed = json.loads((run.authority / "authority.sealed.json").read_text())
    assert sealed["purpose"] == "credential-authority"
    raw = (run.authority / "authority.sealed.json").read_text()
    assert voter_id(0) not in raw
    assert "Market Street" not in raw
    for code in run.codes.values():
        assert code not in raw
        assert not any(code in text for text in texts)
    assert not any(voter_id(0) in text or "Market Street" in text for text in texts)
    assert not any(p.name.endswith(".secret.json") for p in published)


def test_a_guardian_who_declines_decrypts_nothing(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "partial-2.json"
    result = invoke(decrypt_args(run.base, 2, run.election, out), input="n\n")
    assert result.exit_code == 1
    assert "nothing decrypted" in result.stderr
    assert not out.exists()


def test_a_wrong_passphrase_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase at all\n")
    line = refused(
        [
            "guardian",
            "decrypt",
            "--secret",
            secret(run.base, 2),
            "--election",
            run.election,
            "--out",
            tmp_path / "p.json",
            "--yes",
            "--passphrase-file",
            wrong,
        ]
    )
    assert str(secret(run.base, 2)) in line
    assert "the passphrase is wrong" in line
    line = refused(
        [
            "election",
            "letters",
            "--election",
            run.election,
            "--authority",
            run.authority,
            "--out",
            tmp_path / "letters",
        ],
        env={"SUFFRAGE_PASSPHRASE": "guessing"},
    )
    assert "the passphrase is wrong" in line
    assert not (tmp_path / "letters").exists()


def test_without_a_passphrase_and_a_terminal_the_command_says_how_to_give_one(
    run: Run, tmp_path: Path
) -> None:
    line = refused(
        [
            "guardian",
            "decrypt",
            "--secret",
            secret(run.base, 2),
            "--election",
            run.election,
            "--out",
            tmp_path / "p.json",
            "--yes",
        ]
    )
    assert "--passphrase-file" in line
    assert "SUFFRAGE_PASSPHRASE" in line


def test_partials_may_be_listed_or_repeated(run: Run, tmp_path: Path) -> None:
    one, three = run.base / "partial-1.json", run.base / "partial-3.json"
    repeated = tmp_path / "repeated"
    ok(["election", "publish", "--election", run.election, "--partials", one,
        "--partials", three, "--out", repeated])  # fmt: skip
    listed_last = tmp_path / "listed-last"
    ok(["election", "publish", "--election", run.election, "--out", listed_last,
        "--partials", one, three])  # fmt: skip
    for directory in (repeated, listed_last):
        assert (directory / "results.json").read_bytes() == (
            run.record / "results.json"
        ).read_bytes()
    line = refused(["election", "publish", "--election", run.election, "--partials", one,
                    "--out", tmp_path / "short"])  # fmt: skip
    assert "1 guardian(s) decrypted (1), 2 are needed" in line
    assert "guardian decrypt" in line


def test_voting_is_closed_after_the_tally(run: Run) -> None:
    code = run.codes[voter_id(0)]
    line = refused(["election", "cast", "--election", run.election, "--credential", code,
                    "--choices", json.dumps(choices_for("north", 0))])  # fmt: skip
    assert "voting is closed" in line


def test_a_ranked_contest_whose_id_reads_like_a_mix_decryption_is_refused(
    tmp_path: Path,
) -> None:
    """A server drafts the ranked council (its guardians mix it through the mailbox), but
    not a ranked contest whose id starts with ``decryption-``: its mixes' file names would
    read like another contest's mix decryptions."""
    manifest = write_manifest(tmp_path / "manifest.yaml", extra_contest=RANKED_COUNCIL)
    odd = write_manifest(
        tmp_path / "odd.yaml",
        extra_contest=RANKED_COUNCIL.replace("contest_id: council", "contest_id: decryption-x"),
    )
    server = tmp_path / "server"
    server.mkdir()
    life = ElectionLife(server, clock=lambda: datetime.now(UTC), new=True)
    try:
        with pytest.raises(InvalidManifest) as refusal:
            life.draft(load_manifest_file(odd), guardians=3, threshold=2)
        life.draft(load_manifest_file(manifest), guardians=3, threshold=2)
    finally:
        life.close()
    assert refusal.value.field.endswith("contests[4].contest_id")
    assert "may not start with 'decryption-'" in refusal.value.reason


def test_authority_commands_read_the_passphrase_from_a_file_too(run: Run, tmp_path: Path) -> None:
    passphrase = tmp_path / "authority.txt"
    passphrase.write_text(AUTHORITY_PASSPHRASE + "\n")
    out = tmp_path / "one-letter"
    ok(["election", "letters", "--election", run.election, "--authority", run.authority,
        "--voter", voter_id(7), "--out", out, "--passphrase-file", passphrase])  # fmt: skip
    rows = mailmerge(out)
    assert [r["voter_id"] for r in rows] == [voter_id(7)]
    assert rows[0]["credential_code"] == run.codes[voter_id(7)]
    assert sorted(p.name for p in out.iterdir()) == ["V-0008.html", "V-0008.pdf", "mailmerge.csv"]


def test_guardian_files_refuse_a_second_passphrase_reading(run: Run) -> None:
    """The secret file opens with its own guardian's passphrase only."""
    line = refused(
        [
            "guardian",
            "decrypt",
            "--secret",
            secret(run.base, 1),
            "--election",
            run.election,
            "--out",
            run.base / "other.json",
            "--yes",
            *as_guardian(run.base, 3),
        ]
    )
    assert "the passphrase is wrong" in line
