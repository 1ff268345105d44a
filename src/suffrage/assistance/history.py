"""The append-only, hash-chained history of the registry (spec/assistance.md#5).

Each entry's hash is SHA-256 over the domain tag and the length-prefixed fields of the entry,
the previous entry's hash among them (32 zero bytes for the first), so that editing,
removing or reordering any stored entry breaks the chain at that entry; :func:`check_chain`
walks the chain and names the first entry whose hash or link is wrong.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785

from suffrage.errors import InvalidInput, VerificationFailed

__all__ = [
    "GENESIS",
    "HISTORY_TAG",
    "Entry",
    "HistoryBroken",
    "check_chain",
    "encode_entry",
    "entry_hash",
]

HISTORY_TAG = b"suffrage/assistance/history/v1"
GENESIS = bytes(32)
"""The previous hash of the first entry."""


class HistoryBroken(VerificationFailed):
    """An entry of the history whose hash or link does not hold."""

    def __init__(self, sequence: int, reason: str) -> None:
        super().__init__(f"history entry {sequence}", reason)
        self.sequence = sequence


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One recorded action: ``details`` is a JSON object (canonical form, RFC 8785)."""

    sequence: int
    at: str
    actor: str
    action: str
    subject: str
    details: Mapping[str, Any]
    previous: bytes
    hash: bytes = b""


def _field(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


def encode_entry(entry: Entry) -> bytes:
    """The bytes hashed (spec/assistance.md#5): the tag, then each field length-prefixed
    (8 bytes, big-endian): sequence (decimal ASCII), at, actor, action, subject (UTF-8),
    details (RFC 8785 canonical JSON), previous hash (32 bytes)."""
    if len(entry.previous) != 32:
        raise InvalidInput("previous", f"a hash is 32 bytes, got {len(entry.previous)}")
    texts = (str(entry.sequence), entry.at, entry.actor, entry.action, entry.subject)
    parts = [_field(HISTORY_TAG), *(_field(t.encode("utf-8")) for t in texts)]
    parts.append(_field(rfc8785.dumps(dict(entry.details))))
    parts.append(_field(entry.previous))
    return b"".join(parts)


def entry_hash(entry: Entry) -> bytes:
    return hashlib.sha256(encode_entry(entry)).digest()


def check_chain(entries: Iterable[Entry]) -> int:
    """Raise :class:`HistoryBroken` naming the first entry out of sequence, whose link is not
    the previous entry's hash, or whose stored hash is not its own; else the entry count."""
    previous, expected, count = GENESIS, 1, 0
    for entry in entries:
        if entry.sequence != expected:
            raise HistoryBroken(entry.sequence, f"expected entry {expected} here (one is missing)")
        if entry.previous != previous:
            raise HistoryBroken(entry.sequence, "its link is not the previous entry's hash")
        if entry.hash != entry_hash(entry):
            raise HistoryBroken(entry.sequence, "its content does not match its hash (edited)")
        previous, expected, count = entry.hash, expected + 1, count + 1
    return count
