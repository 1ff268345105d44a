"""The table of published status reports (spec/assistance.md#11.4), on the registry's
``metadata``: :mod:`~suffrage.assistance.storage` imports this module so that ``create_all``
makes it, and lists it among the append-only tables (a published report is never edited).
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, Text

from suffrage.assistance.storage import metadata

__all__ = ["published_reports"]

published_reports = Table(
    "assist_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("period_from", String(10), nullable=False),
    Column("period_to", String(10), nullable=False),
    Column("document", Text, nullable=False),  # RFC 8785 canonical JSON of the figures
    Column("sha256", String(64), nullable=False),
    Column("head_sequence", Integer, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("published_at", String(40), nullable=False),
    Column("published_by", String(200), nullable=False),
)
