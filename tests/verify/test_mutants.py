"""Tests written for the checks a mutation pass found untested (issue 11).

Each check below was removed in turn (``if COND:`` made ``if False:``) and the rest of the
suite stayed green; each test here fails when its check is removed.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from suffrage.core import SeededRandom
from suffrage.core.elgamal import encrypt
from suffrage.core.group import ORDER
from suffrage.errors import VerificationFailed
from suffrage.protocol.ballot import BallotSecrets, EncryptedBallot, encrypt_ballot
from suffrage.protocol.ballot_check import check_spoiled_ballot
from suffrage.protocol.context import ElectionContext
from suffrage.record.canonical import canonical_bytes
from suffrage.record.codec import entry_to_json
from suffrage.record.files import read_record
from suffrage.verify.fast import check_cast_lines
from suffrage.verify.record import verify_record
from suffrage.verify.report import VerificationReport
from suffrage.verify.setup import rebuild_context

from .conftest import Election
from .forge import chained_entry, honest_ballot, listed_credentials, resign, zero_choices

BALLOTS = "ballots.jsonl"


def verify(record: Path) -> VerificationReport:
    batched = verify_record(record, rng=SeededRandom(5))
    assert batched.to_json() == verify_record(record, batch=False).to_json()
    return batched


def lines(record: Path) -> list[bytes]:
    return (record / BALLOTS).read_bytes().splitlines()


def save(path: Path, value: Any) -> None:
    path.write_bytes(canonical_bytes(value) + b"\n")


def plus_order(hex_scalar: str) -> str:
    """The same scalar modulo the group order, encoded without reduction (not canonical)."""
    return (
        (int.from_bytes(bytes.fromhex(hex_scalar), "little") + ORDER).to_bytes(32, "little").hex()
    )


def append(record: Path, election: Election, ballot: EncryptedBallot) -> int:
    rows = lines(record)
    previous = bytes.fromhex(json.loads(rows[-1])["tracking_code"])
    entry = chained_entry(election.run.context, ballot, previous=previous, sequence=len(rows) + 1)
    (record / BALLOTS).write_bytes(
        b"".join(r + b"\n" for r in [*rows, canonical_bytes(entry_to_json(entry))])
    )
    return entry.sequence


def relabelled(election: Election, what: str) -> EncryptedBallot:
    """A voter's own ballot whose labels no longer match its style, re-signed: the proofs
    were made for the style's places, so only the shape check (V7) can see it."""
    context = election.run.context
    credential = listed_credentials(election.run.credentials[:1], context.election_id)[0]
    rng = SeededRandom(12)
    ballot = honest_ballot(context, credential, rng)
    first = ballot.contests[0]
    if what == "options":
        a, b, *rest = first.selections
        swapped = (replace(a, option_id=b.option_id), replace(b, option_id=a.option_id), *rest)
        contest = replace(first, selections=swapped)
    else:
        contest = replace(first, contest_id="no-such-contest")
    return resign(
        context, replace(ballot, contests=(contest, *ballot.contests[1:])), credential, rng
    )


@pytest.mark.parametrize("what", ["options", "contest"])
def test_a_relabelled_ballot_fails_the_shape_check_on_both_paths(
    record: Path, election: Election, what: str
) -> None:
    """batch_check.py: contest and option ids against the style; ballot_check.py: options."""
    sequence = append(record, election, relabelled(election, what))
    rows = list(enumerate(lines(record), start=1))
    assert sequence not in check_cast_lines(election.run.context, rows, SeededRandom(4))[0]
    report = verify(record)
    assert any(f.startswith(f"entry {sequence}") for f in report.checks["V7"].messages)


@pytest.mark.parametrize("where", ["signature", "selection-response", "selection-challenge"])
def test_a_scalar_written_above_the_order_is_refused(record: Path, where: str) -> None:
    """The kernel (native/src/check.rs) refuses a scalar at or above the order: the same
    scalar plus the order satisfies the signature's equation, but it is not its canonical
    encoding."""
    rows = lines(record)
    number, value = next(
        (n, json.loads(r)) for n, r in enumerate(rows, 1) if json.loads(r)["state"] == "cast"
    )
    ballot = value["ballot"]
    proof = ballot["contests"][0]["selections"][0]["proof"]
    if where == "signature":
        ballot["signature"]["response"] = plus_order(ballot["signature"]["response"])
    elif where == "selection-response":
        proof["responses"][0] = plus_order(proof["responses"][0])
    else:
        proof["challenges"][0] = plus_order(proof["challenges"][0])
    rows[number - 1] = canonical_bytes(value)
    (record / BALLOTS).write_bytes(b"".join(r + b"\n" for r in rows))
    numbered = list(enumerate(rows, start=1))
    assert number not in check_cast_lines(_context(record), numbered, SeededRandom(4))[0]
    report = verify(record)
    assert not report.passed


def _context(record: Path) -> ElectionContext:
    return rebuild_context(read_record(record))


def test_an_election_file_of_another_format_fails_v1(record: Path) -> None:
    """files.py: the format and group of election.json."""
    value = json.loads((record / "election.json").read_bytes())
    value["format"] = "suffrage/record/9"
    save(record / "election.json", value)
    report = verify(record)
    assert any("expected suffrage/record/1" in f for f in report.checks["V1"].messages)


def test_a_credential_listed_twice_in_order_fails_v5(record: Path) -> None:
    """setup.py: distinct credential keys (a repeated key sorts in order)."""
    value = json.loads((record / "credentials.json").read_bytes())
    keys = value["credentials"]
    value["credentials"] = [keys[0], *keys]
    save(record / "credentials.json", value)
    report = verify(record)
    assert "a credential key is listed twice" in report.checks["V5"].messages


def test_a_credential_bound_to_an_unknown_style_fails_v5(record: Path) -> None:
    """setup.py: every credential is bound to a ballot style of the manifest."""
    value = json.loads((record / "credentials.json").read_bytes())
    value["credentials"][0]["style_id"] = "east"
    save(record / "credentials.json", value)
    report = verify(record)
    assert "credentials bound to ballot styles the manifest does not have: ['east']" in (
        report.checks["V5"].messages
    )


def test_closed_early_contradicting_the_closing_time_fails_v19(record: Path) -> None:
    """tally.py: closed_early says whether voting closed before the manifest's end."""
    value = json.loads((record / "tally.json").read_bytes())
    value["tally"]["closed_early"] = not value["tally"]["closed_early"]
    save(record / "tally.json", value)
    report = verify(record)
    assert any("with closed_early" in f for f in report.checks["V19"].messages)


def test_no_partial_decryption_fails_v15(record: Path) -> None:
    """tally.py: at least one partial decryption."""
    value = json.loads((record / "decryption.json").read_bytes())
    value["partial_decryptions"] = []
    save(record / "decryption.json", value)
    report = verify(record)
    assert "no partial decryptions are published" in report.checks["V15"].messages


def test_a_missing_option_count_is_named(record: Path) -> None:
    """tally.py: an option of the tally without a published count."""
    value = json.loads((record / "decryption.json").read_bytes())
    option = sorted(value["counts"]["mayor"])[0]
    del value["counts"]["mayor"][option]
    save(record / "decryption.json", value)
    report = verify(record)
    assert f"contest mayor: no count for option {option}" in report.checks["V16"].messages


@pytest.mark.parametrize("field", ["contests", "selections"])
def test_a_cast_line_of_the_wrong_type_is_a_v1_failure(record: Path, field: str) -> None:
    """flat.py: the types of contests and selections on the batch path's reader."""
    rows = lines(record)
    number, value = next(
        (n, json.loads(r)) for n, r in enumerate(rows, 1) if json.loads(r)["state"] == "cast"
    )
    if field == "contests":
        value["ballot"]["contests"] = {"a": 1}
    else:
        value["ballot"]["contests"][0]["selections"] = {"a": 1}
    rows[number - 1] = canonical_bytes(value)
    (record / BALLOTS).write_bytes(b"".join(r + b"\n" for r in rows))
    report = verify(record)
    assert any(f.startswith(f"ballots.jsonl line {number}") for f in report.checks["V1"].messages)


def test_a_spoiled_reveal_outside_the_range_is_refused(election: Election) -> None:
    """ballot_check.py: revealed values must be 0 or 1 within the limit, even when the
    ciphertexts encrypt exactly what the reveal says (here a 2)."""
    context = election.run.context
    credential = listed_credentials(election.run.credentials[:1], context.election_id)[0]
    ballot, secrets = encrypt_ballot(
        context,
        style_id="north",
        choices=zero_choices(context, "north"),
        credential=credential,
        rng=SeededRandom(13),
    )
    mayor = next(c for c in ballot.contests if c.contest_id == "mayor")
    first = mayor.selections[0]
    two = encrypt(2, secrets.nonces["mayor"][0], context.joint_key)
    forged = replace(mayor, selections=(replace(first, ciphertext=two), *mayor.selections[1:]))
    contests = tuple(forged if c is mayor else c for c in ballot.contests)
    values = dict(secrets.values)
    values["mayor"] = (2, *values["mayor"][1:])
    reveal = BallotSecrets(values=values, nonces=secrets.nonces)
    with pytest.raises(
        VerificationFailed, match="contest mayor: the revealed choices are not valid"
    ):
        check_spoiled_ballot(context, replace(ballot, contests=contests), reveal)
