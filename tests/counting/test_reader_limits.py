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
from suffrage.counting import apportion, divisors, remainders
from suffrage.counting.ballots import Profile
from suffrage.counting.mmp import bundestag_2013, mmp
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
    assert str(error) == f"c.csv line 3: longer than the limit of {MAX_LINE} bytes"


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
    assert "nested more than 64 levels deep (line 1, column 65)" in str(error)


def test_json_integers_are_refused_by_their_digits_naming_line_and_column() -> None:
    error = refusal(READERS["totals-json"], '{"votes": {\n  "A": ' + "9" * 5000 + "}}")
    assert "(line 2, column 8)" in str(error)
    assert len(str(error)) < 300


def test_a_lone_surrogate_in_vote_totals_is_refused_naming_the_field() -> None:
    error = refusal(READERS["totals-json"], '{"votes": {"A\\ud800": 1}}')
    assert isinstance(error, InvalidBallotData)
    assert error.field == "v.json: votes.A\\ud800"
    assert "lone surrogate" in error.reason


@pytest.mark.parametrize(
    "text",
    [
        '{"votes": {"A": 1}, "' + "k" * 200_000 + '": 2}',
        '{"districts": {"' + "k" * 200_000 + '": {"votes": {}}}}',
        '{"votes": {"' + "k" * 200_000 + '": -1}}',
    ],
)
def test_a_huge_key_is_not_echoed(text: str) -> None:
    error = refusal(READERS["totals-json"], text)
    assert len(str(error)) < 300
    assert "characters)" in str(error)  # cut, with the full length


def test_a_huge_seat_count_is_refused_by_the_method_and_the_file() -> None:
    with pytest.raises(CountingError, match="from 1 to 10000"):
        divisors.dhondt({"A": 10, "B": 5}, 1_000_000_000_000)
    with pytest.raises(InvalidBallotData, match="from 1 to 10000"):
        read_totals_json('{"votes": {"A": 10, "B": 5}, "seats": 1000000000000}')


VOTES = {"A": 600, "B": 300, "C": 100}
SEAT_COUNTS: dict[str, Callable[[], object]] = {
    "dhondt": lambda: divisors.dhondt(VOTES, 10_001),
    "sainte-lague": lambda: divisors.sainte_lague(VOTES, 10_001),
    "modified-sainte-lague": lambda: divisors.modified_sainte_lague(VOTES, 10_001),
    "huntington-hill": lambda: divisors.huntington_hill(VOTES, 10_001),
    "hare": lambda: remainders.hare(VOTES, 10_001),
    "droop": lambda: remainders.droop(VOTES, 10_001),
    "hagenbach-bischoff": lambda: remainders.hagenbach_bischoff(VOTES, 10_001),
    "imperiali": lambda: remainders.imperiali(VOTES, 10_001),
    "quota": lambda: remainders.quota(1000, 10_001, kind="droop"),
    "apportion": lambda: apportion.hare_apportionment(VOTES, 10_001),
    "by-district": lambda: apportion.by_district(
        {"a": VOTES, "b": VOTES}, {"a": 6000, "b": 6000}, divisors.dhondt, method="x"
    ),
    "pooled": lambda: apportion.pooled_remainders({"a": VOTES, "b": VOTES}, {"a": 6000, "b": 6000}),
    "mmp": lambda: mmp(VOTES, {"independent": 10**12 - 5}, 10**12),
    "bundestag": lambda: bundestag_2013({"L": 1}, {"L": VOTES}, {}, seats=10_001),
    "stv-profile": lambda: Profile(
        candidates=tuple(f"c{i}" for i in range(20_001)), ballots=(), seats=10_001
    ),
    "blt": lambda: parse_blt("20001 10001\n0\n" + "".join(f"c{i}\n" for i in range(20_001))),
    "abif": lambda: parse_abif("".join(f"=c{i}\n" for i in range(20_001)), seats=10_001),
}


@pytest.mark.parametrize("method", sorted(SEAT_COUNTS))
def test_more_than_10000_seats_are_refused_by_every_method(method: str) -> None:
    with pytest.raises((CountingError, InvalidBallotData), match="10000"):
        SEAT_COUNTS[method]()


def test_10000_seats_are_allowed() -> None:
    assert sum(divisors.dhondt(VOTES, 10_000).seats.values()) == 10_000


@pytest.mark.parametrize("seats", ["0", "-2", "10001"])
def test_a_seat_count_out_of_range_is_named_as_such(tmp_path: Path, seats: str) -> None:
    totals = tmp_path / "v.csv"
    totals.write_text("name,votes\nA,10\nB,5\n")
    result = CliRunner().invoke(app, ["count", "--method", "dhondt", str(totals), "--seats", seats])
    assert result.exit_code == 2
    assert f"--seats: must be a whole number from 1 to 10000, not {seats}" in result.stderr
    assert "needs --seats" not in result.stderr


@pytest.mark.parametrize("seats", ["0", "-2", "10001"])
def test_a_ranked_count_names_seats_out_of_range(tmp_path: Path, seats: str) -> None:
    blt = tmp_path / "b.blt"
    blt.write_text("2 1\n1 1 2 0\n0\nA\nB\n")
    args = ["count", "--method", "stv-scottish", str(blt), "--seats", seats]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert f"--seats: must be a whole number from 1 to 10000, not {seats}" in result.stderr


def test_a_count_file_that_is_not_utf8_is_refused_naming_it(tmp_path: Path) -> None:
    totals = tmp_path / "v.csv"
    totals.write_bytes(b"name,votes\nA\xff,10\n")
    result = CliRunner().invoke(app, ["count", "--method", "plurality", str(totals)])
    assert result.exit_code == 2
    assert "error: v.csv, line 2: byte 0xff at offset 1 is not utf-8" in result.stderr


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


SAMPLES = {
    "blt": '3 2\n-2\n(b1) 2 1 3=2 0\n1 2 0\n0\nA\n"B b"\nC\n"Title"\n',
    "cvr": "id,rank1,rank2,weight\n1,A,B,2\n2,B,,1\n",
    "abif": '{title: "T"}\n=A:[A a]\n=B:[B]\n3:A>B\n2:B=A\n',
    "debian": "Option 1--->: Yes\nOption 2--->: No\nV: 12 abc\nV: -1 def\n",
    "totals-csv": "district,name,votes\nN,A,10\nN,B,5\n",
    "totals-json": '{"districts": {"N": {"seats": 2, "votes": {"A": 10, "B": 5}}}}',
}
NOISE = st.one_of(
    st.text(alphabet=st.sampled_from(list('AB 0129:=,-[]{}"\n()#.\\u')), max_size=20),
    st.integers(0, 3000).map(lambda n: "[" * n + "{" * n),
    st.integers(0, 6000).map(lambda n: "9" * n),
)


@settings(max_examples=100, deadline=None)
@given(reader=st.sampled_from(sorted(READERS)), cut=st.tuples(st.integers(0, 80), NOISE))
def test_damaged_samples_raise_only_the_projects_errors(reader: str, cut: tuple[int, str]) -> None:
    """Valid files with noise spliced in (deep brackets, long digit runs): near misses."""
    sample = SAMPLES[reader]
    READERS[reader](sample)  # the sample itself is valid
    at = cut[0] % (len(sample) + 1)
    with contextlib.suppress(SuffrageError):
        READERS[reader](sample[:at] + cut[1] + sample[at:])


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
