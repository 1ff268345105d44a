"""Check V21: turnout by group is consistent with the record and suppresses small cells
(spec/protocol.md#v21).

Only the credential authority knows who is in which group, so the verifier cannot recompute
turnout.json; it checks everything the record lets it check: the overall figures against
the credential list and the counted ballots, each cell against its column and the totals,
and that no published figure counts fewer voters than the threshold or lets a hidden one
be recovered by subtraction.
"""

from __future__ import annotations

from suffrage.errors import clip, quote
from suffrage.protocol.turnout import GroupCell, GroupColumn, Turnout
from suffrage.record.files import TURNOUT_FILE, RawRecord
from suffrage.verify.report import ReportBuilder

__all__ = ["NO_TURNOUT", "check_turnout", "turnout_problems"]

NO_TURNOUT = "no turnout by group published (the record has no turnout.json)"


def check_turnout(raw: RawRecord, counted: int, report: ReportBuilder) -> None:
    """V21 on the decoded turnout.json, if the record has one; ``counted`` is the number of
    counted ballots the verifier found on the board (an unreadable file is a V1 failure)."""
    if not raw.has_turnout:
        report.note(NO_TURNOUT)
        report.ok("V21", 0)
        return
    if raw.turnout is None:
        report.skip("V21", f"{TURNOUT_FILE} could not be read (V1)")
        return
    problems = turnout_problems(raw.turnout, credentials=len(raw.credentials), counted=counted)
    for problem in problems:
        report.fail("V21", f"{TURNOUT_FILE}: {problem}", where=TURNOUT_FILE)
    cells = sum(len(column.cells) for column in raw.turnout.groups)
    report.ok("V21", max(0, 1 + cells - len(problems)))


def turnout_problems(turnout: Turnout, *, credentials: int, counted: int) -> list[str]:
    """Every way ``turnout`` contradicts the record or the suppression rule (none: it holds)."""
    problems: list[str] = []
    if turnout.eligible != credentials:
        problems.append(
            f"eligible is {turnout.eligible}, but the record lists {credentials} credentials"
        )
    if turnout.voted != counted:
        problems.append(f"voted is {turnout.voted}, but {counted} ballots were counted")
    for column in turnout.groups:
        problems += _column_problems(turnout, column)
    return problems


def _column_problems(turnout: Turnout, column: GroupColumn) -> list[str]:
    where = f"group {quote(clip(column.name))}"
    problems = [f"{where}, {p}" for c in column.cells for p in _cell_problems(turnout, c, column)]
    for kind, total in (("eligible", turnout.eligible), ("voted", turnout.voted)):
        figures = [getattr(c, kind) for c in column.cells]
        shown = [n for n in figures if n is not None]
        hidden = len(figures) - len(shown)
        if sum(shown) > total or (not hidden and sum(shown) != total):
            problems.append(
                f"{where}: its {kind} figures add up to {sum(shown)}"
                f"{f' with {hidden} hidden' if hidden else ''}, the overall {kind} is {total}"
            )
        if kind == "eligible" and hidden and total - sum(shown) < hidden:
            problems.append(
                f"{where}: {hidden} hidden eligible figures share {total - sum(shown)} voters, "
                "but each value has one voter at least"
            )
        if hidden == 1:
            problems.append(
                f"{where}: exactly one {kind} figure is hidden, so it is the overall {kind} "
                "minus the others (a complementary figure must be hidden too)"
            )
    return problems


def _cell_problems(turnout: Turnout, cell: GroupCell, column: GroupColumn) -> list[str]:
    e, v, t = cell.eligible, cell.voted, turnout.threshold
    at = f"value {quote(clip(cell.value))}"
    if e is None:
        return [] if v is None else [f"{at}: voted is published but eligible is hidden"]
    if v is not None and v > e:
        return [f"{at}: {v} voted out of {e} eligible"]
    if len(column.cells) == 1:
        return []  # the overall figures, which the record publishes anyway
    figures = {"eligible": e, "voted": v, "eligible - voted": None if v is None else e - v}
    small = [f"{name} {n}" for name, n in figures.items() if n is not None and n < t]
    return [f"{at}: {', '.join(small)} below the threshold {t} is published"] if small else []
