"""Use cases: the institutional memory (spec/assistance.md#10): attach (a new version
too, #10.7), publish, search and show documents, each attach and publication written to the
request's history in the same transaction.

Who sees a document: everyone, once it is published; before, whoever sees its request
(focal points, EAD staff, implementing entities; a liaison only its own State's).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from suffrage.assistance import storage as db
from suffrage.assistance._parts import Part
from suffrage.assistance._publish_use import next_version, withdrawal_of
from suffrage.assistance.access import Action, NotPermitted, Role, User, permit
from suffrage.assistance.domain import State
from suffrage.assistance.memory import (
    DocKind,
    Document,
    Filed,
    Hit,
    check_document,
    index_text,
    query_groups,
    snippet,
)
from suffrage.assistance.memory_storage import (
    digest_row,
    document_versions,
    documents,
    fixed_row,
    search_rows,
    version_row,
)
from suffrage.assistance.publication import SEES_EVERY_DOCUMENT, Withdrawn
from suffrage.errors import InvalidInput, NotFound, VerificationFailed

__all__ = ["KIND_STATES", "MAX_RESULTS", "Memory"]

MAX_RESULTS = 100

_ASSESSED_ON = (
    State.ASSESSMENT_PLANNED,
    State.ASSESSED,
    State.DECIDED,
    State.UNDER_WAY,
    State.CLOSED,
)
KIND_STATES: Mapping[DocKind, tuple[State, ...]] = {
    DocKind.ASSESSMENT_REPORT: _ASSESSED_ON,
    DocKind.FINAL_REPORT: (State.DECIDED, State.UNDER_WAY, State.CLOSED),
    DocKind.LESSON_LEARNED: tuple(State),
    DocKind.OTHER: tuple(State),
}
"""The states a request must be in for a document of each kind: an assessment report once
the assessment is planned, a final report once the request is decided (a decline's reply
included)."""
_ENTITY_KINDS = frozenset({DocKind.FINAL_REPORT, DocKind.LESSON_LEARNED, DocKind.OTHER})
"""What an implementing entity may attach: not a needs assessment's report (the focal
point's, made by EAD-led missions)."""


class Memory(Part):
    def attach_document(
        self, user: User, reference: str, document: Document, *, supersedes: int | None = None
    ) -> Filed:
        """Attach ``document`` to request ``reference``; refused unless the user may, the
        request is in a state for that kind, and the document is sound. With ``supersedes``,
        it is a new version of that document (spec/assistance.md#10.7): of the same request
        and kind, of its current version only, and published with it when that one is."""
        permit(user, Action.ATTACH_DOCUMENT)
        if document.published:
            permit(user, Action.PUBLISH_DOCUMENT)
        check_document(document)
        with self.store.writing() as conn:
            request = _request(conn, user, reference)
            _may_attach(conn, user, request, document.kind)
            version: dict[str, int] | None = None
            if supersedes is not None:
                old = _visible(conn, user, supersedes)
                row = conn.execute(select(documents).where(documents.c.id == old.document_id))
                version, public = next_version(conn, row.mappings().one(), request["id"], document)
                if public and not document.published:
                    permit(user, Action.PUBLISH_DOCUMENT)  # published with the one it supersedes
                    document = replace(document, published=True)
            digest = hashlib.sha256(document.body.encode("utf-8")).hexdigest()
            values = {
                "request_id": request["id"],
                "kind": document.kind.value,
                "language": document.language,
                "title": document.title,
                "body": document.body,
                "author": document.author,
                "dated": document.dated.isoformat(),
                "published": document.published,
                "sha256": digest,
                "attached_by": user.name,
                "attached_at": self._now(),
                "search_title": index_text(document.title, document.language),
                "search_body": index_text(document.body, document.language),
            }
            document_id = db.insert_row(conn, documents, values)
            details = {
                "document": document_id,
                **{k: values[k] for k in ("kind", "language", "title", "author", "dated")},
                "published": document.published,
                "sha256": digest,
                "document_row": digest_row(fixed_row(conn, document_id) or {}),
            }
            if version is not None:
                conn.execute(insert(document_versions), {"document_id": document_id, **version})
                details["supersedes"] = version["supersedes"]
                details["version"] = version["version"]
                details["version_row"] = digest_row(version_row(conn, document_id) or {})
            self._record(conn, user, "document attached", reference, details)
            return _filed(conn, document_id)

    def publish_document(self, user: User, document_id: int) -> Filed:
        """Make a document visible to the public (refused when it already is, when a later
        version superseded it, or when its publication was withdrawn: publish again by
        attaching a new version, spec/assistance.md#10.8)."""
        permit(user, Action.PUBLISH_DOCUMENT)
        with self.store.writing() as conn:
            found = _visible(conn, user, document_id)
            gone = withdrawal_of(conn, document_id=document_id)
            if gone is not None:
                raise InvalidInput(
                    "document",
                    f"document {document_id} was withdrawn on {gone.on}: a withdrawal is final; "
                    "attach a new version and publish that",
                )
            later = conn.execute(
                select(document_versions.c.document_id).where(
                    document_versions.c.supersedes == document_id
                )
            ).scalar_one_or_none()
            if later is not None:
                raise InvalidInput(
                    "document",
                    f"document {document_id} is superseded by document {later}: publish the "
                    "current version",
                )
            if found.document.published:
                raise InvalidInput("document", f"document {document_id} is already published")
            conn.execute(
                update(documents).where(documents.c.id == document_id).values(published=True)
            )
            details = {"document": document_id, "title": found.document.title}
            self._record(conn, user, "document published", found.reference, details)
            return _filed(conn, document_id)

    def search_documents(
        self,
        user: User,
        query: str,
        *,
        language: str | None = None,
        kind: DocKind | None = None,
        limit: int = 20,
    ) -> list[Hit]:
        """The documents ``user`` may see that hold every word of ``query``, best first,
        each with a snippet; ``language`` and ``kind`` narrow the search. Only the current
        version of each document (:meth:`search_versions` finds the older ones too)."""
        found = self.search_versions(user, query, language=language, kind=kind, limit=limit,
                                     every_version=False)  # fmt: skip
        return [hit for hit, _ in found]

    def search_versions(
        self,
        user: User,
        query: str,
        *,
        language: str | None = None,
        kind: DocKind | None = None,
        limit: int = 20,
        every_version: bool = True,
    ) -> list[tuple[Hit, int | None]]:
        """As :meth:`search_documents`, with every version when ``every_version``: each hit
        with the number of the version that superseded it (``None``: the current one)."""
        permit(user, Action.SEARCH_DOCUMENTS)
        terms = query_groups(query)
        if not 1 <= limit <= MAX_RESULTS:
            raise InvalidInput("limit", f"between 1 and {MAX_RESULTS}, got {limit}")
        liaison = user.role is Role.MEMBER_STATE_LIAISON
        with self.store.engine.connect() as conn:
            found = search_rows(
                conn,
                terms,
                state=user.state if liaison else None,
                everything=user.role in SEES_EVERY_DOCUMENT,
                language=language,
                kind=None if kind is None else kind.value,
                limit=limit,
                every_version=every_version,
            )
        return [(_hit(row, terms), row["superseded_by"]) for row in found]

    def show_document(self, user: User, document_id: int) -> Filed:
        """A document ``user`` may see, its text checked against the digest the history
        recorded when it was attached (:class:`VerificationFailed` if they differ)."""
        permit(user, Action.SEARCH_DOCUMENTS)
        with self.store.engine.connect() as conn:
            found = _visible(conn, user, document_id)
            recorded = [
                e.details.get("sha256")
                for e in db.history_entries(conn)
                if e.action == "document attached" and e.details.get("document") == document_id
            ]
        actual = hashlib.sha256(found.document.body.encode("utf-8")).hexdigest()
        if recorded != [actual] or found.sha256 != actual:
            raise VerificationFailed(
                f"document {document_id}",
                "its text does not match the digest the history recorded when it was attached",
            )
        return found


def _request(conn: Connection, user: User, reference: str) -> RowMapping:
    """The request, if ``user`` may see it (the rule of ``service._see``)."""
    row = db.one(conn, db.requests, reference=reference)
    if row is None:
        raise NotFound(f"no request {reference!r}")
    if user.role is Role.MEMBER_STATE_LIAISON and row["country"] != user.state:
        raise NotPermitted(
            f"{user.name} (member_state_liaison for {user.state}) may view only "
            f"{user.state}'s requests; {reference} concerns another State"
        )
    return row


def _may_attach(conn: Connection, user: User, request: RowMapping, kind: DocKind) -> None:
    state = State(request["state"])
    if state not in KIND_STATES[kind]:
        allowed = ", ".join(s.value for s in KIND_STATES[kind])
        raise InvalidInput(
            "kind",
            f"request {request['reference']} is {state.value}: a {kind.value} is attached to "
            f"a request that is {allowed}",
        )
    if user.role is not Role.IMPLEMENTING_ENTITY:
        return
    if kind not in _ENTITY_KINDS:
        raise NotPermitted(
            f"{user.name} (implementing_entity for {user.entity}) may attach "
            f"{', '.join(sorted(k.value for k in _ENTITY_KINDS))}, not {kind.value}"
        )
    activity = conn.execute(
        select(db.activities.c.id).where(
            db.activities.c.request_id == request["id"], db.activities.c.entity == user.entity
        )
    ).first()
    if activity is None:
        raise NotPermitted(
            f"{user.name} (implementing_entity for {user.entity}) may attach documents only to "
            f"requests {user.entity} has activities under; {request['reference']} has none"
        )


def _visible(conn: Connection, user: User, document_id: int) -> Filed:
    """The document, if ``user`` may see it; the same refusal whether it does not exist or
    is not for this user's eyes, so that an unpublished document's existence stays private."""
    found = _load(conn, document_id)
    own = found is not None and (
        user.role in SEES_EVERY_DOCUMENT
        or (user.role is Role.MEMBER_STATE_LIAISON and found.country == user.state)
    )
    if found is None or not (own or found.document.published):
        raise NotFound(f"no document {document_id} that {user.name} may see")
    gone = None if own else withdrawal_of(conn, document_id=document_id)
    if gone is not None:  # its own address says so (spec/assistance.md#10.8)
        raise Withdrawn(f"document {document_id}", gone)
    return found


def _filed(conn: Connection, document_id: int) -> Filed:
    found = _load(conn, document_id)
    if found is None:
        raise NotFound(f"no document {document_id}")
    return found


def _load(conn: Connection, document_id: int) -> Filed | None:
    query = (
        select(documents, db.requests.c.reference, db.requests.c.country)
        .join(db.requests, db.requests.c.id == documents.c.request_id)
        .where(documents.c.id == document_id)
    )
    row = conn.execute(query).mappings().first()
    if row is None:
        return None
    return Filed(
        document_id=row["id"],
        reference=row["reference"],
        country=row["country"],
        document=Document(
            kind=DocKind(row["kind"]),
            language=row["language"],
            title=row["title"],
            body=row["body"],
            author=row["author"],
            dated=date.fromisoformat(row["dated"]),
            published=bool(row["published"]),
        ),
        attached_by=row["attached_by"],
        attached_at=row["attached_at"],
        sha256=row["sha256"],
    )


def _hit(row: RowMapping, terms: list[tuple[str, ...]]) -> Hit:
    segments, before, after = snippet(row["body"], terms, language=row["language"])
    return Hit(
        document_id=row["id"],
        reference=row["reference"],
        country=row["country"],
        kind=DocKind(row["kind"]),
        language=row["language"],
        title=row["title"],
        dated=date.fromisoformat(row["dated"]),
        published=bool(row["published"]),
        score=float(row["score"]),
        snippet=segments,
        before=before,
        after=after,
    )
