"""RCTab's detailed report as JSON, in its schema and layout (spec/counting.md#rctab-report).

:func:`report_data` builds the report of one pass as plain data: ``config`` (contest, date,
jurisdiction, office, generatedBy), ``jsonFormatVersion`` ``"1"``, ``results`` (per round:
``round``, ``tally``, ``threshold``, ``inactiveBallots`` and ``tallyResults``: the elected then
the eliminated, each sorted by name, with the transfers of its votes in the next round) and
``summary`` (``finalThreshold``, ``numCandidates``, ``numWinners``, ``totalNumBallots``,
``undervotes``). Figures are strings written as Java writes a ``BigDecimal`` (their scale
kept); round numbers and counts of candidates are JSON numbers. :func:`report_json` writes it
as RCTab's JSON writer does: keys sorted, two-space indentation, ``" : "``, inline lists.
:func:`report_name` is the file name RCTab gives it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from suffrage.counting.rctab.config import APP_VERSION, ContestConfig
from suffrage.counting.rctab.javacompat import hash_order, java_sort_key
from suffrage.counting.rctab.round_count import Slice
from suffrage.counting.rctab.tabulator import Pass
from suffrage.counting.rctab.tally import EXACT, RoundTally

__all__ = [
    "GENERATED_BY",
    "report_data",
    "report_json",
    "report_name",
    "slice_folder",
    "slice_names",
    "trail",
]

GENERATED_BY = f"RCTab {APP_VERSION} (Suffrage)"
_UNSAFE = re.compile(r"[^a-zA-Z0-9_\-.]")
Moves = dict[int, dict[str, dict[str, Decimal]]]
_PRINTED = ("overvotes", "skippedRankings", "exhaustedChoices", "repeatedRankings")


def report_name(
    timestamp: str,
    kind: str,
    extension: str,
    sequence: int | None = None,
    where: Slice | None = None,
) -> str:
    """RCTab's file name: ``<timestamp>[_<pass>][_<slice>_<precinct|batch>]_<kind>.<ext>``,
    e.g. ``2024-11-05_21-30_detailed_report.json``, ``..._2_detailed_report.json`` or
    ``..._W-1_P-02_precinct_detailed_report.json`` (a slice report, which RCTab puts in a
    ``Tabulate by Precinct`` folder); the slice name with every character but ASCII letters,
    digits, ``_ - .`` replaced by ``_``."""
    parts = [timestamp, *([str(sequence)] if sequence is not None else [])]
    if where is not None:
        parts += [_UNSAFE.sub("_", where[1]), where[0]]
    return "_".join([*parts, kind]) + "." + extension


def slice_names(slices: Iterable[Slice]) -> dict[Slice, Slice]:
    """Each slice with the name its files carry: cleaned as :func:`report_name` cleans it and,
    when two names clean to the same text, the later (in Java's hash order, precincts first)
    given ``_1``, ``_2``, ... as RCTab's OutputWriter does."""
    keys = list(slices)
    by_name: dict[str, str] = {}
    used: set[str] = set()
    for kind in ("precinct", "batch"):
        for name in hash_order(key[1] for key in keys if key[0] == kind):
            if name in by_name:
                continue
            base = _UNSAFE.sub("_", name)
            label, number = base, 1
            while label in used:
                label, number = f"{base}_{number}", number + 1
            used.add(label)
            by_name[name] = label
    return {key: (key[0], by_name[key[1]]) for key in keys}


def slice_folder(where: Slice) -> str:
    """The folder RCTab writes a slice's reports into: ``Tabulate by Precinct`` or ``Batch``."""
    return f"Tabulate by {where[0].capitalize()}"


def trail(done: Pass, where: Slice | None) -> tuple[tuple[RoundTally, ...], Moves]:
    """The rounds and transfers of the whole pass, or of one precinct or batch."""
    if where is None:
        return done.rounds, done.transfers
    return done.slices[where]


def report_data(config: ContestConfig, done: Pass, where: Slice | None = None) -> dict[str, Any]:
    """The detailed report of one pass (or of its precinct or batch ``where``) as JSON-ready
    data (every figure a string). A slice report's decisions are the whole contest's."""
    rounds, moves = trail(done, where)
    first, last = rounds[0], rounds[-1]
    results = [_round(done, moves, tally, tally is last) for tally in rounds]
    output = config.output
    about = {
        "contest": output.contest_name,
        "date": output.contest_date,
        "generatedBy": GENERATED_BY,
        "jurisdiction": output.contest_jurisdiction,
        "office": output.contest_office,
    }
    if where is not None:
        about[where[0]] = where[1]
    return {
        "config": about,
        "jsonFormatVersion": "1",
        "results": results,
        "summary": {
            "finalThreshold": str(last.threshold),
            "numCandidates": len(config.candidate_names),
            "numWinners": done.number_of_winners,
            "totalNumBallots": str(EXACT.add(first.active, first.inactive)),
            "undervotes": int(first.statuses["didNotRankAnyCandidates"]),
        },
    }


def _round(done: Pass, moves: Moves, tally: RoundTally, last: bool) -> dict[str, Any]:
    inactive = {key: str(tally.statuses[key]) for key in _PRINTED}
    if done.uses_surpluses and last:
        inactive["finalRoundSurplus"] = str(tally.statuses["finalRoundSurplus"])
    return {
        "inactiveBallots": inactive,
        "round": tally.number,
        "tally": {name: str(votes) for name, votes in tally.votes.items()},
        "tallyResults": _actions(done, moves, tally.number),
        "threshold": str(tally.threshold),
    }


def _actions(done: Pass, moves: Moves, number: int) -> list[dict[str, Any]]:
    decisions = done.decisions.get(number, ())
    moved = moves.get(number + 1, {})
    actions = []
    for elected in (True, False):
        names = sorted((d.candidate for d in decisions if d.elected == elected), key=java_sort_key)
        for name in names:
            transfers = {target: str(v) for target, v in moved.get(name, {}).items()}
            actions.append({"elected" if elected else "eliminated": name, "transfers": transfers})
    return actions


def report_json(data: Any) -> str:
    """``data`` laid out as RCTab's JSON writer lays it out (Jackson's default pretty printer,
    keys sorted), without a final newline."""
    return _write(data, 0)


def _write(value: Any, depth: int) -> str:
    if isinstance(value, dict):
        if not value:
            return "{ }"
        pad = "  " * (depth + 1)
        entries = [
            f"{pad}{json.dumps(key, ensure_ascii=False)} : {_write(value[key], depth + 1)}"
            for key in sorted(value, key=java_sort_key)
        ]
        return "{\n" + ",\n".join(entries) + "\n" + "  " * depth + "}"
    if isinstance(value, list):
        if not value:
            return "[ ]"
        return "[ " + ", ".join(_write(item, depth) for item in value) + " ]"
    if isinstance(value, Decimal):
        return json.dumps(str(value))
    return json.dumps(value, ensure_ascii=False)
