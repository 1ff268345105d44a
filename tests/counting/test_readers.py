"""Strict readers: BLT, CVR CSV, ABIF, Debian tally sheets (spec/counting.md#ballot-formats)."""

from __future__ import annotations

import pytest

from suffrage.counting.irv import count_irv
from suffrage.counting.readers import (
    CvrMarkers,
    parse_abif,
    parse_blt,
    parse_cvr,
    parse_debian_tally,
)
from suffrage.errors import InvalidBallotData

BLT = """3 2
-2
4 1 2 0
(b7) 2 3 1=2 - 2 0
0
"Ann  Lee"
Bob BROWN (Lab)
"Cy"
"Title"
"""


def test_blt_quoted_and_unquoted_names() -> None:
    profile = parse_blt(BLT, source="t.blt")
    assert profile.candidates == ("Ann Lee", "Bob BROWN (Lab)", "Cy")
    assert profile.seats == 2
    assert profile.title == "Title"
    assert profile.withdrawn == frozenset({1})
    assert [b.weight for b in profile.ballots] == [4, 2]
    assert profile.ballots[1].ranks == ((2,), (0, 1), (), (1,))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("3\n", "t.blt line 1: expected 'candidates seats'"),
        ("2 3\n", "line 1: 3 seats for 2 candidates"),
        ("2 1\n1 3 0\n0\nA\nB\n", "t.blt line 2: candidate 3 is not in 1..2"),
        (
            "2 1\n1 1 2\n0\nA\nB\n",
            "line 2: expected a ballot line 'weight prefs... 0', got '1 1 2'",
        ),
        ("2 1\nx 1 0\n0\nA\nB\n", "line 2: expected the weight as a non-negative integer .*'x'"),
        ("2 1\n0 1 0\n0\nA\nB\n", "weight '0' is not a positive integer"),
        ("2 1\n1 a 0\n0\nA\nB\n", "line 2: 'a' is not a candidate number"),
        ("2 1\n1 1 0\n", "ends before the '0' line"),
        ("2 1\n1 1 0\n0\nA\n", "2 candidate names expected after the '0' line, found 1"),
        ('2 1\n1 1 0\n0\n"A\nB\n', "line 4: unterminated quoted name"),
        ("2 1\n1 1 0\n0\nA\nB\nT\nextra\n", "line 7: text after the title"),
        ("2 1\n-x\n1 1 0\n0\nA\nB\n", r"line 2: expected a withdrawn candidate as -N .*'-x'"),
    ],
)
def test_blt_refuses_bad_input(text: str, message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message):
        parse_blt(text, source="t.blt")


CVR = """ballot_id,Rank 2,rank1,count,rank3
1,Bob,Ann,3,
2,overvote,Cy,1,Ann
3,,Bob,2,write-in
4,Ann=Bob,Cy,1,
"""


def test_cvr_any_column_order_weights_and_markers() -> None:
    profile = parse_cvr(CVR, source="c.csv")
    assert profile.candidates == ("Ann", "Bob", "Cy", "Write-in")
    first = profile.ballots[0]
    assert (first.ranks, first.weight) == (((0,), (1,), ()), 3)
    assert profile.ballots[1].ranks == ((2,), (0, 1, 2, 3), (0,))
    assert profile.ballots[2].ranks == ((1,), (), (3,))
    assert profile.ballots[3].ranks == ((2,), (0, 1), ())


@pytest.mark.parametrize(
    "text",
    [
        "rank1,rank2\nA,B\n,\nB,\n",  # no id column: the blank row is still a ballot
        "id,rank1,rank2\n1,A,B\n2,,\n3,B,\n",
        "rank1,rank2\nA,B\n\n,\nB,\n\n",  # empty lines are not ballots
    ],
)
def test_a_blank_cvr_row_is_a_ballot_counted_never_dropped(text: str) -> None:
    """Issue 18: a ballot whose every rank is blank used to vanish from a CVR without an id
    column (20,571 undervotes of a real park-board CVR); it is read, and IRV counts it as
    exhausted from the first round, as with an id column."""
    profile = parse_cvr(text, source="b.csv")
    assert [b.ranks for b in profile.ballots] == [((0,), (1,)), ((), ()), ((1,), ())]
    first_round = count_irv(profile).trail.stages[0].values
    assert first_round == {"A": 1, "B": 1, "(exhausted)": 1}


def test_cvr_custom_markers_and_fixed_candidates() -> None:
    text = "rank1,rank2\nA,SKIP\nWI,A\n"
    markers = CvrMarkers(blank=frozenset({"skip"}), write_in=frozenset({"wi"}), write_in_name="W")
    profile = parse_cvr(text, markers=markers, candidates=["A", "B"])
    assert profile.candidates == ("A", "B", "W")
    assert profile.ballots[0].ranks == ((0,), ())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("id,name\n1,A\n", r"c.csv line 1: expected rank columns rank1..rankN in the header"),
        ("rank1,rank3\nA,B\n", "line 1: rank column rank2 is missing"),
        ("rank1,rank1\nA,B\n", "line 1: column rank1 appears twice"),
        (
            "rank1,weight\nA,0\n",
            r"c.csv line 2, column 2 \('weight'\): weight '0' is not a positive integer",
        ),
        ("rank1,weight\nA,x\n", r"line 2, column 2 \('weight'\): expected the weight .*'x'"),
        ("rank1,weight\nA\n", r"line 2, column 2 \('weight'\): expected the weight .*''"),
        ("rank1,rank2\nA,B,C\n", r"line 2, column 3: 3 cells, but the header has 2: expected at"),
        ("rank1\nA=\n", r"line 2, column 1 \('rank1'\): expected candidate names joined by '='"),
        ("rank1\n\n", "no candidate is marked"),
    ],
)
def test_cvr_refuses_bad_input(text: str, message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message):
        parse_cvr(text, source="c.csv")


def test_cvr_refuses_unknown_candidate() -> None:
    with pytest.raises(InvalidBallotData, match=r"c\.csv line 3: unknown candidate 'Z'"):
        parse_cvr("rank1\nA\nZ\n", candidates=["A"], source="c.csv")


ABIF = """{version: "0.1"}
{title: "Test"}
# comment
=A:[Ann Lee]
=B
=[Cy Young]:[Cy]
5:A>B  # trailing comment
2:B=[Cy Young]>A
1:
3:D
"""


def test_abif_declarations_ties_and_undeclared() -> None:
    profile = parse_abif(ABIF, source="t.abif")
    assert profile.title == "Test"
    assert profile.candidates == ("A", "B", "Cy Young", "D")
    assert [b.weight for b in profile.ballots] == [5, 2, 1, 3]
    assert profile.ballots[1].ranks == ((1, 2), (0,))
    assert profile.ballots[2].ranks == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("=A\n=A\n", "t.abif line 2: candidate 'A' declared twice"),
        ("=A\n0:A\n", "line 2: a ballot count must be positive"),
        ("=A\nx:A\n", "line 2: 'x:A' is not 'count:ranking'"),
        ("=A\n1:A/5\n", "ratings are not supported"),
        ("=A\n1:A>>A\n", "'' is not a candidate token"),
        ("{title: x\n", "metadata must be"),
        ("# nothing\n", "no candidates"),
    ],
)
def test_abif_refuses_bad_input(text: str, message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message):
        parse_abif(text, source="t.abif")


TALLY = """ header
     Option 1----->: Ann
   /  Option 2---->: Bob
   |/  Option 3--->: None Of The Above
V: 12- 		abc
V: 2-1 		def
V: 113 		ghi
"""


def test_debian_tally_ranks_and_default() -> None:
    tally = parse_debian_tally(TALLY, source="t.txt")
    assert tally.default == "None Of The Above"
    assert tally.profile.candidates == ("Ann", "Bob", "None Of The Above")
    ranks = [b.ranks for b in tally.profile.ballots]
    assert ranks == [((0,), (1,)), ((2,), (0,)), ((0, 1), (2,))]


def test_debian_tally_reads_latin1_bytes() -> None:
    data = TALLY.replace("Ann", "Raphaël").encode("latin-1")
    assert parse_debian_tally(data).profile.candidates[0] == "Raphaël"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("V: 12 \t x", "t.txt line 5: 2 marks for 3 options"),
        ("V: 1x2 \t x", "line 5, column 5: mark 'x' for option 2 is not 1-9 or -: expected"),
        ("V: 102 \t x", "mark '0' for option 2"),
    ],
)
def test_debian_tally_refuses_bad_votes(line: str, message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message):
        parse_debian_tally(TALLY.replace("V: 12- \t\tabc", line), source="t.txt")


def test_debian_tally_needs_options_and_votes() -> None:
    with pytest.raises(InvalidBallotData, match="line 1: a 'V:' line before any 'Option"):
        parse_debian_tally("V: 1 x\n")
    with pytest.raises(InvalidBallotData, match="no 'Option N--->: name' lines"):
        parse_debian_tally("nothing\n")
    with pytest.raises(InvalidBallotData, match="no 'V:' vote lines"):
        parse_debian_tally("Option 1-->: A\n")
