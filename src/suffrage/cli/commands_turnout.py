"""``suffrage election turnout``: turnout per roll group, computed by the credential authority."""

from __future__ import annotations

import shutil
from typing import Annotated

import typer

from suffrage.cli._failures import one_line_errors
from suffrage.cli._options import ForceOption, PassphraseFileOption, passphrase
from suffrage.cli.commands_election import AUTHORITY, AuthorityOption, ElectionOption, election_app
from suffrage.protocol.turnout import DEFAULT_THRESHOLD, Turnout
from suffrage.service.turnout import election_turnout

__all__ = ["turnout", "turnout_table"]

HIDDEN = "hidden"
HEADER = ("group", "value", "eligible", "voted", "turnout")


@election_app.command(
    "turnout",
    epilog="Example: suffrage election turnout --election election/ --authority authority/ "
    "--threshold 10 (after `suffrage election tally`, before `suffrage election forget`)",
)
def turnout(
    *,
    election: ElectionOption,
    authority: AuthorityOption,
    threshold: Annotated[
        int,
        typer.Option(
            metavar="N",
            help="Hide every figure that counts fewer than N voters, and the figures that "
            "would reveal it by subtraction.",
        ),
    ] = DEFAULT_THRESHOLD,
    passphrase_file: PassphraseFileOption = None,
    force: ForceOption = False,
) -> None:
    """Turnout per roll group, small cells hidden (the credential authority, after the tally).

    For each value of each group:NAME column of the roll: the voters on the roll, and those
    whose credential cast a counted ballot. Written to ELECTION/turnout.json, which
    `suffrage election publish` puts into the record. No group ever reaches the board or
    the ballots."""
    with one_line_errors():
        result = election_turnout(
            election,
            authority,
            passphrase=passphrase(passphrase_file, new=False, whose=AUTHORITY),
            threshold=threshold,
            force=force,
        )
    width = shutil.get_terminal_size((80, 24)).columns
    for line in turnout_table(result, width=width):
        typer.echo(line)
    typer.echo(f"written to {election / 'turnout.json'}; `suffrage election publish` adds it")


def _percent(voted: int | None, eligible: int | None) -> str:
    if voted is None or not eligible:
        return HIDDEN if voted is None else "-"
    return f"{100 * voted / eligible:.1f}%"


def _figure(n: int | None) -> str:
    return HIDDEN if n is None else str(n)


def turnout_table(turnout: Turnout, *, width: int = 80) -> list[str]:
    """The turnout as aligned columns, or one line per cell when that is wider than
    ``width`` (a figure is never cut)."""
    rows = [("all voters", "", str(turnout.eligible), str(turnout.voted),
             _percent(turnout.voted, turnout.eligible))]  # fmt: skip
    for column in turnout.groups:
        for cell in column.cells:
            rows.append(
                (
                    column.name,
                    cell.value,
                    _figure(cell.eligible),
                    _figure(cell.voted),
                    _percent(cell.voted, cell.eligible),
                )
            )
    sizes = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    lines = [f"turnout by group (figures of fewer than {turnout.threshold} voters hidden)"]
    if sum(sizes) + 2 * (len(sizes) - 1) <= width:
        for row in [HEADER, *rows]:
            cells = [
                c.ljust(s) if i < 2 else c.rjust(s)
                for i, (c, s) in enumerate(zip(row, sizes, strict=True))
            ]
            lines.append("  ".join(cells).rstrip())
    else:
        lines += [f"{r[0]}{' = ' + r[1] if r[1] else ''}: eligible {r[2]}, voted {r[3]}, "
                  f"turnout {r[4]}" for r in rows]  # fmt: skip
    if any(HIDDEN in row for row in rows):
        lines.append(
            f"{HIDDEN}: fewer than {turnout.threshold} voters, or a figure that would reveal "
            "a hidden one by subtraction"
        )
    return lines
