"""ElectionGuard 1.4.0 side of the side-by-side benchmark (run by compare_electionguard.py).

Runs under Python 3.10 in bench/.venv-electionguard, never under Suffrage's interpreter, and
imports nothing of Suffrage. Usage: ``electionguard_runner.py SPEC.json OUT.json``; SPEC gives
the contests, the voters' choices, the runs wanted and the time budget per operation; OUT
receives the timings. Every operation's result is checked, so a broken run fails loudly.

"verify record" here re-reads the record that electionguard_tools' ``export_record`` wrote
and re-checks everything 1.4.0 exposes: the guardians' coefficient commitments and Schnorr
proofs, the joint key and commitment hash, the base and extended base hashes (which bind the
manifest), every ballot's style, crypto hashes and proofs and its place in the device's code
chain, the encrypted tally against the ballots, every decryption share's proof, every
compensated share's proof and recovery key, the Lagrange reconstruction of the absent
guardian's share, and each count against its decrypted value.
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from electionguard.ballot import (
    BallotBoxState,
    PlaintextBallot,
    PlaintextBallotContest,
    PlaintextBallotSelection,
    SubmittedBallot,
)
from electionguard.ballot_box import submit_ballot
from electionguard.ballot_code import get_ballot_code
from electionguard.ballot_validator import ballot_is_valid_for_election
from electionguard.constants import get_constants
from electionguard.decryption import compute_recovery_public_key
from electionguard.decryption_mediator import DecryptionMediator
from electionguard.election import CiphertextElectionContext, make_ciphertext_election_context
from electionguard.election_polynomial import (
    LagrangeCoefficientsRecord,
    compute_lagrange_coefficient,
)
from electionguard.elgamal import ElGamalCiphertext, elgamal_add
from electionguard.encrypt import EncryptionDevice, EncryptionMediator, encrypt_ballot
from electionguard.group import ONE_MOD_P, div_p, g_pow_p, mult_p, pow_p
from electionguard.guardian import Guardian, GuardianRecord, publish_guardian_record
from electionguard.hash import hash_elems
from electionguard.key_ceremony import CeremonyDetails, ElectionPublicKey
from electionguard.key_ceremony_mediator import KeyCeremonyMediator
from electionguard.logs import LOG
from electionguard.manifest import (
    BallotStyle,
    Candidate,
    ContestDescription,
    ElectionType,
    GeopoliticalUnit,
    InternalManifest,
    Manifest,
    ReportingUnitType,
    SelectionDescription,
    SpecVersion,
    VoteVariationType,
)
from electionguard.scheduler import Scheduler
from electionguard.serialize import from_file
from electionguard.tally import CiphertextTally, PlaintextTally, PublishedCiphertextTally
from electionguard.utils import get_optional
from electionguard_tools.helpers.export import export_record
from electionguard_tools.helpers.key_ceremony_orchestrator import KeyCeremonyOrchestrator
from electionguard_tools.helpers.tally_ceremony_orchestrator import TallyCeremonyOrchestrator

GUARDIANS, QUORUM, ABSENT = 3, 2, "2"
DISTRICT, STYLE = "district-1", "style-1"


class RecordInvalid(Exception):
    """The ElectionGuard record (or a result) failed a check: a bug, never expected."""


def measure(operation: Callable[[], object], runs: int, budget: float) -> dict[str, Any]:
    """One untimed warm-up run, then ``runs`` timed runs (fewer if they would pass budget)."""
    start = time.perf_counter()
    operation()
    warmup = time.perf_counter() - start
    planned = runs if warmup * runs <= budget else max(3, min(runs, int(budget // warmup)))
    times = []
    for _ in range(planned):
        start = time.perf_counter()
        operation()
        times.append(time.perf_counter() - start)
    print(f"  {len(times)} runs, median {statistics.median(times):.4f} s", file=sys.stderr)
    return {"times": times, "requested": runs, "warmup": warmup}


def build_manifest(contests: list[dict[str, Any]]) -> Manifest:
    """The benchmark's manifest: one district, one style, the contests of SPEC in order."""
    candidates = []
    descriptions = []
    for order, contest in enumerate(contests):
        selections = []
        for i in range(contest["options"]):
            candidate = f"{contest['id']}-candidate-{i}"
            candidates.append(Candidate(candidate))
            selections.append(SelectionDescription(f"{contest['id']}-option-{i}", i, candidate))
        limit = contest["votes_allowed"]
        variation = VoteVariationType.one_of_m if limit == 1 else VoteVariationType.n_of_m
        descriptions.append(
            ContestDescription(
                contest["id"], order, DISTRICT, variation, limit, limit, contest["id"], selections
            )
        )
    style = BallotStyle(STYLE, [DISTRICT])
    return Manifest(
        election_scope_id="bench-side-by-side",
        spec_version=SpecVersion.EG1_0,
        type=ElectionType.general,
        start_date=datetime(2025, 5, 4, 8),
        end_date=datetime(2025, 5, 4, 20),
        geopolitical_units=[GeopoliticalUnit(DISTRICT, DISTRICT, ReportingUnitType.city)],
        parties=[],
        candidates=candidates,
        contests=descriptions,
        ballot_styles=[style],
    )


def plaintext_ballot(
    manifest: Manifest, ballot_id: str, choice: list[list[int]]
) -> PlaintextBallot:
    """A ballot listing the selected options only (ElectionGuard fills in the rest)."""
    contests = []
    for contest, values in zip(manifest.contests, choice, strict=True):
        selections = [
            PlaintextBallotSelection(sel.object_id, 1)
            for sel, value in zip(contest.ballot_selections, values, strict=True)
            if value
        ]
        contests.append(PlaintextBallotContest(contest.object_id, selections))
    return PlaintextBallot(ballot_id, STYLE, contests)


def key_ceremony() -> tuple[list[Guardian], Any]:
    """Three guardians, quorum two, through the KeyCeremonyMediator; returns the joint key."""
    details = CeremonyDetails(GUARDIANS, QUORUM)
    guardians = KeyCeremonyOrchestrator.create_guardians(details)
    mediator = KeyCeremonyMediator("mediator", details)
    KeyCeremonyOrchestrator.perform_full_ceremony(guardians, mediator)
    joint = mediator.publish_joint_key()
    if joint is None:
        raise RecordInvalid("key ceremony: the mediator published no joint key")
    return guardians, joint


def make_context(manifest: Manifest, joint: Any) -> CiphertextElectionContext:
    return make_ciphertext_election_context(
        GUARDIANS, QUORUM, joint.joint_public_key, joint.commitment_hash, manifest.crypto_hash()
    )


def expected_counts(votes: list[list[list[int]]]) -> list[list[int]]:
    return [
        [sum(col) for col in zip(*contest, strict=True)] for contest in zip(*votes, strict=True)
    ]


def tally_and_decrypt(
    ballots: list[SubmittedBallot],
    guardians: list[Guardian],
    manifest: Manifest,
    context: CiphertextElectionContext,
    scheduler: Scheduler,
) -> tuple[CiphertextTally, PlaintextTally, dict[str, Any]]:
    """Accumulate the cast ballots, decrypt with guardian 2 absent (compensated shares)."""
    tally = CiphertextTally("bench-tally", InternalManifest(manifest), context)
    if not tally.batch_append([(None, b) for b in ballots], False, scheduler):
        raise RecordInvalid("tally: batch_append refused the ballots")
    mediator = DecryptionMediator("decryption-mediator", context)
    present = [g for g in guardians if g.id != ABSENT]
    TallyCeremonyOrchestrator.perform_compensated_decryption_setup(
        present, [g.share_key() for g in guardians], mediator, context, tally
    )
    plain = mediator.get_plaintext_tally(tally, manifest)
    if plain is None:
        raise RecordInvalid("decryption: the mediator could not decrypt the tally")
    return tally, plain, mediator.get_lagrange_coefficients()


def check_counts(manifest: Manifest, plain: PlaintextTally, expected: list[list[int]]) -> None:
    for contest, counts in zip(manifest.contests, expected, strict=True):
        got = [
            plain.contests[contest.object_id].selections[s.object_id].tally
            for s in contest.ballot_selections
        ]
        if got != counts:
            raise RecordInvalid(f"contest {contest.object_id}: decrypted {got}, cast {counts}")


def verify_guardians(records: list[GuardianRecord], context: CiphertextElectionContext) -> None:
    if len(records) != context.number_of_guardians:
        raise RecordInvalid("guardians: wrong number of guardian records")
    for record in records:
        if record.election_commitments[0] != record.election_public_key:
            raise RecordInvalid(f"guardian {record.guardian_id}: key is not commitment 0")
        if len(record.election_commitments) != context.quorum:
            raise RecordInvalid(f"guardian {record.guardian_id}: wrong number of commitments")
        for commitment, proof in zip(
            record.election_commitments, record.election_proofs, strict=True
        ):
            if proof.public_key != commitment or not proof.is_valid():
                raise RecordInvalid(f"guardian {record.guardian_id}: Schnorr proof fails")
    joint = mult_p(*[r.election_public_key for r in records])
    commitments = [c for r in records for c in r.election_commitments]
    if joint != context.elgamal_public_key or hash_elems(commitments) != context.commitment_hash:
        raise RecordInvalid("joint key or commitment hash does not match the guardians")


def verify_context(manifest: Manifest, context: CiphertextElectionContext) -> None:
    again = make_ciphertext_election_context(
        context.number_of_guardians,
        context.quorum,
        context.elgamal_public_key,
        context.commitment_hash,
        manifest.crypto_hash(),
    )
    if (again.crypto_base_hash, again.crypto_extended_base_hash, again.manifest_hash) != (
        context.crypto_base_hash,
        context.crypto_extended_base_hash,
        context.manifest_hash,
    ):
        raise RecordInvalid("context: base hashes do not bind this manifest and these keys")


def verify_ballots(
    ballots: list[SubmittedBallot],
    internal: InternalManifest,
    context: CiphertextElectionContext,
    device: EncryptionDevice,
) -> None:
    previous = device.get_hash()
    for ballot in ballots:
        if ballot.code_seed != previous or ballot.code != get_ballot_code(
            previous, ballot.timestamp, ballot.crypto_hash
        ):
            raise RecordInvalid(f"ballot {ballot.object_id}: breaks the device's code chain")
        if not ballot_is_valid_for_election(ballot, internal, context, True):
            raise RecordInvalid(f"ballot {ballot.object_id}: style, hash or proof fails")
        previous = ballot.code


def verify_tally(ballots: list[SubmittedBallot], tally: PublishedCiphertextTally) -> None:
    sums: dict[str, ElGamalCiphertext] = {}
    for ballot in ballots:
        if ballot.state != BallotBoxState.CAST:
            continue
        for contest in ballot.contests:
            for sel in contest.ballot_selections:
                old = sums.get(sel.object_id)
                sums[sel.object_id] = (
                    sel.ciphertext if old is None else elgamal_add(old, sel.ciphertext)
                )
    for contest in tally.contests.values():
        for sel_id, sel in contest.selections.items():
            if sums.get(sel_id, ElGamalCiphertext(ONE_MOD_P, ONE_MOD_P)) != sel.ciphertext:
                raise RecordInvalid(f"tally {sel_id}: not the product of the cast ballots")


def verify_decryption(
    plain: PlaintextTally,
    tally: PublishedCiphertextTally,
    records: list[GuardianRecord],
    context: CiphertextElectionContext,
    lagrange: LagrangeCoefficientsRecord,
) -> None:
    keys = {r.guardian_id: as_public_key(r) for r in records}
    for contest_id, contest in plain.contests.items():
        for sel_id, sel in contest.selections.items():
            message = tally.contests[contest_id].selections[sel_id].ciphertext
            if sel.message != message:
                raise RecordInvalid(f"decryption {sel_id}: decrypts another ciphertext")
            for share in sel.shares:
                verify_share(share, message, keys, context, lagrange)
            if div_p(message.data, mult_p(*[s.share for s in sel.shares])) != sel.value:
                raise RecordInvalid(f"decryption {sel_id}: shares do not combine to the value")
            if g_pow_p(sel.tally) != sel.value:
                raise RecordInvalid(f"decryption {sel_id}: count does not match the value")


def as_public_key(record: GuardianRecord) -> ElectionPublicKey:
    return ElectionPublicKey(
        record.guardian_id,
        record.sequence_order,
        record.election_public_key,
        record.election_commitments,
        record.election_proofs,
    )


def verify_share(
    share: Any,
    message: ElGamalCiphertext,
    keys: dict[str, ElectionPublicKey],
    context: CiphertextElectionContext,
    lagrange: LagrangeCoefficientsRecord,
) -> None:
    where = f"share of guardian {share.guardian_id} for {share.object_id}"
    if not share.is_valid(message, keys[share.guardian_id].key, context.crypto_extended_base_hash):
        raise RecordInvalid(f"{where}: proof fails")
    if share.recovered_parts is None:
        return
    orders = {g: keys[g].sequence_order for g in share.recovered_parts}
    combined = ONE_MOD_P
    for helper, part in share.recovered_parts.items():
        if part.recovery_key != compute_recovery_public_key(keys[helper], keys[share.guardian_id]):
            raise RecordInvalid(f"{where}: wrong recovery key from {helper}")
        others = [o for g, o in orders.items() if g != helper]
        coefficient = compute_lagrange_coefficient(orders[helper], *others)
        if lagrange.coefficients[helper] != coefficient:
            raise RecordInvalid(f"{where}: wrong Lagrange coefficient for {helper}")
        combined = mult_p(combined, pow_p(part.share, coefficient))
    if combined != share.share:
        raise RecordInvalid(f"{where}: compensated parts do not combine to the share")


def verify_record(directory: Path, device: EncryptionDevice) -> None:
    """Read the exported record from disk and check all of it (see the module docstring)."""
    manifest = from_file(Manifest, directory / "manifest.json")
    context = from_file(CiphertextElectionContext, directory / "context.json")
    records = [from_file(GuardianRecord, p) for p in sorted((directory / "guardians").iterdir())]
    ballots = [
        from_file(SubmittedBallot, p) for p in sorted((directory / "submitted_ballots").iterdir())
    ]
    ballots.sort(key=lambda b: b.timestamp)
    tally = from_file(PublishedCiphertextTally, directory / "encrypted_tally.json")
    plain = from_file(PlaintextTally, directory / "tally.json")
    lagrange = from_file(LagrangeCoefficientsRecord, directory / "coefficients.json")
    verify_guardians(records, context)
    verify_context(manifest, context)
    verify_ballots(ballots, InternalManifest(manifest), context, device)
    verify_tally(ballots, tally)
    verify_decryption(plain, tally, records, context, lagrange)


def cast_ballots(
    manifest: Manifest,
    internal: InternalManifest,
    context: CiphertextElectionContext,
    device: EncryptionDevice,
    votes: list[list[list[int]]],
) -> list[SubmittedBallot]:
    """Encrypt every voter's ballot on one device (chained codes) and cast it."""
    encrypter = EncryptionMediator(internal, context, device)
    ballots = []
    for number, choice in enumerate(votes):
        ballot = encrypter.encrypt(plaintext_ballot(manifest, f"ballot-{number:05d}", choice))
        ballots.append(submit_ballot(get_optional(ballot), BallotBoxState.CAST))
    return ballots


def run(spec: dict[str, Any]) -> dict[str, Any]:
    runs, big_runs, budget = spec["runs"], spec["big_runs"], spec["budget"]
    votes = spec["votes"]
    manifest = build_manifest(spec["contests"])
    internal = InternalManifest(manifest)
    out: dict[str, Any] = {}
    out["key_ceremony"] = measure(key_ceremony, runs, budget)
    guardians, joint = key_ceremony()
    context = make_context(manifest, joint)
    device = EncryptionDevice(1, 2, 3, "bench")
    seed = device.get_hash()
    counter = iter(range(10**9))

    def encrypt_one() -> Any:
        n = next(counter)
        choice = votes[n % len(votes)]
        ballot = encrypt_ballot(
            plaintext_ballot(manifest, f"one-{n}", choice), internal, context, seed
        )
        return get_optional(ballot)

    out["encrypt_ballot"] = measure(encrypt_one, runs, budget)
    one = encrypt_one()

    def verify_one() -> None:
        if not ballot_is_valid_for_election(one, internal, context, True):
            raise RecordInvalid("the benchmark ballot does not verify")

    out["verify_ballot"] = measure(verify_one, runs, budget)
    ballots = cast_ballots(manifest, internal, context, device, votes)
    expected = expected_counts(votes)
    with Scheduler() as scheduler:

        def count() -> tuple[CiphertextTally, PlaintextTally, dict[str, Any]]:
            result = tally_and_decrypt(ballots, guardians, manifest, context, scheduler)
            check_counts(manifest, result[1], expected)
            return result

        out["tally_decrypt"] = measure(count, big_runs, budget)
        tally, plain, lagrange = count()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "record"
        export_record(
            manifest,
            context,
            get_constants(),
            [device],
            ballots,
            [],
            tally.publish(),
            plain,
            [publish_guardian_record(g.share_key()) for g in guardians],
            LagrangeCoefficientsRecord(lagrange),
            str(directory),
        )
        out["verify_record"] = measure(lambda: verify_record(directory, device), big_runs, budget)
    return out


def main() -> int:
    LOG.set_stream_log_level(logging.WARNING)
    spec = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    operations = run(spec)
    summary = {
        "system": "ElectionGuard 1.4.0",
        "python": sys.version.split()[0],
        "operations": operations,
        "medians": {k: statistics.median(v["times"]) for k, v in operations.items()},
    }
    Path(sys.argv[2]).write_text(json.dumps(summary, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
