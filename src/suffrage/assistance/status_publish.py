"""Use cases: status reports, their publication and the check of a published report against
the history (spec/assistance.md#11.4).

Who may have what: focal points, EAD staff and implementing entities get the report over
every request; a Member State liaison gets one over its own State's requests only; the
public gets only the published reports. The focal point publishes a period's report: its
figures (RFC 8785 canonical JSON) are stored with their SHA-256 and the head of the history
they were made from (the last entry's sequence and hash), and the publication is itself an
entry in the history.

A published report may be withdrawn (spec/assistance.md#11.5): the public no longer finds it
in the list, its own address gives the withdrawal's date and reason, and its row stays, so
that its figures and head are still checked.

The head answers what the chain alone cannot catch (spec/assistance.md#5): a rewrite of the
chain's tail with every hash recomputed, or the removal of its last entries, leaves a chain
that holds but changes or drops the entry a published report names.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, RowMapping

from suffrage.assistance import storage as db
from suffrage.assistance._parts import Part
from suffrage.assistance.access import Action, NotPermitted, Role, User, permit
from suffrage.assistance.history import Entry, check_chain
from suffrage.assistance.memory_storage import withdrawals
from suffrage.assistance.publication import Withdrawal, Withdrawn
from suffrage.assistance.records import case_from_row
from suffrage.assistance.status_json import canonical, report_from_document
from suffrage.assistance.status_report import StatusReport, status_report
from suffrage.assistance.status_tables import published_reports
from suffrage.errors import NotFound, VerificationFailed

__all__ = ["PublishedReport", "Reports"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishedReport:
    report_id: int
    report: StatusReport
    document: bytes
    sha256: str
    published_at: str
    published_by: str
    withdrawal: Withdrawal | None = None


def _published(row: RowMapping) -> PublishedReport:
    document = row["document"].encode("utf-8")
    withdrawal = None
    if row["reason"] is not None:
        withdrawal = Withdrawal(reason=row["reason"], by=row["withdrawn_by"],
                                at=row["withdrawn_at"])  # fmt: skip
    return PublishedReport(
        withdrawal=withdrawal,
        report_id=row["id"],
        report=report_from_document(json.loads(document)),
        document=document,
        sha256=row["sha256"],
        published_at=row["published_at"],
        published_by=row["published_by"],
    )


class Reports(Part):
    def status_report(self, user: User, start: date, end: date) -> StatusReport:
        """The figures of ``[start, end]`` over the requests ``user`` may see (a liaison: its
        own State's); the public is sent to the published reports."""
        if user.role is Role.PUBLIC:
            raise NotPermitted(
                f"{user.name} (public) may read only the published status reports "
                "(suffrage assist report published)"
            )
        permit(user, Action.VIEW_REQUESTS)
        scope = user.state if user.role is Role.MEMBER_STATE_LIAISON else None
        with self.store.engine.connect() as conn:
            return self._make(conn, start, end, scope)

    def _make(self, conn: Connection, start: date, end: date, scope: str | None) -> StatusReport:
        where = {} if scope is None else {"country": scope}
        cases = [case_from_row(r) for r in db.rows(conn, db.requests, **where)]
        entries = list(db.history_entries(conn))
        return status_report(cases, entries, start=start, end=end, scope=scope)

    def publish_report(self, user: User, start: date, end: date) -> PublishedReport:
        """The focal point publishes the period's report over every request: stored with its
        SHA-256 and the history head it was made from, and recorded in the history."""
        if user.role is not Role.FOCAL_POINT:
            raise NotPermitted(
                f"{user.name} ({user.role.value}) may not publish status reports; only the "
                "focal point for electoral assistance matters publishes them"
            )
        with self.store.writing() as conn:
            report = self._make(conn, start, end, None)
            document = canonical(report)
            digest = hashlib.sha256(document).hexdigest()
            values = {
                "period_from": start.isoformat(),
                "period_to": end.isoformat(),
                "document": document.decode("utf-8"),
                "sha256": digest,
                "head_sequence": report.head_sequence,
                "head_hash": report.head_hash,
                "published_at": self._now(),
                "published_by": user.name,
            }
            made = conn.execute(insert(published_reports).returning(published_reports.c.id), values)
            report_id = int(made.scalar_one())
            details = {
                "from": values["period_from"],
                "to": values["period_to"],
                "sha256": digest,
                "head": {"sequence": report.head_sequence, "hash": report.head_hash},
            }
            self._record(conn, user, "status report published", f"report:{report_id}", details)
            return next(r for r in _every(conn) if r.report_id == report_id)

    def published(self, user: User) -> list[PublishedReport]:
        """Every published report, oldest first: anyone may read them, the public included.
        A withdrawn one is listed only to those who publish or check them (focal points, EAD
        staff), with its withdrawal."""
        with self.store.engine.connect() as conn:
            every = _every(conn)
        if user.role in (Role.FOCAL_POINT, Role.EAD_STAFF):
            return every
        return [r for r in every if r.withdrawal is None]

    def published_report(self, user: User, report_id: int) -> PublishedReport:
        """One published report; :class:`Withdrawn` (its date and reason) once withdrawn."""
        del user  # every role, the public included
        with self.store.engine.connect() as conn:
            for found in _every(conn):
                if found.report_id != report_id:
                    continue
                if found.withdrawal is not None:
                    raise Withdrawn(f"status report {report_id}", found.withdrawal)
                return found
        raise NotFound(f"no published status report {report_id}")

    def check_published(self, user: User) -> int:
        """Check every published report against the history: its figures still hash to its
        SHA-256, the chain holds, and the entry it names as its head is still there with the
        same hash. Raises VerificationFailed naming the first report that fails; else the
        number of reports checked."""
        permit(user, Action.CHECK_HISTORY)
        with self.store.engine.connect() as conn:
            reports = _every(conn)  # the withdrawn ones too: they stay checked
            entries = list(db.history_entries(conn))
        check_chain(entries)
        for found in reports:
            _check_one(found, entries)
        return len(reports)


def _every(conn: Connection) -> list[PublishedReport]:
    """Every published report with its withdrawal (if any), oldest first."""
    query = (
        select(
            published_reports,
            withdrawals.c.reason,
            withdrawals.c.withdrawn_by,
            withdrawals.c.withdrawn_at,
        )
        .outerjoin(withdrawals, withdrawals.c.report_id == published_reports.c.id)
        .order_by(published_reports.c.id)
    )
    return [_published(r) for r in conn.execute(query).mappings()]


def _check_one(found: PublishedReport, entries: list[Entry]) -> None:
    where = f"published status report {found.report_id}"
    if hashlib.sha256(found.document).hexdigest() != found.sha256:
        raise VerificationFailed(where, "its figures do not match its SHA-256 (edited)")
    report = found.report
    sequence, expected = report.head_sequence, report.head_hash
    if sequence == 0:
        return
    if sequence > len(entries):
        raise VerificationFailed(
            where,
            f"it was made from the history up to entry {sequence}, but the history now ends at "
            f"entry {len(entries)} (entries removed)",
        )
    now = entries[sequence - 1].hash.hex()
    if now != expected:
        raise VerificationFailed(
            where,
            f"entry {sequence}, the head it was made from, had hash {expected}; the history "
            f"now holds {now} there (the history was rewritten from that entry or before)",
        )
