"""``suffrage count``: count a ballot or vote-total file by any method (spec/counting.md).

Ranked methods read BLT, cast-vote-record CSV or .xlsx, ABIF or a Debian tally sheet; list and
single-mark methods read vote totals (CSV separated by ``,`` ``;`` or tab, JSON, or a record's
``results.json`` with ``--contest``) or per-ballot marks (CSV, JSON or .xlsx, told apart by
their content), in UTF-8 or the ``--encoding`` given. Every output states the ballots read,
valid, blank and invalid, or that a file of vote totals states none. The result prints
as tables that never cut a figure at ``--width`` (spec/counting.md#outputs), or as JSON (exact)
/ CSV (every stage) with ``--json`` / ``--csv``; ``--chart PATH`` draws an SVG chart.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer

from suffrage.cli._options import ForceOption
from suffrage.cli._rctab import check_convert, parse_answers, refuse_with_rctab, run_rctab
from suffrage.cli.main import app
from suffrage.counting import divisors, remainders, simple
from suffrage.counting._common import Lot, Result
from suffrage.counting.ballots import (
    BallotRules,
    BallotTotals,
    OvervoteRule,
    Profile,
    RepeatRule,
)
from suffrage.counting.condorcet import count_debian, count_ranked_pairs, count_schulze
from suffrage.counting.irv import IrvOptions, count_irv
from suffrage.counting.rctab.profile import cdf_profile
from suffrage.counting.readers import (
    parse_abif,
    parse_blt,
    parse_cvr,
    parse_cvr_sheet,
    parse_debian_tally,
)
from suffrage.counting.readers._text import decode_text
from suffrage.counting.stv_cambridge import PLAN_E_FLOOR, count_stv_cambridge
from suffrage.counting.stv_gregory import count_stv_gregory
from suffrage.counting.stv_ireland import count_stv_ireland
from suffrage.counting.stv_meek import count_stv_meek
from suffrage.counting.stv_scottish import count_stv_scottish
from suffrage.counting.totals import (
    VoteTotals,
    read_count_csv,
    read_count_json,
    read_count_sheet,
    read_record_totals,
)
from suffrage.counting.writers import to_csv, to_json
from suffrage.errors import CountingError, InvalidBallotData, SuffrageError, quote
from suffrage.inputs import MAX_SEATS
from suffrage.record.reading import read_regular
from suffrage.record.writing import check_free, write_file
from suffrage.reports.charts import result_chart
from suffrage.reports.count import count_text
from suffrage.reports.text import MIN_WIDTH

__all__ = ["LIST_METHODS", "RANKED_METHODS", "count"]

RANKED_METHODS = (
    "irv", "stv-scottish", "stv-meek", "stv-gregory", "schulze", "ranked-pairs", "debian",
    "stv-cambridge", "stv-ireland",
)  # fmt: skip
_TOTALS: dict[str, Callable[..., Result]] = {
    "plurality": simple.plurality,
    "approval": simple.approval,
    "dhondt": divisors.dhondt,
    "sainte-lague": divisors.sainte_lague,
    "modified-sainte-lague": divisors.modified_sainte_lague,
    "huntington-hill": divisors.huntington_hill,
    "hare": remainders.hare,
    "droop": remainders.droop,
    "hagenbach-bischoff": remainders.hagenbach_bischoff,
    "imperiali": remainders.imperiali,
}
LIST_METHODS = (*_TOTALS, "referendum", "two-round")
Counted = tuple[Result, BallotTotals | None]
"""A count's result and the ballots its file held (``None`` for a file of vote totals)."""
_ALL_METHODS = (*RANKED_METHODS, *LIST_METHODS)
_RULED = ("irv", "stv-scottish", "stv-meek", "stv-gregory", "stv-cambridge", "stv-ireland")
"""The methods that take the ballot rules (--overvote, --repeat, --max-skipped)."""
_FORMATS = ("auto", "blt", "cvr", "abif", "debian", "csv", "json", "xlsx", "xml")

_USED_BY: Mapping[str, tuple[tuple[str, ...], object]] = {
    "overvote": (_RULED, "exhaust"),
    "repeat": (_RULED, "skip"),
    "max_skipped": (_RULED, None),
    "batch": (("irv",), False),
    "backward": (("irv",), True),
    "write_in": (("irv",), ()),
    "default": (("debian",), None),
    "majority": (("debian", "referendum"), ""),
    "first_divisor": (("modified-sainte-lague",), "7/5"),
    "plan_e_floor": (("stv-cambridge",), PLAN_E_FLOOR),
    "district": (LIST_METHODS, None),
    "contest": (_ALL_METHODS, None),
    "sheet": (_ALL_METHODS, None),
}
"""Each option some methods only use: those methods, and the option's default. An option
given to a method that does not use it is refused rather than silently ignored."""


@app.command(epilog="Example: suffrage count --method irv ballots.blt")
def count(
    file: Annotated[
        Path | None, typer.Argument(metavar="FILE", help="ballot or vote-total file")
    ] = None,
    *,
    method: Annotated[
        str | None,
        typer.Option(metavar="METHOD", help=f"one of: {', '.join(RANKED_METHODS + LIST_METHODS)}"),
    ] = None,
    seats: Annotated[
        int | None, typer.Option(help="seats to fill (default: from the file, or 1)")
    ] = None,
    file_format: Annotated[
        str, typer.Option("--format", help=f"one of {', '.join(_FORMATS)}")
    ] = "auto",
    seed: Annotated[int, typer.Option(help="seed of the drawing of lots for ties")] = 0,
    overvote: Annotated[
        str, typer.Option(help="IRV, STV: an overvote: exhaust or skip")
    ] = "exhaust",
    repeat: Annotated[
        str, typer.Option(help="IRV, STV: a repeated candidate: skip or exhaust")
    ] = "skip",
    max_skipped: Annotated[
        int | None, typer.Option(help="IRV, STV: skipped ranks that exhaust")
    ] = None,
    batch: Annotated[bool, typer.Option(help="IRV: batch elimination")] = False,
    backward: Annotated[bool, typer.Option(help="IRV: break ties by earlier rounds")] = True,
    write_in: Annotated[
        list[str] | None,
        typer.Option(metavar="NAME", help="IRV: a candidate that stands for undeclared write-ins"),
    ] = None,
    default: Annotated[str | None, typer.Option(help="Debian: the default option")] = None,
    majority: Annotated[
        str, typer.Option(help="Debian: majority ratio N:M; referendum: share")
    ] = "",
    first_divisor: Annotated[str, typer.Option(help="modified Sainte-Laguë first divisor")] = "7/5",
    plan_e_floor: Annotated[
        int, typer.Option(help="Cambridge: defeat together those under this after the first count")
    ] = PLAN_E_FLOOR,
    district: Annotated[
        str | None, typer.Option(help="district of a multi-district totals file")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="print the result as CSV")] = False,
    chart: Annotated[Path | None, typer.Option(help="write an SVG chart to this path")] = None,
    contest: Annotated[str | None, typer.Option(help="contest of a record's results.json")] = None,
    width: Annotated[
        int | None,
        typer.Option(help="table width (default: the terminal's, else $COLUMNS, else 80)"),
    ] = None,
    encoding: Annotated[
        str, typer.Option(help="text encoding of FILE, e.g. cp1250 (default utf-8)")
    ] = "utf-8",
    sheet: Annotated[
        str | None, typer.Option(help=".xlsx: the sheet to read (default: the first)")
    ] = None,
    force: ForceOption = False,
    rctab: Annotated[
        Path | None,
        typer.Option(metavar="CONFIG.json", help="count as RCTab does, by its configuration"),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="--rctab: write RCTab's report files into this folder")
    ] = None,
    tiebreak_answers: Annotated[
        str | None,
        typer.Option(help='--rctab: answers to interactive tie-breaks in order, e.g. "A,B"'),
    ] = None,
    convert_to_cdf: Annotated[
        bool, typer.Option(help="--rctab: write the records as NIST CDF JSON into --out, no count")
    ] = False,
    convert_to_csv: Annotated[
        bool, typer.Option(help="--rctab: write RCTab's CVR CSV into --out, no count")
    ] = False,
) -> None:
    """Count FILE by METHOD and print every round (spec/counting.md); or, with --rctab, the
    contest an RCTab configuration describes (spec/counting.md#rctab)."""
    converts = {"--convert-to-cdf": convert_to_cdf, "--convert-to-csv": convert_to_csv}
    if (
        rctab is not None
        or out is not None
        or tiebreak_answers is not None
        or any(converts.values())
    ):
        given = {
            "FILE": file is not None, "--method": method is not None,
            "--seats": seats is not None, "--format": file_format != "auto", "--seed": seed != 0,
            "--overvote": overvote != "exhaust", "--repeat": repeat != "skip",
            "--max-skipped": max_skipped is not None, "--batch": batch,
            "--no-backward": not backward, "--default": default is not None,
            "--majority": bool(majority),
            "--first-divisor": first_divisor != "7/5", "--district": district is not None,
            "--csv": as_csv, "--chart": chart is not None, "--contest": contest is not None,
            "--encoding": encoding != "utf-8",
        }  # fmt: skip
        _count_rctab(
            rctab, given, as_json=as_json, out=out, answers=tiebreak_answers, width=width,
            force=force, converts=converts,
        )  # fmt: skip
        return
    if file is None or method is None:
        typer.echo("error: give FILE and --method METHOD (or --rctab CONFIG.json)", err=True)
        raise typer.Exit(2)
    try:
        if seats is not None and not 1 <= seats <= MAX_SEATS:
            raise InvalidBallotData(
                "--seats", f"must be a whole number from 1 to {MAX_SEATS}, not {quote(seats)}"
            )
        options = {
            "seats": seats, "format": file_format, "seed": seed, "overvote": overvote,
            "repeat": repeat, "max_skipped": max_skipped, "batch": batch, "backward": backward,
            "default": default, "majority": majority, "first_divisor": first_divisor,
            "district": district, "encoding": encoding, "contest": contest, "sheet": sheet,
            "plan_e_floor": plan_e_floor, "write_in": tuple(write_in or ()),
        }  # fmt: skip
        _refuse_unused(method, options)
        columns = _width(width)
        if chart is not None:
            check_free([chart], force=force)
        result, ballots = run_count(file, method, options)
        if chart is not None:
            svg = result_chart(result, title=_title(file, options))
            write_file(chart, svg.encode("utf-8"), force=force)
    except (SuffrageError, OSError, LookupError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(to_json(result, ballots=ballots))
    elif as_csv:
        sys.stdout.write(to_csv(result, ballots=ballots))
    else:
        sys.stdout.write(count_text(result, columns, title=_title(file, options), ballots=ballots))


def _count_rctab(
    config: Path | None,
    given: Mapping[str, bool],
    *,
    as_json: bool,
    out: Path | None,
    answers: str | None,
    width: int | None,
    force: bool,
    converts: Mapping[str, bool],
) -> None:
    """``--rctab CONFIG.json`` (spec/counting.md#rctab), errors printed as the others are."""
    try:
        if config is None:
            raise InvalidBallotData(
                "--out/--tiebreak-answers/--convert-to-*", "are taken only with --rctab"
            )
        refuse_with_rctab(given)
        convert = check_convert(converts, as_json=as_json, out=out, answers=answers)
        if as_json and out is not None:
            raise InvalidBallotData("--json", "prints the report; --out writes it: choose one")
        run_rctab(
            config,
            as_json=as_json,
            out=out,
            answers=parse_answers(answers),
            width=_width(width),
            force=force,
            convert=convert,
        )
    except (SuffrageError, OSError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None


def _width(given: int | None) -> int:
    """The table width: ``--width``, else the terminal's when stdout is one, else
    ``$COLUMNS``, else 80; never below :data:`MIN_WIDTH`."""
    if given is None:
        given = _terminal_width()
    if given < MIN_WIDTH:
        raise InvalidBallotData("--width", f"must be at least {MIN_WIDTH}, not {given}")
    return given


def _terminal_width() -> int:
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) >= MIN_WIDTH else 80


def _title(file: Path, options: Mapping[str, Any]) -> str:
    part = options.get("district") or options.get("contest")
    return f"{file.name}, {part}" if part else file.name


def run_count(file: Path, method: str, options: Mapping[str, Any]) -> Counted:
    """Read ``file`` and count it by ``method`` with the command-line ``options``; with the
    result, the ballots the file held (read, valid, blank, invalid), or ``None`` for a file of
    vote totals, which states none (spec/counting.md#ballot-totals)."""
    if method in RANKED_METHODS:
        return _ranked(file, method, options)
    if method in LIST_METHODS:
        return _totals(file, method, options)
    raise CountingError(
        f"unknown method {quote(method)}; choose one of {', '.join(RANKED_METHODS + LIST_METHODS)}"
    )


def _candidate(profile: Profile, name: str, flag: str) -> int:
    """The index of the candidate ``name`` given to ``flag``, refused when the file has none."""
    if name not in profile.candidates:
        raise InvalidBallotData(
            flag,
            f"expected one of the file's candidates ({', '.join(profile.candidates)}), "
            f"got {quote(name)}",
        )
    return profile.candidates.index(name)


def _refuse_unused(method: str, options: Mapping[str, Any]) -> None:
    """Refuse an option given to a method that does not use it, naming those that do."""
    for name, (methods, default) in _USED_BY.items():
        if method not in methods and options[name] != default and method in _ALL_METHODS:
            flag = "--" + name.replace("_", "-")
            if name == "backward":
                flag = "--no-backward"
            raise InvalidBallotData(
                flag,
                f"is not used by {method} (it would be ignored); it applies to "
                f"{', '.join(methods)} only",
            )


def _ranked(file: Path, method: str, options: Mapping[str, Any]) -> Counted:
    kind = _kind(file, options["format"], ranked=True)
    seed = options["seed"]
    _check_sheet(kind, options)
    if kind == "debian":
        data = _read(file)
        given = options["encoding"]
        text = data if given == "utf-8" else decode_text(data, file.name, given)
        tally = parse_debian_tally(text, source=file.name)
        if method == "debian":
            result = count_debian(
                tally.profile,
                default=options["default"] or tally.default,
                majority=_ratio(options["majority"] or "1"),
                seed=seed,
            )
            return result, tally.profile.totals
        profile = tally.profile
    else:
        profile = _profile(file, kind, options)
    if options["seats"] is not None and kind != "blt":
        profile = _with_seats(profile, options["seats"])
    return _count_profile(profile, method, options), profile.totals


def _count_profile(profile: Profile, method: str, options: Mapping[str, Any]) -> Result:
    seed = options["seed"]
    rules = BallotRules(
        overvote=OvervoteRule(_choice(options["overvote"], OvervoteRule, "--overvote")),
        repeat=RepeatRule(_choice(options["repeat"], RepeatRule, "--repeat")),
        max_skipped=options["max_skipped"],
    )
    if method == "irv":
        irv = IrvOptions(
            overvote=rules.overvote,
            repeat=rules.repeat,
            max_skipped=rules.max_skipped,
            batch=options["batch"],
            backward=options["backward"],
            write_ins=frozenset(
                _candidate(profile, name, "--write-in") for name in options["write_in"]
            ),
        )
        return count_irv(profile, irv, seed=seed)
    if method == "debian":
        require_default = options["default"] or profile.candidates[-1]
        return count_debian(
            profile, default=require_default, majority=_ratio(options["majority"] or "1"), seed=seed
        )
    stv: dict[str, Callable[..., Result]] = {
        "stv-scottish": count_stv_scottish,
        "stv-meek": count_stv_meek,
        "stv-gregory": count_stv_gregory,
        "stv-ireland": count_stv_ireland,
    }
    if method == "stv-cambridge":
        floor = options.get("plan_e_floor", PLAN_E_FLOOR)
        return count_stv_cambridge(profile, seed=seed, rules=rules, floor=floor)
    if method in stv:
        return stv[method](profile, seed=seed, rules=rules)
    condorcet: dict[str, Callable[..., Result]] = {
        "schulze": count_schulze,
        "ranked-pairs": count_ranked_pairs,
    }
    return condorcet[method](profile, seed=seed)


def _profile(file: Path, kind: str, options: Mapping[str, Any]) -> Profile:
    seats = options["seats"]
    if kind in ("json", "xml"):  # a NIST CDF cast-vote-record report, as RCTab writes one
        return cdf_profile(file, options["contest"])
    if options["contest"] is not None:
        raise InvalidBallotData(
            "--contest",
            f"applies to a CDF report (.json, .xml) or a record's results.json, "
            f"not to a {kind} file",
        )
    if kind == "xlsx":
        return parse_cvr_sheet(_read(file), source=file.name, sheet=options["sheet"])
    text = _text(file, options["encoding"])
    if kind == "blt":
        profile = parse_blt(text, source=file.name)
        return profile if seats is None else _with_seats(profile, seats)
    if kind == "abif":
        return parse_abif(text, source=file.name)
    return parse_cvr(text, source=file.name)


def _with_seats(profile: Profile, seats: int) -> Profile:
    return Profile(
        candidates=profile.candidates,
        ballots=profile.ballots,
        seats=seats,
        title=profile.title,
        withdrawn=profile.withdrawn,
        source=profile.source,
    )


def _totals(file: Path, method: str, options: Mapping[str, Any]) -> Counted:
    totals = _read_totals(file, method, options)
    return _count_totals(file, totals, method, options), totals.ballots


def _read_totals(file: Path, method: str, options: Mapping[str, Any]) -> VoteTotals:
    """Vote totals, or per-ballot marks counted into them: a plurality ballot may choose
    ``--seats`` options (default 1), an approval ballot any number, a ballot for any other
    method one (spec/counting.md#marked-ballots)."""
    kind = _kind(file, options["format"], ranked=False)
    _check_sheet(kind, options)
    most = None if method == "approval" else 1
    if method == "plurality":
        most = options["seats"] or 1
    if kind == "xlsx":
        return read_count_sheet(_read(file), source=file.name, sheet=options["sheet"], most=most)
    text = _text(file, options["encoding"])
    if kind == "json" and '"results"' in text[:64]:
        return _record_totals(file, text, options["contest"])
    if kind == "json":
        return read_count_json(text, source=file.name, most=most)
    return read_count_csv(text, source=file.name, most=most)


def _check_sheet(kind: str, options: Mapping[str, Any]) -> None:
    if options["sheet"] is not None and kind != "xlsx":
        raise InvalidBallotData("--sheet", f"applies to .xlsx files only, not to a {kind} file")


def _count_totals(
    file: Path, totals: VoteTotals, method: str, options: Mapping[str, Any]
) -> Result:
    name = options["district"]
    if name is None:
        votes, given = totals.votes, next(iter(totals.seats.values()), None)
    elif name in totals.districts:
        votes, given = totals.districts[name], totals.seats.get(name)
    else:
        raise InvalidBallotData(file.name, f"no district named {quote(name)}")
    seats = options["seats"] or given
    lot = Lot(seed=options["seed"])
    if method == "referendum":
        share = _ratio(options["majority"]) if options["majority"] else Fraction(1, 2)
        return simple.referendum(votes, majority=share)
    if method == "two-round":
        return simple.two_round(votes, lot=lot)
    if seats is None:
        seats = 1 if method in ("plurality", "approval") else 0
    if seats < 1:
        raise CountingError(f"{method} needs --seats (the file gives none)")
    if method == "modified-sainte-lague":
        return divisors.modified_sainte_lague(
            votes, seats, first_divisor=_ratio(options["first_divisor"]), lot=lot
        )
    return _TOTALS[method](votes, seats, lot=lot)


def _record_totals(file: Path, text: str, contest: str | None) -> VoteTotals:
    """A record's ``results.json``, named from the ``manifest.json`` beside it if any."""
    beside = file.parent / "manifest.json"
    manifest = _text(beside, "utf-8") if beside.is_file() else None
    return read_record_totals(text, contest, source=file.name, manifest=manifest)


MAX_COUNT_FILE = 4 * 1024**3
"""The largest count file read (4 GiB); it must be a regular file (a link to one is fine)."""


def _read(file: Path) -> bytes:
    return read_regular(file, limit=MAX_COUNT_FILE, follow=True)


def _text(file: Path, encoding: str) -> str:
    return decode_text(_read(file), file.name, encoding)


def _kind(file: Path, given: str, *, ranked: bool) -> str:
    if given not in _FORMATS:
        raise InvalidBallotData("--format", f"{quote(given)} is not one of {', '.join(_FORMATS)}")
    if given != "auto":
        return given
    suffix = file.suffix.lower()
    if suffix in (".blt", ".abif"):
        return suffix[1:]
    if suffix == ".json":
        return "json"
    if suffix in (".xlsx", ".xml"):
        return suffix[1:]
    if suffix == ".txt":
        return "debian"
    if suffix == ".csv":
        return "cvr" if ranked else "csv"
    raise InvalidBallotData(
        file.name, f"cannot tell the format of {suffix or 'a file without suffix'}; use --format"
    )


def _choice(value: str, kind: type[OvervoteRule] | type[RepeatRule], flag: str) -> str:
    allowed = [member.value for member in kind]
    if value not in allowed:
        raise InvalidBallotData(flag, f"{quote(value)} is not one of {', '.join(allowed)}")
    return value


def _ratio(text: str) -> Fraction:
    """``N:M``, ``N/M`` or a decimal as an exact fraction."""
    try:
        if ":" in text:
            top, bottom = text.split(":", 1)
            return Fraction(int(top), int(bottom))
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        reason = f"{quote(text)} is not a ratio like 3:1, 7/5 or 0.5"
        raise InvalidBallotData("ratio", reason) from None
