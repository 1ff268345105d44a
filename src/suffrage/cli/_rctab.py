"""``suffrage count --rctab CONFIG.json``: count a contest as RCTab does (spec/counting.md#rctab).

The configuration names the cast-vote-record sources and the rules; no FILE and no --method
are taken. The default output is a table of rounds that fits the terminal; ``--json`` prints
RCTab's JSON detailed report (one object, or a list of one per pass for multi-pass IRV);
``--out DIR`` writes RCTab's files (``<timestamp>[_<pass>]_summary_report.csv``,
``..._detailed_report.csv`` and ``..._detailed_report.json``, and each precinct's or batch's
detailed reports in ``Tabulate by Precinct`` / ``Tabulate by Batch`` when the configuration
asks) with the time of the count as RCTab stamps it (``yyyy-MM-dd_HH-mm``).
``--tiebreak-answers "A,B"`` answers, in order, the ties that the interactive tie-break modes
ask about.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from suffrage.counting.rctab.config import ContestConfig, load_config
from suffrage.counting.rctab.contest import count_contest
from suffrage.counting.rctab.report import (
    report_data,
    report_json,
    report_name,
    slice_folder,
    slice_names,
)
from suffrage.counting.rctab.report_csv import candidate_order, report_csv
from suffrage.counting.rctab.tabulator import Pass
from suffrage.counting.rctab.tally import EXACT
from suffrage.errors import InvalidBallotData
from suffrage.record.writing import check_free, write_file
from suffrage.reports.text import Column, TextTable, render_table

__all__ = ["output_files", "parse_answers", "refuse_with_rctab", "run_rctab"]

_KINDS = (
    ("summary_report", "csv"),
    ("detailed_report", "csv"),
    ("detailed_report", "json"),
)
_INACTIVE = (
    ("overvotes", "Inactive: overvotes"),
    ("skippedRankings", "Inactive: skipped"),
    ("exhaustedChoices", "Inactive: exhausted"),
    ("repeatedRankings", "Inactive: repeated"),
)


def refuse_with_rctab(given: Mapping[str, bool]) -> None:
    """Refuse FILE, --method and the options of the other methods next to --rctab: the
    configuration says all of it."""
    for flag, is_given in given.items():
        if is_given:
            raise InvalidBallotData(
                flag,
                "is not taken with --rctab (the RCTab configuration names the sources and the"
                " rules); use --json, --out, --tiebreak-answers, --width or --force",
            )


def parse_answers(text: str | None) -> tuple[str, ...]:
    """``"A,B"`` as the names ``A`` and ``B`` (spaces around each trimmed)."""
    if text is None:
        return ()
    names = tuple(part.strip() for part in text.split(","))
    if any(not name for name in names):
        raise InvalidBallotData("--tiebreak-answers", "expected candidate names separated by ,")
    return names


def run_rctab(
    config_path: Path,
    *,
    as_json: bool,
    out: Path | None,
    answers: Sequence[str],
    width: int,
    force: bool,
    now: datetime | None = None,
) -> None:
    """Count the contest of ``config_path`` and print or write its reports."""
    config = load_config(config_path)
    passes = count_contest(config, tiebreak_answers=answers)
    if out is not None:
        stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H-%M")
        files = output_files(config, passes, stamp)
        check_free([out / name for name in files], force=force)
        for name, text in files.items():
            write_file(out / name, text.encode("utf-8"), force=force)
        for name in files:
            sys.stdout.write(f"wrote {out / name}\n")
        return
    if as_json:
        data = [report_data(config, done) for done in passes]
        sys.stdout.write(report_json(data if config.sequential else data[0]) + "\n")
        return
    for done in passes:
        sys.stdout.write(rounds_text(config, done, width) + "\n")


def output_files(config: ContestConfig, passes: Sequence[Pass], stamp: str) -> dict[str, str]:
    """RCTab's report files of every pass, by file name."""
    files: dict[str, str] = {}
    for done in passes:
        for kind, extension in _KINDS:
            name = report_name(stamp, kind, extension, done.sequence)
            if extension == "json":
                files[name] = report_json(report_data(config, done))
            else:
                files[name] = report_csv(config, done, detailed=kind == "detailed_report")
        for where, label in slice_names(done.slices).items():
            folder = slice_folder(where)
            name = report_name(stamp, "detailed_report", "csv", done.sequence, label)
            files[f"{folder}/{name}"] = report_csv(config, done, where=where)
            name = report_name(stamp, "detailed_report", "json", done.sequence, label)
            files[f"{folder}/{name}"] = report_json(report_data(config, done, where))
    return files


def rounds_text(config: ContestConfig, done: Pass, width: int) -> str:
    """The rounds of one pass as a table (pages of rounds when too wide), decisions below."""
    rounds = done.rounds
    columns = (
        Column(heading="Candidate"),
        *(Column(heading=f"Round {t.number}", numeric=True) for t in rounds),
    )
    rows = [
        (name, *(str(t.votes[name]) if name in t.votes else "-" for t in rounds))
        for name in candidate_order(rounds[0])
    ]
    rows.append(("Active ballots", *(str(EXACT.add(t.active, t.locked_in)) for t in rounds)))
    rows.append(("Threshold", *(str(t.threshold) for t in rounds)))
    rows.extend((label, *(str(t.statuses[key]) for t in rounds)) for key, label in _INACTIVE)
    notes = [_decisions(done, t.number) for t in rounds if done.decisions.get(t.number)]
    title = config.output.contest_name
    if done.sequence is not None:
        title += f", pass {done.sequence} (seat {done.sequence})"
    winners = ", ".join(done.winners) or "none"
    table = TextTable(
        title=title,
        columns=columns,
        rows=tuple(rows),
        notes=(*notes, f"Elected: {winners}"),
    )
    return render_table(table, width)


def _decisions(done: Pass, number: int) -> str:
    parts = []
    for decision in done.decisions[number]:
        verb = "elected" if decision.elected else "eliminated"
        tie = " (tie-break)" if decision.tiebreak else ""
        parts.append(f"{verb} {decision.candidate}{tie}")
    return f"Round {number}: " + "; ".join(parts)
