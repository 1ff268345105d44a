"""Every count-file reader stays within its limits and answers only with the project's
errors (spec/counting.md#limits): no traceback, no hang, no 50 MB error message."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from suffrage.cli.main import app
from suffrage.counting import divisors
from suffrage.counting.readers import parse_abif, parse_blt, parse_cvr, parse_debian_tally
from suffrage.counting.totals import read_totals_csv, read_totals_json
from suffrage.errors import CountingError, InvalidBallotData, SuffrageError
from suffrage.inputs import MAX_LINE

READERS: dict[str, Callable[[str], object]] = {
    "blt": lambda t: parse_blt(t, source="b.blt"),
    "cvr": lambda t: parse_cvr(t, source="c.csv"),
    "abif": lambda t: parse_abif(t, source="a.abif"),
    "debian": lambda t: parse_debian_tally(t, source="t.txt"),
    "totals-csv": lambda t: read_totals_csv(t, source="v.csv"),
    "totals-json": lambda t: read_totals_json(t, source="v.json"),
}


def refusal(read: Callable[[str], object], text: str) -> SuffrageError:
    start = time.perf_counter()
    with pytest.raises(SuffrageError) as caught:
        read(text)
    assert time.perf_counter() - start < 10, "a refusal must not take long"
    return caught.value


def test_a_50_mb_garbage_blt_line_is_not_echoed() -> None:
    text = "2 1\n" + "x" * (50 * 1024 * 1024) + "\n0\nA\nB\n"
    error = refusal(READERS["blt"], text)
    assert len(str(error)) < 300
    assert "b.blt line 2" in str(error)
    assert f"longer than the limit of {MAX_LINE} bytes" in str(error)


def test_a_long_but_allowed_garbage_line_is_quoted_in_80_characters() -> None:
    error = refusal(READERS["blt"], "2 1\n" + "y" * 5000 + " 1 0\n0\nA\nB\n")
    assert len(str(error)) < 300
    assert "(5000 characters)" in str(error)


def test_a_2_mib_cvr_line_is_refused_naming_it() -> None:
    error = refusal(READERS["cvr"], "rank1,rank2\nA,B\n" + "A," * MAX_LINE + "\n")
    assert "c.csv line 3" in str(error)


@pytest.mark.parametrize(
    ("reader", "text"),
    [
        ("blt", "2 1\n" + "7" * 5000 + " 1 0\n0\nA\nB\n"),
        ("abif", "=A:[A]\n" + "9" * 5000 + ":A\n"),
        ("totals-csv", "name,votes\nA," + "9" * 5000 + "\n"),
        ("totals-json", '{"votes": {"A": ' + "9" * 5000 + "}}"),
        ("cvr", "rank1,weight\nA," + "9" * 5000 + "\n"),
    ],
)
def test_a_5000_digit_integer_is_refused(reader: str, text: str) -> None:
    error = refusal(READERS[reader], text)
    assert len(str(error)) < 300


@pytest.mark.parametrize("reader", ["totals-json"])
def test_deeply_nested_json_is_refused_fast(reader: str) -> None:
    error = refusal(READERS[reader], "[" * 100_000 + "]" * 100_000)
    assert "nested more than 64 levels deep" in str(error)


def test_a_huge_seat_count_is_refused_by_the_method_and_the_file() -> None:
    with pytest.raises(CountingError, match="from 1 to 10000"):
        divisors.dhondt({"A": 10, "B": 5}, 1_000_000_000_000)
    with pytest.raises(InvalidBallotData, match="from 1 to 10000"):
        read_totals_json('{"votes": {"A": 10, "B": 5}, "seats": 1000000000000}')


@pytest.mark.parametrize("seats", ["0", "-2", "10001"])
def test_a_seat_count_out_of_range_is_named_as_such(tmp_path: Path, seats: str) -> None:
    totals = tmp_path / "v.csv"
    totals.write_text("name,votes\nA,10\nB,5\n")
    result = CliRunner().invoke(app, ["count", "--method", "dhondt", str(totals), "--seats", seats])
    assert result.exit_code == 2
    assert f"--seats: must be a whole number from 1 to 10000, not {seats}" in result.stderr
    assert "needs --seats" not in result.stderr


@settings(max_examples=60, deadline=None)
@given(reader=st.sampled_from(sorted(READERS)), data=st.binary(max_size=400))
def test_random_bytes_raise_only_the_projects_errors(reader: str, data: bytes) -> None:
    text = data.decode("utf-8", errors="surrogateescape")
    with contextlib.suppress(SuffrageError):
        READERS[reader](text)


@settings(max_examples=60, deadline=None)
@given(
    reader=st.sampled_from(sorted(READERS)),
    text=st.text(alphabet=st.sampled_from(list('AB 0129:=,-[]{}"\n()#.')), max_size=200),
)
def test_random_text_of_the_formats_alphabet_raises_only_the_projects_errors(
    reader: str, text: str
) -> None:
    with contextlib.suppress(SuffrageError):
        READERS[reader](text)


def test_a_fifo_or_device_as_count_file_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "votes.csv"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        args = ["count", "--method", "plurality", "--format", "csv", str(path)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2
        assert "not a regular file" in result.stderr


def test_a_count_file_reached_through_a_link_is_read(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("name,votes\nA,10\nB,5\n")
    (tmp_path / "votes.csv").symlink_to(real)
    result = CliRunner().invoke(
        app, ["count", "--method", "plurality", str(tmp_path / "votes.csv")]
    )
    assert result.exit_code == 0, result.output
