"""Use cases: new versions of a document, and withdrawing a published document or status
report (spec/assistance.md#10.7, #10.8, #11.5). Each change is one transaction with its
history entry, which binds the rows it wrote (``version_row``, ``withdrawals``), so that
``history check`` finds an edit or a removal of them.

A version is attached through :meth:`Memory.attach_document` with ``supersedes``; this
module holds the rules and the lines of versions. A withdrawal is a new row of
``assist_withdrawals``, never an UPDATE: the row withdrawn stays, and stays checkable.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, RowMapping

from suffrage.assistance import storage as db
from suffrage.assistance._parts import Part
from suffrage.assistance.access import Action, NotPermitted, Role, User, permit
from suffrage.assistance.memory import Document
from suffrage.assistance.memory_storage import (
    digest_row,
    document_versions,
    documents,
    withdrawals,
)
from suffrage.assistance.publication import (
    SEES_EVERY_DOCUMENT,
    Standing,
    Version,
    Withdrawal,
    Withdrawn,
    check_reason,
)
from suffrage.assistance.status_tables import published_reports
from suffrage.errors import InvalidInput, NotFound

__all__ = ["Publications", "line_of", "next_version", "withdrawal_of"]


def withdrawal_of(
    conn: Connection, *, document_id: int | None = None, report_id: int | None = None
) -> Withdrawal | None:
    """The withdrawal of a document version or of a status report, if it was withdrawn."""
    column = withdrawals.c.document_id if report_id is None else withdrawals.c.report_id
    number = document_id if report_id is None else report_id
    row = conn.execute(select(withdrawals).where(column == number)).mappings().first()
    if row is None:
        return None
    return Withdrawal(reason=row["reason"], by=row["withdrawn_by"], at=row["withdrawn_at"])


def line_of(conn: Connection, document_id: int) -> list[int]:
    """Every version of the document ``document_id`` is one of, oldest first."""
    query = select(document_versions.c.first).where(document_versions.c.document_id == document_id)
    first = conn.execute(query).scalar_one_or_none() or document_id
    later = select(document_versions.c.document_id).where(document_versions.c.first == first)
    return [first, *sorted(int(n) for (n,) in conn.execute(later))]


def _version_number(conn: Connection, document_id: int) -> int:
    query = select(document_versions.c.version).where(
        document_versions.c.document_id == document_id
    )
    return int(conn.execute(query).scalar_one_or_none() or 1)


def _superseded_by(conn: Connection, document_id: int) -> int | None:
    query = select(document_versions.c.document_id).where(
        document_versions.c.supersedes == document_id
    )
    found = conn.execute(query).scalar_one_or_none()
    return None if found is None else int(found)


def next_version(
    conn: Connection, old: RowMapping, request_id: int, document: Document
) -> tuple[dict[str, int], bool]:
    """The versions row of a new version of ``old`` (a document row), and whether the new
    version is published with it (the one it supersedes is published and not withdrawn).
    Refused: ``old`` of another request, already superseded (a fork), or of another kind."""
    number = int(old["id"])
    if old["request_id"] != request_id:
        raise InvalidInput(
            "supersedes",
            f"document {number} is attached to another request: a new version is attached to "
            "the request of the document it supersedes",
        )
    later = _superseded_by(conn, number)
    if later is not None:
        raise InvalidInput(
            "supersedes",
            f"document {number} is already superseded by document {later}: a new version "
            f"supersedes the current version ({line_of(conn, number)[-1]}), never an older one",
        )
    if old["kind"] != document.kind.value:
        raise InvalidInput(
            "kind",
            f"document {number} is a {old['kind']}: a new version keeps its kind, got "
            f"{document.kind.value}",
        )
    public = bool(old["published"]) and withdrawal_of(conn, document_id=number) is None
    row = {
        "supersedes": number,
        "first": line_of(conn, number)[0],
        "version": _version_number(conn, number) + 1,
    }
    return row, public


class Publications(Part):
    def document_standing(self, user: User, document_id: int) -> Standing:
        """Where a document stands: its version, the line of versions ``user`` may see, what
        superseded it, its withdrawal. The public is refused as for the document itself
        (:class:`Withdrawn` when its publication was withdrawn)."""
        permit(user, Action.SEARCH_DOCUMENTS)
        with self.store.engine.connect() as conn:
            row = _document(conn, document_id)
            if row is None or not _sees(conn, user, row):
                raise NotFound(f"no document {document_id} that {user.name} may see")
            versions = tuple(
                v
                for v in (_version(conn, n) for n in line_of(conn, document_id))
                if v.published or user.role in SEES_EVERY_DOCUMENT or _own(user, row)
            )
            supersedes = conn.execute(
                select(document_versions.c.supersedes).where(
                    document_versions.c.document_id == document_id
                )
            ).scalar_one_or_none()
            return Standing(
                document_id=document_id,
                version=_version_number(conn, document_id),
                supersedes=None if supersedes is None else int(supersedes),
                superseded_by=_superseded_by(conn, document_id),
                withdrawal=withdrawal_of(conn, document_id=document_id),
                versions=versions,
            )

    def withdraw_document(self, user: User, document_id: int, reason: str) -> Standing:
        """Withdraw the publication of a document: every published version of it (any of
        its versions may be named) gets a withdrawal row; the rows stay. Focal points and
        EAD staff, as for publishing."""
        permit(user, Action.PUBLISH_DOCUMENT)
        kept = check_reason(reason)
        with self.store.writing() as conn:
            row = _document(conn, document_id)
            if row is None:
                raise NotFound(f"no document {document_id} that {user.name} may see")
            line = line_of(conn, document_id)
            taken = [n for n in line if _public(conn, n)]
            if not taken:
                done = [w for n in line if (w := withdrawal_of(conn, document_id=n))]
                if done:
                    raise InvalidInput(
                        "document", f"document {document_id} was already withdrawn on {done[-1].on}"
                    )
                raise InvalidInput(
                    "document", f"document {document_id} is not published: nothing to withdraw"
                )
            at = self._now()
            bound = dict(self._withdrawal(conn, user, kept, at, document_id=n) for n in taken)
            details = {
                "document": document_id,
                "versions": taken,
                "reason": kept,
                "withdrawals": bound,
            }
            self._record(conn, user, "document withdrawn", row["reference"], details)
        return self.document_standing(user, document_id)

    def withdraw_report(self, user: User, report_id: int, reason: str) -> Withdrawal:
        """Withdraw a published status report (the focal point, who publishes them): the
        public no longer finds it; its row, figures and SHA-256 stay and stay checked."""
        if user.role is not Role.FOCAL_POINT:
            raise NotPermitted(
                f"{user.name} ({user.role.value}) may not withdraw status reports; only the "
                "focal point for electoral assistance matters publishes and withdraws them"
            )
        kept = check_reason(reason)
        with self.store.writing() as conn:
            found = conn.execute(
                select(published_reports.c.id).where(published_reports.c.id == report_id)
            ).first()
            if found is None:
                raise NotFound(f"no published status report {report_id}")
            before = withdrawal_of(conn, report_id=report_id)
            if before is not None:
                raise InvalidInput(
                    "report", f"status report {report_id} was already withdrawn on {before.on}"
                )
            at = self._now()
            bound = dict([self._withdrawal(conn, user, kept, at, report_id=report_id)])
            details = {"report": report_id, "reason": kept, "withdrawals": bound}
            self._record(conn, user, "status report withdrawn", f"report:{report_id}", details)
            return Withdrawal(reason=kept, by=user.name, at=at)

    def _withdrawal(
        self, conn: Connection, user: User, reason: str, at: str, **what: int
    ) -> tuple[str, str]:
        """Insert one withdrawal row; its number and the digest its entry binds."""
        values = {"reason": reason, "withdrawn_by": user.name, "withdrawn_at": at, **what}
        made = conn.execute(insert(withdrawals).returning(withdrawals.c.id), values)
        number = int(made.scalar_one())
        row = conn.execute(select(withdrawals).where(withdrawals.c.id == number)).mappings().one()
        return str(number), digest_row(dict(row))


def _document(conn: Connection, document_id: int) -> RowMapping | None:
    query = (
        select(documents, db.requests.c.reference, db.requests.c.country)
        .join(db.requests, db.requests.c.id == documents.c.request_id)
        .where(documents.c.id == document_id)
    )
    return conn.execute(query).mappings().first()


def _public(conn: Connection, document_id: int) -> bool:
    row = conn.execute(select(documents.c.published).where(documents.c.id == document_id)).one()
    return bool(row[0]) and withdrawal_of(conn, document_id=document_id) is None


def _own(user: User, row: RowMapping) -> bool:
    return user.role is Role.MEMBER_STATE_LIAISON and row["country"] == user.state


def _sees(conn: Connection, user: User, row: RowMapping) -> bool:
    """Whether ``user`` sees the document; :class:`Withdrawn` for a withdrawn publication."""
    if user.role in SEES_EVERY_DOCUMENT or _own(user, row):
        return True
    if not row["published"]:
        return False
    gone = withdrawal_of(conn, document_id=int(row["id"]))
    if gone is not None:
        raise Withdrawn(f"document {row['id']}", gone)
    return True


def _version(conn: Connection, document_id: int) -> Version:
    row = _document(conn, document_id)
    assert row is not None  # a version of a line that exists
    return Version(
        document_id=document_id,
        version=_version_number(conn, document_id),
        title=row["title"],
        dated=date.fromisoformat(row["dated"]),
        attached_by=row["attached_by"],
        attached_at=row["attached_at"],
        published=bool(row["published"]),
        withdrawal=withdrawal_of(conn, document_id=document_id),
    )
