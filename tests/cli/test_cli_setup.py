"""Setting up an election without reading the code (issue 12): the starter manifest, every
manifest and roll problem at once, the voting window, reissuing a lost credential, deleting
the roll afterwards, errors that name the next step, and the help."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.main import get_command

from suffrage.cli.main import app

from .kit import (
    authority_env,
    choices_for,
    create_args,
    decrypt_args,
    guardian_create,
    invoke,
    keyed,
    mailmerge,
    ok,
    refused,
    voter_id,
    write_manifest,
    write_roll,
)

NOW = datetime.now(UTC)


def problems(args: list[str | Path], **kwargs: object) -> list[str]:
    """The problems listed by a command refused for several of them at once."""
    result = invoke(args, **kwargs)  # type: ignore[arg-type]
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert re.fullmatch(r"error: \d+ problems:", lines[0]), result.stderr
    assert int(lines[0].split()[1]) == len(lines) - 1
    return [line.strip() for line in lines[1:]]


# --- the manifest ----------------------------------------------------------------------------


def test_init_writes_a_commented_manifest_that_validates_as_written(tmp_path: Path) -> None:
    path = tmp_path / "city-2027.yaml"
    result = ok(["election", "init", path])
    assert "check-manifest" in result.output
    text = path.read_text("utf-8")
    assert text.count("\n#") >= 5, "annotated"
    assert "spec/record-format.md#manifest" in text
    checked = ok(["election", "check-manifest", path]).output
    assert "a valid manifest: election city-2027-" in checked
    assert "north (3 contests), south (3 contests)" in checked
    assert "--force" in refused(["election", "init", path])
    assert path.read_text("utf-8") == text


def test_every_manifest_problem_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    path = write_manifest(tmp_path / "manifest.yaml")
    text = path.read_text("utf-8")
    text = text.replace("votes_allowed: 1", "votes_allowed: 7", 1)
    text = text.replace("method: dhondt", "method: dhont", 1)
    text = text.replace("  fr: Élection municipale\n", "", 1)
    path.write_text(text, "utf-8")
    found = problems(["election", "check-manifest", path])
    assert len(found) == 3
    lines = text.splitlines()
    method_line = next(i for i, line in enumerate(lines, 1) if "method: dhont" in line)
    assert any(
        "contests[2].method" in p and f"(line {method_line}, column 13)" in p and "dhont" in p
        for p in found
    ), found
    assert any("title" in p and "'fr'" in p for p in found), found
    assert any("votes_allowed" in p for p in found), found
    assert all(p.startswith(str(path)) for p in found)


def test_a_yaml_syntax_error_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text("spec_version: suffrage/manifest/1\ntitle: {en: [unclosed\n")
    line = refused(["election", "check-manifest", path])
    assert str(path) in line
    assert "not YAML" in line
    assert re.search(r"line \d+, column \d+", line)


def test_a_missing_manifest_says_how_to_start_one(tmp_path: Path) -> None:
    line = refused(["election", "check-manifest", tmp_path / "nowhere.yaml"])
    assert "election init" in line


# --- the roll --------------------------------------------------------------------------------


def test_a_bad_roll_is_refused_whole_with_every_line_named(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "manifest.yaml")
    publics = keyed(tmp_path, manifest)
    roll = tmp_path / "roll.csv"
    roll.write_text(
        "voter_id,ballot_style,language\n"
        "V-1,north,en\n"
        "V-2,east,fr\n"
        "V-1,south,\n"
        "V-4,south\n"
        "V-5,north,de\n"
        ",north,en\n",
        encoding="utf-8",
    )
    election, authority = tmp_path / "election", tmp_path / "authority"
    found = problems(create_args(manifest, publics, roll, election, authority),
                     env=authority_env())  # fmt: skip
    assert found == [
        f"{roll}: line 3: ballot style 'east' is not in the manifest (its styles: north, south)",
        f"{roll}: line 4: voter id 'V-1' is already on line 2",
        f"{roll}: line 5: 2 fields where the header has 3",
        f"{roll}: line 6: language 'de' is not one the letters can be written in for this "
        "election (en, fr)",
        f"{roll}: line 7: the voter id must be 1 to 64 characters",
    ]
    assert not election.exists(), "nothing is half-written"
    assert not authority.exists(), "nothing is half-written"
    roll.write_text("voter_id,ballot_style,emial\nV-1,north,a@b\n", encoding="utf-8")
    line = refused(create_args(manifest, publics, roll, election, authority),
                   env=authority_env())  # fmt: skip
    assert "line 1: unknown column 'emial'" in line


def test_a_changed_manifest_says_the_ceremony_must_be_redone(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "manifest.yaml")
    publics = keyed(tmp_path, manifest)
    manifest.write_text(manifest.read_text("utf-8").replace("Li Wei", "Li Wen"), "utf-8")
    line = refused(
        create_args(
            manifest,
            publics,
            write_roll(tmp_path / "roll.csv", 2),
            tmp_path / "election",
            tmp_path / "authority",
        ),
        env=authority_env(),
    )
    assert "the guardians' keys were made for another manifest" in line
    assert "needs a new ceremony" in line
    assert "every key binds the exact manifest" in line


# --- the voting window, reissuing, forgetting ----------------------------------------------


def set_up(
    tmp_path: Path, start: datetime, end: datetime, *, open_voting: bool = True
) -> tuple[Path, Path, dict[str, str]]:
    manifest = write_manifest(tmp_path / "manifest.yaml", start=start, end=end)
    publics = keyed(tmp_path, manifest)
    roll = write_roll(tmp_path / "roll.csv", 4)
    election, authority = tmp_path / "election", tmp_path / "authority"
    ok(create_args(manifest, publics, roll, election, authority), env=authority_env())
    ok(["election", "letters", "--election", election, "--authority", authority,
        "--out", tmp_path / "letters"], env=authority_env())  # fmt: skip
    codes = {r["voter_id"]: r["credential_code"] for r in mailmerge(tmp_path / "letters")}
    if open_voting:
        ok(["election", "open", "--election", election])
    return election, authority, codes


def cast_args(election: Path, code: str, style: str = "north") -> list[str | Path]:
    return ["election", "cast", "--election", election, "--credential", code,
            "--choices", json.dumps(choices_for(style, 1))]  # fmt: skip


def test_before_voting_opens_a_lost_credential_is_reissued(tmp_path: Path) -> None:
    start = NOW + timedelta(days=2)
    election, authority, codes = set_up(
        tmp_path, start, start + timedelta(hours=12), open_voting=False
    )
    old = codes[voter_id(0)]
    line = refused(cast_args(election, old))
    assert f"voting has not opened yet: it opens at {start:%Y-%m-%dT%H:%M:%S}" in line
    before = json.loads((election / "context.json").read_text())
    result = ok(["election", "reissue", "--election", election, "--authority", authority,
                 "--voter", voter_id(0)], env=authority_env())  # fmt: skip
    assert "--voter V-0001" in result.output
    after = json.loads((election / "context.json").read_text())
    assert after["base_hash"] != before["base_hash"]
    changed = {c["key"] for c in before["credentials"]} ^ {c["key"] for c in after["credentials"]}
    assert len(changed) == 2, "one key revoked, one issued"
    assert sorted(c["style_id"] for c in after["credentials"]) == sorted(
        c["style_id"] for c in before["credentials"]
    )
    out = tmp_path / "reissued"
    ok(["election", "letters", "--election", election, "--authority", authority,
        "--voter", voter_id(0), "--out", out], env=authority_env())  # fmt: skip
    new = mailmerge(out)[0]["credential_code"]
    assert new != old
    assert "not on the election's credential list" in refused(cast_args(election, old))
    assert "voting has not opened yet" in refused(cast_args(election, new))
    line = refused(["election", "reissue", "--election", election, "--authority", authority,
                    "--voter", "V-9999"], env=authority_env())  # fmt: skip
    assert "'V-9999' is not on the roll" in line


def test_after_voting_closed_no_ballot_is_taken_and_nothing_reissued(tmp_path: Path) -> None:
    end = NOW - timedelta(days=300)
    election, authority, codes = set_up(tmp_path, end - timedelta(hours=12), end)
    line = refused(cast_args(election, codes[voter_id(0)]))
    assert f"voting is closed: it closed at {end:%Y-%m-%dT%H:%M:%S}" in line
    line = refused(["election", "reissue", "--election", election, "--authority", authority,
                    "--voter", voter_id(0)], env=authority_env())  # fmt: skip
    assert "the credential list is final once voting opens" in line
    result = ok(["election", "tally", "--election", election])
    assert "closed early" not in result.output


def test_closing_before_the_end_needs_close_early(tmp_path: Path) -> None:
    election, authority, codes = set_up(tmp_path, NOW - timedelta(hours=1), NOW + timedelta(days=1))
    ok(cast_args(election, codes[voter_id(0)]))
    ok(cast_args(election, codes[voter_id(1)], "south"))
    line = refused(["election", "tally", "--election", election])
    assert "voting is open until" in line
    assert "--close-early" in line
    assert not (election / "tally.json").exists()
    line = refused(["election", "forget", "--election", election, "--authority", authority,
                    "--yes"])  # fmt: skip
    assert "voting is not closed" in line
    assert (authority / "authority.sealed.json").exists()
    assert "closed early" in ok(["election", "tally", "--election", election,
                                 "--close-early"]).output  # fmt: skip
    result = invoke(["election", "forget", "--election", election, "--authority", authority,
                     "--letters", tmp_path / "letters"], input="n\n")  # fmt: skip
    assert result.exit_code == 1
    assert (authority / "authority.sealed.json").exists()
    result = ok(["election", "forget", "--election", election, "--authority", authority,
                 "--letters", tmp_path / "letters", "--yes"])  # fmt: skip
    assert "deleted 10 files" in result.output  # the sealed file, 4 x (HTML, PDF), mailmerge
    assert not (authority / "authority.sealed.json").exists()
    assert not any((tmp_path / "letters").iterdir())
    line = refused(["election", "letters", "--election", election, "--authority", authority,
                    "--out", tmp_path / "again"], env=authority_env())  # fmt: skip
    assert "election forget" in line


# --- errors that name the next step ----------------------------------------------------------


def test_a_step_out_of_order_names_the_step_to_run(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "manifest.yaml")
    ok(guardian_create(manifest, tmp_path, 1))
    publics = tmp_path / "publics"
    publics.mkdir()
    line = refused(create_args(manifest, publics, write_roll(tmp_path / "roll.csv", 2),
                               tmp_path / "election", tmp_path / "authority"),
                   env=authority_env())  # fmt: skip
    assert "guardian create" in line
    line = refused(["election", "tally", "--election", tmp_path / "no-election"])
    assert "election create" in line
    election, _, codes = set_up(tmp_path / "open", NOW - timedelta(hours=1),
                                NOW + timedelta(days=1))  # fmt: skip
    line = refused([*decrypt_args(tmp_path / "open", 1, election, tmp_path / "p.json"), "--yes"])
    assert "run `suffrage election tally --election" in line
    line = refused(["election", "publish", "--election", election, "--partials",
                    tmp_path / "p.json", "--out", tmp_path / "record"])  # fmt: skip
    assert "election tally" in line
    ok(["election", "tally", "--election", election, "--close-early"])
    line = refused(["election", "publish", "--election", election, "--partials",
                    tmp_path / "p.json", "--out", tmp_path / "record"])  # fmt: skip
    assert "guardian decrypt" in line
    line = refused(["election", "cast", "--election", tmp_path / "nowhere", "--credential",
                    codes[voter_id(0)], "--choices", "{}"])  # fmt: skip
    assert "election create" in line
    assert codes


def test_receiving_before_every_share_is_dealt_says_who_must_deal(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "manifest.yaml")
    from .kit import ceremony, receive

    _, shares = ceremony(tmp_path, manifest)
    (shares / "share-2-to-1.json").unlink()
    result = receive(tmp_path, 1)
    assert result.exit_code == 2
    assert "guardian 2 (Grace) has not sent its share for guardian 1" in result.stderr
    assert "guardian shares" in result.stderr


# --- help ------------------------------------------------------------------------------------


def commands(group: typer.Typer = app) -> list[list[str]]:
    """Every command's path, e.g. ``["election", "create"]``."""
    root = get_command(group)
    found: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])
        else:
            found.append(path)

    walk(root, [])
    return found


def test_version() -> None:
    result = ok(["--version"])
    assert re.fullmatch(
        r"suffrage \d+\.\d+\.\d+\S* \(manifest suffrage/manifest/1\)\n", result.output
    )


@pytest.mark.parametrize("path", commands(), ids=" ".join)
def test_every_help_has_an_example_and_no_type_tags(path: list[str]) -> None:
    text = invoke([*path, "--help"], env={"COLUMNS": "100"}).output
    assert "Example: suffrage " + " ".join(path) in " ".join(text.replace("│", " ").split())
    assert not re.search(r"<(path|bool|int|text|str|float|list)", text), text


def test_the_specification_is_installed_where_the_messages_point(tmp_path: Path) -> None:
    listing = ok(["spec"]).output
    for name in ("protocol", "record-format", "counting", "manifest-schema"):
        path = Path(ok(["spec", name]).output.strip())
        assert path.is_file(), path
        assert name in listing
    assert "V18" in ok(["spec", "protocol", "--show"]).output
    assert tmp_path.exists()


def test_the_readme_references_exist() -> None:
    """Every file the README names exists; a folder the test suite fills (ignored by git,
    so absent from a fresh clone until the tests that write it have run, in any order)
    must at least be one git ignores."""
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text("utf-8")
    ignored = (root / ".gitignore").read_text("utf-8").splitlines()
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", readme):
        made_by_tests = target.endswith("/") and target in ignored
        assert made_by_tests or (root / target).exists(), target
    for name in re.findall(r"`((?:spec|src|tests|bench|native)/[\w./-]+)`", readme):
        made_by_tests = name.endswith("/") and name in ignored
        assert made_by_tests or (root / name.split("#")[0]).exists(), name
    for name in re.findall(r"\b([A-Z]+\.md)\b", readme):
        assert (root / name).exists(), name


def test_mailmerge_lists_every_voter_once(tmp_path: Path) -> None:
    election, _, codes = set_up(tmp_path, NOW - timedelta(hours=1), NOW + timedelta(days=1))
    with (tmp_path / "letters" / "mailmerge.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["voter_id"] for r in rows] == [voter_id(n) for n in range(4)]
    assert [r["language"] for r in rows] == ["en", "fr", "en", "en"]
    assert rows[0]["address"] == "1 Market Street\nOld Town"
    assert len(set(codes.values())) == 4
    assert election.exists()
