"""``suffrage count --rctab CONFIG.json`` (spec/counting.md#rctab-command).

These tests count cases of RCTab's regression data (``SUFFRAGE_RCTAB_DATA``, by default
``../shared/data/rctab/test_data``); without it they skip, except the refusals that need none.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from suffrage.cli._rctab import output_files, run_rctab
from suffrage.cli.main import app
from suffrage.counting.rctab.config import load_config
from suffrage.counting.rctab.contest import count_contest
from suffrage.errors import SuffrageError

RUNNER = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("SUFFRAGE_RCTAB_DATA") or ROOT / "../shared/data/rctab/test_data")
SIMPLE = "test_set_1_exhaust_at_overvote"
SEQUENTIAL = "sequential_with_batch"


def config_of(case: str) -> Path:
    path = DATA / case / f"{case}_config.json"
    if not path.is_file():
        pytest.skip(f"no RCTab data at {DATA}")
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, ["count", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_prints_rctabs_detailed_report() -> None:
    code, out, _ = invoke("--rctab", str(config_of(SIMPLE)), "--json")
    assert code == 0
    report = json.loads(out)
    expected = json.loads(
        (DATA / SIMPLE / f"{SIMPLE}_expected_detailed_report.json").read_text(encoding="utf-8")
    )
    report["config"].pop("generatedBy")
    expected["config"].pop("generatedBy")
    assert report == expected


def test_json_of_a_multi_pass_count_is_a_list_of_passes() -> None:
    code, out, _ = invoke("--rctab", str(config_of(SEQUENTIAL)), "--json")
    assert code == 0
    reports = json.loads(out)
    assert isinstance(reports, list)
    expected = sorted((DATA / SEQUENTIAL).glob("*_expected_detailed_report.json"))
    assert len(reports) == len(expected) >= 2
    assert [r["summary"]["numWinners"] for r in reports] == [1] * len(reports)


def test_default_output_is_a_table_of_rounds_within_80_columns() -> None:
    code, out, _ = invoke("--rctab", str(config_of(SIMPLE)), "--width", "80")
    assert code == 0
    assert "Round 1: eliminated Candidate D Name" in out
    assert "Elected: Candidate B Name" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_out_writes_rctabs_files(tmp_path: Path) -> None:
    code, out, _ = invoke("--rctab", str(config_of(SIMPLE)), "--out", str(tmp_path))
    assert code == 0, out
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 4  # the configuration has generateCdfJson: the CDF file too
    stamp = names[0][: len("2024-01-02_03-04")]
    assert names == [
        f"{stamp}_cdf_cvr.json",
        f"{stamp}_detailed_report.csv",
        f"{stamp}_detailed_report.json",
        f"{stamp}_summary_report.csv",
    ]


def test_out_never_overwrites_without_force(tmp_path: Path) -> None:
    when = datetime(2024, 1, 2, 3, 4)
    options = {"as_json": False, "out": tmp_path, "answers": (), "width": 80, "now": when}
    run_rctab(config_of(SIMPLE), force=False, **options)  # type: ignore[arg-type]
    with pytest.raises(SuffrageError, match="exists"):
        run_rctab(config_of(SIMPLE), force=False, **options)  # type: ignore[arg-type]
    run_rctab(config_of(SIMPLE), force=True, **options)  # type: ignore[arg-type]
    assert (tmp_path / "2024-01-02_03-04_detailed_report.json").is_file()


def test_output_file_names_of_passes() -> None:
    config = load_config(config_of(SEQUENTIAL))
    passes = count_contest(config)
    stamp = datetime(2024, 1, 2, 3, 4).strftime("%Y-%m-%d_%H-%M")
    names = sorted(output_files(config, passes, stamp))
    assert names[:3] == [
        "2024-01-02_03-04_1_detailed_report.csv",
        "2024-01-02_03-04_1_detailed_report.json",
        "2024-01-02_03-04_1_summary_report.csv",
    ]
    assert len(names) == 3 * len(passes)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["ballots.csv"], "FILE: is not taken with --rctab"),
        (["--method", "irv"], "--method: is not taken with --rctab"),
        (["--seats", "2"], "--seats: is not taken with --rctab"),
        (["--csv"], "--csv: is not taken with --rctab"),
    ],
)
def test_file_method_and_other_options_are_refused(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    config = tmp_path / "c.json"
    config.write_text("{}")
    code, _, err = invoke("--rctab", str(config), *extra)
    assert code == 2
    assert message in err


def test_rctab_only_options_need_rctab(tmp_path: Path) -> None:
    code, _, err = invoke("--out", str(tmp_path))
    assert code == 2
    assert "are taken only with --rctab" in err


def test_a_bad_configuration_is_an_error_naming_the_field(tmp_path: Path) -> None:
    config = tmp_path / "c.json"
    config.write_text(json.dumps({"tabulatorVersion": "TEST", "outputSettings": {}}))
    code, _, err = invoke("--rctab", str(config))
    assert code == 2
    assert "error: c.json: cvrFileSources: expected a JSON list" in err or "c.json:" in err


def test_interactive_tiebreak_needs_answers(tmp_path: Path) -> None:
    path = DATA / "sample_interactive_tiebreak" / "sample_interactive_tiebreak_config.json"
    if not path.is_file():
        pytest.skip(f"no RCTab data at {DATA}")
    code, _, err = invoke("--rctab", str(path))
    assert code == 2
    assert "needs an answer" in err
    assert "--tiebreak-answers" in err
    code, out, _ = invoke("--rctab", str(path), "--tiebreak-answers", "Yinka Dare")
    assert code == 0
    assert "eliminated Yinka Dare (tie-break)" in out


def test_out_writes_precinct_reports_in_their_folder(tmp_path: Path) -> None:
    config = config_of("precinct_example")
    code, out, _ = invoke("--rctab", str(config), "--out", str(tmp_path))
    assert code == 0, out
    folder = tmp_path / "Tabulate by Precinct"
    names = sorted(p.name for p in folder.iterdir())
    assert any(n.endswith("_MINNEAPOLIS_W-1_P-02_precinct_detailed_report.json") for n in names)
    assert len(names) % 2 == 0
