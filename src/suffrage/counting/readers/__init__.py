"""Strict readers of ranked-ballot files (spec/counting.md#ballot-formats).

Every reader takes the file's text and a ``source`` name used in errors, and returns a
:class:`~suffrage.counting.ballots.Profile` (the Debian reader a :class:`DebianTally`, which
also accepts the raw bytes of a Latin-1 sheet). Anything a reader cannot read raises
:class:`~suffrage.errors.InvalidBallotData` naming ``"<source> line N"`` and the problem.
Readers do no I/O: the caller reads the file.
"""

from __future__ import annotations

from suffrage.counting.readers.abif import parse_abif
from suffrage.counting.readers.blt import parse_blt
from suffrage.counting.readers.cvr import CvrMarkers, parse_cvr
from suffrage.counting.readers.debian import DebianTally, parse_debian_tally

__all__ = [
    "CvrMarkers",
    "DebianTally",
    "parse_abif",
    "parse_blt",
    "parse_cvr",
    "parse_debian_tally",
]
