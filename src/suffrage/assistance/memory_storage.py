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
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
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

__all__ = ["FTS_TABLE", "check_documents", "create_search", "documents", "search_rows"]

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


def create_search(conn: Connection, dialect: str) -> None:
    """The full-text index and the triggers, where missing (``Store`` calls this)."""
    for statement in _PG if dialect == "postgresql" else _SQLITE:
        conn.execute(text(statement))


_COLUMNS = "d.id, d.kind, d.language, d.title, d.body, d.dated, d.published, r.reference, r.country"


def search_rows(
    conn: Connection,
    terms: Sequence[str],
    *,
    state: str | None,
    everything: bool,
    language: str | None,
    kind: str | None,
    limit: int,
) -> list[RowMapping]:
    """The documents holding every term, best first: only the published ones unless
    ``everything``, or, with ``state``, the published ones and that State's."""
    where, values = _filters(state=state, everything=everything, language=language, kind=kind)
    values["limit"] = limit
    if conn.dialect.name == "postgresql":
        values["query"] = " ".join(terms)
        sql = (
            # S608: fixed fragments only; every value is a bound parameter
            f"SELECT {_COLUMNS}, ts_rank(d.search, q.query) AS score "  # noqa: S608
            "FROM assist_documents d JOIN assist_requests r ON r.id = d.request_id, "
            "plainto_tsquery('simple'::regconfig, :query) AS q(query) "
            f"WHERE d.search @@ q.query{where} ORDER BY score DESC, d.id LIMIT :limit"
        )
    else:
        # every term a quoted string: nothing in it is FTS5 syntax (spec/assistance.md#10)
        values["query"] = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
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
        where += " AND (d.published = :yes" + (" OR r.country = :state)" if state else ")")
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
