"""``suffrage count --method stv-cambridge | stv-ireland`` through Typer's CliRunner
(spec/counting.md#stv-cambridge, #stv-ireland): the worked examples of the counting tests,
read from BLT files, in ballot order."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from suffrage.cli.main import app

RUNNER = CliRunner()

CAMBRIDGE = [
    "AB", "BA", "AC", "AB", "AD", "C", "AC", "A", "AC", "AB", "AE", "AD", "AC", "AC",
    "B", "B", "B", "B", "B", "C", "C", "C", "C", "D", "DC", "DC", "DB", "EBC", "ED", "FEB",
]  # fmt: skip
IRELAND = [(4, "ABC"), (4, "ABD"), (3, "A"), (2, "BE"), (4, "C"), (4, "D"), (1, "E")]


def blt(path: Path, names: str, lines: Sequence[tuple[int, str]], seats: int) -> Path:
    """A BLT file with the ballot lines in the order given."""
    rows = [f"{len(names)} {seats}"]
    rows += [f"{w} {' '.join(str(names.index(c) + 1) for c in prefs)} 0" for w, prefs in lines]
    rows += ["0", *(f'"{n}"' for n in names), '"worked example"']
    path.write_text("\n".join(rows) + "\n")
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, ["count", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cambridge_counts_the_worked_example(tmp_path: Path) -> None:
    file = blt(tmp_path / "plan-e.blt", "ABCDEF", [(1, b) for b in CAMBRIDGE], 3)
    code, out, err = invoke("--method", "stv-cambridge", "--plan-e-floor", "4", "--json", str(file))
    assert code == 0, err
    data = json.loads(out)
    assert data["elected"] == ["A", "B", "C"]
    stages = data["trail"]["stages"]
    assert [s["kind"] for s in stages] == ["first count", "surplus", "defeat under floor", "defeat"]
    assert stages[1]["events"][0].endswith("n = 3; positions transferred: 3, 9, 12, 4")


def test_cambridge_default_floor_and_text_output(tmp_path: Path) -> None:
    file = blt(tmp_path / "plan-e.blt", "ABCDEF", [(1, b) for b in CAMBRIDGE], 3)
    code, out, err = invoke("--method", "stv-cambridge", str(file))
    assert code == 0, err
    assert "Elected: A, B, C." in out
    assert "9(g) not applied: defeating all 5 candidates under 50" in " ".join(out.split())


def test_a_weighted_line_is_that_many_ballots_in_a_row(tmp_path: Path) -> None:
    file = blt(tmp_path / "ireland.blt", "ABCDE", IRELAND, 3)
    for seed, third in (("0", "C"), ("1", "D")):
        code, out, err = invoke("--method", "stv-ireland", "--seed", seed, "--json", str(file))
        assert code == 0, err
        data = json.loads(out)
        assert data["elected"] == ["A", "B", third]
        assert data["trail"]["seed"] == int(seed)


@pytest.mark.parametrize("method", ["stv-cambridge", "stv-ireland"])
def test_the_ballot_rules_are_taken(tmp_path: Path, method: str) -> None:
    file = tmp_path / "cvr.csv"
    file.write_text("rank1,rank2\nA=B,C\nA=B,C\nC,\nA,\n")
    floor = ["--plan-e-floor", "0"] if method == "stv-cambridge" else []
    counts = []
    for rule in ("exhaust", "skip"):
        code, out, err = invoke("--method", method, *floor, "--overvote", rule, "--json", str(file))
        assert code == 0, err
        counts.append(json.loads(out)["options"]["valid"])
    assert counts == [2, 4]


def test_the_floor_is_refused_by_other_methods(tmp_path: Path) -> None:
    file = blt(tmp_path / "ireland.blt", "ABCDE", IRELAND, 3)
    code, _, err = invoke("--method", "stv-ireland", "--plan-e-floor", "10", str(file))
    assert code == 2
    assert "--plan-e-floor" in err
    assert "applies to stv-cambridge only" in err


def test_a_negative_floor_is_refused(tmp_path: Path) -> None:
    file = blt(tmp_path / "plan-e.blt", "ABCDEF", [(1, b) for b in CAMBRIDGE], 3)
    code, _, err = invoke("--method", "stv-cambridge", "--plan-e-floor", "-3", str(file))
    assert code == 2
    assert "the floor must be a whole number >= 0, not -3" in err
