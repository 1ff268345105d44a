"""RCTab's cast-vote-record exports against RCTab's own expected files
(spec/counting.md#cvr-exports): the NIST CDF JSON (``*_expected_cdf_cvr.json``) of every case
that has one, and the RCTab CVR CSV (``*_expected.csv``) of the three conversion cases."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from suffrage.cli.main import app
from suffrage.counting.rctab.cdf_export import cdf_json, cdf_report, generated_date
from suffrage.counting.rctab.config import load_config
from suffrage.counting.rctab.contest import read_cvrs, read_sources, tabulate
from suffrage.counting.rctab.csv_export import rctab_cvr_csv
from suffrage.counting.rctab.model import Cvr
from suffrage.errors import CountingError

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("SUFFRAGE_RCTAB_DATA") or ROOT / "../shared/data/rctab/test_data")
CONVERSIONS = ("conversions_from_cdf", "conversions_from_dominion", "conversions_from_ess")
_IGNORED = frozenset({"GeneratedDate", "generatedBy"})  # as RCTab's own test ignores them
_DATE = re.compile(r'"GeneratedDate" : "([^"]*)"')
_BLANK = re.compile(r"\s+")
_RETOUCHED = frozenset({"batch_example"})
"""Expected files edited by hand after RCTab wrote them (``}]`` where its printer writes
``} ]``): their bytes are compared with white space removed."""


def _cdf_cases() -> list[str]:
    if not DATA.is_dir():
        return []
    return sorted(p.parent.name for p in DATA.glob("*/*_expected_cdf_cvr.json"))


def _config(case: str) -> Path:
    if not DATA.is_dir():
        pytest.skip(f"no RCTab data at {DATA}")
    return DATA / case / f"{case}_config.json"


def first_difference(got: Any, want: Any, path: str = "$") -> str | None:
    """The JSON path of the first difference between ``got`` and ``want``, with both values;
    ``None`` when they agree (lists in order, keys in :data:`_IGNORED` skipped)."""
    if isinstance(got, dict) and isinstance(want, dict):
        for key in sorted(set(got) | set(want)):
            if key in _IGNORED:
                continue
            if key not in got or key not in want:
                side = "generated" if key not in got else "expected"
                return f"{path}.{key}: missing from the {side} file"
            found = first_difference(got[key], want[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(got, list) and isinstance(want, list):
        for index, (left, right) in enumerate(zip(got, want, strict=False)):
            found = first_difference(left, right, f"{path}[{index}]")
            if found:
                return found
        if len(got) != len(want):
            return f"{path}: {len(got)} items, expected {len(want)}"
        return None
    if got != want or type(got) is not type(want):
        return f"{path}: {got!r}, expected {want!r}"
    return None


def _generated(case: str, cvrs: list[Cvr]) -> str:
    config = load_config(_config(case))
    if case in CONVERSIONS:
        return cdf_json(cdf_report(config, cvrs, generated="-"))
    (done,) = tabulate(config, cvrs)
    report = cdf_report(
        config, cvrs, generated="-", rounds=len(done.rounds), snapshots=done.snapshots
    )
    return cdf_json(report)


@pytest.mark.parametrize("case", _cdf_cases() or ["(no data)"])
def test_cdf_json_is_rctabs(case: str) -> None:
    """The generated report equals RCTab's, first structurally (naming the first differing
    path), then byte for byte once RCTab's generation time is put in."""
    if case == "(no data)":
        pytest.skip(f"no RCTab data at {DATA}")
    expected = (DATA / case / f"{case}_expected_cdf_cvr.json").read_text(encoding="utf-8")
    text = _generated(case, read_cvrs(load_config(_config(case))))
    assert first_difference(json.loads(text), json.loads(expected)) is None
    stamp = _DATE.search(expected)
    assert stamp is not None
    text = text.replace('"GeneratedDate" : "-"', f'"GeneratedDate" : "{stamp[1]}"')
    if case in _RETOUCHED:  # the layout only: the structure was compared above
        text, expected = _BLANK.sub("", text), _BLANK.sub("", expected)
    assert text == expected


def test_the_structural_comparison_names_the_first_difference() -> None:
    got = {"CVR": [{"Rank": 1}, {"Rank": 2}], "GeneratedDate": "a"}
    want = {"CVR": [{"Rank": 1}, {"Rank": 3}], "GeneratedDate": "b"}
    assert first_difference(got, want) == "$.CVR[1].Rank: 2, expected 3"
    assert first_difference(got, {"CVR": got["CVR"]}) is None


@pytest.mark.parametrize("case", CONVERSIONS)
def test_rctab_cvr_csv_is_rctabs(case: str) -> None:
    """Line by line (RCTab's test reads lines, so CRLF and LF agree)."""
    config = load_config(_config(case))
    got = rctab_cvr_csv(config, read_sources(config)).splitlines()
    want = (DATA / case / f"{case}_expected.csv").read_text(encoding="utf-8").splitlines()
    for number, (line, expected) in enumerate(zip(got, want, strict=False), start=1):
        assert line == expected, f"line {number}"
    assert len(got) == len(want)


def test_csv_quotes_as_commons_csv_does() -> None:
    config = load_config(_config("conversions_from_ess"))
    ((source, records),) = read_sources(config)
    odd = Cvr(
        source="x",
        id="#1",
        supplied_id="a,b",
        precinct='say "hi"',
        batch="tail ",
        rankings=((1, ("Mookie Blaylock", "overvote")),),
    )
    text = rctab_cvr_csv(config, [(source, [odd])])
    row = text.split("\r\n")[1]
    assert row.startswith('../_shared/simple_ess_cvr.xlsx,ess,,"#1",,"tail ","a,b","say ""hi""",,')
    assert row.endswith('"Mookie Blaylock\novervote",undervote,undervote')
    assert text.endswith("\r\n")
    assert len(records) == 10


def test_snapshots_must_cover_every_record() -> None:
    config = load_config(_config("test_set_1_exhaust_at_overvote"))
    cvrs = read_cvrs(config)
    with pytest.raises(CountingError, match="snapshot histories for"):
        cdf_report(config, cvrs, generated="-", rounds=2, snapshots=())


def test_a_round_without_any_snapshot_is_refused() -> None:
    config = load_config(_config("test_set_1_exhaust_at_overvote"))
    cvrs = read_cvrs(config)[:1]
    with pytest.raises(CountingError, match="no snapshot for round 1"):
        cdf_report(config, cvrs, generated="-", rounds=1, snapshots=({},))


def test_generated_date_is_rctabs_format() -> None:
    east = timezone(timedelta(hours=-7))
    assert generated_date(datetime(2020, 10, 3, 12, 36, 59, 5, tzinfo=east)) == (
        "2020-10-03T12:36:59-07:00"
    )
    assert generated_date(datetime(2020, 10, 3, 12, 36, 59, tzinfo=UTC)) == "2020-10-03T12:36:59Z"
    with pytest.raises(CountingError, match="UTC offset"):
        generated_date(datetime(2020, 10, 3))


# --- the command line ----------------------------------------------------------------------

RUNNER = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, ["count", *args])
    return result.exit_code, result.stdout, result.stderr


def test_out_writes_the_cdf_file_and_never_overwrites_it(tmp_path: Path) -> None:
    config = str(_config("test_set_1_exhaust_at_overvote"))
    code, out, err = invoke("--rctab", config, "--out", str(tmp_path))
    assert code == 0, err
    (written,) = tmp_path.glob("*_cdf_cvr.json")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d_\d\d-\d\d_cdf_cvr\.json", written.name)
    assert f"wrote {written}" in out
    report = json.loads(written.read_text(encoding="utf-8"))
    assert report["@type"] == "CVR.CastVoteRecordReport"
    before = written.read_bytes()
    code, _, err = invoke("--rctab", config, "--out", str(tmp_path))
    assert code == 2
    assert "exists" in err
    assert written.read_bytes() == before
    code, _, err = invoke("--rctab", config, "--out", str(tmp_path), "--force")
    assert code == 0, err


def test_no_cdf_file_unless_the_configuration_asks(tmp_path: Path) -> None:
    code, _, err = invoke("--rctab", str(_config("conversions_from_ess")), "--out", str(tmp_path))
    assert code == 0, err
    assert not list(tmp_path.glob("*_cdf_cvr.json"))


@pytest.mark.parametrize(
    ("flag", "suffix", "case"),
    [
        ("--convert-to-cdf", "_cdf_cvr.json", "conversions_from_ess"),
        ("--convert-to-csv", "_rctab_cvr.csv", "conversions_from_ess"),
    ],
)
def test_conversions_write_only_their_file(
    flag: str, suffix: str, case: str, tmp_path: Path
) -> None:
    code, _, err = invoke("--rctab", str(_config(case)), flag, "--out", str(tmp_path))
    assert code == 0, err
    (written,) = tmp_path.iterdir()
    assert written.name.endswith(suffix)
    expected = DATA / case / f"{case}_expected{'.csv' if suffix.endswith('csv') else suffix}"
    if suffix.endswith(".json"):
        got = json.loads(written.read_text(encoding="utf-8"))
        assert first_difference(got, json.loads(expected.read_text(encoding="utf-8"))) is None
    else:
        assert written.read_text(encoding="utf-8").splitlines() == (
            expected.read_text(encoding="utf-8").splitlines()
        )
    code, _, err = invoke("--rctab", str(_config(case)), flag, "--out", str(tmp_path))
    assert code == 2
    assert "exists" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--convert-to-cdf", "--convert-to-csv", "--out", "x"], "one format at a time"),
        (["--convert-to-cdf", "--json"], "drop --json"),
        (["--convert-to-csv", "--out", "x", "--tiebreak-answers", "A"], "drop --tiebreak"),
        (["--convert-to-cdf"], "give --out DIR"),
    ],
)
def test_conflicting_conversions_are_refused(extra: list[str], message: str) -> None:
    code, _, err = invoke("--rctab", str(_config("conversions_from_ess")), *extra)
    assert code == 2
    assert message in err


def test_conversion_needs_rctab() -> None:
    code, _, err = invoke("--convert-to-csv")
    assert code == 2
    assert "only with --rctab" in err


def test_multi_pass_writes_one_cdf_file_per_pass(tmp_path: Path) -> None:
    """Each pass of multi-pass IRV has its own rounds, so its own file (``<stamp>_<pass>_...``);
    its snapshots follow that pass's count."""
    original = _config("sequential_with_batch")
    data = json.loads(original.read_text(encoding="utf-8"))
    data["outputSettings"]["generateCdfJson"] = True
    for source in data["cvrFileSources"]:
        source["filePath"] = str((original.parent / source["filePath"]).resolve())
    config = tmp_path / "config.json"
    config.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = invoke("--rctab", str(config), "--out", str(out))
    assert code == 0, err
    written = sorted(out.glob("*_cdf_cvr.json"))
    assert [p.name[len("2024-01-02_03-04_") :] for p in written] == [
        "1_cdf_cvr.json",
        "2_cdf_cvr.json",
        "3_cdf_cvr.json",
    ]
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in written]
    details = sorted(out.glob("*_detailed_report.json"))
    passes = [json.loads(p.read_text(encoding="utf-8")) for p in details]
    for report, detail in zip(reports, passes, strict=True):
        snapshots = report["CVR"][0]["CVRSnapshot"]
        assert len(snapshots) == 1 + len(detail["results"])
