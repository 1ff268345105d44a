"""The key ceremony's files, for guardians on separate machines (and the file helpers).

Every file is one canonical JSON document (RFC 8785) and a newline, with a ``format`` tag;
reading is strict (:mod:`suffrage.record.codec`), and every error names the file and field.

::

    guardian-I.secret.json   a guardian's own secret, sealed under its passphrase (mode
                             0600): polynomial coefficients, communication secret and, after
                             the exchange, its key share; never copied into the election or
                             the record
    guardian-I.public.json   what guardian I publishes (commitments, proofs, communication key)
    share-D-to-R.json        dealer D's share for guardian R, encrypted to R, signed by D
    complaint-R-about-D.json R's public complaint about D's share (spec/protocol.md#10.4)

The election directory's files are in :mod:`suffrage.service.election_files`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suffrage.core.group import Scalar
from suffrage.core.polynomial import Polynomial
from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidEncoding
from suffrage.protocol.key_ceremony import (
    MAX_GUARDIANS,
    Complaint,
    EncryptedShare,
    GuardianPublic,
    GuardianSecret,
    ceremony_hash,
)
from suffrage.record import codec
from suffrage.record.canonical import canonical_bytes
from suffrage.record.fields import element, expect_object, hexbytes, integer, items, scalar, text
from suffrage.record.reading import read_document_line
from suffrage.record.writing import write_file
from suffrage.service.sealed import read_sealed, write_sealed

__all__ = [
    "Ceremony",
    "GuardianFile",
    "complaint_path",
    "hex_of",
    "public_path",
    "read_complaint",
    "read_document",
    "read_guardian_file",
    "read_public",
    "read_share",
    "secret_path",
    "share_path",
    "write_complaint",
    "write_document",
    "write_guardian_file",
    "write_public",
    "write_share",
]

SECRET_FORMAT = "suffrage/guardian-secret/1"  # noqa: S105 (a format tag, not a password)
PUBLIC_FORMAT = "suffrage/guardian-public/1"
SHARE_FORMAT = "suffrage/guardian-share/2"
COMPLAINT_FORMAT = "suffrage/share-complaint/2"


def secret_path(directory: Path, index: int) -> Path:
    return directory / f"guardian-{index}.secret.json"


def public_path(directory: Path, index: int) -> Path:
    return directory / f"guardian-{index}.public.json"


def share_path(directory: Path, dealer: int, recipient: int) -> Path:
    return directory / f"share-{dealer}-to-{recipient}.json"


def complaint_path(directory: Path, recipient: int, dealer: int) -> Path:
    return directory / f"complaint-{recipient}-about-{dealer}.json"


# --- bytes on disk -------------------------------------------------------------------------


def write_document(path: Path, value: Any, *, secret: bool = False, force: bool = False) -> None:
    """Write canonical JSON atomically, never over an existing file unless ``force``, never
    through a link; a secret file is created with mode 0600 (:mod:`suffrage.record.writing`)."""
    write_file(path, canonical_bytes(value, field=str(path)) + b"\n", secret=secret, force=force)


def read_document(
    path: Path, fmt: str, keys: list[str], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Read one file: canonical JSON, an object with ``format`` equal to ``fmt``."""
    where = str(path)
    o = expect_object(read_document_line(path), where, ["format", *keys], optional)
    if o["format"] != fmt:
        raise InvalidEncoding(f"{where}.format", f"expected {fmt!r}, got {o['format']!r}")
    return o


def hex_of(x: Any) -> str:
    return str(x.to_bytes().hex())


# --- the key ceremony ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Ceremony:
    """The parameters every guardian of one ceremony shares: manifest, ``n`` and ``k``."""

    manifest_hash: bytes
    guardians: int
    threshold: int

    @property
    def hash(self) -> bytes:
        return ceremony_hash(
            manifest_hash=self.manifest_hash, guardians=self.guardians, threshold=self.threshold
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "manifest_hash": self.manifest_hash.hex(),
            "guardians": self.guardians,
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, o: dict[str, Any], where: str) -> Ceremony:
        n = integer(o["guardians"], f"{where}.guardians", minimum=1, maximum=MAX_GUARDIANS)
        return cls(
            manifest_hash=hexbytes(o["manifest_hash"], f"{where}.manifest_hash", size=64),
            guardians=n,
            threshold=integer(o["threshold"], f"{where}.threshold", minimum=1, maximum=n),
        )


_CEREMONY_KEYS = ["manifest_hash", "guardians", "threshold"]


@dataclass(frozen=True, slots=True, kw_only=True)
class GuardianFile:
    """A guardian's secret file: its secret and, once the shares are in, its key share."""

    ceremony: Ceremony
    secret: GuardianSecret
    key_share: Scalar | None = None

    def __repr__(self) -> str:
        return f"GuardianFile(index={self.secret.index}, <secret>)"


GUARDIAN_PURPOSE = "guardian-secret"


def write_guardian_file(
    path: Path,
    guardian: GuardianFile,
    *,
    passphrase: str,
    rng: RandomSource,
    update: bool = False,
) -> None:
    """A guardian's secret file, sealed under ``passphrase`` (:mod:`suffrage.service.sealed`,
    mode 0600); ``update`` replaces the guardian's own file in place (to add its key share),
    atomically, and never through a link."""
    s = guardian.secret
    value: dict[str, Any] = {
        "format": SECRET_FORMAT,
        **guardian.ceremony.to_json(),
        "index": s.index,
        "name": s.name,
        "coefficients": [hex_of(a) for a in s.polynomial.coefficients],
        "communication_secret": hex_of(s.communication_secret),
        "public": codec.guardian_to_json(s.public),
    }
    if guardian.key_share is not None:
        value["key_share"] = hex_of(guardian.key_share)
    write_sealed(
        path, value, purpose=GUARDIAN_PURPOSE, passphrase=passphrase, rng=rng, force=update
    )


def read_guardian_file(path: Path, *, passphrase: str) -> GuardianFile:
    """Open a sealed secret file; the coefficients must match the published commitments."""
    w = str(path)
    document = read_sealed(path, purpose=GUARDIAN_PURPOSE, passphrase=passphrase)
    o = expect_object(
        document,
        w,
        [
            "format",
            *_CEREMONY_KEYS,
            "index",
            "name",
            "coefficients",
            "communication_secret",
            "public",
        ],
        ("key_share",),
    )
    if o["format"] != SECRET_FORMAT:
        raise InvalidEncoding(f"{w}.format", f"expected {SECRET_FORMAT!r}")
    public = codec.guardian_from_json(o["public"], f"{w}.public")
    poly = Polynomial(coefficients=items(o["coefficients"], f"{w}.coefficients", scalar))
    secret = GuardianSecret(
        index=integer(o["index"], f"{w}.index", minimum=1),
        name=text(o["name"], f"{w}.name"),
        polynomial=poly,
        communication_secret=scalar(o["communication_secret"], f"{w}.communication_secret"),
        public=public,
    )
    if (
        poly.commitments() != public.commitments
        or secret.index != public.index
        or secret.name != public.name
    ):
        raise InvalidEncoding(f"{w}.public", "does not match the secret polynomial")
    share = scalar(o["key_share"], f"{w}.key_share") if "key_share" in o else None
    return GuardianFile(ceremony=Ceremony.from_json(o, w), secret=secret, key_share=share)


def write_public(
    path: Path, ceremony: Ceremony, guardian: GuardianPublic, *, force: bool = False
) -> None:
    write_document(
        path,
        {
            "format": PUBLIC_FORMAT,
            **ceremony.to_json(),
            "guardian": codec.guardian_to_json(guardian),
        },
        force=force,
    )


def read_public(path: Path) -> tuple[Ceremony, GuardianPublic]:
    o = read_document(path, PUBLIC_FORMAT, [*_CEREMONY_KEYS, "guardian"])
    return (
        Ceremony.from_json(o, str(path)),
        codec.guardian_from_json(o["guardian"], f"{path}.guardian"),
    )


def _share_to_json(share: EncryptedShare) -> dict[str, Any]:
    return {
        "dealer": share.dealer,
        "recipient": share.recipient,
        "ephemeral": hex_of(share.ephemeral),
        "ciphertext": share.ciphertext.hex(),
        "mac": share.mac.hex(),
        "signature": codec.schnorr_to_json(share.signature),
    }


def _share_from_json(v: Any, w: str) -> EncryptedShare:
    o = expect_object(v, w, ["dealer", "recipient", "ephemeral", "ciphertext", "mac", "signature"])
    return EncryptedShare(
        dealer=integer(o["dealer"], f"{w}.dealer", minimum=1, maximum=MAX_GUARDIANS),
        recipient=integer(o["recipient"], f"{w}.recipient", minimum=1, maximum=MAX_GUARDIANS),
        ephemeral=element(o["ephemeral"], f"{w}.ephemeral"),
        ciphertext=hexbytes(o["ciphertext"], f"{w}.ciphertext", size=32),
        mac=hexbytes(o["mac"], f"{w}.mac", size=32),
        signature=codec.schnorr_from_json(o["signature"], f"{w}.signature"),
    )


def write_share(
    path: Path, ceremony: Ceremony, share: EncryptedShare, *, force: bool = False
) -> None:
    write_document(
        path,
        {"format": SHARE_FORMAT, **ceremony.to_json(), "share": _share_to_json(share)},
        force=force,
    )


def read_share(path: Path) -> tuple[Ceremony, EncryptedShare]:
    o = read_document(path, SHARE_FORMAT, [*_CEREMONY_KEYS, "share"])
    return Ceremony.from_json(o, str(path)), _share_from_json(o["share"], f"{path}.share")


def write_complaint(
    path: Path, ceremony: Ceremony, complaint: Complaint, *, force: bool = False
) -> None:
    write_document(
        path,
        {
            "format": COMPLAINT_FORMAT,
            **ceremony.to_json(),
            "share": _share_to_json(complaint.share),
            "shared_secret": hex_of(complaint.shared_secret),
            "proof": codec.cp_to_json(complaint.proof),
        },
        force=force,
    )


def read_complaint(path: Path) -> tuple[Ceremony, Complaint]:
    """A published complaint, for anyone to judge with ``judge_complaint``."""
    o = read_document(path, COMPLAINT_FORMAT, [*_CEREMONY_KEYS, "share", "shared_secret", "proof"])
    w = str(path)
    return Ceremony.from_json(o, w), Complaint(
        share=_share_from_json(o["share"], f"{w}.share"),
        shared_secret=element(o["shared_secret"], f"{w}.shared_secret"),
        proof=codec.cp_from_json(o["proof"], f"{w}.proof"),
    )
