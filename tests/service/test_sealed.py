"""Sealed files: a secret opens only with its passphrase and only as it was written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from suffrage.core import SeededRandom
from suffrage.errors import InvalidInput
from suffrage.record.canonical import canonical_bytes
from suffrage.service.sealed import ScryptCost, check_new_passphrase, read_sealed, write_sealed

PASSPHRASE = "a long enough passphrase"
CHEAP = ScryptCost(log2_n=14)
DOCUMENT = {"coefficients": ["00" * 32], "name": "Ada"}


@pytest.fixture
def sealed(tmp_path: Path) -> Path:
    path = tmp_path / "secret.json"
    write_sealed(path, DOCUMENT, purpose="guardian-secret", passphrase=PASSPHRASE,
                 rng=SeededRandom(1), cost=CHEAP)  # fmt: skip
    return path


def test_a_sealed_file_opens_with_its_passphrase_only(sealed: Path) -> None:
    assert read_sealed(sealed, purpose="guardian-secret", passphrase=PASSPHRASE) == DOCUMENT
    assert "Ada" not in sealed.read_text()
    assert sealed.stat().st_mode & 0o777 == 0o600
    with pytest.raises(InvalidInput, match="the passphrase is wrong, or the file was changed"):
        read_sealed(sealed, purpose="guardian-secret", passphrase=PASSPHRASE + "!")


def test_a_file_sealed_for_something_else_is_refused(sealed: Path) -> None:
    with pytest.raises(InvalidInput, match="is sealed as 'guardian-secret'"):
        read_sealed(sealed, purpose="credential-authority", passphrase=PASSPHRASE)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("purpose", "credential-authority", "is sealed as"),
        ("salt", "00" * 16, "the passphrase is wrong, or the file was changed"),
        ("nonce", "00" * 12, "the passphrase is wrong, or the file was changed"),
        ("kdf", {"name": "scrypt", "log2_n": 15, "r": 8, "p": 1}, "the passphrase is wrong"),
        ("kdf", {"name": "scrypt", "log2_n": 30, "r": 8, "p": 1}, "outside 14..20"),
        ("kdf", {"name": "argon2", "log2_n": 14, "r": 8, "p": 1}, "expected 'scrypt'"),
        ("ciphertext", "00", "too short to hold a sealed key"),
        ("ciphertext", "AB" * 40, "lowercase hexadecimal digits only"),
        ("ciphertext", "ab " * 40, "lowercase hexadecimal digits only"),
        ("aead", "none", "expected 'aes-256-gcm'"),
    ],
)
def test_a_changed_field_is_refused(sealed: Path, field: str, value: object, words: str) -> None:
    document = json.loads(sealed.read_text())
    document[field] = value
    sealed.write_bytes(canonical_bytes(document) + b"\n")
    with pytest.raises(InvalidInput, match=words):
        read_sealed(sealed, purpose="guardian-secret", passphrase=PASSPHRASE)


def test_a_plaintext_secret_file_is_not_taken_for_a_sealed_one(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text('{"format":"suffrage/guardian-secret/1"}\n')
    with pytest.raises(InvalidInput, match=r"missing|expected"):
        read_sealed(path, purpose="guardian-secret", passphrase=PASSPHRASE)


def test_a_short_new_passphrase_is_refused() -> None:
    with pytest.raises(InvalidInput, match="at least 12"):
        check_new_passphrase("too short")
    check_new_passphrase("twelve chars")
