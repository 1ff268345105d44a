"""The results for other programs and for print: NIST SP 1500-100 v2 JSON validated against
NIST's own schema with jsonschema, and the PDF report whose text (read back with pypdfium2)
holds the contest names and figures in English, Arabic and Chinese.

NIST's schema is read from ``SUFFRAGE_SCHEMA_DATA`` if set, else from
``../shared/data/schemas`` beside the repository (as the election data is)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pypdfium2
import pytest

from suffrage.core import SeededRandom
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.reports.nist import results_nist
from suffrage.reports.pdf import results_pdf
from suffrage.reports.results import load_results
from suffrage.reports.results_text import percent
from suffrage.service.election import run_election

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_NAME = "nist-1500-100-v2/NIST_V2_election_results_reporting.json"


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports") / "record"
    run_election(load_sample_manifest(), voters=12, rng=SeededRandom(17), out=out)
    return out


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    folder = Path(os.environ.get("SUFFRAGE_SCHEMA_DATA") or ROOT.parent / "shared/data/schemas")
    path = folder / SCHEMA_NAME
    if not path.is_file():
        pytest.fail(f"NIST's schema is missing: {path} (set SUFFRAGE_SCHEMA_DATA)")
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def _nist(record: Path, language: str) -> dict[str, Any]:
    text = results_nist(
        load_results(record, language=language),
        generated="2025-05-05T09:00:00Z",
        issuer="Municipal electoral commission",
        issuer_abbreviation="MEC",
    )
    data: dict[str, Any] = json.loads(text)
    return data


def _errors(validator: jsonschema.Draft4Validator, document: dict[str, Any]) -> list[str]:
    return [f"{list(e.path)}: {e.message[:200]}" for e in validator.iter_errors(document)]


@pytest.mark.parametrize("language", ["en", "ar", "zh"])
def test_the_nist_report_validates_against_nists_schema(
    record: Path, validator: jsonschema.Draft4Validator, language: str
) -> None:
    document = _nist(record, language)
    assert _errors(validator, document) == []
    (election,) = document["Election"]
    kinds = [c["@type"].split(".")[1] for c in election["Contest"]]
    assert kinds == [
        "CandidateContest",
        "CandidateContest",
        "CandidateContest",
        "BallotMeasureContest",
        "PartyContest",
        "CandidateContest",
        "CandidateContest",
    ]
    unit = document["GpUnit"][0]
    assert (unit["VotersRegistered"], unit["VotersParticipated"]) == (12, 12)


def test_the_nist_report_carries_seats_winners_and_blanks(
    record: Path, validator: jsonschema.Draft4Validator
) -> None:
    document = _nist(record, "en")
    (election,) = document["Election"]
    contests = {c["@id"]: c for c in election["Contest"]}
    council = contests["contest-city-council"]
    seats = [
        count["Count"]
        for selection in council["ContestSelection"]
        for count in selection["VoteCounts"]
        if count["Type"] == "seats"
    ]
    assert sum(seats) == 7
    winners = [c for c in election["Candidate"] if c["PostElectionStatus"] == "winner"]
    assert len(winners) == 1 + 2 + 2 + 1 + 3  # mayor, school board, budget, IRV, STV
    stv = contests["contest-north-district-council"]
    assert (stv["VoteVariation"], stv["VotesAllowed"], stv["NumberElected"]) == ("rcv", 6, 3)
    rounds = {c.get("Round") for s in stv["ContestSelection"] for c in s["VoteCounts"]}
    assert {None, 1, 2} <= rounds  # first preferences, then a count per stage
    mayor = contests["contest-mayor"]
    assert mayor["OtherCounts"][0]["Undervotes"] >= 0
    broken = json.loads(json.dumps(document))
    broken["Election"][0]["Contest"][0].pop("ElectionDistrictId")
    assert _errors(validator, broken) != [], "the schema check must be able to fail"


def _pdf_text(record: Path, language: str) -> str:
    document = pypdfium2.PdfDocument(results_pdf(load_results(record, language=language)))
    return "".join(page.get_textpage().get_text_range() for page in document)


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", ["Mayor", "Amina Haddad", "City council", "Threshold"]),
        ("ar", ["رئيس البلدية", "أمينة حداد", "المجلس البلدي"]),
        ("zh", ["市长", "阿米娜", "市议会", "门槛"]),
    ],
)
def test_the_pdf_holds_names_and_figures_in_every_script(
    record: Path, language: str, names: list[str]
) -> None:
    text = _pdf_text(record, language)
    for name in names:
        assert name in text, name
    results = load_results(record, language=language)
    for contest in results.contests:
        for option in contest.options:
            assert percent(option.share) in text
    assert results.base_hash[:40] in "".join(text.split())
