"""``suffrage count`` through Typer's CliRunner (spec/counting.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from suffrage.cli.main import app

RUNNER = CliRunner()

BLT = """3 1
4 1 2 0
3 2 0
2 3 2 0
0
"Ann"
"Bob"
"Cy"
"Small"
"""


@pytest.fixture
def blt(tmp_path: Path) -> Path:
    path = tmp_path / "small.blt"
    path.write_text(BLT)
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, ["count", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("method", ["irv", "stv-scottish", "stv-meek", "stv-gregory"])
def test_ranked_methods_print_rounds(blt: Path, method: str) -> None:
    code, out, _ = invoke("--method", method, str(blt))
    assert code == 0, out
    assert "Elected: Bob." in out
    assert "Ann" in out
    assert "Cy" in out


def test_json_output_holds_the_trail(blt: Path) -> None:
    code, out, _ = invoke("--method", "irv", "--json", str(blt))
    assert code == 0
    data = json.loads(out)
    assert data["elected"] == ["Bob"]
    assert data["trail"]["stages"][0]["values"] == {"(exhausted)": 0, "Ann": 4, "Bob": 3, "Cy": 2}


def test_csv_output(blt: Path) -> None:
    code, out, _ = invoke("--method", "schulze", "--csv", str(blt))
    assert code == 0
    assert out.splitlines()[0] == "method,stage,kind,name,value,value_decimal,status,seats"
    assert "schulze,final,total,Bob,2,2,elected,1" in out.splitlines()


def test_chart_is_an_accessible_svg_of_the_rounds(blt: Path, tmp_path: Path) -> None:
    chart = tmp_path / "rounds.svg"
    code, _, _ = invoke("--method", "irv", "--chart", str(chart), str(blt))
    assert code == 0
    root = ElementTree.fromstring(chart.read_text())
    svg = "{http://www.w3.org/2000/svg}"
    title = root.find(f"{svg}title")
    assert title is not None
    assert title.text is not None
    assert "small.blt" in title.text
    assert "Round 2" in chart.read_text()


def test_list_method_reads_vote_totals(tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text("name,votes\nA,100\nB,80\nC,30\n")
    chart = tmp_path / "seats.svg"
    code, out, _ = invoke("--method", "dhondt", "--seats", "5", "--chart", str(chart), str(votes))
    assert code == 0, out
    data = json.loads(invoke("--method", "dhondt", "--seats", "5", "--json", str(votes))[1])
    assert data["seats"] == {"A": 3, "B": 2, "C": 0}
    assert '<title id="chart-title">' in chart.read_text()


def test_bad_input_names_the_line_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.blt"
    bad.write_text("2 1\n1 3 0\n0\nA\nB\n")
    code, out, err = invoke("--method", "irv", str(bad))
    assert code == 2
    assert "bad.blt line 2: candidate 3 is not in 1..2" in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--method", "borda"], "unknown method 'borda'"),
        (["--method", "irv", "--overvote", "maybe"], "--overvote: 'maybe' is not one of"),
        (["--method", "irv", "--format", "xls"], "'xls' is not one of"),
        (["--method", "debian", "--majority", "x:y"], "'x:y' is not a ratio"),
    ],
)
def test_bad_options_exit_2(blt: Path, args: list[str], message: str) -> None:
    code, _, err = invoke(*args, str(blt))
    assert code == 2
    assert message in err


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = invoke("--method", "irv", str(tmp_path / "none.blt"))
    assert code == 2
    assert "none.blt" in err


def test_debian_tally_from_real_data() -> None:
    data = os.environ.get("SUFFRAGE_ELECTION_DATA")
    if not data:
        pytest.skip("SUFFRAGE_ELECTION_DATA is not set: real election data unavailable")
    tally = Path(data) / "condorcet_debian_dpl" / "leader2007_tally.txt"
    code, out, _ = invoke("--method", "debian", str(tally))
    assert code == 0
    assert "Elected: Sam Hocevar." in out


@pytest.mark.parametrize(
    ("method", "option", "used_by"),
    [
        (
            "schulze",
            ["--overvote", "skip"],
            "irv, stv-scottish, stv-meek, stv-gregory, stv-cambridge, stv-ireland only",
        ),
        ("ranked-pairs", ["--repeat", "exhaust"], "irv, stv-scottish, stv-meek, stv-gregory"),
        ("stv-gregory", ["--batch"], "irv only"),
        ("stv-meek", ["--no-backward"], "irv only"),
        ("irv", ["--majority", "2:3"], "debian, referendum only"),
        ("irv", ["--first-divisor", "1"], "modified-sainte-lague only"),
    ],
)
def test_an_option_a_method_does_not_use_is_refused(
    tmp_path: Path, method: str, option: list[str], used_by: str
) -> None:
    """Issue 18: the STV methods ignored --overvote, --repeat, --max-skipped and --batch
    (the same output with and without them); they now honour the ballot rules, and an
    option a method would ignore is refused, naming the methods that use it."""
    ballots = tmp_path / "b.csv"
    ballots.write_text("rank1,rank2\nA,B\n,\nB,\n")
    code, out, err = invoke("--method", method, *option, str(ballots))
    assert (code, out) == (2, "")
    assert f"error: {option[0]}: is not used by {method}" in err
    assert f"it applies to {used_by}" in err


def test_the_stv_methods_honour_the_overvote_rule(tmp_path: Path) -> None:
    ballots = tmp_path / "b.csv"
    ballots.write_text("rank1,rank2\nA,\nA,\nB,\nA=B,C\nA=B,C\n")
    for method in ("stv-scottish", "stv-meek", "stv-gregory"):
        _, exhausting, _ = invoke("--method", method, "--json", str(ballots))
        _, skipping, _ = invoke("--method", method, "--overvote", "skip", "--json", str(ballots))
        first = [
            json.loads(out)["trail"]["stages"][0]["values"]["C"] for out in (exhausting, skipping)
        ]
        assert [float(v) for v in first] == [0, 2], method


def test_every_output_states_the_ballots_read(tmp_path: Path) -> None:
    """Issue 18: the blank row of a CVR without an id column is read and counted, and the
    count says how many ballots it read, valid, blank and invalid."""
    ballots = tmp_path / "b.csv"
    ballots.write_text("rank1,rank2\nA,B\n,\nB,\novervote,\n")
    code, text, err = invoke("--method", "irv", "--width", "80", str(ballots))
    assert code == 0, err
    assert "Ballots read 4, valid 2, blank 1, invalid 1." in text
    data = json.loads(invoke("--method", "irv", "--json", str(ballots))[1])
    assert data["ballots"] == {"read": 4, "valid": 2, "blank": 1, "invalid": 1}
    assert data["trail"]["stages"][0]["values"]["(exhausted)"] == 2
    rows = invoke("--method", "irv", "--csv", str(ballots))[1].splitlines()
    assert rows[1:5] == [
        "irv,ballots,ballots,read,4,4,,",
        "irv,ballots,ballots,valid,2,2,,",
        "irv,ballots,ballots,blank,1,1,,",
        "irv,ballots,ballots,invalid,1,1,,",
    ]


def test_vote_totals_say_they_state_no_ballots(tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text("name,votes\nA,3\nB,2\n")
    _, text, _ = invoke("--method", "plurality", "--width", "80", str(votes))
    assert "Ballots: not stated (the file gives vote totals, not ballots)." in text
    assert json.loads(invoke("--method", "plurality", "--json", str(votes))[1])["ballots"] is None
    rows = invoke("--method", "plurality", "--csv", str(votes))[1].splitlines()
    assert rows[1] == "plurality,ballots,ballots,not stated,,,,"


GRID = "id,Ann,Bob,Cy\n1,1,,\n2,x,1,\n3,,,\n4,,,1\n5,1,,\n"


@pytest.mark.parametrize(
    ("method", "extra", "votes", "ballots"),
    [
        ("plurality", [], {"Ann": 2, "Bob": 0, "Cy": 1}, [5, 3, 1, 1]),
        ("plurality", ["--seats", "2"], {"Ann": 3, "Bob": 1, "Cy": 1}, [5, 4, 1, 0]),
        ("approval", [], {"Ann": 3, "Bob": 1, "Cy": 1}, [5, 4, 1, 0]),
    ],
)
def test_per_ballot_marks_in_csv(
    tmp_path: Path, method: str, extra: list[str], votes: dict[str, int], ballots: list[int]
) -> None:
    path = tmp_path / "ballots.csv"
    path.write_text(GRID)
    code, out, err = invoke("--method", method, *extra, "--json", str(path))
    assert code == 0, err
    data = json.loads(out)
    assert data["totals"] == votes
    read, valid, blank, invalid = ballots
    assert data["ballots"] == {"read": read, "valid": valid, "blank": blank, "invalid": invalid}


def test_per_ballot_plurality_in_json_and_xlsx(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "ballots.json"
    path.write_text(json.dumps([["Ann"], ["Ann", "Bob"], [], {"choices": ["Bob"], "weight": 3}]))
    data = json.loads(invoke("--method", "plurality", "--json", str(path))[1])
    assert (data["elected"], data["totals"]) == (["Bob"], {"Ann": 1, "Bob": 3})
    assert data["ballots"] == {"read": 6, "valid": 4, "blank": 1, "invalid": 1}
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Votes"
    for row in (["choice"], ["Ann"], ["Bob;Ann"], ["Bob"], ["Bob"]):
        sheet.append(row)
    xlsx = tmp_path / "ballots.xlsx"
    book.save(xlsx)
    code, text, err = invoke("--method", "plurality", "--width", "80", str(xlsx))
    assert code == 0, err
    assert "Ballots read 4, valid 3, blank 0, invalid 1." in text
    code, _, err = invoke("--method", "plurality", "--sheet", "Other", str(xlsx))
    assert code == 2
    assert "no sheet named 'Other'; expected one of ['Votes']" in err


def test_ranked_cvr_from_xlsx(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["id", "rank1", "rank2"], [1, "A", "B"], [2, "undervote"], [3, "B"], [4, "A"]):
        sheet.append(row)
    xlsx = tmp_path / "cvr.xlsx"
    book.save(xlsx)
    data = json.loads(invoke("--method", "irv", "--json", str(xlsx))[1])
    assert data["elected"] == ["A"]
    assert data["ballots"] == {"read": 4, "valid": 3, "blank": 1, "invalid": 0}
    code, _, err = invoke("--method", "irv", "--sheet", "CVR", str(tmp_path / "b.blt"))
    assert code == 2
    assert "--sheet: applies to .xlsx files only" in err


def test_read_errors_name_the_cell_and_what_was_expected(tmp_path: Path) -> None:
    path = tmp_path / "ballots.csv"
    path.write_text("Ann,Bob\n1,\n1,2\n")
    code, _, err = invoke("--method", "approval", str(path))
    assert code == 2
    assert "ballots.csv line 3, column 2 ('Bob'): expected a mark (1 or x" in err
    votes = tmp_path / "a.json"
    votes.write_text('{"votes": ["A"]}')
    code, _, err = invoke("--method", "plurality", str(votes))
    assert code == 2
    assert (
        "a.json.votes: expected a JSON object mapping each option to its votes, got a list" in err
    )


def test_write_in_is_eliminated_first(tmp_path: Path) -> None:
    cvr = tmp_path / "w.csv"
    cvr.write_text("rank1,rank2\n" + "Ann,\n" * 5 + "Bob,\n" * 4 + "Cy,Bob\n" * 3 + "UWI,Ann\n" * 4)
    # the CVR reader reads a UWI cell as the candidate "Write-in" (spec/counting.md#cvr)
    code, out, err = invoke("--method", "irv", "--write-in", "Write-in", str(cvr), "--json")
    assert code == 0, err
    stages = json.loads(out)["trail"]["stages"]
    assert stages[0]["events"] == ["eliminated first (undeclared write-ins cannot win): Write-in"]
    assert stages[1]["values"]["Ann"] == 9
    code, out, err = invoke("--method", "irv", str(cvr), "--json")
    assert json.loads(out)["trail"]["stages"][0]["events"] == ["eliminated Cy"]


def test_write_in_must_name_a_candidate_and_suit_the_method(tmp_path: Path) -> None:
    cvr = tmp_path / "w.csv"
    cvr.write_text("rank1\nAnn\nBob\n")
    code, _, err = invoke("--method", "irv", "--write-in", "Zed", str(cvr))
    assert code != 0
    assert "--write-in: expected one of the file's candidates (Ann, Bob), got 'Zed'" in err
    code, _, err = invoke("--method", "stv-meek", "--write-in", "Ann", str(cvr))
    assert code != 0
    assert "--write-in: is not used by stv-meek" in err
