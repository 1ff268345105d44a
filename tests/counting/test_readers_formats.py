"""Per-ballot marks, .xlsx sheets, uneven rows and what every read error says
(spec/counting.md#marked-ballots, #xlsx, #uneven-rows, #read-errors)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from xlsx_files import workbook

from suffrage.counting.readers import (
    parse_cvr,
    parse_cvr_sheet,
    parse_marks_csv,
    parse_marks_json,
    parse_marks_sheet,
)
from suffrage.counting.readers._table import column_letters
from suffrage.counting.totals import read_count_json, read_record_totals, read_totals_json
from suffrage.errors import InvalidBallotData


def test_column_letters() -> None:
    assert [column_letters(n) for n in (0, 1, 25, 26, 27, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip


def test_cvr_short_rows_leave_later_ranks_blank() -> None:
    profile = parse_cvr("rank1,rank2,rank3\nA\nB,A\nA,B,C,,\n", source="c.csv")
    assert [b.ranks for b in profile.ballots] == [
        ((0,), (), ()),
        ((1,), (0,), ()),
        ((0,), (1,), (2,)),
    ]


def test_cvr_sheet_reads_numbers_and_names_cells() -> None:
    data = workbook([["Cast Vote Record", "rank1", "rank2", "weight"], [1, "A", "B", 2.0]], "CVR")
    profile = parse_cvr_sheet(data, source="cvr.xlsx")
    assert profile.total_weight == 2
    bad = workbook([["id", "rank1", "weight"], [1, "A", 1], [2, "B", "two"]], "CVR")
    with pytest.raises(InvalidBallotData, match=r"expected the weight .* got 'two'") as caught:
        parse_cvr_sheet(bad, source="cvr.xlsx")
    assert caught.value.field == "cvr.xlsx: sheet 'CVR', cell C3"
    wide = workbook([["rank1", "rank2"], ["A", None, "B"]], "CVR")
    with pytest.raises(InvalidBallotData, match="expected at most 2 cells") as caught:
        parse_cvr_sheet(wide, source="cvr.xlsx")
    assert caught.value.field == "cvr.xlsx: sheet 'CVR', cell C2"


def test_sheet_by_name_and_unreadable_workbooks() -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Notes"
    second = book.create_sheet("Ballots")
    second.append(["A", "B"])
    second.append([1, None])
    out = io.BytesIO()
    book.save(out)
    marked = parse_marks_sheet(out.getvalue(), source="b.xlsx", sheet="Ballots")
    assert marked.tally(1)[0] == {"A": 1, "B": 0}
    with pytest.raises(InvalidBallotData, match=r"no sheet named 'Nope'; expected one of"):
        parse_marks_sheet(out.getvalue(), source="b.xlsx", sheet="Nope")
    with pytest.raises(InvalidBallotData, match=r"b.xlsx: expected an .xlsx workbook, but"):
        parse_marks_sheet(b"rank1,rank2\n", source="b.xlsx")
    with pytest.raises(InvalidBallotData, match=r"b\.xlsx: empty file: expected a header"):
        parse_marks_sheet(workbook([]), source="b.xlsx")


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("A,B\n1,2\n", "p.csv line 2, column 2 ('B')", r"expected a mark \(1 or x .* got '2'"),
        ("A,B\n1\n", "p.csv line 2", "expected 2 cells as in the header .* got 1"),
        ("A,B\n1,,\n", "p.csv line 2", "expected 2 cells as in the header .* got 3"),
        ("A,A\n1,\n", "p.csv line 1", "option 'A' appears twice; expected each option once"),
        ("A,,B\n1,,\n", "p.csv line 1", "expected an option name in column 2, got ''"),
        ("id\n1\n", "p.csv line 1", "expected option names in the header, found none"),
        ("A,weight\n1,0\n", "p.csv line 2, column 2 ('weight')", "expected a positive number"),
        ("choice,choices\nA,B\n", "p.csv line 1", "expected at most one choice column, got 2"),
        ("choice\nA;A\n", "p.csv line 2, column 1 ('choice')", "option 'A' chosen twice"),
        ("choice\nA;\n", "p.csv line 2, column 1 ('choice')", "expected option names joined"),
        ("", "p.csv", "empty file: expected a header of option names"),
    ],
)
def test_marks_csv_errors(text: str, field: str, message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message) as caught:
        parse_marks_csv(text, source="p.csv")
    assert caught.value.field == field


def test_marks_sheet_errors_name_the_cell() -> None:
    data = workbook([["A", "B"], [1, None], [None, "yes"]], "Votes")
    with pytest.raises(InvalidBallotData, match=r"expected a mark .* got 'yes'") as caught:
        parse_marks_sheet(data, source="v.xlsx")
    assert caught.value.field == "v.xlsx: sheet 'Votes', cell B3"
    wide = workbook([["A", "B"], [1, None, 1]], "Votes")
    with pytest.raises(InvalidBallotData, match="expected nothing past the header's 2 columns"):
        parse_marks_sheet(wide, source="v.xlsx")


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("{}", "b.json", r"expected an object with 'ballots' .* got keys \[\]"),
        ('{"ballots": {}}', "b.json: ballots", "expected a list of ballots .* got an object"),
        ('[["A"], "B"]', "b.json: [1]", "expected a list of chosen option names, got a string"),
        ('[["A", 3]]', "b.json: [0][1]", "expected an option name, got a number 3"),
        ('[["A", "A"]]', "b.json: [0]", "option 'A' chosen twice"),
        ('[{"choices": ["A"], "weight": 0}]', "b.json: [0].weight", "expected a positive whole"),
        (
            '[{"choice": ["A"]}]',
            "b.json: [0]",
            r"an object with 'choices' .* got keys \['choice'\]",
        ),
        (
            '{"options": ["A"], "ballots": [["A"], ["Z"]]}',
            "b.json: ballots[1]",
            r"unknown option 'Z': expected one of \['A'\]",
        ),
        ('{"options": "A", "ballots": []}', "b.json: options", "expected a list of option names"),
        ('[["A"]', "b.json line 1", "expected JSON, but it is not: Expecting"),
    ],
)
def test_marks_json_errors(text: str, field: str, message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message) as caught:
        parse_marks_json(text, source="b.json")
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        (
            '["A", 3]',
            "a.json",
            r"expected a JSON object of vote totals \('votes' or 'districts'\), got a list",
        ),
        ('{"votes": ["A"]}', "a.json.votes", "expected a JSON object mapping each option to its"),
        ('{"votes": {"A": "3"}}', "a.json.votes.A", "expected the votes as a non-negative"),
        ('{"districts": []}', "a.json: districts", "expected a JSON object mapping each district"),
        ('{"votes": {}, "x": 1}', "a.json", "unknown keys \\['x'\\]; expected only 'votes'"),
        ('{"seats": 2}', "a.json", "missing 'votes'; expected an object of votes per option"),
    ],
)
def test_totals_json_errors_say_what_was_expected(text: str, field: str, message: str) -> None:
    with pytest.raises(InvalidBallotData, match=message) as caught:
        read_totals_json(text, source="a.json")
    assert caught.value.field == field


def test_a_list_of_totals_is_read_as_ballots_by_the_count_reader() -> None:
    with pytest.raises(InvalidBallotData, match="expected a list of chosen option names"):
        read_count_json('{"ballots": ["A"]}', source="a.json")


def test_record_totals_errors_name_the_path() -> None:
    text = '{"results": {"c1": []}}'
    with pytest.raises(
        InvalidBallotData, match="with the contest's 'counts', got a list"
    ) as caught:
        read_record_totals(text, "c1", source="results.json")
    assert caught.value.field == "results.json: results.c1"
