"""RCTab's cast-vote-record export in the NIST SP 1500-103 Common Data Format, JSON
(``outputSettings.generateCdfJson`` and RCTab's convert-to-CDF; spec/counting.md#cvr-exports).

:func:`cdf_report` builds the ``CVR.CastVoteRecordReport`` as a JSON value, from the records in
their reading order and, after a count, the per-round snapshots of the pass
(:attr:`~suffrage.counting.rctab.tabulator.Pass.snapshots`); a conversion has no rounds and
gives each record only its ``original`` snapshot. :func:`cdf_json` lays it out as RCTab's
writer does (keys sorted, Jackson's pretty printer). The generation time is passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from suffrage.counting.rctab.config import ContestConfig
from suffrage.counting.rctab.javacompat import hash_order, java_sort_key
from suffrage.counting.rctab.model import OVERVOTE, Cvr
from suffrage.counting.rctab.report import report_json
from suffrage.counting.rctab.sources._common import sanitize
from suffrage.counting.rctab.tally import Snapshot
from suffrage.errors import CountingError

__all__ = ["CDF_FILE_KIND", "cdf_json", "cdf_report", "generated_date"]

CDF_FILE_KIND = ("cdf_cvr", "json")
"""The report kind and extension of the file (``<timestamp>[_<pass>]_cdf_cvr.json``)."""

_CONTEST = "contest-001"
_ELECTION = "election-001"
_SCOPE = "gpu-election"
_DEVICE = "rd-001"


def cdf_report(
    config: ContestConfig,
    cvrs: Sequence[Cvr],
    *,
    generated: str,
    rounds: int = 0,
    snapshots: Sequence[dict[int, Snapshot]] = (),
) -> dict[str, Any]:
    """The report for ``cvrs``; ``generated`` is the ``GeneratedDate`` text
    (``yyyy-MM-ddTHH:mm:ss+hh:mm``). ``rounds`` and ``snapshots`` (one per record) come from
    a count; with ``rounds`` 0 the report is a conversion's."""
    if rounds and len(snapshots) != len(cvrs):
        raise CountingError(
            f"CDF export: {len(snapshots)} snapshot histories for {len(cvrs)} records"
        )
    units = _gp_units(config, cvrs)
    records = [
        _record(config, cvr, rounds, snapshots[i] if rounds else {}, units)
        for i, cvr in enumerate(cvrs)
    ]
    return {
        "@type": "CVR.CastVoteRecordReport",
        "CVR": records,
        "Election": [_election(config)],
        "GeneratedDate": generated,
        "GpUnit": _gp_unit_list(config, units),
        "ReportGeneratingDeviceIds": [_DEVICE],
        "ReportingDevice": [
            {
                "@id": _DEVICE,
                "@type": "CVR.ReportingDevice",
                "Application": "RCTab",
                "Manufacturer": "Bright Spots",
            }
        ],
        "Version": "1.0.0",
    }


def generated_date(when: datetime) -> str:
    """``when`` as RCTab stamps ``GeneratedDate`` (``yyyy-MM-dd'T'HH:mm:ssXXX``: seconds, and
    the offset as ``+hh:mm``, or ``Z`` at UTC); ``when`` must know its offset."""
    if when.utcoffset() is None:
        raise CountingError("GeneratedDate: expected a time with its UTC offset")
    text = when.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def cdf_json(report: dict[str, Any]) -> str:
    """``report`` as RCTab writes it (keys sorted, two-space indent), without a final newline."""
    return report_json(report)


def _gp_units(config: ContestConfig, cvrs: Sequence[Cvr]) -> dict[str, str]:
    """Precinct -> ``gpu-N``, numbered in the order RCTab's hash set of precincts gives."""
    if not config.output.tabulate_by_precinct:
        return {}
    precincts = hash_order(cvr.precinct for cvr in cvrs if cvr.precinct is not None)
    return {name: f"gpu-{n}" for n, name in enumerate(precincts, start=1)}


def _gp_unit_list(config: ContestConfig, units: dict[str, str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [
        {
            "@id": _SCOPE,
            "@type": "GpUnit",
            "Name": config.output.contest_jurisdiction,
            "OtherType": "Election Scope Jurisdiction",
            "Type": "other",
        }
    ]
    for name in hash_order(units):
        found.append({"@id": units[name], "@type": "GpUnit", "Name": name, "Type": "precinct"})
    return found


def _election(config: ContestConfig) -> dict[str, Any]:
    names = list(config.candidate_names)
    if any(source.overvote_label for source in config.sources):
        names.append(OVERVOTE)
    names.sort(key=java_sort_key)
    return {
        "@id": _ELECTION,
        "@type": "Election",
        "Candidate": [{"@id": _candidate_id(name), "Name": name} for name in names],
        "Contest": [
            {
                "@id": _CONTEST,
                "@type": "CandidateContest",
                "ContestSelection": [
                    {
                        "@id": _selection_id(name),
                        "@type": "ContestSelection",
                        "CandidateIds": [_candidate_id(name)],
                    }
                    for name in names
                ],
                "Name": config.output.contest_name,
            }
        ],
        "ElectionScopeId": _SCOPE,
    }


def _record(
    config: ContestConfig,
    cvr: Cvr,
    rounds: int,
    history: dict[int, Snapshot],
    units: dict[str, str],
) -> dict[str, Any]:
    ident = sanitize(cvr.id)
    snapshots = [_snapshot(cvr, ident, None, None)]
    previous: Snapshot | None = None
    for number in range(1, rounds + 1):
        current = history.get(number, previous)
        if current is None:
            raise CountingError(f"CDF export: record {ident} has no snapshot for round {number}")
        snapshots.append(_snapshot(cvr, ident, number, current))
        previous = current
    record: dict[str, Any] = {
        "@type": "CVR",
        "BallotPrePrintedId": ident,
        "CVRSnapshot": snapshots,
        "CurrentSnapshotId": _snapshot_id(ident, rounds),
        "ElectionId": _ELECTION,
    }
    if config.output.tabulate_by_precinct:
        record["BallotStyleUnitId"] = None if cvr.precinct is None else units.get(cvr.precinct)
    return record


def _snapshot(cvr: Cvr, ident: str, number: int | None, held: Snapshot | None) -> dict[str, Any]:
    selections = [
        {
            "@type": "CVR.CVRContestSelection",
            "ContestSelectionId": _selection_id(name),
            "SelectionPosition": _positions(name, ranks, held),
        }
        for name, ranks in _ranks_by_name(cvr)
    ]
    return {
        "@id": _snapshot_id(ident, number),
        "@type": "CVR.CVRSnapshot",
        "CVRContest": [
            {
                "@type": "CVR.CVRContest",
                "CVRContestSelection": selections,
                "ContestId": _CONTEST,
            }
        ],
        "Type": "original" if number is None else "interpreted",
    }


def _positions(name: str, ranks: list[int], held: Snapshot | None) -> list[dict[str, Any]]:
    """One position per rank given to ``name``; only the first can be allocable. ``held``
    names configured names and ``name`` is the source's spelling: as in RCTab, a name spelled
    by an alias never matches, and its positions are not allocable."""
    allocable, votes = "unknown", Decimal(1)
    if held is not None:
        allocable = "no"
        for who, value in held:
            if who == name:
                allocable, votes = "yes", value
                break
    fraction = None
    if votes != 1:
        rest = votes % 1
        if rest > 0:
            fraction = str(rest)[1:]  # RCTab drops the leading zero: ".5"
    positions = []
    for rank in ranks:
        position: dict[str, Any] = {
            "@type": "CVR.SelectionPosition",
            "HasIndication": "yes",
            "IsAllocable": allocable,
            "NumberVotes": int(votes),
            "Rank": rank,
        }
        if fraction is not None:
            position["FractionalVotes"] = fraction
        positions.append(position)
        if allocable == "yes":
            allocable = "no"
    return positions


def _ranks_by_name(cvr: Cvr) -> list[tuple[str, list[int]]]:
    """Each marked name, as the source spelled it, with its ranks; by best rank and then by
    name (Java string order)."""
    spelled = dict(cvr.spellings)
    ranks: dict[str, list[int]] = {}
    for rank, names in cvr.rankings:
        for name in names:
            ranks.setdefault(spelled.get(name, name), []).append(rank)
    for found in ranks.values():
        found.sort()
    return sorted(ranks.items(), key=lambda item: (item[1][0], java_sort_key(item[0])))


def _snapshot_id(ident: str, number: int | None) -> str:
    return f"ballot-{ident}-round-{number}" if number else f"ballot-{ident}"


def _selection_id(name: str) -> str:
    return f"cs-{sanitize(name).lower()}"


def _candidate_id(name: str) -> str:
    return f"c-{sanitize(name).lower()}"
