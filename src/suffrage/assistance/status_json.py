"""The status report's figures as JSON (spec/assistance.md#11.3): language-independent.

:func:`report_document` is the figures' JSON object (schema
``suffrage/assistance/status-report/v1``), the object a published report stores and hashes as
RFC 8785 canonical bytes (:func:`canonical`); :func:`report_from_document` reads it back, so
that a published report can be rendered again in any language and format.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import rfc8785

from suffrage.assistance.domain import Kind, Outcome, State
from suffrage.assistance.regions import Group
from suffrage.assistance.status_report import GIVEN, Given, RegionView, Spread, StatusReport
from suffrage.errors import InvalidInput
from suffrage.i18n import Catalog, catalog

__all__ = [
    "SCHEMA",
    "Published",
    "canonical",
    "report_document",
    "report_from_document",
    "report_json",
]

SCHEMA = "suffrage/assistance/status-report/v1"
PACKAGE = "suffrage.assistance"


@dataclass(frozen=True, slots=True, kw_only=True)
class Published:
    """What a published report adds to its page: when, and the SHA-256 of its figures."""

    at: str
    sha256: str


def _spread(s: Spread) -> dict[str, Any]:
    return {"count": s.count, "median": s.median, "low": s.low, "high": s.high, "few": s.few}


def _given(g: Given) -> dict[str, int]:
    return {**{s.value: g.counts[s] for s in GIVEN}, "total": g.total}


def _region(r: RegionView) -> dict[str, Any]:
    shares = {o.value: (None if r.share(o) is None else round(r.share(o) or 0, 4)) for o in Outcome}
    return {
        "group": r.group.value,
        "received": r.received,
        "days_to_assessment": _spread(r.to_assessment),
        "days_to_decision": _spread(r.to_decision),
        "decided": r.decided,
        "outcomes": {o.value: r.outcomes[o] for o in Outcome},
        "shares": shares,
        "waiting": r.waiting,
    }


def report_document(report: StatusReport) -> dict[str, Any]:
    """The figures as one JSON object (the schema of spec/assistance.md#11.3)."""
    return {
        "schema": SCHEMA,
        "period": {"from": report.start.isoformat(), "to": report.end.isoformat()},
        "scope": report.scope,
        "history_head": {"sequence": report.head_sequence, "hash": report.head_hash},
        "received": {
            "total": report.received,
            "by_group": {g.value: n for g, n in report.received_by_group.items()},
            "by_kind": {k.value: n for k, n in report.received_by_kind.items()},
            "by_status_at_end": {s.value: n for s, n in report.status_at_end.items()},
        },
        "given": {
            "by_group": {g.value: _given(v) for g, v in report.given_by_group.items()},
            "by_kind": {k.value: _given(v) for k, v in report.given_by_kind.items()},
        },
        "impartiality": [_region(r) for r in report.impartiality],
    }


def canonical(report: StatusReport) -> bytes:
    """The RFC 8785 canonical bytes of :func:`report_document` (what publication hashes)."""
    return bytes(rfc8785.dumps(report_document(report)))


def _read_spread(d: Mapping[str, Any]) -> Spread:
    return Spread(count=d["count"], median=d["median"], low=d["low"], high=d["high"])


def _read_given(d: Mapping[str, Any]) -> Given:
    return Given(counts={s: int(d[s.value]) for s in GIVEN})


def report_from_document(doc: Mapping[str, Any]) -> StatusReport:
    """A report read back from :func:`report_document`'s object (a published report)."""
    if doc.get("schema") != SCHEMA:
        raise InvalidInput("schema", f"expected {SCHEMA}, got {doc.get('schema')!r}")
    received, given = doc["received"], doc["given"]
    regions = tuple(
        RegionView(
            group=Group(r["group"]),
            received=r["received"],
            to_assessment=_read_spread(r["days_to_assessment"]),
            to_decision=_read_spread(r["days_to_decision"]),
            outcomes={o: int(r["outcomes"][o.value]) for o in Outcome},
            waiting=r["waiting"],
        )
        for r in doc["impartiality"]
    )
    return StatusReport(
        start=date.fromisoformat(doc["period"]["from"]),
        end=date.fromisoformat(doc["period"]["to"]),
        scope=doc["scope"],
        head_sequence=doc["history_head"]["sequence"],
        head_hash=doc["history_head"]["hash"],
        received=received["total"],
        received_by_group={g: int(received["by_group"][g.value]) for g in Group},
        received_by_kind={k: int(received["by_kind"][k.value]) for k in Kind},
        status_at_end={s: int(received["by_status_at_end"][s.value]) for s in State},
        given_by_group={g: _read_given(given["by_group"][g.value]) for g in Group},
        given_by_kind={k: _read_given(given["by_kind"][k.value]) for k in Kind},
        impartiality=regions,
    )


def _labels(t: Catalog) -> dict[str, dict[str, str]]:
    return {
        "groups": {g.value: t(f"group.{g.value}") for g in Group},
        "kinds": {k.value: t(f"kind.{k.value}") for k in Kind},
        "states": {s.value: t(f"state.{s.value}") for s in State},
        "outcomes": {o.value: t(f"outcome.{o.value}") for o in Outcome},
    }


def report_json(report: StatusReport, language: str, published: Published | None = None) -> str:
    """The figures with the labels of ``language`` (and, if published, when and its hash)."""
    t = catalog("status", language, PACKAGE)
    doc: dict[str, Any] = {**report_document(report), "language": language, "labels": _labels(t)}
    if published is not None:
        doc["published"] = {"at": published.at, "sha256": published.sha256}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
