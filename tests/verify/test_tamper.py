"""The verifier's teeth: every kind of value of the record, mutated on disk, is caught.

Each test changes one value of a fresh copy of a small election's record and writes it back
as canonical JSON, so the record still decodes: the check that must fail is the one that
looks at what the value means, not the decoder. A changed element is another valid element
(the old one plus the generator), a changed scalar is the old one plus one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from suffrage._native import Element, Scalar
from suffrage.core import SeededRandom
from suffrage.protocol.board import EntryState
from suffrage.record.canonical import canonical_bytes
from suffrage.record.codec import entry_to_json
from suffrage.record.files import decode_entry_line
from suffrage.verify.record import verify_record
from suffrage.verify.report import VerificationReport

from .conftest import Election
from .forge import (
    chained_entry,
    honest_ballot,
    listed_credentials,
    over_limit_ballot,
    simulated_ballot,
    unlisted_ballot,
)

Path_ = tuple[str | int, ...]
Change = Callable[[Any], Any]


# --- reading and writing the record -------------------------------------------------------


def load(path: Path) -> Any:
    return json.loads(path.read_bytes())


def save(path: Path, value: Any) -> None:
    path.write_bytes(canonical_bytes(value) + b"\n")


def read_lines(record: Path) -> list[bytes]:
    return (record / "ballots.jsonl").read_bytes().splitlines()


def write_lines(record: Path, lines: list[bytes]) -> None:
    (record / "ballots.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))


def update(value: Any, path: Path_, change: Change) -> None:
    """Replace ``value[path]`` by ``change(value[path])`` in place."""
    *parents, last = path
    for key in parents:
        value = value[key]
    value[last] = change(value[last])


def verify(record: Path) -> VerificationReport:
    """The batch verifier's report, which must be word for word the one-by-one report."""
    batched = verify_record(record, rng=SeededRandom(99))
    one_by_one = verify_record(record, batch=False)
    assert batched.to_json() == one_by_one.to_json()
    return batched


def assert_fails(report: VerificationReport, check: str) -> None:
    assert report.passed is False
    assert check in report.failed_checks(), (
        f"expected {check} to fail; failed: {report.failed_checks()}"
    )


# --- value changes ------------------------------------------------------------------------


def other_element(text: str) -> str:
    return (Element.from_bytes(bytes.fromhex(text)) + Element.generator()).to_bytes().hex()


def other_scalar(text: str) -> str:
    return (Scalar.from_bytes(bytes.fromhex(text)) + Scalar.one()).to_bytes().hex()


def other_hash(text: str) -> str:
    return f"{int(text[:2], 16) ^ 1:02x}{text[2:]}"


def plus_one(value: int) -> int:
    return value + 1


def other_text(value: str) -> str:
    return value + " (altered)"


def flip_bit(value: int) -> int:
    return 1 - value


# --- ballot entries -----------------------------------------------------------------------


def entry_line(record: Path, which: str) -> int:
    """Index in ballots.jsonl of a counted cast entry or of a spoiled one."""
    entries = [json.loads(line) for line in read_lines(record)]
    if which == "spoiled":
        return next(i for i, e in enumerate(entries) if e["state"] == "spoiled")
    counted = load(record / "tally.json")["counted_sequences"]
    return next(i for i, e in enumerate(entries) if e["sequence"] in counted)


def mutate_entry(record: Path, which: str, path: Path_, change: Change) -> None:
    lines = read_lines(record)
    index = entry_line(record, which)
    entry = json.loads(lines[index])
    update(entry, path, change)
    lines[index] = canonical_bytes(entry)
    write_lines(record, lines)


SELECTION: Path_ = ("ballot", "contests", 0, "selections", 0)
SELECTION_PROOF: Path_ = (*SELECTION, "proof")
LIMIT_PROOF: Path_ = ("ballot", "contests", 0, "limit_proof")
PROOF_PARTS = (
    ("commitments_g", other_element),
    ("commitments_k", other_element),
    ("challenges", other_scalar),
    ("responses", other_scalar),
)

BALLOT_CASES: list[Any] = [
    pytest.param("cast", (*SELECTION, "ciphertext", "alpha"), other_element, "V9", id="alpha"),
    pytest.param("cast", (*SELECTION, "ciphertext", "beta"), other_element, "V9", id="beta"),
    *(
        pytest.param("cast", (*proof, part, i), change, check, id=f"{name}-{part}[{i}]")
        for proof, name, check in (
            (SELECTION_PROOF, "selection", "V9"),
            (LIMIT_PROOF, "limit", "V10"),
        )
        for part, change in PROOF_PARTS
        for i in (0, 1)
    ),
    pytest.param(
        "cast", ("ballot", "signature", "commitment"), other_element, "V8", id="sig-commitment"
    ),
    pytest.param(
        "cast", ("ballot", "signature", "response"), other_scalar, "V8", id="sig-response"
    ),
    pytest.param("cast", ("ballot", "credential"), other_element, "V8", id="credential"),
    pytest.param("cast", ("ballot", "ballot_id"), other_hash, "V8", id="ballot_id"),
    pytest.param(
        "cast",
        ("ballot", "style_id"),
        lambda s: "south" if s == "north" else "north",
        "V7",
        id="style_id",
    ),
    pytest.param("cast", ("tracking_code",), other_hash, "V11", id="tracking_code"),
    pytest.param("cast", ("sequence",), plus_one, "V11", id="sequence"),
    pytest.param("cast", ("state",), lambda _: "spoiled", "V13", id="state-cast-to-spoiled"),
    pytest.param("spoiled", ("reveal", "mayor", "values", 0), flip_bit, "V13", id="reveal-value"),
    pytest.param(
        "spoiled", ("reveal", "mayor", "nonces", 0), other_scalar, "V13", id="reveal-nonce"
    ),
]


@pytest.mark.parametrize(("which", "path", "change", "check"), BALLOT_CASES)
def test_mutated_ballot_value_is_caught(
    record: Path, which: str, path: Path_, change: Change, check: str
) -> None:
    mutate_entry(record, which, path, change)
    report = verify(record)
    assert_fails(report, check)
    assert not report.checks["V1"].messages, "the mutation must still decode"


def test_credential_swapped_for_another_listed_one_is_caught(record: Path) -> None:
    keys = [c["key"] for c in load(record / "credentials.json")["credentials"]]
    mutate_entry(
        record, "cast", ("ballot", "credential"), lambda k: next(x for x in keys if x != k)
    )
    assert_fails(verify(record), "V8")


def test_spoiled_entry_turned_cast_is_caught(record: Path) -> None:
    mutate_entry(record, "spoiled", ("state",), lambda _: "cast")
    report = verify(record)
    assert_fails(report, "V13")
    assert any("must not reveal" in f for f in report.checks["V13"].messages)


# --- the other files ----------------------------------------------------------------------


def swap_first_two(keys: list[str]) -> list[str]:
    return [keys[1], keys[0], *keys[2:]]


GUARDIAN: Path_ = ("guardians", 0)
SHARE: Path_ = ("partial_decryptions", 0, "shares", 0, 0)
FILE_CASES: list[Any] = [
    pytest.param("election.json", ("base_hash",), other_hash, "V6", id="base_hash"),
    pytest.param("election.json", ("manifest_hash",), other_hash, "V2", id="manifest_hash"),
    pytest.param("election.json", ("joint_key",), other_element, "V4", id="joint_key"),
    pytest.param(
        "election.json", (*GUARDIAN, "commitments", 1), other_element, "V3", id="commitment"
    ),
    pytest.param(
        "election.json",
        (*GUARDIAN, "coefficient_proofs", 0, "commitment"),
        other_element,
        "V3",
        id="coefficient-proof-commitment",
    ),
    pytest.param(
        "election.json",
        (*GUARDIAN, "coefficient_proofs", 1, "response"),
        other_scalar,
        "V3",
        id="coefficient-proof-response",
    ),
    pytest.param(
        "election.json",
        (
            *GUARDIAN,
            "communication_key",
        ),
        other_element,
        "V3",
        id="communication_key",
    ),
    pytest.param(
        "election.json",
        (*GUARDIAN, "communication_proof", "response"),
        other_scalar,
        "V3",
        id="communication-proof-response",
    ),
    pytest.param("election.json", ("threshold",), plus_one, "V3", id="threshold"),
    pytest.param(
        "credentials.json",
        ("credentials", 3, "key"),
        other_element,
        "V6",
        id="credential-replaced",
    ),
    pytest.param(
        "credentials.json", ("credentials",), swap_first_two, "V5", id="credentials-swapped"
    ),
    pytest.param("manifest.json", ("title", "fr"), other_text, "V2", id="manifest-title-fr"),
    pytest.param(
        "manifest.json",
        ("contests", 0, "options", 0, "name", "en"),
        other_text,
        "V2",
        id="manifest-option-name",
    ),
    pytest.param(
        "tally.json",
        ("tally", "contests", 0, "options", 0, "alpha"),
        other_element,
        "V14",
        id="tally-alpha",
    ),
    pytest.param(
        "tally.json",
        ("tally", "contests", 1, "options", 2, "beta"),
        other_element,
        "V14",
        id="tally-beta",
    ),
    pytest.param("tally.json", ("tally", "board_head"), other_hash, "V14", id="board_head"),
    pytest.param("tally.json", ("tally", "counted"), plus_one, "V14", id="counted"),
    pytest.param("tally.json", ("tally", "entries"), plus_one, "V14", id="entries"),
    pytest.param(
        "tally.json", ("counted_sequences",), lambda s: s[:-1], "V12", id="counted_sequences"
    ),
    pytest.param("decryption.json", (*SHARE, "share"), other_element, "V15", id="share"),
    pytest.param(
        "decryption.json",
        (*SHARE, "proof", "commitment_1"),
        other_element,
        "V15",
        id="share-proof-commitment_1",
    ),
    pytest.param(
        "decryption.json",
        (*SHARE, "proof", "commitment_2"),
        other_element,
        "V15",
        id="share-proof-commitment_2",
    ),
    pytest.param(
        "decryption.json", (*SHARE, "proof", "response"), other_scalar, "V15", id="share-response"
    ),
    pytest.param(
        "decryption.json", ("counts", "mayor", "li-wei"), plus_one, "V16", id="decrypted-count"
    ),
    pytest.param(
        "results.json",
        ("results", "mayor", "elected"),
        lambda e: ["olga-petrova"] if e != ["olga-petrova"] else ["li-wei"],
        "V17",
        id="elected",
    ),
    pytest.param(
        "results.json",
        ("results", "city-council", "seats"),
        lambda s: {**s, "liberal-renewal": s.get("liberal-renewal", 0) + 1},
        "V17",
        id="seats",
    ),
    pytest.param(
        "results.json", ("results", "mayor", "counts", "li-wei"), plus_one, "V17", id="result-count"
    ),
]


@pytest.mark.parametrize(("name", "path", "change", "check"), FILE_CASES)
def test_mutated_record_value_is_caught(
    record: Path, name: str, path: Path_, change: Change, check: str
) -> None:
    value = load(record / name)
    update(value, path, change)
    save(record / name, value)
    report = verify(record)
    assert_fails(report, check)
    assert not report.checks["V1"].messages, "the mutation must still decode"


# --- invalid encodings: V1, naming the field ----------------------------------------------

ENCODING_CASES: list[Any] = [
    pytest.param(
        "ballots.jsonl",
        (*SELECTION, "ciphertext", "alpha"),
        lambda h: h[:-2],
        "alpha",
        id="alpha-short",
    ),
    pytest.param(
        "ballots.jsonl",
        (*SELECTION_PROOF, "responses", 0),
        lambda _: "ff" * 32,
        "responses",
        id="response-not-reduced",
    ),
    pytest.param(
        "ballots.jsonl",
        ("ballot", "credential"),
        lambda _: "ff" * 32,
        "credential",
        id="credential-not-a-point",
    ),
    pytest.param("election.json", ("joint_key",), lambda h: h + "00", "joint_key", id="key-long"),
    pytest.param(
        "decryption.json",
        (*SHARE, "proof", "response"),
        lambda _: "ed" + "ff" * 31,
        "response",
        id="share-response-not-reduced",
    ),
    pytest.param("tally.json", ("tally", "counted"), lambda _: -1, "counted", id="count-negative"),
]


@pytest.mark.parametrize(("name", "path", "change", "field"), ENCODING_CASES)
def test_invalid_encoding_fails_v1_naming_the_field(
    record: Path, name: str, path: Path_, change: Change, field: str
) -> None:
    if name == "ballots.jsonl":
        mutate_entry(record, "cast", path, change)
    else:
        value = load(record / name)
        update(value, path, change)
        save(record / name, value)
    report = verify(record)
    assert_fails(report, "V1")
    failures = report.checks["V1"].messages
    assert any(name.split(".", maxsplit=1)[0] in f and field in f for f in failures), failures


def test_non_canonical_whitespace_fails_v1(record: Path) -> None:
    value = load(record / "election.json")
    (record / "election.json").write_text(json.dumps(value, indent=1, sort_keys=True) + "\n")
    report = verify(record)
    assert_fails(report, "V1")
    assert any("election.json" in f for f in report.checks["V1"].messages)


def test_non_canonical_ballot_line_fails_v1(record: Path) -> None:
    lines = read_lines(record)
    lines[2] = json.dumps(json.loads(lines[2]), sort_keys=True).encode()  # ", " and ": "
    write_lines(record, lines)
    report = verify(record)
    assert_fails(report, "V1")
    assert any("line 3" in f for f in report.checks["V1"].messages)


# --- structural attacks on the board ------------------------------------------------------


@pytest.mark.parametrize("where", ["first", "middle"])
def test_removed_ballot_breaks_the_chain(record: Path, where: str) -> None:
    lines = read_lines(record)
    del lines[0 if where == "first" else len(lines) // 2]
    write_lines(record, lines)
    report = verify(record)
    assert_fails(report, "V11")
    assert_fails(report, "V14")


def test_removed_last_ballot_is_caught_by_the_tally(record: Path) -> None:
    lines = read_lines(record)
    write_lines(record, lines[:-1])
    report = verify(record)
    assert_fails(report, "V14")
    assert_fails(report, "V12")
    assert any("number of entries" in f for f in report.checks["V14"].messages)


def test_duplicated_ballot_is_caught(record: Path) -> None:
    lines = read_lines(record)
    lines.insert(4, lines[3])
    write_lines(record, lines)
    report = verify(record)
    assert_fails(report, "V11")
    assert "entry 4 stands at position 5: entries are out of order" in (
        report.checks["V11"].messages
    )


def test_duplicated_ballot_rechained_at_the_end_is_caught(record: Path, election: Election) -> None:
    lines = read_lines(record)
    ballot = decode_entry_line(4, lines[3]).ballot
    sequence = append_ballot(record, election, ballot)
    report = verify(record)
    assert_fails(report, "V11")
    assert f"entry {sequence} repeats the ballot of entry 4" in report.checks["V11"].messages


def test_swapped_ballots_are_caught(record: Path) -> None:
    lines = read_lines(record)
    lines[2], lines[3] = lines[3], lines[2]
    write_lines(record, lines)
    report = verify(record)
    assert_fails(report, "V11")
    assert any("out of order" in f for f in report.checks["V11"].messages)


def append_ballot(record: Path, election: Election, ballot: Any) -> int:
    """Append ``ballot`` as a properly chained cast entry; its sequence number."""
    lines = read_lines(record)
    previous = bytes.fromhex(json.loads(lines[-1])["tracking_code"])
    entry = chained_entry(election.run.context, ballot, previous=previous, sequence=len(lines) + 1)
    write_lines(record, [*lines, canonical_bytes(entry_to_json(entry))])
    return entry.sequence


def test_ballot_of_an_unlisted_credential_is_caught(record: Path, election: Election) -> None:
    sequence = append_ballot(
        record, election, unlisted_ballot(election.run.context, SeededRandom(5))
    )
    report = verify(record)
    assert_fails(report, "V8")
    assert f"entry {sequence}: the ballot is signed by a credential not on the list" in (
        report.checks["V8"].messages
    )
    assert not report.checks["V11"].messages, "the entry is properly chained"


def test_ballot_of_another_style_than_its_credentials_is_caught(
    record: Path, election: Election
) -> None:
    """A voter of one district casts a well-formed, well-signed ballot of another district's
    style: only V18 sees it (spec/protocol.md#11.3), and the ballot is not counted."""
    context = election.run.context
    credential = listed_credentials(election.run.credentials[:1], context.election_id)[0]
    bound = context.style_of(credential.public)
    other = next(s.style_id for s in context.manifest.ballot_styles if s.style_id != bound)
    sequence = append_ballot(
        record, election, honest_ballot(context, credential, SeededRandom(4), other)
    )
    report = verify(record)
    assert_fails(report, "V18")
    assert report.checks["V18"].messages == [
        f"entry {sequence}: the ballot is of style {other!r}, but its credential is bound to "
        f"style {bound!r}"
    ]
    for check in ("V7", "V8", "V9", "V10", "V11", "V13"):
        assert not report.checks[check].messages, f"the ballot is otherwise valid: {check}"


def test_a_credentials_style_changed_in_the_record_is_caught(record: Path) -> None:
    value = load(record / "credentials.json")
    first = value["credentials"][0]
    first["style_id"] = "south" if first["style_id"] != "south" else "north"
    save(record / "credentials.json", value)
    report = verify(record)
    assert_fails(report, "V6")


def test_over_limit_contest_with_forged_proof_is_caught(record: Path, election: Election) -> None:
    context = election.run.context
    credential = listed_credentials(election.run.credentials[:1], context.election_id)[0]
    ballot = over_limit_ballot(context, credential, SeededRandom(6))
    sequence = append_ballot(record, election, ballot)
    report = verify(record)
    assert_fails(report, "V10")
    assert report.checks["V10"].messages[0].startswith(f"entry {sequence}: contest mayor")
    for check in ("V7", "V8", "V9", "V11"):
        assert not report.checks[check].messages, f"only the limit proof is forged: {check}"


def test_second_counted_ballot_for_one_credential_is_caught(record: Path) -> None:
    tally = load(record / "tally.json")
    counted = tally["counted_sequences"]
    entries = [json.loads(line) for line in read_lines(record)]
    superseded = [
        e["sequence"]
        for e in entries
        if e["state"] == EntryState.CAST.value and e["sequence"] not in counted
    ]
    tally["counted_sequences"] = sorted([*counted, superseded[0]])
    save(record / "tally.json", tally)
    report = verify(record)
    assert_fails(report, "V12")
    assert any("both counted for credential" in f for f in report.checks["V12"].messages)


def test_wrong_decryption_share_with_its_original_proof_is_caught(record: Path) -> None:
    value = load(record / "decryption.json")
    update(value, (*SHARE, "share"), other_element)
    save(record / "decryption.json", value)
    report = verify(record)
    assert_fails(report, "V15")
    assert report.failed_checks() == ["V15"] or "V16" in report.failed_checks()


def test_wrong_announced_result_is_caught(record: Path) -> None:
    value = load(record / "results.json")
    elected = value["results"]["participatory-budget"]["elected"]
    assert len(elected) == 2, "the seed must fund two projects"
    value["results"]["participatory-budget"]["elected"] = elected[::-1]
    save(record / "results.json", value)
    report = verify(record)
    assert report.failed_checks() == ["V17"]
    (failure,) = report.failures("V17")
    assert failure.where == "contest participatory-budget"
    first, second = (json.dumps(e) for e in elected)
    assert failure.reason == (
        "contest participatory-budget: the announced result is not the one the counts give: "
        f"elected: announced [{second}, {first}], computed [{first}, {second}]"
    )


# --- simulated branches: every equation holds, only the challenge sum is wrong -------------

SIMULATED = [
    pytest.param([2, 0, 0, 0], ("V9", "V10"), id="selection-encrypts-2"),
    pytest.param([1, 1, 0, 0], ("V10",), id="limit-exceeded"),
]


@pytest.mark.parametrize(("values", "checks"), SIMULATED)
def test_simulated_branch_forgery_is_caught(
    record: Path, election: Election, values: list[int], checks: tuple[str, ...]
) -> None:
    context = election.run.context
    credential = listed_credentials(election.run.credentials[:1], context.election_id)[0]
    ballot = simulated_ballot(context, credential, values, SeededRandom(8))
    sequence = append_ballot(record, election, ballot)
    report = verify(record)
    for check in checks:
        assert_fails(report, check)
        assert report.checks[check].messages[0].startswith(f"entry {sequence}: contest mayor")
        assert "challenge" in report.checks[check].messages[0]
    for check in {"V7", "V8", "V9", "V10", "V11"} - set(checks):
        assert not report.checks[check].messages, f"only the range proofs are forged: {check}"
