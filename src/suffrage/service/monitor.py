"""An observer's monitor: follow an election server's event log and board and check every
event and entry as it arrives (spec/protocol.md#14.5, #18).

From the first step on, the monitor reads the public event log: each new event is decoded,
its chain and hash checked and replayed (V20: a step out of order is an alarm), and the
events seen before are read again, so an event that changes or disappears raises an alarm.
Once voting opens, it rebuilds the election context from what the server publishes and
checks that its base hash is the published one and the one the log's ``opened`` event
carries, and binds the log's head; then, step by step, it reads the new entries and checks each
(its style, signature and proofs: V7-V10, V18; a spoiled ballot's reveal: V13; its place in
the tracking-code chain: V11), reads the server's signed head and checks its signature and
that it describes the board the monitor has seen, and re-reads earlier entries in rotation to
see that none changed or disappeared. Signed heads from other monitors of the same election
are compared with its own board: two valid signatures on different boards of the same size
prove that the server showed observers different boards. After the close, each mix of a
ranked contest posted to the mailbox is downloaded and checked as it is logged (its SHA-256
the log's, its proof of shuffle against the counted ballots' rankings or the mix before it:
V23, V24), and so is each guardian's decryption of a last mix (V25). Once the log says the
election is published, the monitor downloads the record and verifies it whole
(:attr:`Monitor.done`). Every problem is an :class:`Alarm`.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
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
    counted_entries,
    tracking_code,
)
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.event_log import (
    LifeLog,
    LifeState,
    event_hash,
    file_kind,
    log_start,
    mix_file,
)
from suffrage.protocol.manifest import parse_manifest
from suffrage.protocol.mixnet import (
    Mix,
    check_mix,
    check_mix_decryption,
    mix_input,
    ranked_contests,
)
from suffrage.record import codec
from suffrage.record.archive import unpack_record
from suffrage.record.canonical import canonical_bytes
from suffrage.record.events import event_from_json
from suffrage.record.fields import element, expect_object, hexbytes, integer, items
from suffrage.record.ranked import read_mix, read_mix_decryption
from suffrage.verify.record import verify_record
from suffrage.verify.report import VerificationReport

BEFORE_OPEN = (LifeState.NONE, LifeState.DRAFT, LifeState.KEY_CEREMONY)

__all__ = ["Alarm", "Monitor", "Server", "heads_from_json", "heads_to_json", "published_context"]

PAGE = 200
RECHECK = 100
"""Earlier entries re-read at each step, in rotation."""


class Response(Protocol):
    status_code: int

    @property
    def content(self) -> bytes: ...

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
    event: int | None = None

    def line(self) -> str:
        where = f" entry {self.entry}" if self.entry is not None else ""
        where += f" event {self.event}" if self.event is not None else ""
        check = f" ({self.check})" if self.check else ""
        return f"ALARM {self.kind}{where}{check}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "entry": self.entry,
            "event": self.event,
            "check": self.check,
            "reason": self.reason,
        }


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
        self.life = LifeLog()
        self.event_hashes: list[bytes] = []
        self.event_digests: list[bytes] = []
        self.log_broken = False
        self.context: ElectionContext | None = None
        self.codes: list[bytes] = []
        self.digests: list[bytes] = []
        self.heads: list[SignedHead] = []
        self._cursor = 0
        self.mixes = _MixWatch()
        self.done = False
        self.report: VerificationReport | None = None

    @property
    def seen(self) -> int:
        return len(self.digests)

    @property
    def ctx(self) -> ElectionContext:
        """The context, once voting has opened (the board's methods need it)."""
        if self.context is None:
            raise VerificationFailed("V6", "voting has not opened: there is no board yet")
        return self.context

    @property
    def election_id(self) -> str:
        return self.life.election_id or "a new election"

    def step(self) -> list[Alarm]:
        """Read what is new in the log and on the board, check it, check the signed head,
        re-read earlier events and entries; verify the record once published."""
        alarms = self._new_events() + self._recheck_events()
        if self.context is None and self.life.state not in BEFORE_OPEN and not self.log_broken:
            alarms += self._open()
        if self.context is not None:
            alarms += self._new_entries()
            alarms += self._head()
            alarms += self._recheck()
            alarms += self._mixes()
        if self.life.state is LifeState.PUBLISHED and not self.done and self.context is not None:
            alarms += self._final()
        return alarms

    def _events(self, after: int, limit: int) -> list[Any]:
        page = _get(self.server, "/api/events", {"after": after, "limit": limit})
        return list(page["events"])

    def _new_events(self) -> list[Alarm]:
        alarms: list[Alarm] = []
        while not self.log_broken:
            documents = self._events(len(self.event_hashes), PAGE)
            for document in documents:
                alarm = self._take_event(document)
                if alarm is not None:
                    self.log_broken = True
                    return [*alarms, alarm]
            if len(documents) < PAGE:
                break
        return alarms

    def _take_event(self, document: Any) -> Alarm | None:
        number = len(self.event_hashes) + 1
        try:
            event = event_from_json(document, f"event {number}")
            if event.sequence != number:
                return Alarm("fork", f"event {event.sequence} stands where {number} should",
                             check="V20", event=number)  # fmt: skip
            previous = self.event_hashes[-1] if self.event_hashes else None
            if previous is None and event.kind.value == "drafted":
                previous = log_start(str(event.body["manifest"].get("election_id", "")))
            if event.previous != previous:
                return Alarm("fork", "the event does not chain to the log this monitor saw",
                             check="V20", event=number)  # fmt: skip
            recomputed = event_hash(previous=event.previous, sequence=event.sequence,
                                    kind=event.kind.value, at=event.at, actor=event.actor,
                                    body=event.body)  # fmt: skip
            if recomputed != event.hash:
                return Alarm("check", "the event's hash is not the hash of the event",
                             check="V20", event=number)  # fmt: skip
            self.life.apply(event)
        except SuffrageError as exc:
            return Alarm("check", f"the event is refused: {exc}", check="V20", event=number)
        self.event_hashes.append(event.hash)
        self.event_digests.append(hashlib.sha256(canonical_bytes(document)).digest())
        return None

    def _recheck_events(self) -> list[Alarm]:
        """Every event seen, read again: one that changed or disappeared is an alarm."""
        alarms: list[Alarm] = []
        for start in range(0, len(self.event_hashes), PAGE):
            page = self._events(start, PAGE)
            for number in range(start + 1, min(start + PAGE, len(self.event_hashes)) + 1):
                found = page[number - start - 1] if number - start - 1 < len(page) else None
                if found is None:
                    alarms.append(Alarm("changed", "the event has disappeared from the log",
                                        event=number))  # fmt: skip
                elif _digest(found) != self.event_digests[number - 1]:
                    alarms.append(Alarm("changed", "the event is not what it was", event=number))
        return alarms

    def _open(self) -> list[Alarm]:
        """Voting has opened: the context the server publishes must be the log's."""
        try:
            context = published_context(self.server)
        except SuffrageError as exc:
            return [Alarm("check", f"the published context: {exc}", check="V6")]
        if context.base_hash.hex() != self.life.base_hash or context.log_head != self.life.log_head:
            return [
                Alarm(
                    "check",
                    "the election's base hash is not the one the log's opened event carries, "
                    "or does not bind the log's head",
                    check="V20",
                )
            ]
        self.context = context
        self.codes = [chain_start(context)]
        return []

    def _final(self) -> list[Alarm]:
        """The published record, downloaded and verified whole; then the monitor is done."""
        self.done = True
        with tempfile.TemporaryDirectory() as scratch:
            response = self.server.get("/api/record.tar.gz")
            if response.status_code != 200:
                return [
                    Alarm("record", f"the record cannot be downloaded ({response.status_code})")
                ]
            try:
                unpack_record(response.content, Path(scratch))
            except SuffrageError as exc:
                return [Alarm("record", str(exc))]
            self.report = verify_record(Path(scratch), rng=self.rng)
            codes = [
                json.loads(line)["tracking_code"]
                for line in (Path(scratch) / "ballots.jsonl").read_text().splitlines()
            ] if self.report.passed else []  # fmt: skip
        alarms = [
            Alarm("record", f"the published record fails {line}")
            for line in self.report.failed_checks()
        ]
        if self.report.passed and codes != [code.hex() for code in self.codes[1:]]:
            alarms.append(Alarm("changed", f"the record's board ({len(codes)} entries) is not "
                                f"the board this monitor saw ({self.seen})"))  # fmt: skip
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
            self.ctx,
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
            check_ballot(self.ctx, entry.ballot, rng=self.rng)
            if entry.state is EntryState.SPOILED:
                if entry.reveal is None:
                    raise VerificationFailed("V13", "a spoiled entry without its reveal")
                check_spoiled_ballot(self.ctx, entry.ballot, entry.reveal)
            elif entry.reveal is not None:
                raise VerificationFailed("V13", "a cast entry must not reveal its choices")
        except VerificationFailed as exc:
            return Alarm("check", exc.reason, entry.sequence, exc.check)
        return None

    def _mixes(self) -> list[Alarm]:
        """Each mix and mix decryption logged since the last step, checked (see the module
        docstring); the counted ballots' rankings are read once, when the first is due."""
        alarms: list[Alarm] = []
        for name, sha256 in list(self.life.files.items()):
            if not name.startswith("mix-") or name in self.mixes.checked:
                continue
            self.mixes.checked.add(name)
            try:
                data = _fetch(self.server, f"/api/mailbox/{name}")
                if hashlib.sha256(data).hexdigest() != sha256:
                    raise VerificationFailed("V20", f"{name} is not the file the log names")
                if not self.mixes.inputs:
                    self.mixes.inputs = self._rankings()
                self.mixes.check(self.ctx, self.life, name, data)
            except SuffrageError as exc:
                check = exc.check if isinstance(exc, VerificationFailed) else "V24"
                reason = exc.reason if isinstance(exc, VerificationFailed) else str(exc)
                alarms.append(Alarm("check", f"{name}: {reason}", check=check))
        return alarms

    def _rankings(self) -> dict[str, bytes]:
        """The first mixes' inputs, from the board this monitor saw (each entry read again
        must be the one it checked)."""
        entries: list[BoardEntry] = []
        while len(entries) < self.seen:
            page = _get(self.server, "/api/board", {"after": len(entries), "limit": PAGE})
            documents = page["entries"][: self.seen - len(entries)]
            if not documents:
                raise VerificationFailed("V11", "the board has lost entries this monitor saw")
            for document in documents:
                number = len(entries) + 1
                if _digest(document) != self.digests[number - 1]:
                    raise VerificationFailed("V11", f"entry {number} is not what it was")
                entries.append(codec.entry_from_json(document, f"entry {number}"))
        ballots = [e.ballot for e in counted_entries(entries)]
        return {c.contest_id: mix_input(c, ballots) for c in ranked_contests(self.ctx)}

    def _head(self) -> list[Alarm]:
        try:
            signed = codec.signed_head_from_json(_get(self.server, "/api/board/head"), "head")
            check_signed_head(self.ctx, signed)
        except SuffrageError as exc:
            return [Alarm("signature", f"the server's signed head: {exc}")]
        self.heads.append(signed)
        return self.compare([signed], whose="the server's")

    def compare(self, heads: Iterable[SignedHead], *, whose: str = "a peer's") -> list[Alarm]:
        """Alarms for signed heads (this server's or another monitor's) that describe a board
        other than the one this monitor has seen. A head beyond what it has seen cannot be
        judged yet."""
        alarms: list[Alarm] = []
        if self.context is None:
            return alarms
        for signed in heads:
            try:
                check_signed_head(self.ctx, signed)
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


class _MixWatch:
    """What a monitor keeps of the mixing: the files checked, each contest's rows and chain
    digest so far, and its last mix (for the decryptions)."""

    def __init__(self) -> None:
        self.checked: set[str] = set()
        self.inputs: dict[str, bytes] = {}
        self.digests: dict[str, bytes] = {}
        self.last: dict[str, Mix] = {}

    def check(self, context: ElectionContext, life: LifeLog, name: str, data: bytes) -> None:
        contest_id, number = mix_file(name)
        contest = next((c for c in ranked_contests(context) if c.contest_id == contest_id), None)
        if contest is None:
            raise VerificationFailed("V23", f"{contest_id} is not a ranked contest")
        before = number - 1 if file_kind(name) == "mix" else number
        if before and contest_id not in self.last:
            raise VerificationFailed("V23", f"no mix of {contest_id} before it passed its checks")
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / name
            path.write_bytes(data)
            if file_kind(name) == "mix-decryption":
                last = self.last[contest_id]
                part = read_mix_decryption(path, contest, rows=last.rows)
                check_mix_decryption(context, contest, last, self.digests[contest_id], part)
                return
            mix = read_mix(path, contest, index=number)
        inputs = self.last[contest_id].outputs if number > 1 else self.inputs[contest_id]
        assert life.tally is not None
        tally = bytes.fromhex(str(life.tally["tally_hash"]))
        self.digests[contest_id] = check_mix(
            context, tally, contest, mix, index=number, inputs=inputs
        )
        self.last[contest_id] = mix


def _fetch(server: Server, path: str) -> bytes:
    response = server.get(path)
    if response.status_code != 200:
        raise VerificationFailed("server", f"GET {path} answered {response.status_code}")
    return response.content


def _digest(document: Any) -> bytes | None:
    """The SHA-256 of a document's canonical form (``None`` if it has none)."""
    try:
        return hashlib.sha256(canonical_bytes(document)).digest()
    except (SuffrageError, ValueError, TypeError):
        return None


def heads_to_json(heads: Sequence[SignedHead]) -> list[dict[str, Any]]:
    return [codec.signed_head_to_json(h) for h in heads]


def heads_from_json(values: Any, where: str) -> list[SignedHead]:
    return list(items(values, where, codec.signed_head_from_json))
