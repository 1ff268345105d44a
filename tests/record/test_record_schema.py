"""The JSON Schemas of the record files (spec/record-format.md, src/suffrage/record/schema/).

A real election is run and written; every file of its record, and every line of
ballots.jsonl, must validate against its schema; malformed documents must be refused with an
error that names the field at fault, and the strict reader must refuse them too.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from suffrage.core.randomness import SeededRandom
from suffrage.errors import InvalidInput
from suffrage.protocol.ballot import encrypt_ballot, style_contests
from suffrage.protocol.board import BoardEntry, EntryState
from suffrage.protocol.credentials import Credential
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.record import codec
from suffrage.record.files import read_record
from suffrage.service.election import ElectionRun, run_election

SCHEMAS = ("election", "credentials", "entry", "tally", "decryption", "results")
FILES = {
    "election.json": "election",
    "credentials.json": "credentials",
    "tally.json": "tally",
    "decryption.json": "decryption",
    "results.json": "results",
}
ELEMENT = "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"  # RFC 9496: 2*G


def _schema(name: str) -> dict[str, Any]:
    text = (resources.files("suffrage.record") / "schema" / f"{name}.schema.json").read_text()
    return dict(json.loads(text))


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(_schema(name))


@pytest.fixture(scope="module")
def election(tmp_path_factory: pytest.TempPathFactory) -> tuple[ElectionRun, Path]:
    out = tmp_path_factory.mktemp("election") / "rec"
    run = run_election(load_sample_manifest(), voters=8, rng=SeededRandom(7), out=out)
    return run, out


@pytest.fixture(scope="module")
def record(election: tuple[ElectionRun, Path]) -> Path:
    return election[1]


def _doc(record: Path, name: str) -> dict[str, Any]:
    return dict(json.loads((record / name).read_bytes()))


def _entries(record: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (record / "ballots.jsonl").read_bytes().splitlines()]


# --- the schemas themselves -------------------------------------------------------------


def _object_schemas(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema of an object's shape; an ``if`` is a condition on a shape (a ranked
    result has a rule and a count), not one, so it is not descended into."""
    if isinstance(node, dict):
        if "properties" in node:
            yield node
        for key, value in node.items():
            if key != "if":
                yield from _object_schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _object_schemas(value)


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = _schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_object_is_closed(name: str) -> None:
    objects = list(_object_schemas(_schema(name)))
    assert objects
    open_ones = [
        sorted(o["properties"]) for o in objects if o.get("additionalProperties") is not False
    ]
    assert open_ones == []


# --- a real record validates ------------------------------------------------------------


def test_the_record_is_read_without_problems(record: Path) -> None:
    assert read_record(record).problems == []


@pytest.mark.parametrize(("file", "name"), sorted(FILES.items()))
def test_record_file_validates(record: Path, file: str, name: str) -> None:
    errors = [e.message for e in _validator(name).iter_errors(_doc(record, file))]
    assert errors == []


def test_manifest_file_validates_against_the_manifest_schema(record: Path) -> None:
    text = (resources.files("suffrage.protocol") / "schema" / "manifest.schema.json").read_text()
    validator = Draft202012Validator(json.loads(text))
    assert [e.message for e in validator.iter_errors(_doc(record, "manifest.json"))] == []


def test_every_ballot_line_validates(record: Path) -> None:
    entries = _entries(record)
    assert len(entries) >= 8
    validator = _validator("entry")
    for number, entry in enumerate(entries, start=1):
        assert [e.message for e in validator.iter_errors(entry)] == [], f"line {number}"


def test_a_spoiled_entry_with_its_reveal_validates(election: tuple[ElectionRun, Path]) -> None:
    run, _ = election
    context = run.context
    style = context.manifest.ballot_styles[0].style_id
    choices = {c.contest_id: [0] * len(c.options) for c in style_contests(context, style)}
    credential = Credential.from_code(run.credentials[0], election_id=context.election_id)
    ballot, secrets = encrypt_ballot(
        context, style_id=style, choices=choices, credential=credential, rng=SeededRandom(8)
    )
    entry = BoardEntry(
        sequence=len(run.entries) + 1,
        state=EntryState.SPOILED,
        ballot=ballot,
        tracking_code=bytes(64),
        reveal=secrets,
    )
    document = json.loads(json.dumps(codec.entry_to_json(entry)))
    assert "reveal" in document
    assert [e.message for e in _validator("entry").iter_errors(document)] == []


# --- malformed documents are refused ----------------------------------------------------

Edit = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: Any) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _delete(path: list[Any]) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


def _refusal(name: str, doc: dict[str, Any]) -> list[str]:
    return ["/".join(str(p) for p in e.absolute_path) for e in _validator(name).iter_errors(doc)]


ELECTION_CASES = [
    ("uppercase hex", _set(["joint_key"], ELEMENT.upper()), "joint_key"),
    ("short hash", _set(["base_hash"], "ab" * 32), "base_hash"),
    ("unknown key", _set(["extra"], 1), ""),
    ("missing key", _delete(["manifest_hash"]), ""),
    ("boolean threshold", _set(["threshold"], True), "threshold"),
    ("zero threshold", _set(["threshold"], 0), "threshold"),
    ("other format", _set(["format"], "suffrage/record/2"), "format"),
    ("guardian index 0", _set(["guardians", 0, "index"], 0), "guardians/0/index"),
    (
        "proof with an extra key",
        _set(["guardians", 0, "communication_proof", "challenge"], ELEMENT),
        "guardians/0/communication_proof",
    ),
]


@pytest.mark.parametrize(
    ("case", "edit", "where"), ELECTION_CASES, ids=[c[0] for c in ELECTION_CASES]
)
def test_malformed_election_is_refused(record: Path, case: str, edit: Edit, where: str) -> None:
    doc = _doc(record, "election.json")
    edit(doc)
    assert where in _refusal("election", doc), case


LEFT_TO_LATER_CHECKS = {"bad contest id": "V7", "sequence 0": "V11"}
"""Cases the reader decodes and a numbered check refuses; the schema refuses them at once."""

ENTRY_CASES = [
    ("unknown state", _set(["state"], "counted"), "state"),
    ("short tracking code", _set(["tracking_code"], "00" * 32), "tracking_code"),
    ("sequence 0", _set(["sequence"], 0), "sequence"),
    ("ballot id of 8 bytes", _set(["ballot", "ballot_id"], "00" * 8), "ballot/ballot_id"),
    ("missing signature", _delete(["ballot", "signature"]), "ballot"),
    (
        "bad contest id",
        _set(["ballot", "contests", 0, "contest_id"], "Mayor Race"),
        "ballot/contests/0/contest_id",
    ),
    (
        "empty range proof",
        _set(["ballot", "contests", 0, "limit_proof", "challenges"], []),
        "ballot/contests/0/limit_proof/challenges",
    ),
    (
        "ciphertext with whitespace",
        _set(["ballot", "contests", 0, "selections", 0, "ciphertext", "alpha"], " " + ELEMENT),
        "ballot/contests/0/selections/0/ciphertext/alpha",
    ),
    (
        # A value of 2 reads (a rank may hold it): V13 holds each value to its contest.
        "reveal value 1025",
        _set(["reveal"], {"mayor": {"values": [1025], "nonces": [ELEMENT]}}),
        "reveal/mayor/values/0",
    ),
]


@pytest.mark.parametrize(("case", "edit", "where"), ENTRY_CASES, ids=[c[0] for c in ENTRY_CASES])
def test_malformed_entry_is_refused_by_schema_and_reader(
    record: Path, case: str, edit: Edit, where: str
) -> None:
    doc = _entries(record)[0]
    edit(doc)
    assert where in _refusal("entry", doc), case
    if case not in LEFT_TO_LATER_CHECKS:
        with pytest.raises(InvalidInput):
            codec.entry_from_json(copy.deepcopy(doc), "line 1")


def test_malformed_credentials_are_refused(record: Path) -> None:
    doc = _doc(record, "credentials.json")
    doc["credentials"].append(doc["credentials"][0])
    assert "credentials" in _refusal("credentials", doc)
    doc["credentials"] = [{"key": ELEMENT[:-1], "style_id": "north"}]
    assert "credentials/0/key" in _refusal("credentials", doc)
    doc["credentials"] = [{"key": ELEMENT, "style_id": "North district"}]
    assert "credentials/0/style_id" in _refusal("credentials", doc)


def test_malformed_tally_is_refused(record: Path) -> None:
    doc = _doc(record, "tally.json")
    doc["tally"]["counted"] = -1
    assert "tally/counted" in _refusal("tally", doc)
    doc = _doc(record, "tally.json")
    doc["tally"]["contests"][0]["options"][0]["gamma"] = ELEMENT
    assert "tally/contests/0/options/0" in _refusal("tally", doc)
    doc = _doc(record, "tally.json")
    doc["counted_sequences"] = [1, 1]
    assert "counted_sequences" in _refusal("tally", doc)


def test_malformed_decryption_is_refused(record: Path) -> None:
    doc = _doc(record, "decryption.json")
    contest = next(iter(doc["counts"]))
    option = next(iter(doc["counts"][contest]))
    doc["counts"][contest][option] = 1.5
    assert f"counts/{contest}/{option}" in _refusal("decryption", doc)
    doc = _doc(record, "decryption.json")
    del doc["partial_decryptions"][0]["shares"][0][0]["proof"]["response"]
    assert "partial_decryptions/0/shares/0/0/proof" in _refusal("decryption", doc)


def test_malformed_results_are_refused(record: Path) -> None:
    doc = _doc(record, "results.json")
    contest = next(iter(doc["results"]))
    doc["results"][contest]["kind"] = "borda"
    assert f"results/{contest}/kind" in _refusal("results", doc)
    doc = _doc(record, "results.json")
    doc["results"][contest]["seats"] = {"someone": 0}
    assert f"results/{contest}/seats/someone" in _refusal("results", doc)
    doc = _doc(record, "results.json")
    doc["results"]["Not An Id"] = doc["results"][contest]
    assert "results" in _refusal("results", doc)


def test_a_ranked_result_carries_its_rule_and_count_and_no_other_does(record: Path) -> None:
    doc = _doc(record, "results.json")
    ranked = doc["results"]["south-representative"]
    assert ranked["kind"] == "ranked"
    assert ranked["rule"] == "irv"
    assert ranked["count"]["trail"]["seed"].isdigit()  # 64 bits: beyond JSON's safe integers
    assert doc["results"]["north-district-council"]["rule"] == "meek"
    del ranked["count"]
    assert "results/south-representative" in _refusal("results", doc)
    doc = _doc(record, "results.json")
    doc["results"]["mayor"]["rule"] = "irv"
    assert "results/mayor" in _refusal("results", doc)
    doc = _doc(record, "results.json")
    doc["results"]["south-representative"]["count"]["trail"]["seed"] = 12
    assert "results/south-representative/count/trail/seed" in _refusal("results", doc)


def test_unknown_and_missing_keys_are_named(record: Path) -> None:
    doc = _doc(record, "election.json")
    doc["extra"] = 1
    del doc["manifest_hash"]
    messages = " ".join(e.message for e in _validator("election").iter_errors(doc))
    assert "'extra'" in messages
    assert "'manifest_hash' is a required property" in messages


def test_the_credential_list_has_its_own_size_limit(
    record: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A national roll's credentials.json passes the 64 MiB of the other documents (92 MB
    at a million voters), so it is read within its own limit, and refused beyond it."""
    import suffrage.record.files as files

    size = (record / "credentials.json").stat().st_size
    assert files.MAX_CREDENTIAL_LIST == 16 * files.MAX_DOCUMENT
    monkeypatch.setattr(files, "MAX_CREDENTIAL_LIST", size - 1)
    problems = read_record(record).problems
    assert [p.where for p in problems] == ["credentials.json"]
    assert str(size - 1) in problems[0].reason
    monkeypatch.setattr(files, "MAX_CREDENTIAL_LIST", size)
    assert read_record(record).problems == []


def _ranked_entry() -> dict[str, Any]:
    """A spoiled entry holding the ranked vector ballot (tests/vectors/ranked_ballot.json)."""
    vectors = Path(__file__).parents[1] / "vectors" / "ranked_ballot.json"
    vector = json.loads(vectors.read_text())["ballots"][1]
    return {
        "sequence": 1,
        "state": "spoiled",
        "tracking_code": "00" * 64,
        "ballot": vector["ballot"],
        "reveal": vector["reveal"],
    }


def test_a_ranked_contest_is_read_by_schema_and_reader_alike() -> None:
    doc = _ranked_entry()
    assert _refusal("entry", doc) == []
    codec.entry_from_json(copy.deepcopy(doc), "line 1")
    ranked = next(c for c in doc["ballot"]["contests"] if "ranks" in c)
    plain = doc["ballot"]["contests"][0]
    at = doc["ballot"]["contests"].index(ranked)
    for contest in (
        {**ranked, "selections": plain["selections"], "limit_proof": plain["limit_proof"]},
        {**ranked, "limit_proof": plain["limit_proof"]},
        {"contest_id": ranked["contest_id"]},
        {**ranked, "ranks": [{**ranked["ranks"][0], "option_id": "gale"}]},
    ):
        bad = copy.deepcopy(doc)
        bad["ballot"]["contests"][at] = contest
        assert _refusal("entry", bad), contest
        with pytest.raises(InvalidInput):
            codec.entry_from_json(bad, "line 1")
