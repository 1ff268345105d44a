"""The verifier's checks of ranked contests (V23-V26, and V17 for ranked results; spec #15,
#19.7): every file of the mix-net in the record, damaged in each way that matters, fails
the check that looks at what it means, with its reason; and the batched and one-by-one
reports agree word for word on each.

The files are changed and written back as canonical JSON Lines, so that they still decode
where the change is one of meaning; a changed element is another valid element (the old
one plus the generator), a changed scalar the old one plus one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from suffrage._native import Element, Scalar
from suffrage.core import SeededRandom
from suffrage.core.proofs import prove_schnorr
from suffrage.protocol.board import counted_entries
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.protocol.mixnet import (
    MIX_SIGNATURE,
    Mix,
    make_mix,
    mix_context,
    mix_digest,
    mix_input,
)
from suffrage.protocol.tally import tally_hash
from suffrage.record.canonical import canonical_bytes
from suffrage.record.ranked import mix_lines, read_mix
from suffrage.service.election import key_ceremony
from suffrage.verify.ranked import check_ranked
from suffrage.verify.record import verify_record
from suffrage.verify.report import ReportBuilder, VerificationReport

from .conftest import SEED, Election

IRV = "south-representative"
STV = "north-district-council"
Lines = list[Any]
Change = Callable[[Lines], None]


def verify(record: Path) -> VerificationReport:
    """The batch verifier's report, which must be word for word the one-by-one report."""
    batched = verify_record(record, rng=SeededRandom(99))
    one_by_one = verify_record(record, batch=False)
    assert batched.to_json() == one_by_one.to_json()
    return batched


def read_lines(path: Path) -> Lines:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def write_lines(path: Path, lines: Lines) -> None:
    path.write_bytes(b"".join(canonical_bytes(v) + b"\n" for v in lines))


def other_element(text: str) -> str:
    return (Element.from_bytes(bytes.fromhex(text)) + Element.generator()).to_bytes().hex()


def other_scalar(text: str) -> str:
    return (Scalar.from_bytes(bytes.fromhex(text)) + Scalar.one()).to_bytes().hex()


def failures(report: VerificationReport, check: str) -> str:
    return "\n".join(report.checks[check].messages)


def assert_fails(report: VerificationReport, check: str, *reasons: str) -> None:
    assert not report.passed
    assert check in report.failed_checks(), (
        f"expected {check} to fail; failed: {report.failed_checks()}, "
        f"not checked: {report.not_checked()}"
    )
    for reason in reasons:
        assert reason in failures(report, check), failures(report, check)


# --- the record as the in-process election writes it ---------------------------------------


def test_the_election_has_ranked_contests_that_verify(election: Election) -> None:
    report = verify(election.record)
    assert report.passed, [f.message for f in report.failures()]
    assert set(election.run.ranked) == {IRV, STV}
    for number in ("V23", "V24", "V25", "V26"):
        assert report.checks[number].state == "pass"
        assert report.checks[number].checked > 0
    rows = sum(len(r.rows) for r in election.run.ranked.values())
    assert report.checks["V26"].checked == rows
    listed = {name for name, _ in report.subject.files}
    for contest in (IRV, STV):
        assert f"mix-{contest}-1.jsonl" in listed
        assert f"ranked-{contest}.jsonl" in listed
        assert f"mix-decryption-{contest}-1.jsonl" in listed


def test_partial_verification_leaves_the_mixes_for_later(election: Election, record: Path) -> None:
    for name in ("tally.json", "decryption.json", "results.json", "turnout.json"):
        (record / name).unlink()
    report = verify_record(record, partial=True, rng=SeededRandom(1))
    for number in ("V23", "V24", "V25", "V26"):
        assert report.checks[number].state == "not yet"


def test_without_a_tally_the_mixes_are_not_checked(record: Path) -> None:
    (record / "tally.json").unlink()
    report = verify(record)
    for number in ("V23", "V24", "V25", "V26"):
        outcome = report.checks[number]
        assert outcome.state == "not checked"
        assert "tally.json" in outcome.not_checked_because


# --- mixes --------------------------------------------------------------------------------


def mix_path(record: Path, contest: str = IRV, index: int = 1) -> Path:
    return record / f"mix-{contest}-{index}.jsonl"


def change_mix(record: Path, change: Change, contest: str = IRV, index: int = 1) -> None:
    path = mix_path(record, contest, index)
    lines = read_lines(path)
    change(lines)
    write_lines(path, lines)


def drop_row(lines: Lines) -> None:
    del lines[-1]
    lines[0]["rows"] -= 1


def duplicate_row(lines: Lines) -> None:
    lines[2]["ciphertexts"] = lines[1]["ciphertexts"]


def replace_ciphertext(lines: Lines) -> None:
    ct = lines[1]["ciphertexts"][0]
    ct["alpha"] = other_element(ct["alpha"])


def swap_rows(lines: Lines) -> None:
    lines[1]["ciphertexts"], lines[2]["ciphertexts"] = (
        lines[2]["ciphertexts"],
        lines[1]["ciphertexts"],
    )


def header_value(key: str, change: Callable[[Any], Any]) -> Change:
    def apply(lines: Lines) -> None:
        lines[0][key] = change(lines[0][key])

    return apply


def proof_value(key: str, change: Callable[[str], str]) -> Change:
    def apply(lines: Lines) -> None:
        lines[0]["proof"][key] = change(lines[0]["proof"][key])

    return apply


def row_value(key: str, change: Callable[[str], str], row: int = 1) -> Change:
    def apply(lines: Lines) -> None:
        lines[row][key] = change(lines[row][key])

    return apply


@pytest.mark.parametrize(
    ("change", "check", "reason"),
    [
        pytest.param(drop_row, "V23", "5 output rows for 6 input rows", id="row-dropped"),
        pytest.param(duplicate_row, "V24", "proof of shuffle", id="row-duplicated"),
        pytest.param(replace_ciphertext, "V24", "proof of shuffle", id="row-replaced"),
        pytest.param(swap_rows, "V24", "proof of shuffle", id="rows-swapped"),
        pytest.param(proof_value("t1", other_element), "V24", "proof of shuffle", id="t1"),
        pytest.param(proof_value("t3", other_element), "V24", "proof of shuffle", id="t3"),
        pytest.param(proof_value("s2", other_scalar), "V24", "proof of shuffle", id="s2"),
        pytest.param(
            row_value("permutation_commitment", other_element),
            "V24",
            "proof of shuffle",
            id="permutation-commitment",
        ),
        pytest.param(row_value("chain", other_element), "V24", "proof of shuffle", id="chain"),
        pytest.param(row_value("t_hat", other_element), "V24", "proof of shuffle", id="t-hat"),
        pytest.param(row_value("s_hat", other_scalar), "V24", "proof of shuffle", id="s-hat"),
        pytest.param(
            row_value("s_prime", other_scalar, row=6), "V24", "proof of shuffle", id="s-prime"
        ),
        pytest.param(
            header_value("signature", lambda s: {**s, "response": other_scalar(s["response"])}),
            "V24",
            "signature of guardian 1",
            id="signature",
        ),
        pytest.param(
            header_value("mixer", lambda _: 3), "V24", "proof of shuffle", id="mixer-changed"
        ),
        pytest.param(
            header_value("mixer", lambda _: 9), "V23", "mixer 9 is not a guardian", id="stranger"
        ),
        pytest.param(
            header_value("mix", lambda _: 2), "V23", "cannot be read (V1", id="renumbered"
        ),
        pytest.param(
            header_value("contest_id", lambda _: STV), "V23", "cannot be read", id="other-contest"
        ),
        pytest.param(
            proof_value("s4", lambda s4: s4[:-1]),  # type: ignore[arg-type,return-value]
            "V23",
            "cannot be read",
            id="proof-wrong-length",
        ),
        pytest.param(
            row_value("t_hat", lambda _: "ff" * 32),
            "V24",
            "t_hat",
            id="non-canonical-element",
        ),
    ],
)
def test_a_damaged_mix_fails_its_check(
    record: Path, change: Change, check: str, reason: str
) -> None:
    change_mix(record, change)
    report = verify(record)
    assert_fails(report, check, f"mix-{IRV}-1.jsonl", reason)
    assert report.checks["V26"].state != "fail" or check == "V23"


def test_a_damaged_second_mix_is_named(record: Path) -> None:
    change_mix(record, replace_ciphertext, contest=STV, index=2)
    report = verify(record)
    assert_fails(report, "V24", f"mix-{STV}-2.jsonl: contest {STV}, mix 2, proof of shuffle")
    assert f"mix-{STV}-1.jsonl" not in failures(report, "V24")


def test_a_mix_read_as_v1_names_file_and_line(record: Path) -> None:
    change_mix(record, row_value("ciphertexts", lambda c: c[:-1], row=3))
    report = verify(record)
    assert_fails(report, "V1", f"mix-{IRV}-1.jsonl:4.ciphertexts")
    assert_fails(report, "V23", f"mix-{IRV}-1.jsonl")
    assert report.checks["V25"].state in ("not checked", "fail")


def test_the_last_mix_removed_fails_the_decryption(record: Path) -> None:
    mix_path(record, IRV, 2).unlink()
    report = verify(record)
    assert_fails(report, "V25", f"mix-decryption-{IRV}-1.jsonl", "not proven")


def test_the_first_mix_removed_breaks_the_chain(record: Path) -> None:
    mix_path(record, IRV, 1).unlink()
    report = verify(record)
    assert_fails(report, "V23", f"contest {IRV}: no mix is published")
    assert "V17" not in report.failed_checks()
    assert report.checks["V17"].state == "not checked"


def test_a_guardian_who_mixes_twice_fails_v23(record: Path) -> None:
    change_mix(record, header_value("mixer", lambda _: 1), index=2)
    report = verify(record)
    assert_fails(report, "V23", "guardian 1 mixes twice (mixes 1 and 2)")


# --- mixes made with the guardians' keys: wrong input, another guardian's signature --------


def guardians(election: Election) -> list[Any]:
    secrets, _, _ = key_ceremony(
        load_sample_manifest(), guardians=3, threshold=2, rng=SeededRandom(SEED)
    )
    assert [s.public for s in secrets] == list(election.run.context.guardians)
    return secrets


def test_a_signature_by_another_guardian_fails_v24(election: Election, record: Path) -> None:
    run, secrets = election.run, guardians(election)
    context = run.context
    contest = next(c for c in context.manifest.contests if c.contest_id == IRV)
    mix = read_mix(mix_path(record), contest, index=1)
    bound = tally_hash(context, run.tally)
    digest = mix_digest(
        mix_context(context.base_hash, bound, IRV, index=1, mixer=mix.mixer),
        mix.outputs,
        mix.proof,
    )
    other = next(s for s in secrets if s.index != mix.mixer)
    signature = prove_schnorr(
        secret=other.communication_secret,
        public=other.public.communication_key,
        context=context.base_hash,
        message=digest,
        rng=SeededRandom(5),
        purpose=MIX_SIGNATURE,
    )
    forged = Mix(
        contest_id=IRV,
        index=1,
        mixer=mix.mixer,
        width=mix.width,
        outputs=mix.outputs,
        proof=mix.proof,
        signature=signature,
    )
    mix_path(record).write_bytes(b"".join(mix_lines(forged)))
    report = verify(record)
    assert_fails(report, "V24", f"signature of guardian {mix.mixer}")
    assert report.failed_checks() == ["V24"]


@pytest.mark.parametrize("dropped", [False, True], ids=["row-replaced", "row-left-out"])
def test_a_first_mix_not_of_the_counted_ballots_fails(
    election: Election, record: Path, dropped: bool
) -> None:
    """Mix 1 honestly made, and signed, over rows that are not the counted ballots' ranks:
    the verifier takes its input from the board, so mix 1 fails (and mix 2, made on the
    output mix 1 had before, with it)."""
    run, secrets = election.run, guardians(election)
    context = run.context
    contest = next(c for c in context.manifest.contests if c.contest_id == IRV)
    rows = mix_input(contest, [e.ballot for e in counted_entries(run.entries)])
    size = 64 * len(contest.options)
    rows = rows[size:] if dropped else rows[size : 2 * size] + rows[size:]
    first = read_mix(mix_path(record), contest, index=1)
    mixer = next(s for s in secrets if s.index == first.mixer)
    mix = make_mix(
        context,
        tally_hash(context, run.tally),
        contest,
        index=1,
        mixer=mixer.index,
        communication_secret=mixer.communication_secret,
        inputs=rows,
        rng=SeededRandom(6),
    )
    mix_path(record).write_bytes(b"".join(mix_lines(mix)))
    report = verify(record)
    if dropped:
        assert_fails(report, "V23", f"mix-{IRV}-1.jsonl", "5 output rows for 6 input rows")
    else:
        assert_fails(report, "V24", f"mix-{IRV}-1.jsonl: contest {IRV}, mix 1, proof of shuffle")


# --- decryption shares --------------------------------------------------------------------


def share_path(record: Path, guardian: int, contest: str = IRV) -> Path:
    return record / f"mix-decryption-{contest}-{guardian}.jsonl"


def test_a_changed_share_fails_v25(record: Path) -> None:
    path = share_path(record, 3)
    lines = read_lines(path)
    lines[2]["shares"][1] = other_element(lines[2]["shares"][1])
    write_lines(path, lines)
    report = verify(record)
    assert_fails(report, "V25", f"mix-decryption-{IRV}-3.jsonl", "guardian 3", "not proven")
    # one good guardian is fewer than k = 2: the rankings cannot be decrypted
    assert report.checks["V26"].state == "not checked"
    assert "2 guardians' shares are needed, 1 pass V25" in report.checks["V26"].not_checked_because


def test_a_changed_decryption_proof_fails_v25(record: Path) -> None:
    path = share_path(record, 1, STV)
    lines = read_lines(path)
    lines[0]["proof"]["response"] = other_scalar(lines[0]["proof"]["response"])
    write_lines(path, lines)
    assert_fails(verify(record), "V25", f"mix-decryption-{STV}-1.jsonl", "not proven")


def test_shares_filed_under_another_guardian_fail_v25(record: Path) -> None:
    share_path(record, 3).rename(share_path(record, 2))
    report = verify(record)
    assert_fails(report, "V25", f"mix-decryption-{IRV}-2.jsonl: the file holds guardian 3's")


def test_shares_of_fewer_than_k_guardians_fail_v25(record: Path) -> None:
    share_path(record, 3).unlink()
    report = verify(record)
    assert_fails(report, "V25", f"contest {IRV}: 2 guardians' shares are needed, 1 are published")
    assert report.checks["V26"].state == "not checked"


def test_a_share_row_dropped_is_refused(record: Path) -> None:
    path = share_path(record, 1)
    write_lines(path, read_lines(path)[:-1])
    report = verify(record)
    assert_fails(report, "V1", f"mix-decryption-{IRV}-1.jsonl")
    assert_fails(report, "V25", f"mix-decryption-{IRV}-1.jsonl: guardian 1's shares cannot be")


# --- rankings and results -----------------------------------------------------------------


def ranked_path(record: Path, contest: str = IRV) -> Path:
    return record / f"ranked-{contest}.jsonl"


def test_a_changed_ranking_fails_v26(election: Election, record: Path) -> None:
    path = ranked_path(record)
    lines = read_lines(path)
    options = next(
        c for c in election.run.context.manifest.contests if c.contest_id == IRV
    ).option_ids
    ranks = lines[1]["ranks"]
    ranks[0] = next(o for o in options if o != ranks[0])
    write_lines(path, lines)
    report = verify(record)
    assert_fails(
        report, "V26", f"ranked-{IRV}.jsonl: rows that differ from the decrypted ones: 1; row 1:"
    )
    assert "V17" not in report.failed_checks()  # recomputed from the decrypted rows


def test_swapped_rankings_fail_v26(record: Path) -> None:
    path = ranked_path(record, STV)
    lines = read_lines(path)
    first = next(i for i in range(2, len(lines)) if lines[i]["ranks"] != lines[1]["ranks"])
    lines[1]["ranks"], lines[first]["ranks"] = lines[first]["ranks"], lines[1]["ranks"]
    write_lines(path, lines)
    assert_fails(
        verify(record), "V26", f"ranked-{STV}.jsonl: rows that differ from the decrypted ones: 2;"
    )


def test_missing_rankings_fail_v26(record: Path) -> None:
    ranked_path(record).unlink()
    assert_fails(verify(record), "V26", f"ranked-{IRV}.jsonl is not published")


@pytest.mark.parametrize(
    ("path", "change"),
    [
        pytest.param(("elected",), lambda v: ["wang-fang"], id="elected"),
        pytest.param(("ballots",), lambda v: v + 1, id="ballots"),
        pytest.param(("counts", "wang-fang"), lambda v: v + 1, id="first-preferences"),
        pytest.param(("rule",), lambda v: "meek", id="rule"),
        pytest.param(("count", "trail", "stages"), lambda v: v[1:], id="rounds"),
    ],
)
def test_a_changed_ranked_result_fails_v17(
    record: Path, path: tuple[str, ...], change: Callable[[Any], Any]
) -> None:
    value = json.loads((record / "results.json").read_bytes())
    entry = value["results"][IRV]
    *parents, last = path
    for key in parents:
        entry = entry[key]
    entry[last] = change(entry[last])
    (record / "results.json").write_bytes(canonical_bytes(value) + b"\n")
    report = verify(record)
    assert_fails(report, "V17", f"contest {IRV}: the announced result is not the one the rank")
    assert report.failed_checks() == ["V17"]


def test_a_contest_no_counted_ballot_holds_has_no_files_and_no_ballots(
    election: Election,
) -> None:
    """Checked as if no counted ballot held the ranked contests (spec #19.1): every file
    published for them is then a failure, and the result must be that of no ballot."""
    run = election.run
    builder = ReportBuilder()
    check_ranked(
        election.record,
        run.context,
        tally=run.tally,
        inputs={},
        results=run.results,
        report=builder,
        rng=None,
    )
    report = builder.build()
    assert_fails(report, "V23", f"mix-{IRV}-1.jsonl: contest {IRV} has no counted ballot to mix")
    assert_fails(report, "V25", f"mix-decryption-{STV}-3.jsonl: contest {STV} has no counted")
    assert_fails(report, "V26", f"ranked-{STV}.jsonl: contest {STV} has no counted ballot")
    assert_fails(report, "V17", f"contest {IRV}: the announced result is not the one", "ballots")
