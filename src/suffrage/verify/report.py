"""The verification report: every numbered check with its counts and failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["CHECKS", "CheckOutcome", "VerificationReport"]

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
}


@dataclass(slots=True)
class CheckOutcome:
    """How one check went: items checked, and every failure with its reason."""

    number: str
    title: str
    checked: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(slots=True)
class VerificationReport:
    """The outcome of every check of spec/protocol.md#15, in order."""

    checks: dict[str, CheckOutcome] = field(
        default_factory=lambda: {n: CheckOutcome(n, t) for n, t in CHECKS.items()}
    )
    notes: list[str] = field(default_factory=list)
    """What an observer should know that is not a failure (voting closed early, for one)."""

    def note(self, text: str) -> None:
        self.notes.append(text)

    def ok(self, number: str, count: int = 1) -> None:
        self.checks[number].checked += count

    def fail(self, number: str, reason: str) -> None:
        outcome = self.checks[number]
        outcome.checked += 1
        outcome.failures.append(reason)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks.values())

    def failed_checks(self) -> list[str]:
        return [n for n, c in self.checks.items() if not c.passed]

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "notes": list(self.notes),
            "checks": [
                {
                    "check": c.number,
                    "title": c.title,
                    "checked": c.checked,
                    "passed": c.passed,
                    "failures": c.failures,
                }
                for c in self.checks.values()
            ],
        }
