"""Writers of counting results: JSON with the audit trail, CSV, NIST SP 1500-100 JSON.

Every writer takes a :class:`Result` of any method (spec/counting.md#writers) and returns text;
the caller writes it. Exact fractions are written as strings ``"p/q"`` in our JSON and CSV so
that nothing is lost; NIST SP 1500-100 requires numbers, so non-integer counts there are
decimals rounded to 5 places (the precision of the Scottish STV rule).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any, Literal

from suffrage.counting._common import Result, Stage
from suffrage.counting.ballots import BallotTotals
from suffrage.errors import InvalidInput

__all__ = ["CSV_HEADER", "Ballots", "NistContext", "plain", "to_csv", "to_json", "to_nist_json"]


def plain(value: Any) -> Any:
    """``value`` as JSON data: fractions become exact strings, mappings sorted dicts."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [plain(v) for v in items]
    if isinstance(value, Result):
        return _result_data(value)
    raise InvalidInput("result", f"cannot write a value of type {type(value).__name__}")


def _stage_data(stage: Stage) -> dict[str, Any]:
    """One stage as JSON data."""
    return {
        "number": stage.number,
        "kind": stage.kind,
        "values": plain(stage.values),
        "events": list(stage.events),
    }


def _result_data(result: Result) -> dict[str, Any]:
    """A result and its whole trail as JSON data."""
    trail = result.trail
    return {
        "method": result.method,
        "elected": list(result.elected),
        "seats": plain(result.seats),
        "totals": plain(result.totals),
        "options": plain(result.options),
        "trail": {
            "method": trail.method,
            "seed": trail.seed,
            "lots": list(trail.lots),
            "notes": list(trail.notes),
            "stages": [_stage_data(s) for s in trail.stages],
        },
    }


Ballots = BallotTotals | Literal[False] | None
"""What a writer says of the ballots a count read: their totals, ``None`` when the file held
vote totals that state no ballots (written as ``null`` / ``not stated``), ``False`` to say
nothing (spec/counting.md#ballot-totals)."""


def _ballots_data(ballots: BallotTotals | None) -> dict[str, int] | None:
    if ballots is None:
        return None
    return {
        "read": ballots.read,
        "valid": ballots.valid,
        "blank": ballots.blank,
        "invalid": ballots.invalid,
    }


def to_json(result: Result, *, ballots: Ballots = False) -> str:
    """The result with its audit trail as JSON, keys sorted (spec/counting.md#writers); with
    ``ballots``, a key ``ballots`` holding read, valid, blank and invalid, or ``null``."""
    data = _result_data(result)
    if ballots is not False:
        data["ballots"] = _ballots_data(ballots)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


CSV_HEADER = ("method", "stage", "kind", "name", "value", "value_decimal", "status", "seats")
"""The columns of :func:`to_csv` (spec/counting.md#writers)."""


def _csv_decimal(value: Any) -> str:
    """A figure as a plain decimal for spreadsheets: Decimal as it is, a fraction at 5
    places rounded half to even, no thousands separators."""
    if isinstance(value, Fraction) and value.denominator != 1:
        scaled = round(value * 100_000)
        sign = "-" if scaled < 0 else ""
        whole, part = divmod(abs(scaled), 100_000)
        return f"{sign}{whole}.{part:05d}"
    return str(value)


def _stage_rows(stage: Stage) -> Iterator[tuple[str, str, Any]]:
    """(kind, name, value) for every figure of a stage, nested tables flattened: a quotient
    table gives one row per divisor, a first round of two-round its votes."""
    for name, value in stage.values.items():
        if isinstance(value, Mapping):
            for inner, figure in value.items():
                yield f"{stage.kind}: {name}", inner, figure
        elif isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, Mapping) and "quotient" in item:
                    yield f"{stage.kind}: divisor {plain(item['divisor'])}", name, item["quotient"]
        else:
            yield stage.kind, name, value


def _figure(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return Fraction(value)
        except (ValueError, ZeroDivisionError):
            return None
    return (
        value
        if isinstance(value, int | Fraction | Decimal) and not isinstance(value, bool)
        else None
    )


def _seats_won(result: Result, name: str) -> str:
    """Seats of ``name``: from the method's seat table, else 1 for each winner of a
    single-winner or STV count and 0 for the others; empty for a referendum."""
    if result.method == "referendum":
        return ""
    if result.seats:
        return str(result.seats.get(name, 0))
    return str(result.elected.count(name))


def to_csv(result: Result, *, ballots: Ballots = False) -> str:
    """Every figure of every stage, then the final totals (spec/counting.md#writers).

    One row per stage and name: exact values as integers or ``p/q``, beside a decimal; the
    final rows (``stage`` = ``final``) carry ``status`` (``elected``) and ``seats``. With
    ``ballots``, rows of ``stage`` = ``ballots`` come first: ``read``, ``valid``, ``blank``
    and ``invalid`` with their counts, or one row ``not stated`` for a file of vote totals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    if ballots is not False:
        counts: Mapping[str, int | str] = _ballots_data(ballots) or {"not stated": ""}
        for name, count in counts.items():
            writer.writerow([result.method, "ballots", "ballots", name, count, count, "", ""])
    for stage in result.trail.stages:
        for kind, name, value in _stage_rows(stage):
            figure = _figure(value)
            if figure is None:
                continue
            writer.writerow(
                [
                    result.method,
                    stage.number,
                    kind,
                    name,
                    plain(figure),
                    _csv_decimal(figure),
                    "",
                    "",
                ]
            )
    names = list(result.totals) + [n for n in result.seats if n not in result.totals]
    names += [n for n in result.elected if n not in names]
    for name in names:
        figure = _figure(result.totals.get(name, ""))
        status = "elected" if name in result.elected else ""
        exact, dec = ("", "") if figure is None else (plain(figure), _csv_decimal(figure))
        writer.writerow(
            [result.method, "final", "total", name, exact, dec, status, _seats_won(result, name)]
        )
    return out.getvalue()


@dataclass(frozen=True, slots=True, kw_only=True)
class NistContext:
    """What a NIST SP 1500-100 report needs beyond the result (no clock is read here)."""

    election_name: str
    contest_name: str
    start_date: str
    end_date: str
    generated: str
    issuer: str
    issuer_abbreviation: str
    scope_name: str = "jurisdiction"
    status: str = "unofficial-complete"
    election_type: str = "general"
    language: str = "en"


def _text(content: str, language: str) -> dict[str, Any]:
    """An InternationalizedText in one language."""
    return {
        "@type": "ElectionResults.InternationalizedText",
        "Text": [
            {"@type": "ElectionResults.LanguageString", "Content": content, "Language": language}
        ],
    }


def _count(value: Any) -> int | float:
    """A NIST count: an integer, or a decimal number rounded to 5 places."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, Fraction | Decimal):
        exact = Fraction(value)
        if exact.denominator == 1:
            return int(exact)
        rounded = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal("0.00001"), rounding=ROUND_HALF_EVEN
        )
        return float(rounded)
    raise InvalidInput("result.totals", f"not a count: {value!r}")


def _vote_counts(total: Any, seats: int | None) -> list[dict[str, Any]]:
    """The VoteCounts of a selection: its total, and the seats it won where there are seats."""
    counts: list[dict[str, Any]] = [
        {
            "@type": "ElectionResults.VoteCounts",
            "Count": _count(total),
            "GpUnitId": "gp-scope",
            "Type": "total",
        }
    ]
    if seats is not None:
        counts.append(
            {
                "@type": "ElectionResults.VoteCounts",
                "Count": seats,
                "GpUnitId": "gp-scope",
                "Type": "other",
                "OtherType": "seats-won",
            }
        )
    return counts


def _ids(names: list[str], prefix: str) -> dict[str, str]:
    """Stable identifiers ``prefix-1``, ``prefix-2`` ... in sorted name order."""
    return {name: f"{prefix}-{i}" for i, name in enumerate(sorted(names), start=1)}


def _candidate_contest(result: Result, ctx: NistContext) -> tuple[dict[str, Any], list[Any]]:
    """A CandidateContest and its Candidate records."""
    names = sorted(set(result.totals) | set(result.elected))
    ids = _ids(names, "cand")
    runoff = {n for s in result.trail.stages if s.kind == "run-off" for n in s.values}
    candidates = []
    for name in names:
        record = {
            "@type": "ElectionResults.Candidate",
            "@id": ids[name],
            "BallotName": _text(name, ctx.language),
        }
        if name in result.elected:
            record["PostElectionStatus"] = "winner"
        elif name in runoff:
            record["PostElectionStatus"] = "advanced-to-runoff"
        candidates.append(record)
    selections = [
        {
            "@type": "ElectionResults.CandidateSelection",
            "@id": f"sel-{ids[n]}",
            "CandidateIds": [ids[n]],
            "VoteCounts": _vote_counts(result.totals.get(n, 0), None),
        }
        for n in names
    ]
    contest = {
        "@type": "ElectionResults.CandidateContest",
        "@id": "contest-1",
        "Name": ctx.contest_name,
        "ElectionDistrictId": "gp-scope",
        "VotesAllowed": max(1, len(result.elected)),
        "NumberElected": len(result.elected),
        "ContestSelection": selections,
    }
    return contest, candidates


def _party_contest(result: Result, ctx: NistContext) -> tuple[dict[str, Any], list[Any]]:
    """A PartyContest and its Party records; seats won are VoteCounts of type other."""
    names = sorted(set(result.totals) | set(result.seats))
    ids = _ids(names, "party")
    parties = [
        {"@type": "ElectionResults.Party", "@id": ids[n], "Name": _text(n, ctx.language)}
        for n in names
    ]
    selections = [
        {
            "@type": "ElectionResults.PartySelection",
            "@id": f"sel-{ids[n]}",
            "PartyIds": [ids[n]],
            "VoteCounts": _vote_counts(result.totals.get(n, 0), result.seats.get(n, 0)),
        }
        for n in names
    ]
    contest = {
        "@type": "ElectionResults.PartyContest",
        "@id": "contest-1",
        "Name": ctx.contest_name,
        "ElectionDistrictId": "gp-scope",
        "ContestSelection": selections,
    }
    return contest, parties


def _measure_contest(result: Result, ctx: NistContext) -> dict[str, Any]:
    """A BallotMeasureContest for a referendum."""
    selections = [
        {
            "@type": "ElectionResults.BallotMeasureSelection",
            "@id": f"sel-{answer}",
            "Selection": _text(answer, ctx.language),
            "VoteCounts": _vote_counts(result.totals.get(answer, 0), None),
        }
        for answer in ("yes", "no")
    ]
    return {
        "@type": "ElectionResults.BallotMeasureContest",
        "@id": "contest-1",
        "Name": ctx.contest_name,
        "ElectionDistrictId": "gp-scope",
        "Type": "referendum",
        "ContestSelection": selections,
    }


def to_nist_json(result: Result, context: NistContext) -> str:
    """The result as a NIST SP 1500-100 v2 ElectionReport (spec/counting.md#writers)."""
    election: dict[str, Any] = {
        "@type": "ElectionResults.Election",
        "Name": _text(context.election_name, context.language),
        "StartDate": context.start_date,
        "EndDate": context.end_date,
        "Type": context.election_type,
        "ElectionScopeId": "gp-scope",
    }
    report: dict[str, Any] = {
        "@type": "ElectionResults.ElectionReport",
        "Format": "summary-contest",
        "GeneratedDate": context.generated,
        "Issuer": context.issuer,
        "IssuerAbbreviation": context.issuer_abbreviation,
        "SequenceStart": 1,
        "SequenceEnd": 1,
        "Status": context.status,
        "VendorApplicationId": "suffrage",
        "GpUnit": [
            {
                "@type": "ElectionResults.ReportingUnit",
                "@id": "gp-scope",
                "Type": "other",
                "OtherType": context.scope_name,
            }
        ],
        "Election": [election],
    }
    if result.method == "referendum":
        election["Contest"] = [_measure_contest(result, context)]
    elif any(n > 1 for n in result.seats.values()) or _is_list(result):
        contest, parties = _party_contest(result, context)
        election["Contest"] = [contest]
        report["Party"] = parties
    else:
        contest, candidates = _candidate_contest(result, context)
        election["Contest"] = [contest]
        election["Candidate"] = candidates
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


LIST_METHODS = (
    "dhondt",
    "sainte_lague",
    "modified_sainte_lague",
    "huntington_hill",
    "largest_",
    "apportion",
    "mmp",
    "bundestag",
    "pooled",
    "by_district",
)


def _is_list(result: Result) -> bool:
    """Whether a result allocates seats to lists rather than electing candidates."""
    return result.method.startswith(LIST_METHODS)
