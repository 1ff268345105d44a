"""The event log of an election run from the command line, and check V20 on its record.

Every administrative step is an event of a hash-chained log (spec/protocol.md#18); the base
hash binds the log's head when voting opened; the verifier replays the log with the
record. Each tampering below is one an authority could try after the fact: each fails V20
and names what is wrong.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suffrage.core.randomness import SeededRandom
from suffrage.protocol.event_log import event_hash, log_start
from suffrage.verify.record import verify_record

from .test_cli_election import Run, run

__all__ = ["run"]

KINDS = [
    "drafted", "ceremony-started", "guardian-file", "guardian-file", "guardian-file",
    "ceremony-completed", "credentials-published", "opened", "closed", "tallied", "published",
]  # fmt: skip

Events = list[dict[str, Any]]


def events_of(record: Path) -> Events:
    return [json.loads(line) for line in (record / "events.jsonl").read_text().splitlines()]


def write_events(record: Path, events: Events, *, rechain: bool) -> None:
    """Write ``events`` back; ``rechain`` renumbers them and recomputes every hash, as an
    authority rewriting its log would."""
    if rechain:
        election_id = events[0]["body"]["manifest"]["election_id"]
        previous = log_start(election_id)
        for number, event in enumerate(events, start=1):
            event["sequence"], event["previous"] = number, previous.hex()
            previous = event_hash(
                previous=previous, sequence=number, kind=event["kind"], at=event["at"],
                actor=event["actor"], body=event["body"],
            )  # fmt: skip
            event["hash"] = previous.hex()
    (record / "events.jsonl").write_bytes(b"".join(rfc8785.dumps(e) + b"\n" for e in events))


def v20(record: Path) -> list[str]:
    report = verify_record(record, rng=SeededRandom(3))
    return report.checks["V20"].messages


def tampered(run: Run, tmp_path: Path, change: Callable[[Path], None]) -> list[str]:
    copy = tmp_path / "record"
    shutil.copytree(run.record, copy)
    change(copy)
    return v20(copy)


def test_every_step_is_logged_and_the_base_hash_binds_the_log(run: Run) -> None:
    events = events_of(run.record)
    assert [e["kind"] for e in events] == KINDS
    assert [e["actor"] for e in events][:3] == ["admin", "admin", "admin"]
    assert events[6]["actor"] == "authority"
    election = json.loads((run.record / "election.json").read_text())
    opened = events[7]
    assert election["log_head"] == opened["previous"] == events[6]["hash"]
    assert opened["body"] == {"base_hash": election["base_hash"]}
    tally = json.loads((run.record / "tally.json").read_text())["tally"]
    assert events[8]["at"] == tally["closed_at"]
    assert events[8]["body"]["board_head"] == tally["board_head"]
    report = verify_record(run.record, rng=SeededRandom(3))
    assert report.passed
    assert report.checks["V20"].checked == len(KINDS)


def test_a_changed_event_breaks_its_hash(run: Run, tmp_path: Path) -> None:
    def change(record: Path) -> None:
        events = events_of(record)
        events[8]["body"]["entries"] += 1
        write_events(record, events, rechain=False)

    assert tampered(run, tmp_path, change) == [
        "events.jsonl line 9: its hash is not the hash of the event"
    ]


def test_a_rewritten_close_is_caught_against_the_tally(run: Run, tmp_path: Path) -> None:
    def change(record: Path) -> None:
        events = events_of(record)
        events[8]["at"] = "2020-01-01T00:00:00Z"
        write_events(record, events, rechain=True)

    assert tampered(run, tmp_path, change) == ["the log's closing time is not the record's"]


def test_a_deleted_event_breaks_the_chain(run: Run, tmp_path: Path) -> None:
    def change(record: Path) -> None:
        events = events_of(record)
        del events[3]
        write_events(record, events, rechain=False)

    (failure,) = tampered(run, tmp_path, change)
    assert failure.startswith("events.jsonl line 4")
    assert "is numbered 5, not 4" in failure


def test_steps_out_of_order_are_refused_even_when_rechained(run: Run, tmp_path: Path) -> None:
    def change(record: Path) -> None:
        events = events_of(record)
        events[8], events[9] = events[9], events[8]
        write_events(record, events, rechain=True)

    (failure,) = tampered(run, tmp_path, change)
    assert "line 9" in failure
    assert "computing the tally is not a step of an election in state 'open'" in failure


def test_a_log_rewritten_from_the_start_does_not_match_the_base_hash(
    run: Run, tmp_path: Path
) -> None:
    def change(record: Path) -> None:
        events = events_of(record)
        events[0]["at"] = "2020-01-01T00:00:00Z"  # a different history, chained anew
        write_events(record, events, rechain=True)

    assert tampered(run, tmp_path, change) == [
        "the log's head when voting opened (the base hash's log_head) is not the record's"
    ]


def test_a_missing_log_or_results_the_log_never_published_fail(run: Run, tmp_path: Path) -> None:
    assert tampered(run, tmp_path / "a", lambda r: (r / "events.jsonl").unlink()) == [
        "events.jsonl is missing: the base hash binds an event log"
    ]

    def unpublished(record: Path) -> None:
        write_events(record, events_of(record)[:-1], rechain=False)

    assert tampered(run, tmp_path / "b", unpublished) == [
        "the record has results but the log never published them"
    ]


@pytest.fixture(scope="module")
def pristine(run: Run, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run.record


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    line=st.integers(min_value=0, max_value=10),
    position=st.integers(min_value=0, max_value=10**6),
    byte=st.integers(min_value=0, max_value=255),
)
def test_any_damage_to_the_log_fails_v20_and_never_raises(
    pristine: Path, tmp_path: Path, line: int, position: int, byte: int
) -> None:
    copy = tmp_path / f"fuzz-{line}-{position}-{byte}"
    shutil.copytree(pristine, copy)
    lines = (copy / "events.jsonl").read_bytes().splitlines(keepends=True)
    target = bytearray(lines[line % len(lines)])
    at = position % len(target)
    if target[at] == byte:
        return
    target[at] = byte
    lines[line % len(lines)] = bytes(target)
    (copy / "events.jsonl").write_bytes(b"".join(lines))
    assert v20(copy), "damaged log passed V20"
