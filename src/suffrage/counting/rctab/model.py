"""What RCTab's cast-vote-record providers hand to its tabulator (spec/counting.md#rctab).

A contest configuration (``config.py``) names its sources as :class:`CvrSource` and its
candidates as :class:`Candidate`; each provider (``sources/``) reads one source into
:class:`Cvr` records, one per ballot that holds the contest, and the tabulator
(``tabulator.py``) counts them by the configuration's rules.

A :class:`Cvr` keeps the ballot's marks as read: ``rankings`` pairs each marked rank (1-based,
ascending, only ranks that hold a mark) with the names marked there. A name is a configured
candidate's canonical name (aliases and codes already resolved), :data:`OVERVOTE` for a cell
the source marks as an overvote through its overvote label, or :data:`UNDECLARED_WRITE_IN`.
What an overvote, a skipped rank or a duplicate *means* is the tabulator's business; a provider
only refuses what it cannot read, naming the file, the line, row, cell or JSON path, and what
it expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["OVERVOTE", "UNDECLARED_WRITE_IN", "Candidate", "Cvr", "CvrSource"]

OVERVOTE = "overvote"  # RCTab's explicit overvote label, as it appears in its reports
UNDECLARED_WRITE_IN = "Undeclared Write-ins"  # RCTab's output label for undeclared write-ins


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A configured candidate: ``name`` as reports print it, the ``aliases`` (and, for older
    configurations, the ``code``) a source may use for it, and whether it is ``excluded``."""

    name: str
    aliases: tuple[str, ...] = ()
    excluded: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CvrSource:
    """One entry of a configuration's ``cvrFileSources``, decoded and migrated.

    ``path`` is absolute (resolved against the configuration's folder). Column and row indices
    are 1-based as in RCTab's documentation; ``None`` where the field is blank or absent.
    """

    provider: str  # "ess" | "dominion" | "hart" | "clearBallot" | "cdf" | "genericCsv"
    path: Path
    contest_id: str | None = None
    first_vote_column: int | None = None
    first_vote_row: int | None = None
    id_column: int | None = None
    batch_column: int | None = None
    precinct_column: int | None = None
    overvote_delimiter: str | None = None
    overvote_label: str | None = None
    skipped_rank_label: str | None = None  # "undervoteLabel" in older configurations
    undeclared_write_in_label: str | None = None
    treat_blank_as_undeclared_write_in: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Cvr:
    """One ballot's marks in the contest, as its source recorded them (see the module text)."""

    source: str  # the file (or folder) name, for messages and reports
    id: str  # RCTab's computed id of the record, unique within the source
    supplied_id: str | None = None
    precinct: str | None = None
    precinct_portion: str | None = None
    batch: str | None = None
    tabulator: str | None = None
    rankings: tuple[tuple[int, tuple[str, ...]], ...] = ()
    spellings: tuple[tuple[str, str], ...] = ()
    """(configured name, the source's spelling) for each name the record spelled otherwise (an
    alias or a code), first spelling only: RCTab's CDF export writes the source's spelling."""
