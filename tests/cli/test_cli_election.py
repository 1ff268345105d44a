"""An election run entirely through the CLI: guardians step by step through files, ballots,
tally, partial decryptions by guardians 1 and 3 only, publication, verification."""

from __future__ import annotations

import json
import re
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from suffrage.cli.main import app
from suffrage.core.randomness import SeededRandom
from suffrage.protocol.credentials import generate_credential
from suffrage.protocol.key_ceremony import judge_complaint, sign_share
from suffrage.record.canonical import canonical_bytes
from suffrage.service import ceremony_files as files
from suffrage.service import election_files
from suffrage.verify.record import verify_record

MANIFEST = Path(str(resources.files("suffrage.protocol").joinpath("data/sample-manifest.yaml")))
NAMES = {1: "Ada", 2: "Grace", 3: "Edsger"}
DISPLAY = re.compile(r"tracking code [0-9A-F]{4}(-[0-9A-F]{4}){4}$")

# Option order of the sample manifest (ranked "south-representative" is left out).
NORTH_A = {
    "mayor": [1, 0, 0, 0],
    "city-council": [1, 0, 0, 0, 0],
    "school-board-north": [1, 1, 0, 0, 0],
    "participatory-budget": [1, 1, 0, 0],
    "charter-assembly": [1, 0],
}
NORTH_B = {
    "mayor": [0, 1, 0, 0],
    "city-council": [0, 0, 1, 0, 0],
    "school-board-north": [0, 0, 1, 0, 0],
    "participatory-budget": [0, 0, 0, 1],
    "charter-assembly": [0, 1],
}
SOUTH_A = {
    "mayor": [1, 0, 0, 0],
    "city-council": [0, 1, 0, 0, 0],
    "participatory-budget": [1, 0, 1, 1],
    "charter-assembly": [1, 0],
}
SOUTH_B = {
    "mayor": [0, 0, 0, 1],
    "city-council": [0, 0, 0, 0, 1],
    "participatory-budget": [0, 0, 0, 0],
    "charter-assembly": [0, 0],
}


def invoke(args: Sequence[str | Path]) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def ok(args: Sequence[str | Path]) -> Result:
    result = invoke(args)
    assert result.exit_code == 0, result.output
    return result


def refused(args: Sequence[str | Path]) -> str:
    """The one-line error of a command that must be refused with exit code 2."""
    result = invoke(args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    return lines[0]


def create_election(publics: Path, out: Path, *, voters: int, codes: Path) -> Result:
    """``suffrage election create`` from the sample manifest, which must succeed."""
    return ok(
        [
            "election",
            "create",
            "--manifest",
            MANIFEST,
            "--publics",
            publics,
            "--credentials",
            str(voters),
            "--out",
            out,
            "--codes-out",
            codes,
        ]
    )


def secret(base: Path, index: int) -> Path:
    """Guardian ``index``'s secret file, on its own "machine" (directory)."""
    return base / f"machine-{index}" / f"guardian-{index}.secret.json"


def ceremony(base: Path) -> tuple[Path, Path]:
    """create x3 (each in its own directory) and shares x3; returns (publics, shares)."""
    publics, shares = base / "publics", base / "shares"
    publics.mkdir()
    for i in (1, 2, 3):
        ok(
            [
                "guardian",
                "create",
                "--manifest",
                MANIFEST,
                "--index",
                str(i),
                "--name",
                NAMES[i],
                "--guardians",
                "3",
                "--threshold",
                "2",
                "--out",
                secret(base, i).parent,
            ]
        )
        public = secret(base, i).parent / f"guardian-{i}.public.json"
        shutil.copy(public, publics / public.name)
    for i in (1, 2, 3):
        written = ok(
            [
                "guardian",
                "shares",
                "--secret",
                secret(base, i),
                "--publics",
                publics,
                "--out",
                shares,
            ]
        ).output
        assert written.count("send to guardian ") == 3
    return publics, shares


def receive(base: Path, index: int) -> Result:
    return invoke(
        [
            "guardian",
            "receive",
            "--secret",
            secret(base, index),
            "--publics",
            base / "publics",
            "--shares",
            base / "shares",
        ]
    )


@dataclass
class Run:
    base: Path
    election: Path
    record: Path
    codes: list[str]
    outputs: list[str]
    expected: dict[str, list[int]]


def _expected(ballots: Sequence[dict[str, list[int]]]) -> dict[str, list[int]]:
    totals: dict[str, list[int]] = {}
    for ballot in ballots:
        for contest, values in ballot.items():
            row = totals.setdefault(contest, [0] * len(values))
            totals[contest] = [a + b for a, b in zip(row, values, strict=True)]
    return totals


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("cli-election")
    publics, _ = ceremony(base)
    for i in (1, 2, 3):
        assert receive(base, i).exit_code == 0
    election, codes_file, record = base / "election", base / "codes.json", base / "record"
    create_election(publics, election, voters=6, codes=codes_file)
    _, codes = election_files.read_codes(codes_file)
    plan = [
        (0, "north", NORTH_A, False),
        (1, "south", SOUTH_A, False),
        (2, "north", NORTH_B, True),
        (2, "north", NORTH_A, False),
        (3, "south", SOUTH_B, False),
        (3, "south", SOUTH_A, False),
        (4, "north", NORTH_B, False),
        (5, "south", SOUTH_B, False),
    ]
    outputs = []
    for voter, style, choices, spoil in plan:
        args = [
            "election",
            "cast",
            "--election",
            election,
            "--credential",
            codes[voter],
            "--style",
            style,
            "--choices",
            json.dumps(choices),
        ]
        outputs.append(ok([*args, "--spoil"] if spoil else args).output.strip())
    ok(["election", "tally", "--election", election])
    for i in (1, 3):
        ok(
            [
                "guardian",
                "decrypt",
                "--secret",
                secret(base, i),
                "--election",
                election,
                "--out",
                base / f"partial-{i}.json",
            ]
        )
    ok(
        [
            "election",
            "publish",
            "--election",
            election,
            "--partials",
            base / "partial-1.json",
            "--partials",
            base / "partial-3.json",
            "--out",
            record,
        ]
    )
    counted = [NORTH_A, SOUTH_A, NORTH_A, SOUTH_A, NORTH_B, SOUTH_B]
    return Run(
        base=base,
        election=election,
        record=record,
        codes=list(codes),
        outputs=outputs,
        expected=_expected(counted),
    )


def test_record_verifies_and_counts_what_was_cast(run: Run) -> None:
    report = verify_record(run.record)
    assert report.passed, report.failed_checks()
    assert all(c.checked > 0 for c in report.checks.values())
    results = json.loads((run.record / "results.json").read_text())["results"]
    manifest = json.loads((run.record / "manifest.json").read_text())
    options = {
        c["contest_id"]: [o["option_id"] for o in c["options"]] for c in manifest["contests"]
    }
    assert set(results) == set(run.expected)
    for contest, expected in run.expected.items():
        assert [results[contest]["counts"][o] for o in options[contest]] == expected, contest
    assert results["mayor"]["elected"] == ["amina-haddad"]
    assert results["mayor"]["ballots"] == 6
    assert results["school-board-north"]["ballots"] == 3
    tally = json.loads((run.record / "tally.json").read_text())
    assert (tally["tally"]["entries"], tally["tally"]["counted"]) == (8, 6)
    decryption = json.loads((run.record / "decryption.json").read_text())
    assert [p["guardian"] for p in decryption["partial_decryptions"]] == [1, 3]


def test_cast_prints_display_tracking_codes_and_marks_the_spoiled_ballot(run: Run) -> None:
    assert all(DISPLAY.search(line) for line in run.outputs)
    assert [line.startswith("spoiled") for line in run.outputs] == [
        False,
        False,
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    states = [
        json.loads(line)["state"]
        for line in (run.record / "ballots.jsonl").read_text().splitlines()
    ]
    assert states.count("spoiled") == 1
    assert len(states) == 8


def test_guardian_secrets_stay_private_and_out_of_the_record(run: Run) -> None:
    secret_hex = set()
    for i in (1, 2, 3):
        path = secret(run.base, i)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        data = json.loads(path.read_text())
        assert "key_share" in data
        secret_hex |= {*data["coefficients"], data["communication_secret"], data["key_share"]}
    assert stat.S_IMODE((run.base / "codes.json").stat().st_mode) == 0o600
    published = [*run.record.iterdir(), *run.election.iterdir()]
    assert not any(p.name.endswith(".secret.json") for p in published)
    for path in published:
        content = path.read_bytes().hex() + path.read_bytes().decode("latin-1")
        assert not any(h in content for h in secret_hex), path
    codes = set(run.codes)
    for path in run.record.iterdir():
        assert not any(code in path.read_text() for code in codes), path


def test_a_credential_not_on_the_list_is_refused(run: Run, tmp_path: Path) -> None:
    election = tmp_path / "election"
    create_election(run.base / "publics", election, voters=2, codes=tmp_path / "codes.json")
    stranger = generate_credential(SeededRandom("not issued"))
    line = refused(
        [
            "election",
            "cast",
            "--election",
            election,
            "--credential",
            stranger,
            "--style",
            "north",
            "--choices",
            json.dumps(NORTH_A),
        ]
    )
    assert "credential not on the list" in line
    mistyped = run.codes[0][:-1] + ("0" if run.codes[0][-1] != "0" else "1")
    line = refused(
        [
            "election",
            "cast",
            "--election",
            election,
            "--credential",
            mistyped,
            "--style",
            "north",
            "--choices",
            json.dumps(NORTH_A),
        ]
    )
    assert "check character" in line


def test_bad_ballots_are_refused_with_the_reason(run: Run, tmp_path: Path) -> None:
    election = tmp_path / "election"
    create_election(run.base / "publics", election, voters=1, codes=tmp_path / "codes.json")
    code = election_files.read_codes(tmp_path / "codes.json")[1][0]
    cast = ["election", "cast", "--election", election, "--credential", code]
    too_many = {**NORTH_A, "mayor": [1, 1, 0, 0]}
    assert "more than the limit" in refused(
        [*cast, "--style", "north", "--choices", json.dumps(too_many)]
    )
    assert "--choices: not JSON" in refused([*cast, "--style", "north", "--choices", "{"])
    assert "no ballot style 'east'" in refused(
        [*cast, "--style", "east", "--choices", json.dumps(NORTH_A)]
    )


def test_voting_is_closed_after_the_tally(run: Run) -> None:
    line = refused(
        [
            "election",
            "cast",
            "--election",
            run.election,
            "--credential",
            run.codes[5],
            "--style",
            "south",
            "--choices",
            json.dumps(SOUTH_A),
        ]
    )
    assert "voting is closed" in line


def test_publish_needs_threshold_guardians(run: Run, tmp_path: Path) -> None:
    line = refused(
        [
            "election",
            "publish",
            "--election",
            run.election,
            "--partials",
            run.base / "partial-1.json",
            "--out",
            tmp_path / "record",
        ]
    )
    assert "2 are needed" in line


def flip_first_digit(text: str) -> str:
    return ("1" if text[0] == "0" else "0") + text[1:]


def test_a_tampered_share_is_refused_naming_its_dealer_and_blames_no_one(
    tmp_path: Path,
) -> None:
    publics, shares = ceremony(tmp_path)
    path = shares / "share-2-to-1.json"
    document = json.loads(path.read_text())
    document["share"]["ciphertext"] = flip_first_digit(document["share"]["ciphertext"])
    path.write_bytes(canonical_bytes(document) + b"\n")
    result = receive(tmp_path, 1)
    assert result.exit_code == 2
    assert "not signed by guardian 2 (Grace)" in result.stderr
    assert "send it again" in result.stderr
    assert "guardian 3" not in result.stderr
    assert "key_share" not in json.loads(secret(tmp_path, 1).read_text())
    assert not (shares / "complaint-1-about-2.json").exists()
    assert receive(tmp_path, 3).exit_code == 0
    election = tmp_path / "election"
    create_election(publics, election, voters=1, codes=tmp_path / "codes.json")
    line = refused(
        [
            "guardian",
            "decrypt",
            "--secret",
            secret(tmp_path, 1),
            "--election",
            election,
            "--out",
            tmp_path / "p.json",
        ]
    )
    assert "holds no key share yet" in line


def deal_a_bad_share_signed_by_grace(tmp_path: Path) -> tuple[Path, Path]:
    """A ceremony in which Grace (guardian 2) signs a wrong share for guardian 1."""
    publics, shares = ceremony(tmp_path)
    params, share = files.read_share(shares / "share-2-to-1.json")
    grace = files.read_guardian_file(secret(tmp_path, 2)).secret
    ciphertext = bytes([share.ciphertext[0] ^ 1]) + share.ciphertext[1:]
    bad = sign_share(
        grace, replace(share, ciphertext=ciphertext), ceremony=params.hash, rng=SeededRandom(3)
    )
    (shares / "share-2-to-1.json").unlink()
    files.write_share(shares / "share-2-to-1.json", params, bad)
    return publics, shares


def test_a_bad_share_its_dealer_signed_is_judged_against_the_dealer(tmp_path: Path) -> None:
    """Grace signs a wrong share: the complaint convicts her, not the recipient."""
    publics, shares = deal_a_bad_share_signed_by_grace(tmp_path)
    params, _ = files.read_share(shares / "share-2-to-1.json")
    result = receive(tmp_path, 1)
    assert result.exit_code == 2
    assert "guardian 2 (Grace)" in result.stderr
    assert "complaints written" in result.stderr
    _, complaint = files.read_complaint(shares / "complaint-1-about-2.json")
    _, dealer = files.read_public(publics / "guardian-2.public.json")
    _, recipient = files.read_public(publics / "guardian-1.public.json")
    assert (
        judge_complaint(complaint, dealer=dealer, recipient=recipient, ceremony=params.hash)
        == "Grace"
    )


def test_missing_and_malformed_files_give_one_line_naming_them(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.secret.json"
    line = refused(
        ["guardian", "shares", "--secret", missing, "--publics", tmp_path, "--out", tmp_path]
    )
    assert str(missing) in line
    assert "cannot be read" in line
    broken = tmp_path / "guardian-1.secret.json"
    broken.write_text('{"format": "suffrage/guardian-secret/1"}\n')
    line = refused(
        ["guardian", "receive", "--secret", broken, "--publics", tmp_path, "--shares", tmp_path]
    )
    assert str(broken) in line
    assert "not canonical" in line
    broken.write_text('{"format":"suffrage/guardian-public/1"}\n')
    line = refused(
        ["guardian", "receive", "--secret", broken, "--publics", tmp_path, "--shares", tmp_path]
    )
    assert "expected 'suffrage/guardian-secret/1'" in line or "missing" in line
    line = refused(["election", "tally", "--election", tmp_path / "no-election"])
    assert "context.json" in line
    assert "cannot be read" in line
    bad_manifest = tmp_path / "manifest.yaml"
    bad_manifest.write_text("election_id: [unclosed\n")
    line = refused(
        [
            "guardian",
            "create",
            "--manifest",
            bad_manifest,
            "--index",
            "1",
            "--name",
            "A",
            "--guardians",
            "3",
            "--threshold",
            "2",
            "--out",
            tmp_path,
        ]
    )
    assert str(bad_manifest) in line


def test_guardian_create_refuses_bad_parameters_and_overwriting(tmp_path: Path) -> None:
    common = [
        "guardian",
        "create",
        "--manifest",
        MANIFEST,
        "--name",
        "A",
        "--guardians",
        "3",
        "--out",
        tmp_path,
    ]
    assert "threshold" in refused([*common, "--index", "1", "--threshold", "4"])
    assert "index" in refused([*common, "--index", "4", "--threshold", "2"])
    ok([*common, "--index", "1", "--threshold", "2"])
    before = (tmp_path / "guardian-1.secret.json").read_bytes()
    assert "already exists" in refused([*common, "--index", "1", "--threshold", "2"])
    assert (tmp_path / "guardian-1.secret.json").read_bytes() == before
