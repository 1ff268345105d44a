"""RCTab's own cast-vote-record CSV (``<timestamp>_rctab_cvr.csv``): every record read, one row
each, as RCTab writes it before a count (spec/counting.md#cvr-exports).

The columns are the source's path as configured, its provider, the record's contest id (the
providers that read one: Dominion, Clear Ballot, Hart), its id, tabulator, batch, the id the
vendor supplied, precinct and precinct portion, then one column per rank up to
``maxRankingsAllowed`` (the number of declared candidates when it is ``max``). A rank holds its
candidates' configured names, one per line, the source's undeclared write-in label for an
undeclared write-in, ``overvote`` for the explicit overvote, or ``undervote`` when unmarked.
The text is laid out as Apache Commons CSV's default format writes it (CRLF line ends,
minimal quoting).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from suffrage.counting.rctab.config import ContestConfig
from suffrage.counting.rctab.model import UNDECLARED_WRITE_IN, Cvr, CvrSource

__all__ = ["CSV_FILE_KIND", "configured_path", "rctab_cvr_csv"]

CSV_FILE_KIND = ("rctab_cvr", "csv")
"""The report kind and extension of the file (``<timestamp>_rctab_cvr.csv``)."""

_HEADER = (
    "Source Filepath",
    "CVR Provider",
    "Contest Id",
    "RCTab CVR Id",
    "Tabulator Id",
    "Batch Id",
    "Vendor Id",
    "Precinct",
    "Precinct Portion",
)
_WITH_CONTEST_ID = frozenset({"dominion", "clearBallot", "hart"})


def rctab_cvr_csv(config: ContestConfig, sources: Sequence[tuple[CvrSource, Sequence[Cvr]]]) -> str:
    """The CSV of the records of each source (in the configuration's order)."""
    ranks = config.rules.max_rankings
    if ranks is None:
        ranks = len(config.candidate_names) - (1 if config.undeclared_write_ins else 0)
    lines = [_line([*_HEADER, *(f"Rank {r}" for r in range(1, ranks + 1))])]
    for source, records in sources:
        path = configured_path(source, config.folder)
        for cvr in records:
            lines.append(_line(_row(source, path, cvr, ranks)))
    return "".join(lines)


def configured_path(source: CvrSource, folder: Path) -> str:
    """``source``'s ``filePath`` as the configuration wrote it (relative to ``folder`` when it
    was relative)."""
    try:
        return source.path.relative_to(folder).as_posix()
    except ValueError:
        text, base = source.path.as_posix(), folder.as_posix().rstrip("/") + "/"
        return text[len(base) :] if text.startswith(base) else text


def _row(source: CvrSource, path: str, cvr: Cvr, ranks: int) -> list[str]:
    marks = dict(cvr.rankings)
    cells = [
        path,
        source.provider,
        (source.contest_id or "") if source.provider in _WITH_CONTEST_ID else "",
        cvr.id,
        cvr.tabulator or "",
        cvr.batch or "",
        cvr.supplied_id or "",
        cvr.precinct or "",
        cvr.precinct_portion or "",
    ]
    write_in = source.undeclared_write_in_label or ""
    for rank in range(1, ranks + 1):
        names = marks.get(rank)
        if not names:
            cells.append("undervote")
        else:
            cells.append("\n".join(write_in if n == UNDECLARED_WRITE_IN else n for n in names))
    return cells


def _line(cells: Sequence[str]) -> str:
    return ",".join(_cell(text, first=i == 0) for i, text in enumerate(cells)) + "\r\n"


def _cell(text: str, *, first: bool) -> str:
    """Commons CSV's minimal quoting (1.14): quote an empty first cell, a cell beginning with a
    character up to ``#``, one holding a comma, a quote, CR or LF, or one ending in a space
    or a control character."""
    if not text:
        return '""' if first else ""
    needs = text[0] <= "#" or any(c in text for c in ',"\r\n') or text[-1] <= " "
    if not needs:
        return text
    return '"' + text.replace('"', '""') + '"'
