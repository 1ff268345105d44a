"""The institutional memory's table and its full-text indexes (spec/assistance.md#10).

``assist_documents`` holds each document's text as attached and, beside it, its index text
(:func:`~suffrage.assistance.memory.index_text`: folded terms separated by spaces) for the
title and the body. The engines index the index text:

* SQLite: an FTS5 table over it (external content, filled by a trigger on insert), with the
  ``unicode61`` tokenizer, ``remove_diacritics 2`` and the categories ``L* N* Co M*`` (the
  combining marks inside words kept in them, as the application's tokens keep them), so that
  FTS5 splits the index text exactly where the application did: at the spaces;
* PostgreSQL: a stored generated ``tsvector`` column under the ``simple`` configuration, the
  title weighted A and the body D, with a GIN index.

A document's text never changes once attached, and no document is deleted: triggers refuse
both (only ``published`` may change), as they do for the history.

Two append-only tables sit beside it (spec/assistance.md#10.7, #10.8): ``assist_document_versions``
(which document supersedes which: one row per later version, ``supersedes`` unique so that
no version is superseded twice) and ``assist_withdrawals`` (a published document or status
report taken back, with who, when and why; one per document or report). Withdrawal is a new
row, never an UPDATE: the triggers refuse both UPDATE and DELETE on these tables.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    select,
    text,
)
from sqlalchemy.engine import Connection, RowMapping

from suffrage.assistance import storage as db
from suffrage.assistance.history import Entry, HistoryBroken
from suffrage.assistance.storage import digest_row

__all__ = [
    "FTS_TABLE",
    "check_documents",
    "create_search",
    "digest_row",
    "document_versions",
    "documents",
    "fixed_row",
    "search_rows",
    "version_row",
    "withdrawals",
]

documents = Table(
    "assist_documents",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", Integer, ForeignKey("assist_requests.id"), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("language", String(5), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("author", String(200), nullable=False),
    Column("dated", String(10), nullable=False),
    Column("published", Boolean, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("attached_by", String(200), nullable=False),
    Column("attached_at", String(40), nullable=False),
    Column("search_title", Text, nullable=False),
    Column("search_body", Text, nullable=False),
)

document_versions = Table(
    "assist_document_versions",
    db.metadata,
    Column(
        "document_id",
        Integer,
        ForeignKey("assist_documents.id"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("supersedes", Integer, ForeignKey("assist_documents.id"), nullable=False, unique=True),
    Column("first", Integer, ForeignKey("assist_documents.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
)
"""A later version of a document: the one it supersedes (never two rows for one: no fork),
the document's first version and its number (2, 3, ...). A first version has no row."""
withdrawals = Table(
    "assist_withdrawals",
    db.metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("assist_documents.id"), unique=True),
    Column("report_id", Integer, ForeignKey("assist_reports.id"), unique=True),
    Column("reason", Text, nullable=False),
    Column("withdrawn_by", String(200), nullable=False),
    Column("withdrawn_at", String(40), nullable=False),
    CheckConstraint("(document_id IS NULL) <> (report_id IS NULL)", name="withdraws_one"),
)
"""A publication withdrawn: of one document version or one status report, never both."""
_KEPT = (document_versions.name, withdrawals.name)

FTS_TABLE = "assist_documents_fts"
_FIXED = [c.name for c in documents.columns if c.name != "published"]
_TOKENIZE = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
TITLE_WEIGHT = 4.0
"""How much more a word found in the title counts than one in the body (FTS5's bm25
column weight; on PostgreSQL the title is weighted A, 1.0, and the body D, 0.1)."""

_SQLITE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_title, search_body, "
    f"content='assist_documents', content_rowid='id', tokenize=\"{_TOKENIZE}\")",
    # S608: every piece is a constant of this module
    f"CREATE TRIGGER IF NOT EXISTS assist_documents_indexed AFTER INSERT ON assist_documents "  # noqa: S608
    f"BEGIN INSERT INTO {FTS_TABLE}(rowid, search_title, search_body) "
    "VALUES (new.id, new.search_title, new.search_body); END",
    f"CREATE TRIGGER IF NOT EXISTS assist_documents_fixed BEFORE UPDATE OF {', '.join(_FIXED)} "
    "ON assist_documents BEGIN SELECT RAISE(ABORT, 'assist_documents: a document''s text is "
    "fixed once attached; UPDATE refused'); END",
    "CREATE TRIGGER IF NOT EXISTS assist_documents_kept BEFORE DELETE ON assist_documents "
    "BEGIN SELECT RAISE(ABORT, 'assist_documents: documents are kept; DELETE refused'); END",
]

_PG_FIXED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in _FIXED)
_PG = [
    "ALTER TABLE assist_documents ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS "
    "(setweight(to_tsvector('simple'::regconfig, search_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, search_body), 'D')) STORED",
    "CREATE INDEX IF NOT EXISTS assist_documents_search ON assist_documents USING GIN (search)",
    f"""CREATE OR REPLACE FUNCTION assist_document_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'assist_documents: documents are kept; % refused', TG_OP;
  END IF;
  IF {_PG_FIXED} THEN
    RAISE EXCEPTION 'assist_documents: a document''s text is fixed once attached; UPDATE refused';
  END IF;
  RETURN NEW;
END $$""",
    "CREATE OR REPLACE TRIGGER assist_documents_fixed BEFORE UPDATE OR DELETE ON "
    "assist_documents FOR EACH ROW EXECUTE FUNCTION assist_document_fixed()",
    "CREATE OR REPLACE TRIGGER assist_documents_no_truncate BEFORE TRUNCATE ON "
    "assist_documents FOR EACH STATEMENT EXECUTE FUNCTION assist_document_fixed()",
]
# the versions and the withdrawals are append-only, as the history (storage.py's function)
_SQLITE += [
    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
    for table in _KEPT
    for op in ("UPDATE", "DELETE")
]
for _table in _KEPT:
    _PG += [
        f"CREATE OR REPLACE TRIGGER {_table}_append_only BEFORE UPDATE OR DELETE ON {_table} "
        "FOR EACH ROW EXECUTE FUNCTION assist_append_only()",
        f"CREATE OR REPLACE TRIGGER {_table}_no_truncate BEFORE TRUNCATE ON {_table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION assist_append_only()",
    ]


def create_search(conn: Connection, dialect: str) -> None:
    """The full-text index and the triggers, where missing (``Store`` calls this)."""
    for statement in _PG if dialect == "postgresql" else _SQLITE:
        conn.execute(text(statement))


_COLUMNS = (
    "d.id, d.kind, d.language, d.title, d.body, d.dated, d.published, r.reference, r.country, "
    "(SELECT v.document_id FROM assist_document_versions v WHERE v.supersedes = d.id) "
    "AS superseded_by"
)
_WITHDRAWN = "EXISTS (SELECT 1 FROM assist_withdrawals x WHERE x.document_id = d.id)"
_SUPERSEDED = "EXISTS (SELECT 1 FROM assist_document_versions v WHERE v.supersedes = d.id)"


def search_rows(
    conn: Connection,
    terms: Sequence[str | Sequence[str]],
    *,
    state: str | None,
    everything: bool,
    language: str | None,
    kind: str | None,
    limit: int,
    every_version: bool = False,
) -> list[RowMapping]:
    """The documents holding every term (one term of every group: a word and its stems,
    spec/assistance.md#10.5), best first: only the published ones not withdrawn
    unless ``everything``, or, with ``state``, those and that State's; only current versions
    unless ``every_version`` (each row says in ``superseded_by`` which version superseded it)."""
    where, values = _filters(state=state, everything=everything, language=language, kind=kind)
    if not every_version:
        where += f" AND NOT {_SUPERSEDED}"
    values["limit"] = limit
    groups = [(t,) if isinstance(t, str) else tuple(t) for t in terms]
    if conn.dialect.name == "postgresql":
        ands = []
        for i, group in enumerate(groups):
            ors = []
            for j, variant in enumerate(group):
                values[f"t{i}_{j}"] = variant
                ors.append(f"plainto_tsquery('simple'::regconfig, :t{i}_{j})")
            ands.append("(" + " || ".join(ors) + ")")
        query = " && ".join(ands)
        sql = (
            # S608: fixed fragments only; every value is a bound parameter
            f"SELECT {_COLUMNS}, ts_rank(d.search, q.query) AS score "  # noqa: S608
            "FROM assist_documents d JOIN assist_requests r ON r.id = d.request_id, "
            f"(SELECT {query}) AS q(query) "
            f"WHERE d.search @@ q.query{where} ORDER BY score DESC, d.id LIMIT :limit"
        )
    else:
        # every term a quoted string: nothing in it is FTS5 syntax (spec/assistance.md#10)
        values["query"] = " AND ".join(
            "(" + " OR ".join('"' + t.replace('"', '""') + '"' for t in group) + ")"
            for group in groups
        )
        sql = (
            f"SELECT {_COLUMNS}, -bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) AS score "  # noqa: S608
            f"FROM {FTS_TABLE} JOIN assist_documents d ON d.id = {FTS_TABLE}.rowid "
            "JOIN assist_requests r ON r.id = d.request_id "
            f"WHERE {FTS_TABLE} MATCH :query{where} ORDER BY score DESC, d.id LIMIT :limit"
        )
    return list(conn.execute(text(sql), values).mappings())


def _filters(
    *, state: str | None, everything: bool, language: str | None, kind: str | None
) -> tuple[str, dict[str, Any]]:
    where = ""
    values: dict[str, Any] = {}
    if not everything:
        public = f"(d.published = :yes AND NOT {_WITHDRAWN})"
        where += f" AND ({public}" + (" OR r.country = :state)" if state else ")")
        values["yes"] = True
        if state:
            values["state"] = state
    if language is not None:
        where += " AND d.language = :language"
        values["language"] = language
    if kind is not None:
        where += " AND d.kind = :kind"
        values["kind"] = kind
    return where, values


def check_documents(conn: Connection, entries: Sequence[Entry]) -> None:
    """Raise :class:`HistoryBroken` when a document is not what the history recorded: no
    ``document attached`` entry (inserted outside the registry), a text whose SHA-256 is not
    the one recorded, or a ``published`` flag the entries do not account for
    (spec/assistance.md#10.3)."""
    attached: dict[int, Entry] = {}
    published: set[int] = set()
    for entry in entries:
        number = entry.details.get("document")
        if entry.action == "document attached" and isinstance(number, int):
            attached[number] = entry
            if entry.details.get("published") is True:
                published.add(number)
        elif entry.action == "document published" and isinstance(number, int):
            published.add(number)
    query = select(documents.c.id, documents.c.body, documents.c.published)
    for number, body, flag in conn.execute(query.order_by(documents.c.id)):
        recorded = attached.get(number)
        if recorded is None:
            raise HistoryBroken(
                len(entries) + 1, f"document {number} has no history entry (added outside)"
            )
        if hashlib.sha256(body.encode("utf-8")).hexdigest() != recorded.details.get("sha256"):
            raise HistoryBroken(
                recorded.sequence, f"document {number}'s text is not the one recorded"
            )
        if bool(flag) != (number in published):
            raise HistoryBroken(
                recorded.sequence, f"document {number}'s published flag was changed outside"
            )
    _check_bound(conn, entries, attached)
    _check_withdrawals(conn, entries)


def fixed_row(conn: Connection, document_id: int) -> dict[str, Any] | None:
    """A document's row without ``published`` (the one column that may change)."""
    columns = [c for c in documents.columns if c.name != "published"]
    row = conn.execute(select(*columns).where(documents.c.id == document_id)).mappings().first()
    return None if row is None else dict(row)


def version_row(conn: Connection, document_id: int) -> dict[str, Any] | None:
    query = select(document_versions).where(document_versions.c.document_id == document_id)
    row = conn.execute(query).mappings().first()
    return None if row is None else dict(row)


def _check_bound(conn: Connection, entries: Sequence[Entry], attached: dict[int, Entry]) -> None:
    """Each document row and version row an attach entry bound (``document_row``,
    ``version_row``) is still that row; each version row has its entry (spec/assistance.md#10.7)."""
    for number, entry in attached.items():
        bound = entry.details.get("document_row")
        row = fixed_row(conn, number)
        if row is None:
            raise HistoryBroken(entry.sequence, f"document {number} is gone (removed outside)")
        if bound is not None and digest_row(row) != bound:
            raise HistoryBroken(
                entry.sequence, f"document {number} is not the row this entry recorded (edited)"
            )
        if "supersedes" not in entry.details:
            continue
        kept = version_row(conn, number)
        if kept is None or digest_row(kept) != entry.details.get("version_row"):
            raise HistoryBroken(
                entry.sequence,
                f"document {number}'s version row is not the one this entry recorded "
                "(changed outside the registry, or removed)",
            )
    for (number,) in conn.execute(select(document_versions.c.document_id)):
        found = attached.get(number)
        if found is None or "supersedes" not in found.details:
            raise HistoryBroken(
                len(entries) + 1, f"document {number}'s version row has no history entry"
            )


_WITHDRAWING = ("document withdrawn", "status report withdrawn")


def _check_withdrawals(conn: Connection, entries: Sequence[Entry]) -> None:
    """Each withdrawal row is the row its entry bound, and each row bound is still there
    (spec/assistance.md#10.8)."""
    bound: dict[int, tuple[Entry, str]] = {}
    for entry in entries:
        if entry.action in _WITHDRAWING:
            for number, digest in entry.details.get("withdrawals", {}).items():
                bound[int(number)] = (entry, str(digest))
    db.check_bound_rows(conn, withdrawals, bound, "withdrawal", len(entries) + 1)
