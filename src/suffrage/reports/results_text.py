"""The results of an election as terminal tables, CSV and JSON.

Every format takes the one model, :class:`~suffrage.reports.results.ElectionResults`. Tables
never truncate a figure: one too wide for the width changes shape (spec: STYLE.md #16).
CSV has one row per contest and option, and one per round or stage where the count has
several, with ids for programs and names for people. JSON carries exact fractions as
``"p/q"`` strings beside their decimals.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

from suffrage.i18n import Catalog, catalog
from suffrage.protocol.manifest import ContestKind
from suffrage.reports import figures
from suffrage.reports.charts import RoundsTable, rounds_table
from suffrage.reports.results import (
    ContestResults,
    DrawnLot,
    ElectionResults,
    OptionLine,
    Rule,
)
from suffrage.reports.text import Column, TextTable, display_width, render_table, wrap_text

__all__ = [
    "contest_facts",
    "decimal",
    "group_label",
    "lot_text",
    "method_words",
    "ordered",
    "percent",
    "results_csv",
    "results_json",
    "results_table",
    "rounds",
    "rule_lines",
    "rule_text",
    "summary_facts",
]


def decimal(value: Fraction | int, places: int = 2) -> str:
    """``value`` rounded half to even at ``places`` decimals, with thousands separators
    (``Fraction(2469, 2)`` -> ``1,234.50``); whole numbers are written without decimals."""
    return figures.decimal(value, places)


def percent(share: Fraction | None) -> str:
    """A share as a percentage with always two decimals (``50.00``; ``—`` with no base)."""
    return "—" if share is None else figures.decimal(share * 100, 2, fixed=True)


def fraction_words(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def rule_text(rule: Rule, t: Catalog) -> str:
    """A rule in words and decimals, e.g. ``Threshold: 5.00% of the valid votes = 0.40 votes``."""
    verdict = t("met") if rule.met else t("not_met")
    values: dict[str, Any] = {
        "percent": percent(rule.share),
        "fraction": fraction_words(rule.share),
        "figure": decimal(rule.figure),
        "actual": decimal(rule.actual or 0),
        "verdict": verdict,
    }
    if rule.kind == "threshold":
        return t("rule.threshold", percent=values["percent"], figure=values["figure"])
    if rule.kind == "majority":
        return t("rule.majority_strict" if rule.strict else "rule.majority", **values)
    return t("rule.quorum", **values)


_PURPOSES = {
    "plurality seat": "lot.plurality_seat",
    "approval seat": "lot.approval_seat",
    "largest remainder": "lot.largest_remainder",
    "seat taken back": "lot.seat_taken_back",
    "elimination": "lot.elimination",
    "exclusion": "lot.exclusion",
    "surplus order": "lot.surplus_order",
}


def lot_text(lot: DrawnLot, t: Catalog) -> str:
    """A drawing of lots in words: what, between whom, who was chosen, with which seed."""
    purpose = lot.purpose
    if purpose in _PURPOSES:
        purpose = t(_PURPOSES[purpose])
    elif purpose.startswith("seat ") and purpose[5:].isdigit():
        purpose = t("lot.seat", n=purpose[5:])
    return t(
        "lot", purpose=purpose, between=t("sep").join(lot.between), chosen=lot.chosen, seed=lot.seed
    )


def group_label(t: Catalog, prefix: str, name: str) -> str:
    """A group column or value in words where the catalog knows it, else as the roll says."""
    key = f"{prefix}.{name}"
    return t(key) if key in t.strings else name


def summary_facts(
    results: ElectionResults, t: Catalog, *, isolate: bool = False
) -> list[tuple[str, str]]:
    """The election's figures as (label, value) pairs, in reading order. ``isolate`` wraps
    each timestamp in Unicode directional isolates (for pages: an ISO 8601 time inside
    Arabic text would otherwise be reordered by the bidirectional algorithm)."""

    def when(stamp: str) -> str:
        return f"\u2066{stamp}\u2069" if isolate else stamp

    return [
        (t("election_id"), results.election_id),
        (t("period"), t("period_value", start=when(results.start), end=when(results.end))),
        (t("closed_at"), when(results.closed_at)),
        (t("eligible"), decimal(results.eligible)),
        (t("counted"), decimal(results.counted)),
        (t("entries"), decimal(results.entries)),
        (
            t("turnout"),
            t(
                "turnout_value",
                counted=decimal(results.counted),
                eligible=decimal(results.eligible),
                percent=percent(results.turnout),
            ),
        ),
        (t("invalid"), "0"),
    ]


def contest_facts(contest: ContestResults, t: Catalog) -> list[tuple[str, str]]:
    """Ballots, valid votes and blanks of a contest as (label, value) pairs."""
    facts = [
        (t("ballots"), decimal(contest.ballots)),
        (t("valid_votes"), decimal(contest.valid_votes)),
    ]
    if contest.blank_kind == "marks":
        facts.append(
            (t("blank.marks", allowed=contest.votes_allowed or 1), decimal(contest.blank or 0))
        )
    elif contest.blank_kind == "ballots":
        key = {ContestKind.REFERENDUM: "blank.referendum", ContestKind.RANKED: "blank.ranked"}
        facts.append((t(key.get(contest.kind, "blank.ballots")), decimal(contest.blank or 0)))
    return facts


def contest_description(contest: ContestResults, t: Catalog) -> str:
    """How the contest is decided, in one sentence."""
    if contest.kind is ContestKind.PARTY_LIST:
        method = t(f"method.{contest.method}") if contest.method else ""
        return t("kind.party_list", seats=contest.seats, method=method)
    if contest.kind is ContestKind.PLURALITY:
        return t("kind.plurality", seats=contest.seats, allowed=contest.votes_allowed or 1)
    if contest.kind is ContestKind.APPROVAL:
        return t("kind.approval", seats=contest.seats)
    if contest.kind is ContestKind.RANKED:
        return t("kind.ranked", method=method_words(contest, t.language), seats=contest.seats)
    return t("kind.referendum")


def method_words(contest: ContestResults, language: str) -> str:
    """A ranked count's method in words (the charts' wording: ``Single transferable vote
    (Meek)``), or its code where the catalog has none."""
    charts = catalog("charts", language)
    key = f"method_{contest.method}"
    return charts(key) if key in charts.strings else str(contest.method)


def option_heading(contest: ContestResults, t: Catalog) -> str:
    return {
        ContestKind.PARTY_LIST: t("col.list"),
        ContestKind.REFERENDUM: t("col.answer"),
        ContestKind.PLURALITY: t("col.candidate"),
        ContestKind.RANKED: t("col.candidate"),
    }.get(contest.kind, t("col.option"))


def result_word(contest: ContestResults, line_elected: bool, t: Catalog) -> str:
    if contest.kind is ContestKind.REFERENDUM:
        return t("won") if line_elected else ""
    if contest.kind is ContestKind.APPROVAL:
        return t("chosen") if line_elected else ""
    return t("elected") if line_elected else ""


def ordered(contest: ContestResults) -> list[OptionLine]:
    """The options as a results table lists them: most seats, then most votes, first; ties
    in ballot order."""
    return sorted(contest.options, key=lambda o: (-o.seats, -o.votes))


def option_rows(
    contest: ContestResults, t: Catalog
) -> tuple[list[str], list[bool], list[list[str]]]:
    """Headings, which are numeric, and rows of a contest's table (shared by HTML)."""
    share = t("col.share_ballots") if contest.share_base == "ballots" else t("col.share_valid")
    has_party = any(o.party for o in contest.options)
    headings = [
        option_heading(contest, t),
        *([t("col.party")] if has_party else []),
        t("col.first") if contest.is_ranked else t("col.votes"),
        share,
    ]
    numeric = [False, *([False] if has_party else []), True, True]
    if contest.is_party_list:
        headings.append(t("col.seats"))
        numeric.append(True)
    else:
        headings.append(t("col.result"))
        numeric.append(False)
    rows = []
    for o in ordered(contest):
        row = [o.name, *([o.party or ""] if has_party else []), decimal(o.votes), percent(o.share)]
        row.append(
            decimal(o.seats) if contest.is_party_list else result_word(contest, o.elected, t)
        )
        rows.append(row)
    return headings, numeric, rows


def below_threshold(contest: ContestResults) -> list[str]:
    """The lists whose votes are under the threshold (they take no seat)."""
    rule = next((r for r in contest.rules if r.kind == "threshold"), None)
    return [] if rule is None else [o.name for o in contest.options if o.votes < rule.figure]


def rule_lines(contest: ContestResults, t: Catalog) -> list[str]:
    """The rules of a contest in words, who fell below a threshold, a referendum's outcome."""
    lines = [rule_text(r, t) for r in contest.rules]
    below = below_threshold(contest)
    if below:
        lines.append(f"{t('below_threshold')}: {t('sep').join(below)}")
    if contest.kind is ContestKind.PARTY_LIST and not contest.outcome:
        lines.append(t("no_seats"))
    if contest.kind is ContestKind.REFERENDUM:
        names = {o.option_id: o.name for o in contest.options}
        lines.append(t("outcome", answer=t("sep").join(names.get(a, a) for a in contest.outcome)))
    return lines


def contest_notes(contest: ContestResults, t: Catalog) -> list[str]:
    """Everything said under a contest's table: description, figures, rules, outcome, lots."""
    notes = ["", contest_description(contest, t)]
    notes += [f"{label}: {value}" for label, value in contest_facts(contest, t)]
    if contest.blank_kind is None and contest.kind is ContestKind.APPROVAL:
        notes.append(t("blank.unknown"))
    notes += rule_lines(contest, t)
    notes.append(t("lots") + ":" if contest.lots else t("no_lots"))
    notes += [f"  - {lot_text(lot, t)}" for lot in contest.lots]
    return notes


def _contest_table(contest: ContestResults, t: Catalog) -> TextTable:
    headings, numeric, rows = option_rows(contest, t)
    return TextTable(
        title=contest.title,
        columns=tuple(Column(heading=h, numeric=n) for h, n in zip(headings, numeric, strict=True)),
        rows=tuple(tuple(r) for r in rows),
        notes=tuple(contest_notes(contest, t)),
    )


def rounds(contest: ContestResults, language: str) -> RoundsTable | None:
    """A ranked contest's rounds or stages as a table (the chart's, :func:`rounds_table`),
    names in the report's language; ``None`` for any other count."""
    if not contest.is_ranked:
        return None
    names = {o.option_id: o.name for o in contest.options}
    return rounds_table(contest.count, language=language, names=names)


def _rounds_table(contest: ContestResults, t: Catalog) -> TextTable | None:
    table = rounds(contest, t.language)
    if table is None or not table.headings:
        return None
    return TextTable(
        title=f"{contest.title} — {t('rounds')}",
        columns=(
            Column(heading=t("col.candidate")),
            *(Column(heading=h, numeric=True) for h in table.headings),
            Column(heading=t("col.result")),
        ),
        rows=tuple((*row, fate) for row, fate in zip(table.rows, table.fates, strict=True)),
        notes=("", t("rounds_note")),
    )


def _summary_text(results: ElectionResults, t: Catalog, width: int) -> str:
    """The election's figures as ``label: value`` lines (two columns of prose would wrap
    into a ribbon at 60 columns), then the note on invalid ballots and the base hash."""
    title = wrap_text(results.title, width)
    lines = [title, "=" * min(display_width(results.title), width)]
    lines += [wrap_text(f"{label}: {value}", width) for label, value in summary_facts(results, t)]
    lines += ["", wrap_text(t("invalid_note"), width)]
    lines.append(wrap_text(f"{t('base_hash')}: {results.base_hash}", width))
    return "\n".join(lines) + "\n"


def group_rows(results: ElectionResults, t: Catalog) -> list[list[str]]:
    """Rows of the turnout-by-group table: group, value, on the roll, voted, turnout."""
    rows: list[list[str]] = []
    if results.groups is None:
        return rows
    for column in results.groups.groups:
        for cell in column.cells:
            share = (
                Fraction(cell.voted, cell.eligible)
                if cell.voted is not None and cell.eligible
                else None
            )
            rows.append(
                [
                    group_label(t, "group", column.name),
                    group_label(t, "value", cell.value),
                    "—" if cell.eligible is None else decimal(cell.eligible),
                    "—" if cell.voted is None else decimal(cell.voted),
                    percent(share),
                ]
            )
    return rows


def _groups_table(results: ElectionResults, t: Catalog) -> TextTable | None:
    if results.groups is None:
        return None
    headings = ("group.column", "group.value", "group.eligible", "group.voted", "group.turnout")
    return TextTable(
        title=t("groups"),
        columns=tuple(Column(heading=t(h), numeric=i >= 2) for i, h in enumerate(headings)),
        rows=tuple(tuple(r) for r in group_rows(results, t)),
        notes=("", t("suppressed_note", threshold=results.groups.threshold)),
    )


def results_table(results: ElectionResults, *, width: int, verified: bool = False) -> str:
    """The whole report as text tables that fit ``width`` columns without cutting a figure;
    ``verified`` when the verifier has just passed the record (the closing line says so
    instead of pointing to the verifier)."""
    t = catalog("results", results.language)
    tables = []
    for c in results.contests:
        tables.append(_contest_table(c, t))
        tables += [x for x in [_rounds_table(c, t)] if x is not None]
    groups = _groups_table(results, t)
    if groups is not None:
        tables.append(groups)
    parts = [_summary_text(results, t, width), *(render_table(x, width) for x in tables)]
    if groups is None:
        parts.append(wrap_text(t("no_groups"), width))
    parts.append(wrap_text(t("verified" if verified else "how_to_verify"), width))
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


_CSV_FIELDS = (
    "election_id",
    "contest_id",
    "contest",
    "kind",
    "stage",
    "stage_kind",
    "option_id",
    "option",
    "party",
    "votes",
    "percent",
    "seats",
    "elected",
    "ballots",
    "valid_votes",
    "blank",
)


def _fixed(value: Fraction, places: int) -> str:
    """``value`` with exactly ``places`` decimals, no separators (for CSV)."""
    return figures.decimal(value, places, fixed=True, grouped=False)


_SAME_AS_FINAL = frozenset({"count", "referendum"})
"""Stage kinds whose one stage repeats the final rows (plurality, approval, referendum)."""


def _stage_figure(value: Any) -> str:
    if isinstance(value, Decimal):  # Meek's STV counts in fixed decimals
        return str(value)
    if isinstance(value, Fraction):
        return _fixed(value, 6)
    if isinstance(value, int | str):
        return str(value)
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False)


def _csv_rows(results: ElectionResults) -> Iterator[dict[str, str]]:
    for c in results.contests:
        base = {
            "election_id": results.election_id,
            "contest_id": c.contest_id,
            "contest": c.title,
            "kind": c.kind.value,
            "ballots": str(c.ballots),
            "valid_votes": str(c.valid_votes),
            "blank": "" if c.blank is None else str(c.blank),
        }
        for o in c.options:
            yield {
                **base,
                "stage": "final",
                "stage_kind": "result",
                "option_id": o.option_id,
                "option": o.name,
                "party": o.party or "",
                "votes": str(o.votes),
                "percent": "" if o.share is None else _fixed(o.share * 100, 4),
                "seats": str(o.seats if c.is_party_list else int(o.elected)),
                "elected": "yes" if o.elected else "no",
            }
        yield from _stage_rows(c, base)


def _stage_rows(c: ContestResults, base: dict[str, str]) -> Iterator[dict[str, str]]:
    """One row per stage and option where the count has stages worth a row (quotients,
    rounds); the plain one-stage count of plurality is the final row already."""
    names = {o.option_id: o for o in c.options}
    stages = c.count.trail.stages
    if len(stages) == 1 and stages[0].kind in _SAME_AS_FINAL:
        return
    for stage in stages:
        for key, value in stage.values.items():
            option = names.get(key)
            yield {
                **base,
                "stage": str(stage.number),
                "stage_kind": stage.kind,
                "option_id": key,
                "option": option.name if option else key,
                "party": (option.party or "") if option else "",
                "votes": _stage_figure(value),
                "percent": "",
                "seats": "",
                "elected": "",
            }


def results_csv(results: ElectionResults) -> str:
    """CSV (RFC 4180, UTF-8): a ``final`` row per contest and option, then a row per stage
    of the count and option (``stage`` 1, 2, ...; quotient tables as JSON in ``votes``)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(_csv_rows(results))
    return out.getvalue()


def _plain(value: Any) -> Any:
    """``value`` as JSON data: a fraction (or a fixed decimal of Meek's STV) as
    ``{"exact": "p/q", "decimal": "0.25"}``."""
    if isinstance(value, Decimal):
        value = Fraction(value)
    if isinstance(value, Fraction):
        return {"exact": fraction_words(value), "decimal": _fixed(value, 6)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _contest_json(c: ContestResults, t: Catalog) -> dict[str, Any]:
    return {
        "contest_id": c.contest_id,
        "title": c.title,
        "kind": c.kind.value,
        "method": c.method,
        "seats": c.seats,
        "votes_allowed": c.votes_allowed,
        "ballots": c.ballots,
        "valid_votes": c.valid_votes,
        "blank": c.blank,
        "blank_kind": c.blank_kind,
        "share_base": c.share_base,
        "outcome": list(c.outcome),
        "options": [
            {
                "option_id": o.option_id,
                "name": o.name,
                "party": o.party,
                "votes": o.votes,
                "share": _plain(o.share),
                "elected": o.elected,
                "seats": o.seats,
            }
            for o in c.options
        ],
        "rules": [
            {
                "kind": r.kind,
                "share": _plain(r.share),
                "base": r.base,
                "figure": _plain(r.figure),
                "strict": r.strict,
                "actual": r.actual,
                "met": r.met,
                "text": rule_text(r, t),
            }
            for r in c.rules
        ],
        "lots": [
            {
                "purpose": x.purpose,
                "between": list(x.between),
                "chosen": x.chosen,
                "seed": str(x.seed),
            }
            for x in c.lots
        ],
        "stages": [
            {
                "number": s.number,
                "kind": s.kind,
                "values": _plain(dict(s.values)),
                "events": list(s.events),
            }
            for s in c.count.trail.stages
        ],
    }


def results_json(results: ElectionResults) -> str:
    """The model as JSON (exact fractions as ``"p/q"`` beside their decimals)."""
    t = catalog("results", results.language)
    groups = results.groups
    value = {
        "format": "suffrage/results-report/1",
        "election_id": results.election_id,
        "title": results.title,
        "language": results.language,
        "start": results.start,
        "end": results.end,
        "closed_at": results.closed_at,
        "base_hash": results.base_hash,
        "eligible": results.eligible,
        "counted": results.counted,
        "entries": results.entries,
        "invalid": results.invalid,
        "turnout": _plain(results.turnout),
        "contests": [_contest_json(c, t) for c in results.contests],
        "turnout_by_group": None
        if groups is None
        else {
            "threshold": groups.threshold,
            "groups": {
                col.name: [
                    {"value": x.value, "eligible": x.eligible, "voted": x.voted} for x in col.cells
                ]
                for col in groups.groups
            },
        },
    }
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
