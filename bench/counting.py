"""Benchmark: count all 315 Scottish wards of 2017 by the Scottish STV rule, one process.

Run: SUFFRAGE_ELECTION_DATA=../shared/data/elections PYTHONPATH=src python bench/counting.py
Prints the ballots counted, the seconds taken (reading and counting, reported apart) and the
ballots per second. Target: the whole set in under 30 seconds on one core.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from pathlib import Path

from suffrage.counting.readers import parse_blt
from suffrage.counting.stv_scottish import count_stv_scottish


def main() -> int:
    """Read and count every ward; print the figures."""
    data = os.environ.get("SUFFRAGE_ELECTION_DATA")
    if not data:
        print("set SUFFRAGE_ELECTION_DATA to the elections data folder", file=sys.stderr)
        return 2
    root = Path(data) / "stv_scotland_2017"
    with (root / "manifest.csv").open(newline="") as handle:
        files = [root / row["ballot_file"] for row in csv.DictReader(handle)]
    texts = [(path.name, path.read_text()) for path in files]
    start = time.perf_counter()
    profiles = [parse_blt(text, source=name) for name, text in texts]
    parsed = time.perf_counter()
    seats = sum(len(count_stv_scottish(profile).elected) for profile in profiles)
    done = time.perf_counter()
    ballots = sum(profile.total_weight for profile in profiles)
    total = done - start
    print(f"wards: {len(profiles)}  seats filled: {seats}  ballots: {ballots:,}")
    print(f"parse: {parsed - start:.2f} s  count: {done - parsed:.2f} s  total: {total:.2f} s")
    print(f"ballots per second: {ballots / total:,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
