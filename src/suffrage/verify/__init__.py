"""The verifier: :func:`verify_record` re-checks an election from its record alone.

Each numbered check of spec/protocol.md#15 has its function in a module of this package;
the report is a frozen :class:`VerificationReport` whose failures a program can filter.
"""

from __future__ import annotations

from suffrage.verify.record import load_record, verify_record
from suffrage.verify.report import (
    CHECKS,
    CheckOutcome,
    Failure,
    RecordSubject,
    VerificationReport,
)

__all__ = [
    "CHECKS",
    "CheckOutcome",
    "Failure",
    "RecordSubject",
    "VerificationReport",
    "load_record",
    "verify_record",
]
