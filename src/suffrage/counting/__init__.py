"""Counting methods: pure functions over plain numbers, each with its audit trail.

No cryptography here: the election tally hands decrypted counts to these functions, and
``suffrage count`` hands them published ballot data. Each method is specified, with its legal
source, in spec/counting.md; each returns a :class:`Result` whose :class:`Trail` holds every
round, stage, quotient or transfer, and every lot drawn (:class:`Lot`).
"""

from __future__ import annotations

from suffrage.counting._common import Lot, Result, Stage, Trail
from suffrage.counting.apportion import (
    by_district,
    hare_apportionment,
    huntington_hill_apportionment,
    pooled_remainders,
)
from suffrage.counting.ballots import Profile, RankedBallot, make_ballot
from suffrage.counting.condorcet import count_debian, count_ranked_pairs, count_schulze, pairwise
from suffrage.counting.divisors import (
    dhondt,
    highest_averages,
    huntington_hill,
    modified_sainte_lague,
    sainte_lague,
)
from suffrage.counting.irv import IrvOptions, count_irv
from suffrage.counting.mmp import mmp
from suffrage.counting.readers import (
    parse_abif,
    parse_blt,
    parse_cvr,
    parse_debian_tally,
)
from suffrage.counting.remainders import (
    droop,
    hagenbach_bischoff,
    hare,
    imperiali,
    largest_remainder,
)
from suffrage.counting.simple import approval, plurality, referendum, two_round
from suffrage.counting.stv_gregory import count_stv_gregory
from suffrage.counting.stv_meek import count_stv_meek
from suffrage.counting.stv_scottish import count_stv_scottish
from suffrage.counting.thresholds import threshold
from suffrage.counting.totals import VoteTotals, read_totals_csv, read_totals_json
from suffrage.counting.writers import to_csv, to_json, to_nist_json

__all__ = [
    "IrvOptions",
    "Lot",
    "Profile",
    "RankedBallot",
    "Result",
    "Stage",
    "Trail",
    "VoteTotals",
    "approval",
    "by_district",
    "count_debian",
    "count_irv",
    "count_ranked_pairs",
    "count_schulze",
    "count_stv_gregory",
    "count_stv_meek",
    "count_stv_scottish",
    "dhondt",
    "droop",
    "hagenbach_bischoff",
    "hare",
    "hare_apportionment",
    "highest_averages",
    "huntington_hill",
    "huntington_hill_apportionment",
    "imperiali",
    "largest_remainder",
    "make_ballot",
    "mmp",
    "modified_sainte_lague",
    "pairwise",
    "parse_abif",
    "parse_blt",
    "parse_cvr",
    "parse_debian_tally",
    "plurality",
    "pooled_remainders",
    "read_totals_csv",
    "read_totals_json",
    "referendum",
    "sainte_lague",
    "threshold",
    "to_csv",
    "to_json",
    "to_nist_json",
    "two_round",
]
