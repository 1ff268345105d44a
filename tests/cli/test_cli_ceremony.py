"""The key ceremony through the CLI: shares tampered on their way, shares their dealer got
wrong, broken and missing files, bad parameters."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from suffrage.core.randomness import SeededRandom
from suffrage.protocol.key_ceremony import judge_complaint, sign_share
from suffrage.record.canonical import canonical_bytes
from suffrage.service import ceremony_files as files

from .kit import (
    authority_env,
    ceremony,
    create_args,
    decrypt_args,
    guardian_create,
    ok,
    passphrase_file,
    receive,
    refused,
    secret,
    write_manifest,
    write_roll,
)


def flip_first_digit(text: str) -> str:
    return ("1" if text[0] == "0" else "0") + text[1:]


def opened(base: Path, index: int) -> files.GuardianFile:
    """Guardian ``index``'s secret file, opened with its passphrase."""
    phrase = passphrase_file(base, index).read_text().splitlines()[0]
    return files.read_guardian_file(secret(base, index), passphrase=phrase)


def test_a_tampered_share_is_refused_naming_its_dealer_and_blames_no_one(
    tmp_path: Path,
) -> None:
    manifest = write_manifest(tmp_path / "manifest.yaml")
    publics, shares = ceremony(tmp_path, manifest)
    path = shares / "share-2-to-1.json"
    document = json.loads(path.read_text())
    document["share"]["ciphertext"] = flip_first_digit(document["share"]["ciphertext"])
    path.write_bytes(canonical_bytes(document) + b"\n")
    result = receive(tmp_path, 1)
    assert result.exit_code == 2
    assert "not signed by guardian 2 (Grace)" in result.stderr
    assert "send it again" in result.stderr
    assert "guardian 3" not in result.stderr
    assert opened(tmp_path, 1).key_share is None
    assert not (shares / "complaint-1-about-2.json").exists()
    assert receive(tmp_path, 3).exit_code == 0
    election = tmp_path / "election"
    ok(create_args(manifest, publics, write_roll(tmp_path / "roll.csv", 2), election,
                   tmp_path / "authority"), env=authority_env())  # fmt: skip
    ok(["election", "open", "--election", election])
    ok(["election", "tally", "--election", election, "--close-early"])
    line = refused([*decrypt_args(tmp_path, 1, election, tmp_path / "p.json"), "--yes"])
    assert "holds no key share yet: run `suffrage guardian receive` first" in line


def deal_a_bad_share_signed_by_grace(tmp_path: Path) -> tuple[Path, Path]:
    """A ceremony in which Grace (guardian 2) signs a wrong share for guardian 1."""
    publics, shares = ceremony(tmp_path, write_manifest(tmp_path / "manifest.yaml"))
    params, share = files.read_share(shares / "share-2-to-1.json")
    grace = opened(tmp_path, 2).secret
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
    phrase = ["--passphrase-file", passphrase_file(tmp_path, 1)]
    missing = tmp_path / "nowhere.secret.json"
    line = refused(["guardian", "shares", "--secret", missing, "--publics", tmp_path,
                    "--out", tmp_path, *phrase])  # fmt: skip
    assert str(missing) in line
    assert "guardian create" in line
    broken = tmp_path / "guardian-1.secret.json"
    broken.write_text('{"format": "suffrage/guardian-secret/1"}\n')
    line = refused(["guardian", "receive", "--secret", broken, "--publics", tmp_path,
                    "--shares", tmp_path, *phrase])  # fmt: skip
    assert str(broken) in line
    assert "not canonical" in line
    broken.write_text('{"format":"suffrage/guardian-public/1"}\n')
    line = refused(["guardian", "receive", "--secret", broken, "--publics", tmp_path,
                    "--shares", tmp_path, *phrase])  # fmt: skip
    assert "missing" in line or "expected" in line
    line = refused(["election", "tally", "--election", tmp_path / "no-election"])
    assert "is not an election directory" in line
    bad_manifest = tmp_path / "manifest.yaml"
    bad_manifest.write_text("election_id: [unclosed\n")
    line = refused(guardian_create(bad_manifest, tmp_path, 1))
    assert str(bad_manifest) in line


def test_guardian_create_refuses_bad_parameters_weak_passphrases_and_overwriting(
    tmp_path: Path,
) -> None:
    manifest = write_manifest(tmp_path / "manifest.yaml")
    args = guardian_create(manifest, tmp_path, 1)
    threshold = args.index("--threshold") + 1
    assert "threshold" in refused([*args[:threshold], "4", *args[threshold + 1 :]])
    index = args.index("--index") + 1
    assert "index" in refused([*args[:index], "4", *args[index + 1 :]])
    weak = tmp_path / "weak.txt"
    weak.write_text("secret\n")
    line = refused([*args[:-2], "--passphrase-file", weak])
    assert "a new passphrase needs at least 12" in line
    assert not secret(tmp_path, 1).exists()
    ok(args)
    before = secret(tmp_path, 1).read_bytes()
    assert "already exists" in refused(args)
    assert secret(tmp_path, 1).read_bytes() == before
