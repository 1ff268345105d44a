"""An observer's monitor: follow an election server's board and check every entry as it
arrives (spec/protocol.md#14.5).

The monitor rebuilds the election context from what the server publishes and checks that its
base hash is the published one; then, step by step, it reads the new entries and checks each
(its style, signature and proofs: V7-V10, V18; a spoiled ballot's reveal: V13; its place in
the tracking-code chain: V11), reads the server's signed head and checks its signature and
that it describes the board the monitor has seen, and re-reads earlier entries in rotation to
see that none changed or disappeared. Signed heads from other monitors of the same election
are compared with its own board: two valid signatures on different boards of the same size
prove that the server showed observers different boards. Every problem is an :class:`Alarm`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from suffrage.core.randomness import RandomSource
from suffrage.errors import SuffrageError, VerificationFailed
from suffrage.protocol.ballot_check import check_ballot, check_spoiled_ballot
from suffrage.protocol.board import (
    BoardEntry,
    EntryState,
    SignedHead,
    chain_start,
    check_signed_head,
    tracking_code,
)
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.manifest import parse_manifest
from suffrage.record import codec
from suffrage.record.canonical import canonical_bytes
from suffrage.record.fields import element, expect_object, hexbytes, integer, items

__all__ = ["Alarm", "Monitor", "Server", "heads_from_json", "heads_to_json", "published_context"]

PAGE = 200
RECHECK = 100
"""Earlier entries re-read at each step, in rotation."""


class Response(Protocol):
    status_code: int

    def json(self) -> Any: ...


class Server(Protocol):
    """What the monitor needs of an HTTP client whose base is the server (httpx.Client)."""

    def get(self, url: str, *, params: dict[str, int] | None = None) -> Response: ...


@dataclass(frozen=True, slots=True)
class Alarm:
    """Something an observer must hear about at once."""

    kind: str
    reason: str
    entry: int | None = None
    check: str | None = None

    def line(self) -> str:
        where = f" entry {self.entry}" if self.entry is not None else ""
        check = f" ({self.check})" if self.check else ""
        return f"ALARM {self.kind}{where}{check}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "entry": self.entry, "check": self.check, "reason": self.reason}


def _get(server: Server, path: str, params: dict[str, int] | None = None) -> Any:
    response = server.get(path, params=params)
    if response.status_code != 200:
        raise VerificationFailed("server", f"GET {path} answered {response.status_code}")
    return response.json()


def published_context(server: Server) -> ElectionContext:
    """The context rebuilt from the server's manifest, guardians, credentials and board key;
    VerificationFailed if its base hash is not the one the server publishes."""
    election = _get(server, "/api/election")
    o = expect_object(
        election["election"],
        "election",
        ["format", "group", "threshold", "guardians", "joint_key", "manifest_hash", "base_hash"],
        ("board_key", "log_head"),
    )
    credentials = _get(server, "/api/credentials")["credentials"]
    context = make_context(
        manifest=parse_manifest(election["manifest"]),
        threshold=integer(o["threshold"], "election.threshold", minimum=1),
        guardians=items(o["guardians"], "election.guardians", codec.guardian_from_json),
        credentials=items(credentials, "credentials", codec.credential_from_json),
        board_key=element(o["board_key"], "election.board_key") if "board_key" in o else None,
        log_head=hexbytes(o["log_head"], "election.log_head", size=64) if "log_head" in o else None,
    )
    if context.base_hash != hexbytes(o["base_hash"], "election.base_hash", size=64):
        raise VerificationFailed(
            "V6", "the server's base hash is not the hash of what it publishes"
        )
    return context


class Monitor:
    """One observer's view of one server (see the module docstring)."""

    def __init__(self, server: Server, rng: RandomSource) -> None:
        self.server = server
        self.rng = rng
        self.context = published_context(server)
        self.codes: list[bytes] = [chain_start(self.context)]
        self.digests: list[bytes] = []
        self.heads: list[SignedHead] = []
        self._cursor = 0

    @property
    def seen(self) -> int:
        return len(self.digests)

    def step(self) -> list[Alarm]:
        """Read what is new, check it, check the signed head, re-read earlier entries."""
        alarms = self._new_entries()
        alarms += self._head()
        alarms += self._recheck()
        return alarms

    def _new_entries(self) -> list[Alarm]:
        alarms: list[Alarm] = []
        while True:
            page = _get(self.server, "/api/board", {"after": self.seen, "limit": PAGE})
            documents = page["entries"]
            for document in documents:
                alarm = self._take(document)
                if alarm is not None:
                    return [*alarms, alarm]
            if len(documents) < PAGE:
                return alarms

    def _take(self, document: Any) -> Alarm | None:
        number = self.seen + 1
        try:
            entry = codec.entry_from_json(document, f"entry {number}")
        except SuffrageError as exc:
            return Alarm("check", f"the entry does not decode: {exc}", number, "V1")
        if entry.sequence != number:
            return Alarm("fork", f"entry {entry.sequence} stands where {number} should", number)
        expected = tracking_code(
            self.context,
            previous=self.codes[-1],
            sequence=number,
            state=entry.state,
            ballot=entry.ballot,
        )
        if entry.tracking_code != expected:
            return Alarm(
                "fork",
                "the entry does not chain to the board this monitor saw (the history was "
                "changed, or another board is shown)",
                number,
                "V11",
            )
        self.codes.append(expected)
        self.digests.append(hashlib.sha256(canonical_bytes(document)).digest())
        return self._check(entry)

    def _check(self, entry: BoardEntry) -> Alarm | None:
        try:
            check_ballot(self.context, entry.ballot, rng=self.rng)
            if entry.state is EntryState.SPOILED:
                if entry.reveal is None:
                    raise VerificationFailed("V13", "a spoiled entry without its reveal")
                check_spoiled_ballot(self.context, entry.ballot, entry.reveal)
            elif entry.reveal is not None:
                raise VerificationFailed("V13", "a cast entry must not reveal its choices")
        except VerificationFailed as exc:
            return Alarm("check", exc.reason, entry.sequence, exc.check)
        return None

    def _head(self) -> list[Alarm]:
        try:
            signed = codec.signed_head_from_json(_get(self.server, "/api/board/head"), "head")
            check_signed_head(self.context, signed)
        except SuffrageError as exc:
            return [Alarm("signature", f"the server's signed head: {exc}")]
        self.heads.append(signed)
        return self.compare([signed], whose="the server's")

    def compare(self, heads: Iterable[SignedHead], *, whose: str = "a peer's") -> list[Alarm]:
        """Alarms for signed heads (this server's or another monitor's) that describe a board
        other than the one this monitor has seen. A head beyond what it has seen cannot be
        judged yet."""
        alarms = []
        for signed in heads:
            try:
                check_signed_head(self.context, signed)
            except VerificationFailed as exc:
                alarms.append(Alarm("signature", f"{whose} head: {exc.reason}"))
                continue
            if signed.size <= self.seen and self.codes[signed.size] != signed.head:
                kind = "equivocation" if whose != "the server's" else "changed"
                alarms.append(
                    Alarm(
                        kind,
                        f"{whose} head, signed by the server, says its board of {signed.size} "
                        "entries ends in another code than the board this monitor saw",
                        signed.size,
                    )
                )
        return alarms

    def _recheck(self) -> list[Alarm]:
        if not self.seen:
            return []
        start = self._cursor if self._cursor < self.seen else 0
        page = _get(self.server, "/api/board", {"after": start, "limit": RECHECK})["entries"]
        self._cursor = start + RECHECK
        alarms = []
        expected = range(start + 1, min(start + RECHECK, self.seen) + 1)
        for number, document in zip(expected, [*page, *([None] * RECHECK)], strict=False):
            if document is None:
                alarms.append(Alarm("changed", "the entry has disappeared from the board", number))
            elif hashlib.sha256(canonical_bytes(document)).digest() != self.digests[number - 1]:
                alarms.append(Alarm("changed", "the entry is not what it was", number))
        return alarms


def heads_to_json(heads: Sequence[SignedHead]) -> list[dict[str, Any]]:
    return [codec.signed_head_to_json(h) for h in heads]


def heads_from_json(values: Any, where: str) -> list[SignedHead]:
    return list(items(values, where, codec.signed_head_from_json))
