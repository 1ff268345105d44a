"""Random damage to a record's files always yields a failing report, never an exception.

Hypothesis flips bytes, truncates, changes line endings, deletes or repeats lines and
replaces JSON values by values of other types in every file of a small record.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suffrage.core import SeededRandom
from suffrage.record.files import RECORD_FILES
from suffrage.verify.record import verify_record

from .conftest import Election

FILES = tuple(name for name in RECORD_FILES if name != "events.jsonl")
"""The files of the in-memory election's record (it has no event log; V20 is fuzzed on a
record made by the command line, in tests/cli/test_cli_events.py)."""

ODD_VALUES: list[Any] = [
    True,
    False,
    None,
    [],
    {},
    "",
    "x" * 300,
    -1,
    0,
    2**63,
    10**30,
    [[[[[]]]]],
    {"a": {"b": [1, "2", None]}},
]


def flip_byte(data: bytes, where: int, value: int) -> bytes:
    if not data:
        return bytes([value])
    at = where % len(data)
    return data[:at] + bytes([data[at] ^ (value or 1)]) + data[at + 1 :]


def truncate(data: bytes, where: int, _: int) -> bytes:
    return data[: where % (len(data) + 1)]


def crlf(data: bytes, _: int, __: int) -> bytes:
    return data.replace(b"\n", b"\r\n")


def strip_newline(data: bytes, _: int, __: int) -> bytes:
    return data.rstrip(b"\n")


def delete_line(data: bytes, where: int, _: int) -> bytes:
    lines = data.splitlines(keepends=True)
    if lines:
        del lines[where % len(lines)]
    return b"".join(lines)


def repeat_line(data: bytes, where: int, _: int) -> bytes:
    lines = data.splitlines(keepends=True)
    if lines:
        at = where % len(lines)
        lines.insert(at, lines[at])
    return b"".join(lines)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):
            found += _places(item, (*path, index))
    return found


def retype(data: bytes, where: int, value: int) -> bytes:
    """Replace one JSON value (of one line) by a value of another type."""
    lines = data.splitlines()
    if not lines:
        return data
    at = where % len(lines)
    try:
        document = json.loads(lines[at])
    except ValueError:
        return data
    places = _places(document)
    path = places[(where // len(lines)) % len(places)]
    odd = ODD_VALUES[value % len(ODD_VALUES)]
    if not path:
        document = odd
    else:
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = odd
    lines[at] = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    return b"".join(line + b"\n" for line in lines)


DAMAGE: list[Callable[[bytes, int, int], bytes]] = [
    flip_byte,
    truncate,
    crlf,
    strip_newline,
    delete_line,
    repeat_line,
    retype,
    retype,
]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(
        st.tuples(
            st.sampled_from(FILES),
            st.sampled_from(DAMAGE),
            st.integers(min_value=0, max_value=10**9),
            st.integers(min_value=0, max_value=255),
        ),
        min_size=1,
        max_size=3,
    ),
    batch=st.booleans(),
)
def test_random_damage_always_yields_a_failing_report(
    election: Election,
    changes: list[tuple[str, Callable[[bytes, int, int], bytes], int, int]],
    batch: bool,
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        record = Path(scratch) / "record"
        shutil.copytree(election.record, record)
        original = {name: (record / name).read_bytes() for name in FILES}
        for name, damage, where, value in changes:
            path = record / name
            path.write_bytes(damage(path.read_bytes(), where, value))
        if all((record / name).read_bytes() == original[name] for name in FILES):
            return  # the damage happened to change nothing
        report = verify_record(record, rng=SeededRandom(2), batch=batch)
        assert not report.passed, [c.__name__ for _, c, _, _ in changes]
        assert json.loads(json.dumps(report.to_json())) == report.to_json()
