"""A count's result for people: tables of every round and what happened, in words.

Takes a :class:`~suffrage.counting.Result` of any method and returns text no wider than
the width asked for, with every figure of every round whole (STYLE.md #16, through
:func:`~suffrage.reports.text.render_table`). The shape follows the method: rounds and
stages as columns (split into pages when wide), a pairwise matrix for Condorcet methods
(rows beat columns), quotients as decimals for divisor methods, and the two-round and
referendum rules written out. Exhausted and non-transferable ballots are set apart from
candidates. Exact fractions stay exact only in JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal

from suffrage.counting._common import Result, Stage
from suffrage.counting.ballots import BallotTotals
from suffrage.reports.figures import decimal, decimals_in_text, is_figure, percent, ratio_in_words
from suffrage.reports.text import Column, TextTable, render_table, wrap_text

__all__ = [
    "SET_APART",
    "ballots_line",
    "count_tables",
    "count_text",
    "count_words",
    "pairwise_tables",
    "quotient_table",
    "rounds_table",
    "seats_table",
    "votes_table",
]

SET_APART = ("(exhausted)", "(non-transferable)")
"""Names in a trail that are not candidates: ballots that no longer count for anyone."""

_LABELS = {"(exhausted)": "Exhausted ballots", "(non-transferable)": "Non-transferable"}
_STAGE_WORD = {"round": "Round"}


def _figure(value: Any, *, fixed: bool = False) -> str:
    if is_figure(value):
        return decimal(value, fixed=fixed)
    if isinstance(value, str):
        try:
            return decimal(Fraction(value), fixed=fixed) if "/" in value or fixed else value
        except (ValueError, ZeroDivisionError):
            return value
    return str(value)


def _scalar_stages(result: Result) -> list[Stage]:
    """Stages whose values are all plain figures, one per name (rounds, stages, seats)."""
    return [
        s
        for s in result.trail.stages
        if s.values
        and all(is_figure(v) for v in s.values.values())
        and not any(" > " in name for name in s.values)
    ]


def _stage_heading(stage: Stage) -> str:
    word = _STAGE_WORD.get(stage.kind, "Stage")
    return f"{word} {stage.number}"


def _names(stages: list[Stage]) -> list[str]:
    """Candidates in the order of the first stage, then any newcomers; the set-apart rows
    last."""
    names: list[str] = []
    for stage in stages:
        names += [n for n in stage.values if n not in names]
    people = [n for n in names if n not in SET_APART]
    return people + [n for n in SET_APART if n in names]


def _status(name: str, result: Result) -> str:
    if name in SET_APART:
        return ""
    if name in result.elected:
        return " (elected)"
    return ""


def rounds_table(result: Result, title: str) -> TextTable | None:
    """Names as rows and rounds as columns; ``—`` where a name is out of the count."""
    stages = _scalar_stages(result)
    if not stages:
        return None
    rows = []
    for name in _names(stages):
        label = _LABELS.get(name, name) + _status(name, result)
        cells = tuple(_figure(s.values[name]) if name in s.values else "—" for s in stages)
        rows.append((label, *cells))
    columns = (
        Column(heading="Candidate"),
        *(Column(heading=_stage_heading(s), numeric=True) for s in stages),
    )
    notes = ("— : no longer in the count.",) if any("—" in r for r in rows) else ()
    by = "round by round" if stages[0].kind == "round" else "stage by stage"
    heading = f"{title}: {result.method}, {by}"
    return TextTable(title=heading, columns=columns, rows=tuple(rows), notes=notes)


def pairwise_tables(result: Result, title: str) -> tuple[TextTable, ...]:
    """Condorcet matrices, one per stage of pairs (the pairwise counts, and for Schulze the
    strongest paths): the cell in row A, column B is the figure of A over B."""
    return tuple(
        _matrix(stage, title)
        for stage in result.trail.stages
        if stage.values and all(" > " in name for name in stage.values)
    )


def _matrix(stage: Stage, title: str) -> TextTable:
    pairs = {tuple(key.split(" > ", 1)): value for key, value in stage.values.items()}
    names = sorted({name for pair in pairs for name in pair})
    rows = tuple(
        (f"{i}. {a}", *(("—" if a == b else _figure(pairs.get((a, b), 0))) for b in names))
        for i, a in enumerate(names, start=1)
    )
    columns = (
        Column(heading="Option"),
        *(Column(heading=str(n), numeric=True) for n in range(1, len(names) + 1)),
    )
    what = "ballots ranking" if stage.kind == "pairwise" else f"{stage.kind} of"
    note = f"Each cell: {what} the row's option over the column's (columns numbered as rows)."
    return TextTable(title=f"{title}: {stage.kind}", columns=columns, rows=rows, notes=(note,))


def quotient_table(result: Result, title: str) -> TextTable | None:
    """Divisor methods: each party's quotients as decimals, its votes and its seats."""
    stage = next((s for s in result.trail.stages if s.kind == "quotient table"), None)
    if stage is None:
        return None
    columns_of = max((len(v) for v in stage.values.values()), default=0)
    divisors = [_figure(d["divisor"]) for d in next(iter(stage.values.values()))]
    rows = tuple(
        (
            name,
            _figure(result.totals.get(name, "")),
            str(result.seats.get(name, 0)),
            *(
                _figure(q["quotient"], fixed=True) + ("*" if i < result.seats.get(name, 0) else " ")
                for i, q in enumerate(quotients)
            ),
        )
        for name, quotients in stage.values.items()
        if len(quotients) == columns_of
    )
    columns = (
        Column(heading="Party"),
        Column(heading="Votes", numeric=True),
        Column(heading="Seats", numeric=True),
        *(Column(heading=f"÷ {d}", numeric=True) for d in divisors),
    )
    note = (
        "Quotient = votes ÷ divisor, rounded to 2 decimals (exact in --json); "
        "* marks a quotient that won a seat."
    )
    return TextTable(title=f"{title}: quotients", columns=columns, rows=rows, notes=(note,))


def seats_table(result: Result, title: str) -> TextTable:
    """Votes, share and seats per party."""
    total = sum(v for v in result.totals.values() if is_figure(v))
    rows = tuple(
        (name, _figure(votes), percent(votes, total) if is_figure(votes) else "",
         str(result.seats.get(name, 0)))
        for name, votes in result.totals.items()
    )  # fmt: skip
    label = "Candidate" if result.method in ("plurality", "approval") else "Party"
    columns = (
        Column(heading=label),
        Column(heading="Votes", numeric=True),
        Column(heading="Share", numeric=True),
        Column(heading="Seats", numeric=True),
    )
    return TextTable(title=f"{title}: seats", columns=columns, rows=rows)


def votes_table(
    votes: Mapping[str, Any], base: Any, title: str, *, label: str = "Candidate"
) -> TextTable:
    """Votes and their share of ``base`` per option."""
    rows = tuple((n, _figure(v), percent(v, base)) for n, v in votes.items())
    columns = (
        Column(heading=label),
        Column(heading="Votes", numeric=True),
        Column(heading="Share", numeric=True),
    )
    return TextTable(title=title, columns=columns, rows=rows)


def count_tables(result: Result, *, title: str = "") -> tuple[TextTable, ...]:
    """Every table of ``result``'s count, in reading order."""
    title = title or result.method
    if result.method == "two_round":
        first = result.trail.stages[0].values
        tables = [votes_table(first["votes"], first["base"], f"{title}: first round")]
        second = [s for s in result.trail.stages if s.kind == "second round"]
        if second:
            values = second[0].values
            tables.append(votes_table(values, sum(values.values()), f"{title}: second round"))
        return tuple(tables)
    if result.method == "referendum":
        values = result.trail.stages[0].values
        shown = {k: v for k, v in values.items() if k != "turnout"}
        return (votes_table(shown, values["turnout"], f"{title}: votes", label="Answer"),)
    pairwise = pairwise_tables(result, title)
    if pairwise:
        return pairwise
    quotients = quotient_table(result, title)
    if quotients is not None:
        return (quotients,)
    if result.seats:
        return (seats_table(result, title),)
    rounds = rounds_table(result, title)
    return (rounds,) if rounds is not None else ()


def _two_round_words(result: Result) -> list[str]:
    first = result.trail.stages[0].values
    votes, base = first["votes"], first["base"]
    need = Fraction(first["majority"])
    lines = []
    if len(result.trail.stages) > 1:
        runoff = result.trail.stages[1].values
        went = " and ".join(f"{n} ({percent(votes[n], base)})" for n in runoff)
        lines.append(
            f"No candidate won more than {ratio_in_words(need)} of the {decimal(base)} valid "
            f"votes (more than {decimal(need * base)} votes were needed); {went} go to the "
            "second round."
        )
    for stage in result.trail.stages[2:]:
        lines += [decimals_in_text(e) for e in stage.events]
    if len(result.trail.stages) == 1:
        lines += [decimals_in_text(e) for e in result.trail.stages[0].events]
    return lines


def _referendum_words(result: Result) -> list[str]:
    values = result.trail.stages[0].values
    yes, no = values["yes"], values["no"]
    need = Fraction(result.options.get("majority", Fraction(1, 2)))
    strict = result.options.get("strict", True)
    answer = result.elected[0] if result.elected else "no"
    rule = "more than" if strict else "at least"
    lines = [
        f"Yes {decimal(yes)} of {decimal(yes + no)} yes and no votes "
        f"({percent(yes, yes + no)}); the rule asks {rule} {ratio_in_words(need)}: "
        f"{'passed' if answer == 'yes' else 'not passed'}."
    ]
    lines += [decimals_in_text(e) for e in result.trail.stages[0].events[1:]]
    return lines


def _event(event: str, stage: Stage, before: Stage | None) -> str:
    """One event in words, with the figure of the candidate it names: an IRV round shows
    the votes an eliminated candidate had in it (``eliminated Smith (1,317 votes)``), an STV
    exclusion stage shows them after the transfer, so the stage before it is read."""
    verb, _, name = event.partition(" ")
    value = None
    if verb == "eliminated":
        value = stage.values.get(name)
    elif verb == "excluded" and before is not None:
        value = before.values.get(name)
    text = decimals_in_text(event)
    return f"{text} ({_figure(value)} votes)" if is_figure(value) else text


_SEAT = re.compile(r"seat (\d+) to (.+), quotient (\S+)")


def _seat_event(event: str) -> str | None:
    """A divisor method's ``seat 3 to A, quotient 3535/2`` as ``Seat 3: A (quotient
    1,767.50).``; ``None`` for any other event."""
    match = _SEAT.fullmatch(event)
    if match is None:
        return None
    number, party, quotient = match.groups()
    return f"Seat {number}: {party} (quotient {_figure(quotient, fixed=True)})."


def _events(result: Result) -> list[str]:
    lines = []
    before: Stage | None = None
    for stage in result.trail.stages:
        if stage.kind == "quotient table":
            continue  # its one event, "quotient = votes / divisor", is the table's note
        seats = [_seat_event(e) for e in stage.events]
        if stage.events and all(seats):
            lines += [line for line in seats if line]
        elif stage.events:
            text = "; ".join(_event(e, stage, before) for e in stage.events)
            kind = "" if stage.kind == "round" else f" ({stage.kind})"
            lines.append(f"{_stage_heading(stage)}{kind}: {text}.")
        before = stage
    return lines


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def count_words(result: Result) -> list[str]:
    """What happened, in sentences: events of each round, lots drawn, the outcome."""
    if result.method == "two_round":
        lines = _two_round_words(result)
    elif result.method == "referendum":
        lines = _referendum_words(result)
    else:
        lines = _events(result)
    notes = [n for n in result.trail.notes if not n.startswith("answer:")]
    lines += [_sentence(decimals_in_text(note)) for note in notes]
    if result.trail.lots:
        seed = result.trail.seed
        lines.append(f"Lots drawn (seed {seed}):" if seed is not None else "Lots drawn:")
        lines += [f"  {lot}" for lot in result.trail.lots]
    if result.method != "referendum":
        if result.seats and result.method not in ("plurality", "approval"):
            won = ", ".join(f"{n} {s}" for n, s in result.seats.items() if s)
            lines.append(f"Seats: {won or 'none'}.")
        else:
            lines.append(f"Elected: {', '.join(result.elected) or 'no one yet'}.")
    if result.method == "two_round" and not result.elected:
        lines[-1] = "The second round decides; count its votes to elect."
    return lines


def ballots_line(ballots: BallotTotals | None) -> str:
    """The ballots a count read, in words: ``Ballots read 4, valid 3, blank 1, invalid 0.``,
    or that a file of vote totals states none (spec/counting.md#ballot-totals)."""
    if ballots is None:
        return "Ballots: not stated (the file gives vote totals, not ballots)."
    figures = (ballots.read, ballots.valid, ballots.blank, ballots.invalid)
    read, valid, blank, invalid = (decimal(n) for n in figures)
    return f"Ballots read {read}, valid {valid}, blank {blank}, invalid {invalid}."


def count_text(
    result: Result,
    width: int,
    *,
    title: str = "",
    ballots: BallotTotals | Literal[False] | None = False,
) -> str:
    """The whole count as plain text no wider than ``width`` (at least 40) cells; with
    ``ballots`` (not ``False``), a first line of the ballots read, valid, blank, invalid."""
    parts = [render_table(t, width) for t in count_tables(result, title=title)]
    words = count_words(result)
    if ballots is not False:
        words = [ballots_line(ballots), *words]
    parts.append("\n".join(wrap_text(line, width) for line in words) + "\n")
    return "\n".join(parts)
