"""Turnout by group, with small cells suppressed (spec/protocol.md#turnout-by-group).

The roll may carry group columns (``group:sex``, ``group:age_band``, ...) that only the
credential authority holds. After the tally it counts, for every column and value, the
voters on the roll (``eligible``) and those whose credential cast a counted ballot
(``voted``), and publishes them in ``turnout.json`` beside the results. Nothing of a
voter's groups ever enters the encrypted side or the board.

A published figure must not single out a few voters, so before publication
(:func:`suppress_cells`, with threshold ``t``):

1. *primary suppression*: a cell with ``eligible < t`` publishes neither figure; a cell
   with ``voted < t`` or ``eligible - voted < t`` publishes its ``eligible`` but not its
   ``voted`` (either would tell that a few known voters did, or did not, vote);
2. *complementary suppression*: the overall eligible and voted figures are published, so a
   column with exactly one hidden ``eligible`` (or ``voted``) figure would give it away by
   subtraction; the published figure of the same kind that is the smallest in that column
   is hidden too (for ``eligible``: the whole cell), and so on until no column has exactly
   one hidden figure of either kind.

A column with a single value is published as it is: its figures are the overall ones,
which the record publishes anyway, so hiding them would hide nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_THRESHOLD",
    "NOT_STATED",
    "TURNOUT_FORMAT",
    "GroupCell",
    "GroupColumn",
    "Turnout",
    "count_groups",
    "suppress_cells",
    "tabulate_turnout",
    "turnout_to_json",
]

TURNOUT_FORMAT = "suffrage/turnout/1"
DEFAULT_THRESHOLD = 10
"""The smallest number of voters a published figure may count (spec/protocol.md)."""
NOT_STATED = "not stated"
"""The value of a voter whose roll line leaves a group column empty."""

RawCounts = Mapping[str, Mapping[str, tuple[int, int]]]
"""Per column, per value: (eligible, voted), before suppression."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupCell:
    """One value of a group column; ``None`` marks a suppressed figure."""

    value: str
    eligible: int | None
    voted: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupColumn:
    """One group column of the roll (``sex`` for ``group:sex``), its cells sorted by value."""

    name: str
    cells: tuple[GroupCell, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Turnout:
    """The contents of turnout.json: overall figures and every column, suppressed."""

    threshold: int
    eligible: int
    voted: int
    groups: tuple[GroupColumn, ...]


def count_groups(
    voters: Iterable[tuple[Mapping[str, str], bool]],
) -> tuple[int, int, dict[str, dict[str, tuple[int, int]]]]:
    """Overall eligible and voted, and each column's (eligible, voted) per value, from each
    voter's groups and whether the voter's credential cast a counted ballot. A voter with
    an empty value, or without the column, counts under :data:`NOT_STATED`."""
    people = [(dict(groups), voted) for groups, voted in voters]
    names = sorted({name for groups, _ in people for name in groups})
    counts: dict[str, dict[str, tuple[int, int]]] = {name: {} for name in names}
    for groups, voted in people:
        for name in names:
            value = groups.get(name, "").strip() or NOT_STATED
            eligible, cast = counts[name].get(value, (0, 0))
            counts[name][value] = (eligible + 1, cast + int(voted))
    return len(people), sum(voted for _, voted in people), counts


def _smallest(cells: Mapping[str, tuple[int, int]], hidden: set[str], kind: int) -> str | None:
    shown = [(figures[kind], value) for value, figures in cells.items() if value not in hidden]
    return min(shown)[1] if shown else None


def _column(cells: Mapping[str, tuple[int, int]], threshold: int) -> tuple[GroupCell, ...]:
    """One column's cells with the primary and complementary rules applied."""
    hide_e = {v for v, (e, _) in cells.items() if e < threshold} if len(cells) > 1 else set()
    hide_v = hide_e | {
        v for v, (e, n) in cells.items() if len(cells) > 1 and (n < threshold or e - n < threshold)
    }
    while len(hide_e) == 1 or len(hide_v) == 1:
        kind, hidden = (0, hide_e) if len(hide_e) == 1 else (1, hide_v)
        extra = _smallest(cells, hidden, kind)
        if extra is None:  # unreachable with two cells or more; kept for safety
            break
        hide_v.add(extra)
        if kind == 0:
            hide_e.add(extra)
    return tuple(
        GroupCell(
            value=value,
            eligible=None if value in hide_e else e,
            voted=None if value in hide_v else n,
        )
        for value, (e, n) in sorted(cells.items())
    )


def suppress_cells(
    eligible: int, voted: int, counts: RawCounts, *, threshold: int = DEFAULT_THRESHOLD
) -> Turnout:
    """The publishable turnout: ``counts`` with small cells and their complements hidden."""
    if threshold < 1:
        raise ValueError(f"the suppression threshold must be 1 or more, not {threshold}")
    return Turnout(
        threshold=threshold,
        eligible=eligible,
        voted=voted,
        groups=tuple(
            GroupColumn(name=name, cells=_column(counts[name], threshold))
            for name in sorted(counts)
        ),
    )


def tabulate_turnout(
    voters: Iterable[tuple[Mapping[str, str], bool]], *, threshold: int = DEFAULT_THRESHOLD
) -> Turnout:
    """:func:`count_groups`, then :func:`suppress_cells`."""
    eligible, voted, counts = count_groups(voters)
    return suppress_cells(eligible, voted, counts, threshold=threshold)


def turnout_to_json(turnout: Turnout) -> dict[str, Any]:
    """turnout.json as a value for :func:`suffrage.record.canonical.canonical_bytes`."""
    return {
        "format": TURNOUT_FORMAT,
        "threshold": turnout.threshold,
        "eligible": turnout.eligible,
        "voted": turnout.voted,
        "groups": {
            column.name: [
                {"value": c.value, "eligible": c.eligible, "voted": c.voted} for c in column.cells
            ]
            for column in turnout.groups
        },
    }
