"""The credential authority's private output: the roll and who holds which credential.

One file, ``AUTHORITY/authority.sealed.json``, sealed under the authority's passphrase
(:mod:`suffrage.service.sealed`): the election id, every voter of the roll with their
current credential code, and the credential keys revoked so far. It is personal data and
the one link between voters and credentials: it never goes into the election directory,
the board or the record, and ``suffrage election forget`` deletes it after the election.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidEncoding, InvalidInput
from suffrage.protocol.credentials import Credential, CredentialKey
from suffrage.record.fields import expect_object, items, text
from suffrage.service.roll import Voter, voter_from_json, voter_to_json
from suffrage.service.sealed import read_sealed, write_sealed

__all__ = ["AUTHORITY_FILE", "AuthorityFile", "read_authority", "write_authority"]

AUTHORITY_FILE = "authority.sealed.json"
AUTHORITY_FORMAT = "suffrage/credential-authority/1"
PURPOSE = "credential-authority"


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthorityFile:
    """The roll, each voter's current code (in roll order), and the revoked keys."""

    election_id: str
    voters: tuple[Voter, ...]
    codes: tuple[str, ...]
    revoked: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"AuthorityFile({self.election_id!r}, {len(self.voters)} voters, <codes>)"

    def credentials(self) -> list[CredentialKey]:
        """The public credential list this file stands for: each code's key and style."""
        return [
            CredentialKey(
                Credential.from_code(code, election_id=self.election_id).public, v.style_id
            )
            for v, code in zip(self.voters, self.codes, strict=True)
        ]

    def voter(self, voter_id: str) -> int:
        """The position of ``voter_id`` in the roll."""
        for index, voter in enumerate(self.voters):
            if voter.voter_id == voter_id:
                return index
        raise InvalidInput("voter", f"{voter_id!r} is not on the roll of this election")


def path_of(directory: Path) -> Path:
    return directory / AUTHORITY_FILE


def write_authority(
    directory: Path,
    authority: AuthorityFile,
    *,
    passphrase: str,
    rng: RandomSource,
    force: bool = False,
) -> Path:
    """Seal the authority's file into ``directory`` (created with mode 0700)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    document: dict[str, Any] = {
        "format": AUTHORITY_FORMAT,
        "election_id": authority.election_id,
        "voters": [
            {**voter_to_json(v), "code": code}
            for v, code in zip(authority.voters, authority.codes, strict=True)
        ],
        "revoked": list(authority.revoked),
    }
    path = path_of(directory)
    write_sealed(path, document, purpose=PURPOSE, passphrase=passphrase, rng=rng, force=force)
    return path


_VOTER_KEYS = ["voter_id", "ballot_style", "language", "name", "address", "email", "groups"]


def _voter_entry(value: Any, field: str) -> tuple[Voter, str]:
    o = expect_object(value, field, [*_VOTER_KEYS, "code"])
    return voter_from_json(o), text(o["code"], f"{field}.code")


def read_authority(directory: Path, *, passphrase: str) -> AuthorityFile:
    path = path_of(directory)
    if not path.exists():
        raise InvalidInput(
            str(path),
            "not found: this is not the credential authority's directory of this election "
            "(see --authority of `suffrage election create`), or it was deleted by "
            "`suffrage election forget`",
        )
    w = str(path)
    o = expect_object(
        read_sealed(path, purpose=PURPOSE, passphrase=passphrase),
        w,
        ["format", "election_id", "voters", "revoked"],
    )
    if o["format"] != AUTHORITY_FORMAT:
        raise InvalidEncoding(f"{w}.format", f"expected {AUTHORITY_FORMAT!r}")
    voters = items(o["voters"], f"{w}.voters", _voter_entry)
    return AuthorityFile(
        election_id=text(o["election_id"], f"{w}.election_id"),
        voters=tuple(v for v, _ in voters),
        codes=tuple(code for _, code in voters),
        revoked=items(o["revoked"], f"{w}.revoked", text),
    )
