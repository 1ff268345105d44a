"""Strict readers of vote totals (spec/counting.md#vote-totals)."""

from __future__ import annotations

import pytest

from suffrage.counting.totals import read_totals_csv, read_totals_json
from suffrage.errors import InvalidBallotData


def test_csv_single_and_multi_district() -> None:
    single = read_totals_csv("name,votes\nA,10\nB,0\n")
    assert single.votes == {"A": 10, "B": 0}
    multi = read_totals_csv("district,name,votes\nN,A,1\nS,A,2\nS,B,3\n")
    assert multi.districts == {"N": {"A": 1}, "S": {"A": 2, "B": 3}}
    with pytest.raises(InvalidBallotData, match="several districts"):
        _ = multi.votes


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("party,count\nA,1\n", "votes.csv line 1", "header"),
        ("name,votes\nA,1\nB,-3\n", "votes.csv line 3", "non-negative integer"),
        ("name,votes\nA,1\nA,2\n", "votes.csv line 3", "appears twice"),
        ("name,votes\nA,1,2\n", "votes.csv line 2", "expected 2 fields"),
        ("name,votes\n,4\n", "votes.csv line 2", "name is empty"),
        ("name,votes\nA,1.5\n", "votes.csv line 2", "non-negative integer"),
        ("name,votes\n", "votes.csv", "no vote totals"),
    ],
)
def test_csv_errors_name_line_and_problem(text: str, where: str, problem: str) -> None:
    with pytest.raises(InvalidBallotData, match=problem) as caught:
        read_totals_csv(text)
    assert caught.value.field == where


def test_json_forms() -> None:
    one = read_totals_json('{"seats": 3, "votes": {"A": 5, "B": 2}}')
    assert one.votes == {"A": 5, "B": 2}
    assert one.seats == {"": 3}
    many = read_totals_json('{"districts": {"N": {"seats": 2, "votes": {"A": 1}}}}')
    assert many.districts == {"N": {"A": 1}}
    assert many.seats == {"N": 2}


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        ('{"votes": {"A": -1}}', "votes.json.votes.A", "non-negative"),
        ('{"votes": {"A": true}}', "votes.json.votes.A", "non-negative"),
        ('{"votes": {"A": 1}, "extra": 2}', "votes.json", "unknown keys"),
        ('{"votes": {"A": 1}, "seats": 0}', "votes.json.seats", "from 1 to 10000"),
        ('{"votes": {"A": 1, "A": 2}}', "votes.json", "appears twice"),
        ('{"votes": ', "votes.json line 1", "Expecting value"),
        ('{"districts": {"N": {"votes": {}}}}', "votes.json: districts.N.votes", "no lists"),
    ],
)
def test_json_errors_name_key_and_problem(text: str, field: str, problem: str) -> None:
    with pytest.raises(InvalidBallotData, match=problem) as caught:
        read_totals_json(text)
    assert caught.value.field == field
