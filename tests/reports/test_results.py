"""``suffrage results``: the model read from a real record, the terminal table at 60, 80 and
200 columns in English, Arabic and Chinese, CSV and JSON read back, the refusals, and the
command line (``results`` and ``election publish`` show names, not option ids)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from suffrage.cli.main import app
from suffrage.core import SeededRandom
from suffrage.errors import InvalidInput
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.protocol.results import seed_of
from suffrage.reports.results import ElectionResults, load_results
from suffrage.reports.results_text import (
    decimal,
    percent,
    results_csv,
    results_json,
    results_table,
)
from suffrage.reports.text import display_width
from suffrage.service.election import run_election

VOTERS = 12
SEED = 26


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The record of one small election of the sample manifest (all five homomorphic
    contests: plurality, vote for two, approval, referendum, party list with lots; and the
    two ranked ones). The seed is one whose draws give every list a quotient and a lot."""
    out = tmp_path_factory.mktemp("results") / "record"
    run_election(load_sample_manifest(), voters=VOTERS, rng=SeededRandom(SEED), out=out)
    return out


@pytest.fixture(scope="module")
def english(record: Path) -> ElectionResults:
    return load_results(record)


def _published(record: Path) -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads((record / "results.json").read_text())
    return data["results"]


def test_the_model_holds_the_records_figures_by_name(
    record: Path, english: ElectionResults
) -> None:
    published = _published(record)
    assert english.election_id == "sample-municipal-2025"
    assert english.language == "en"
    assert (english.eligible, english.counted) == (VOTERS, VOTERS)
    assert english.turnout == Fraction(english.counted, english.eligible)
    assert english.entries > english.counted  # a spoiled ballot and a re-vote
    assert [c.contest_id for c in english.contests] == [
        c.contest_id for c in load_sample_manifest().contests if c.contest_id in published
    ]
    for contest in english.contests:
        counts = published[contest.contest_id]["counts"]
        assert isinstance(counts, dict)
        assert {o.option_id: o.votes for o in contest.options} == counts
        assert contest.ballots == published[contest.contest_id]["ballots"]
        assert contest.valid_votes == sum(counts.values())
    mayor = english.contests[0]
    assert mayor.options[0].name == "Amina Haddad"
    assert mayor.options[0].party == "Green Alliance"
    assert mayor.blank == mayor.ballots - mayor.valid_votes
    assert mayor.blank_kind == "ballots"
    shares = [o.share for o in mayor.options]
    assert sum(s for s in shares if s is not None) == 1


def test_blank_rules_and_lots_follow_each_kind(record: Path, english: ElectionResults) -> None:
    by_id = {c.contest_id: c for c in english.contests}
    board = by_id["school-board-north"]
    assert (board.blank_kind, board.blank) == ("marks", 2 * board.ballots - board.valid_votes)
    budget = by_id["participatory-budget"]
    assert (budget.blank_kind, budget.blank, budget.share_base) == (None, None, "ballots")
    charter = by_id["charter-assembly"]
    assert charter.blank == charter.ballots - charter.valid_votes
    majority, quorum = charter.rules
    assert (majority.kind, majority.share, majority.strict) == ("majority", Fraction(2, 3), False)
    assert majority.figure == Fraction(2, 3) * charter.valid_votes
    assert (quorum.kind, quorum.figure) == ("quorum", Fraction(1, 4) * VOTERS)
    council = by_id["city-council"]
    (threshold,) = council.rules
    assert threshold.figure == Fraction(1, 20) * council.valid_votes
    assert sum(o.seats for o in council.options) == 7
    base_hash = bytes.fromhex(english.base_hash)
    assert council.lots, "the seed gives ties broken by lot"
    for lot in council.lots:
        assert lot.seed == seed_of(base_hash, "city-council")
        assert lot.chosen in lot.between
        assert set(lot.between) <= {o.name for o in council.options}


def test_names_come_in_the_language_asked(record: Path) -> None:
    arabic = load_results(record, language="ar")
    chinese = load_results(record, language="zh")
    assert arabic.contests[0].options[0].name == "أمينة حداد"
    assert chinese.contests[0].title == "市长"


def test_decimals_are_exact_and_grouped() -> None:
    assert decimal(Fraction(2469, 2)) == "1,234.50"
    assert decimal(1234567) == "1,234,567"
    assert decimal(Fraction(2, 3)) == "0.67"
    assert percent(Fraction(1, 2)) == "50.00"
    assert percent(Fraction(1, 3)) == "33.33"
    assert percent(None) == "—"


@pytest.mark.parametrize("language", ["en", "ar", "zh"])
@pytest.mark.parametrize("width", [60, 80, 200])
def test_the_table_fits_the_width_and_keeps_every_figure(
    record: Path, language: str, width: int
) -> None:
    results = load_results(record, language=language)
    text = results_table(results, width=width)
    too_wide = [line for line in text.splitlines() if display_width(line) > width]
    assert too_wide == []
    for contest in results.contests:
        assert contest.title.split()[0][:8] in text
        for option in contest.options:
            for word in option.name.split():
                assert word in text, (contest.contest_id, option.name)
            row = re.compile(rf"\b{option.votes}\b\s+{re.escape(percent(option.share))}\b")
            assert row.search(text) or width < 80, (contest.contest_id, option.name)
            assert percent(option.share) in text
    hash_text = "".join(text.split())
    assert results.base_hash in hash_text


def test_the_english_table_says_what_an_official_must_publish(english: ElectionResults) -> None:
    text = results_table(english, width=200)
    for wanted in (
        f"Turnout: {VOTERS} of {VOTERS} (100.00%)",
        "Invalid ballots: 0",
        "Blank ballots (no mark): ",
        "Unused marks (2 per ballot × ballots − votes): ",
        "Threshold: 5.00% of the valid votes = ",
        "Required majority: at least 2/3 of the yes and no votes (66.67%)",
        "Turnout quorum: at least 1/4 of the electorate (25.00%) = 3 ballots",
        "Seat 1: lot among ",
        "Turnout by group",
        "suffrage verify RECORD",
    ):
        assert wanted in text, wanted
    assert "amina-haddad" not in text


def test_csv_reads_back_with_every_option_and_every_stage(english: ElectionResults) -> None:
    rows = list(csv.DictReader(io.StringIO(results_csv(english))))
    final = [r for r in rows if r["stage"] == "final"]
    assert len(final) == sum(len(c.options) for c in english.contests)
    for contest in english.contests:
        mine = {r["option_id"]: r for r in final if r["contest_id"] == contest.contest_id}
        for option in contest.options:
            row = mine[option.option_id]
            assert row["option"] == option.name
            assert int(row["votes"]) == option.votes
            assert (row["elected"] == "yes") == option.elected
    council = [r for r in rows if r["contest_id"] == "city-council"]
    seats = {r["option_id"]: int(r["seats"]) for r in council if r["stage"] == "final"}
    assert sum(seats.values()) == 7
    quotients = [r for r in council if r["stage_kind"] == "quotient table"]
    assert len(quotients) == 5, "the D'Hondt quotient table is in the CSV"


def test_json_carries_exact_fractions_beside_decimals(english: ElectionResults) -> None:
    data = json.loads(results_json(english))
    assert data["turnout"] == {"exact": "1/1", "decimal": "1.000000"}
    council = next(c for c in data["contests"] if c["contest_id"] == "city-council")
    assert council["rules"][0]["share"] == {"exact": "1/20", "decimal": "0.050000"}
    assert council["lots"][0]["seed"].isdigit()
    assert sum(o["seats"] for o in council["options"]) == 7


def test_a_directory_that_is_not_a_record_is_refused_by_what_it_lacks(
    record: Path, tmp_path: Path
) -> None:
    with pytest.raises(InvalidInput, match="is not a directory"):
        load_results(record / "manifest.json")
    with pytest.raises(InvalidInput, match=r"not an election record: it has no manifest\.json"):
        load_results(tmp_path)
    copy = tmp_path / "record"
    shutil.copytree(record, copy)
    (copy / "results.json").unlink()
    with pytest.raises(InvalidInput, match=r"has no results\.json: the election is not counted"):
        load_results(copy)
    (tmp_path / "board.db").write_bytes(b"")
    with pytest.raises(InvalidInput, match="is an election directory, not its record"):
        load_results(tmp_path)
    with pytest.raises(InvalidInput, match="'de' is not a language of this election"):
        load_results(record, language="de")


def test_a_damaged_record_is_refused_naming_the_file(record: Path, tmp_path: Path) -> None:
    copy = tmp_path / "record"
    shutil.copytree(record, copy)
    (copy / "tally.json").write_text("{}")
    with pytest.raises(InvalidInput, match=r"tally\.json"):
        load_results(copy)


def test_the_command_prints_names_and_writes_every_format(record: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["results", str(record), "--width", "60"])
    assert shown.exit_code == 0, shown.output
    assert "Amina Haddad" in shown.output
    assert max(display_width(line) for line in shown.output.splitlines()) <= 60
    for fmt in ("csv", "json", "html", "nist"):
        out = tmp_path / f"results.{fmt}"
        done = runner.invoke(app, ["results", str(record), "--format", fmt, "--out", str(out)])
        assert done.exit_code == 0, done.output
        assert out.stat().st_size > 0
    again = runner.invoke(app, ["results", str(record), "--format", "csv", "--out", str(out)])
    assert again.exit_code == 2
    assert "--force" in again.output
    arabic = runner.invoke(app, ["results", str(record), "--language", "ar"])
    assert "أمينة حداد" in arabic.output


def test_the_command_refuses_a_directory_that_is_not_counted(tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["results", str(tmp_path)])
    assert done.exit_code == 2
    assert "not an election record" in done.output
