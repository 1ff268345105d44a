"""The election's life and its public event log (spec/protocol.md#18).

An election goes through the states draft, key ceremony, open, closed, (mixing,) tallied
and published; mixing only when counted ballots hold a ranked contest (spec #19). Every
administrative action is an :class:`Event` of a hash-chained log that is public from its
first entry: drafting the manifest, starting the key ceremony, each file a guardian posts
(a mix among them), completing the ceremony, publishing the credential list, opening,
closing, tallying, closing the mixing and publishing. The log starts before the base hash
exists (the base hash binds the credential keys, published during the ceremony), so the
base hash binds the log instead: its field ``log_head`` is the hash of the last event
before ``opened``, and the board's chain starts from the base hash (14.1). From then on the
log and the board commit to each other: ``opened`` carries the base hash, ``closed`` the
board's head.

:class:`LifeLog` replays a log: it refuses an event that is not a step of the state the
log is in (naming the step to take) and keeps what the events established, for the server
(before it appends) and the verifier (V20) alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import rfc8785

from suffrage.core.hashing import Transcript
from suffrage.errors import SuffrageError
from suffrage.protocol.credentials import CredentialKey, sorted_credentials

__all__ = [
    "ACTORS",
    "GUARDIAN_FILE_NAMES",
    "Event",
    "EventKind",
    "LifeLog",
    "LifeState",
    "OutOfOrder",
    "credentials_hash",
    "event_hash",
    "file_kind",
    "log_start",
    "mix_file",
]


class LifeState(StrEnum):
    """Where an election is in its life (spec #18.2)."""

    NONE = "none"
    DRAFT = "draft"
    KEY_CEREMONY = "key-ceremony"
    OPEN = "open"
    CLOSED = "closed"
    MIXING = "mixing"
    TALLIED = "tallied"
    PUBLISHED = "published"


class EventKind(StrEnum):
    DRAFTED = "drafted"
    MANIFEST_REPLACED = "manifest-replaced"
    CEREMONY_STARTED = "ceremony-started"
    GUARDIAN_FILE = "guardian-file"
    CEREMONY_COMPLETED = "ceremony-completed"
    CREDENTIALS_PUBLISHED = "credentials-published"
    OPENED = "opened"
    CLOSED = "closed"
    TALLIED = "tallied"
    MIXED = "mixed"
    PUBLISHED = "published"


ACTORS = ("admin", "authority", "guardian")
"""Who may take a step: the roles of the server's tokens."""

GUARDIAN_FILE_NAMES = re.compile(
    r"guardian-[1-9][0-9]{0,2}\.public\.json|share-[1-9][0-9]{0,2}-to-[1-9][0-9]{0,2}\.json"
    r"|complaint-[1-9][0-9]{0,2}-about-[1-9][0-9]{0,2}\.json|partial-[1-9][0-9]{0,2}\.json"
    r"|mix-(?:decryption-)?[a-z0-9][a-z0-9_-]{0,63}-[1-9][0-9]{0,2}\.jsonl"
)
"""The names of the files guardians post: public files, shares, complaints, partials, and
a ranked contest's mixes ``mix-C-T.jsonl`` and shares of its last mix
``mix-decryption-C-J.jsonl`` (spec #19; no ranked contest's id starts with
``decryption-``, so the two never read alike)."""

_MIX_PART = re.compile(r"(?P<contest>[a-z0-9][a-z0-9_-]{0,63})-(?P<number>[1-9][0-9]{0,2})\.jsonl")
"""What follows ``mix-`` (or ``mix-decryption-``) in a mix's (or a mix decryption's) file
name: its contest and its number (the mix's, from 1, or the decrypting guardian's)."""


ACTIONS: Mapping[EventKind, str] = {
    EventKind.DRAFTED: "drafting the election",
    EventKind.MANIFEST_REPLACED: "replacing the manifest",
    EventKind.CEREMONY_STARTED: "starting the key ceremony",
    EventKind.GUARDIAN_FILE: "posting a guardian's file",
    EventKind.CEREMONY_COMPLETED: "completing the key ceremony",
    EventKind.CREDENTIALS_PUBLISHED: "publishing the credential list",
    EventKind.OPENED: "opening voting",
    EventKind.CLOSED: "closing voting",
    EventKind.TALLIED: "computing the tally",
    EventKind.MIXED: "closing the mixing",
    EventKind.PUBLISHED: "publishing the results",
}
"""Each step in words, for the errors that refuse it."""


class OutOfOrder(SuffrageError):
    """An action that is not a step of the state the election is in; ``next_step`` says
    what to do instead."""

    def __init__(self, action: str, state: LifeState, next_step: str) -> None:
        super().__init__(
            f"{action} is not a step of an election in state {state.value!r}; next: {next_step}"
        )
        self.action = action
        self.state = state
        self.next_step = next_step


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One entry of the event log: ``body`` is a JSON object whose fields depend on
    ``kind`` (spec #18.3); ``at`` is the time it was taken (UTC, whole seconds, ``Z``)."""

    sequence: int
    kind: EventKind
    at: str
    actor: str
    body: Mapping[str, Any]
    previous: bytes
    hash: bytes


def log_start(election_id: str) -> bytes:
    """The hash before the first event (spec #18.1)."""
    return Transcript("event-log/start").text("election_id", election_id).digest()


def event_hash(
    *, previous: bytes, sequence: int, kind: str, at: str, actor: str, body: Mapping[str, Any]
) -> bytes:
    """The hash of an event (spec #18.1): it binds the previous hash and the whole event."""
    return (
        Transcript("event-log/event")
        .append("previous", previous)
        .integer("sequence", sequence)
        .text("kind", kind)
        .text("at", at)
        .text("actor", actor)
        .append("body", rfc8785.dumps(dict(body)))
        .digest()
    )


def credentials_hash(credentials: Sequence[CredentialKey]) -> bytes:
    """The hash of a credential list (spec #18.3), in the order of the base hash (12.3)."""
    ordered = sorted_credentials(credentials)
    t = Transcript("event-log/credentials").integer("credentials", len(ordered))
    for credential in ordered:
        t.element("credential_key", credential.key).text("credential_style", credential.style_id)
    return t.digest()


def file_kind(name: str) -> str:
    """What a guardian's file is, by its name: public, share, complaint, partial, mix or
    mix-decryption."""
    if name.startswith("mix-decryption-"):
        return "mix-decryption"
    return name.split("-", 1)[0].replace("guardian", "public")


def mix_file(name: str) -> tuple[str, int]:
    """The contest and the number of a mix's (or a mix decryption's) file name."""
    prefix = "mix-decryption-" if name.startswith("mix-decryption-") else "mix-"
    match = _MIX_PART.fullmatch(name.removeprefix(prefix)) if name.startswith(prefix) else None
    if match is None:
        raise InvalidName(name)
    return match["contest"], int(match["number"])


class InvalidName(SuffrageError):
    """A name that is not a mix's or a mix decryption's."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name[:96]!r} is not the name of a mix or a mix decryption")


_NEXT: Mapping[LifeState, str] = {
    LifeState.NONE: "draft the election (`suffrage election draft MANIFEST --server URL`)",
    LifeState.DRAFT: "start the key ceremony (`suffrage election ceremony start`), which "
    "freezes the manifest",
    LifeState.OPEN: "close voting (`suffrage election tally`; on a server, `suffrage "
    "election close`)",
    LifeState.CLOSED: "compute the encrypted tally (`suffrage election tally`; on a server, "
    "`suffrage election close`)",
    LifeState.MIXING: "the guardians mix the ranked contests one after the other (`suffrage "
    "guardian fetch --election`, `suffrage guardian mix`, `suffrage guardian post`), then "
    "close the mixing (`suffrage election close-mixing`)",
    LifeState.TALLIED: "the guardians post their partial decryptions (`suffrage guardian "
    "decrypt`, `suffrage guardian post`), then publish (`suffrage election publish`)",
    LifeState.PUBLISHED: "nothing: the election is published and its log is final",
}


@dataclass(slots=True)
class LifeLog:
    """A log replayed event by event (see the module docstring)."""

    election_id: str | None = None
    state: LifeState = LifeState.NONE
    head: bytes = b""
    size: int = 0
    manifest: dict[str, Any] | None = None
    guardians: int = 0
    threshold: int = 0
    board_key: str = ""
    ceremony_hash: str = ""
    publics: dict[int, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    complaints: list[str] = field(default_factory=list)
    completed: Mapping[str, Any] | None = None
    credentials: Mapping[str, Any] | None = None
    log_head: bytes | None = None
    base_hash: str = ""
    closed: Event | None = None
    tally: Mapping[str, Any] | None = None
    ranked: dict[str, int] = field(default_factory=dict)
    mixes: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    mixed: Mapping[str, Any] | None = None
    results_sha256: str = ""

    def next_step(self) -> str:
        """What the election needs next, in words an official can act on."""
        if self.state is LifeState.MIXING:
            return self._next_mix()
        if self.state is not LifeState.KEY_CEREMONY:
            return _NEXT[self.state]
        if self.completed is None:
            missing = self.missing_publics()
            if missing:
                return (
                    f"guardian(s) {', '.join(map(str, missing))} post their public file "
                    "(`suffrage guardian create`, then `suffrage guardian post`)"
                )
            return (
                "the guardians exchange their shares (`suffrage guardian shares`, `post`, "
                "`fetch`, `receive`), then complete the key ceremony (`suffrage election "
                "ceremony complete`)"
            )
        if self.credentials is None:
            return (
                "the credential authority publishes the credential list (`suffrage election "
                "create --server URL`)"
            )
        return "open voting (`suffrage election open`)"

    def least_mixers(self) -> int:
        """How many guardians must mix each ranked contest: ``n - k + 1``, so that, if fewer
        than ``k`` guardians are dishonest (what the threshold decryption already rests on),
        at least one mixer was honest and the ballots are unlinkable."""
        return self.guardians - self.threshold + 1

    def _next_mix(self) -> str:
        short = [c for c in self.ranked if len(self.mixes.get(c, ())) < self.least_mixers()]
        if not short:
            return "close the mixing (`suffrage election close-mixing`)"
        done = {c: len(self.mixes.get(c, ())) for c in short}
        return (
            f"at least {self.least_mixers()} guardians mix each ranked contest ("
            + ", ".join(f"{c}: {n} so far" for c, n in done.items())
            + "): "
            + _NEXT[LifeState.MIXING]
        )

    def missing_publics(self) -> list[int]:
        """The guardians whose public file has not been posted, in order."""
        return sorted(set(range(1, self.guardians + 1)) - set(self.publics))

    def refuse(self, action: str) -> OutOfOrder:
        return OutOfOrder(action, self.state, self.next_step())

    def check(self, kind: EventKind, body: Mapping[str, Any]) -> None:
        """Refuse (OutOfOrder) an event that is not a step of the current state; the
        content of each step is checked by whoever appends or verifies it."""
        state, action = self.state, ACTIONS[kind]
        allowed = {
            EventKind.DRAFTED: state is LifeState.NONE,
            EventKind.MANIFEST_REPLACED: state is LifeState.DRAFT,
            EventKind.CEREMONY_STARTED: state is LifeState.DRAFT,
            EventKind.CEREMONY_COMPLETED: state is LifeState.KEY_CEREMONY
            and self.completed is None,
            EventKind.CREDENTIALS_PUBLISHED: state is LifeState.KEY_CEREMONY
            and self.completed is not None,
            EventKind.OPENED: state is LifeState.KEY_CEREMONY and self.credentials is not None,
            EventKind.CLOSED: state is LifeState.OPEN,
            EventKind.TALLIED: state is LifeState.CLOSED,
            EventKind.MIXED: state is LifeState.MIXING,
            EventKind.PUBLISHED: state is LifeState.TALLIED,
        }
        if kind is EventKind.GUARDIAN_FILE:
            name = str(body.get("name", ""))
            action = f"posting {name}"
            if name in self.files:
                raise OutOfOrder(action, state, f"nothing: {name} is posted already")
            ok = self._file_allowed(name, body)
        else:
            ok = allowed[kind]
        if not ok:
            raise self.refuse(action)
        if kind is EventKind.MIXED:
            self._check_mixed(body)
        if kind is EventKind.CEREMONY_COMPLETED:
            missing = self.missing_publics()
            if missing or self.complaints:
                raise (
                    self.refuse(action)
                    if missing
                    else OutOfOrder(
                        action,
                        state,
                        f"resolve the complaints ({', '.join(self.complaints)}): the key "
                        "ceremony starts again with a new draft",
                    )
                )

    def _file_allowed(self, name: str, body: Mapping[str, Any]) -> bool:
        """Whether a guardian's file is a step of the current state; a mix must be the next
        of its contest, by a guardian who has not mixed it."""
        state, what = self.state, file_kind(name)
        if what == "partial":
            return state in (LifeState.MIXING, LifeState.TALLIED)
        if what == "mix-decryption":
            return state is LifeState.TALLIED and mix_file(name)[0] in self.ranked
        if what != "mix":
            return state is LifeState.KEY_CEREMONY and self.completed is None
        contest, number = mix_file(name)
        if state is not LifeState.MIXING or contest not in self.ranked:
            return False
        done = self.mixes.get(contest, [])
        if number != len(done) + 1:
            raise OutOfOrder(
                f"posting {name}",
                state,
                f"the next mix of {contest} is mix-{contest}-{len(done) + 1}.jsonl, made from "
                f"the last one posted",
            )
        mixer = body.get("mixer")
        if any(m == mixer for m, _ in done):
            raise OutOfOrder(
                f"posting {name}",
                state,
                f"another guardian mixes {contest}: guardian {mixer} has mixed it already",
            )
        return True

    def _check_mixed(self, body: Mapping[str, Any]) -> None:
        """The closing of the mixing names each ranked contest once, in order, with at least
        :meth:`least_mixers` mixes; mixes posted to the log must be those it names."""
        action = ACTIONS[EventKind.MIXED]
        named = [str(c.get("contest_id")) for c in body.get("contests", ())]
        if named != list(self.ranked):
            raise OutOfOrder(
                action, self.state, f"close the mixing of exactly {', '.join(self.ranked)}"
            )
        for item in body["contests"]:
            contest, count = str(item["contest_id"]), int(item["mixes"])
            if count < self.least_mixers():
                raise self.refuse(action)
            posted = self.mixes.get(contest)
            if posted and (count, str(item["mix_digest"])) != (len(posted), posted[-1][1]):
                raise OutOfOrder(
                    action, self.state, f"name the {len(posted)} mixes of {contest} posted"
                )

    def apply(self, event: Event) -> None:
        """Replay ``event``: refuse it if it is out of order, then keep what it establishes.
        The caller has checked its hash and its chaining."""
        self.check(event.kind, event.body)
        body = event.body
        match event.kind:
            case EventKind.DRAFTED:
                self.manifest = dict(body["manifest"])
                self.election_id = str(self.manifest.get("election_id", ""))
                self.guardians = int(body["guardians"])
                self.threshold = int(body["threshold"])
                self.board_key = str(body["board_key"])
                self.state = LifeState.DRAFT
            case EventKind.MANIFEST_REPLACED:
                self.manifest = dict(body["manifest"])
            case EventKind.CEREMONY_STARTED:
                self.ceremony_hash = str(body["ceremony_hash"])
                self.state = LifeState.KEY_CEREMONY
            case EventKind.GUARDIAN_FILE:
                name = str(body["name"])
                self.files[name] = str(body["sha256"])
                what = file_kind(name)
                if what == "public":
                    self.publics[int(body["guardian"])] = str(body["guardian_digest"])
                elif what == "complaint":
                    self.complaints.append(name)
                elif what == "mix":
                    mixes = self.mixes.setdefault(mix_file(name)[0], [])
                    mixes.append((int(body["mixer"]), str(body["mix_digest"])))
            case EventKind.CEREMONY_COMPLETED:
                self.completed = body
            case EventKind.CREDENTIALS_PUBLISHED:
                self.credentials = body
            case EventKind.OPENED:
                self.log_head = event.previous
                self.base_hash = str(body["base_hash"])
                self.state = LifeState.OPEN
            case EventKind.CLOSED:
                self.closed = event
                self.state = LifeState.CLOSED
            case EventKind.TALLIED:
                self.tally = body
                self.ranked = {str(c["contest_id"]): int(c["rows"]) for c in body.get("ranked", ())}
                self.state = LifeState.MIXING if self.ranked else LifeState.TALLIED
            case EventKind.MIXED:
                self.mixed = body
                self.state = LifeState.TALLIED
            case EventKind.PUBLISHED:
                self.results_sha256 = str(body["results_sha256"])
                self.state = LifeState.PUBLISHED
        self.head, self.size = event.hash, event.sequence
