"""The batch path over encodings: it reads what the full decoder reads, accepts only valid
ballots, and takes every honest cast ballot (so it is really the path that runs)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from suffrage._native import Element, Scalar
from suffrage.core import SeededRandom
from suffrage.core.elgamal import Ciphertext
from suffrage.core.hashing import Transcript
from suffrage.errors import InvalidInput
from suffrage.protocol.ballot import EncryptedBallot, ballot_digest, raw_contests
from suffrage.protocol.board import EntryState
from suffrage.protocol.context import ElectionContext
from suffrage.record.canonical import canonical_bytes
from suffrage.record.codec import entry_to_json
from suffrage.record.files import decode_entry_line
from suffrage.record.flat import raw_entry
from suffrage.verify.fast import check_cast_lines

from .conftest import Election
from .forge import chained_entry, listed_credentials, simulated_ballot


@pytest.fixture
def election(plain_election: Election) -> Election:
    """The batch path never takes a ballot with a ranked contest: these tests run on an
    election without them, so that it takes every honest cast ballot."""
    return plain_election


@pytest.fixture
def record(plain_election: Election, tmp_path: Path) -> Path:
    copy = tmp_path / "record"
    shutil.copytree(plain_election.record, copy)
    return copy


def lines_of(record: Path) -> list[tuple[int, bytes]]:
    lines = (record / "ballots.jsonl").read_bytes().splitlines()
    return list(enumerate(lines, start=1))


def transcript_ballot_hash(context: ElectionContext, ballot: EncryptedBallot) -> bytes:
    """spec/protocol.md#13.3 written out with the Transcript API, field by field."""
    t = (
        Transcript("ballot")
        .append("base_hash", context.base_hash)
        .text("ballot_id", ballot.ballot_id)
        .text("style_id", ballot.style_id)
        .element("credential", ballot.credential)
        .integer("contests", len(ballot.contests))
    )
    for contest in ballot.contests:
        t.text("contest_id", contest.contest_id).integer("selections", len(contest.selections))
        proofs = [*(s.proof for s in contest.selections), contest.limit_proof]
        for sel in contest.selections:
            t.text("option_id", sel.option_id)
            t.element("alpha", sel.ciphertext.alpha).element("beta", sel.ciphertext.beta)
            absorb(t, sel.proof)
        absorb(t, proofs[-1])
    return t.digest()


def absorb(t: Transcript, proof: Any) -> None:
    t.elements("commitments_g", proof.commitments_g)
    t.elements("commitments_k", proof.commitments_k)
    t.append("challenges", b"".join(c.to_bytes() for c in proof.challenges))
    t.append("responses", b"".join(s.to_bytes() for s in proof.responses))


def test_ballot_hash_is_the_transcript_of_the_spec(election: Election) -> None:
    context = election.run.context
    for entry in election.run.entries:
        assert ballot_digest(context, entry.ballot) == transcript_ballot_hash(context, entry.ballot)


def test_raw_entry_reads_what_the_full_decoder_reads(record: Path) -> None:
    seen_cast = seen_spoiled = 0
    for number, line in lines_of(record):
        entry = decode_entry_line(number, line)
        raw = raw_entry(line)
        if entry.state is EntryState.SPOILED:
            assert raw is None  # left to the full decoder, which checks the reveal
            seen_spoiled += 1
            continue
        seen_cast += 1
        assert raw is not None
        ballot = entry.ballot
        assert raw.sequence == entry.sequence
        assert raw.tracking_code == entry.tracking_code
        assert raw.ballot.ballot_id == ballot.ballot_id
        assert raw.ballot.style_id == ballot.style_id
        assert raw.ballot.credential == ballot.credential.to_bytes()
        assert raw.ballot.contests == raw_contests(ballot.contests)
        assert raw.ballot.signature_commitment == ballot.signature.commitment.to_bytes()
        assert raw.ballot.signature_response == ballot.signature.response.to_bytes()
    assert seen_cast > 0
    assert seen_spoiled > 0


def first_cast(record: Path) -> tuple[int, Any]:
    for number, line in lines_of(record):
        value = json.loads(line)
        if value["state"] == "cast":
            return number, value
    raise AssertionError("no cast entry")


def mutate(value: Any, change: str) -> bytes:
    ballot = value["ballot"]
    selection = ballot["contests"][0]["selections"][0]
    if change == "upper-case hex":
        ballot["credential"] = ballot["credential"].upper()
        return canonical_bytes(value)
    if change == "extra key":
        ballot["extra"] = 1
        return canonical_bytes(value)
    if change == "float sequence":
        return canonical_bytes(value).replace(
            f'"sequence":{value["sequence"]}'.encode(), f'"sequence":{value["sequence"]}.0'.encode()
        )
    if change == "short commitment":
        selection["proof"]["commitments_g"][0] = selection["proof"]["commitments_g"][0][:62]
        return canonical_bytes(value)
    if change == "one branch too few":
        for name in ("commitments_g", "commitments_k", "challenges", "responses"):
            selection["proof"][name].pop()
        return canonical_bytes(value)
    if change == "lists of unequal length":
        selection["proof"]["responses"].pop()
        return canonical_bytes(value)
    if change == "white space":
        return canonical_bytes(value).replace(b'":', b'": ', 1)
    if change == "duplicate key":
        line = canonical_bytes(value)
        return line[:-1] + b',"state":"cast"}'
    if change == "option id too long":
        selection["option_id"] = "x" * 65
        return canonical_bytes(value)
    if change == "escaped character":
        option = selection["option_id"]
        escaped = f"\\u{ord(option[0]):04x}{option[1:]}"
        return canonical_bytes(value).replace(f'"{option}"'.encode(), f'"{escaped}"'.encode(), 1)
    if change == "not an object":
        ballot["signature"] = []
        return canonical_bytes(value)
    raise AssertionError(change)


CHANGES = [
    "upper-case hex",
    "extra key",
    "float sequence",
    "short commitment",
    "lists of unequal length",
    "white space",
    "duplicate key",
    "option id too long",
    "not an object",
    "escaped character",
]


@pytest.mark.parametrize("change", CHANGES)
def test_raw_entry_leaves_every_defect_to_the_full_decoder(record: Path, change: str) -> None:
    number, value = first_cast(record)
    line = mutate(value, change)
    assert raw_entry(line) is None
    with pytest.raises(InvalidInput):
        decode_entry_line(number, line)


def test_no_byte_flip_passes_the_fast_path(record: Path, election: Election) -> None:
    """raw_entry checks the structure only (points and scalars are checked with the whole
    chunk's); whatever it reads, the fast path then takes no changed line."""
    number, value = first_cast(record)
    line = canonical_bytes(value)
    flips = random.Random(5)
    read = 0
    for _ in range(300):
        at = flips.randrange(len(line))
        changed = line[:at] + bytes([flips.randrange(32, 127)]) + line[at + 1 :]
        if changed == line:
            continue
        raw = raw_entry(changed)
        if raw is None:
            continue
        read += 1
        taken, _ = check_cast_lines(election.run.context, [(number, changed)], SeededRandom(6))
        assert taken == {}, f"byte {at} changed, yet the fast path took the line"
    assert read > 0  # some flips keep the structure (a hex digit for another)


def test_fast_path_takes_every_honest_cast_ballot(record: Path, election: Election) -> None:
    lines = lines_of(record)
    taken, sums = check_cast_lines(election.run.context, lines, SeededRandom(3))
    cast = {n for n, line in lines if json.loads(line)["state"] == "cast"}
    assert set(taken) == cast
    expected: dict[tuple[str, str], Ciphertext] = {}
    for position, checked in taken.items():
        entry = decode_entry_line(position, dict(lines)[position])
        assert checked.digest == ballot_digest(election.run.context, entry.ballot)
        for contest in entry.ballot.contests:
            for sel in contest.selections:
                key = (contest.contest_id, sel.option_id)
                expected[key] = (
                    expected[key] + sel.ciphertext if key in expected else sel.ciphertext
                )
    assert sums == expected


def other_scalar(text: str) -> str:
    return (Scalar.from_bytes(bytes.fromhex(text)) + Scalar.one()).to_bytes().hex()


def other_element(text: str) -> str:
    return (Element.from_bytes(bytes.fromhex(text)) + Element.generator()).to_bytes().hex()


def change_selection(value: Any, what: str) -> None:
    selection = value["ballot"]["contests"][0]["selections"][0]
    proof = selection["proof"]
    if what == "challenge":
        proof["challenges"][0] = other_scalar(proof["challenges"][0])
    elif what == "response":
        proof["responses"][1] = other_scalar(proof["responses"][1])
    elif what == "commitment":
        proof["commitments_k"][0] = other_element(proof["commitments_k"][0])
    elif what == "ciphertext":
        selection["ciphertext"]["beta"] = other_element(selection["ciphertext"]["beta"])
    elif what == "non-canonical response":
        proof["responses"][0] = "ff" * 31 + "7f"
    elif what == "invalid point":
        proof["commitments_g"][1] = "ff" * 32
    elif what == "identity":
        proof["commitments_g"][1] = "00" * 32
    elif what == "signature":
        signature = value["ballot"]["signature"]
        signature["response"] = other_scalar(signature["response"])
    elif what == "one branch too few":
        for name in ("commitments_g", "commitments_k", "challenges", "responses"):
            proof[name].pop()
    elif what == "option order":
        contest = value["ballot"]["contests"][0]
        contest["selections"].reverse()
    else:
        raise AssertionError(what)


@pytest.mark.parametrize(
    "what",
    [
        "challenge",
        "response",
        "commitment",
        "ciphertext",
        "non-canonical response",
        "invalid point",
        "identity",
        "signature",
        "one branch too few",
        "option order",
    ],
)
def test_fast_path_leaves_a_bad_ballot_and_takes_the_rest(
    record: Path, election: Election, what: str
) -> None:
    lines = lines_of(record)
    number, value = first_cast(record)
    change_selection(value, what)
    lines[number - 1] = (number, canonical_bytes(value))
    taken, _ = check_cast_lines(election.run.context, lines, SeededRandom(4))
    cast = {n for n, line in lines if json.loads(line)["state"] == "cast"}
    assert set(taken) == cast - {number}


@pytest.mark.parametrize("values", [[2, 0, 0, 0], [1, 1, 0, 0]], ids=["selection", "limit"])
def test_fast_path_refuses_simulated_branches(
    record: Path, election: Election, values: list[int]
) -> None:
    """Every equation of these proofs holds; only the branch challenges' sum is wrong."""
    context = election.run.context
    credential = listed_credentials(election.run.credentials[:1], context.election_id)[0]
    ballot = simulated_ballot(context, credential, values, SeededRandom(9))
    lines = lines_of(record)
    previous = bytes.fromhex(json.loads(lines[-1][1])["tracking_code"])
    entry = chained_entry(context, ballot, previous=previous, sequence=len(lines) + 1)
    lines.append((entry.sequence, canonical_bytes(entry_to_json(entry))))
    taken, _ = check_cast_lines(context, lines, SeededRandom(4))
    assert entry.sequence not in taken
    assert len(taken) == sum(json.loads(line)["state"] == "cast" for _, line in lines[:-1])
