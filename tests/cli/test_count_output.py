"""``suffrage count``: widths, encodings, delimiters and a record's results.json."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from suffrage.cli.main import app
from suffrage.reports.text import display_width

RUNNER = CliRunner()
RECORD = Path(__file__).parents[1] / "vectors" / "records" / "valid"


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, ["count", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def data_dir() -> Path:
    data = os.environ.get("SUFFRAGE_ELECTION_DATA")
    if not data:
        pytest.skip("SUFFRAGE_ELECTION_DATA is not set: real election data unavailable")
    return Path(data)


@pytest.mark.parametrize(("args", "env", "width"), [
    (["--width", "60"], None, 60),
    ([], {"COLUMNS": "100"}, 100),
    ([], {"COLUMNS": ""}, 80),
])  # fmt: skip
def test_irv_at_each_width_keeps_every_round(
    args: list[str], env: dict[str, str] | None, width: int
) -> None:
    abif = data_dir() / "irv_burlington_2009" / "burl2009.abif"
    code, out, err = invoke("--method", "irv", *args, str(abif), env=env)
    assert code == 0, err
    assert max(display_width(line) for line in out.splitlines()) <= width
    for figure in ("2,585", "4,313", "4,060", "607", "1,317"):
        assert figure in out
    assert "Round 5" in out


def test_a_width_below_40_is_refused(tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text("name,votes\nA,1\n")
    code, _, err = invoke("--method", "plurality", "--width", "30", str(votes))
    assert code == 2
    assert "--width: must be at least 40, not 30" in err


def test_a_cp1250_file_names_file_line_and_byte_and_reads_with_its_encoding() -> None:
    path = data_dir() / "list_real_elections" / "data" / "sk_prez_2019.csv"
    code, out, err = invoke("--method", "two-round", str(path))
    assert code == 2
    assert "sk_prez_2019.csv, line 1: byte 0xc8 at offset 7 is not utf-8" in err
    assert "--encoding cp1250" in err
    code, out, err = invoke("--method", "two-round", "--encoding", "cp1250", str(path))
    assert code == 0, err
    assert "Zuzana Čaputová" in out
    assert "870,415" in out


def test_an_error_on_a_later_line_gives_that_line_and_offset(tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_bytes("name,votes\nA,1\nLe Pen Marine,2\nBé,3\n".encode("latin-1"))
    code, _, err = invoke("--method", "plurality", str(votes))
    assert code == 2
    assert "votes.csv, line 4: byte 0xe9 at offset 1 is not utf-8" in err


def test_an_unknown_encoding_is_named(tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_text("name,votes\nA,1\n")
    code, _, err = invoke("--method", "plurality", "--encoding", "klingon", str(votes))
    assert code == 2
    assert "--encoding: 'klingon' is not a known encoding" in err


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    votes = tmp_path / "votes.csv"
    votes.write_bytes(b"\xef\xbb\xbfname,votes\nA,3\nB,2\n")
    code, out, err = invoke("--method", "plurality", str(votes))
    assert code == 0, err
    assert "Elected: A." in out


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_semicolon_tab_and_comma_files_read_alike(tmp_path: Path, delimiter: str) -> None:
    votes = tmp_path / "votes.csv"
    name = '"A, B and C"' if delimiter == "," else "A, B and C"
    votes.write_text(f"name{delimiter}votes\n{name}{delimiter}100\nD{delimiter}80\n")
    code, out, err = invoke("--method", "dhondt", "--seats", "3", "--json", str(votes))
    assert code == 0, err
    assert json.loads(out)["seats"] == {"A, B and C": 2, "D": 1}


def test_norways_official_export_counts_a_district() -> None:
    path = data_dir() / "list_norway_2021" / "2021-09-17_partydist.csv"
    args = ["--method", "modified-sainte-lague", "--district", "Oslo", str(path)]
    code, out, err = invoke(*args, "--json")
    assert code == 0, err
    seats = {k: v for k, v in json.loads(out)["seats"].items() if v}
    assert seats == {
        "Arbeiderpartiet": 4, "Høyre": 5, "SV - Sosialistisk Venstreparti": 3, "Rødt": 2,
        "Miljøpartiet De Grønne": 2, "Venstre": 2, "Fremskrittspartiet": 1,
    }  # fmt: skip
    code, out, _ = invoke(*args, "--width", "80")
    assert "Seat 1: Høyre (quotient 63,815.71)." in out
    assert max(display_width(line) for line in out.splitlines()) <= 80


def test_a_records_results_json_counts_a_contest_with_names() -> None:
    results = RECORD / "results.json"
    code, out, err = invoke("--method", "plurality", "--contest", "mayor", str(results))
    assert code == 0, err
    assert "Jean Moreau" in out
    assert "jean-moreau" not in out
    assert "Elected: Jean Moreau." in out


@pytest.mark.parametrize(("contest", "message"), [
    ([], "give one with --contest; the record has charter-assembly, city-council, mayor"),
    (["--contest", "senate"], "no contest 'senate'; the record has charter-assembly"),
])  # fmt: skip
def test_a_missing_or_unknown_contest_names_those_there_are(
    contest: list[str], message: str
) -> None:
    code, _, err = invoke("--method", "plurality", *contest, str(RECORD / "results.json"))
    assert code == 2
    assert message in err


def test_csv_holds_every_round_and_the_winners_seat() -> None:
    abif = data_dir() / "irv_burlington_2009" / "burl2009.abif"
    code, out, err = invoke("--method", "irv", "--csv", str(abif))
    assert code == 0, err
    rows = list(csv.DictReader(out.splitlines()))
    assert {row["stage"] for row in rows} == {"ballots", "1", "2", "3", "4", "5", "final"}
    ballots = {row["name"]: row["value"] for row in rows if row["stage"] == "ballots"}
    assert ballots == {"read": "8980", "valid": "8980", "blank": "0", "invalid": "0"}
    exhausted = [row for row in rows if row["name"] == "(exhausted)"]
    assert [row["value"] for row in exhausted] == ["4", "7", "18", "151", "607"]
    kiss = next(row for row in rows if row["stage"] == "final" and row["name"] == "Kiss")
    assert (kiss["status"], kiss["seats"]) == ("elected", "1")
