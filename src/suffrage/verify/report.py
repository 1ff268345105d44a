"""The verification report: every numbered check with its state, counts and failures.

The checks write into a mutable :class:`ReportBuilder`; :func:`verify_record` returns the
frozen :class:`VerificationReport` it builds. A check is in one of four states
(spec/protocol.md#15.1): ``pass``, ``fail``, ``not checked`` (an earlier check failed or a
file is missing, so this one could not run: never a failure of its own) and ``not yet``
(``verify --partial``: it cannot run before the tally is published).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from suffrage.errors import VerificationFailed

__all__ = [
    "CHECKS",
    "CheckOutcome",
    "Failure",
    "RecordSubject",
    "ReportBuilder",
    "State",
    "VerificationReport",
]

CHECKS: dict[str, str] = {
    "V1": "record files are canonical JSON and decode strictly",
    "V2": "manifest is valid and its hash matches",
    "V3": "guardian commitments and communication keys are proven",
    "V4": "joint public key is the sum of the guardians' keys",
    "V5": "credential list is sorted, distinct, each key bound to a ballot style",
    "V6": "election base hash binds manifest, guardians, key and credentials",
    "V7": "every ballot matches its ballot style",
    "V8": "every ballot is signed by a listed credential",
    "V9": "every selection encrypts 0 or 1",
    "V10": "every contest respects its selection limit",
    "V11": "tracking codes chain every entry in order",
    "V12": "one counted ballot per credential: the last one cast",
    "V13": "spoiled ballots encrypt what they reveal and are not counted",
    "V14": "the encrypted tally is the sum of the counted ballots",
    "V15": "every decryption share is proven",
    "V16": "k guardians' shares combine into the published counts",
    "V17": "the announced results follow from the counts",
    "V18": "every ballot is of its credential's ballot style",
    "V19": "voting closed at the end of the window, or early by a recorded decision",
    "V20": "the event log chains every administrative step, in order, and matches the record",
    "V21": "turnout by group is consistent with the record and suppresses small cells",
    "V22": "every rank of a ranked contest encrypts a blank or one of its options",
    "V23": "each ranked contest's mixes follow one another from the counted ballots",
    "V24": "every mix's proof of shuffle and its mixer's signature hold",
    "V25": "every guardian's decryption shares of the last mix are proven",
    "V26": "k guardians' shares decrypt the last mix into the published rankings",
}

State = Literal["pass", "fail", "not checked", "not yet"]

_WHERE = re.compile(
    r"^(?P<where>(?:entry|entries|line) \d+|contest [^\s:,]+|guardian \d+"
    r"|[\w.-]+\.jsonl?(?: line \d+)?)(?P<sep>: |, | |$)"
)
_EARLIER = re.compile(r"\b(V\d+)\b")


@dataclass(frozen=True, slots=True, kw_only=True)
class Failure:
    """One failure a program can filter: the check, where (a file, ``entry N``, a contest or
    a guardian; empty when the whole check failed) and the reason in words."""

    check: str
    where: str
    reason: str

    @property
    def message(self) -> str:
        """The failure as one line of text, starting with where it is."""
        if not self.where or self.reason.startswith(self.where):
            return self.reason
        return f"{self.where}: {self.reason}"

    def to_json(self) -> dict[str, str]:
        return {"check": self.check, "where": self.where, "reason": self.reason}


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckOutcome:
    """How one check went: its state, the items checked and every failure."""

    number: str
    title: str
    state: State
    checked: int
    failures: tuple[Failure, ...]
    not_checked_because: str = ""
    """For ``not checked`` and ``not yet``: why, naming the earlier check where there is one."""

    @property
    def passed(self) -> bool:
        """No failure (``not checked`` and ``not yet`` are no failure, but no pass either)."""
        return not self.failures

    @property
    def messages(self) -> list[str]:
        """Each failure as one line of text."""
        return [f.message for f in self.failures]

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.number,
            "title": self.title,
            "state": self.state,
            "checked": self.checked,
            "passed": self.passed,
            "not_checked_because": self.not_checked_because,
            "failures": [f.to_json() for f in self.failures],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordSubject:
    """What was verified: the election, its base hash and the SHA-256 of every file read.

    The verify layer reads no clock: ``verified_at`` (UTC ISO 8601) is what the caller gave.
    """

    election_id: str = ""
    title: str = ""
    """The election's title in the manifest's first language."""
    titles: tuple[tuple[str, str], ...] = ()
    """The title in every language of the manifest, ``(language, title)``."""
    base_hash: str = ""
    files: tuple[tuple[str, str], ...] = ()
    verifier_version: str = ""
    verified_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "election_id": self.election_id,
            "title": self.title,
            "titles": dict(self.titles),
            "base_hash": self.base_hash,
            "files": [{"name": n, "sha256": h} for n, h in self.files],
            "verifier_version": self.verifier_version,
            "verified_at": self.verified_at,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class VerificationReport:
    """The outcome of every check of spec/protocol.md#15, in order; frozen."""

    checks: Mapping[str, CheckOutcome]
    notes: tuple[str, ...] = ()
    """What an observer should know that is not a failure (voting closed early, for one)."""
    subject: RecordSubject = field(default_factory=RecordSubject)
    partial: bool = False
    """A board still open (``verify --partial``): the tally checks are ``not yet``."""

    @property
    def passed(self) -> bool:
        """No check failed and none was left unchecked by an earlier failure."""
        return all(c.state in ("pass", "not yet") for c in self.checks.values())

    def failed_checks(self) -> list[str]:
        return [n for n, c in self.checks.items() if c.state == "fail"]

    def not_checked(self) -> list[str]:
        return [n for n, c in self.checks.items() if c.state == "not checked"]

    def failures(self, check: str | None = None) -> tuple[Failure, ...]:
        """Every failure, or those of one check, in order."""
        return tuple(
            f
            for c in self.checks.values()
            if check is None or c.number == check
            for f in c.failures
        )

    def raise_for_failures(self) -> None:
        """Raise :class:`VerificationFailed` naming every failed check, if any failed."""
        failed = self.failed_checks()
        if failed:
            count = len(self.failures())
            plural = "" if count == 1 else "s"
            first = self.failures()[0].message
            raise VerificationFailed(", ".join(failed), f"{first} ({count} failure{plural} in all)")

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject.to_json(),
            "passed": self.passed,
            "partial": self.partial,
            "notes": list(self.notes),
            "checks": [c.to_json() for c in self.checks.values()],
        }


@dataclass(slots=True)
class _Draft:
    checked: int = 0
    failures: list[Failure] = field(default_factory=list)
    skipped: str = ""
    not_yet: str = ""


@dataclass(slots=True)
class ReportBuilder:
    """The mutable side the checks write into; :meth:`build` freezes it."""

    drafts: dict[str, _Draft] = field(default_factory=lambda: {n: _Draft() for n in CHECKS})
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def ok(self, number: str, count: int = 1) -> None:
        self.drafts[number].checked += count

    def fail(self, number: str, reason: str, *, where: str | None = None) -> None:
        """Record a failure; ``where`` defaults to the place the reason starts with.

        A reason that starts with "not checked" marks the check ``not checked`` instead
        (kept for checks written before that state existed)."""
        if reason.startswith("not checked"):
            self.skip(number, reason.removeprefix("not checked").lstrip(": "))
            return
        draft = self.drafts[number]
        draft.checked += 1
        if where is None:
            match = _WHERE.match(reason)
            where = match.group("where") if match else ""
        draft.failures.append(Failure(check=number, where=where, reason=reason))

    def skip(self, number: str, because: str) -> None:
        """The check could not run: ``because`` says why, naming the earlier check."""
        draft = self.drafts[number]
        if not draft.skipped:
            draft.skipped = because

    def later(self, number: str, because: str) -> None:
        """The check cannot run yet (a board still open)."""
        self.drafts[number].not_yet = because

    def build(
        self, subject: RecordSubject | None = None, *, partial: bool = False
    ) -> VerificationReport:
        checks = {n: _outcome(n, d) for n, d in self.drafts.items()}
        return VerificationReport(
            checks=MappingProxyType(checks),
            notes=tuple(self.notes),
            subject=subject or RecordSubject(),
            partial=partial,
        )


def _outcome(number: str, draft: _Draft) -> CheckOutcome:
    state: State = "pass"
    because = ""
    if draft.failures:
        state = "fail"
    elif draft.not_yet:
        state, because = "not yet", draft.not_yet
    elif draft.skipped:
        state, because = "not checked", draft.skipped
    return CheckOutcome(
        number=number,
        title=CHECKS[number],
        state=state,
        checked=draft.checked,
        failures=tuple(draft.failures),
        not_checked_because=because,
    )
