"""No command loses or leaks a file: outputs are never replaced without --force, never
written through a planted link, and secrets are 0600 (issue 11)."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from .kit import (
    authority_env,
    ceremony,
    create_args,
    decrypt_args,
    invoke,
    keyed,
    ok,
    passphrase_file,
    receive,
    receive_args,
    refused,
    secret,
    write_manifest,
    write_roll,
)
from .kit import guardian_create as create_for
from .test_cli_ceremony import deal_a_bad_share_signed_by_grace, opened
from .test_cli_election import Run, run

__all__ = ["run"]  # the module-scoped election of test_cli_election, run again here


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): digest(p) for p in directory.rglob("*") if p.is_file()}


def guardian_create(out: Path, *extra: str) -> list[str | Path]:
    """Guardian 1's ``guardian create`` writing to ``out``."""
    manifest = out.parent / f"{out.name}-manifest.yaml"
    if not manifest.exists():
        write_manifest(manifest)
    args = create_for(manifest, out.parent / f"{out.name}-base", 1)
    where = args.index("--out") + 1
    return [*args[:where], out, *args[where + 1 :], *extra]


def test_a_guardian_secret_is_never_replaced_even_with_force(tmp_path: Path) -> None:
    ok(guardian_create(tmp_path))
    before = tree(tmp_path)
    for extra in ((), ("--force",)):
        line = refused(guardian_create(tmp_path, *extra))
        assert "a guardian's secret is never overwritten" in line
    assert tree(tmp_path) == before


def test_a_planted_link_never_receives_a_guardians_secret(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.write_bytes(b"")
    machine = tmp_path / "machine"
    machine.mkdir()
    (machine / "guardian-1.secret.json.partial").symlink_to(outside)
    (machine / "guardian-1.public.json").symlink_to(tmp_path / "elsewhere.json")
    line = refused(guardian_create(machine))
    assert "guardian-1.public.json" in line
    assert "symbolic link" in line
    assert not (machine / "guardian-1.secret.json").exists(), "nothing is half-written"
    (machine / "guardian-1.public.json").unlink()
    ok(guardian_create(machine))
    assert outside.read_bytes() == b""
    assert not (tmp_path / "elsewhere.json").exists()


def test_a_secret_is_0600_under_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        ok(guardian_create(tmp_path))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "guardian-1.secret.json").stat().st_mode) == 0o600


def test_shares_are_not_dealt_twice_without_force(tmp_path: Path) -> None:
    publics, shares = ceremony(tmp_path, write_manifest(tmp_path / "manifest.yaml"))
    before = tree(shares)
    deal = ["guardian", "shares", "--secret", secret(tmp_path, 1), "--publics", publics,
            "--out", shares, "--passphrase-file", passphrase_file(tmp_path, 1)]  # fmt: skip
    line = refused(deal)
    assert "share-1-to-1.json" in line
    assert "--force" in line
    assert tree(shares) == before
    ok([*deal, "--force"])
    changed = tree(shares)
    assert {n for n in changed if changed[n] != before[n]} == {
        "share-1-to-1.json", "share-1-to-2.json", "share-1-to-3.json"
    }  # fmt: skip


def test_the_authoritys_file_is_not_replaced_without_force(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "manifest.yaml")
    publics = keyed(tmp_path, manifest)
    roll, authority = write_roll(tmp_path / "roll.csv", 2), tmp_path / "authority"
    ok(create_args(manifest, publics, roll, tmp_path / "first", authority), env=authority_env())
    sealed = authority / "authority.sealed.json"
    before = digest(sealed)
    create = create_args(manifest, publics, roll, tmp_path / "second", authority)
    line = refused(create, env=authority_env())
    assert str(sealed) in line
    assert digest(sealed) == before
    assert not (tmp_path / "second" / "context.json").exists(), "nothing is half-written"
    ok([*create, "--force"], env=authority_env())
    assert digest(sealed) != before
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    line = refused([*create, "--force"], env=authority_env())
    assert "already holds an election" in line


def test_a_partial_decryption_is_not_replaced_without_force(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "partial.json"
    decrypt = [*decrypt_args(run.base, 1, run.election, out), "--yes"]
    ok(decrypt)
    before = digest(out)
    assert "--force" in refused(decrypt)
    assert digest(out) == before
    ok([*decrypt, "--force"])


def test_publish_never_replaces_without_force_nor_into_the_election(
    run: Run, tmp_path: Path
) -> None:
    partials = [
        "--partials",
        run.base / "partial-1.json",
        "--partials",
        run.base / "partial-3.json",
    ]
    election_before = tree(run.election)
    for extra in ((), ("--force",)):
        line = refused(["election", "publish", "--election", run.election, *partials,
                        "--out", run.election, *extra])  # fmt: skip
        assert "holds an election" in line
    assert tree(run.election) == election_before
    record = tmp_path / "record"
    publish = ["election", "publish", "--election", run.election, *partials, "--out", record]
    ok(publish)
    before = tree(record)
    assert "--force" in refused(publish)
    assert tree(record) == before
    ok([*publish, "--force"])
    assert tree(record) == before, "the same inputs publish the same record"


def test_a_chart_is_not_replaced_without_force(tmp_path: Path) -> None:
    totals = tmp_path / "votes.csv"
    totals.write_text("name,votes\nA,10\nB,7\n")
    chart = tmp_path / "chart.svg"
    chart.write_text("mine")
    result = invoke(["count", "--method", "plurality", totals, "--chart", chart])
    assert result.exit_code == 2
    assert "--force" in result.stderr
    assert chart.read_text() == "mine"
    result = invoke(["count", "--method", "plurality", totals, "--chart", chart, "--force"])
    assert result.exit_code == 0, result.output
    assert chart.read_text().startswith("<svg")


@pytest.mark.parametrize("force", [False, True])
def test_demo_refuses_an_existing_record_before_it_runs(tmp_path: Path, force: bool) -> None:
    out = tmp_path / "record"
    out.mkdir()
    (out / "results.json").write_text("mine")
    args = ["demo", "--voters", "2", "--seed", "1", "--out", out]
    if force:
        ok([*args, "--force"])
        assert (out / "results.json").read_text() != "mine"
    else:
        assert "--force" in refused(args)
        assert (out / "results.json").read_text() == "mine"
        assert sorted(p.name for p in out.iterdir()) == ["results.json"]


def test_a_stored_key_share_is_not_replaced_without_force(tmp_path: Path) -> None:
    ceremony(tmp_path, write_manifest(tmp_path / "manifest.yaml"))
    assert receive(tmp_path, 2).exit_code == 0
    assert stat.S_IMODE(secret(tmp_path, 2).stat().st_mode) == 0o600
    before, share = digest(secret(tmp_path, 2)), opened(tmp_path, 2).key_share
    line = refused(receive_args(tmp_path, 2))
    assert str(secret(tmp_path, 2)) in line
    assert "already holds a key share" in line
    assert "--force" in line
    assert digest(secret(tmp_path, 2)) == before
    ok([*receive_args(tmp_path, 2), "--force"])
    assert digest(secret(tmp_path, 2)) != before, "sealed again, under a fresh salt"
    assert opened(tmp_path, 2).key_share == share, "the same shares give the same key share"
    assert stat.S_IMODE(secret(tmp_path, 2).stat().st_mode) == 0o600


def test_a_complaint_is_not_replaced_without_force(tmp_path: Path) -> None:
    _, shares = deal_a_bad_share_signed_by_grace(tmp_path)
    complaint = shares / "complaint-1-about-2.json"
    assert receive(tmp_path, 1).exit_code == 2
    before = digest(complaint)
    line = refused(receive_args(tmp_path, 1))
    assert str(complaint) in line
    assert "--force" in line
    assert digest(complaint) == before
    result = invoke([*receive_args(tmp_path, 1), "--force"])
    assert result.exit_code == 2
    assert "complaints written" in result.stderr
    assert digest(complaint) != before, "a fresh complaint, with a fresh proof"


def test_the_tally_is_never_replaced(run: Run) -> None:
    before = digest(run.election / "tally.json")
    line = refused(["election", "tally", "--election", run.election, "--close-early"])
    assert "computing the tally is not a step of an election in state 'published'" in line
    assert digest(run.election / "tally.json") == before
