"""verify_record(): re-check an election from its record alone (spec/protocol.md#15).

Every numbered check runs, whatever failed before it; a failure names the file, entry,
contest, option or guardian. Nothing here trusts a value of the record that it can
recompute: hashes, the tally, the counts and the results are all recomputed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from suffrage._native import Element
from suffrage.core.dlog import DiscreteLog
from suffrage.errors import VerificationFailed
from suffrage.protocol.ballot_check import (
    check_ballot_shape,
    check_ballot_signature,
    check_limit_proofs,
    check_selection_proofs,
    check_spoiled_ballot,
)
from suffrage.protocol.board import BoardEntry, EntryState, chain_start, counted_entries
from suffrage.protocol.board import tracking_code as compute_code
from suffrage.protocol.context import ElectionContext, make_context, manifest_hash
from suffrage.protocol.key_ceremony import ceremony_hash, check_guardian, joint_key_element
from suffrage.protocol.results import compute_results
from suffrage.protocol.tally import (
    PartialDecryption,
    check_partial_decryption,
    combine_decryptions,
    compute_tally,
)
from suffrage.record.files import RawRecord, read_record
from suffrage.verify.report import VerificationReport

__all__ = ["verify_record"]

Progress = Callable[[int], None]
BALLOT_CHECKS = (
    ("V7", check_ballot_shape),
    ("V8", check_ballot_signature),
    ("V9", check_selection_proofs),
    ("V10", check_limit_proofs),
)


def verify_record(directory: Path, *, progress: Progress | None = None) -> VerificationReport:
    """Verify the record in ``directory``; ``progress`` is told of each entry checked."""
    report = VerificationReport()
    raw = read_record(directory)
    for problem in raw.problems:
        report.fail("V1", f"{problem.where}: {problem.reason}")
    report.ok("V1", 7)
    context = _setup(raw, report)
    if context is None:
        for number in ("V7", "V8", "V9", "V10", "V11", "V12", "V13", "V14", "V15", "V16", "V17"):
            report.fail(number, "not checked: the election set-up could not be read")
        return report
    valid = _check_entries(context, raw, report, progress)
    _check_tally(context, raw, valid, report)
    return report


def _setup(raw: RawRecord, report: VerificationReport) -> ElectionContext | None:
    if raw.manifest is None or raw.election is None:
        for number in ("V2", "V3", "V4", "V5", "V6"):
            report.fail(number, "not checked: manifest.json or election.json is unreadable")
        return None
    election = raw.election
    digest = manifest_hash(raw.manifest)
    if digest != election["manifest_hash"]:
        report.fail("V2", "election.json manifest_hash is not the hash of manifest.json")
    else:
        report.ok("V2")
    threshold, n = election["threshold"], len(raw.guardians)
    if not 1 <= threshold <= n or [g.index for g in raw.guardians] != list(range(1, n + 1)):
        report.fail("V3", f"guardians must be numbered 1..n with 1 <= threshold {threshold} <= n")
        return None
    ceremony = ceremony_hash(manifest_hash=digest, guardians=n, threshold=threshold)
    for guardian in raw.guardians:
        try:
            check_guardian(guardian, ceremony=ceremony, threshold=threshold)
            report.ok("V3")
        except VerificationFailed as exc:
            report.fail("V3", exc.reason)
    if joint_key_element(raw.guardians) != election["joint_key"]:
        report.fail("V4", "the joint key is not the sum of the guardians' public keys")
    else:
        report.ok("V4")
    _check_credentials(raw.credential_keys, report)
    context = make_context(
        manifest=raw.manifest,
        threshold=threshold,
        guardians=raw.guardians,
        credential_keys=_distinct(raw.credential_keys),
    )
    if context.base_hash != election["base_hash"]:
        report.fail("V6", "the base hash does not match the manifest, guardians and credentials")
    else:
        report.ok("V6")
    return context


def _distinct(keys: Sequence[Element]) -> list[Element]:
    seen: dict[bytes, Element] = {}
    for key in keys:
        seen.setdefault(key.to_bytes(), key)
    return list(seen.values())


def _check_credentials(keys: Sequence[Element], report: VerificationReport) -> None:
    encodings = [k.to_bytes() for k in keys]
    if len(set(encodings)) != len(encodings):
        report.fail("V5", "a credential key is listed twice")
    elif encodings != sorted(encodings):
        report.fail("V5", "credential keys are not in sorted order")
    else:
        report.ok("V5", len(keys))


def _check_entries(
    context: ElectionContext, raw: RawRecord, report: VerificationReport, progress: Progress | None
) -> list[BoardEntry]:
    """V7-V11 and V13 for every entry; returns the entries that passed V7-V10."""
    previous, valid = chain_start(context), []
    seen: dict[bytes, int] = {}
    for position, entry in enumerate(raw.entries, start=1):
        if progress is not None:
            progress(1)
        if entry is None:
            report.fail("V11", f"entry {position} is unreadable: the chain cannot be followed")
            continue
        where = f"entry {entry.sequence}"
        if _ballot_ok(context, entry, report, where):
            valid.append(entry)
        previous = _check_chain(
            context, entry, position=position, previous=previous, seen=seen, report=report
        )
        _check_spoil_state(context, entry, report, where)
    return valid


def _ballot_ok(
    context: ElectionContext, entry: BoardEntry, report: VerificationReport, where: str
) -> bool:
    ok = True
    for number, check in BALLOT_CHECKS:
        try:
            check(context, entry.ballot)
            report.ok(number)
        except VerificationFailed as exc:
            report.fail(number, f"{where}: {exc.reason}")
            ok = False
    return ok


def _check_chain(
    context: ElectionContext,
    entry: BoardEntry,
    *,
    position: int,
    previous: bytes,
    seen: dict[bytes, int],
    report: VerificationReport,
) -> bytes:
    where = f"entry {entry.sequence}"
    expected = compute_code(
        context, previous=previous, sequence=position, state=entry.state, ballot=entry.ballot
    )
    ballot_key = entry.ballot.ballot_id.encode()
    if entry.sequence != position:
        report.fail("V11", f"{where} stands at position {position}: entries are out of order")
    elif ballot_key in seen:
        report.fail("V11", f"{where} repeats the ballot of entry {seen[ballot_key]}")
    elif entry.tracking_code != expected:
        report.fail("V11", f"{where}: the tracking code does not chain to the entry before")
    else:
        report.ok("V11")
    seen.setdefault(ballot_key, entry.sequence)
    return entry.tracking_code


def _check_spoil_state(
    context: ElectionContext, entry: BoardEntry, report: VerificationReport, where: str
) -> None:
    if entry.state is EntryState.CAST:
        if entry.reveal is not None:
            report.fail("V13", f"{where}: a cast ballot must not reveal its nonces")
        return
    if entry.reveal is None:
        report.fail("V13", f"{where}: a spoiled ballot must reveal its choices and nonces")
        return
    try:
        check_spoiled_ballot(context, entry.ballot, entry.reveal)
        report.ok("V13")
    except VerificationFailed as exc:
        report.fail("V13", f"{where}: {exc.reason}")


def _check_tally(
    context: ElectionContext, raw: RawRecord, valid: list[BoardEntry], report: VerificationReport
) -> None:
    counted = counted_entries(valid)
    _check_counted(raw, counted, report)
    if raw.tally is None:
        for number in ("V14", "V15", "V16", "V17"):
            report.fail(number, "not checked: tally.json is missing or unreadable")
        return
    head = (
        raw.entries[-1].tracking_code if raw.entries and raw.entries[-1] else chain_start(context)
    )
    expected = compute_tally(context, valid, head)
    expected_all = (len(raw.entries), len(counted), head, expected.contests)
    published = (raw.tally.entries, raw.tally.counted, raw.tally.board_head, raw.tally.contests)
    if expected_all != published:
        report.fail("V14", _tally_difference(expected_all, published))
    else:
        report.ok("V14")
    partials = _check_partials(context, raw, report)
    counts = _check_counts(context, raw, partials, report)
    if counts is not None:
        _check_results(context, raw, counts, counted, report)


def _check_counted(raw: RawRecord, counted: list[BoardEntry], report: VerificationReport) -> None:
    published = list(raw.counted_sequences)
    expected = [e.sequence for e in counted]
    by_sequence = {e.sequence: e for e in raw.entries if e is not None}
    credentials: dict[bytes, int] = {}
    for sequence in published:
        entry = by_sequence.get(sequence)
        if entry is None:
            continue
        key = entry.ballot.credential.to_bytes()
        if key in credentials:
            report.fail(
                "V12",
                f"entries {credentials[key]} and {sequence} are both counted for "
                f"credential {key.hex()[:16]}...",
            )
        credentials.setdefault(key, sequence)
    if published != expected:
        extra = sorted(set(published) - set(expected))
        missing = sorted(set(expected) - set(published))
        report.fail(
            "V12",
            f"counted entries differ from the last valid cast ballot of each "
            f"credential: counted but should not be {extra}, missing {missing}",
        )
    else:
        report.ok("V12", len(expected))


def _tally_difference(expected: tuple[object, ...], published: tuple[object, ...]) -> str:
    names = ("number of entries", "number of counted ballots", "board head", "ciphertexts")
    wrong = [n for n, a, b in zip(names, expected, published, strict=True) if a != b]
    return f"the published tally differs from the recomputed one in: {', '.join(wrong)}"


def _check_partials(
    context: ElectionContext, raw: RawRecord, report: VerificationReport
) -> list[PartialDecryption]:
    assert raw.tally is not None
    good = []
    for partial in raw.partials:
        try:
            check_partial_decryption(context, raw.tally, partial)
            report.ok("V15")
            good.append(partial)
        except VerificationFailed as exc:
            report.fail("V15", exc.reason)
    if not raw.partials:
        report.fail("V15", "no partial decryptions are published")
    return good


def _check_counts(
    context: ElectionContext,
    raw: RawRecord,
    partials: list[PartialDecryption],
    report: VerificationReport,
) -> dict[str, tuple[int, ...]] | None:
    assert raw.tally is not None
    try:
        counts = combine_decryptions(
            context, raw.tally, partials, DiscreteLog(max(raw.tally.counted, 1))
        )
    except VerificationFailed as exc:
        report.fail("V16", exc.reason)
        return None
    published = {
        c.contest_id: tuple(
            (raw.counts or {}).get(c.contest_id, {}).get(o, -1) for o in c.option_ids
        )
        for c in raw.tally.contests
    }
    if dict(counts) != published or set(raw.counts or {}) != set(published):
        wrong = sorted(c for c in counts if counts[c] != published.get(c))
        report.fail("V16", f"published counts differ from the decryption in contests {wrong}")
    else:
        report.ok("V16", len(counts))
    return dict(counts)


def _check_results(
    context: ElectionContext,
    raw: RawRecord,
    counts: dict[str, tuple[int, ...]],
    counted: list[BoardEntry],
    report: VerificationReport,
) -> None:
    ballots: dict[str, int] = {}
    for entry in counted:
        for contest in entry.ballot.contests:
            ballots[contest.contest_id] = ballots.get(contest.contest_id, 0) + 1
    expected = compute_results(context, counts, ballots)
    published = raw.results or {}
    for contest_id, result in expected.items():
        if published.get(contest_id) != result:
            report.fail(
                "V17", f"contest {contest_id}: the announced result is not the one the counts give"
            )
        else:
            report.ok("V17")
    for contest_id in sorted(set(published) - set(expected)):
        report.fail("V17", f"results announce a contest {contest_id} that is not in the manifest")
