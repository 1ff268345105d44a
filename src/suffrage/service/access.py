"""Tokens for the election server's protected routes, and the guardians' mailbox.

**Tokens.** ``ELECTION/tokens.json`` (mode 0600) holds, per named token, only the SHA-256 of
the token and its role (``admin``: close voting; ``guardian``: post to the mailbox). A token
is 32 random bytes in hex, shown once when issued; issuing a token under a name that has one
replaces it (rotation), and revoking removes it. The server reads the file at each request
(so a rotation needs no restart) and compares digests in constant time.

**Mailbox.** Guardians keep their keys on their own machines and may use the server to pass
their files: public files, encrypted shares, complaints and partial decryptions (each public
by design: shares are encrypted to their recipient and signed by their dealer). A file is
posted once under its own name (never replaced), read back by anyone, and only if it parses
as what its name says it is.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import tempfile
from pathlib import Path

from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidInput, NotFound
from suffrage.protocol.event_log import GUARDIAN_FILE_NAMES
from suffrage.record.canonical import canonical_bytes, parse_canonical
from suffrage.record.fields import expect_object, text
from suffrage.record.reading import read_document_line
from suffrage.record.writing import write_file
from suffrage.service import ceremony_files as files
from suffrage.service import election_files as efiles

__all__ = [
    "MAILBOX_NAMES",
    "ROLES",
    "issue_token",
    "mailbox_list",
    "mailbox_post",
    "mailbox_read",
    "revoke_token",
    "role_of",
]

ROLES = ("admin", "guardian")
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
    efiles.read_context(election)
    if role not in ROLES:
        raise InvalidInput("role", f"must be one of {', '.join(ROLES)}")
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name):
        raise InvalidInput("name", "1 to 64 letters, digits, '.', '_' or '-'")
    token = rng.token(32).hex()
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


def _check_mailbox_file(name: str, data: bytes, election: Path) -> None:
    """Refuse a file that is not what its name says (parsed by the same strict readers)."""
    if not MAILBOX_NAMES.fullmatch(name):
        raise InvalidInput("name", "not the name of a guardian's file")
    if len(data) > MAX_MAILBOX_FILE:
        raise InvalidInput("body", f"larger than {MAX_MAILBOX_FILE} bytes")
    if not data.endswith(b"\n") or data.count(b"\n") != 1:
        raise InvalidInput(name, "must be one line of canonical JSON ending in a newline")
    parse_canonical(data[:-1], field=name)
    handle, where = tempfile.mkstemp(prefix=".check-", suffix=".json", dir=_mailbox(election))
    os.close(handle)
    scratch = Path(where)
    scratch.write_bytes(data)
    try:
        if name.startswith("guardian-"):
            _, guardian = files.read_public(scratch)
            expected = f"guardian-{guardian.index}.public.json"
        elif name.startswith("share-"):
            _, share = files.read_share(scratch)
            expected = files.share_path(Path(), share.dealer, share.recipient).name
        elif name.startswith("complaint-"):
            _, complaint = files.read_complaint(scratch)
            expected = files.complaint_path(
                Path(), complaint.share.recipient, complaint.share.dealer
            ).name
        else:
            partial = efiles.read_partial(scratch, efiles.read_context(election))
            expected = f"partial-{partial.guardian}.json"
    finally:
        scratch.unlink()
    if expected != name:
        raise InvalidInput(name, f"holds the file of {expected}")


def mailbox_post(election: Path, name: str, data: bytes) -> None:
    """Keep a guardian's file; one that exists already is never replaced."""
    _mailbox(election).mkdir(exist_ok=True)
    _check_mailbox_file(name, data, election)
    write_file(_mailbox(election) / name, data)


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
