"""``suffrage count --rctab CONFIG.json``: count a contest as RCTab does (spec/counting.md#rctab).

The configuration names the cast-vote-record sources and the rules; no FILE and no --method
are taken. The default output is a table of rounds that fits the terminal; ``--json`` prints
RCTab's JSON detailed report (one object, or a list of one per pass for multi-pass IRV);
``--out DIR`` writes RCTab's files (``<timestamp>[_<pass>]_summary_report.csv``,
``..._detailed_report.csv`` and ``..._detailed_report.json``, and each precinct's or batch's
detailed reports in ``Tabulate by Precinct`` / ``Tabulate by Batch`` when the configuration
asks) with the time of the count as RCTab stamps it (``yyyy-MM-dd_HH-mm``).
``--tiebreak-answers "A,B"`` answers, in order, the ties that the interactive tie-break modes
ask about. With ``outputSettings.generateCdfJson``, ``--out`` also writes each pass's cast vote
records as NIST CDF JSON (``..._cdf_cvr.json``). ``--convert-to-cdf`` (RCTab's
``--convert-to-cdf``) and ``--convert-to-csv`` read the sources without counting and write
only ``<timestamp>_cdf_cvr.json`` or RCTab's CVR CSV ``<timestamp>_rctab_cvr.csv`` into
``--out`` (spec/counting.md#cvr-exports).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from suffrage.counting.rctab.cdf_export import CDF_FILE_KIND, cdf_json, cdf_report, generated_date
from suffrage.counting.rctab.config import ContestConfig, load_config
from suffrage.counting.rctab.contest import read_cvrs, read_sources, tabulate
from suffrage.counting.rctab.csv_export import CSV_FILE_KIND, rctab_cvr_csv
from suffrage.counting.rctab.model import Cvr
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

__all__ = [
    "cdf_files",
    "check_convert",
    "conversion_files",
    "output_files",
    "parse_answers",
    "refuse_with_rctab",
    "run_rctab",
]

CONVERSIONS = {"--convert-to-cdf": "cdf", "--convert-to-csv": "csv"}
"""The conversion flags and what each writes."""

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
                " rules); use --json, --out, --tiebreak-answers, --convert-to-cdf,"
                " --convert-to-csv, --width or --force",
            )


def check_convert(
    flags: Mapping[str, bool], *, as_json: bool, out: Path | None, answers: str | None
) -> str | None:
    """The conversion asked for (``"cdf"``, ``"csv"`` or ``None``); refuse two at once, or
    one with --json, --tiebreak-answers or without --out."""
    chosen = [flag for flag, on in flags.items() if on]
    if not chosen:
        return None
    if len(chosen) > 1:
        raise InvalidBallotData(" and ".join(chosen), "convert to one format at a time")
    flag = chosen[0]
    if as_json or answers is not None:
        other = "--json" if as_json else "--tiebreak-answers"
        raise InvalidBallotData(flag, f"converts the records without counting: drop {other}")
    if out is None:
        raise InvalidBallotData(flag, "writes a file: give --out DIR")
    return CONVERSIONS[flag]


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
    convert: str | None = None,
) -> None:
    """Count the contest of ``config_path`` and print or write its reports; or, with
    ``convert`` (``"cdf"`` or ``"csv"``), write its records converted into ``out``."""
    config = load_config(config_path)
    when = (now or datetime.now()).astimezone()
    stamp = when.strftime("%Y-%m-%d_%H-%M")
    if convert is not None:
        if out is None:
            raise InvalidBallotData("--out", "a conversion writes a file: give --out DIR")
        _write_all(out, conversion_files(config, convert, when), force=force)
        return
    cvrs = read_cvrs(config)
    passes = tabulate(config, cvrs, tiebreak_answers=answers)
    if out is not None:
        files = output_files(config, passes, stamp)
        if config.output.generate_cdf_json:
            files.update(cdf_files(config, cvrs, passes, when))
        _write_all(out, files, force=force)
        return
    if as_json:
        data = [report_data(config, done) for done in passes]
        sys.stdout.write(report_json(data if config.sequential else data[0]) + "\n")
        return
    for done in passes:
        sys.stdout.write(rounds_text(config, done, width) + "\n")


def _write_all(out: Path, files: Mapping[str, str], *, force: bool) -> None:
    """Write every file or, if any of them exists (without ``force``), none."""
    check_free([out / name for name in files], force=force)
    for name, text in files.items():
        write_file(out / name, text.encode("utf-8"), force=force)
    for name in files:
        sys.stdout.write(f"wrote {out / name}\n")


def conversion_files(config: ContestConfig, convert: str, when: datetime) -> dict[str, str]:
    """The one file of a conversion (``"cdf"`` or ``"csv"``) of every record, by file name."""
    stamp = when.strftime("%Y-%m-%d_%H-%M")
    if convert == "csv":
        return {report_name(stamp, *CSV_FILE_KIND): rctab_cvr_csv(config, read_sources(config))}
    report = cdf_report(config, read_cvrs(config), generated=generated_date(when))
    return {report_name(stamp, *CDF_FILE_KIND): cdf_json(report)}


def cdf_files(
    config: ContestConfig, cvrs: Sequence[Cvr], passes: Sequence[Pass], when: datetime
) -> dict[str, str]:
    """Each pass's records with their round snapshots as CDF JSON, by file name."""
    stamp = when.strftime("%Y-%m-%d_%H-%M")
    files = {}
    for done in passes:
        report = cdf_report(
            config,
            cvrs,
            generated=generated_date(when),
            rounds=len(done.rounds),
            snapshots=done.snapshots,
        )
        files[report_name(stamp, *CDF_FILE_KIND, done.sequence)] = cdf_json(report)
    return files


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
