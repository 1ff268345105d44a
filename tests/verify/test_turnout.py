"""Check V21: turnout by group (spec/protocol.md#v21), and the record's turnout.json.

The small election of conftest.py writes turnout.json by its simulated voters' groups. Each
test below replaces it with a document that breaks one rule, written as canonical JSON so
that it still decodes: V21 (or, for a document that does not decode, V1) must fail, naming
what is wrong, and every other check must still pass.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from suffrage.core import SeededRandom
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.record.canonical import canonical_bytes
from suffrage.record.files import RECORD_FILES, TURNOUT_FILE, read_record
from suffrage.service.election import run_election
from suffrage.verify.record import verify_record
from suffrage.verify.report import VerificationReport
from suffrage.verify.turnout import NO_TURNOUT

from .conftest import Election

VOTERS = 16
"""The election of this module: 16 voters, about a third of whom abstain (so that
published voted figures are possible: each needs voters who did not vote)."""


@pytest.fixture(scope="module")
def election(tmp_path_factory: pytest.TempPathFactory) -> Election:
    out = tmp_path_factory.mktemp("turnout") / "record"
    run = run_election(
        load_sample_manifest(), voters=VOTERS, rng=SeededRandom(4), out=out, abstention=35
    )
    assert 6 <= run.tally.counted <= 12, "the tampers need some voters and some abstainers"
    return Election(run=run, record=out)


# ``record`` (tests/verify/conftest.py) copies this module's ``election`` for each test.


def _schema() -> Draft202012Validator:
    text = (resources.files("suffrage.record") / "schema" / "turnout.schema.json").read_text()
    return Draft202012Validator(json.loads(text))


def _verify(record: Path) -> VerificationReport:
    return verify_record(record, rng=SeededRandom(5))


def _consistent(election: Election) -> dict[str, Any]:
    """A turnout.json the record agrees with (threshold 2, so figures can be published):
    8 women and 8 men, each with 2 voters or more and 2 abstainers or more; the
    assistance column hidden whole."""
    counted = election.run.tally.counted
    women = max(2, counted - 6)
    return {
        "format": "suffrage/turnout/1",
        "threshold": 2,
        "eligible": VOTERS,
        "voted": counted,
        "groups": {
            "sex": [
                {"value": "female", "eligible": 8, "voted": women},
                {"value": "male", "eligible": 8, "voted": counted - women},
            ],
            "assistance": [
                {"value": "no", "eligible": None, "voted": None},
                {"value": "yes", "eligible": None, "voted": None},
            ],
        },
    }


def _write(record: Path, document: Any) -> None:
    (record / TURNOUT_FILE).write_bytes(canonical_bytes(document) + b"\n")


def _failures(report: VerificationReport, number: str) -> str:
    """The failures of check ``number``, which must be the only one to fail (when it is V1,
    turnout.json did not decode, and V21 is not checked)."""
    if number == "V1":
        assert report.checks["V21"].state == "not checked"
        assert report.checks["V21"].not_checked_because == "turnout.json could not be read (V1)"
    assert report.failed_checks() == [number], [
        (n, report.checks[n].messages) for n in report.failed_checks()
    ]
    if number == "V21":
        assert {f.where for f in report.failures("V21")} == {TURNOUT_FILE}
    return "\n".join(report.checks[number].messages)


def test_the_written_turnout_validates_and_verifies(election: Election) -> None:
    document = json.loads((election.record / TURNOUT_FILE).read_bytes())
    assert list(_schema().iter_errors(document)) == []
    assert document["eligible"] == VOTERS
    assert document["voted"] == election.run.tally.counted
    assert set(document["groups"]) == {"sex", "age_band", "first_time", "assistance"}
    raw = read_record(election.record)
    assert raw.problems == []
    assert raw.turnout == election.run.turnout
    report = _verify(election.record)
    assert report.passed, report.failed_checks()
    assert report.checks["V21"].checked > 1
    assert NO_TURNOUT not in report.notes


def test_a_consistent_turnout_with_published_figures_passes(
    record: Path, election: Election
) -> None:
    document = _consistent(election)
    assert list(_schema().iter_errors(document)) == []
    _write(record, document)
    report = _verify(record)
    assert report.passed, [(n, report.checks[n].messages) for n in report.failed_checks()]


def test_without_turnout_v21_passes_with_a_note(record: Path) -> None:
    (record / TURNOUT_FILE).unlink()
    report = _verify(record)
    assert report.passed
    assert report.checks["V21"].checked == 0
    assert NO_TURNOUT in report.notes


def _set(
    document: dict[str, Any],
    column: str,
    index: int,
    also: dict[str, Any] | None = None,
    **figures: Any,
) -> dict[str, Any]:
    """Change one cell of ``document`` (and append the cell ``also`` to its column)."""
    document["groups"][column][index].update(figures)
    if also is not None:
        document["groups"][column].append(also)
    return document


TAMPERS: list[tuple[str, Any, str]] = [
    # (what breaks, change(document, counted, women who voted), what V21 must say)
    ("eligible", lambda d, c, w: d.update(eligible=17), "the record lists 16 credentials"),
    ("voted", lambda d, c, w: d.update(voted=c + 1), "voted is {c1}, but {c} ballots were counted"),
    (
        "voted over eligible",
        lambda d, c, w: _set(d, "sex", 1, voted=9),
        "9 voted out of 8 eligible",
    ),
    (
        "column sums too much",
        lambda d, c, w: _set(d, "assistance", 0, eligible=20),
        "its eligible figures add up to 20 with 1 hidden, the overall eligible is 16",
    ),
    (
        "hidden cells hold too few voters",
        lambda d, c, w: _set(
            d, "assistance", 0, eligible=15, also={"value": "z", "eligible": None, "voted": None}
        ),
        "2 hidden eligible figures share 1 voters",
    ),
    (
        "sum differs",
        lambda d, c, w: _set(d, "sex", 0, eligible=9),
        "its eligible figures add up to 17, the overall eligible is 16",
    ),
    ("small voted", lambda d, c, w: d.update(threshold=w + 1), "value 'female': voted {w}"),
    (
        "small non-voters",
        lambda d, c, w: _set(_set(d, "sex", 0, eligible=w + 1), "sex", 1, eligible=15 - w),
        "value 'female': eligible - voted 1 below the threshold 2 is published",
    ),
    (
        "one hidden voted",
        lambda d, c, w: _set(d, "sex", 0, voted=None),
        "exactly one voted figure is hidden",
    ),
    (
        "voted of a hidden cell",
        lambda d, c, w: _set(d, "assistance", 0, voted=3),
        "value 'no': voted is published but eligible is hidden",
    ),
]


@pytest.mark.parametrize(("name", "change", "expected"), TAMPERS, ids=[t[0] for t in TAMPERS])
def test_each_broken_rule_fails_v21(
    record: Path, election: Election, name: str, change: Any, expected: str
) -> None:
    document = _consistent(election)
    counted, women = document["voted"], document["groups"]["sex"][0]["voted"]
    change(document, counted, women)
    _write(record, document)
    failures = _failures(_verify(record), "V21")
    assert expected.format(c=counted, c1=counted + 1, w=women) in failures, failures
    assert all(line.startswith("turnout.json: ") for line in failures.splitlines())


UNDECODABLE: list[tuple[str, Any, str]] = [
    ("format", lambda d: d.update(format="suffrage/turnout/0"), "turnout.json.format"),
    ("threshold 0", lambda d: d.update(threshold=0), "turnout.json.threshold"),
    ("unknown key", lambda d: d.update(region="x"), "unknown region"),
    ("unsorted values", lambda d: d["groups"]["sex"].reverse(), "sorted by distinct value"),
    ("empty value", lambda d: _set(d, "sex", 0, value=""), "is empty"),
    ("a count as text", lambda d: _set(d, "sex", 0, eligible="7"), "expected an integer"),
    ("empty column", lambda d: d["groups"].update(region=[]), "one or more cells"),
]


@pytest.mark.parametrize(
    ("name", "change", "expected"), UNDECODABLE, ids=[t[0] for t in UNDECODABLE]
)
def test_a_turnout_that_does_not_decode_fails_v1(
    record: Path, election: Election, name: str, change: Any, expected: str
) -> None:
    document = _consistent(election)
    change(document)
    assert list(_schema().iter_errors(document)) or name == "unsorted values"
    _write(record, document)
    failures = _failures(_verify(record), "V1")
    assert "turnout.json" in failures
    assert expected in failures, failures


def test_a_pretty_printed_turnout_is_not_canonical(record: Path, election: Election) -> None:
    (record / TURNOUT_FILE).write_text(json.dumps(_consistent(election)) + "\n")
    assert "turnout.json" in _failures(_verify(record), "V1")


def test_a_linked_turnout_is_refused(record: Path, election: Election, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(canonical_bytes(_consistent(election)) + b"\n")
    (record / TURNOUT_FILE).unlink()
    (record / TURNOUT_FILE).symlink_to(elsewhere)
    assert "turnout.json" in _failures(_verify(record), "V1")


def test_group_data_stays_out_of_every_other_record_file(election: Election) -> None:
    """The groups are the authority's: no other file of the record names them."""
    for name in RECORD_FILES:
        path = election.record / name
        if path.exists():
            data = path.read_bytes()
            for word in (b"age_band", b"first_time", b"assistance", b"18-24", b"female"):
                assert word not in data, (name, word)
