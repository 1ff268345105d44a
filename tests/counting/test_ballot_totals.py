"""Every reader counts every ballot it reads as valid, blank or invalid
(spec/counting.md#ballot-totals), on hand-made files and on every real election."""

from __future__ import annotations

import csv
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from xlsx_files import workbook

from suffrage.counting.ballots import BallotTotals, Profile, make_ballot
from suffrage.counting.readers import (
    parse_abif,
    parse_blt,
    parse_cvr,
    parse_cvr_sheet,
    parse_debian_tally,
    parse_marks_csv,
    parse_marks_json,
    parse_marks_sheet,
)
from suffrage.counting.readers._text import decode_text
from suffrage.counting.totals import read_count_csv, read_count_json, read_totals_csv
from suffrage.errors import InvalidBallotData


def totals(read: int, valid: int, blank: int, invalid: int) -> BallotTotals:
    return BallotTotals(read=read, valid=valid, blank=blank, invalid=invalid)


def test_the_four_figures_must_add_up() -> None:
    assert str(totals(4, 3, 1, 0)) == "ballots read 4, valid 3, blank 1, invalid 0"
    with pytest.raises(InvalidBallotData, match=r"4 ballots read, but valid 3 \+ blank 0"):
        totals(4, 3, 0, 0)
    with pytest.raises(InvalidBallotData, match="expected non-negative integers"):
        totals(0, 1, -1, 0)


def test_profile_totals_follow_the_rule() -> None:
    ballots = (
        make_ballot([[0], [1]], weight=2),  # valid
        make_ballot([[], []]),  # blank: no mark
        make_ballot([]),  # blank: no rank at all
        make_ballot([[0, 1, 2]], weight=3),  # invalid: a tie of every candidate
        make_ballot([[0, 1], [2]]),  # valid: some, not all, at rank 1 (a ballot rule)
    )
    profile = Profile(candidates=("A", "B", "C"), ballots=ballots)
    assert profile.totals == totals(8, 3, 2, 3)
    alone = Profile(candidates=("A",), ballots=(make_ballot([[0]]), make_ballot([[]])))
    assert alone.totals == totals(2, 1, 1, 0)  # one candidate: marking them is a vote


CVR = "id,rank1,rank2,rank3\n1,A,B,\n2,,,\n3,overvote,,overvote\n4,B\n5,A=B,C,\n6,undervote,,\n"


def test_cvr_csv_counts_blank_and_invalid_rows() -> None:
    profile = parse_cvr(CVR, source="c.csv")
    # 1 and 4 (a short row: its later ranks blank) and 5 valid; 2, 6 blank; 3 invalid
    assert profile.totals == totals(6, 3, 2, 1)
    assert profile.ballots[3].ranks == ((1,), (), ())


def test_cvr_without_id_column_keeps_the_blank_row() -> None:
    profile = parse_cvr("rank1,rank2\nA,B\n,\nB,\n", source="b.csv")
    assert profile.totals == totals(3, 2, 1, 0)


def test_cvr_weights_count_as_ballots() -> None:
    profile = parse_cvr("rank1,weight\nA,5\nB,1\n,2\noverVOTE,3\n", source="c.csv")
    assert profile.totals == totals(11, 6, 2, 3)


def test_cvr_sheet_counts_like_the_csv() -> None:
    rows = [row.split(",") for row in CVR.splitlines()]
    data = workbook([[int(r[0]) if r[0].isdigit() else r[0], *r[1:]] for r in rows], "CVR")
    profile = parse_cvr_sheet(data, source="c.xlsx")
    assert profile.totals == totals(6, 3, 2, 1)
    assert profile == parse_cvr(CVR, source="c.xlsx")


def test_blt_counts_blank_and_invalid_lines() -> None:
    text = "3 1\n4 1 2 0\n2 0\n1 - - 0\n3 1=2=3 0\n1 1=2 3 0\n0\nA\nB\nC\n"
    assert parse_blt(text, source="t.blt").totals == totals(11, 5, 3, 3)


def test_abif_counts_blank_and_invalid_lines() -> None:
    text = "=A\n=B\n=C\n7:A>B\n2:\n1:A=B=C\n4:A=B>C\n"
    assert parse_abif(text, source="t.abif").totals == totals(14, 11, 2, 1)


def test_debian_tally_counts_blank_and_invalid_votes() -> None:
    text = (
        "     Option 1----->: Ann\n     Option 2----->: Bob\n"
        "     Option 3----->: None Of The Above\n"
        "V: 12- \t a\nV: --- \t b\nV: 111 \t c\nV: 11- \t d\n"
    )
    assert parse_debian_tally(text, source="t.txt").profile.totals == totals(4, 2, 1, 1)


GRID = "id,A,B,C\n1,1,,\n2,x,X,0\n3,,,\n4,0,0,1\n5,,,\n"


@pytest.mark.parametrize(("most", "expected"), [(1, (5, 2, 2, 1)), (None, (5, 3, 2, 0))])
def test_grid_counts_blank_and_overvoted_ballots(
    most: int | None, expected: tuple[int, int, int, int]
) -> None:
    marked = parse_marks_csv(GRID, source="p.csv")
    assert marked.options == ("A", "B", "C")
    votes, found = marked.tally(most)
    assert found == totals(*expected)
    assert votes == ({"A": 1, "B": 0, "C": 1} if most == 1 else {"A": 2, "B": 1, "C": 1})


def test_choice_column_with_weights() -> None:
    text = "ballot id,choice,weight\n1,Ann,3\n2,,2\n3,Ann;Bob,1\n4,Bob,4\n"
    votes, found = parse_marks_csv(text, source="p.csv").tally(1)
    assert found == totals(10, 7, 2, 1)
    assert votes == {"Ann": 3, "Bob": 4}


def test_json_ballots_lists_and_objects() -> None:
    text = json.dumps(
        {
            "options": ["Ann", "Bob", "Cy"],
            "ballots": [["Ann"], [], ["Ann", "Cy"], {"choices": ["Bob"], "weight": 5}],
        }
    )
    marked = parse_marks_json(text, source="b.json")
    assert marked.tally(1) == ({"Ann": 1, "Bob": 5, "Cy": 0}, totals(8, 6, 1, 1))
    assert marked.tally(None) == ({"Ann": 2, "Bob": 5, "Cy": 1}, totals(8, 7, 1, 0))
    bare = parse_marks_json('[["B"], ["A"], []]', source="b.json")
    assert bare.options == ("A", "B")
    assert bare.tally(1)[1] == totals(3, 2, 1, 0)


def test_sheet_grid_with_short_rows() -> None:
    data = workbook([["A", "B", "C"], [1], ["x", None, 1], [None, None, None, None], [0, 0, 0]])
    marked = parse_marks_sheet(data, source="p.xlsx")
    # the empty row is no row (as an empty CSV line); the row of 0s is a blank ballot
    assert marked.tally(1) == ({"A": 1, "B": 0, "C": 0}, totals(3, 1, 1, 1))


def test_count_readers_tell_totals_from_ballots() -> None:
    assert read_count_csv("name,votes\nA,3\n", source="v.csv").ballots is None
    assert read_count_json('{"votes": {"A": 3}}', source="v.json").ballots is None
    from_grid = read_count_csv(GRID, source="p.csv", most=1)
    assert from_grid.votes == {"A": 1, "B": 0, "C": 1}
    assert from_grid.ballots == totals(5, 2, 2, 1)
    from_json = read_count_json('[["A"], ["A", "B"]]', source="p.json", most=None)
    assert (from_json.votes, from_json.ballots) == ({"A": 2, "B": 1}, totals(2, 2, 0, 0))


# --- every ballot file of every real election (../shared/data/elections) -----------------


def _root() -> Path | None:
    value = os.environ.get("SUFFRAGE_ELECTION_DATA")
    return Path(value) if value else None


_PATTERNS = (
    "stv_scotland_2017/ballots/*.blt",
    "stv_glasgow_2007/blt/*.blt",
    "irv_burlington_2009/*.abif",
    "condorcet_debian_dpl/*_tally.txt",
)
_TOTALS_FILES = (
    "list_norway_2021/2021-09-17_partydist.csv",
    "list_real_elections/data/sk_prez_2019.csv",
)


def _params(patterns: tuple[str, ...]) -> list[Any]:
    root = _root()
    if root is None or not root.is_dir():
        reason = "SUFFRAGE_ELECTION_DATA is not set (or not a folder): real election data absent"
        return [pytest.param("", marks=pytest.mark.skip(reason=reason))]
    found = sorted(str(p.relative_to(root)) for pattern in patterns for p in root.glob(pattern))
    assert found, f"no files under {root} match {patterns}"
    return [pytest.param(name, id=name) for name in found]


# The released ballot file holds one ballot more than the official valid poll (README).
EXTRA_BALLOT = {"stv_scotland_2017/ballots/east_dunbartonshire_2017_ward2.blt": (7035, 7034)}


def _read(root: Path, name: str) -> Profile:
    path = root / name
    if path.suffix == ".blt":
        return parse_blt(path.read_text(encoding="utf-8"), source=path.name)
    if path.suffix == ".abif":
        return parse_abif(path.read_text(encoding="utf-8"), source=path.name)
    return parse_debian_tally(path.read_bytes(), source=path.name).profile


def _stated(root: Path, name: str) -> int | None:
    """The ballot total the election's own data state for this file, if they state one."""
    path = root / name
    folder = path.relative_to(root).parts[0]
    if folder == "stv_scotland_2017":
        with (root / folder / "manifest.csv").open(encoding="utf-8") as handle:
            rows = {row["ballot_file"]: row for row in csv.DictReader(handle)}
        return int(rows[str(path.relative_to(root / folder))]["valid_poll"])
    if folder == "condorcet_debian_dpl":
        counts = json.loads((root / folder / "expected.json").read_text(encoding="utf-8"))
        return int(counts["ballots"][path.name])
    if folder == "irv_burlington_2009":
        source = json.loads((root / folder / "expected.json").read_text(encoding="utf-8"))
        found = re.search(r"([\d,]+) ballots", source["_source"])
        assert found is not None
        return int(found.group(1).replace(",", ""))
    if folder == "stv_glasgow_2007":
        return _glasgow_first_stage(root / folder / "droop_reference_output", path.stem)
    return None


def _glasgow_first_stage(folder: Path, ward: str) -> int:
    """The reference report's first stage: every candidate's votes and the non-transferable
    ones together, which is the number of ballots counted."""
    (report,) = folder.glob(f"dump_{ward}-*.txt")
    for line in report.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 3 and cells[1] == "begin":
            figures = [Decimal(cells[3])] + [Decimal(v) for v in cells[6::3]]
            total = sum(figures, Decimal(0))
            assert total == total.to_integral_value(), (ward, total)
            return int(total)
    raise AssertionError(f"{report}: no 'begin' line")


@pytest.mark.parametrize("name", _params(_PATTERNS))
def test_real_ballot_files_count_every_ballot(election_data: Path, name: str) -> None:
    found = _read(election_data, name).totals
    assert found.read == found.valid + found.blank + found.invalid
    stated = _stated(election_data, name)
    assert stated is not None, f"{name}: the data state no ballot total"
    if name in EXTRA_BALLOT:
        assert (found.read, stated) == EXTRA_BALLOT[name]
    else:
        assert found.read == stated


@pytest.mark.parametrize("name", _params(_TOTALS_FILES))
def test_real_vote_total_files_state_no_ballots(election_data: Path, name: str) -> None:
    path = election_data / name
    data = path.read_bytes()
    encoding = "utf-8" if name.startswith("list_norway") else "cp1250"
    text = decode_text(data, path.name, encoding)
    assert read_count_csv(text, source=path.name).ballots is None
    assert read_totals_csv(text, source=path.name).ballots is None
