"""Secret files encrypted at rest under a passphrase (spec/record-format.md#sealed-files).

A guardian's secret file and the credential authority's private output (the roll and the
voter-to-credential mapping) hold what must never leak; a file mode protects them from other
users, not from a lost laptop or a copied backup. Each is sealed:

* the key is derived from the passphrase with **scrypt** (``n = 2^17``, ``r = 8``, ``p = 1``:
  128 MiB and a fraction of a second, so that guessing is slow) and a fresh 16-byte salt;
* the document (canonical JSON) is encrypted with **AES-256-GCM** under a fresh 12-byte
  nonce; the header (format, purpose, KDF parameters, salt, nonce) is the associated data,
  so that no field of the file can be changed without the decryption failing.

Both primitives come from the ``cryptography`` package. A wrong passphrase and a changed
file fail alike (the tag does not verify): the error says so and names the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidEncoding, InvalidInput
from suffrage.inputs import strict_hex
from suffrage.record.canonical import canonical_bytes, parse_canonical
from suffrage.record.fields import expect_object, hexbytes, integer, text
from suffrage.record.reading import read_document_line
from suffrage.record.writing import write_file

__all__ = [
    "MIN_PASSPHRASE",
    "SEALED_FORMAT",
    "ScryptCost",
    "check_new_passphrase",
    "read_sealed",
    "write_sealed",
]

SEALED_FORMAT = "suffrage/sealed/1"
MIN_PASSPHRASE = 12
"""The fewest characters a new passphrase may have."""


@dataclass(frozen=True, slots=True)
class ScryptCost:
    """scrypt's parameters; reading accepts ``log2 n`` from 14 to 20 only (a file cannot
    make the reader spend more than 1 GiB), writing uses :data:`DEFAULT_COST`."""

    log2_n: int = 17
    r: int = 8
    p: int = 1


DEFAULT_COST = ScryptCost()


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to protect a secret for the life of an election."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(
            "passphrase",
            f"has {len(passphrase)} characters; a new passphrase needs at least {MIN_PASSPHRASE}"
            " (a few words are easy to remember and hard to guess)",
        )


def _key(passphrase: str, salt: bytes, cost: ScryptCost) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=2**cost.log2_n, r=cost.r, p=cost.p)
    return kdf.derive(passphrase.encode("utf-8"))


def _header(purpose: str, cost: ScryptCost, salt: bytes, nonce: bytes) -> dict[str, Any]:
    return {
        "format": SEALED_FORMAT,
        "purpose": purpose,
        "kdf": {"name": "scrypt", "log2_n": cost.log2_n, "r": cost.r, "p": cost.p},
        "salt": salt.hex(),
        "aead": "aes-256-gcm",
        "nonce": nonce.hex(),
    }


def write_sealed(
    path: Path,
    document: Any,
    *,
    purpose: str,
    passphrase: str,
    rng: RandomSource,
    force: bool = False,
    cost: ScryptCost = DEFAULT_COST,
) -> None:
    """Seal ``document`` (plain JSON data) for ``purpose`` into ``path`` (mode 0600), through
    a temporary file put in place atomically; an existing file is replaced only if ``force``."""
    salt, nonce = rng.token(16), rng.token(12)
    header = _header(purpose, cost, salt, nonce)
    plain = canonical_bytes(document, field=str(path))
    sealed = AESGCM(_key(passphrase, salt, cost)).encrypt(nonce, plain, canonical_bytes(header))
    value = {**header, "ciphertext": sealed.hex()}
    write_file(path, canonical_bytes(value) + b"\n", secret=True, force=force)


def read_sealed(path: Path, *, purpose: str, passphrase: str) -> Any:
    """The document sealed in ``path`` for ``purpose``; InvalidInput naming the file if it is
    not a sealed file, is sealed for something else, or the passphrase does not open it."""
    where = str(path)
    o = expect_object(
        read_document_line(path),
        where,
        ["format", "purpose", "kdf", "salt", "aead", "nonce", "ciphertext"],
    )
    if o["format"] != SEALED_FORMAT:
        raise InvalidEncoding(f"{where}.format", f"expected {SEALED_FORMAT!r}")
    if o["purpose"] != purpose:
        raise InvalidInput(where, f"is sealed as {text(o['purpose'], where)!r}, not {purpose!r}")
    if o["aead"] != "aes-256-gcm":
        raise InvalidEncoding(f"{where}.aead", "expected 'aes-256-gcm'")
    kdf = expect_object(o["kdf"], f"{where}.kdf", ["name", "log2_n", "r", "p"])
    if kdf["name"] != "scrypt":
        raise InvalidEncoding(f"{where}.kdf.name", "expected 'scrypt'")
    cost = ScryptCost(
        log2_n=integer(kdf["log2_n"], f"{where}.kdf.log2_n", minimum=14, maximum=20),
        r=integer(kdf["r"], f"{where}.kdf.r", minimum=1, maximum=8),
        p=integer(kdf["p"], f"{where}.kdf.p", minimum=1, maximum=4),
    )
    salt = hexbytes(o["salt"], f"{where}.salt", size=16)
    nonce = hexbytes(o["nonce"], f"{where}.nonce", size=12)
    raw = o["ciphertext"]
    sealed = strict_hex(raw)
    if isinstance(sealed, str):
        raise InvalidEncoding(f"{where}.ciphertext", sealed)
    if len(sealed) < 17:
        raise InvalidEncoding(f"{where}.ciphertext", "too short to hold a sealed key")
    header = _header(purpose, cost, salt, nonce)
    try:
        plain = AESGCM(_key(passphrase, salt, cost)).decrypt(nonce, sealed, canonical_bytes(header))
    except InvalidTag:
        raise InvalidInput(
            where, "the passphrase is wrong, or the file was changed: it does not open"
        ) from None
    return parse_canonical(plain, field=where)
