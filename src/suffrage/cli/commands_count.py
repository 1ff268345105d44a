"""``suffrage count``: count a ballot or vote-total file by any method (spec/counting.md).

Ranked methods read BLT, cast-vote-record CSV, ABIF or a Debian tally sheet; list and single-
mark methods read vote totals (CSV or JSON). The result prints as a round-by-round table, or
as JSON / CSV with ``--json`` / ``--csv``; ``--chart PATH`` draws an SVG picture.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from fractions import Fraction
from html import escape
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from suffrage.cli._options import ForceOption
from suffrage.cli.main import app
from suffrage.counting import divisors, remainders, simple
from suffrage.counting._common import Lot, Result
from suffrage.counting.ballots import OvervoteRule, Profile, RepeatRule
from suffrage.counting.condorcet import count_debian, count_ranked_pairs, count_schulze
from suffrage.counting.irv import IrvOptions, count_irv
from suffrage.counting.readers import parse_abif, parse_blt, parse_cvr, parse_debian_tally
from suffrage.counting.stv_gregory import count_stv_gregory
from suffrage.counting.stv_meek import count_stv_meek
from suffrage.counting.stv_scottish import count_stv_scottish
from suffrage.counting.totals import read_totals_csv, read_totals_json
from suffrage.counting.writers import plain, to_csv, to_json
from suffrage.errors import CountingError, InvalidBallotData, InvalidEncoding, SuffrageError, quote
from suffrage.inputs import MAX_SEATS
from suffrage.record.reading import read_regular
from suffrage.record.writing import check_free, write_file

__all__ = ["LIST_METHODS", "RANKED_METHODS", "count"]

RANKED_METHODS = (
    "irv", "stv-scottish", "stv-meek", "stv-gregory", "schulze", "ranked-pairs", "debian",
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
_FORMATS = ("auto", "blt", "cvr", "abif", "debian", "csv", "json")


@app.command(epilog="Example: suffrage count --method irv ballots.blt")
def count(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="ballot or vote-total file")],
    *,
    method: Annotated[
        str,
        typer.Option(metavar="METHOD", help=f"one of: {', '.join(RANKED_METHODS + LIST_METHODS)}"),
    ],
    seats: Annotated[
        int | None, typer.Option(help="seats to fill (default: from the file, or 1)")
    ] = None,
    file_format: Annotated[
        str, typer.Option("--format", help=f"one of {', '.join(_FORMATS)}")
    ] = "auto",
    seed: Annotated[int, typer.Option(help="seed of the drawing of lots for ties")] = 0,
    overvote: Annotated[str, typer.Option(help="IRV: exhaust or skip")] = "exhaust",
    repeat: Annotated[
        str, typer.Option(help="IRV: a repeated candidate: skip or exhaust")
    ] = "skip",
    max_skipped: Annotated[int | None, typer.Option(help="IRV: skipped ranks that exhaust")] = None,
    batch: Annotated[bool, typer.Option(help="IRV: batch elimination")] = False,
    backward: Annotated[bool, typer.Option(help="IRV: break ties by earlier rounds")] = True,
    default: Annotated[str | None, typer.Option(help="Debian: the default option")] = None,
    majority: Annotated[
        str, typer.Option(help="Debian: majority ratio N:M; referendum: share")
    ] = "",
    first_divisor: Annotated[str, typer.Option(help="modified Sainte-Laguë first divisor")] = "7/5",
    district: Annotated[
        str | None, typer.Option(help="district of a multi-district totals file")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="print the result as CSV")] = False,
    chart: Annotated[Path | None, typer.Option(help="write an SVG chart to this path")] = None,
    force: ForceOption = False,
) -> None:
    """Count FILE by METHOD and print every round (spec/counting.md)."""
    try:
        if seats is not None and not 1 <= seats <= MAX_SEATS:
            raise InvalidBallotData(
                "--seats", f"must be a whole number from 1 to {MAX_SEATS}, not {quote(seats)}"
            )
        options = {
            "seats": seats, "format": file_format, "seed": seed, "overvote": overvote,
            "repeat": repeat, "max_skipped": max_skipped, "batch": batch, "backward": backward,
            "default": default, "majority": majority, "first_divisor": first_divisor,
            "district": district,
        }  # fmt: skip
        if chart is not None:
            check_free([chart], force=force)
        result = run_count(file, method, options)
        if chart is not None:
            write_file(chart, svg_chart(result).encode("utf-8"), force=force)
    except (SuffrageError, OSError, UnicodeDecodeError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(to_json(result))
    elif as_csv:
        sys.stdout.write(to_csv(result))
    else:
        print_rounds(Console(), result)


def run_count(file: Path, method: str, options: Mapping[str, Any]) -> Result:
    """Read ``file`` and count it by ``method`` with the command-line ``options``."""
    if method in RANKED_METHODS:
        return _ranked(file, method, options)
    if method in LIST_METHODS:
        return _totals(file, method, options)
    raise CountingError(
        f"unknown method {quote(method)}; choose one of {', '.join(RANKED_METHODS + LIST_METHODS)}"
    )


def _ranked(file: Path, method: str, options: Mapping[str, Any]) -> Result:
    kind = _kind(file, options["format"], ranked=True)
    seed = options["seed"]
    if kind == "debian":
        tally = parse_debian_tally(_read(file), source=file.name)
        if method == "debian":
            return count_debian(
                tally.profile,
                default=options["default"] or tally.default,
                majority=_ratio(options["majority"] or "1"),
                seed=seed,
            )
        profile = tally.profile
    else:
        profile = _profile(file, kind, options["seats"])
    if options["seats"] is not None and kind != "blt":
        profile = _with_seats(profile, options["seats"])
    return _count_profile(profile, method, options)


def _count_profile(profile: Profile, method: str, options: Mapping[str, Any]) -> Result:
    seed = options["seed"]
    if method == "irv":
        irv = IrvOptions(
            overvote=OvervoteRule(_choice(options["overvote"], OvervoteRule, "--overvote")),
            repeat=RepeatRule(_choice(options["repeat"], RepeatRule, "--repeat")),
            max_skipped=options["max_skipped"],
            batch=options["batch"],
            backward=options["backward"],
        )
        return count_irv(profile, irv, seed=seed)
    if method == "debian":
        require_default = options["default"] or profile.candidates[-1]
        return count_debian(
            profile, default=require_default, majority=_ratio(options["majority"] or "1"), seed=seed
        )
    counters: dict[str, Callable[..., Result]] = {
        "stv-scottish": count_stv_scottish,
        "stv-meek": count_stv_meek,
        "stv-gregory": count_stv_gregory,
        "schulze": count_schulze,
        "ranked-pairs": count_ranked_pairs,
    }
    return counters[method](profile, seed=seed)


def _profile(file: Path, kind: str, seats: int | None) -> Profile:
    text = _text(file)
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


def _totals(file: Path, method: str, options: Mapping[str, Any]) -> Result:
    kind = _kind(file, options["format"], ranked=False)
    text = _text(file)
    totals = (
        read_totals_json(text, source=file.name)
        if kind == "json"
        else read_totals_csv(text, source=file.name)
    )
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


MAX_COUNT_FILE = 4 * 1024**3
"""The largest count file read (4 GiB); it must be a regular file (a link to one is fine)."""


def _read(file: Path) -> bytes:
    return read_regular(file, limit=MAX_COUNT_FILE, follow=True)


def _text(file: Path) -> str:
    try:
        return _read(file).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidEncoding(file.name, f"not UTF-8 text (byte {exc.start})") from None


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


def _show(value: Any) -> str:
    if isinstance(value, Fraction) and value.denominator != 1:
        return f"{float(value):.5f}"
    return str(plain(value))


def print_rounds(console: Console, result: Result) -> None:
    """A table with one row per name and one column per stage, then the events."""
    stages = [s for s in result.trail.stages if s.values]
    kinds = sorted({s.kind for s in stages})
    table = Table(title=f"{result.method}: {len(result.trail.stages)} stages ({', '.join(kinds)})")
    table.add_column("", no_wrap=True)
    for stage in stages:
        table.add_column(str(stage.number), justify="right")
    names: list[str] = []
    for stage in stages:
        names += [n for n in stage.values if n not in names]
    for name in names:
        table.add_row(name, *(_show(s.values[name]) if name in s.values else "" for s in stages))
    console.print(table)
    for stage in result.trail.stages:
        for event in (stage.kind, *stage.events) if stage.events else ():
            console.print(f"stage {stage.number}: {event}", highlight=False)
    for note in result.trail.notes:
        console.print(note, highlight=False)
    if result.seats:
        console.print(
            "seats: " + ", ".join(f"{k} {v}" for k, v in result.seats.items() if v), highlight=False
        )
    console.print(f"[bold]elected: {', '.join(result.elected) or '-'}[/bold]")


def svg_chart(result: Result) -> str:
    """An SVG picture: seats per list for seat methods, else bars for every stage."""
    if result.seats:
        groups = [("seats", {k: Fraction(v) for k, v in result.seats.items()})]
    else:
        groups = [
            (f"{s.number} {s.kind}", {k: Fraction(v) for k, v in s.values.items() if _number(v)})
            for s in result.trail.stages
            if s.values and all(" > " not in k for k in s.values)
        ]
        groups = groups or [
            ("totals", {k: Fraction(v) for k, v in result.totals.items() if _number(v)})
        ]
    return _bars(result.method, groups)


def _number(value: Any) -> bool:
    return isinstance(value, int | Fraction) or type(value).__name__ == "Decimal"


def _bars(title: str, groups: list[tuple[str, dict[str, Fraction]]]) -> str:
    top = max(
        (v for _, values in groups for v in values.values()), default=Fraction(1)
    ) or Fraction(1)
    rows: list[str] = []
    y = 40
    for label, values in groups:
        rows.append(f'<text x="10" y="{y}" font-weight="bold">{escape(label)}</text>')
        y += 8
        for name, value in values.items():
            width = float(500 * value / top)
            rows.append(f'<text x="10" y="{y + 12}">{escape(name)}</text>')
            rows.append(f'<rect x="230" y="{y}" width="{width:.1f}" height="14" fill="#4a7ab5"/>')
            rows.append(f'<text x="{235 + width:.1f}" y="{y + 12}">{_show(value)}</text>')
            y += 18
        y += 16
    head = f'<text x="10" y="20" font-size="16">{escape(title)}</text>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="860" height="{y}" '
        f'font-family="sans-serif" font-size="12">{head}{"".join(rows)}</svg>\n'
    )
