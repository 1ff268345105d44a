"""Tokens for the election server's protected routes, and the guardians' mailbox.

**Tokens.** ``ELECTION/tokens.json`` (mode 0600) holds, per named token, only the SHA-256 of
the token and its role (``admin``: the officials' steps, from the draft to publishing;
``authority``: publish the credential list; ``guardian``: post to the mailbox). A token
is 32 random bytes in hex, shown once when issued; issuing a token under a name that has one
replaces it (rotation), and revoking removes it. The server reads the file at each request
(so a rotation needs no restart) and compares digests in constant time.

**Mailbox.** Guardians keep their keys on their own machines and may use the server to pass
their files: public files, encrypted shares, complaints and partial decryptions (each public
by design: shares are encrypted to their recipient and signed by their dealer). Posting is
:meth:`~suffrage.service.lifecycle.ElectionLife.post_file` (checked, logged, never
replaced); here the files are listed and read back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from pathlib import Path

from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidInput, NotFound
from suffrage.protocol.event_log import ACTORS, GUARDIAN_FILE_NAMES
from suffrage.record.canonical import canonical_bytes
from suffrage.record.fields import expect_object, text
from suffrage.record.reading import read_document_line
from suffrage.record.writing import write_file

__all__ = [
    "MAILBOX_NAMES",
    "ROLES",
    "issue_token",
    "mailbox_list",
    "mailbox_read",
    "revoke_token",
    "role_of",
]

ROLES = ACTORS
TOKENS_FORMAT = "suffrage/server-tokens/1"
MAILBOX_NAMES = GUARDIAN_FILE_NAMES
MAX_MAILBOX_FILE = 1024 * 1024


def _tokens_path(election: Path) -> Path:
    return election / "tokens.json"


def _read_tokens(election: Path) -> dict[str, dict[str, str]]:
    path = _tokens_path(election)
    if not path.exists():
        return {}
    o = expect_object(read_document_line(path), str(path), ["format", "tokens"])
    if o["format"] != TOKENS_FORMAT:
        raise InvalidInput(f"{path}.format", f"expected {TOKENS_FORMAT!r}")
    tokens: dict[str, dict[str, str]] = o["tokens"]
    return tokens


def _write_tokens(election: Path, tokens: dict[str, dict[str, str]]) -> None:
    value = {"format": TOKENS_FORMAT, "tokens": tokens}
    write_file(_tokens_path(election), canonical_bytes(value) + b"\n", secret=True, force=True)


def issue_token(election: Path, name: str, role: str, rng: RandomSource) -> str:
    """A new token for ``name`` with ``role`` (replacing the name's old one); shown once."""
    if role not in ROLES:
        raise InvalidInput("role", f"must be one of {', '.join(ROLES)}")
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name):
        raise InvalidInput("name", "1 to 64 letters, digits, '.', '_' or '-'")
    token = rng.token(32).hex()
    election.mkdir(parents=True, exist_ok=True)
    tokens = _read_tokens(election)
    tokens[name] = {"role": role, "sha256": hashlib.sha256(token.encode()).hexdigest()}
    _write_tokens(election, tokens)
    return token


def revoke_token(election: Path, name: str) -> None:
    tokens = _read_tokens(election)
    if tokens.pop(name, None) is None:
        raise InvalidInput("name", f"no token is named {name!r}")
    _write_tokens(election, tokens)


def role_of(election: Path, token: str) -> str | None:
    """The role of ``token``, or ``None``; every stored digest is compared, in constant time."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    role = None
    for entry in _read_tokens(election).values():
        if hmac.compare_digest(entry["sha256"], digest):
            role = entry["role"]
    return role


def _mailbox(election: Path) -> Path:
    return election / "mailbox"


def mailbox_list(election: Path) -> list[str]:
    box = _mailbox(election)
    if not box.is_dir():
        return []
    return sorted(p.name for p in box.iterdir() if MAILBOX_NAMES.fullmatch(p.name))


def mailbox_read(election: Path, name: str) -> bytes:
    if not MAILBOX_NAMES.fullmatch(name) or not (_mailbox(election) / name).is_file():
        raise NotFound(f"the mailbox holds no {text(name[:80], 'name')}")
    data: bytes = (_mailbox(election) / name).read_bytes()
    return data
