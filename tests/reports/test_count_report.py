"""A count's result as text, on real elections at widths 60, 80 and 200 (suffrage.reports.count).

Every figure of every round or stage of the method's own trail must appear whole in the
text, and no line may be wider than asked. The outputs are also written under
``tests/reports/output/`` (git-ignored) for a person to read.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from suffrage.counting import divisors, simple
from suffrage.counting._common import Result
from suffrage.counting.condorcet import count_debian
from suffrage.counting.irv import count_irv
from suffrage.counting.readers import parse_abif, parse_blt, parse_debian_tally
from suffrage.counting.readers._text import decode_text
from suffrage.counting.stv_scottish import count_stv_scottish
from suffrage.counting.totals import read_totals_csv
from suffrage.reports.count import count_tables, count_text
from suffrage.reports.figures import decimal
from suffrage.reports.text import display_width

WIDTHS = (60, 80, 200)
OUTPUT = Path(__file__).parent / "output"
_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?")


def data_dir() -> Path:
    data = os.environ.get("SUFFRAGE_ELECTION_DATA")
    if not data:
        pytest.skip("SUFFRAGE_ELECTION_DATA is not set: real election data unavailable")
    return Path(data)


def burlington() -> Result:
    text = (data_dir() / "irv_burlington_2009" / "burl2009.abif").read_text()
    return count_irv(parse_abif(text, source="burl2009.abif"))


def glasgow_ward16() -> Result:
    path = data_dir() / "stv_scotland_2017" / "ballots" / "glasgow_2017_ward16.blt"
    return count_stv_scottish(parse_blt(path.read_text(), source=path.name))


def debian_2007() -> Result:
    path = data_dir() / "condorcet_debian_dpl" / "leader2007_tally.txt"
    tally = parse_debian_tally(path.read_bytes(), source=path.name)
    return count_debian(tally.profile, default=tally.default)


def oslo_2021() -> Result:
    path = data_dir() / "list_norway_2021" / "2021-09-17_partydist.csv"
    totals = read_totals_csv(path.read_text(), source=path.name)
    return divisors.modified_sainte_lague(totals.districts["Oslo"], totals.seats["Oslo"])


def slovak_president_2019() -> Result:
    path = data_dir() / "list_real_elections" / "data" / "sk_prez_2019.csv"
    text = decode_text(path.read_bytes(), path.name, "cp1250")
    return simple.two_round(read_totals_csv(text, source=path.name).votes)


def czech_runoff() -> Result:
    inline = data_dir() / "list_real_elections" / "inline_votes.json"
    votes = json.loads(inline.read_text())["test_real_runoff:votes:L10"]
    return simple.two_round(votes)


def czech_ep_2019() -> Result:
    inline = data_dir() / "list_real_elections" / "inline_votes.json"
    votes = json.loads(inline.read_text())["test_real_proportional:votes:L79"]
    total = sum(votes.values())
    passing = {name: v for name, v in votes.items() if Fraction(v, total) >= Fraction(5, 100)}
    return divisors.dhondt(passing, 21)


def referendum() -> Result:
    return simple.referendum({"yes": 13, "no": 12})


CASES: dict[str, Callable[[], Result]] = {
    "irv-burlington-2009": burlington,
    "stv-glasgow-2017-ward16": glasgow_ward16,
    "debian-2007": debian_2007,
    "norway-2021-oslo": oslo_2021,
    "two-round-slovakia-2019": slovak_president_2019,
    "two-round-czech-municipal": czech_runoff,
    "dhondt-czech-ep-2019": czech_ep_2019,
    "referendum": referendum,
}


def _written(value: Any, *, fixed: bool = False) -> str | None:
    """How the report must write ``value`` (None: not a figure)."""
    if isinstance(value, str):
        try:
            value = Fraction(value)
        except (ValueError, ZeroDivisionError):
            return None
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
        return None
    return decimal(value, fixed=fixed)


def figures(result: Result) -> Iterator[str]:
    """Every figure of the trail a reader must find: votes per round or stage, pairwise
    counts, quotients, first-round votes."""
    for stage in result.trail.stages:
        fixed = stage.kind == "seat"  # a divisor method's quotients, as in its table
        for name, value in stage.values.items():
            if name == "majority":
                continue  # written as a ratio in words, checked below
            if isinstance(value, list):
                yield from (w for q in value if (w := _written(q["quotient"], fixed=True)))
            elif isinstance(value, dict):
                if value and all(isinstance(v, int) for v in value.values()):
                    yield from (w for v in value.values() if (w := _written(v)))
            elif (written := _written(value, fixed=fixed)) is not None:
                yield written


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_figure_of_every_round_appears_within_the_width(case: str, width: int) -> None:
    result = CASES[case]()
    text = count_text(result, width, title=case)
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / f"{case}-{width}.txt").write_text(text, encoding="utf-8")
    too_wide = [line for line in text.splitlines() if display_width(line) > width]
    assert too_wide == []
    tokens = set(_TOKEN.findall(text))
    missing = sorted({f for f in figures(result) if f not in tokens})
    assert missing == []
    assert "/" not in "".join(_TOKEN.findall(text))


def test_irv_rounds_eliminations_and_exhausted_ballots_in_words() -> None:
    text = count_text(burlington(), 80)
    assert "Round 3: eliminated Smith (1,317 votes)." in text
    assert "Exhausted ballots" in text
    assert "(exhausted)" not in text
    lines = [line for line in text.splitlines() if line.startswith(("Kiss", "Exhausted"))]
    assert lines[-1].startswith("Exhausted ballots")  # set apart, after the candidates
    assert "Elected: Kiss." in text


def test_stv_shows_every_one_of_its_stages() -> None:
    result = glasgow_ward16()
    text = count_text(result, 80)
    for stage in result.trail.stages:
        assert f"Stage {stage.number}" in text
    assert "Non-transferable" in text


def test_condorcet_is_a_matrix_with_rows_beating_columns() -> None:
    result = debian_2007()
    table, paths = count_tables(result)
    assert paths.title.endswith("strongest paths (winning votes)")
    names = [row[0].split(". ", 1)[1] for row in table.rows]
    pairs = result.trail.stages[0].values
    a, b = names[0], names[1]
    assert table.rows[0][2] == decimal(pairs[f"{a} > {b}"])
    assert table.rows[1][1] == decimal(pairs[f"{b} > {a}"])
    assert table.rows[0][1] == "—"
    assert "Elected: Sam Hocevar." in count_text(result, 80)


def test_two_round_in_words_without_dicts_or_fractions() -> None:
    text = count_text(slovak_president_2019(), 80)
    flat = " ".join(text.split())
    assert "of the 2,145,364 valid votes" in flat
    assert "Zuzana Čaputová (40.57%) and Maroš Šefčovič (18.66%) go to the second round" in flat
    assert "3535/2145364" not in text
    assert "{" not in text


def test_referendum_in_words() -> None:
    text = " ".join(count_text(referendum(), 80).split())
    assert "Yes 13 of 25 yes and no votes (52.00%)" in text
    assert "more than 1/2 (50.00%): passed." in text


def test_divisor_quotients_are_decimals_and_seats_are_shown() -> None:
    result = oslo_2021()
    text = count_text(result, 80)
    assert "63,815.71" in text  # Høyre 89,342 ÷ 1.4 (exact: 446710/7)
    assert "446710/7" not in text
    (table,) = count_tables(result)
    seats = {row[0]: int(row[2]) for row in table.rows}
    assert seats == {name: result.seats.get(name, 0) for name in seats}
    assert sum(seats.values()) == 19  # Oslo: 20 seats in 2021, of which 1 levelling seat


def test_csv_has_every_round_and_a_winner_with_a_seat() -> None:
    from suffrage.counting.writers import to_csv

    result = burlington()
    rows = list(csv.DictReader(to_csv(result).splitlines()))
    rounds = {row["stage"] for row in rows if row["kind"] == "round"}
    assert rounds == {str(s.number) for s in result.trail.stages}
    final = {row["name"]: row for row in rows if row["stage"] == "final"}
    assert final["Kiss"]["status"] == "elected"
    assert final["Kiss"]["seats"] == "1"
    assert final["Wright"]["seats"] == "0"
