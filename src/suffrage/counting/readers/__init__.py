"""Strict readers of ballot files (spec/counting.md#ballot-formats).

Every ranked reader takes the file's text (an .xlsx reader its bytes) and a ``source`` name
used in errors, and returns a :class:`~suffrage.counting.ballots.Profile` (the Debian reader a
:class:`DebianTally`, which also accepts the raw bytes of a Latin-1 sheet), whose ``totals``
count the ballots read, valid, blank and invalid. The per-ballot approval and plurality readers
return :class:`MarkedBallots`. Anything a reader cannot read raises
:class:`~suffrage.errors.InvalidBallotData` naming the file, the line, cell or JSON path, and
what was expected. Readers do no I/O: the caller reads the file.
"""

from __future__ import annotations

from suffrage.counting.readers.abif import parse_abif
from suffrage.counting.readers.blt import parse_blt
from suffrage.counting.readers.cvr import CvrMarkers, parse_cvr, parse_cvr_sheet
from suffrage.counting.readers.debian import DebianTally, parse_debian_tally
from suffrage.counting.readers.marks import (
    MarkedBallots,
    parse_marks_csv,
    parse_marks_json,
    parse_marks_sheet,
)

__all__ = [
    "CvrMarkers",
    "DebianTally",
    "MarkedBallots",
    "parse_abif",
    "parse_blt",
    "parse_cvr",
    "parse_cvr_sheet",
    "parse_debian_tally",
    "parse_marks_csv",
    "parse_marks_json",
    "parse_marks_sheet",
]
