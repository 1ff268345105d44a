"""The wire format of a board entry is defined once (suffrage.record.entry_format): the full
decoder and the fast reader take their names and limits from it, and the JSON Schema states
the same ones, so the three cannot drift apart."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from suffrage.core.randomness import SeededRandom
from suffrage.errors import InvalidEncoding
from suffrage.protocol.board import EntryState
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.record import entry_format as wire
from suffrage.record.codec import entry_from_json, entry_to_json
from suffrage.record.flat import raw_entry
from suffrage.service.election import homomorphic_only, run_election

SCHEMA = json.loads(
    (resources.files("suffrage.record") / "schema" / "entry.schema.json").read_text()
)
DEFS = SCHEMA["$defs"]


def _fields(node: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The required and the optional keys of an object schema."""
    required = set(node["required"])
    return required, set(node["properties"]) - required


@pytest.mark.parametrize(
    ("node", "fields", "optional"),
    [
        (SCHEMA, wire.ENTRY_FIELDS, wire.ENTRY_OPTIONAL),
        (DEFS["ballot"], wire.BALLOT_FIELDS, ()),
        (DEFS["contest"], wire.CONTEST_FIELDS, ()),
        (DEFS["ranked_contest"], wire.RANKED_CONTEST_FIELDS, ()),
        (DEFS["rank"], wire.RANK_FIELDS, ()),
        (DEFS["selection"], wire.SELECTION_FIELDS, ()),
        (DEFS["ciphertext"], wire.CIPHERTEXT_FIELDS, ()),
        (DEFS["range_proof"], wire.RANGE_FIELDS, ()),
        (DEFS["schnorr"], wire.SCHNORR_FIELDS, ()),
    ],
)
def test_the_schema_names_the_same_fields(
    node: dict[str, Any], fields: tuple[str, ...], optional: tuple[str, ...]
) -> None:
    assert _fields(node) == (set(fields), set(optional))
    assert node["additionalProperties"] is False


def test_the_schema_states_the_same_limits() -> None:
    for name in wire.RANGE_FIELDS:
        lists = DEFS["range_proof"]["properties"][name]
        assert (lists["minItems"], lists["maxItems"]) == (1, wire.MAX_BRANCHES)
    longest = re.fullmatch(r"\^\[a-z0-9\]\[a-z0-9_-\]\{0,(\d+)\}\$", DEFS["id"]["pattern"])
    assert longest is not None
    assert int(longest[1]) + 1 == wire.MAX_ID
    sequence = SCHEMA["properties"]["sequence"]
    assert sequence["maximum"] == wire.MAX_SEQUENCE
    # Stricter than the reader by one, as spec/record-format.md says: check V11 refuses 0.
    assert sequence["minimum"] == wire.MIN_SEQUENCE + 1
    assert tuple(SCHEMA["properties"]["state"]["enum"]) == wire.STATES
    assert DEFS["hash"]["pattern"] == f"^[0-9a-f]{{{2 * wire.TRACKING_CODE_BYTES}}}$"
    ballot_id = DEFS["ballot"]["properties"]["ballot_id"]["pattern"]
    assert ballot_id == f"^[0-9a-f]{{{2 * wire.BALLOT_ID_BYTES}}}$"


# --- the two readers hold the same limits -----------------------------------------------


@pytest.fixture(scope="module")
def cast() -> dict[str, Any]:
    # Without the ranked contests: the fast reader takes the entries of homomorphic
    # contests only (a ranked one sends the line to the full decoder).
    manifest = homomorphic_only(load_sample_manifest())
    run = run_election(manifest, voters=2, rng=SeededRandom(3), out=None)
    entry = next(e for e in run.entries if e.state is EntryState.CAST)
    return entry_to_json(entry)


def _both(value: dict[str, Any]) -> tuple[bool, bool]:
    """Whether the full decoder and the fast reader accept ``value``."""
    try:
        entry_from_json(value, "entry")
        full = True
    except InvalidEncoding:
        full = False
    # The sorted, compact encoding (canonical for this ASCII text, out-of-range ints included).
    line = json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
    return full, raw_entry(line) is not None


def _changed(value: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    copied = copy.deepcopy(value)
    change(copied)
    return copied


def _set_id(length: int) -> Callable[[dict[str, Any]], None]:
    def change(entry: dict[str, Any]) -> None:
        entry["ballot"]["contests"][0]["contest_id"] = "c" * length

    return change


def _branches(count: int) -> Callable[[dict[str, Any]], None]:
    def change(entry: dict[str, Any]) -> None:
        proof = entry["ballot"]["contests"][0]["limit_proof"]
        for name in wire.RANGE_FIELDS:
            proof[name] = (proof[name] * count)[:count]

    return change


def test_both_readers_take_the_limits_themselves(cast: dict[str, Any]) -> None:
    assert _both(cast) == (True, True)
    # At the limit both read it (the proof check refuses it later); beyond, both refuse it.
    assert _both(_changed(cast, _set_id(wire.MAX_ID))) == (True, True)
    assert _both(_changed(cast, _set_id(wire.MAX_ID + 1))) == (False, False)
    assert _both(_changed(cast, _branches(wire.MAX_BRANCHES))) == (True, True)
    assert _both(_changed(cast, _branches(wire.MAX_BRANCHES + 1))) == (False, False)
    for sequence, accepted in (
        (wire.MIN_SEQUENCE - 1, False),
        (wire.MIN_SEQUENCE, True),
        (wire.MAX_SEQUENCE, True),
        (wire.MAX_SEQUENCE + 1, False),
    ):
        value = {**cast, "sequence": sequence}
        assert _both(value) == (accepted, accepted), sequence


@pytest.mark.parametrize(
    "bad",
    ["AB" * 64, "ab" * 63, "ab" * 63 + " a", "+a" * 64, 17],
)
def test_both_readers_refuse_bad_hex_in_a_tracking_code(cast: dict[str, Any], bad: Any) -> None:
    assert _both(_changed(cast, lambda e: e.update(tracking_code=bad))) == (False, False)


@pytest.mark.parametrize("bad", ["AB" * 32, "ab" * 31 + " a", "ab" * 31 + "\na", "ab" * 31])
def test_the_fast_reader_refuses_bad_hex_in_the_joined_values(
    cast: dict[str, Any], bad: str
) -> None:
    def change(entry: dict[str, Any]) -> None:
        entry["ballot"]["contests"][-1]["limit_proof"]["responses"][0] = bad

    assert _both(_changed(cast, change)) == (False, False)
